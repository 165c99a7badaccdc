"""The allocation pages: matching (classification, summary, filters, export, links to an order and to an S&T
task proposal for who may use them), the optimiser's runs (start, progress, proposal with its explanations in
words, adjustment and acceptance all or nothing), who sees what, and both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

from django.test import Client
from django.urls import reverse

import pytest

from cnan.catalogue import services as catalogue
from cnan.core.models import Job
from cnan.core.navigation import menu_for
from cnan.core.testing import database_state, login
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import services
from cnan.supply.models import AllocationRun, DemandLine, ForceType, ProductionOrder

STATE = ("supply", "core")


@pytest.fixture
def page(db):
    def make(user, language: str = "en"):
        client = login(Client(), user)
        client.cookies["cnan_language"] = language
        return client

    return make


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
    catalogue.product_create(
        actor=None,
        data={
            "organization": world.ent_b,
            "code": "AGC-03",
            "name": "Áo giáp B",
            "product_class": "support_tool",
            "group": group,
            "price": Decimal("13000000"),
        },
    )
    officer = make_user("department_officer", world.h08, clearance=1)
    uo = make_user("unit_officer", unit)
    ent_a = make_user("enterprise_officer", world.ent_a)
    ent_b = make_user("enterprise_officer", world.ent_b)
    services.capacity_set(actor=ent_a, enterprise=world.ent_a, product_group=group, year=2026, units=60)
    services.capacity_set(actor=ent_b, enterprise=world.ent_b, product_group=group, year=2026, units=30)
    plan = services.plan_create(actor=uo, data={"unit": unit, "year": 2026})
    common = {
        "unit_value": Decimal("12000000"),
        "needed_by": dt.date(2026, 6, 30),
        "force_type": ForceType.RAPID_RESPONSE,
    }
    vests = services.line_create(
        actor=uo,
        plan=plan,
        data={
            "product_class": "support_tool",
            "product_group": group,
            "specification": "Áo giáp chống đạn cấp bảo vệ III theo TCVN",
            "quantity": 100,
            **common,
        },
    )
    craft = services.line_create(
        actor=uo,
        plan=plan,
        data={
            "product_class": "patrol_craft",
            "product_group": None,
            "specification": "Xuồng tuần tra cao tốc 12 m",
            "quantity": 4,
            **common,
        },
    )
    services.plan_transition(actor=uo, plan=plan, action="submit")
    services.plan_transition(actor=officer, plan=plan, action="consolidate")
    return type(
        "Scene",
        (),
        {
            "unit": unit,
            "group": group,
            "vest": vest,
            "world": world,
            "vests": vests,
            "craft": craft,
            "officer": officer,
            "uo": uo,
            "ent_a": ent_a,
            "ent_b": ent_b,
        },
    )


# --- matching -----------------------------------------------------------------------------------------


def test_matching_classifies_each_line_and_sums_value_per_status(scene, page):
    response = page(scene.officer).get(reverse("supply:match"))
    assert response.status_code == 200
    text = response.content.decode()
    # 100 vests asked, 90 units of capacity left between ENT-A and ENT-B: partly supplied; nobody makes craft
    assert f'id="line-{scene.vests.pk}" data-status="partial"' in text
    assert f'id="line-{scene.craft.pk}" data-status="none"' in text
    assert "AGC-01 — Áo giáp chống đạn" in text and "AGC-03 — Áo giáp B" in text
    summary = {s["key"]: s for s in response.context["summary"]}
    assert summary["partial"]["count"] == 1 and summary["partial"]["value"] == Decimal("1200000000")
    assert summary["none"]["count"] == 1 and summary["none"]["value"] == Decimal("48000000")
    assert summary["domestic"]["count"] == 0
    assert summary["partial"]["share"] == pytest.approx(1200 / 1248)


def test_matching_filters_by_status_and_refuses_a_bad_filter(scene, page):
    client = page(scene.officer)
    response = client.get(reverse("supply:match"), {"status": "none"})
    assert [r["match"].line for r in response.context["rows"]] == [scene.craft]
    response = client.get(reverse("supply:match"), {"product_class": "support_tool", "year": 2026})
    assert [r["match"].line for r in response.context["rows"]] == [scene.vests]
    assert client.get(reverse("supply:match"), {"year": 2027}).context["rows"] == []
    assert client.get(reverse("supply:match"), {"status": "whatever"}).status_code == 400
    assert client.get(reverse("supply:match"), {"status": "whatever", "export": "csv"}).status_code == 400


def test_choosing_a_status_keeps_the_whole_summary(scene, page):
    response = page(scene.officer).get(reverse("supply:match"), {"status": "none"})
    assert [r["match"].line for r in response.context["rows"]] == [scene.craft]
    summary = {s["key"]: s["count"] for s in response.context["summary"]}
    assert summary == {"domestic": 0, "partial": 1, "imports": 0, "none": 1}
    assert 'data-status="none" class="table-active"' in response.content.decode()


def test_matching_offers_an_order_only_for_a_consolidated_line_with_units_left_to_order(scene, page):
    common = {
        "mode": "ordering",
        "customer": scene.unit,
        "product": scene.vest,
        "demand_line": DemandLine.objects.get(pk=scene.vests.pk),  # its plan consolidated since the scene was built
        "year": 2026,
        "unit_price": Decimal("12000000"),
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": dt.date(2026, 1, 15),
        "due_on": dt.date(2026, 6, 30),
    }
    services.order_create(
        actor=scene.officer,
        data={**common, "number": "ĐH-1", "enterprise": scene.world.ent_a, "quantity": 40},
    )
    draft = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2027})
    draft_line = services.line_create(
        actor=scene.uo,
        plan=draft,
        data={
            "product_class": "support_tool",
            "product_group": scene.group,
            "specification": "Áo giáp nhẹ",
            "quantity": 5,
            "unit_value": Decimal("9000000"),
            "needed_by": dt.date(2027, 6, 30),
            "force_type": ForceType.INVESTIGATION,
        },
    )
    client = page(scene.officer)
    response = client.get(reverse("supply:match"))
    rows = {r["match"].line: r for r in response.context["rows"]}
    assert rows[scene.vests]["to_order"] == 60 and rows[scene.vests]["order_url"]
    assert 'data-to-order="60"' in response.content.decode()
    assert client.get(rows[scene.vests]["order_url"]).status_code == 200
    # a draft's line has candidates but no order is placed from it (the order page would refuse it)
    assert rows[draft_line]["match"].candidates and rows[draft_line]["order_url"] is None
    assert rows[draft_line]["to_order"] is None
    # once every unit is ordered, no button leads to an order of nothing
    services.order_create(
        actor=scene.officer,
        data={
            **common,
            "number": "ĐH-2",
            "enterprise": scene.world.ent_a,
            "quantity": 60,
            "over_capacity_reason": "Tăng ca",
        },
    )
    rows = {r["match"].line: r for r in client.get(reverse("supply:match")).context["rows"]}
    assert rows[scene.vests]["to_order"] == 0 and rows[scene.vests]["order_url"] is None


def test_matching_exports_every_line_with_its_status(scene, page):
    client = page(scene.officer)
    response = client.get(reverse("supply:match"), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Demand line", "Year"] and len(rows) == 3
    by_spec = {row[7]: row for row in rows[1:]}
    assert by_spec["Xuồng tuần tra cao tốc 12 m"][0] == str(scene.craft)
    assert by_spec["Xuồng tuần tra cao tốc 12 m"][10] == "Nothing supplies it"
    assert by_spec["Áo giáp chống đạn cấp bảo vệ III theo TCVN"][11] == "AGC-01 (ENT-A); AGC-03 (ENT-B)"
    assert client.get(reverse("supply:match"), {"export": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert client.get(reverse("supply:match"), {"export": "pdf"}).status_code == 400


def test_an_unmet_need_links_to_an_s_and_t_task_proposal_for_who_may_propose_one(scene, page):
    response = page(scene.officer).get(reverse("supply:match"))
    rows = {r["match"].line: r for r in response.context["rows"]}
    assert rows[scene.vests]["task_url"] is None and rows[scene.vests]["order_url"].endswith(f"?line={scene.vests.pk}")
    link = urlparse(rows[scene.craft]["task_url"])
    assert link.path == reverse("research:task_add")
    query = parse_qs(link.query)
    assert "K02" in query["title"][0] and "2026" in query["title"][0]
    assert "Xuồng tuần tra cao tốc 12 m" in query["summary"][0] and "4 units" in query["summary"][0]
    assert response.context["all_tasks_url"]

    # the task form opens with the proposal filled in
    form = page(scene.officer).get(rows[scene.craft]["task_url"]).context["form"]
    assert form.initial["title"] == query["title"][0] and form.initial["summary"] == query["summary"][0]

    # matching is the consolidating Department's: a unit officer (who does not see the enterprises' products,
    # so every line would read "imports only") and an enterprise are refused
    assert page(scene.uo).get(reverse("supply:match")).status_code == 403
    assert page(scene.ent_b).get(reverse("supply:match")).status_code == 403


def test_matching_reads_in_vietnamese(scene, page):
    response = page(scene.officer, "vi").get(reverse("supply:match"))
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "vi"


# --- the optimiser --------------------------------------------------------------------------------------


def start(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("supply:run_add"), {"year": 2026, **data})


def test_only_the_department_uses_the_optimiser(scene, page, django_capture_on_commit_callbacks):
    officer = page(scene.officer)
    response = start(officer, django_capture_on_commit_callbacks)
    run = AllocationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    for user in (scene.uo, scene.ent_a):
        client = page(user)
        before = database_state(STATE)
        assert client.get(reverse("supply:run_list")).status_code == 403
        assert client.get(reverse("supply:run_add")).status_code == 403
        assert client.post(reverse("supply:run_add"), {"year": 2026}).status_code == 403
        assert client.get(run.get_absolute_url()).status_code == 404
        assert client.post(reverse("supply:run_accept", args=[run.pk]), {}).status_code == 404
        assert database_state(STATE) == before

    def menu(user):
        return {item.url_name for area in menu_for(user) for item, _url in area.items}

    assert {"supply:match", "supply:run_list"} <= menu(scene.officer)
    assert "supply:match" not in menu(scene.uo) and "supply:run_list" not in menu(scene.uo)
    assert "supply:run_list" not in menu(scene.ent_a)
    # the supply area follows the work: demand, matching and the optimiser, orders and what follows them,
    # then the enterprises' capacity and the imported baseline
    supply = next(area for area in menu_for(scene.officer) if area.area.key == "supply")
    assert [item.url_name for item, _url in supply.items] == [
        "supply:dashboard",
        "supply:plan_list",
        "supply:line_list",
        "supply:match",
        "supply:run_list",
        "supply:order_list",
        "supply:delivery_list",
        "supply:feedback_list",
        "supply:capacity_list",
        "supply:import_list",
    ]


def test_a_run_shows_its_proposal_beside_the_greedy_baseline_with_explanations(
    scene, page, django_capture_on_commit_callbacks
):
    client = page(scene.officer)
    start(client, django_capture_on_commit_callbacks)
    run = AllocationRun.objects.get()
    assert run.state == AllocationRun.State.PROPOSED
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert response.context["figures"]["share"] == "90.0 %"
    assert "Supplied in part (90 of 100 units)" in text and scene.world.ent_a.name in text
    assert "Not supplied" not in text
    # each line opens its demand plan at the line, with its units in words
    assert f'href="{scene.vests.get_absolute_url()}" data-line-link="{scene.vests.pk}"' in text
    assert "100 units to order" in text
    by_code = {line["line"]: line for line in response.context["lines"]}
    assert by_code[scene.vests]["code"] == "short_capacity"
    assert sorted(r["units"] for r in by_code[scene.vests]["rows"]) == [30, 60]
    # the craft line names no group: left out, and why
    assert [s["line"] for s in response.context["skipped"]] == [scene.craft]
    assert "neither a product group" in text
    assert response.context["may_accept"]
    assert response.context["totals"]["value"] == Decimal("1080000000")
    assert response.context["totals"]["cost"] == Decimal("1110000000") and "1,110,000,000 ₫" in text

    vi = page(scene.officer, "vi").get(run.get_absolute_url())
    assert vi.status_code == 200 and vi.wsgi_request.LANGUAGE_CODE == "vi"


def test_the_run_list_sorts_filters_and_exports(scene, page, django_capture_on_commit_callbacks):
    client = page(scene.officer)
    start(client, django_capture_on_commit_callbacks)
    start(client, django_capture_on_commit_callbacks, budget="600000000")
    response = client.get(reverse("supply:run_list"), {"sort": "-share"})
    assert response.status_code == 200
    assert [r.budget for r in response.context["table"].data] == [None, Decimal("600000000")]
    assert client.get(reverse("supply:run_list"), {"year": 2025}).context["table"].data.data.count() == 0
    exported = client.get(reverse("supply:run_list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[0][1] == "Year" and {row[1] for row in rows[1:]} == {"2026"}


def test_a_queued_run_shows_its_progress_until_the_job_is_done(scene, page, django_capture_on_commit_callbacks):
    client = page(scene.officer)
    client.post(reverse("supply:run_add"), {"year": 2026})  # the job waits (its task is not run here)
    run = AllocationRun.objects.get()
    assert run.state == AllocationRun.State.QUEUED
    assert 'id="run-status"' in client.get(run.get_absolute_url()).content.decode()
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "run-status"}
    response = client.get(run.get_absolute_url(), **poll)
    assert response.status_code == 200 and 'id="run-status"' in response.content.decode()
    from cnan.supply.tasks import allocation_compute

    allocation_compute.call(str(run.pk))
    assert Job.objects.get(pk=run.job_id).status == Job.Status.SUCCEEDED
    response = client.get(run.get_absolute_url(), **poll)
    assert response.status_code == 286 and response["HX-Refresh"] == "true"


def test_bad_input_starts_nothing(scene, page):
    client = page(scene.officer)
    before = database_state(STATE)
    for data in ({"year": 1990}, {"year": 2026, "budget": "-5"}, {}):
        assert client.post(reverse("supply:run_add"), data).status_code == 422
    assert database_state(STATE) == before


def accept_data(run, units, reasons=None, **extra):
    data = {
        "rows-TOTAL_FORMS": str(len(units)),
        "rows-INITIAL_FORMS": str(len(units)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "10000",
        "number_prefix": "PB-2026",
        "mode": "ordering",
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": "2026-02-01",
        "due_on": "2026-08-01",
        **extra,
    }
    for k, n in enumerate(units):
        data[f"rows-{k}-units"] = str(n)
        data[f"rows-{k}-reason"] = (reasons or {}).get(k, "")
    return data


def test_the_adjusted_proposal_becomes_orders_all_or_nothing(scene, page, django_capture_on_commit_callbacks):
    client = page(scene.officer)
    start(client, django_capture_on_commit_callbacks)
    run = AllocationRun.objects.get()
    url = reverse("supply:run_accept", args=[run.pk])
    units = [p["units"] for p in run.proposal]
    a = next(k for k, p in enumerate(run.proposal) if p["enterprise"] == scene.world.ent_a.pk)
    more = list(units)
    more[a] += 5  # beyond ENT-A's capacity: refused without a reason, nothing written
    before = database_state(STATE)
    for data in (
        accept_data(run, more),
        accept_data(run, [-1 for _ in units]),
        accept_data(run, [*units, 3]),  # a row the proposal does not have
        accept_data(run, units, due_on="2026-01-01"),  # due before it is ordered
        accept_data(run, [0 for _ in units]),  # nothing to order
    ):
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert 'id="accept-errors"' in response.content.decode() or response.context["accept_form"].errors
    assert database_state(STATE) == before
    response = client.post(url, accept_data(run, more))
    assert "beyond its capacity" in response.content.decode()

    # a row dropped (0), ENT-A's raised with its reason
    dropped = list(more)
    dropped[1 - a] = 0
    response = client.post(url, accept_data(run, dropped, reasons={a: "Tăng ca theo chỉ đạo"}))
    assert response.status_code == 302
    orders = list(ProductionOrder.objects.order_by("number"))
    assert [(o.number, o.quantity, o.enterprise) for o in orders] == [("PB-2026-0001", 65, scene.world.ent_a)]
    assert orders[0].over_capacity_reason == "Tăng ca theo chỉ đạo" and orders[0].demand_line == scene.vests
    run.refresh_from_db()
    assert run.state == AllocationRun.State.ACCEPTED
    page_ = client.get(run.get_absolute_url())
    assert [o.number for o in page_.context["orders"]] == ["PB-2026-0001"]
    assert orders[0].get_absolute_url() in page_.content.decode()
    assert not page_.context["may_accept"]
    # the order's page links back to the run it was placed from, for who sees the runs
    order_page = client.get(orders[0].get_absolute_url())
    assert order_page.context["run"] == run and f'href="{run.get_absolute_url()}" id="order-run"' in (
        order_page.content.decode()
    )
    unit_page = page(scene.uo).get(orders[0].get_absolute_url())
    assert unit_page.status_code == 200 and unit_page.context["run"] is None
    assert 'id="order-run"' not in unit_page.content.decode()
    # accepted once only
    before = database_state(STATE)
    assert client.post(url, accept_data(run, units)).status_code == 422
    assert database_state(STATE) == before


def test_the_matching_page_costs_the_same_queries_for_one_line_or_many(scene, page, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = page(scene.officer)
    plan = services.plan_create(actor=scene.uo, data={"unit": scene.unit, "year": 2027})

    def add_line():
        services.line_create(
            actor=scene.uo,
            plan=plan,
            data={
                "product_class": "support_tool",
                "product_group": scene.group,
                "specification": "Áo giáp nhẹ",
                "quantity": 5,
                "unit_value": Decimal("9000000"),
                "needed_by": dt.date(2027, 6, 30),
                "force_type": ForceType.INVESTIGATION,
            },
        )

    add_line()
    client.get(reverse("supply:match"), {"year": 2027})  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(reverse("supply:match"), {"year": 2027}).context["rows"]) == 1
    queries = len(one.captured_queries)  # read now: the next request clears the log
    for _k in range(5):
        add_line()
    with django_assert_num_queries(queries):
        assert len(client.get(reverse("supply:match"), {"year": 2027}).context["rows"]) == 6


def test_the_run_list_costs_the_same_queries_for_one_run_or_many(
    scene, page, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = page(scene.officer)
    start(client, django_capture_on_commit_callbacks)
    client.get(reverse("supply:run_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("supply:run_list"))
    queries = len(one.captured_queries)  # read now: the next request clears the log
    for _k in range(3):
        start(client, django_capture_on_commit_callbacks)
    with django_assert_num_queries(queries):
        assert len(client.get(reverse("supply:run_list")).context["table"].rows) == 4


def test_a_proposal_with_lines_above_the_readers_clearance_is_accepted_only_by_who_sees_it_whole(
    scene, page, make_user, isolated_profile, django_capture_on_commit_callbacks
):
    unit = org_services.organization_create(
        actor=None,
        parent=scene.world.bca,
        data={"code": "A05", "name": "Cục An ninh mạng", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    plan = services.plan_create(actor=None, data={"unit": unit, "year": 2026})
    secret = services.line_create(
        actor=None,
        plan=plan,
        data={
            "product_class": "support_tool",
            "product_group": scene.group,
            "specification": "Áo giáp đặc chủng",
            "quantity": 10,
            "unit_value": Decimal("20000000"),  # worth more: the optimiser supplies it first
            "needed_by": dt.date(2026, 6, 30),
            "force_type": ForceType.SECURITY_INTELLIGENCE,
            "classification": 1,
            "classification_basis": "Mục 2 danh mục bí mật nhà nước (thử nghiệm)",
        },
    )
    services.plan_transition(actor=None, plan=plan, action="submit")
    services.plan_transition(actor=None, plan=plan, action="consolidate")
    start(page(scene.officer), django_capture_on_commit_callbacks)
    run = AllocationRun.objects.get()
    assert secret.pk in {p["line"] for p in run.proposal}

    uncleared = page(make_user("department_officer", scene.world.h08, clearance=0))
    response = uncleared.get(run.get_absolute_url())
    assert response.context["hidden"] == 1 and not response.context["may_accept"]
    assert "Áo giáp đặc chủng" not in response.content.decode()
    before = database_state(STATE)
    response = uncleared.post(
        reverse("supply:run_accept", args=[run.pk]), accept_data(run, [p["units"] for p in run.proposal])
    )
    assert response.status_code == 422 and "may not see" in response.content.decode()
    assert database_state(STATE) == before
    # the cleared officer sees it whole
    assert page(scene.officer).get(run.get_absolute_url()).context["may_accept"]


def test_a_line_no_domestic_product_offers_is_explained_and_proposed_as_an_s_and_t_task(
    scene, page, django_capture_on_commit_callbacks
):
    unit = org_services.organization_create(
        actor=None,
        parent=scene.world.bca,
        data={"code": "K03", "name": "Cục Cảnh sát đường thủy", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    plan = services.plan_create(actor=None, data={"unit": unit, "year": 2026})
    boat = services.line_create(
        actor=None,
        plan=plan,
        data={
            "product_class": "patrol_craft",
            "product_group": scene.group,
            "specification": "Xuồng composite 9 m",
            "quantity": 3,
            "unit_value": Decimal("800000000"),
            "needed_by": dt.date(2026, 9, 30),
            "force_type": ForceType.PUBLIC_ORDER,
        },
    )
    services.plan_transition(actor=None, plan=plan, action="submit")
    services.plan_transition(actor=None, plan=plan, action="consolidate")
    client = page(scene.officer)
    start(client, django_capture_on_commit_callbacks)
    response = client.get(AllocationRun.objects.get().get_absolute_url())
    line = next(item for item in response.context["lines"] if item["line"] == boat)
    assert line["code"] == "no_offer" and line["rows"] == [] and line["tier"] == 3
    assert "nothing made at home supplies these 3 units" in line["explanation"]
    assert parse_qs(urlparse(line["task_url"]).query)["summary"][0].endswith(
        "Xuồng composite 9 m — 3 units for Cục Cảnh sát đường thủy (2026)"
    )
    assert f'data-task-line="{boat.pk}"' in response.content.decode()
