"""The self-reliance dashboard (``supply:dashboard``) and its home widget: the domestic share of the force's
equipment by value and by count, per product class, customer unit and year, the value substituted and the
localisation rate of what was delivered. Every bar and row opens the filtered list of what it counts."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnan.core import exports
from cnan.core.permissions import may_list
from cnan.core.views.generic import PortalView

from .. import dashboards
from ..forms_dashboard import TABLES, DashboardForm
from ..models import Delivery, ImportPurchase

VIEW_PERM = "supply.view_importpurchase"  # the menu; the page also needs deliveries (may_read)


def list_url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return reverse(name) + ("?" + query if query else "")


def drill_down(*, year: Any = None, product_class: str | None = None, unit: Any = None) -> tuple[str, str]:
    """The lists a figure counts: the accepted deliveries and the imported purchases of a year, a product
    class and a customer unit (each None: any)."""
    deliveries = list_url(
        "supply:delivery_list", accepted="true", accepted_year=year, product_class=product_class, customer=unit
    )
    imports = list_url("supply:import_list", year=year, product_class=product_class, unit=unit)
    return deliveries, imports


def _link(rows: list[dashboards.Share], by: str, year: int | None) -> list[dashboards.Share]:
    for row in rows:
        params: dict[str, Any] = {"year": year}
        if by == "class":
            params["product_class"] = row.key
        elif by == "unit":
            params["unit"] = row.key
        else:
            params["year"] = row.key
        row.domestic_url, row.import_url = drill_down(**params)
    return rows


def _chart(rows: list[dashboards.Share], attr: str) -> list[tuple[str, Any]]:
    return [(r.label, getattr(r, attr)) for r in rows]


def _links(rows: list[dashboards.Share]) -> str:
    """The drill-down of each bar (its accepted deliveries), as JSON for the chart's ``data-links``."""
    return json.dumps([r.domestic_url for r in rows])


def _export(form: DashboardForm, tables: dict[str, list[dashboards.Share]], year: int | None) -> HttpResponse:
    key = form.cleaned_data["table"]
    fmt = form.cleaned_data["export"]
    headings = {"class": _("Product class"), "unit": _("Customer unit"), "year": _("Year")}
    headers = [
        headings[key],
        _("Domestic value (VND)"),
        _("Imported value (VND)"),
        _("Domestic share by value (%)"),
        _("Domestic units"),
        _("Imported units"),
        _("Domestic share by count (%)"),
    ]
    if key == "class":
        headers += [_("Value substituted (VND)"), _("Units substituted")]

    def rows():
        for r in tables[key]:
            line = [
                r.key if key == "year" else r.label,
                r.domestic_value,
                r.import_value,
                r.share_value,
                r.domestic_count,
                r.import_count,
                r.share_count,
            ]
            if key == "class":
                line += [r.substituted_value, r.substituted_count]
            yield line

    title = f"{_('Self-reliance')} {TABLES[key]}" + (f" {year}" if year else "")
    data = exports.render_bytes(fmt=fmt, title=str(title), headers=[str(h) for h in headers], rows=rows())
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    base = f"supply-self-reliance-{key}" + (f"-{year}" if year else "")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(base, fmt)}"'
    return response


def may_read(user: Any) -> bool:
    """The share weighs deliveries against imported purchases: the page is for who may see both (the
    Department, leadership, the units), not an enterprise, whose share would read 100%."""
    return may_list(user, Delivery) and may_list(user, ImportPurchase)


class DashboardView(PortalView):
    """Self-reliance for a year (``?year=``) or all years; ``?export=xlsx|csv&table=class|unit|year`` exports
    one of the tables. Shown to whoever may see deliveries somewhere; the figures hold only what they see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not may_read(user):
            raise PermissionDenied
        form = DashboardForm(request.GET or None)
        valid = form.is_valid() if form.is_bound else True
        year = form.cleaned_data.get("year") if valid and form.is_bound else None
        trend = _link(dashboards.by_year(user=user), "year", None)
        tables = {
            "class": _link(dashboards.by_class(user=user, year=year), "class", year),
            "unit": _link(dashboards.by_unit(user=user, year=year), "unit", year),
            "year": trend,
        }
        if valid and form.is_bound and form.cleaned_data.get("export"):
            return _export(form, tables, year)
        summary = dashboards.total(tables["class"])
        summary.domestic_url, summary.import_url = drill_down(year=year)
        years = sorted({r.key for r in trend} | ({year} if year else set()), reverse=True)
        targets = dashboards.share_targets(user=user, trend=trend)
        context = {
            "title": _("Self-reliance"),
            "today": timezone.localdate(),
            "form": form,
            "year": year,
            "years": years,
            "summary": summary,
            "localisation": dashboards.localisation_rate(user=user, year=year),
            "by_class": tables["class"],
            "by_unit": tables["unit"],
            "by_year": trend,
            "class_total": summary,
            "unit_total": dashboards.total(tables["unit"]),
            "year_total": dashboards.total(trend),
            "class_chart": _chart(tables["class"], "share_value"),
            "class_links": _links(tables["class"]),
            "unit_chart": _chart(tables["unit"], "share_value"),
            "unit_links": _links(tables["unit"]),
            "trend_value_chart": _chart(trend, "share_value"),
            "trend_count_chart": _chart(trend, "share_count"),
            "trend_links": _links(trend),
            "targets": targets,
            "target_mark": targets[-1] if targets else None,
            "export_query": {k: urlencode({**({"year": year} if year else {}), "table": k}) for k in TABLES},
        }
        return render(request, "supply/dashboard.html", context, status=200 if valid else 400)


def home_self_reliance(user: Any) -> dict[str, Any] | None:
    """The domestic share by value this year and last, for who may see deliveries (None otherwise, or when
    neither year has an accepted delivery or an imported purchase the user may see)."""
    if not may_read(user):
        return None
    rows = dashboards.by_year(user=user)
    this_year = timezone.localdate().year
    years = []
    for y in (this_year, this_year - 1):
        row = dashboards.year_share(rows, y) or dashboards.Share(key=y, label=str(y))
        row.domestic_url, row.import_url = drill_down(year=y)
        years.append(row)
    if not any(r.total_value or r.total_count for r in years):
        return None
    return {"years": years}


def register_pages() -> None:
    """The dashboard's menu item (area "supply", first) and its home widget."""
    from cnan.core import home, navigation

    navigation.register(navigation.MenuItem("supply", gettext_lazy("Self-reliance"), "supply:dashboard", VIEW_PERM, 10))
    home.register(
        home.Widget(
            key="supply:self_reliance",
            template="supply/partials/_dashboard_home.html",
            context=home_self_reliance,
            order=30,
            width=6,
        )
    )
