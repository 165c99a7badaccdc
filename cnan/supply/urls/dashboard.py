from django.urls import path

from ..views import dashboard

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
]
