"""Thin views over the registry's selectors and services (generic machinery in ``core.views.generic``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cnan.core.permissions import can, has_perm, may_list
from cnan.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PortalView,
    attach_errors,
    redirect_response,
)

from . import selectors, services
from .filters import (
    ComplexMembershipFilterSet,
    EnterpriseFilterSet,
    FacilityFilterSet,
    IndustrialParkFilterSet,
    OrganizationFilterSet,
    RestructuringEventFilterSet,
)
from .forms import (
    ComplexMembershipForm,
    EnterpriseForm,
    FacilityForm,
    IndustrialParkForm,
    OrganizationForm,
    ParkPhaseForm,
    RestructuringEventForm,
)
from .models import (
    ComplexMembership,
    Enterprise,
    Facility,
    IndustrialPark,
    Organization,
    ParkPhase,
    RestructuringEvent,
)
from .tables import (
    ComplexMembershipTable,
    EnterpriseTable,
    FacilityTable,
    IndustrialParkTable,
    OrganizationTable,
    RestructuringEventTable,
)

# --- organisations ---------------------------------------------------------------------------------


class OrganizationListView(ObjectListView):
    model = Organization
    table_class = OrganizationTable
    filterset_class = OrganizationFilterSet
    selector = selectors.organization_list
    export_key = "organizations:organization"
    add_url_name = "organizations:organization_add"


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    object_selector = selectors.organization_get
    template_name = "organizations/organization_detail.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(request, pk)
        if obj.is_enterprise:
            return redirect(obj.get_absolute_url())
        return super().get(request, pk)

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "ancestors": selectors.organization_ancestors(user=request.user, organization=obj),
            **selectors.organization_related(user=request.user, organization=obj),
            "can_add_child": has_perm(request.user, "organizations.add_organization", obj),
        }


class OrganizationEditView(ObjectEditView):
    model = Organization
    object_selector = selectors.organization_get
    form_class = OrganizationForm
    cancel_url_name = "organizations:organization_list"

    def _load(self, request: HttpRequest, pk: Any | None):
        obj = super()._load(request, pk)
        if obj is not None and obj.is_enterprise:
            raise Http404  # enterprises are edited with their legal details, on the enterprise form
        return obj

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"parent": request.GET.get("parent")}

    def create(self, *, actor: Any, data: dict[str, Any]) -> Organization:
        return services.organization_create(actor=actor, parent=data.pop("parent"), data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Organization:
        return services.organization_update(actor=actor, instance=instance, data=data)


class OrganizationDeleteView(ObjectDeleteView):
    model = Organization
    object_selector = selectors.organization_get
    success_url_name = "organizations:organization_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.organization_delete(actor=actor, instance=instance)


class OrganizationHistoryView(ObjectHistoryView):
    model = Organization
    object_selector = selectors.organization_get


class OrganizationTreeView(PortalView):
    """The hierarchy, expanded level by level with htmx (``?parent=<id>`` returns one level)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not may_list(request.user, Organization):
            raise PermissionDenied
        parent_id = request.GET.get("parent")
        if parent_id:
            try:
                parent = selectors.organization_get(user=request.user, pk=int(parent_id))
            except (Organization.DoesNotExist, ValueError) as exc:
                raise Http404 from exc
            nodes = selectors.organization_children(user=request.user, parent=parent)
            return render(request, "organizations/partials/_tree_level.html", {"nodes": nodes})
        roots = selectors.organization_children(user=request.user, parent=None)
        return render(request, "organizations/organization_tree.html", {"nodes": roots})


# --- enterprises -----------------------------------------------------------------------------------


