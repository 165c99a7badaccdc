"""Figures of the self-reliance dashboard, each one GROUP BY query over what the reader may see (the same rows
as the lists): the domestic share of the force's equipment by value and by count, per product class, per
customer unit and per year (``selectors.self_reliance``: accepted deliveries, each counted once, against
imported purchases); the value substituted; the weighted localisation rate of what was delivered.

Targets for 2025 and 2030 belong to the planning app; none is shown here until it holds them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, Sum
from django.db.models.functions import ExtractYear

from cnan.catalogue.models import ProductClass
from cnan.core.classification import user_clearance
from cnan.organizations.models import Organization

from . import selectors
from .models import ImportPurchase

ZERO = Decimal(0)


@dataclass
class Share:
    """One row of a figure: the domestic side (accepted deliveries) and the imported side, by value (VND) and
    by count (units); ``share_*`` in per cent (None: nothing on either side)."""

    key: Any
    label: str
    domestic_value: Decimal = ZERO
    domestic_count: int = 0
    import_value: Decimal = ZERO
    import_count: int = 0
    substituted_value: Decimal = ZERO
    substituted_count: int = 0
    domestic_url: str = ""
    import_url: str = ""

    @property
    def total_value(self) -> Decimal:
        return self.domestic_value + self.import_value

    @property
    def total_count(self) -> int:
        return self.domestic_count + self.import_count

    @property
    def share_value(self) -> Decimal | None:
        """Domestic value as a share of all (%), one decimal."""
        total = self.total_value
        return (self.domestic_value * 100 / total).quantize(Decimal("0.1")) if total else None

    @property
    def share_count(self) -> Decimal | None:
        total = self.total_count
        return (Decimal(self.domestic_count) * 100 / total).quantize(Decimal("0.1")) if total else None


def _rows(user: Any, by: str, year: int | None) -> list[Share]:
    return [
        Share(
            key=r.key,
            label=str(r.key),
            domestic_value=Decimal(r.domestic_value),
            domestic_count=int(r.domestic_count),
            import_value=Decimal(r.import_value),
            import_count=int(r.import_count),
        )
        for r in selectors.self_reliance(user=user, by=by, year=year)
    ]


def by_class(*, user: Any, year: int | None = None) -> list[Share]:
    """Per product class (in the order of ``ProductClass``), with the value substituted in each class: two
    GROUP BY queries (the shares) and one for what was substituted."""
    rows = {r.key: r for r in _rows(user, "product_class", year)}
    for key, (value, count) in substituted_by_class(user=user, year=year).items():
        row = rows.setdefault(key, Share(key=key, label=str(key)))
        row.substituted_value, row.substituted_count = value, count
    labels = dict(ProductClass.choices)
    order = {value: i for i, value in enumerate(ProductClass.values)}
    for row in rows.values():
        row.label = str(labels.get(row.key, row.key))
    return sorted(rows.values(), key=lambda r: (order.get(r.key, len(order)), str(r.key)))


def by_unit(*, user: Any, year: int | None = None) -> list[Share]:
    """Per customer unit (the unit that accepted the deliveries, or that bought the imports), by unit code:
    the two GROUP BY queries of the shares and one for the units' codes and names (a classified unit's name
    only to a user cleared for it)."""
    rows = _rows(user, "unit", year)
    clearance = user_clearance(user)
    units = Organization.objects.filter(pk__in=[r.key for r in rows]).values_list(
        "pk", "code", "name", "classification"
    )
    # a classified unit's name only to who is cleared for it; its code otherwise (as the lists show it)
    names = {pk: f"{code} — {name}" if level <= clearance else code for pk, code, name, level in units}
    for row in rows:
        row.label = names.get(row.key, str(row.key))
    return sorted(rows, key=lambda r: r.label)


def by_year(*, user: Any) -> list[Share]:
    """Every year with an accepted delivery or an imported purchase, oldest first (the trend)."""
    rows = _rows(user, "year", None)
    return sorted(rows, key=lambda r: r.key)


def total(rows: list[Share]) -> Share:
    """The sum of a figure's rows (no query): every row's deliveries and imports are disjoint."""
    return Share(
        key="total",
        label="",
        domestic_value=sum((r.domestic_value for r in rows), ZERO),
        domestic_count=sum(r.domestic_count for r in rows),
        import_value=sum((r.import_value for r in rows), ZERO),
        import_count=sum(r.import_count for r in rows),
        substituted_value=sum((r.substituted_value for r in rows), ZERO),
        substituted_count=sum(r.substituted_count for r in rows),
    )


def substituted_by_class(*, user: Any, year: int | None = None) -> dict[str, tuple[Decimal, int]]:
    """The value substituted, per product class: ``{class: (value, units)}``.

    The value substituted is the value (quantity × the order's unit price) of the accepted domestic deliveries
    of a product class that the force had bought from abroad in an EARLIER year than the year of acceptance
    (an imported purchase of that class, which the reader may see, dated before that year). A delivery of a
    class never imported before is new domestic equipment, not a substitution. Each accepted delivery counts
    once; ``year`` restricts to deliveries accepted that year. One GROUP BY query."""
    earlier = ImportPurchase.objects.visible_to(user, "view").filter(
        product_class=OuterRef("order__product__product_class"), year__lt=OuterRef("accepted_year")
    )
    value = ExpressionWrapper(
        F("quantity") * F("order__unit_price"), output_field=DecimalField(max_digits=24, decimal_places=0)
    )
    rows = (
        selectors.accepted_deliveries(user=user, year=year)
        .annotate(accepted_year=ExtractYear("accepted_on"))
        .filter(Exists(earlier))
        .values("order__product__product_class")
        .annotate(v=Sum(value), n=Sum("quantity"))
        .order_by()
    )
    return {r["order__product__product_class"]: (Decimal(r["v"] or 0), int(r["n"] or 0)) for r in rows}


def localisation_rate(*, user: Any, year: int | None = None) -> Decimal | None:
    """The localisation rate (%) of what was actually delivered and accepted, weighted by delivered value
    (``selectors.delivered_localisation_rate``), one decimal; None when no delivered product has a rate."""
    rate = selectors.delivered_localisation_rate(user=user, year=year)
    return Decimal(str(rate)).quantize(Decimal("0.1")) if rate is not None else None


def year_share(rows: list[Share], year: int) -> Share | None:
    """The row of a year in ``by_year`` (no query)."""
    return next((r for r in rows if r.key == year), None)


SHARE_INDICATOR = "TT-TN"  # planning's indicator: the domestic share of the force's equipment (by value, %)
TARGET_YEARS = (2025, 2030)  # the horizons of the security industry's strategy and plan


@dataclass
class ShareTarget:
    """A planned domestic share (%) for a year and, where that year has figures, the share reached."""

    year: int
    target: Decimal
    reached: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        """Percentage points still to go (negative: the target is exceeded)."""
        return (self.target - self.reached).quantize(Decimal("0.1")) if self.reached is not None else None


def share_targets(*, user: Any, trend: list[Share]) -> list[ShareTarget]:
    """The industry's targets for the domestic share in 2025 and 2030 from the planning app (a plan in force
    that sets indicator ``TT-TN`` for its own owner, the Department), each beside the share by value reached
    that year (``trend`` is ``by_year``'s rows); none where planning records no such target the user may see."""
    from cnan.planning.selectors import industry_targets

    targets = industry_targets(user, indicator_code=SHARE_INDICATOR, years=TARGET_YEARS)
    out = []
    for year in sorted(targets):
        row = year_share(trend, year)
        out.append(ShareTarget(year, targets[year].quantize(Decimal("0.1")), row.share_value if row else None))
    return out
