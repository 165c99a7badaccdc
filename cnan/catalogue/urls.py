from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/add/", views.ProductEditView.as_view(), name="product_add"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/delete/", views.ProductDeleteView.as_view(), name="product_delete"),
    path("products/<int:pk>/history/", views.ProductHistoryView.as_view(), name="product_history"),
    path("products/<int:pk>/bom/", views.ProductBOMLevelView.as_view(), name="product_bom_level"),
    path("products/<int:pk>/bom/flat/", views.ProductFlatView.as_view(), name="product_flat"),
    path("products/<int:pk>/bom/export/", views.ProductBOMExportView.as_view(), name="product_bom_export"),
    path("products/<int:pk>/revisions/add/", views.RevisionCreateView.as_view(), name="revision_add"),
    path("revisions/<int:pk>/", views.RevisionDetailView.as_view(), name="revision_detail"),
    path("revisions/<int:pk>/freeze/", views.RevisionFreezeView.as_view(), name="revision_freeze"),
    path("revisions/<int:pk>/compare/", views.RevisionCompareView.as_view(), name="revision_compare"),
    path("revisions/<int:revision_pk>/lines/add/", views.BOMLineEditView.as_view(), name="bomline_add"),
    path("lines/<int:pk>/edit/", views.BOMLineEditView.as_view(), name="bomline_edit"),
    path("lines/<int:pk>/delete/", views.BOMLineDeleteView.as_view(), name="bomline_delete"),
    path("what-if/", views.WhatIfView.as_view(), name="whatif"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("recompute/", views.RecomputeView.as_view(), name="rollup_recompute"),
    path("editions/", views.EditionListView.as_view(), name="edition_list"),
    path("editions/add/", views.EditionEditView.as_view(), name="edition_add"),
    path("editions/<int:pk>/", views.EditionDetailView.as_view(), name="edition_detail"),
    path("editions/<int:pk>/edit/", views.EditionEditView.as_view(), name="edition_edit"),
    path("editions/<int:pk>/delete/", views.EditionDeleteView.as_view(), name="edition_delete"),
    path("editions/<int:pk>/history/", views.EditionHistoryView.as_view(), name="edition_history"),
    path("editions/<int:pk>/products/", views.EditionProductsView.as_view(), name="edition_products"),
    path("editions/<int:pk>/publish/", views.EditionPublishView.as_view(), name="edition_publish"),
    path("editions/<int:pk>/compare/", views.EditionCompareView.as_view(), name="edition_compare"),
]
