"""Writes on supply. Each service checks the permission on the side it acts for (the unit for its demand
and its acceptance, the enterprise for its capacity and deliveries, the customer for its orders, the
Department for consolidation), validates, saves and audits through core in one transaction; nothing is
written when it refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cnan.catalogue.models import Product
from cnan.core.permissions import has_perm, require
from cnan.core.services import job_create, object_create, object_delete, object_update
from cnan.core.workflow import Transition, Workflow

from .models import (
    FORCE_TIERS,
    AllocationRun,
    Capacity,
    Delivery,
    DemandLine,
    DemandPlan,
    Feedback,
    ImportPurchase,
    PlanEvent,
    ProductionOrder,
)
from .selectors import booked

CLASSIFICATION_FIELDS = ("classification", "protected_until", "classification_basis")
PLAN_FIELDS = ("unit", "year", "note", *CLASSIFICATION_FIELDS)
LINE_FIELDS = (
    "number",
    "product",
    "product_class",
    "product_group",
    "specification",
    "quantity",
    "unit_value",
    "needed_by",
    "force_type",
    *CLASSIFICATION_FIELDS,
)
IMPORT_FIELDS = (
    "unit",
    "year",
    "product",
    "product_class",
    "description",
    "country",
    "quantity",
    "value",
    *CLASSIFICATION_FIELDS,
)
ORDER_FIELDS = (
    "number",
    "mode",
    "customer",
    "enterprise",
    "product",
    "demand_line",
    "year",
    "quantity",
    "unit_price",
    "price_basis",
    "funding",
    "ordered_on",
    "due_on",
    "over_capacity_reason",
    *CLASSIFICATION_FIELDS,
)
DELIVERY_FIELDS = ("delivered_on", "quantity", "note")


def _pick(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: data[name] for name in fields if name in data}


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- demand ----------------------------------------------------------------------------------------


EDITABLE = (DemandPlan.State.DRAFT, DemandPlan.State.RETURNED)


@transaction.atomic
def plan_create(*, actor: Any, data: Mapping[str, Any]) -> DemandPlan:
    plan = DemandPlan(**_pick(data, PLAN_FIELDS))
    if plan.unit_id:
        require(actor, "supply.add_demandplan", plan.unit)
    if plan.unit_id and plan.year and DemandPlan.objects.filter(unit=plan.unit, year=plan.year).exists():
        raise ValidationError({"year": _("The unit already has a demand plan for %(year)s.") % {"year": plan.year}})
    return object_create(actor=actor, instance=plan)


@transaction.atomic
def plan_update(*, actor: Any, instance: DemandPlan, data: Mapping[str, Any]) -> DemandPlan:
    _editable(instance)
    plan, _changed = object_update(
        actor=actor,
        instance=instance,
        data=_pick(data, ("note", *CLASSIFICATION_FIELDS)),
        fields=("note", *CLASSIFICATION_FIELDS),
    )
    return plan


@transaction.atomic
def plan_delete(*, actor: Any, instance: DemandPlan) -> None:
    if instance.state != DemandPlan.State.DRAFT:
        raise ValidationError(_("Only a draft plan can be deleted."))
    if DemandLine.objects.filter(plan=instance, orders__isnull=False).exists():
        raise ValidationError(_("Orders were placed for lines of this plan."))
    object_delete(actor=actor, instance=instance)


def _editable(plan: DemandPlan) -> None:
    if plan.state not in EDITABLE:
        raise ValidationError(
            _("The plan is %(state)s: its lines change only after it is returned.")
            % {"state": plan.get_state_display()}
        )


def _line_defaults(line: DemandLine) -> None:
    product = line.product if line.product_id else None
    if product is not None:
        line.product_class = line.product_class or product.product_class
        if line.product_group_id is None and product.group_id:
            line.product_group_id = product.group_id
        if line.unit_value is None:
            line.unit_value = product.price
    line.tier = FORCE_TIERS.get(line.force_type, 4)


def _check_product(actor: Any, line: DemandLine) -> None:
    if line.product_id and actor is not None and not has_perm(actor, "catalogue.view_product", line.product):
        raise ValidationError({"product": _("No such product, or you may not see it.")})


@transaction.atomic
def line_create(*, actor: Any, plan: DemandPlan, data: Mapping[str, Any]) -> DemandLine:
    require(actor, "supply.change_demandplan", plan)
    _editable(plan)
    fields = _pick(data, LINE_FIELDS)
    if fields.get("number") in (None, ""):
        fields["number"] = (plan.lines.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    line = DemandLine(plan=plan, **fields)
    if plan.lines.filter(number=line.number).exists():
        raise ValidationError({"number": _("The plan already has a line %(n)s.") % {"n": line.number}})
    _line_defaults(line)
    _check_product(actor, line)
    return object_create(actor=actor, instance=line, perm="supply.change_demandplan")


@transaction.atomic
def line_update(*, actor: Any, instance: DemandLine, data: Mapping[str, Any]) -> DemandLine:
    require(actor, "supply.change_demandplan", instance.plan)
    _editable(instance.plan)
    fields = _pick(data, LINE_FIELDS)
    if "number" in fields and instance.plan.lines.filter(number=fields["number"]).exclude(pk=instance.pk).exists():
        raise ValidationError({"number": _("The plan already has a line %(n)s.") % {"n": fields["number"]}})
    if "force_type" in fields:
        fields["tier"] = FORCE_TIERS.get(fields["force_type"], 4)
    line, _changed = object_update(
        actor=actor, instance=instance, data=fields, fields=(*LINE_FIELDS, "tier"), perm="supply.change_demandplan"
    )
    _check_product(actor, line)
    return line


@transaction.atomic
def line_delete(*, actor: Any, instance: DemandLine) -> None:
    require(actor, "supply.change_demandplan", instance.plan)
    _editable(instance.plan)
    object_delete(actor=actor, instance=instance, perm="supply.change_demandplan")


def _has_lines(actor: Any, plan: DemandPlan) -> str | None:
    return None if plan.lines.exists() else _("A plan without lines cannot be submitted.")


PLAN_WORKFLOW = Workflow(
    state_field="state",
    event_model=PlanEvent,
    event_fk="plan",
    transitions=[
        Transition(
            "submit",
            gettext_lazy("Submit"),
            EDITABLE,
            DemandPlan.State.SUBMITTED,
            "supply.change_demandplan",
            guards=(_has_lines,),
        ),
        Transition(
            "return",
            gettext_lazy("Return for changes"),
            (DemandPlan.State.SUBMITTED,),
            DemandPlan.State.RETURNED,
            "supply.consolidate_demandplan",
            requires_comment=True,
        ),
        Transition(
            "consolidate",
            gettext_lazy("Consolidate"),
            (DemandPlan.State.SUBMITTED,),
            DemandPlan.State.CONSOLIDATED,
            "supply.consolidate_demandplan",
        ),
    ],
)


@transaction.atomic
def plan_transition(*, actor: Any, plan: DemandPlan, action: str, comment: str = "") -> DemandPlan:
    return PLAN_WORKFLOW.apply(actor=actor, instance=plan, name=action, comment=comment)


# --- capacity and imports ------------------------------------------------------------------------------


@transaction.atomic
def capacity_set(*, actor: Any, enterprise: Any, product_group: Any, year: int, units: int) -> Capacity:
    """An enterprise's capacity for a product group in a year (created, or changed in place)."""
    require(actor, "supply.change_capacity", enterprise)
    if units is None or int(units) < 0:
        raise ValidationError({"units": _("Ensure this value is greater than or equal to 0.")})
    current = Capacity.objects.filter(enterprise=enterprise, product_group=product_group, year=year).first()
    if current is None:
        return object_create(
            actor=actor,
            instance=Capacity(enterprise=enterprise, product_group=product_group, year=year, units=int(units)),
            perm="supply.change_capacity",
        )
    capacity, _changed = object_update(
        actor=actor, instance=current, data={"units": int(units)}, fields=("units",), perm="supply.change_capacity"
    )
    return capacity


