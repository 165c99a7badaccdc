"""The demo supply: built by `manage.py cnan demo` through the services, with twenty units' demand in every
state, capacities, orders in the four modes (some beyond capacity, one cancelled), deliveries accepted or
pending, feedback, the imported baseline (the domestic share rises every year) and a proposed allocation."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db.models import Sum
from django.utils import translation

import pytest

from cnan.accounts.models import User
from cnan.core.models import ObjectChange
from cnan.organizations.models import Organization
from cnan.supply import selectors, services
from cnan.supply.models import (
    AllocationRun,
    Capacity,
    Delivery,
    DemandLine,
    DemandPlan,
    Feedback,
    ImportPurchase,
    OrderMode,
    PlanEvent,
    ProductionOrder,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The demo world, built once for the module's tests and rolled back after them."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("cnan", "demo", stdout=output)
        try:
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def built(_built):
    return _built


def test_twenty_units_declare_their_demand_in_every_state(built):
    assert "… supply" in built and "demand plans of 20 units" in built
    units = Organization.objects.filter(kind=Organization.Kind.OPERATIONAL_UNIT)
    assert units.count() == 20
    assert set(DemandPlan.objects.values_list("unit__kind", flat=True)) == {Organization.Kind.OPERATIONAL_UNIT}
    plans_2026 = DemandPlan.objects.filter(year=2026)
    assert plans_2026.count() == 20
    assert set(plans_2026.values_list("state", flat=True)) == set(DemandPlan.State.values)
    assert DemandPlan.objects.filter(year=2025).count() >= 10
    assert set(DemandPlan.objects.filter(year=2025).values_list("state", flat=True)) == {"consolidated"}
    returned = PlanEvent.objects.filter(transition="return")
    assert returned.count() == plans_2026.filter(state="returned").count()
    assert all(e.comment and e.actor.username == "canbo.h08" for e in returned)
    lines = DemandLine.objects.all()
    assert lines.filter(product__isnull=False).exists() and lines.filter(product__isnull=True).exists()
    assert lines.filter(product_group__isnull=True).count() == 0
    assert {1, 2, 3} <= set(lines.values_list("tier", flat=True))
    assert lines.filter(force_type__in=["special_forces", "rapid_response"]).count() > lines.count() / 3
    assert all(any(c in line.specification for c in "ăâđêôơư") for line in lines[:20])  # written in Vietnamese
    # units with an officer declare by class and group, as the officer (not the system)
    pk02 = DemandPlan.objects.get(unit__code="CAHN-PK02", year=2026)
    assert pk02.state == "draft" and pk02.lines.exists()
    assert not pk02.lines.filter(product__isnull=False).exists()
    created = ObjectChange.objects.get(content_type__model="demandplan", object_id=str(pk02.pk), action="create")
    assert created.actor.username == "donvi.pk02hn"


def test_capacities_orders_deliveries_and_feedback(built):
    enterprises = set(ProductionOrder.objects.values_list("enterprise_id", flat=True))
    assert enterprises <= set(Capacity.objects.filter(year=2026).values_list("enterprise_id", flat=True))
    assert set(Capacity.objects.values_list("year", flat=True)) >= {2025, 2026}
    orders = ProductionOrder.objects.all()
    assert set(orders.values_list("mode", flat=True)) == set(OrderMode.values)
    assert all(o.price_basis == "bid" for o in orders.filter(mode=OrderMode.BIDDING))
    assert orders.filter(status=ProductionOrder.Status.CANCELLED).count() == 1
    assert not Delivery.objects.filter(order__status=ProductionOrder.Status.CANCELLED).exists()
    from_lines = orders.filter(demand_line__isnull=False)
    assert from_lines.exists()
    assert set(from_lines.values_list("demand_line__plan__state", flat=True)) == {"consolidated"}
    for line in DemandLine.objects.filter(orders__isnull=False).distinct():
        ordered = line.orders.exclude(status="cancelled").aggregate(n=Sum("quantity"))["n"] or 0
        assert ordered <= line.quantity
    beyond = orders.exclude(over_capacity_reason="")
    assert beyond.exists()
    for order in beyond.filter(year=2026):
        assert services.capacity_check(order) is not None, order  # really beyond the enterprise's capacity
    for order in orders.exclude(status="cancelled"):
        assert services.delivered(order) <= order.quantity
    assert Delivery.objects.filter(accepted_on__isnull=False).exclude(acceptance_number="").count() > 50
    assert Delivery.objects.filter(accepted_on__isnull=True).exists()  # awaiting acceptance
    assert orders.filter(status=ProductionOrder.Status.PLACED, year=2026).exists()
    assert orders.filter(status=ProductionOrder.Status.IN_PRODUCTION).exists()
    # the enterprise officers' enterprises have an order still to deliver
    for username in ("dn.songhan", "dn.thanglong"):
        org = User.objects.get(username=username).active_memberships()[0].organization
        waiting = orders.filter(enterprise=org, status__in=["placed", "in_production"])
        assert waiting.exists(), username
    feedback = Feedback.objects.all()
    assert feedback.count() >= 10 and feedback.filter(rating__lte=2).exists()
    assert all(f.delivery.accepted_on is not None for f in feedback)


def test_the_domestic_share_rises_from_2021_to_2026(built):
    officer = User.objects.get(username="canbo.h08")
    imports = ImportPurchase.objects.all()
    assert set(imports.values_list("year", flat=True)) == {2021, 2022, 2023, 2024, 2025, 2026}
    assert "VN" not in set(imports.values_list("country", flat=True))
    assert len(set(imports.values_list("product_class", flat=True))) >= 5
    rows = {r.key: r.share_value for r in selectors.self_reliance(user=officer, by="year")}
    shares = [rows[y] for y in range(2021, 2027)]
    assert all(a < b for a, b in zip(shares, shares[1:], strict=False)), shares
    assert 0.1 < shares[0] < shares[-1] < 0.9


def test_a_proposed_allocation_run_of_2026_awaits_acceptance(built):
    run = AllocationRun.objects.get()
    assert run.year == 2026 and run.state == AllocationRun.State.PROPOSED and run.optimal
    assert run.job is not None and run.job.is_finished
    assert sum(p["units"] for p in run.proposal) > 0
    products = {p["product"] for p in run.proposal}
    assert (
        not ProductionOrder.objects.filter(demand_line__pk__in=[p["line"] for p in run.proposal])
        .filter(number__startswith="AL-")
        .exists()
    )
    # every proposed product is a real end product with a price
    from cnan.catalogue.models import Product

    assert all(p.price > 0 for p in Product.objects.filter(pk__in=products))
    with translation.override("en"):
        assert run.get_state_display() == "Proposed"
