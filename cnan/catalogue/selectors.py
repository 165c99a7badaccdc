"""Reads on the catalogue. Every read starts from the visibility rule (``visible_to``).

The explosion and the where-used walk the BOM graph with one recursive query each (SQLite and
PostgreSQL), whatever the size of the BOM; components the reader may not see are masked, their
figures kept (they are part of the visible product's figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.http import Http404

from cnan.core.selectors import apply_filterset

from . import rollup
from .models import BOMLine, BOMRevision, CatalogueEdition, Product, ProductRollup, RollupHistory, Unit

MAX_LEVELS = rollup.MAX_DEPTH


def product_list(*, user: Any, filters: Any = None) -> QuerySet[Product]:
    from .filters import ProductFilterSet

    qs = Product.objects.visible_to(user, "view").select_related("organization", "rollup", "group")
    return apply_filterset(ProductFilterSet, filters, qs)  # invalid filters raise ValidationError (a 400)


def product_get(*, user: Any, pk: Any) -> Product:
    try:
        return (
            Product.objects.visible_to(user, "view")
            .select_related("organization", "rollup", "group", "current_revision")
            .get(pk=pk)
        )
    except (Product.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def revision_get(*, user: Any, pk: Any) -> BOMRevision:
    """A revision of a product the user may see: a revision has no classification of its own, its
    product's applies (and the scope)."""
    try:
        revision = BOMRevision.objects.visible_to(user, "view").select_related("frozen_by").get(pk=pk)
    except (BOMRevision.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    revision.product = product_get(user=user, pk=revision.product_id)
    return revision


def line_get(*, user: Any, pk: Any) -> BOMLine:
    """A BOM line of a product the user may see (its classification included), with its revision."""
    try:
        line = BOMLine.objects.visible_to(user, "view").select_related("revision", "component").get(pk=pk)
    except (BOMLine.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    line.parent = product_get(user=user, pk=line.parent_id)
    line.revision.product = line.parent
    return line


def visible_product_ids(*, user: Any, ids: Any) -> set[int]:
    """Which of these products the user may see (one query): the masking of BOM components."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    return set(Product.objects.visible_to(user, "view").filter(pk__in=ids).values_list("pk", flat=True))


def revision_lines(revision: BOMRevision) -> QuerySet[BOMLine]:
    return revision.lines.select_related("component", "component__rollup", "substitute_for__component").order_by(
        "position", "id"
    )


def _visible_ids_sql(user: Any, using: str) -> tuple[str, tuple]:
    qs = Product.objects.visible_to(user, "view").values("id")
    sql, params = qs.query.get_compiler(using=using).as_sql()
    return sql, tuple(params)


def _pad(expr: str, width: int, vendor: str) -> str:
    if vendor == "postgresql":
        return f"lpad(CAST({expr} AS TEXT), {width}, '0')"
    return f"printf('%%0{width}d', {expr})"


@dataclass
class ExplodedLine:
    line_id: int
    level: int
    parent_id: int
    component_id: int
    quantity: Decimal
    unit: str
    extended_quantity: float
    code: str
    name: str
    component_unit: str
    sourcing: str
    origin_country: str
    supplier: str
    price: Decimal
    unit_cost: Decimal | None
    imported_value: Decimal | None
    localisation_rate: Decimal | None
    has_children: bool
    visible: bool
    path: str

    @property
    def extended_cost(self) -> float:
        return self.extended_quantity * float(self.unit_cost or 0)

    @property
    def extended_imported(self) -> float:
        return self.extended_quantity * float(self.imported_value or 0)

    @property
    def is_imported(self) -> bool:
        return bool(self.origin_country) and self.origin_country != "VN"

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def component_unit_label(self) -> str:
        return unit_label(self.component_unit)


def unit_label(code: str) -> str:
    """The short name of a unit in the reader's language (``kg``, ``cái`` …)."""
    return str(Unit(code).label) if code in Unit.values else code


def explode(*, user: Any, product: Product, max_level: int | None = None) -> list[ExplodedLine]:
    """The standard configuration of ``product`` exploded through every level (or ``max_level`` levels):
    one row per path, in BOM order, with the quantity per top unit and each component's stored figures.
    One query, whatever the size."""
    using = router.db_for_read(Product)
    vendor = connections[using].vendor
    visible_sql, visible_params = _visible_ids_sql(user, using)
    key = _pad("l.position", 6, vendor) + " || " + _pad("l.id", 10, vendor)
    limit = min(max_level or MAX_LEVELS, MAX_LEVELS)
    sql = f"""
        WITH RECURSIVE ex(line_id, level, parent_id, component_id, quantity, unit, ext, path) AS (
            SELECT l.id, 1, l.parent_id, l.component_id, l.quantity, l.unit, l.effective_quantity, {key}
            FROM {rollup.L} l JOIN {rollup.P} p ON p.current_revision_id = l.revision_id
            WHERE l.parent_id = %s AND l.effective_quantity > 0
            UNION ALL
            SELECT l.id, ex.level + 1, l.parent_id, l.component_id, l.quantity, l.unit,
                   ex.ext * l.effective_quantity, ex.path || '.' || {key}
            FROM {rollup.L} l JOIN {rollup.P} p ON p.current_revision_id = l.revision_id
            JOIN ex ON l.parent_id = ex.component_id
            WHERE l.effective_quantity > 0 AND ex.level < %s
        )
        SELECT ex.line_id, ex.level, ex.parent_id, ex.component_id, ex.quantity, ex.unit, ex.ext,
               c.code, c.name, c.unit, c.sourcing, c.origin_country, c.supplier, c.price,
               r.unit_cost, r.imported_value, r.localisation_rate, COALESCE(r.depth, 0),
               CASE WHEN c.id IN ({visible_sql}) THEN 1 ELSE 0 END, ex.path
        FROM ex JOIN {rollup.P} c ON c.id = ex.component_id LEFT JOIN {rollup.R} r ON r.product_id = c.id
        ORDER BY ex.path
    """
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [product.pk, limit, *visible_params])
        rows = cursor.fetchall()
    return [
        ExplodedLine(
            line_id=row[0],
            level=row[1],
            parent_id=row[2],
            component_id=row[3],
            quantity=Decimal(row[4]),
            unit=row[5],
            extended_quantity=float(row[6]),
            code=row[7] if row[18] else "",
            name=row[8] if row[18] else "",
            component_unit=row[9],
            sourcing=row[10],
            origin_country=row[11],
            supplier=row[12] if row[18] else "",
            price=Decimal(row[13]),
            unit_cost=None if row[14] is None else Decimal(row[14]),
            imported_value=None if row[15] is None else Decimal(row[15]),
            localisation_rate=None if row[16] is None else Decimal(row[16]),
            has_children=bool(row[17]),
            visible=bool(row[18]),
            path=row[19],
        )
        for row in rows
    ]


@dataclass
class FlatLine:
    component_id: int
    code: str
    name: str
    unit: str
    origin_country: str
    total_quantity: float
    unit_cost: Decimal | None
    imported_value: Decimal | None
    is_leaf: bool
    visible: bool

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def total_cost(self) -> float:
        return self.total_quantity * float(self.unit_cost or 0)

    @property
    def total_imported(self) -> float:
        return self.total_quantity * float(self.imported_value or 0)


def flatten(lines: list[ExplodedLine]) -> list[FlatLine]:
    """Total quantity of every component per unit of the top product, largest imported value first."""
    flat: dict[int, FlatLine] = {}
    for line in lines:
        item = flat.get(line.component_id)
        if item is None:
            flat[line.component_id] = FlatLine(
                component_id=line.component_id,
                code=line.code,
                name=line.name,
                unit=line.component_unit,
                origin_country=line.origin_country,
                total_quantity=line.extended_quantity,
                unit_cost=line.unit_cost,
                imported_value=line.imported_value,
                is_leaf=not line.has_children,
                visible=line.visible,
            )
        else:
            item.total_quantity += line.extended_quantity
    return sorted(flat.values(), key=lambda f: (-f.total_imported, f.code))


def import_sources(lines: list[ExplodedLine]) -> list[FlatLine]:
    """Where the imported value of the top product comes from: the purchased parts and imported
    sub-assemblies at any depth (not what lies below an imported sub-assembly), largest first."""
    sources: dict[int, FlatLine] = {}
    blocked: str | None = None
    for line in lines:
        if blocked is not None and line.path.startswith(blocked + "."):
            continue
        blocked = None
        terminal = not line.has_children or line.is_imported
        if line.is_imported and line.has_children:
            blocked = line.path
        if not terminal or not line.imported_value:
            continue
        item = sources.get(line.component_id)
        if item is None:
            sources[line.component_id] = FlatLine(
                component_id=line.component_id,
                code=line.code,
                name=line.name,
                unit=line.component_unit,
                origin_country=line.origin_country,
                total_quantity=line.extended_quantity,
                unit_cost=line.unit_cost,
                imported_value=line.imported_value,
                is_leaf=not line.has_children,
                visible=line.visible,
            )
        else:
            item.total_quantity += line.extended_quantity
    return sorted(sources.values(), key=lambda f: (-f.total_imported, f.code))


def direct_contributions(*, product: Product) -> list[dict[str, Any]]:
    """The standard lines of the current revision with what each adds to cost and imported value."""
    if product.current_revision_id is None:
        return []
    out: list[dict[str, Any]] = []
    for line in (
        BOMLine.objects.filter(revision_id=product.current_revision_id, effective_quantity__gt=0)
        .select_related("component", "component__rollup")
        .order_by("position", "id")
    ):
        r = getattr(line.component, "rollup", None)
        out.append(
            {
                "line": line,
                "cost": line.effective_quantity * float(r.unit_cost if r else line.component.price),
                "imported": line.effective_quantity * float(r.imported_value if r else 0),
            }
        )
    out.sort(key=lambda d: -d["imported"])
    return out


@dataclass
class WhereUsed:
    product_id: int
    code: str
    name: str
    min_level: int
    localisation_rate: Decimal | None
    visible: bool


def where_used(*, user: Any, product: Product, include_optional: bool = True) -> list[WhereUsed]:
    """Every product that contains ``product`` in its current BOM, at any depth (the smallest depth shown)."""
    using = router.db_for_read(Product)
    visible_sql, visible_params = _visible_ids_sql(user, using)
    cond = "" if include_optional else " AND l.effective_quantity > 0"
    sql = f"""
        WITH RECURSIVE up(id, level) AS (
            SELECT l.parent_id, 1 FROM {rollup.L} l JOIN {rollup.P} p ON p.current_revision_id = l.revision_id
            WHERE l.component_id = %s{cond}
            UNION
            SELECT l.parent_id, up.level + 1 FROM {rollup.L} l
            JOIN {rollup.P} p ON p.current_revision_id = l.revision_id JOIN up ON l.component_id = up.id
            WHERE up.level < %s{cond}
        )
        SELECT c.id, c.code, c.name, MIN(up.level), r.localisation_rate,
               CASE WHEN c.id IN ({visible_sql}) THEN 1 ELSE 0 END
        FROM up JOIN {rollup.P} c ON c.id = up.id LEFT JOIN {rollup.R} r ON r.product_id = c.id
        GROUP BY c.id, c.code, c.name, r.localisation_rate
        ORDER BY MIN(up.level), c.code
    """
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [product.pk, MAX_LEVELS, *visible_params])
        rows = cursor.fetchall()
    return [
        WhereUsed(
            product_id=row[0],
            code=row[1] if row[5] else "",
            name=row[2] if row[5] else "",
            min_level=row[3],
            localisation_rate=None if row[4] is None else Decimal(row[4]),
            visible=bool(row[5]),
        )
        for row in rows
    ]


