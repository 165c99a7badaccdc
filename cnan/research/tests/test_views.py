"""The research pages: lists (filters, sorting, export), the task page (budget, gates with their minutes, roadmap,
outputs, filings, groups, a programme's timeline), the forms and their errors in both languages (nothing written
when refused), the gate pages, milestone reports, filings moving through their statuses, transfers, cooperation
and groups; who sees what (404 for what one may not see, 403 for what one may not do)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest
from openpyxl import load_workbook

from cnan.core.testing import database_state, login
from cnan.research import services
from cnan.research.models import (
    BudgetLine,
    Cooperation,
    FilingStatus,
    GateEvent,
    IPFiling,
    Kind,
    Milestone,
    MilestoneReport,
    Output,
    ResearchGroup,
    ResearchTask,
    Schedule,
    Stage,
    TechTransfer,
)

from .conftest import minutes, task_data

STATE = ("research", "core")
TODAY = timezone.localdate()
COUNCIL = "PGS.TS. Chủ tịch hội đồng\nTS. Phản biện 1"


@pytest.fixture
def page(db):
    """``page(user, language)`` → a client of its own, signed in as ``user``."""

    def make(user, language: str = "en"):
        client = login(Client(), user)
        client.cookies["cnan_language"] = language
        return client

    return make


def text(response) -> str:
    """The page's text as a reader sees it (entities decoded, spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def url(name: str, **kwargs) -> str:
    return reverse(f"research:{name}", kwargs=kwargs or None)


def in_language(language: str, message: str, **params) -> str:
    with translation.override(language):
        return gettext(message) % params if params else gettext(message)


def gate(task, people, name, **extra):
    actor = people.researcher if name in ("start", "base_accept", "register", "apply") else people.officer
    data = {"decision_number": f"{name}/QĐ-BCA", "decided_on": task.start_on, **extra}
    if name in ("review", "base_accept", "accept_pass"):
        data.update(council=COUNCIL, minutes=minutes())
    return services.gate_pass(actor=actor, task=task, gate=name, **data)


def running(task, people):
    for name in ("review", "approve", "contract", "start"):
        task = gate(task, people, name)
    return task


@pytest.fixture
def current(world, people):
    """A topic of the Institute running now: started 60 days ago, ending in a year, milestones due in 30 and
    200 days, budget from two sources over its years."""
    start, end = TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=365)
    budget = [
        {"source": "ministry", "year": start.year, "planned": Decimal("600000000"), "disbursed": Decimal(0)},
        {"source": "unit", "year": end.year, "planned": Decimal("400000000"), "disbursed": Decimal(0)},
    ]
    task = services.task_create(
        actor=people.researcher,
        data=task_data(world, code="ĐT-NAY-01", start_on=start, end_on=end, budget_total=Decimal("1000000000")),
        budget=budget,
    )
    for due in (30, 200):
        services.milestone_create(
            actor=people.researcher,
            task=task,
            data={"content": f"Bước {due}", "expected_output": "Báo cáo", "due_on": TODAY + dt.timedelta(days=due)},
        )
    return running(task, people)


# --- lists ---------------------------------------------------------------------------------------------


def listed(response) -> list[str]:
    return [str(row.record.code) for row in response.context["table"].rows]


def test_the_task_list_shows_the_visible_tasks_and_filters_them(topic, current, people, page):
    client = page(people.officer)
    response = client.get(url("task_list"), {"sort": "code"})
    assert response.status_code == 200
    assert listed(response) == ["ĐT-BCA-2024-01", "ĐT-NAY-01"]
    assert 'data-stage="in_progress"' in response.content.decode()
    assert listed(client.get(url("task_list"), {"stage": "proposed"})) == ["ĐT-BCA-2024-01"]
    assert listed(client.get(url("task_list"), {"schedule": "on_time"})) == ["ĐT-NAY-01"]
    assert listed(client.get(url("task_list"), {"q": "nay"})) == ["ĐT-NAY-01"]
    assert listed(client.get(url("task_list"), {"sort": "-code"})) == ["ĐT-NAY-01", "ĐT-BCA-2024-01"]
    assert client.get(url("task_list"), {"stage": "nonsense"}).status_code == 400