@transaction.atomic
def import_create(*, actor: Any, data: Mapping[str, Any]) -> ImportPurchase:
    purchase = ImportPurchase(**_pick(data, IMPORT_FIELDS))
    if purchase.unit_id:
        require(actor, "supply.add_importpurchase", purchase.unit)
    product = purchase.product if purchase.product_id else None
    if product is not None and not purchase.product_class:
        purchase.product_class = product.product_class
    return object_create(actor=actor, instance=purchase)


@transaction.atomic
def import_update(*, actor: Any, instance: ImportPurchase, data: Mapping[str, Any]) -> ImportPurchase:
    purchase, _changed = object_update(
        actor=actor, instance=instance, data=_pick(data, IMPORT_FIELDS), fields=IMPORT_FIELDS
    )
    return purchase


@transaction.atomic
def import_delete(*, actor: Any, instance: ImportPurchase) -> None:
    object_delete(actor=actor, instance=instance)


# --- orders, deliveries, feedback ------------------------------------------------------------------------


def capacity_check(order: ProductionOrder) -> tuple[int, int] | None:
    """``(booked including this order, capacity)`` when the order takes the enterprise beyond its capacity
    for the product's group that year (no capacity recorded counts as none), else ``None``."""
    group_id = order.product.group_id
    if group_id is None:
        return None
    capacity = Capacity.objects.filter(enterprise=order.enterprise, product_group_id=group_id, year=order.year).first()
    total = booked(order.enterprise, group_id, order.year, exclude=order.pk) + order.quantity
    limit = capacity.units if capacity else 0
    return (total, limit) if total > limit else None


