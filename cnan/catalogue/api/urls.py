from django.urls import path

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("catalogue/products", views.ProductViewSet, basename="product")
router.register("catalogue/revisions", views.RevisionViewSet, basename="bomrevision")
router.register("catalogue/lines", views.BOMLineViewSet, basename="bomline")
router.register("catalogue/editions", views.EditionViewSet, basename="catalogueedition")
urlpatterns = [
    path("catalogue/whatif/", views.WhatIfView.as_view(), name="catalogue-whatif"),
    path("catalogue/whatif/apply/", views.WhatIfApplyView.as_view(), name="catalogue-whatif-apply"),
    path("catalogue/rollup/recompute/", views.RollupRecomputeView.as_view(), name="catalogue-rollup-recompute"),
    *router.urls,
]
