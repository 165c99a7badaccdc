"""The FilterSets of the plans area's lists (indicators, plans and strategies), shared by the pages, their
exports and the selectors (``indicator_search``, ``plan_search``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from cnan.organizations.models import Organization

from .models import Indicator, Plan


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Code or name"))
    category = django_filters.MultipleChoiceFilter(choices=Indicator.Category.choices, label=_("Category"))
    unit = django_filters.ChoiceFilter(choices=Indicator.Unit.choices, label=_("Unit"))
    aggregation = django_filters.ChoiceFilter(choices=Indicator.Aggregation.choices, label=_("Aggregation"))
    evaluation = django_filters.BooleanFilter(label=_("Evaluation indicator"))
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Indicator
        fields = ["q", "category", "unit", "aggregation", "evaluation", "active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value))


def _owners(request: Any = None) -> QuerySet[Organization]:
    """The owners of the plans the user may see: the filter names nobody else."""
    if request is None:
        return Organization.objects.all()
    plans = Plan.objects.visible_to(request.user, "view")
    return Organization.objects.filter(pk__in=plans.values("owner")).order_by("code")


def _parents(request: Any = None) -> QuerySet[Plan]:
    """The plans with instruments under them (Overall Projects, five-year plans) the user may see."""
    if request is None:
        return Plan.objects.all()
    return Plan.objects.visible_to(request.user, "view").filter(kind__in=(Plan.Kind.PROJECT, Plan.Kind.FIVE_YEAR))


class PlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Code or name"))
    kind = django_filters.MultipleChoiceFilter(choices=Plan.Kind.choices, label=_("Kind"))
    owner = django_filters.ModelChoiceFilter(queryset=_owners, label=_("Owner"))
    status = django_filters.MultipleChoiceFilter(choices=Plan.Status.choices, label=_("Status"))
    year = django_filters.NumberFilter(method="covering", label=_("Covers the year"), min_value=2000, max_value=2100)
    parent = django_filters.ModelChoiceFilter(queryset=_parents, label=_("Parent instrument"))

    class Meta:
        model = Plan
        fields = ["q", "kind", "owner", "status", "year", "parent"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def covering(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(start_year__lte=value, end_year__gte=value)
