"""The orders' pages: placing an order (pre-filled from a demand line, never beyond the line, beyond the
enterprise's capacity only with a reason the page asks for), the order's page (value, deliveries, capacity
figures, buttons for who may use them), cancelling with a reason, deliveries never beyond what is left, the
customer's acceptance and feedback, the three lists with their filters and exports; who sees what, in both
languages, and nothing written when refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

import pytest

from cnan.catalogue import services as catalogue
from cnan.core.models import ObjectChange
from cnan.core.testing import database_state, login
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import services
from cnan.supply.models import Delivery, DemandPlan, Feedback, ForceType, ProductionOrder

STATE = ("supply", "core")


@pytest.fixture
def page(db):
    def make(user, language: str = "en"):
        client = login(Client(), user)
        client.cookies["cnan_language"] = language
        return client

    return make


@pytest.fixture
def s(world, make_user):
    unit = org_services.organization_create(
        actor=None,
        parent=world.bca,
        data={"code": "K02", "name": "Bộ Tư lệnh Cảnh sát cơ động", "kind": Organization.Kind.OPERATIONAL_UNIT},
    )
    group = ProductGroup.objects.order_by("pk").first()
    vest = catalogue.product_create(
        actor=None,
        data={
            "organization": world.ent_a,
            "code": "AGC-01",
            "name": "Áo giáp chống đạn",
            "product_class": "support_tool",
            "group": group,
            "price": Decimal("12000000"),
        },
    )
    officer = make_user("department_officer", world.h08, clearance=1)
    uo = make_user("unit_officer", unit)
    plan = services.plan_create(actor=uo, data={"unit": unit, "year": 2026})
    line = services.line_create(
        actor=uo,
        plan=plan,
        data={
            "product_class": "support_tool",
            "product_group": group,
            "unit_value": Decimal("12000000"),
            "specification": "Cấp bảo vệ III",
            "quantity": 100,
            "needed_by": dt.date(2026, 6, 30),
            "force_type": ForceType.RAPID_RESPONSE,
        },
    )
    services.plan_transition(actor=uo, plan=plan, action="submit")
    services.plan_transition(actor=officer, plan=plan, action="consolidate")
    line.refresh_from_db()
    line.plan.refresh_from_db()
    services.capacity_set(actor=None, enterprise=world.ent_a, product_group=group, year=2026, units=50)
    return type(
        "S",
        (),
        {
            "world": world,
            "unit": unit,
            "group": group,
            "vest": vest,
            "line": line,
            "officer": officer,
            "uo": uo,
            "ent_a": make_user("enterprise_officer", world.ent_a),
            "ent_b": make_user("enterprise_officer", world.ent_b),
        },
    )


def form(s, **extra):
    data = {
        "number": "ĐH-2026-001",
        "mode": "ordering",
        "customer": s.unit.pk,
        "enterprise": s.world.ent_a.pk,
        "product": s.vest.pk,
        "demand_line": s.line.pk,
        "year": "2026",
        "quantity": "40",
        "unit_price": "11500000",
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": "2026-01-15",
        "due_on": "2026-06-30",
        "classification": "0",
        **extra,
    }
    return {k: v for k, v in data.items() if v is not None}


def place(s, **extra):
    data = {
        "number": "ĐH-2026-001",
        "mode": "ordering",
        "customer": s.unit,
        "enterprise": s.world.ent_a,
        "product": s.vest,
        "demand_line": s.line,
        "year": 2026,
        "quantity": 40,
        "unit_price": Decimal("11500000"),
        "price_basis": "estimate",
        "funding": "ministry",
        "ordered_on": dt.date(2026, 1, 15),
        "due_on": dt.date(2026, 6, 30),
        **extra,
    }
    return services.order_create(actor=s.officer, data=data)


def test_the_add_page_is_prefilled_from_a_demand_line(s, page):
    place(s, quantity=30)
    response = page(s.officer).get(reverse("supply:order_add") + f"?line={s.line.pk}")
    assert response.status_code == 200
    form_ = response.context["form"]
    assert form_.initial["customer"] == s.unit.pk
    assert form_.initial["quantity"] == 70  # 100 asked for, 30 ordered
    assert form_.initial["year"] == 2026
    assert list(form_.fields["product"].queryset) == [s.vest]
    assert 'id="order-line"' in response.content.decode()
    assert page(s.officer).get(reverse("supply:order_add") + "?line=999999").status_code == 404


def test_an_order_beyond_capacity_shows_the_figures_and_proceeds_with_a_reason(s, page):
    client = page(s.officer)
    before = database_state(STATE)
    response = client.post(reverse("supply:order_add"), form(s, quantity="60"))
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="capacity-warning"' in text
    assert "60 units" in text and "capacity of 50" in text
    assert '<textarea name="over_capacity_reason"' in text
    assert database_state(STATE) == before

    response = client.post(reverse("supply:order_add"), form(s, quantity="60", over_capacity_reason="Nhiệm vụ gấp"))
    assert response.status_code == 302
    order = ProductionOrder.objects.get()
    assert (order.quantity, order.over_capacity_reason) == (60, "Nhiệm vụ gấp")
    assert response["Location"] == order.get_absolute_url()


def test_an_order_never_exceeds_its_demand_line_in_either_language(s, page):
    place(s, quantity=50, over_capacity_reason="")
    for language, words in (("en", "already ordered"), ("vi", "")):
        before = database_state(STATE)
        response = page(s.officer, language).post(
            reverse("supply:order_add"), form(s, number="ĐH-2", quantity="60", over_capacity_reason="x")
        )
        assert response.status_code == 422
        assert response.context["form"].errors["quantity"]
        assert words in response.content.decode()
        assert database_state(STATE) == before


def test_who_may_place_an_order(s, page):
    assert page(s.ent_a).get(reverse("supply:order_add")).status_code == 403
    before = database_state(STATE)
    assert page(s.ent_a).post(reverse("supply:order_add"), form(s)).status_code == 403
    assert database_state(STATE) == before


def figure(text: str, name: str) -> str:
    return re.search(rf'id="figure-{name}">([^<]*)<', text).group(1)


def test_the_order_page_shows_value_deliveries_and_buttons_by_side(s, page):
    order = place(s)
    delivery = services.delivery_create(
        actor=s.ent_a, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 15}
    )
    url = order.get_absolute_url()
    text = page(s.ent_a).get(url).content.decode()
    assert f'id="delivery-{delivery.pk}"' in text
    assert 'id="delivery-add-button"' in text and 'data-action="accept"' not in text
    assert 'id="cancel-button"' not in text
    assert figure(text, "remaining") == "25"
    assert figure(text, "booked") == "40"
    assert figure(text, "capacity") == "50"
    assert figure(text, "capacity-left") == "10"
    text = page(s.uo).get(url).content.decode()
    assert 'data-action="accept"' in text and 'id="delivery-add-button"' not in text
    assert 'id="cancel-button"' not in text  # delivered already
    assert 'id="capacity-figures"' not in text  # the enterprise's capacity is not the customer's to read
    assert 'id="capacity-figures"' in page(s.officer).get(url).content.decode()
    assert page(s.ent_b).get(url).status_code == 404
    vi = page(s.uo, "vi").get(url)
    assert vi.status_code == 200 and "460.000.000" in vi.content.decode()  # 40 × 11.500.000


def test_cancelling_needs_a_reason_and_the_customers_side(s, page):
    order = place(s)
    url = reverse("supply:order_cancel", kwargs={"pk": order.pk})
    assert page(s.ent_a).post(url, {"reason": "x"}).status_code == 403
    before = database_state(STATE)
    response = page(s.uo).post(url, {"reason": " "})
    assert response.status_code == 422
    assert database_state(STATE) == before
    assert page(s.uo).post(url, {"reason": "Đơn vị đổi kế hoạch"}).status_code == 302
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.CANCELLED


def test_deliveries_never_exceed_what_is_left_then_acceptance_and_feedback(s, page):
    order = place(s)
    add = reverse("supply:delivery_add", kwargs={"pk": order.pk})
    assert page(s.uo).get(add).status_code == 403
    assert page(s.ent_b).get(add).status_code == 404
    client = page(s.ent_a)
    assert client.post(add, {"delivered_on": "2026-03-01", "quantity": "30"}).status_code == 302
    before = database_state(STATE)
    response = client.post(add, {"delivered_on": "2026-03-02", "quantity": "11"})
    assert response.status_code == 422
    assert "10 units left" in response.content.decode()
    assert database_state(STATE) == before
    delivery = Delivery.objects.get()

    accept = reverse("supply:delivery_accept", kwargs={"pk": delivery.pk})
    assert page(s.ent_a).post(accept, {"accepted_on": "2026-03-05", "acceptance_number": "NT-1"}).status_code == 403
    feedback = reverse("supply:feedback_add", kwargs={"pk": delivery.pk})
    response = page(s.uo).post(feedback, {"given_on": "2026-03-06", "rating": "4"})
    assert response.status_code == 422  # feedback follows acceptance
    assert page(s.uo).post(accept, {"accepted_on": "2026-02-01", "acceptance_number": "NT-1"}).status_code == 422
    response = page(s.uo).post(accept, {"accepted_on": "2026-03-05", "acceptance_number": "NT-1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#delivery-{delivery.pk}")
    response = page(s.uo).post(feedback, {"given_on": "2026-03-06", "rating": "2", "comment": ""})
    assert response.status_code == 422  # a low rating needs a comment
    assert (
        page(s.uo).post(feedback, {"given_on": "2026-03-06", "rating": "2", "comment": "Khoá hỏng"}).status_code == 302
    )
    assert Feedback.objects.get().rating == 2
    assert ObjectChange.objects.filter(content_type__model="feedback").count() == 1


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_lists_filter_sort_and_export(s, page, make_user):
    order = place(s)
    place(s, number="ĐH-2026-002", quantity=5, mode="task", price_basis="fixed", funding="state")
    services.delivery_create(actor=s.ent_a, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 10})
    d2 = services.delivery_create(actor=s.ent_a, order=order, data={"delivered_on": dt.date(2026, 4, 1), "quantity": 4})
    services.delivery_accept(actor=s.uo, delivery=d2, accepted_on=dt.date(2026, 4, 2), acceptance_number="NT-2")
    services.feedback_create(actor=s.uo, delivery=d2, data={"rating": 5, "comment": "Tốt"})
    client = page(s.officer)
    orders = reverse("supply:order_list")
    assert len(client.get(orders).context["table"].rows) == 2
    for query, n in (("mode=task", 1), ("funding=ministry", 1), ("year=2025", 0), ("product_class=support_tool", 2)):
        assert len(client.get(f"{orders}?{query}").context["table"].rows) == n, query
    assert len(client.get(f"{orders}?customer={s.unit.pk}&status=placed").context["table"].rows) == 1
    assert client.get(f"{orders}?year=abc").status_code == 400
    rows = _csv(client.get(f"{orders}?export=csv&sort=order"))
    assert [r[0] for r in rows[1:]] == ["ĐH-2026-001 — AGC-01", "ĐH-2026-002 — AGC-01"]
    assert client.get(f"{orders}?export=xlsx").status_code == 200

    deliveries = reverse("supply:delivery_list")
    assert len(client.get(f"{deliveries}?accepted=true").context["table"].rows) == 1
    assert len(client.get(f"{deliveries}?accepted=false").context["table"].rows) == 1
    assert len(client.get(f"{deliveries}?accepted_year=2026").context["table"].rows) == 1
    assert len(client.get(f"{deliveries}?year=2026&enterprise={s.world.ent_a.pk}").context["table"].rows) == 2
    rows = _csv(client.get(f"{deliveries}?export=csv&accepted=true"))
    value = rows[0].index("Value (VND)")
    assert rows[1][value] == "46000000"  # 4 × 11.500.000

    feedback = reverse("supply:feedback_list")
    assert len(client.get(f"{feedback}?rating=5").context["table"].rows) == 1
    assert len(client.get(f"{feedback}?rating=1").context["table"].rows) == 0
    assert len(_csv(client.get(f"{feedback}?export=csv"))) == 2

    # another enterprise sees none of it, nor the parties in the filters
    other = page(s.ent_b)
    for url in (orders, deliveries, feedback):
        response = other.get(url)
        assert response.status_code == 200 and len(response.context["table"].rows) == 0
        assert "K02" not in response.content.decode()
    assert page(make_user("lab_officer", s.world.ent_a)).get(orders).status_code == 403


def test_the_lists_name_the_parties_and_read_years_and_money_alike_in_both_languages(s, page):
    order = place(s)
    delivery = services.delivery_create(
        actor=s.ent_a, order=order, data={"delivered_on": dt.date(2026, 3, 1), "quantity": 4}
    )
    services.delivery_accept(actor=s.uo, delivery=delivery, accepted_on=dt.date(2026, 3, 2), acceptance_number="NT")
    services.feedback_create(actor=s.uo, delivery=delivery, data={"rating": 4, "comment": "Tốt"})
    for language, money in (("en", "11,500,000"), ("vi", "11.500.000")):
        client = page(s.officer, language)
        for url in (reverse("supply:order_list"), reverse("supply:delivery_list"), reverse("supply:feedback_list")):
            text = client.get(url).content.decode()
            # the customer unit and the enterprise by name, as the demand lists and the other areas show them
            assert s.unit.name in text and s.world.ent_a.name in text, url
        text = client.get(reverse("supply:order_list")).content.decode()
        assert ">2026<" in text and "2,026" not in text and "2.026" not in text  # a year, not a number
        assert money in text  # the unit price, grouped as the language groups the dashboard's and demand's
        # "Order" is a production order, not the sort order Django's own catalogue translates the word as
        assert "Thứ tự" not in text
        assert "Thứ tự" not in client.get(order.get_absolute_url()).content.decode()
    rows = _csv(page(s.officer).get(reverse("supply:order_list") + "?export=csv"))
    assert rows[1][rows[0].index("Customer unit")] == s.unit.name and rows[1][rows[0].index("Year")] == "2026"


def test_the_pages_read_in_both_languages(s, page):
    order = place(s)
    for language in ("en", "vi"):
        client = page(s.officer, language)
        for url in (
            reverse("supply:order_list"),
            reverse("supply:order_add"),
            order.get_absolute_url(),
            reverse("supply:productionorder_history", kwargs={"pk": order.pk}),
            reverse("supply:order_cancel", kwargs={"pk": order.pk}),
            reverse("supply:delivery_add", kwargs={"pk": order.pk}),
            reverse("supply:delivery_list"),
            reverse("supply:feedback_list"),
        ):
            assert client.get(url).status_code == 200, url
    assert DemandPlan.objects.get().state == DemandPlan.State.CONSOLIDATED
