"""A directive followed up through the portal: the Department records it with three tasks and cascades
one to an enterprise; the enterprise reports with evidence; the Department accepts; the dashboard's
colours and the task's forecast follow."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from cnan.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-button")
    expect(page.locator("#user-menu")).to_be_visible()


def rag_counts(page) -> dict[str, int]:
    page.goto(page.base_url + "/directives/dashboard/")
    return {key: int(page.locator(f"#rag-{key} .fs-3").inner_text()) for key in ("red", "amber", "green")}


def choose(page, select, text):
    """Select the first option of ``select`` whose label contains ``text``."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value)


def add_task(page, document_url, number, lead, days, content):
    page.goto(document_url)
    page.click("#add-task")
    page.fill("#id_number", number)
    page.fill("#id_content", content)
    choose(page, "#id_lead", lead)
    page.fill("#id_deadline", (TODAY + dt.timedelta(days=days)).isoformat())
    page.fill("#id_expected_product", f"Báo cáo kết quả nhiệm vụ {number}")
    page.click("#save-button")
    expect(page.locator("#task-status")).to_be_visible()
    return page.url


def test_a_directive_is_cascaded_reported_with_evidence_and_accepted(page, tmp_path):
    sign_in(page, "canbo.h08")
    before = rag_counts(page)

    # The Department records the directive …
    page.goto(page.base_url + "/directives/documents/add/")
    choose(page, "#id_organization", "Cục Công nghiệp an ninh")
    page.select_option("#id_kind", "directive")
    page.fill("#id_number", "99/CT-H08")
    page.fill("#id_issuer", "Cục trưởng Cục Công nghiệp an ninh")
    page.fill("#id_issued_on", (TODAY - dt.timedelta(days=60)).isoformat())
    page.fill("#id_title", "Về đẩy nhanh nội địa hoá thiết bị bảo vệ")
    page.click("#save-button")
    expect(page.locator("#document-details")).to_contain_text("99/CT-H08")
    document_url = page.url

    # … with three tasks: one it leads itself, due in ten days, and two far off …
    first = add_task(page, document_url, "1", "Cục Công nghiệp an ninh", 10, "Tổng hợp nhu cầu thiết bị")
    add_task(page, document_url, "2", "Sông Hàn", 200, "Xây dựng lộ trình nội địa hoá")
    add_task(page, document_url, "3", "Thăng Long", 250, "Đề xuất danh mục sản phẩm")
    page.goto(document_url)
    expect(page.locator("#tasks")).to_contain_text("Tổng hợp nhu cầu thiết bị")
    expect(page.locator("#tasks")).to_contain_text("Đề xuất danh mục sản phẩm")

    # … and cascades the first to the Thăng Long enterprise, due the same day.
    page.goto(first)
    page.click("#add-subtask")
    page.fill("#id_number", "1.1")
    page.fill("#id_content", "Khảo sát nhu cầu tại Thăng Long")
    choose(page, "#id_lead", "Thăng Long")
    page.fill("#id_deadline", (TODAY + dt.timedelta(days=10)).isoformat())
    page.fill("#id_expected_product", "Báo cáo khảo sát")
    page.click("#save-button")
    expect(page.locator("#task-lead")).to_contain_text("Thăng Long")
    subtask = page.url
    # Nothing done and less than a quarter of the time left: the forecast warns, and the dashboard counts
    # 1 and 1.1 red (their pace will miss), 2 and 3 green.
    expect(page.locator("#will-miss")).to_be_visible()
    expect(page.locator("#task-status")).to_have_attribute("data-status", "not_started")
    after_cascade = rag_counts(page)
    assert after_cascade["red"] == before["red"] + 2
    assert after_cascade["amber"] == before["amber"]
    assert after_cascade["green"] == before["green"] + 2

    # The enterprise officer sees the sub-task and reports its completion with an evidence file.
    sign_in(page, "dn.thanglong")
    page.goto(subtask)
    evidence = tmp_path / "bien-ban-khao-sat.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% khao sat\n%%EOF\n")
    page.fill("#id_reported_on", TODAY.isoformat())
    page.fill("#id_percent", "100")
    page.fill("#id_narrative", "Đã khảo sát 12 đơn vị")
    page.fill("#id_product_delivered", "Báo cáo khảo sát số 15/BC-TL")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("#report-button")
    report = page.locator("#reports li[data-state=submitted]")
    expect(report).to_contain_text("100 %")
    expect(report.locator(".evidence-link")).to_contain_text("bien-ban-khao-sat.pdf")
    expect(report.locator("[data-action=accept]")).to_have_count(0)  # only the assigning side reviews

    # The Department accepts it: the sub-task and its parent are done on time.
    sign_in(page, "canbo.h08")
    page.goto(subtask)
    page.locator("#reports li[data-state=submitted] [data-action=accept]").click()
    expect(page.locator("#reports li[data-state=accepted]")).to_be_visible()
    expect(page.locator("#task-status")).to_have_attribute("data-status", "done_on_time")
    expect(page.locator("#task-progress")).to_contain_text("100")
    expect(page.locator("#forecast")).not_to_contain_text("miss")
    expect(page.locator("#will-miss")).to_have_count(0)
    page.goto(first)
    expect(page.locator("#task-status")).to_have_attribute("data-status", "done_on_time")
    done = rag_counts(page)
    assert done["amber"] == before["amber"]
    assert done["green"] == before["green"] + 4
    assert done["red"] == before["red"]


def test_the_task_list_pages_by_position_in_the_sorted_order(page):
    """The task list pages by position (no page numbers, no total): "next" and "previous" swap the table in
    place and keep the sort and the page size; sorting again starts from the first page."""
    sign_in(page, "canbo.h08")
    page.goto(page.base_url + "/directives/tasks/?per_page=10&sort=-effective_deadline")
    rows = page.locator("#list-table tbody tr")
    expect(rows).to_have_count(10)
    first = rows.first.inner_text()

    page.locator("#keyset-pager a[rel=next]").click()  # htmx swaps the table and pushes the address
    expect(page).to_have_url(re.compile(r"after=[\w-]+"))
    expect(page).to_have_url(re.compile(r"sort=-effective_deadline"))
    expect(rows.first).not_to_have_text(first)
    page.locator("#keyset-pager a[rel=prev]").click()
    expect(rows.first).to_have_text(first)
    expect(page.locator("#keyset-pager a[rel=prev]")).to_have_count(0)

    page.locator("#keyset-pager a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"after="))
    page.locator("#list-table th.orderable a").first.click()  # another sort: back to its first page
    expect(page).not_to_have_url(re.compile(r"after="))
    expect(page.locator("#keyset-pager a[rel=prev]")).to_have_count(0)
    expect(rows).to_have_count(10)