class EnterpriseListView(ObjectListView):
    model = Enterprise
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    selector = selectors.enterprise_list
    export_key = "organizations:enterprise"
    add_url_name = "organizations:enterprise_add"


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    object_selector = selectors.enterprise_get
    template_name = "organizations/enterprise_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "ancestors": selectors.organization_ancestors(user=request.user, organization=obj),
            **selectors.organization_related(user=request.user, organization=obj),
            "can_add_facility": has_perm(request.user, "organizations.add_facility", obj),
        }


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    object_selector = selectors.enterprise_get
    form_class = EnterpriseForm
    cancel_url_name = "organizations:enterprise_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        h08 = Organization.objects.filter(code="H08").values_list("pk", flat=True).first()
        return {"parent": request.GET.get("parent") or h08, "country": "VN"}

    def create(self, *, actor: Any, data: dict[str, Any]) -> Organization:
        return services.enterprise_create(actor=actor, parent=data.pop("parent"), data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Organization:
        return services.organization_update(actor=actor, instance=instance, data=data)


class EnterpriseDeleteView(OrganizationDeleteView):
    model = Enterprise
    object_selector = selectors.enterprise_get
    success_url_name = "organizations:enterprise_list"


class EnterpriseHistoryView(ObjectHistoryView):
    model = Enterprise
    object_selector = selectors.enterprise_get


# --- facilities ------------------------------------------------------------------------------------


class FacilityListView(ObjectListView):
    model = Facility
    table_class = FacilityTable
    filterset_class = FacilityFilterSet
    selector = selectors.facility_list
    export_key = "organizations:facility"
    import_key = "organizations:facilities"
    add_url_name = "organizations:facility_add"


class FacilityDetailView(ObjectDetailView):
    model = Facility
    object_selector = selectors.facility_get
    template_name = "organizations/facility_detail.html"


class FacilityEditView(ObjectEditView):
    model = Facility
    object_selector = selectors.facility_get
    form_class = FacilityForm
    cancel_url_name = "organizations:facility_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"organization": request.GET.get("organization")}

    def create(self, *, actor: Any, data: dict[str, Any]) -> Facility:
        return services.facility_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> Facility:
        return services.facility_update(actor=actor, instance=instance, data=data)


class FacilityDeleteView(ObjectDeleteView):
    model = Facility
    object_selector = selectors.facility_get
    success_url_name = "organizations:facility_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.facility_delete(actor=actor, instance=instance)


class FacilityHistoryView(ObjectHistoryView):
    model = Facility
    object_selector = selectors.facility_get


# --- parks -----------------------------------------------------------------------------------------


class IndustrialParkListView(ObjectListView):
    model = IndustrialPark
    table_class = IndustrialParkTable
    filterset_class = IndustrialParkFilterSet
    selector = selectors.park_list
    export_key = "organizations:industrialpark"
    add_url_name = "organizations:industrialpark_add"


class IndustrialParkDetailView(ObjectDetailView):
    model = IndustrialPark
    object_selector = selectors.park_get
    template_name = "organizations/industrialpark_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "phases": selectors.park_phases(park=obj),
            "tenants": selectors.facility_list(user=request.user, filters={"park_id": obj.pk}),
        }


class IndustrialParkEditView(ObjectEditView):
    model = IndustrialPark
    object_selector = selectors.park_get
    form_class = IndustrialParkForm
    cancel_url_name = "organizations:industrialpark_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> IndustrialPark:
        return services.park_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> IndustrialPark:
        return services.park_update(actor=actor, instance=instance, data=data)


class IndustrialParkDeleteView(ObjectDeleteView):
    model = IndustrialPark
    object_selector = selectors.park_get
    success_url_name = "organizations:industrialpark_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.park_delete(actor=actor, instance=instance)


class IndustrialParkHistoryView(ObjectHistoryView):
    model = IndustrialPark
    object_selector = selectors.park_get


