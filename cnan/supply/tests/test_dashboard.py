"""The self-reliance dashboard: each figure against values computed by hand on a small world (a delivery counted
once, and only once accepted), the value substituted as defined, the localisation rate, the visibility rule
(another enterprise's or unit's data is not in a user's figures), a flat query count, the page in English and
Vietnamese with its drill-down links, bad input, the exports and the home widget."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest
from openpyxl import load_workbook

from cnan.catalogue import services as catalogue
from cnan.catalogue.models import ProductRollup
from cnan.core.testing import login
from cnan.organizations import services as org_services
from cnan.organizations.models import Organization, ProductGroup
from cnan.supply import dashboards, services
from cnan.supply.views.dashboard import home_self_reliance

M = Decimal(1_000_000)
THIS_YEAR = timezone.localdate().year
URL = "/supply/dashboard/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def drill(*, year=None, product_class=None, unit=None) -> tuple[str, str]:
    """The drill-down lists, spelled out here once: the accepted deliveries and the imported purchases."""
    deliveries = {"accepted": "true", "accepted_year": year, "product_class": product_class, "customer": unit}
    imports = {"year": year, "product_class": product_class, "unit": unit}

    def url(name, params):
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return reverse(name) + ("?" + query if query else "")

    return url("supply:delivery_list", deliveries), url("supply:import_list", imports)


def _order(s, *, number, customer, enterprise, product, year, quantity, price):
    return services.order_create(
        actor=s.officer,
        data={
            "number": number,
            "mode": "ordering",
            "customer": customer,
            "enterprise": enterprise,
            "product": product,
            "year": year,
            "quantity": quantity,
            "unit_price": price,
            "price_basis": "estimate",
            "funding": "ministry",
            "ordered_on": dt.date(year, 1, 10),
            "due_on": dt.date(year, 12, 31),
            "over_capacity_reason": "Nhiệm vụ đột xuất",
        },
    )


def _deliver(s, order, *, actor, quantity, on, accepted_by=None, accepted_on=None):
    delivery = services.delivery_create(actor=actor, order=order, data={"delivered_on": on, "quantity": quantity})
    if accepted_by is not None:
        delivery = services.delivery_accept(
            actor=accepted_by, delivery=delivery, accepted_on=accepted_on, acceptance_number=f"NT-{delivery.pk}"
        )
    return delivery


def _import(s, *, actor, unit, year, product_class, quantity, value, description="Nhập khẩu"):
    return services.import_create(
        actor=actor,
        data={
            "unit": unit,
            "year": year,
            "product_class": product_class,
            "description": description,
            "country": "IL",
            "quantity": quantity,
            "value": value,
        },
    )


@pytest.fixture
def s(world, make_user):
    """Units K02 and K03; ENT-A makes a vest (support tools), ENT-B a uniform.

    - K02 ordered 40 vests at 10 M in 2025: 30 delivered and accepted in 2025, 10 delivered, never accepted;
      20 vests at 11 M in 2026, delivered and accepted in 2026.
    - K03 ordered 100 uniforms at 1 M in 2026: 50 delivered and accepted in 2026.
    - Imports: K02 support tools 2024 (10 units, 500 M) and 2026 (5 units, 300 M); K03 uniforms 2026 (50 units,
      100 M).
    """
    unit_kind = Organization.Kind.OPERATIONAL_UNIT
    k02 = org_services.organization_create(
        actor=None, parent=world.bca, data={"code": "K02", "name": "Bộ Tư lệnh Cảnh sát cơ động", "kind": unit_kind}
    )
    k03 = org_services.organization_create(
        actor=None, parent=world.bca, data={"code": "K03", "name": "Cục Cảnh sát PCCC", "kind": unit_kind}
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
            "price": 12 * M,
        },
    )
    uniform = catalogue.product_create(
        actor=None,
        data={
            "organization": world.ent_b,
            "code": "QP-01",
            "name": "Quân phục chống cháy",
            "product_class": "uniform",
            "group": group,
            "price": 1 * M,
        },
    )
    s = SimpleNamespace(
        world=world,
        k02=k02,
        k03=k03,
        vest=vest,
        uniform=uniform,
        officer=make_user("department_officer", world.h08, clearance=1),
        uo2=make_user("unit_officer", k02),
        uo3=make_user("unit_officer", k03),
        ent_a=make_user("enterprise_officer", world.ent_a),
        ent_b=make_user("enterprise_officer", world.ent_b),
        member=make_user(None, world.ent_a),
    )
    o1 = _order(
        s, number="ĐH-1", customer=k02, enterprise=world.ent_a, product=vest, year=2025, quantity=40, price=10 * M
    )
    s.d1 = _deliver(
        s, o1, actor=s.ent_a, quantity=30, on=dt.date(2025, 3, 1), accepted_by=s.uo2, accepted_on=dt.date(2025, 3, 5)
    )
    s.d2 = _deliver(s, o1, actor=s.ent_a, quantity=10, on=dt.date(2025, 4, 1))  # never accepted
    o2 = _order(
        s, number="ĐH-2", customer=k02, enterprise=world.ent_a, product=vest, year=2026, quantity=20, price=11 * M
    )
    _deliver(
        s, o2, actor=s.ent_a, quantity=20, on=dt.date(2026, 2, 1), accepted_by=s.uo2, accepted_on=dt.date(2026, 2, 10)
    )
    o3 = _order(
        s, number="ĐH-3", customer=k03, enterprise=world.ent_b, product=uniform, year=2026, quantity=100, price=1 * M
    )
    s.d4 = _deliver(
        s, o3, actor=s.ent_b, quantity=50, on=dt.date(2026, 3, 1), accepted_by=s.uo3, accepted_on=dt.date(2026, 3, 2)
    )
    services.feedback_create(actor=s.uo2, delivery=s.d1, data={"rating": 5, "comment": "Tốt"})
    services.feedback_create(actor=s.uo2, delivery=s.d1, data={"rating": 4, "comment": "Khá"})
    _import(s, actor=s.uo2, unit=k02, year=2024, product_class="support_tool", quantity=10, value=500 * M)
    _import(s, actor=s.uo2, unit=k02, year=2026, product_class="support_tool", quantity=5, value=300 * M)
    _import(s, actor=s.uo3, unit=k03, year=2026, product_class="uniform", quantity=50, value=100 * M)
    return s


def figures(rows):
    return {
        r.key: (r.domestic_value, r.domestic_count, r.import_value, r.import_count, r.share_value, r.share_count)
        for r in rows
    }


def test_the_shares_by_class_unit_and_year_all_years(s):
    by_class = dashboards.by_class(user=s.officer)
    assert [r.key for r in by_class] == ["support_tool", "uniform"]  # in the order of ProductClass
    assert [r.label for r in by_class] == ["Support tools", "Uniforms and gear"]
    assert figures(by_class) == {
        # 30 × 10 M + 20 × 11 M (the 10 vests not accepted are not counted) against 500 M + 300 M
        "support_tool": (520 * M, 50, 800 * M, 15, Decimal("39.4"), Decimal("76.9")),
        "uniform": (50 * M, 50, 100 * M, 50, Decimal("33.3"), Decimal("50.0")),
    }
    assert figures(dashboards.by_unit(user=s.officer)) == {
        s.k02.pk: (520 * M, 50, 800 * M, 15, Decimal("39.4"), Decimal("76.9")),
        s.k03.pk: (50 * M, 50, 100 * M, 50, Decimal("33.3"), Decimal("50.0")),
    }
    assert [r.label for r in dashboards.by_unit(user=s.officer)] == [
        "K02 — Bộ Tư lệnh Cảnh sát cơ động",
        "K03 — Cục Cảnh sát PCCC",
    ]
    assert figures(dashboards.by_year(user=s.officer)) == {
        2024: (0, 0, 500 * M, 10, Decimal("0.0"), Decimal("0.0")),
        2025: (300 * M, 30, 0, 0, Decimal("100.0"), Decimal("100.0")),
        2026: (270 * M, 70, 400 * M, 55, Decimal("40.3"), Decimal("56.0")),
    }
    total = dashboards.total(by_class)
    assert (total.domestic_value, total.import_value, total.share_value) == (570 * M, 900 * M, Decimal("38.8"))


def test_a_chosen_year_counts_the_deliveries_accepted_and_the_imports_bought_that_year(s):
    assert figures(dashboards.by_class(user=s.officer, year=2026)) == {
        "support_tool": (220 * M, 20, 300 * M, 5, Decimal("42.3"), Decimal("80.0")),
        "uniform": (50 * M, 50, 100 * M, 50, Decimal("33.3"), Decimal("50.0")),
    }
    assert figures(dashboards.by_unit(user=s.officer, year=2024)) == {
        s.k02.pk: (0, 0, 500 * M, 10, Decimal("0.0"), Decimal("0.0"))
    }


def test_a_delivery_counts_once_and_only_once_accepted(s):
    before = dashboards.by_year(user=s.officer)
    assert dashboards.year_share(before, 2025).domestic_count == 30
    services.delivery_accept(actor=s.uo2, delivery=s.d2, accepted_on=dt.date(2025, 5, 1), acceptance_number="NT-9")
    after = dashboards.year_share(dashboards.by_year(user=s.officer), 2025)
    assert (after.domestic_count, after.domestic_value) == (40, 400 * M)  # the 10 added once, two feedbacks aside


def test_the_value_substituted_is_domestic_deliveries_of_classes_imported_in_earlier_years(s):
    """Vests: support tools were imported in 2024, so the 2025 and 2026 acceptances substitute imports.
    Uniforms were first imported in 2026, the year they were accepted: not a substitution."""
    assert dashboards.substituted_by_class(user=s.officer) == {"support_tool": (520 * M, 50)}
    assert dashboards.substituted_by_class(user=s.officer, year=2025) == {"support_tool": (300 * M, 30)}
    by_class = {r.key: r for r in dashboards.by_class(user=s.officer)}
    assert (by_class["support_tool"].substituted_value, by_class["uniform"].substituted_value) == (520 * M, 0)
    _import(s, actor=s.uo3, unit=s.k03, year=2025, product_class="uniform", quantity=1, value=1 * M)
    assert dashboards.substituted_by_class(user=s.officer)["uniform"] == (50 * M, 50)
    # a class imported only in a later year substitutes nothing
    assert dashboards.substituted_by_class(user=s.officer, year=2024) == {}


def test_the_localisation_rate_is_weighted_by_the_value_delivered_and_accepted(s):
    ProductRollup.objects.filter(product=s.vest).update(localisation_rate=Decimal("60"))
    ProductRollup.objects.filter(product=s.uniform).update(localisation_rate=Decimal("80"))
    # (520 M × 60 + 50 M × 80) / 570 M = 61.75…; the 10 vests not accepted are left out
    assert dashboards.localisation_rate(user=s.officer) == Decimal("61.8")
    assert dashboards.localisation_rate(user=s.officer, year=2025) == Decimal("60.0")
    assert dashboards.localisation_rate(user=s.ent_b) == Decimal("80.0")
    ProductRollup.objects.filter(product=s.vest).update(localisation_rate=None)  # left out of both sums
    assert dashboards.localisation_rate(user=s.officer) == Decimal("80.0")
    assert dashboards.localisation_rate(user=s.officer, year=2025) is None


def test_another_enterprise_or_unit_sees_only_its_own_figures(s):
    # ENT-B sees its own deliveries, none of the units' imports
    assert figures(dashboards.by_class(user=s.ent_b)) == {
        "uniform": (50 * M, 50, 0, 0, Decimal("100.0"), Decimal("100.0"))
    }
    assert dashboards.substituted_by_class(user=s.ent_b) == {}
    # K03 sees its own deliveries and imports, none of K02's
    assert figures(dashboards.by_unit(user=s.uo3)) == {
        s.k03.pk: (50 * M, 50, 100 * M, 50, Decimal("33.3"), Decimal("50.0"))
    }
    assert set(figures(dashboards.by_year(user=s.uo3))) == {2026}
    # ENT-A: the vests, and nothing of K03's uniforms
    assert set(figures(dashboards.by_class(user=s.ent_a))) == {"support_tool"}
    assert dashboards.by_class(user=s.member) == []


def test_each_figure_is_a_fixed_number_of_queries(s, django_assert_num_queries):
    user = s.officer
    dashboards.by_year(user=user)  # the user's grants are read once, before
    for figure, n in (
        (dashboards.by_year, 2),  # deliveries, imports
        (dashboards.by_class, 3),  # + the value substituted
        (dashboards.by_unit, 3),  # + the units' names
        (dashboards.localisation_rate, 1),
    ):
        with django_assert_num_queries(n):
            figure(user=user)


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_query_count_does_not_grow_with_the_data(s, make_user):
    client = Client()
    login(client, s.officer)
    client.get(URL)
    before = page_queries(client)
    unit = org_services.organization_create(
        actor=None,
        parent=s.world.bca,
        data={"code": "K04", "name": "Cục Cảnh sát giao thông", "kind": "operational_unit"},
    )
    uo4 = make_user("unit_officer", unit)
    order = _order(
        s, number="ĐH-4", customer=unit, enterprise=s.world.ent_b, product=s.uniform, year=2024, quantity=5, price=M
    )
    _deliver(
        s, order, actor=s.ent_b, quantity=5, on=dt.date(2024, 6, 1), accepted_by=uo4, accepted_on=dt.date(2024, 6, 2)
    )
    _import(s, actor=uo4, unit=unit, year=2023, product_class="patrol_craft", quantity=1, value=9 * M)
    assert page_queries(client) == before


def test_the_page_shows_the_figures_with_their_definitions_and_drill_down_links(s):
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.officer)
    html = client.get(URL).content.decode()
    assert "Self-reliance" in html and "Value substituted" in html
    assert "earlier year than the year of acceptance" in html  # the definition, on the page
    deliveries, imports = drill(product_class="support_tool")
    assert f'href="{deliveries.replace("&", "&amp;")}"' in html
    assert f'href="{imports.replace("&", "&amp;")}"' in html
    deliveries, imports = drill(unit=s.k03.pk)
    assert f'href="{deliveries.replace("&", "&amp;")}"' in html
    deliveries, imports = drill(year=2026)
    assert f'href="{imports.replace("&", "&amp;")}"' in html
    assert 'data-share-value="39.4"' in html and 'data-substituted-value="520000000"' in html

    html = client.get(URL + "?year=2026").content.decode()
    deliveries, imports = drill(year=2026, product_class="uniform")
    assert f'href="{deliveries.replace("&", "&amp;")}"' in html
    assert f'href="{imports.replace("&", "&amp;")}"' in html
    assert 'data-share-value="42.3"' in html and "Bộ Tư lệnh Cảnh sát cơ động" in html


def test_the_page_in_vietnamese(s):
    client = Client()
    client.cookies["cnan_language"] = "vi"
    login(client, s.officer)
    response = client.get(URL + "?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "42,3 %" in html  # the locale's decimal comma
    assert 'data-share-value="42.3"' in html


def test_a_bad_year_is_refused_with_a_message(s):
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.officer)
    for bad in ("abc", "1800"):
        response = client.get(URL, {"year": bad})
        assert response.status_code == 400
        assert 'id="form-errors"' in response.content.decode()
    response = client.get(URL, {"export": "csv"})  # which table?
    assert response.status_code == 400
    assert "Choose the table to export." in response.content.decode()


def test_who_may_open_the_page(s):
    assert Client().get(URL).status_code == 302
    client = Client()
    login(client, s.member)
    assert client.get(URL).status_code == 403
    client = Client()
    login(client, s.uo3)
    assert client.get(URL).status_code == 200
    # an enterprise sees its deliveries but not the units' imported purchases: its share would read 100%
    client = Client()
    login(client, s.ent_b)
    assert client.get(URL).status_code == 403


def test_the_tables_export_to_csv_and_xlsx(s):
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.officer)
    response = client.get(URL, {"year": 2026, "table": "class", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Product class" and rows[0][-1] == "Units substituted"
    assert rows[1] == ["Support tools", "220000000", "300000000", "42.3", "20", "5", "80.0", "220000000", "20"]
    response = client.get(URL, {"table": "year", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [v[0] for v in values[1:]] == [2024, 2025, 2026]
    assert values[3][1] == 270_000_000
    # another unit's export holds only its own figures
    client = Client()
    login(client, s.uo3)
    rows = list(
        csv.reader(io.StringIO(client.get(URL, {"table": "unit", "export": "csv"}).content.decode("utf-8-sig")))
    )
    assert [r[0] for r in rows[1:]] == ["K03 — Cục Cảnh sát PCCC"]


def test_the_home_widget_shows_this_year_and_last_to_who_may_see_deliveries(s):
    context = home_self_reliance(s.officer)
    years = {r.key: r.share_value for r in context["years"]}
    assert list(years) == [THIS_YEAR, THIS_YEAR - 1]
    if THIS_YEAR == 2026:
        assert years == {2026: Decimal("40.3"), 2025: Decimal("100.0")}
    assert home_self_reliance(s.member) is None
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.officer)
    html = client.get("/").content.decode()
    assert 'id="self-reliance-widget"' in html
    client = Client()
    login(client, s.member)
    assert 'id="self-reliance-widget"' not in client.get("/").content.decode()


def test_a_classified_unit_is_named_only_to_who_is_cleared_for_it(s, make_user, isolated_profile):
    secret = org_services.organization_create(
        actor=None,
        parent=s.world.bca,
        data={
            "code": "K05",
            "name": "Đơn vị đặc nhiệm kín",
            "kind": "operational_unit",
            "classification": 1,
            "classification_basis": "Mục 2 danh mục bí mật nhà nước (thử nghiệm)",
        },
    )
    uo5 = make_user("unit_officer", secret, clearance=1)
    _import(s, actor=uo5, unit=secret, year=2026, product_class="patrol_craft", quantity=1, value=9 * M)
    uncleared = make_user("department_officer", s.world.h08, clearance=0)
    labels = {r.key: r.label for r in dashboards.by_unit(user=uncleared)}
    assert labels[secret.pk] == "K05"
    assert {r.key: r.label for r in dashboards.by_unit(user=s.officer)}[secret.pk] == "K05 — Đơn vị đặc nhiệm kín"
    client = Client()
    login(client, uncleared)
    assert "Đơn vị đặc nhiệm kín" not in client.get(URL).content.decode()


def _listed(client, url: str) -> list[dict[str, str]]:
    response = client.get(url + "&export=csv")
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("params", "units", "imported"),
    [
        ({"product_class": "support_tool"}, 50, 15),  # the 10 vests not accepted are not in the list
        ({"year": 2026, "product_class": "uniform"}, 50, 50),
        ({"year": 2025}, 30, 0),
    ],
)
def test_the_drill_down_lists_hold_what_the_figure_counts(s, params, units, imported):
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.officer)
    deliveries, imports = drill(**params)
    assert sum(int(r["Quantity"]) for r in _listed(client, deliveries)) == units
    if imported:
        assert sum(int(r["Quantity"]) for r in _listed(client, imports)) == imported
    else:
        assert _listed(client, imports) == []
    unit_deliveries, unit_imports = drill(unit=s.k03.pk)
    assert sum(int(r["Quantity"]) for r in _listed(client, unit_deliveries)) == 50
    assert sum(int(r["Quantity"]) for r in _listed(client, unit_imports)) == 50


def test_the_share_is_shown_against_the_targets_planning_sets_for_2025_and_2030(s, world):
    from cnan.planning import services as planning
    from cnan.planning.models import Indicator, Plan

    share = Indicator.objects.get(code="TT-TN")
    plan = planning.plan_create(
        actor=s.officer,
        data={
            "kind": Plan.Kind.INDUSTRY_PLAN,
            "code": "QH-CNAN-2030",
            "name": "Quy hoạch công nghiệp an ninh đến năm 2030",
            "owner": world.h08,
            "start_year": 2021,
            "end_year": 2030,
        },
    )
    for year, value in ((2025, Decimal("35")), (2030, Decimal("70"))):
        planning.target_set(actor=s.officer, plan=plan, unit=world.h08, indicator=share, year=year, value=value)
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.officer)
    html = client.get(URL).content.decode()
    assert "No plan in force sets a target" in html  # a draft plan's targets are not in force

    plan = planning.plan_transition(actor=s.officer, plan=plan, action="submit")
    planning.plan_transition(
        actor=s.officer, plan=plan, action="approve", decision_number="01/QĐ-TTg", decided_on=dt.date(2024, 1, 5)
    )
    reached = dashboards.year_share(dashboards.by_year(user=s.officer), 2025).share_value
    assert reached is not None
    (t2025, t2030) = dashboards.share_targets(user=s.officer, trend=dashboards.by_year(user=s.officer))
    assert (t2025.year, t2025.target, t2025.reached, t2025.gap) == (2025, Decimal("35.0"), reached, 35 - reached)
    assert (t2030.year, t2030.target, t2030.reached, t2030.gap) == (2030, Decimal("70.0"), None, None)
    html = client.get(URL).content.decode()
    assert 'data-target-year="2025"' in html and "target 35.0 %" in html and f"reached {reached} %" in html
    assert "target 70.0 %" in html and "no figures for that year yet" in html
    assert 'data-mark-y="70.0"' in html  # the furthest horizon drawn on the trend
    # a unit sees the share, not the Department's plan: no target for it
    client = Client()
    client.cookies["cnan_language"] = "en"
    login(client, s.uo3)
    assert "No plan in force sets a target" in client.get(URL).content.decode()
