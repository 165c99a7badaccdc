"""The FilterSets of the reports' lists (reporting periods, periodic reports), shared by the pages, their
exports and the selectors (``period_search``, ``report_search``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_filters

from cnan.organizations.models import Organization

from .models import PeriodKind, Report, ReportingPeriod


def _enterprises(request=None):
    """The enterprises of the reports the user may see: the filter names nobody else."""
    if request is None:
        return Organization.objects.all()
    reports = Report.objects.visible_to(request.user, "view")
    return Organization.objects.filter(pk__in=reports.values("enterprise")).order_by("code")


def _periods(request=None):
    if request is None:
        return ReportingPeriod.objects.all()
    return ReportingPeriod.objects.visible_to(request.user, "view")


class PeriodFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("Period"))
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    state = django_filters.ChoiceFilter(choices=ReportingPeriod.State.choices, label=_("State"))

    class Meta:
        model = ReportingPeriod
        fields = ["kind", "year", "state"]


class ReportFilterSet(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(queryset=_periods, label=_("Period"))
    enterprise = django_filters.ModelChoiceFilter(queryset=_enterprises, label=_("Enterprise"))
    state = django_filters.MultipleChoiceFilter(choices=Report.State.choices, label=_("State"))
    version = django_filters.NumberFilter(label=_("Version"), min_value=1)

    class Meta:
        model = Report
        fields = ["period", "enterprise", "state", "version"]
