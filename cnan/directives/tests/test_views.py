"""The directives' pages: lists and their filters, the task page (status, forecast, reports with evidence,
review, adjustments, sub-tasks), visibility, the follow-up dashboard and the XLSX task table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from cnan.core.testing import database_state
from cnan.directives import dashboards, selectors, services
from cnan.directives.models import Evidence, ProgressReport, Status, Task

TASKS = "/directives/tasks/"
STATE = ("directives", "core")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def page(signed_in):
    def make(user, language: str = "en"):
        client = signed_in(user)
        client.cookies["cnan_language"] = language
        return client

    return make


@pytest.fixture
def officer(world, make_user):
    """A department officer of H08: records directives and follows them up."""
    return make_user("department_officer", world.h08, clearance=1)


@pytest.fixture
def eo_a(world, make_user):
    return make_user("enterprise_officer", world.ent_a)


@pytest.fixture
def eo_b(world, make_user):
    return make_user("enterprise_officer", world.ent_b)


@pytest.fixture
def live(directive, officer):
    """A plan issued 100 days ago with a task of ENT-A due in 60 days, at 10 % after 90 days (slipping), and a
    task of ENT-B due in 20 days, not started (amber)."""
    today = timezone.localdate()
    world = directive.world
    plan = services.document_create(
        actor=None,
        data={
            "organization": world.h08,
            "kind": "plan",
            "number": "15/KH-H08",
            "issuer": "Cục trưởng",
            # Issued 30 days ago: the task due in 20 days has most of its span left (amber, not slipping).
            "issued_on": today - dt.timedelta(days=30),
            "title": "Kế hoạch triển khai Chỉ thị 03",
            "implements": [directive.doc],
        },
    )
    slow = services.task_create(
        actor=None,
        document=plan,
        data={
            "number": "1",
            "content": "Xây dựng đề án",
            "lead": world.ent_a,
            "deadline": today + dt.timedelta(days=60),
            "expected_product": "Đề án",
        },
    )
    report = services.report_submit(
        actor=None,
        task=slow,
        data={"reported_on": today - dt.timedelta(days=10), "percent": 10, "narrative": "Đã khảo sát"},
    )
    services.report_review(actor=officer, report=report, action="accept")
    soon = services.task_create(
        actor=None,
        document=plan,
        data={
            "number": "2",
            "content": "Tập huấn",
            "lead": world.ent_b,
            "deadline": today + dt.timedelta(days=20),
            "expected_product": "Lớp tập huấn",
        },
    )
    slow.refresh_from_db()
    soon.refresh_from_db()
    directive.t1.refresh_from_db()
    directive.t2.refresh_from_db()
    directive.plan, directive.slow, directive.soon = plan, slow, soon
    return directive


def listed(response) -> list[str]:
    """The tasks of the page shown (the task list pages by position: its table holds one page of rows)."""
    return [f"{row.record.document.number}·{row.record.number}" for row in response.context["table"].rows]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- lists ---------------------------------------------------------------------------------------------


def test_the_task_list_shows_every_visible_task_with_its_status(live, officer, page):
    response = page(officer).get(TASKS, {"sort": "number"})
    assert response.status_code == 200
    assert sorted(listed(response)) == ["03/CT-BCA·1", "03/CT-BCA·2", "15/KH-H08·1", "15/KH-H08·2"]
    html = response.content.decode()
    assert 'data-status="overdue"' in html and 'data-export="xlsx"' in html
    # a row's links open the task's page (not boosted into the list)
    assert 'hx-boost="false"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"rag": "red"}, ["03/CT-BCA·1", "03/CT-BCA·2", "15/KH-H08·1"]),
        ({"rag": "amber"}, ["15/KH-H08·2"]),
        ({"rag": "green"}, []),
        ({"slipping": "true"}, ["15/KH-H08·1"]),
        ({"status": "overdue"}, ["03/CT-BCA·1", "03/CT-BCA·2"]),
        ({"status": "not_started"}, ["15/KH-H08·2"]),
        ({"document": "plan"}, ["15/KH-H08·1", "15/KH-H08·2"]),
        ({"lead": "ent_b"}, ["03/CT-BCA·2", "15/KH-H08·2"]),
        ({"regular": "true"}, ["03/CT-BCA·2"]),
    ],
)
def test_the_task_list_filters(live, officer, page, query, expected):
    values = {"plan": live.plan.pk, "ent_b": live.world.ent_b.pk}
    query = {k: values.get(v, v) for k, v in query.items()}
    assert sorted(listed(page(officer).get(TASKS, query))) == expected


def test_the_due_window_filter(live, officer, page):
    today = timezone.localdate()
    query = {"due_after": today.isoformat(), "due_before": (today + dt.timedelta(days=30)).isoformat()}
    assert listed(page(officer).get(TASKS, query)) == ["15/KH-H08·2"]


def test_an_invalid_filter_is_400(live, officer, page):
    assert page(officer).get(TASKS, {"rag": "purple"}).status_code == 400


def test_the_task_list_exports_csv_with_the_filters(live, officer, page):
    response = page(officer).get(TASKS, {"rag": "amber", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Document", "Item", "Content"]
    assert [r[:2] for r in rows[1:]] == [["15/KH-H08", "2"]]


# --- the task list pages by position (core.paging) ------------------------------------------------------


@pytest.fixture
def many(live):
    """24 more tasks in the plan, alternately led by ENT-A and ENT-B, their deadlines taking four values (ties)
    and every fifth one regular without a deadline (NULL): 28 tasks in all, 3 pages of 10."""
    today = timezone.localdate()
    world = live.world
    for i in range(24):
        regular = i % 5 == 0
        services.task_create(
            actor=None,
            document=live.plan,
            data={
                "number": f"{10 + i}",
                "content": f"Nhiệm vụ {i}",
                "lead": world.ent_a if i % 2 else world.ent_b,
                "regular": regular,
                "reporting_cycle": "quarter",
                "deadline": None if regular else today + dt.timedelta(days=10 * (i % 4)),
                "expected_product": "Báo cáo",
            },
        )
    return live


def task_ids(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].rows]


def walk_tasks(client, query) -> tuple[list[int], list]:
    """Every page from the first, following the "Next" links; the responses read."""
    responses, url = [], TASKS + "?" + urlencode(query)
    while url:
        response = client.get(url)
        assert response.status_code == 200
        responses.append(response)
        url = pager(response).get("next")
    return [pk for r in responses for pk in task_ids(r)], responses


def pager(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        rel: TASKS + href.replace("&amp;", "&") for rel, href in re.findall(r'rel="(prev|next)" href="(\?[^"]+)"', html)
    }


def in_list_order(tasks, descending):
    """The order the list must show: by current deadline then id, the tasks without a deadline last."""
    dated = sorted((t for t in tasks if t.effective_deadline), key=lambda t: (t.effective_deadline, t.pk))
    undated = sorted(t.pk for t in tasks if not t.effective_deadline)
    if descending:
        return [t.pk for t in reversed(dated)] + undated[::-1]
    return [t.pk for t in dated] + undated


@pytest.mark.parametrize("sort", ["effective_deadline", "-effective_deadline"])
def test_the_task_list_sorted_by_deadline_pages_through_every_task_once(many, officer, page, sort):
    client = page(officer)
    seen, responses = walk_tasks(client, {"sort": sort, "per_page": 10})
    tasks = list(Task.objects.all())
    assert len(tasks) == 28 and any(t.effective_deadline is None for t in tasks)
    assert seen == in_list_order(tasks, sort.startswith("-"))
    assert [len(task_ids(r)) for r in responses] == [10, 10, 8]
    assert "prev" not in pager(responses[0])
    assert "result" not in responses[0].content.decode().split('id="result-count">')[1][:40]  # no total
    # "Previous" goes back page by page to the first page
    back = client.get(pager(responses[2])["prev"])
    assert task_ids(back) == task_ids(responses[1])
    first = client.get(pager(back)["prev"])
    assert task_ids(first) == task_ids(responses[0]) and "prev" not in pager(first)


def test_the_task_list_pages_through_only_the_visible_tasks(many, eo_a, page):
    seen, _responses = walk_tasks(page(eo_a), {"per_page": 10})
    visible = list(selectors.task_list(user=eo_a))
    assert seen == in_list_order(visible, False)
    assert len(seen) == len(set(seen)) == Task.objects.filter(lead=many.world.ent_a).count() > 10
    invisible = set(Task.objects.exclude(lead=many.world.ent_a).values_list("pk", flat=True))
    assert invisible and not invisible & set(seen)


def test_the_task_list_keeps_its_filters_sort_and_page_size_while_paging(many, officer, page):
    ent_b = many.world.ent_b
    seen, responses = walk_tasks(page(officer), {"lead": ent_b.pk, "sort": "-progress", "per_page": 10})
    assert len(responses) == 2
    for link in (pager(responses[0])["next"], pager(responses[1])["prev"]):
        assert f"lead={ent_b.pk}" in link and "sort=-progress" in link and "per_page=10" in link
    led = Task.objects.filter(lead=ent_b)
    assert sorted(seen) == sorted(led.values_list("pk", flat=True))
    progress = dict(led.values_list("pk", "progress"))
    assert [progress[pk] for pk in seen] == sorted(progress.values(), reverse=True)


def test_a_sort_header_starts_again_from_the_first_page(many, officer, page):
    client = page(officer)
    second = client.get(pager(client.get(TASKS, {"per_page": 10}))["next"])
    headers = re.findall(r'<th[^>]*>\s*<a href="([^"]+)"', second.content.decode())
    assert headers and all("after=" not in h and "before=" not in h and "per_page=10" in h for h in headers)
    assert any("sort=-effective_deadline" in h for h in headers)  # the current sort, reversed


@pytest.mark.parametrize("cursor", ["abc", "WyJzdGF0dXMiLCJvdmVyZHVlIiwxXQ"])  # garbage; a cursor of another sort
def test_a_malformed_task_list_position_is_400_with_the_first_page(many, officer, page, cursor):
    client = page(officer)
    response = client.get(TASKS, {"per_page": 10, "after": cursor})
    assert response.status_code == 400
    assert f"The page position “{cursor}” is not valid." in response.content.decode()
    assert task_ids(response) == task_ids(client.get(TASKS, {"per_page": 10}))


def test_the_document_and_committee_lists(live, officer, page):
    client = page(officer)
    response = client.get("/directives/documents/", {"kind": "plan"})
    assert response.status_code == 200
    assert [row.record.number for row in response.context["table"].page.object_list] == ["15/KH-H08"]
    assert client.get("/directives/committees/").status_code == 200


# --- the document page ---------------------------------------------------------------------------------


def test_the_document_page_shows_its_tasks_the_chain_and_the_timeline(live, officer, page):
    client = page(officer)
    html = client.get(live.plan.get_absolute_url()).content.decode()
    assert re.findall(r'data-task="([\d.]+)"', html) == ["1", "2"]
    assert 'data-chart="gantt"' in html and "15/KH-H08" in html
    chain = html[html.index('id="implements"') :]
    assert "03/CT-BCA" in chain[: chain.index("</dd>")]
    back = client.get(live.doc.get_absolute_url()).content.decode()
    implemented = back[back.index('id="implemented-by"') :]
    assert "15/KH-H08" in implemented[: implemented.index("</dd>")]


def test_the_task_table_exports_in_the_follow_up_layout(live, officer, page):
    response = page(officer).get(reverse("directives:document_export", args=[live.plan.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "15/KH-H08 — Kế hoạch triển khai Chỉ thị 03"
    assert list(values[2]) == [
        "Item",
        "Content",
        "Lead unit",
        "Coordinating units",
        "Deadline",
        "Expected concrete product",
        "Status",
        "Progress (%)",
        "Latest report",
    ]
    first = values[3]
    assert first[0] == "1" and first[2] == live.world.ent_a.name and first[7] == 10 and first[8] == "Đã khảo sát"
    assert values[4][0] == "2"


# --- the task page -------------------------------------------------------------------------------------


def test_the_task_page_shows_status_progress_and_the_forecast(live, officer, page):
    response = page(officer).get(live.slow.get_absolute_url())
    assert response.status_code == 200
    html = text(response)
    assert 'data-status="in_progress"' in html
    assert "10 %" in html
    assert "least-squares line" in html
    assert 'id="will-miss"' in html and "It will miss its deadline" in html
    assert 'data-chart="progress"' in html
    forecast = response.context["forecast"]
    assert forecast.will_miss and forecast.days_late > 0
    assert forecast.completion == live.slow.forecast_on


def test_the_task_page_in_vietnamese(live, officer, page):
    response = page(officer, "vi").get(live.slow.get_absolute_url())
    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "vi"


def test_enterprise_b_does_not_see_enterprise_a_task_but_sees_its_own(live, eo_b, page):
    client = page(eo_b)
    assert client.get(live.t1.get_absolute_url()).status_code == 404
    assert client.get(live.slow.get_absolute_url()).status_code == 404
    assert client.get(live.t2.get_absolute_url()).status_code == 200
    assert sorted(listed(client.get(TASKS))) == ["03/CT-BCA·2", "15/KH-H08·2"]
    # the document belongs to H08: not for ENT-B
    assert client.get(live.doc.get_absolute_url()).status_code == 404


def test_a_lead_reports_with_evidence_and_the_department_accepts(live, eo_a, officer, page):
    task = live.slow
    url = reverse("directives:report_add", args=[task.pk])
    data = {"reported_on": timezone.localdate().isoformat(), "percent": "40", "narrative": "Đã có dự thảo"}
    client = page(eo_a)
    before = database_state(STATE)
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(url, {**data, "evidence": [bad]})
    assert response.status_code == 422
    assert "virus.exe" in text(response) and "not allowed" in text(response)
    assert database_state(STATE) == before

    pdf = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 draft", content_type="application/pdf")
    photo = SimpleUploadedFile("anh.png", b"\x89PNG....", content_type="image/png")
    response = client.post(url, {**data, "evidence": [pdf, photo]})
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task, percent=40)
    assert sorted(e.name for e in report.evidence.all()) == ["anh.png", "du-thao.pdf"]
    # the lead may not accept its own report: no buttons
    html = client.get(task.get_absolute_url()).content.decode()
    assert 'data-action="accept"' not in html
    evidence = report.evidence.get(name="du-thao.pdf")
    download = client.get(reverse("directives:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 draft"

    reviewer = page(officer)
    html = reviewer.get(task.get_absolute_url()).content.decode()
    assert 'data-action="accept"' in html and 'data-action="return"' in html
    response = reviewer.post(reverse("directives:report_review", args=[report.pk]), {"action": "accept"})
    assert response.status_code == 302
    task.refresh_from_db()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.ACCEPTED
    assert task.progress == 40
    assert 'id="task-progress">40 %' in reviewer.get(task.get_absolute_url()).content.decode()


def test_evidence_is_not_served_to_another_enterprise(live, eo_a, eo_b, page):
    report = services.report_submit(
        actor=None,
        task=live.slow,
        data={"reported_on": timezone.localdate(), "percent": 20, "narrative": "x"},
        files=[SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")],
    )
    evidence = Evidence.objects.get(report=report)
    url = reverse("directives:evidence_download", args=[evidence.pk])
    assert page(eo_b).get(url).status_code == 404
    assert page(eo_a).get(url).status_code == 200


def test_returning_a_report_needs_a_comment(live, officer, page):
    report = services.report_submit(
        actor=None, task=live.slow, data={"reported_on": timezone.localdate(), "percent": 30, "narrative": "x"}
    )
    client = page(officer)
    url = reverse("directives:report_review", args=[report.pk])
    before = database_state(STATE)
    response = client.post(url, {"action": "return", "comment": "  "})
    assert response.status_code == 422
    assert "a comment is required" in text(response)
    assert database_state(STATE) == before
    response = client.post(url, {"action": "return", "comment": "Thiếu minh chứng"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED and report.review_comment == "Thiếu minh chứng"


def test_a_sub_task_outside_the_lead_subtree_is_refused_with_the_message(live, eo_a, page, world):
    client = page(eo_a)
    url = reverse("directives:subtask_add", args=[live.slow.pk])
    assert client.get(url).status_code == 200
    data = {
        "number": "1.1",
        "content": "Phần việc",
        "lead": world.ent_b.pk,
        "deadline": live.slow.deadline.isoformat(),
        "reporting_cycle": "quarter",
        "expected_product": "Báo cáo",
        "priority": "normal",
        "classification": "0",
    }
    before = database_state(STATE)
    response = client.post(url, data)
    assert response.status_code == 422
    assert f"A sub-task goes to a unit under {world.ent_a.name}" in text(response)
    assert database_state(STATE) == before


def test_enterprise_b_may_not_cascade_enterprise_a_task(live, eo_b, page):
    assert page(eo_b).get(reverse("directives:subtask_add", args=[live.slow.pk])).status_code == 404


def test_a_sub_task_inside_the_lead_subtree_is_created(live, eo_a, officer, page, world):
    from cnan.organizations import services as org

    workshop = org.organization_create(
        actor=None, parent=world.ent_a, data={"code": "ENT-A-X1", "name": "Xưởng 1", "kind": "operational_unit"}
    )
    client = page(eo_a)
    data = {
        "number": "1.1",
        "content": "Phần việc của xưởng",
        "lead": workshop.pk,
        "deadline": live.slow.deadline.isoformat(),
        "reporting_cycle": "quarter",
        "expected_product": "Báo cáo",
        "priority": "normal",
        "classification": "0",
    }
    response = client.post(reverse("directives:subtask_add", args=[live.slow.pk]), data)
    assert response.status_code == 302, text(response)[:2000]
    child = Task.objects.get(parent=live.slow)
    assert child.lead == workshop and child.assigned_by == world.ent_a
    html = page(officer).get(live.plan.get_absolute_url()).content.decode()
    assert re.findall(r'data-task="([\d.]+)" data-depth="(\d)"', html) == [("1", "0"), ("1.1", "1"), ("2", "0")]


def test_an_adjustment_moves_the_deadline(live, officer, eo_a, page):
    task = live.soon
    new = task.deadline + dt.timedelta(days=45)
    data = {
        "kind": "extend",
        "decision_number": "88/QĐ-H08",
        "decided_on": timezone.localdate().isoformat(),
        "new_deadline": new.isoformat(),
        "reason": "Chờ kinh phí",
    }
    url = reverse("directives:adjustment_add", args=[task.pk])
    assert page(eo_a).post(url, data).status_code == 404  # ENT-A does not see ENT-B's task
    response = page(officer).post(url, data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.effective_deadline == new and task.deadline != new
    html = page(officer).get(task.get_absolute_url()).content.decode()
    assert "88/QĐ-H08" in html


def test_an_adjustment_without_the_new_deadline_is_refused(live, officer, page):
    task = live.soon
    data = {"kind": "extend", "decision_number": "1", "decided_on": timezone.localdate().isoformat(), "reason": "x"}
    before = database_state(STATE)
    response = page(officer).post(reverse("directives:adjustment_add", args=[task.pk]), data)
    assert response.status_code == 422
    assert "A deadline moved needs the new deadline." in text(response)
    assert database_state(STATE) == before


def test_the_lead_may_not_adjust_its_task(live, eo_a, page):
    data = {"kind": "pause", "decision_number": "1", "decided_on": timezone.localdate().isoformat(), "reason": "x"}
    assert page(eo_a).post(reverse("directives:adjustment_add", args=[live.slow.pk]), data).status_code == 403


def test_the_department_creates_a_task_from_its_document(live, officer, page, world):
    data = {
        "number": "3",
        "content": "Tổng kết",
        "lead": world.ent_a.pk,
        "coordinating": [world.ent_b.pk],
        "deadline": "",
        "regular": "on",
        "reporting_cycle": "year",
        "expected_product": "Báo cáo tổng kết",
        "priority": "high",
        "classification": "0",
    }
    response = page(officer).post(reverse("directives:task_add", args=[live.plan.pk]), data)
    assert response.status_code == 302
    task = Task.objects.get(document=live.plan, number="3")
    assert task.regular and list(task.coordinating.all()) == [world.ent_b]


# --- dashboard -----------------------------------------------------------------------------------------


def test_the_dashboard_numbers_match_the_lists(live, officer, page):
    response = page(officer).get(reverse("directives:dashboard"))
    assert response.status_code == 200
    ctx = response.context
    assert ctx["total"] == 4
    assert {g.key: g.count for g in ctx["rag"]} == {"red": 3, "amber": 1, "green": 0}
    assert {g.key: g.count for g in ctx["statuses"] if g.count} == {
        Status.OVERDUE: 2,
        Status.IN_PROGRESS: 1,
        Status.NOT_STARTED: 1,
    }
    by_doc = {g.label: (g.count, g.overdue, g.slipping) for g in ctx["documents"]}
    assert by_doc == {"03/CT-BCA": (2, 2, 0), "15/KH-H08": (2, 0, 1)}
    assert [(g.label, g.count) for g in ctx["overdue"]] == sorted(
        [(live.world.ent_a.name, 1), (live.world.ent_b.name, 1)]
    )
    assert [t.pk for t in ctx["slipping"]] == [live.slow.pk]
    for g in ctx["rag"]:
        drilled = page(officer).get(g.url)
        assert len(listed(drilled)) == g.count  # one page holds them all (the list shows no total)
    html = text(response)
    assert 'data-chart="bar"' in html and "least-squares line" in html
    # the selectors read the same rows
    assert dashboards.total(user=officer) == selectors.task_list(user=officer).count()


def test_an_enterprise_dashboard_counts_only_its_tasks(live, eo_b, page):
    response = page(eo_b).get(reverse("directives:dashboard"))
    assert response.context["total"] == 2


def test_the_home_page_shows_the_follow_up_widget(live, officer, page):
    html = page(officer).get("/").content.decode()
    assert 'id="followup-widget"' in html


def test_the_forms_and_the_committee_pages(live, officer, page, world):
    client = page(officer)
    for url in [
        reverse("directives:committee_add"),
        reverse("directives:document_add"),
        reverse("directives:directivedocument_edit", args=[live.plan.pk]),
        reverse("directives:task_add", args=[live.plan.pk]),
        reverse("directives:task_edit", args=[live.slow.pk]),
        reverse("directives:task_delete", args=[live.soon.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("directives:committee_add"),
        {"organization": world.h08.pk, "code": "BCĐ-57", "name": "Ban Chỉ đạo 57", "classification": "0"},
    )
    assert response.status_code == 302
    committee = selectors.committee_list(user=officer).get(code="BCĐ-57")
    response = client.post(
        reverse("directives:meeting_add", args=[committee.pk]),
        {
            "held_on": "2026-01-05",
            "title": "Phiên họp thứ nhất",
            "conclusion": "Giao H08 xây dựng kế hoạch",
            "classification": "0",
        },
    )
    assert response.status_code == 302
    html = client.get(committee.get_absolute_url()).content.decode()
    assert "Phiên họp thứ nhất" in html and "Giao H08 xây dựng kế hoạch" in html


def test_a_meeting_is_edited_and_deleted_unless_a_document_came_from_it(officer, eo_a, page, world):
    committee = services.committee_create(
        actor=None, data={"organization": world.h08, "code": "BCĐ-158", "name": "Ban Chỉ đạo 158"}
    )
    first = services.meeting_create(
        actor=None, committee=committee, data={"held_on": dt.date(2025, 3, 1), "title": "Phiên họp thứ nhất"}
    )
    second = services.meeting_create(
        actor=None, committee=committee, data={"held_on": dt.date(2025, 6, 1), "title": "Phiên họp thứ hai"}
    )
    services.document_create(
        actor=None,
        data={
            "organization": world.h08,
            "kind": "notice",
            "number": "12/TB-BCĐ",
            "issuer": "Ban Chỉ đạo 158",
            "issued_on": dt.date(2025, 3, 5),
            "title": "Thông báo kết luận phiên họp thứ nhất",
            "committee": committee,
            "meeting": first,
        },
    )
    client = page(officer)
    html = client.get(committee.get_absolute_url()).content.decode()
    assert reverse("directives:meeting_edit", args=[first.pk]) in html

    response = client.post(
        reverse("directives:meeting_edit", args=[first.pk]),
        {
            "held_on": "2025-03-02",
            "title": "Phiên họp thứ nhất (mở rộng)",
            "conclusion": "Kết luận",
            "classification": "0",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.held_on, first.title, first.conclusion) == (
        dt.date(2025, 3, 2),
        "Phiên họp thứ nhất (mở rộng)",
        "Kết luận",
    )
    history = client.get(reverse("directives:meeting_history", args=[first.pk])).content.decode()
    assert "Phiên họp thứ nhất (mở rộng)" in history

    response = client.post(reverse("directives:meeting_edit", args=[first.pk]), {"title": "", "classification": "0"})
    assert response.status_code == 422
    first.refresh_from_db()
    assert first.title == "Phiên họp thứ nhất (mở rộng)"

    before = database_state()
    response = client.post(reverse("directives:meeting_delete", args=[first.pk]))
    assert response.status_code == 409
    assert "1 document(s) came from this meeting" in response.content.decode()
    assert database_state() == before

    response = client.post(reverse("directives:meeting_delete", args=[second.pk]))
    assert response.status_code == 302 and response["Location"] == committee.get_absolute_url()
    assert not committee.meetings.filter(pk=second.pk).exists()

    other = page(eo_a)  # another unit sees neither the committee nor its meetings
    assert other.get(reverse("directives:meeting_edit", args=[first.pk])).status_code == 404
    assert other.post(reverse("directives:meeting_delete", args=[first.pk])).status_code == 404
    assert committee.meetings.filter(pk=first.pk).exists()


def test_a_task_without_reports_is_deleted_and_one_with_reports_is_not(live, officer, page):
    client = page(officer)
    assert client.post(reverse("directives:task_delete", args=[live.soon.pk])).status_code == 302
    assert not Task.objects.filter(pk=live.soon.pk).exists()
    response = client.post(reverse("directives:task_delete", args=[live.slow.pk]))
    assert response.status_code == 409


def test_the_document_page_offers_the_task_import_to_the_assigning_unit(live, officer, eo_a, page):
    url = reverse("directives:document_detail", args=[live.doc.pk])
    assert f"/imports/directives:tasks/?document={live.doc.pk}" in page(officer).get(url).content.decode()
    assert 'id="import-tasks"' not in page(eo_a).get(url).content.decode()
