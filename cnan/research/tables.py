"""The research lists' tables (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import (
    Cooperation,
    FilingStatus,
    IPFiling,
    Milestone,
    Output,
    ResearchGroup,
    ResearchTask,
    Schedule,
    Stage,
    TechTransfer,
)

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

# Bootstrap colours of the stages (badges) and their hex for the charts and the timeline.
STAGE_COLOURS = {
    Stage.PROPOSED: "secondary",
    Stage.REVIEWED: "info",
    Stage.REJECTED: "dark",
    Stage.APPROVED: "info",
    Stage.CONTRACTED: "primary",
    Stage.IN_PROGRESS: "primary",
    Stage.PAUSED: "warning",
    Stage.TERMINATED: "dark",
    Stage.BASE_ACCEPTED: "primary",
    Stage.PASSED: "success",
    Stage.FAILED: "danger",
    Stage.FAILED_RISK: "warning",
    Stage.LIQUIDATED: "secondary",
    Stage.REGISTERED: "success",
    Stage.APPLIED: "success",
}
BOOTSTRAP_HEX = {
    "secondary": "#6c757d",
    "info": "#0dcaf0",
    "dark": "#212529",
    "primary": "#0d6efd",
    "warning": "#ffc107",
    "success": "#198754",
    "danger": "#dc3545",
}
SCHEDULE_COLOURS = {Schedule.ON_TIME: "success", Schedule.LATE: "danger"}
FILING_COLOURS = {
    FilingStatus.FILED: "secondary",
    FilingStatus.FORMALITY: "info",
    FilingStatus.PUBLISHED: "info",
    FilingStatus.SUBSTANTIVE: "primary",
    FilingStatus.GRANTED: "success",
    FilingStatus.REFUSED: "danger",
    FilingStatus.WITHDRAWN: "dark",
}


def stage_hex(stage: str) -> str:
    return BOOTSTRAP_HEX[STAGE_COLOURS.get(stage, "secondary")]


def _name(value) -> str:
    return value.name if value is not None else "—"


def _country(value) -> str:
    """A country (django-tables2 hands over the choice's name)."""
    return str(getattr(value, "name", value) or "—")


def badge(colour: str, attr: str, key: str, label: str):
    return format_html('<span class="badge text-bg-{}" data-{}="{}">{}</span>', colour, attr, key, label)


class TaskTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    title = tables.Column(verbose_name=_("Title"), linkify=True, attrs={"td": {"class": "col-name"}})
    level = tables.Column(verbose_name=_("Level"))
    kind = tables.Column(verbose_name=_("Type"))
    host = tables.Column(verbose_name=_("Host organisation"), order_by=("host__name",))
    principal_investigator = tables.Column(verbose_name=_("Principal investigator"), visible=False)
    start_on = tables.DateColumn(verbose_name=_("Start"), format="d/m/Y")
    end = tables.DateColumn(verbose_name=_("Current end"), format="d/m/Y", order_by=("current_end_on", "end_on"))
    stage = tables.Column(verbose_name=_("Stage"))
    schedule = tables.Column(verbose_name=_("Schedule"), empty_values=())
    budget_total = tables.Column(verbose_name=_("Total budget (VND)"), attrs=NUMBER, visible=False)
    formation = tables.Column(verbose_name=_("Formation"), visible=False)
    selection = tables.Column(verbose_name=_("Selection"), visible=False)
    key_programme = tables.BooleanColumn(verbose_name=_("Key programme"), visible=False)
    outcome = tables.Column(verbose_name=_("Official acceptance"), visible=False)
    grade = tables.Column(verbose_name=_("Grade"), visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = ResearchTask
        fields = (
            "code",
            "title",
            "level",
            "kind",
            "host",
            "principal_investigator",
            "start_on",
            "end",
            "stage",
            "schedule",
            "budget_total",
            "formation",
            "selection",
            "key_programme",
            "outcome",
            "grade",
            "classification",
        )
        order_by = ("-start_on",)

    def render_host(self, value):
        return _name(value)

    def value_host(self, value):
        return _name(value)

    def render_stage(self, value, record):
        return badge(STAGE_COLOURS.get(record.stage, "secondary"), "stage", record.stage, record.get_stage_display())

    def value_stage(self, value, record):
        return record.get_stage_display()

    def render_schedule(self, value, record):
        if not record.schedule:
            return "—"
        return badge(SCHEDULE_COLOURS[record.schedule], "schedule", record.schedule, record.get_schedule_display())

    def value_schedule(self, value, record):
        return record.get_schedule_display() if record.schedule else ""

    def render_budget_total(self, value):
        return f"{value:,.0f}".replace(",", ".")


class MilestoneTable(PortalTable):
    task = tables.Column(verbose_name=_("S&T task"), order_by=("task__code",), linkify=True)
    number = tables.Column(verbose_name=_("No."), attrs=NUMBER)
    content = tables.Column(verbose_name=_("Content"), orderable=False, attrs={"td": {"class": "col-name"}})
    host = tables.Column(verbose_name=_("Host organisation"), accessor="task__host", order_by=("task__host__name",))
    due_on = tables.DateColumn(verbose_name=_("Due on"), format="d/m/Y")
    progress = tables.Column(verbose_name=_("Progress (%)"), attrs=NUMBER)
    done_on = tables.DateColumn(verbose_name=_("Done on"), format="d/m/Y")
    late = tables.Column(verbose_name=_("Late"), empty_values=(), orderable=False)
    expected_output = tables.Column(verbose_name=_("Expected output"), orderable=False, visible=False)

    class Meta(PortalTable.Meta):
        model = Milestone
        fields = ("task", "number", "content", "host", "due_on", "progress", "done_on", "late", "expected_output")
        order_by = ("due_on",)

    def render_task(self, value):
        return value.code

    def value_task(self, value):
        return value.code

    def render_content(self, value):
        return value if len(value) <= 140 else value[:139] + "…"

    def render_host(self, value):
        return _name(value)

    def value_host(self, value):
        return _name(value)

    def render_late(self, record):
        if record.is_late():
            return format_html('<span class="badge text-bg-danger" data-late="1">{}</span>', _("Late"))
        return "—"

    def value_late(self, record):
        return str(_("Late")) if record.is_late() else ""


class OutputTable(PortalTable):
    title = tables.Column(
        verbose_name=_("Title"),
        linkify=("research:output_detail", {"pk": tables.A("pk")}),
        attrs={"td": {"class": "col-name"}},
    )
    kind = tables.Column(verbose_name=_("Kind"))
    task = tables.Column(verbose_name=_("S&T task"), order_by=("task__code",), linkify=True)
    host = tables.Column(verbose_name=_("Host organisation"), accessor="task__host", order_by=("task__host__name",))
    product = tables.Column(verbose_name=_("Catalogue product"), order_by=("product__code",))
    in_production = tables.BooleanColumn(verbose_name=_("Reached production"))
    delivered_on = tables.DateColumn(verbose_name=_("Delivered on"), format="d/m/Y")
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = Output
        fields = ("title", "kind", "task", "host", "product", "in_production", "delivered_on", "classification")
        order_by = ("task", "title")

    def render_task(self, value):
        return value.code

    def value_task(self, value):
        return value.code

    def render_host(self, value):
        return _name(value)

    def value_host(self, value):
        return _name(value)

    # A product the reader may not see is not named (``selectors.output_list``'s ``product_visible``).
    def render_product(self, value, record):
        return f"{value.code} — {value.name}" if record.product_visible else "—"

    def value_product(self, value, record):
        return f"{value.code} — {value.name}" if value and record.product_visible else ""


class FilingTable(PortalTable):
    title = tables.Column(verbose_name=_("Title"), linkify=True, attrs={"td": {"class": "col-name"}})
    kind = tables.Column(verbose_name=_("Kind"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__name",))
    application_number = tables.Column(verbose_name=_("Application number"))
    country = tables.Column(verbose_name=_("Filed in"))
    filed_on = tables.DateColumn(verbose_name=_("Filed on"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    status_on = tables.DateColumn(verbose_name=_("Status since"), format="d/m/Y")
    grant_number = tables.Column(verbose_name=_("Grant number"), visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = IPFiling
        fields = (
            "title",
            "kind",
            "owner",
            "application_number",
            "country",
            "filed_on",
            "status",
            "status_on",
            "grant_number",
            "classification",
        )
        order_by = ("-filed_on",)

    def render_owner(self, value):
        return _name(value)

    def value_owner(self, value):
        return _name(value)

    def render_country(self, value):
        return _country(value)

    def value_country(self, value):
        return _country(value)

    def render_status(self, value, record):
        return badge(FILING_COLOURS.get(record.status, "secondary"), "status", record.status, value)

    def value_status(self, value, record):
        return record.get_status_display()


class TransferTable(PortalTable):
    technology = tables.Column(verbose_name=_("Technology"), linkify=True, attrs={"td": {"class": "col-name"}})
    partner = tables.Column(verbose_name=_("Partner"))
    partner_country = tables.Column(verbose_name=_("Partner's country"))
    direction = tables.Column(verbose_name=_("Direction"))
    organization = tables.Column(verbose_name=_("Unit of the industry"), order_by=("organization__name",))
    value = tables.Column(verbose_name=_("Contract value (VND)"), attrs=NUMBER)
    signed_on = tables.DateColumn(verbose_name=_("Signed on"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    contract_number = tables.Column(verbose_name=_("Contract number"), visible=False)
    approval_decision = tables.Column(verbose_name=_("Approval decision"), visible=False)
    completed_on = tables.DateColumn(verbose_name=_("Completed on"), format="d/m/Y", visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = TechTransfer
        fields = (
            "technology",
            "partner",
            "partner_country",
            "direction",
            "organization",
            "value",
            "signed_on",
            "status",
            "contract_number",
            "approval_decision",
            "completed_on",
            "classification",
        )
        order_by = ("-signed_on",)

    def render_partner_country(self, value):
        return _country(value)

    def value_partner_country(self, value):
        return _country(value)

    def render_organization(self, value):
        return _name(value)

    def value_organization(self, value):
        return _name(value)

    def render_value(self, value):
        return f"{value:,.0f}".replace(",", ".")


class CooperationTable(PortalTable):
    partner = tables.Column(verbose_name=_("Partner"), linkify=True, attrs={"td": {"class": "col-name"}})
    form = tables.Column(verbose_name=_("Form"))
    country = tables.Column(verbose_name=_("Partner's country"))
    field = tables.Column(verbose_name=_("Field"))
    organization = tables.Column(verbose_name=_("Unit of the industry"), order_by=("organization__name",))
    start_on = tables.DateColumn(verbose_name=_("From"), format="d/m/Y")
    end_on = tables.DateColumn(verbose_name=_("Until"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    approval_decision = tables.Column(verbose_name=_("Approval decision"), visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = Cooperation
        fields = (
            "partner",
            "form",
            "country",
            "field",
            "organization",
            "start_on",
            "end_on",
            "status",
            "approval_decision",
            "classification",
        )
        order_by = ("-start_on",)

    def render_country(self, value):
        return _country(value)

    def value_country(self, value):
        return _country(value)

    def render_organization(self, value):
        return _name(value)

    def value_organization(self, value):
        return _name(value)


class GroupTable(PortalTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True, attrs={"td": {"class": "col-name"}})
    organization = tables.Column(verbose_name=_("School or institute"), order_by=("organization__name",))
    lead = tables.Column(verbose_name=_("Group lead"))
    field = tables.Column(verbose_name=_("Field"))
    formed_on = tables.DateColumn(verbose_name=_("Formed on"), format="d/m/Y")
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = ResearchGroup
        fields = ("name", "organization", "lead", "field", "formed_on", "classification")
        order_by = ("organization", "name")

    def render_organization(self, value):
        return _name(value)

    def value_organization(self, value):
        return _name(value)
