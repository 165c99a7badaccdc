from __future__ import annotations

from django.contrib.auth import get_user_model
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


def _actors(request=None):
    """The users the log can be filtered by. On a page, only those whose changes the viewer may see: the
    list must not reveal anyone else (the audit log is open to roles that may not list users)."""
    users = get_user_model().objects.all()
    if request is None:  # validating a filter in a selector: the rows are restricted there
        return users
    return users.filter(pk__in=ObjectChange.objects.visible_to(request.user, "view").values("actor_id"))


class ObjectChangeFilterSet(django_filters.FilterSet):
    actor_id = django_filters.ModelChoiceFilter(field_name="actor", queryset=_actors, label=_("User"))
    content_type_id = django_filters.ModelChoiceFilter(
        field_name="content_type", queryset=_audited_types, label=_("Object type")
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    action = django_filters.ChoiceFilter(choices=ObjectChange.Action.choices, label=_("Action"))
    request_id = django_filters.UUIDFilter(label=_("Request id"))
    organization_id = django_filters.NumberFilter(field_name="organization_id", label=_("Organisation id"))
    time_after = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("From date"))
    time_before = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("To date"))

    class Meta:
        model = ObjectChange
        fields = [
            "actor_id",
            "content_type_id",
            "object_id",
            "action",
            "request_id",
            "organization_id",
            "time_after",
            "time_before",
        ]
