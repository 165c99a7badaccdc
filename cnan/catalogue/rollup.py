"""The localisation-rate engine: unit cost, imported value and localisation rate through every BOM level.

The formula (also shown on every product page):

* a product without lines in its current BOM revision (a purchased part, a raw material) costs its
  price; its imported value is its price when its country of origin is not Viet Nam, else 0;
* a product with lines costs the sum over its standard lines (optional and substitute lines left out)
  of *effective quantity × component unit cost*, the effective quantity being the line's quantity in the
  component's unit with the scrap allowance added; its imported value is the same sum over the
  components' imported values;
* an assembly's cost and imported value are rounded to the whole đồng;
* a product's value basis is its price when it has one, else its rolled-up cost; a product of foreign
  origin is imported whole (imported value = value basis);
* localisation rate = (value basis − imported value) / value basis, kept within [0, 100] %; a product
  with no value has no rate.

The engine reads the graph as arrays (one query for nodes, one for edges) and sweeps it level by level
with NumPy, bottom-up. ``recompute_all`` sweeps the whole catalogue; ``propagate`` sweeps only the given
products and their ancestors (where-used), reading their children's stored figures: both run the same
``sweep`` so that an incremental update equals a full recompute. ``evaluate`` runs the incremental sweep
with overrides (a price, an origin, a component replaced) and writes nothing: the what-if.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import numpy as np

from .models import HOME_COUNTRY, Product, ProductRollup, RollupHistory

CENT = Decimal("0.01")
MAX_DEPTH = 64
WRITE_BATCH = 2000

P = Product._meta.db_table
L = "catalogue_bomline"
R = ProductRollup._meta.db_table

# The standard lines of every product's current revision: the edges the rollup follows.
CURRENT_EDGES = (
    f"SELECT l.parent_id, l.component_id, l.effective_quantity FROM {L} l "
    f"JOIN {P} p ON p.current_revision_id = l.revision_id WHERE l.effective_quantity > 0"
)


class CycleError(ValueError):
    pass


@dataclass
class Figures:
    """The engine's result for a set of products, as arrays aligned with ``ids``."""

    ids: np.ndarray
    cost: np.ndarray
    imported: np.ndarray
    basis: np.ndarray
    rate: np.ndarray  # NaN where the product has no value
    depth: np.ndarray
    index: dict[int, int] = field(default_factory=dict)

    def of(self, product_id: int) -> dict[str, Any]:
        i = self.index[product_id]
        return {
            "unit_cost": money(self.cost[i]),
            "imported_value": money(self.imported[i]),
            "value_basis": money(self.basis[i]),
            "localisation_rate": percent(self.rate[i]),
            "depth": int(self.depth[i]),
        }


def money(x: float) -> Decimal:
    return Decimal(repr(float(x))).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(x: float) -> Decimal | None:
    if math.isnan(x):
        return None
    return Decimal(repr(float(x))).quantize(CENT, rounding=ROUND_HALF_UP)


