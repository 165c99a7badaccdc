from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    # S&T tasks, their gates and roadmap
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/add/", views.TaskEditView.as_view(), name="task_add"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="researchtask_edit"),
    path("tasks/<int:pk>/delete/", views.TaskDeleteView.as_view(), name="researchtask_delete"),
    path("tasks/<int:pk>/history/", views.TaskHistoryView.as_view(), name="researchtask_history"),
    path("tasks/<int:pk>/gates/<slug:gate>/", views.TaskGateView.as_view(), name="task_gate"),
    path("gates/<int:pk>/minutes/", views.GateMinutesView.as_view(), name="gate_minutes"),
    path("tasks/<int:task_pk>/milestones/add/", views.MilestoneEditView.as_view(), name="milestone_add"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("milestones/<int:pk>/history/", views.MilestoneHistoryView.as_view(), name="milestone_history"),
    path("milestones/<int:pk>/report/", views.MilestoneReportView.as_view(), name="milestone_report"),
    # outputs
    path("tasks/<int:task_pk>/outputs/add/", views.OutputEditView.as_view(), name="output_add"),
    path("outputs/", views.OutputListView.as_view(), name="output_list"),
    path("outputs/<int:pk>/", views.OutputDetailView.as_view(), name="output_detail"),
    path("outputs/<int:pk>/edit/", views.OutputEditView.as_view(), name="output_edit"),
    path("outputs/<int:pk>/delete/", views.OutputDeleteView.as_view(), name="output_delete"),
    path("outputs/<int:pk>/history/", views.OutputHistoryView.as_view(), name="output_history"),
    # IP filings
    path("filings/", views.FilingListView.as_view(), name="filing_list"),
    path("filings/add/", views.FilingEditView.as_view(), name="filing_add"),
    path("filings/<int:pk>/", views.FilingDetailView.as_view(), name="filing_detail"),
    path("filings/<int:pk>/edit/", views.FilingEditView.as_view(), name="ipfiling_edit"),
    path("filings/<int:pk>/delete/", views.FilingDeleteView.as_view(), name="ipfiling_delete"),
    path("filings/<int:pk>/history/", views.FilingHistoryView.as_view(), name="ipfiling_history"),
    path("filings/<int:pk>/advance/", views.FilingAdvanceView.as_view(), name="filing_advance"),
    # technology transfers
    path("transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("transfers/add/", views.TransferEditView.as_view(), name="transfer_add"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/edit/", views.TransferEditView.as_view(), name="techtransfer_edit"),
    path("transfers/<int:pk>/delete/", views.TransferDeleteView.as_view(), name="techtransfer_delete"),
    path("transfers/<int:pk>/history/", views.TransferHistoryView.as_view(), name="techtransfer_history"),
    # cooperation agreements
    path("cooperation/", views.CooperationListView.as_view(), name="cooperation_list"),
    path("cooperation/add/", views.CooperationEditView.as_view(), name="cooperation_add"),
    path("cooperation/<int:pk>/", views.CooperationDetailView.as_view(), name="cooperation_detail"),
    path("cooperation/<int:pk>/edit/", views.CooperationEditView.as_view(), name="cooperation_edit"),
    path("cooperation/<int:pk>/delete/", views.CooperationDeleteView.as_view(), name="cooperation_delete"),
    path("cooperation/<int:pk>/history/", views.CooperationHistoryView.as_view(), name="cooperation_history"),
    # research groups
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/add/", views.GroupEditView.as_view(), name="group_add"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="researchgroup_edit"),
    path("groups/<int:pk>/delete/", views.GroupDeleteView.as_view(), name="researchgroup_delete"),
    path("groups/<int:pk>/history/", views.GroupHistoryView.as_view(), name="researchgroup_history"),
]
