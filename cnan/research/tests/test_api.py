"""The research API (/api/v1/research/): tasks with their budget, gates by role, roadmap and reports, the
minutes downloaded through the task's visibility, filters and cursor paging with constant query counts,
outputs, IP filings, transfers, cooperation and groups through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cnan.core.models import ObjectChange
from cnan.core.testing import database_state
from cnan.research import services
from cnan.research.models import (
    BudgetLine,
    FilingStatus,
    GateEvent,
    IPFiling,
    Milestone,
    ResearchTask,
    Stage,
    TechTransfer,
)

from .conftest import minutes, task_data

BASE = "/api/v1/research"
STATE = ("research", "core")
D = "2024-03-01"
COUNCIL = "PGS.TS. Chủ tịch hội đồng\nTS. Phản biện 1"


@pytest.fixture
def api(api_as):
    def make(user):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return make


def ids(response) -> set[int]:
    payload = response.json()
    return {row["id"] for row in (payload["results"] if isinstance(payload, dict) else payload)}


def new_task(world, people, code: str, **extra):
    return services.task_create(actor=people.researcher, data=task_data(world, code=code, budget_total=0, **extra))


def gate(client, task, name: str, **data):
    return client.post(f"{BASE}/tasks/{task.pk}/gates/{name}/", data, format="multipart")


def decision(name: str, **extra) -> dict:
    return {"decision_number": f"{name}/QĐ-BCA", "decided_on": D, **extra}


def started(topic, people):
    """The topic through its managing body's gates to the start, as the services pass them."""
    for name in ("review", "approve", "contract"):
        topic = services.gate_pass(
            actor=people.officer,
            task=topic,
            gate=name,
            decision_number=f"{name}/QĐ",
            decided_on=dt.date(2024, 2, 1),
            council=COUNCIL,
            minutes=minutes(),
        )
    return services.gate_pass(
        actor=people.researcher, task=topic, gate="start", decision_number="", decided_on=dt.date(2024, 2, 1)
    )


# --- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "tasks/"),
        ("post", "tasks/"),
        ("post", "tasks/1/gates/review/"),
        ("get", "outputs/"),
        ("get", "filings/"),
        ("get", "gates/1/minutes/"),
    ],
)
def test_anonymous_is_refused(topic, api, method, path):
    before = database_state(STATE)
    response = getattr(api(None), method)(f"{BASE}/{path}", {}, format="json")
    assert response.status_code == 401
    assert database_state(STATE) == before


def test_task_list_holds_what_each_unit_may_see(topic, api, people, world):
    other = services.task_create(
        actor=people.outsider, data=task_data(world, code="ĐT-B-1", host=world.ent_b, budget_total=0)
    )
    assert ids(api(people.researcher).get(f"{BASE}/tasks/")) == {topic.pk}
    assert ids(api(people.outsider).get(f"{BASE}/tasks/")) == {other.pk}
    assert ids(api(people.officer).get(f"{BASE}/tasks/")) == {topic.pk, other.pk}
    row = api(people.researcher).get(f"{BASE}/tasks/{topic.pk}/").json()
    assert row["host_code"] == "VKHCN" and row["stage"] == Stage.PROPOSED and row["schedule"] == ""
    assert row["budget_total"] == "3000000000" and row["end"] == "2025-12-31" and "budget" not in row
    # cursor paging
    page = api(people.officer).get(f"{BASE}/tasks/?limit=1").json()
    assert len(page["results"]) == 1 and page["next"]
    assert len(api(people.officer).get(page["next"]).json()["results"]) == 1


def test_an_invisible_task_answers_404_everywhere(topic, api, people):
    client = api(people.outsider)
    for path in ("", "gates/", "milestones/", "budget/"):
        assert client.get(f"{BASE}/tasks/{topic.pk}/{path}").status_code == 404, path
    before = database_state(STATE)
    assert client.patch(f"{BASE}/tasks/{topic.pk}/", {"title": "x"}, format="json").status_code == 404
    assert client.post(f"{BASE}/tasks/{topic.pk}/milestones/", {}, format="json").status_code == 404
    assert database_state(STATE) == before