def sweep(
    *,
    price: np.ndarray,
    foreign: np.ndarray,
    parents: np.ndarray,
    children: np.ndarray,
    quantity: np.ndarray,
    fixed: np.ndarray | None = None,
    fixed_cost: np.ndarray | None = None,
    fixed_imported: np.ndarray | None = None,
    fixed_depth: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Roll cost and imported value up a DAG given as edge arrays (local indices).

    ``fixed`` marks nodes whose figures are given (the stored children of an incremental sweep); the
    others are computed bottom-up, level by level. Returns (cost, imported, basis, rate, depth).
    """
    n = price.shape[0]
    if fixed is None:
        fixed = np.zeros(n, dtype=bool)
        fixed_cost = np.zeros(n)
        fixed_imported = np.zeros(n)
        fixed_depth = np.zeros(n, dtype=np.int64)
    if fixed_cost is None or fixed_imported is None or fixed_depth is None:
        raise TypeError("fixed nodes need their cost, imported value and depth")
    # Height: the number of levels below a node (0 for a leaf). Fixed nodes keep their stored depth.
    depth = np.where(fixed, fixed_depth, 0).astype(np.int64)
    for _round in range(MAX_DEPTH + 1):
        candidate = depth.copy()
        if parents.size:
            np.maximum.at(candidate, parents, depth[children] + 1)
        candidate[fixed] = depth[fixed]
        if np.array_equal(candidate, depth):
            break
        depth = candidate
    else:
        raise CycleError(_("The bills of materials contain a loop or are deeper than %(n)s levels.") % {"n": MAX_DEPTH})

    cost = np.where(fixed, fixed_cost, 0.0)
    imported = np.where(fixed, fixed_imported, 0.0)
    basis = np.zeros(n)
    free = ~fixed
    has_lines = np.zeros(n, dtype=bool)
    has_lines[parents] = True
    leaves = free & ~has_lines
    cost[leaves] = price[leaves]
    imported[leaves] = np.where(foreign[leaves], price[leaves], 0.0)

    order = np.argsort(depth[parents], kind="stable") if parents.size else parents
    edge_level = depth[parents][order] if parents.size else parents
    top = int(depth.max()) if n else 0
    bounds = np.searchsorted(edge_level, np.arange(1, top + 2)) if parents.size else np.zeros(top + 1, dtype=int)
    for level in range(1, top + 1):
        chunk = order[bounds[level - 1] : bounds[level]]
        if not chunk.size:
            continue
        p, c, q = parents[chunk], children[chunk], quantity[chunk]
        keep = free[p]
        p, c, q = p[keep], c[keep], q[keep]
        if not p.size:
            continue
        sum_cost = np.bincount(p, weights=q * cost[c], minlength=n)
        sum_imported = np.bincount(p, weights=q * imported[c], minlength=n)
        at_level = np.unique(p)
        # An assembly's figures are kept to the whole đồng: exact in floating point, so that its parents
        # read the same numbers whether they come from this sweep or from the stored rows.
        cost[at_level] = np.rint(sum_cost[at_level])
        sum_imported = np.rint(sum_imported)
        basis_here = np.where(price[at_level] > 0, price[at_level], cost[at_level])
        imported[at_level] = np.where(foreign[at_level], basis_here, sum_imported[at_level])

    basis = np.where(price > 0, price, cost)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(basis > 0, np.clip((basis - imported) / basis, 0.0, 1.0) * 100.0, np.nan)
    return cost, imported, basis, rate, depth


# --- reading the graph ------------------------------------------------------------------------------


def _db_alias() -> str:
    return router.db_for_write(Product)


def _foreign(origin: Any) -> bool:
    return bool(origin) and origin != HOME_COUNTRY


def _as_float(value: Any) -> float:
    return float(value) if value is not None else 0.0


def full_graph(
    using: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(ids, price, foreign, parents, children, quantity) of the whole catalogue: two queries."""
    using = using or _db_alias()
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT id, price, origin_country FROM {P} ORDER BY id")
        rows = cursor.fetchall()
        cursor.execute(CURRENT_EDGES + " ORDER BY l.parent_id, l.component_id")
        edges = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    price = np.fromiter((_as_float(r[1]) for r in rows), dtype=np.float64, count=len(rows))
    foreign = np.fromiter((_foreign(r[2]) for r in rows), dtype=bool, count=len(rows))
    if edges:
        e = np.array([(a, b) for a, b, _q in edges], dtype=np.int64)
        quantity = np.fromiter((q for _a, _b, q in edges), dtype=np.float64, count=len(edges))
        parents = np.searchsorted(ids, e[:, 0])
        children = np.searchsorted(ids, e[:, 1])
    else:
        parents = children = np.zeros(0, dtype=np.int64)
        quantity = np.zeros(0)
    return ids, price, foreign, parents, children, quantity


def compute_all(using: str | None = None) -> Figures:
    ids, price, foreign, parents, children, quantity = full_graph(using)
    cost, imported, basis, rate, depth = sweep(
        price=price, foreign=foreign, parents=parents, children=children, quantity=quantity
    )
    return Figures(ids, cost, imported, basis, rate, depth, {int(i): k for k, i in enumerate(ids)})


# --- incremental -----------------------------------------------------------------------------------


@dataclass
class Override:
    """What-if changes: new prices or origins, and components replaced by others."""

    price: Mapping[int, Decimal] = field(default_factory=dict)
    origin: Mapping[int, str] = field(default_factory=dict)
    # (old component, new component, only in this parent or None for everywhere)
    replace: Iterable[tuple[int, int, int | None]] = ()
    # quantity factor between the units of the old and the new component, per replacement
    factor: Mapping[tuple[int, int], float] = field(default_factory=dict)


def _ancestors_cte(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    return (
        f"WITH RECURSIVE up(id) AS (SELECT id FROM {P} WHERE id IN ({marks}) "
        f"UNION SELECT l.parent_id FROM {L} l JOIN {P} p ON p.current_revision_id = l.revision_id "
        f"JOIN up ON l.component_id = up.id WHERE l.effective_quantity > 0) "
    )


def _subgraph(seeds: list[int], using: str) -> tuple[list[tuple], list[tuple]]:
    """The seeds and their ancestors (with their stored figures), and the standard lines of those products
    (with each component's stored figures and attributes): two queries whatever the size."""
    cte = _ancestors_cte(len(seeds))
    with connections[using].cursor() as cursor:
        cursor.execute(
            cte + f"SELECT p.id, p.price, p.origin_country, r.unit_cost, r.imported_value, r.value_basis, "
            f"r.localisation_rate, r.depth FROM {P} p LEFT JOIN {R} r ON r.product_id = p.id "
            f"WHERE p.id IN (SELECT id FROM up)",
            seeds,
        )
        nodes = cursor.fetchall()
        cursor.execute(
            cte + f"SELECT l.parent_id, l.component_id, l.effective_quantity, c.price, c.origin_country, "
            f"r.unit_cost, r.imported_value, r.depth FROM {L} l JOIN {P} p ON p.current_revision_id = l.revision_id "
            f"JOIN {P} c ON c.id = l.component_id LEFT JOIN {R} r ON r.product_id = l.component_id "
            f"WHERE l.effective_quantity > 0 AND l.parent_id IN (SELECT id FROM up)",
            seeds,
        )
        edges = cursor.fetchall()
    return nodes, edges


def _replacement_parents(override: Override, using: str) -> list[int]:
    """Products whose current standard lines use a component that a what-if replaces."""
    olds = [old for old, _new, _only in override.replace]
    if not olds:
        return []
    marks = ", ".join(["%s"] * len(olds))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT l.parent_id FROM {L} l JOIN {P} p ON p.current_revision_id = l.revision_id "
            f"WHERE l.effective_quantity > 0 AND l.component_id IN ({marks})",
            olds,
        )
        return [row[0] for row in cursor.fetchall()]


def _component_attrs(ids: Iterable[int], using: str) -> dict[int, tuple]:
    ids = list(ids)
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.price, p.origin_country, r.unit_cost, r.imported_value, r.depth FROM {P} p "
            f"LEFT JOIN {R} r ON r.product_id = p.id WHERE p.id IN ({marks})",
            ids,
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


@dataclass
class Change:
    product_id: int
    before: dict[str, Any] | None
    after: dict[str, Any]


def _stored(row: tuple | None) -> dict[str, Any] | None:
    if row is None or row[0] is None:
        return None
    cost, imported, basis, rate, depth = row
    return {
        "unit_cost": Decimal(cost).quantize(CENT),
        "imported_value": Decimal(imported).quantize(CENT),
        "value_basis": Decimal(basis).quantize(CENT),
        "localisation_rate": None if rate is None else Decimal(rate).quantize(CENT),
        "depth": int(depth or 0),
    }


def evaluate(seeds: Iterable[int], override: Override | None = None, using: str | None = None) -> list[Change]:
    """The new figures of ``seeds`` and all their ancestors, given the stored figures of everything else
    and the ``override`` (for a what-if). Writes nothing."""
    using = using or _db_alias()
    override = override or Override()
    seed_list = sorted(set(seeds) | set(override.price) | set(override.origin))
    seed_list += [p for p in _replacement_parents(override, using) if p not in seed_list]
    if not seed_list:
        return []
    nodes, edges = _subgraph(seed_list, using)
    local: dict[int, int] = {row[0]: k for k, row in enumerate(nodes)}
    ext: dict[int, tuple] = {}
    edge_list: list[tuple[int, int, float]] = []
    for parent, component, qty, c_price, c_origin, c_cost, c_imported, c_depth in edges:
        edge_list.append((parent, component, qty))
        if component not in local:
            ext[component] = (c_price, c_origin, c_cost, c_imported, c_depth)
    # Replacements move a line's quantity from the old component to the new one.
    replace = list(override.replace)
    if replace:
        moved = []
        for parent, component, qty in edge_list:
            for old, new, only in replace:
                if component == old and (only is None or only == parent):
                    component = new
                    qty = qty * override.factor.get((old, new), 1.0)
                    break
            moved.append((parent, component, qty))
        edge_list = moved
        missing = {c for _p, c, _q in edge_list if c not in local and c not in ext}
        for pid, (c_price, c_origin, c_cost, c_imported, c_depth) in _component_attrs(missing, using).items():
            ext[pid] = (c_price, c_origin, c_cost, c_imported, c_depth)
    ext_ids = sorted(ext)
    for pid in ext_ids:
        local[pid] = len(local)
    n = len(local)
    price = np.zeros(n)
    foreign = np.zeros(n, dtype=bool)
    fixed = np.zeros(n, dtype=bool)
    fixed_cost = np.zeros(n)
    fixed_imported = np.zeros(n)
    fixed_depth = np.zeros(n, dtype=np.int64)
    for row in nodes:
        k = local[row[0]]
        price[k] = float(override.price.get(row[0], row[1]) or 0)
        foreign[k] = _foreign(override.origin.get(row[0], row[2]))
    for pid in ext_ids:
        c_price, c_origin, c_cost, c_imported, c_depth = ext[pid]
        k = local[pid]
        changed_leaf = pid in override.price or pid in override.origin
        price[k] = float(override.price.get(pid, c_price) or 0)
        foreign[k] = _foreign(override.origin.get(pid, c_origin))
        if c_cost is None or changed_leaf:
            # Never rolled up yet (or changed by the what-if): a component outside the set without a
            # stored figure is a leaf at its price.
            fixed_cost[k] = price[k]
            fixed_imported[k] = price[k] if foreign[k] else 0.0
        else:
            fixed_cost[k] = float(c_cost)
            fixed_imported[k] = float(c_imported)
        fixed_depth[k] = int(c_depth or 0)
        fixed[k] = True
    # The same order of summation as the full sweep (edges by parent id, then component id).
    edge_list.sort(key=lambda e: (e[0], e[1]))
    if edge_list:
        parents = np.fromiter((local[p] for p, _c, _q in edge_list), dtype=np.int64, count=len(edge_list))
        children = np.fromiter((local[c] for _p, c, _q in edge_list), dtype=np.int64, count=len(edge_list))
        quantity = np.fromiter((float(q) for _p, _c, q in edge_list), dtype=np.float64, count=len(edge_list))
    else:
        parents = children = np.zeros(0, dtype=np.int64)
        quantity = np.zeros(0)
    cost, imported, basis, rate, depth = sweep(
        price=price,
        foreign=foreign,
        parents=parents,
        children=children,
        quantity=quantity,
        fixed=fixed,
        fixed_cost=fixed_cost,
        fixed_imported=fixed_imported,
        fixed_depth=fixed_depth,
    )
    ids = np.array([row[0] for row in nodes], dtype=np.int64)
    figures = Figures(ids, cost, imported, basis, rate, depth, local)
    return [Change(row[0], _stored(row[3:8]), figures.of(row[0])) for row in nodes]


# --- writing ---------------------------------------------------------------------------------------

FIELDS = ("unit_cost", "imported_value", "value_basis", "localisation_rate", "depth")


def _write(changes: list[Change], *, progress: Callable[[int, int], None] | None = None) -> int:
    """Store the figures that changed, and a history entry for each product whose figures changed."""
    now = timezone.now()
    dirty = [c for c in changes if c.before is None or any(c.before[f] != c.after[f] for f in FIELDS)]
    for start in range(0, len(dirty), WRITE_BATCH):
        batch = dirty[start : start + WRITE_BATCH]
        ProductRollup.objects.bulk_create(
            [ProductRollup(product_id=c.product_id, computed_at=now, **c.after) for c in batch],
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=[*FIELDS, "computed_at"],
        )
        RollupHistory.objects.bulk_create(
            [
                RollupHistory(
                    product_id=c.product_id,
                    time=now,
                    unit_cost=c.after["unit_cost"],
                    value_basis=c.after["value_basis"],
                    imported_value=c.after["imported_value"],
                    localisation_rate=c.after["localisation_rate"],
                )
                for c in batch
                if c.before is None or any(c.before[f] != c.after[f] for f in FIELDS[:4])
            ]
        )
        if progress:
            progress(start + len(batch), len(dirty))
    return len(dirty)


@transaction.atomic
def propagate(product_ids: Iterable[int]) -> int:
    """Update the stored figures of the given products and of every product that contains them at any
    depth (and only those). Returns the number of products whose figures changed."""
    return _write(evaluate(product_ids))


def recompute_all(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the whole catalogue in one sweep and store what changed."""
    figures = compute_all()
    alias = _db_alias()
    stored: dict[int, dict[str, Any] | None] = {}
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT product_id, unit_cost, imported_value, value_basis, localisation_rate, depth FROM {R}")
        for row in cursor.fetchall():
            stored[row[0]] = _stored(row[1:])
    changes = [Change(int(pid), stored.get(int(pid)), figures.of(int(pid))) for pid in figures.ids]
    with transaction.atomic(using=alias):
        return _write(changes, progress=progress)
