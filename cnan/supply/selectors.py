"""Reads on supply. Every read starts from the visibility rule (``visible_to``); the self-reliance figures
aggregate only what the reader may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import ExtractYear

from .models import Delivery, DemandLine, DemandPlan, ImportPurchase, ProductionOrder

GROUPINGS = {
    # key → (delivery field, import field)
    "product_class": ("order__product__product_class", "product_class"),
    "unit": ("order__customer_id", "unit_id"),
    "year": ("accepted_year", "year"),
}


@dataclass
class ShareRow:
    key: Any
    domestic_value: Decimal
    domestic_count: int
    import_value: Decimal
    import_count: int

    @property
    def share_value(self) -> float | None:
        total = self.domestic_value + self.import_value
        return float(self.domestic_value / total) if total else None

    @property
    def share_count(self) -> float | None:
        total = self.domestic_count + self.import_count
        return self.domestic_count / total if total else None


def plan_list(*, user: Any) -> QuerySet[DemandPlan]:
    return DemandPlan.objects.visible_to(user, "view").select_related("unit")


def line_list(*, user: Any) -> QuerySet[DemandLine]:
    return (
        DemandLine.objects.visible_to(user, "view")
        .filter(plan__in=DemandPlan.objects.visible_to(user, "view"))
        .select_related("plan", "plan__unit", "product", "product_group")
    )


def order_list(*, user: Any) -> QuerySet[ProductionOrder]:
    return ProductionOrder.objects.visible_to(user, "view").select_related("customer", "enterprise", "product")


def accepted_deliveries(*, user: Any, year: int | None = None) -> QuerySet[Delivery]:
    """Deliveries the customer accepted, each once, of orders the user may see."""
    qs = Delivery.objects.visible_to(user, "view").filter(accepted_on__isnull=False, order__in=order_list(user=user))
    if year is not None:
        qs = qs.filter(accepted_on__year=year)
    return qs


def self_reliance(*, user: Any, by: str = "product_class", year: int | None = None) -> list[ShareRow]:
    """The domestic share of the force's equipment by value and by count, grouped ``by`` product class,
    customer unit or year: accepted deliveries (quantity × the order's unit price, each delivery once)
    against imported purchases."""
    delivery_key, import_key = GROUPINGS[by]
    value = ExpressionWrapper(
        F("quantity") * F("order__unit_price"), output_field=DecimalField(max_digits=24, decimal_places=0)
    )
    domestic = (
        accepted_deliveries(user=user, year=year)
        .annotate(accepted_year=ExtractYear("accepted_on"))
        .values(delivery_key)
        .annotate(v=Sum(value), n=Sum("quantity"))
        .order_by()
    )
    imports = ImportPurchase.objects.visible_to(user, "view")
    if year is not None:
        imports = imports.filter(year=year)
    imported = imports.values(import_key).annotate(v=Sum("value"), n=Sum("quantity")).order_by()
    rows: dict[Any, ShareRow] = defaultdict(lambda: ShareRow(None, Decimal(0), 0, Decimal(0), 0))
    for row in domestic:
        r = rows[row[delivery_key]]
        r.domestic_value += row["v"] or 0
        r.domestic_count += row["n"] or 0
    for row in imported:
        r = rows[row[import_key]]
        r.import_value += row["v"] or 0
        r.import_count += row["n"] or 0
    out = []
    for key, r in rows.items():
        r.key = key
        out.append(r)
    return sorted(out, key=lambda r: str(r.key))


def delivered_localisation_rate(*, user: Any, year: int | None = None) -> float | None:
    """The localisation rate of what was actually delivered, weighted by delivered value (the catalogue's
    rollup of each product; products without a rate are left out of both sums)."""
    rate = F("order__product__rollup__localisation_rate")
    value = F("quantity") * F("order__unit_price")
    money = DecimalField(max_digits=30, decimal_places=2)
    totals = (
        accepted_deliveries(user=user, year=year)
        .filter(order__product__rollup__localisation_rate__isnull=False)
        .aggregate(
            total=Sum(ExpressionWrapper(value, output_field=money)),
            weighted=Sum(ExpressionWrapper(value * rate, output_field=money)),
        )
    )
    return float(totals["weighted"] / totals["total"]) if totals["total"] else None
