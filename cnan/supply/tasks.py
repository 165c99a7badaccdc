"""Background jobs of the supply app."""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from django_tasks import task

from cnan.core import services as core_services
from cnan.core.context import action_context

from . import services
from .models import AllocationRun

logger = logging.getLogger(__name__)


@task()
def allocation_compute(run_id: str) -> None:
    """Run the optimiser for an allocation run, reporting progress on its job."""
    run = AllocationRun.objects.select_related("job", "job__owner").get(pk=run_id)
    job = run.job
    if job is None or job.is_finished:
        return
    with action_context(source="task"), translation.override(job.params.get("language") or "vi"):
        core_services.job_start(job=job)
        try:
            run = services.allocation_compute(
                run=run,
                user=job.owner,
                progress=lambda pct, message: core_services.job_progress(job=job, progress=pct, message=message),
            )
            if run.optimal:
                message = _(
                    "Proposal ready: %(share)s of the demand's value supplied at home (greedy: %(greedy)s)."
                ) % {"share": f"{run.share:.1%}", "greedy": f"{run.greedy_share:.1%}"}
            else:
                message = _("The solver could not prove an optimum in time; nothing is proposed.")
            core_services.job_finish(job=job, ok=run.optimal, message=message)
        except Exception as exc:  # noqa: BLE001 - a failed job must say so, not vanish
            logger.exception("allocation run %s failed", run.pk)
            AllocationRun.objects.filter(pk=run.pk).update(state=AllocationRun.State.FAILED)
            core_services.job_finish(
                job=job, ok=False, message=_("The allocation failed (%(error)s).") % {"error": type(exc).__name__}
            )
