"""Planning and performance (issue #4, DOMAIN.md §1.2, §2.3 item 13, §2.4): the indicators (chỉ tiêu) with
their unit, direction and aggregation; the planning instruments (quy hoạch, đề án, chương trình, kế hoạch 5 năm
và hằng năm, chiến lược) with their targets per unit, indicator and period; the reporting periods opened by the
Department with the Decree 09/2019 cut-offs; and the enterprises' periodic reports, versioned, with their values
per indicator and scenario (estimate, actual, audited). Plan-vs-actual, the industry totals, the cascade check
and the state-enterprise classification are read in ``planning.selectors``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cnan.common.models import TimestampedModel
from cnan.core.classification import ClassifiedModel
from cnan.core.querysets import RestrictedQuerySet
from cnan.organizations.models import Organization

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class PeriodKind(models.TextChoices):
    """The length of a target's or a report's period; ``number`` counts within the year (1 for the year)."""

    YEAR = "year", _("Year")
    HALF_YEAR = "half_year", _("Half-year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


PERIODS_IN_YEAR: dict[str, int] = {
    PeriodKind.YEAR: 1,
    PeriodKind.HALF_YEAR: 2,
    PeriodKind.QUARTER: 4,
    PeriodKind.MONTH: 12,
}


def check_period_number(kind: str, number: int | None) -> str | None:
    """Why ``number`` is not a period of ``kind`` (``None`` if it is)."""
    count = PERIODS_IN_YEAR.get(kind)
    if count is None:
        return str(_("Unknown period kind."))
    if number is None or not 1 <= number <= count:
        return str(_("A period of this kind is numbered from 1 to %(count)s.") % {"count": count})
    return None


def period_dates(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """First and last day of a reporting period under the Decree 09/2019 cut-offs (DOMAIN.md §2.3 item 13).

    A period ends on the 14th of its last month and starts on the 15th of the month before its first month:
    month *m* runs 15/(m-1) → 14/m (January from 15 December of the previous year); quarter *q* runs
    15/(3q-3) → 14/3q; the first half-year 15/12 of the previous year → 14/6, the second 15/6 → 14/12; the
    year 15/12 of the previous year → 14/12."""
    problem = check_period_number(kind, number)
    if problem:
        raise ValueError(problem)
    months = 12 // PERIODS_IN_YEAR[kind]
    last_month = number * months
    first_month = last_month - months + 1
    before_year, before_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    return dt.date(before_year, before_month, 15), dt.date(year, last_month, 14)


class Indicator(TimestampedModel):
    """An indicator plans set targets for and reports give values of (chỉ tiêu): its unit, whether more is
    better, and how values of several units (or periods) add up."""

    class Unit(models.TextChoices):
        BILLION_VND = "billion_vnd", _("billion VND (tỷ đồng)")
        MILLION_VND = "million_vnd", _("million VND (triệu đồng)")
        VND = "vnd", _("VND (đồng)")
        PERCENT = "percent", _("%")
        PERSON = "person", _("people (người)")
        PRODUCT = "product", _("products (sản phẩm)")
        VND_PER_PERSON_MONTH = "vnd_per_person_month", _("VND/person/month")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        AVERAGE = "average", _("Average")
        WEIGHTED = "weighted", _("Weighted average")
        RATIO = "ratio", _("Ratio of two indicators")

    class Category(models.TextChoices):
        PRODUCTION = "production", _("Production and business")
        FINANCE = "finance", _("Finance")
        INVESTMENT = "investment", _("Investment")
        WORKFORCE = "workforce", _("Workforce")
        SECURITY_INDUSTRY = "security_industry", _("Security industry")
        EVALUATION = "evaluation", _("Evaluation")

    code = models.CharField(
        _("code"), max_length=32, unique=True, error_messages={"unique": _("Another indicator already has this code.")}
    )
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=24, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    aggregation = models.CharField(
        _("aggregation"), max_length=12, choices=Aggregation.choices, default=Aggregation.SUM
    )
    weight = models.ForeignKey(
        "self",
        verbose_name=_("weighted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a weighted average: the indicator whose values weigh each unit's value."),
    )
    numerator = models.ForeignKey(
        "self", verbose_name=_("numerator"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name=_("denominator"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scale = models.DecimalField(
        _("scale"),
        max_digits=12,
        decimal_places=4,
        default=Decimal("1"),
        help_text=_("A ratio is numerator / denominator × scale (100 for a percentage)."),
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    evaluation = models.BooleanField(
        _("evaluation indicator"),
        default=False,
        help_text=_("One of the five indicators the owner assigns under Decree 365/2025 (classification)."),
    )
    required = models.BooleanField(
        _("required"), default=False, help_text=_("Every periodic report must give its estimate or actual.")
    )
    signed = models.BooleanField(
        _("may be negative"), default=False, help_text=_("A profit, an equity or a return may be below zero.")
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RestrictedQuerySet.as_manager()
    reference_data = True

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def get_absolute_url(self) -> str:
        return reverse("planning:indicator_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.aggregation == self.Aggregation.WEIGHTED:
            if not self.weight_id:
                errors["weight"] = _("A weighted average needs the indicator that weighs it.")
            elif self.pk and self.weight_id == self.pk:
                errors["weight"] = _("An indicator cannot weigh itself.")
        if self.aggregation == self.Aggregation.RATIO:
            if not self.numerator_id:
                errors["numerator"] = _("A ratio needs its numerator.")
            elif self.pk and self.numerator_id == self.pk:
                errors["numerator"] = _("A ratio cannot be its own numerator.")
            if not self.denominator_id:
                errors["denominator"] = _("A ratio needs its denominator.")
            elif self.pk and self.denominator_id == self.pk:
                errors["denominator"] = _("A ratio cannot be its own denominator.")
            elif self.numerator_id and self.numerator_id == self.denominator_id:
                errors["denominator"] = _("The numerator and the denominator must differ.")
            if self.scale is not None and self.scale <= 0:
                errors["scale"] = _("The scale must be above zero.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_count(self) -> bool:
        return self.unit in (self.Unit.PERSON, self.Unit.PRODUCT)

    def dependencies(self) -> list[int]:
        """The indicators whose values this one's aggregation reads (weight, numerator, denominator)."""
        if self.aggregation == self.Aggregation.WEIGHTED and self.weight_id:
            return [self.weight_id]
        if self.aggregation == self.Aggregation.RATIO and self.numerator_id and self.denominator_id:
            return [self.numerator_id, self.denominator_id]
        return []


