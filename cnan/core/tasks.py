"""Background jobs of the core app. Tasks take primary keys, read through selectors, and are idempotent."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from django_tasks import task

from . import exports, services
from .context import action_context
from .models import Job

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
