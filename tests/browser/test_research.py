"""An S&T topic through the portal: a researcher of the Institute proposes it with its budget and two
milestones; the Department records the review council (with its minutes), the approval and the contract; the
researcher starts the work and reports the first milestone; the task is on time, then late once a milestone
falls due undone, and the dashboard counts it."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from cnan.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
CODE = "ĐT-TN-2026-99"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-button")
    expect(page.locator("#user-menu")).to_be_visible()


def choose(page, select, text):
    """Select the first option of ``select`` whose label contains ``text``."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value)


def add_milestone(page, task_url, content, due):
    page.goto(task_url)
    page.click("#add-milestone")
    page.fill("#id_content", content)
    page.fill("#id_expected_output", f"Báo cáo: {content}")
    page.fill("#id_due_on", due.isoformat())
    page.click("#save-button")
    expect(page.locator("#roadmap")).to_contain_text(content)


def pass_gate(page, task_url, gate, number, *, council=None, minutes=None):
    page.goto(task_url)
    page.click(f"#gate-actions [data-gate={gate}]")
    expect(page.locator("#gate-form")).to_have_attribute("data-gate", gate)
    if page.locator("#id_decision_number").count():
        page.fill("#id_decision_number", number)
    page.fill("#id_decided_on", TODAY.isoformat())
    if council:
        page.fill("#id_council", council)
    if minutes:
        page.set_input_files("#id_minutes", str(minutes))
    page.click("#gate-button")
    expect(page.locator("#task-stage")).to_be_visible()


def late_count(page) -> int:
    page.goto(page.base_url + "/research/dashboard/")
    return int(page.locator("#late-tasks .fs-3").inner_text())


def test_a_topic_is_proposed_reviewed_approved_contracted_started_reported_and_falls_late(page, tmp_path):
    # The researcher of the Institute proposes the topic with its budget …
    sign_in(page, "nghiencuu")
    page.goto(page.base_url + "/research/tasks/add/")
    page.fill("#id_code", CODE)
    page.fill("#id_title", "Nghiên cứu chế tạo cảm biến phát hiện chất nổ")
    page.select_option("#id_level", "ministry")
    page.select_option("#id_kind", "topic")
    page.select_option("#id_formation", "commission")
    page.select_option("#id_selection", "direct")
    choose(page, "#id_host", "Viện Khoa học")
    page.fill("#id_principal_investigator", "TS. Đỗ Đức Anh")
    page.fill("#id_start_on", (TODAY - dt.timedelta(days=30)).isoformat())
    page.fill("#id_end_on", (TODAY + dt.timedelta(days=365)).isoformat())
    page.fill("#id_budget_total", "600.000.000")  # the Vietnamese number format
    page.select_option("#id_budget-0-source", "ministry")
    page.fill("#id_budget-0-year", str(TODAY.year))
    page.fill("#id_budget-0-planned", "600.000.000")
    page.click("#save-button")
    expect(page.locator("#task-stage")).to_have_attribute("data-stage", "proposed")
    expect(page.locator("#budget")).to_contain_text("600.000.000")
    task_url = page.url.split("#")[0]

    # … and its roadmap: two milestones.
    add_milestone(page, task_url, "Thiết kế cảm biến", TODAY + dt.timedelta(days=20))
    add_milestone(page, task_url, "Chế tạo và thử nghiệm mẫu", TODAY + dt.timedelta(days=300))
    page.goto(task_url)
    expect(page.locator("#roadmap [data-number]")).to_have_count(2)
    expect(page.locator("#gate-actions")).to_have_count(0)  # the host passes none of the Department's gates

    # The Department records the review council with its minutes, the approval and the contract.
    sign_in(page, "canbo.h08")
    minutes = tmp_path / "bien-ban-hoi-dong.pdf"
    minutes.write_bytes(b"%PDF-1.4\n% bien ban hoi dong tu van\n%%EOF\n")
    pass_gate(
        page,
        task_url,
        "review",
        "15/QĐ-H08",
        council="PGS.TS. Nguyễn Văn Bình (chủ tịch)\nTS. Lê Thị Hoa (phản biện)",
        minutes=minutes,
    )
    expect(page.locator("#task-stage")).to_have_attribute("data-stage", "reviewed")
    review = page.locator("#gates [data-gate=review]")
    expect(review).to_contain_text("15/QĐ-H08")
    expect(review).to_contain_text("PGS.TS. Nguyễn Văn Bình")
    with page.expect_download() as download:
        review.locator(".minutes-link").click()
    assert download.value.suggested_filename.startswith("bien-ban-hoi-dong")
    href = review.locator(".minutes-link").get_attribute("href")
    assert re.fullmatch(r"/research/gates/\d+/minutes/", href)  # through the portal, not a media address
    pass_gate(page, task_url, "approve", "16/QĐ-BCA")
    expect(page.locator("#task-stage")).to_have_attribute("data-stage", "approved")
    pass_gate(page, task_url, "contract", "05/HĐ-KHCN")
    expect(page.locator("#task-stage")).to_have_attribute("data-stage", "contracted")
    expect(page.locator("#gate-actions [data-gate=start]")).to_have_count(0)  # the host starts the work
    before = late_count(page)

    # The researcher starts the work and reports the first milestone done: on time.
    sign_in(page, "nghiencuu")
    pass_gate(page, task_url, "start", "")
    expect(page.locator("#task-stage")).to_have_attribute("data-stage", "in_progress")
    expect(page.locator("#task-schedule")).to_have_attribute("data-schedule", "on_time")
    first = page.locator("#roadmap [data-number='1']")
    first.locator(".report-link").click()
    page.fill("#id_reported_on", TODAY.isoformat())
    page.fill("#id_percent", "100")
    page.fill("#id_narrative", "Đã hoàn thành thiết kế cảm biến")
    page.fill("#id_output_delivered", "Hồ sơ thiết kế")
    page.click("#report-button")
    expect(first).to_contain_text("100 %")
    expect(first).to_have_attribute("data-late", "0")
    expect(first.locator(".report-link")).to_have_count(0)
    expect(page.locator("#task-schedule")).to_have_attribute("data-schedule", "on_time")

    # A milestone of the roadmap falls due undone: the task is late, and the dashboard counts it.
    add_milestone(page, task_url, "Khảo sát hiện trường", TODAY - dt.timedelta(days=3))
    page.goto(task_url)
    expect(page.locator("#task-schedule")).to_have_attribute("data-schedule", "late")
    expect(page.locator("#roadmap [data-late='1']")).to_contain_text("Khảo sát hiện trường")
    sign_in(page, "canbo.h08")
    assert late_count(page) == before + 1
    page.click("#late-tasks")
    expect(page.locator("#list-table")).to_contain_text(CODE)
