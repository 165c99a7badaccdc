"""Plan against actual (``planning:achievement``: the official plan-vs-actual form of an indicator, with its
XLSX export), one enterprise against its targets (``planning:enterprise_achievement``: KH / TH / %, the trend
over five years and the SOE classification) and the planning dashboard (``planning:dashboard``). The pages
read only through the selectors (the visibility rule: an enterprise sees its own figures, the Department and
leadership all) and are for whoever may see the periodic reports somewhere."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import exports
from cnan.core.permissions import may_list
from cnan.core.views.generic import PortalView
from cnan.organizations.models import Organization

from .. import dashboards, selectors
from ..dashboards import indicator_label
from ..forms_achievement import AchievementForm, DashboardForm, YearForm
from ..models import Indicator, PeriodKind, Report, ReportingPeriod
from ..selectors import Achievement, AchievementRow, Verdict

VIEW_PERM = "planning.view_report"
TREND_YEARS = 5
VERDICT_CLASS: dict[str, str] = {Verdict.EXCEEDED: "success", Verdict.MET: "primary", Verdict.NOT_MET: "danger"}


def report_url(report_id: int | None) -> str | None:
    """The page of the report a value comes from (None when there is none, or the route is not there)."""
    if not report_id:
        return None
    try:
        return reverse("planning:report_detail", kwargs={"pk": report_id})
    except NoReverseMatch:
        return None


def _require(user: Any) -> None:
    if not may_list(user, Report):
        raise PermissionDenied


def _bad_request(request: HttpRequest, form: Any, title: str) -> HttpResponse:
    return render(request, "planning/achievement_error.html", {"title": title, "form": form}, status=400)


def _unit_label(indicator: Indicator) -> str:
    return str(Indicator.Unit(indicator.unit).label) if indicator.unit in Indicator.Unit.values else indicator.unit


def _period_label(kind: str, number: int, year: int) -> str:
    label = str(PeriodKind(kind).label)
    return f"{label} {year}" if kind == PeriodKind.YEAR else f"{label} {number}/{year}"


class _Line:
    """One line of the official form: the achievement row plus the reports its TH and last year come from."""

    def __init__(self, row: AchievementRow, report_id: int | None, before_id: int | None) -> None:
        self.row = row
        self.report_url = report_url(report_id)
        self.before_url = report_url(before_id)
        self.verdict_class = VERDICT_CLASS.get(row.verdict or "", "secondary")
        self.verdict_label = str(Verdict(row.verdict).label) if row.verdict else ""
        self.enterprise_url = ""


def _enterprise_url(pk: int, year: int) -> str:
    return reverse("planning:enterprise_achievement", kwargs={"pk": pk}) + f"?year={year}"


def _sources(user: Any, result: Achievement, year: int) -> tuple[dict[int, int], dict[int, int]]:
    """``unit id → report id`` of the TH (this period) and of the same period last year."""
    found: list[dict[int, int]] = []
    ids = [r.unit.pk for r in result.rows if r.unit is not None]
    needed = [result.indicator.pk, *result.indicator.dependencies()]
    for y in (year, year - 1):
        period = ReportingPeriod.objects.filter(kind=result.period_kind, year=y, number=result.period_number).first()
        values = selectors.values_of_record(user, period=period, indicators=needed, enterprises=ids) if period else {}
        by_unit: dict[int, int] = {}
        for (uid, _iid), rv in values.items():
            by_unit.setdefault(uid, rv.report_id)
        found.append(by_unit)
    return found[0], found[1]


def _export(result: Achievement, lines: list[_Line], period: str) -> HttpResponse:
    """The official form as XLSX: title rows, the header row, one line per enterprise and the industry total,
    numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    indicator = result.indicator
    wb = Workbook()
    ws = wb.active
    ws.title = indicator.code[:31]
    bold = Font(bold=True)
    ws.append([_("PLAN AGAINST ACTUAL")])
    ws.append([f"{indicator.code} · {indicator_label(indicator)} · {period}"])
    ws.append([])
    headers = [
        _("Enterprise"),
        _("Indicator"),
        _("Unit of measure"),
        _("Plan (KH)"),
        _("Actual (TH)"),
        _("TH/KH %"),
        _("Same period last year"),
        _("Against last year %"),
        _("Verdict"),
    ]
    ws.append(headers)
    for cell in ws[1] + ws[4]:
        cell.font = bold
    for cell in ws[4]:
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    unit = _unit_label(indicator)

    def line(name: str, row: AchievementRow, verdict: str) -> list[Any]:
        return [
            name,
            indicator_label(indicator),
            unit,
            row.plan,
            row.actual,
            row.achievement_pct,
            row.last_year,
            row.vs_last_year_pct,
            verdict,
        ]

    for item in lines:
        unit_org = item.row.unit
        ws.append(line(f"{unit_org.code} — {unit_org.name}" if unit_org else "", item.row, item.verdict_label))
    total = result.total
    ws.append(line(_("Industry total"), total, str(Verdict(total.verdict).label) if total.verdict else ""))
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in ws.iter_rows(min_row=5, min_col=4, max_col=8):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.0" if cell.column in (6, 8) else "#,##0.####"
    for column, width in zip("ABCDEFGHI", (36, 36, 16, 14, 14, 10, 14, 12, 12), strict=True):
        ws.column_dimensions[column].width = width
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=exports.CONTENT_TYPES["xlsx"])
    base = f"achievement-{indicator.code}-{result.year}-{result.period_kind}-{result.period_number}"
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(base, "xlsx")}"'
    return response


