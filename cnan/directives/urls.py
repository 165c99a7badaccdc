from django.urls import path

from . import views

app_name = "directives"

urlpatterns = [
    path("committees/", views.CommitteeListView.as_view(), name="committee_list"),
    path("committees/add/", views.CommitteeEditView.as_view(), name="committee_add"),
    path("committees/<int:pk>/", views.CommitteeDetailView.as_view(), name="committee_detail"),
    path("committees/<int:pk>/edit/", views.CommitteeEditView.as_view(), name="steeringcommittee_edit"),
    path("committees/<int:pk>/delete/", views.CommitteeDeleteView.as_view(), name="steeringcommittee_delete"),
    path("committees/<int:pk>/history/", views.CommitteeHistoryView.as_view(), name="steeringcommittee_history"),
    path("committees/<int:committee_pk>/meetings/add/", views.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/history/", views.MeetingHistoryView.as_view(), name="meeting_history"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/add/", views.DocumentEditView.as_view(), name="document_add"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/edit/", views.DocumentEditView.as_view(), name="directivedocument_edit"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="directivedocument_delete"),
    path("documents/<int:pk>/history/", views.DocumentHistoryView.as_view(), name="directivedocument_history"),
    path("documents/<int:pk>/attachment/", views.DocumentAttachmentView.as_view(), name="document_attachment"),
    path("documents/<int:pk>/export/", views.DocumentTasksExportView.as_view(), name="document_export"),
    path("documents/<int:document_pk>/tasks/add/", views.TaskEditView.as_view(), name="task_add"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="task_delete"),
    path("tasks/<int:pk>/history/", views.TaskHistoryView.as_view(), name="task_history"),
    path("tasks/<int:parent_pk>/subtasks/add/", views.TaskEditView.as_view(), name="subtask_add"),
    path("tasks/<int:pk>/reports/add/", views.ReportSubmitView.as_view(), name="report_add"),
    path("tasks/<int:pk>/adjustments/add/", views.AdjustmentCreateView.as_view(), name="adjustment_add"),
    path("reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report_review"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]
