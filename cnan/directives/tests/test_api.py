"""The directives API (/api/v1/directives/): committees, documents, tasks and sub-tasks, reports with
evidence and their review, adjustments, evidence download."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from cnan.core.models import ObjectChange
from cnan.core.testing import database_state
from cnan.directives.models import Evidence, ProgressReport, Status, Task
from cnan.organizations import services as org_services

BASE = "/api/v1/directives"


@pytest.fixture
def api(api_as):
    def make(user):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return make


@pytest.fixture
def people(world, make_user, officer):
    return {
        "h08": officer,
        "a": make_user("enterprise_officer", world.ent_a, clearance=1),
        "b": make_user("enterprise_officer", world.ent_b),
    }


@pytest.fixture
def workshop(world):
    return org_services.organization_create(
        actor=None, parent=world.ent_a, data={"code": "ENT-A-PX1", "name": "Phân xưởng 1", "kind": "group"}
    )


def ids(response) -> set[int]:
    payload = response.json()
    return {row["id"] for row in (payload["results"] if isinstance(payload, dict) else payload)}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "tasks/"),
        ("post", "tasks/"),
        ("get", "documents/"),
        ("get", "committees/"),
        ("post", "reports/1/accept/"),
    ],
)
def test_anonymous_is_refused(directive, api, method, path):
    before = database_state()
    response = getattr(api(None), method)(f"{BASE}/{path}", {}, format="json")
    assert response.status_code == 401
    assert database_state() == before


def test_task_list_holds_what_each_unit_may_see_with_the_derived_state(directive, api, people):
    d = directive
    assert ids(api(people["h08"]).get(f"{BASE}/tasks/")) == {d.t1.pk, d.t2.pk}
    assert ids(api(people["a"]).get(f"{BASE}/tasks/")) == {d.t1.pk}
    assert ids(api(people["b"]).get(f"{BASE}/tasks/")) == {d.t2.pk}
    row = api(people["a"]).get(f"{BASE}/tasks/{d.t1.pk}/").json()
    assert row["status"] == Status.OVERDUE  # deadline 30/06/2025, nothing reported
    assert row["effective_deadline"] == "2025-06-30" and row["progress"] == 0 and row["will_miss"] is False
    assert row["lead_code"] == "ENT-A" and row["assigned_by_code"] == "H08" and row["document_number"] == "03/CT-BCA"
    # cursor paging
    assert "next" in api(people["h08"]).get(f"{BASE}/tasks/?limit=1").json()


def test_invisible_task_answers_404(directive, api, people):
    assert api(people["b"]).get(f"{BASE}/tasks/{directive.t1.pk}/").status_code == 404
    assert api(people["b"]).post(f"{BASE}/tasks/{directive.t1.pk}/reports/", {}, format="json").status_code == 404


def test_task_filters_status_rag_and_slipping(directive, api, people):
    d = directive
    client = api(people["h08"])
    # the regular task never reported: a whole cycle has passed since it was assigned
    assert ids(client.get(f"{BASE}/tasks/?status=overdue")) == {d.t1.pk, d.t2.pk}
    assert ids(client.get(f"{BASE}/tasks/?status=not_started")) == set()
    assert ids(client.get(f"{BASE}/tasks/?rag=red&lead={d.world.ent_a.pk}")) == {d.t1.pk}
    assert ids(client.get(f"{BASE}/tasks/?regular=true")) == {d.t2.pk}
    assert ids(client.get(f"{BASE}/tasks/?slipping=true")) == set()
    assert client.get(f"{BASE}/tasks/?status=nonsense").status_code == 400


def test_task_create_and_sub_task_cascade(directive, api, people, world, workshop):
    d = directive
    # H08 assigns a task of its document
    body = {
        "document": d.doc.pk,
        "number": "3",
        "content": "Xây dựng kế hoạch",
        "lead": world.ent_a.pk,
        "coordinating": [world.ent_b.pk],
        "deadline": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
        "expected_product": "Kế hoạch được phê duyệt",
    }
    created = api(people["h08"]).post(f"{BASE}/tasks/", body, format="json")
    assert created.status_code == 201, created.json()
    task = created.json()
    assert task["status"] == Status.NOT_STARTED and task["coordinating"] == [world.ent_b.pk]
    # the lead unit cascades part of it to its workshop
    sub = {
        "parent": task["id"],
        "number": "3.1",
        "content": "Phần việc của phân xưởng",
        "lead": workshop.pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=100)).isoformat(),
        "expected_product": "Báo cáo",
    }
    response = api(people["a"]).post(f"{BASE}/tasks/", sub, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["document"] == d.doc.pk and response.json()["assigned_by"] == world.ent_a.pk
    # not under the parent's lead: 400 on the lead, nothing written
    before = database_state()
    outside = api(people["h08"]).post(f"{BASE}/tasks/", {**sub, "number": "3.2", "lead": world.ent_b.pk}, format="json")
    assert outside.status_code == 400 and "lead" in outside.json()
    assert database_state() == before
    # ENT-B may not assign tasks of H08's document (it does not see it)
    assert api(people["b"]).post(f"{BASE}/tasks/", {**body, "number": "4"}, format="json").status_code == 400


def test_service_validation_is_a_400_with_field_errors(directive, api, people, world):
    body = {
        "document": directive.doc.pk,
        "number": "9",
        "content": "Nhiệm vụ",
        "lead": world.ent_a.pk,
        "deadline": "2024-01-01",
        "expected_product": "Báo cáo",
    }
    before = database_state()
    response = api(people["h08"]).post(f"{BASE}/tasks/", body, format="json")
    assert response.status_code == 400
    assert "before the document was issued" in response.json()["deadline"][0]
    assert database_state() == before


def test_lead_unit_may_not_change_the_task_it_was_given(directive, api, people):
    before = database_state()
    response = api(people["a"]).patch(f"{BASE}/tasks/{directive.t1.pk}/", {"content": "Sửa"}, format="json")
    assert response.status_code == 403
    assert database_state() == before


def test_report_with_evidence_accepted_completes_the_task(directive, api, people):
    d = directive
    today = timezone.localdate()
    payload = {
        "reported_on": today.isoformat(),
        "percent": 100,
        "narrative": "Đã hoàn thành rà soát",
        "product_delivered": "Báo cáo rà soát số 12/BC",
        "files": [SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
    }
    response = api(people["a"]).post(f"{BASE}/tasks/{d.t1.pk}/reports/", payload, format="multipart")
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["state"] == "submitted" and [e["name"] for e in report["evidence"]] == ["bao-cao.pdf"]
    evidence = Evidence.objects.get()
    # the evidence is downloaded through the visibility rule
    download = api(people["a"]).get(report["evidence"][0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert api(people["b"]).get(f"{BASE}/evidence/{evidence.pk}/download/").status_code == 404
    # the lead unit does not review its own report
    refused = api(people["a"]).post(f"{BASE}/reports/{report['id']}/accept/", {}, format="json")
    assert refused.status_code == 403
    assert "Only the unit that assigned the task" in str(refused.json())
    accepted = api(people["h08"]).post(f"{BASE}/reports/{report['id']}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    task = api(people["h08"]).get(f"{BASE}/tasks/{d.t1.pk}/").json()
    assert task["status"] == Status.DONE_LATE and task["progress"] == 100
    assert api(people["a"]).get(f"{BASE}/reports/{report['id']}/").json()["events"][0]["transition"] == "accept"


def test_report_refused_file_type_and_return_needs_a_comment(directive, api, people):
    d = directive
    bad = {"percent": 20, "narrative": "x", "files": [SimpleUploadedFile("virus.exe", b"MZ")]}
    before = database_state()
    response = api(people["a"]).post(f"{BASE}/tasks/{d.t1.pk}/reports/", bad, format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    assert database_state() == before
    ok = api(people["a"]).post(
        f"{BASE}/tasks/{d.t1.pk}/reports/", {"percent": 20, "narrative": "x"}, format="multipart"
    )
    assert ok.status_code == 201
    pk = ok.json()["id"]
    no_comment = api(people["h08"]).post(f"{BASE}/reports/{pk}/return/", {}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    returned = api(people["h08"]).post(f"{BASE}/reports/{pk}/return/", {"comment": "Thiếu số liệu"}, format="json")
    assert returned.status_code == 200 and returned.json()["review_comment"] == "Thiếu số liệu"
    assert ProgressReport.objects.get(pk=pk).state == "returned"


def test_adjustments_pause_and_extend(directive, api, people):
    d = directive
    url = f"{BASE}/tasks/{d.t1.pk}/adjustments/"
    body = {"kind": "pause", "decision_number": "15/QĐ-H08", "decided_on": "2025-05-01", "reason": "Chờ kinh phí"}
    # the lead unit does not decide on its own task
    assert api(people["a"]).post(url, body, format="json").status_code == 403
    assert api(people["h08"]).post(url, body, format="json").status_code == 201
    assert Task.objects.get(pk=d.t1.pk).status == Status.PAUSED
    again = api(people["h08"]).post(url, body, format="json")
    assert again.status_code == 400 and "kind" in again.json()
    resume = {**body, "kind": "resume", "decided_on": "2025-06-01"}
    assert api(people["h08"]).post(url, resume, format="json").status_code == 201
    later = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    extend = {**body, "kind": "extend", "new_deadline": later, "decided_on": "2025-06-02"}
    assert api(people["h08"]).post(url, extend, format="json").status_code == 201
    row = api(people["a"]).get(f"{BASE}/tasks/{d.t1.pk}/").json()
    assert row["status"] == Status.NOT_STARTED and row["effective_deadline"] == later
    assert [a["kind"] for a in api(people["a"]).get(url).json()] == ["pause", "resume", "extend"]


def test_documents_and_committees(directive, api, people, world):
    client = api(people["h08"])
    committee = client.post(
        f"{BASE}/committees/",
        {"organization": world.h08.pk, "code": "BCĐ 158", "name": "Ban Chỉ đạo 158", "members": [world.ent_a.pk]},
        format="json",
    )
    assert committee.status_code == 201, committee.json()
    cid = committee.json()["id"]
    meeting = client.post(
        f"{BASE}/committees/{cid}/meetings/", {"held_on": "2026-01-16", "title": "Hội nghị tổng kết"}, format="json"
    )
    assert meeting.status_code == 201
    assert [m["title"] for m in client.get(f"{BASE}/committees/{cid}/meetings/").json()] == ["Hội nghị tổng kết"]
    plan = client.post(
        f"{BASE}/documents/",
        {
            "organization": world.h08.pk,
            "kind": "plan",
            "number": "27/KH-H08",
            "issuer": "Cục trưởng",
            "issued_on": "2025-02-01",
            "title": "Kế hoạch thực hiện Chỉ thị 03",
            "committee": cid,
            "meeting": meeting.json()["id"],
            "implements": [directive.doc.pk],
        },
        format="json",
    )
    assert plan.status_code == 201, plan.json()
    assert plan.json()["implements"] == [directive.doc.pk]
    assert ids(client.get(f"{BASE}/documents/?kind=plan")) == {plan.json()["id"]}
    assert ids(client.get(f"{BASE}/documents/?q=chi thi 03")) == {plan.json()["id"]}
    # an enterprise officer sees none of H08's documents, and may not name one
    assert ids(api(people["a"]).get(f"{BASE}/documents/")) == set()
    changes = ObjectChange.objects.count()
    assert api(people["a"]).get(f"{BASE}/documents/{directive.doc.pk}/").status_code == 404
    assert ObjectChange.objects.count() == changes

    # the meeting is changed in place, and may not be deleted while the plan came from it
    mid = meeting.json()["id"]
    patched = client.patch(f"{BASE}/meetings/{mid}/", {"conclusion": "Giao H08 chủ trì"}, format="json")
    assert patched.status_code == 200 and patched.json()["conclusion"] == "Giao H08 chủ trì"
    before = database_state()
    refused = client.delete(f"{BASE}/meetings/{mid}/")
    assert refused.status_code == 400
    assert "came from this meeting" in str(refused.json())
    assert database_state() == before
    assert api(people["a"]).patch(f"{BASE}/meetings/{mid}/", {"title": "x"}, format="json").status_code == 403
    assert client.patch(f"{BASE}/documents/{plan.json()['id']}/", {"meeting": None}, format="json").status_code == 200
    assert client.delete(f"{BASE}/meetings/{mid}/").status_code == 204
