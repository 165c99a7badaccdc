"""The tables of the reports' lists (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import django_tables2 as tables

from cnan.core.permissions import has_perm
from cnan.core.tables import PortalTable

from .models import Report, ReportingPeriod

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
STATE_COLOURS = {
    Report.State.DRAFT: "secondary",
    Report.State.SUBMITTED: "primary",
    Report.State.RETURNED: "warning",
    Report.State.ACCEPTED: "success",
    Report.State.SUPERSEDED: "dark",
}


class PeriodTable(PortalTable):
    period = tables.Column(
        verbose_name=_("Period"),
        accessor="pk",
        order_by=("year", "kind", "number"),
        attrs={"td": {"class": "col-name"}},
    )
    kind = tables.Column(verbose_name=_("Kind"))
    year = tables.Column(verbose_name=_("Year"), attrs=NUMBER)
    number = tables.Column(verbose_name=_("Number"), attrs=NUMBER)
    starts_on = tables.DateColumn(verbose_name=_("Starts on"), format="d/m/Y")
    ends_on = tables.DateColumn(verbose_name=_("Ends on"), format="d/m/Y")
    due_on = tables.DateColumn(verbose_name=_("Report due on"), format="d/m/Y")
    state = tables.Column(verbose_name=_("State"))
    close = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(PortalTable.Meta):
        model = ReportingPeriod
        fields = ("period", "kind", "year", "number", "starts_on", "ends_on", "due_on", "state", "close")
        order_by = ("-year",)

    def render_close(self, record):
        """A "Close" button on an open period, for who may close it (the Department)."""
        request = getattr(self, "request", None)
        if (
            request is None
            or record.state != ReportingPeriod.State.OPEN
            or not has_perm(request.user, "planning.open_reportingperiod", record)
        ):
            return ""
        return format_html(
            '<form method="post" action="{}" class="d-inline period-close" hx-boost="false">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-outline-secondary btn-sm">{}</button></form>',
            reverse("planning:period_close", kwargs={"pk": record.pk}),
            get_token(request),
            pgettext_lazy("reporting period", "Close"),
        )

    def render_period(self, record):
        return str(record)

    def value_period(self, record):
        return str(record)

    def render_year(self, value):
        return str(value)

    def value_year(self, value):
        return value


class ReportTable(PortalTable):
    report = tables.Column(
        verbose_name=_("Report"),
        accessor="pk",
        order_by=("enterprise__code", "version"),
        linkify=("planning:report_detail", {"pk": tables.A("pk")}),
        attrs={"td": {"class": "col-name"}},
    )
    enterprise = tables.Column(verbose_name=_("Enterprise"), order_by=("enterprise__name",))
    period = tables.Column(verbose_name=_("Period"), order_by=("period__year", "period__kind", "period__number"))
    version = tables.Column(verbose_name=_("Version"), attrs=NUMBER)
    state = tables.Column(verbose_name=_("State"))
    due_on = tables.DateColumn(verbose_name=_("Report due on"), accessor="period__due_on", format="d/m/Y")
    updated_at = tables.DateTimeColumn(verbose_name=_("Last change"), format="d/m/Y H:i", visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = Report
        fields = ("report", "enterprise", "period", "version", "state", "due_on", "updated_at", "classification")
        order_by = ("period",)

    def render_report(self, record):
        return str(record)

    def value_report(self, record):
        return str(record)

    def render_enterprise(self, value):
        return value.name

    def value_enterprise(self, value):
        return value.name
