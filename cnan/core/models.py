"""Core records: the audit trail, classified-read log, background jobs and notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AuditEncoder
from .classification import Classification
from .querysets import RestrictedQuerySet


class ObjectChange(models.Model):
    """One row per created, updated or deleted object, written by services in the same transaction.

    Append-only: a database trigger (SQLite and PostgreSQL) refuses UPDATE and DELETE on this table.
    Foreign keys carry no database constraint so that a row outlives what it describes.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # covered by core_change_actor_idx
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150)
    request_id = models.UUIDField(_("request id"), db_index=True)
    source = models.CharField(_("source"), max_length=16, default="web")
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # covered by core_change_object_idx
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.NONE
    )
    before = models.JSONField(_("before"), null=True, blank=True, encoder=AuditEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=AuditEncoder)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_lookup = "organization__path"

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-time"], name="core_change_object_idx"),
            models.Index(fields=["actor", "-time"], name="core_change_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("core:objectchange_detail", kwargs={"pk": self.pk})

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the fields this change touched."""
        before = self.before or {}
        after = self.after or {}
        names = self.changed_fields or sorted(set(before) | set(after))
        return [(name, before.get(name), after.get(name)) for name in names]


class RecordAccess(models.Model):
    """Who read a classified record, and when (DESIGN.md §3). Append-only like ``ObjectChange``."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    request_id = models.UUIDField(_("request id"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    classification = models.PositiveSmallIntegerField(choices=Classification.choices)

    class Meta:
        verbose_name = _("classified record access")
        verbose_name_plural = _("classified record accesses")
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{self.time:%d/%m/%Y %H:%M} {self.user_id} {self.object_repr}"


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """A background job a person started (an export, an import …), with its progress for the UI."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="core_job_progress_lte_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Level(models.TextChoices):
        INFO = "info", _("Information")
        SUCCESS = "success", _("Success")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Alert")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notif_unread_idx")]

    def __str__(self) -> str:
        return self.title


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class ImportBatch(models.Model):
    """One uploaded file of an import (``core.imports``): validated on upload, committed by a job.

    Not audited itself: the records its commit creates or changes are, through the app's services."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches")
    spec_key = models.CharField(_("import"), max_length=100)
    params = models.JSONField(default=dict, blank=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # the first CNAN_IMPORT_MAX_ERRORS
    preview = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    job = models.ForeignKey(
        Job, verbose_name=_("job"), on_delete=models.SET_NULL, null=True, blank=True, related_name="import_batches"
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("core:import_batch", kwargs={"pk": self.pk})
