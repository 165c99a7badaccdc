"""Science, technology and innovation (issue #6, DOMAIN.md §1.4, §2.5): S&T tasks and programmes with their
budget by source and year, the gates of their lifecycle (each with its decision, council and minutes), the
roadmap's milestones and the reports against them, outputs (linked to catalogue products), IP filings,
technology transfers, cooperation agreements and research groups.

A task's stage moves only through ``research.services.TASK_WORKFLOW`` (``core.workflow``): the role that
owns a gate passes it, with its decision number, and one ``GateEvent`` records it. Whether a task in
progress is on time or late is never typed in: ``research.rules`` derives it from the dates and milestones.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from django_countries.fields import CountryField

from cnan.catalogue.models import Product
from cnan.common.models import TimestampedModel
from cnan.core.classification import ClassifiedModel
from cnan.core.querysets import RestrictedQuerySet
from cnan.organizations.models import Organization, ProductGroup

HOME_COUNTRY = "VN"
MINUTES_EXTENSIONS = ["pdf", "docx", "doc", "jpg", "jpeg", "png", "zip"]
MINUTES_MAX_BYTES = 20 * 1024 * 1024


class Level(models.TextChoices):
    NATIONAL = "national", _("National (State)")
    MINISTRY = "ministry", _("Ministry")
    PROVINCIAL = "provincial", _("Provincial")
    BASE = "base", _("Base (unit)")


GRADED_LEVELS = (Level.NATIONAL, Level.MINISTRY)  # official acceptance grades excellent / good / pass


class Kind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    TOPIC = "topic", _("Research topic (đề tài)")
    SCIENTIFIC_PROJECT = "scientific_project", _("Scientific project (đề án khoa học)")
    TRIAL_PRODUCTION = "trial_production", _("Trial-production project")
    ST_PROJECT = "st_project", _("S&T project (dự án KH&CN)")
    POTENTIAL = "potential", _("Potential task")
    AD_HOC = "ad_hoc", _("Urgent task (đột xuất)")


class Formation(models.TextChoices):
    GRANT = "grant", _("Grant (tài trợ)")
    COMMISSION = "commission", _("Commission (đặt hàng)")
    BASE_TASK = "base_task", _("Base task (nhiệm vụ cơ sở)")


class Selection(models.TextChoices):
    CALL = "call", _("Open call (tuyển chọn)")
    DIRECT = "direct", _("Direct assignment (giao trực tiếp)")


class Stage(models.TextChoices):
    """The gates of DOMAIN.md §2.5, in order."""

    PROPOSED = "proposed", _("Proposed")
    REVIEWED = "reviewed", _("Reviewed by council")
    REJECTED = "rejected", _("Not selected")
    APPROVED = "approved", _("Approved")
    CONTRACTED = "contracted", _("Contract signed")
    IN_PROGRESS = "in_progress", _("In progress")
    PAUSED = "paused", _("Paused")
    TERMINATED = "terminated", _("Terminated")
    BASE_ACCEPTED = "base_accepted", _("Base acceptance passed")
    PASSED = "passed", _("Officially accepted: passed")
    FAILED = "failed", _("Officially accepted: failed")
    FAILED_RISK = "failed_risk", _("Failed, risk accepted")
    LIQUIDATED = "liquidated", _("Contract liquidated")
    REGISTERED = "registered", _("Results registered")
    APPLIED = "applied", _("Applied / transferred")


OPEN_STAGES = (Stage.CONTRACTED, Stage.IN_PROGRESS, Stage.PAUSED)


class Schedule(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    NOT_APPLICABLE = "", _("—")


class Outcome(models.TextChoices):
    PASSED = "passed", pgettext_lazy("acceptance", "Passed")
    FAILED = "failed", pgettext_lazy("acceptance", "Failed")
    FAILED_RISK = "failed_risk", _("Failed, risk accepted (no liability)")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")


class BudgetSource(models.TextChoices):
    STATE_ST = "state_st", _("State S&T budget")
    MINISTRY = "ministry", _("Ministry of Public Security budget")
    UNIT = "unit", _("Host unit's own funds")
    ENTERPRISE = "enterprise", _("Enterprise S&T development fund")
    CNAN_FUND = "cnan_fund", _("Security-industry development fund")
    OTHER = "other", _("Other lawful sources")


class ResearchTask(ClassifiedModel, TimestampedModel):
    """An S&T task (programme, topic, project …) hosted by an institute, academy, school or enterprise.
    Seen by its host (and the units above it) and by the host of its programme."""

    code = models.CharField(
        _("code"), max_length=40, unique=True, error_messages={"unique": _("Another S&T task has this code.")}
    )
    title = models.CharField(_("title"), max_length=500)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    formation = models.CharField(_("formation"), max_length=16, choices=Formation.choices)
    selection = models.CharField(_("selection"), max_length=16, choices=Selection.choices)
    host = models.ForeignKey(
        Organization, verbose_name=_("host organisation"), on_delete=models.PROTECT, related_name="research_tasks"
    )
    principal_investigator = models.CharField(_("principal investigator"), max_length=255)
    team = models.TextField(_("team members"), blank=True, help_text=_("One person per line."))
    programme = models.ForeignKey(
        "self",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        limit_choices_to={"kind": Kind.PROGRAMME},
    )
    key_programme = models.BooleanField(
        _("in a key S&T programme of the Ministry"), default=False, help_text=_("Tasks the Ministry asks to speed up.")
    )
    summary = models.TextField(_("objectives and content"), blank=True)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end (as contracted)"))
    budget_total = models.DecimalField(_("total budget (VND)"), max_digits=18, decimal_places=0, default=Decimal(0))
    lump_sum = models.BooleanField(_("lump-sum spending (khoán chi)"), default=False)
    # Kept by the gates and the services (never typed in).
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PROPOSED, editable=False, db_index=True
    )
    current_end_on = models.DateField(_("current end"), null=True, blank=True, editable=False, db_index=True)
    schedule = models.CharField(
        _("schedule"), max_length=8, choices=Schedule.choices, default="", blank=True, editable=False, db_index=True
    )
    outcome = models.CharField(
        _("official acceptance"), max_length=16, choices=Outcome.choices, blank=True, editable=False, db_index=True
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("host__path", "programme__host__path")
    search_fields = ("code", "title", "principal_investigator", "summary")

    class Meta:
        verbose_name = _("S&T task")
        verbose_name_plural = _("S&T tasks")
        ordering = ["-start_on", "code"]
        permissions = [
            ("manage_researchtask", _("Pass the managing body's gates of S&T tasks (council, approval, contract)")),
            ("execute_researchtask", _("Pass the host's gates of S&T tasks (start, base acceptance, results)")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="rs_task_dates_in_order"),
            models.CheckConstraint(condition=Q(budget_total__gte=0), name="rs_task_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("research:task_detail", kwargs={"pk": self.pk})

    @property
    def end(self):
        return self.current_end_on or self.end_on

    @property
    def graded(self) -> bool:
        return self.level in GRADED_LEVELS

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = [_("The end cannot be before the start.")]
        programme = self.programme if self.programme_id else None
        if programme is not None:
            if self.kind == Kind.PROGRAMME:
                errors["programme"] = [_("A programme is not part of another programme.")]
            elif programme.kind != Kind.PROGRAMME:
                errors["programme"] = [_("Choose a task of the type programme.")]
            elif self.start_on and self.end_on and (self.start_on < programme.start_on or self.end_on > programme.end):
                errors["end_on"] = [
                    _("A task of a programme runs within the programme (%(start)s – %(end)s).")
                    % {"start": programme.start_on.strftime("%d/%m/%Y"), "end": programme.end.strftime("%d/%m/%Y")}
                ]
        if self.formation == Formation.BASE_TASK and self.level != Level.BASE:
            errors["formation"] = [_("A base task (nhiệm vụ cơ sở) is a task of base level.")]
        if errors:
            raise ValidationError(errors)


class BudgetLine(models.Model):
    """The part of a task's budget from one source in one year: planned and disbursed."""

    task = models.ForeignKey(ResearchTask, verbose_name=_("S&T task"), on_delete=models.CASCADE, related_name="budget")
    source = models.CharField(_("source"), max_length=16, choices=BudgetSource.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    planned = models.DecimalField(
        _("planned (VND)"), max_digits=18, decimal_places=0, validators=[MinValueValidator(0)]
    )
    disbursed = models.DecimalField(
        _("disbursed (VND)"), max_digits=18, decimal_places=0, default=Decimal(0), validators=[MinValueValidator(0)]
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("task__host__path", "task__programme__host__path")

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["task", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["task", "source", "year"], name="rs_budget_one_per_source_year"),
            models.CheckConstraint(condition=Q(planned__gte=0) & Q(disbursed__gte=0), name="rs_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year}"


def validate_minutes_size(file) -> None:
    if file and file.size > MINUTES_MAX_BYTES:
        raise ValidationError(
            _("A minutes file may not exceed %(mb)s MB.") % {"mb": MINUTES_MAX_BYTES // (1024 * 1024)}
        )


class GateEvent(models.Model):
    """A gate passed by a task: the decision (number, date), the council and its minutes, the result."""

    task = models.ForeignKey(ResearchTask, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("gate"), max_length=32)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    time = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    council = models.TextField(_("council members"), blank=True, help_text=_("One member per line."))
    minutes = models.FileField(
        _("minutes"),
        upload_to="research/minutes/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(MINUTES_EXTENSIONS), validate_minutes_size],
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("task__host__path", "task__programme__host__path")

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["task", "time", "id"]

    def __str__(self) -> str:
        return f"{self.transition} · {self.decision_number or '—'}"

    def get_absolute_url(self) -> str:
        return reverse("research:task_detail", kwargs={"pk": self.task_id}) + f"#gate-{self.pk}"


class Milestone(TimestampedModel):
    """A step of a task's roadmap: content, expected output, due date; its progress comes from reports."""

    task = models.ForeignKey(
        ResearchTask, verbose_name=_("S&T task"), on_delete=models.CASCADE, related_name="milestones"
    )
    number = models.PositiveSmallIntegerField(_("no."))
    content = models.TextField(_("content"))
    expected_output = models.TextField(_("expected output"))
    due_on = models.DateField(_("due on"))
    # Kept by the reports (never typed in).
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("task__host__path", "task__programme__host__path")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due_on", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="rs_milestone_number_unique")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("research:task_detail", kwargs={"pk": self.task_id}) + f"#milestone-{self.pk}"

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.done_on:
            return self.done_on > self.due_on
        return today > self.due_on


class MilestoneReport(TimestampedModel):
    """The host's report against a milestone: how far it is, what was done and produced."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was done"))
    output_delivered = models.TextField(_("output delivered"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("milestone__task__host__path", "milestone__task__programme__host__path")

    class Meta:
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")
        ordering = ["milestone", "reported_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="rs_milestone_report_lte_100")]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.reported_on:%d/%m/%Y} · {self.percent} %"

    def get_absolute_url(self) -> str:
        return self.milestone.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        if self.percent == 100 and not self.output_delivered.strip():
            raise ValidationError({"output_delivered": _("A report of completion names the output delivered.")})


class Output(ClassifiedModel, TimestampedModel):
    """A result of a task: prototype, product (a catalogue product once it is one), process, software,
    standard, publication."""

    class Kind(models.TextChoices):
        PROTOTYPE = "prototype", _("Prototype")
        PRODUCT = "product", _("Product")
        PROCESS = "process", _("Process / technology")
        SOFTWARE = "software", _("Software")
        STANDARD = "standard", _("Standard")
        PUBLICATION = "publication", _("Publication")
        OTHER = "other", _("Other")

    task = models.ForeignKey(ResearchTask, verbose_name=_("S&T task"), on_delete=models.PROTECT, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey(
        Product,
        verbose_name=_("catalogue product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_outputs",
        help_text=_("The catalogue product this output became."),
    )
    in_production = models.BooleanField(_("reached production"), default=False)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("task__host__path", "task__programme__host__path")
    search_fields = ("title", "description")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["task", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:task_detail", kwargs={"pk": self.task_id}) + f"#output-{self.pk}"


class FilingStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    FORMALITY = "formality", _("Formality examination")
    PUBLISHED = "published", _("Published")
    SUBSTANTIVE = "substantive", _("Substantive examination")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IPFiling(ClassifiedModel, TimestampedModel):
    """An application for an invention, utility solution, industrial design or software copyright, with
    its status from filing to grant. A defence or security invention made in Việt Nam is filed here for
    security control first (IP Law Art. 89a): a foreign filing of one is refused until the control is
    recorded."""

    class Kind(models.TextChoices):
        INVENTION = "invention", _("Invention patent")
        UTILITY = "utility", _("Utility solution")
        DESIGN = "design", _("Industrial design")
        SOFTWARE = "software", _("Software copyright")

    owner = models.ForeignKey(
        Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="ip_filings"
    )
    task = models.ForeignKey(
        ResearchTask,
        verbose_name=_("S&T task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
    )
    output = models.ForeignKey(
        Output, verbose_name=_("output"), on_delete=models.SET_NULL, null=True, blank=True, related_name="filings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    inventors = models.TextField(_("inventors / authors"), blank=True)
    country = CountryField(_("filed in"), default=HOME_COUNTRY)
    application_number = models.CharField(_("application number"), max_length=64, blank=True)
    filed_on = models.DateField(_("filed on"))
    status = models.CharField(
        _("status"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.FILED, editable=False
    )
    status_on = models.DateField(_("status since"), null=True, blank=True, editable=False)
    grant_number = models.CharField(_("grant number"), max_length=64, blank=True, editable=False)
    security_control_required = models.BooleanField(
        _("security control required"),
        default=True,
        help_text=_("A defence or security invention made in Việt Nam (IP Law Art. 89a)."),
    )
    security_control_decision = models.CharField(_("security control decision"), max_length=100, blank=True)
    security_control_on = models.DateField(_("security control recorded on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("owner__path", "task__host__path")
    search_fields = ("title", "application_number", "inventors")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("IP filing")
        verbose_name_plural = _("IP filings")
        ordering = ["-filed_on", "title"]

    def __str__(self) -> str:
        return f"{self.application_number or self.get_kind_display()} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("research:filing_detail", kwargs={"pk": self.pk})

    @property
    def foreign(self) -> bool:
        return bool(self.country) and str(self.country) != HOME_COUNTRY

    @property
    def control_recorded(self) -> bool:
        return bool(self.security_control_decision.strip() and self.security_control_on)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.foreign and self.security_control_required and not self.control_recorded:
            errors["country"] = [
                _(
                    "A security or defence invention is filed abroad only after its security control in "
                    "Việt Nam: record the control decision and its date first."
                )
            ]
        if bool(self.security_control_decision.strip()) != bool(self.security_control_on):
            errors["security_control_on"] = [_("Give both the control decision and its date.")]
        if self.security_control_on and self.filed_on and self.foreign and self.filed_on < self.security_control_on:
            errors["filed_on"] = [_("The foreign filing cannot precede its security control.")]
        if errors:
            raise ValidationError(errors)


class TechTransfer(ClassifiedModel, TimestampedModel):
    """A technology transfer into, out of or within the industry: partner, technology, value, approval,
    status. A foreign partner or an outbound transfer needs an approval before it is completed."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Into the industry")
        OUTBOUND = "outbound", _("Out of the industry")
        INTERNAL = "internal", _("Between units of the industry")

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("Negotiating")
        CONTRACTED = "contracted", _("Contract signed")
        IN_PROGRESS = "in_progress", _("Being transferred")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        Organization, verbose_name=_("unit of the industry"), on_delete=models.PROTECT, related_name="tech_transfers"
    )
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    partner = models.CharField(_("partner"), max_length=255)
    partner_country = CountryField(_("partner's country"), default=HOME_COUNTRY)
    technology = models.CharField(_("technology"), max_length=500)
    task = models.ForeignKey(
        ResearchTask, verbose_name=_("S&T task"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("catalogue product"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(
        _("contract value (VND)"),
        max_digits=18,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    approval_decision = models.CharField(_("approval decision"), max_length=100, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEGOTIATING)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("partner", "technology", "contract_number")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("technology transfer")
        verbose_name_plural = _("technology transfers")
        ordering = ["-signed_on", "technology"]

    def __str__(self) -> str:
        return f"{self.technology} ({self.partner})"

    def get_absolute_url(self) -> str:
        return reverse("research:transfer_detail", kwargs={"pk": self.pk})

    @property
    def approval_required(self) -> bool:
        return self.direction == self.Direction.OUTBOUND or str(self.partner_country) != HOME_COUNTRY

    @property
    def approval_recorded(self) -> bool:
        return bool(self.approval_decision.strip() and self.approved_on)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if bool(self.approval_decision.strip()) != bool(self.approved_on):
            errors["approved_on"] = [_("Give both the approval decision and its date.")]
        if self.status == self.Status.COMPLETED:
            if self.approval_required and not self.approval_recorded:
                errors["status"] = [
                    _("A transfer with a foreign partner or out of the industry is completed only once approved.")
                ]
            if not self.completed_on:
                errors["completed_on"] = [_("Give the date the transfer was completed.")]
        if self.completed_on and self.signed_on and self.completed_on < self.signed_on:
            errors["completed_on"] = [_("The transfer cannot be completed before its contract was signed.")]
        if errors:
            raise ValidationError(errors)


class Cooperation(ClassifiedModel, TimestampedModel):
    """A cooperation agreement (MOU, agreement, contract, joint venture) with a domestic or foreign
    partner: field, period, activities. An international one needs an approval before it is completed."""

    class Form(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Cooperation agreement")
        CONTRACT = "contract", _("Contract")
        JOINT_VENTURE = "joint_venture", _("Joint venture")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("In force")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        Organization, verbose_name=_("unit of the industry"), on_delete=models.PROTECT, related_name="cooperations"
    )
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    partner = models.CharField(_("partner"), max_length=255)
    country = CountryField(_("partner's country"), default=HOME_COUNTRY)
    field = models.CharField(_("field"), max_length=255)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    activities = models.TextField(_("activities"), blank=True, help_text=_("Delegations, training, exhibitions …"))
    approval_decision = models.CharField(_("approval decision"), max_length=100, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("partner", "field", "activities")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-start_on", "partner"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")), name="rs_coop_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.field}"

    def get_absolute_url(self) -> str:
        return reverse("research:cooperation_detail", kwargs={"pk": self.pk})

    @property
    def international(self) -> bool:
        return str(self.country) != HOME_COUNTRY

    @property
    def approval_recorded(self) -> bool:
        return bool(self.approval_decision.strip() and self.approved_on)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = [_("The end cannot be before the start.")]
        if bool(self.approval_decision.strip()) != bool(self.approved_on):
            errors["approved_on"] = [_("Give both the approval decision and its date.")]
        if (
            self.status in (self.Status.ACTIVE, self.Status.COMPLETED)
            and self.international
            and not self.approval_recorded
        ):
            errors["status"] = [_("An international cooperation comes into force only once approved.")]
        if errors:
            raise ValidationError(errors)


class ResearchGroup(ClassifiedModel, TimestampedModel):
    """A research group at a school, academy or institute, formed around the products the industry needs."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("school or institute"), on_delete=models.PROTECT, related_name="research_groups"
    )
    name = models.CharField(_("name"), max_length=255)
    lead = models.CharField(_("group lead"), max_length=255)
    members = models.TextField(_("members"), blank=True, help_text=_("One person per line."))
    field = models.CharField(_("field"), max_length=255)
    product_groups = models.ManyToManyField(
        ProductGroup, verbose_name=_("product groups targeted"), blank=True, related_name="research_groups"
    )
    tasks = models.ManyToManyField(ResearchTask, verbose_name=_("S&T tasks"), blank=True, related_name="groups")
    formed_on = models.DateField(_("formed on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("name", "lead", "field", "members")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("research group")
        verbose_name_plural = _("research groups")
        ordering = ["organization", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="rs_group_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("research:group_detail", kwargs={"pk": self.pk})
