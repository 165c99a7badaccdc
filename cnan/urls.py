from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("cnan.core.urls")),
    path("accounts/", include("cnan.accounts.urls")),
    path("organizations/", include("cnan.organizations.urls")),
    path("catalogue/", include("cnan.catalogue.urls")),
    path("directives/", include("cnan.directives.urls")),
    path("research/", include("cnan.research.urls")),
    path("supply/", include("cnan.supply.urls")),
    path("planning/", include("cnan.planning.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("cnan.api.router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "cnan.core.views.pages.bad_request"
handler403 = "cnan.core.views.pages.permission_denied"
handler404 = "cnan.core.views.pages.not_found"
handler500 = "cnan.core.views.pages.server_error"
