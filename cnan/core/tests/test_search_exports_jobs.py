"""Global search (diacritics, every word, visibility), list exports, and export jobs with their pages."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from cnan.common.text import fold, fold_join
from cnan.core import search, services
from cnan.core.models import Job, Notification
from cnan.core.tasks import export_list
from cnan.core.testing import login
from cnan.organizations import services as org_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FACILITIES = reverse("organizations:facility_list")


def _client(user) -> Client:
    client = Client()
    client.cookies["cnan_language"] = "en"
    return login(client, user)


def _found(user, query: str, **kwargs) -> dict[str, list[str]]:
    return {r.target.key: [str(o) for o in r.objects] for r in search.search(user=user, query=query, **kwargs)}


# --- text folding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cục Công nghiệp an ninh", "cuc cong nghiep an ninh"),
        ("Điện tử", "dien tu"),
        ("ĐƯỜNG  Láng\tHà Nội ", "duong lang ha noi"),
        ("Nguyễn Thị Hồng Nhung", "nguyen thi hong nhung"),
        (None, ""),
        (12, "12"),
    ],
)
def test_fold_strips_diacritics_case_and_spacing(text, folded):
    assert fold(text) == folded


def test_fold_join_skips_empty_values():
    assert fold_join("Xưởng", "", None, "Đà Nẵng") == "xuong da nang"


# --- global search ----------------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_accented_name(world, officer):
    assert _found(officer, "cong nghiep an ninh")["organizations.organization"] == ["Cục Công nghiệp an ninh (H08)"]


def test_search_handles_the_letter_d_with_stroke(world, officer):
    assert _found(officer, "dien tu")["organizations.organization"] == ["Công ty Điện tử Sông Hàn (ENT-B)"]
    assert _found(officer, "ĐIỆN TỬ")["organizations.organization"] == ["Công ty Điện tử Sông Hàn (ENT-B)"]
    assert _found(officer, "nha may dien tu")["organizations.facility"] == ["Nhà máy điện tử"]


def test_search_needs_every_word_in_any_order(world, officer):
    assert _found(officer, "song han dien tu")["organizations.organization"] == ["Công ty Điện tử Sông Hàn (ENT-B)"]
    assert "organizations.organization" not in _found(officer, "dien tu thang long")
    assert sorted(_found(officer, "cong ty")["organizations.organization"]) == [
        "Công ty Cơ khí An ninh Thăng Long (ENT-A)",
        "Công ty Điện tử Sông Hàn (ENT-B)",
    ]


def test_search_matches_codes_tax_codes_and_provinces(world, officer):
    assert _found(officer, "0100109106")["organizations.organization"] == ["Công ty Cơ khí An ninh Thăng Long (ENT-A)"]
    assert _found(officer, "12/qđ-bca")["organizations.facility"] == ["Xưởng cơ khí"]
    assert "Công ty Điện tử Sông Hàn (ENT-B)" in _found(officer, "da nang")["organizations.organization"]


def test_search_applies_the_visibility_rule(world, ent_a_officer, make_user):
    assert _found(ent_a_officer, "dien tu") == {}
    assert _found(ent_a_officer, "cong ty")["organizations.organization"] == [
        "Công ty Cơ khí An ninh Thăng Long (ENT-A)"
    ]
    assert _found(make_user(None), "cong ty") == {}


def test_search_applies_clearance(world, isolated_profile, make_user):
    org_services.facility_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "F-K",
            "name": "Xưởng kín",
            "kind": "other",
            "province": "ha-noi",
            "classification": 1,
            "classification_basis": "Mục 4 (thử)",
        },
    )
    assert _found(make_user("department_officer", world.h08, clearance=0), "xuong") == {
        "organizations.facility": ["Xưởng cơ khí"]
    }
    assert sorted(
        _found(make_user("department_officer", world.h08, clearance=1), "xuong")["organizations.facility"]
    ) == ["Xưởng cơ khí", "Xưởng kín"]


def test_search_finds_users_only_for_those_who_may_list_them(world, make_user):
    make_user("lab_officer", world.ent_a, username="nguyen.van.a")
    assert _found(make_user("auditor", world.bca), "nguyen.van")["accounts.user"] == ["Người dùng 1"]
    assert "accounts.user" not in _found(make_user("department_officer", world.h08), "nguyen.van")


def test_search_follows_a_rename(world, officer):
    org_services.facility_update(actor=officer, instance=world.facility_b, data={"name": "Xưởng quang học"})
    assert _found(officer, "quang hoc")["organizations.facility"] == ["Xưởng quang học"]
    assert "organizations.facility" not in _found(officer, "nha may")


def test_search_of_less_than_two_letters_returns_nothing(world, officer):
    assert search.search(user=officer, query="c") == []
    assert search.search(user=officer, query="   ") == []


def test_search_reports_the_total_beyond_the_limit(world, officer):
    for i in range(3):
        org_services.facility_create(
            actor=None,
            data={
                "organization": world.ent_b,
                "code": f"F-X{i}",
                "name": f"Xưởng phụ {i}",
                "kind": "other",
                "province": "da-nang",
            },
        )
    (result,) = search.search(user=officer, query="xuong", limit=2, only="organizations.facility")
    assert len(result.objects) == 2
    assert result.total == 4


def test_search_page_lists_hits_and_says_when_nothing_matches(world, officer):
    client = _client(officer)
    page = client.get(reverse("core:search"), {"q": "cong nghiep an ninh"}).content.decode()
    assert re.findall(r'<a href="([^"]+)" class="search-hit">', page) == [world.h08.get_absolute_url()]
    empty = client.get(reverse("core:search"), {"q": "khong co gi"})
    assert 'id="no-results"' in empty.content.decode()
    short = client.get(reverse("core:search"), {"q": "c"})
    assert "Type at least two characters." in short.content.decode()


def test_search_page_limits_to_one_kind_with_type(world, officer):
    page = _client(officer).get(reverse("core:search"), {"q": "xuong", "type": "organizations.facility"})
    hits = re.findall(r'<a href="([^"]+)" class="search-hit">', page.content.decode())
    assert hits == [world.facility_a.get_absolute_url()]


def test_search_page_show_all_link_opens_every_hit_of_that_kind(world, officer):
    for i in range(11):
        org_services.facility_create(
            actor=None,
            data={"organization": world.ent_b, "code": f"F-Y{i:02}", "name": f"Xưởng lắp ráp {i}",
                  "kind": "other", "province": "da-nang"},
        )  # fmt: skip
    client = _client(officer)
    page = client.get(reverse("core:search"), {"q": "xuong lap rap"}).content.decode()
    assert len(re.findall(r'class="search-hit"', page)) == 10
    href = re.search(r'<a href="([^"]+)">[^<]*</a></span>', page).group(1).replace("&amp;", "&")
    assert href.startswith("?") and not href.startswith("??")
    every = client.get(reverse("core:search") + href).content.decode()
    assert len(re.findall(r'class="search-hit"', every)) == 11


# --- exports below the limit: answered at once ------------------------------------------------------


def test_csv_export_has_a_bom_headers_and_the_visible_filtered_rows(world, officer):
    response = _client(officer).get(FACILITIES, {"export": "csv", "kind": "core"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="organizations-facility-\d{8}-\d{4}\.csv"', response["Content-Disposition"]
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Name", "Kind"]
    assert [r[0] for r in rows[1:]] == ["FA"]
    assert rows[1][1] == "Xưởng cơ khí"


def test_xlsx_export_is_a_workbook_with_typed_cells(world, officer):
    response = _client(officer).get(FACILITIES, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Code", "Name")
    assert [r[0] for r in rows[1:]] == ["FA", "FB"]


def test_export_follows_the_sort_of_the_page(world, officer):
    response = _client(officer).get(FACILITIES, {"export": "csv", "sort": "-code"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["FB", "FA"]


def test_export_without_sort_follows_the_default_order_of_the_page(world, officer):
    client = _client(officer)
    page = client.get(reverse("organizations:organization_list")).content.decode()
    shown = re.findall(r'<td ><a href="/organizations/(?:units|enterprises)/\d+/">([A-Z0-9-]+)</a>', page)
    response = client.get(reverse("organizations:organization_list"), {"export": "csv"})
    exported = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
    assert exported == shown == ["BCA", "DT", "DT-X", "ENT-A", "ENT-B", "H08", "VKHCN"]


def test_export_of_another_organisation_holds_only_its_records(world, make_user):
    other = make_user("enterprise_officer", world.ent_b)
    response = _client(other).get(FACILITIES, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["FB"]


def test_unknown_export_format_is_refused(world, officer):
    response = _client(officer).get(FACILITIES, {"export": "pdf"})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_export_with_invalid_filters_is_refused(world, officer):
    response = _client(officer).get(FACILITIES, {"export": "csv", "kind": "nosuch"})
    assert response.status_code == 400


# --- exports above the limit: a job ------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.CNAN_EXPORT_SYNC_LIMIT = 1
    return settings


def _export(client, django_capture_on_commit_callbacks, *, execute=True, **query):
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        response = client.get(FACILITIES, {"export": "xlsx", **query})
    return response, callbacks


def test_export_above_the_limit_runs_as_a_job_and_redirects_to_its_page(
    world, officer, small_limit, django_capture_on_commit_callbacks
):
    response, callbacks = _export(_client(officer), django_capture_on_commit_callbacks, kind="")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert len(callbacks) == 1
    assert (job.owner, job.kind, job.title) == (officer, "export", "Export of Production facilities (2 rows, XLSX)")
    assert job.params == {"list": "organizations:facility", "query": "kind=", "format": "xlsx", "language": "en"}


def test_finished_job_has_a_valid_file_a_page_and_a_notification(
    world, officer, small_limit, django_capture_on_commit_callbacks
):
    client = _client(officer)
    _export(client, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert (job.status, job.progress, job.message) == (Job.Status.SUCCEEDED, 100, "2 rows exported.")
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert re.fullmatch(r"organizations-facility-\d{8}-\d{4}\.xlsx", job.result_name)

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="succeeded"' in page
    assert 'aria-valuenow="100"' in page
    assert 'id="job-download"' in page

    download = client.get(reverse("core:job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{job.result_name}"'
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["Code", "FA", "FB"]

    notification = Notification.objects.get(recipient=officer)
    assert (notification.title, notification.level, notification.url, notification.body) == (
        "Your export is ready",
        "success",
        job.get_absolute_url(),
        job.title,
    )


def test_job_file_holds_only_what_its_owner_may_see_with_the_filters(
    world, make_user, small_limit, django_capture_on_commit_callbacks
):
    for i in range(2):
        org_services.facility_create(
            actor=None,
            data={
                "organization": world.ent_b,
                "code": f"FB-{i}",
                "name": f"Phân xưởng {i}",
                "kind": "other",
                "province": "da-nang",
            },
        )
    other = make_user("enterprise_officer", world.ent_b)
    client = _client(other)
    _export(client, django_capture_on_commit_callbacks, q="phan xuong", sort="-code")
    job = Job.objects.get()
    download = client.get(reverse("core:job_download", kwargs={"pk": job.pk}))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["FB-1", "FB-0"]


def test_job_and_its_file_are_the_owners_only(
    world, officer, make_user, small_limit, django_capture_on_commit_callbacks
):
    _export(_client(officer), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    stranger = _client(make_user("department_officer", world.h08))
    assert stranger.get(job.get_absolute_url()).status_code == 404
    assert stranger.get(reverse("core:job_download", kwargs={"pk": job.pk})).status_code == 404
    assert job.title not in stranger.get(reverse("core:job_list")).content.decode()


def test_queued_job_page_keeps_polling_and_has_no_download(
    world, officer, small_limit, django_capture_on_commit_callbacks
):
    client = _client(officer)
    _export(client, django_capture_on_commit_callbacks, execute=False)
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="job-status")
    assert fragment.status_code == 200
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert client.get(reverse("core:job_download", kwargs={"pk": job.pk})).status_code == 404


def test_job_page_shows_progress(world, officer):
    job = services.job_create(owner=officer, kind="export", title="Xuất thử", params={})
    services.job_start(job=job)
    services.job_progress(job=job, progress=40, message="8 of 20 rows")
    page = _client(officer).get(job.get_absolute_url()).content.decode()
    assert 'data-status="running"' in page
    assert 'aria-valuenow="40"' in page
    assert "8 of 20 rows" in page


@pytest.mark.parametrize(("given", "stored"), [(-5, 0), (140, 100), (55.9, 55)])
def test_job_progress_is_kept_between_0_and_100(world, officer, given, stored):
    job = services.job_create(owner=officer, kind="export", title="Xuất thử", params={})
    services.job_progress(job=job, progress=given)
    job.refresh_from_db()
    assert job.progress == stored


def test_htmx_status_fragment_answers_286_once_finished(
    world, officer, small_limit, django_capture_on_commit_callbacks
):
    client = _client(officer)
    _export(client, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="job-status")
    assert fragment.status_code == 286
    html = fragment.content.decode()
    assert 'id="job-status"' in html and "hx-trigger" not in html and "<html" not in html


def test_failing_export_marks_the_job_failed_with_a_message(
    world, officer, small_limit, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("cnan.core.exports.table_rows", broken)
    client = _client(officer)
    _export(client, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message == ("The export failed (RuntimeError). The administrators can find the details in the log.")
    assert job.finished_at is not None and not job.result_file
    notification = Notification.objects.get(recipient=officer)
    assert (notification.title, notification.level) == ("Your export failed", "danger")
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="failed"' in page and "RuntimeError" in page
    assert client.get(reverse("core:job_download", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="job-status").status_code == 286


def test_running_a_finished_job_again_does_nothing(world, officer, small_limit, django_capture_on_commit_callbacks):
    _export(_client(officer), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    export_list.enqueue(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert Notification.objects.filter(recipient=officer).count() == 1