# --- revisions compared -----------------------------------------------------------------------------


@dataclass
class LineDiff:
    component: Product
    status: str  # added / removed / changed / same
    before: BOMLine | None
    after: BOMLine | None
    changes: list[str]


def compare_revisions(a: BOMRevision, b: BOMRevision) -> list[LineDiff]:
    """What changed from revision ``a`` to ``b``, line by line (matched by component and substitute role)."""
    compared = ("quantity", "unit", "scrap_percent", "optional", "position", "reference")

    def keyed(rev: BOMRevision) -> dict[tuple[int, int | None], BOMLine]:
        out = {}
        for line in rev.lines.select_related("component", "substitute_for"):
            key = (line.component_id, line.substitute_for.component_id if line.substitute_for is not None else None)
            out[key] = line
        return out

    before, after = keyed(a), keyed(b)
    diffs: list[LineDiff] = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], k[1] or 0)):
        x, y = before.get(key), after.get(key)
        if x and y:
            changes = [f for f in compared if getattr(x, f) != getattr(y, f)]
            diffs.append(LineDiff(y.component, "changed" if changes else "same", x, y, changes))
        elif y:
            diffs.append(LineDiff(y.component, "added", None, y, []))
        elif x:
            diffs.append(LineDiff(x.component, "removed", x, None, []))
    order = {"removed": 0, "added": 1, "changed": 2, "same": 3}
    diffs.sort(key=lambda d: (order[d.status], d.component.code))
    return diffs


