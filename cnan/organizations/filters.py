"""One FilterSet per listable model, shared by the list page, the API viewset and the selector."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cnan.core.classification import Classification
from cnan.core.search import text_filter

from .models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ProductGroup,
    RestructuringEvent,
)
from .provinces import Province

_BOOL = [("true", _("Yes")), ("false", _("No"))]


def _visible_parks(request=None):
    """Choices of the park filter: the parks the user may see (any park when a selector filters, without a
    request: the rows are restricted by the selector, and the filter only needs to validate the id)."""
    if request is None:
        return IndustrialPark.objects.all()
    return IndustrialPark.objects.visible_to(request.user, "view")


class SearchFilterMixin(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def filter_q(self, queryset, name, value):
        return text_filter(queryset, value) if value else queryset


class OrganizationFilterSet(SearchFilterMixin):
    kind = django_filters.MultipleChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"))
    province = django_filters.ChoiceFilter(choices=Province.choices, label=_("Province"))
    parent_id = django_filters.NumberFilter(field_name="parent_id", label=_("Parent organisation id"))
    within_id = django_filters.NumberFilter(method="filter_within", label=_("Within the subtree of organisation id"))
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact", label=_("Country (ISO code)"))
    domestic = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_domestic", label=_("Domestic")
    )
    active = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_active", label=_("Active today")
    )
    classification = django_filters.ChoiceFilter(choices=Classification.choices, label=_("Classification"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "province", "parent_id", "within_id", "country", "domestic", "active", "classification"]

    def filter_within(self, queryset, name, value):
        node = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=node) if node else queryset.none()

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_domestic(self, queryset, name, value):
        return queryset.filter(country="VN") if value else queryset.exclude(country="VN")

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        active = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        return queryset.filter(active) if value else queryset.exclude(active)


class EnterpriseFilterSet(SearchFilterMixin):
    legal_form = django_filters.MultipleChoiceFilter(choices=Organization.LegalForm.choices, label=_("Legal form"))
    province = django_filters.ChoiceFilter(choices=Province.choices, label=_("Province"))
    product_group_id = django_filters.ModelChoiceFilter(
        field_name="product_groups", queryset=ProductGroup.objects.all(), label=_("Product group"), distinct=True
    )
    parent_corporation_id = django_filters.NumberFilter(
        field_name="parent_corporation_id", label=_("Parent corporation id")
    )
    state_ownership_min = django_filters.NumberFilter(
        field_name="state_ownership", lookup_expr="gte", label=_("State ownership at least (%)")
    )
    state_ownership_max = django_filters.NumberFilter(
        field_name="state_ownership", lookup_expr="lte", label=_("State ownership at most (%)")
    )
    complex_role = django_filters.ChoiceFilter(
        choices=[*ComplexMembership.Role.choices, ("none", _("Not in the complex"))],
        method="filter_complex_role",
        label=_("Role in the complex"),
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "legal_form",
            "province",
            "product_group_id",
            "parent_corporation_id",
            "state_ownership_min",
            "state_ownership_max",
            "complex_role",
        ]

    def filter_complex_role(self, queryset, name, value):
        current = ComplexMembership.objects.current()
        if value == "none":
            return queryset.exclude(pk__in=current.values("organization_id"))
        return queryset.filter(pk__in=current.filter(role=value).values("organization_id"))


class FacilityFilterSet(SearchFilterMixin):
    kind = django_filters.ChoiceFilter(choices=Facility.Kind.choices, label=_("Kind"))
    organization_id = django_filters.NumberFilter(field_name="organization_id", label=_("Owner id"))
    province = django_filters.ChoiceFilter(choices=Province.choices, label=_("Province"))
    park_id = django_filters.ModelChoiceFilter(field_name="park", queryset=_visible_parks, label=_("Industrial park"))
    product_group_id = django_filters.ModelChoiceFilter(
        field_name="product_groups", queryset=ProductGroup.objects.all(), label=_("Product group"), distinct=True
    )
    active = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_active", label=_("Recognised today")
    )

    class Meta:
        model = Facility
        fields = ["q", "kind", "organization_id", "province", "park_id", "product_group_id", "active"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_active(self, queryset, name, value):
        active = Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=timezone.localdate())
        return queryset.filter(active) if value else queryset.exclude(active)


class IndustrialParkFilterSet(SearchFilterMixin):
    province = django_filters.ChoiceFilter(choices=Province.choices, label=_("Province"))
    status = django_filters.ChoiceFilter(choices=IndustrialPark.Status.choices, label=_("Status"))
    organization_id = django_filters.NumberFilter(field_name="organization_id", label=_("Managing unit id"))

    class Meta:
        model = IndustrialPark
        fields = ["q", "province", "status", "organization_id"]


class ComplexMembershipFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=ComplexMembership.Role.choices, label=_("Role in the complex"))
    organization_id = django_filters.NumberFilter(field_name="organization_id", label=_("Organisation id"))
    current = django_filters.TypedChoiceFilter(
        choices=_BOOL, coerce=lambda v: v == "true", method="filter_current", label=_("Current")
    )
    admitted_after = django_filters.DateFilter(field_name="admitted_on", lookup_expr="gte", label=_("Admitted from"))
    admitted_before = django_filters.DateFilter(field_name="admitted_on", lookup_expr="lte", label=_("Admitted until"))

    class Meta:
        model = ComplexMembership
        fields = ["role", "organization_id", "current", "admitted_after", "admitted_before"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_current(self, queryset, name, value):
        current = ComplexMembership.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class RestructuringEventFilterSet(SearchFilterMixin):
    kind = django_filters.ChoiceFilter(choices=RestructuringEvent.Kind.choices, label=_("Kind"))
    organization_id = django_filters.NumberFilter(method="filter_organization", label=_("Organisation id"))
    effective_after = django_filters.DateFilter(field_name="effective_on", lookup_expr="gte", label=_("Effective from"))
    effective_before = django_filters.DateFilter(
        field_name="effective_on", lookup_expr="lte", label=_("Effective until")
    )

    class Meta:
        model = RestructuringEvent
        fields = ["q", "kind", "organization_id", "effective_after", "effective_before"]

    def filter_organization(self, queryset, name, value):
        involved = Q(organization_id=value) | Q(sources__id=value) | Q(results__id=value)
        return queryset.filter(pk__in=RestructuringEvent.objects.filter(involved).values("pk"))
