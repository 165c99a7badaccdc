"""Importing a document's task list through the core pipeline: units by code, sub-tasks of another row or
of an existing task, validation by row and column with nothing written, the commit through the services."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from cnan.core import imports
from cnan.core.models import ImportBatch, Job, ObjectChange
from cnan.core.testing import database_state, import_xlsx, login
from cnan.directives.imports import TASKS
from cnan.directives.models import Task
from cnan.organizations import services as org_services


@pytest.fixture
def workshop(world):
    return org_services.organization_create(
        actor=None, parent=world.ent_a, data={"code": "ENT-A-PX1", "name": "Phân xưởng 1", "kind": "group"}
    )


def row(number, **values):
    return {
        "number": number,
        "content": f"Nhiệm vụ {number}",
        "lead": "ENT-A",
        "expected_product": "Báo cáo",
        "deadline": "31/12/2027",
        **values,
    }


def _validate(user, directive, rows):
    spec = imports.get(TASKS)
    data = import_xlsx(TASKS, rows)
    return imports.validate(spec, user, io.BytesIO(data), "nhiem-vu.xlsx", {"document": directive.doc})


def test_import_url_is_offered_to_who_may_assign(directive, officer, make_user, world):
    url = imports.url_for(officer, TASKS, document=directive.doc.pk)
    assert url == reverse("core:import_start", kwargs={"key": TASKS}) + f"?document={directive.doc.pk}"
    assert imports.url_for(make_user("auditor", world.bca), TASKS, document=directive.doc.pk) is None


def test_task_list_import_creates_tasks_sub_tasks_and_coordinating_units(
    directive, officer, workshop, django_capture_on_commit_callbacks
):
    rows = [
        row("3.1", lead="ENT-A-PX1", parent="3", deadline="30/06/2027"),  # before its parent's row: ordered
        row("3", coordinating="ENT-B; VKHCN", priority="high"),
        row("4", lead="ENT-B", deadline=None, regular="có", reporting_cycle="month"),
        row("1.1", lead="ENT-A-PX1", parent="1", deadline="31/05/2025"),  # a sub-task of an existing task
    ]
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, officer)
    url = reverse("core:import_start", kwargs={"key": TASKS}) + f"?document={directive.doc.pk}"
    response = client.post(url, {"file": SimpleUploadedFile("nhiem-vu.xlsx", import_xlsx(TASKS, rows))})
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    assert batch.errors == [] and batch.row_count == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code == 302
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.SUCCEEDED, job.message

    tasks = {t.number: t for t in Task.objects.filter(document=directive.doc)}
    assert set(tasks) == {"1", "2", "3", "3.1", "4", "1.1"}
    assert tasks["3.1"].parent == tasks["3"] and tasks["3.1"].assigned_by == directive.world.ent_a
    assert tasks["1.1"].parent == directive.t1
    assert {o.code for o in tasks["3"].coordinating.all()} == {"ENT-B", "VKHCN"}
    assert tasks["3"].priority == "high" and tasks["3"].deadline == dt.date(2027, 12, 31)
    assert tasks["4"].regular and tasks["4"].reporting_cycle == "month" and tasks["4"].deadline is None
    assert ObjectChange.objects.filter(content_type__model="task", action="create").count() == 2 + 4


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(directive, officer, workshop):
    rows = [
        row("3"),
        row("5", deadline="01/12/2024"),  # before the document (10/01/2025)
        row("6", lead="XYZ"),  # unknown unit
        row("7", coordinating="ENT-B, ABC"),  # one unknown coordinating unit
        row("3.1", lead="ENT-B", parent="3"),  # not under the parent's lead
        row("3.2", lead="ENT-A-PX1", parent="3", deadline="31/12/2028"),  # after its parent
        row("8", parent="99"),  # no such parent
        row("1", content="Trùng số"),  # the document already has item 1
        row("9", deadline=None),  # neither a deadline nor regular
    ]
    before = database_state()
    result = _validate(officer, directive, rows)
    assert not result.ok and result.rows == []
    found = {(e["row"], e["column"]) for e in result.errors}
    assert found == {
        (3, "Deadline"),
        (4, "Lead unit code"),
        (5, "Coordinating unit codes"),
        (6, "Lead unit code"),
        (7, "Deadline"),
        (8, "Parent item number"),
        (9, "Item number"),
        (10, "Deadline"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "before the document was issued" in messages[(3, "Deadline")]
    assert "under Công ty Cơ khí An ninh Thăng Long" in messages[(6, "Lead unit code")]
    assert "ABC" in messages[(5, "Coordinating unit codes")]
    assert database_state() == before


def test_an_enterprise_may_cascade_its_own_task_but_not_assign_for_the_department(
    directive, make_user, world, workshop
):
    officer_a = make_user("enterprise_officer", world.ent_a)
    ok = _validate(officer_a, directive, [row("1.1", lead="ENT-A-PX1", parent="1", deadline="31/05/2025")])
    assert ok.ok, ok.errors
    refused = _validate(officer_a, directive, [row("3", lead="ENT-A-PX1")])
    assert not refused.ok
    assert "You may not assign tasks for Cục Công nghiệp an ninh" in refused.errors[0]["message"]


def test_parent_numbers_that_loop_are_refused(directive, officer, workshop):
    result = _validate(officer, directive, [row("3", parent="4"), row("4", parent="3")])
    assert not result.ok and "loop" in result.errors[0]["message"]


# --- the lead unit cascades its own task ------------------------------------------------------------


def test_the_lead_unit_cascades_its_task_from_a_file_without_seeing_the_document(
    directive, make_user, workshop, world, django_capture_on_commit_callbacks
):
    """ENT-A leads task 1 of H08's directive and may not see the directive itself: the task's page offers
    the sub-task import, an empty parent means task 1, and the sub-tasks are assigned by ENT-A."""
    from cnan.directives.imports import SUBTASKS
    from cnan.directives.selectors import document_list

    eo_a = make_user("enterprise_officer", world.ent_a)
    assert not document_list(user=eo_a).filter(pk=directive.doc.pk).exists()
    assert imports.url_for(eo_a, TASKS, document=directive.doc.pk) is not None  # the button exists…
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, eo_a)
    start = reverse("core:import_start", kwargs={"key": TASKS}) + f"?document={directive.doc.pk}"
    assert client.get(start).status_code == 404  # …but not for a document it may not see

    page = client.get(directive.t1.get_absolute_url()).content.decode()
    url = reverse("core:import_start", kwargs={"key": SUBTASKS}) + f"?task={directive.t1.pk}"
    assert 'id="import-subtasks"' in page and url in page.replace("&amp;", "&")
    rows = [
        row("1.1", lead="ENT-A-PX1", deadline="31/03/2025"),
        row("1.1.1", lead="ENT-A-PX1", parent="1.1", deadline="15/03/2025"),
    ]
    response = client.post(url, {"file": SimpleUploadedFile("nhiem-vu-con.xlsx", import_xlsx(SUBTASKS, rows))})
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    assert batch.row_count == 2
    # 1.1.1 goes to the workshop, which is not under itself: refused by row, nothing written
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "Lead unit code")]
    before = database_state()
    assert client.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code in (302, 400, 409, 422)
    assert database_state() == before

    response = client.post(url, {"file": SimpleUploadedFile("nhiem-vu-con.xlsx", import_xlsx(SUBTASKS, [rows[0]]))})
    batch = ImportBatch.objects.latest("created_at")
    assert batch.errors == [] and batch.row_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code == 302
    sub = Task.objects.get(document=directive.doc, number="1.1")
    assert sub.parent == directive.t1 and sub.assigned_by == world.ent_a and sub.lead == workshop


def test_the_sub_task_import_is_refused_to_another_unit_and_outside_the_task(directive, make_user, world):
    from cnan.directives.imports import SUBTASKS

    eo_b = make_user("enterprise_officer", world.ent_b)  # leads task 2, not task 1
    assert imports.url_for(eo_b, SUBTASKS, task=directive.t1.pk) is not None
    client = Client()
    login(client, eo_b)
    assert (
        client.get(reverse("core:import_start", kwargs={"key": SUBTASKS}) + f"?task={directive.t1.pk}").status_code
        == 404
    )
    # the auditor sees task 1 and may assign nothing
    login(client, make_user("auditor", world.bca))
    start = reverse("core:import_start", kwargs={"key": SUBTASKS}) + f"?task={directive.t1.pk}"
    assert client.get(start).status_code == 403
    # a parent outside the cascaded task is refused, naming the cell
    spec = imports.get(SUBTASKS)
    eo_a = make_user("enterprise_officer", world.ent_a)
    data = import_xlsx(SUBTASKS, [row("2.1", lead="ENT-A", parent="2")])
    with translation.override("en"):
        result = imports.validate(spec, eo_a, io.BytesIO(data), "x.xlsx", {"task": directive.t1})
    assert [(e["column"], e["value"]) for e in result.errors] == [("Parent item number", "2")]