class AchievementView(PortalView):
    """The official plan-vs-actual form of one indicator for a period, per enterprise and for the industry."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        _require(user)
        form = AchievementForm(request.GET, user=user)
        if not form.is_valid():
            return _bad_request(request, form, _("Plan against actual"))
        data = form.cleaned_data
        indicator = data.get("indicator")
        context: dict[str, Any] = {"title": _("Plan against actual"), "form": form, "result": None}
        if indicator is not None:
            units = list(data["units"]) or None
            result = selectors.achievement(
                user,
                indicator=indicator,
                year=data["year"],
                period_kind=data["period_kind"],
                period_number=data["period_number"],
                units=units,
            )
            now, before = _sources(user, result, data["year"])
            lines = [
                _Line(r, now.get(r.unit.pk) if r.unit else None, before.get(r.unit.pk) if r.unit else None)
                for r in result.rows
            ]
            for item in lines:
                if item.row.unit is not None:
                    item.enterprise_url = _enterprise_url(item.row.unit.pk, data["year"])
            period = _period_label(data["period_kind"], data["period_number"], data["year"])
            if data.get("export") == "xlsx":
                return _export(result, lines, period)
            query = {k: v for k, v in request.GET.lists() if k != "export"}
            context.update(
                result=result,
                lines=lines,
                total=_Line(result.total, None, None),
                period=period,
                indicator_name=indicator_label(indicator),
                unit=_unit_label(indicator),
                export_url="?" + urlencode({**query, "export": ["xlsx"]}, doseq=True),
            )
        return render(request, "planning/achievement_form.html", context)


class EnterpriseAchievementView(PortalView):
    """One enterprise against its annual targets for a year (``?year=``): KH / TH / % per indicator, the trend
    over the last five years and its SOE classification."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        _require(user)
        enterprise = (
            Organization.objects.visible_to(user, "view").filter(pk=pk, kind=Organization.Kind.ENTERPRISE).first()
        )
        if enterprise is None:
            raise Http404
        form = YearForm(request.GET)
        if not form.is_valid():
            return _bad_request(request, form, _("Enterprise against its targets"))
        year = form.cleaned_data["year"]
        indicators = dashboards.target_indicators(user, enterprise=enterprise, year=year)
        years = list(range(year - TREND_YEARS + 1, year + 1))
        figures = dashboards.unit_years(user, enterprise=enterprise, indicators=indicators, years=years)
        lines = [
            {
                "line": _Line(figures[year][i.pk].row, figures[year][i.pk].report_id, None),
                "name": indicator_label(i),
                "unit": _unit_label(i),
            }
            for i in indicators
        ]
        charts = [
            {
                "indicator": i,
                "name": indicator_label(i),
                "labels": json.dumps([str(y) for y in years]),
                "series": json.dumps(
                    [
                        {"name": str(_("Plan (KH)")), "data": [_num(figures[y][i.pk].row.plan) for y in years]},
                        {"name": str(_("Actual (TH)")), "data": [_num(figures[y][i.pk].row.actual) for y in years]},
                    ]
                ),
            }
            for i in indicators
        ]
        soe = selectors.soe_classification(user, enterprise, year)
        context = {
            "title": _("%(enterprise)s against its targets") % {"enterprise": enterprise.name},
            "enterprise": enterprise,
            "form": form,
            "year": year,
            "lines": lines,
            "charts": charts,
            "soe": soe,
            "soe_lines": [{"line": _Line(r, None, None), "name": indicator_label(r.indicator)} for r in soe.rows],
            "years": years,
        }
        return render(request, "planning/achievement_enterprise.html", context)


