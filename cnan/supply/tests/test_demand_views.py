"""The demand pages: plans (list with filters and export, the plan page with its lines, workflow and import,
the transitions with their refusals), lines across plans, capacity (booked and left), imported purchases;
who sees which buttons, bad input writes nothing, both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from cnan.catalogue import services as catalogue
from cnan.core.models import ObjectChange
from cnan.core.testing import database_state, login
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import services
from cnan.supply.models import Capacity, DemandLine, DemandPlan, ForceType, ImportPurchase, PlanEvent

APPS = ("supply", "core")


@pytest.fixture
def scene(world, make_user):
    unit = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "K02", "name": "Bộ Tư lệnh Cảnh sát cơ động", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    unit2 = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "C07", "name": "Cục Cảnh sát phòng cháy", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    groups = list(ProductGroup.objects.order_by("pk")[:2])
    vest = catalogue.product_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "AGC-01",
            "name": "Áo giáp chống đạn",
            "product_class": "support_tool",
            "group": groups[0],
            "price": Decimal("12000000"),
        },
    )
    people = {
        "officer": make_user("department_officer", world.h08, clearance=1),
        "leader": make_user("ministry_leader", world.bca),
        "uo": make_user("unit_officer", unit),
        "uo2": make_user("unit_officer", unit2),
        "ent_a": make_user("enterprise_officer", world.ent_a),
        "ent_b": make_user("enterprise_officer", world.ent_b),
    }
    plan = services.plan_create(actor=people["uo"], data={"unit": unit, "year": 2026})
    line = services.line_create(actor=people["uo"], plan=plan, data=line_data(groups[0]))
    plan2 = services.plan_create(actor=people["uo2"], data={"unit": unit2, "year": 2025})
    services.line_create(
        actor=people["uo2"],
        plan=plan2,
        data=line_data(groups[1], product_class="fire_rescue", force_type=ForceType.FIRE_RESCUE, quantity=7),
    )
    return type(
        "Scene",
        (),
        {
            "unit": unit,
            "unit2": unit2,
            "groups": groups,
            "vest": vest,
            "world": world,
            "plan": plan,
            "plan2": plan2,
            "line": line,
            **people,
        },
    )


def line_data(group, **extra):
    return {
        "product_class": "support_tool",
        "product_group": group,
        "unit_value": Decimal("12000000"),
        "specification": "Cấp bảo vệ III theo TCVN",
        "quantity": 100,
        "needed_by": dt.date(2026, 6, 30),
        "force_type": ForceType.RAPID_RESPONSE,
        **extra,
    }


def client_for(user, language="en"):
    client = Client()
    client.cookies["cnan_language"] = language
    return login(client, user)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- plans -----------------------------------------------------------------------------------------------


def test_plan_list_filters_sorts_and_exports_only_visible_plans(scene):
    url = reverse("supply:plan_list")
    officer = client_for(scene.officer)
    page = officer.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "K02 · 2026" in text and "C07 · 2025" in text
    filtered = officer.get(url, {"year": 2025}).content.decode()
    assert "C07 · 2025" in filtered and "K02 · 2026" not in filtered
    assert "K02 · 2026" in officer.get(url, {"unit": scene.unit.pk, "state": "draft"}).content.decode()
    assert officer.get(url, {"sort": "-total_value"}).status_code == 200
    rows = csv_rows(officer.get(url, {"export": "csv", "sort": "year"}))
    assert [r[0] for r in rows[1:]] == ["C07 · 2025", "K02 · 2026"]
    assert "1200000000" in rows[2]  # 100 × 12.000.000: the plan's value, typed
    # a unit sees only its own plan
    mine = client_for(scene.uo).get(url).content.decode()
    assert "K02 · 2026" in mine and "C07 · 2025" not in mine
    assert client_for(scene.officer).get(url, {"year": "abc"}).status_code == 400


def test_plan_page_shows_lines_buttons_and_the_matching_link(scene):
    page = client_for(scene.uo).get(reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'id="line-{scene.line.pk}"' in text
    assert reverse("supply:line_add", kwargs={"plan_pk": scene.plan.pk}) in text
    assert 'id="import-lines"' in text and 'id="import-template"' in text
    assert 'data-transition="submit"' in text and 'data-transition="consolidate"' not in text
    match = reverse("supply:match") + f"?plan={scene.plan.pk}"
    assert match not in text  # matching is the consolidating Department's
    officer = client_for(scene.officer).get(reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk}))
    assert match in officer.content.decode()
    # a leader reads the plan but has no button
    leader = client_for(scene.leader).get(reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk}))
    assert leader.status_code == 200
    assert 'id="add-line"' not in leader.content.decode() and 'id="edit-button"' not in leader.content.decode()
    assert (
        'data-transition="submit"' not in leader.content.decode() and 'id="import-lines"' not in leader.content.decode()
    )
    # another unit: 404
    assert client_for(scene.uo2).get(reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk})).status_code == 404


def test_plan_add_refuses_a_second_plan_for_the_same_year_and_writes_nothing(scene):
    client = client_for(scene.uo)
    before = database_state(APPS)
    response = client.post(
        reverse("supply:plan_add"), {"unit": scene.unit.pk, "year": 2026, "note": "", "classification": 0}
    )
    assert response.status_code == 422
    assert "already has a demand plan for 2026" in response.content.decode()
    assert database_state(APPS) == before
    response = client.post(
        reverse("supply:plan_add"), {"unit": scene.unit.pk, "year": 2027, "note": "Năm sau", "classification": 0}
    )
    assert response.status_code == 302
    assert DemandPlan.objects.filter(unit=scene.unit, year=2027).exists()


def test_the_workflow_submit_return_with_comment_and_consolidate(scene):
    detail = reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk})

    def act(user, action, **data):
        url = reverse("supply:plan_transition", kwargs={"pk": scene.plan.pk, "action": action})
        return client_for(user).post(url, data, follow=True)

    # the unit may not consolidate its own plan
    assert (
        client_for(scene.uo)
        .post(reverse("supply:plan_transition", kwargs={"pk": scene.plan.pk, "action": "consolidate"}))
        .status_code
        == 403
    )
    assert act(scene.uo, "submit").redirect_chain[-1][0].startswith(detail)
    scene.plan.refresh_from_db()
    assert scene.plan.state == DemandPlan.State.SUBMITTED
    # returning needs a comment: the message says so, nothing is written
    before = database_state(APPS)
    response = act(scene.officer, "return", comment="  ")
    assert "a comment is required" in response.content.decode()
    assert database_state(APPS) == before
    response = act(scene.officer, "return", comment="Thiếu quy cách kỹ thuật")
    scene.plan.refresh_from_db()
    assert scene.plan.state == DemandPlan.State.RETURNED
    assert "Thiếu quy cách kỹ thuật" in response.content.decode()
    assert PlanEvent.objects.filter(plan=scene.plan, transition="return").get().comment == "Thiếu quy cách kỹ thuật"
    # returned: the unit edits its lines again, then submits; the Department consolidates
    page = client_for(scene.uo).get(detail).content.decode()
    assert 'id="add-line"' in page
    act(scene.uo, "submit")
    act(scene.officer, "consolidate")
    scene.plan.refresh_from_db()
    assert scene.plan.state == DemandPlan.State.CONSOLIDATED
    page = client_for(scene.uo).get(detail).content.decode()
    assert 'id="add-line"' not in page and 'id="import-lines"' not in page and 'id="edit-button"' not in page
    # an unknown action: 404
    url = reverse("supply:plan_transition", kwargs={"pk": scene.plan.pk, "action": "approve"})
    assert client_for(scene.officer).post(url).status_code == 404


def test_a_submitted_plans_lines_cannot_change_and_nothing_is_written(scene):
    services.plan_transition(actor=scene.uo, plan=scene.plan, action="submit")
    client = client_for(scene.uo)
    before = database_state(APPS)
    url = reverse("supply:line_add", kwargs={"plan_pk": scene.plan.pk})
    response = client.post(
        url,
        {
            "product_class": "support_tool",
            "product_group": scene.groups[0].pk,
            "specification": "Thêm",
            "quantity": 5,
            "unit_value": "1000",
            "needed_by": "2026-05-01",
            "force_type": "other",
            "classification": 0,
        },
    )
    assert response.status_code == 422
    assert "its lines change only after it is returned" in response.content.decode()
    response = client.post(reverse("supply:demandline_delete", kwargs={"pk": scene.line.pk}))
    assert response.status_code == 409
    edit = reverse("supply:demandplan_edit", kwargs={"pk": scene.plan.pk})
    response = client.post(edit, {"note": "Sửa sau khi gửi", "classification": 0})
    assert response.status_code == 422 and "returned" in response.content.decode()
    assert client.post(reverse("supply:demandplan_delete", kwargs={"pk": scene.plan.pk})).status_code == 409
    assert database_state(APPS) == before


# --- lines -----------------------------------------------------------------------------------------------


def test_line_add_derives_the_tier_and_refuses_bad_input(scene):
    client = client_for(scene.uo)
    url = reverse("supply:line_add", kwargs={"plan_pk": scene.plan.pk})
    data = {
        "product_class": "support_tool",
        "product_group": scene.groups[0].pk,
        "specification": "Mũ chống đạn",
        "quantity": 0,
        "unit_value": "2500000",
        "needed_by": "2026-05-01",
        "force_type": "investigation",
        "classification": 0,
    }
    before = database_state(APPS)
    assert client.post(url, data).status_code == 422  # a quantity of zero
    assert client.post(url, {**data, "quantity": 10, "needed_by": "2030-01-01"}).status_code == 422
    assert database_state(APPS) == before
    response = client.post(url, {**data, "quantity": 10})
    assert response.status_code == 302
    line = DemandLine.objects.get(plan=scene.plan, number=2)
    assert response["Location"].endswith(f"#line-{line.pk}")
    assert (line.tier, line.unit_value) == (2, Decimal("2500000"))
    # the unit does not see the enterprise's catalogue product: it is not offered
    form = client.get(url).content.decode()
    assert "AGC-01" not in form


def test_line_list_filters_by_every_named_filter_and_exports(scene):
    url = reverse("supply:line_list")
    officer = client_for(scene.officer)
    cases = {
        "year": 2025,
        "unit": scene.unit2.pk,
        "plan": scene.plan2.pk,
        "product_class": "fire_rescue",
        "product_group": scene.groups[1].pk,
        "tier": 2,
        "force_type": "fire_rescue",
        "state": "draft",
    }
    for name, value in cases.items():
        response = officer.get(url, {name: value, "export": "csv"})
        assert response.status_code == 200, name
        plans = {r[0] for r in csv_rows(response)[1:]}
        assert "C07 · 2025" in plans, name
        if name != "state":
            assert "K02 · 2026" not in plans, name
    assert officer.get(url, {"sort": "-quantity"}).status_code == 200
    xlsx = officer.get(url, {"export": "xlsx", "year": 2025})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any("C07 · 2025" in row for row in values) and not any("K02 · 2026" in row for row in values)
    assert any(7 in row for row in values)  # the quantity keeps its type
    assert "C07 · 2025" not in client_for(scene.uo).get(url).content.decode()


def test_line_edit_and_delete_follow_the_plans_unit(scene):
    edit = reverse("supply:demandline_edit", kwargs={"pk": scene.line.pk})
    assert client_for(scene.uo2).get(edit).status_code == 404
    assert client_for(scene.leader).get(edit).status_code == 403  # reads the plan, may not change it
    client = client_for(scene.uo)
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "number": 1,
            "product_class": "support_tool",
            "product_group": scene.groups[0].pk,
            "specification": "Cấp bảo vệ IV",
            "quantity": 120,
            "unit_value": "12000000",
            "needed_by": "2026-06-30",
            "force_type": "public_order",
            "classification": 0,
        },
    )
    assert response.status_code == 302
    scene.line.refresh_from_db()
    assert (scene.line.quantity, scene.line.tier) == (120, 3)
    assert client.post(reverse("supply:demandline_delete", kwargs={"pk": scene.line.pk})).status_code == 302
    assert not DemandLine.objects.filter(pk=scene.line.pk).exists()


# --- capacity --------------------------------------------------------------------------------------------


def test_capacity_set_prefills_updates_in_place_and_lists_booked_and_left(scene):
    world = scene.world
    services.capacity_set(
        actor=scene.ent_a, enterprise=world.ent_a, product_group=scene.groups[0], year=2026, units=500
    )
    client = client_for(scene.ent_a)
    url = reverse("supply:capacity_set")
    page = client.get(url, {"enterprise": world.ent_a.pk, "product_group": scene.groups[0].pk, "year": 2026})
    assert page.status_code == 200 and 'value="500"' in page.content.decode()
    # ENT-B is not offered to ENT-A's officer: refused, nothing written
    before = database_state(APPS)
    data = {"enterprise": world.ent_b.pk, "product_group": scene.groups[0].pk, "year": 2026, "units": 10}
    assert client.post(url, data).status_code == 422
    assert client.post(url, {**data, "enterprise": world.ent_a.pk, "units": -1}).status_code == 422
    assert database_state(APPS) == before
    assert client.post(url, {**data, "enterprise": world.ent_a.pk, "units": 600}).status_code == 302
    assert Capacity.objects.get(enterprise=world.ent_a, product_group=scene.groups[0], year=2026).units == 600
    # an order books 40 units of the group: left 560
    services.plan_transition(actor=scene.uo, plan=scene.plan, action="submit")
    services.plan_transition(actor=scene.officer, plan=scene.plan, action="consolidate")
    services.order_create(
        actor=scene.officer,
        data={
            "number": "ĐH-1",
            "mode": "ordering",
            "customer": scene.unit,
            "enterprise": world.ent_a,
            "product": scene.vest,
            "year": 2026,
            "quantity": 40,
            "unit_price": Decimal("11500000"),
            "price_basis": "estimate",
            "funding": "ministry",
            "ordered_on": dt.date(2026, 1, 15),
            "due_on": dt.date(2026, 6, 30),
        },
    )
    rows = csv_rows(client.get(reverse("supply:capacity_list"), {"export": "csv", "year": 2026}))
    assert rows[0][3:] == ["Capacity (units a year)", "Booked by orders", "Left"]
    assert rows[1][3:] == ["600", "40", "560"]
    services.capacity_set(
        actor=scene.ent_a, enterprise=world.ent_a, product_group=scene.groups[1], year=2026, units=100
    )
    for sort, first in (("-left", "600"), ("left", "100"), ("-booked", "600"), ("units", "100")):
        rows = csv_rows(client.get(reverse("supply:capacity_list"), {"export": "csv", "year": 2026, "sort": sort}))
        assert rows[1][3] == first, sort
        assert client.get(reverse("supply:capacity_list"), {"year": 2026, "sort": sort}).status_code == 200
    listed = client.get(reverse("supply:capacity_list")).content.decode()
    assert 'class="capacity-set"' in listed and f"product_group={scene.groups[0].pk}" in listed
    assert 'class="capacity-set"' not in client_for(scene.ent_b).get(reverse("supply:capacity_list")).content.decode()
    # a unit officer holds no capacity permission: no button, and 403 on the form
    assert 'id="add-button"' not in client_for(scene.uo).get(reverse("supply:capacity_list")).content.decode()
    assert client_for(scene.uo).get(url).status_code == 403


# --- imported purchases ----------------------------------------------------------------------------------


def test_import_purchase_crud_and_list_filters(scene):
    client = client_for(scene.uo)
    data = {
        "unit": scene.unit.pk,
        "year": 2024,
        "product_class": "support_tool",
        "description": "Áo giáp nhập khẩu",
        "country": "VN",
        "quantity": 50,
        "value": "900000000",
        "classification": 0,
    }
    before = database_state(APPS)
    response = client.post(reverse("supply:import_add"), data)
    assert response.status_code == 422  # bought in Việt Nam is not an import
    assert database_state(APPS) == before
    response = client.post(reverse("supply:import_add"), {**data, "country": "IL"})
    assert response.status_code == 302
    purchase = ImportPurchase.objects.get()
    assert purchase.value == Decimal("900000000")
    page = client.get(purchase.get_absolute_url())
    assert page.status_code == 200 and "Israel" in page.content.decode()
    url = reverse("supply:import_list")
    for query in ({"year": 2024}, {"unit": scene.unit.pk}, {"product_class": "support_tool"}, {"country": "IL"}):
        assert "Áo giáp nhập khẩu" in client.get(url, query).content.decode(), query
    assert "Áo giáp nhập khẩu" not in client.get(url, {"country": "US"}).content.decode()
    assert client_for(scene.uo2).get(purchase.get_absolute_url()).status_code == 404
    edit = reverse("supply:importpurchase_edit", kwargs={"pk": purchase.pk})
    assert client.post(edit, {**data, "country": "IL", "quantity": 60}).status_code == 302
    purchase.refresh_from_db()
    assert purchase.quantity == 60
    assert client.get(reverse("supply:importpurchase_history", kwargs={"pk": purchase.pk})).status_code == 200
    assert client.post(reverse("supply:importpurchase_delete", kwargs={"pk": purchase.pk})).status_code == 302
    assert not ImportPurchase.objects.exists()


def test_the_lists_show_years_without_a_thousands_separator(scene):
    client = client_for(scene.uo)
    data = {
        "unit": scene.unit.pk,
        "year": 2024,
        "product_class": "support_tool",
        "description": "Áo giáp nhập khẩu",
        "country": "IL",
        "quantity": 50,
        "value": "900000000",
        "classification": 0,
    }
    assert client.post(reverse("supply:import_add"), data).status_code == 302
    year = scene.plan.year
    for language in ("en", "vi"):
        client = client_for(scene.uo, language)
        for name, shown in (("supply:plan_list", year), ("supply:import_list", 2024)):
            text = client.get(reverse(name)).content.decode()
            assert f">{shown}<" in text, (name, language)
            assert f"{shown // 1000}.{shown % 1000:03d}" not in text and f"{shown:,}" not in text, (name, language)
    rows = csv_rows(client.get(reverse("supply:import_list"), {"export": "csv"}))
    assert rows[1][rows[0].index("Năm")] == "2024"


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["Submit", "Draft", "Quantity", "Demand plans"]), ("vi", ["Gửi", "Dự thảo", "Số lượng"])],
)
def test_pages_work_in_both_languages(scene, language, words):
    client = client_for(scene.uo, language)
    for name, kwargs in [
        ("supply:plan_list", {}),
        ("supply:plan_detail", {"pk": scene.plan.pk}),
        ("supply:line_list", {}),
        ("supply:import_list", {}),
        ("supply:plan_add", {}),
        ("supply:line_add", {"plan_pk": scene.plan.pk}),
        ("supply:demandplan_history", {"pk": scene.plan.pk}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
    assert client.get(reverse("supply:capacity_list")).status_code == 403  # the enterprises' own
    page = client.get(reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk})).content.decode()
    for word in words:
        assert word in page, word
    assert ObjectChange.objects.exists()


# --- query counts ----------------------------------------------------------------------------------------


def _count(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries.captured_queries)


def test_lists_and_the_plan_page_cost_the_same_queries_for_one_row_or_many(scene):
    world = scene.world
    client = client_for(scene.officer)
    groups = list(ProductGroup.objects.order_by("pk"))
    pages = [
        (reverse("supply:plan_list"), {"year": 2026}),
        (reverse("supply:line_list"), {"plan": scene.plan.pk}),
        (reverse("supply:capacity_list"), {"enterprise": world.ent_a.pk}),
        (reverse("supply:import_list"), {"unit": scene.unit.pk}),
        (reverse("supply:plan_detail", kwargs={"pk": scene.plan.pk}), {}),
    ]
    services.capacity_set(actor=None, enterprise=world.ent_a, product_group=groups[0], year=2026, units=10)
    services.import_create(
        actor=None,
        data={
            "unit": scene.unit,
            "year": 2024,
            "product_class": "weapon",
            "description": "Súng nhập 0",
            "country": "CZ",
            "quantity": 1,
            "value": Decimal(1),
        },
    )
    before = [_count(client, url, params) for url, params in pages]
    for i in range(1, 8):
        unit = org_services.organization_create(
            actor=None,
            parent=world.bca,
            data={"code": f"KQ{i}", "name": f"Đơn vị thử {i}", "kind": Organization.Kind.OPERATIONAL_UNIT},
        )
        services.plan_create(actor=None, data={"unit": unit, "year": 2026})
        services.line_create(
            actor=None,
            plan=scene.plan,
            data=line_data(groups[i % len(groups)], product=scene.vest if i % 2 else None, quantity=i),
        )
        services.capacity_set(
            actor=None, enterprise=world.ent_a, product_group=groups[i % len(groups)], year=2026 + i, units=i
        )
        services.import_create(
            actor=None,
            data={
                "unit": scene.unit,
                "year": 2024,
                "product_class": "weapon",
                "description": f"Súng nhập {i}",
                "country": "CZ",
                "quantity": i,
                "value": Decimal(i),
            },
        )
    after = [_count(client, url, params) for url, params in pages]
    assert after == before


def test_the_home_widget_shows_the_plans_waiting_for_the_user(scene):
    home = reverse("core:home")
    page = client_for(scene.uo).get(home).content.decode()
    assert 'id="demand-widget"' in page and 'data-state="draft"' in page and "?state=draft" in page
    assert 'data-state="submitted"' not in page
    assert 'id="demand-widget"' not in client_for(scene.leader).get(home).content.decode()  # reads, acts on none
    # a unit's draft waits for the unit, not for the Department that consolidates it
    assert 'data-state="draft"' not in client_for(scene.officer).get(home).content.decode()
    services.plan_transition(actor=scene.uo, plan=scene.plan, action="submit")
    page = client_for(scene.officer).get(home).content.decode()
    assert 'data-state="submitted"' in page and "?state=submitted" in page
    page = client_for(scene.uo).get(home).content.decode()
    assert 'id="demand-widget"' not in page  # its only plan is with the Department
