"""Indicators, plans and targets: who may write what, the plan workflow with its decisions, targets that change
only while a draft or adjusted, and the cascade check that blocks the approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied

import pytest

from cnan.core.testing import changes_for
from cnan.planning import selectors, services
from cnan.planning.models import Indicator, Plan, PlanEvent, Target

from .conftest import approve, make_plan, refused

D = dt.date


# --- indicators ---------------------------------------------------------------------------------------------


def indicator_data(**extra):
    return {"code": "X-1", "name": "Chỉ tiêu thử", "unit": "billion_vnd", "category": "finance", **extra}


def test_the_department_keeps_the_indicators(scene):
    ind = services.indicator_create(actor=scene.officer, data=indicator_data())
    ind = services.indicator_update(actor=scene.officer, instance=ind, data={"name": "Chỉ tiêu mới"})
    assert ind.name == "Chỉ tiêu mới"
    assert [c.action for c in changes_for(ind)] == ["create", "update"]
    refused(lambda: services.indicator_create(actor=scene.ea, data=indicator_data(code="X-2")), error=PermissionDenied)
    refused(lambda: services.indicator_delete(actor=scene.ea, instance=ind), error=PermissionDenied)
    services.indicator_delete(actor=scene.officer, instance=ind)
    assert not Indicator.objects.filter(code="X-1").exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"aggregation": "weighted"}, "weight"),
        ({"aggregation": "ratio"}, "numerator"),
        ({"aggregation": "ratio", "numerator_code": "LNST"}, "denominator"),
        ({"aggregation": "ratio", "numerator_code": "LNST", "denominator_code": "LNST"}, "denominator"),
    ],
)
def test_an_indicator_aggregation_needs_its_indicators(scene, extra, field):
    extra = dict(extra)
    for name in ("numerator", "denominator"):
        code = extra.pop(f"{name}_code", None)
        if code:
            extra[name] = scene.ind[code]
    refused(lambda: services.indicator_create(actor=scene.officer, data=indicator_data(**extra)), field=field)


def test_a_ratio_cannot_be_its_own_part(scene):
    ind = services.indicator_create(actor=scene.officer, data=indicator_data())
    refused(
        lambda: services.indicator_update(
            actor=scene.officer,
            instance=ind,
            data={"aggregation": "ratio", "numerator": ind, "denominator": scene.ind["VCSH"]},
        ),
        field="numerator",
    )


def test_an_indicator_in_use_cannot_be_deleted(scene):
    plan = make_plan(scene)
    services.target_set(actor=scene.officer, plan=plan, unit=scene.h08, indicator=scene.ind["DT"], year=2026, value=10)
    refused(lambda: services.indicator_delete(actor=scene.officer, instance=scene.ind["DT"]), match="used by targets")
    refused(lambda: services.indicator_delete(actor=scene.officer, instance=scene.ind["VCSH"]), match="computed from")


# --- plans ----------------------------------------------------------------------------------------------------------


def test_industry_instruments_belong_to_the_department_and_strategies_to_an_enterprise(scene):
    refused(lambda: make_plan(scene, owner=scene.ent_a, kind=Plan.Kind.PROJECT, actor=scene.ea), field="owner")
    refused(lambda: make_plan(scene, kind=Plan.Kind.STRATEGY, end_year=2030), field="owner")
    strategy = make_plan(
        scene, owner=scene.ent_a, kind=Plan.Kind.STRATEGY, end_year=2030, vision_year=2045, actor=scene.ea
    )
    assert (strategy.owner, strategy.status, strategy.vision_year) == (scene.ent_a, Plan.Status.DRAFT, 2045)


def test_an_enterprise_plans_only_for_itself(scene):
    refused(lambda: make_plan(scene, owner=scene.ent_b, actor=scene.ea), error=PermissionDenied)
    refused(lambda: make_plan(scene, actor=scene.ea), error=PermissionDenied)


def test_a_component_project_needs_its_overall_project(scene):
    project = make_plan(scene, kind=Plan.Kind.PROJECT, end_year=2030, code="ĐA-158")
    refused(lambda: make_plan(scene, kind=Plan.Kind.COMPONENT_PROJECT, end_year=2030, code="ĐA-1"), field="parent")
    five = make_plan(scene, kind=Plan.Kind.FIVE_YEAR, end_year=2030, code="KH5")
    refused(
        lambda: make_plan(scene, kind=Plan.Kind.COMPONENT_PROJECT, end_year=2030, code="ĐA-1", parent=five),
        field="parent",
    )
    part = make_plan(scene, kind=Plan.Kind.COMPONENT_PROJECT, end_year=2030, code="ĐA-1", parent=project)
    assert part.parent == project
    refused(lambda: make_plan(scene, kind=Plan.Kind.PROGRAMME, code="CT-1", parent=project), field="parent")
    refused(lambda: make_plan(scene, code="KH-2026", end_year=2027), field="end_year")


def test_plan_workflow_submit_approve_publish_adjust(scene):
    plan = make_plan(scene)
    refused(
        lambda: services.plan_transition(
            actor=scene.officer, plan=plan, action="approve", decision_number="1", decided_on=D(2026, 1, 5)
        ),
        match="not possible",
    )
    plan = services.plan_transition(actor=scene.officer, plan=plan, action="submit")
    refused(
        lambda: services.plan_transition(actor=scene.officer, plan=plan, action="approve", decided_on=D(2026, 1, 5)),
        field="decision_number",
    )
    refused(
        lambda: services.plan_transition(actor=scene.officer, plan=plan, action="approve", decision_number="1"),
        field="decided_on",
    )
    plan = services.plan_transition(
        actor=scene.officer, plan=plan, action="approve", decision_number="12/QĐ-BCA", decided_on=D(2026, 1, 5)
    )
    assert (plan.status, plan.decision_number, plan.decided_on) == (Plan.Status.APPROVED, "12/QĐ-BCA", D(2026, 1, 5))
    refused(lambda: services.plan_transition(actor=scene.officer, plan=plan, action="submit"), match="not possible")
    plan = services.plan_transition(actor=scene.officer, plan=plan, action="publish")
    assert plan.status == Plan.Status.PUBLISHED
    refused(
        lambda: services.plan_transition(actor=scene.officer, plan=plan, action="adjust", decided_on=D(2026, 6, 1)),
        field="decision_number",
    )
    refused(
        lambda: services.plan_transition(
            actor=scene.officer, plan=plan, action="adjust", decision_number="40/QĐ", decided_on=D(2025, 12, 1)
        ),
        field="decided_on",
    )
    plan = services.plan_transition(
        actor=scene.officer, plan=plan, action="adjust", decision_number="40/QĐ-BCA", decided_on=D(2026, 6, 1)
    )
    assert (plan.status, plan.decision_number) == (Plan.Status.ADJUSTED, "40/QĐ-BCA")
    assert list(PlanEvent.objects.filter(plan=plan).values_list("transition", "to_state", "decision_number")) == [
        ("submit", "submitted", ""),
        ("approve", "approved", "12/QĐ-BCA"),
        ("publish", "published", ""),
        ("adjust", "adjusted", "40/QĐ-BCA"),
    ]
    # adjusted: the targets may change again, and it may be published again
    services.target_set(actor=scene.officer, plan=plan, unit=scene.h08, indicator=scene.ind["DT"], year=2026, value=5)
    assert services.plan_transition(actor=scene.officer, plan=plan, action="publish").status == Plan.Status.PUBLISHED


def test_an_enterprise_submits_its_plan_but_only_the_department_approves_it(scene):
    plan = make_plan(scene, owner=scene.ent_a, actor=scene.ea)
    refused(lambda: services.plan_transition(actor=scene.eb, plan=plan, action="submit"), error=PermissionDenied)
    plan = services.plan_transition(actor=scene.ea, plan=plan, action="submit")
    refused(
        lambda: services.plan_transition(
            actor=scene.ea, plan=plan, action="approve", decision_number="1", decided_on=D(2026, 1, 5)
        ),
        error=PermissionDenied,
    )
    refused(lambda: services.plan_transition(actor=scene.leader, plan=plan, action="publish"), error=PermissionDenied)
    plan = services.plan_transition(
        actor=scene.officer, plan=plan, action="approve", decision_number="5/QĐ-H08", decided_on=D(2026, 1, 5)
    )
    assert plan.status == Plan.Status.APPROVED


def test_targets_change_only_while_draft_or_adjusted(scene):
    plan = make_plan(scene)
    target = services.target_set(
        actor=scene.officer, plan=plan, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value="100"
    )
    again = services.target_set(
        actor=scene.officer, plan=plan, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value="120"
    )
    assert (again.pk, again.value) == (target.pk, Decimal("120"))
    plan = approve(scene, plan)
    refused(
        lambda: services.target_set(
            actor=scene.officer, plan=plan, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value=130
        ),
        match="Approved",
    )
    refused(lambda: services.target_delete(actor=scene.officer, instance=again), match="Approved")
    refused(lambda: services.plan_update(actor=scene.officer, instance=plan, data={"name": "Khác"}), match="Approved")
    refused(lambda: services.plan_delete(actor=scene.officer, instance=plan), match="draft")


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("HTNV", "1000.5", "percentage"),
        ("HTNV", "-1", "percentage"),
        ("LD", "-3", "negative"),
        ("LD", "2.5", "whole number"),
        ("DT", "-1", "cannot be negative"),
        ("DT", "abc", "number"),
    ],
)
def test_a_target_must_make_sense_for_its_indicator(scene, code, value, message):
    plan = make_plan(scene)
    refused(
        lambda: services.target_set(
            actor=scene.officer, plan=plan, unit=scene.h08, indicator=scene.ind[code], year=2026, value=value
        ),
        field="value",
        match=message,
    )


def test_target_checks_the_unit_year_and_period(scene):
    plan = make_plan(scene, owner=scene.ent_a, actor=scene.ea)
    common = {"plan": plan, "indicator": scene.ind["DT"], "value": 1}
    refused(lambda: services.target_set(actor=scene.ea, unit=scene.ent_b, year=2026, **common), field="unit")
    refused(lambda: services.target_set(actor=scene.ea, unit=scene.ent_a, year=2027, **common), field="year")
    refused(
        lambda: services.target_set(
            actor=scene.ea, unit=scene.ent_a, year=2026, period_kind="quarter", period_number=5, **common
        ),
        field="period_number",
    )
    refused(lambda: services.target_set(actor=scene.eb, unit=scene.ent_a, year=2026, **common), error=PermissionDenied)
    services.target_set(actor=scene.ea, unit=scene.ent_a, year=2026, period_kind="quarter", period_number=4, **common)
    # the Department's plan is not the enterprise's to change
    department = make_plan(scene)
    refused(
        lambda: services.target_set(
            actor=scene.ea, plan=department, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value=1
        ),
        error=PermissionDenied,
    )


def test_an_enterprise_sees_the_targets_set_for_it_not_the_others(scene):
    plan = make_plan(scene)
    for unit in (scene.h08, scene.ent_a, scene.ent_b):
        services.target_set(actor=scene.officer, plan=plan, unit=unit, indicator=scene.ind["DT"], year=2026, value=1)
    assert list(selectors.target_list(user=scene.ea).values_list("unit__code", flat=True)) == ["ENT-A"]
    assert selectors.target_list(user=scene.officer).count() == 3
    assert not selectors.plan_list(user=scene.ea).exists()


def test_deleting_a_draft_plan_removes_its_targets(scene):
    plan = make_plan(scene, owner=scene.ent_a, actor=scene.ea)
    services.target_set(actor=scene.ea, plan=plan, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value=1)
    refused(lambda: services.plan_delete(actor=scene.eb, instance=plan), error=PermissionDenied)
    services.plan_delete(actor=scene.ea, instance=plan)
    assert not Target.objects.exists()


# --- cascade check ---------------------------------------------------------------------------------------------------


def set_targets(scene, plan, code, values, **period):
    for unit, value in values.items():
        services.target_set(
            actor=scene.officer, plan=plan, unit=unit, indicator=scene.ind[code], year=2026, value=value, **period
        )


def test_cascade_check_finds_a_shortfall_and_blocks_the_approval(scene):
    plan = make_plan(scene)
    set_targets(scene, plan, "DT", {scene.h08: 100, scene.ent_a: 60, scene.ent_b: 30})
    set_targets(scene, plan, "LNST", {scene.h08: 10, scene.ent_a: 6, scene.ent_b: 5})  # carried: 11 ≥ 10
    set_targets(scene, plan, "GTSX", {scene.h08: 50})  # not distributed yet: not compared
    [mismatch] = selectors.cascade_check(plan)
    assert (mismatch.indicator.code, mismatch.kind, mismatch.owner_value, mismatch.units_value) == (
        "DT",
        "shortfall",
        Decimal("100"),
        Decimal("90"),
    )
    assert mismatch.difference == Decimal("-10")
    plan = services.plan_transition(actor=scene.officer, plan=plan, action="submit")
    refused(
        lambda: services.plan_transition(
            actor=scene.officer, plan=plan, action="approve", decision_number="1", decided_on=D(2026, 1, 5)
        ),
        match="DT 2026: the units give 90 against 100",
    )


def test_cascade_check_lower_is_better_excess_and_ratio_from_parts(scene):
    plan = make_plan(scene)
    # debt/equity (lower is better): the units' ratio from their summed parts, (30+50)/(100+60)×100 = 50 > 40
    set_targets(scene, plan, "NPT-VCSH", {scene.h08: 40})
    set_targets(scene, plan, "NPT", {scene.ent_a: 30, scene.ent_b: 50})
    set_targets(scene, plan, "VCSH", {scene.ent_a: 100, scene.ent_b: 60})
    # a lower-is-better sum below the owner's target is fine; a higher-is-better sum above it too
    set_targets(scene, plan, "NPT", {scene.h08: 100})
    set_targets(scene, plan, "VCSH", {scene.h08: 150})
    [mismatch] = selectors.cascade_check(plan)
    assert (mismatch.indicator.code, mismatch.kind, mismatch.units_value) == ("NPT-VCSH", "excess", Decimal("50"))
    set_targets(scene, plan, "NPT-VCSH", {scene.h08: 50})
    assert selectors.cascade_check(plan) == []
    assert approve(scene, plan).status == Plan.Status.APPROVED


def test_cascade_check_compares_each_period_separately(scene):
    plan = make_plan(scene)
    set_targets(scene, plan, "DT", {scene.h08: 40, scene.ent_a: 40}, period_kind="quarter", period_number=1)
    set_targets(scene, plan, "DT", {scene.h08: 40, scene.ent_a: 39}, period_kind="quarter", period_number=2)
    [mismatch] = selectors.cascade_check(plan)
    assert (mismatch.period_kind, mismatch.period_number) == ("quarter", 2)
