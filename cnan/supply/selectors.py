"""Reads on supply. Every read starts from the visibility rule (``visible_to``); the self-reliance figures
aggregate only what the reader may see."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from cnan.common.text import fold

from .models import AllocationRun, Capacity, Delivery, DemandLine, DemandPlan, Feedback, ImportPurchase, ProductionOrder

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


def delivery_list(*, user: Any) -> QuerySet[Delivery]:
    """Deliveries of the orders the user may see (the customer's side or the enterprise's)."""
    return (
        Delivery.objects.visible_to(user, "view")
        .filter(order__in=ProductionOrder.objects.visible_to(user, "view"))
        .select_related("order", "order__customer", "order__enterprise", "order__product")
    )


def feedback_list(*, user: Any) -> QuerySet[Feedback]:
    return Feedback.objects.visible_to(user, "view").select_related(
        "delivery", "delivery__order", "delivery__order__customer", "delivery__order__enterprise", "actor"
    )


def import_list(*, user: Any) -> QuerySet[ImportPurchase]:
    return ImportPurchase.objects.visible_to(user, "view").select_related("unit", "product")


def capacity_list(*, user: Any) -> QuerySet[Capacity]:
    return Capacity.objects.visible_to(user, "view").select_related("enterprise", "product_group")


def run_list(*, user: Any) -> QuerySet[AllocationRun]:
    return AllocationRun.objects.visible_to(user, "view").select_related("job")


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


def booked(enterprise: Any, product_group: Any, year: int, *, exclude: int | None = None) -> int:
    """Units of a product group already ordered from an enterprise for a year (cancelled orders aside)."""
    qs = ProductionOrder.objects.filter(enterprise=enterprise, product__group=product_group, year=year).exclude(
        status=ProductionOrder.Status.CANCELLED
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return int(qs.aggregate(n=Sum("quantity"))["n"] or 0)


# --- matching demand against the domestic catalogue ---------------------------------------------------------

SUPPLIABLE = ("certified", "serial")  # catalogue lifecycles of a product an enterprise can deliver
_WORD = re.compile(r"[0-9a-z]+")


def item_term(text: str) -> str:
    """The item a text names: its first two words, folded (no diacritics, lower case, no punctuation).
    A specification names its item first ("Áo giáp chống đạn cấp III …" → ``"ao giap"``), as a product's
    name does ("Đèn pin chiếu sáng DPC-01" → ``"den pin"``)."""
    return " ".join(_WORD.findall(fold(text))[:2])


def specification_matches(specification: str, product: Any) -> bool:
    """Whether a product answers a demand line's specification: the item the specification names occurs,
    as whole words, in the product's name (Vietnamese or English), or the item the product's name names
    occurs in the specification. So "Áo giáp chống đạn cấp III" is answered by "Bộ áo giáp chống đạn
    mềm" and not by "Bình xịt hơi cay" of the same class and group."""

    def words(text: str) -> str:
        return " " + " ".join(_WORD.findall(fold(text))) + " "

    spec, spec_item = words(specification), item_term(specification)
    if not spec_item:
        return False
    for name in (product.name, product.name_en):
        if name and (f" {spec_item} " in words(name) or f" {item_term(name)} " in spec):
            return True
    return False


@dataclass
class Candidate:
    product: Any
    enterprise: Any
    capacity: int | None  # units a year for the line's product group; None: none recorded
    booked: int  # units of that group already ordered from the enterprise that year

    @property
    def left(self) -> int:
        return max(0, (self.capacity or 0) - self.booked)


@dataclass
class Match:
    line: DemandLine
    candidates: list[Candidate]
    imported_before: bool  # the force has bought this class from abroad

    @property
    def status(self) -> str:
        """domestic (capacity covers the line), partial, imports (no domestic product, bought abroad
        before) or none (nothing supplies it: a candidate for an S&T task)."""
        if self.candidates:
            return "domestic" if sum(c.left for c in self.candidates) >= self.line.quantity else "partial"
        return "imports" if self.imported_before else "none"


