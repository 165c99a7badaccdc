from django.urls import path

from ..views import plans as v

urlpatterns = [
    path("indicators/", v.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/add/", v.IndicatorEditView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/", v.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", v.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/delete/", v.IndicatorDeleteView.as_view(), name="indicator_delete"),
    path("indicators/<int:pk>/history/", v.IndicatorHistoryView.as_view(), name="indicator_history"),
    path("plans/", v.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", v.PlanEditView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", v.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", v.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/delete/", v.PlanDeleteView.as_view(), name="plan_delete"),
    path("plans/<int:pk>/history/", v.PlanHistoryView.as_view(), name="plan_history"),
    path("plans/<int:pk>/<slug:action>/", v.PlanTransitionView.as_view(), name="plan_transition"),
    path("plans/<int:plan_pk>/targets/add/", v.TargetEditView.as_view(), name="target_add"),
    path("targets/<int:pk>/edit/", v.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", v.TargetDeleteView.as_view(), name="target_delete"),
    path("targets/<int:pk>/history/", v.TargetHistoryView.as_view(), name="target_history"),
]
