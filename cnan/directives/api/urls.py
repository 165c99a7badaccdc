from django.urls import path

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("directives/committees", views.CommitteeViewSet, basename="directives-committee")
router.register("directives/meetings", views.MeetingViewSet, basename="directives-meeting")
router.register("directives/documents", views.DocumentViewSet, basename="directives-document")
router.register("directives/tasks", views.TaskViewSet, basename="directives-task")
router.register("directives/reports", views.ReportViewSet, basename="directives-report")
urlpatterns = [
    path(
        "directives/evidence/<int:pk>/download/",
        views.EvidenceDownloadView.as_view(),
        name="directives-evidence-download",
    ),
    *router.urls,
]