class Plan(ClassifiedModel, TimestampedModel):
    """A planning instrument: the sectoral plan, the Overall Project and its component projects, programmes,
    five-year and annual plans (the Department's, or an enterprise's), an enterprise's strategy."""

    class Kind(models.TextChoices):
        INDUSTRY_PLAN = "industry_plan", _("Industry plan (quy hoạch)")
        PROJECT = "project", _("Overall project (đề án)")
        COMPONENT_PROJECT = "component_project", _("Component project (đề án thành phần)")
        PROGRAMME = "programme", _("Programme (chương trình)")
        FIVE_YEAR = "five_year", _("Five-year plan (kế hoạch 5 năm)")
        ANNUAL = "annual", _("Annual plan (kế hoạch hằng năm)")
        STRATEGY = "strategy", _("Strategy (chiến lược)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        ADJUSTED = "adjusted", _("Adjusted")

    # the Department's instruments for the whole industry; strategies are an enterprise's
    INDUSTRY_KINDS = (Kind.INDUSTRY_PLAN, Kind.PROJECT, Kind.COMPONENT_PROJECT, Kind.PROGRAMME)
    ENTERPRISE_KINDS = (Kind.STRATEGY,)
    IN_FORCE = (Status.APPROVED, Status.PUBLISHED, Status.ADJUSTED)
    TARGETS_EDITABLE = (Status.DRAFT, Status.ADJUSTED)

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=64, unique=True, error_messages={"unique": _("Another plan already has this code.")}
    )
    name = models.CharField(_("name"), max_length=500)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("A component project's Overall Project; an annual plan's five-year plan."),
    )
    owner = models.ForeignKey(Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="plans")
    start_year = models.PositiveSmallIntegerField(_("from year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEAR_VALIDATORS)
    vision_year = models.PositiveSmallIntegerField(
        _("vision to"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "owner__path"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        permissions = [("approve_plan", _("Approve, publish and adjust plans"))]
        ordering = ["-start_year", "code"]
        indexes = [models.Index(fields=["kind", "status", "start_year", "end_year"], name="pln_plan_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="pln_plan_years"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def targets_editable(self) -> bool:
        return self.status in self.TARGETS_EDITABLE

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The plan ends before it starts.")
        if self.kind == self.Kind.ANNUAL and self.start_year and self.end_year and self.start_year != self.end_year:
            errors["end_year"] = _("An annual plan covers one year.")
        if self.vision_year and self.end_year and self.vision_year < self.end_year:
            errors["vision_year"] = _("The vision reaches beyond the plan's end.")
        owner = self.owner if self.owner_id else None
        if owner is not None:
            if self.kind in self.INDUSTRY_KINDS and owner.kind != Organization.Kind.DEPARTMENT:
                errors["owner"] = _("An industry-level instrument belongs to the Department.")
            elif self.kind in self.ENTERPRISE_KINDS and owner.kind != Organization.Kind.ENTERPRISE:
                errors["owner"] = _("A strategy belongs to an enterprise.")
            elif owner.kind not in (Organization.Kind.DEPARTMENT, Organization.Kind.ENTERPRISE):
                errors["owner"] = _("Plans belong to the Department or to an enterprise.")
        parent = self.parent if self.parent_id else None
        if self.kind == self.Kind.COMPONENT_PROJECT:
            if parent is None or parent.kind != self.Kind.PROJECT:
                errors["parent"] = _("A component project belongs to an Overall Project.")
        elif self.kind == self.Kind.ANNUAL:
            if parent is not None and (
                parent.kind != self.Kind.FIVE_YEAR
                or parent.owner_id != self.owner_id
                or not (parent.start_year <= (self.start_year or 0) <= parent.end_year)
            ):
                errors["parent"] = _("An annual plan belongs to its owner's five-year plan covering its year.")
        elif parent is not None:
            errors["parent"] = _("Only component projects and annual plans have a parent instrument.")
        if parent is not None and self.pk and parent.pk == self.pk:
            errors["parent"] = _("A plan cannot be its own parent.")
        if errors:
            raise ValidationError(errors)


class PlanEvent(models.Model):
    """A transition of a plan (submitted, approved, published, adjusted), by whom, when, under which decision."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    time = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    decision_number = models.CharField(max_length=100, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "plan__owner__path"

    class Meta:
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        ordering = ["plan", "time", "id"]

    def __str__(self) -> str:
        return f"{self.transition} · {self.time:%d/%m/%Y %H:%M}"


class Target(TimestampedModel):
    """What a plan expects of a unit (the owner itself for the industry or enterprise total) for an
    indicator in a period."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period_kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    period_number = models.PositiveSmallIntegerField(_("period number"), default=1)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    # seen through the plan's owner, and by the unit it is set for
    scope_lookup = ("plan__owner__path", "unit__path")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "indicator__order", "unit__path", "year", "period_kind", "period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "indicator", "year", "period_kind", "period_number"],
                name="pln_target_unique",
                violation_error_message=_("The plan already has this target."),
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "year", "period_kind", "period_number"], name="pln_target_period_idx")
        ]

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", kwargs={"pk": self.plan_id}) + f"#target-{self.pk}"

    def __str__(self) -> str:
        return f"{self.plan.code} · {self.unit.code} · {self.indicator.code} · {self.year}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        problem = check_period_number(self.period_kind, self.period_number)
        if problem:
            errors["period_number"] = problem
        plan = self.plan if self.plan_id else None
        if plan is not None and self.year and not plan.start_year <= self.year <= plan.end_year:
            errors["year"] = _("The year is outside the plan's years (%(start)s–%(end)s).") % {
                "start": plan.start_year,
                "end": plan.end_year,
            }
        unit = self.unit if self.unit_id else None
        if plan is not None and unit is not None and not unit.path.startswith(plan.owner.path):
            errors["unit"] = _("A plan sets targets for its owner and the units under it.")
        if errors:
            raise ValidationError(errors)


class ReportingPeriod(TimestampedModel):
    """A month, quarter, half-year or year the Department opens for the enterprises' reports."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", pgettext_lazy("reporting period", "Closed")

    kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    starts_on = models.DateField(_("starts on"), editable=False)
    ends_on = models.DateField(_("ends on"), editable=False)
    due_on = models.DateField(_("report due on"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = RestrictedQuerySet.as_manager()
    reference_data = True

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        permissions = [("open_reportingperiod", _("Open and close reporting periods"))]
        ordering = ["-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="pln_period_unique",
                violation_error_message=_("This period is already open (or was)."),
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("planning:period_list")

    def __str__(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.get_kind_display()} {self.year}"
        return f"{self.get_kind_display()} {self.number}/{self.year}"

    def clean(self) -> None:
        super().clean()
        problem = check_period_number(self.kind, self.number)
        if problem:
            raise ValidationError({"number": problem})
        if self.due_on and self.ends_on and self.due_on <= self.ends_on:
            raise ValidationError({"due_on": _("The report is due after the period ends.")})


class Report(ClassifiedModel, TimestampedModel):
    """An enterprise's periodic report for a period. A correction of an accepted report is a new version;
    when it is accepted the version it corrects is superseded."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    EDITABLE = (State.DRAFT, State.RETURNED)
    LOCKED = (State.ACCEPTED, State.SUPERSEDED)

    enterprise = models.ForeignKey(
        Organization, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="periodic_reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        editable=False,
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "enterprise__path"

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        permissions = [("review_report", _("Return or accept the enterprises' periodic reports"))]
        ordering = ["-period__year", "period__kind", "period__number", "enterprise__code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period", "version"],
                name="pln_report_version_unique",
                violation_error_message=_("This version of the report exists already."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="pln_report_version_positive"),
        ]
        indexes = [models.Index(fields=["period", "state", "enterprise"], name="pln_report_period_idx")]

    def get_absolute_url(self) -> str:
        return reverse("planning:report_detail", kwargs={"pk": self.pk})

    def __str__(self) -> str:
        return f"{self.enterprise.code} · {self.period} · v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.state in self.LOCKED

    def clean(self) -> None:
        super().clean()
        if self.version and self.version > 1 and not self.correction_reason.strip():
            raise ValidationError({"correction_reason": _("A corrected version says why it corrects the report.")})


class ReportEvent(models.Model):
    """A transition of a report (submitted, returned, accepted, superseded), by whom, when, why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    time = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    decision_number = models.CharField(max_length=100, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "report__enterprise__path"

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report", "time", "id"]

    def __str__(self) -> str:
        return f"{self.transition} · {self.time:%d/%m/%Y %H:%M}"


class Scenario(models.TextChoices):
    ESTIMATE = "estimate", _("Estimate (ước thực hiện)")
    ACTUAL = "actual", _("Actual (thực hiện)")
    AUDITED = "audited", _("Audited (kiểm toán)")


# the value of record is the most reliable scenario given
SCENARIO_PRECEDENCE = (Scenario.AUDITED, Scenario.ACTUAL, Scenario.ESTIMATE)


class ReportValue(TimestampedModel):
    """One figure of a report: an indicator's value in a scenario, with where it came from."""

    class Source(models.TextChoices):
        FORM = "form", pgettext_lazy("value source", "Web form")
        IMPORT = "import", _("Import")
        API = "api", _("API")
        COPIED = "copied", _("Copied from the previous version")

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="report_values"
    )
    scenario = models.CharField(_("scenario"), max_length=12, choices=Scenario.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.FORM)
    source_document = models.CharField(_("source document"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "report__enterprise__path"

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        ordering = ["report", "indicator__order", "indicator__code", "scenario"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "scenario"],
                name="pln_value_unique",
                violation_error_message=_("The report already gives this indicator in this scenario."),
            )
        ]
        indexes = [models.Index(fields=["indicator", "scenario"], name="pln_value_indicator_idx")]

    def get_absolute_url(self) -> str:
        return reverse("planning:report_detail", kwargs={"pk": self.report_id}) + f"#value-{self.pk}"

    def __str__(self) -> str:
        return f"{self.report} · {self.indicator.code} · {self.get_scenario_display()}"


PERCENT_LIMIT = Decimal("1000")


def value_problem(indicator: Indicator, value: Decimal) -> str | None:
    """Why ``value`` makes no sense for ``indicator`` (``None`` if it does), for targets and reported values:
    a count of people or products is a whole number, never negative; a percentage lies within ±1000 %
    (0–1000 % unless the indicator may be negative); an amount is not negative unless the indicator may be
    (a profit, an equity, a return)."""
    if indicator.is_count:
        if value < 0:
            return str(_("A count cannot be negative."))
        if value != value.to_integral_value():
            return str(_("A count is a whole number."))
        return None
    if indicator.unit == Indicator.Unit.PERCENT:
        low = -PERCENT_LIMIT if indicator.signed else Decimal("0")
        if not low <= value <= PERCENT_LIMIT:
            return str(_("A percentage lies between %(low)s and %(high)s.") % {"low": low, "high": PERCENT_LIMIT})
        return None
    if value < 0 and not indicator.signed:
        return str(_("This indicator cannot be negative."))
    return None
