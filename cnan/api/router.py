"""Mounts every app's API under /api/v1/ (each app keeps its own ``api/urls.py``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("cnan.organizations.api.urls")),
    path("", include("cnan.catalogue.api.urls")),
    path("", include("cnan.directives.api.urls")),
    path("", include("cnan.research.api.urls")),
    path("", include("cnan.supply.api.urls")),
    path("", include("cnan.planning.api.urls")),
    path("", include("cnan.accounts.api.urls")),
    path("", include("cnan.core.api.urls")),
]
