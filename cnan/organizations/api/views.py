from __future__ import annotations

from typing import Any

from cnan.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import selectors, services
from ..filters import (
    ComplexMembershipFilterSet,
    EnterpriseFilterSet,
    FacilityFilterSet,
    IndustrialParkFilterSet,
    OrganizationFilterSet,
    RestructuringEventFilterSet,
)
from ..models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ProductGroup,
    RestructuringEvent,
)
from . import serializers as s


class OrganizationViewSet(ScopedModelViewSet):
    """The unit tree: every organisation the user may see (enterprises included, read here)."""

    queryset = Organization.objects.none()
    list_selector = selectors.organization_list
    filterset_class = OrganizationFilterSet
    read_serializer_class = s.OrganizationSerializer
    write_serializer_class = s.OrganizationWriteSerializer

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.organization_create(actor=actor, parent=data.pop("parent", None), data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.organization_update(actor=actor, instance=instance, data=data)

    def service_delete(self, *, actor: Any, instance: Any) -> None:
        services.organization_delete(actor=actor, instance=instance)


class EnterpriseViewSet(OrganizationViewSet):
    """Security enterprises with their legal details."""

    queryset = Enterprise.objects.none()
    list_selector = selectors.enterprise_list
    filterset_class = EnterpriseFilterSet
    read_serializer_class = s.EnterpriseSerializer
    write_serializer_class = s.EnterpriseWriteSerializer

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.enterprise_create(actor=actor, parent=data.pop("parent", None), data=data)


class FacilityViewSet(ScopedModelViewSet):
    queryset = Facility.objects.none()
    list_selector = selectors.facility_list
    filterset_class = FacilityFilterSet
    read_serializer_class = s.FacilitySerializer
    write_serializer_class = s.FacilityWriteSerializer

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.facility_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.facility_update(actor=actor, instance=instance, data=data)


class IndustrialParkViewSet(ScopedModelViewSet):
    queryset = IndustrialPark.objects.none()
    list_selector = selectors.park_list
    filterset_class = IndustrialParkFilterSet
    read_serializer_class = s.IndustrialParkSerializer
    write_serializer_class = s.IndustrialParkWriteSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("phases")

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.park_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.park_update(actor=actor, instance=instance, data=data)


class ComplexMembershipViewSet(ScopedModelViewSet):
    queryset = ComplexMembership.objects.none()
    list_selector = selectors.complexmembership_list
    filterset_class = ComplexMembershipFilterSet
    read_serializer_class = s.ComplexMembershipSerializer
    write_serializer_class = s.ComplexMembershipWriteSerializer

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.complex_membership_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.complex_membership_update(actor=actor, instance=instance, data=data)


class RestructuringEventViewSet(ScopedModelViewSet):
    queryset = RestructuringEvent.objects.none()
    list_selector = selectors.restructuring_list
    filterset_class = RestructuringEventFilterSet
    read_serializer_class = s.RestructuringEventSerializer
    write_serializer_class = s.RestructuringEventWriteSerializer

    def service_create(self, *, actor: Any, data: dict[str, Any]):
        return services.restructuring_create(actor=actor, data=data)

    def service_update(self, *, actor: Any, instance: Any, data: dict[str, Any]):
        return services.restructuring_update(actor=actor, instance=instance, data=data)


class ProductGroupViewSet(ScopedReadOnlyViewSet):
    """Reference list of product groups (readable by everyone signed in)."""

    queryset = ProductGroup.objects.none()
    serializer_class = s.ProductGroupSerializer
    pagination_class = None

    @staticmethod
    def list_selector(*, user: Any):
        return selectors.product_group_list()
