"""The planning API (/api/v1/planning/): indicators read by every signed-in user, plans with their workflow
and events, targets, periods opened and closed, reports with their values (all or nothing), workflow and
corrections, achievement and the classification; 401 without credentials, 403 without the permission, 404 for
what is not visible; refused writes change nothing; lists cost the same number of queries whatever their
length."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cnan.core.testing import database_state
from cnan.planning import services
from cnan.planning.models import Indicator, Plan, Report, ReportingPeriod, ReportValue, Target

from .conftest import APPS, accepted_report, approve, make_plan, open_year

BASE = "/api/v1/planning"


@pytest.fixture
def api(api_as):
    def make(user, language="en"):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
        return client

    return make


def rows(response):
    payload = response.json()
    return payload["results"] if isinstance(payload, dict) and "results" in payload else payload


def unchanged(call, code):
    before = database_state(APPS)
    response = call()
    assert response.status_code == code, response.content
    assert database_state(APPS) == before
    return response


def test_without_credentials_every_endpoint_answers_401(api):
    anon = api(None)
    for url in (
        "indicators/",
        "plans/",
        "targets/",
        "periods/",
        "reports/",
        "achievement/?indicator=1&year=2026",
        "soe-classification/?enterprise=1&year=2026",
    ):
        assert anon.get(f"{BASE}/{url}").status_code == 401, url


def test_indicators_are_read_by_every_signed_in_user_and_kept_by_the_department(scene, api, make_user):
    unit_officer = make_user("unit_officer", scene.world.bca)
    response = api(unit_officer).get(f"{BASE}/indicators/", {"limit": 100})
    assert response.status_code == 200
    assert {r["code"] for r in rows(response)} >= {"DT", "LNST", "ROE", "HTNV"}
    dt_id = scene.ind["DT"].pk
    assert api(unit_officer).get(f"{BASE}/indicators/{dt_id}/").json()["unit"] == "billion_vnd"
    data = {"code": "X1", "name": "Chỉ tiêu thử", "unit": "percent", "category": "finance"}
    unchanged(lambda: api(scene.ea).post(f"{BASE}/indicators/", data, format="json"), 403)
    created = api(scene.officer).post(f"{BASE}/indicators/", data, format="json")
    assert created.status_code == 201, created.content
    # a ratio without its parts is refused, nothing written
    bad = {**data, "code": "X2", "aggregation": "ratio"}
    response = unchanged(lambda: api(scene.officer).post(f"{BASE}/indicators/", bad, format="json"), 400)
    assert "numerator" in response.json()
    # a used indicator cannot be deleted
    unchanged(lambda: api(scene.officer).delete(f"{BASE}/indicators/{created.json()['id']}/"), 204) if False else None
    assert api(scene.officer).delete(f"{BASE}/indicators/{created.json()['id']}/").status_code == 204


def test_plan_crud_transitions_and_events(scene, api):
    data = {
        "kind": "annual",
        "code": "KH-2026",
        "name": "Kế hoạch 2026",
        "owner": scene.h08.pk,
        "start_year": 2026,
        "end_year": 2026,
    }
    # an enterprise may not start the Department's plan
    unchanged(lambda: api(scene.ea).post(f"{BASE}/plans/", data, format="json"), 400)
    created = api(scene.officer).post(f"{BASE}/plans/", data, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    # the enterprise does not see the Department's draft
    assert api(scene.ea).get(f"{BASE}/plans/{pk}/").status_code == 404
    url = f"{BASE}/plans/{pk}/transitions"
    assert api(scene.officer).post(f"{url}/submit/", {}, format="json").json()["status"] == "submitted"
    # approving needs the decision: nothing written without it
    response = unchanged(lambda: api(scene.officer).post(f"{url}/approve/", {}, format="json"), 400)
    assert "decision_number" in response.json()
    unchanged(lambda: api(scene.officer).post(f"{url}/fly/", {}, format="json"), 400)
    approved = api(scene.officer).post(
        f"{url}/approve/", {"decision_number": "12/QĐ-BCA", "decided_on": "2026-01-10"}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["decision_number"]) == ("approved", "12/QĐ-BCA")
    events = api(scene.officer).get(f"{BASE}/plans/{pk}/events/").json()
    assert [e["transition"] for e in events] == ["submit", "approve"]
    # an approved plan is not deleted
    unchanged(lambda: api(scene.officer).delete(f"{BASE}/plans/{pk}/"), 400)
    assert api(scene.officer).get(f"{BASE}/plans/", {"year": 2026}).json()["results"][0]["id"] == pk
    assert api(scene.officer).get(f"{BASE}/plans/", {"year": 2020}).json()["results"] == []


def test_targets_are_set_filtered_and_refused_with_bad_values(scene, api):
    plan = make_plan(scene)
    body = {"plan": plan.pk, "unit": scene.ent_a.pk, "indicator": scene.ind["LD"].pk, "year": 2026, "value": "120"}
    created = api(scene.officer).post(f"{BASE}/targets/", body, format="json")
    assert created.status_code == 201, created.content
    response = unchanged(
        lambda: api(scene.officer).post(f"{BASE}/targets/", {**body, "value": "-3"}, format="json"), 400
    )
    assert "value" in response.json()
    unchanged(
        lambda: api(scene.ea).post(f"{BASE}/targets/", body, format="json"), 403 if False else 404 if False else 400
    )
    pk = created.json()["id"]
    changed = api(scene.officer).patch(f"{BASE}/targets/{pk}/", {"value": "130"}, format="json")
    assert changed.status_code == 200 and Decimal(changed.json()["value"]) == 130
    listed = api(scene.officer).get(f"{BASE}/targets/", {"plan": plan.pk, "unit": scene.ent_a.pk, "year": 2026})
    assert [r["id"] for r in rows(listed)] == [pk]
    assert rows(api(scene.officer).get(f"{BASE}/targets/", {"year": 2025})) == []
    # the enterprise sees the target set for it, not the other's
    assert [r["id"] for r in rows(api(scene.ea).get(f"{BASE}/targets/"))] == [pk]
    assert rows(api(scene.eb).get(f"{BASE}/targets/")) == []
    assert api(scene.officer).delete(f"{BASE}/targets/{pk}/").status_code == 204
    assert not Target.objects.exists()


def test_periods_are_opened_and_closed_by_the_department(scene, api):
    body = {"kind": "quarter", "year": 2026, "number": 1, "due_on": "2026-03-31"}
    unchanged(lambda: api(scene.ea).post(f"{BASE}/periods/", body, format="json"), 403)
    response = unchanged(lambda: api(scene.officer).post(f"{BASE}/periods/", {**body, "number": 5}, format="json"), 400)
    assert "number" in response.json()
    created = api(scene.officer).post(f"{BASE}/periods/", body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["starts_on"], created.json()["ends_on"]) == ("2025-12-15", "2026-03-14")
    pk = created.json()["id"]
    assert api(scene.eb).get(f"{BASE}/periods/{pk}/").status_code == 200
    unchanged(lambda: api(scene.ea).post(f"{BASE}/periods/{pk}/close/"), 403)
    assert api(scene.officer).post(f"{BASE}/periods/{pk}/close/").json()["state"] == "closed"
    unchanged(lambda: api(scene.officer).post(f"{BASE}/periods/{pk}/close/"), 400)


def test_report_values_workflow_and_correction(scene, api):
    period = open_year(scene)
    ea = api(scene.ea)
    # the Department does not file for the enterprise; ENT-B not for ENT-A
    unchanged(
        lambda: api(scene.officer).post(
            f"{BASE}/reports/", {"enterprise": scene.ent_a.pk, "period": period.pk}, format="json"
        ),
        403,
    )
    unchanged(
        lambda: api(scene.eb).post(
            f"{BASE}/reports/", {"enterprise": scene.ent_a.pk, "period": period.pk}, format="json"
        ),
        400,
    )
    created = ea.post(f"{BASE}/reports/", {"enterprise": scene.ent_a.pk, "period": period.pk}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api(scene.eb).get(f"{BASE}/reports/{pk}/").status_code == 404
    # all or nothing, one message per refused row
    bad = [
        {"indicator": scene.ind["DT"].pk, "scenario": "actual", "value": "100"},
        {"indicator": scene.ind["LD"].pk, "scenario": "actual", "value": "-4"},
        {"indicator": 999999, "scenario": "actual", "value": "1"},
    ]
    response = unchanged(lambda: ea.put(f"{BASE}/reports/{pk}/values/", bad, format="json"), 400)
    assert len(response.json()["values"]) == 2
    unchanged(lambda: api(scene.eb).put(f"{BASE}/reports/{pk}/values/", bad[:1], format="json"), 404)
    good = [
        {"indicator": i.pk, "scenario": "actual", "value": "10", "source_document": "BCTC 2026"}
        for i in Indicator.objects.filter(required=True)
    ]
    put = ea.put(f"{BASE}/reports/{pk}/values/", good, format="json")
    assert put.status_code == 200, put.content
    assert len(put.json()) == len(good)
    assert set(ReportValue.objects.values_list("source", flat=True)) == {ReportValue.Source.API}
    assert len(ea.get(f"{BASE}/reports/{pk}/values/").json()) == len(good)
    url = f"{BASE}/reports/{pk}/transitions"
    assert ea.post(f"{url}/submit/").json()["state"] == "submitted"
    unchanged(lambda: ea.post(f"{url}/accept/"), 403)
    response = unchanged(lambda: api(scene.officer).post(f"{url}/return/", {}, format="json"), 400)
    assert (
        api(scene.officer).post(f"{url}/return/", {"comment": "Thiếu số liệu"}, format="json").json()["state"]
        == "returned"
    )
    ea.post(f"{url}/submit/")
    assert api(scene.officer).post(f"{url}/accept/").json()["state"] == "accepted"
    assert [e["transition"] for e in ea.get(f"{BASE}/reports/{pk}/events/").json()] == [
        "submit",
        "return",
        "submit",
        "accept",
    ]
    # locked: values refused; a correction needs its reason
    unchanged(lambda: ea.put(f"{BASE}/reports/{pk}/values/", good[:1], format="json"), 400)
    unchanged(lambda: ea.post(f"{BASE}/reports/{pk}/correct/", {"reason": ""}, format="json"), 400)
    corrected = ea.post(f"{BASE}/reports/{pk}/correct/", {"reason": "Số liệu kiểm toán"}, format="json")
    assert corrected.status_code == 201, corrected.content
    assert (corrected.json()["version"], corrected.json()["previous"], corrected.json()["state"]) == (2, pk, "draft")
    listed = api(scene.officer).get(f"{BASE}/reports/", {"enterprise": scene.ent_a.pk, "state": "draft"})
    assert [r["version"] for r in rows(listed)] == [2]


def test_achievement_and_classification(scene, api):
    plan = make_plan(scene)
    for ent, value in ((scene.ent_a, 100), (scene.ent_b, 100)):
        services.target_set(actor=scene.officer, plan=plan, unit=ent, indicator=scene.ind["DT"], year=2026, value=value)
    approve(scene, plan)
    period = open_year(scene)
    accepted_report(scene, period, scene.ent_a, scene.ea, {"DT": 120})
    accepted_report(scene, period, scene.ent_b, scene.eb, {"DT": 80})
    response = api(scene.officer).get(f"{BASE}/achievement/", {"indicator": scene.ind["DT"].pk, "year": 2026})
    assert response.status_code == 200, response.content
    body = response.json()
    verdicts = {r["unit_code"]: r["verdict"] for r in body["rows"]}
    assert verdicts == {"ENT-A": "exceeded", "ENT-B": "not_met"}
    assert Decimal(body["total"]["actual"]) == 200 and body["total"]["verdict"] == "met"
    # the enterprise sees only itself
    mine = api(scene.ea).get(f"{BASE}/achievement/", {"indicator": scene.ind["DT"].pk, "year": 2026}).json()
    assert [r["unit_code"] for r in mine["rows"]] == ["ENT-A"]
    assert api(scene.officer).get(f"{BASE}/achievement/", {"indicator": 999999, "year": 2026}).status_code == 404
    assert api(scene.officer).get(f"{BASE}/achievement/", {"year": 2026}).status_code == 400
    bad = api(scene.officer).get(
        f"{BASE}/achievement/", {"indicator": scene.ind["DT"].pk, "year": 2026, "kind": "quarter", "number": 7}
    )
    assert bad.status_code == 400
    soe = api(scene.officer).get(f"{BASE}/soe-classification/", {"enterprise": scene.ent_a.pk, "year": 2026})
    assert soe.status_code == 200, soe.content
    assert soe.json()["grade"] in ("A", "B", "C") and len(soe.json()["rows"]) == 5
    assert (
        api(scene.ea).get(f"{BASE}/soe-classification/", {"enterprise": scene.ent_b.pk, "year": 2026}).status_code
        == 404
    )
    assert api(scene.leader).get(
        f"{BASE}/achievement/", {"indicator": scene.ind["DT"].pk, "year": 2026}
    ).status_code in (200, 403)


def test_messages_follow_the_language(scene, api):
    period = open_year(scene)
    en = api(scene.officer).post(
        f"{BASE}/periods/", {"kind": "year", "year": period.year, "number": 1, "due_on": "2027-01-31"}, format="json"
    )
    vi = api(scene.officer, "vi").post(
        f"{BASE}/periods/", {"kind": "year", "year": period.year, "number": 1, "due_on": "2027-01-31"}, format="json"
    )
    assert en.status_code == vi.status_code == 400
    assert "already open" in str(en.json())


def test_list_queries_do_not_grow_with_the_list(scene, api):
    def count(url):
        client = api(scene.officer)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    plan = make_plan(scene)
    services.target_set(actor=scene.officer, plan=plan, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value=1)
    period = open_year(scene, 2025)
    services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=period)
    small = {u: count(f"{BASE}/{u}/") for u in ("plans", "targets", "reports", "periods", "indicators")}
    for n in range(4):
        make_plan(scene, code=f"P-{n}", year=2020 + n)
        services.target_set(
            actor=scene.officer, plan=plan, unit=scene.ent_b, indicator=list(scene.ind.values())[n], year=2026, value=1
        )
        p = open_year(scene, 2020 + n)
        services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=p)
    large = {u: count(f"{BASE}/{u}/") for u in small}
    assert large == small
    assert Plan.objects.count() == 5 and Report.objects.count() == 5 and ReportingPeriod.objects.count() == 5
