"""Import of a report's values (``planning:report`` through ``core.imports``): the template comes filled with
the active indicators; a good file sets every figure with source "import", all or nothing; a wrong unit, a
number in the wrong format, an extra column, a missing required indicator, a locked report or a report of
another enterprise: a message per cell and nothing written."""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import transaction
from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import Workbook, load_workbook

from cnan.core import imports
from cnan.core.testing import database_state, login
from cnan.planning import services
from cnan.planning.imports import REPORT
from cnan.planning.models import Indicator, Report, ReportValue

from .conftest import open_year, required_rows

HEADER = ["Indicator code", "Indicator name", "Unit", "Estimate", "Actual", "Audited", "Source document"]
STATE = ("planning", "core")


@pytest.fixture
def draft(scene):
    return services.report_create(actor=scene.ea, enterprise=scene.ent_a, period=open_year(scene, 2026))


def _required_lines(value="1"):
    return [
        [i.code, i.name, i.unit, None, value, None, "BCTC"]
        for i in Indicator.objects.filter(required=True, active=True)
    ]


def _file(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def _validate(user, report, rows, header=HEADER):
    spec = imports.get(REPORT)
    params = imports.resolve_params(user, spec, {"report": str(report.pk)})
    return spec, params, imports.validate(spec, user, _file(rows, header), "bao-cao.xlsx", params)


def _messages(result):
    return [f"{e['column']}|{e['value']}|{e['message']}" for e in result.errors]


def test_a_good_file_sets_every_figure_from_the_import(scene, draft):
    rows = [r for r in _required_lines() if r[0] != "DT"]
    rows.append(["DT", "ignored", "billion_vnd", "1.234,5", 1250, None, "BCTC 2026"])
    spec, params, result = _validate(scene.ea, draft, rows)
    assert result.ok, result.errors
    with transaction.atomic():
        imports.commit(spec, scene.ea, result.rows, params, lambda done, total: None)
    dt_values = {v.scenario: v for v in ReportValue.objects.filter(report=draft, indicator=scene.ind["DT"])}
    assert dt_values["estimate"].value == Decimal("1234.5")
    assert dt_values["actual"].value == Decimal("1250")
    assert {v.source for v in ReportValue.objects.filter(report=draft)} == {ReportValue.Source.IMPORT}
    assert dt_values["actual"].source_document == "BCTC 2026"
    assert services.report_transition(actor=scene.ea, report=draft, action="submit").state == Report.State.SUBMITTED


def test_wrong_unit_bad_number_and_missing_required_are_refused_per_cell(scene, draft):
    rows = [r for r in _required_lines() if r[0] not in ("DT", "LNST")]
    rows.append(["DT", "", "million_vnd", None, "5", None, ""])  # revenue is in billion VND
    rows.append(["LD", "", "person", None, "1.5.5", None, ""])  # not a number
    rows = [r for r in rows if not (r[0] == "LD" and r[4] == "1")]
    before = database_state(STATE)
    _spec, _params, result = _validate(scene.ea, draft, rows)
    assert not result.ok
    text = " ".join(_messages(result))
    assert "Unit|million_vnd|DT is given in billion VND" in text
    assert "Actual|1.5.5|" in text
    assert "LNST" in text and "has no figure" in text
    assert database_state(STATE) == before


def test_a_changed_layout_is_refused(scene, draft):
    with pytest.raises(imports.ImportRefused, match="unknown columns"):
        _validate(scene.ea, draft, _required_lines(), header=[*HEADER, "Ghi chú thêm"])


def test_a_locked_report_and_another_enterprises_report_are_refused(scene, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=required_rows(scene))
    services.report_transition(actor=scene.ea, report=draft, action="submit")
    services.report_transition(actor=scene.officer, report=draft, action="accept")
    _spec, _params, result = _validate(scene.ea, draft, _required_lines("2"))
    assert not result.ok and all("its values change only" in e["message"] for e in result.errors)
    other = services.report_create(actor=scene.eb, enterprise=scene.ent_b, period=draft.period)
    # the Department sees the report but is not a member of the enterprise
    _spec, _params, result = _validate(scene.officer, other, _required_lines("2"))
    assert not result.ok and all("filed by a member" in e["message"] for e in result.errors)
    with pytest.raises(Exception):  # noqa: B017, PT011 - ENT-A's officer does not see ENT-B's report
        _validate(scene.ea, other, _required_lines("2"))


def test_the_template_is_filled_with_the_active_indicators_and_figures(scene, draft):
    services.report_values_set(actor=scene.ea, report=draft, values=[(scene.ind["DT"], "actual", Decimal("12.5"))])
    client = login(Client(), scene.ea)
    client.cookies["cnan_language"] = "en"
    response = client.get(reverse("planning:report_template", args=[draft.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    codes = [r[0] for r in rows[1:]]
    assert codes == list(Indicator.objects.filter(active=True).order_by("order", "code").values_list("code", flat=True))
    dt_row = next(r for r in rows if r[0] == "DT")
    assert Decimal(str(dt_row[4])) == Decimal("12.5")
    # the template's rows pass the import's checks (the required figures filled in, the rest as given)
    lines = [list(r) for r in rows[1:]]
    for line in lines:
        if scene.ind[line[0]].required and line[4] is None:
            line[4] = 1
    _spec, _params, result = _validate(scene.ea, draft, lines)
    assert result.ok, result.errors
    assert login(Client(), scene.eb).get(reverse("planning:report_template", args=[draft.pk])).status_code == 404
    assert login(Client(), scene.officer).get(reverse("planning:report_template", args=[draft.pk])).status_code == 403
