"""The demand lists' tables (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import django_tables2 as tables

from cnan.core.permissions import has_perm
from cnan.core.tables import PortalTable

from .models import Capacity, DemandLine, DemandPlan, ImportPurchase

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
STATE_COLOURS: dict[str, str] = {
    DemandPlan.State.DRAFT: "secondary",
    DemandPlan.State.SUBMITTED: "primary",
    DemandPlan.State.RETURNED: "warning",
    DemandPlan.State.CONSOLIDATED: "success",
}


def money(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def state_badge(state: str, label: Any) -> str:
    return format_html(
        '<span class="badge text-bg-{}" data-state="{}">{}</span>', STATE_COLOURS.get(state), state, label
    )


def _name(value: Any) -> str:
    return value.name if value is not None else "—"


class DemandPlanTable(PortalTable):
    plan = tables.Column(
        verbose_name=_("Demand plan"),
        accessor="unit__code",
        linkify=("supply:plan_detail", {"pk": tables.A("pk")}),
        order_by=("year", "unit__code"),
    )
    unit = tables.Column(verbose_name=_("Operational unit"), order_by=("unit__name",))
    year = tables.Column(verbose_name=_("Year"), attrs=NUMBER)
    state = tables.Column(verbose_name=_("State"))
    line_count = tables.Column(verbose_name=_("Lines"), attrs=NUMBER)
    total_value = tables.Column(verbose_name=_("Value (VND)"), attrs=NUMBER)
    updated_at = tables.DateTimeColumn(verbose_name=_("Last changed"), format="d/m/Y H:i")
    note = tables.Column(verbose_name=_("Note"), orderable=False, visible=False)

    class Meta(PortalTable.Meta):
        model = DemandPlan
        fields = ("plan", "unit", "year", "state", "line_count", "total_value", "updated_at", "note")
        order_by = ("-year",)

    def render_plan(self, record):
        return str(record)

    def value_plan(self, record):
        return str(record)

    def render_unit(self, value):
        return _name(value)

    def value_unit(self, value):
        return _name(value)

    def render_state(self, value, record):
        return state_badge(record.state, value)

    def value_state(self, value, record):
        return record.get_state_display()

    def render_total_value(self, value):
        return money(value)

    def render_year(self, value):
        return str(value)  # a year, not a number with a thousands separator

    def value_year(self, value):
        return value


class DemandLineTable(PortalTable):
    plan = tables.Column(verbose_name=_("Demand plan"), order_by=("plan__year", "plan__unit__code"))
    number = tables.Column(verbose_name=_("No."), attrs=NUMBER, linkify=lambda record: record.get_absolute_url())
    product_class = tables.Column(verbose_name=_("Product class"))
    product_group = tables.Column(verbose_name=_("Product group"), order_by=("product_group__code",))
    product = tables.Column(verbose_name=_("Product"), order_by=("product__code",))
    specification = tables.Column(verbose_name=_("Required specification"), orderable=False)
    quantity = tables.Column(verbose_name=_("Quantity"), attrs=NUMBER)
    unit_value = tables.Column(verbose_name=_("Unit value (VND)"), attrs=NUMBER)
    needed_by = tables.DateColumn(verbose_name=_("Needed by"), format="d/m/Y")
    force_type = tables.Column(verbose_name=_("Force equipped"))
    tier = tables.Column(verbose_name=_("Tier"), attrs=NUMBER)
    state = tables.Column(verbose_name=_("Plan state"), accessor="plan__state", order_by=("plan__state",))

    class Meta(PortalTable.Meta):
        model = DemandLine
        fields = (
            "plan",
            "number",
            "product_class",
            "product_group",
            "product",
            "specification",
            "quantity",
            "unit_value",
            "needed_by",
            "force_type",
            "tier",
            "state",
        )
        order_by = ("plan", "number")

    def render_plan(self, value):
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)

    def value_plan(self, value):
        return str(value)

    def render_product_group(self, value):
        return str(value) if value else "—"

    def value_product_group(self, value):
        return str(value) if value else ""

    def render_product(self, value, record):
        return value.code if value is not None and getattr(record, "product_visible", False) else "—"

    def value_product(self, value, record):
        return value.code if value is not None and getattr(record, "product_visible", False) else ""

    def render_specification(self, value):
        return value if len(value) <= 120 else value[:119] + "…"

    def value_specification(self, value):
        return value

    def render_unit_value(self, value):
        return money(value)

    def render_state(self, value, record):
        return state_badge(record.plan.state, record.plan.get_state_display())

    def value_state(self, value, record):
        return record.plan.get_state_display()


class CapacityTable(PortalTable):
    enterprise = tables.Column(verbose_name=_("Enterprise"), order_by=("enterprise__name",))
    product_group = tables.Column(verbose_name=_("Product group"), order_by=("product_group__code",))
    year = tables.Column(verbose_name=_("Year"), attrs=NUMBER)
    units = tables.Column(verbose_name=_("Capacity (units a year)"), attrs=NUMBER)
    booked = tables.Column(verbose_name=_("Booked by orders"), attrs=NUMBER)
    left = tables.Column(verbose_name=pgettext_lazy("capacity", "Left"), attrs=NUMBER)
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(PortalTable.Meta):
        model = Capacity
        fields = ("enterprise", "product_group", "year", "units", "booked", "left", "actions")
        order_by = ("-year",)

    def render_actions(self, record):
        """A link to change the row, for who keeps the enterprise's capacity."""
        request = getattr(self, "request", None)
        if request is None or not has_perm(request.user, "supply.change_capacity", record.enterprise):
            return ""
        query = urlencode(
            {"enterprise": record.enterprise_id, "product_group": record.product_group_id, "year": record.year}
        )
        return format_html(
            '<a href="{}?{}" class="capacity-set" title="{}"><i class="bi bi-pencil"></i></a>',
            reverse("supply:capacity_set"),
            query,
            _("Change"),
        )

    def render_enterprise(self, value):
        return _name(value)

    def value_enterprise(self, value):
        return _name(value)

    def render_product_group(self, value):
        return str(value)

    def value_product_group(self, value):
        return str(value)

    def render_year(self, value):
        return str(value)  # a year, not a number with a thousands separator

    def value_year(self, value):
        return value


class ImportPurchaseTable(PortalTable):
    description = tables.Column(verbose_name=_("Description"), linkify=True, attrs={"td": {"class": "col-name"}})
    unit = tables.Column(verbose_name=_("Purchasing unit"), order_by=("unit__name",))
    year = tables.Column(verbose_name=_("Year"), attrs=NUMBER)
    product_class = tables.Column(verbose_name=_("Product class"))
    country = tables.Column(verbose_name=_("Country of origin"))
    quantity = tables.Column(verbose_name=_("Quantity"), attrs=NUMBER)
    value = tables.Column(verbose_name=_("Value (VND)"), attrs=NUMBER)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = ImportPurchase
        fields = ("description", "unit", "year", "product_class", "country", "quantity", "value", "classification")
        order_by = ("-year",)

    def render_unit(self, value):
        return _name(value)

    def value_unit(self, value):
        return _name(value)

    def render_country(self, value):
        return str(getattr(value, "name", value) or "—")

    def value_country(self, value):
        return str(getattr(value, "name", value) or "")

    def render_value(self, value):
        return money(value)

    def render_year(self, value):
        return str(value)  # a year, not a number with a thousands separator

    def value_year(self, value):
        return value
