"""Import of a periodic report's values (``core.imports``, key ``planning:report``, parameter ``report``): one
row per indicator — its code, its name (ignored, for the reader), its unit (checked against the indicator's:
a figure in another unit is refused), the estimate, actual and audited figures and the source document.

Every row is checked before anything is written: the report (one the user may change, of an enterprise they
belong to, still a draft or returned), each indicator given once, each figure against the indicator's sense,
every required indicator given a figure in the file (the template comes filled with the report's figures).
Errors are (row, column, value, message in the user's language); the commit
sets every figure through ``services.report_values_set`` (source "import") in one call: all or nothing. An
empty cell leaves the figure as it is."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import imports
from cnan.core.imports import CHOICE, DECIMAL, REFERENCE, TEXT, CellError, Column, ImportSpec, Param, Row
from cnan.core.permissions import has_perm

from . import selectors, services
from .models import Indicator, Report, ReportValue, Scenario, value_problem

REPORT = "planning:report"
SCENARIOS = tuple(Scenario.values)


def _report(user: Any, raw: str) -> Report:
    """A report the user sees (404 otherwise); whether they may change it is told row by row."""
    report = selectors.report_list(user=user).filter(pk=int(raw)).first()
    if report is None:
        raise ObjectDoesNotExist(raw)
    return report


def _indicators(user: Any, codes: set[str], params: dict[str, Any]) -> dict[str, Indicator]:
    found = selectors.indicator_list(user=user, active_only=True).filter(code__in=codes)
    return {i.code: i for i in found}


def _units() -> list[tuple[Any, Any]]:
    return list(Indicator.Unit.choices)


COLUMNS = (
    Column(
        "indicator",
        gettext_lazy("Indicator code"),
        REFERENCE,
        required=True,
        resolve=_indicators,
        help_text=gettext_lazy("The code of an active indicator, as in the template."),
        example="DT",
    ),
    Column(
        "indicator_name",
        gettext_lazy("Indicator name"),
        TEXT,
        help_text=gettext_lazy("For the reader only: it is not read."),
    ),
    Column(
        "unit",
        gettext_lazy("Unit"),
        CHOICE,
        required=True,
        choices=_units,
        help_text=gettext_lazy("The indicator's unit: a figure in another unit is refused."),
        example="billion_vnd",
    ),
    Column("estimate", gettext_lazy("Estimate"), DECIMAL, example="1.234,5"),
    Column("actual", gettext_lazy("Actual"), DECIMAL, example="1.250"),
    Column("audited", gettext_lazy("Audited"), DECIMAL, example=""),
    Column("source_document", gettext_lazy("Source document"), TEXT, max_length=500, example="Báo cáo tài chính"),
)


def _refusal(user: Any, report: Report) -> str | None:
    if not has_perm(user, "planning.change_report", report) or not services.report_filer(user, report.enterprise):
        return _(
            "You may not change the reports of %(enterprise)s: a report is filed by a member of its enterprise."
        ) % {"enterprise": report.enterprise.name}
    if report.state not in Report.EDITABLE:
        return _("The report is %(state)s: its values change only while a draft or after it is returned.") % {
            "state": report.get_state_display()
        }
    return None


def _validate(user: Any, rows: list[Row], params: dict[str, Any]) -> tuple[list[Row], list[CellError]]:
    report = Report.objects.select_related("enterprise").get(pk=params["report"].pk)  # its state now
    refusal = _refusal(user, report)
    errors: list[CellError] = []
    clean: list[Row] = []
    seen: dict[int, int] = {}
    for row in rows:
        row_errors: list[CellError] = []
        if refusal:
            row_errors.append(CellError(row.number, "", refusal))
        indicator: Indicator = row["indicator"]
        if indicator.pk in seen:
            row_errors.append(
                CellError(
                    row.number,
                    "indicator",
                    _("The indicator is given twice (also on row %(row)s).") % {"row": seen[indicator.pk]},
                    indicator.code,
                )
            )
        seen.setdefault(indicator.pk, row.number)
        if row.get("unit") and row["unit"] != indicator.unit:
            row_errors.append(
                CellError(
                    row.number,
                    "unit",
                    _("%(code)s is given in %(unit)s, not in this unit.")
                    % {"code": indicator.code, "unit": indicator.get_unit_display()},
                    row["unit"],
                )
            )
        for scenario in SCENARIOS:
            value = row.get(scenario)
            if value is None:
                continue
            problem = value_problem(indicator, Decimal(value).quantize(Decimal("0.0001")))
            if problem:
                row_errors.append(CellError(row.number, scenario, problem, value))
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(row)
    given = {r["indicator"].pk for r in rows if any(r.get(s) is not None for s in SCENARIOS)}
    last = max((r.number for r in rows), default=1)
    for indicator in Indicator.objects.filter(required=True, active=True).order_by("order", "code"):
        if indicator.pk not in given:
            errors.append(
                CellError(
                    last,
                    "indicator",
                    _("The required indicator %(code)s (%(name)s) has no figure.")
                    % {"code": indicator.code, "name": indicator.name},
                    indicator.code,
                )
            )
    return clean, errors


def _commit(user: Any, rows: list[Row], params: dict[str, Any], progress: Any) -> list[ReportValue]:
    report = Report.objects.get(pk=params["report"].pk)
    values = []
    for row in rows:
        progress(row)
        for scenario in SCENARIOS:
            if row.get(scenario) is not None:
                values.append(
                    services.ValueRow(
                        row["indicator"],
                        scenario,
                        row[scenario],
                        ReportValue.Source.IMPORT,
                        row.get("source_document") or "",
                    )
                )
    return services.report_values_set(actor=user, report=report, values=values)


SPEC = ImportSpec(
    key=REPORT,
    title=lambda: _("Values of a periodic report"),
    permissions=("planning.change_report",),
    columns=COLUMNS,
    params=(Param("report", _report),),
    validate_rows=_validate,
    commit=_commit,
    heading=lambda params: str(params["report"]),
    list_url=lambda params: params["report"].get_absolute_url(),
    file_stem="bao-cao-dinh-ky",
)


def register() -> None:
    imports.register(SPEC)


def filled_template(*, user: Any, report: Report) -> bytes:
    """The import's template with one row per active indicator the user sees: its code, name (in the
    active language), unit, and the report's figures as they stand."""
    from openpyxl import load_workbook

    from .forms_reports import indicator_label

    workbook = load_workbook(io.BytesIO(imports.template_bytes(SPEC)))
    sheet = workbook.worksheets[0]
    current = {(v.indicator_id, v.scenario): v for v in selectors.report_values(user=user, report=report)}
    for indicator in selectors.indicator_list(user=user, active_only=True).order_by("order", "code"):
        documents = [current[(indicator.pk, s)].source_document for s in SCENARIOS if (indicator.pk, s) in current]
        sheet.append(
            [
                indicator.code,
                indicator_label(indicator),
                str(indicator.get_unit_display()),
                *(current[(indicator.pk, s)].value if (indicator.pk, s) in current else None for s in SCENARIOS),
                next((d for d in documents if d), ""),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
