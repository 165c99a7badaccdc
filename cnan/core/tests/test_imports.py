"""The import pipeline (core.imports): parsing, upload checks, templates, validation, pages and the job."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from openpyxl import Workbook, load_workbook

from cnan.core import imports
from cnan.core.imports import (
    BOOLEAN,
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    PERCENT,
    REFERENCE,
    TEXT,
    CellError,
    CellInvalid,
    Column,
    ImportRefused,
    ImportSpec,
)
from cnan.core.models import ImportBatch, Job, ObjectChange
from cnan.core.testing import changes_for, login
from cnan.organizations import services as org_services
from cnan.organizations.models import Facility, Organization

KEY = "test:things"
COLORS = (("red", "Đỏ"), ("blue", "Xanh lam"))


def _orgs(user, codes, params):
    return {o.code: o for o in Organization.objects.visible_to(user, "view").filter(code__in=codes)}


def _no_duplicates(user, rows, params):
    seen, clean, errors = set(), [], []
    for row in rows:
        if row["code"] in seen:
            errors.append(CellError(row.number, "code", "Repeated code.", row["code"]))
        else:
            seen.add(row["code"])
            clean.append(row)
    return clean, errors


COMMITTED: list[dict] = []


def _commit_row(user, row, params):
    """Creates a facility per row (audited), so that commits can be checked end to end."""
    COMMITTED.append(dict(row))
    org_services.facility_create(
        actor=user,
        data={"organization": row["owner"], "code": row["code"], "name": row["name"], "province": "ha-noi"},
    )


SPEC = ImportSpec(
    key=KEY,
    title=lambda: "Things",
    permissions=("organizations.add_facility",),
    columns=(
        Column("code", "Code", TEXT, required=True, max_length=10, example="T1"),
        Column("name", "Name", TEXT, required=True),
        Column("owner", "Owner code", REFERENCE, required=True, resolve=_orgs, example="ENT-A"),
        Column("count", "Count", INTEGER, min_value=0),
        Column("amount", "Amount (VND)", DECIMAL, decimal_places=2),
        Column("share", "Share (%)", PERCENT, max_value=100),
        Column("day", "Day", DATE),
        Column("active", "Active", BOOLEAN, default=False),
        Column("color", "Colour", CHOICE, choices=COLORS),
    ),
    validate_rows=_no_duplicates,
    commit_row=_commit_row,
)
EXCEL_DAY = dt.datetime(2025, 3, 15)  # noqa: DTZ001 - an Excel date cell carries no time zone
HEADER = ["Code", "Name", "Owner code", "Count", "Amount (VND)", "Share (%)", "Day", "Active", "Colour"]


@pytest.fixture(autouse=True)
def spec():
    imports.register(SPEC)
    COMMITTED.clear()
    with translation.override("en"):  # messages are asserted in English (pages choose their own language)
        yield SPEC
    imports._specs.pop(KEY, None)


def xlsx(rows, *, header=HEADER, edit=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    if edit:
        edit(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, *, header=HEADER, delimiter=",", bom=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def check(data: bytes, name: str = "things.xlsx", user=None) -> imports.Result:
    if user is None:
        from cnan.accounts.models import User

        user = User.objects.filter(memberships__role__code="department_officer", is_active=True).first()
    return imports.validate(SPEC, user, io.BytesIO(data), name, {})


def refused(data: bytes, name: str = "things.xlsx", user=None) -> str:
    with pytest.raises(ImportRefused) as info:
        check(data, name, user)
    return info.value.message


# --- parsing cell values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234.567,5", Decimal("1234567.5")),
        ("12,5", Decimal("12.5")),
        ("1 234 567", Decimal("1234567")),
        ("1\u00a0234\u00a0567,25", Decimal("1234567.25")),
        ("1234567.5", Decimal("1234567.5")),
        ("1,234,567.5", Decimal("1234567.5")),
        ("1.234", Decimal("1234")),
        ("12.5", Decimal("12.5")),
        ("-3,25", Decimal("-3.25")),
        ("1.000.000 đ", Decimal("1000000")),
        ("0,1", Decimal("0.1")),
        (12, Decimal("12")),
        (12.0, Decimal("12")),
        (0.1, Decimal("0.1")),
        (1234567.5, Decimal("1234567.5")),
    ],
)
def test_numbers_in_vietnamese_and_plain_notation_are_exact(raw, expected):
    value = imports.parse_decimal(raw)
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize("raw", ["abc", "1.23.4", "12,5,5", "1,2,3", "1..2", "12a", "--1", True, "1e5"])
def test_bad_numbers_are_refused(raw):
    with pytest.raises(CellInvalid):
        imports.parse_decimal(raw)


def test_integers_percentages_and_bounds():
    assert imports.parse_integer("1.234") == 1234
    assert imports.parse_integer(7.0) == 7
    with pytest.raises(CellInvalid, match="whole number"):
        imports.parse_integer("12,5")
    assert imports.parse_percent("12,5%") == Decimal("12.5")
    assert imports.parse_percent(0.125, "0.0%") == Decimal("12.5")
    assert imports.parse_percent(49.5, "General") == Decimal("49.5")
    with pytest.raises(CellInvalid, match="at least 0"):
        imports.parse_cell(SPEC.column("count"), "-1")
    with pytest.raises(CellInvalid, match="digits after"):
        imports.parse_cell(SPEC.column("amount"), "1,125")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15/03/2025", dt.date(2025, 3, 15)),
        ("5/3/2025", dt.date(2025, 3, 5)),
        ("15-03-2025", dt.date(2025, 3, 15)),
        ("15.03.2025", dt.date(2025, 3, 15)),
        ("2025-03-15", dt.date(2025, 3, 15)),
        ("2025-03-15 00:00:00", dt.date(2025, 3, 15)),
        (EXCEL_DAY, dt.date(2025, 3, 15)),
        (dt.date(2025, 3, 15), dt.date(2025, 3, 15)),
        (45731, dt.date(2025, 3, 15)),
    ],
)
def test_dates(raw, expected):
    assert imports.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2025", "2025/13/01", "15/03/25", "hôm qua", "15/03/1800", -5])
def test_bad_dates_are_refused(raw):
    with pytest.raises(CellInvalid):
        imports.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("có", True), ("Có", True), ("CO", True), ("x", True), ("yes", True), ("TRUE", True), ("1", True), (1, True)]
    + [("không", False), ("Khong", False), ("no", False), ("false", False), ("0", False), (0, False), (False, False)],
)
def test_booleans(raw, expected):
    assert imports.parse_boolean(raw) is expected


def test_bad_boolean_is_refused():
    with pytest.raises(CellInvalid):
        imports.parse_boolean("maybe")


def test_choices_accept_code_or_label_in_either_language_without_diacritics():
    column = SPEC.column("color")
    assert imports.parse_cell(column, "red") == "red"
    assert imports.parse_cell(column, "RED") == "red"
    assert imports.parse_cell(column, "Xanh lam") == "blue"
    assert imports.parse_cell(column, "xanh lam") == "blue"
    assert imports.parse_cell(column, "Do") == "red"
    with pytest.raises(CellInvalid, match="red, blue"):
        imports.parse_cell(column, "green")


# --- upload checks ---------------------------------------------------------------------------------


def test_merged_cells_are_refused(world, officer):
    data = xlsx([["T1", "Một", "ENT-A"]], edit=lambda ws: ws.merge_cells("A3:C3"))
    assert "A3:C3" in refused(data)


def test_formulas_are_refused_naming_the_cell(world, officer):
    data = xlsx([["T1", "Một", "ENT-A", 1], ["T2", "Hai", "ENT-A", "=D2+1"]])
    message = refused(data)
    assert "D3" in message
    assert "formula" in message


def test_oversized_upload_is_refused(world, officer, settings):
    settings.CNAN_IMPORT_MAX_BYTES = 1000
    data = csv_bytes([["T1", "x" * 2000, "ENT-A"]])
    assert "too large" in refused(data, "things.csv")


def test_a_text_file_named_xlsx_is_refused(world, officer):
    assert "not an Excel workbook" in refused(csv_bytes([["T1", "Một", "ENT-A"]]), "things.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused(world, officer):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a valid Excel workbook" in refused(buf.getvalue())


def test_other_extensions_and_old_excel_are_refused(world, officer):
    assert ".xlsx" in refused(b"whatever", "things.pdf")
    assert "old Excel" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "things.xlsx")


def test_empty_file_is_refused(world, officer):
    assert "empty" in refused(b"", "things.csv")
    assert "empty" in refused(xlsx([], header=[]))


def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", imports.XLSX_MAIN_TYPE.decode())
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buf.getvalue()


def test_zip_bomb_is_refused_before_parsing(world, officer, settings):
    data = _bomb(5 * 1024 * 1024)
    assert len(data) < 50_000
    assert "compressed suspiciously" in refused(data)
    settings.CNAN_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    assert "unpack to too much" in refused(data)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Code", "Name", "Colour", "Weight"], "unknown columns: “Weight”"),
        (["Code", "Colour"], "missing columns: “Name”, “Owner code”"),
        (["Code", "Name", "Owner code", "Code"], "repeated columns: “Code”"),
    ],
)
def test_header_that_does_not_match_the_template_is_refused(world, officer, header, expected):
    message = refused(xlsx([["T1"]], header=header))
    assert "does not match the template" in message
    assert expected in message


def test_header_matches_names_labels_in_either_language_and_marks(world, officer):
    header = ["code", "NAME", "Owner code *", "count"]
    result = check(xlsx([["T1", "Một", "ENT-A", "3"]], header=header))
    assert result.ok, result.errors
    assert result.rows[0]["count"] == 3


def test_csv_with_or_without_bom_and_semicolons(world, officer):
    row = ["T1", "Một", "ENT-A", "1.234", "1.234.567,5", "12,5", "15/03/2025", "có", "Đỏ"]
    for data in (csv_bytes([row]), csv_bytes([row], bom=False), csv_bytes([row], delimiter=";")):
        result = check(data, "things.csv")
        assert result.ok, result.errors
        values = result.rows[0]
        assert values["amount"] == Decimal("1234567.5")
        assert values["count"] == 1234
        assert values["day"] == dt.date(2025, 3, 15)
        assert values["active"] is True
        assert values["color"] == "red"
        assert values["owner"] == world.ent_a


def test_csv_not_in_utf8_is_refused(world, officer):
    data = b"Code,Name,Owner code\nT1,Caf\xe9,ENT-A\n"  # Latin-1
    assert "UTF-8" in refused(data, "things.csv")


# --- validation ------------------------------------------------------------------------------------


def test_excel_typed_cells_are_read_as_numbers_dates_and_booleans(world, officer):
    result = check(xlsx([["T1", "Một", "ENT-A", 5, 1234567.5, 49.5, EXCEL_DAY, True, "blue"]]))
    assert result.ok, result.errors
    row = result.rows[0]
    assert (row["count"], row["amount"], row["share"]) == (5, Decimal("1234567.5"), Decimal("49.5"))
    assert row["day"] == dt.date(2025, 3, 15)
    assert row["active"] is True


def test_every_row_is_checked_and_errors_name_row_column_and_value(world, officer):
    rows = [
        ["T1", "Một", "ENT-A", "abc"],  # row 2: count
        ["T2", "", "NOPE", "1", "1,2,3"],  # row 3: name missing, unknown owner, amount
        [None, None, None],  # empty rows are skipped
        ["T4", "Bốn", "ENT-A", None, None, "120", "31/02/2025", "maybe", "green"],  # row 5
        ["T9", "Chín", "ENT-A"],  # row 6: fine
        ["T9", "Lặp", "ENT-A"],  # row 7: repeated (validate_rows, over the rows without errors)
    ]
    with translation.override("en"):
        result = check(xlsx(rows))
    found = {(e["row"], e["column"], e["value"]) for e in result.errors}
    assert found == {
        (2, "Count", "abc"),
        (3, "Name", ""),
        (3, "Owner code", "NOPE"),
        (3, "Amount (VND)", "1,2,3"),
        (5, "Share (%)", "120"),
        (5, "Day", "31/02/2025"),
        (5, "Active", "maybe"),
        (5, "Colour", "green"),
        (7, "Code", "T9"),
    }
    assert result.row_count == 5
    assert result.error_count == 9
    assert result.rows == []
    assert not result.ok
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert messages[(3, "Name")] == "This value is required."
    assert messages[(3, "Owner code")] == "No record with this code, or you may not see it."


def test_errors_are_capped_but_all_counted(world, officer):
    data = xlsx([[f"T{i}", "x", "ENT-A", "bad"] for i in range(30)])
    result = imports.validate(SPEC, officer, io.BytesIO(data), "t.xlsx", {}, max_errors=10)
    assert result.error_count == 30
    assert len(result.errors) == 10


def test_references_the_user_may_not_see_are_unknown(world, officer, make_user):
    other = make_user("enterprise_officer", world.ent_b)
    result = check(xlsx([["T1", "Một", "ENT-A"], ["T2", "Hai", "ENT-B"]]), user=other)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "Owner code")]


def test_a_title_row_above_the_header_is_allowed(world, officer):
    def title(ws):
        ws.insert_rows(1)
        ws["A1"] = "DANH SÁCH"

    result = check(xlsx([["T1", "Một", "ENT-A"]], edit=title))
    assert result.ok
    assert result.rows[0].number == 3


def test_a_file_without_data_rows_is_refused(world, officer):
    assert "no data rows" in refused(xlsx([]))


def test_a_value_under_a_nameless_column_is_an_error(world, officer):
    result = check(xlsx([["T1", "Một", "ENT-A", None, None, None, None, None, None, "lost"]]))
    assert [(e["row"], e["value"]) for e in result.errors] == [(2, "lost")]


# --- the template ----------------------------------------------------------------------------------


def test_template_has_the_header_and_an_instructions_sheet_in_the_users_language(world, officer):
    with translation.override("en"):
        wb = load_workbook(io.BytesIO(imports.template_bytes(SPEC)))
    data, guide = wb.worksheets
    assert [c.value for c in data[1]] == HEADER
    assert data.max_row == 1
    assert data["A1"].font.bold
    assert guide.title == "Instructions"
    rows = {r[0]: r for r in guide.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["Code"][1] == "Yes"
    assert rows["Count"][1] == "No"
    assert "red — Đỏ" in rows["Colour"][3]
    assert rows["Code"][4] == "T1"


def test_template_filled_in_then_uploaded_round_trips(world, officer):
    with translation.override("en"):
        template = imports.template_bytes(SPEC)
    wb = load_workbook(io.BytesIO(template))
    wb.worksheets[0].append(["T1", "Một", "ENT-A", 3, "1.234.567,5", "12,5%", EXCEL_DAY, "x", "Xanh lam"])
    buf = io.BytesIO()
    wb.save(buf)
    with translation.override("vi"):  # a template downloaded in English, uploaded by a Vietnamese user
        result = check(buf.getvalue())
    assert result.ok, result.errors
    assert result.rows[0].number == 2
    assert result.rows[0]["color"] == "blue"
    assert result.rows[0]["share"] == Decimal("12.5")


def test_url_for_gives_the_import_page_only_to_who_may_use_it(world, officer, make_user):
    assert imports.url_for(officer, KEY) == reverse("core:import_start", kwargs={"key": KEY})
    assert imports.url_for(officer, KEY, product=5).endswith("?product=5")
    assert imports.url_for(make_user("auditor", world.bca), KEY) is None
    assert imports.url_for(officer, "nothing:here") is None


# --- pages and the job -----------------------------------------------------------------------------


def _client(user, language="en") -> Client:
    client = Client()
    client.cookies["cnan_language"] = language
    return login(client, user)


def _upload(client, data: bytes, name="things.xlsx"):
    return client.post(reverse("core:import_start", kwargs={"key": KEY}), {"file": SimpleUploadedFile(name, data)})


def test_upload_page_and_template_download(world, officer):
    client = _client(officer)
    page = client.get(reverse("core:import_start", kwargs={"key": KEY}))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    template = client.get(reverse("core:import_template", kwargs={"key": KEY}))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(template.content)).worksheets[0]["A1"].value == "Code"


def test_unknown_import_is_404_and_one_without_permission_403(world, officer, make_user):
    auditor = make_user("auditor", world.bca)
    assert _client(auditor).get(reverse("core:import_start", kwargs={"key": "nope:nothing"})).status_code == 404
    client = _client(auditor)
    before = Facility.objects.count()
    assert client.get(reverse("core:import_start", kwargs={"key": KEY})).status_code == 403
    assert client.get(reverse("core:import_template", kwargs={"key": KEY})).status_code == 403
    assert _upload(client, xlsx([["T1", "Một", "ENT-A"]])).status_code == 403
    assert ImportBatch.objects.count() == 0
    assert Facility.objects.count() == before


def test_refused_file_shows_the_reason_and_keeps_nothing(world, officer):
    response = _upload(_client(officer), b"not a workbook")
    assert response.status_code == 422
    assert "is not an Excel workbook" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_upload_with_errors_lists_them_and_writes_nothing(world, officer):
    before = (Facility.objects.count(), ObjectChange.objects.count())
    response = _upload(_client(officer), xlsx([["T1", "Một", "ENT-A", "abc"], ["T2", "Hai", "NOPE"]]))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportBatch.Status.INVALID
    assert (batch.row_count, batch.error_count) == (2, 2)
    page = _client(officer).get(batch.get_absolute_url()).content.decode()
    assert 'id="import-errors"' in page
    assert 'data-row="2"' in page and 'data-row="3"' in page
    assert 'id="commit-button"' not in page
    assert (Facility.objects.count(), ObjectChange.objects.count()) == before
    # and it cannot be committed
    response = _client(officer).post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    assert response.status_code == 302
    assert not Job.objects.exists()


def test_valid_upload_previews_then_commits_as_a_job(world, officer, django_capture_on_commit_callbacks):
    client = _client(officer)
    _upload(client, xlsx([["T1", "Một", "ENT-A", 1], ["T2", "Hai", "ENT-B", 2]]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'id="commit-button"' in page and "Import 2 rows" in page
    assert 'id="import-preview"' in page and "Một" in page
    assert not Facility.objects.filter(code__in=["T1", "T2"]).exists()
    changes = ObjectChange.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    job = Job.objects.get(kind="import")
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.progress) == (Job.Status.SUCCEEDED, 100)
    assert job.message == "2 rows imported."
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.job == job
    created = Facility.objects.filter(code__in=["T1", "T2"])
    assert created.count() == 2
    assert ObjectChange.objects.count() - changes == 2
    assert [[c.action for c in changes_for(f)] for f in created] == [["create"], ["create"]]
    # a second commit does nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    assert Job.objects.filter(kind="import").count() == 1


def test_commit_is_all_or_nothing_and_names_the_failing_row(
    world, officer, django_capture_on_commit_callbacks, monkeypatch
):
    rows = [[f"T{i}", f"Cơ sở {i}", "ENT-A"] for i in range(1, 6)]
    client = _client(officer)
    _upload(client, xlsx(rows))
    batch = ImportBatch.objects.get()
    real = org_services.facility_create

    def failing(*, actor, data):
        if data["code"] == "T4":
            raise ValidationError({"name": "Không hợp lệ (thử)."})
        return real(actor=actor, data=data)

    monkeypatch.setattr(org_services, "facility_create", failing)
    changes = ObjectChange.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    job = Job.objects.get(kind="import")
    batch.refresh_from_db()
    assert len(COMMITTED) == 4  # rows 2-4 were written, then row 5 (T4) failed …
    assert not Facility.objects.filter(code__startswith="T").exists()  # … and all of it was undone
    assert ObjectChange.objects.count() == changes
    assert job.status == Job.Status.FAILED
    assert "Row 5" in job.message and "Không hợp lệ (thử)." in job.message
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message == job.message
    assert batch.errors[0]["row"] == 5
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Row 5" in page


def test_commit_validates_again_and_fails_if_the_data_changed(world, officer, django_capture_on_commit_callbacks):
    client = _client(officer)
    _upload(client, xlsx([["T1", "Một", "ENT-A"], ["T2", "Hai", "ENT-A"]]))
    batch = ImportBatch.objects.get()
    org_services.facility_create(
        actor=None, data={"organization": world.ent_a, "code": "T2", "name": "Đã có", "province": "ha-noi"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.FAILED
    assert "Row 3" in job.message
    assert Facility.objects.filter(code="T1").count() == 0


def test_someone_elses_batch_is_404(world, officer, make_user):
    _upload(_client(officer), xlsx([["T1", "Một", "ENT-A"]]))
    batch = ImportBatch.objects.get()
    other = _client(make_user("department_officer", world.h08))
    assert other.get(batch.get_absolute_url()).status_code == 404
    assert other.post(reverse("core:import_commit", kwargs={"pk": batch.pk})).status_code == 404
    assert not Job.objects.exists()


def test_pages_work_in_vietnamese(world, officer):
    client = _client(officer, language="vi")
    page = client.get(reverse("core:import_start", kwargs={"key": KEY}))
    assert page.status_code == 200
    assert '<html lang="vi"' in page.content.decode()
    response = _upload(client, xlsx([["T1", "Một", "ENT-A", "abc"]]))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.language == "vi"
    assert client.get(batch.get_absolute_url()).status_code == 200
