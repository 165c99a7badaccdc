"""Supply services: a unit's demand and its submission, capacity and orders beyond it, deliveries never
larger than their order, acceptance, feedback, imports, and the domestic share (value and count, each
delivery once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

import pytest

from cnan.catalogue import services as catalogue
from cnan.core.testing import database_state
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import selectors, services
from cnan.supply.models import DemandPlan, ForceType, ProductionOrder

APPS = ("supply", "core")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(call, *, field=None, match=None):
    before = database_state(APPS)
    with pytest.raises(ValidationError) as exc:
        call()
    if field is not None:
        assert field in exc.value.message_dict, exc.value
    if match is not None:
        assert match in " ".join(exc.value.messages), exc.value.messages
    assert database_state(APPS) == before
    return exc.value


@pytest.fixture
def scene(world, make_user):
    unit = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "K02", "name": "Bộ Tư lệnh Cảnh sát cơ động", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    group = ProductGroup.objects.order_by("pk").first()
    vest = catalogue.product_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "AGC-01",
            "name": "Áo giáp chống đạn",
            "product_class": "support_tool",
            "group": group,
            "price": Decimal("12000000"),
        },
    )
    people = {
        "officer": make_user("department_officer", world.h08, clearance=1),
        "uo": make_user("unit_officer", unit),
        "ent_a": make_user("enterprise_officer", world.ent_a),
        "ent_b": make_user("enterprise_officer", world.ent_b),
    }
    return type("Scene", (), {"unit": unit, "group": group, "vest": vest, "world": world, **people})


def line_data(scene, **extra):
    """A need by class and group (an operational unit does not see the enterprises' product records)."""
    return {
        "product_class": "support_tool",
        "product_group": scene.group,
        "unit_value": Decimal("12000000"),
        "specification": "Áo giáp chống đạn cấp bảo vệ III theo TCVN",
        "quantity": 100,
        "needed_by": dt.date(2026, 6, 30),
        "force_type": ForceType.RAPID_RESPONSE,
        **extra,
    }


@pytest.fixture
def consolidated(scene):
    plan = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2026})
    line = services.line_create(actor=scene.uo, plan=plan, data=line_data(scene))
    services.plan_transition(actor=scene.uo, plan=plan, action="submit")
    services.plan_transition(actor=scene.officer, plan=plan, action="consolidate")
    line.refresh_from_db()
    return line


def order_data(scene, line=None, **extra):
    return {
        "number": "ĐH-2026-001",
        "mode": "ordering",
        "customer": scene.unit,
        "enterprise": scene.world.ent_a,
        "product": scene.vest,
        "demand_line": line,
        "year": 2026,
        "quantity": 40,
        "unit_price": Decimal("11500000"),
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": dt.date(2026, 1, 15),
        "due_on": dt.date(2026, 6, 30),
        **extra,
    }


def test_a_unit_declares_its_demand_and_the_department_consolidates_it(scene):
    plan = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2026})
    refused(lambda: services.plan_transition(actor=scene.uo, plan=plan, action="submit"), match="without lines")
    line = services.line_create(actor=scene.uo, plan=plan, data=line_data(scene))
    assert (line.number, line.tier, line.unit_value, line.product_group) == (1, 1, Decimal("12000000"), scene.group)
    plan = services.plan_transition(actor=scene.uo, plan=plan, action="submit")
    refused(lambda: services.line_create(actor=scene.uo, plan=plan, data=line_data(scene)), match="returned")
    with pytest.raises(PermissionDenied):
        services.plan_transition(actor=scene.uo, plan=plan, action="consolidate")
    refused(lambda: services.plan_transition(actor=scene.officer, plan=plan, action="return"), field="comment")
    plan = services.plan_transition(actor=scene.officer, plan=plan, action="return", comment="Thiếu quy cách")
    services.line_update(actor=scene.uo, instance=line, data={"quantity": 120})
    plan = services.plan_transition(actor=scene.uo, plan=plan, action="submit")
    plan = services.plan_transition(actor=scene.officer, plan=plan, action="consolidate")
    assert plan.state == DemandPlan.State.CONSOLIDATED
    assert list(plan.events.values_list("transition", flat=True)) == ["submit", "return", "submit", "consolidate"]


def test_bad_demand_is_refused(scene):
    plan = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2026})
    refused(
        lambda: services.line_create(actor=scene.uo, plan=plan, data=line_data(scene, quantity=0)), field="quantity"
    )
    refused(
        lambda: services.line_create(actor=scene.uo, plan=plan, data=line_data(scene, product_class="unknown")),
        field="product_class",
    )
    refused(
        lambda: services.line_create(
            actor=scene.officer, plan=plan, data=line_data(scene, product=scene.vest, product_class="weapon")
        ),
        field="product_class",
    )
    refused(
        lambda: services.line_create(actor=scene.uo, plan=plan, data=line_data(scene, product=scene.vest)),
        field="product",
    )
    refused(lambda: services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2026}), field="year")
    with pytest.raises(PermissionDenied):  # another unit's demand
        services.plan_create(actor=scene.ent_a, data={"unit": scene.unit, "year": 2027})