class ParkPhaseEditView(PortalView):
    """Add (``park_pk``) or edit (``pk``) a phase on its park's page."""

    def _load(self, request: HttpRequest, park_pk: Any = None, pk: Any = None):
        try:
            if pk is not None:
                phase = selectors.park_phase_get(user=request.user, pk=pk)
                park = phase.park
            else:
                phase = None
                park = selectors.park_get(user=request.user, pk=park_pk)
        except (ParkPhase.DoesNotExist, IndustrialPark.DoesNotExist) as exc:
            raise Http404 from exc
        if not can(request.user, "change", park):
            raise PermissionDenied
        return park, phase

    def _render(self, request, park, phase, form, status=200):
        return render(
            request, "organizations/parkphase_form.html", {"park": park, "object": phase, "form": form}, status=status
        )

    def get(self, request: HttpRequest, park_pk: Any = None, pk: Any = None) -> HttpResponse:
        park, phase = self._load(request, park_pk, pk)
        return self._render(request, park, phase, ParkPhaseForm(instance=phase, user=request.user))

    def post(self, request: HttpRequest, park_pk: Any = None, pk: Any = None) -> HttpResponse:
        park, phase = self._load(request, park_pk, pk)
        if request.POST.get("action") == "delete" and phase is not None:
            services.park_phase_delete(actor=request.user, instance=phase)
            messages.success(request, _("The phase was deleted."))
            return redirect_response(request, park.get_absolute_url())
        form = ParkPhaseForm(request.POST, instance=phase or ParkPhase(park=park), user=request.user)
        if form.is_valid():
            try:
                if phase is None:
                    services.park_phase_create(actor=request.user, park=park, data=form.cleaned_data)
                else:
                    services.park_phase_update(actor=request.user, instance=phase, data=form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The phase was saved."))
                return redirect_response(request, park.get_absolute_url())
        return self._render(request, park, phase, form, status=422)


# --- the complex -----------------------------------------------------------------------------------


class ComplexMembershipListView(ObjectListView):
    model = ComplexMembership
    table_class = ComplexMembershipTable
    filterset_class = ComplexMembershipFilterSet
    selector = selectors.complexmembership_list
    export_key = "organizations:complexmembership"
    add_url_name = "organizations:complexmembership_add"


class ComplexMembershipDetailView(ObjectDetailView):
    model = ComplexMembership
    object_selector = selectors.complexmembership_get
    template_name = "organizations/complexmembership_detail.html"


class ComplexMembershipEditView(ObjectEditView):
    model = ComplexMembership
    object_selector = selectors.complexmembership_get
    form_class = ComplexMembershipForm
    cancel_url_name = "organizations:complexmembership_list"

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {"organization": request.GET.get("organization")}

    def create(self, *, actor: Any, data: dict[str, Any]) -> ComplexMembership:
        return services.complex_membership_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> ComplexMembership:
        return services.complex_membership_update(actor=actor, instance=instance, data=data)


class ComplexMembershipDeleteView(ObjectDeleteView):
    model = ComplexMembership
    object_selector = selectors.complexmembership_get
    success_url_name = "organizations:complexmembership_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.complex_membership_delete(actor=actor, instance=instance)


class ComplexMembershipHistoryView(ObjectHistoryView):
    model = ComplexMembership
    object_selector = selectors.complexmembership_get


# --- restructuring ---------------------------------------------------------------------------------


class RestructuringEventListView(ObjectListView):
    model = RestructuringEvent
    table_class = RestructuringEventTable
    filterset_class = RestructuringEventFilterSet
    selector = selectors.restructuring_list
    export_key = "organizations:restructuringevent"
    add_url_name = "organizations:restructuringevent_add"


class RestructuringEventDetailView(ObjectDetailView):
    model = RestructuringEvent
    object_selector = selectors.restructuring_get
    template_name = "organizations/restructuringevent_detail.html"


class RestructuringEventEditView(ObjectEditView):
    model = RestructuringEvent
    object_selector = selectors.restructuring_get
    form_class = RestructuringEventForm
    cancel_url_name = "organizations:restructuringevent_list"

    def create(self, *, actor: Any, data: dict[str, Any]) -> RestructuringEvent:
        return services.restructuring_create(actor=actor, data=data)

    def update(self, *, actor: Any, instance: Any, data: dict[str, Any]) -> RestructuringEvent:
        return services.restructuring_update(actor=actor, instance=instance, data=data)


class RestructuringEventDeleteView(ObjectDeleteView):
    model = RestructuringEvent
    object_selector = selectors.restructuring_get
    success_url_name = "organizations:restructuringevent_list"

    def delete(self, *, actor: Any, instance: Any) -> None:
        services.restructuring_delete(actor=actor, instance=instance)


class RestructuringEventHistoryView(ObjectHistoryView):
    model = RestructuringEvent
    object_selector = selectors.restructuring_get
