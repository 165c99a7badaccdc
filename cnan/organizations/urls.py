from django.urls import path

from . import views

app_name = "organizations"


def crud(prefix: str, name: str, list_view, detail, edit, delete, history):
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/history/", history.as_view(), name=f"{name}_history"),
    ]


urlpatterns = [
    path("units/tree/", views.OrganizationTreeView.as_view(), name="organization_tree"),
    *crud(
        "units",
        "organization",
        views.OrganizationListView,
        views.OrganizationDetailView,
        views.OrganizationEditView,
        views.OrganizationDeleteView,
        views.OrganizationHistoryView,
    ),
    *crud(
        "enterprises",
        "enterprise",
        views.EnterpriseListView,
        views.EnterpriseDetailView,
        views.EnterpriseEditView,
        views.EnterpriseDeleteView,
        views.EnterpriseHistoryView,
    ),
    *crud(
        "facilities",
        "facility",
        views.FacilityListView,
        views.FacilityDetailView,
        views.FacilityEditView,
        views.FacilityDeleteView,
        views.FacilityHistoryView,
    ),
    *crud(
        "parks",
        "industrialpark",
        views.IndustrialParkListView,
        views.IndustrialParkDetailView,
        views.IndustrialParkEditView,
        views.IndustrialParkDeleteView,
        views.IndustrialParkHistoryView,
    ),
    path("parks/<int:park_pk>/phases/add/", views.ParkPhaseEditView.as_view(), name="parkphase_add"),
    path("phases/<int:pk>/edit/", views.ParkPhaseEditView.as_view(), name="parkphase_edit"),
    *crud(
        "complex",
        "complexmembership",
        views.ComplexMembershipListView,
        views.ComplexMembershipDetailView,
        views.ComplexMembershipEditView,
        views.ComplexMembershipDeleteView,
        views.ComplexMembershipHistoryView,
    ),
    *crud(
        "restructuring",
        "restructuringevent",
        views.RestructuringEventListView,
        views.RestructuringEventDetailView,
        views.RestructuringEventEditView,
        views.RestructuringEventDeleteView,
        views.RestructuringEventHistoryView,
    ),
]
