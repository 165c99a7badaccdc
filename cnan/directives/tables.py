"""The directives' list tables (the same columns on screen and in XLSX/CSV exports)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import DirectiveDocument, Status, SteeringCommittee, Task

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

# Bootstrap colours of the statuses (pages, badges, charts).
STATUS_COLOURS = {
    Status.NOT_STARTED: "secondary",
    Status.IN_PROGRESS: "primary",
    Status.DONE_ON_TIME: "success",
    Status.DONE_LATE: "warning",
    Status.OVERDUE: "danger",
    Status.PAUSED: "info",
}
STATUS_HEX = {
    Status.NOT_STARTED: "#6c757d",
    Status.IN_PROGRESS: "#0d6efd",
    Status.DONE_ON_TIME: "#198754",
    Status.DONE_LATE: "#ffc107",
    Status.OVERDUE: "#dc3545",
    Status.PAUSED: "#0dcaf0",
}


def _name(value) -> str:
    return value.name if value is not None else "—"


class CommitteeTable(PortalTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    organization = tables.Column(verbose_name=_("Standing agency"), order_by=("organization__name",))
    founding_decision = tables.Column(verbose_name=_("Founding decision"))
    head = tables.Column(verbose_name=_("Head"))

    class Meta(PortalTable.Meta):
        model = SteeringCommittee
        fields = ("code", "name", "organization", "founding_decision", "head")
        order_by = ("code",)

    def render_organization(self, value):
        return _name(value)

    def value_organization(self, value):
        return _name(value)


class DocumentTable(PortalTable):
    number = tables.Column(verbose_name=_("Number and symbol"), linkify=True)
    kind = tables.Column(verbose_name=_("Type"))
    title = tables.Column(verbose_name=_("Title"), linkify=True, attrs={"td": {"class": "col-name"}})
    issued_on = tables.DateColumn(verbose_name=_("Issued on"), format="d/m/Y")
    issuer = tables.Column(verbose_name=_("Issued by"))
    organization = tables.Column(verbose_name=_("Assigning unit"), order_by=("organization__name",))
    committee = tables.Column(verbose_name=_("Steering committee"), order_by=("committee__code",))
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = DirectiveDocument
        fields = ("number", "kind", "title", "issued_on", "issuer", "organization", "committee", "classification")
        order_by = ("-issued_on",)

    def render_organization(self, value):
        return _name(value)

    def value_organization(self, value):
        return _name(value)

    def render_committee(self, value):
        return value.code

    def value_committee(self, value):
        return value.code if value else ""


class TaskTable(PortalTable):
    """The task list pages by position in the sorted column's order (``core.paging``): a column sorts it when its
    values may travel in a page link, so not the free texts (content, expected product)."""

    document = tables.Column(verbose_name=_("Document"), order_by=("document__issued_on", "document__number"))
    number = tables.Column(verbose_name=_("Item"), linkify=True, order_by=("document__number", "number"))
    content = tables.Column(
        verbose_name=_("Content"), linkify=True, orderable=False, attrs={"td": {"class": "col-name"}}
    )
    lead = tables.Column(verbose_name=_("Lead unit"), order_by=("lead__name",))
    effective_deadline = tables.DateColumn(verbose_name=_("Current deadline"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    progress = tables.Column(verbose_name=_("Progress (%)"), attrs=NUMBER)
    forecast_on = tables.DateColumn(verbose_name=_("Forecast completion"), format="d/m/Y")
    priority = tables.Column(verbose_name=_("Priority"), visible=False)
    expected_product = tables.Column(verbose_name=_("Expected concrete product"), visible=False, orderable=False)
    deadline = tables.DateColumn(verbose_name=_("Original deadline"), format="d/m/Y", visible=False)
    regular = tables.BooleanColumn(verbose_name=_("Regular"), visible=False)
    assigned_by = tables.Column(verbose_name=_("Assigned by"), order_by=("assigned_by__name",), visible=False)
    classification = tables.Column(verbose_name=_("Classification"), visible=False)

    class Meta(PortalTable.Meta):
        model = Task
        fields = (
            "document",
            "number",
            "content",
            "lead",
            "effective_deadline",
            "status",
            "progress",
            "forecast_on",
            "priority",
            "expected_product",
            "deadline",
            "regular",
            "assigned_by",
            "classification",
        )
        order_by = ("effective_deadline",)

    def render_document(self, value):
        return value.number

    def value_document(self, value):
        return value.number

    def render_content(self, value):
        return value if len(value) <= 140 else value[:139] + "…"

    def value_content(self, value):
        return value

    def render_lead(self, value):
        return _name(value)

    def value_lead(self, value):
        return _name(value)

    def render_assigned_by(self, value):
        return _name(value)

    def value_assigned_by(self, value):
        return _name(value)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}" data-status="{}">{}</span>',
            STATUS_COLOURS.get(record.status, "secondary"),
            record.status,
            record.get_status_display(),
        )

    def value_status(self, value, record):
        return record.get_status_display()
