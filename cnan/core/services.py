"""Audited writes shared by every app's services.

An app's service (``facility_create`` …) decides what may happen; these helpers do it the one way:
permission check, deployment-profile check, validation, save, many-to-many, search text and exactly
one change record, all in one transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from cnan.common.services import model_update
from cnan.common.text import fold_join

from . import audit
from .classification import check_allowed
from .context import current, current_request_id
from .models import ImportBatch, Job, Notification, ObjectChange, RecordAccess
from .permissions import perm_name, require

M = TypeVar("M", bound=models.Model)


def _refresh_search_text(instance: models.Model) -> None:
    fields = getattr(instance, "search_fields", None)
    if fields and hasattr(instance, "search_text"):
        instance.search_text = fold_join(*(getattr(instance, name, "") for name in fields))


def _stamp_classification(instance: models.Model, actor: Any, *, changed: bool) -> None:
    if not hasattr(instance, "classification"):
        return
    level = instance.classification  # type: ignore[attr-defined]
    check_allowed(level)
    if changed:
        stamp = level > 0
        instance.classified_by = actor if stamp and getattr(actor, "pk", None) else None  # type: ignore[attr-defined]
        instance.classified_on = timezone.localdate() if stamp else None  # type: ignore[attr-defined]


@transaction.atomic
def object_create(
    *,
    actor: Any,
    instance: M,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    perm: str | None = None,
    save: Callable[[M], Any] | None = None,
    clean_exclude: Iterable[str] = (),
) -> M:
    """Create ``instance``. ``save`` replaces ``instance.save()`` where a library must place the row
    (a tree node); ``clean_exclude`` names fields that saving fills in."""
    require(actor, perm or perm_name(type(instance), "add"), instance)
    _stamp_classification(instance, actor, changed=True)
    _refresh_search_text(instance)
    instance.full_clean(exclude=list(clean_exclude) or None)
    if save is None:
        instance.save()
    else:
        save(instance)
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    audit.record(
        action=ObjectChange.Action.CREATE, instance=instance, actor=actor, before=None, after=audit.snapshot(instance)
    )
    return instance


@transaction.atomic
def object_update(
    *,
    actor: Any,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    perm: str | None = None,
) -> tuple[M, bool]:
    """Apply ``data`` to ``fields`` of ``instance``; record a change only if something changed."""
    perm = perm or perm_name(type(instance), "change")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    require(actor, perm, locked)
    # Many-to-many sets are read only for the fields this update sets (one query each), and recorded
    # only when they change: an update of plain fields costs no extra query for the audit trail.
    m2m_names = [f.name for f in locked._meta.many_to_many if f.name in data and f.name in set(fields)]
    before_m2m = {name: audit.m2m_ids(locked, name) for name in m2m_names}
    before = audit.snapshot(locked, many_to_many=False)
    old_classification = getattr(locked, "classification", None)
    locked, changed = model_update(instance=locked, fields=fields, data=data, current_m2m=before_m2m)
    if not changed:
        return locked, False
    # The record must stay within the actor's scope after the change too (no moving it out of reach).
    require(actor, perm, locked)
    _stamp_classification(locked, actor, changed=getattr(locked, "classification", None) != old_classification)
    _refresh_search_text(locked)
    locked.full_clean()
    locked.save()
    after = audit.snapshot(locked, many_to_many=False)
    for name in m2m_names:
        if name in changed:
            getattr(locked, name).set(data[name])
            before[name] = before_m2m[name]
            after[name] = sorted(getattr(v, "pk", v) for v in data[name])
    audit.record(action=ObjectChange.Action.UPDATE, instance=locked, actor=actor, before=before, after=after)
    return locked, True


@transaction.atomic
def object_delete(*, actor: Any, instance: models.Model, perm: str | None = None) -> None:
    require(actor, perm or perm_name(type(instance), "delete"), instance)
    before = audit.snapshot(instance)
    pk = instance.pk
    try:
        instance.delete()
    except ProtectedError as exc:
        blockers = sorted({str(obj) for obj in list(exc.protected_objects)[:5]})
        raise ValidationError(
            _("%(object)s cannot be deleted while other records refer to it: %(blockers)s.")
            % {"object": instance, "blockers": ", ".join(blockers)}
        ) from exc
    audit.record(
        action=ObjectChange.Action.DELETE, instance=instance, actor=actor, before=before, after=None, object_id=pk
    )


def record_read(*, user: Any, instance: models.Model) -> None:
    """Log the read of a classified record (DESIGN.md §3). Unclassified reads are not logged."""
    level = getattr(instance, "classification", 0) or 0
    if not level or not getattr(user, "pk", None):
        return
    ctx = current()
    RecordAccess.objects.create(
        user=user,
        request_id=current_request_id(),
        ip_address=ctx.ip_address if ctx else None,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        classification=level,
    )


# --- Notifications ----------------------------------------------------------------------------------


def notification_send(
    *, recipient: Any, title: str, body: str = "", url: str = "", level: str = Notification.Level.INFO
) -> Notification:
    return Notification.objects.create(recipient=recipient, title=title[:255], body=body, url=url, level=level)


def notification_mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications (all unread ones if no ids are given) as read."""
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


