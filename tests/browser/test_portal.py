"""An officer of the Department of Security Industry works through the portal in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cnan.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username="canbo.h08"):
    page.goto(page.base_url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-button")
    expect(page.locator("#user-menu")).to_be_visible()


def test_officer_signs_in_switches_language_searches_and_manages_an_enterprise(page):
    sign_in(page)
    # Vietnamese by default: the navigation areas carry their Vietnamese names.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#area-menu")).to_contain_text("Tổ chức")
    expect(page.locator("#area-menu")).to_contain_text("Chỉ đạo điều hành")
    expect(page.locator("#current-context")).to_contain_text("Cục Công nghiệp an ninh")

    # English on request, and back.
    page.click("#switch-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#area-menu")).to_contain_text("Organisations")
    page.click("#switch-vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # Search without diacritics finds the Vietnamese names.
    page.fill("#global-search", "co khi an ninh thang long")
    page.press("#global-search", "Enter")
    expect(page.locator("#search-results")).to_contain_text("Công ty TNHH MTV Cơ khí An ninh Thăng Long")
    page.fill("#global-search", "lai yen")
    page.press("#global-search", "Enter")
    expect(page.locator("#search-results")).to_contain_text("Khu công nghiệp an ninh Lại Yên")

    # Create an enterprise: a wrong tax code is refused with a message and nothing is saved.
    page.goto(page.base_url + "/organizations/enterprises/")
    page.click("#add-button")
    page.fill("#id_code", "DN-SAODO")
    page.fill("#id_name", "Công ty TNHH MTV Thiết bị An ninh Sao Đỏ")
    page.select_option("#id_legal_form", "state_llc")
    page.fill("#id_tax_code", "0100109107")
    page.fill("#id_charter_capital", "12.500.000.000")
    page.fill("#id_state_ownership", "100")
    page.select_option("#id_province", "hai-phong")
    page.get_by_label("Công cụ hỗ trợ", exact=True).check()
    page.click("#save-button")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("[data-field=tax_code]")).to_contain_text("0100109107")

    page.fill("#id_tax_code", "0100109106")
    page.click("#save-button")
    expect(page.locator("h1")).to_contain_text("Công ty TNHH MTV Thiết bị An ninh Sao Đỏ")
    expect(page.locator("#charter-capital")).to_contain_text("12.500.000.000")
    expect(page.locator("#tax-code")).to_have_text("0100109106")

    # Edit it, then read its history: one creation, one change of the name.
    page.click("#edit-button")
    page.fill("#id_name", "Công ty TNHH MTV Thiết bị An ninh Sao Đỏ Hải Phòng")
    page.click("#save-button")
    expect(page.locator("h1")).to_contain_text("Sao Đỏ Hải Phòng")
    history = page.locator("#history")
    expect(history.locator("li")).to_have_count(2)
    expect(history).to_contain_text("name")
    expect(history).to_contain_text("canbo.h08")

    page.click("#history a")
    records = page.locator(".change-record")
    expect(records).to_have_count(2)
    expect(records.first).to_contain_text("Công ty TNHH MTV Thiết bị An ninh Sao Đỏ Hải Phòng")

    # The new enterprise appears in the list, filtered by province, and in the unit tree under H08.
    page.goto(page.base_url + "/organizations/enterprises/?province=hai-phong")
    expect(page.locator("#list-table")).to_contain_text("DN-SAODO")
    page.goto(page.base_url + "/organizations/units/tree/")
    page.locator("li[data-code=BCA] > .tree-toggle").click()
    page.locator("li[data-code=H08] > .tree-toggle").click()
    expect(page.locator("li[data-code=DN-SAODO]")).to_be_visible()


def test_enterprise_officer_sees_only_its_own_enterprise(page):
    sign_in(page, "dn.thanglong")
    page.goto(page.base_url + "/organizations/enterprises/")
    table = page.locator("#list-table")
    expect(table).to_contain_text("DN-THANGLONG")
    expect(table).not_to_contain_text("DN-SONGHAN")
    expect(page.locator("#result-count")).to_contain_text(re.compile(r"\b1\b"))
    page.fill("#global-search", "song han")
    page.press("#global-search", "Enter")
    expect(page.locator("#search-results")).not_to_contain_text("Sông Hàn")


def test_auditor_pages_through_the_audit_log_and_finds_a_users_changes(page):
    sign_in(page, "kiemtoan")
    page.goto(page.base_url + "/audit/?per_page=10")
    expect(page.locator("#result-count")).to_have_text("Mới nhất trước")
    rows = page.locator("#list-table tbody tr")
    expect(rows).to_have_count(10)
    newest = rows.first.inner_text()

    page.get_by_role("link", name="Cũ hơn »").click()  # htmx swaps the table and keeps the address
    expect(page).to_have_url(re.compile(r"before=\d+"))
    expect(rows).to_have_count(10)
    expect(rows.first).not_to_have_text(newest)
    page.get_by_role("link", name="« Mới hơn").click()
    expect(rows.first).to_have_text(newest)

    # The user is typed, not chosen from a list of people; the filter keeps to that user's changes.
    page.fill("#id_actor", "KHONG.AI.CA")
    page.click("#filter-form button[type=submit]")
    expect(page.locator("#list-table")).to_contain_text("Không có kết quả phù hợp với bộ lọc.")


def test_officer_follows_a_products_localisation_rate_through_its_bom(page):
    sign_in(page)
    # Diacritic-free search of the catalogue, in Vietnamese.
    page.goto(page.base_url + "/catalogue/products/?q=mu+chong+dan")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="MCD-01A")).to_have_count(1)
    rows.filter(has_text="MCD-01A").locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/catalogue/products/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Mũ chống đạn MCD-01A")
    # The stored figures in Vietnamese number format, and the formula explained.
    expect(page.locator("#localisation-rate")).to_have_text(re.compile(r"^\d{1,3},\d{2} %$"))
    expect(page.locator("#rollup")).to_contain_text("nhập khẩu")

    # Expand the first sub-assembly one level with htmx.
    node = page.locator("#bom-tree li.bom-row:has(> button.tree-toggle)").first
    child_code = node.get_attribute("data-code")
    node.locator("button.tree-toggle").first.click()
    expect(node.locator(".tree-children li.bom-row").first).to_be_visible()

    # In that sub-assembly's current revision, adding the helmet as a component would loop: refused,
    # with the loop named, and nothing saved.
    page.goto(page.base_url + f"/catalogue/products/?q={child_code}")
    page.locator("table tbody tr").filter(has_text=child_code).locator("a").first.click()
    page.locator("#bom-tree .card-header a").first.click()
    page.click("#add-line")
    page.fill("#id_component", "MCD-01A")
    page.fill("#id_quantity", "1")
    page.click("#save-button")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("[data-field=component]")).to_contain_text(f"{child_code} → MCD-01A → {child_code}")

    # The catalogue dashboard draws its charts from local assets, with the figures in tables.
    page.goto(page.base_url + "/catalogue/dashboard/")
    expect(page.locator("canvas, svg").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Công cụ hỗ trợ")