def test_an_order_beyond_capacity_needs_a_reason(scene, consolidated):
    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=50
    )
    first = services.order_create(actor=scene.officer, data=order_data(scene, consolidated))
    assert first.status == ProductionOrder.Status.PLACED
    error = refused(
        lambda: services.order_create(actor=scene.officer, data=order_data(scene, consolidated, number="ĐH-2")),
        field="over_capacity_reason",
    )
    assert "80 units" in error.messages[0] and "capacity of 50" in error.messages[0]
    second = services.order_create(
        actor=scene.officer,
        data=order_data(scene, consolidated, number="ĐH-2", over_capacity_reason="Nhiệm vụ đột xuất, làm thêm ca"),
    )
    assert second.over_capacity_reason
    # never more than the line asks for
    refused(
        lambda: services.order_create(
            actor=scene.officer, data=order_data(scene, consolidated, number="ĐH-3", over_capacity_reason="x")
        ),
        field="quantity",
    )
    with pytest.raises(PermissionDenied):  # an enterprise does not order for a unit
        services.order_create(actor=scene.ent_a, data=order_data(scene, None, number="ĐH-4"))


def test_deliveries_never_exceed_the_order_and_count_once_accepted(scene, consolidated):
    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=100
    )
    order = services.order_create(actor=scene.officer, data=order_data(scene, consolidated))
    with pytest.raises(PermissionDenied):  # not the enterprise's order
        services.delivery_create(
            actor=scene.ent_b, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 5}
        )
    first = services.delivery_create(
        actor=scene.ent_a, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 30}
    )
    refused(
        lambda: services.delivery_create(
            actor=scene.ent_a, order=order, data={"delivered_on": dt.date(2026, 4, 1), "quantity": 11}
        ),
        field="quantity",
        match="10 units left",
    )
    refused(
        lambda: services.delivery_create(
            actor=scene.ent_a, order=order, data={"delivered_on": dt.date(2026, 1, 1), "quantity": 1}
        ),
        field="delivered_on",
    )
    second = services.delivery_create(
        actor=scene.ent_a, order=order, data={"delivered_on": dt.date(2026, 4, 1), "quantity": 10}
    )
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.DELIVERED
    refused(lambda: services.order_cancel(actor=scene.uo, instance=order, reason="x"), match="delivered")

    # nothing counts until accepted
    assert selectors.self_reliance(user=scene.officer) == []
    refused(
        lambda: services.delivery_accept(
            actor=scene.uo, delivery=first, accepted_on=dt.date(2026, 3, 5), acceptance_number=""
        ),
        field="acceptance_number",
    )
    with pytest.raises(PermissionDenied):  # the enterprise does not accept its own delivery
        services.delivery_accept(
            actor=scene.ent_a, delivery=first, accepted_on=dt.date(2026, 3, 5), acceptance_number="NT-01"
        )
    services.delivery_accept(actor=scene.uo, delivery=first, accepted_on=dt.date(2026, 3, 5), acceptance_number="NT-01")
    refused(
        lambda: services.delivery_accept(
            actor=scene.uo, delivery=first, accepted_on=dt.date(2026, 3, 6), acceptance_number="NT-01b"
        ),
        match="already accepted",
    )
    refused(lambda: services.feedback_create(actor=scene.uo, delivery=second, data={"rating": 4}), match="acceptance")
    refused(lambda: services.feedback_create(actor=scene.uo, delivery=first, data={"rating": 2}), field="comment")
    services.feedback_create(actor=scene.uo, delivery=first, data={"rating": 5, "comment": "Đạt yêu cầu"})

    services.import_create(
        actor=scene.uo,
        data={
            "unit": scene.unit,
            "year": 2026,
            "product_class": "support_tool",
            "description": "Áo giáp nhập khẩu",
            "country": "IL",
            "quantity": 20,
            "value": Decimal("1000000000"),
        },
    )
    (row,) = selectors.self_reliance(user=scene.officer, by="product_class")
    assert row.key == "support_tool"
    assert (row.domestic_count, row.domestic_value) == (30, Decimal("345000000"))
    assert row.share_count == pytest.approx(30 / 50)
    assert row.share_value == pytest.approx(345_000_000 / 1_345_000_000)
    (by_year,) = selectors.self_reliance(user=scene.officer, by="year")
    assert by_year.key == 2026 and by_year.domestic_count == 30
    # another unit's officer sees none of it
    assert selectors.self_reliance(user=scene.ent_b) == []


