"""One FilterSet per catalogue list, shared by the list page, the API viewset and the selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cnan.core.classification import Classification
from cnan.core.search import text_filter
from cnan.organizations.models import Organization, ProductGroup

from .models import HOME_COUNTRY, CatalogueEdition, Lifecycle, Product, ProductClass, Sourcing, Use

_BOOL = [("true", _("Yes")), ("false", _("No"))]


def _makers(request=None):
    if request is None:
        return Organization.objects.all()
    return Organization.objects.visible_to(request.user, "view").filter(products__isnull=False).distinct()


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    product_class = django_filters.MultipleChoiceFilter(choices=ProductClass.choices, label=_("Class"))
    use = django_filters.ChoiceFilter(choices=Use.choices, label=_("Use"))
    lifecycle = django_filters.MultipleChoiceFilter(choices=Lifecycle.choices, label=_("Lifecycle"))
    sourcing = django_filters.ChoiceFilter(choices=Sourcing.choices, label=_("Sourcing"))
    organization = django_filters.ModelChoiceFilter(queryset=_makers, label=_("Owner"))
    group = django_filters.ModelChoiceFilter(queryset=ProductGroup.objects.all(), label=_("Product group"))
    origin_country = django_filters.CharFilter(lookup_expr="iexact", label=_("Country of origin (ISO code)"))
    imported = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_imported", label=_("Of foreign origin")
    )
    exclusive = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", label=_("Exclusive (monopoly)")
    )
    rate_min = django_filters.NumberFilter(
        field_name="rollup__localisation_rate", lookup_expr="gte", label=_("Localisation rate from (%)")
    )
    rate_max = django_filters.NumberFilter(
        field_name="rollup__localisation_rate", lookup_expr="lte", label=_("Localisation rate up to (%)")
    )
    classification = django_filters.ChoiceFilter(choices=Classification.choices, label=_("Classification"))

    class Meta:
        model = Product
        fields = [
            "q",
            "product_class",
            "use",
            "lifecycle",
            "sourcing",
            "organization",
            "group",
            "origin_country",
            "imported",
            "exclusive",
            "rate_min",
            "rate_max",
            "classification",
        ]

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_imported(self, queryset, name, value):
        return queryset.exclude(origin_country=HOME_COUNTRY) if value else queryset.filter(origin_country=HOME_COUNTRY)


class EditionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title contains"))
    published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("Published")
    )

    class Meta:
        model = CatalogueEdition
        fields = ["q", "published"]