def match_lines(*, user: Any, lines: Iterable[DemandLine]) -> list[Match]:
    """Every line against the products the user may see: made in Việt Nam by an enterprise of the
    industry, certified or in serial production, of the line's class (and product group), answering its
    specification (``specification_matches``) or the very product when the line names one, with the
    enterprise's capacity left for the plan's year."""
    from cnan.catalogue.models import HOME_COUNTRY, Product, Sourcing
    from cnan.organizations.models import Organization

    from .models import Capacity

    lines = list(lines)
    classes = {line.product_class for line in lines}
    products = list(
        Product.objects.visible_to(user, "view")
        .filter(
            product_class__in=classes,
            lifecycle__in=SUPPLIABLE,
            sourcing=Sourcing.MADE,
            origin_country=HOME_COUNTRY,
            organization__kind=Organization.Kind.ENTERPRISE,
        )
        .select_related("organization", "group")
        .order_by("code")
    )
    years = {line.plan.year for line in lines}
    capacities = {
        (c.enterprise_id, c.product_group_id, c.year): c.units for c in Capacity.objects.filter(year__in=years)
    }
    imported = set(
        ImportPurchase.objects.visible_to(user, "view")
        .filter(product_class__in=classes)
        .values_list("product_class", flat=True)
    )
    booked_cache: dict[tuple[int, int, int], int] = {}
    out = []
    for line in lines:
        found = []
        for product in products:
            if product.product_class != line.product_class:
                continue
            if line.product_id and product.pk != line.product_id:
                continue
            if not line.product_id and not specification_matches(line.specification, product):
                continue
            if line.product_group_id and product.group_id != line.product_group_id:
                continue
            key = (product.organization_id, product.group_id, line.plan.year)
            if key not in booked_cache:
                booked_cache[key] = (
                    booked(product.organization_id, product.group_id, line.plan.year) if product.group_id else 0
                )
            found.append(Candidate(product, product.organization, capacities.get(key), booked_cache[key]))
        out.append(Match(line, found, line.product_class in imported))
    return out


# --- the optimiser's problem from the database ------------------------------------------------------------


@dataclass
class AllocationInput:
    problem: Any  # allocation.Problem
    lines: dict[int, DemandLine]
    products: dict[tuple[int, int], Any]  # (line id, enterprise id) → the product offered
    skipped: list[tuple[int, str]]  # (line id, why it is left out)


def allocation_input(*, user: Any, year: int, budget: Decimal | None = None) -> AllocationInput:
    """A year's consolidated demand still to order, the domestic offers that match it (each enterprise's
    cheapest matching product, at its catalogue price) and each enterprise's capacity left per group."""
    from .allocation import Line, Offer, Problem
    from .models import Capacity

    lines = list(
        line_list(user=user)
        .filter(plan__year=year, plan__state=DemandPlan.State.CONSOLIDATED)
        .annotate(ordered=Sum("orders__quantity", filter=~Q(orders__status=ProductionOrder.Status.CANCELLED)))
        .order_by("plan__unit__code", "number")
    )
    skipped: list[tuple[int, str]] = []
    todo = []
    for line in lines:
        left = line.quantity - (line.ordered or 0)
        if left <= 0:
            continue
        product = line.product if line.product_id else None
        group = line.product_group_id or (product.group_id if product is not None else None)
        if group is None:
            skipped.append((line.pk, "no_group"))
            continue
        todo.append((line, left, group))
    matches = {m.line.pk: m for m in match_lines(user=user, lines=[line for line, _left, _group in todo])}
    offers: list[Offer] = []
    products: dict[tuple[int, int], Any] = {}
    capacity: dict[tuple[Any, Any], int] = {}
    for line, _left, group in todo:
        best: dict[int, Any] = {}
        for c in matches[line.pk].candidates:
            if c.product.group_id != group or c.product.price <= 0:
                continue  # another group, or no catalogue price to order at (a sub-assembly priced by rollup)
            if c.enterprise.pk not in best or c.product.price < best[c.enterprise.pk].price:
                best[c.enterprise.pk] = c.product
        for enterprise_id, product in best.items():
            offers.append(Offer(line.pk, enterprise_id, float(product.price)))
            products[(line.pk, enterprise_id)] = product
    enterprises = {o.enterprise for o in offers}
    groups = {group for _line, _left, group in todo}
    for row in Capacity.objects.filter(year=year, enterprise_id__in=list(enterprises), product_group_id__in=groups):
        key = (row.enterprise_id, row.product_group_id)
        capacity[key] = max(0, row.units - booked(row.enterprise_id, row.product_group_id, year))
    problem = Problem(
        lines=[Line(line.pk, group, left, float(line.unit_value), line.tier) for line, left, group in todo],
        offers=offers,
        capacity=capacity,
        budget=float(budget) if budget is not None else None,
    )
    return AllocationInput(problem, {line.pk: line for line, _l, _g in todo}, products, skipped)


