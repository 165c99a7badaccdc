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

# Prices and stored figures are read as floating point and origins as a foreign flag by the database
# itself, so that rows become arrays without a Python conversion per value.
_FOREIGN = "CASE WHEN {t}.origin_country = '" + HOME_COUNTRY + "' OR {t}.origin_country = '' THEN 0 ELSE 1 END"
_FLOAT = "CAST({} AS DOUBLE PRECISION)"


def _db_alias() -> str:
    return router.db_for_write(Product)


def _array(rows: list[tuple], width: int) -> np.ndarray:
    if not rows:
        return np.zeros((0, width))
    return np.array(rows, dtype=np.float64).reshape(len(rows), width)


def full_graph(
    using: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(ids, price, foreign, parents, children, quantity) of the whole catalogue: two queries. Edges come
    ordered by parent and component, the order of summation every sweep keeps."""
    using = using or _db_alias()
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT id, {_FLOAT.format('price')}, {_FOREIGN.format(t=P)} FROM {P} ORDER BY id")
        nodes = _array(cursor.fetchall(), 3)
        cursor.execute(CURRENT_EDGES + " ORDER BY l.parent_id, l.component_id")
        edges = _array(cursor.fetchall(), 3)
    ids = nodes[:, 0].astype(np.int64)
    parents = np.searchsorted(ids, edges[:, 0].astype(np.int64))
    children = np.searchsorted(ids, edges[:, 1].astype(np.int64))
    return ids, nodes[:, 1], nodes[:, 2] > 0, parents, children, edges[:, 2]


def compute_all(using: str | None = None) -> Figures:
    ids, price, foreign, parents, children, quantity = full_graph(using)
    cost, imported, basis, rate, depth = sweep(
        price=price, foreign=foreign, parents=parents, children=children, quantity=quantity
    )
    return Figures(ids, cost, imported, basis, rate, depth, {int(i): k for k, i in enumerate(ids)})


# --- evaluation: the figures of a set of products, before and after --------------------------------

FIELDS = ("unit_cost", "imported_value", "value_basis", "localisation_rate", "depth")
_STORED = ", ".join(
    [
        _FLOAT.format("{r}.unit_cost"),
        _FLOAT.format("{r}.imported_value"),
        _FLOAT.format("{r}.value_basis"),
        _FLOAT.format("{r}.localisation_rate"),
        "{r}.depth",
    ]
)


@dataclass
class Override:
    """What-if changes: new prices or origins, and components replaced by others."""

    price: Mapping[int, Decimal] = field(default_factory=dict)
    origin: Mapping[int, str] = field(default_factory=dict)
    # (old component, new component, only in this parent or None for everywhere)
    replace: Iterable[tuple[int, int, int | None]] = ()
    # quantity factor between the units of the old and the new component, per replacement
    factor: Mapping[tuple[int, int], float] = field(default_factory=dict)


@dataclass
class Evaluation:
    """New figures of ``ids`` (rounded as stored) beside what is stored (NaN where nothing is)."""

    ids: np.ndarray
    before: np.ndarray  # (n, 5): cost, imported, basis, rate, depth
    after: np.ndarray

    def figures_changed(self) -> np.ndarray:
        """Rows whose money figures or rate changed (a history entry each)."""
        a, b = self.after[:, :4], self.before[:, :4]
        same = (np.abs(a - b) < 0.004) | (np.isnan(a) & np.isnan(b))
        return ~same.all(axis=1)

    def dirty(self) -> np.ndarray:
        """Rows to write: never stored, or any figure changed (the depth too)."""
        return self.figures_changed() | np.isnan(self.before[:, 0]) | (self.after[:, 4] != self.before[:, 4])

    def changes(self) -> list[Change]:
        out = []
        for k, pid in enumerate(self.ids):
            before = None if np.isnan(self.before[k, 0]) else _as_dict(self.before[k])
            out.append(Change(int(pid), before, _as_dict(self.after[k])))
        return out


@dataclass
class Change:
    product_id: int
    before: dict[str, Any] | None
    after: dict[str, Any]


def _as_dict(row: np.ndarray) -> dict[str, Any]:
    return {
        "unit_cost": money(row[0]),
        "imported_value": money(row[1]),
        "value_basis": money(row[2]),
        "localisation_rate": percent(row[3]),
        "depth": int(row[4]),
    }


def _rounded(cost, imported, basis, rate, depth) -> np.ndarray:
    return np.column_stack(
        [np.round(cost, 2), np.round(imported, 2), np.round(basis, 2), np.round(rate, 2), depth.astype(np.float64)]
    )


def _ancestor_edges(seeds: list[int], using: str) -> np.ndarray:
    """Every standard line whose parent is a seed or contains one at any depth (one recursive query),
    with the parent's and the component's price, foreign flag and stored figures."""
    marks = ", ".join(["%s"] * len(seeds))
    sql = (
        f"WITH RECURSIVE up(id) AS (SELECT id FROM {P} WHERE id IN ({marks}) "
        f"UNION SELECT l.parent_id FROM {L} l JOIN {P} p ON p.current_revision_id = l.revision_id "
        f"JOIN up ON l.component_id = up.id WHERE l.effective_quantity > 0) "
        f"SELECT l.parent_id, l.component_id, l.effective_quantity, "
        f"{_FLOAT.format('p.price')}, {_FOREIGN.format(t='p')}, {_STORED.format(r='rp')}, "
        f"{_FLOAT.format('c.price')}, {_FOREIGN.format(t='c')}, {_STORED.format(r='rc')} "
        f"FROM {L} l JOIN {P} p ON p.current_revision_id = l.revision_id JOIN {P} c ON c.id = l.component_id "
        f"LEFT JOIN {R} rp ON rp.product_id = l.parent_id LEFT JOIN {R} rc ON rc.product_id = l.component_id "
        f"WHERE l.effective_quantity > 0 AND l.parent_id IN (SELECT id FROM up)"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, seeds)
        return _nan(_array(cursor.fetchall(), 17))


def _attributes(ids: Iterable[int], using: str) -> np.ndarray:
    """id, price, foreign flag and stored figures of a few products."""
    ids = sorted(set(ids))
    if not ids:
        return np.zeros((0, 8))
    marks = ", ".join(["%s"] * len(ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, {_FLOAT.format('p.price')}, {_FOREIGN.format(t='p')}, {_STORED.format(r='r')} "
            f"FROM {P} p LEFT JOIN {R} r ON r.product_id = p.id WHERE p.id IN ({marks})",
            ids,
        )
        return _nan(_array(cursor.fetchall(), 8))


def _nan(a: np.ndarray) -> np.ndarray:
    """``np.array`` makes NULLs ``nan`` only for float columns built from ``None``; be explicit."""
    return a.astype(np.float64)


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


def _evaluate(seeds: Iterable[int], override: Override | None = None, using: str | None = None) -> Evaluation | None:
    using = using or _db_alias()
    override = override or Override()
    seed_set = set(seeds) | set(override.price) | set(override.origin)
    seed_set |= set(_replacement_parents(override, using))
    if not seed_set:
        return None
    seed_list = sorted(seed_set)
    rows = _ancestor_edges(seed_list, using)
    parent_ids = rows[:, 0].astype(np.int64)
    comp_ids = rows[:, 1].astype(np.int64)
    quantity = rows[:, 2].copy()
    # Replacements move a line's quantity from the old component to the new one.
    for old, new, only in override.replace:
        hit = comp_ids == old
        if only is not None:
            hit &= parent_ids == only
        comp_ids[hit] = new
        quantity[hit] *= override.factor.get((old, new), 1.0)

    set_ids = np.unique(np.concatenate([np.array(seed_list, dtype=np.int64), parent_ids]))
    ext_ids = np.unique(comp_ids[~np.isin(comp_ids, set_ids)])
    all_ids = np.concatenate([set_ids, ext_ids])
    n, n_set = all_ids.size, set_ids.size
    order = np.argsort(all_ids, kind="stable")
    sorted_ids = all_ids[order]

    def local(x: np.ndarray) -> np.ndarray:
        return order[np.searchsorted(sorted_ids, x)]

    # Node attributes: price, foreign, stored cost, imported, basis, rate, depth (NaN when not stored).
    attrs = np.full((n, 7), np.nan)
    if rows.shape[0]:
        first_parent = np.unique(parent_ids, return_index=True)[1]
        attrs[local(parent_ids[first_parent])] = rows[first_parent][:, 3:10]
        original = rows[:, 1].astype(np.int64)
        first_comp = np.unique(original, return_index=True)[1]
        attrs[local(original[first_comp])[np.isin(original[first_comp], all_ids)]] = rows[first_comp][
            np.isin(original[first_comp], all_ids)
        ][:, 10:17]
    missing = np.isnan(attrs[:, 0])
    known = set(seed_list) | {int(i) for i in all_ids[missing]}
    extra = _attributes(known, using)
    if extra.shape[0]:
        present = np.isin(extra[:, 0].astype(np.int64), all_ids)
        attrs[local(extra[present, 0].astype(np.int64))] = extra[present, 1:8]
    for pid, price in override.price.items():
        if pid in set_ids:
            attrs[local(np.array([pid]))[0], 0] = float(price or 0)
    for pid, origin in override.origin.items():
        if pid in set_ids:
            attrs[local(np.array([pid]))[0], 1] = 1.0 if origin and origin != HOME_COUNTRY else 0.0

    price = np.nan_to_num(attrs[:, 0])
    foreign = attrs[:, 1] > 0
    fixed = np.zeros(n, dtype=bool)
    fixed[n_set:] = True
    stored_cost, stored_imported, stored_depth = attrs[:, 2], attrs[:, 3], attrs[:, 6]
    never = fixed & np.isnan(stored_cost)
    # A component outside the set that was never rolled up is a leaf at its price.
    fixed_cost = np.where(never, price, np.nan_to_num(stored_cost))
    fixed_imported = np.where(never, np.where(foreign, price, 0.0), np.nan_to_num(stored_imported))
    fixed_depth = np.nan_to_num(stored_depth).astype(np.int64)

    # The same order of summation as the full sweep: by parent id, then component id.
    by_id = np.lexsort((comp_ids, parent_ids))
    cost, imported, basis, rate, depth = sweep(
        price=price,
        foreign=foreign,
        parents=local(parent_ids[by_id]),
        children=local(comp_ids[by_id]),
        quantity=quantity[by_id],
        fixed=fixed,
        fixed_cost=fixed_cost,
        fixed_imported=fixed_imported,
        fixed_depth=fixed_depth,
    )
    after = _rounded(cost, imported, basis, rate, depth)[:n_set]
    before = attrs[:n_set, 2:7]
    return Evaluation(set_ids, before, after)


def evaluate(seeds: Iterable[int], override: Override | None = None, using: str | None = None) -> list[Change]:
    """The new figures of ``seeds`` and all their ancestors, given the stored figures of everything else
    and the ``override`` (for a what-if). Writes nothing."""
    evaluation = _evaluate(seeds, override, using)
    return [] if evaluation is None else evaluation.changes()


# --- writing ---------------------------------------------------------------------------------------


def _money_text(x: float) -> str:
    return f"{x:.2f}"


def _write(evaluation: Evaluation, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Store the figures that changed (one upsert per batch), and a history entry for each product whose
    money figures or rate changed."""
    alias = _db_alias()
    connection = connections[alias]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    dirty = np.flatnonzero(evaluation.dirty())
    history = set(np.flatnonzero(evaluation.figures_changed()).tolist())
    upsert = (
        f"INSERT INTO {R} (product_id, unit_cost, imported_value, value_basis, localisation_rate, depth, computed_at) "
        f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (product_id) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in (*FIELDS, "computed_at"))
    )
    insert_history = (
        f"INSERT INTO {RollupHistory._meta.db_table} "
        f"(product_id, time, unit_cost, value_basis, imported_value, localisation_rate) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    ids, after = evaluation.ids, evaluation.after
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and dirty.size >= COPY_MIN_ROWS:
            _copy_write(cursor.cursor, ids, after, dirty, history, now, progress)
            return int(dirty.size)
        for start in range(0, dirty.size, WRITE_BATCH):
            batch = dirty[start : start + WRITE_BATCH]
            values = []
            entries = []
            for k in batch.tolist():
                pid = int(ids[k])
                cost, imported, basis = (_money_text(x) for x in after[k, :3])
                rate = None if np.isnan(after[k, 3]) else _money_text(after[k, 3])
                values.append((pid, cost, imported, basis, rate, int(after[k, 4]), now))
                if k in history:
                    entries.append((pid, now, cost, basis, imported, rate))
            cursor.executemany(upsert, values)
            if entries:
                cursor.executemany(insert_history, entries)
            if progress:
                progress(start + batch.size, dirty.size)
    return int(dirty.size)


COPY_MIN_ROWS = 500
_STAGE = "cnan_rollup_stage"


def _copy_write(raw: Any, ids, after, dirty, history, now, progress) -> None:
    """PostgreSQL: many rows go through COPY into a temporary table, then one upsert; the history rows are
    copied straight into their table. Same rows as the portable path."""
    raw.execute(f"DROP TABLE IF EXISTS pg_temp.{_STAGE}")
    raw.execute(
        f"CREATE TEMPORARY TABLE {_STAGE} (product_id bigint, unit_cost numeric, imported_value numeric, "
        f"value_basis numeric, localisation_rate numeric, depth integer) ON COMMIT DROP"
    )
    with raw.copy(f"COPY {_STAGE} FROM STDIN") as copy:
        for n, k in enumerate(dirty.tolist(), 1):
            row = after[k]
            rate = None if np.isnan(row[3]) else _money_text(row[3])
            copy.write_row(
                (int(ids[k]), _money_text(row[0]), _money_text(row[1]), _money_text(row[2]), rate, int(row[4]))
            )
            if progress and n % WRITE_BATCH == 0:
                progress(n // 2, dirty.size)
    raw.execute(
        f"INSERT INTO {R} (product_id, {', '.join(FIELDS)}, computed_at) "
        f"SELECT product_id, {', '.join(FIELDS)}, %s FROM {_STAGE} ON CONFLICT (product_id) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in (*FIELDS, "computed_at")),
        [now],
    )
    if history:
        columns = "product_id, time, unit_cost, value_basis, imported_value, localisation_rate"
        with raw.copy(f"COPY {RollupHistory._meta.db_table} ({columns}) FROM STDIN") as copy:
            for k in sorted(history):
                row = after[k]
                rate = None if np.isnan(row[3]) else _money_text(row[3])
                copy.write_row((int(ids[k]), now, _money_text(row[0]), _money_text(row[2]), _money_text(row[1]), rate))
    raw.execute(f"DROP TABLE IF EXISTS pg_temp.{_STAGE}")
    if progress:
        progress(dirty.size, dirty.size)


@transaction.atomic
def propagate(product_ids: Iterable[int]) -> int:
    """Update the stored figures of the given products and of every product that contains them at any
    depth (and only those). Returns the number of products whose figures changed."""
    evaluation = _evaluate(product_ids)
    return 0 if evaluation is None else _write(evaluation)


def recompute_all(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the whole catalogue in one sweep and store what changed."""
    alias = _db_alias()
    figures = compute_all(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT r.product_id, {_STORED.format(r='r')} FROM {R} r")
        stored = _nan(_array(cursor.fetchall(), 6))
    before = np.full((figures.ids.size, 5), np.nan)
    if stored.shape[0]:
        pos = np.searchsorted(figures.ids, stored[:, 0].astype(np.int64))
        ok = (pos < figures.ids.size) & (figures.ids[np.minimum(pos, figures.ids.size - 1)] == stored[:, 0])
        before[pos[ok]] = stored[ok, 1:6]
    after = _rounded(figures.cost, figures.imported, figures.basis, figures.rate, figures.depth)
    with transaction.atomic(using=alias):
        return _write(Evaluation(figures.ids, before, after), progress=progress)
