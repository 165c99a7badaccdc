"""The FilterSets of the orders' lists (production orders, deliveries, quality feedback), shared by the pages,
their exports and the selectors (``order_search``, ``delivery_search``, ``feedback_search``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_filters

from cnan.catalogue.models import ProductClass
from cnan.organizations.models import Organization

from .models import Delivery, Feedback, Funding, OrderMode, ProductionOrder


def _parties(side: str):
    """The customers (or enterprises) of the orders the user may see: the filter names nobody else."""

    def choices(request=None):
        if request is None:
            return Organization.objects.all()
        orders = ProductionOrder.objects.visible_to(request.user, "view")
        return Organization.objects.filter(pk__in=orders.values(side)).order_by("code")

    return choices


_units = _parties("customer")
_enterprises = _parties("enterprise")


class OrderFilterSet(django_filters.FilterSet):
    number = django_filters.CharFilter(lookup_expr="icontains", label=_("Number"))
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    customer = django_filters.ModelChoiceFilter(queryset=_units, label=_("Customer unit"))
    enterprise = django_filters.ModelChoiceFilter(queryset=_enterprises, label=_("Enterprise"))
    status = django_filters.MultipleChoiceFilter(choices=ProductionOrder.Status.choices, label=_("Status"))
    mode = django_filters.ChoiceFilter(choices=OrderMode.choices, label=_("Mode"))
    funding = django_filters.ChoiceFilter(choices=Funding.choices, label=_("Funding source"))
    product_class = django_filters.ChoiceFilter(
        field_name="product__product_class", choices=ProductClass.choices, label=_("Product class")
    )

    class Meta:
        model = ProductionOrder
        fields = ["number", "year", "customer", "enterprise", "status", "mode", "funding", "product_class"]


class DeliveryFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="delivered_on", lookup_expr="year", label=_("Year delivered"), min_value=2000, max_value=2100
    )
    accepted_year = django_filters.NumberFilter(
        field_name="accepted_on", lookup_expr="year", label=_("Year accepted"), min_value=2000, max_value=2100
    )
    customer = django_filters.ModelChoiceFilter(field_name="order__customer", queryset=_units, label=_("Customer unit"))
    enterprise = django_filters.ModelChoiceFilter(
        field_name="order__enterprise", queryset=_enterprises, label=_("Enterprise")
    )
    product_class = django_filters.ChoiceFilter(
        field_name="order__product__product_class", choices=ProductClass.choices, label=_("Product class")
    )
    accepted = django_filters.BooleanFilter(
        field_name="accepted_on", lookup_expr="isnull", exclude=True, label=_("Accepted")
    )

    class Meta:
        model = Delivery
        fields = ["year", "accepted_year", "customer", "enterprise", "product_class", "accepted"]


class FeedbackFilterSet(django_filters.FilterSet):
    rating = django_filters.MultipleChoiceFilter(choices=[(n, str(n)) for n in range(1, 6)], label=_("Rating"))
    customer = django_filters.ModelChoiceFilter(
        field_name="delivery__order__customer", queryset=_units, label=_("Customer unit")
    )
    enterprise = django_filters.ModelChoiceFilter(
        field_name="delivery__order__enterprise", queryset=_enterprises, label=_("Enterprise")
    )

    class Meta:
        model = Feedback
        fields = ["rating", "customer", "enterprise"]
