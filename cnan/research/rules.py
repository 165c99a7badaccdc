"""Derived state of S&T tasks, as pure functions (no database): whether a task is on time or late, and
which milestones are late. The services store the result after every change and the daily job as dates
pass, so that lists and dashboards filter on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Schedule, Stage

SCHEDULED_STAGES = (Stage.CONTRACTED, Stage.IN_PROGRESS)


@dataclass(frozen=True)
class MilestoneFacts:
    due_on: dt.date
    done_on: dt.date | None


def milestone_late(m: MilestoneFacts, today: dt.date) -> bool:
    """Late: done after its due date, or not done and its due date has passed (the due day itself is on
    time)."""
    if m.done_on is not None:
        return m.done_on > m.due_on
    return today > m.due_on


def schedule(*, stage: str, end: dt.date, milestones: Iterable[MilestoneFacts], today: dt.date) -> str:
    """On time or late for a task under contract or in progress; not applicable otherwise (a proposal has
    no schedule yet; a paused task's schedule waits for the decision that resumes it; a task past its
    acceptance is judged by the council, not by the dates).

    Late when its current end has passed, or when a milestone is due and not done. A milestone that was
    done late but is done no longer holds the task back."""
    if stage not in SCHEDULED_STAGES:
        return Schedule.NOT_APPLICABLE
    if today > end:
        return Schedule.LATE
    if any(m.done_on is None and today > m.due_on for m in milestones):
        return Schedule.LATE
    return Schedule.ON_TIME
