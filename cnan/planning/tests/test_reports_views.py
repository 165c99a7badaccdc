"""The reports' pages: the periods (Decree 09/2019 dates, opened and closed by the Department only), the
periodic reports (an enterprise starts its own, sees its own; the Department sees all), the grid of values
(numbers read and echoed in the user's language, all or nothing, a message per bad cell), the workflow
(submit, return with a comment, accept, lock), corrections (a reason, a new version), in both languages and
nothing written when refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

import pytest

from cnan.core.testing import database_state, login
from cnan.planning import services
from cnan.planning.models import PeriodKind, Report, ReportingPeriod, ReportValue, Scenario

from .conftest import accepted_report, open_year, required_rows

STATE = ("planning", "core")


@pytest.fixture
def page(db):
    def make(user, language: str = "en"):
        client = login(Client(), user)
        client.cookies["cnan_language"] = language
        return client

    return make


@pytest.fixture
def period(scene):
    return open_year(scene, 2026)


@pytest.fixture
def draft(scene, period):
    return services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=period)


def _unchanged(call):
    before = database_state(STATE)
    response = call()
    assert database_state(STATE) == before
    return response


# --- periods ----------------------------------------------------------------------------------------------


def test_period_list_shows_the_decree_dates_filters_and_exports(scene, period, page):
    services.period_open(actor=scene.officer, kind=PeriodKind.QUARTER, year=2025, number=1, due_on=dt.date(2025, 4, 20))
    client = page(scene.ea)
    html = client.get(reverse("planning:period_list")).content.decode()
    assert "15/12/2025" in html and "14/12/2026" in html  # the year 2026: 15/12/2025 → 14/12/2026
    assert "15/12/2024" in html and "14/03/2025" in html  # quarter 1/2025
    assert "period-close" not in html  # an enterprise may not close periods
    filtered = client.get(reverse("planning:period_list"), {"year": "2025"}).content.decode()
    assert "14/03/2025" in filtered and "14/12/2026" not in filtered
    export = client.get(reverse("planning:period_list"), {"export": "csv", "year": "2026"})
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "14/12/2026" in text and "14/03/2025" not in text
    assert "period-close" in page(scene.officer).get(reverse("planning:period_list")).content.decode()


def test_open_a_period_computes_its_dates(scene, page):
    client = page(scene.officer)
    assert client.get(reverse("planning:period_open")).status_code == 200
    data = {"kind": PeriodKind.QUARTER, "year": "2026", "number": "2", "due_on": "20/07/2026"}
    response = client.post(reverse("planning:period_open"), data, follow=True)
    period = ReportingPeriod.objects.get(kind=PeriodKind.QUARTER, year=2026, number=2)
    assert (period.starts_on, period.ends_on) == (dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    assert "15/03/2026" in response.content.decode() and "14/06/2026" in response.content.decode()


def test_open_a_period_refuses_bad_input_and_enterprises(scene, page):
    client = page(scene.officer)
    bad = {"kind": PeriodKind.QUARTER, "year": "2026", "number": "5", "due_on": "20/07/2026"}
    response = _unchanged(lambda: client.post(reverse("planning:period_open"), bad))
    assert response.status_code == 422
    assert "numbered from 1 to 4" in response.content.decode()
    early = {"kind": PeriodKind.YEAR, "year": "2026", "number": "1", "due_on": "01/12/2026"}
    assert _unchanged(lambda: client.post(reverse("planning:period_open"), early)).status_code == 422
    ok = {"kind": PeriodKind.YEAR, "year": "2026", "number": "1", "due_on": "31/01/2027"}
    assert _unchanged(lambda: page(scene.ea).post(reverse("planning:period_open"), ok)).status_code == 403


def test_close_a_period(scene, period, page):
    assert (
        _unchanged(lambda: page(scene.ea).post(reverse("planning:period_close", args=[period.pk]))).status_code == 403
    )
    response = page(scene.officer).post(reverse("planning:period_close", args=[period.pk]))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.CLOSED


# --- reports: list, add --------------------------------------------------------------------------------------


def test_an_enterprise_sees_its_own_reports_the_department_all(scene, period, page):
    services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=period)
    services.report_create(actor=scene.eb, enterprise=scene.ent_b, period=period)
    mine = page(scene.ea).get(reverse("planning:report_list")).content.decode()
    assert scene.ent_a.name in mine and scene.ent_b.name not in mine
    everything = page(scene.officer).get(reverse("planning:report_list"), {"export": "csv"})
    text = everything.content.decode("utf-8-sig")
    assert scene.ent_a.name in text and scene.ent_b.name in text
    query = {"enterprise": scene.ent_b.pk, "export": "csv"}
    by_enterprise = page(scene.officer).get(reverse("planning:report_list"), query).content.decode("utf-8-sig")
    assert scene.ent_a.name not in by_enterprise and scene.ent_b.name in by_enterprise


def test_an_officer_starts_the_report_of_their_own_enterprise(scene, period, page):
    client = page(scene.ea)
    assert client.get(reverse("planning:report_add")).status_code == 200
    other = {"enterprise": scene.ent_b.pk, "period": period.pk}
    assert _unchanged(lambda: client.post(reverse("planning:report_add"), other)).status_code == 422
    response = client.post(reverse("planning:report_add"), {"enterprise": scene.ent_a.pk, "period": period.pk})
    report = Report.objects.get(enterprise=scene.ent_a, period=period)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    again = _unchanged(
        lambda: client.post(reverse("planning:report_add"), {"enterprise": scene.ent_a.pk, "period": period.pk})
    )
    assert again.status_code == 422
    # the Department reviews reports, it does not file them
    assert page(scene.officer).get(reverse("planning:report_add")).status_code == 403


def test_a_closed_period_takes_no_report(scene, period, page):
    services.period_close(actor=scene.officer, period=period)
    data = {"enterprise": scene.ent_a.pk, "period": period.pk}
    assert _unchanged(lambda: page(scene.ea).post(reverse("planning:report_add"), data)).status_code == 422


# --- the report's page -----------------------------------------------------------------------------------


def test_report_page_grid_missing_and_buttons(scene, draft, page):
    services.report_values_set(
        actor=scene.ea,
        report=draft,
        values=[(scene.ind["DT"], Scenario.ESTIMATE, Decimal("1234.5"), ReportValue.Source.FORM, "BC-01")],
    )
    html = page(scene.ea, "vi").get(draft.get_absolute_url()).content.decode()
    assert "1.234,5" in html and "BC-01" in html
    assert 'id="edit-values"' in html and 'id="import-values"' in html and 'id="import-template"' in html
    assert 'id="missing-required"' in html and 'data-code="LNST"' in html
    assert 'data-transition="submit"' not in html  # required figures are missing
    english = page(scene.ea, "en").get(draft.get_absolute_url()).content.decode()
    assert "1,234.5" in english and "Total revenue" in english
    department = page(scene.officer).get(draft.get_absolute_url()).content.decode()
    assert 'id="edit-values"' not in department and 'data-transition="accept"' not in department
    assert page(scene.eb).get(draft.get_absolute_url()).status_code == 404


def test_workflow_submit_return_accept_lock_correct(scene, draft, page):
    ea, officer = page(scene.ea), page(scene.officer)
    submit = reverse("planning:report_transition", args=[draft.pk, "submit"])
    _unchanged(lambda: ea.post(submit))  # required figures are missing: refused with a message
    services.report_values_set(actor=scene.ea, report=draft, values=required_rows(scene))
    assert ea.post(submit).status_code == 302
    back = reverse("planning:report_transition", args=[draft.pk, "return"])
    assert _unchanged(lambda: ea.post(back, {"comment": "x"})).status_code == 403
    _unchanged(lambda: officer.post(back, {"comment": ""}))  # a comment is required
    officer.post(back, {"comment": "Thiếu số liệu quý"})
    draft.refresh_from_db()
    assert draft.state == Report.State.RETURNED
    ea.post(submit)
    officer.post(reverse("planning:report_transition", args=[draft.pk, "accept"]))
    draft.refresh_from_db()
    assert draft.state == Report.State.ACCEPTED
    html = ea.get(draft.get_absolute_url()).content.decode()
    assert 'id="report-lock"' in html and 'id="edit-values"' not in html and 'id="correct-form"' in html
    assert "Thiếu số liệu quý" in html
    values = reverse("planning:report_values", args=[draft.pk])
    locked = _unchanged(lambda: ea.post(values, {f"v-{scene.ind['DT'].pk}-actual": "5"}))
    assert locked.status_code == 422
    correct = reverse("planning:report_correct", args=[draft.pk])
    _unchanged(lambda: ea.post(correct, {"reason": "  "}))
    assert _unchanged(lambda: officer.post(correct, {"reason": "x"})).status_code == 403
    response = ea.post(correct, {"reason": "Số liệu kiểm toán"})
    correction = Report.objects.get(previous=draft)
    assert response["Location"] == correction.get_absolute_url()
    assert correction.version == 2
    page_html = ea.get(correction.get_absolute_url()).content.decode()
    assert 'id="previous-version"' in page_html and "Số liệu kiểm toán" in page_html
    assert 'id="correcting-version"' in ea.get(draft.get_absolute_url()).content.decode()


def test_unknown_action_is_404(scene, draft, page):
    assert page(scene.ea).post(reverse("planning:report_transition", args=[draft.pk, "burn"])).status_code == 404


# --- the grid of values -----------------------------------------------------------------------------------


def _cell(scene, code, scenario):
    return f"v-{scene.ind[code].pk}-{scenario}"


def test_values_are_read_in_vietnamese(scene, draft, page):
    client = page(scene.ea, "vi")
    assert client.get(reverse("planning:report_values", args=[draft.pk])).status_code == 200
    data = {_cell(scene, "DT", "actual"): "1.234,5", f"d-{scene.ind['DT'].pk}": "BCTC 2026"}
    response = client.post(reverse("planning:report_values", args=[draft.pk]), data, follow=True)
    value = ReportValue.objects.get(report=draft, indicator=scene.ind["DT"], scenario="actual")
    assert value.value == Decimal("1234.5") and value.source_document == "BCTC 2026"
    assert "1.234,5" in response.content.decode()


def test_values_are_read_in_english(scene, draft, page):
    client = page(scene.ea, "en")
    data = {_cell(scene, "DT", "estimate"): "1,234.5", _cell(scene, "LD", "actual"): "1,200"}
    client.post(reverse("planning:report_values", args=[draft.pk]), data)
    assert ReportValue.objects.get(report=draft, indicator=scene.ind["DT"]).value == Decimal("1234.5")
    assert ReportValue.objects.get(report=draft, indicator=scene.ind["LD"]).value == Decimal("1200")


def test_bad_cells_write_nothing_each_with_its_message_and_the_rest_echoed(scene, draft, page):
    client = page(scene.ea, "vi")
    data = {
        _cell(scene, "DT", "actual"): "1234,5",  # fine: echoed back as 1.234,5
        _cell(scene, "LNST", "actual"): "1,234.5",  # English notation on a Vietnamese page
        _cell(scene, "LD", "actual"): "-3",  # a count cannot be negative
    }
    response = _unchanged(lambda: client.post(reverse("planning:report_values", args=[draft.pk]), data))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="1.234,5"' in html and 'value="1,234.5"' in html
    assert f'data-field="{_cell(scene, "LNST", "actual")}"' in html
    assert f'data-field="{_cell(scene, "LD", "actual")}"' in html
    assert f'data-field="{_cell(scene, "DT", "actual")}"' not in html


def test_an_emptied_cell_removes_its_figure(scene, draft, page):
    services.report_values_set(actor=scene.ea, report=draft, values=[(scene.ind["DT"], "actual", Decimal("7"))])
    page(scene.ea).post(reverse("planning:report_values", args=[draft.pk]), {_cell(scene, "DT", "actual"): ""})
    assert not ReportValue.objects.filter(report=draft).exists()


def test_values_page_is_the_enterprise_members_only(scene, draft, page):
    data = {_cell(scene, "DT", "actual"): "5"}
    url = reverse("planning:report_values", args=[draft.pk])
    assert _unchanged(lambda: page(scene.officer).post(url, data)).status_code == 403
    assert _unchanged(lambda: page(scene.eb).post(url, data)).status_code == 404


def test_history_page(scene, draft, page):
    assert page(scene.ea).get(reverse("planning:report_history", args=[draft.pk])).status_code == 200


def test_accepted_report_of_another_enterprise_is_not_shown(scene, period, page):
    report = accepted_report(scene, period, scene.ent_b, scene.eb, {})
    assert page(scene.ea).get(report.get_absolute_url()).status_code == 404
    assert page(scene.officer).get(report.get_absolute_url()).status_code == 200
