"""The registry's pages: lists (filters, sorting, htmx, exports), forms, details, the tree and deletion."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

import pytest
from openpyxl import load_workbook

from cnan.core.models import Job, ObjectChange, RecordAccess
from cnan.organizations import services
from cnan.organizations.models import ComplexMembership, Facility, IndustrialPark, Organization, ParkPhase

LISTS = {
    "organization": "/organizations/units/",
    "enterprise": "/organizations/enterprises/",
    "facility": "/organizations/facilities/",
    "industrialpark": "/organizations/parks/",
    "complexmembership": "/organizations/complex/",
    "restructuringevent": "/organizations/restructuring/",
}
HTMX_TABLE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}
HTMX_FORM = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "object-form"}


@pytest.fixture
def page(signed_in):
    """``page(user, language="en")`` → the test client, signed in as ``user``, showing pages in ``language``."""

    def make(user, language: str = "en"):
        client = signed_in(user)
        client.cookies["cnan_language"] = language
        return client

    return make


def listed(response) -> list[str]:
    """The codes (or titles) of the rows a list page shows, in order."""
    return [getattr(row.record, "code", None) or str(row.record) for row in response.context["table"].page.object_list]


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def org_form(**overrides):
    data = {"code": "PX1", "name": "Phòng Kế hoạch", "kind": "operational_unit", "country": "VN", "classification": "0"}
    data.update(overrides)
    return data


def enterprise_form(world, **overrides):
    data = {
        "code": "ENT-N",
        "name": "Công ty Thiết bị mới",
        "parent": world.h08.pk,
        "legal_form": "jsc",
        "tax_code": "0100000035",
        "charter_capital": "5000000000",
        "state_ownership": "30",
        "province": "ha-noi",
        "country": "VN",
        "classification": "0",
    }
    data.update(overrides)
    return data


def facility_form(org, **overrides):
    data = {
        "organization": org.pk,
        "code": "FN",
        "name": "Xưởng mới",
        "kind": "other",
        "province": "ha-noi",
        "classification": "0",
    }
    data.update(overrides)
    return data


# --- list pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LISTS))
def test_list_page_renders_with_its_filter_form(world, officer, page, name):
    response = page(officer).get(LISTS[name])
    assert response.status_code == 200
    assert "generic/object_list.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'id="filter-form"' in html
    assert 'id="list-table"' in html
    assert 'data-export="csv"' in html and 'data-export="xlsx"' in html


def test_anonymous_is_sent_to_the_sign_in_page(world, client):
    response = client.get(LISTS["enterprise"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_list_without_permission_is_403(world, make_user, page):
    roleless = make_user()
    assert page(roleless).get(LISTS["facility"]).status_code == 403


def test_organization_list_filters_by_kind(world, officer, page):
    response = page(officer).get(LISTS["organization"], {"kind": ["enterprise", "partner"]})
    assert listed(response) == ["DT-X", "ENT-A", "ENT-B"]
    assert response.context["filter_active"] is True


def test_enterprise_list_search_ignores_diacritics(world, officer, page):
    response = page(officer).get(LISTS["enterprise"], {"q": "thang long"})
    assert listed(response) == ["ENT-A"]
    assert "Thăng Long" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sort": "name"}, ["ENT-A", "ENT-C", "ENT-B"]),  # Công ty Cơ khí < Công ty Cổ phần < Công ty Điện tử
        ({"sort": "-code"}, ["ENT-C", "ENT-B", "ENT-A"]),
        ({"sort": "code"}, ["ENT-A", "ENT-B", "ENT-C"]),
        ({"sort": "-state_ownership"}, ["ENT-A", "ENT-B", "ENT-C"]),
        ({"sort": "state_ownership"}, ["ENT-C", "ENT-B", "ENT-A"]),
    ],
)
def test_enterprise_list_sorts_by_column(world, officer, page, ent_c, query, expected):
    assert listed(page(officer).get(LISTS["enterprise"], query)) == expected


def test_facility_list_sorts_by_descending_code(world, officer, page):
    assert listed(page(officer).get(LISTS["facility"], {"sort": "-code"})) == ["FB", "FA"]


def test_list_is_scoped_to_the_enterprise_officer(world, ent_a_officer, page):
    client = page(ent_a_officer)
    enterprises = client.get(LISTS["enterprise"])
    facilities = client.get(LISTS["facility"])
    assert listed(enterprises) == ["ENT-A"]
    assert listed(facilities) == ["FA"]
    assert "Sông Hàn" not in enterprises.content.decode()
    assert "Nhà máy điện tử" not in facilities.content.decode()


def test_list_pages_by_the_chosen_size(world, officer, page):
    for i in range(12):
        services.organization_create(
            actor=None, parent=world.institute, data={"code": f"PTN-{i:02d}", "name": f"Phòng {i}", "kind": "group"}
        )
    client = page(officer)
    first = client.get(LISTS["organization"], {"per_page": 10})
    second = client.get(LISTS["organization"], {"per_page": 10, "page": 2})
    assert (len(listed(first)), len(listed(second))) == (10, 9)
    assert set(listed(first)).isdisjoint(listed(second))
    assert first.context["table"].paginator.count == 19


def test_htmx_request_gets_only_the_table(world, officer, page):
    response = page(officer).get(LISTS["enterprise"], {"q": "song han"}, **HTMX_TABLE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="list-table"')
    assert "<html" not in html
    assert 'id="filter-form"' not in html
    assert "Sông Hàn" in html and "Thăng Long" not in html


def test_htmx_request_for_another_target_gets_the_whole_page(world, officer, page):
    response = page(officer).get(LISTS["enterprise"], HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    assert "<html" in response.content.decode()


def test_invalid_filter_is_400_with_the_error_on_the_field(world, officer, page):
    response = page(officer).get(LISTS["enterprise"], {"state_ownership_min": "half"})
    assert response.status_code == 400
    assert listed(response) == []
    form = response.context["filter_form"]
    assert form.errors == {"state_ownership_min": ["Enter a number."]}
    assert "is-invalid" in form.fields["state_ownership_min"].widget.attrs["class"]


def test_invalid_filter_in_the_htmx_table_is_400(world, officer, page):
    response = page(officer).get(LISTS["organization"], {"kind": "castle"}, **HTMX_TABLE)
    assert response.status_code == 400
    assert "<html" not in response.content.decode()


# --- exports -------------------------------------------------------------------------------------------


ENTERPRISE_HEADER = [
    "Code",
    "Name",
    "Legal form",
    "Tax code",
    "Province",
    "Charter capital (VND)",
    "State ownership (%)",
    "Parent corporation",
    "Product groups",
    "Complex",
    "Facilities",
]


def test_csv_export_holds_every_column_and_every_row(world, officer, page, nucleus_a):
    response = page(officer).get(LISTS["enterprise"], {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organizations-enterprise-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response)
    assert rows[0] == ENTERPRISE_HEADER  # "Tax code" is hidden on screen but exported
    assert rows[1:] == [
        ["ENT-A", "Công ty Cơ khí An ninh Thăng Long", "Single-member LLC, 100% state capital", "0100109106",
         "Hà Nội", "1000000000", "100.00", "", "", "Nucleus", "1"],
        ["ENT-B", "Công ty Điện tử Sông Hàn", "Joint-stock company with state capital", "0100000010", "Đà Nẵng",
         "", "51.00", "", "", "", "1"],
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_follows_the_sort_of_the_page(world, officer, page, ent_c, fmt):
    response = page(officer).get(LISTS["enterprise"], {"export": fmt, "sort": "-code"})
    if fmt == "csv":
        codes = [r[0] for r in read_csv(response)[1:]]
    else:
        codes = [r[0] for r in list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]]
    assert codes == ["ENT-C", "ENT-B", "ENT-A"]


def test_the_links_on_a_list_page_export_and_page_what_the_page_shows(world, officer, page, ent_c):
    """Follow the page's own export, per-page and pager links, as a person clicking them would."""
    client = page(officer)
    html = client.get(LISTS["enterprise"], {"q": "song han", "sort": "-code"}).content.decode()
    export_href = re.search(r'href="([^"]*export=csv[^"]*)"', html).group(1).replace("&amp;", "&")
    assert export_href.startswith("?") and not export_href.startswith("??")
    rows = read_csv(client.get(LISTS["enterprise"] + export_href))
    assert [r[0] for r in rows[1:]] == ["ENT-B"]
    per_page_href = re.search(r'href="([^"]*per_page=10[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(LISTS["enterprise"] + per_page_href)
    assert response.status_code == 200 and response.context["table"].paginator.per_page == 10

    for i in range(12):
        services.organization_create(
            actor=officer,
            parent=world.h08,
            data={"code": f"PHONG-{i:02}", "name": f"Phòng phân trang {i}", "kind": "department"},
        )
    first = client.get(LISTS["organization"], {"per_page": 10, "sort": "code"}).content.decode()
    next_href = re.search(r'class="page-link" href="([^"]*page=2[^"]*)"', first)
    assert next_href, "the list offers a link to its second page"
    second = client.get(LISTS["organization"] + next_href.group(1).replace("&amp;", "&"))
    assert second.context["table"].page.number == 2


def test_csv_export_applies_the_filters(world, officer, page):
    rows = read_csv(page(officer).get(LISTS["enterprise"], {"export": "csv", "q": "song han"}))
    assert [r[0] for r in rows[1:]] == ["ENT-B"]


def test_tax_code_column_is_hidden_on_screen(world, officer, page):
    response = page(officer).get(LISTS["enterprise"])
    headers = [c.header for c in response.context["table"].columns]
    assert "Tax code" not in [str(h) for h in headers]
    assert "0100109106" not in response.content.decode()


def test_xlsx_export_keeps_numbers_as_numbers(world, officer, page, product_group):
    services.organization_update(actor=None, instance=world.ent_b, data={"product_groups": [product_group]})
    response = page(officer).get(LISTS["enterprise"], {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ENTERPRISE_HEADER
    assert [r[0] for r in rows[1:]] == ["ENT-A", "ENT-B"]
    ent_a, ent_b = rows[1], rows[2]
    assert ent_a[3] == "0100109106"
    assert ent_a[5] == 1000000000
    assert ent_a[6] == 100
    assert ent_b[8] == "Cyber safety and cybersecurity"  # the product group's English name on an English page


def test_xlsx_export_keeps_counts_as_numbers(world, officer, page):
    response = page(officer).get(LISTS["enterprise"], {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[10] for r in rows[1:]] == [1, 1]


def test_xlsx_export_of_facilities_keeps_dates(world, officer, page):
    services.facility_update(actor=None, instance=world.facility_b, data={"withdrawn_on": dt.date(2025, 5, 1)})
    response = page(officer).get(LISTS["facility"], {"export": "xlsx", "organization_id": world.ent_b.pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Code" and rows[0][-1] == "Withdrawn on"
    assert len(rows) == 2
    assert rows[1][0] == "FB"
    withdrawn = rows[1][-1]  # a date cell, which openpyxl reads back as a datetime
    assert isinstance(withdrawn, dt.datetime)
    assert withdrawn.date() == dt.date(2025, 5, 1)


def test_export_is_scoped_to_the_user(world, ent_a_officer, page):
    rows = read_csv(page(ent_a_officer).get(LISTS["facility"], {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == ["FA"]


def test_export_with_invalid_filters_is_400_and_exports_nothing(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.get(LISTS["enterprise"], {"export": "csv", "province": "atlantis"})
    assert response.status_code == 400
    assert response.content.decode() == "The filters are not valid; nothing was exported."
    assert response["Content-Type"].startswith("text/html")


def test_unknown_export_format_is_400(world, officer, page):
    response = page(officer).get(LISTS["enterprise"], {"export": "pdf"})
    assert response.status_code == 400


def test_large_export_becomes_a_background_job(world, officer, page, settings):
    settings.CNAN_EXPORT_SYNC_LIMIT = 1
    response = page(officer).get(LISTS["enterprise"], {"export": "xlsx", "q": "cong ty"})
    job = Job.objects.get(owner=officer)
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.params["list"] == "organizations:enterprise"
    assert job.params["format"] == "xlsx"
    assert job.params["query"] == "q=cong+ty"


# --- organisation forms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/organizations/units/add/",
        "/organizations/enterprises/add/",
        "/organizations/facilities/add/",
        "/organizations/parks/add/",
        "/organizations/complex/add/",
        "/organizations/restructuring/add/",
    ],
)
def test_add_forms_render(world, officer, page, url):
    response = page(officer).get(url)
    assert response.status_code == 200
    assert 'id="object-form"' in response.content.decode()


def test_organization_add_form_proposes_the_parent_from_the_query(world, officer, page):
    response = page(officer).get("/organizations/units/add/", {"parent": world.h08.pk})
    form = response.context["form"]
    assert str(form["parent"].value()) == str(world.h08.pk)
    assert "enterprise" not in [value for value, _label in form.fields["kind"].choices]


def test_organization_create_redirects_and_records_once(world, officer, page, audit):
    with audit() as changes:
        response = page(officer).post("/organizations/units/add/", org_form(parent=world.h08.pk))
    unit = Organization.objects.get(code="PX1")
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/units/{unit.pk}/"
    assert unit.parent_id == world.h08.pk
    assert changes.summary() == [("organization", str(unit.pk), "create")]
    assert (changes[0].actor_id, changes[0].source) == (officer.pk, "web")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"code": "H08"}, "code", "Another organisation already has this code."),
        (
            {"valid_from": "2020-01-01", "valid_to": "2019-01-01"},
            "valid_to",
            "The dissolution date cannot be before the establishment date.",
        ),
        ({"kind": "enterprise"}, "kind", "Select a valid choice. enterprise is not one of the available choices."),
    ],
)
def test_organization_create_with_bad_input_is_422_and_writes_nothing(
    world, officer, page, unchanged, overrides, field, message
):
    client = page(officer)
    with unchanged():
        response = client.post("/organizations/units/add/", org_form(parent=world.h08.pk, **overrides))
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert "Please correct the errors below. Nothing was saved." in html
    assert message.replace("'", "&#x27;") in html


def test_organization_edit_moves_it_and_redirects(world, officer, page):
    response = page(officer).post(
        f"/organizations/units/{world.institute.pk}/edit/",
        org_form(code="VKHCN", name="Viện Khoa học và Công nghệ", kind="institute", parent=world.h08.pk),
    )
    assert response.status_code == 302
    institute = Organization.objects.get(pk=world.institute.pk)
    assert (institute.parent_id, institute.depth) == (world.h08.pk, 3)


def test_organization_edit_does_not_offer_its_own_subtree_as_parent(world, officer, page, unchanged):
    client = page(officer)
    choices = client.get(f"/organizations/units/{world.h08.pk}/edit/").context["form"].fields["parent"].queryset
    assert sorted(choices.values_list("code", flat=True)) == ["BCA", "DT", "DT-X", "VKHCN"]
    with unchanged():
        response = client.post(
            f"/organizations/units/{world.h08.pk}/edit/",
            org_form(code="H08", name="Cục", kind="department", parent=world.ent_a.pk),
        )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["parent"]


def test_enterprise_is_not_edited_on_the_unit_form(world, officer, page):
    assert page(officer).get(f"/organizations/units/{world.ent_a.pk}/edit/").status_code == 404


def test_enterprise_officer_cannot_open_the_unit_form(world, ent_a_officer, page):
    assert page(ent_a_officer).get("/organizations/units/add/").status_code == 403


def test_htmx_form_post_with_errors_returns_the_form_partial(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post("/organizations/units/add/", org_form(name=""), **HTMX_FORM)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post" id="object-form"')
    assert "<html" not in html


def test_htmx_form_post_that_saves_redirects_through_htmx(world, officer, page):
    response = page(officer).post("/organizations/units/add/", org_form(parent=world.h08.pk), **HTMX_FORM)
    assert response.status_code == 204
    assert response["HX-Redirect"] == Organization.objects.get(code="PX1").get_absolute_url()


# --- enterprise forms ----------------------------------------------------------------------------------


def test_enterprise_form_reads_vietnamese_numbers(world, officer, page, audit):
    with audit() as changes:
        response = page(officer, "vi").post(
            "/organizations/enterprises/add/",
            enterprise_form(world, charter_capital="1.234.567.000", state_ownership="49,5"),
        )
    assert response.status_code == 302
    ent = Organization.objects.get(code="ENT-N")
    assert (ent.kind, ent.parent_id) == ("enterprise", world.h08.pk)
    assert (ent.charter_capital, ent.state_ownership) == (Decimal("1234567000"), Decimal("49.5"))
    assert changes.summary() == [("organization", str(ent.pk), "create")]


def test_enterprise_form_reads_english_numbers(world, officer, page):
    response = page(officer, "en").post(
        "/organizations/enterprises/add/",
        enterprise_form(world, charter_capital="1,234,567,000", state_ownership="49.5"),
    )
    assert response.status_code == 302
    ent = Organization.objects.get(code="ENT-N")
    assert (ent.charter_capital, ent.state_ownership) == (Decimal("1234567000"), Decimal("49.5"))


def test_enterprise_form_shows_numbers_in_the_page_language(world, officer, page):
    response = page(officer, "vi").get(f"/organizations/enterprises/{world.ent_a.pk}/edit/")
    assert 'value="1.000.000.000"' in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "start"),
    [
        ({"tax_code": "0100000036"}, "tax_code", "0100000036 is not a valid Vietnamese tax code"),
        ({"tax_code": ""}, "tax_code", "A domestic enterprise needs its tax code."),
        ({"legal_form": ""}, "legal_form", "This field is required."),
        (
            {"legal_form": "state_llc", "state_ownership": "51"},
            "state_ownership",
            "A single-member LLC with 100% state capital has 100% state ownership.",
        ),
        ({"charter_capital": "nhiều"}, "charter_capital", "Enter a number."),
    ],
)
def test_enterprise_create_with_bad_input_is_422_and_writes_nothing(
    world, officer, page, unchanged, overrides, field, start
):
    client = page(officer)
    with unchanged():
        response = client.post("/organizations/enterprises/add/", enterprise_form(world, **overrides))
    assert response.status_code == 422
    assert any(message.startswith(start) for message in response.context["form"].errors[field])


def test_enterprise_edit_records_one_change(world, ent_a_officer, page, audit):
    with audit() as changes:
        response = page(ent_a_officer).post(
            f"/organizations/enterprises/{world.ent_a.pk}/edit/",
            enterprise_form(
                world,
                code="ENT-A",
                name="Công ty Cơ khí An ninh Thăng Long",
                legal_form="state_llc",
                tax_code="0100109106",
                charter_capital="2000000000",
                state_ownership="100",
            ),
        )
    assert response.status_code == 302, response.context["form"].errors
    assert Organization.objects.get(pk=world.ent_a.pk).charter_capital == Decimal("2000000000")
    assert changes.summary() == [("organization", str(world.ent_a.pk), "update")]
    assert changes[0].changed_fields == ["charter_capital"]


def test_enterprise_officer_cannot_edit_the_other_enterprise(world, ent_a_officer, page):
    assert page(ent_a_officer).get(f"/organizations/enterprises/{world.ent_b.pk}/edit/").status_code == 404


# --- facility, park, complex and restructuring forms ---------------------------------------------------


def test_enterprise_officer_adds_a_facility_to_its_enterprise(world, ent_a_officer, page, audit):
    client = page(ent_a_officer)
    form = client.get("/organizations/facilities/add/", {"organization": world.ent_a.pk}).context["form"]
    assert list(form.fields["organization"].queryset) == [world.ent_a]
    with audit() as changes:
        response = client.post("/organizations/facilities/add/", facility_form(world.ent_a))
    facility = Facility.objects.get(code="FN")
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/facilities/{facility.pk}/"
    assert changes.summary() == [("facility", str(facility.pk), "create")]


def test_enterprise_officer_cannot_add_a_facility_to_the_other_enterprise(world, ent_a_officer, page, unchanged):
    client = page(ent_a_officer)
    with unchanged():
        response = client.post("/organizations/facilities/add/", facility_form(world.ent_b))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["organization"]


def test_core_facility_without_decision_is_422(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post("/organizations/facilities/add/", facility_form(world.ent_a, kind="core"))
    assert response.status_code == 422
    assert response.context["form"].errors["decision_number"] == [
        "A core facility needs the number and date of the Minister's establishing or approving decision."
    ]


def test_core_facility_of_a_partner_is_422_with_the_services_message(world, officer, page, unchanged):
    data = facility_form(world.partner, kind="core", decision_number="1/QĐ", decision_date="2024-01-01")
    client = page(officer)
    with unchanged():
        response = client.post("/organizations/facilities/add/", data)
    assert response.status_code == 422
    assert response.context["form"].errors["kind"] == [
        "A core facility belongs to the Ministry's units or enterprises, not to an outside partner."
    ]


def test_facility_edit_records_one_change(world, officer, page, audit):
    data = facility_form(world.ent_b, code="FB", name="Nhà máy điện tử 2", province="da-nang")
    with audit() as changes:
        response = page(officer).post(f"/organizations/facilities/{world.facility_b.pk}/edit/", data)
    assert response.status_code == 302
    assert changes.summary() == [("facility", str(world.facility_b.pk), "update")]
    assert changes[0].changed_fields == ["name"]


def test_park_form_reads_a_vietnamese_area(world, officer, page):
    response = page(officer, "vi").post(
        "/organizations/parks/add/",
        {"organization": world.h08.pk, "code": "P2", "name": "Khu 2", "province": "bac-ninh", "area_ha": "12,5",
         "status": "planned", "classification": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    assert IndustrialPark.objects.get(code="P2").area_ha == Decimal("12.5")


def test_nucleus_without_core_facility_is_422_on_the_role(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post(
            "/organizations/complex/add/",
            {"organization": world.ent_b.pk, "role": "nucleus", "admitted_on": "2024-07-01"},
        )
    assert response.status_code == 422
    assert response.context["form"].errors["role"] == [
        "Công ty Điện tử Sông Hàn has no core facility recognised on 01/07/2024, so it can only be a member, "
        "not part of the nucleus."
    ]


def test_complex_membership_form_reads_day_first_dates(world, officer, page):
    response = page(officer, "vi").post(
        "/organizations/complex/add/", {"organization": world.ent_a.pk, "role": "nucleus", "admitted_on": "01/07/2024"}
    )
    assert response.status_code == 302
    assert ComplexMembership.objects.get().admitted_on == dt.date(2024, 7, 1)


def test_merge_with_one_source_is_422(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post(
            "/organizations/restructuring/add/",
            {"kind": "merge", "organization": world.h08.pk, "title": "Sáp nhập", "decision_number": "9/QĐ",
             "decision_date": "2025-01-01", "effective_on": "2025-03-01", "sources": [world.ent_a.pk],
             "results": [world.ent_a.pk], "classification": "0"},
        )  # fmt: skip
    assert response.status_code == 422
    assert response.context["form"].errors["sources"] == ["A merger joins at least two organisations."]


# --- park phases ---------------------------------------------------------------------------------------


def test_park_phase_is_added_on_the_parks_page(world, officer, page, audit):
    with audit() as changes:
        response = page(officer).post(
            f"/organizations/parks/{world.park.pk}/phases/add/",
            {"name": "Giai đoạn I", "status": "operating", "started_on": "2019-01-01", "completed_on": "2021-08-19"},
        )
    phase = ParkPhase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == world.park.get_absolute_url()
    assert changes.summary() == [("parkphase", str(phase.pk), "create")]
    detail = page(officer).get(world.park.get_absolute_url())
    assert "Giai đoạn I" in detail.content.decode()


def test_park_phase_ending_before_it_starts_is_422(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post(
            f"/organizations/parks/{world.park.pk}/phases/add/",
            {"name": "GĐ I", "status": "planned", "started_on": "2021-01-01", "completed_on": "2020-01-01"},
        )
    assert response.status_code == 422
    assert response.context["form"].errors["completed_on"] == ["A phase cannot end before it starts."]


def test_park_phase_is_deleted_from_its_form(world, officer, page, audit):
    phase = services.park_phase_create(actor=None, park=world.park, data={"name": "GĐ II"})
    with audit() as changes:
        response = page(officer).post(f"/organizations/phases/{phase.pk}/edit/", {"action": "delete"})
    assert response.status_code == 302
    assert not ParkPhase.objects.exists()
    assert changes.summary() == [("parkphase", str(phase.pk), "delete")]


def test_park_phase_of_an_invisible_park_is_404(world, ent_a_officer, page):
    assert page(ent_a_officer).get(f"/organizations/parks/{world.park.pk}/phases/add/").status_code == 404


# --- detail and history pages --------------------------------------------------------------------------


def test_enterprise_detail_shows_its_details_and_history(world, officer, page):
    services.organization_update(actor=officer, instance=world.ent_a, data={"phone": "024 3826 0000"})
    response = page(officer).get(f"/organizations/enterprises/{world.ent_a.pk}/")
    assert response.status_code == 200
    assert [c.action for c in response.context["history"]] == ["update", "create"]
    html = response.content.decode()
    assert '<dd class="col-sm-9" id="tax-code">0100109106</dd>' in html
    assert 'id="history"' in html
    assert "— phone" in html
    assert [f.code for f in response.context["facilities"]] == ["FA"]


def test_organization_detail_of_an_enterprise_redirects_to_the_enterprise_page(world, officer, page):
    response = page(officer).get(f"/organizations/units/{world.ent_a.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/enterprises/{world.ent_a.pk}/"


def test_organization_detail_lists_sub_units_and_crumbs(world, officer, page):
    response = page(officer).get(f"/organizations/units/{world.h08.pk}/")
    assert [o.code for o in response.context["children"]] == ["ENT-A", "ENT-B"]
    assert [o.code for o in response.context["ancestors"]] == ["BCA"]
    assert response.context["can_add_child"] is True


def test_detail_outside_the_scope_is_404(world, ent_a_officer, page):
    client = page(ent_a_officer)
    assert client.get(f"/organizations/enterprises/{world.ent_b.pk}/").status_code == 404
    assert client.get(f"/organizations/facilities/{world.facility_b.pk}/").status_code == 404
    assert client.get(f"/organizations/units/{world.h08.pk}/").status_code == 404


def test_history_page_lists_every_change(world, officer, page):
    services.facility_update(actor=officer, instance=world.facility_b, data={"name": "Nhà máy 2"})
    response = page(officer).get(f"/organizations/facilities/{world.facility_b.pk}/history/")
    assert response.status_code == 200
    assert [c.action for c in response.context["page"]] == ["update", "create"]


def test_reading_a_classified_record_is_logged(world, officer, page, isolated_profile):
    facility = services.facility_create(
        actor=None,
        data={"organization": world.ent_a, "code": "F-MAT", "name": "Xưởng mật", "kind": "other",
              "province": "ha-noi", "classification": 1, "classification_basis": "Mục 3"},
    )  # fmt: skip
    response = page(officer).get(f"/organizations/facilities/{facility.pk}/")
    assert response.status_code == 200
    access = RecordAccess.objects.get()
    assert (access.user_id, access.object_id, access.classification) == (officer.pk, str(facility.pk), 1)


# --- the tree ------------------------------------------------------------------------------------------


def test_tree_shows_the_roots_the_user_sees(world, officer, ent_a_officer, page):
    assert [n.code for n in page(officer).get("/organizations/units/tree/").context["nodes"]] == ["BCA", "DT"]
    assert [n.code for n in page(ent_a_officer).get("/organizations/units/tree/").context["nodes"]] == ["ENT-A"]


def test_tree_level_is_a_partial_of_the_children(world, officer, page):
    response = page(officer).get("/organizations/units/tree/", {"parent": world.h08.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('class="tree-node"') == 2
    assert 'data-code="ENT-A"' in html and 'data-code="ENT-B"' in html


def test_tree_node_with_children_can_be_expanded(world, officer, page):
    client = page(officer, "vi")
    html = client.get("/organizations/units/tree/", {"parent": world.bca.pk}).content.decode()
    links = re.findall(r'hx-get="([^"]+)"', html)
    assert links == [f"/organizations/units/tree/?parent={world.h08.pk}"]  # H08 has sub-units, the institute none
    level = client.get(links[0])
    assert [n.code for n in level.context["nodes"]] == ["ENT-A", "ENT-B"]


def test_links_carrying_an_id_do_not_group_its_digits(world):
    """Ids reach four digits soon; "?parent=12.345" (Vietnamese grouping) would break the link."""
    node = Organization(pk=12345, code="X", name="X", kind="department", path="0001", numchild=1)
    with translation.override("vi"):
        tree = render_to_string("organizations/partials/_tree_level.html", {"nodes": [node]})
        related = render_to_string(
            "organizations/partials/_org_related.html",
            {"object": node, "children": [node], "facilities": [], "can_add_child": True, "can_add_facility": True},
        )
    assert "?parent=12345" in tree
    assert related.count("?parent=12345") == 1
    assert "?organization=12345" in related


@pytest.mark.parametrize("parent", ["abc", "999999"])
def test_tree_level_of_an_unknown_parent_is_404(world, officer, page, parent):
    assert page(officer).get("/organizations/units/tree/", {"parent": parent}).status_code == 404


def test_tree_level_outside_the_scope_is_404(world, ent_a_officer, page):
    assert page(ent_a_officer).get("/organizations/units/tree/", {"parent": world.h08.pk}).status_code == 404


# --- deletion ------------------------------------------------------------------------------------------


def test_delete_page_asks_for_confirmation(world, officer, page):
    response = page(officer).get(f"/organizations/facilities/{world.facility_b.pk}/delete/")
    assert response.status_code == 200
    assert 'id="confirm-delete"' in response.content.decode()
    assert Facility.objects.filter(pk=world.facility_b.pk).exists()


def test_delete_of_an_organisation_with_sub_units_is_409(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post(f"/organizations/units/{world.h08.pk}/delete/")
    assert response.status_code == 409
    assert "Cục Công nghiệp an ninh (H08) still has sub-units: move or delete them first." in response.content.decode()


def test_delete_of_an_enterprise_with_facilities_is_409(world, officer, page, unchanged):
    client = page(officer)
    with unchanged():
        response = client.post(f"/organizations/enterprises/{world.ent_b.pk}/delete/")
    assert response.status_code == 409


def test_facility_delete_redirects_and_records_once(world, officer, page, audit):
    pk = world.facility_b.pk
    with audit() as changes:
        response = page(officer).post(f"/organizations/facilities/{pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/organizations/facilities/"
    assert not Facility.objects.filter(pk=pk).exists()
    assert changes.summary() == [("facility", str(pk), "delete")]


def test_organisation_delete_redirects_to_the_list(world, officer, page):
    response = page(officer).post(f"/organizations/units/{world.institute.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/organizations/units/"
    assert not Organization.objects.filter(pk=world.institute.pk).exists()


def test_enterprise_officer_deletes_its_facility_not_the_others(world, ent_a_officer, page, unchanged):
    client = page(ent_a_officer)
    with unchanged():
        assert client.post(f"/organizations/facilities/{world.facility_b.pk}/delete/").status_code == 404
        assert client.post(f"/organizations/enterprises/{world.ent_a.pk}/delete/").status_code == 403
    assert client.post(f"/organizations/facilities/{world.facility_a.pk}/delete/").status_code == 302
    assert ObjectChange.objects.filter(action="delete", actor=ent_a_officer).count() == 1
