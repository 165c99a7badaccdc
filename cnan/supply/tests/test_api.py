"""The supply API (/api/v1/supply/): plans and lines with their workflow, capacity set in place, imported
purchases, orders refused beyond capacity without a reason, deliveries and their acceptance, feedback, the
optimiser's runs turned into orders, the matching and the domestic share; permissions (403 without the
permission anywhere, 404 for a record not visible) and refused writes that change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cnan.catalogue import services as catalogue
from cnan.core.models import ObjectChange
from cnan.core.testing import database_state
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import services
from cnan.supply.models import (
    AllocationRun,
    Capacity,
    DemandLine,
    DemandPlan,
    ForceType,
    ImportPurchase,
    ProductionOrder,
)

BASE = "/api/v1/supply"
STATE = ("supply", "core")


@pytest.fixture
def api(api_as):
    def make(user, language="en"):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
        return client

    return make


def ids(response) -> set[int]:
    payload = response.json()
    return {row["id"] for row in (payload["results"] if isinstance(payload, dict) else payload)}


@pytest.fixture
def scene(world, make_user):
    unit = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "K02", "name": "Bộ Tư lệnh Cảnh sát cơ động", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    unit_b = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "K03", "name": "Bộ Tư lệnh Cảnh vệ", "kind": Organization.Kind.OPERATIONAL_UNIT},
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
        "uo_b": make_user("unit_officer", unit_b),
        "member": make_user("member", unit),
        "ent_a": make_user("enterprise_officer", world.ent_a),
        "ent_b": make_user("enterprise_officer", world.ent_b),
    }
    return type("Scene", (), {"unit": unit, "unit_b": unit_b, "group": group, "vest": vest, "world": world, **people})


@pytest.fixture(autouse=True)
def _member_role(db):
    from cnan.accounts.models import Role

    Role.objects.get_or_create(code="member", defaults={"name": "Thành viên (không quyền)"})


def line_body(scene, plan, **extra):
    return {
        "plan": plan.pk,
        "product_class": "support_tool",
        "product_group": scene.group.pk,
        "unit_value": "12000000",
        "specification": "Áo giáp chống đạn cấp bảo vệ III theo TCVN",
        "quantity": 100,
        "needed_by": "2026-06-30",
        "force_type": ForceType.RAPID_RESPONSE,
        **extra,
    }


def order_body(scene, **extra):
    return {
        "number": "ĐH-2026-001",
        "mode": "ordering",
        "customer": scene.unit.pk,
        "enterprise": scene.world.ent_a.pk,
        "product": scene.vest.pk,
        "year": 2026,
        "quantity": 40,
        "unit_price": "11500000",
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": "2025-01-15",
        "due_on": "2025-06-30",
        **extra,
    }


@pytest.fixture
def plan(scene):
    return services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2026})


@pytest.fixture
def consolidated(scene, plan):
    line = services.line_create(
        actor=scene.uo,
        plan=plan,
        data={
            "product_class": "support_tool",
            "product_group": scene.group,
            "unit_value": Decimal("12000000"),
            "specification": "Áo giáp chống đạn cấp bảo vệ III",
            "quantity": 100,
            "needed_by": dt.date(2026, 6, 30),
            "force_type": ForceType.RAPID_RESPONSE,
        },
    )
    services.plan_transition(actor=scene.uo, plan=plan, action="submit")
    services.plan_transition(actor=scene.officer, plan=plan, action="consolidate")
    line.refresh_from_db()
    return line


@pytest.fixture
def capacity(scene):
    return services.capacity_set(
        actor=scene.ent_a, enterprise=scene.world.ent_a, product_group=scene.group, year=2026, units=100
    )


@pytest.fixture
def order(scene, consolidated, capacity):
    from cnan.supply.tests.test_services import order_data

    return services.order_create(actor=scene.officer, data=order_data(scene, consolidated))


def refused(client_call, status: int, *, field: str | None = None):
    before = database_state(STATE)
    changes = ObjectChange.objects.count()
    response = client_call()
    assert response.status_code == status, response.content
    if field is not None:
        assert field in response.json(), response.json()
    assert database_state(STATE) == before
    assert ObjectChange.objects.count() == changes
    return response


# --- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "plans/"),
        ("post", "plans/"),
        ("post", "plans/1/transitions/submit/"),
        ("get", "lines/"),
        ("get", "capacity/"),
        ("post", "capacity/"),
        ("get", "imports/"),
        ("get", "orders/"),
        ("post", "orders/1/cancel/"),
        ("get", "deliveries/"),
        ("post", "deliveries/1/accept/"),
        ("get", "feedback/"),
        ("get", "runs/"),
        ("post", "runs/"),
        ("get", "match/"),
        ("get", "self-reliance/"),
    ],
)
def test_anonymous_is_refused_and_a_member_without_permission_gets_403(scene, api, method, path):
    for user, status in ((None, 401), (scene.member, 403)):
        refused(lambda user=user: getattr(api(user), method)(f"{BASE}/{path}", {}, format="json"), status)


# --- demand ------------------------------------------------------------------------------------------


def test_a_unit_drafts_its_plan_and_lines_and_the_department_consolidates_it(scene, api):
    uo, officer = api(scene.uo), api(scene.officer)
    response = uo.post(f"{BASE}/plans/", {"unit": scene.unit.pk, "year": 2026, "note": "Nhu cầu 2026"}, format="json")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert (plan["state"], plan["unit_code"], plan["line_count"]) == ("draft", "K02", 0)
    # one plan per unit and year
    refused(lambda: uo.post(f"{BASE}/plans/", {"unit": scene.unit.pk, "year": 2026}, format="json"), 400, field="year")
    # submitting without lines is refused
    refused(lambda: uo.post(f"{BASE}/plans/{plan['id']}/transitions/submit/", {}, format="json"), 400)
    pk = DemandPlan.objects.get().pk
    response = uo.post(f"{BASE}/lines/", line_body(scene, DemandPlan.objects.get()), format="json")
    assert response.status_code == 201, response.content
    line = response.json()
    assert (line["number"], line["tier"], line["unit_code"]) == (1, 1, "K02")
    assert uo.get(f"{BASE}/plans/{pk}/").json()["line_count"] == 1
    # the unit cannot consolidate; the Department returns only with a comment
    refused(lambda: uo.post(f"{BASE}/plans/{pk}/transitions/consolidate/", {}, format="json"), 403)
    assert uo.post(f"{BASE}/plans/{pk}/transitions/submit/", {}, format="json").json()["state"] == "submitted"
    # a submitted plan's lines do not change
    refused(
        lambda: uo.patch(f"{BASE}/lines/{line['id']}/", {"quantity": 120}, format="json"), 400, field="non_field_errors"
    )
    refused(lambda: officer.post(f"{BASE}/plans/{pk}/transitions/return/", {}, format="json"), 400, field="comment")
    refused(lambda: officer.post(f"{BASE}/plans/{pk}/transitions/explode/", {}, format="json"), 400)
    returned = officer.post(f"{BASE}/plans/{pk}/transitions/return/", {"comment": "Thiếu quy cách"}, format="json")
    assert returned.json()["state"] == "returned"
    assert uo.patch(f"{BASE}/lines/{line['id']}/", {"quantity": 120}, format="json").json()["quantity"] == 120
    uo.post(f"{BASE}/plans/{pk}/transitions/submit/", {}, format="json")
    assert officer.post(f"{BASE}/plans/{pk}/transitions/consolidate/", {}, format="json").json()["state"] == (
        "consolidated"
    )
    events = uo.get(f"{BASE}/plans/{pk}/events/").json()
    assert [e["transition"] for e in events] == ["submit", "return", "submit", "consolidate"]
    assert events[1]["comment"] == "Thiếu quy cách"


def test_a_plan_of_another_unit_is_invisible_and_cannot_be_written(scene, api, plan):
    other = api(scene.uo_b)
    assert ids(other.get(f"{BASE}/plans/")) == set()
    refused(lambda: other.get(f"{BASE}/plans/{plan.pk}/"), 404)
    refused(lambda: other.patch(f"{BASE}/plans/{plan.pk}/", {"note": "x"}, format="json"), 404)
    refused(lambda: other.post(f"{BASE}/plans/{plan.pk}/transitions/submit/", {}, format="json"), 404)
    # a line on a plan it may not see, a plan for a unit where it holds nothing
    refused(lambda: other.post(f"{BASE}/lines/", line_body(scene, plan), format="json"), 400, field="plan")
    refused(
        lambda: other.post(f"{BASE}/plans/", {"unit": scene.unit.pk, "year": 2027}, format="json"), 400, field="unit"
    )
    # an enterprise officer may not draft demand anywhere
    refused(lambda: api(scene.ent_a).post(f"{BASE}/plans/", {"unit": scene.unit.pk, "year": 2027}, format="json"), 403)


def test_bad_lines_write_nothing_and_the_plan_and_unit_stay(scene, api, plan):
    uo = api(scene.uo)
    refused(lambda: uo.post(f"{BASE}/lines/", line_body(scene, plan, quantity=0), format="json"), 400, field="quantity")
    refused(
        lambda: uo.post(f"{BASE}/lines/", line_body(scene, plan, product_class="unknown"), format="json"),
        400,
        field="product_class",
    )
    refused(
        lambda: uo.post(f"{BASE}/lines/", line_body(scene, plan, needed_by="2030-01-01"), format="json"),
        400,
        field="needed_by",
    )
    other_plan = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2027})
    line = uo.post(f"{BASE}/lines/", line_body(scene, plan), format="json").json()
    line = DemandLine.objects.get(pk=line["id"])
    refused(lambda: uo.patch(f"{BASE}/lines/{line.pk}/", {"plan": other_plan.pk}, format="json"), 400, field="plan")
    refused(lambda: uo.patch(f"{BASE}/plans/{plan.pk}/", {"year": 2030}, format="json"), 400, field="year")
    # a plan with lines under orders, or not a draft, is not deleted; a draft is
    assert uo.delete(f"{BASE}/lines/{line.pk}/").status_code == 204
    assert uo.delete(f"{BASE}/plans/{other_plan.pk}/").status_code == 204
    assert not DemandPlan.objects.filter(pk=other_plan.pk).exists()


def test_line_filters_by_year_and_plan(scene, api, plan):
    later = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2027})
    a = api(scene.uo).post(f"{BASE}/lines/", line_body(scene, plan), format="json").json()
    b = api(scene.uo).post(f"{BASE}/lines/", line_body(scene, later, needed_by="2027-03-01"), format="json").json()
    assert ids(api(scene.uo).get(f"{BASE}/lines/?year=2027")) == {b["id"]}
    assert ids(api(scene.uo).get(f"{BASE}/lines/?plan={plan.pk}")) == {a["id"]}
    assert ids(api(scene.officer).get(f"{BASE}/lines/")) == {a["id"], b["id"]}


def test_capacity_is_set_in_place_by_its_enterprise_only(scene, api):
    ent = api(scene.ent_a)
    body = {"enterprise": scene.world.ent_a.pk, "product_group": scene.group.pk, "year": 2026, "units": 50}
    first = ent.post(f"{BASE}/capacity/", body, format="json")
    assert first.status_code == 201, first.content
    again = ent.post(f"{BASE}/capacity/", {**body, "units": 80}, format="json")
    assert again.status_code == 200 and again.json()["units"] == 80 and again.json()["id"] == first.json()["id"]
    assert Capacity.objects.get().units == 80
    refused(lambda: api(scene.ent_b).post(f"{BASE}/capacity/", body, format="json"), 400, field="enterprise")
    refused(lambda: ent.post(f"{BASE}/capacity/", {**body, "units": -1}, format="json"), 400, field="units")
    refused(lambda: api(scene.uo).post(f"{BASE}/capacity/", body, format="json"), 403)
    assert ids(api(scene.ent_b).get(f"{BASE}/capacity/")) == set()
    assert ids(ent.get(f"{BASE}/capacity/?year=2026")) == {first.json()["id"]}
    assert ids(ent.get(f"{BASE}/capacity/?year=2027")) == set()


def test_imported_purchases_crud_and_a_home_origin_is_refused(scene, api):
    uo = api(scene.uo)
    body = {
        "unit": scene.unit.pk,
        "year": 2025,
        "product_class": "support_tool",
        "description": "Áo giáp nhập khẩu",
        "country": "IL",
        "quantity": 20,
        "value": "300000000",
    }
    refused(lambda: uo.post(f"{BASE}/imports/", {**body, "country": "VN"}, format="json"), 400, field="country")
    refused(lambda: uo.post(f"{BASE}/imports/", {**body, "country": "XX"}, format="json"), 400, field="country")
    refused(lambda: api(scene.uo_b).post(f"{BASE}/imports/", body, format="json"), 400, field="unit")
    created = uo.post(f"{BASE}/imports/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["country"] == "IL"
    assert uo.patch(f"{BASE}/imports/{pk}/", {"quantity": 25}, format="json").json()["quantity"] == 25
    refused(lambda: api(scene.uo_b).get(f"{BASE}/imports/{pk}/"), 404)
    assert ids(uo.get(f"{BASE}/imports/?country=IL")) == {pk}
    assert uo.delete(f"{BASE}/imports/{pk}/").status_code == 204
    assert not ImportPurchase.objects.exists()


# --- orders, deliveries, feedback --------------------------------------------------------------------------


def test_an_order_beyond_capacity_is_refused_with_the_figures_unless_a_reason_is_given(scene, api, capacity):
    officer = api(scene.officer)
    response = refused(
        lambda: officer.post(f"{BASE}/orders/", order_body(scene, quantity=150), format="json"),
        400,
        field="over_capacity_reason",
    )
    message = response.json()["over_capacity_reason"][0]
    assert "150" in message and "100" in message
    created = officer.post(
        f"{BASE}/orders/", order_body(scene, quantity=150, over_capacity_reason="Nhiệm vụ cấp bách"), format="json"
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["status"], row["value"], row["enterprise_code"]) == ("placed", "1725000000", "ENT-A")
    # both sides see it, nobody else
    assert ids(api(scene.ent_a).get(f"{BASE}/orders/")) == {row["id"]}
    assert ids(api(scene.uo).get(f"{BASE}/orders/?status=placed")) == {row["id"]}
    refused(lambda: api(scene.ent_b).get(f"{BASE}/orders/{row['id']}/"), 404)


def test_vietnamese_messages(scene, api, capacity, plan):
    line = api(scene.uo).post(f"{BASE}/lines/", line_body(scene, plan), format="json").json()
    body = order_body(scene, demand_line=line["id"])
    english = refused(lambda: api(scene.officer).post(f"{BASE}/orders/", body, format="json"), 400, field="demand_line")
    vietnamese = refused(
        lambda: api(scene.officer, "vi").post(f"{BASE}/orders/", body, format="json"), 400, field="demand_line"
    )
    assert english.json()["demand_line"] == ["Orders are placed against consolidated demand."]
    assert vietnamese.json()["demand_line"] != english.json()["demand_line"]
    response = refused(
        lambda: api(scene.officer, "vi").post(f"{BASE}/orders/", order_body(scene, quantity=150), format="json"),
        400,
        field="over_capacity_reason",
    )
    assert "150" in response.json()["over_capacity_reason"][0]
    assert api(scene.uo, "vi").get(f"{BASE}/self-reliance/").status_code == 200


def test_bad_orders_write_nothing(scene, api, consolidated, capacity):
    officer = api(scene.officer)
    refused(
        lambda: officer.post(f"{BASE}/orders/", order_body(scene, due_on="2024-01-01"), format="json"),
        400,
        field="due_on",
    )
    refused(
        lambda: officer.post(f"{BASE}/orders/", order_body(scene, enterprise=scene.unit.pk), format="json"),
        400,
        field="enterprise",
    )
    refused(
        lambda: officer.post(
            f"{BASE}/orders/", order_body(scene, demand_line=consolidated.pk, quantity=101), format="json"
        ),
        400,
        field="quantity",
    )
    refused(
        lambda: officer.post(
            f"{BASE}/orders/", order_body(scene, customer=scene.unit_b.pk, demand_line=consolidated.pk), format="json"
        ),
        400,
        field="demand_line",
    )
    # an enterprise does not place orders
    refused(lambda: api(scene.ent_a).post(f"{BASE}/orders/", order_body(scene), format="json"), 403)


def test_cancel_needs_a_reason_and_no_delivery(scene, api, order):
    uo = api(scene.uo)
    refused(lambda: uo.post(f"{BASE}/orders/{order.pk}/cancel/", {"reason": ""}, format="json"), 400, field="reason")
    refused(lambda: api(scene.ent_a).post(f"{BASE}/orders/{order.pk}/cancel/", {"reason": "x"}, format="json"), 403)
    refused(lambda: api(scene.uo_b).post(f"{BASE}/orders/{order.pk}/cancel/", {"reason": "x"}, format="json"), 404)
    response = uo.post(f"{BASE}/orders/{order.pk}/cancel/", {"reason": "Đổi kế hoạch"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_deliveries_are_recorded_by_the_enterprise_and_accepted_by_the_customer(scene, api, order):
    ent = api(scene.ent_a)
    body = {"order": order.pk, "delivered_on": "2026-03-01", "quantity": 30}
    refused(lambda: ent.post(f"{BASE}/deliveries/", {**body, "quantity": 41}, format="json"), 400, field="quantity")
    refused(lambda: ent.post(f"{BASE}/deliveries/", {**body, "delivered_on": "2099-01-01"}, format="json"), 400)
    refused(lambda: api(scene.ent_b).post(f"{BASE}/deliveries/", body, format="json"), 400, field="order")
    refused(lambda: api(scene.uo).post(f"{BASE}/deliveries/", body, format="json"), 403)
    created = ent.post(f"{BASE}/deliveries/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert ProductionOrder.objects.get(pk=order.pk).status == ProductionOrder.Status.IN_PRODUCTION
    assert ids(ent.get(f"{BASE}/deliveries/?order={order.pk}")) == {pk}
    assert ids(ent.get(f"{BASE}/deliveries/?order={order.pk + 1000}")) == set()
    refused(lambda: ent.get(f"{BASE}/deliveries/?order=x"), 400, field="order")
    accept = {"accepted_on": "2026-03-05", "acceptance_number": "NT-01"}
    refused(lambda: ent.post(f"{BASE}/deliveries/{pk}/accept/", accept, format="json"), 403)
    refused(
        lambda: api(scene.uo).post(
            f"{BASE}/deliveries/{pk}/accept/", {**accept, "acceptance_number": " "}, format="json"
        ),
        400,
        field="acceptance_number",
    )
    refused(
        lambda: api(scene.uo).post(
            f"{BASE}/deliveries/{pk}/accept/", {**accept, "accepted_on": "2026-02-01"}, format="json"
        ),
        400,
        field="accepted_on",
    )
    accepted = api(scene.uo).post(f"{BASE}/deliveries/{pk}/accept/", accept, format="json")
    assert accepted.status_code == 200 and accepted.json()["accepted"] is True
    assert ids(ent.get(f"{BASE}/deliveries/?accepted=true")) == {pk}
    # feedback follows the acceptance; a low rating needs a comment
    uo = api(scene.uo)
    refused(lambda: uo.post(f"{BASE}/feedback/", {"delivery": pk, "rating": 2}, format="json"), 400, field="comment")
    refused(lambda: uo.post(f"{BASE}/feedback/", {"delivery": pk, "rating": 6}, format="json"), 400, field="rating")
    refused(lambda: ent.post(f"{BASE}/feedback/", {"delivery": pk, "rating": 5}, format="json"), 403)
    given = uo.post(f"{BASE}/feedback/", {"delivery": pk, "rating": 4, "comment": "Tốt"}, format="json")
    assert given.status_code == 201, given.content
    assert given.json()["order_number"] == "ĐH-2026-001"
    assert ids(ent.get(f"{BASE}/feedback/")) == {given.json()["id"]}
    assert ids(api(scene.ent_b).get(f"{BASE}/feedback/")) == set()
    # the domestic share now counts it
    share = uo.get(f"{BASE}/self-reliance/?by=year").json()
    assert share["rows"] == [
        {
            "key": "2026",
            "label": "2026",
            "domestic_value": "345000000",
            "domestic_count": 30,
            "import_value": "0",
            "import_count": 0,
            "share_value": 1.0,
            "share_count": 1.0,
        }
    ]


def test_self_reliance_by_class_and_unit_with_value_and_count_shares(scene, api, order):
    delivery = services.delivery_create(
        actor=scene.ent_a, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 10}
    )
    services.delivery_accept(actor=scene.uo, delivery=delivery, accepted_on=dt.date(2026, 3, 2), acceptance_number="N1")
    services.import_create(
        actor=scene.uo,
        data={
            "unit": scene.unit,
            "year": 2026,
            "product_class": "support_tool",
            "description": "Nhập",
            "country": "IL",
            "quantity": 30,
            "value": Decimal("115000000"),
        },
    )
    body = api(scene.uo).get(f"{BASE}/self-reliance/?by=product_class&year=2026").json()
    (row,) = body["rows"]
    assert (row["key"], row["domestic_value"], row["import_value"]) == ("support_tool", "115000000", "115000000")
    assert (row["share_value"], row["share_count"]) == (0.5, 0.25)
    assert body["total"]["share_count"] == 0.25
    by_unit = api(scene.officer).get(f"{BASE}/self-reliance/?by=unit").json()
    assert [r["label"] for r in by_unit["rows"]] == ["K02 — Bộ Tư lệnh Cảnh sát cơ động"]
    # another unit sees none of it; a bad grouping is a 400
    assert api(scene.uo_b).get(f"{BASE}/self-reliance/").json()["rows"] == []
    refused(lambda: api(scene.uo).get(f"{BASE}/self-reliance/?by=colour"), 400, field="by")
    refused(lambda: api(scene.uo).get(f"{BASE}/self-reliance/?year=abc"), 400, field="year")


# --- matching and the optimiser ---------------------------------------------------------------------------


def test_match_lists_the_visible_lines_with_their_domestic_candidates(scene, api, consolidated, capacity):
    # the Department sees the enterprises' products; a unit sees its own lines (the candidates it may see)
    later = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2027})
    other = services.line_create(
        actor=scene.uo,
        plan=later,
        data={
            "product_class": "weapon",
            "unit_value": Decimal("1000"),
            "specification": "x",
            "quantity": 5,
            "needed_by": dt.date(2027, 6, 30),
            "force_type": ForceType.OTHER,
        },
    )
    body = api(scene.officer).get(f"{BASE}/match/?year=2026").json()
    (row,) = body["results"]
    assert (row["id"], row["status"], row["unit_code"]) == (consolidated.pk, "domestic", "K02")
    (candidate,) = row["candidates"]
    assert (candidate["product_code"], candidate["capacity"], candidate["left"]) == ("AGC-01", 100, 100)
    assert [r["status"] for r in api(scene.officer).get(f"{BASE}/match/?plan={later.pk}").json()["results"]] == ["none"]
    # matching is the consolidating Department's, as on the page: a unit does not see the enterprises' products
    assert api(scene.uo).get(f"{BASE}/match/").status_code == 403
    officer = api(scene.officer)
    assert ids(officer.get(f"{BASE}/match/?status=none")) == {other.pk}
    assert ids(officer.get(f"{BASE}/match/?status=domestic&year=2026")) == {consolidated.pk}
    assert ids(officer.get(f"{BASE}/match/?status=partial")) == set()
    refused(lambda: officer.get(f"{BASE}/match/?status=maybe"), 400, field="status")


def test_a_run_is_queued_by_the_department_and_its_proposal_turned_into_orders(scene, api, consolidated, capacity):
    officer = api(scene.officer)
    refused(lambda: api(scene.uo).post(f"{BASE}/runs/", {"year": 2026}, format="json"), 403)
    refused(lambda: officer.post(f"{BASE}/runs/", {"year": 2026, "budget": "-1"}, format="json"), 400, field="budget")
    created = officer.post(f"{BASE}/runs/", {"year": 2026}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "queued" and created.json()["job"]
    run = AllocationRun.objects.get(pk=created.json()["id"])
    assert ids(officer.get(f"{BASE}/runs/")) == {run.pk}
    assert ids(officer.get(f"{BASE}/runs/?year=2025")) == set()
    terms = {
        "ordered_on": "2026-01-10",
        "due_on": "2026-06-30",
        "mode": "plan",
        "price_basis": "estimate",
        "funding": "ministry",
        "number_prefix": "PB-2026",
    }
    row = {"line": consolidated.pk, "enterprise": scene.world.ent_a.pk, "product": scene.vest.pk, "units": 60}
    # a queued run has no proposal yet
    refused(lambda: officer.post(f"{BASE}/runs/{run.pk}/accept/", {**terms, "rows": [row]}, format="json"), 400)
    AllocationRun.objects.filter(pk=run.pk).update(
        state=AllocationRun.State.PROPOSED,
        proposal=[{**{k: row[k] for k in ("line", "enterprise", "product")}, "unit_price": 12e6, "units": 100}],
    )
    refused(
        lambda: officer.post(
            f"{BASE}/runs/{run.pk}/accept/", {**terms, "rows": [{**row, "product": 999999}]}, format="json"
        ),
        400,
    )
    refused(
        lambda: officer.post(f"{BASE}/runs/{run.pk}/accept/", {**terms, "rows": []}, format="json"), 400, field="rows"
    )
    refused(
        lambda: officer.post(
            f"{BASE}/runs/{run.pk}/accept/", {**terms, "rows": [{**row, "units": 101}]}, format="json"
        ),
        400,
    )
    refused(lambda: api(scene.uo).post(f"{BASE}/runs/{run.pk}/accept/", {**terms, "rows": [row]}, format="json"), 403)
    accepted = officer.post(f"{BASE}/runs/{run.pk}/accept/", {**terms, "rows": [row]}, format="json")
    assert accepted.status_code == 201, accepted.content
    (made,) = accepted.json()
    assert (made["number"], made["quantity"], made["demand_line"], made["customer_code"]) == (
        "PB-2026-0001",
        60,
        consolidated.pk,
        "K02",
    )
    assert officer.get(f"{BASE}/runs/{run.pk}/").json()["state"] == "accepted"
    assert DemandLine.objects.get(pk=consolidated.pk).orders.count() == 1


def test_lists_cost_the_same_queries_for_one_row_or_many(scene, api, capacity):
    """Plans, lines, orders and deliveries: the selectors fetch what the serializers read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cnan.supply.tests.test_services import order_data

    def counts() -> dict[str, int]:
        client = api(scene.officer)
        out = {}
        for path in ("plans/", "lines/", "orders/", "deliveries/", "imports/", "capacity/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(f"{BASE}/{path}").status_code == 200
            out[path] = len(ctx.captured_queries)
        return out

    def add(k: int) -> None:
        unit = org_services.organization_create(
            actor=None,
            parent=scene.world.bca,
            data={"code": f"KX{k}", "name": f"Đơn vị {k}", "kind": "operational_unit"},
        )
        p = services.plan_create(actor=None, data={"unit": unit, "year": 2026})
        services.line_create(
            actor=None,
            plan=p,
            data={
                "product_class": "support_tool",
                "unit_value": Decimal("1"),
                "specification": "x",
                "quantity": 1,
                "needed_by": dt.date(2026, 1, 1),
                "force_type": ForceType.OTHER,
            },
        )
        o = services.order_create(
            actor=None,
            data=order_data(scene, number=f"ĐH-{k}", customer=unit, quantity=1, ordered_on=dt.date(2025, 1, 1)),
        )
        services.delivery_create(actor=None, order=o, data={"delivered_on": dt.date(2025, 2, 1), "quantity": 1})
        services.import_create(
            actor=None,
            data={
                "unit": unit,
                "year": 2025,
                "product_class": "weapon",
                "description": "x",
                "country": "DE",
                "quantity": 1,
                "value": Decimal("1"),
            },
        )

    add(0)
    counts()  # caches warm (the user's grants, content types)
    one = counts()
    for k in range(1, 8):
        add(k)
    assert counts() == one


def test_a_submitted_plan_is_neither_changed_nor_deleted(scene, api, plan):
    uo = api(scene.uo)
    uo.post(f"{BASE}/lines/", line_body(scene, plan), format="json")
    assert uo.post(f"{BASE}/plans/{plan.pk}/transitions/submit/", {}, format="json").status_code == 200
    refused(lambda: uo.patch(f"{BASE}/plans/{plan.pk}/", {"note": "x"}, format="json"), 400)
    refused(lambda: uo.delete(f"{BASE}/plans/{plan.pk}/"), 400)
    refused(lambda: uo.post(f"{BASE}/plans/{plan.pk}/transitions/submit/", {}, format="json"), 400)
    assert ids(uo.get(f"{BASE}/plans/?state=submitted")) == {plan.pk}
    assert ids(uo.get(f"{BASE}/plans/?state=draft")) == set()
