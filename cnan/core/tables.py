from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from .models import ObjectChange


class PortalTable(tables.Table):
    """Base of every list table: Bootstrap 5 markup, sortable headers, an empty-state message."""

    class Meta:
        template_name = "components/table.html"
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        empty_text = _("Nothing matches these filters.")
        # The list card boosts its sorting and paging links into itself (htmx); a row's links open pages.
        row_attrs = {"hx-boost": "false"}


class ObjectChangeTable(PortalTable):
    time = tables.DateTimeColumn(verbose_name=_("Time"), linkify=True, format="d/m/Y H:i:s")
    actor_name = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Object type"), order_by=("content_type__model",))
    object_repr = tables.Column(verbose_name=_("Object"))
    organization = tables.Column(verbose_name=_("Organisation"), order_by=("organization__name",))
    changed_fields = tables.Column(verbose_name=_("Fields"), orderable=False)
    request_id = tables.Column(verbose_name=_("Request id"), orderable=False)

    class Meta(PortalTable.Meta):
        model = ObjectChange
        fields = (
            "time",
            "actor_name",
            "action",
            "content_type",
            "object_repr",
            "organization",
            "changed_fields",
            "request_id",
        )
        order_by = ("-time",)

    def render_content_type(self, value):
        return value.model_class()._meta.verbose_name.capitalize() if value.model_class() else value.model

    def value_content_type(self, value):
        return self.render_content_type(value)

    def render_changed_fields(self, value):
        return ", ".join(value) if value else "—"

    def value_changed_fields(self, value):
        return ", ".join(value or [])
