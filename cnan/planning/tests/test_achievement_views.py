"""The achievement pages: the official plan-vs-actual form (figures against values computed by hand, the
drill-down to the report, the classification), its XLSX export in the official layout, one enterprise against
its targets with its SOE grade, the planning dashboard (key figures, the enterprises behind, the bar chart and
the trend) with a query count that does not grow with the number of enterprises, the visibility rule, both
languages, permissions and bad input."""

from __future__ import annotations

import io
import json
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook
from stdnum.vn import mst

from cnan.core.testing import login
from cnan.organizations import services as org_services
from cnan.planning import services
from cnan.planning.models import ReportingPeriod

from .conftest import accepted_report, approve, make_plan, open_year

ACHIEVEMENT = "/planning/achievement/"
DASHBOARD = "/planning/dashboard/"


@pytest.fixture
def figures(scene):
    """The Department's 2026 annual plan (approved) and both enterprises' accepted reports for 2025 and 2026
    (the same small world as the selectors' tests)."""
    plan = make_plan(scene)
    targets = {
        scene.ent_a: {"DT": 200, "NPT": 50, "ROE": 10, "LNST": 20, "VCSH": 200, "GN-DTDA": 40, "HTNV": 100},
        scene.ent_b: {"DT": 100, "NPT": 40, "LNST": 5, "VCSH": 100, "GN-DTDA": 10, "HTNV": 100},
        scene.h08: {"DT": 300},
    }
    for unit, values in targets.items():
        for code, value in values.items():
            services.target_set(
                actor=scene.officer, plan=plan, unit=unit, indicator=scene.ind[code], year=2026, value=value
            )
    approve(scene, plan)
    y2025, y2026 = open_year(scene, 2025), open_year(scene, 2026)
    accepted_report(scene, y2025, scene.ent_a, scene.ea, {"DT": 200, "NPT": 60})
    accepted_report(scene, y2025, scene.ent_b, scene.eb, {"DT": 100})
    ra = accepted_report(
        scene,
        y2026,
        scene.ent_a,
        scene.ea,
        {"DT": ("audited", 220), "LNST": 30, "VCSH": 200, "NPT": 50, "GN-DTDA": 40, "HTNV": 100},
    )
    rb = accepted_report(
        scene, y2026, scene.ent_b, scene.eb, {"DT": 90, "LNST": 2, "VCSH": 50, "NPT": 30, "GN-DTDA": 12, "HTNV": 100}
    )
    return {"plan": plan, "report_a": ra, "report_b": rb}


def tax_code(n: int) -> str:
    seed = 7_000_000 + n * 10
    while not mst.is_valid(code := (base := f"01{seed:07d}") + mst.calc_check_digit(base)):
        seed += 1
    return code


def client_for(user, language="en"):
    client = Client()
    client.cookies["cnan_language"] = language
    login(client, user)
    return client


def row_cells(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S)
    assert row, f"no row {row_id}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def report_link(report) -> str:
    return reverse("planning:report_detail", kwargs={"pk": report.pk})


# --- the official form ----------------------------------------------------------------------------------------


