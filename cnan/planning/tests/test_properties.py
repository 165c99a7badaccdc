"""Property tests: additive aggregation is the sum of its parts; a ratio is recomputed from the summed parts
(and is not the mean of the units' ratios); an accepted report's values never change, whatever is called."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cnan.planning import selectors, services
from cnan.planning.models import Indicator, Report, ReportValue, Scenario

from .conftest import accepted_report, open_year

SUM = Indicator(pk=1, code="S", aggregation=Indicator.Aggregation.SUM)
NUM = 2
DEN = 3
RATIO = Indicator(
    pk=4, code="R", aggregation=Indicator.Aggregation.RATIO, numerator_id=NUM, denominator_id=DEN, scale=Decimal("100")
)

amounts = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False, allow_infinity=False
)
positive = st.decimals(
    min_value=Decimal("0.0001"), max_value=Decimal("1e9"), places=4, allow_nan=False, allow_infinity=False
)


@given(st.lists(st.one_of(st.none(), amounts), min_size=1, max_size=30), st.integers(min_value=0, max_value=30))
def test_sum_over_units_is_the_sum_of_the_parts_however_they_are_grouped(values, cut):
    rows = [{SUM.pk: v} if v is not None else {} for v in values]
    given_values = [v for v in values if v is not None]
    total = selectors.aggregate(SUM, rows)
    assert total == (sum(given_values, Decimal(0)) if given_values else None)
    # adding up two groups, then the two subtotals, gives the same total
    head, tail = rows[:cut], rows[cut:]
    subtotals = [{SUM.pk: t} for t in (selectors.aggregate(SUM, head), selectors.aggregate(SUM, tail)) if t is not None]
    assert selectors.aggregate(SUM, subtotals) == total


@given(st.lists(st.tuples(amounts, positive), min_size=1, max_size=20))
def test_a_ratio_is_the_summed_numerator_over_the_summed_denominator(parts):
    rows = [{NUM: n, DEN: d} for n, d in parts]
    expected = sum((n for n, _d in parts), Decimal(0)) / sum((d for _n, d in parts), Decimal(0)) * Decimal("100")
    assert selectors.aggregate(RATIO, rows) == expected


@given(amounts, positive, amounts, positive)
def test_a_ratio_is_not_the_mean_of_the_ratios_when_they_differ(n1, d1, n2, d2):
    r1, r2 = n1 / d1, n2 / d2
    # two units: Σn/Σd is the mean of the ratios weighted by the denominators, so it is their plain mean only
    # when the ratios or the denominators are equal
    assume(abs(r1 - r2) > Decimal("1e-6") and abs(d1 - d2) > Decimal("1e-3"))
    combined = selectors.aggregate(RATIO, [{NUM: n1, DEN: d1}, {NUM: n2, DEN: d2}])
    mean = (r1 + r2) / 2 * Decimal("100")
    assert combined != mean


# --- a locked report ---------------------------------------------------------------------------------------


@pytest.fixture
def locked(scene):
    period = open_year(scene)
    report = accepted_report(scene, period, scene.ent_a, scene.ea, {"DT": 100, "LNST": 8})
    return report


def snapshot(report):
    values = list(
        ReportValue.objects.filter(report=report)
        .order_by("pk")
        .values_list("pk", "indicator_id", "scenario", "value", "source", "source_document", "note", "updated_at")
    )
    fresh = Report.objects.get(pk=report.pk)
    return values, (fresh.state, fresh.version, fresh.updated_at, fresh.classification)


CODES = ["DT", "LNST", "LD", "HTNV", "ROE", "TTS"]
calls = st.one_of(
    st.tuples(
        st.just("values"),
        st.sampled_from(["ea", "eb", "officer"]),
        st.lists(
            st.tuples(
                st.sampled_from(CODES),
                st.sampled_from(list(Scenario.values)),
                st.one_of(st.none(), st.decimals(min_value=-1000, max_value=1000, places=2)),
            ),
            min_size=1,
            max_size=4,
        ),
    ),
    st.tuples(
        st.just("transition"), st.sampled_from(["ea", "officer"]), st.sampled_from(["submit", "return", "accept"])
    ),
    st.tuples(st.just("update"), st.sampled_from(["ea", "officer"]), st.text(max_size=20)),
    st.tuples(st.just("delete"), st.sampled_from(["ea", "officer"]), st.none()),
    st.tuples(st.just("correct"), st.sampled_from(["ea", "eb", "officer"]), st.text(max_size=20)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=calls, stale=st.booleans())
def test_an_accepted_reports_values_never_change_whatever_service_is_called(scene, locked, call, stale):
    kind, who, arg = call
    actor = getattr(scene, who)
    report = Report.objects.get(pk=locked.pk)
    if stale:  # a copy read while it was still a draft
        report.state = Report.State.DRAFT
    before = snapshot(locked)
    with transaction.atomic():
        try:
            if kind == "values":
                rows = [(scene.ind[code], scenario, value) for code, scenario, value in arg]
                services.report_values_set(actor=actor, report=report, values=rows)
            elif kind == "transition":
                services.report_transition(actor=actor, report=report, action=arg, comment="x")
            elif kind == "update":
                services.report_update(actor=actor, instance=report, data={"classification_basis": arg})
            elif kind == "delete":
                services.report_delete(actor=actor, instance=report)
            else:
                services.report_correct(actor=actor, report=report, reason=arg)
        except (ValidationError, PermissionDenied):
            pass
        assert snapshot(locked) == before
        transaction.set_rollback(True)
