"""FilterSets of the demand pages (plans, lines, capacity, imported purchases), shared by the pages, the
selectors and the exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_filters
from django_countries import countries

from cnan.catalogue.models import ProductClass
from cnan.organizations.models import Organization, ProductGroup

from .models import Capacity, DemandLine, DemandPlan, ForceType, ImportPurchase

TIERS = [(1, _("Tier 1")), (2, _("Tier 2")), (3, _("Tier 3")), (4, _("Tier 4"))]


def _units(request=None):
    qs = Organization.objects.all()
    return qs if request is None else qs.visible_to(request.user, "view").order_by("path")


def _enterprises(request=None):
    qs = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
    return qs if request is None else qs.visible_to(request.user, "view").order_by("code")


def _plans(request=None):
    qs = DemandPlan.objects.all()
    return qs if request is None else qs.visible_to(request.user, "view").select_related("unit")


def _groups(request=None):
    return ProductGroup.objects.order_by("code")


class DemandPlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Operational unit"))
    state = django_filters.MultipleChoiceFilter(choices=DemandPlan.State.choices, label=_("State"))

    class Meta:
        model = DemandPlan
        fields = ["year", "unit", "state"]


class DemandLineFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Year"))
    unit = django_filters.ModelChoiceFilter(field_name="plan__unit", queryset=_units, label=_("Operational unit"))
    plan = django_filters.ModelChoiceFilter(queryset=_plans, label=_("Demand plan"))
    product_class = django_filters.ChoiceFilter(choices=ProductClass.choices, label=_("Product class"))
    product_group = django_filters.ModelChoiceFilter(queryset=_groups, label=_("Product group"))
    tier = django_filters.ChoiceFilter(choices=TIERS, label=_("Priority tier"))
    force_type = django_filters.ChoiceFilter(choices=ForceType.choices, label=_("Force equipped"))
    state = django_filters.MultipleChoiceFilter(
        field_name="plan__state", choices=DemandPlan.State.choices, label=_("Plan state")
    )

    class Meta:
        model = DemandLine
        fields = ["year", "unit", "plan", "product_class", "product_group", "tier", "force_type", "state"]


class CapacityFilterSet(django_filters.FilterSet):
    enterprise = django_filters.ModelChoiceFilter(queryset=_enterprises, label=_("Enterprise"))
    product_group = django_filters.ModelChoiceFilter(queryset=_groups, label=_("Product group"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Capacity
        fields = ["enterprise", "product_group", "year"]


class ImportPurchaseFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Purchasing unit"))
    product_class = django_filters.ChoiceFilter(choices=ProductClass.choices, label=_("Product class"))
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country of origin"))

    class Meta:
        model = ImportPurchase
        fields = ["year", "unit", "product_class", "country"]