# --- orders' pages: filtered lists, one record, figures ----------------------------------------------------


def order_search(*, user: Any, filters: Any = None) -> QuerySet[ProductionOrder]:
    """The orders list and its export: ``order_list`` filtered by ``filters_orders.OrderFilterSet``."""
    from cnan.core.selectors import apply_filterset

    from .filters_orders import OrderFilterSet

    return apply_filterset(OrderFilterSet, filters, order_list(user=user).select_related("product__group"))


def order_get(*, user: Any, pk: Any) -> ProductionOrder:
    return order_list(user=user).select_related("product__group", "demand_line", "demand_line__plan").get(pk=pk)


def delivery_search(*, user: Any, filters: Any = None) -> QuerySet[Delivery]:
    """The deliveries list and its export, each with its ``value`` (quantity × the order's unit price)."""
    from cnan.core.selectors import apply_filterset

    from .filters_orders import DeliveryFilterSet

    value = ExpressionWrapper(
        F("quantity") * F("order__unit_price"), output_field=DecimalField(max_digits=24, decimal_places=0)
    )
    return apply_filterset(DeliveryFilterSet, filters, delivery_list(user=user).annotate(value=value))


def delivery_get(*, user: Any, pk: Any) -> Delivery:
    return delivery_list(user=user).get(pk=pk)


def feedback_search(*, user: Any, filters: Any = None) -> QuerySet[Feedback]:
    """Quality feedback on deliveries of the orders the user may see, filtered by ``FeedbackFilterSet``."""
    from cnan.core.selectors import apply_filterset

    from .filters_orders import FeedbackFilterSet

    qs = feedback_list(user=user).filter(delivery__order__in=order_list(user=user))
    return apply_filterset(FeedbackFilterSet, filters, qs.select_related("delivery__order__product"))


def line_left(line: DemandLine) -> int:
    """Units of a demand line not yet ordered (cancelled orders aside)."""
    ordered = line.orders.exclude(status=ProductionOrder.Status.CANCELLED).aggregate(n=Sum("quantity"))["n"]
    return max(0, line.quantity - int(ordered or 0))


