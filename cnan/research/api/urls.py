from django.urls import path

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("research/tasks", views.ResearchTaskViewSet, basename="research-task")
router.register("research/milestones", views.MilestoneViewSet, basename="research-milestone")
router.register("research/outputs", views.OutputViewSet, basename="research-output")
router.register("research/filings", views.IPFilingViewSet, basename="research-filing")
router.register("research/transfers", views.TechTransferViewSet, basename="research-transfer")
router.register("research/cooperations", views.CooperationViewSet, basename="research-cooperation")
router.register("research/groups", views.ResearchGroupViewSet, basename="research-group")
urlpatterns = [
    path("research/gates/<int:pk>/minutes/", views.GateMinutesView.as_view(), name="research-gate-minutes"),
    *router.urls,
]
