"""The catalogue's pages: the product list, detail, BOM tree, BOM editing, what-if, exports, dashboard, editions."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from cnan.catalogue import dashboards, services
from cnan.catalogue.models import BOMLine, BOMRevision, CatalogueEdition, Product, RollupHistory
from cnan.core.models import Job, ObjectChange
from cnan.core.testing import changes_for, database_state

from .conftest import add_line, make_product

LIST = "/catalogue/products/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def page(signed_in):
    def make(user, language: str = "en"):
        client = signed_in(user)
        client.cookies["cnan_language"] = language
        return client

    return make


@pytest.fixture
def officer(world, make_user):
    """A department officer of H08: the whole catalogue, its editions and the recompute."""
    return make_user("department_officer", world.h08, clearance=1)


@pytest.fixture
def eo_a(world, make_user):
    return make_user("enterprise_officer", world.ent_a)


@pytest.fixture
def eo_b(world, make_user):
    return make_user("enterprise_officer", world.ent_b)


def listed(response) -> list[str]:
    return [row.record.code for row in response.context["table"].page.object_list]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def line_form(component, **overrides):
    data = {"component": component.code, "quantity": "1", "unit": "", "scrap_percent": "0", "position": "10"}
    data.update(overrides)
    return data


# --- list ----------------------------------------------------------------------------------------------


def test_list_shows_every_column_and_the_rates_in_vietnamese(catalogue, officer, page):
    response = page(officer, "vi").get(LIST, {"sort": "code"})
    assert response.status_code == 200
    assert listed(response) == ["F", "H", "K", "S", "ST", "V"]
    html = text(response)
    assert "10.000.000" in html  # the vest's price
    assert "74,00" in html  # the vest's rate
    assert "2.600.000" in html  # the vest's imported value
    assert 'data-export="xlsx"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "san pham v"}, ["V"]),
        ({"product_class": "support_tool"}, ["H", "V"]),
        ({"imported": "true"}, ["F", "S"]),
        ({"organization": "ent_b"}, ["H"]),
        ({"rate_max": "74.5", "product_class": "support_tool"}, ["V"]),
        ({"rate_min": "74.5", "product_class": ["support_tool", "component"]}, ["H", "ST"]),
        ({"sourcing": "purchased", "sort": "-code"}, ["S", "F"]),
        ({"sort": "-localisation_rate", "product_class": "support_tool"}, ["H", "V"]),
    ],
)
def test_list_filters_and_sorts(catalogue, officer, page, query, expected):
    query = {k: (getattr(catalogue.world, v).pk if v == "ent_b" else v) for k, v in query.items()}
    assert listed(page(officer).get(LIST, query)) == expected


def test_list_with_an_invalid_filter_is_400(catalogue, officer, page):
    response = page(officer).get(LIST, {"rate_min": "many"})
    assert response.status_code == 400


def test_list_exports_csv_and_xlsx_with_the_filters(catalogue, officer, page):
    client = page(officer)
    response = client.get(LIST, {"product_class": "support_tool", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Name", "Class"]
    assert [r[0] for r in rows[1:]] == ["H", "V"]
    assert "Localisation rate (%)" in rows[0]
    response = client.get(LIST, {"product_class": "support_tool", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    header = list(values[0])
    vest = next(r for r in values[1:] if r[0] == "V")
    assert vest[header.index("Localisation rate (%)")] == 74
    assert vest[header.index("Imported value (VND)")] == 2600000


# --- detail --------------------------------------------------------------------------------------------


def test_detail_shows_the_figures_the_formula_and_the_bom(catalogue, officer, page):
    vest = catalogue.vest
    response = page(officer, "vi").get(vest.get_absolute_url())
    assert response.status_code == 200
    html = text(response)
    assert re.search(r'id="localisation-rate">\s*74,00 %', response.content.decode())
    assert "3.100.000" in html  # rolled-up cost: 2 × 1.250.000 + 3 × 200.000
    assert 'id="rate-formula"' in html
    assert 'id="bom-tree"' in html and 'data-code="K"' in html and 'data-code="F"' in html
    assert 'data-chart="line"' in html  # the rate trend
    assert reverse("catalogue:product_history", args=[vest.pk]) in html
    assert 'id="edit-button"' in html


def test_detail_in_english_explains_the_formula(catalogue, officer, page):
    html = text(page(officer).get(catalogue.vest.get_absolute_url()))
    assert "localisation rate = (value basis − imported value) / value basis" in html
    assert "Direct components by imported value" in html


def test_lab_officer_sees_no_edit_button(catalogue, make_user, page):
    reader = make_user("lab_officer", catalogue.world.ent_a)
    html = page(reader).get(catalogue.vest.get_absolute_url()).content.decode()
    assert 'id="edit-button"' not in html and 'id="new-revision"' not in html


def test_where_used_lists_the_containing_products(catalogue, officer, page):
    html = page(officer).get(catalogue.kit.get_absolute_url()).content.decode()
    section = html[html.index('id="where-used"') :]
    assert "Sản phẩm V" in section and "Sản phẩm H" in section


def test_htmx_expansion_returns_the_children_rows(catalogue, officer, page):
    url = reverse("catalogue:product_bom_level", args=[catalogue.kit.pk]) + "?level=2&ext=2"
    response = page(officer).get(url, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert re.findall(r'class="tree-node bom-row" data-code="(\w+)"', html) == ["S", "ST"]
    assert 'data-level="2"' in html
    assert "5 kg" in text(response) or "5 kg" in html.replace("\xa0", " ")  # 2 kits × 2,5 kg of steel


def test_flattened_view_totals_and_import_sources(catalogue, officer, page):
    response = page(officer).get(reverse("catalogue:product_flat", args=[catalogue.vest.pk]))
    assert response.status_code == 200
    sources = [s.code for s in response.context["sources"]]
    assert sources == ["S", "F"]  # 2 × 1.000.000 from Japan, then 3 × 200.000 from Germany
    flat = {f.code: f.total_quantity for f in response.context["flat"]}
    assert flat == {"S": 2.0, "F": 3.0, "K": 2.0, "ST": 5.0}


# --- visibility ----------------------------------------------------------------------------------------


def test_enterprise_b_cannot_see_enterprise_a_products(catalogue, eo_b, page):
    client = page(eo_b)
    assert client.get(catalogue.vest.get_absolute_url()).status_code == 404
    assert client.get(reverse("catalogue:product_bom_level", args=[catalogue.kit.pk])).status_code == 404
    assert client.get(reverse("catalogue:product_flat", args=[catalogue.vest.pk])).status_code == 404
    assert client.get(reverse("catalogue:product_bom_export", args=[catalogue.vest.pk])).status_code == 404
    assert listed(client.get(LIST)) == ["H"]


def test_enterprise_b_sees_its_helmet_with_the_kit_masked_and_the_figures_kept(catalogue, eo_b, page):
    response = page(eo_b, "vi").get(catalogue.helmet.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    tree = html[html.index('id="bom-tree"') : html.index('id="where-used"')]
    assert "Sản phẩm K" not in tree and f'href="/catalogue/products/{catalogue.kit.pk}/"' not in tree
    assert "bom-masked" in tree
    assert "1.250.000" in tree  # the kit's unit cost is part of the helmet's figures
    # H = 4.000.000 with 1.000.000 imported through the kit: 75 %
    assert re.search(r'id="localisation-rate">\s*75,00 %', html)
    flat = page(eo_b).get(reverse("catalogue:product_flat", args=[catalogue.helmet.pk]))
    assert [s.visible for s in flat.context["sources"]] == [False]
    assert "Sản phẩm S" not in flat.content.decode()


def test_the_revision_page_of_the_helmet_masks_the_kit(catalogue, eo_b, page):
    response = page(eo_b).get(catalogue.helmet.current_revision.get_absolute_url())
    assert response.status_code == 200
    assert "Sản phẩm K" not in response.content.decode()
    assert "A component you may not see" in response.content.decode()


# --- create, edit, delete ------------------------------------------------------------------------------


def product_form(owner, **overrides):
    data = {
        "organization": owner.pk,
        "code": "N1",
        "name": "Áo giáp mới",
        "product_class": "support_tool",
        "use": "specialised",
        "lifecycle": "serial",
        "sourcing": "made",
        "origin_country": "VN",
        "unit": "piece",
        "price": "1.500.000,5",
        "classification": "0",
    }
    data.update(overrides)
    return data


def test_enterprise_officer_creates_a_product_with_a_vietnamese_price(catalogue, eo_a, page):
    client = page(eo_a, "vi")
    form = client.get(reverse("catalogue:product_add")).context["form"]
    assert list(form.fields["organization"].queryset) == [catalogue.world.ent_a]
    response = client.post(reverse("catalogue:product_add"), product_form(catalogue.world.ent_a))
    assert response.status_code == 302
    product = Product.objects.get(code="N1")
    assert product.price == Decimal("1500000.50")
    assert changes_for(product).count() == 1


def test_enterprise_officer_cannot_add_for_another_enterprise(catalogue, eo_a, page):
    client = page(eo_a)
    before = database_state()
    response = client.post(reverse("catalogue:product_add"), product_form(catalogue.world.ent_b))
    assert response.status_code == 422
    assert database_state() == before


def test_edit_price_updates_the_rollup_and_delete_is_refused_when_used(catalogue, eo_a, page):
    client = page(eo_a)
    fabric = catalogue.fabric
    data = product_form(
        catalogue.world.ent_a,
        code="F",
        name=fabric.name,
        product_class="component",
        sourcing="purchased",
        supplier="Nhà cung cấp",
        origin_country="DE",
        unit="m",
        price="100000",
    )
    assert client.post(reverse("catalogue:product_edit", args=[fabric.pk]), data).status_code == 302
    catalogue.vest.rollup.refresh_from_db()
    assert catalogue.vest.rollup.imported_value == Decimal("2300000.00")
    response = client.post(reverse("catalogue:product_delete", args=[fabric.pk]))
    assert response.status_code == 409
    assert Product.objects.filter(pk=fabric.pk).exists()


# --- BOM editing ---------------------------------------------------------------------------------------


def test_revision_page_lists_all_lines_with_flags(catalogue, eo_a, page):
    vest = catalogue.vest
    extra = make_product(catalogue.world.ent_a, "X", price="5")
    add_line(vest, extra, "1", optional=True)
    response = page(eo_a).get(vest.current_revision.get_absolute_url())
    html = text(response)
    assert 'data-code="X"' in html and "optional" in html
    assert 'id="add-line"' in html and 'id="freeze-button"' in html


def test_add_a_line_with_a_vietnamese_quantity(catalogue, eo_a, page):
    helmet_a = make_product(catalogue.world.ent_a, "HA", price="1000000", cls="support_tool")
    revision = services.revision_create(actor=None, product=helmet_a)
    url = reverse("catalogue:bomline_add", args=[revision.pk])
    response = page(eo_a, "vi").post(url, line_form(catalogue.steel, quantity="1,5"))
    assert response.status_code == 302, response.content.decode()[:2000]
    line = BOMLine.objects.get(revision=revision)
    assert (line.component, line.quantity, line.unit) == (catalogue.steel, Decimal("1.5"), "kg")
    helmet_a.refresh_from_db()
    assert helmet_a.rollup.unit_cost == Decimal("150000.00")


def test_a_line_that_closes_a_loop_is_refused_with_the_loop_named(catalogue, eo_a, page):
    kit = catalogue.kit
    client = page(eo_a)
    before = database_state()
    response = client.post(reverse("catalogue:bomline_add", args=[kit.current_revision_id]), line_form(catalogue.vest))
    assert response.status_code == 422
    errors = response.context["form"].errors["component"]
    assert errors == ["This line would make the bill of materials loop back on itself: K → V → K."]
    assert "K → V → K" in response.content.decode()
    assert database_state() == before


def test_an_unknown_or_invisible_component_code_is_refused(catalogue, eo_b, page):
    helmet = catalogue.helmet
    client = page(eo_b)
    before = database_state()
    response = client.post(
        reverse("catalogue:bomline_add", args=[helmet.current_revision_id]), line_form(catalogue.sensor)
    )
    assert response.status_code == 422  # ENT-B may change its helmet, but may not name ENT-A's sensor
    assert response.context["form"].errors["component"] == ["No product you may see has this code."]
    assert database_state() == before


def test_frozen_revision_refuses_edits(catalogue, eo_a, page):
    client = page(eo_a)
    revision = catalogue.vest.current_revision
    assert client.post(reverse("catalogue:revision_freeze", args=[revision.pk])).status_code == 302
    revision.refresh_from_db()
    assert revision.is_frozen
    html = client.get(revision.get_absolute_url()).content.decode()
    assert 'id="add-line"' not in html and 'id="frozen-badge"' in html
    before = database_state()
    response = client.post(reverse("catalogue:bomline_add", args=[revision.pk]), line_form(catalogue.steel))
    assert response.status_code == 422
    assert "frozen" in " ".join(response.context["form"].non_field_errors())
    line = revision.lines.first()
    response = client.post(reverse("catalogue:bomline_edit", args=[line.pk]), line_form(line.component, quantity="9"))
    assert response.status_code == 422
    assert client.post(reverse("catalogue:bomline_delete", args=[line.pk])).status_code == 302
    assert database_state() == before


def test_new_revision_then_edit_and_compare(catalogue, eo_a, page):
    client = page(eo_a)
    vest = catalogue.vest
    first = vest.current_revision
    response = client.post(reverse("catalogue:revision_add", args=[vest.pk]))
    assert response.status_code == 302
    vest.refresh_from_db()
    second = vest.current_revision
    assert second.number == 2 and second.lines.count() == 2
    fabric_line = second.lines.get(component=catalogue.fabric)
    kit_line = second.lines.get(component=catalogue.kit)
    client.post(reverse("catalogue:bomline_delete", args=[fabric_line.pk]))
    client.post(reverse("catalogue:bomline_edit", args=[kit_line.pk]), line_form(catalogue.kit, quantity="3"))
    client.post(reverse("catalogue:bomline_add", args=[second.pk]), line_form(catalogue.steel, quantity="4"))
    response = client.get(reverse("catalogue:revision_compare", args=[second.pk]), {"with": first.pk})
    assert response.status_code == 200
    html = response.content.decode()
    statuses = {code: status for status, code in re.findall(r'data-status="(\w+)" data-code="(\w+)"', html)}
    assert statuses == {"F": "removed", "ST": "added", "K": "changed"}
    assert "quantity" in html


# --- what-if -------------------------------------------------------------------------------------------


def test_whatif_shows_before_and_after_and_writes_nothing(catalogue, eo_a, page):
    client = page(eo_a, "vi")
    before = database_state()
    response = client.get(reverse("catalogue:whatif"), {"component": "S", "price": "500.000"})
    assert response.status_code == 200
    rows = {r.code: r for r in response.context["rows"]}
    # V: imported 2 × 500.000 + 600.000 = 1.600.000 of 10.000.000 → 84 %; H (ENT-B's) is not shown to ENT-A
    assert (rows["V"].before, rows["V"].after) == (Decimal("74.00"), Decimal("84.00"))
    assert "H" not in rows
    html = text(response)
    assert "74,00" in html and "84,00" in html and "+10,00" in html
    assert 'id="apply-button"' in html
    assert database_state() == before


def test_whatif_replacement_in_one_parent(catalogue, officer, page):
    make_product(catalogue.world.ent_a, "FV", price="150000", unit="m")
    response = page(officer).get(reverse("catalogue:whatif"), {"component": "F", "replacement": "FV", "only_in": "V"})
    assert response.status_code == 200
    rows = {r.code: r for r in response.context["rows"]}
    # V without the German fabric: 2.000.000 imported of 10.000.000 → 80 %
    assert (rows["V"].before, rows["V"].after) == (Decimal("74.00"), Decimal("80.00"))
    assert rows["V"].imported_after == Decimal("2000000.00")


def test_whatif_apply_writes_audited_changes(catalogue, eo_a, page):
    changes = ObjectChange.objects.count()
    response = page(eo_a).post(reverse("catalogue:whatif"), {"component": "S", "price": "500000"})
    assert response.status_code == 302
    catalogue.sensor.refresh_from_db()
    assert catalogue.sensor.price == Decimal("500000")
    catalogue.vest.rollup.refresh_from_db()
    assert catalogue.vest.rollup.localisation_rate == Decimal("84.00")
    assert ObjectChange.objects.count() == changes + 1
    assert changes_for(catalogue.sensor).last().changed_fields == ["price"]


def test_whatif_apply_refused_for_a_reader(catalogue, make_user, page):
    reader = make_user("lab_officer", catalogue.world.ent_a)
    client = page(reader)
    before = database_state()
    response = client.post(reverse("catalogue:whatif"), {"component": "S", "price": "500000"})
    assert response.status_code == 403
    assert database_state() == before


def test_whatif_apply_over_another_enterprise_is_refused_and_writes_nothing(catalogue, eo_b, officer, page):
    # ENT-B's officer may change products, but not ENT-A's sensor: it cannot even name it.
    client = page(eo_b)
    before = database_state()
    response = client.post(reverse("catalogue:whatif"), {"component": "S", "price": "1"})
    assert response.status_code == 422
    assert "component" in response.context["form"].errors
    assert database_state() == before


def test_whatif_replacement_apply_is_refused_when_a_parent_is_not_yours(catalogue, world, make_user, page):
    # An officer of the whole H08 tree without catalogue rights elsewhere: ENT-A's officer replacing the kit in
    # every BOM would touch ENT-B's helmet.
    eo_a = make_user("enterprise_officer", world.ent_a)
    kit2 = make_product(world.ent_a, "K2", price="900000")
    client = page(eo_a)
    before = database_state()
    response = client.post(reverse("catalogue:whatif"), {"component": "K", "replacement": kit2.code})
    assert response.status_code == 403
    assert "nothing was changed" in response.content.decode()
    assert database_state() == before


# --- BOM export ----------------------------------------------------------------------------------------


def test_bom_xlsx_has_indented_levels_and_the_right_totals(catalogue, officer, page):
    response = page(officer).get(reverse("catalogue:product_bom_export", args=[catalogue.vest.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bom-V.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    body = [r for r in rows[3:] if isinstance(r[0], int)]
    assert [(r[0], r[1]) for r in body] == [(1, "K"), (2, "S"), (2, "ST"), (1, "F")]
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=4) if row[0].value in (1, 2)}
    assert cells["S"].alignment.indent == 2 and cells["K"].alignment.indent == 1
    ext_qty = header.index("Extended quantity")
    ext_cost = header.index("Extended cost (VND)")
    ext_imp = header.index("Extended imported value (VND)")
    steel = next(r for r in body if r[1] == "ST")
    assert steel[ext_qty] == pytest.approx(5.0)
    assert steel[ext_cost] == pytest.approx(500000)
    total = rows[-1]
    assert total[ext_cost] == pytest.approx(3100000)
    assert total[ext_imp] == pytest.approx(2600000)
    assert header.index("Country of origin") and body[1][header.index("Country of origin")] == "Japan"


# --- dashboard -----------------------------------------------------------------------------------------


def test_dashboard_numbers_equal_a_hand_computation(catalogue, officer, page):
    response = page(officer, "vi").get(reverse("catalogue:dashboard"))
    assert response.status_code == 200
    # End products V (10.000.000, 2.600.000 imported) and H (4.000.000, 1.000.000 imported):
    # 1 − 3.600.000 / 14.000.000 = 74,29 %
    assert response.context["total"].rate == Decimal("74.29")
    by_class = {g.key: g.rate for g in response.context["by_class"]}
    assert by_class == {"support_tool": Decimal("74.29")}
    by_owner = {g.key: g.rate for g in response.context["by_owner"]}
    assert by_owner == {catalogue.world.ent_a.pk: Decimal("74.00"), catalogue.world.ent_b.pk: Decimal("75.00")}
    assert [r.product.code for r in response.context["top"]] == ["V", "H"]
    html = text(response)
    assert "74,29" in html and 'data-chart="bar"' in html and 'data-chart="line"' in html
    assert f"organization={catalogue.world.ent_b.pk}" in html
    trend = response.context["trend"]
    assert trend[-1].rate == Decimal("74.29")


def test_dashboard_trend_takes_each_products_latest_entry_per_month(catalogue, officer):
    import datetime as dt

    from django.utils import timezone

    RollupHistory.objects.all().delete()
    tz = timezone.get_current_timezone()
    now = timezone.localtime()
    this_month = dt.datetime(now.year, now.month, 1, 12, tzinfo=tz)
    last_month = this_month - dt.timedelta(days=20)
    v, h = catalogue.vest, catalogue.helmet
    for product, time, imported, basis in [
        (v, last_month, "5000000", "10000000"),
        (v, last_month + dt.timedelta(hours=1), "4000000", "10000000"),
        (h, this_month, "1000000", "4000000"),
    ]:
        RollupHistory.objects.create(
            product=product, time=time, unit_cost=0, imported_value=Decimal(imported), value_basis=Decimal(basis)
        )
    points = dashboards.trend(user=officer)
    assert [p.rate for p in points[-2:]] == [Decimal("60.00"), Decimal("64.29")]  # 1 − 5/14


def test_dashboard_of_enterprise_b(catalogue, eo_b, page):
    response = page(eo_b).get(reverse("catalogue:dashboard"))
    assert response.context["total"].rate == Decimal("75.00")
    assert [g.key for g in response.context["by_owner"]] == [catalogue.world.ent_b.pk]


# --- recompute -----------------------------------------------------------------------------------------


def test_recompute_starts_a_job_for_the_department(catalogue, officer, eo_a, page, django_capture_on_commit_callbacks):
    assert page(eo_a).post(reverse("catalogue:rollup_recompute")).status_code == 403
    client = page(officer)
    assert 'id="recompute-button"' in client.get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("catalogue:rollup_recompute"))
    job = Job.objects.get(kind="rollup")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()


# --- editions ------------------------------------------------------------------------------------------


def test_edition_lifecycle_add_by_filters_publish_and_compare(catalogue, officer, page):
    client = page(officer)
    response = client.post(
        reverse("catalogue:edition_add"),
        {"organization": catalogue.world.h08.pk, "code": "2025", "title": "Danh mục 2025"},
    )
    assert response.status_code == 302
    first = CatalogueEdition.objects.get(code="2025")
    url = reverse("catalogue:edition_products", args=[first.pk])
    client.post(url, {"action": "add", "product_class": "support_tool"})
    assert sorted(first.entries.values_list("product__code", flat=True)) == ["H", "V"]
    assert client.post(reverse("catalogue:edition_publish", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.is_published
    assert 'id="publish-button"' not in client.get(first.get_absolute_url()).content.decode()

    second = services.edition_create(
        actor=None, data={"organization": catalogue.world.h08, "code": "2026", "title": "Danh mục 2026"}
    )
    client.post(reverse("catalogue:edition_products", args=[second.pk]), {"action": "add", "q": "san pham"})
    client.post(
        reverse("catalogue:edition_products", args=[second.pk]), {"action": "remove", "product": catalogue.helmet.pk}
    )
    services.product_update(actor=None, instance=catalogue.vest, data={"lifecycle": "discontinued"})
    response = client.get(reverse("catalogue:edition_compare", args=[second.pk]), {"with": first.pk})
    html = response.content.decode()
    statuses = {code: status for status, code in re.findall(r'data-status="(\w+)" data-code="(\w+)"', html)}
    assert statuses["H"] == "removed"
    assert statuses["V"] == "changed"
    assert statuses["S"] == "added"


def test_edition_list_and_export(catalogue, officer, eo_a, page):
    services.edition_create(actor=None, data={"organization": catalogue.world.h08, "code": "2025", "title": "Danh mục"})
    assert "Danh mục" in page(officer).get(reverse("catalogue:edition_list")).content.decode()
    response = page(officer).get(reverse("catalogue:edition_list"), {"export": "csv"})
    assert "Danh mục" in response.content.decode("utf-8-sig")


# --- menu ----------------------------------------------------------------------------------------------


def test_the_catalogue_area_of_the_menu(catalogue, eo_a, page):
    html = page(eo_a).get("/").content.decode()
    area = re.search(r'data-area="catalogue">(.*?)data-area=', html, re.S).group(1)
    assert reverse("catalogue:product_list") in area
    assert reverse("catalogue:dashboard") in area


def test_anonymous_goes_to_sign_in(catalogue, client):
    assert client.get(LIST).status_code == 302
    assert BOMRevision.objects.count() == 3


def test_htmx_list_request_gets_only_the_table(catalogue, officer, page):
    response = page(officer).get(
        LIST, {"product_class": "support_tool"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="list-table"')
    assert "<html" not in html
    assert page(officer).get(LIST).content.decode().count('id="list-table"') == 1


def test_whatif_from_a_product_link_prefills_the_component_without_an_error(catalogue, eo_a, page):
    response = page(eo_a).get(reverse("catalogue:whatif"), {"component": "S"})
    assert response.status_code == 200
    assert response.context["form"].initial["component"] == "S"
    assert not response.context["form"].errors
    assert response.context["rows"] is None


def test_home_shows_the_catalogues_localisation_rate_to_who_may_see_products(catalogue, officer, make_user, page):
    html = page(officer).get(reverse("core:home")).content.decode()
    assert 'id="localisation-widget"' in html
    # V (74 %) and H (75 %): 1 − (2,600,000 + 1,000,000) / (10,000,000 + 4,000,000) = 74.29 %.
    assert re.search(r'id="home-localisation-rate">74[.,]29 %', html)
    nobody = make_user(None, None)
    assert 'id="localisation-widget"' not in page(nobody).get(reverse("core:home")).content.decode()