@dataclass
class OrderFigures:
    delivered: int
    accepted: int
    remaining: int
    capacity: int | None  # the enterprise's capacity for the product's group that year (None: none recorded)
    booked: int  # units of that group ordered from the enterprise that year (cancelled orders aside)

    @property
    def capacity_left(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.booked


def order_figures(*, order: ProductionOrder) -> OrderFigures:
    """Delivered, accepted and remaining units of an order, and its enterprise's capacity for the product's
    group and year against what is booked there."""
    sums = order.deliveries.aggregate(n=Sum("quantity"), a=Sum("quantity", filter=Q(accepted_on__isnull=False)))
    done = int(sums["n"] or 0)
    group_id = order.product.group_id
    capacity = None
    booked_units = 0
    if group_id is not None:
        row = Capacity.objects.filter(enterprise_id=order.enterprise_id, product_group_id=group_id, year=order.year)
        capacity = row.values_list("units", flat=True).first()
        booked_units = booked(order.enterprise_id, group_id, order.year)
    return OrderFigures(done, int(sums["a"] or 0), order.quantity - done, capacity, booked_units)


# --- demand pages: filtered lists, one record ---------------------------------------------------------------


def plan_search(*, user: Any, filters: Any = None) -> QuerySet[DemandPlan]:
    """The demand plans list and its export, each with its ``line_count`` and ``total_value``."""
    from django.db.models import Count

    from cnan.core.selectors import apply_filterset

    from .filters_demand import DemandPlanFilterSet

    lines = DemandLine.objects.visible_to(user, "view")
    money = DecimalField(max_digits=24, decimal_places=0)
    qs = plan_list(user=user).annotate(
        line_count=Count("lines", filter=Q(lines__in=lines), distinct=True),
        total_value=Sum(
            ExpressionWrapper(F("lines__quantity") * F("lines__unit_value"), output_field=money),
            filter=Q(lines__in=lines),
        ),
    )
    return apply_filterset(DemandPlanFilterSet, filters, qs)


def plan_get(*, user: Any, pk: Any) -> DemandPlan:
    return plan_list(user=user).get(pk=pk)


def plan_events(*, user: Any, plan: DemandPlan) -> QuerySet[Any]:
    """A plan's workflow events (submitted, returned with a comment, consolidated), oldest first."""
    from .models import PlanEvent

    return PlanEvent.objects.visible_to(user, "view").filter(plan=plan).select_related("actor").order_by("time", "id")


def line_search(*, user: Any, filters: Any = None) -> QuerySet[DemandLine]:
    """Demand lines across the plans the user may see (list and export), filtered by ``DemandLineFilterSet``."""
    from django.db.models import Exists, OuterRef

    from cnan.catalogue.models import Product
    from cnan.core.selectors import apply_filterset

    from .filters_demand import DemandLineFilterSet

    visible = Product.objects.visible_to(user, "view").filter(pk=OuterRef("product"))
    qs = line_list(user=user).annotate(product_visible=Exists(visible))
    return apply_filterset(DemandLineFilterSet, filters, qs)


def line_get(*, user: Any, pk: Any) -> DemandLine:
    return line_list(user=user).get(pk=pk)


def capacity_search(*, user: Any, filters: Any = None) -> QuerySet[Capacity]:
    """Capacities with the units of the group already ordered from the enterprise that year (``booked``,
    cancelled orders aside, as ``booked()`` counts them) and what is ``left``."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce, Greatest

    from cnan.core.selectors import apply_filterset

    from .filters_demand import CapacityFilterSet

    ordered = (
        ProductionOrder.objects.filter(
            enterprise=OuterRef("enterprise"), product__group=OuterRef("product_group"), year=OuterRef("year")
        )
        .exclude(status=ProductionOrder.Status.CANCELLED)
        .order_by()
        .values("enterprise")
        .annotate(n=Sum("quantity"))
        .values("n")
    )
    qs = capacity_list(user=user).annotate(
        booked=Coalesce(Subquery(ordered, output_field=IntegerField()), Value(0)),
    )
    qs = qs.annotate(left=Greatest(F("units") - F("booked"), Value(0)))
    return apply_filterset(CapacityFilterSet, filters, qs)


def import_search(*, user: Any, filters: Any = None) -> QuerySet[ImportPurchase]:
    from cnan.core.selectors import apply_filterset

    from .filters_demand import ImportPurchaseFilterSet

    return apply_filterset(ImportPurchaseFilterSet, filters, import_list(user=user))


def import_get(*, user: Any, pk: Any) -> ImportPurchase:
    return import_list(user=user).get(pk=pk)


# --- the allocation pages (matching, the optimiser's runs) --------------------------------------------------


def match_list(*, user: Any, filters: Any = None) -> list[Match]:
    """The demand lines the user may see, filtered (``filters_allocation.MatchFilterSet``: year, plan, unit,
    product class, and the match status, which is computed), each matched by ``match_lines``."""
    from cnan.core.selectors import apply_filterset

    from .filters_allocation import MatchFilterSet

    qs = apply_filterset(MatchFilterSet, filters, line_list(user=user)).order_by(
        "-plan__year", "plan__unit__code", "number"
    )
    matches = match_lines(user=user, lines=qs)
    status = (filters or {}).get("status")
    if status:
        matches = [m for m in matches if m.status == status]
    return matches


def run_filtered(*, user: Any, filters: Any = None) -> QuerySet[AllocationRun]:
    """The runs the user may see (the Department's), filtered by ``filters_allocation.RunFilterSet``."""
    from cnan.core.selectors import apply_filterset

    from .filters_allocation import RunFilterSet

    qs = run_list(user=user).select_related("job__owner")
    return apply_filterset(RunFilterSet, filters, qs)


def run_get(*, user: Any, pk: Any) -> AllocationRun:
    return run_list(user=user).select_related("job__owner").get(pk=pk)


@dataclass
class RunLine:
    """One demand line of a run, for its page: the line, its explanation, its proposal rows (each with its
    index in ``run.proposal``, the enterprise and the product) and the names of the enterprises its
    explanation mentions."""

    line: DemandLine
    reason: dict[str, Any]
    rows: list[dict[str, Any]]
    saturated: list[Any]
    cheaper_full: list[Any]


def run_lines(*, user: Any, run: AllocationRun) -> tuple[list[RunLine], list[tuple[Any, str]]]:
    """The run's lines (as the reader may see them) with their proposal rows and explanation, and the
    lines left out with why."""
    from cnan.catalogue.models import Product
    from cnan.organizations.models import Organization

    line_ids = {r["line"] for r in run.reasons} | {p["line"] for p in run.proposal} | {s["line"] for s in run.skipped}
    lines = {line.pk: line for line in line_list(user=user).filter(pk__in=line_ids)}
    org_ids = {p["enterprise"] for p in run.proposal}
    for r in run.reasons:
        org_ids.update(r.get("saturated", []))
        org_ids.update(r.get("cheaper_full", []))
    orgs = Organization.objects.visible_to(user, "view").in_bulk(list(org_ids))
    product_ids = [p["product"] for p in run.proposal]
    products = Product.objects.visible_to(user, "view").select_related("organization").in_bulk(product_ids)
    rows_by_line: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for k, p in enumerate(run.proposal):
        rows_by_line[p["line"]].append(
            {**p, "index": k, "enterprise_obj": orgs.get(p["enterprise"]), "product_obj": products.get(p["product"])}
        )
    out = []
    for r in run.reasons:
        line = lines.get(r["line"])
        if line is None:
            continue
        out.append(
            RunLine(
                line=line,
                reason=r,
                rows=rows_by_line.get(line.pk, []),
                saturated=[orgs[e] for e in r.get("saturated", []) if e in orgs],
                cheaper_full=[orgs[e] for e in r.get("cheaper_full", []) if e in orgs],
            )
        )
    skipped = [(lines[s["line"]], s["code"]) for s in run.skipped if s["line"] in lines]
    return out, skipped


def run_orders(*, user: Any, run: AllocationRun) -> QuerySet[ProductionOrder]:
    """The orders placed from an accepted run (those the user may see)."""
    return order_list(user=user).filter(allocation_run=run).order_by("number")


def plan_state_counts(*, user: Any) -> dict[str, int]:
    """How many demand plans the user may see are in each state (one query; absent states count 0)."""
    from django.db.models import Count

    counts = {state: 0 for state in DemandPlan.State.values}
    for row in plan_list(user=user).order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts
