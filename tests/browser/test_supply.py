"""Supply and import substitution through the portal: an operational unit adds a line to its 2026 demand plan
(by product class and group: a unit does not see the enterprises' catalogue) and submits it; the Department
consolidates the plan, runs the allocation optimiser for the year and accepts its proposal as production
orders; the enterprise the unit's line went to records a delivery, which the self-reliance dashboard does not
count until the customer unit accepts it; once accepted, the domestic share of the year rises."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from cnan.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
YEAR = 2026  # the demo's plans of this year are in every state; CAHN-PK02's is a draft with lines
SPEC = "Đèn pin chiến thuật 1.000 lumen, chống nước IPX7, cho tổ tuần tra cơ động ban đêm"
QUANTITY = 120
DELIVERED = 50
ACCEPTANCE = "318/BB-NT"


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


def number(text: str) -> Decimal:
    """A figure as the page writes it in Vietnamese (1.234.567,8) → Decimal."""
    return Decimal(re.sub(r"[^\d,]", "", text).replace(",", "."))


def self_reliance(page) -> dict[str, Decimal]:
    """The dashboard's figures of the year of acceptance (today's): the headline share by value, and the
    year's domestic (accepted) value and units in the trend table, as the Department sees them."""
    page.goto(f"{page.base_url}/supply/dashboard/?year={TODAY.year}")
    headline = page.locator("#share-value .fs-3")
    expect(headline).to_contain_text("%")
    row = page.locator(f"#by-year tr[data-key='{TODAY.year}']")
    expect(row).to_have_count(1)
    return {
        "share": number(headline.inner_text()),
        "row_share": Decimal(row.locator("[data-share-value]").get_attribute("data-share-value")),
        "value": Decimal(row.locator("[data-domestic-value]").get_attribute("data-domestic-value")),
        "units": Decimal(row.locator("[data-domestic-count]").get_attribute("data-domestic-count")),
    }


def transition(page, plan_url, action, state):
    page.goto(plan_url)
    page.click(f"#transition-form button[data-transition={action}]")
    expect(page.locator("#plan-state")).to_have_attribute("data-state", state)
    expect(page.locator(f"#workflow li[data-transition={action}]")).to_have_count(1)


