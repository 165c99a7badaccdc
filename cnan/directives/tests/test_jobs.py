"""The daily follow-up: statuses move on with the dates, reminders go to the lead unit's people once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from cnan.accounts import services as account_services
from cnan.accounts.models import Role
from cnan.core.models import Notification
from cnan.directives import services, tasks
from cnan.directives.models import Status, Task

TODAY = timezone.localdate()


@pytest.fixture
def plan(world, make_user):
    """A plan of H08 issued a month ago: task 1 (ENT-A) due in 20 days, already started, cascaded to a
    workshop of ENT-A (1.1, due in 10 days); task 2 (ENT-B) due in 5 days; task 3 (ENT-B) overdue."""
    from cnan.organizations import services as org_services

    workshop = org_services.organization_create(
        actor=None, parent=world.ent_a, data={"code": "ENT-A-X1", "name": "Phân xưởng 1", "kind": "operational_unit"}
    )
    people = {
        "h08": make_user("department_officer", world.h08, clearance=1),
        "a": make_user("enterprise_officer", world.ent_a),
        "a2": make_user("enterprise_officer", world.ent_a),
        "b": make_user("enterprise_officer", world.ent_b),
        "x1": make_user("enterprise_officer", workshop),
        "gone": make_user(None),
    }
    account_services.membership_create(
        actor=None,
        data={
            "user": people["gone"],
            "organization": world.ent_a,
            "role": Role.objects.get(code="enterprise_officer"),
            "valid_from": TODAY - dt.timedelta(days=400),
            "valid_to": TODAY - dt.timedelta(days=30),
        },
    )
    # a second role at the same unit must not double the reminders
    account_services.membership_create(
        actor=None,
        data={
            "user": people["a2"],
            "organization": world.ent_a,
            "role": Role.objects.get(code="unit_officer"),
            "valid_from": dt.date(2020, 1, 1),
        },
    )
    doc = services.document_create(
        actor=None,
        data={
            "organization": world.h08,
            "kind": "plan",
            "number": "57/KH-H08",
            "issuer": "Cục trưởng",
            "issued_on": TODAY - dt.timedelta(days=30),
            "title": "Kế hoạch nội địa hoá",
        },
    )

    def task(number, lead, days, parent=None, actor=None):
        return services.task_create(
            actor=actor,
            document=doc,
            parent=parent,
            data={
                "number": number,
                "content": f"Nhiệm vụ {number}",
                "lead": lead,
                "deadline": TODAY + dt.timedelta(days=days),
                "expected_product": "Báo cáo",
            },
        )

    t1 = task("1", world.ent_a, 20)
    t11 = task("1.1", workshop, 10, parent=t1, actor=people["a"])
    t2 = task("2", world.ent_b, 5)
    t3 = task("3", world.ent_b, -1)
    report = services.report_submit(
        actor=people["x1"], task=t11, data={"reported_on": TODAY, "percent": 30, "narrative": "Đã khảo sát"}
    )
    services.report_review(actor=people["a"], report=report, action="accept")
    return {"doc": doc, "t1": t1, "t11": t11, "t2": t2, "t3": t3, "workshop": workshop, **people}


def status(task):
    return Task.objects.get(pk=task.pk).status


def titles(user):
    return sorted(user.notifications.values_list("title", flat=True))


def test_dates_passing_turn_a_task_in_progress_overdue(plan):
    assert (status(plan["t11"]), status(plan["t1"])) == (Status.IN_PROGRESS, Status.IN_PROGRESS)
    assert status(plan["t3"]) == Status.OVERDUE
    # the day before 1.1's deadline nothing changes; the day after its deadline it is overdue (not its parent)
    tasks.daily_followup.enqueue((TODAY + dt.timedelta(days=10)).isoformat())
    assert (status(plan["t11"]), status(plan["t1"])) == (Status.IN_PROGRESS, Status.IN_PROGRESS)
    tasks.daily_followup.enqueue((TODAY + dt.timedelta(days=11)).isoformat())
    assert (status(plan["t11"]), status(plan["t1"])) == (Status.OVERDUE, Status.IN_PROGRESS)
    assert status(plan["t2"]) == Status.OVERDUE
    # past the parent's own deadline the parent is overdue too
    tasks.run_daily_followup(today=TODAY + dt.timedelta(days=21))
    assert status(plan["t1"]) == Status.OVERDUE
    # an extension brings it back within its deadline when the job runs again
    services.adjustment_create(
        actor=plan["h08"],
        task=Task.objects.get(pk=plan["t1"].pk),
        data={
            "kind": "extend",
            "decision_number": "9/QĐ-H08",
            "decided_on": TODAY,
            "new_deadline": TODAY + dt.timedelta(days=60),
            "reason": "Gia hạn",
        },
    )
    tasks.run_daily_followup(today=TODAY + dt.timedelta(days=21))
    assert status(plan["t1"]) == Status.IN_PROGRESS


def test_the_pass_refreshes_every_open_task_once_and_leaves_finished_ones(plan):
    report = services.report_submit(
        actor=plan["b"],
        task=plan["t2"],
        data={"reported_on": TODAY, "percent": 100, "narrative": "Xong", "product_delivered": "Báo cáo"},
    )
    services.report_review(actor=plan["h08"], report=report, action="accept")
    assert status(plan["t2"]) == Status.DONE_ON_TIME
    assert services.refresh_open_tasks(today=TODAY + dt.timedelta(days=30)) == 3  # 1, 1.1 and 3; 2 is done
    assert status(plan["t2"]) == Status.DONE_ON_TIME


def test_reminders_go_to_the_lead_units_people_for_due_and_overdue_tasks(plan):
    result = tasks.run_daily_followup(today=TODAY)
    # 2 (ENT-B, due in 5 days) and 3 (ENT-B, overdue): ENT-B's officer, twice; 1 and 1.1 are not due yet
    assert result["reminded"] == 2
    # in the person's language (Vietnamese by default), naming the task and its deadline
    two, three = titles(plan["b"])
    assert "57/KH-H08 · 2" in two and f"{TODAY + dt.timedelta(days=5):%d/%m/%Y}" in two
    assert "57/KH-H08 · 3" in three and f"{TODAY - dt.timedelta(days=1):%d/%m/%Y}" in three
    levels = dict(plan["b"].notifications.values_list("url", "level"))
    assert levels == {plan["t2"].get_absolute_url(): "warning", plan["t3"].get_absolute_url(): "danger"}
    for other in ("h08", "a", "a2", "x1", "gone"):
        assert titles(plan[other]) == [], other


def test_reminders_of_a_cascaded_task_go_to_its_own_lead_not_the_parents(plan):
    tasks.run_daily_followup(today=TODAY + dt.timedelta(days=4))  # 1.1 due in 6 days
    url = plan["t11"].get_absolute_url()
    assert plan["x1"].notifications.filter(url=url, level="warning").count() == 1
    for other in ("a", "a2", "b", "h08"):
        assert not plan[other].notifications.filter(url=url).exists(), other


def on(day: dt.date):
    """The clock at 08:00 local time on ``day`` (the reminder windows are read against it)."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(8))), tick=False)


