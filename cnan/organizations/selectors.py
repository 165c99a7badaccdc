"""Reads of the registry. Every selector starts from the visibility rule and declares its query shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cnan.core.selectors import apply_filterset

from .filters import (
    ComplexMembershipFilterSet,
    EnterpriseFilterSet,
    FacilityFilterSet,
    IndustrialParkFilterSet,
    OrganizationFilterSet,
    RestructuringEventFilterSet,
)
from .models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ParkPhase,
    ProductGroup,
    RestructuringEvent,
)
from .provinces import Province

Filters = Mapping[str, Any] | None


def organization_list(*, user: Any, filters: Filters = None) -> QuerySet[Organization]:
    qs = Organization.objects.visible_to(user, "view").select_related("parent")
    return apply_filterset(OrganizationFilterSet, filters, qs)


def organization_get(*, user: Any, pk: Any) -> Organization:
    return Organization.objects.visible_to(user, "view").select_related("parent", "parent_corporation").get(pk=pk)


def organization_choices(*, user: Any, perm: str) -> QuerySet[Organization]:
    """Organisations where ``user`` holds ``perm`` (for the owner / parent fields of forms)."""
    from cnan.core.classification import user_clearance
    from cnan.core.permissions import scope_q

    where = scope_q(user, perm, "path")
    if where is None:
        return Organization.objects.none()
    return Organization.objects.filter(where, classification__lte=user_clearance(user)).order_by("path")


def organization_children(*, user: Any, parent: Organization | None) -> QuerySet[Organization]:
    """The visible children of ``parent``; with ``None``, the tops of what the user sees (tree roots)."""
    visible = Organization.objects.visible_to(user, "view")
    if parent is not None:
        return visible.filter(parent=parent).order_by("path")
    return visible.exclude(parent__in=visible.values("pk")).order_by("path")


def organization_ancestors(*, user: Any, organization: Organization) -> list[Organization]:
    """The visible ancestors of an organisation, root first (for breadcrumbs)."""
    steplen = Organization.steplen
    paths = [organization.path[:i] for i in range(steplen, len(organization.path), steplen)]
    return list(Organization.objects.visible_to(user, "view").filter(path__in=paths).order_by("depth"))


def enterprise_list(*, user: Any, filters: Filters = None) -> QuerySet[Organization]:
    qs = (
        Enterprise.objects.enterprises()
        .visible_to(user, "view")
        .select_related("parent", "parent_corporation")
        .prefetch_related("product_groups")
        .annotate(facility_count=Count("facilities", distinct=True))
    )
    qs = qs.prefetch_related(
        Prefetch(
            "complex_memberships", queryset=ComplexMembership.objects.current(), to_attr="current_complex_memberships"
        )
    )
    return apply_filterset(EnterpriseFilterSet, filters, qs)


def enterprise_get(*, user: Any, pk: Any) -> Organization:
    return (
        Enterprise.objects.enterprises()
        .visible_to(user, "view")
        .select_related("parent", "parent_corporation")
        .prefetch_related("product_groups")
        .get(pk=pk)
    )


def facility_list(*, user: Any, filters: Filters = None) -> QuerySet[Facility]:
    qs = (
        Facility.objects.visible_to(user, "view")
        .select_related("organization", "park")
        .prefetch_related("product_groups")
    )
    return apply_filterset(FacilityFilterSet, filters, qs)


def facility_get(*, user: Any, pk: Any) -> Facility:
    return (
        Facility.objects.visible_to(user, "view")
        .select_related("organization", "park")
        .prefetch_related("product_groups")
        .get(pk=pk)
    )


def park_list(*, user: Any, filters: Filters = None) -> QuerySet[IndustrialPark]:
    qs = (
        IndustrialPark.objects.visible_to(user, "view")
        .select_related("organization")
        .annotate(facility_count=Count("facilities", distinct=True), phase_count=Count("phases", distinct=True))
    )
    return apply_filterset(IndustrialParkFilterSet, filters, qs)


def park_get(*, user: Any, pk: Any) -> IndustrialPark:
    return IndustrialPark.objects.visible_to(user, "view").select_related("organization").get(pk=pk)


def park_phases(*, park: IndustrialPark) -> QuerySet[ParkPhase]:
    return park.phases.all()


def park_phase_get(*, user: Any, pk: Any) -> ParkPhase:
    phase = ParkPhase.objects.select_related("park", "park__organization").get(pk=pk)
    park_get(user=user, pk=phase.park_id)  # the park's visibility (incl. clearance) governs its phases
    return phase


def complexmembership_list(*, user: Any, filters: Filters = None) -> QuerySet[ComplexMembership]:
    qs = ComplexMembership.objects.visible_to(user, "view").select_related("organization")
    return apply_filterset(ComplexMembershipFilterSet, filters, qs)


def complexmembership_get(*, user: Any, pk: Any) -> ComplexMembership:
    return ComplexMembership.objects.visible_to(user, "view").select_related("organization").get(pk=pk)


def restructuring_list(*, user: Any, filters: Filters = None) -> QuerySet[RestructuringEvent]:
    qs = RestructuringEvent.objects.visible_to(user, "view").select_related("organization", "product_group")
    qs = qs.prefetch_related(
        Prefetch("sources", queryset=Organization.objects.only("id", "code", "name", "kind")),
        Prefetch("results", queryset=Organization.objects.only("id", "code", "name", "kind")),
    )
    return apply_filterset(RestructuringEventFilterSet, filters, qs)


def restructuring_get(*, user: Any, pk: Any) -> RestructuringEvent:
    return restructuring_list(user=user).get(pk=pk)


def organization_related(*, user: Any, organization: Organization) -> dict[str, Any]:
    """What an organisation's page lists beside its details, each restricted by the rule."""
    return {
        "children": list(organization_children(user=user, parent=organization)[:200]),
        "facilities": list(
            Facility.objects.visible_to(user, "view").filter(organization=organization).select_related("park")
        ),
        "complex_memberships": list(
            ComplexMembership.objects.visible_to(user, "view").filter(organization=organization)
        ),
        "restructuring_events": list(
            RestructuringEvent.objects.visible_to(user, "view")
            .filter(Q(organization=organization) | Q(sources=organization) | Q(results=organization))
            .distinct()
            .order_by("-effective_on")
        ),
        "subsidiaries": list(
            Enterprise.objects.enterprises().visible_to(user, "view").filter(parent_corporation=organization)
        ),
        "managed_parks": list(IndustrialPark.objects.visible_to(user, "view").filter(organization=organization)),
    }


