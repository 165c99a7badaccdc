"""Importing S&T tasks and their budget through the core pipeline: a programme and its tasks from one file,
Vietnamese numbers and dates, errors by row and column with nothing written, the budget by source and year
replacing a proposal's lines, everything committed in one transaction or not at all."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from cnan.core import imports
from cnan.core.models import ImportBatch, Job, ObjectChange
from cnan.core.testing import database_state, import_xlsx, login
from cnan.research import services
from cnan.research.imports import BUDGET, TASKS
from cnan.research.models import ResearchTask, Stage

from .conftest import task_data

STATE = ("research", "core")


def task_row(code: str, **values) -> dict:
    return {
        "code": code,
        "title": f"Nghiên cứu chế tạo thiết bị {code}",
        "level": "ministry",
        "kind": "topic",
        "formation": "commission",
        "selection": "direct",
        "host": "VKHCN",
        "principal_investigator": "TS. Nguyễn Văn An",
        "team": "ThS. Trần Bình; KS. Lê Cường",
        "start_on": "01/01/2021",
        "end_on": "31/12/2023",
        "budget_total": "4.500.000.000",
        **values,
    }


def budget_row(task: str, source: str, year, planned, **values) -> dict:
    return {"task": task, "source": source, "year": year, "planned": planned, **values}


def validate(key: str, user, rows: list[dict]):
    data = import_xlsx(key, rows)
    return imports.validate(imports.get(key), user, io.BytesIO(data), "nhiem-vu.xlsx", {})


def upload_and_commit(client, key: str, rows: list[dict], capture) -> tuple[ImportBatch, Job | None]:
    url = reverse("core:import_start", kwargs={"key": key})
    response = client.post(url, {"file": SimpleUploadedFile("tep.xlsx", import_xlsx(key, rows))})
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    if batch.errors:
        return batch, None
    with capture(execute=True):
        assert client.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code == 302
    return batch, Job.objects.filter(kind="import").latest("pk")


@pytest.fixture
def client(people):
    client = Client()
    client.cookies["cnan_language"] = "en"
    return login(client, people.researcher)


def test_the_imports_are_offered_to_who_may_use_them(people, world, make_user):
    assert imports.url_for(people.researcher, TASKS) == reverse("core:import_start", kwargs={"key": TASKS})
    assert imports.url_for(people.researcher, BUDGET) is not None
    assert imports.url_for(people.auditor, TASKS) is None
    lab = make_user("lab_officer", world.institute)
    assert imports.url_for(lab, TASKS) is None and imports.url_for(lab, BUDGET) is None


def test_an_institute_loads_a_programme_its_tasks_and_their_budget(
    client, people, world, django_capture_on_commit_callbacks
):
    rows = [
        task_row("ĐT-2021-01", programme="CT-2021", budget_total="4.500.000.000", lump_sum="có"),
        task_row(
            "CT-2021",
            kind="programme",
            title="Chương trình KH&CN trọng điểm về công nghiệp an ninh giai đoạn 2021–2025",
            end_on="31/12/2025",
            budget_total=0,
            key_programme="x",
        ),
        task_row("ĐT-2021-02", programme="CT-2021", budget_total=2300000000, end_on="2022-12-31"),
        task_row(
            "CS-2021-03",
            level="base",
            formation="base_task",
            selection="direct",
            kind="st_project",
            budget_total="850.000.000 đ",
            team="",
        ),
    ]
    batch, job = upload_and_commit(client, TASKS, rows, django_capture_on_commit_callbacks)
    assert batch.errors == [] and batch.row_count == 4
    assert job.status == Job.Status.SUCCEEDED, job.message
    tasks = {t.code: t for t in ResearchTask.objects.all()}
    assert set(tasks) == {"CT-2021", "ĐT-2021-01", "ĐT-2021-02", "CS-2021-03"}
    assert tasks["ĐT-2021-01"].programme == tasks["CT-2021"] and tasks["ĐT-2021-02"].programme == tasks["CT-2021"]
    assert tasks["CT-2021"].key_programme and tasks["ĐT-2021-01"].lump_sum
    assert tasks["ĐT-2021-01"].budget_total == Decimal("4500000000")
    assert tasks["ĐT-2021-02"].budget_total == Decimal("2300000000")
    assert tasks["CS-2021-03"].budget_total == Decimal("850000000")
    assert tasks["ĐT-2021-01"].team == "ThS. Trần Bình\nKS. Lê Cường"
    assert tasks["ĐT-2021-02"].end_on == dt.date(2022, 12, 31)
    assert all(t.stage == Stage.PROPOSED and t.host == world.institute for t in tasks.values())
    created = ObjectChange.objects.filter(content_type__model="researchtask", action="create")
    assert created.count() == 4 and set(created.values_list("actor", flat=True)) == {people.researcher.pk}

    budget = [
        budget_row("ĐT-2021-01", "ministry", 2021, "1.500.000.000", disbursed="1.500.000.000"),
        budget_row("ĐT-2021-01", "ministry", 2022, "2.000.000.000", disbursed="1.234.567"),
        budget_row("ĐT-2021-01", "unit", 2023, 1000000000),
        budget_row("ĐT-2021-02", "Ministry of Public Security budget", "2021", "2.300.000.000"),
    ]
    batch, job = upload_and_commit(client, BUDGET, budget, django_capture_on_commit_callbacks)
    assert batch.errors == [] and job.status == Job.Status.SUCCEEDED, (batch.errors, job and job.message)
    lines = sorted(tasks["ĐT-2021-01"].budget.values_list("source", "year", "planned", "disbursed"))
    assert lines == [
        ("ministry", 2021, Decimal("1500000000"), Decimal("1500000000")),
        ("ministry", 2022, Decimal("2000000000"), Decimal("1234567")),
        ("unit", 2023, Decimal("1000000000"), Decimal("0")),
    ]
    assert list(tasks["ĐT-2021-02"].budget.values_list("source", "planned")) == [("ministry", Decimal("2300000000"))]


def test_bad_task_rows_are_reported_by_row_and_column_and_nothing_is_written(people, world, topic):
    from cnan.accounts import services as account_services
    from cnan.accounts.models import Role

    researcher = people.researcher  # who also reads ENT-B's records, as its lab officer
    account_services.membership_create(
        actor=None,
        data={
            "user": researcher,
            "organization": world.ent_b,
            "role": Role.objects.get(code="lab_officer"),
            "valid_from": dt.date(2020, 1, 1),
        },
    )
    researcher.forget_grants()
    rows = [
        task_row("ĐT-1"),
        task_row("ĐT-1"),  # repeated in the file
        task_row(topic.code),  # taken
        task_row("ĐT-4", host="ENT-B"),  # a unit the researcher may not propose for
        task_row("ĐT-5", host="XYZ"),  # unknown unit
        task_row("ĐT-6", end_on="31/12/2020"),  # ends before it starts
        task_row("ĐT-7", formation="base_task"),  # a base task at ministry level
        task_row("ĐT-8", programme="CT-X"),  # no such programme
        task_row("ĐT-9", programme=topic.code),  # not a programme
        task_row("CT-A", kind="programme", end_on="31/12/2022"),
        task_row("ĐT-11", programme="CT-A"),  # beyond the programme's end
        task_row("ĐT-12", budget_total="1,5"),  # whole đồng
        task_row("ĐT-13", level="quốc tế", start_on="31/02/2021"),  # no such level; no such date
        task_row("ĐT-14", title=None),  # required
    ]
    before = database_state(STATE)
    result = validate(TASKS, researcher, rows)
    assert not result.ok and result.rows == []
    found = {(e["row"], e["column"]) for e in result.errors}
    assert found == {
        (2, "Task code"),
        (3, "Task code"),
        (4, "Task code"),
        (5, "Host unit code"),
        (6, "Host unit code"),
        (7, "End"),
        (8, "Formation"),
        (9, "Programme code"),
        (10, "Programme code"),
        (12, "End"),
        (13, "Total budget (VND)"),
        (14, "Level"),
        (14, "Start"),
        (15, "Title"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert messages[(3, "Task code")] == "Another row of the file has this code."
    assert messages[(4, "Task code")] == "Another S&T task has this code."
    assert "You may not propose S&T tasks for Công ty Điện tử Sông Hàn" in messages[(5, "Host unit code")]
    assert messages[(7, "End")] == "The end cannot be before the start."
    assert messages[(10, "Programme code")] == "Choose a task of the type programme."
    assert "runs within the programme (01/01/2021 – 31/12/2022)" in messages[(12, "End")]
    assert messages[(15, "Title")] == "This value is required."
    assert database_state(STATE) == before


def test_errors_are_in_the_users_language(people):
    with translation.override("vi"):
        result = validate(TASKS, people.researcher, [task_row("ĐT-1", title=None, host="XYZ")])
    messages = {e["message"] for e in result.errors}
    assert messages == {"Bắt buộc nhập giá trị này.", "Không có bản ghi mang mã này hoặc bạn không có quyền xem."}


def test_bad_budget_rows_are_reported_and_nothing_is_written(people, world, topic):
    approved = services.task_create(
        actor=people.researcher, data=task_data(world, code="ĐT-DUYET", budget_total=Decimal("1000000000"))
    )
    for gate in ("review", "approve"):
        approved = services.gate_pass(
            actor=people.officer,
            task=approved,
            gate=gate,
            decision_number="1/QĐ",
            decided_on=dt.date(2024, 2, 1),
            council="Hội đồng",
            minutes=SimpleUploadedFile("bb.pdf", b"%PDF"),
        )
    other = services.task_create(
        actor=people.outsider, data=task_data(world, code="ĐT-B", host=world.ent_b, budget_total=0)
    )
    rows = [
        budget_row(topic.code, "ministry", 2024, "2.100.000.000"),
        budget_row(topic.code, "ministry", 2024, "500.000.000"),  # the same source and year again
        budget_row(topic.code, "unit", 2027, "400.000.000"),  # outside 2024–2025
        budget_row(topic.code, "unit", 2025, "100.000.000", disbursed="200.000.000"),  # more than planned
        budget_row("ĐT-DUYET", "ministry", 2024, "1.000.000.000"),  # approved: only by a decision
        budget_row(other.code, "unit", 2024, "1.000.000"),  # invisible
        budget_row("ĐT-ORPHAN", "unit", 2024, "1.000.000"),  # unknown
        budget_row(topic.code, "lottery", 2024, "1.000.000"),  # no such source
    ]
    before = database_state(STATE)
    result = validate(BUDGET, people.researcher, rows)
    assert not result.ok
    found = [(e["row"], e["column"]) for e in result.errors]
    assert sorted(found) == [
        (2, "Planned (VND)"),  # 2,1 bn + 0,5 bn + 0,4 bn + 0,1 bn ≠ 3 bn
        (3, "Source"),
        (4, "Year"),
        (5, "Disbursed (VND)"),
        (6, "Task code"),
        (7, "Task code"),
        (8, "Task code"),
        (9, "Source"),
    ]
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert messages[(2, "Planned (VND)")] == (
        "Task ĐT-BCA-2024-01: the total budget (3,000,000,000) does not match the sum of its sources (3,100,000,000)."
    )
    assert messages[(3, "Source")] == "Each source appears once per year."
    assert "outside the task's years (2024–2025)" in messages[(4, "Year")]
    assert "adjustment decision" in messages[(6, "Task code")]
    assert database_state(STATE) == before
    with translation.override("vi"):
        vi = validate(BUDGET, people.researcher, [budget_row(topic.code, "ministry", 2024, "2.000.000.000")])
    assert "(3.000.000.000)" in vi.errors[0]["message"] and "(2.000.000.000)" in vi.errors[0]["message"]


def test_a_budget_the_user_may_not_change_is_refused(people, world, topic, make_user):
    lab = make_user("lab_officer", world.institute)  # sees the task, changes nothing
    officer_elsewhere = make_user("research_officer", world.ent_a)
    result = validate(BUDGET, officer_elsewhere, [budget_row(topic.code, "ministry", 2024, "3.000.000.000")])
    assert [e["column"] for e in result.errors] == ["Task code"]  # does not see it
    result = validate(BUDGET, lab, [budget_row(topic.code, "ministry", 2024, "3.000.000.000")])
    assert "You may not change the S&T tasks of Viện Khoa học và Công nghệ" in result.errors[0]["message"]


def test_the_commit_writes_every_row_or_none(client, people, world, django_capture_on_commit_callbacks):
    """A task with the same code proposed between the check and the commit: the job fails on its row and
    none of the file's tasks is written."""
    rows = [task_row("ĐT-A"), task_row("ĐT-B"), task_row("ĐT-C")]
    response = client.post(
        reverse("core:import_start", kwargs={"key": TASKS}),
        {"file": SimpleUploadedFile("tep.xlsx", import_xlsx(TASKS, rows))},
    )
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    assert batch.errors == []
    services.task_create(actor=people.officer, data=task_data(world, code="ĐT-C", budget_total=0))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.FAILED
    assert "Another S&T task has this code." in job.message
    assert set(ResearchTask.objects.values_list("code", flat=True)) == {"ĐT-C"}


def test_a_service_refusal_during_the_commit_undoes_the_rows_written_before(
    client, people, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from cnan.research import imports as research_imports

    real = services.task_create
    calls = {"n": 0}

    def third_refused(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValidationError({"title": "Từ chối thử"})
        return real(**kwargs)

    monkeypatch.setattr(research_imports.services, "task_create", third_refused)
    before = database_state(STATE)
    batch, job = upload_and_commit(
        client, TASKS, [task_row("ĐT-A"), task_row("ĐT-B"), task_row("ĐT-C")], django_capture_on_commit_callbacks
    )
    assert job.status == Job.Status.FAILED and "Từ chối thử" in job.message
    assert not ResearchTask.objects.exists()
    assert ObjectChange.objects.filter(content_type__model="researchtask").count() == 0
    after = database_state(STATE)
    for label in ("core.ImportBatch", "core.Job", "core.Notification", "core.ObjectChange"):
        before.pop(label, None), after.pop(label, None)
    assert after == before
