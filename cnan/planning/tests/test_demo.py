"""The planning demo: plans approved with decisions, strategies, periods, accepted yearly reports with some
enterprises ahead of their targets and some behind, one correction, the 2026 quarters in mixed states."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from cnan.accounts.models import User
from cnan.planning import selectors
from cnan.planning.models import Indicator, PeriodKind, Plan, Report, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    out = StringIO()
    call_command("cnan", "demo", stdout=out)
    return out.getvalue()


def test_planning_demo(built):
    assert "planning:" in built
    five = Plan.objects.get(code="KH5N-CNAN-2021-2025")
    assert five.status == Plan.Status.APPROVED and five.decision_number
    annual = Plan.objects.filter(kind=Plan.Kind.ANNUAL, status=Plan.Status.APPROVED)
    assert set(annual.values_list("start_year", flat=True)) == {2021, 2022, 2023, 2024, 2025, 2026}
    strategies = Plan.objects.filter(kind=Plan.Kind.STRATEGY, vision_year=2045)
    assert strategies.filter(status=Plan.Status.DRAFT).count() == 1
    assert strategies.filter(status=Plan.Status.APPROVED).count() == strategies.count() - 1 >= 1
    assert ReportingPeriod.objects.filter(kind=PeriodKind.YEAR).count() == 5
    assert ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, year=2026).count() >= 3
    yearly = Report.objects.filter(period__kind=PeriodKind.YEAR)
    assert yearly.filter(version=2, state=Report.State.ACCEPTED).count() == 1
    assert yearly.filter(state=Report.State.SUPERSEDED).count() == 1
    assert not yearly.exclude(state__in=Report.LOCKED).exists()
    q3 = set(Report.objects.filter(period__kind=PeriodKind.QUARTER, period__number=3).values_list("state", flat=True))
    assert q3 == {"accepted", "submitted", "returned", "draft"}
    officer = User.objects.get(username="canbo.h08")
    result = selectors.achievement(officer, indicator=Indicator.objects.get(code="DT"), year=2025)
    verdicts = {row.verdict for row in result.rows}
    assert {"exceeded", "not_met"} <= verdicts
    # the enterprise's officer reads its own figures
    mine = selectors.achievement(
        User.objects.get(username="dn.thanglong"), indicator=Indicator.objects.get(code="DT"), year=2025
    )
    assert len(mine.rows) == 1
