from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

import django_tables2 as tables

from cnan.core.tables import PortalTable

from .models import User


class UserTable(PortalTable):
    username = tables.Column(verbose_name=_("User name"), linkify=True)
    full_name = tables.Column(verbose_name=_("Full name"))
    position = tables.Column(verbose_name=_("Position"))
    memberships = tables.Column(verbose_name=_("Roles"), accessor="current_memberships", orderable=False)
    clearance = tables.Column(verbose_name=_("Clearance"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_login = tables.DateTimeColumn(verbose_name=_("Last sign-in"), format="d/m/Y H:i")

    class Meta(PortalTable.Meta):
        model = User
        fields = ("username", "full_name", "position", "memberships", "clearance", "is_active", "last_login")
        order_by = ("username",)

    def render_memberships(self, value):
        return format_html_join(", ", "{} ({})", ((m.role, m.organization.code) for m in value)) or "—"

    def value_memberships(self, value):
        return "; ".join(f"{m.role} ({m.organization.code})" for m in value)
