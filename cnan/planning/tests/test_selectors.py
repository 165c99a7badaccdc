"""Achievement (KH, TH, TH/KH %, same period last year, verdict, industry total), the SOE classification and
aggregation, against figures computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cnan.planning import selectors, services
from cnan.planning.models import Indicator
from cnan.planning.selectors import Verdict

from .conftest import accepted_report, approve, make_plan, open_year

D = dt.date


@pytest.fixture
def figures(scene):
    """The Department's 2026 annual plan (approved) and both enterprises' accepted reports for 2025 and 2026."""
    plan = make_plan(scene)
    targets = {
        scene.ent_a: {"DT": 200, "NPT": 50, "ROE": 10, "LNST": 20, "VCSH": 200, "GN-DTDA": 40, "HTNV": 100},
        scene.ent_b: {"DT": 100, "NPT": 40, "LNST": 5, "VCSH": 100, "GN-DTDA": 10, "HTNV": 100},
        scene.h08: {"DT": 300},
    }
    for unit, values in targets.items():
        for code, value in values.items():
            services.target_set(
                actor=scene.officer, plan=plan, unit=unit, indicator=scene.ind[code], year=2026, value=value
            )
    approve(scene, plan)
    y2025, y2026 = open_year(scene, 2025), open_year(scene, 2026)
    accepted_report(scene, y2025, scene.ent_a, scene.ea, {"DT": 200, "NPT": 60})
    accepted_report(scene, y2025, scene.ent_b, scene.eb, {"DT": 100})
    accepted_report(
        scene,
        y2026,
        scene.ent_a,
        scene.ea,
        {"DT": ("audited", 220), "LNST": 30, "VCSH": 200, "NPT": 50, "GN-DTDA": 40, "HTNV": 100},
    )
    accepted_report(
        scene,
        y2026,
        scene.ent_b,
        scene.eb,
        {"DT": 90, "LNST": 2, "VCSH": 50, "NPT": 30, "GN-DTDA": 12, "HTNV": 100},
    )
    return plan


def by_unit(result):
    return {row.unit.code: row for row in result.rows}


def test_achievement_per_unit_and_industry_total(scene, figures):
    result = selectors.achievement(scene.officer, indicator=scene.ind["DT"], year=2026)
    rows = by_unit(result)
    assert sorted(rows) == ["ENT-A", "ENT-B"]
    a, b, total = rows["ENT-A"], rows["ENT-B"], result.total
    assert (a.plan, a.actual, a.scenario, a.achievement_pct, a.last_year, a.vs_last_year_pct, a.verdict) == (
        Decimal("200"),
        Decimal("220"),
        "audited",
        Decimal("110.0"),
        Decimal("200"),
        Decimal("110.0"),
        Verdict.EXCEEDED,
    )
    assert (b.plan, b.actual, b.achievement_pct, b.vs_last_year_pct, b.verdict) == (
        Decimal("100"),
        Decimal("90"),
        Decimal("90.0"),
        Decimal("90.0"),
        Verdict.NOT_MET,
    )
    # 310 / 300 = 103.33 %; last year 300
    assert (total.plan, total.actual, total.achievement_pct, total.last_year, total.vs_last_year_pct) == (
        Decimal("300"),
        Decimal("310"),
        Decimal("103.3"),
        Decimal("300"),
        Decimal("103.3"),
    )
    assert total.verdict == Verdict.EXCEEDED
    assert result.industry_target == Decimal("300")


def test_lower_is_better_inverts_the_verdict(scene, figures):
    result = selectors.achievement(scene.officer, indicator=scene.ind["NPT"], year=2026)
    rows = by_unit(result)
    assert (rows["ENT-A"].achievement_pct, rows["ENT-A"].verdict) == (Decimal("100.0"), Verdict.MET)
    assert (rows["ENT-B"].achievement_pct, rows["ENT-B"].verdict) == (Decimal("75.0"), Verdict.EXCEEDED)
    # debt fell from 60 to 50 at ENT-A: 83.3 % of last year
    assert rows["ENT-A"].vs_last_year_pct == Decimal("83.3")
    assert (result.total.plan, result.total.actual, result.total.verdict) == (
        Decimal("90"),
        Decimal("80"),
        Verdict.EXCEEDED,
    )


def test_a_ratio_is_recomputed_from_its_parts_never_averaged(scene, figures):
    result = selectors.achievement(scene.officer, indicator=scene.ind["ROE"], year=2026)
    rows = by_unit(result)
    # ENT-A: 30 / 200 × 100 = 15 against its ROE target 10; ENT-B: 2 / 50 × 100 = 4 against 5 / 100 × 100 = 5
    assert (rows["ENT-A"].actual, rows["ENT-A"].plan, rows["ENT-A"].verdict) == (
        Decimal("15"),
        Decimal("10"),
        Verdict.EXCEEDED,
    )
    assert (rows["ENT-B"].actual, rows["ENT-B"].plan, rows["ENT-B"].achievement_pct) == (
        Decimal("4"),
        Decimal("5"),
        Decimal("80.0"),
    )
    # industry: (30 + 2) / (200 + 50) × 100 = 12.8, not the mean of the ratios (9.5)
    assert result.total.actual == Decimal("12.8")
    assert result.total.plan.quantize(Decimal("0.0001")) == Decimal("8.3333")  # (20 + 5) / (200 + 100) × 100


def test_an_enterprise_sees_only_its_own_row(scene, figures):
    result = selectors.achievement(scene.eb, indicator=scene.ind["DT"], year=2026)
    assert [row.unit.code for row in result.rows] == ["ENT-B"]
    assert result.total.actual == Decimal("90")


def test_the_owner_agencys_assignment_wins_over_the_enterprises_own_plan(scene, figures):
    own = make_plan(scene, owner=scene.ent_a, actor=scene.ea)
    services.target_set(actor=scene.ea, plan=own, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value=250)
    approve(scene, own)
    rows = by_unit(selectors.achievement(scene.officer, indicator=scene.ind["DT"], year=2026, units=[scene.ent_a]))
    assert rows["ENT-A"].plan == Decimal("200")


def test_a_draft_plan_sets_no_kh(scene):
    plan = make_plan(scene)
    services.target_set(actor=scene.officer, plan=plan, unit=scene.ent_a, indicator=scene.ind["DT"], year=2026, value=9)
    result = selectors.achievement(scene.officer, indicator=scene.ind["DT"], year=2026, units=[scene.ent_a])
    assert (result.rows[0].plan, result.rows[0].verdict) == (None, None)


@pytest.mark.parametrize(
    ("direction", "plan", "actual", "verdict"),
    [
        ("higher", "100", "100.04", Verdict.MET),  # 100.04 % rounds to 100.0
        ("higher", "100", "99.96", Verdict.MET),
        ("higher", "100", "99.94", Verdict.NOT_MET),
        ("higher", "100", "100.05", Verdict.EXCEEDED),
        ("lower", "100", "99.94", Verdict.EXCEEDED),
        ("lower", "100", "100.05", Verdict.NOT_MET),
        ("higher", "-10", "-5", Verdict.EXCEEDED),  # a planned loss: compared directly
        ("higher", "0", "0", Verdict.MET),
    ],
)
def test_verdict_tolerance_rule(direction, plan, actual, verdict):
    indicator = Indicator(code="X", direction=direction)
    assert selectors.classify(indicator, Decimal(plan), Decimal(actual)) == verdict


def test_soe_classification_grades_from_the_five_evaluation_indicators(scene, figures):
    a = selectors.soe_classification(scene.officer, scene.ent_a, 2026)
    assert [row.verdict for row in a.rows] == [
        Verdict.EXCEEDED,  # DT 220 / 200
        Verdict.EXCEEDED,  # LNST 30 / 20
        Verdict.MET,  # GN-DTDA 40 / 40
        Verdict.EXCEEDED,  # ROE 15 / 10
        Verdict.MET,  # HTNV 100 / 100
    ]
    assert (a.grade, a.met_count) == ("A", 5)
    b = selectors.soe_classification(scene.officer, scene.ent_b, 2026)
    assert (b.grade, b.met_count) == ("C", 2)  # only GN-DTDA and HTNV


@pytest.mark.parametrize(
    ("ok", "grade"),
    [
        ({"DT", "LNST", "ROE", "GN-DTDA", "HTNV"}, "A"),
        ({"DT", "LNST", "HTNV"}, "B"),
        ({"DT", "LNST", "ROE", "GN-DTDA"}, "C"),  # assigned tasks not met
        ({"DT", "HTNV"}, "C"),
    ],
)
def test_grade_rule(ok, grade):
    verdicts = {
        code: (Verdict.MET if code in ok else Verdict.NOT_MET) for code in ("DT", "LNST", "ROE", "GN-DTDA", "HTNV")
    }
    assert selectors.grade_for(verdicts) == grade


def test_evaluation_indicators_are_the_five_of_decree_365(scene):
    codes = set(Indicator.objects.filter(evaluation=True).values_list("code", flat=True))
    assert codes == {"DT", "LNST", "ROE", "GN-DTDA", selectors.ASSIGNED_TASKS}


def test_aggregate_average_and_weighted(scene):
    income, workers = scene.ind["TNBQ"], scene.ind["LD"]
    rows = [
        {income.pk: Decimal("10"), workers.pk: Decimal("100")},
        {income.pk: Decimal("20"), workers.pk: Decimal("300")},
    ]
    assert selectors.aggregate(income, rows) == Decimal("17.5")  # (10×100 + 20×300) / 400
    tasks = scene.ind["HTNV"]
    assert selectors.aggregate(tasks, [{tasks.pk: Decimal("90")}, {tasks.pk: Decimal("100")}, {}]) == Decimal("95")
    assert selectors.aggregate(tasks, [{}, {}]) is None
