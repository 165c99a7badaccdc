"""Reads on planning. Every read for a person starts from the visibility rule (``visible_to``); the figures
(value of record, achievement, classification) use only what the reader may see. ``aggregate`` is the one
place that adds values of several units or periods up; ``cascade_check`` is the plan's own consistency check
that the approval reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from cnan.organizations.models import Organization

from .models import (
    SCENARIO_PRECEDENCE,
    Indicator,
    PeriodKind,
    Plan,
    Report,
    ReportingPeriod,
    ReportValue,
    Target,
)

# code of the evaluation indicator "performance of assigned tasks" (migration 0002_indicators)
ASSIGNED_TASKS = "HTNV"
HUNDRED = Decimal("100")
ONE_DECIMAL = Decimal("0.1")


# --- lists --------------------------------------------------------------------------------------------


def indicator_list(*, user: Any, active_only: bool = False) -> QuerySet[Indicator]:
    qs = Indicator.objects.visible_to(user, "view").select_related("weight", "numerator", "denominator")
    return qs.filter(active=True) if active_only else qs


def plan_list(*, user: Any) -> QuerySet[Plan]:
    return Plan.objects.visible_to(user, "view").select_related("owner", "parent")


def plan_get(*, user: Any, pk: Any) -> Plan:
    return plan_list(user=user).get(pk=pk)


def target_list(*, user: Any, plan: Plan | None = None) -> QuerySet[Target]:
    """Targets the user may see: on the plan's side or the unit's (an enterprise sees the targets the
    Department's plan sets for it), never those of a plan classified above the user's clearance."""
    from cnan.core.classification import user_clearance

    qs = (
        Target.objects.visible_to(user, "view")
        .filter(plan__classification__lte=user_clearance(user))
        .select_related("plan", "unit", "indicator")
    )
    return qs.filter(plan=plan) if plan is not None else qs


def period_list(*, user: Any) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.visible_to(user, "view")


def report_list(*, user: Any) -> QuerySet[Report]:
    return Report.objects.visible_to(user, "view").select_related("enterprise", "period", "previous")


def report_get(*, user: Any, pk: Any) -> Report:
    return report_list(user=user).get(pk=pk)


def report_values(*, user: Any, report: Report) -> QuerySet[ReportValue]:
    return (
        ReportValue.objects.visible_to(user, "view")
        .filter(report=report, report__in=Report.objects.visible_to(user, "view"))
        .select_related("indicator")
    )


def missing_required(report: Report) -> list[Indicator]:
    """The active required indicators the report gives neither an estimate nor an actual (nor audited) of."""
    given = set(report.values.values_list("indicator_id", flat=True))
    return [
        i for i in Indicator.objects.filter(required=True, active=True).order_by("order", "code") if i.pk not in given
    ]


# --- value of record -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordValue:
    """The value of record of an indicator for an enterprise and period, with the scenario it comes from and
    the accepted report version that gives it."""

    value: Decimal
    scenario: str
    report_id: int
    version: int


def _latest_accepted(user: Any, period: ReportingPeriod, enterprises: Iterable[Any] | None) -> dict[int, Report]:
    qs = Report.objects.visible_to(user, "view").filter(period=period, state=Report.State.ACCEPTED)
    if enterprises is not None:
        qs = qs.filter(enterprise__in=[getattr(e, "pk", e) for e in enterprises])
    latest: dict[int, Report] = {}
    for report in qs.order_by("enterprise_id", "version"):
        latest[report.enterprise_id] = report  # the highest version wins
    return latest


def values_of_record(
    user: Any,
    *,
    period: ReportingPeriod,
    indicators: Iterable[Indicator | int],
    enterprises: Iterable[Any] | None = None,
) -> dict[tuple[int, int], RecordValue]:
    """``(enterprise id, indicator id) → RecordValue`` from each enterprise's latest accepted version for the
    period: audited over actual over estimate."""
    latest = _latest_accepted(user, period, enterprises)
    if not latest:
        return {}
    by_report = {r.pk: r for r in latest.values()}
    ids: list[int] = [i.pk if isinstance(i, Indicator) else i for i in indicators]
    rank: dict[str, int] = {str(s): n for n, s in enumerate(SCENARIO_PRECEDENCE)}
    found: dict[tuple[int, int], RecordValue] = {}
    rows = ReportValue.objects.filter(report_id__in=list(by_report), indicator_id__in=ids).values_list(
        "report_id", "indicator_id", "scenario", "value"
    )
    for report_id, indicator_id, scenario, value in rows:
        report = by_report[report_id]
        key = (report.enterprise_id, indicator_id)
        current = found.get(key)
        if current is None or rank[scenario] < rank[current.scenario]:
            found[key] = RecordValue(value=value, scenario=scenario, report_id=report_id, version=report.version)
    return found


def reported_value(
    user: Any, *, enterprise: Organization, indicator: Indicator, period: ReportingPeriod
) -> RecordValue | None:
    """The value of record of ``indicator`` for ``enterprise`` in ``period`` (``None`` if none is accepted)."""
    return values_of_record(user, period=period, indicators=[indicator], enterprises=[enterprise]).get(
        (enterprise.pk, indicator.pk)
    )


# --- aggregation -------------------------------------------------------------------------------------------

Row = Mapping[int, Decimal | None]


def aggregate(indicator: Indicator, rows: Iterable[Row]) -> Decimal | None:
    """Add up ``indicator`` over rows (one per unit, or per period), each mapping indicator ids to values.

    - sum: the sum of the values given;
    - average: their arithmetic mean;
    - weighted: Σ(value × weight) / Σweight over rows giving both (the weight indicator's values);
    - ratio: Σnumerator / Σdenominator × scale over rows giving both — recomputed from the parts, never an
      average of the units' ratios.

    ``None`` when no row gives what is needed (or the weights or the denominator add up to zero)."""
    rows = list(rows)
    agg = indicator.aggregation
    if agg == Indicator.Aggregation.RATIO:
        pairs = [(row.get(indicator.numerator_id or 0), row.get(indicator.denominator_id or 0)) for row in rows]
        given = [(n, d) for n, d in pairs if n is not None and d is not None]
        if not given:
            return None
        denominator = sum((d for _n, d in given), Decimal(0))
        if denominator == 0:
            return None
        return sum((n for n, _d in given), Decimal(0)) / denominator * indicator.scale
    if agg == Indicator.Aggregation.WEIGHTED:
        pairs = [(row.get(indicator.pk), row.get(indicator.weight_id or 0)) for row in rows]
        given = [(v, w) for v, w in pairs if v is not None and w is not None]
        weights = sum((w for _v, w in given), Decimal(0))
        if not given or weights == 0:
            return None
        return sum((v * w for v, w in given), Decimal(0)) / weights
    values = [v for v in (row.get(indicator.pk) for row in rows) if v is not None]
    if not values:
        return None
    total = sum(values, Decimal(0))
    return total / len(values) if agg == Indicator.Aggregation.AVERAGE else total


def _own_value(indicator: Indicator, row: Row) -> Decimal | None:
    """A unit's own figure: the value given for the indicator, else computed from its parts (a ratio)."""
    value = row.get(indicator.pk)
    if value is None and indicator.aggregation == Indicator.Aggregation.RATIO:
        return aggregate(indicator, [row])
    return value


# --- achievement ---------------------------------------------------------------------------------------------


class Verdict(models.TextChoices):
    """Plan against actual (vượt / đạt / không đạt)."""

    EXCEEDED = "exceeded", _("Exceeded")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100 rounded to one decimal; ``None`` unless both are given and the whole is above 0."""
    if part is None or whole is None or whole <= 0:
        return None
    return (part / whole * HUNDRED).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def classify(indicator: Indicator, plan: Decimal | None, actual: Decimal | None) -> str | None:
    """Exceeded / met / not met of an actual against its plan (``None`` when either is missing).

    Tolerance rule: TH/KH % is rounded to one decimal (half up); "met" is exactly 100.0 %, above is
    "exceeded", below "not met" — inverted for a lower-is-better indicator. Where the plan is zero or negative
    (a planned loss) the percentage means nothing and the two values are compared directly, equal being met."""
    if plan is None or actual is None:
        return None
    ratio = percent(actual, plan)
    if ratio is not None:
        sign = (ratio > HUNDRED) - (ratio < HUNDRED)
    else:
        sign = (actual > plan) - (actual < plan)
    if indicator.direction == Indicator.Direction.LOWER:
        sign = -sign
    return Verdict.EXCEEDED if sign > 0 else Verdict.MET if sign == 0 else Verdict.NOT_MET


@dataclass
class AchievementRow:
    indicator: Indicator = field(repr=False)
    unit: Organization | None  # None: the industry total
    plan: Decimal | None  # KH
    actual: Decimal | None  # TH
    scenario: str | None  # the scenario of the value of record (TH)
    last_year: Decimal | None  # same period last year
    verdict: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.verdict = classify(self.indicator, self.plan, self.actual)

    @property
    def achievement_pct(self) -> Decimal | None:
        """TH/KH %."""
        return percent(self.actual, self.plan)

    @property
    def vs_last_year_pct(self) -> Decimal | None:
        """TH against the same period last year, %."""
        return percent(self.actual, self.last_year)


@dataclass
class Achievement:
    indicator: Indicator
    year: int
    period_kind: str
    period_number: int
    rows: list[AchievementRow]
    total: AchievementRow  # the units added up with ``aggregate``
    industry_target: Decimal | None = None  # the Department's own target for the industry, if set


def _find_period(kind: str, year: int, number: int) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()


def plan_targets(
    user: Any, *, indicators: Iterable[Indicator | int], year: int, period_kind: str, period_number: int
) -> dict[tuple[int, int], Decimal]:
    """``(unit id, indicator id) → KH``: the target of an annual plan in force (approved, published or
    adjusted) covering the year. Where several annual plans set one (the Department's assignment and the
    enterprise's own plan), the plan of the highest owner (shortest path: the owner agency's assignment)
    wins, then the latest decision."""
    ids: list[int] = [i.pk if isinstance(i, Indicator) else i for i in indicators]
    qs = (
        target_list(user=user)
        .filter(
            indicator_id__in=ids,
            year=year,
            period_kind=period_kind,
            period_number=period_number,
            plan__kind=Plan.Kind.ANNUAL,
            plan__status__in=Plan.IN_FORCE,
        )
        .select_related("plan__owner")
    )
    chosen: dict[tuple[int, int], tuple[tuple[Any, ...], Decimal]] = {}
    for target in qs:
        rank = (len(target.plan.owner.path), -(target.plan.decided_on.toordinal() if target.plan.decided_on else 0))
        key = (target.unit_id, target.indicator_id)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, target.value)
    return {key: value for key, (_rank, value) in chosen.items()}


def industry_targets(user: Any, *, indicator_code: str, years: Iterable[int]) -> dict[int, Decimal]:
    """``year → target`` of one indicator for the industry as a whole: the yearly target a plan in force
    (approved, published or adjusted) sets for its own owner, of any kind (the industry plan to 2030, a
    five-year or an annual plan). Where several plans set one for a year, the highest owner wins, then the
    latest decision (as in ``plan_targets``). Only targets the user may see."""
    chosen: dict[int, tuple[tuple[Any, ...], Decimal]] = {}
    qs = (
        target_list(user=user)
        .filter(
            indicator__code=indicator_code,
            year__in=list(years),
            period_kind=PeriodKind.YEAR,
            plan__status__in=Plan.IN_FORCE,
            unit=F("plan__owner"),
        )
        .select_related("plan__owner")
    )
    for target in qs:
        rank = (len(target.plan.owner.path), -(target.plan.decided_on.toordinal() if target.plan.decided_on else 0))
        if target.year not in chosen or rank < chosen[target.year][0]:
            chosen[target.year] = (rank, target.value)
    return {year: value for year, (_rank, value) in chosen.items()}


def achievement(
    user: Any,
    *,
    indicator: Indicator,
    year: int,
    period_kind: str = PeriodKind.YEAR,
    period_number: int = 1,
    units: Sequence[Organization] | None = None,
) -> Achievement:
    """Plan against actual for ``indicator`` in a period, per unit and for the industry.

    Per unit: KH (``plan_targets``), TH (the value of record, ``values_of_record``), TH/KH %, the same period
    last year and TH against it %, and the verdict (``classify``: exceeded / met / not met, respecting the
    direction). Without ``units``: every enterprise the reader sees with a target or a value of record. The
    total row adds the units up with ``aggregate`` (a ratio from the summed numerator and denominator); the
    Department's own target for the industry (the owner's line of its plan) is given beside it as
    ``industry_target``."""
    needed = [indicator.pk, *indicator.dependencies()]
    period = _find_period(period_kind, year, period_number)
    previous = _find_period(period_kind, year - 1, period_number)
    unit_ids = [u.pk for u in units] if units is not None else None
    actual = values_of_record(user, period=period, indicators=needed, enterprises=unit_ids) if period else {}
    before = values_of_record(user, period=previous, indicators=needed, enterprises=unit_ids) if previous else {}
    targets = plan_targets(user, indicators=needed, year=year, period_kind=period_kind, period_number=period_number)
    seen = {uid for uid, _iid in (*targets, *actual)}
    departments = Organization.objects.visible_to(user, "view").filter(pk__in=seen, kind=Organization.Kind.DEPARTMENT)
    industry_target = next(
        (targets[(d.pk, indicator.pk)] for d in departments.order_by("path") if (d.pk, indicator.pk) in targets), None
    )
    if units is None:
        unit_list = list(
            Organization.objects.visible_to(user, "view")
            .filter(pk__in=seen, kind=Organization.Kind.ENTERPRISE)
            .order_by("code")
        )
    else:
        unit_list = list(units)

    def figures(unit_id: int, source: Mapping[tuple[int, int], RecordValue]) -> dict[int, Decimal | None]:
        return {iid: (source[(unit_id, iid)].value if (unit_id, iid) in source else None) for iid in needed}

    rows: list[AchievementRow] = []
    plan_rows: list[Row] = []
    actual_rows: list[Row] = []
    before_rows: list[Row] = []
    for unit in unit_list:
        p_row: dict[int, Decimal | None] = {iid: targets.get((unit.pk, iid)) for iid in needed}
        a_row = figures(unit.pk, actual)
        b_row = figures(unit.pk, before)
        plan_rows.append(p_row)
        actual_rows.append(a_row)
        before_rows.append(b_row)
        own = actual.get((unit.pk, indicator.pk))
        rows.append(
            AchievementRow(
                unit=unit,
                plan=_own_value(indicator, p_row),
                actual=_own_value(indicator, a_row),
                scenario=own.scenario if own else None,
                last_year=_own_value(indicator, b_row),
                indicator=indicator,
            )
        )
    total = AchievementRow(
        unit=None,
        plan=aggregate(indicator, plan_rows),
        actual=aggregate(indicator, actual_rows),
        scenario=None,
        last_year=aggregate(indicator, before_rows),
        indicator=indicator,
    )
    return Achievement(
        indicator=indicator,
        year=year,
        period_kind=period_kind,
        period_number=period_number,
        rows=rows,
        total=total,
        industry_target=industry_target,
    )


# --- state-enterprise classification ------------------------------------------------------------------------------


@dataclass
class SOEClassification:
    enterprise: Organization
    year: int
    grade: str  # "A", "B" or "C"
    rows: list[AchievementRow]  # one per evaluation indicator, in order
    met_count: int


def grade_for(verdicts: Mapping[str, str | None]) -> str:
    """The annual grade from the verdicts of the five evaluation indicators (code → verdict).

    The project's reading pending the Ministry's rule — Decree 365/2025 fixes the five indicators but the
    sources read do not fix the grades (DOMAIN.md §2.4: "verify (old regime A/B/C)"):

    - A: all five met or exceeded;
    - B: the performance of assigned tasks met or exceeded and at least three of the five met or exceeded;
    - C: otherwise.

    An indicator without a plan or an actual counts as not met."""
    ok = {code for code, verdict in verdicts.items() if verdict in (Verdict.MET, Verdict.EXCEEDED)}
    if verdicts and len(ok) == len(verdicts):
        return "A"
    if ASSIGNED_TASKS in ok and len(ok) >= 3:
        return "B"
    return "C"


def soe_classification(user: Any, enterprise: Organization, year: int) -> SOEClassification:
    """The enterprise's classification for ``year`` from the five evaluation indicators (annual plan against
    the value of record of the annual report); see ``grade_for`` for the rule."""
    rows: list[AchievementRow] = []
    verdicts: dict[str, str | None] = {}
    for indicator in Indicator.objects.filter(evaluation=True).order_by("order", "code"):
        result = achievement(user, indicator=indicator, year=year, units=[enterprise])
        row = result.rows[0]
        rows.append(row)
        verdicts[indicator.code] = row.verdict
    met = sum(1 for v in verdicts.values() if v in (Verdict.MET, Verdict.EXCEEDED))
    return SOEClassification(enterprise=enterprise, year=year, grade=grade_for(verdicts), rows=rows, met_count=met)


# --- cascade check -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    indicator: Indicator
    year: int
    period_kind: str
    period_number: int
    owner_value: Decimal
    units_value: Decimal
    kind: str  # "shortfall" | "excess"

    @property
    def difference(self) -> Decimal:
        return self.units_value - self.owner_value


def cascade_check(plan: Plan) -> list[Mismatch]:
    """Where the plan's units' targets do not carry its owner's target.

    For every indicator and period where the plan sets a target for its owner (the industry's, or the
    enterprise's total) and at least one for a unit under it, the units' targets are added up with the
    indicator's aggregation (``aggregate``) and compared: below the owner's target is a *shortfall* for a
    higher-is-better indicator, above it an *excess* for a lower-is-better one. A period with only the
    owner's target (nothing distributed yet) is not compared. The plan's own check, read by the approval
    (not a person's view: no visibility filter)."""
    targets = list(plan.targets.select_related("indicator"))
    by_key: dict[tuple[int, str, int], list[Target]] = defaultdict(list)
    for t in targets:
        by_key[(t.year, t.period_kind, t.period_number)].append(t)
    mismatches: list[Mismatch] = []
    for (year, kind, number), group in sorted(by_key.items()):
        owner_values = {t.indicator_id: t.value for t in group if t.unit_id == plan.owner_id}
        unit_rows: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
        for t in group:
            if t.unit_id != plan.owner_id:
                unit_rows[t.unit_id][t.indicator_id] = t.value
        indicators = {t.indicator_id: t.indicator for t in group if t.unit_id == plan.owner_id}
        for iid, owner_value in owner_values.items():
            indicator = indicators[iid]
            relevant = [
                row for row in unit_rows.values() if iid in row or any(d in row for d in indicator.dependencies())
            ]
            if not relevant:
                continue
            units_value = aggregate(indicator, [{**row, iid: row.get(iid)} for row in relevant])
            if units_value is None:
                continue
            if indicator.direction == Indicator.Direction.HIGHER and units_value < owner_value:
                kind_found = "shortfall"
            elif indicator.direction == Indicator.Direction.LOWER and units_value > owner_value:
                kind_found = "excess"
            else:
                continue
            mismatches.append(
                Mismatch(
                    indicator=indicator,
                    year=year,
                    period_kind=kind,
                    period_number=number,
                    owner_value=owner_value,
                    units_value=units_value,
                    kind=kind_found,
                )
            )
    return mismatches


# --- plans area pages (indicators, plans, targets) --------------------------------------------------------


def indicator_search(*, user: Any, filters: Any = None) -> QuerySet[Indicator]:
    """The indicators' list and its export: ``indicator_list`` filtered by ``filters_plans.IndicatorFilterSet``."""
    from cnan.core.selectors import apply_filterset

    from .filters_plans import IndicatorFilterSet

    return apply_filterset(IndicatorFilterSet, filters, indicator_list(user=user))


def indicator_get(*, user: Any, pk: Any) -> Indicator:
    return indicator_list(user=user).get(pk=pk)


def plan_search(*, user: Any, filters: Any = None) -> QuerySet[Plan]:
    """The plans' list and its export: ``plan_list`` filtered by ``filters_plans.PlanFilterSet``, with the
    number of targets each plan sets."""
    from cnan.core.selectors import apply_filterset

    from .filters_plans import PlanFilterSet

    qs = plan_list(user=user).annotate(target_count=models.Count("targets", distinct=True))
    return apply_filterset(PlanFilterSet, filters, qs)


def plan_children(*, user: Any, plan: Plan) -> QuerySet[Plan]:
    """The instruments under a plan (component projects, annual plans) the user may see."""
    return plan_list(user=user).filter(parent=plan).order_by("start_year", "code")


def plan_events(*, user: Any, plan: Plan) -> QuerySet[Any]:
    """A plan's workflow events, oldest first, as the user may see them."""
    from .models import PlanEvent

    return PlanEvent.objects.visible_to(user, "view").filter(plan=plan).select_related("actor").order_by("time", "pk")


def target_get(*, user: Any, pk: Any) -> Target:
    """A target the user may see (``target_list``: a classified plan hides its targets)."""
    return target_list(user=user).get(pk=pk)


# --- reports area: periods and reports lists, the report's page ----------------------------------------


def period_search(*, user: Any, filters: Any = None) -> QuerySet[ReportingPeriod]:
    """The reporting periods' list and its export, filtered by ``filters_reports.PeriodFilterSet``."""
    from cnan.core.selectors import apply_filterset

    from .filters_reports import PeriodFilterSet

    return apply_filterset(PeriodFilterSet, filters, period_list(user=user))


def report_search(*, user: Any, filters: Any = None) -> QuerySet[Report]:
    """The periodic reports' list and its export, filtered by ``filters_reports.ReportFilterSet``."""
    from cnan.core.selectors import apply_filterset

    from .filters_reports import ReportFilterSet

    return apply_filterset(ReportFilterSet, filters, report_list(user=user))


def report_events(*, user: Any, report: Report) -> QuerySet[Any]:
    """The workflow events of a report the user sees, oldest first."""
    from .models import ReportEvent

    return (
        ReportEvent.objects.visible_to(user, "view")
        .filter(report=report)
        .select_related("actor")
        .order_by("time", "pk")
    )