def test_one_reminder_per_person_per_task_per_level_and_window(plan):
    day = TODAY + dt.timedelta(days=15)  # 1 due in 5 days; 1.1, 2, 3 overdue
    with on(day):
        first = tasks.run_daily_followup()["reminded"]
        # ENT-A's two current officers for 1 (the expired one and the double role do not count), 1.1's
        # workshop, ENT-B for 2 and 3
        assert first == 2 + 1 + 2
        assert plan["a2"].notifications.count() == 1
        count = Notification.objects.count()
        assert tasks.run_daily_followup()["reminded"] == 0
        out = StringIO()
        call_command("cnan", "daily", "--now", "--date", day.isoformat(), stdout=out)
        assert "daily_followup" in out.getvalue()
        assert Notification.objects.count() == count
    # a new fact (overdue instead of due) is news: the danger reminder goes out once
    with on(TODAY + dt.timedelta(days=21)):
        tasks.run_daily_followup()
    assert plan["a"].notifications.filter(url=plan["t1"].get_absolute_url(), level="danger").count() == 1


def test_reminders_come_at_7_3_1_and_0_days_before_then_weekly_while_overdue(plan):
    """Task 1 (ENT-A) is due on TODAY + 20: the daily job runs every day for five weeks; ENT-A's officer
    hears of it on the milestone days only, and a day the job missed is caught up the day after."""
    deadline = TODAY + dt.timedelta(days=20)
    url = plan["t1"].get_absolute_url()
    heard: list[tuple[int, str]] = []
    for offset in range(10, 40):
        day = TODAY + dt.timedelta(days=offset)
        if day == deadline - dt.timedelta(days=3):
            continue  # the job did not run that day
        with on(day):
            tasks.run_daily_followup()
            for level in plan["a"].notifications.filter(url=url, created_at__date=day).values_list("level", flat=True):
                heard.append(((day - deadline).days, level))
    assert heard == [
        (-7, "warning"),
        (-2, "warning"),  # the day after the missed 3-days-before run
        (-1, "warning"),
        (0, "warning"),
        (1, "danger"),
        (8, "danger"),
        (15, "danger"),
    ]


def test_the_command_queues_the_daily_jobs(plan):
    out = StringIO()
    call_command("cnan", "daily", stdout=out)  # queued; the test backend runs it at once
    assert "cnan.directives.tasks.daily_followup: queued" in out.getvalue()
    assert plan["b"].notifications.count() == 2


def test_the_command_refuses_a_date_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("cnan", "daily", "--date", "31/12/2025")
