"""Figures of the achievement pages, each computed with the selectors over what the reader may see (an
enterprise its own figures; the Department and leadership all):

- ``industry``: the industry's plan against actual for the key indicators (``selectors.achievement`` once per
  indicator: a fixed number of queries, whatever the number of enterprises);
- ``behind``: the enterprises not meeting one or more evaluation indicators, from those same results;
- ``trend``: the industry total of an indicator year by year;
- ``unit_years``: one enterprise's KH / TH per indicator over several years, from one ``values_of_record`` and
  one ``plan_targets`` per year (not one ``achievement`` per indicator and year)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language

from cnan.organizations.models import Organization

from . import selectors
from .models import Indicator, PeriodKind, Plan, ReportingPeriod, Target
from .selectors import Achievement, AchievementRow, Verdict

# the key figures of the industry beside the evaluation indicators: revenue, profit after tax, budget paid,
# average income
KEY_CODES = ("DT", "LNST", "NNS", "TNBQ")
FIRST_TREND_YEAR = 2021


def indicator_label(indicator: Indicator) -> str:
    """The indicator's name in the page's language (the English name where given, in English)."""
    if (get_language() or "vi").startswith("en") and indicator.name_en:
        return indicator.name_en
    return indicator.name


def key_indicators() -> list[Indicator]:
    """The evaluation indicators and the key ones (``KEY_CODES``), in the catalogue's order."""
    return list(
        Indicator.objects.filter(Q(evaluation=True) | Q(code__in=KEY_CODES), active=True)
        .select_related("weight", "numerator", "denominator")
        .order_by("order", "code")
    )


def industry(user: Any, *, indicators: Sequence[Indicator], year: int) -> list[Achievement]:
    """The annual plan against actual of each indicator, per enterprise and for the industry."""
    return [selectors.achievement(user, indicator=i, year=year) for i in indicators]


@dataclass
class Behind:
    """An enterprise not meeting at least one evaluation indicator, with the rows it does not meet."""

    unit: Organization
    rows: list[AchievementRow] = field(default_factory=list)


def behind(results: Iterable[Achievement]) -> list[Behind]:
    """The enterprises with a "not met" verdict on an evaluation indicator (no query)."""
    found: dict[int, Behind] = {}
    for result in results:
        if not result.indicator.evaluation:
            continue
        for row in result.rows:
            if row.unit is not None and row.verdict == Verdict.NOT_MET:
                found.setdefault(row.unit.pk, Behind(unit=row.unit)).rows.append(row)
    return sorted(found.values(), key=lambda b: b.unit.code)


def trend(user: Any, *, indicator: Indicator, years: Iterable[int]) -> list[tuple[int, AchievementRow]]:
    """The industry total (KH, TH) of ``indicator`` for each year: one ``achievement`` per year."""
    return [(y, selectors.achievement(user, indicator=indicator, year=y).total) for y in years]


def _own(indicator: Indicator, row: Mapping[int, Decimal | None]) -> Decimal | None:
    value = row.get(indicator.pk)
    if value is None and indicator.aggregation == Indicator.Aggregation.RATIO:
        return selectors.aggregate(indicator, [row])
    return value


@dataclass
class UnitYear:
    """One indicator of one enterprise in one year: the achievement row and the report the TH comes from."""

    row: AchievementRow
    report_id: int | None


def target_indicators(user: Any, *, enterprise: Organization, year: int) -> list[Indicator]:
    """The indicators the enterprise has an annual target for in ``year`` (in a plan in force)."""
    ids = (
        Target.objects.visible_to(user, "view")
        .filter(
            unit=enterprise,
            year=year,
            period_kind=PeriodKind.YEAR,
            plan__kind=Plan.Kind.ANNUAL,
            plan__status__in=Plan.IN_FORCE,
        )
        .values("indicator_id")
    )
    return list(
        Indicator.objects.filter(pk__in=ids)
        .select_related("weight", "numerator", "denominator")
        .order_by("order", "code")
    )


def unit_years(
    user: Any, *, enterprise: Organization, indicators: Sequence[Indicator], years: Sequence[int]
) -> dict[int, dict[int, UnitYear]]:
    """``{year: {indicator id: UnitYear}}`` of one enterprise's annual KH and TH (value of record) with the
    verdict and the same figures a year before, a few queries per year whatever the number of indicators."""
    needed: set[int] = set()
    for i in indicators:
        needed.update([i.pk, *i.dependencies()])
    all_years = sorted({*years, *(y - 1 for y in years)})
    periods = {p.year: p for p in ReportingPeriod.objects.filter(kind=PeriodKind.YEAR, number=1, year__in=all_years)}
    actual: dict[int, dict[int, Decimal | None]] = {}
    sources: dict[int, dict[int, int]] = {}
    for y in all_years:
        period = periods.get(y)
        found = (
            selectors.values_of_record(user, period=period, indicators=needed, enterprises=[enterprise.pk])
            if period
            else {}
        )
        actual[y] = {iid: rv.value for (_uid, iid), rv in found.items()}
        sources[y] = {iid: rv.report_id for (_uid, iid), rv in found.items()}
    result: dict[int, dict[int, UnitYear]] = {}
    for y in years:
        targets = selectors.plan_targets(user, indicators=needed, year=y, period_kind=PeriodKind.YEAR, period_number=1)
        plan_row = {iid: value for (uid, iid), value in targets.items() if uid == enterprise.pk}
        result[y] = {
            i.pk: UnitYear(
                row=AchievementRow(
                    indicator=i,
                    unit=enterprise,
                    plan=_own(i, plan_row),
                    actual=_own(i, actual[y]),
                    scenario=None,
                    last_year=_own(i, actual[y - 1]),
                ),
                # a ratio computed from its parts comes from the report giving its numerator
                report_id=sources[y].get(i.pk) or sources[y].get(i.numerator_id or 0),
            )
            for i in indicators
        }
    return result
