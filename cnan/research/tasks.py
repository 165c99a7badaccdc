"""Background jobs of the research app: the daily pass turns S&T tasks late as their dates pass
(``services.refresh_open_tasks``), registered with ``core.daily`` (``manage.py cnan daily``)."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from cnan.core import daily
from cnan.core.context import action_context

from . import services

logger = logging.getLogger(__name__)


@daily.register
@task()
def daily_schedule(day: str | None = None) -> dict[str, int]:
    """The scheduled job; ``day`` (ISO date) defaults to the day it runs."""
    with action_context(source="task"):
        refreshed = services.refresh_open_tasks(today=dt.date.fromisoformat(day) if day else None)
    logger.info("research daily pass %s: %s open S&T tasks refreshed", day or "today", refreshed)
    return {"refreshed": refreshed}