def _bar_line(row: AchievementRow, year: int) -> _Line:
    line = _Line(row, None, None)
    if row.unit is not None:
        line.enterprise_url = _enterprise_url(row.unit.pk, year)
    return line


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


class DashboardView(PortalView):
    """The industry's figures for a year: the key indicators, each enterprise against its targets for a chosen
    indicator (TH/KH % with the 100 % line), the enterprises behind and the trend since 2021."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        _require(user)
        form = DashboardForm(request.GET, user=user)
        if not form.is_valid():
            return _bad_request(request, form, _("Planning dashboard"))
        year = form.cleaned_data["year"]
        key = dashboards.key_indicators()
        chosen = form.cleaned_data.get("indicator") or next((i for i in key if i.code == "DT"), None)
        results = dashboards.industry(user, indicators=key, year=year)
        by_id = {r.indicator.pk: r for r in results}
        if chosen is not None and chosen.pk not in by_id:
            by_id[chosen.pk] = selectors.achievement(user, indicator=chosen, year=year)
        bars = by_id[chosen.pk].rows if chosen is not None else []
        trend_years = list(range(min(dashboards.FIRST_TREND_YEAR, year), year + 1))
        trend = dashboards.trend(user, indicator=chosen, years=trend_years) if chosen is not None else []
        context = {
            "title": _("Planning dashboard"),
            "form": form,
            "year": year,
            "chosen": chosen,
            "chosen_name": indicator_label(chosen) if chosen else "",
            "figures": [
                {
                    "result": r,
                    "name": indicator_label(r.indicator),
                    "unit": _unit_label(r.indicator),
                    "line": _Line(r.total, None, None),
                }
                for r in results
            ],
            "bar_labels": json.dumps([r.unit.code for r in bars if r.unit]),
            "bar_values": json.dumps([_num(r.achievement_pct) for r in bars]),
            "bar_links": json.dumps([_enterprise_url(r.unit.pk, year) for r in bars if r.unit]),
            "bar_lines": [_bar_line(r, year) for r in bars],
            "behind": [
                {
                    "unit": b.unit,
                    "url": _enterprise_url(b.unit.pk, year),
                    "rows": [{"code": r.indicator.code, "pct": r.achievement_pct} for r in b.rows],
                }
                for b in dashboards.behind(results)
            ],
            "trend": trend,
            "trend_labels": json.dumps([str(y) for y, _row in trend]),
            "trend_series": json.dumps(
                [
                    {"name": str(_("Plan (KH)")), "data": [_num(t.plan) for _y, t in trend]},
                    {"name": str(_("Actual (TH)")), "data": [_num(t.actual) for _y, t in trend]},
                ]
            ),
            "achievement_url": reverse("planning:achievement"),
        }
        return render(request, "planning/achievement_dashboard.html", context)


def register_pages() -> None:
    """The dashboard's and the plan-vs-actual form's menu items (area "planning")."""
    from cnan.core import navigation

    navigation.register(
        navigation.MenuItem("planning", gettext_lazy("Planning dashboard"), "planning:dashboard", VIEW_PERM, 10)
    )
    navigation.register(
        navigation.MenuItem("planning", gettext_lazy("Plan against actual"), "planning:achievement", VIEW_PERM, 15)
    )