def test_an_import_comes_from_abroad(scene):
    refused(
        lambda: services.import_create(
            actor=scene.uo,
            data={
                "unit": scene.unit,
                "year": 2026,
                "product_class": "support_tool",
                "description": "X",
                "country": "VN",
                "quantity": 1,
                "value": 1,
            },
        ),
        field="country",
    )


def test_the_delivered_localisation_rate_is_weighted_by_value(scene, consolidated):
    from cnan.catalogue.models import ProductRollup

    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=100
    )
    order = services.order_create(actor=scene.officer, data=order_data(scene, consolidated))
    delivery = services.delivery_create(
        actor=scene.ent_a, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 10}
    )
    services.delivery_accept(actor=scene.uo, delivery=delivery, accepted_on=dt.date(2026, 3, 2), acceptance_number="NT")
    ProductRollup.objects.filter(product=scene.vest).update(localisation_rate=Decimal("62.50"))
    assert selectors.delivered_localisation_rate(user=scene.officer) == pytest.approx(62.5)
    assert selectors.delivered_localisation_rate(user=scene.officer, year=2025) is None


def test_demand_is_matched_against_certified_domestic_products_and_capacity(scene, consolidated):
    """The vest (ENT-A, serial production) supplies the line; a product in research does not; capacity
    left decides domestic or partial; a class nobody makes is imports-only or none."""
    catalogue.product_create(
        actor=None,
        data={
            "organization": scene.world.ent_b,
            "code": "AGC-02",
            "name": "Áo giáp thế hệ mới",
            "product_class": "support_tool",
            "group": scene.group,
            "lifecycle": "research",
        },
    )
    (match,) = selectors.match_lines(user=scene.officer, lines=[consolidated])
    assert [c.product.code for c in match.candidates] == ["AGC-01"]
    assert match.candidates[0].capacity is None and match.status == "partial"  # no capacity recorded
    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=150
    )
    (match,) = selectors.match_lines(user=scene.officer, lines=[consolidated])
    assert match.candidates[0].left == 150 and match.status == "domestic"
    services.order_create(actor=scene.officer, data=order_data(scene, None, quantity=100))
    (match,) = selectors.match_lines(user=scene.officer, lines=[consolidated])
    assert match.candidates[0].left == 50 and match.status == "partial"

    plan = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2027})
    drone = services.line_create(
        actor=scene.uo, plan=plan, data=line_data(scene, product_class="patrol_craft", product_group=None)
    )
    (match,) = selectors.match_lines(user=scene.officer, lines=[drone])
    assert match.candidates == [] and match.status == "none"
    services.import_create(
        actor=scene.uo,
        data={
            "unit": scene.unit,
            "year": 2025,
            "product_class": "patrol_craft",
            "description": "Xuồng tuần tra",
            "country": "KR",
            "quantity": 2,
            "value": Decimal("9000000000"),
        },
    )
    (match,) = selectors.match_lines(user=scene.officer, lines=[drone])
    assert match.status == "imports"


def test_demand_by_class_is_matched_on_the_item_its_specification_names(scene, consolidated):
    """Products of the right class and group but another item do not answer the line; the item matches
    whichever of the specification and the product's name says more, without diacritics or case."""
    from cnan.supply.selectors import item_term, specification_matches

    for code, name, name_en in [
        ("BXC-01", "Bình xịt hơi cay", "Pepper spray"),
        ("AGC-05", "Bộ áo giáp chống đạn mềm", ""),
        ("MCD-01", "Mũ chống đạn", "Ballistic helmet"),
    ]:
        catalogue.product_create(
            actor=None,
            data={
                "organization": scene.world.ent_b,
                "code": code,
                "name": name,
                "name_en": name_en,
                "product_class": "support_tool",
                "group": scene.group,
                "price": Decimal("1000000"),
            },
        )
    (match,) = selectors.match_lines(user=scene.officer, lines=[consolidated])  # "Áo giáp chống đạn cấp …"
    assert sorted(c.product.code for c in match.candidates) == ["AGC-01", "AGC-05"]
    assert item_term("Áo giáp chống đạn, cấp III") == "ao giap" and item_term("  ") == ""
    helmet = type("P", (), {"name": "Mũ chống đạn", "name_en": "Ballistic helmet"})
    assert specification_matches("MŨ CHỐNG ĐẠN cấp II", helmet)
    assert specification_matches("Ballistic helmet, level II", helmet)  # the English name
    assert specification_matches("Trang bị mũ chống đạn cho tổ cơ động", helmet)  # the product's item inside
    assert not specification_matches("Mũ bảo hiểm", helmet)
    assert not specification_matches("Khiên chống đạn", helmet)
    assert not specification_matches("", helmet)


