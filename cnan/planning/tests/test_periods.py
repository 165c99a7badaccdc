"""Reporting periods: the Decree 09/2019 cut-offs for every kind, opened and closed by the Department only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

import pytest

from cnan.planning import services
from cnan.planning.models import PeriodKind, ReportingPeriod, period_dates

from .conftest import refused

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end"),
    [
        (PeriodKind.MONTH, 2026, 1, D(2025, 12, 15), D(2026, 1, 14)),  # January crosses the year
        (PeriodKind.MONTH, 2026, 2, D(2026, 1, 15), D(2026, 2, 14)),
        (PeriodKind.MONTH, 2026, 3, D(2026, 2, 15), D(2026, 3, 14)),
        (PeriodKind.MONTH, 2026, 12, D(2026, 11, 15), D(2026, 12, 14)),
        (PeriodKind.QUARTER, 2026, 1, D(2025, 12, 15), D(2026, 3, 14)),  # Q1 crosses the year
        (PeriodKind.QUARTER, 2026, 2, D(2026, 3, 15), D(2026, 6, 14)),
        (PeriodKind.QUARTER, 2026, 3, D(2026, 6, 15), D(2026, 9, 14)),
        (PeriodKind.QUARTER, 2026, 4, D(2026, 9, 15), D(2026, 12, 14)),
        (PeriodKind.HALF_YEAR, 2026, 1, D(2025, 12, 15), D(2026, 6, 14)),
        (PeriodKind.HALF_YEAR, 2026, 2, D(2026, 6, 15), D(2026, 12, 14)),
        (PeriodKind.YEAR, 2026, 1, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_period_dates_follow_the_decree_09_cut_offs(kind, year, number, start, end):
    assert period_dates(kind, year, number) == (start, end)


@pytest.mark.parametrize("month", range(1, 13))
def test_months_tile_the_reporting_year(month):
    start, end = period_dates(PeriodKind.MONTH, 2026, month)
    if month > 1:
        assert start == period_dates(PeriodKind.MONTH, 2026, month - 1)[1] + dt.timedelta(days=1)
    assert (end.day, end.month) == (14, month)


@pytest.mark.parametrize(("kind", "number"), [(PeriodKind.MONTH, 13), (PeriodKind.QUARTER, 0), (PeriodKind.YEAR, 2)])
def test_period_dates_refuse_a_number_outside_the_kind(kind, number):
    with pytest.raises(ValueError, match="numbered from 1"):
        period_dates(kind, 2026, number)


def test_the_department_opens_a_period_with_computed_dates(scene):
    period = services.period_open(
        actor=scene.officer, kind=PeriodKind.QUARTER, year=2026, number=1, due_on=D(2026, 3, 20)
    )
    assert (period.starts_on, period.ends_on, period.state, period.opened_by) == (
        D(2025, 12, 15),
        D(2026, 3, 14),
        ReportingPeriod.State.OPEN,
        scene.officer,
    )


def test_opening_is_refused_to_an_enterprise_a_due_date_before_the_end_and_a_duplicate(scene):
    refused(
        lambda: services.period_open(actor=scene.ea, kind=PeriodKind.YEAR, year=2026, due_on=D(2027, 1, 31)),
        error=PermissionDenied,
    )
    refused(
        lambda: services.period_open(actor=scene.officer, kind=PeriodKind.YEAR, year=2026, due_on=D(2026, 12, 14)),
        field="due_on",
    )
    refused(
        lambda: services.period_open(
            actor=scene.officer, kind=PeriodKind.MONTH, year=2026, number=13, due_on=D(2027, 1, 31)
        ),
        field="number",
    )
    services.period_open(actor=scene.officer, kind=PeriodKind.YEAR, year=2026, due_on=D(2027, 1, 31))
    refused(
        lambda: services.period_open(actor=scene.officer, kind=PeriodKind.YEAR, year=2026, due_on=D(2027, 2, 1)),
        field="number",
    )


def test_closing_a_period_once_by_the_department(scene):
    period = services.period_open(
        actor=scene.officer, kind=PeriodKind.MONTH, year=2026, number=1, due_on=D(2026, 1, 20)
    )
    refused(lambda: services.period_close(actor=scene.ea, period=period), error=PermissionDenied)
    period = services.period_close(actor=scene.officer, period=period)
    assert period.state == ReportingPeriod.State.CLOSED
    refused(lambda: services.period_close(actor=scene.officer, period=period), match="closed already")