def test_demand_is_allocated_ordered_delivered_accepted_and_raises_the_domestic_share(page):
    # The Department reads the year's self-reliance before.
    sign_in(page, "canbo.h08")
    before = self_reliance(page)

    # The unit's officer finds its 2026 plan, a draft, and adds a line by class and group.
    sign_in(page, "donvi.pk02hn")
    page.goto(f"{page.base_url}/supply/plans/?year={YEAR}")
    page.locator("#list-table a", has_text="CAHN-PK02").first.click()
    expect(page.locator("#plan-state")).to_have_attribute("data-state", "draft")
    plan_url = page.url.split("#")[0]
    lines_before = int(page.locator("#plan-line-count").inner_text())
    assert lines_before > 0
    page.click("#add-line")
    expect(page.locator("#id_product option:not([value=''])")).to_have_count(0)  # no enterprise's products
    page.select_option("#id_product_class", "equipment")
    choose(page, "#id_product_group", "Trang thiết bị, dịch vụ kỹ thuật")
    page.fill("#id_specification", SPEC)
    page.fill("#id_quantity", str(QUANTITY))
    page.fill("#id_unit_value", "1.450.000")  # the Vietnamese number format
    page.fill("#id_needed_by", f"{YEAR}-12-31")
    page.select_option("#id_force_type", "rapid_response")
    page.click("#save-button")
    line = page.locator("#lines tr[data-line]", has_text="Đèn pin chiến thuật 1.000 lumen")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("1.450.000")
    expect(page.locator("#plan-line-count")).to_have_text(str(lines_before + 1))
    line_pk = line.get_attribute("data-line")

    # … and submits the plan; it is the Department's to consolidate now.
    transition(page, plan_url, "submit", "submitted")
    expect(page.locator("#add-line")).to_have_count(0)

    # The Department consolidates it …
    sign_in(page, "canbo.h08")
    transition(page, plan_url, "consolidate", "consolidated")

    # … runs the optimiser over the year's consolidated demand …
    page.goto(page.base_url + "/supply/allocation/new/")
    page.fill("#id_year", str(YEAR))
    page.fill("#id_budget", "")
    page.click("#save-button")
    state = page.locator("h1 [data-state]")
    expect(state).to_have_attribute("data-state", "proposed", timeout=60_000)
    run_url = page.url.split("#")[0]
    assert re.fullmatch(r".*/supply/allocation/\d+/", run_url)
    expect(page.locator("#run-figures td[data-share]")).to_contain_text("%")
    # the new line goes in full to the cheapest domestic offer with capacity: Thăng Long's flashlight
    proposed = page.locator(f"#run-lines #line-{line_pk}")
    expect(proposed).to_contain_text("Thăng Long")
    expect(proposed).to_contain_text("DPC-")
    expect(proposed.locator("td[data-row] input[name$='-units']")).to_have_value(str(QUANTITY))
    explained = page.locator(
        f"xpath=//tr[@id='line-{line_pk}']/following-sibling::tr[td[@data-explanation]][1]/td[@data-explanation]"
    )
    expect(explained).to_have_attribute("data-explanation", "full_cheapest")
    expect(explained).to_contain_text(str(QUANTITY))

    # … and accepts the proposal as production orders.
    expect(page.locator("#id_number_prefix")).to_have_value(re.compile(rf"^PB-{YEAR}-\d+$"))
    page.click("#accept-button")
    expect(state).to_have_attribute("data-state", "accepted")
    expect(page.locator("#accept-button")).to_have_count(0)
    orders = page.locator("#run-orders li")
    assert orders.count() > 1  # every unit's proposed lines, not just ours
    ours = orders.filter(has_text="CAHN-PK02").filter(has_text="DPC-")
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text("Thăng Long")
    expect(ours).to_contain_text(str(QUANTITY))
    ours.locator("a").click()
    expect(page.locator("#order-status")).to_have_attribute("data-status", "placed")
    expect(page.locator("#order-quantity")).to_have_text(str(QUANTITY))
    expect(page.locator("#order-customer")).to_contain_text("CAHN-PK02")
    expect(page.locator("#order-enterprise")).to_contain_text("DN-THANGLONG")
    order_url = page.url.split("#")[0]
    unit_price = number(page.locator("#order-value").inner_text()) / QUANTITY

    # The enterprise records a delivery of part of the order.
    sign_in(page, "dn.thanglong")
    page.goto(order_url)
    page.click("#delivery-add-button")
    expect(page.locator("#id_delivered_on")).to_have_value(TODAY.isoformat())
    page.fill("#id_quantity", str(DELIVERED))
    page.fill("#id_note", "Giao lô 1 theo đơn hàng.")
    page.click("#save-button")
    expect(page.locator("#order-status")).to_have_attribute("data-status", "in_production")
    expect(page.locator("#figure-delivered")).to_have_text(str(DELIVERED))
    expect(page.locator("#figure-accepted")).to_have_text("0")
    expect(page.locator("#figure-remaining")).to_have_text(str(QUANTITY - DELIVERED))
    delivery = page.locator("#deliveries li[id^='delivery-']")
    expect(delivery).to_have_count(1)
    expect(delivery.locator("[data-accepted]")).to_have_attribute("data-accepted", "0")
    expect(delivery.locator("[data-action=accept]")).to_have_count(0)  # the customer accepts, not the supplier

    # Not accepted yet: the dashboard does not count it.
    sign_in(page, "canbo.h08")
    assert self_reliance(page) == before

    # The customer unit accepts the delivery (nghiệm thu) …
    sign_in(page, "donvi.pk02hn")
    page.goto(order_url)
    delivery.locator("[data-action=accept]").click()
    expect(page.locator("#id_accepted_on")).to_have_value(TODAY.isoformat())
    page.fill("#id_acceptance_number", ACCEPTANCE)
    page.click("#save-button")
    expect(delivery.locator("[data-accepted]")).to_have_attribute("data-accepted", "1")
    expect(delivery).to_contain_text(ACCEPTANCE)
    expect(page.locator("#figure-accepted")).to_have_text(str(DELIVERED))

    # … and the domestic share of the year rises by what was accepted.
    sign_in(page, "canbo.h08")
    after = self_reliance(page)
    assert after["units"] == before["units"] + DELIVERED
    assert after["value"] == before["value"] + DELIVERED * unit_price  # at the order's unit price
    assert after["row_share"] > before["row_share"]
    assert after["share"] > before["share"]