@transaction.atomic
def order_create(
    *, actor: Any, data: Mapping[str, Any], allocation_run: AllocationRun | None = None
) -> ProductionOrder:
    """Place an order for a customer unit (from an optimiser's proposal when ``allocation_run`` is given).
    Beyond the enterprise's capacity it is refused with a warning unless a reason to proceed is given (kept on
    the order)."""
    order = ProductionOrder(**_pick(data, ORDER_FIELDS), allocation_run=allocation_run)
    if order.customer_id:
        require(actor, "supply.add_productionorder", order.customer)
    if order.product_id and actor is not None and not has_perm(actor, "catalogue.view_product", order.product):
        raise ValidationError({"product": _("No such product, or you may not see it.")})
    line = order.demand_line if order.demand_line_id else None
    if line is not None:
        if line.plan.state != DemandPlan.State.CONSOLIDATED:
            raise ValidationError({"demand_line": _("Orders are placed against consolidated demand.")})
        if line.plan.unit_id != order.customer_id:
            raise ValidationError({"demand_line": _("The demand line is another unit's.")})
        ordered = int(
            line.orders.exclude(status=ProductionOrder.Status.CANCELLED).aggregate(n=Sum("quantity"))["n"] or 0
        )
        if ordered + (order.quantity or 0) > line.quantity:
            raise ValidationError(
                {
                    "quantity": _("The line asks for %(need)s; %(ordered)s are already ordered.")
                    % {"need": line.quantity, "ordered": ordered}
                }
            )
    if order.product_id and order.enterprise_id and order.year and order.quantity:
        beyond = capacity_check(order)
        if beyond is not None and not order.over_capacity_reason.strip():
            raise ValidationError(
                {
                    "over_capacity_reason": _(
                        "This order takes %(enterprise)s to %(total)s units of the product group in %(year)s, beyond "
                        "its capacity of %(capacity)s. Give a reason to proceed."
                    )
                    % {
                        "enterprise": order.enterprise.name,
                        "total": beyond[0],
                        "year": order.year,
                        "capacity": beyond[1],
                    }
                }
            )
    return object_create(actor=actor, instance=order)


@transaction.atomic
def order_cancel(*, actor: Any, instance: ProductionOrder, reason: str) -> ProductionOrder:
    require(actor, "supply.change_productionorder", instance.customer)
    if instance.deliveries.exists():
        raise ValidationError(_("Units of this order were delivered: it cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: a comment is required for this action.")})
    order, _changed = object_update(
        actor=actor,
        instance=instance,
        data={"status": ProductionOrder.Status.CANCELLED},
        fields=("status",),
        perm="supply.change_productionorder",
    )
    return order


def delivered(order: ProductionOrder) -> int:
    return int(order.deliveries.aggregate(n=Sum("quantity"))["n"] or 0)


