"""Importing products and a bill of materials through the core pipeline: validation by row and column,
nothing written on error, the all-or-nothing commit job, the audit and the rollup."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import Workbook

from cnan.catalogue.imports import BOM, PRODUCTS
from cnan.catalogue.models import Product, ProductRollup
from cnan.core.models import ImportBatch, Job, ObjectChange
from cnan.core.testing import database_state, import_xlsx, login


def _client(user) -> Client:
    client = Client()
    client.cookies["cnan_language"] = "en"
    return login(client, user)


def _upload(client: Client, key: str, data: bytes, query: str = "", name: str = "bom.xlsx"):
    url = reverse("core:import_start", kwargs={"key": key}) + query
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _commit(client: Client, capture) -> Job:
    batch = ImportBatch.objects.latest("created_at")
    with capture(execute=True):
        response = client.post(reverse("core:import_commit", kwargs={"pk": batch.pk}))
    assert response.status_code == 302
    job = Job.objects.get(kind="import")
    return job


@pytest.fixture
def officer(catalogue, make_user):
    return make_user("enterprise_officer", catalogue.world.ent_a)


def product_row(code, **values):
    return {
        "code": code,
        "name": f"Sản phẩm {code}",
        "organization": "ENT-A",
        "product_class": "Support tools",
        **values,
    }


def test_product_list_import_creates_and_updates_with_vietnamese_numbers(
    catalogue, officer, django_capture_on_commit_callbacks
):
    client = _client(officer)
    rows = [
        product_row("NEW-1", price="12.500.000", origin_country="VN"),
        product_row("NEW-2", price="1.234,5", origin_country="Japan", sourcing="purchased", supplier="Toshiba"),
        product_row(
            "F",
            name="Vải aramid",
            product_class="component",
            price="150.000",
            origin_country="DE",
            sourcing="purchased",
            supplier="Teijin",
            unit="m",
        ),
    ]
    response = _upload(client, PRODUCTS, import_xlsx(PRODUCTS, rows))
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    assert batch.errors == []
    job = _commit(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert Product.objects.get(code="NEW-1").price == Decimal("12500000")
    new2 = Product.objects.get(code="NEW-2")
    assert (new2.price, new2.origin_country.code) == (Decimal("1234.5"), "JP")
    # The existing fabric was updated, and the vest that uses it followed.
    assert Product.objects.get(code="F").price == Decimal("150000")
    assert ProductRollup.objects.get(product=catalogue.vest).imported_value == Decimal("2450000.00")
    assert ObjectChange.objects.filter(object_repr__startswith="NEW-").count() == 2


def test_bad_product_rows_are_reported_by_row_and_column_and_nothing_is_written(catalogue, officer):
    client = _client(officer)
    rows = [
        product_row("OK-1", price="1000"),
        product_row("BAD-1", price="12,5,5"),
        product_row("BAD-2", product_class="toy"),
        product_row("BAD-3", organization="ENT-B"),
        product_row("OK-1"),
        product_row("BAD-4", trl="12"),
    ]
    before = database_state(("catalogue",))
    _upload(client, PRODUCTS, import_xlsx(PRODUCTS, rows))
    batch = ImportBatch.objects.latest("created_at")
    cells = {(e["row"], e["column"]) for e in batch.errors}
    assert (3, "Price (VND)") in cells
    assert (4, "Class") in cells
    assert (5, "Owner code") in cells  # ENT-B is not this officer's to add to
    assert (6, "Product code") in cells  # repeated in the file
    assert (7, "Technology readiness level") in cells
    assert database_state(("catalogue",)) == before


def test_bom_import_becomes_a_new_revision(catalogue, officer, django_capture_on_commit_callbacks):
    client = _client(officer)
    rows = [
        {"position": 10, "component": "S", "quantity": "1"},
        {"position": 20, "component": "ST", "quantity": "3.000", "unit": "g", "scrap_percent": "0"},
        {"position": 30, "component": "F", "quantity": "0,5", "optional": "có"},
    ]
    response = _upload(client, BOM, import_xlsx(BOM, rows), f"?product={catalogue.kit.pk}")
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.latest("created_at")
    assert batch.errors == []
    job = _commit(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    catalogue.kit.refresh_from_db()
    revision = catalogue.kit.current_revision
    assert revision.number == 2
    assert revision.lines.count() == 3
    # 1 sensor (1,000,000) + 3 kg steel (300,000); the optional fabric is left out.
    assert ProductRollup.objects.get(product=catalogue.kit).unit_cost == Decimal("1300000.00")


def test_bom_import_refuses_a_loop_and_a_unit_that_does_not_convert(catalogue, make_user):
    client = _client(make_user("enterprise_officer", catalogue.world.ent_a))
    rows = [
        {"component": "V", "quantity": "1"},  # the vest contains the kit: a loop
        {"component": "S", "quantity": "2", "unit": "kg"},
        {"component": "ST", "quantity": "-1"},
        {"component": "NOPE", "quantity": "1"},
    ]
    before = database_state(("catalogue",))
    _upload(client, BOM, import_xlsx(BOM, rows), f"?product={catalogue.kit.pk}")
    batch = ImportBatch.objects.latest("created_at")
    by_cell = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "K → V → K" in by_cell[(2, "Component code")]
    assert "does not convert" in by_cell[(3, "Unit")]
    assert by_cell[(4, "Quantity")] == "The quantity must be greater than zero."
    assert (5, "Component code") in by_cell
    assert database_state(("catalogue",)) == before


def test_a_spreadsheet_with_formulas_or_merged_cells_is_refused(catalogue, officer):
    client = _client(officer)
    wb = Workbook()
    ws = wb.active
    ws.append(["Component code", "Quantity"])
    ws.append(["S", "=1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    before = database_state(("catalogue",))
    response = _upload(client, BOM, buf.getvalue(), f"?product={catalogue.kit.pk}")
    assert "formula" in response.content.decode()
    wb = Workbook()
    ws = wb.active
    ws.append(["Component code", "Quantity"])
    ws.append(["S", 1])
    ws.merge_cells("A2:B2")
    buf = io.BytesIO()
    wb.save(buf)
    response = _upload(client, BOM, buf.getvalue(), f"?product={catalogue.kit.pk}")
    assert "merged" in response.content.decode()
    assert database_state(("catalogue",)) == before


def test_bom_import_into_another_enterprises_product_is_forbidden(catalogue, make_user):
    client = _client(make_user("enterprise_officer", catalogue.world.ent_b))
    response = client.get(reverse("core:import_start", kwargs={"key": BOM}) + f"?product={catalogue.vest.pk}")
    assert response.status_code == 404
    response = client.get(reverse("core:import_start", kwargs={"key": BOM}) + f"?product={catalogue.helmet.pk}")
    assert response.status_code == 200


def test_the_import_buttons_show_to_who_may_import(catalogue, officer, make_user):
    client = _client(officer)
    page = client.get(reverse("catalogue:product_list")).content.decode()
    assert 'id="import-button"' in page
    page = client.get(catalogue.vest.get_absolute_url()).content.decode()
    assert f"/imports/{BOM}/?product={catalogue.vest.pk}" in page
    viewer = _client(make_user("ministry_leader", catalogue.world.bca))
    assert 'id="import-button"' not in viewer.get(reverse("catalogue:product_list")).content.decode()
    assert 'id="bom-import"' not in viewer.get(catalogue.vest.get_absolute_url()).content.decode()
