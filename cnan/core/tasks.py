"""Background jobs of the core app. Tasks take primary keys, read through selectors, and are idempotent."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from django_tasks import task

from . import exports, imports, services
from .context import action_context
from .models import ImportBatch, Job

logger = logging.getLogger(__name__)


@task()
def export_list(job_id: str) -> None:
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return
    params = job.params
    with action_context(source="task"), translation.override(params.get("language") or "vi"):
        services.job_start(job=job)
        try:
            spec = exports.get_list(params["list"])
            filters = QueryDict(params.get("query", ""))
            queryset = exports.ordered(
                spec.table_class, spec.selector(user=job.owner, filters=filters), filters.get("sort")
            )
            headers, rows, total = exports.table_rows(spec.table_class, queryset)
            step = max(1, total // 50)

            def on_row(n: int) -> None:
                if n % step == 0:
                    services.job_progress(
                        job=job,
                        progress=int(n * 99 / max(total, 1)),
                        message=_("%(done)s of %(total)s rows") % {"done": n, "total": total},
                    )

            data = exports.render_bytes(
                fmt=params["format"], title=spec.title(), headers=headers, rows=rows, on_row=on_row
            )
            name = exports.filename(params["list"].replace(":", "-"), params["format"])
            job.result_file.save(name, ContentFile(data), save=False)
            job.result_name = name
            services.job_finish(job=job, ok=True, message=_("%(total)s rows exported.") % {"total": total})
            services.notification_send(
                recipient=job.owner,
                title=_("Your export is ready"),
                body=job.title,
                url=job.get_absolute_url(),
                level="success",
            )
        except Exception as exc:  # noqa: BLE001 - a failed job must say so, not vanish
            logger.exception("export job %s failed", job.pk)
            services.job_finish(
                job=job,
                ok=False,
                message=_("The export failed (%(error)s). The administrators can find the details in the log.")
                % {"error": type(exc).__name__},
            )
            services.notification_send(
                recipient=job.owner,
                title=_("Your export failed"),
                body=job.title,
                url=job.get_absolute_url(),
                level="danger",
            )


@task()
def import_commit(job_id: str) -> None:
    """Commit an import batch: parse and validate its file again, then write every row through the
    app's services, all inside one transaction; any error undoes everything and names the row."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    if batch.status != ImportBatch.Status.COMMITTING:
        return
    user = job.owner
    with action_context(source="task"), translation.override(job.params.get("language") or "vi"):
        services.job_start(job=job)
        try:
            spec = imports.get(batch.spec_key)
            with services.side_connection() as side, transaction.atomic():
                if not imports.may_use(user, spec):
                    raise imports.CommitFailed(None, _("You no longer have permission to use this import."))
                params = imports.resolve_params(user, spec, batch.params)
                with batch.file.open("rb") as stream:
                    result = imports.validate(spec, user, stream, batch.file_name, params)
                if not result.ok:
                    first = result.errors[0] if result.errors else None
                    raise imports.CommitFailed(
                        first["row"] if first else None,
                        (f"{first['column']}: {first['message']}" if first and first["column"] else "")
                        or (first["message"] if first else _("The file has no data rows under the header.")),
                        errors=result.errors,
                    )
                step = max(1, result.row_count // 50)

                def on_progress(done: int, total: int) -> None:
                    if done % step == 0:
                        services.job_progress(
                            job=job,
                            progress=int(done * 99 / max(total, 1)),
                            message=_("%(done)s of %(total)s rows") % {"done": done, "total": total},
                            side_connection=side,
                        )

                count = imports.commit(spec, user, result.rows, params, on_progress)
            message = _("%(count)s rows imported.") % {"count": count}
            services.import_batch_finish(batch=batch, ok=True, message=message)
            services.job_finish(job=job, ok=True, message=message)
            services.notification_send(
                recipient=user,
                title=_("Your import is done"),
                body=job.title,
                url=batch.get_absolute_url(),
                level="success",
            )
        except Exception as exc:  # noqa: BLE001 - a failed job must say so, not vanish
            message, errors = _import_failure(exc)
            if not isinstance(exc, imports.CommitFailed | imports.ImportRefused):
                logger.exception("import job %s failed", job.pk)
            services.import_batch_finish(batch=batch, ok=False, message=message, errors=errors)
            services.job_finish(job=job, ok=False, message=message)
            services.notification_send(
                recipient=user,
                title=_("Your import failed"),
                body=job.title,
                url=batch.get_absolute_url(),
                level="danger",
            )


def _import_failure(exc: Exception) -> tuple[str, list | None]:
    """The job's message (naming the row) and the batch's errors, for a failed import."""
    nothing = _("Nothing was imported.")
    if isinstance(exc, imports.CommitFailed):
        if exc.row is None:
            return f"{exc.message} {nothing}", exc.errors
        errors = exc.errors or [{"row": exc.row, "column": "", "value": "", "message": exc.message}]
        return _("Row %(row)s: %(error)s") % {"row": exc.row, "error": exc.message} + f" {nothing}", errors
    if isinstance(exc, imports.ImportRefused):
        return f"{exc.message} {nothing}", None
    if isinstance(exc, ObjectDoesNotExist | PermissionDenied):
        return _("The import's target no longer exists or you may no longer change it.") + f" {nothing}", None
    return (
        _("The import failed (%(error)s). The administrators can find the details in the log.")
        % {"error": type(exc).__name__}
        + f" {nothing}",
        None,
    )
