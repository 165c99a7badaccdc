"""The rules that say where a task stands, and whether its pace will meet its deadline.

Pure functions of the task's facts, so that they are tested on their edge cases and explained on the
page. The services store their results on the task (``status``, ``progress``, ``effective_deadline``,
``forecast_on``) each time a fact changes; a daily job refreshes them as dates pass.

Status (DOMAIN.md §1.6):

* paused by an adjustment decision → *paused / adjusted*;
* completed (an accepted report of 100 %, or, for a task with sub-tasks, every sub-task completed) →
  *done on time* if completed on or before the current deadline, else *done late*;
* a regular task (thường xuyên) is never done: *in progress* while it reports every cycle, *overdue*
  when a whole cycle (and a week of grace) has passed since its last accepted report — or since it was
  assigned, if it never reported;
* otherwise, past the current deadline → *overdue, not done*; started (some progress reported, or a
  sub-task started) → *in progress*; else *not started*.

The current deadline is the last deadline set by an adjustment decision, or the original one.

Progress: a task with sub-tasks takes the mean of its sub-tasks' progress; otherwise its last accepted
report's percentage.

Forecast (slippage): from the accepted reports' (date, percentage) points, the pace is the slope of a
least-squares line through them (with the assignment date at 0 % as the first point); the forecast
completion date is when that line reaches 100 %. A task *will miss* its deadline when the forecast falls
after it, or when no progress has been made and the deadline is near (the pace is zero).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .models import CYCLE_DAYS, Status

GRACE_DAYS = 7


@dataclass(frozen=True)
class Facts:
    today: dt.date
    assigned_on: dt.date
    deadline: dt.date | None  # the current deadline (after adjustments)
    regular: bool
    cycle: str
    paused: bool
    completed_on: dt.date | None
    last_report_on: dt.date | None  # last accepted report
    progress: int  # 0–100
    children: Sequence[str] = ()  # statuses of the sub-tasks


def derive(f: Facts) -> str:
    if f.paused:
        return Status.PAUSED
    if f.regular:
        since = f.last_report_on or f.assigned_on
        if (f.today - since).days > CYCLE_DAYS[f.cycle] + GRACE_DAYS:
            return Status.OVERDUE
        return (
            Status.IN_PROGRESS if (f.last_report_on or f.progress or _any_started(f.children)) else Status.NOT_STARTED
        )
    if f.completed_on is not None:
        if f.deadline is None or f.completed_on <= f.deadline:
            return Status.DONE_ON_TIME
        return Status.DONE_LATE
    if f.deadline is not None and f.today > f.deadline:
        return Status.OVERDUE
    if f.progress > 0 or _any_started(f.children):
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def _any_started(children: Sequence[str]) -> bool:
    return any(c != Status.NOT_STARTED for c in children)


DONE = (Status.DONE_ON_TIME, Status.DONE_LATE)


def children_completed_on(children: Sequence[tuple[str, dt.date | None]]) -> dt.date | None:
    """A task with sub-tasks is completed when every sub-task is, on the day the last one was."""
    if not children or any(status not in DONE or day is None for status, day in children):
        return None
    return max(day for _status, day in children if day is not None)


def rolled_progress(children: Sequence[int]) -> int:
    return round(sum(children) / len(children)) if children else 0


@dataclass(frozen=True)
class Forecast:
    completion: dt.date | None  # None: no pace (no progress), or nothing to forecast
    pace_per_day: float  # percentage points per day
    will_miss: bool
    days_late: int


def forecast(
    *,
    today: dt.date,
    assigned_on: dt.date,
    deadline: dt.date | None,
    points: Sequence[tuple[dt.date, int]],
    done: bool = False,
    regular: bool = False,
) -> Forecast | None:
    """When the task will reach 100 % at its current pace (least squares through the reports)."""
    if done or regular or deadline is None:
        return None
    series = [(assigned_on, 0), *sorted(points)]
    last_day, last_pct = series[-1]
    if last_pct >= 100:
        return None
    xs = [(d - assigned_on).days for d, _p in series]
    ys = [p for _d, p in series]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    var = sum((x - mean_x) ** 2 for x in xs)
    pace = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    if pace <= 0:
        # No pace: it will miss unless the deadline is still far (more than a quarter of its span left).
        span = max((deadline - assigned_on).days, 1)
        left = (deadline - today).days
        return Forecast(None, 0.0, left < span / 4, max(0, (today - deadline).days))
    # The line through the points' mean with that slope, continued from the last report.
    days_to_finish = (100 - last_pct) / pace
    completion = max(last_day + dt.timedelta(days=round(days_to_finish)), today)
    late = (completion - deadline).days
    return Forecast(completion, pace, late > 0, max(0, late))
