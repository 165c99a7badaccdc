"""The status and slippage rules on their edge cases (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from cnan.directives import status as rules
from cnan.directives.models import Status

D = dt.date


def facts(**kw):
    base = {
        "today": D(2025, 5, 1),
        "assigned_on": D(2025, 1, 1),
        "deadline": D(2025, 6, 30),
        "regular": False,
        "cycle": "quarter",
        "paused": False,
        "completed_on": None,
        "last_report_on": None,
        "progress": 0,
        "children": (),
    }
    base.update(kw)
    return rules.Facts(**base)


def test_not_started_then_in_progress_then_overdue():
    assert rules.derive(facts()) == Status.NOT_STARTED
    assert rules.derive(facts(progress=10, last_report_on=D(2025, 4, 1))) == Status.IN_PROGRESS
    assert rules.derive(facts(today=D(2025, 7, 1), progress=90)) == Status.OVERDUE


def test_the_deadline_day_itself_is_not_late():
    assert rules.derive(facts(today=D(2025, 6, 30))) == Status.NOT_STARTED
    assert rules.derive(facts(completed_on=D(2025, 6, 30))) == Status.DONE_ON_TIME


def test_done_after_the_deadline_is_done_late_even_long_after():
    assert rules.derive(facts(today=D(2026, 1, 1), completed_on=D(2025, 7, 2))) == Status.DONE_LATE


def test_a_deadline_moved_by_an_adjustment_decides():
    # Completed on 15/07: late against 30/06, on time against a deadline moved to 31/07.
    assert rules.derive(facts(completed_on=D(2025, 7, 15))) == Status.DONE_LATE
    assert rules.derive(facts(completed_on=D(2025, 7, 15), deadline=D(2025, 7, 31))) == Status.DONE_ON_TIME
    assert rules.derive(facts(today=D(2025, 7, 10), deadline=D(2025, 7, 31), progress=50)) == Status.IN_PROGRESS


def test_paused_wins_over_dates():
    assert rules.derive(facts(today=D(2025, 12, 1), paused=True)) == Status.PAUSED


def test_a_regular_task_is_never_done_and_is_overdue_when_a_cycle_passes_without_a_report():
    regular = {"regular": True, "deadline": None}
    assert rules.derive(facts(**regular, today=D(2025, 2, 1))) == Status.NOT_STARTED
    assert rules.derive(facts(**regular, last_report_on=D(2025, 4, 1), progress=30)) == Status.IN_PROGRESS
    # A quarter (92 days) and a week of grace after the last report.
    assert rules.derive(facts(**regular, today=D(2025, 7, 9), last_report_on=D(2025, 4, 1))) == Status.IN_PROGRESS
    assert rules.derive(facts(**regular, today=D(2025, 7, 10), last_report_on=D(2025, 4, 1))) == Status.OVERDUE
    # Never reported: counted from the assignment.
    assert rules.derive(facts(**regular, today=D(2025, 4, 15))) == Status.OVERDUE
    # A completion never makes a regular task done.
    assert (
        rules.derive(facts(**regular, completed_on=D(2025, 3, 1), last_report_on=D(2025, 3, 1))) == Status.IN_PROGRESS
    )


def test_a_parent_whose_children_disagree():
    children = [(Status.DONE_ON_TIME, D(2025, 5, 1)), (Status.OVERDUE, None)]
    assert rules.children_completed_on(children) is None
    assert rules.rolled_progress([100, 40]) == 70
    statuses = [s for s, _d in children]
    # Not completed while a child is not done; started because a child is; overdue once its own deadline passes.
    assert rules.derive(facts(children=statuses, progress=70)) == Status.IN_PROGRESS
    assert rules.derive(facts(children=statuses, progress=70, today=D(2025, 7, 1))) == Status.OVERDUE
    # Every child done: completed on the last child's day, late if that is after the parent's deadline.
    done = [(Status.DONE_ON_TIME, D(2025, 5, 1)), (Status.DONE_LATE, D(2025, 7, 3))]
    assert rules.children_completed_on(done) == D(2025, 7, 3)
    assert rules.derive(facts(completed_on=D(2025, 7, 3))) == Status.DONE_LATE
    # A child not started does not start the parent.
    assert rules.derive(facts(children=[Status.NOT_STARTED, Status.NOT_STARTED])) == Status.NOT_STARTED


def test_forecast_on_a_steady_pace():
    # 0 % on 01/01, 30 % on 31/01, 60 % on 02/03: 1 % a day → 100 % around 11/04, before 30/06.
    points = [(D(2025, 1, 31), 30), (D(2025, 3, 2), 60)]
    outlook = rules.forecast(today=D(2025, 3, 5), assigned_on=D(2025, 1, 1), deadline=D(2025, 6, 30), points=points)
    assert outlook is not None
    assert outlook.pace_per_day == pytest.approx(1.0, rel=0.01)
    assert D(2025, 4, 8) <= outlook.completion <= D(2025, 4, 14)
    assert not outlook.will_miss


def test_forecast_of_a_slow_task_misses_and_says_by_how_much():
    points = [(D(2025, 3, 1), 10), (D(2025, 4, 30), 20)]
    outlook = rules.forecast(today=D(2025, 5, 1), assigned_on=D(2025, 1, 1), deadline=D(2025, 6, 30), points=points)
    assert outlook.will_miss
    assert outlook.completion > D(2025, 6, 30)
    assert outlook.days_late == (outlook.completion - D(2025, 6, 30)).days


def test_forecast_without_any_progress():
    far = rules.forecast(today=D(2025, 1, 20), assigned_on=D(2025, 1, 1), deadline=D(2025, 12, 31), points=[])
    near = rules.forecast(today=D(2025, 11, 1), assigned_on=D(2025, 1, 1), deadline=D(2025, 12, 31), points=[])
    assert (far.completion, far.will_miss) == (None, False)
    assert (near.completion, near.will_miss) == (None, True)


def test_forecast_is_never_in_the_past_and_not_made_for_done_or_regular_tasks():
    points = [(D(2025, 1, 11), 90)]
    outlook = rules.forecast(today=D(2025, 3, 1), assigned_on=D(2025, 1, 1), deadline=D(2025, 6, 30), points=points)
    assert outlook.completion >= D(2025, 3, 1)
    assert (
        rules.forecast(
            today=D(2025, 3, 1), assigned_on=D(2025, 1, 1), deadline=D(2025, 6, 30), points=points, done=True
        )
        is None
    )
    assert (
        rules.forecast(today=D(2025, 3, 1), assigned_on=D(2025, 1, 1), deadline=None, points=points, regular=True)
        is None
    )
    assert (
        rules.forecast(
            today=D(2025, 3, 1), assigned_on=D(2025, 1, 1), deadline=D(2025, 6, 30), points=[(D(2025, 2, 1), 100)]
        )
        is None
    )
