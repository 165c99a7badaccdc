from django.urls import URLPattern, path

from ..views import demand as views

urlpatterns: list[URLPattern] = [
    # demand plans and their workflow
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", views.PlanEditView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="demandplan_edit"),
    path("plans/<int:pk>/delete/", views.PlanDeleteView.as_view(), name="demandplan_delete"),
    path("plans/<int:pk>/history/", views.PlanHistoryView.as_view(), name="demandplan_history"),
    path("plans/<int:plan_pk>/lines/add/", views.LineEditView.as_view(), name="line_add"),
    path("plans/<int:pk>/<slug:action>/", views.PlanTransitionView.as_view(), name="plan_transition"),
    # demand lines across plans
    path("lines/", views.LineListView.as_view(), name="line_list"),
    path("lines/<int:pk>/edit/", views.LineEditView.as_view(), name="demandline_edit"),
    path("lines/<int:pk>/delete/", views.LineDeleteView.as_view(), name="demandline_delete"),
    path("lines/<int:pk>/history/", views.LineHistoryView.as_view(), name="demandline_history"),
    # enterprises' capacity
    path("capacity/", views.CapacityListView.as_view(), name="capacity_list"),
    path("capacity/set/", views.CapacitySetView.as_view(), name="capacity_set"),
    # imported purchases (the baseline)
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/add/", views.ImportEditView.as_view(), name="import_add"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/edit/", views.ImportEditView.as_view(), name="importpurchase_edit"),
    path("imports/<int:pk>/delete/", views.ImportDeleteView.as_view(), name="importpurchase_delete"),
    path("imports/<int:pk>/history/", views.ImportHistoryView.as_view(), name="importpurchase_history"),
]