def test_the_task_list_exports_the_filtered_rows_with_every_column(topic, current, people, page):
    client = page(people.officer)
    exported = client.get(url("task_list"), {"stage": "in_progress", "export": "csv"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Code", "Title"] and "Total budget (VND)" in rows[0]
    assert [r[0] for r in rows[1:]] == ["ĐT-NAY-01"]
    xlsx = client.get(url("task_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3


def test_another_host_sees_neither_the_task_nor_its_pages(topic, people, page, world):
    client = page(people.outsider)
    assert listed(client.get(url("task_list"))) == []
    milestone = topic.milestones.first()
    for address in (
        url("task_detail", pk=topic.pk),
        url("researchtask_edit", pk=topic.pk),
        url("researchtask_history", pk=topic.pk),
        url("researchtask_delete", pk=topic.pk),
        url("task_gate", pk=topic.pk, gate="review"),
        url("milestone_add", task_pk=topic.pk),
        url("milestone_edit", pk=milestone.pk),
        url("milestone_report", pk=milestone.pk),
        url("output_add", task_pk=topic.pk),
    ):
        assert client.get(address).status_code == 404, address
    event = topic.events.get()
    assert client.get(url("gate_minutes", pk=event.pk)).status_code == 404


def test_a_user_without_research_permissions_may_not_open_the_lists(world, make_user, page):
    nobody = make_user(None)
    client = page(nobody)
    for name in ("task_list", "milestone_list", "output_list", "filing_list", "dashboard"):
        assert client.get(url(name)).status_code == 403, name


# --- the task page -------------------------------------------------------------------------------------


def test_the_task_page_shows_the_budget_by_source_and_year(topic, people, page):
    response = page(people.researcher).get(url("task_detail", pk=topic.pk))
    assert response.status_code == 200
    page_text = text(response)
    assert "ĐT-BCA-2024-01" in page_text and "TS. Nguyễn Văn An" in page_text
    budget = re.search(r'id="budget".*?</table>', response.content.decode(), re.S).group(0)
    assert 'data-year="2024"' in budget and 'data-year="2025"' in budget
    assert 'data-source="ministry"' in budget and 'data-source="unit"' in budget
    assert "3,000,000,000" in html.unescape(budget)  # the total, with the English thousand separator
    assert 'id="task-stage" data-stage="proposed"' in response.content.decode()


def test_the_task_page_offers_each_side_only_the_gates_it_may_pass(topic, current, people, page):
    officer = page(people.officer).get(url("task_detail", pk=topic.pk)).content.decode()
    assert re.findall(r'href="[^"]+/gates/(\w+)/"', officer) == ["review", "reject"]
    researcher = page(people.researcher).get(url("task_detail", pk=topic.pk)).content.decode()
    assert "/gates/" not in researcher
    running_task = page(people.officer).get(url("task_detail", pk=current.pk)).content.decode()
    assert re.findall(r'href="[^"]+/gates/(\w+)/"', running_task) == ["adjust", "pause", "terminate"]


def test_the_roadmap_flags_late_milestones_and_offers_reports_to_the_host(current, people, page):
    late = services.milestone_create(
        actor=people.researcher,
        task=current,
        data={"content": "Khảo sát", "expected_output": "Báo cáo", "due_on": TODAY - dt.timedelta(days=5)},
    )
    current.refresh_from_db()
    assert current.schedule == Schedule.LATE
    response = page(people.researcher).get(url("task_detail", pk=current.pk))
    content = response.content.decode()
    assert 'id="task-schedule" data-schedule="late"' in content
    assert re.search(rf'id="milestone-{late.pk}"[^>]*data-late="1"', content)
    assert content.count('data-late="0"') == 2
    assert content.count("report-link") == 3
    # the Department follows the roadmap but does not report for the host
    assert "report-link" not in page(people.officer).get(url("task_detail", pk=current.pk)).content.decode()


def test_a_programme_page_shows_the_timeline_of_its_tasks(world, people, page):
    programme = services.task_create(
        actor=people.researcher,
        data=task_data(world, code="CT-01", kind=Kind.PROGRAMME, title="Chương trình KH&CN trọng điểm", budget_total=0),
    )
    for code, months in (("CT-01-ĐT1", 6), ("CT-01-ĐT2", 12)):
        services.task_create(
            actor=people.researcher,
            data=task_data(
                world,
                code=code,
                programme=programme,
                end_on=dt.date(2024, 1, 1) + dt.timedelta(days=30 * months),
                budget_total=0,
            ),
        )
    response = page(people.officer).get(url("task_detail", pk=programme.pk))
    content = html.unescape(response.content.decode())
    assert 'data-chart="gantt"' in content
    gantt = re.search(r'data-gantt="([^"]*)"', response.content.decode()).group(1)
    assert [row["label"] for row in json.loads(html.unescape(gantt))] == ["CT-01-ĐT1", "CT-01-ĐT2"]
    assert 'data-task="CT-01-ĐT2"' in content


# --- proposing and editing a task ----------------------------------------------------------------------


def task_post(world, **changes) -> dict:
    data = {
        "code": "ĐT-MỚI-01",
        "title": "Nghiên cứu vật liệu mới",
        "level": "ministry",
        "kind": "topic",
        "formation": "commission",
        "selection": "direct",
        "host": world.institute.pk,
        "principal_investigator": "TS. Hoàng Minh",
        "start_on": "2025-01-01",
        "end_on": "2026-12-31",
        "budget_total": "900000000",
        "classification": "0",
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000",
        "budget-0-source": "ministry",
        "budget-0-year": "2025",
        "budget-0-planned": "500000000",
        "budget-1-source": "unit",
        "budget-1-year": "2026",
        "budget-1-planned": "400000000",
    }
    data.update(changes)
    return data


def test_a_researcher_proposes_a_task_with_its_budget(world, people, page):
    client = page(people.researcher)
    form = client.get(url("task_add"))
    assert form.status_code == 200
    hosts = re.search(r'<select name="host".*?</select>', form.content.decode(), re.S).group(0)
    assert "Viện Khoa học và Công nghệ" in hosts and "Thăng Long" not in hosts
    response = client.post(url("task_add"), task_post(world))
    assert response.status_code == 302
    task = ResearchTask.objects.get(code="ĐT-MỚI-01")
    assert response["Location"] == task.get_absolute_url()
    assert task.stage == Stage.PROPOSED and task.proposed_by == people.researcher
    assert sorted(task.budget.values_list("source", "year", "planned")) == [
        ("ministry", 2025, Decimal("500000000")),
        ("unit", 2026, Decimal("400000000")),
    ]


def test_money_is_typed_in_the_vietnamese_format(world, people, page):
    data = task_post(world, **{"budget_total": "900.000.000", "budget-0-planned": "500.000.000"})
    data["budget-1-planned"] = "400.000.000"
    assert page(people.researcher, "vi").post(url("task_add"), data).status_code == 302
    assert ResearchTask.objects.get(code="ĐT-MỚI-01").budget_total == Decimal("900000000")


BAD_TASKS = {
    "dates out of order": (
        {"end_on": "2024-12-31"},
        "The end cannot be before the start.",
        {},
    ),
    "budget not matching its sources": (
        {"budget_total": "1000000000"},
        "The total budget (%(total)s) does not match the sum of its sources (%(sum)s).",
        {"total": "1.000.000.000", "sum": "900.000.000"},
    ),
    "a budget year outside the task": (
        {"budget-1-year": "2028"},
        "The budget year %(year)s is outside the task's years (%(start)s–%(end)s).",
        {"year": 2028, "start": 2025, "end": 2026},
    ),
    "a source twice in a year": (
        {"budget-1-source": "ministry", "budget-1-year": "2025"},
        "Each source appears once per year.",
        {},
    ),
}


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("case", list(BAD_TASKS))
def test_a_bad_proposal_is_explained_and_nothing_is_written(world, people, page, case, language):
    changes, message, params = BAD_TASKS[case]
    before = database_state(STATE)
    response = page(people.researcher, language).post(url("task_add"), task_post(world, **changes))
    assert response.status_code == 422
    shown = text(response)
    assert in_language(language, message, **params) in shown
    assert in_language(language, "Please correct the errors below. Nothing was saved.") in shown
    assert database_state(STATE) == before


def test_an_approved_task_keeps_its_dates_and_budget_but_its_title_changes(current, people, page, world):
    client = page(people.researcher)
    form = client.get(url("researchtask_edit", pk=current.pk)).content.decode()
    assert 'id="budget-frozen"' in form and "budget-TOTAL_FORMS" not in form
    assert re.search(r'<input type="date" name="end_on"[^>]*disabled', form)
    # what the page sends: the disabled fields are not taken, whatever they carry
    data = task_post(world, code=current.code, title="Tên mới", start_on="2020-01-01", end_on="2030-01-01")
    data["budget_total"] = "1"
    response = client.post(url("researchtask_edit", pk=current.pk), data)
    assert response.status_code == 302, text(response)
    current.refresh_from_db()
    assert current.title == "Tên mới" and current.end_on == TODAY + dt.timedelta(days=365)
    assert current.budget.count() == 2


def test_a_proposal_is_deleted_and_an_approved_task_is_not(topic, current, people, page):
    client = page(people.researcher)
    delete = url("researchtask_delete", pk=current.pk)
    assert f'href="{delete}"' not in client.get(url("task_detail", pk=current.pk)).content.decode()
    before = database_state(STATE)
    refused = client.post(delete)
    assert refused.status_code == 409
    assert "Only a proposal, or a task not selected, can be deleted." in text(refused)
    assert database_state(STATE) == before
    assert f'href="{url("researchtask_delete", pk=topic.pk)}"' in client.get(topic.get_absolute_url()).content.decode()
    response = client.post(url("researchtask_delete", pk=topic.pk))
    assert response.status_code == 302 and response["Location"] == url("task_list")
    assert not ResearchTask.objects.filter(pk=topic.pk).exists()


# --- gates ---------------------------------------------------------------------------------------------


def test_the_department_records_the_review_council_with_its_minutes(topic, people, page):
    client = page(people.officer)
    form = client.get(url("task_gate", pk=topic.pk, gate="review"))
    assert form.status_code == 200
    fields = re.findall(r'name="(\w+)"', form.content.decode().split('id="gate-form"')[1])
    assert fields == ["csrfmiddlewaretoken", "decision_number", "decided_on", "council", "minutes", "comment"]
    response = client.post(
        url("task_gate", pk=topic.pk, gate="review"),
        {
            "decision_number": "125/QĐ-H08",
            "decided_on": "2024-02-15",
            "council": COUNCIL,
            "minutes": minutes("bien-ban-hoi-dong.pdf"),
        },
    )
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url() + "#gates"
    topic.refresh_from_db()
    assert topic.stage == Stage.REVIEWED
    event = GateEvent.objects.get(task=topic, transition="review")
    assert (event.decision_number, event.decided_on, event.actor) == (
        "125/QĐ-H08",
        dt.date(2024, 2, 15),
        people.officer,
    )
    assert event.council.splitlines() == COUNCIL.splitlines() and event.minutes.name.endswith(".pdf")

    # the task page lists it with its minutes, served through the portal to who may see the task
    shown = page(people.researcher).get(url("task_detail", pk=topic.pk)).content.decode()
    assert f'href="{url("gate_minutes", pk=event.pk)}"' in shown and "125/QĐ-H08" in shown
    assert "/media/" not in shown
    download = page(people.researcher).get(url("gate_minutes", pk=event.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert page(people.outsider).get(url("gate_minutes", pk=event.pk)).status_code == 404


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_gate_without_its_decision_number_is_refused_and_nothing_is_written(topic, people, page, language):
    before = database_state(STATE)
    response = page(people.officer, language).post(
        url("task_gate", pk=topic.pk, gate="review"),
        {"decided_on": "2024-02-15", "council": COUNCIL, "minutes": minutes()},
    )
    assert response.status_code == 422
    assert in_language(language, "This action needs the number of its decision.") in text(response)
    assert database_state(STATE) == before
    if language == "vi":
        assert "Thao tác này cần có số quyết định." in text(response)


def test_a_gate_without_its_minutes_or_in_the_future_is_refused(topic, people, page):
    client = page(people.officer)
    before = database_state(STATE)
    no_minutes = client.post(
        url("task_gate", pk=topic.pk, gate="review"),
        {"decision_number": "1/QĐ", "decided_on": "2024-02-15", "council": COUNCIL},
    )
    assert no_minutes.status_code == 422 and "This action needs its minutes." in text(no_minutes)
    future = client.post(
        url("task_gate", pk=topic.pk, gate="review"),
        {
            "decision_number": "1/QĐ",
            "decided_on": (TODAY + dt.timedelta(days=3)).isoformat(),
            "council": COUNCIL,
            "minutes": minutes(),
        },
    )
    assert future.status_code == 422 and "A decision cannot be dated in the future." in text(future)
    assert database_state(STATE) == before


def test_a_gate_not_possible_now_says_why(topic, people, page):
    response = page(people.officer).get(url("task_gate", pk=topic.pk, gate="approve"))
    assert response.status_code == 409
    assert "is not possible while the record is “Proposed”" in text(response)
    assert 'id="gate-form"' not in response.content.decode()
    before = database_state(STATE)
    refused = page(people.officer).post(
        url("task_gate", pk=topic.pk, gate="approve"), {"decision_number": "2/QĐ", "decided_on": "2024-03-01"}
    )
    assert refused.status_code == 422 and "is not possible while" in text(refused)
    assert database_state(STATE) == before


def test_the_host_may_not_pass_the_departments_gate_nor_an_unknown_one(topic, people, page):
    client = page(people.researcher)
    assert client.get(url("task_gate", pk=topic.pk, gate="review")).status_code == 403
    assert client.get(url("task_gate", pk=topic.pk, gate="nonsense")).status_code == 404


def test_the_graded_acceptance_asks_for_the_grade_and_the_adjustment_for_the_new_end(current, people, page):
    client = page(people.officer)
    adjust = client.get(url("task_gate", pk=current.pk, gate="adjust")).content.decode()
    assert 'name="new_end_on"' in adjust and 'name="grade"' not in adjust and 'name="minutes"' not in adjust
    response = client.post(
        url("task_gate", pk=current.pk, gate="adjust"),
        {
            "decision_number": "9/QĐ-H08",
            "decided_on": TODAY.isoformat(),
            "comment": "Bổ sung thời gian",
            "new_end_on": (TODAY + dt.timedelta(days=500)).isoformat(),
        },
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.current_end_on == TODAY + dt.timedelta(days=500) and current.stage == Stage.IN_PROGRESS
    no_comment = client.post(
        url("task_gate", pk=current.pk, gate="pause"), {"decision_number": "10/QĐ", "decided_on": TODAY.isoformat()}
    )
    assert no_comment.status_code == 422
    assert "Say why: a comment is required for this action." in text(no_comment)


# --- roadmap -------------------------------------------------------------------------------------------


def test_a_milestone_after_the_task_end_is_refused_with_the_message(topic, people, page):
    before = database_state(STATE)
    for language in ("en", "vi"):
        response = page(people.researcher, language).post(
            url("milestone_add", task_pk=topic.pk),
            {"content": "Hoàn thiện", "expected_output": "Báo cáo", "due_on": "2026-03-31"},
        )
        assert response.status_code == 422
        expected = in_language(
            language, "A milestone is due no later than the task's end (%(date)s).", date="31/12/2025"
        )
        assert expected in text(response)
    assert database_state(STATE) == before


def test_the_host_adds_edits_and_deletes_milestones(topic, people, page):
    client = page(people.researcher)
    response = client.post(
        url("milestone_add", task_pk=topic.pk),
        {"content": "Thử nghiệm", "expected_output": "Biên bản", "due_on": "2025-11-30"},
    )
    assert response.status_code == 302
    milestone = topic.milestones.get(content="Thử nghiệm")
    assert milestone.number == 3 and response["Location"] == milestone.get_absolute_url()
    response = client.post(
        url("milestone_edit", pk=milestone.pk),
        {"number": "3", "content": "Thử nghiệm hiện trường", "expected_output": "Biên bản", "due_on": "2025-10-31"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == dt.date(2025, 10, 31)
    assert client.post(url("milestone_delete", pk=milestone.pk)).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    # the Institute's lab officer sees the roadmap but may not change it
    assert page(people.auditor).get(url("milestone_add", task_pk=topic.pk)).status_code == 403


def test_the_researcher_reports_a_milestone_and_the_task_stays_on_time(current, people, page):
    milestone = current.milestones.order_by("number").first()
    client = page(people.researcher)
    assert client.get(url("milestone_report", pk=milestone.pk)).status_code == 200
    done = client.post(
        url("milestone_report", pk=milestone.pk),
        {"reported_on": TODAY.isoformat(), "percent": "100", "narrative": "Xong", "output_delivered": "Báo cáo"},
    )
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert milestone.progress == 100 and milestone.done_on == TODAY
    current.refresh_from_db()
    assert current.schedule == Schedule.ON_TIME
    # completion without naming the output, or progress going back, is refused with its reason
    other = current.milestones.order_by("number").last()
    before = database_state(STATE)
    response = client.post(
        url("milestone_report", pk=other.pk), {"reported_on": TODAY.isoformat(), "percent": "100", "narrative": "X"}
    )
    assert response.status_code == 422
    assert "A report of completion names the output delivered." in text(response)
    assert database_state(STATE) == before
    assert MilestoneReport.objects.filter(milestone__task=current).count() == 1


def test_a_report_on_a_task_not_in_progress_is_refused(topic, people, page):
    milestone = topic.milestones.first()
    response = page(people.researcher).post(
        url("milestone_report", pk=milestone.pk),
        {"reported_on": "2024-05-01", "percent": "20", "narrative": "Bắt đầu"},
    )
    assert response.status_code == 422
    assert "Progress is reported while the task is in progress (it is Proposed)." in text(response)


def test_the_late_milestone_list(current, people, page):
    late = services.milestone_create(
        actor=people.researcher,
        task=current,
        data={"content": "Khảo sát", "expected_output": "Báo cáo", "due_on": TODAY - dt.timedelta(days=5)},
    )
    client = page(people.officer)
    response = client.get(url("milestone_list"), {"late": "true"})
    assert response.status_code == 200
    assert [row.record.pk for row in response.context["table"].rows] == [late.pk]
    assert "Late milestones" in text(response) and 'data-late="1"' in response.content.decode()
    assert len(client.get(url("milestone_list")).context["table"].rows) == 3
    exported = client.get(url("milestone_list"), {"late": "true", "export": "csv"})
    assert len(exported.content.decode("utf-8-sig").strip().splitlines()) == 2


# --- outputs and filings -------------------------------------------------------------------------------


def test_the_host_adds_an_output_from_the_task_page_and_links_it_to_a_product(current, people, page, world):
    from cnan.catalogue import services as catalogue_services

    product = catalogue_services.product_create(
        actor=None,
        data={
            "organization": world.institute,
            "code": "SP-01",
            "name": "Thiết bị giám sát",
            "product_class": "support_tool",
            "price": Decimal(1000),
        },
    )
    client = page(people.researcher)
    assert 'id="add-output"' in client.get(url("task_detail", pk=current.pk)).content.decode()
    response = client.post(
        url("output_add", task_pk=current.pk),
        {
            "kind": "prototype",
            "title": "Mẫu thiết bị",
            "product": product.pk,
            "in_production": "on",
            "classification": "0",
        },
    )
    assert response.status_code == 302
    output = Output.objects.get(title="Mẫu thiết bị")
    assert output.task == current and output.product == product and output.in_production
    detail = client.get(url("output_detail", pk=output.pk))
    assert detail.status_code == 200 and "SP-01 — Thiết bị giám sát" in text(detail)
    assert "Mẫu thiết bị" in text(client.get(url("task_detail", pk=current.pk)))
    listing = client.get(url("output_list"), {"in_production": "true", "has_product": "true"})
    assert [row.record.pk for row in listing.context["table"].rows] == [output.pk]
    assert page(people.outsider).get(url("output_detail", pk=output.pk)).status_code == 404
    edit = client.post(
        url("output_edit", pk=output.pk),
        {"kind": "product", "title": "Thiết bị hoàn chỉnh", "classification": "0", "product": product.pk},
    )
    assert edit.status_code == 302
    assert client.post(url("output_delete", pk=output.pk)).status_code == 302
    assert not Output.objects.filter(pk=output.pk).exists()


def test_a_filing_moves_through_its_statuses(current, people, page, world):
    client = page(people.researcher)
    form = client.get(url("filing_add"), {"task": current.pk})
    assert form.status_code == 200
    response = client.post(
        url("filing_add"),
        {
            "owner": world.institute.pk,
            "task": current.pk,
            "kind": "invention",
            "title": "Phương pháp lọc nhiễu",
            "country": "VN",
            "application_number": "1-2025-00001",
            "filed_on": (TODAY - dt.timedelta(days=30)).isoformat(),
            "security_control_required": "on",
            "classification": "0",
        },
    )
    assert response.status_code == 302, text(response)
    filing = IPFiling.objects.get(title="Phương pháp lọc nhiễu")
    detail = client.get(filing.get_absolute_url())
    assert 'id="advance-form"' in detail.content.decode()
    advanced = client.post(
        url("filing_advance", pk=filing.pk), {"status": "formality", "on": (TODAY - dt.timedelta(days=10)).isoformat()}
    )
    assert advanced.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FORMALITY and filing.status_on == TODAY - dt.timedelta(days=10)
    before = database_state(STATE)
    refused = client.post(url("filing_advance", pk=filing.pk), {"status": "granted", "on": TODAY.isoformat()})
    assert refused.status_code == 422
    assert "A filing that is “Formality examination” cannot become “Granted”." in text(refused)
    assert database_state(STATE) == before
    assert "Phương pháp lọc nhiễu" in text(client.get(url("task_detail", pk=current.pk)))
    assert page(people.outsider).get(filing.get_absolute_url()).status_code == 404
    assert page(people.outsider).post(url("filing_advance", pk=filing.pk), {}).status_code == 404


def test_a_foreign_filing_without_security_control_is_refused(current, people, page, world):
    before = database_state(STATE)
    response = page(people.researcher).post(
        url("filing_add"),
        {
            "owner": world.institute.pk,
            "kind": "invention",
            "title": "Sáng chế nộp ở nước ngoài",
            "country": "US",
            "filed_on": TODAY.isoformat(),
            "security_control_required": "on",
            "classification": "0",
        },
    )
    assert response.status_code == 422
    assert "filed abroad only after its security control" in text(response)
    assert database_state(STATE) == before


# --- transfers, cooperation, groups --------------------------------------------------------------------


def test_transfers_cooperation_and_groups_are_recorded_through_their_pages(current, people, page, world):
    client = page(people.researcher)
    transfer = client.post(
        url("transfer_add"),
        {
            "organization": world.institute.pk,
            "direction": "inbound",
            "partner": "Kestrel GmbH",
            "partner_country": "DE",
            "technology": "Công nghệ phủ bề mặt",
            "value": "250000000",
            "status": "negotiating",
            "classification": "0",
        },
    )
    assert transfer.status_code == 302, text(transfer)
    t = TechTransfer.objects.get(technology="Công nghệ phủ bề mặt")
    # completed without its approval: refused, with the reason
    refused = client.post(
        url("techtransfer_edit", pk=t.pk),
        {
            "organization": world.institute.pk,
            "direction": "inbound",
            "partner": "Kestrel GmbH",
            "partner_country": "DE",
            "technology": "Công nghệ phủ bề mặt",
            "value": "250000000",
            "status": "completed",
            "completed_on": TODAY.isoformat(),
            "classification": "0",
        },
    )
    assert refused.status_code == 422
    assert "completed only once approved" in text(refused)
    coop = client.post(
        url("cooperation_add"),
        {
            "organization": world.institute.pk,
            "form": "mou",
            "partner": "Đại học Bách khoa",
            "country": "VN",
            "field": "Vật liệu",
            "start_on": "2025-01-01",
            "status": "active",
            "classification": "0",
        },
    )
    assert coop.status_code == 302, text(coop)
    c = Cooperation.objects.get(partner="Đại học Bách khoa")
    bad_dates = client.post(
        url("cooperation_edit", pk=c.pk),
        {
            "organization": world.institute.pk,
            "form": "mou",
            "partner": "Đại học Bách khoa",
            "country": "VN",
            "field": "Vật liệu",
            "start_on": "2025-01-01",
            "end_on": "2024-01-01",
            "status": "active",
            "classification": "0",
        },
    )
    assert bad_dates.status_code == 422 and "The end cannot be before the start." in text(bad_dates)
    group = client.post(
        url("group_add"),
        {
            "organization": world.institute.pk,
            "name": "Nhóm xử lý tín hiệu",
            "lead": "TS. Lê Minh",
            "field": "Điện tử",
            "tasks": [current.pk],
            "classification": "0",
        },
    )
    assert group.status_code == 302, text(group)
    g = ResearchGroup.objects.get(name="Nhóm xử lý tín hiệu")
    assert list(g.tasks.all()) == [current]
    for address in (t.get_absolute_url(), c.get_absolute_url(), g.get_absolute_url()):
        assert client.get(address).status_code == 200
        assert page(people.outsider).get(address).status_code == 404
    assert "Nhóm xử lý tín hiệu" in text(client.get(url("task_detail", pk=current.pk)))
    assert "ĐT-NAY-01" in text(client.get(g.get_absolute_url()))
    for name, shown in (
        ("transfer_list", "Công nghệ phủ bề mặt"),
        ("cooperation_list", "Đại học Bách khoa"),
        ("group_list", "Nhóm xử lý tín hiệu"),
    ):
        assert shown in text(client.get(url(name)))
        assert shown not in text(page(people.outsider).get(url(name)))
        assert shown in client.get(url(name), {"export": "csv"}).content.decode("utf-8-sig")
    for name, obj in (("techtransfer_delete", t), ("cooperation_delete", c), ("researchgroup_delete", g)):
        assert client.post(url(name, pk=obj.pk)).status_code == 302
    assert not TechTransfer.objects.exists() and not Cooperation.objects.exists() and not ResearchGroup.objects.exists()


def test_the_menu_lists_the_research_pages(people, page):
    content = page(people.researcher).get(reverse("core:home")).content.decode()
    for name in ("dashboard", "task_list", "milestone_list", "output_list", "filing_list", "group_list"):
        assert f'href="{url(name)}"' in content


def test_search_finds_tasks_filings_and_groups(current, people, page, world):
    services.filing_create(
        actor=people.researcher,
        data={"owner": world.institute, "kind": "utility", "title": "Giải pháp chống nhiễu", "filed_on": TODAY},
    )
    services.group_create(
        actor=people.researcher,
        data={"organization": world.institute, "name": "Nhóm chống nhiễu", "lead": "TS. Lê", "field": "Điện tử"},
    )
    client = page(people.researcher)
    hits = client.get(reverse("core:search"), {"q": "chong nhieu"}).content.decode()
    assert "Giải pháp chống nhiễu" in hits and "Nhóm chống nhiễu" in hits
    assert "ĐT-NAY-01" in client.get(reverse("core:search"), {"q": "thiet bi giam sat"}).content.decode()
    assert (
        "Nhóm chống nhiễu"
        not in page(people.outsider).get(reverse("core:search"), {"q": "chong nhieu"}).content.decode()
    )


def test_budget_lines_are_what_the_form_sent(world, people, page):
    """Empty and removed rows are left out."""
    data = task_post(world)
    data.update({"budget-2-source": "other", "budget-2-year": "2026", "budget-2-planned": "5", "budget-2-DELETE": "on"})
    assert page(people.researcher).post(url("task_add"), data).status_code == 302
    assert BudgetLine.objects.filter(task__code="ĐT-MỚI-01").count() == 2


def test_a_product_the_reader_may_not_see_is_not_named(current, people, page, world):
    """The Department links the Institute's output to a product of ENT-A, which the Institute may not see."""
    from cnan.catalogue import services as catalogue_services

    product = catalogue_services.product_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "SP-TL-9",
            "name": "Khí tài Thăng Long",
            "product_class": "support_tool",
            "price": Decimal(1000),
        },
    )
    output = services.output_create(
        actor=people.officer,
        task=current,
        data={"kind": "product", "title": "Sản phẩm chuyển giao", "product": product, "in_production": True},
    )
    assert "Khí tài Thăng Long" in text(page(people.officer).get(url("output_detail", pk=output.pk)))
    client = page(people.researcher)
    assert "Khí tài Thăng Long" not in text(client.get(url("output_detail", pk=output.pk)))
    assert "SP-TL-9" not in text(client.get(url("task_detail", pk=current.pk)))
    assert "SP-TL-9" not in client.get(url("output_list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "SP-TL-9" not in text(client.get(url("output_list")))
    # the host edits the output without seeing the product: its link stays
    form = client.get(url("output_edit", pk=output.pk)).content.decode()
    assert 'name="product"' not in form
    response = client.post(
        url("output_edit", pk=output.pk),
        {"kind": "product", "title": "Sản phẩm chuyển giao (sửa)", "in_production": "on", "classification": "0"},
    )
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.product == product and output.title == "Sản phẩm chuyển giao (sửa)"


def test_the_home_page_counts_the_tasks_under_way(current, people, page):
    html = page(people.researcher).get(reverse("core:home")).content.decode()
    assert re.search(r'data-schedule="on_time">[^<]*<strong>1</strong>', html)
    assert re.search(r'data-schedule="late">[^<]*<strong>0</strong>', html)
    assert 'id="research-widget"' not in page(people.outsider).get(reverse("core:home")).content.decode()


def test_a_group_page_shows_its_tasks_outputs_and_filings_that_the_reader_may_see(
    current, people, page, world, isolated_profile
):
    output = services.output_create(
        actor=people.researcher, task=current, data={"kind": "prototype", "title": "Mẫu máy thu tín hiệu"}
    )
    services.output_create(
        actor=None,
        task=current,
        data={
            "kind": "process",
            "title": "Quy trình mật",
            "classification": 1,
            "classification_basis": "Mục 2 danh mục bí mật nhà nước",
        },
    )
    services.filing_create(
        actor=people.researcher,
        data={
            "owner": world.institute,
            "task": current,
            "output": output,
            "kind": "utility",
            "title": "Giải pháp thu tín hiệu",
            "filed_on": TODAY,
        },
    )
    group = services.group_create(
        actor=people.researcher,
        data={
            "organization": world.institute,
            "name": "Nhóm tín hiệu",
            "lead": "TS. Lê",
            "field": "Điện tử",
            "tasks": [current],
        },
    )
    html = text(page(people.researcher).get(group.get_absolute_url()))
    assert "ĐT-NAY-01" in html and "Mẫu máy thu tín hiệu" in html and "Giải pháp thu tín hiệu" in html
    assert "Quy trình mật" not in html  # the researcher is not cleared for it
