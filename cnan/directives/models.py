"""Steering and directives (issue #5, DOMAIN.md §1.6): steering committees and their meetings, directive
documents, the numbered tasks they assign to units (cascaded to lower units), progress reports with
evidence, and the adjustments that move a deadline or pause a task.

A task's status is never typed in: ``status.derive`` computes it from its dates, its accepted completion,
its adjustments and its sub-tasks, and the services store the result so that lists can filter on it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnan.common.models import TimestampedModel
from cnan.core.classification import ClassifiedModel
from cnan.core.querysets import RestrictedQuerySet
from cnan.organizations.models import Organization

EVIDENCE_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "jpg", "jpeg", "png", "zip"]
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


class SteeringCommittee(ClassifiedModel, TimestampedModel):
    """A steering committee (Ban Chỉ đạo), e.g. BCĐ 57 or BCĐ 158, with its standing agency."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("standing agency"),
        on_delete=models.PROTECT,
        related_name="steering_committees",
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, error_messages={"unique": _("Another committee has this code.")}
    )
    name = models.CharField(_("name"), max_length=255)
    founding_decision = models.CharField(_("founding decision"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    head = models.CharField(_("head"), max_length=255, blank=True)
    deputies = models.TextField(_("deputy heads"), blank=True)
    members = models.ManyToManyField(Organization, verbose_name=_("member units"), blank=True, related_name="+")
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("code", "name", "founding_decision", "head")

    class Meta:
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("directives:committee_detail", kwargs={"pk": self.pk})


class Meeting(ClassifiedModel, TimestampedModel):
    committee = models.ForeignKey(
        SteeringCommittee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=255)
    agenda = models.TextField(_("agenda"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "committee__organization__path"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("directives:committee_detail", kwargs={"pk": self.committee_id}) + f"#meeting-{self.pk}"


class DirectiveDocument(ClassifiedModel, TimestampedModel):
    """A resolution, directive, conclusion, decision, plan, project or conclusion notice."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        DIRECTIVE = "directive", _("Directive")
        CONCLUSION = "conclusion", _("Conclusion")
        DECISION = "decision", _("Decision")
        PLAN = "plan", _("Plan")
        PROJECT = "project", _("Project")
        NOTICE = "notice", _("Conclusion notice")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("assigning unit"),
        on_delete=models.PROTECT,
        related_name="directive_documents",
        help_text=_("The unit that issues the document and follows up its tasks."),
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number and symbol"), max_length=64, help_text=_("e.g. 03/CT-BCA"))
    issuer = models.CharField(_("issued by"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    committee = models.ForeignKey(
        SteeringCommittee,
        verbose_name=_("steering committee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("implements"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
        help_text=_("The documents this one implements (a plan implementing a resolution …)."),
    )
    attachment = models.FileField(
        _("attachment"),
        upload_to="directives/%Y/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"
    search_fields = ("number", "title", "summary", "issuer")

    class Meta:
        verbose_name = _("directive document")
        verbose_name_plural = _("directive documents")
        ordering = ["-issued_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "issued_on"], name="dir_document_number_date")]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("directives:document_detail", kwargs={"pk": self.pk})


class Status(models.TextChoices):
    """Statuses as officials use them (DOMAIN.md §1.6)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    OVERDUE = "overdue", _("Overdue, not done")
    PAUSED = "paused", _("Paused / adjusted")


class Cycle(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


CYCLE_DAYS: dict[str, int] = {Cycle.MONTH: 31, Cycle.QUARTER: 92, Cycle.HALF_YEAR: 183, Cycle.YEAR: 366}


class Task(ClassifiedModel, TimestampedModel):
    """A numbered task assigned by a document to a lead unit, with coordinating units; a sub-task cascades
    part of its parent to a lower unit. Visible to the assigning unit (its whole cascade), the unit that
    cascaded it, the lead and the coordinating units."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    document = models.ForeignKey(
        DirectiveDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent task"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    assigned_by = models.ForeignKey(
        Organization,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="tasks_assigned",
        editable=False,
        help_text=_("The document's unit for a task, the parent's lead unit for a sub-task."),
    )
    number = models.CharField(_("item"), max_length=32, help_text=_("The item number in the document, e.g. 2 or 2.1."))
    content = models.TextField(_("content"))
    lead = models.ForeignKey(
        Organization, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="tasks_led"
    )
    coordinating = models.ManyToManyField(
        Organization, verbose_name=_("coordinating units"), blank=True, related_name="tasks_coordinated"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    regular = models.BooleanField(
        _("regular (thường xuyên)"),
        default=False,
        help_text=_("A standing task without a deadline, reported each cycle."),
    )
    reporting_cycle = models.CharField(
        _("reporting cycle"), max_length=16, choices=Cycle.choices, default=Cycle.QUARTER
    )
    expected_product = models.TextField(
        _("expected concrete product"), help_text=_("What the lead unit will deliver, named concretely.")
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    # Kept by the services (never typed in): see ``directives.status``.
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED, editable=False, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    effective_deadline = models.DateField(_("current deadline"), null=True, blank=True, editable=False, db_index=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    paused = models.BooleanField(_("paused"), default=False, editable=False)
    forecast_on = models.DateField(_("forecast completion"), null=True, blank=True, editable=False)
    will_miss = models.BooleanField(_("pace will miss the deadline"), default=False, editable=False, db_index=True)
    search_text = models.TextField(editable=False, default="")

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("document__organization__path", "assigned_by__path", "lead__path", "coordinating__path")
    scope_multivalued = True
    search_fields = ("number", "content", "expected_product")

    class Meta:
        verbose_name = _("assigned task")
        verbose_name_plural = _("assigned tasks")
        ordering = ["document", "number", "id"]
        indexes = [
            models.Index(fields=["status", "effective_deadline"], name="dir_task_status_deadline"),
            # The task list pages by position in a sortable column's order, the id breaking ties (core.paging):
            # an index on (column, id) starts a deep page at its position (effective_deadline's own index
            # serves it already).
            models.Index(fields=["status", "id"], name="dir_task_status_id"),
            models.Index(fields=["progress", "id"], name="dir_task_progress_id"),
            models.Index(fields=["forecast_on", "id"], name="dir_task_forecast_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="dir_task_progress_lte_100"),
            models.CheckConstraint(
                condition=Q(regular=True) | Q(deadline__isnull=False), name="dir_task_deadline_or_regular"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("directives:task_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if not self.regular and not self.deadline:
            errors["deadline"] = [_("Give a deadline, or mark the task as regular (thường xuyên).")]
        if self.regular and self.deadline:
            errors["deadline"] = [_("A regular task has no deadline; it is reported each cycle.")]
        if self.deadline and self.document_id and self.deadline < self.document.issued_on:
            errors["deadline"] = [
                _("The deadline cannot be before the document was issued (%(date)s).")
                % {"date": self.document.issued_on.strftime("%d/%m/%Y")}
            ]
        if self.parent is not None and self.document_id and self.parent.document_id != self.document_id:
            errors["parent"] = [_("A sub-task belongs to the same document as its parent.")]
        if errors:
            raise ValidationError(errors)


class TaskAdjustment(TimestampedModel):
    """A decision that moves a task's deadline, pauses it, or resumes it."""

    class Kind(models.TextChoices):
        EXTEND = "extend", _("Deadline moved")
        PAUSE = "pause", _("Paused")
        RESUME = "resume", _("Resumed")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("adjustment"), max_length=8, choices=Kind.choices)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = ("task__document__organization__path", "task__assigned_by__path")
    scope_multivalued = False

    class Meta:
        verbose_name = _("task adjustment")
        verbose_name_plural = _("task adjustments")
        ordering = ["task", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.decision_number}"

    def get_absolute_url(self) -> str:
        return reverse("directives:task_detail", kwargs={"pk": self.task_id})

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.EXTEND and not self.new_deadline:
            raise ValidationError({"new_deadline": _("A deadline moved needs the new deadline.")})


class ProgressReport(ClassifiedModel, TimestampedModel):
    """The lead unit's report on a task: percentage, narrative, concrete product delivered, evidence.
    The assigning unit accepts it or returns it; an accepted report of 100 % completes the task."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports")
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was done"))
    product_delivered = models.TextField(_("concrete product delivered"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = (
        "task__document__organization__path",
        "task__assigned_by__path",
        "task__lead__path",
        "task__coordinating__path",
    )
    scope_multivalued = True

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "reported_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="dir_report_percent_lte_100")]

    def __str__(self) -> str:
        return f"{self.task} · {self.reported_on:%d/%m/%Y} · {self.percent} %"

    def get_absolute_url(self) -> str:
        return reverse("directives:task_detail", kwargs={"pk": self.task_id}) + f"#report-{self.pk}"

    def clean(self) -> None:
        super().clean()
        if self.percent == 100 and not self.product_delivered.strip():
            raise ValidationError(
                {"product_delivered": _("A report of completion names the concrete product delivered.")}
            )


def validate_evidence_size(file) -> None:
    if file and file.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("An evidence file may not exceed %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )


class Evidence(ClassifiedModel, TimestampedModel):
    """A file attached to a progress report; it is classified at least as high as its task."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(
        _("file"),
        upload_to="evidence/%Y/%m/",
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size],
    )
    name = models.CharField(_("file name"), max_length=255)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = (
        "report__task__document__organization__path",
        "report__task__assigned_by__path",
        "report__task__lead__path",
        "report__task__coordinating__path",
    )
    scope_multivalued = True

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()


class ReportEvent(models.Model):
    """A transition of a progress report (accepted, returned), by whom, when, why."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
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
    scope_lookup = (
        "report__task__document__organization__path",
        "report__task__assigned_by__path",
        "report__task__lead__path",
        "report__task__coordinating__path",
    )
    scope_multivalued = True

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report", "time", "id"]

    def __str__(self) -> str:
        return f"{self.transition} · {self.time:%d/%m/%Y %H:%M}"
