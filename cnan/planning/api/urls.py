from django.urls import path

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("planning/indicators", views.IndicatorViewSet, basename="planning-indicator")
router.register("planning/plans", views.PlanViewSet, basename="planning-plan")
router.register("planning/targets", views.TargetViewSet, basename="planning-target")
router.register("planning/periods", views.PeriodViewSet, basename="planning-period")
router.register("planning/reports", views.ReportViewSet, basename="planning-report")
urlpatterns = [
    path("planning/achievement/", views.AchievementView.as_view(), name="planning-achievement"),
    path("planning/soe-classification/", views.SOEClassificationView.as_view(), name="planning-soe-classification"),
    *router.urls,
]
