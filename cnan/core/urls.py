from django.urls import path

from .views import imports, pages

app_name = "core"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("search/", pages.SearchView.as_view(), name="search"),
    path("audit/", pages.ObjectChangeListView.as_view(), name="objectchange_list"),
    path("audit/<int:pk>/", pages.ObjectChangeDetailView.as_view(), name="objectchange_detail"),
    path("jobs/", pages.JobListView.as_view(), name="job_list"),
    path("jobs/<uuid:pk>/", pages.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<uuid:pk>/download/", pages.JobDownloadView.as_view(), name="job_download"),
    path("notifications/", pages.NotificationListView.as_view(), name="notification_list"),
    path("imports/batches/<uuid:pk>/", imports.ImportBatchView.as_view(), name="import_batch"),
    path("imports/batches/<uuid:pk>/commit/", imports.ImportCommitView.as_view(), name="import_commit"),
    path("imports/<str:key>/", imports.ImportStartView.as_view(), name="import_start"),
    path("imports/<str:key>/template/", imports.ImportTemplateView.as_view(), name="import_template"),
    path("notifications/read/", pages.NotificationReadView.as_view(), name="notification_read"),
]