def test_a_member_without_permissions_gets_403(topic, api, make_user, world):
    from cnan.accounts.models import Role

    Role.objects.create(code="member", name="Thành viên")
    member = make_user("member", world.institute)
    assert api(member).get(f"{BASE}/tasks/").status_code == 403
    assert api(member).get(f"{BASE}/tasks/{topic.pk}/").status_code == 403


# --- tasks: create, change, delete ----------------------------------------------------------------------


def _body(world, **extra) -> dict:
    body = {
        "code": "ĐT-BCA-2024-09",
        "title": "Nghiên cứu chế tạo áo giáp chống đạn thế hệ mới",
        "level": "ministry",
        "kind": "topic",
        "formation": "commission",
        "selection": "call",
        "host": world.institute.pk,
        "principal_investigator": "TS. Phạm Quang Huy",
        "team": "ThS. Lê Văn Cường\nKS. Ngô Thị Hạnh",
        "start_on": "2024-01-01",
        "end_on": "2025-12-31",
        "budget_total": "4500000000",
        "budget": [
            {"source": "ministry", "year": 2024, "planned": "3000000000"},
            {"source": "unit", "year": 2025, "planned": "1500000000"},
        ],
    }
    body.update(extra)
    return body


def test_create_with_budget_lines_proposes_the_task(api, people, world):
    response = api(people.researcher).post(f"{BASE}/tasks/", _body(world), format="json")
    assert response.status_code == 201, response.json()
    task = ResearchTask.objects.get(pk=response.json()["id"])
    assert task.stage == Stage.PROPOSED and task.proposed_by == people.researcher
    assert sorted(task.budget.values_list("source", "year", "planned")) == [
        ("ministry", 2024, Decimal("3000000000")),
        ("unit", 2025, Decimal("1500000000")),
    ]
    assert ObjectChange.objects.filter(object_id=task.pk, content_type__model="researchtask").count() == 1
    budget = api(people.researcher).get(f"{BASE}/tasks/{task.pk}/budget/").json()
    assert budget["planned"] == "4500000000" and budget["disbursed"] == "0" and len(budget["lines"]) == 2
    events = api(people.researcher).get(f"{BASE}/tasks/{task.pk}/gates/").json()
    assert [e["transition"] for e in events] == ["propose"] and events[0]["minutes"] is None


def test_a_budget_that_does_not_add_up_is_a_400_and_writes_nothing(api, people, world):
    before = database_state(STATE)
    response = api(people.researcher).post(f"{BASE}/tasks/", _body(world, budget_total="5000000000"), format="json")
    assert response.status_code == 400
    assert "does not match the sum of its sources (4.500.000.000)" in response.json()["budget_total"][0]
    twice = _body(world, budget=[{"source": "unit", "year": 2024, "planned": "1"}] * 2, budget_total="2")
    response = api(people.researcher).post(f"{BASE}/tasks/", twice, format="json")
    assert response.status_code == 400 and "Each source appears once per year." in response.json()["budget"]
    assert database_state(STATE) == before


def test_a_unit_proposes_only_for_itself(api, people, world):
    before = database_state(STATE)
    response = api(people.outsider).post(f"{BASE}/tasks/", _body(world), format="json")
    assert response.status_code == 400 and "host" in response.json()
    assert database_state(STATE) == before


