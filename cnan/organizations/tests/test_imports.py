"""Importing production facilities through the core pipeline: template, checks, pages, the job, the audit."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from openpyxl import load_workbook

from cnan.core import imports
from cnan.core.models import ImportBatch, Job, ObjectChange
from cnan.core.testing import changes_for, database_state, import_xlsx, login
from cnan.organizations import services
from cnan.organizations.imports import FACILITIES
from cnan.organizations.models import Facility

START = reverse("core:import_start", kwargs={"key": FACILITIES})
TEMPLATE = reverse("core:import_template", kwargs={"key": FACILITIES})


def row(code: str, **values) -> dict:
    return {"code": code, "name": f"Cơ sở {code}", "organization": "ENT-A", "province": "Hà Nội", **values}


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.cookies["cnan_language"] = language
    return login(client, user)


def _upload(client: Client, data: bytes, name: str = "co-so.xlsx"):
    return client.post(START, {"file": SimpleUploadedFile(name, data)})


def _commit(client: Client, batch: ImportBatch, capture) -> Job:
    with capture(execute=True):
        response = client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    job = Job.objects.get(kind="import")
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    batch.refresh_from_db()
    return job


def test_the_spec_is_registered_with_the_add_permission():
    spec = imports.get(FACILITIES)
    assert spec.permissions == ("organizations.add_facility",)
    assert [c.name for c in spec.columns if c.required] == ["code", "name", "organization", "province"]


def test_facility_list_shows_the_import_button_to_who_may_import(world, officer, make_user):
    page = _client(officer).get(reverse("organizations:facility_list")).content.decode()
    assert f'href="{START}" id="import-button"' in page
    viewer = make_user("ministry_leader", world.bca)
    page = _client(viewer).get(reverse("organizations:facility_list")).content.decode()
    assert 'id="import-button"' not in page


def test_template_downloaded_filled_in_and_uploaded_imports_the_facilities(
    world, officer, django_capture_on_commit_callbacks
):
    client = _client(officer)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="co-so-san-xuat-')
    wb = load_workbook(io.BytesIO(response.content))
    data, guide = wb.worksheets
    header = [c.value for c in data[1]]
    assert header[:4] == ["Facility code", "Facility name", "Owner code", "Facility kind"]
    assert guide.title == "Instructions"
    data.append(["X1", "Xưởng một", "ENT-A", "Core facility", "Hà Nội", "", "7/QĐ-BCA", "15/03/2025", "", "P1"])
    data.append(["X2", "Xưởng hai", "ENT-A", "", "ha noi", "Hoài Đức", "", "", "", "", "", "", "01/07/2025"])
    buf = io.BytesIO()
    wb.save(buf)
    changes = ObjectChange.objects.count()

    # a Vietnamese user uploads the template downloaded in English
    response = _upload(_client(officer, "vi"), buf.getvalue())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert batch.row_count == 2
    assert not Facility.objects.filter(code__in=["X1", "X2"]).exists()

    job = _commit(client, batch, django_capture_on_commit_callbacks)
    assert (job.status, job.progress) == (Job.Status.SUCCEEDED, 100), job.message
    assert batch.status == ImportBatch.Status.COMMITTED
    job_page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="{batch.get_absolute_url()}" id="job-import-batch"' in job_page
    # The batch's message is kept in the language of the upload (Vietnamese here, the portal's default).
    assert batch.message in client.get(batch.get_absolute_url()).content.decode()
    assert "2" in batch.message
    x1, x2 = Facility.objects.get(code="X1"), Facility.objects.get(code="X2")
    assert (x1.kind, x1.decision_date, x1.park, x1.organization) == (
        "core",
        dt.date(2025, 3, 15),
        world.park,
        world.ent_a,
    )
    assert (x2.kind, x2.province, x2.address, x2.recognised_on) == ("other", "ha-noi", "Hoài Đức", dt.date(2025, 7, 1))
    assert x2.search_text  # written by the audited service
    # one change record per created facility, by the importer, from the task
    assert ObjectChange.objects.count() - changes == 2
    for facility in (x1, x2):
        (change,) = changes_for(facility)
        assert (change.action, change.actor, change.source) == ("create", officer, "task")


def test_errors_by_row_and_column_and_nothing_is_written(world, ent_a_officer):
    rows = [
        row("FA"),  # row 2: the code is taken
        row("N1", organization="ENT-B"),  # row 3: not visible to ENT-A's officer
        row("N2", kind="core"),  # row 4: a core facility needs its decision
        row("N3", decision_date="32/01/2025", province="Atlantis"),  # row 5: bad date, unknown province
        row("N4"),  # row 6: fine
        row("N4"),  # row 7: repeated in the file
    ]
    client = _client(ent_a_officer)
    before = database_state()
    response = _upload(client, import_xlsx(FACILITIES, rows))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.INVALID
    assert sorted((e["row"], e["column"]) for e in batch.errors) == [
        (2, "Facility code"),
        (3, "Owner code"),
        (4, "Decision number"),
        (5, "Decision date"),
        (5, "Province"),
        (7, "Facility code"),
    ]
    messages = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert messages[(2, "Facility code")] == "Another facility already has this code."
    assert messages[(7, "Facility code")] == "This code is already used in row 6."
    assert messages[(3, "Owner code")] == "No record with this code, or you may not see it."
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "The file has 6 errors in 6 rows." in page
    assert "Another facility already has this code." in page
    after = database_state()
    after.pop("core.ImportBatch")
    before.pop("core.ImportBatch")
    assert after == before  # no facility, no change record, nothing else


def test_an_owner_the_user_sees_but_may_not_add_to_is_refused(world, make_user):
    from cnan.accounts import services as account_services
    from cnan.accounts.models import Role

    user = make_user("enterprise_officer", world.ent_a)  # adds facilities to ENT-A only …
    account_services.membership_create(  # … and, as a ministry leader, sees every organisation
        actor=None,
        data={
            "user": user,
            "organization": world.bca,
            "role": Role.objects.get(code="ministry_leader"),
            "valid_from": dt.date(2020, 1, 1),
        },
    )
    user.forget_grants()
    data = import_xlsx(FACILITIES, [row("Z1"), row("Z2", organization="ENT-B")])
    result = imports.validate(imports.get(FACILITIES), user, io.BytesIO(data), "f.xlsx", {})
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "Owner code", "You may not add facilities to Công ty Điện tử Sông Hàn (ENT-B).")
    ]


def test_commit_is_all_or_nothing_naming_the_failing_row(
    world, officer, monkeypatch, django_capture_on_commit_callbacks
):
    client = _client(officer)
    _upload(client, import_xlsx(FACILITIES, [row(f"B{i}") for i in range(1, 31)]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY
    real = services.facility_create
    calls = []

    def late_failure(*, actor, data):
        calls.append(data["code"])
        if data["code"] == "B28":
            raise ValidationError({"capacity": "Công suất không hợp lệ (thử)."})
        return real(actor=actor, data=data)

    monkeypatch.setattr(services, "facility_create", late_failure)
    changes = ObjectChange.objects.count()
    job = _commit(client, batch, django_capture_on_commit_callbacks)
    assert len(calls) == 28  # 27 facilities were created before row 29 failed …
    assert not Facility.objects.filter(code__startswith="B").exists()  # … and none of them is left
    assert ObjectChange.objects.count() == changes
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Row 29: Capacity: Công suất không hợp lệ (thử).")
    assert "Nothing was imported." in job.message
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors[0]["row"] == 29


def test_a_permission_refusal_inside_the_service_rolls_back_too(
    world, officer, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    client = _client(officer)
    _upload(client, import_xlsx(FACILITIES, [row("C1"), row("C2")]))
    batch = ImportBatch.objects.get()
    real = services.facility_create

    def refuse_second(*, actor, data):
        if data["code"] == "C2":
            raise PermissionDenied("Không được phép (thử).")
        return real(actor=actor, data=data)

    monkeypatch.setattr(services, "facility_create", refuse_second)
    job = _commit(client, batch, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Row 3: Không được phép (thử).")
    assert not Facility.objects.filter(code__in=["C1", "C2"]).exists()


def test_progress_is_reported_while_committing(world, officer, monkeypatch, django_capture_on_commit_callbacks):
    from cnan.core import services as core_services

    seen = []
    real = core_services.job_progress

    def spy(**kwargs):
        seen.append(kwargs["progress"])
        return real(**kwargs)

    monkeypatch.setattr(core_services, "job_progress", spy)
    client = _client(officer)
    _upload(client, import_xlsx(FACILITIES, [row(f"P{i:03}") for i in range(100)]))
    job = _commit(client, ImportBatch.objects.get(), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert len(seen) == 50
    assert seen == sorted(seen)
    assert 0 < seen[0] < seen[-1] <= 99
    assert Facility.objects.filter(code__startswith="P").count() == 100


def test_without_the_permission_the_pages_refuse_and_nothing_is_written(world, make_user, officer):
    member = make_user("auditor", world.bca)
    client = _client(member)
    before = database_state()
    assert client.get(START).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert _upload(client, import_xlsx(FACILITIES, [row("D1")])).status_code == 403
    assert database_state() == before
    # nor may they open or commit someone else's batch
    _upload(_client(officer), import_xlsx(FACILITIES, [row("D1")]))
    batch = ImportBatch.objects.get()
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code == 404
    assert not Facility.objects.filter(code="D1").exists()
    assert not Job.objects.exists()


def test_the_import_pages_speak_the_users_language(world, officer):
    page = _client(officer, "en").get(START).content.decode()
    assert "Download the template (XLSX)" in page
    assert "Facility code" in page
    with translation.override("vi"):
        vi_page = _client(officer, "vi").get(START)
    assert vi_page.status_code == 200
    assert '<html lang="vi"' in vi_page.content.decode()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "co-so.csv", "The submitted file is empty."),
        (b"code,name\nA,B\n", "co-so.xlsx", "is named .xlsx but is not an Excel workbook"),
        ("Mã,Tên\nA,B\n".encode(), "co-so.csv", "does not match the template"),
    ],
)
def test_a_refused_file_is_explained_on_the_form(world, officer, data, name, message):
    response = _upload(_client(officer), data, name)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