@transaction.atomic
def delivery_create(*, actor: Any, order: ProductionOrder, data: Mapping[str, Any]) -> Delivery:
    """The enterprise records units handed over; never more than the order has left."""
    order = ProductionOrder.objects.select_for_update().get(pk=order.pk)
    require(actor, "supply.add_delivery", order.enterprise)
    if order.status == ProductionOrder.Status.CANCELLED:
        raise ValidationError(_("The order is cancelled."))
    delivery = Delivery(order=order, **_pick(data, DELIVERY_FIELDS))
    _not_future(delivery.delivered_on, "delivered_on")
    if delivery.delivered_on and delivery.delivered_on < order.ordered_on:
        raise ValidationError({"delivered_on": _("A delivery cannot precede its order.")})
    left = order.quantity - delivered(order)
    if delivery.quantity and delivery.quantity > left:
        raise ValidationError(
            {
                "quantity": _("The order has %(left)s units left to deliver, not %(n)s.")
                % {"left": left, "n": delivery.quantity}
            }
        )
    delivery = object_create(actor=actor, instance=delivery, perm="supply.add_delivery")
    status = (
        ProductionOrder.Status.DELIVERED if delivered(order) == order.quantity else ProductionOrder.Status.IN_PRODUCTION
    )
    ProductionOrder.objects.filter(pk=order.pk).update(status=status)
    return delivery


@transaction.atomic
def delivery_accept(*, actor: Any, delivery: Delivery, accepted_on: dt.date, acceptance_number: str) -> Delivery:
    """The customer accepts a delivery (nghiệm thu): from then on it counts in the domestic share."""
    delivery = Delivery.objects.select_for_update().select_related("order").get(pk=delivery.pk)
    require(actor, "supply.accept_delivery", delivery.order.customer)
    if delivery.accepted_on is not None:
        raise ValidationError(_("The delivery is already accepted."))
    if not acceptance_number.strip():
        raise ValidationError({"acceptance_number": _("Give the number of the acceptance record.")})
    _not_future(accepted_on, "accepted_on")
    if accepted_on < delivery.delivered_on:
        raise ValidationError({"accepted_on": _("A delivery is accepted after it is delivered.")})
    updated, _changed = object_update(
        actor=actor,
        instance=delivery,
        data={"accepted_on": accepted_on, "acceptance_number": acceptance_number.strip()},
        fields=("accepted_on", "acceptance_number"),
        perm="supply.accept_delivery",
    )
    return updated


@transaction.atomic
def feedback_create(*, actor: Any, delivery: Delivery, data: Mapping[str, Any]) -> Feedback:
    delivery = Delivery.objects.select_related("order").get(pk=delivery.pk)
    require(actor, "supply.add_feedback", delivery.order.customer)
    if delivery.accepted_on is None:
        raise ValidationError(_("Quality feedback follows the acceptance of the delivery."))
    feedback = Feedback(
        delivery=delivery,
        actor=actor if getattr(actor, "pk", None) else None,
        **_pick(data, ("given_on", "rating", "comment")),
    )
    _not_future(feedback.given_on, "given_on")
    return object_create(actor=actor, instance=feedback)


# --- the allocation optimiser --------------------------------------------------------------------------


@transaction.atomic
def allocation_start(*, actor: Any, year: int, budget: Decimal | None = None) -> AllocationRun:
    """Queue a run of the optimiser over the year's consolidated demand (a job with progress)."""
    require(actor, "supply.add_allocationrun")
    if budget is not None and Decimal(budget) < 0:
        raise ValidationError({"budget": _("Ensure this value is greater than or equal to 0.")})
    from .tasks import allocation_compute

    job = job_create(
        owner=actor,
        kind="allocation",
        title=_("Allocate the demand of %(year)s to the enterprises") % {"year": year},
        params={"language": get_language()},
    )
    run = object_create(
        actor=actor, instance=AllocationRun(year=year, budget=budget, job=job), perm="supply.add_allocationrun"
    )
    transaction.on_commit(lambda: allocation_compute.enqueue(str(run.pk)))
    return run


