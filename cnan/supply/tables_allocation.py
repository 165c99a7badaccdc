"""The allocation lists' tables (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable
from cnan.core.templatetags.cnan import vnd

from .models import AllocationRun

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

STATE_COLOURS: dict[str, str] = {
    AllocationRun.State.QUEUED: "secondary",
    AllocationRun.State.PROPOSED: "primary",
    AllocationRun.State.ACCEPTED: "success",
    AllocationRun.State.FAILED: "danger",
}


def percent(value: Any) -> str:
    """A share 0–1 as a percentage ("—" when there is none)."""
    if value is None:
        return "—"
    return f"{floatformat(value * 100, 1)} %"


class AllocationRunTable(PortalTable):
    created_at = tables.DateTimeColumn(verbose_name=_("Run at"), format="d/m/Y H:i", linkify=True)
    year = tables.Column(verbose_name=_("Year"))
    budget = tables.Column(verbose_name=_("Budget (VND)"), attrs=NUMBER, visible=False)
    state = tables.Column(verbose_name=_("State"))
    share = tables.Column(verbose_name=_("Domestic share by value"), attrs=NUMBER)
    weighted_share = tables.Column(verbose_name=_("Weighted domestic share"), attrs=NUMBER)
    greedy_share = tables.Column(verbose_name=_("Greedy share by value"), attrs=NUMBER, visible=False)
    spend = tables.Column(verbose_name=_("Spend (VND)"), attrs=NUMBER)
    optimal = tables.BooleanColumn(verbose_name=_("Proven optimal"))
    seconds = tables.Column(verbose_name=_("Solve time (s)"), attrs=NUMBER)
    owner = tables.Column(
        verbose_name=_("Run by"), accessor="job__owner", order_by=("job__owner__username",), default="—"
    )

    class Meta(PortalTable.Meta):
        model = AllocationRun
        fields = (
            "created_at",
            "year",
            "budget",
            "state",
            "share",
            "weighted_share",
            "greedy_share",
            "spend",
            "optimal",
            "seconds",
            "owner",
        )
        order_by = ("-created_at",)

    def render_state(self, record: AllocationRun, value: str) -> str:
        return format_html(
            '<span class="badge text-bg-{}" data-state="{}">{}</span>',
            STATE_COLOURS.get(record.state, "secondary"),
            record.state,
            value,
        )

    def value_state(self, record: AllocationRun) -> str:
        return str(record.get_state_display())

    def render_share(self, value: Any) -> str:
        return percent(value)

    def render_weighted_share(self, value: Any) -> str:
        return percent(value)

    def render_greedy_share(self, value: Any) -> str:
        return percent(value)

    def render_year(self, value: Any) -> str:
        return str(value)  # a year, not a number with a thousands separator

    def render_spend(self, value: Any) -> str:
        return vnd(value)

    def render_budget(self, value: Any) -> str:
        return vnd(value)

    def render_seconds(self, value: Any) -> str:
        return floatformat(value, 2)

    def render_owner(self, value: Any) -> str:
        return value.get_full_name() or value.username

    def value_owner(self, value: Any) -> str:
        return self.render_owner(value)