def test_official_form_figures_per_enterprise_and_industry_total(scene, figures):
    page = client_for(scene.officer).get(ACHIEVEMENT, {"indicator": scene.ind["DT"].pk, "year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    a = row_cells(html, f"unit-{scene.ent_a.pk}")
    b = row_cells(html, f"unit-{scene.ent_b.pk}")
    total = row_cells(html, "industry-total")
    # KH, TH, TH/KH %, same period last year, against last year %, verdict
    assert a[3:] == ["200", "220", "110.0", "200", "110.0", "Exceeded"]
    assert b[3:] == ["100", "90", "90.0", "100", "90.0", "Not met"]
    assert total[3:] == ["300", "310", "103.3", "300", "103.3", "Exceeded"]
    assert "verdict-exceeded" in html and "verdict-not_met" in html
    assert re.search(r'id="industry-target">300<', html)


def test_each_value_opens_the_report_it_comes_from(scene, figures):
    text = client_for(scene.officer).get(ACHIEVEMENT, {"indicator": scene.ind["DT"].pk, "year": 2026}).content.decode()
    row_a = text.split(f'id="unit-{scene.ent_a.pk}"')[1].split("</tr>")[0]
    assert f'class="drill" href="{report_link(figures["report_a"])}">220<' in row_a
    row_b = text.split(f'id="unit-{scene.ent_b.pk}"')[1].split("</tr>")[0]
    assert f'class="drill" href="{report_link(figures["report_b"])}">90<' in row_b
    # last year's value opens last year's report
    assert row_b.count('class="drill"') == 2 and report_link(figures["report_b"]) not in row_b.split("90<")[1]


def test_no_link_without_the_reports_page(scene, figures, monkeypatch):
    from cnan.planning.views import achievement

    def missing(*args, **kwargs):
        raise achievement.NoReverseMatch

    monkeypatch.setattr(achievement, "reverse", missing)
    assert achievement.report_url(figures["report_a"].pk) is None
    assert achievement.report_url(None) is None


def test_an_enterprise_sees_only_its_own_figures(scene, figures):
    html = client_for(scene.ea).get(ACHIEVEMENT, {"indicator": scene.ind["DT"].pk, "year": 2026}).content.decode()
    assert f'id="unit-{scene.ent_a.pk}"' in html
    assert f'id="unit-{scene.ent_b.pk}"' not in html
    assert scene.ent_b.name not in html
    assert row_cells(html, "industry-total")[3:5] == ["200", "220"]


def test_units_restrict_the_form(scene, figures):
    response = client_for(scene.officer).get(
        ACHIEVEMENT, {"indicator": scene.ind["DT"].pk, "year": 2026, "units": [scene.ent_b.pk]}
    )
    html = response.content.decode()
    assert f'id="unit-{scene.ent_a.pk}"' not in html
    assert row_cells(html, "industry-total")[3:5] == ["100", "90"]


def test_xlsx_export_in_the_official_layout(scene, figures):
    response = client_for(scene.officer).get(
        ACHIEVEMENT, {"indicator": scene.ind["DT"].pk, "year": 2026, "export": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "PLAN AGAINST ACTUAL"
    assert rows[3] == [
        "Enterprise",
        "Indicator",
        "Unit of measure",
        "Plan (KH)",
        "Actual (TH)",
        "TH/KH %",
        "Same period last year",
        "Against last year %",
        "Verdict",
    ]
    body = {r[0].split(" — ")[0]: r for r in rows[4:]}
    assert body["ENT-A"][2:] == ["billion VND (tỷ đồng)", 200, 220, 110, 200, 110, "Exceeded"]
    assert body["ENT-B"][3:6] == [100, 90, 90]
    assert body["Industry total"][3:] == [300, 310, pytest.approx(103.3), 300, pytest.approx(103.3), "Exceeded"]
    assert all(isinstance(v, int | float) for v in body["ENT-A"][3:8])


def test_export_in_vietnamese(scene, figures):
    response = client_for(scene.officer, "vi").get(
        ACHIEVEMENT, {"indicator": scene.ind["DT"].pk, "year": 2026, "export": "xlsx"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[4][1] == "Tổng doanh thu"  # the Vietnamese name of the indicator


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"indicator": 999999, "year": 2026}, "Indicator"),
        ({"indicator": "x", "year": 2026}, "Indicator"),
        ({"year": "abc"}, "Year"),
        ({"year": 1900}, "Year"),
        ({"year": 2026, "period_kind": "quarter", "period_number": 5}, "Period number"),
        ({"year": 2026, "period_kind": "decade"}, "Period"),
    ],
)
def test_bad_input_is_a_400_with_a_message(scene, figures, params, field):
    response = client_for(scene.officer).get(ACHIEVEMENT, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html
    assert f"{field}:" in html


def test_bad_year_on_the_other_pages(scene, figures):
    client = client_for(scene.officer)
    for url in (DASHBOARD, reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_a.pk})):
        response = client.get(url, {"year": "20x6"})
        assert response.status_code == 400
        assert "Year:" in response.content.decode()
    assert client.get(DASHBOARD, {"year": 2026, "indicator": 999999}).status_code == 400


def test_without_an_indicator_the_form_asks_for_one(scene, figures):
    response = client_for(scene.officer).get(ACHIEVEMENT)
    assert response.status_code == 200
    assert "Choose an indicator" in response.content.decode()


# --- one enterprise --------------------------------------------------------------------------------------------


def test_enterprise_against_its_targets_and_its_grade(scene, figures):
    url = reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_b.pk})
    html = client_for(scene.officer).get(url, {"year": 2026}).content.decode()
    dt = row_cells(html, "indicator-DT")
    assert dt[2:] == ["100", "90", "90.0", "90.0", "Not met"]
    lnst = row_cells(html, "indicator-LNST")
    assert lnst[2:5] == ["5", "2", "40.0"]
    assert "Grade C" in html
    assert "2 of 5 evaluation indicators met or exceeded." in html
    charts = re.findall(r'data-series="([^"]+)"', html)
    series = json.loads(charts[0].replace("&quot;", '"'))
    assert [s["name"] for s in series] == ["Plan (KH)", "Actual (TH)"]
    # DT (the first indicator): 2022–2026, only 2025 (actual 100) and 2026 (plan 100, actual 90) given
    assert series[1]["data"] == [None, None, None, 100.0, 90.0]
    assert series[0]["data"] == [None, None, None, None, 100.0]


