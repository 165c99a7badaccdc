"""Background jobs of the directives app.

``daily_followup`` is the daily pass (DOMAIN.md §1.6): dates move on, so every open task's status,
deadline and forecast are recomputed (a task in progress turns overdue the day after its deadline), then
the lead units' people are reminded of tasks due within a week (7, 3 and 1 days before and on the day)
and of overdue ones (the day after the deadline, then weekly; ``services.reminder_since``). It is
idempotent: run twice, it changes nothing more and notifies nobody twice (``services.send_reminders``).

django-tasks has no scheduler: the task is registered with ``core.daily``, and ``manage.py cnan daily``
queues it (``--now`` runs it in the command), started each morning by ``deploy/cnan-daily.timer``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from django_tasks import task

from cnan.core import daily
from cnan.core.context import action_context

from . import services

logger = logging.getLogger(__name__)

REMINDER_DAYS = 7


def run_daily_followup(*, today: dt.date | None = None) -> dict[str, int]:
    """Refresh the open tasks for ``today`` (default: the local date), then send the reminders."""
    today = today or timezone.localdate()
    with action_context(source="task"):
        refreshed = services.refresh_open_tasks(today=today)
        reminded = services.send_reminders(today=today, days_before=REMINDER_DAYS)
    logger.info("daily follow-up %s: %s open tasks refreshed, %s reminders sent", today, refreshed, reminded)
    return {"refreshed": refreshed, "reminded": reminded}


@daily.register
@task()
def daily_followup(day: str | None = None) -> dict[str, int]:
    """The scheduled job; ``day`` (ISO date) defaults to the day it runs."""
    return run_daily_followup(today=dt.date.fromisoformat(day) if day else None)