# --- Jobs -------------------------------------------------------------------------------------------


def job_create(*, owner: Any, kind: str, title: str, params: dict[str, Any]) -> Job:
    return Job.objects.create(owner=owner, kind=kind, title=title[:255], params=params)


def job_start(*, job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now(), progress=0)


def job_progress(*, job: Job, progress: int, message: str = "", side_connection: Any = None) -> None:
    """Record a job's progress. ``side_connection`` (see :func:`side_connection`): a task that works
    inside one long transaction writes its progress through it, so that the job page sees it at once."""
    progress = max(0, min(100, int(progress)))
    if side_connection is not None:
        table = side_connection.ops.quote_name(Job._meta.db_table)
        with side_connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s, message = %s WHERE id = %s",  # noqa: S608 - fixed names
                [progress, message, job.pk],
            )
            if cursor.rowcount:
                return
    Job.objects.filter(pk=job.pk).update(progress=progress, message=message)


@contextlib.contextmanager
def side_connection() -> Iterator[Any]:
    """A second, autocommitting connection to the default database, for progress written from inside a
    long transaction; ``None`` where the database has a single writer (SQLite: the progress is then
    written in the transaction and shows when it ends)."""
    if connection.vendor != "postgresql":
        yield None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield side
    finally:
        side.close()


def job_finish(*, job: Job, ok: bool, message: str = "") -> None:
    job.status = Job.Status.SUCCEEDED if ok else Job.Status.FAILED
    job.finished_at = timezone.now()
    job.message = message
    if ok:
        job.progress = 100
    job.save(update_fields=["status", "finished_at", "message", "progress", "result_file", "result_name"])


# --- Import batches (core.imports) ------------------------------------------------------------------


def import_batch_create(
    *,
    owner: Any,
    spec_key: str,
    params: dict[str, Any],
    upload: Any,
    file_name: str,
    language: str,
    row_count: int,
    errors: list[dict[str, Any]],
    error_count: int,
    preview: dict[str, Any],
) -> ImportBatch:
    """Keep a validated upload: ready to import, or with its errors (nothing of it is written yet)."""
    batch = ImportBatch(
        owner=owner,
        spec_key=spec_key,
        params=params,
        file_name=file_name[:255],
        language=language,
        status=ImportBatch.Status.INVALID if error_count else ImportBatch.Status.READY,
        row_count=row_count,
        errors=errors,
        error_count=error_count,
        preview=preview,
    )
    upload.seek(0)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "bin"
    batch.file.save(f"{batch.pk}.{extension}", upload, save=False)
    batch.save()
    return batch


@transaction.atomic
def import_batch_commit_start(*, actor: Any, batch: ImportBatch, title: str) -> Job:
    """Hand a ready batch to a new import job (once: a second request finds it no longer ready)."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You do not have permission to perform this action."))
    if locked.status != ImportBatch.Status.READY:
        raise ValidationError(_("This file is not ready to be imported (it has errors, or was imported already)."))
    job = job_create(
        owner=actor, kind="import", title=title, params={"batch": str(locked.pk), "language": locked.language}
    )
    locked.status = ImportBatch.Status.COMMITTING
    locked.job = job
    locked.save(update_fields=["status", "job"])
    batch.status, batch.job = locked.status, job
    return job


def import_batch_finish(
    *, batch: ImportBatch, ok: bool, message: str = "", errors: list[dict[str, Any]] | None = None
) -> None:
    batch.status = ImportBatch.Status.COMMITTED if ok else ImportBatch.Status.FAILED
    batch.message = message
    batch.finished_at = timezone.now()
    fields = ["status", "message", "finished_at"]
    if errors is not None:
        batch.errors = errors
        batch.error_count = max(batch.error_count, len(errors))
        fields += ["errors", "error_count"]
    batch.save(update_fields=fields)