def test_update_and_the_fields_frozen_once_approved(topic, api, people):
    client = api(people.researcher)
    response = client.patch(f"{BASE}/tasks/{topic.pk}/", {"title": "Tên mới của đề tài"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Tên mới của đề tài"
    lines = [{"source": "ministry", "year": 2024, "planned": "2000000000"}]
    replaced = client.patch(f"{BASE}/tasks/{topic.pk}/", {"budget": lines}, format="json")
    assert replaced.status_code == 400 and "budget_total" in replaced.json()  # 3 bn ≠ 2 bn
    ok = client.patch(f"{BASE}/tasks/{topic.pk}/", {"budget": lines, "budget_total": "2000000000"}, format="json")
    assert ok.status_code == 200 and topic.budget.count() == 1
    task = started(topic, people)
    before = database_state(STATE)
    frozen = client.patch(f"{BASE}/tasks/{task.pk}/", {"end_on": "2026-06-30"}, format="json")
    assert frozen.status_code == 400 and "adjustment decision" in frozen.json()["end_on"][0]
    assert database_state(STATE) == before


def test_delete_withdraws_a_proposal_only(topic, api, people, world):
    spare = new_task(world, people, "ĐT-X")
    assert api(people.researcher).delete(f"{BASE}/tasks/{spare.pk}/").status_code == 204
    assert not ResearchTask.objects.filter(pk=spare.pk).exists()
    task = started(topic, people)
    before = database_state(STATE)
    refused = api(people.researcher).delete(f"{BASE}/tasks/{task.pk}/")
    assert refused.status_code == 400 and "Only a proposal" in str(refused.json())
    assert database_state(STATE) == before


# --- gates -------------------------------------------------------------------------------------------


def test_gates_by_role_with_their_decision_data(topic, api, people):
    officer, researcher = api(people.officer), api(people.researcher)
    # the host does not review its own proposal: 403, nothing written
    before = database_state(STATE)
    refused = gate(researcher, topic, "review", **decision("review"), council=COUNCIL, minutes=minutes())
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You do not have permission to perform this action."
    # the council's members and minutes are required
    missing = gate(officer, topic, "review", **decision("review"))
    assert missing.status_code == 400 and set(missing.json()) == {"council", "minutes"}
    assert missing.json()["minutes"] == ["This action needs its minutes."]
    # the minutes' type is checked before anything else
    bad = gate(officer, topic, "review", **decision("review"), council=COUNCIL, minutes=minutes("virus.exe"))
    assert bad.status_code == 400 and "minutes" in bad.json()
    assert database_state(STATE) == before

    passed = gate(officer, topic, "review", **decision("review"), council=COUNCIL, minutes=minutes())
    assert passed.status_code == 200, passed.json()
    assert passed.json()["stage"] == Stage.REVIEWED
    # a gate out of order is refused with the reason
    skipped = gate(officer, topic, "contract", **decision("contract"))
    assert skipped.status_code == 400
    assert "is not possible while the record is “Reviewed by council”" in skipped.json()["non_field_errors"][0]
    no_number = gate(officer, topic, "approve", decided_on=D)
    assert no_number.status_code == 400 and "decision_number" in no_number.json()
    unknown = gate(officer, topic, "skip_to_the_end", **decision("x"))
    assert unknown.status_code == 400 and "Unknown action" in str(unknown.json())
    assert gate(officer, topic, "approve", **decision("approve")).status_code == 200
    assert gate(officer, topic, "contract", **decision("contract")).status_code == 200
    # the Department does not start the host's work; the host does, as JSON too
    assert gate(officer, topic, "start", decided_on=D).status_code == 403
    start = researcher.post(f"{BASE}/tasks/{topic.pk}/gates/start/", {"decided_on": D}, format="json")
    assert start.status_code == 200 and start.json()["stage"] == Stage.IN_PROGRESS
    adjusted = gate(officer, topic, "adjust", **decision("adjust"), comment="Gia hạn", new_end_on="2026-06-30")
    assert adjusted.status_code == 200 and adjusted.json()["end"] == "2026-06-30"

    events = researcher.get(f"{BASE}/tasks/{topic.pk}/gates/").json()
    assert [e["transition"] for e in events] == ["propose", "review", "approve", "contract", "start", "adjust"]
    review = events[1]
    assert review["decision_number"] == "review/QĐ-BCA" and review["decided_on"] == D
    assert review["council"] == COUNCIL and review["actor"] == people.officer.pk
    assert review["label"] == "Record the review council" and review["minutes"].endswith("/minutes/")
    assert events[2]["minutes"] is None


def test_minutes_are_downloaded_through_the_task_visibility(topic, api, people):
    services.gate_pass(
        actor=people.officer,
        task=topic,
        gate="review",
        decision_number="12/QĐ",
        decided_on=dt.date(2024, 2, 1),
        council=COUNCIL,
        minutes=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban"),
    )
    event = GateEvent.objects.get(transition="review")
    url = f"{BASE}/gates/{event.pk}/minutes/"
    download = api(people.researcher).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 bien ban"
    assert "attachment" in download["Content-Disposition"]
    assert api(people.outsider).get(url).status_code == 404
    propose = GateEvent.objects.get(transition="propose")  # no minutes
    assert api(people.researcher).get(f"{BASE}/gates/{propose.pk}/minutes/").status_code == 404
    assert api(people.researcher).get(f"{BASE}/gates/999999/minutes/").status_code == 404


def test_classified_minutes_need_the_clearance(world, api, people, make_user, isolated_profile):
    secret = services.task_create(
        actor=people.officer,
        data=task_data(world, code="ĐT-MAT", budget_total=0, classification=1, classification_basis="Mục 3"),
    )
    services.gate_pass(
        actor=people.officer,
        task=secret,
        gate="review",
        decision_number="13/QĐ",
        decided_on=dt.date(2024, 2, 1),
        council=COUNCIL,
        minutes=minutes(),
    )
    event = GateEvent.objects.get(task=secret, transition="review")
    uncleared = people.researcher  # clearance 0
    cleared = make_user("research_officer", world.institute, clearance=1)
    assert api(uncleared).get(f"{BASE}/gates/{event.pk}/minutes/").status_code == 404
    assert api(uncleared).get(f"{BASE}/tasks/{secret.pk}/gates/").status_code == 404
    assert api(cleared).get(f"{BASE}/gates/{event.pk}/minutes/").status_code == 200


# --- filters and paging --------------------------------------------------------------------------------


def test_task_filters(topic, api, people, world):
    base = new_task(world, people, "CS-2024-01", level="base", formation="base_task", kind="st_project")
    started(topic, people)
    client = api(people.officer)
    assert ids(client.get(f"{BASE}/tasks/?stage=in_progress")) == {topic.pk}
    assert ids(client.get(f"{BASE}/tasks/?stage=proposed&stage=in_progress")) == {topic.pk, base.pk}
    assert ids(client.get(f"{BASE}/tasks/?level=base")) == {base.pk}
    assert ids(client.get(f"{BASE}/tasks/?q=giam sat tin hieu")) == {topic.pk, base.pk}
    assert ids(client.get(f"{BASE}/tasks/?q=CS-2024")) == {base.pk}
    assert ids(client.get(f"{BASE}/tasks/?host={world.institute.pk}&year=2025")) == {topic.pk, base.pk}
    assert ids(client.get(f"{BASE}/tasks/?year=2027")) == set()
    assert client.get(f"{BASE}/tasks/?stage=nonsense").status_code == 400


def _count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    payload = response.json()
    rows = payload["results"] if isinstance(payload, dict) else payload
    return len(queries), len(rows)


def test_list_queries_do_not_grow_with_the_rows(topic, api, people, world):
    """The task, output, filing, transfer, cooperation and group lists at 1 and 20 rows."""
    client = api(people.researcher)
    urls = ["tasks/", "outputs/", "filings/", "transfers/", "cooperations/", "groups/"]
    product_group = world.ent_a.product_groups.first()

    def add(n: int) -> None:
        task = new_task(world, people, f"ĐT-Q-{n}")
        services.output_create(actor=people.researcher, task=task, data={"kind": "prototype", "title": f"Mẫu {n}"})
        services.filing_create(
            actor=people.researcher,
            data={
                "owner": world.institute,
                "task": task,
                "kind": "utility",
                "title": f"Giải pháp {n}",
                "filed_on": dt.date(2025, 1, 1),
            },
        )
        services.transfer_create(
            actor=people.researcher,
            data={
                "organization": world.institute,
                "direction": "inbound",
                "partner": f"Đối tác {n}",
                "technology": "Công nghệ",
            },
        )
        services.cooperation_create(
            actor=people.researcher,
            data={
                "organization": world.institute,
                "form": "mou",
                "partner": f"Trường {n}",
                "field": "Vật liệu",
                "start_on": dt.date(2025, 1, 1),
            },
        )
        services.group_create(
            actor=people.researcher,
            data={
                "organization": world.institute,
                "name": f"Nhóm {n}",
                "lead": "TS. Lê Minh",
                "field": "Điện tử",
                "tasks": [task, topic],
                "product_groups": [product_group] if product_group else [],
            },
        )

    add(0)
    people.researcher.forget_grants()
    one = {url: _count_queries(client, f"{BASE}/{url}") for url in urls}
    for n in range(1, 20):
        add(n)
    people.researcher.forget_grants()
    twenty = {url: _count_queries(client, f"{BASE}/{url}") for url in urls}
    for url in urls:
        assert one[url][0] == twenty[url][0], (url, one[url], twenty[url])
        assert twenty[url][1] == (21 if url == "tasks/" else 20)


# --- roadmap and reports ---------------------------------------------------------------------------------


def test_milestones_and_reports(topic, api, people):
    client = api(people.researcher)
    listed = client.get(f"{BASE}/tasks/{topic.pk}/milestones/").json()
    assert [m["number"] for m in listed] == [1, 2] and listed[0]["late"] is True  # due 30/06/2024, not done
    added = client.post(
        f"{BASE}/tasks/{topic.pk}/milestones/",
        {"content": "Thử nghiệm hiện trường", "expected_output": "Báo cáo thử nghiệm", "due_on": "2025-11-30"},
        format="json",
    )
    assert added.status_code == 201 and added.json()["number"] == 3
    mid = added.json()["id"]
    late = client.patch(f"{BASE}/milestones/{mid}/", {"due_on": "2026-03-01"}, format="json")
    assert late.status_code == 400 and "no later than the task's end" in late.json()["due_on"][0]
    assert client.patch(f"{BASE}/milestones/{mid}/", {"content": "Thử nghiệm"}, format="json").status_code == 200
    assert client.delete(f"{BASE}/milestones/{mid}/").status_code == 204
    # the department changes no roadmap of a host? It may (research.*); an outsider may not see it
    assert api(people.outsider).get(f"{BASE}/milestones/{listed[0]['id']}/").status_code == 404

    first = listed[0]["id"]
    early = client.post(f"{BASE}/milestones/{first}/reports/", {"percent": 30, "narrative": "Khảo sát"}, format="json")
    assert early.status_code == 400 and "while the task is in progress" in str(early.json())
    started(topic, people)
    report = client.post(
        f"{BASE}/milestones/{first}/reports/",
        {"reported_on": "2024-07-10", "percent": 100, "narrative": "Xong", "output_delivered": "Hồ sơ thiết kế"},
        format="json",
    )
    assert report.status_code == 201, report.json()
    assert report.json()["actor"] == people.researcher.pk
    milestone = client.get(f"{BASE}/milestones/{first}/").json()
    assert milestone["progress"] == 100 and milestone["done_on"] == "2024-07-10" and milestone["late"] is True
    assert [r["percent"] for r in client.get(f"{BASE}/milestones/{first}/reports/").json()] == [100]
    # the Department does not report for the host
    second = listed[1]["id"]
    assert (
        api(people.officer)
        .post(f"{BASE}/milestones/{second}/reports/", {"percent": 10, "narrative": "x"}, format="json")
        .status_code
        == 403
    )
    reported = Milestone.objects.get(pk=first)
    assert client.delete(f"{BASE}/milestones/{reported.pk}/").status_code == 400


# --- budget --------------------------------------------------------------------------------------------


def test_disbursements_are_recorded_by_the_managing_body(topic, api, people):
    url = f"{BASE}/tasks/{topic.pk}/budget/"
    body = {"source": "ministry", "year": 2024, "disbursed": "1.500.000.000"}
    assert api(people.officer).post(url, body, format="json").status_code == 400  # not a JSON number
    body["disbursed"] = "1500000000"
    before = database_state(STATE)
    assert api(people.researcher).post(url, body, format="json").status_code == 403
    too_much = api(people.officer).post(url, {**body, "disbursed": "2500000000"}, format="json")
    assert too_much.status_code == 400 and "disbursed" in too_much.json()
    none = api(people.officer).post(url, {**body, "year": 2025}, format="json")
    assert none.status_code == 400 and "source" in none.json()
    odd = api(people.officer).post(url, {**body, "source": "lottery"}, format="json")
    assert odd.status_code == 400 and "source" in odd.json()
    assert database_state(STATE) == before
    line = api(people.officer).post(url, body, format="json")
    assert line.status_code == 200 and line.json()["disbursed"] == "1500000000"
    totals = api(people.researcher).get(url).json()
    assert (totals["planned"], totals["disbursed"]) == ("3000000000", "1500000000")
    assert BudgetLine.objects.get(task=topic, source="ministry").disbursed == Decimal("1500000000")


# --- outputs, filings, transfers, cooperation, groups -----------------------------------------------------


def test_outputs_crud(topic, api, people, world):
    client = api(people.researcher)
    body = {"task": topic.pk, "kind": "prototype", "title": "Mẫu thiết bị giám sát tín hiệu", "in_production": False}
    created = client.post(f"{BASE}/outputs/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["task_code"] == topic.code
    assert ids(client.get(f"{BASE}/outputs/?kind=prototype")) == {pk}
    assert ids(client.get(f"{BASE}/outputs/?in_production=true")) == set()
    other = new_task(world, people, "ĐT-K")
    moved = client.patch(f"{BASE}/outputs/{pk}/", {"task": other.pk}, format="json")
    assert moved.status_code == 400 and moved.json()["task"] == ["An output stays with its task."]
    done = client.patch(f"{BASE}/outputs/{pk}/", {"in_production": True}, format="json")
    assert done.status_code == 200 and done.json()["in_production"] is True
    assert api(people.outsider).post(f"{BASE}/outputs/", body, format="json").status_code == 400
    assert api(people.outsider).delete(f"{BASE}/outputs/{pk}/").status_code == 404
    assert client.delete(f"{BASE}/outputs/{pk}/").status_code == 204


def test_filings_advance_and_the_security_control(api, people, world):
    client = api(people.researcher)
    body = {
        "owner": world.institute.pk,
        "kind": "invention",
        "title": "Phương pháp mã hoá thoại trên kênh vô tuyến",
        "inventors": "TS. Nguyễn Văn An",
        "filed_on": "2025-02-01",
        "application_number": "1-2025-01234",
    }
    created = client.post(f"{BASE}/filings/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == FilingStatus.FILED and created.json()["foreign"] is False
    url = f"{BASE}/filings/{pk}/advance/"
    granted = client.post(url, {"status": "granted", "on": "2025-03-01"}, format="json")
    assert granted.status_code == 400 and "cannot become" in granted.json()["status"][0]
    for status, on in (("formality", "2025-03-01"), ("published", "2025-06-01"), ("substantive", "2025-08-01")):
        assert client.post(url, {"status": status, "on": on}, format="json").status_code == 200
    no_number = client.post(url, {"status": "granted", "on": "2025-10-01"}, format="json")
    assert no_number.status_code == 400 and "grant_number" in no_number.json()
    final = client.post(url, {"status": "granted", "on": "2025-10-01", "grant_number": "1-0034567"}, format="json")
    assert final.status_code == 200 and final.json()["status"] == "granted"
    assert final.json()["grant_number"] == "1-0034567"
    assert client.post(url, {"status": "filed", "on": "2025-10-02"}, format="json").status_code == 400

    # abroad: refused until the control is recorded
    before = database_state(STATE)
    abroad = client.post(f"{BASE}/filings/", {**body, "country": "US", "application_number": "PCT/1"}, format="json")
    assert abroad.status_code == 400 and "security control" in abroad.json()["country"][0]
    assert database_state(STATE) == before
    controlled = {
        **body,
        "country": "US",
        "security_control_decision": "45/QĐ-BCA",
        "security_control_on": "2025-01-20",
    }
    ok = client.post(f"{BASE}/filings/", controlled, format="json")
    assert ok.status_code == 201 and ok.json()["foreign"] is True and ok.json()["control_recorded"] is True
    assert ids(client.get(f"{BASE}/filings/?foreign=true")) == {ok.json()["id"]}
    assert IPFiling.objects.count() == 2


def test_transfers_are_completed_only_once_approved(api, people, world):
    client = api(people.researcher)
    body = {
        "organization": world.institute.pk,
        "direction": "inbound",
        "partner": "Kestrel Sicherheitstechnik GmbH",
        "partner_country": "DE",
        "technology": "Công nghệ chế tạo tấm gốm chống đạn",
        "value": "12000000000",
        "contract_number": "HĐ-CGCN-01",
        "signed_on": "2025-01-15",
    }
    created = client.post(f"{BASE}/transfers/", body, format="json")
    assert created.status_code == 201 and created.json()["approval_required"] is True
    pk = created.json()["id"]
    early = client.patch(
        f"{BASE}/transfers/{pk}/", {"status": "completed", "completed_on": "2025-06-01"}, format="json"
    )
    assert early.status_code == 400 and "only once approved" in early.json()["status"][0]
    approved = client.patch(
        f"{BASE}/transfers/{pk}/",
        {
            "approval_decision": "88/QĐ-BCA",
            "approved_on": "2025-01-10",
            "status": "completed",
            "completed_on": "2025-06-01",
        },
        format="json",
    )
    assert approved.status_code == 200, approved.json()
    assert TechTransfer.objects.get(pk=pk).status == "completed"
    assert ids(client.get(f"{BASE}/transfers/?foreign=true&status=completed")) == {pk}


def test_cooperation_and_groups(topic, api, people, world, make_user):
    client = api(people.researcher)
    coop = client.post(
        f"{BASE}/cooperations/",
        {
            "organization": world.institute.pk,
            "form": "agreement",
            "partner": "Hanbit Security Systems",
            "country": "KR",
            "field": "Sinh trắc học",
            "start_on": "2025-01-01",
            "status": "active",
        },
        format="json",
    )
    assert coop.status_code == 400 and "only once approved" in coop.json()["status"][0]
    coop = client.post(
        f"{BASE}/cooperations/",
        {
            "organization": world.institute.pk,
            "form": "mou",
            "partner": "Trường Đại học Bách khoa Hà Nội",
            "field": "Vật liệu",
            "start_on": "2025-01-01",
        },
        format="json",
    )
    assert coop.status_code == 201 and coop.json()["international"] is False
    assert ids(client.get(f"{BASE}/cooperations/?international=false")) == {coop.json()["id"]}

    hidden = services.task_create(
        actor=people.outsider, data=task_data(world, code="ĐT-B-2", host=world.ent_b, budget_total=0)
    )
    body = {"organization": world.institute.pk, "name": "Nhóm mật mã", "lead": "TS. Lê Minh", "field": "Mật mã"}
    refused = client.post(f"{BASE}/groups/", {**body, "tasks": [hidden.pk]}, format="json")
    assert refused.status_code == 400 and "tasks" in refused.json()
    group = client.post(f"{BASE}/groups/", {**body, "tasks": [topic.pk]}, format="json")
    assert group.status_code == 201 and group.json()["tasks"] == [topic.pk]
    gid = group.json()["id"]
    # a reader who sees the group but not every task sees only the tasks they may see
    services.group_update(actor=people.officer, instance=topic.groups.get(), data={"tasks": [topic, hidden]})
    assert set(api(people.officer).get(f"{BASE}/groups/{gid}/").json()["tasks"]) == {topic.pk, hidden.pk}
    assert client.get(f"{BASE}/groups/{gid}/").json()["tasks"] == [topic.pk]
    assert [g["tasks"] for g in client.get(f"{BASE}/groups/").json()["results"]] == [[topic.pk]]
    assert client.delete(f"{BASE}/groups/{gid}/").status_code == 204