def test_the_optimiser_proposes_and_the_officer_turns_the_proposal_into_orders(
    scene, consolidated, django_capture_on_commit_callbacks
):
    from cnan.core.models import Job
    from cnan.supply.models import AllocationRun

    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=60
    )
    catalogue.product_create(
        actor=None,
        data={
            "organization": scene.world.ent_b,
            "code": "AGC-03",
            "name": "Áo giáp B",
            "product_class": "support_tool",
            "group": scene.group,
            "price": Decimal("13000000"),
        },
    )
    services.capacity_set(
        actor=scene.ent_b, enterprise=scene.world.ent_b, product_group=scene.group, year=2026, units=30
    )
    with pytest.raises(PermissionDenied):
        services.allocation_start(actor=scene.uo, year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.allocation_start(actor=scene.officer, year=2026)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert run.state == AllocationRun.State.PROPOSED and run.optimal
    by_enterprise = {p["enterprise"]: p["units"] for p in run.proposal}
    # 100 asked: 60 from ENT-A (cheaper, at capacity) and 30 from ENT-B; 10 short
    assert by_enterprise == {scene.world.ent_a.pk: 60, scene.world.ent_b.pk: 30}
    (reason,) = run.reasons
    assert reason["code"] == "short_capacity" and reason["supplied"] == 90
    assert run.share == pytest.approx(0.9)

    rows = [{**p, "units": p["units"]} for p in run.proposal]
    rows[0]["units"] += 5  # the officer asks ENT-A for 5 more: beyond capacity, so a reason is needed
    common = {
        "ordered_on": dt.date(2026, 2, 1),
        "due_on": dt.date(2026, 8, 1),
        "mode": "ordering",
        "price_basis": "estimate",
        "funding": "ministry",
        "number_prefix": "PB-2026",
    }
    refused(
        lambda: services.allocation_accept(actor=scene.officer, run=run, rows=rows, **common),
        field="over_capacity_reason",
    )
    orders = services.allocation_accept(
        actor=scene.officer, run=run, rows=rows, reasons={0: "Tăng ca theo chỉ đạo"}, **common
    )
    assert sorted(o.quantity for o in orders) == [30, 65]
    assert {o.customer for o in orders} == {scene.unit} and all(o.demand_line == consolidated for o in orders)
    assert set(run.orders.all()) == set(orders)  # each order keeps the proposal it came from
    run.refresh_from_db()
    assert run.state == AllocationRun.State.ACCEPTED
    refused(lambda: services.allocation_accept(actor=scene.officer, run=run, rows=rows, **common), match="proposal")


def test_the_optimiser_offers_only_products_with_a_price_to_order_at(scene, consolidated):
    """A serial sub-assembly of the right class and group without a catalogue price (priced by its rollup)
    matches the demand but is never the enterprise's 'cheapest' offer at 0 đồng."""
    from cnan.supply import selectors

    catalogue.product_create(
        actor=None,
        data={
            "organization": scene.world.ent_a,
            "code": "AGC-TAM",
            "name": "Tấm chèn áo giáp (bán thành phẩm)",
            "product_class": "support_tool",
            "group": scene.group,
        },
    )
    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=60
    )
    (match,) = selectors.match_lines(user=scene.officer, lines=[consolidated])
    assert {c.product.code for c in match.candidates} == {"AGC-01", "AGC-TAM"}
    given = selectors.allocation_input(user=scene.officer, year=2026)
    assert [(o.enterprise, o.unit_price) for o in given.problem.offers] == [(scene.world.ent_a.pk, 12_000_000.0)]
    assert given.products[(consolidated.pk, scene.world.ent_a.pk)].code == "AGC-01"


def test_search_finds_orders_and_imported_purchases_on_their_side_only(scene, consolidated, client):
    from django.urls import reverse

    services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=100
    )
    services.order_create(actor=scene.officer, data=order_data(scene, consolidated, number="ĐH-TÌM-01"))
    services.import_create(
        actor=scene.uo,
        data={
            "unit": scene.unit,
            "year": 2025,
            "product_class": "support_tool",
            "description": "Mũ chống đạn nhập khẩu",
            "country": "IL",
            "quantity": 10,
            "value": Decimal("50000000"),
        },
    )

    def hits(user, q):
        client.force_login(user)
        return client.get(reverse("core:search"), {"q": q}).content.decode()

    assert "ĐH-TÌM-01" in hits(scene.ent_a, "dh-tim")  # the enterprise's side, without diacritics
    assert "ĐH-TÌM-01" in hits(scene.uo, "DH TIM 01")  # the customer's side
    assert "ĐH-TÌM-01" not in hits(scene.ent_b, "dh-tim")  # neither side
    assert "Mũ chống đạn nhập khẩu" in hits(scene.uo, "mu chong dan")
    assert "Mũ chống đạn nhập khẩu" not in hits(scene.ent_b, "mu chong dan")
