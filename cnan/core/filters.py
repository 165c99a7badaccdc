from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

import django_filters

from .models import ObjectChange


def _audited_types(request=None):
    return ContentType.objects.filter(
        app_label__in=[
            "accounts",
            "organizations",
            "core",
            "catalogue",
            "planning",
            "supply",
            "research",
            "directives",
            "certification",
            "workforce",
            "reporting",
        ]
    ).order_by("app_label", "model")


class ObjectChangeFilterSet(django_filters.FilterSet):
    # The user is typed (user name), not picked from a list: a list of everyone who changed something
    # would need a scan of the whole log on every page, and would name people to roles that may not
    # list users. ``actor_id`` serves links from a user's page.
    actor = django_filters.CharFilter(field_name="actor__username", lookup_expr="iexact", label=_("User name"))
    actor_id = django_filters.NumberFilter(field_name="actor_id", widget=forms.HiddenInput, label=_("User id"))
    content_type_id = django_filters.ModelChoiceFilter(
        field_name="content_type", queryset=_audited_types, label=_("Object type")
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    action = django_filters.ChoiceFilter(choices=ObjectChange.Action.choices, label=_("Action"))
    request_id = django_filters.UUIDFilter(label=_("Request id"))
    organization_id = django_filters.NumberFilter(field_name="organization_id", label=_("Organisation id"))
    # From the start of the first day to the end of the last, in the portal's time zone: a range on the
    # indexed column itself, not on its date.
    time = django_filters.DateFromToRangeFilter(
        label=_("Between dates"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = ObjectChange
        fields = [
            "actor",
            "actor_id",
            "content_type_id",
            "object_id",
            "action",
            "request_id",
            "organization_id",
            "time",
        ]
