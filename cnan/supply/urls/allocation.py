"""Matching and the allocation optimiser."""

from django.urls import URLPattern, path

from ..views import allocation as views

urlpatterns: list[URLPattern] = [
    path("matching/", views.MatchView.as_view(), name="match"),
    path("allocation/", views.RunListView.as_view(), name="run_list"),
    path("allocation/new/", views.RunAddView.as_view(), name="run_add"),
    path("allocation/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("allocation/<int:pk>/accept/", views.RunAcceptView.as_view(), name="run_accept"),
]