# --- what-if ----------------------------------------------------------------------------------------


@dataclass
class WhatIfRow:
    product_id: int
    code: str
    name: str
    before: Decimal | None
    after: Decimal | None
    imported_before: Decimal | None
    imported_after: Decimal

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def whatif(
    *,
    user: Any,
    prices: dict[int, Decimal] | None = None,
    origins: dict[int, str] | None = None,
    replacements: list[tuple[int, int, int | None]] | None = None,
) -> list[WhatIfRow]:
    """The figures every affected product would have after the changes; nothing is written. Only the
    products the user may see are listed."""
    from .models import unit_factor

    factor: dict[tuple[int, int], float] = {}
    for old, new, _only in replacements or []:
        units = dict(Product.objects.filter(pk__in=[old, new]).values_list("pk", "unit"))
        f = unit_factor(units.get(old, ""), units.get(new, ""))
        factor[(old, new)] = float(f) if f is not None else 1.0
    changes = rollup.evaluate(
        [],
        rollup.Override(price=prices or {}, origin=origins or {}, replace=replacements or [], factor=factor),
    )
    ids = [c.product_id for c in changes]
    visible = (
        {
            p.pk: p
            for p in Product.objects.visible_to(user, "view").filter(pk__in=ids).only("pk", "code", "name", "name_en")
        }
        if ids
        else {}
    )
    rows = []
    for c in changes:
        p = visible.get(c.product_id)
        if p is None:
            continue
        rows.append(
            WhatIfRow(
                product_id=p.pk,
                code=p.code,
                name=p.display_name,
                before=c.before["localisation_rate"] if c.before else None,
                after=c.after["localisation_rate"],
                imported_before=c.before["imported_value"] if c.before else None,
                imported_after=c.after["imported_value"],
            )
        )
    rows.sort(key=lambda r: (-(abs(r.delta) if r.delta is not None else Decimal(0)), r.code))
    return rows


# --- dashboards -------------------------------------------------------------------------------------


def rollups_visible(*, user: Any) -> QuerySet[ProductRollup]:
    return ProductRollup.objects.filter(product__in=Product.objects.visible_to(user, "view"))


def history(*, user: Any, product: Product) -> QuerySet[RollupHistory]:
    return RollupHistory.objects.filter(product=product).order_by("time")


def edition_list(*, user: Any, filters: Any = None) -> QuerySet[CatalogueEdition]:
    qs = CatalogueEdition.objects.visible_to(user, "view").select_related("organization")
    from .filters import EditionFilterSet

    return apply_filterset(EditionFilterSet, filters, qs)
