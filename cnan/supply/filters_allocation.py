"""FilterSets of the allocation pages: the matching of demand lines and the optimiser's runs, shared by the
pages, the selectors and the exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import django_filters

from cnan.catalogue.models import ProductClass
from cnan.organizations.models import Organization

from .models import AllocationRun, DemandLine, DemandPlan

MATCH_STATUS_CHOICES = [
    ("domestic", pgettext_lazy("match status", "Supplied at home")),
    ("partial", pgettext_lazy("match status", "Partly supplied at home")),
    ("imports", pgettext_lazy("match status", "Imports only")),
    ("none", pgettext_lazy("match status", "Nothing supplies it")),
]


def _units(request=None):
    qs = Organization.objects.filter(kind=Organization.Kind.OPERATIONAL_UNIT)
    return qs if request is None else qs.visible_to(request.user, "view").order_by("code")


def _plans(request=None):
    qs = DemandPlan.objects.all()
    return qs if request is None else qs.visible_to(request.user, "view").select_related("unit")


class MatchFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Year"))
    plan = django_filters.ModelChoiceFilter(queryset=_plans, label=_("Demand plan"))
    unit = django_filters.ModelChoiceFilter(field_name="plan__unit", queryset=_units, label=_("Operational unit"))
    product_class = django_filters.ChoiceFilter(choices=ProductClass.choices, label=_("Product class"))
    # computed per line by ``selectors.match_lines``; the selector keeps the lines of this status
    status = django_filters.ChoiceFilter(choices=MATCH_STATUS_CHOICES, method="keep", label=_("Match"))

    class Meta:
        model = DemandLine
        fields = ["year", "plan", "unit", "product_class", "status"]

    def keep(self, queryset, name, value):
        return queryset


class RunFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(choices=AllocationRun.State.choices, label=_("State"))
    optimal = django_filters.BooleanFilter(label=_("Proven optimal"))

    class Meta:
        model = AllocationRun
        fields = ["year", "state", "optimal"]
