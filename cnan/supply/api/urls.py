from django.urls import path

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("supply/plans", views.DemandPlanViewSet, basename="supply-plan")
router.register("supply/lines", views.DemandLineViewSet, basename="supply-line")
router.register("supply/capacity", views.CapacityViewSet, basename="supply-capacity")
router.register("supply/imports", views.ImportPurchaseViewSet, basename="supply-import")
router.register("supply/orders", views.ProductionOrderViewSet, basename="supply-order")
router.register("supply/deliveries", views.DeliveryViewSet, basename="supply-delivery")
router.register("supply/feedback", views.FeedbackViewSet, basename="supply-feedback")
router.register("supply/runs", views.AllocationRunViewSet, basename="supply-run")
urlpatterns = [
    path("supply/match/", views.MatchView.as_view(), name="supply-match"),
    path("supply/self-reliance/", views.SelfRelianceView.as_view(), name="supply-self-reliance"),
    *router.urls,
]
