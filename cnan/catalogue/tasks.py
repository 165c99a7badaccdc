"""Background jobs of the catalogue."""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from django_tasks import task

from cnan.core import services
from cnan.core.context import action_context
from cnan.core.models import Job

from . import rollup

logger = logging.getLogger(__name__)


@task()
def rollup_recompute(job_id: str) -> None:
    """Recompute every product's cost, imported value and localisation rate, reporting progress."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return
    with action_context(source="task"), translation.override(job.params.get("language") or "vi"):
        services.job_start(job=job)
        try:
            services.job_progress(job=job, progress=5, message=_("Reading the bills of materials"))

            def on_write(done: int, total: int) -> None:
                services.job_progress(
                    job=job,
                    progress=10 + int(done * 89 / max(total, 1)),
                    message=_("%(done)s of %(total)s products updated") % {"done": done, "total": total},
                )

            changed = rollup.recompute_all(progress=on_write)
            services.job_finish(job=job, ok=True, message=_("%(count)s products had new figures.") % {"count": changed})
        except Exception as exc:  # noqa: BLE001 - a failed job must say so, not vanish
            logger.exception("rollup job %s failed", job.pk)
            services.job_finish(
                job=job,
                ok=False,
                message=_("The recompute failed (%(error)s). Nothing was changed.") % {"error": type(exc).__name__},
            )
