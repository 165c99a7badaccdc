"""Filters of the planning API's lists (the same query parameters as the pages' lists)."""

from __future__ import annotations

import django_filters

from ..models import Indicator, PeriodKind, Plan, Report, ReportingPeriod, Target


class IndicatorFilterSet(django_filters.FilterSet):
    class Meta:
        model = Indicator
        fields = ["category", "unit", "aggregation", "evaluation", "required", "active"]


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(method="covering", label="Covering the year")

    class Meta:
        model = Plan
        fields = ["kind", "status", "owner", "parent"]

    def covering(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class TargetFilterSet(django_filters.FilterSet):
    class Meta:
        model = Target
        fields = ["plan", "unit", "indicator", "year", "period_kind", "period_number"]


class PeriodFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)

    class Meta:
        model = ReportingPeriod
        fields = ["kind", "year", "state"]


class ReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="period__year")

    class Meta:
        model = Report
        fields = ["enterprise", "period", "state", "year"]