def product_group_list() -> QuerySet[ProductGroup]:
    return ProductGroup.objects.all()


def registry_summary(*, user: Any) -> dict[str, Any] | None:
    """Figures for the home page: organisations by kind, enterprises by province, complex membership."""
    orgs = Organization.objects.visible_to(user, "view")
    by_kind = dict(orgs.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    if not by_kind:
        return None
    labels = dict(Organization.Kind.choices)
    provinces = dict(Province.choices)
    by_province = (
        orgs.filter(kind=Organization.Kind.ENTERPRISE)
        .exclude(province="")
        .order_by()
        .values_list("province")
        .annotate(n=Count("id"))
        .values_list("province", "n")
    )
    facilities = Facility.objects.visible_to(user, "view")
    complex_qs = ComplexMembership.objects.visible_to(user, "view").current()
    return {
        "by_kind": sorted(((str(labels.get(k, k)), n, k) for k, n in by_kind.items()), key=lambda r: -r[1]),
        "enterprises_by_province": sorted(((str(provinces.get(p, p)), n) for p, n in by_province), key=lambda r: -r[1]),
        "facility_total": facilities.count(),
        "core_facility_total": facilities.filter(kind=Facility.Kind.CORE).count(),
        "nucleus_total": complex_qs.filter(role=ComplexMembership.Role.NUCLEUS).count(),
        "member_total": complex_qs.filter(role=ComplexMembership.Role.MEMBER).count(),
    }
