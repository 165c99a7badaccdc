"""The tables of the plans area's lists (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import Indicator, Plan

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
STATUS_COLOURS = {
    Plan.Status.DRAFT: "secondary",
    Plan.Status.SUBMITTED: "info",
    Plan.Status.APPROVED: "primary",
    Plan.Status.PUBLISHED: "success",
    Plan.Status.ADJUSTED: "warning",
}


def _yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


class IndicatorTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True, attrs={"td": {"class": "col-name"}})
    name_en = tables.Column(verbose_name=_("English name"), visible=False)
    category = tables.Column(verbose_name=_("Category"))
    unit = tables.Column(verbose_name=_("Unit"))
    direction = tables.Column(verbose_name=_("Direction"))
    aggregation = tables.Column(verbose_name=_("Aggregation"))
    evaluation = tables.Column(verbose_name=_("Evaluation"))
    required = tables.Column(verbose_name=_("Required"))
    active = tables.Column(verbose_name=_("Active"))
    order = tables.Column(verbose_name=_("Order"), attrs=NUMBER, visible=False)

    class Meta(PortalTable.Meta):
        model = Indicator
        fields = (
            "code",
            "name",
            "name_en",
            "category",
            "unit",
            "direction",
            "aggregation",
            "evaluation",
            "required",
            "active",
            "order",
        )
        order_by = ("order", "code")

    def render_evaluation(self, value):
        return _yes_no(value)

    def value_evaluation(self, value):
        return _yes_no(value)

    def render_required(self, value):
        return _yes_no(value)

    def value_required(self, value):
        return _yes_no(value)

    def render_active(self, value):
        return _yes_no(value)

    def value_active(self, value):
        return _yes_no(value)


class PlanTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True, attrs={"td": {"class": "col-name"}})
    kind = tables.Column(verbose_name=_("Kind"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__name",))
    parent = tables.Column(verbose_name=_("Parent instrument"), order_by=("parent__code",))
    start_year = tables.Column(verbose_name=_("From year"), attrs=NUMBER)
    end_year = tables.Column(verbose_name=_("To year"), attrs=NUMBER)
    vision_year = tables.Column(verbose_name=_("Vision to"), attrs=NUMBER)
    decision_number = tables.Column(verbose_name=_("Decision number"))
    decided_on = tables.DateColumn(verbose_name=_("Decided on"), format="d/m/Y")
    target_count = tables.Column(verbose_name=_("Targets"), attrs=NUMBER)
    status = tables.Column(verbose_name=_("Status"))
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = Plan
        fields = (
            "code",
            "name",
            "kind",
            "owner",
            "parent",
            "start_year",
            "end_year",
            "vision_year",
            "decision_number",
            "decided_on",
            "target_count",
            "status",
            "classification",
        )
        order_by = ("-start_year", "code")

    def render_owner(self, value):
        return value.name

    def value_owner(self, value):
        return value.name

    def render_parent(self, value):
        return value.code

    def value_parent(self, value):
        return value.code

    def render_start_year(self, value):
        return str(value)  # a year, not a number with a thousands separator

    def render_end_year(self, value):
        return str(value)

    def render_vision_year(self, value):
        return str(value)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}" data-status="{}">{}</span>',
            STATUS_COLOURS.get(record.status, "secondary"),
            record.status,
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.get_status_display()