def test_enterprise_grade_a_in_vietnamese(scene, figures):
    url = reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_a.pk})
    response = client_for(scene.officer, "vi").get(url, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "Tổng doanh thu" in html
    assert re.search(r"\bA\b", re.sub(r"<[^>]+>", " ", html.split('id="soe"')[1])[:300])


def test_an_enterprise_cannot_open_another(scene, figures):
    url = reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_b.pk})
    assert client_for(scene.ea).get(url).status_code == 404
    own = reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_a.pk})
    assert client_for(scene.ea).get(own, {"year": 2026}).status_code == 200


# --- the dashboard ------------------------------------------------------------------------------------------------


def test_dashboard_figures_behind_bars_and_trend(scene, figures):
    html = client_for(scene.officer).get(DASHBOARD, {"year": 2026}).content.decode()
    card = html.split('id="figure-DT"')[1].split("</a>")[0]
    assert re.search(r'class="actual">310<', card) and re.search(r'class="plan">300<', card)
    assert "103.3 %" in card
    behind = html.split('id="behind"')[1].split("</ul>")[0]
    assert scene.ent_b.name in behind and scene.ent_a.name not in behind
    assert reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_b.pk}) + "?year=2026" in behind
    for code in ("DT", "LNST", "ROE"):
        assert f">{code} " in behind
    assert "GN-DTDA" not in behind  # ENT-B exceeded it
    bars = re.search(r'data-values="([^"]+)"', html.split('id="by-enterprise"')[0].split('data-chart="bar"')[1])
    assert json.loads(bars.group(1)) == [110.0, 90.0]
    assert 'data-mark-y="100"' in html
    trend = html.split('id="trend-table"')[1]
    assert re.findall(r"<tr><td>(\d{4})</td>", trend) == ["2021", "2022", "2023", "2024", "2025", "2026"]
    assert '<tr><td>2025</td><td class="text-end">—</td><td class="text-end">300</td>' in trend


def test_dashboard_for_an_enterprise_holds_only_its_own(scene, figures):
    html = client_for(scene.eb).get(DASHBOARD, {"year": 2026}).content.decode()
    card = html.split('id="figure-DT"')[1].split("</a>")[0]
    assert re.search(r'class="actual">90<', card)
    assert scene.ent_a.name not in html


def test_dashboard_in_both_languages(scene, figures):
    en = client_for(scene.officer, "en").get(DASHBOARD, {"year": 2026}).content.decode()
    vi = client_for(scene.officer, "vi").get(DASHBOARD, {"year": 2026}).content.decode()
    assert "Total revenue" in en and 'lang="en"' in en
    assert "Tổng doanh thu" in vi and 'lang="vi"' in vi


def test_dashboard_query_count_does_not_grow_with_enterprises(scene, figures, make_user):
    """Two enterprises with figures, then five: the same number of queries (each figure is one
    ``selectors.achievement`` per indicator and year, whatever the number of enterprises)."""
    client = client_for(scene.officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(DASHBOARD, {"year": 2026}).status_code == 200
        return len(ctx.captured_queries)

    count()  # warms the caches (content types, the session's user)
    before = count()
    period = ReportingPeriod.objects.get(kind="year", year=2026, number=1)
    for n in range(3):
        ent = org_services.enterprise_create(
            actor=None,
            parent=scene.h08,
            data={
                "code": f"ENT-X{n}",
                "name": f"Công ty thử {n}",
                "tax_code": tax_code(n),
                "legal_form": "llc",
                "province": "ha-noi",
            },
        )
        accepted_report(scene, period, ent, make_user("enterprise_officer", ent), {"DT": 10 + n, "HTNV": 90})
    html = client.get(DASHBOARD, {"year": 2026}).content.decode()
    assert "ENT-X2" in html
    assert count() == before


# --- permissions -------------------------------------------------------------------------------------------------


def test_anonymous_and_members_without_the_permission(scene, figures, make_user):
    anonymous = Client()
    for url in (ACHIEVEMENT, DASHBOARD, reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_a.pk})):
        assert anonymous.get(url).status_code == 302
    lab = make_user("lab_officer", scene.ent_a)
    client = client_for(lab)
    for url in (ACHIEVEMENT, DASHBOARD, reverse("planning:enterprise_achievement", kwargs={"pk": scene.ent_a.pk})):
        assert client.get(url).status_code == 403
    leader = client_for(scene.leader)
    assert leader.get(DASHBOARD, {"year": 2026}).status_code == 200