def allocation_compute(*, run: AllocationRun, user: Any, progress: Any = None) -> AllocationRun:
    """Solve the run's problem and the greedy baseline and store the proposal with its explanations
    (derived figures of the run, written without an audit row of their own)."""
    from . import allocation, selectors

    say = progress or (lambda pct, message: None)
    say(10, _("Reading the demand, the matching products and the capacities"))
    data = selectors.allocation_input(user=user, year=run.year, budget=run.budget)
    say(
        30,
        _("Solving: %(lines)s lines, %(offers)s offers")
        % {"lines": len(data.problem.lines), "offers": len(data.problem.offers)},
    )
    best = allocation.solve(data.problem)
    say(85, _("Comparing with the greedy baseline"))
    base = allocation.greedy(data.problem)
    greedy_units = {(o.line, o.enterprise): n for o, n in zip(data.problem.offers, base.units, strict=True)}
    proposal = [
        {
            "line": o.line,
            "enterprise": o.enterprise,
            "product": data.products[(o.line, o.enterprise)].pk,
            "unit_price": o.unit_price,
            "units": n,
            "greedy_units": greedy_units[(o.line, o.enterprise)],
        }
        for o, n in zip(data.problem.offers, best.units, strict=True)
        if n or greedy_units[(o.line, o.enterprise)]
    ]
    reasons = [
        {
            "line": r.line,
            "code": r.code,
            "supplied": r.supplied,
            "quantity": r.quantity,
            "saturated": list(r.saturated),
            "cheaper_full": list(r.cheaper_full),
        }
        for r in allocation.explain(best)
    ]
    AllocationRun.objects.filter(pk=run.pk).update(
        state=AllocationRun.State.PROPOSED if best.optimal else AllocationRun.State.FAILED,
        optimal=best.optimal,
        seconds=best.seconds,
        share=best.share,
        weighted_share=best.weighted_share,
        greedy_share=base.share,
        greedy_weighted_share=base.weighted_share,
        spend=Decimal(round(best.spend)),
        proposal=proposal,
        reasons=reasons,
        skipped=[{"line": pk, "code": code} for pk, code in data.skipped],
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def allocation_accept(
    *,
    actor: Any,
    run: AllocationRun,
    rows: list[Mapping[str, Any]],
    ordered_on: dt.date,
    due_on: dt.date,
    mode: str,
    price_basis: str,
    funding: str,
    number_prefix: str,
    reasons: Mapping[int, str] | None = None,
) -> list[ProductionOrder]:
    """Turn a proposal, as the officer adjusted it (``rows``: line, enterprise, product, units), into
    orders: one per row with units, for the line's unit, each through ``order_create`` (an order beyond
    capacity needs its reason in ``reasons`` by row index). All or nothing."""
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    require(actor, "supply.change_allocationrun")
    if run.state != AllocationRun.State.PROPOSED:
        raise ValidationError(
            _("Only a proposal can be turned into orders (this run is %(state)s).") % {"state": run.get_state_display()}
        )
    allowed = {(p["line"], p["enterprise"], p["product"]) for p in run.proposal}
    orders: list[ProductionOrder] = []
    for k, row in enumerate(rows):
        units = int(row.get("units") or 0)
        if units <= 0:
            continue
        key = (int(row["line"]), int(row["enterprise"]), int(row["product"]))
        if key not in allowed:
            raise ValidationError(_("Row %(n)s is not an offer of this proposal.") % {"n": k + 1})
        line = DemandLine.objects.select_related("plan").get(pk=key[0])
        product = Product.objects.get(pk=key[2])
        orders.append(
            order_create(
                actor=actor,
                data={
                    "number": f"{number_prefix}-{len(orders) + 1:04d}",
                    "mode": mode,
                    "customer": line.plan.unit,
                    "enterprise": product.organization,
                    "product": product,
                    "demand_line": line,
                    "year": run.year,
                    "quantity": units,
                    "unit_price": product.price.quantize(Decimal(1), rounding=ROUND_HALF_UP),
                    "price_basis": price_basis,
                    "funding": funding,
                    "ordered_on": ordered_on,
                    "due_on": due_on,
                    "over_capacity_reason": (reasons or {}).get(k, ""),
                },
                allocation_run=run,
            )
        )
    if not orders:
        raise ValidationError(_("The proposal has no units to order."))
    object_update(
        actor=actor,
        instance=run,
        data={"state": AllocationRun.State.ACCEPTED},
        fields=("state",),
        perm="supply.change_allocationrun",
    )
    return orders
