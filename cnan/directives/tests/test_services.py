"""Directive services: who may write what, the cascade, reports and their review, adjustments, refusals."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from cnan.core.models import ObjectChange
from cnan.core.testing import changes_for, database_state
from cnan.directives import services
from cnan.directives.models import Evidence, ProgressReport, ReportEvent, Status, Task
from cnan.organizations import services as org_services

TODAY = timezone.localdate()


@contextmanager
def nothing_written(exc, match=None):
    before = database_state(("directives", "core"))
    with pytest.raises(exc, match=match) as info:
        yield info
    assert database_state(("directives", "core")) == before, "a refused write changed the database"


@pytest.fixture
def people(directive, make_user):
    w = directive.world
    return {
        "h08": make_user("department_officer", w.h08, clearance=1),
        "a": make_user("enterprise_officer", w.ent_a),
        "b": make_user("enterprise_officer", w.ent_b),
    }


def report(task, actor, percent, day, **extra):
    data = {"reported_on": day, "percent": percent, "narrative": f"Đạt {percent} %", **extra}
    return services.report_submit(actor=actor, task=task, data=data)


def test_units_see_their_own_tasks_and_the_assigning_unit_sees_all(directive, people):
    assert set(Task.objects.visible_to(people["a"]).values_list("number", flat=True)) == {"1"}
    assert set(Task.objects.visible_to(people["b"]).values_list("number", flat=True)) == {"2"}
    assert set(Task.objects.visible_to(people["h08"]).values_list("number", flat=True)) == {"1", "2"}


def test_a_coordinating_unit_sees_the_task(directive, people):
    services.task_update(actor=people["h08"], instance=directive.t1, data={"coordinating": [directive.world.ent_b]})
    assert set(Task.objects.visible_to(people["b"]).values_list("number", flat=True)) == {"1", "2"}


def test_an_enterprise_cannot_add_tasks_to_the_departments_document(directive, people):
    data = {
        "number": "9",
        "content": "x",
        "lead": directive.world.ent_a,
        "deadline": dt.date(2025, 5, 1),
        "expected_product": "y",
    }
    with nothing_written(PermissionDenied):
        services.task_create(actor=people["a"], document=directive.doc, data=data)


def test_cascade_to_a_unit_under_the_lead_and_not_outside(directive, people):
    w = directive.world
    # ENT-B is not under ENT-A: refused, naming the parent's lead.
    data = {
        "number": "1.1",
        "content": "Phần việc",
        "lead": w.ent_b,
        "deadline": dt.date(2025, 5, 1),
        "expected_product": "z",
    }
    with nothing_written(ValidationError, match="under"):
        services.task_create(actor=people["a"], document=directive.doc, parent=directive.t1, data=data)


def test_a_sub_task_is_due_no_later_than_its_parent_and_rolls_up(directive, people, make_user):
    w = directive.world
    unit = org_services.organization_create(
        actor=None, parent=w.ent_a, data={"code": "ENT-A-PX", "name": "Phân xưởng 1", "kind": "department"}
    )
    data = {
        "number": "1.1",
        "content": "Phần việc",
        "lead": unit,
        "deadline": dt.date(2025, 9, 1),
        "expected_product": "z",
    }
    with nothing_written(ValidationError, match="no later than its parent"):
        services.task_create(actor=people["a"], document=directive.doc, parent=directive.t1, data=data)
    data["deadline"] = dt.date(2025, 5, 1)
    sub = services.task_create(actor=people["a"], document=directive.doc, parent=directive.t1, data=data)
    assert sub.assigned_by == w.ent_a
    assert changes_for(sub).get().action == ObjectChange.Action.CREATE
    unit_officer = make_user("enterprise_officer", unit)
    # The sub-task's unit sees only the sub-task; ENT-A (the cascading unit) sees both.
    assert set(Task.objects.visible_to(unit_officer).values_list("number", flat=True)) == {"1.1"}
    assert set(Task.objects.visible_to(people["a"]).values_list("number", flat=True)) == {"1", "1.1"}
    # The parent now takes its progress from the sub-task; it takes no report of its own.
    with nothing_written(ValidationError, match="sub-tasks"):
        report(directive.t1, people["a"], 10, dt.date(2025, 2, 1))
    r = report(sub, unit_officer, 100, dt.date(2025, 4, 20), product_delivered="Bản vẽ")
    services.report_review(actor=people["a"], report=r, action="accept")
    parent = Task.objects.get(pk=directive.t1.pk)
    sub.refresh_from_db()
    assert (sub.status, sub.completed_on) == (Status.DONE_ON_TIME, dt.date(2025, 4, 20))
    assert (parent.status, parent.progress, parent.completed_on) == (Status.DONE_ON_TIME, 100, dt.date(2025, 4, 20))


def test_a_deadline_before_the_document_is_refused(directive, people):
    data = {
        "number": "3",
        "content": "x",
        "lead": directive.world.ent_a,
        "deadline": dt.date(2024, 12, 1),
        "expected_product": "y",
    }
    with nothing_written(ValidationError, match="before the document was issued"):
        services.task_create(actor=people["h08"], document=directive.doc, data=data)


def test_a_task_needs_a_deadline_or_is_regular(directive, people):
    data = {"number": "3", "content": "x", "lead": directive.world.ent_a, "expected_product": "y"}
    with nothing_written(ValidationError, match="regular"):
        services.task_create(actor=people["h08"], document=directive.doc, data=data)


def test_only_the_lead_reports_and_the_assigning_unit_reviews(directive, people):
    with nothing_written(PermissionDenied):
        report(directive.t1, people["b"], 10, dt.date(2025, 2, 1))
    r = report(directive.t1, people["a"], 40, dt.date(2025, 3, 1))
    assert r.state == ProgressReport.State.SUBMITTED
    # A submitted report does not count until it is accepted.
    assert Task.objects.get(pk=directive.t1.pk).progress == 0
    with nothing_written((PermissionDenied, ValidationError)):
        services.report_review(actor=people["a"], report=r, action="accept")
    with nothing_written(ValidationError, match="comment"):
        services.report_review(actor=people["h08"], report=r, action="return")
    services.report_review(actor=people["h08"], report=r, action="return", comment="Thiếu số liệu")
    r.refresh_from_db()
    assert (r.state, r.review_comment) == (ProgressReport.State.RETURNED, "Thiếu số liệu")
    event = ReportEvent.objects.get(report=r)
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "return",
        "submitted",
        "returned",
        people["h08"],
    )
    with nothing_written(ValidationError, match="not possible"):
        services.report_review(actor=people["h08"], report=r, action="accept")


def test_completion_on_time_late_and_closed_for_reports(directive, people):
    r = report(directive.t1, people["a"], 100, dt.date(2025, 7, 5), product_delivered="Báo cáo rà soát số 12")
    services.report_review(actor=people["h08"], report=r, action="accept")
    task = Task.objects.get(pk=directive.t1.pk)
    assert (task.status, task.completed_on, task.progress) == (Status.DONE_LATE, dt.date(2025, 7, 5), 100)
    with nothing_written(ValidationError, match="completed"):
        report(directive.t1, people["a"], 100, dt.date(2025, 7, 6), product_delivered="x")


def test_a_completion_report_names_the_product(directive, people):
    with nothing_written(ValidationError, match="concrete product"):
        report(directive.t1, people["a"], 100, dt.date(2025, 3, 1))


def test_reports_cannot_be_dated_in_the_future_or_before_the_document(directive, people):
    with nothing_written(ValidationError, match="future"):
        report(directive.t1, people["a"], 10, TODAY + dt.timedelta(days=3))
    with nothing_written(ValidationError, match="before the document"):
        report(directive.t1, people["a"], 10, dt.date(2024, 1, 1))


def test_evidence_is_stored_with_the_tasks_classification_and_bad_files_are_refused(
    directive, people, isolated_profile
):
    services.task_update(
        actor=people["h08"], instance=directive.t1, data={"classification": 1, "classification_basis": "Mục 3"}
    )
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = services.report_submit(
        actor=make_cleared(people["a"]),
        task=directive.t1,
        data={"reported_on": dt.date(2025, 3, 1), "percent": 30, "narrative": "x"},
        files=[pdf],
    )
    evidence = Evidence.objects.get(report=r)
    assert (r.classification, evidence.classification) == (1, 1)
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with nothing_written(ValidationError):
        services.report_submit(
            actor=people["a"],
            task=directive.t1,
            data={"reported_on": dt.date(2025, 3, 2), "percent": 35, "narrative": "x"},
            files=[exe],
        )


def make_cleared(user):
    user.clearance = 1
    user.save(update_fields=["clearance"])
    user.forget_grants()
    return user


def test_adjustments_move_the_deadline_and_pause(directive, people):
    with nothing_written(PermissionDenied):
        services.adjustment_create(
            actor=people["a"],
            task=directive.t1,
            data={
                "kind": "extend",
                "decision_number": "1/QĐ",
                "decided_on": dt.date(2025, 6, 1),
                "new_deadline": dt.date(2027, 1, 31),
                "reason": "x",
            },
        )
    services.adjustment_create(
        actor=people["h08"],
        task=directive.t1,
        data={
            "kind": "extend",
            "decision_number": "15/QĐ-H08",
            "decided_on": dt.date(2025, 6, 1),
            "new_deadline": dt.date(2027, 1, 31),
            "reason": "Bổ sung",
        },
    )
    task = Task.objects.get(pk=directive.t1.pk)
    assert task.effective_deadline == dt.date(2027, 1, 31)
    assert task.deadline == dt.date(2025, 6, 30)
    assert task.status != Status.OVERDUE
    services.adjustment_create(
        actor=people["h08"],
        task=directive.t1,
        data={"kind": "pause", "decision_number": "16/QĐ-H08", "decided_on": dt.date(2025, 7, 1), "reason": "Tạm dừng"},
    )
    assert Task.objects.get(pk=directive.t1.pk).status == Status.PAUSED
    with nothing_written(ValidationError, match="paused"):
        report(directive.t1, people["a"], 10, dt.date(2025, 7, 2))
    with nothing_written(ValidationError, match="new deadline"):
        services.adjustment_create(
            actor=people["h08"],
            task=directive.t1,
            data={"kind": "extend", "decision_number": "17", "decided_on": dt.date(2025, 7, 2), "reason": "x"},
        )


def test_a_task_with_reports_cannot_be_deleted(directive, people):
    report(directive.t1, people["a"], 10, dt.date(2025, 2, 1))
    with nothing_written(ValidationError, match="cannot be deleted"):
        services.task_delete(actor=people["h08"], instance=directive.t1)


def test_reminders_go_to_the_lead_units_people(directive, people):
    sent = services.send_reminders(today=dt.date(2025, 6, 25))
    # Task 1 (ENT-A) is due on 30/06: ENT-A's officer is reminded, ENT-B's is not.
    assert sent >= 1
    assert people["a"].notifications.filter(title__contains="03/CT-BCA · 1").exists()
    assert not people["b"].notifications.filter(title__contains="03/CT-BCA · 1").exists()
