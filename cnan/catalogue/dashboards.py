"""Reads for the catalogue's dashboard and report pages: value-weighted localisation rates (by class, by owning
enterprise, over time), the largest imported values, and two editions of the product list compared.

The weighted rate of a set of products is 1 − Σ imported value / Σ value basis, over the visible end products
(every class but "components and parts"), from the stored rollups (``selectors.rollups_visible``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from . import selectors
from .models import CatalogueEdition, Lifecycle, Product, ProductClass, ProductRollup, RollupHistory

CENT = Decimal("0.01")


def weighted_rate(imported: Any, basis: Any) -> Decimal | None:
    """1 − imported / basis, in per cent (two decimals, within [0, 100]); None when there is no value."""
    imported, basis = Decimal(imported or 0), Decimal(basis or 0)
    if basis <= 0:
        return None
    rate = (1 - imported / basis) * 100
    return min(max(rate, Decimal(0)), Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def end_products(*, user: Any) -> QuerySet[ProductRollup]:
    """The stored figures of the visible end products (components and parts left out)."""
    return selectors.rollups_visible(user=user).exclude(product__product_class=ProductClass.COMPONENT)


@dataclass
class RateGroup:
    key: Any
    label: str
    count: int
    imported: Decimal
    basis: Decimal
    rate: Decimal | None = field(init=False)

    def __post_init__(self) -> None:
        self.rate = weighted_rate(self.imported, self.basis)


def _grouped(qs: QuerySet[ProductRollup], *keys: str) -> QuerySet:
    return (
        qs.values(*keys)
        .annotate(n=Count("product_id"), imported=Sum("imported_value"), basis=Sum("value_basis"))
        .order_by(*keys)
    )


def rate_by_class(*, user: Any) -> list[RateGroup]:
    """The weighted rate per product class (one GROUP BY), largest value first."""
    labels = dict(ProductClass.choices)
    groups = [
        RateGroup(
            key=row["product__product_class"],
            label=str(labels.get(row["product__product_class"], row["product__product_class"])),
            count=row["n"],
            imported=row["imported"] or Decimal(0),
            basis=row["basis"] or Decimal(0),
        )
        for row in _grouped(end_products(user=user), "product__product_class")
    ]
    return sorted(groups, key=lambda g: (-g.basis, g.label))


def rate_by_owner(*, user: Any) -> list[RateGroup]:
    """The weighted rate per owning enterprise (one GROUP BY), largest value first."""
    groups = [
        RateGroup(
            key=row["product__organization_id"],
            label=row["product__organization__name"],
            count=row["n"],
            imported=row["imported"] or Decimal(0),
            basis=row["basis"] or Decimal(0),
        )
        for row in _grouped(end_products(user=user), "product__organization_id", "product__organization__name")
    ]
    return sorted(groups, key=lambda g: (-g.basis, g.label))


def totals(*, user: Any) -> RateGroup:
    row = end_products(user=user).aggregate(
        n=Count("product_id"), imported=Sum("imported_value"), basis=Sum("value_basis")
    )
    return RateGroup(
        key=None, label="", count=row["n"], imported=row["imported"] or Decimal(0), basis=row["basis"] or Decimal(0)
    )


def top_imported(*, user: Any, limit: int = 20) -> list[ProductRollup]:
    """The visible end products with the largest imported value."""
    return list(
        end_products(user=user)
        .filter(imported_value__gt=0)
        .select_related("product", "product__organization")
        .order_by("-imported_value", "product__code")[:limit]
    )


@dataclass
class TrendPoint:
    month: dt.date  # the first day of the month
    count: int
    imported: Decimal
    basis: Decimal

    @property
    def rate(self) -> Decimal | None:
        return weighted_rate(self.imported, self.basis)

    @property
    def label(self) -> str:
        return f"{self.month:%m/%Y}"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def trend(*, user: Any, months: int = 36) -> list[TrendPoint]:
    """The weighted rate at the end of each month: each visible end product counts with its latest history
    entry at that time. One query over the history, read in time order."""
    products = Product.objects.visible_to(user, "view").exclude(product_class=ProductClass.COMPONENT).values("id")
    rows = (
        RollupHistory.objects.filter(product__in=products)
        .order_by("time", "id")
        .values_list("product_id", "time", "imported_value", "value_basis")
    )
    now = timezone.localtime()
    last = dt.date(now.year, now.month, 1)
    first = last
    for _ in range(months - 1):
        first = dt.date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    latest: dict[int, tuple[Decimal, Decimal]] = {}
    points: list[TrendPoint] = []
    month = None
    tz = timezone.get_current_timezone()

    def close(upto: dt.date) -> None:
        nonlocal month
        while month is not None and month < upto:
            if month >= first:
                imported = sum((v[0] for v in latest.values()), Decimal(0))
                basis = sum((v[1] for v in latest.values()), Decimal(0))
                points.append(TrendPoint(month=month, count=len(latest), imported=imported, basis=basis))
            month = _next_month(month)

    for product_id, time, imported, basis in rows.iterator():
        local = timezone.localtime(time, tz)
        this = dt.date(local.year, local.month, 1)
        if month is None:
            month = this
        close(this)
        latest[product_id] = (imported, basis)
    if month is not None:
        close(_next_month(last))
    return points


# --- editions compared -------------------------------------------------------------------------------


@dataclass
class EntryState:
    product_id: int
    code: str
    name: str
    product_class: str
    lifecycle: str
    localisation_rate: Decimal | None

    @property
    def class_label(self) -> str:
        return str(dict(ProductClass.choices).get(self.product_class, self.product_class))

    @property
    def lifecycle_label(self) -> str:
        return str(dict(Lifecycle.choices).get(self.lifecycle, self.lifecycle))


def edition_entries(edition: CatalogueEdition) -> dict[int, EntryState]:
    """The edition's products with what they were when it was published (a draft: what they are now)."""
    out: dict[int, EntryState] = {}
    for entry in edition.entries.select_related("product", "product__rollup").order_by("product__code"):
        p = entry.product
        if edition.is_published:
            state = (entry.product_class, entry.lifecycle, entry.localisation_rate)
        else:
            state = (p.product_class, p.lifecycle, getattr(getattr(p, "rollup", None), "localisation_rate", None))
        out[p.pk] = EntryState(p.pk, p.code, p.display_name, *state)
    return out


@dataclass
class EntryDiff:
    status: str  # added / removed / changed
    before: EntryState | None
    after: EntryState | None
    changes: list[str]

    @property
    def state(self) -> EntryState:
        return self.after or self.before  # type: ignore[return-value]


def edition_compare(a: CatalogueEdition, b: CatalogueEdition) -> list[EntryDiff]:
    """What changed from edition ``a`` to ``b``: products added, removed, or with another class, lifecycle or
    localisation rate."""
    before, after = edition_entries(a), edition_entries(b)
    diffs: list[EntryDiff] = []
    for pid in set(before) | set(after):
        x, y = before.get(pid), after.get(pid)
        if x and y:
            changes = [f for f in ("product_class", "lifecycle", "localisation_rate") if getattr(x, f) != getattr(y, f)]
            if changes:
                diffs.append(EntryDiff("changed", x, y, changes))
        elif y:
            diffs.append(EntryDiff("added", None, y, []))
        elif x:
            diffs.append(EntryDiff("removed", x, None, []))
    order = {"added": 0, "removed": 1, "changed": 2}
    diffs.sort(key=lambda d: (order[d.status], d.state.code))
    return diffs
