from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_filters

from cnan.core.classification import Classification
from cnan.core.search import text_filter

from .models import Role, User


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    role_id = django_filters.ModelChoiceFilter(
        field_name="memberships__role", queryset=Role.objects.all(), label=_("Role"), distinct=True
    )
    organization_id = django_filters.NumberFilter(
        field_name="memberships__organization", label=_("Organisation id"), distinct=True
    )
    clearance = django_filters.ChoiceFilter(choices=Classification.choices, label=_("Clearance"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role_id", "organization_id", "clearance", "is_active"]

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset
