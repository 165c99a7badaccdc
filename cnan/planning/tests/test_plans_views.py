"""The plans area's pages: indicators, plans and strategies (workflow, cascade warnings, the targets grid) and
targets, through the real services; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

import pytest

from cnan.core.testing import database_state
from cnan.planning import services
from cnan.planning.models import Indicator, Plan, Target

from .conftest import APPS, make_plan

pytestmark = pytest.mark.django_db


def _client(client, user, language="en"):
    client.force_login(user)
    client.cookies["cnan_language"] = language
    return client


def _targets(scene, plan, ind="DT", owner=Decimal("100"), a=Decimal("60"), b=Decimal("30")):
    indicator = scene.ind.get(ind) or Indicator.objects.filter(aggregation="sum", direction="higher").first()
    for unit, value in ((plan.owner, owner), (scene.ent_a, a), (scene.ent_b, b)):
        services.target_set(actor=scene.officer, plan=plan, unit=unit, indicator=indicator, year=2026, value=value)
    return indicator


def test_indicator_list_reads_for_everyone_add_button_for_the_department(client, scene):
    page = _client(client, scene.ea).get(reverse("planning:indicator_list") + "?per_page=100")
    assert page.status_code == 200
    assert reverse("planning:indicator_add") not in page.content.decode()
    client.force_login(scene.officer)
    page = client.get(reverse("planning:indicator_list"))
    assert reverse("planning:indicator_add") in page.content.decode()
    export = client.get(reverse("planning:indicator_list") + "?export=csv&evaluation=true")
    assert export.status_code == 200
    body = export.content.decode("utf-8-sig")
    evaluation = Indicator.objects.filter(evaluation=True)
    assert evaluation.exists()
    for indicator in evaluation:
        assert indicator.code in body
    other = Indicator.objects.filter(evaluation=False).first()
    assert f"\n{other.code}," not in body


def test_an_enterprise_may_not_add_an_indicator_and_nothing_is_written(client, scene):
    before = database_state(APPS)
    response = _client(client, scene.ea).post(
        reverse("planning:indicator_add"), {"code": "X1", "name": "x", "unit": "percent", "category": "finance"}
    )
    assert response.status_code == 403
    assert database_state(APPS) == before


def test_a_ratio_without_its_parts_is_refused_on_the_form(client, scene):
    before = database_state(APPS)
    data = {
        "code": "TYLE",
        "name": "Tỷ lệ",
        "unit": "percent",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": "100",
        "category": "finance",
        "order": "5",
        "active": "on",
    }
    response = _client(client, scene.officer).post(reverse("planning:indicator_add"), data)
    assert response.status_code == 422
    assert "A ratio needs its numerator." in response.content.decode()
    assert database_state(APPS) == before


def test_plan_detail_groups_targets_and_warns_of_the_cascade_shortfall(client, scene):
    plan = make_plan(scene)
    indicator = _targets(scene, plan)
    page = _client(client, scene.officer).get(plan.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="cascade-warnings"' in html
    assert f'data-indicator="{indicator.code}" data-kind="shortfall"' in html
    assert "DT 2026: the units' targets add up to 90, below the plan's 100 (shortfall)." in html
    target = Target.objects.get(plan=plan, unit=scene.ent_a)
    assert f'id="target-{target.pk}"' in html
    assert 'data-transition="submit"' in html
    assert reverse("planning:target_add", args=[plan.pk]) in html
    assert '<html lang="en"' in html
    page = _client(client, scene.officer, "vi").get(plan.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="vi"' in html
    warning = html.split('id="cascade-warnings"')[1].split("</ul>")[0]
    assert 'data-kind="shortfall"' in warning and "90" in warning and "100" in warning


def test_approval_needs_a_decision_and_refuses_a_shortfall_writing_nothing(client, scene):
    plan = make_plan(scene)
    _targets(scene, plan)
    plan = services.plan_transition(actor=scene.officer, plan=plan, action="submit")
    url = reverse("planning:plan_transition", args=[plan.pk, "approve"])
    _client(client, scene.officer)
    before = database_state(APPS)
    client.post(url, {"decision_number": "", "decided_on": ""})
    assert database_state(APPS) == before
    client.post(url, {"decision_number": "15/QĐ-BCA", "decided_on": "2026-01-10"})
    assert database_state(APPS) == before  # the shortfall still refuses it
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_approval_with_a_decision_records_it(client, scene):
    plan = make_plan(scene)
    _targets(scene, plan, a=Decimal("70"))
    services.plan_transition(actor=scene.officer, plan=plan, action="submit")
    response = _client(client, scene.officer).post(
        reverse("planning:plan_transition", args=[plan.pk, "approve"]),
        {"decision_number": "15/QĐ-BCA", "decided_on": "2026-01-10", "comment": "Đồng ý"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.decision_number == "15/QĐ-BCA"
    assert plan.decided_on == dt.date(2026, 1, 10)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("planning:target_add", args=[plan.pk]) not in page  # targets are locked now
    assert 'data-transition="publish"' in page


def test_an_enterprise_may_not_approve(client, scene):
    plan = make_plan(scene, owner=scene.ent_a, kind=Plan.Kind.STRATEGY, code="CL-A", end_year=2030, actor=scene.ea)
    services.plan_transition(actor=scene.ea, plan=plan, action="submit")
    before = database_state(APPS)
    response = _client(client, scene.ea).post(
        reverse("planning:plan_transition", args=[plan.pk, "approve"]),
        {"decision_number": "1/QĐ", "decided_on": "2026-01-10"},
    )
    assert response.status_code == 403
    assert database_state(APPS) == before


def test_targets_of_an_approved_plan_are_refused_and_nothing_is_written(client, scene):
    plan = make_plan(scene)
    _targets(scene, plan, a=Decimal("70"))
    services.plan_transition(actor=scene.officer, plan=plan, action="submit")
    services.plan_transition(
        actor=scene.officer, plan=plan, action="approve", decision_number="1/QĐ", decided_on=dt.date(2026, 1, 5)
    )
    indicator = Indicator.objects.filter(unit="billion_vnd").exclude(targets__plan=plan).first()
    before = database_state(APPS)
    response = _client(client, scene.officer).post(
        reverse("planning:target_add", args=[plan.pk]),
        {
            "unit": scene.h08.pk,
            "indicator": indicator.pk,
            "year": "2026",
            "period_kind": "year",
            "period_number": "1",
            "value": "5",
        },
    )
    assert response.status_code == 422
    assert database_state(APPS) == before


def test_a_target_with_a_negative_count_is_refused(client, scene):
    plan = make_plan(scene)
    count = Indicator.objects.filter(unit="person").first()
    before = database_state(APPS)
    response = _client(client, scene.officer).post(
        reverse("planning:target_add", args=[plan.pk]),
        {
            "unit": scene.h08.pk,
            "indicator": count.pk,
            "year": "2026",
            "period_kind": "year",
            "period_number": "1",
            "value": "-3",
        },
    )
    assert response.status_code == 422
    assert "A count cannot be negative." in response.content.decode()
    assert database_state(APPS) == before
    response = client.post(
        reverse("planning:target_add", args=[plan.pk]),
        {
            "unit": scene.h08.pk,
            "indicator": count.pk,
            "year": "2026",
            "period_kind": "year",
            "period_number": "1",
            "value": "120",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(plan=plan, indicator=count)
    assert response["Location"].endswith(f"#target-{target.pk}")


def test_plan_list_filters_by_the_year_covered_and_hides_other_enterprises(client, scene):
    mine = make_plan(scene, owner=scene.ent_a, kind=Plan.Kind.STRATEGY, code="CL-A", end_year=2030, actor=scene.ea)
    theirs = make_plan(scene, owner=scene.ent_b, kind=Plan.Kind.STRATEGY, code="CL-B", end_year=2030, actor=scene.eb)
    page = _client(client, scene.ea).get(reverse("planning:plan_list") + "?year=2028").content.decode()
    assert mine.code in page and theirs.code not in page
    page = client.get(reverse("planning:plan_list") + "?year=2031").content.decode()
    assert mine.code not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    export = client.get(reverse("planning:plan_list") + "?export=csv").content.decode("utf-8-sig")
    assert mine.code in export and theirs.code not in export
