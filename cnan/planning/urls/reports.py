from django.urls import path

from ..views import reports as views

urlpatterns = [
    # reporting periods (Decree 09/2019 cut-offs)
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/open/", views.PeriodOpenView.as_view(), name="period_open"),
    path("periods/<int:pk>/close/", views.PeriodCloseView.as_view(), name="period_close"),
    # periodic reports, their values, workflow and corrections
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/add/", views.ReportAddView.as_view(), name="report_add"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/values/", views.ReportValuesView.as_view(), name="report_values"),
    path("reports/<int:pk>/correct/", views.ReportCorrectView.as_view(), name="report_correct"),
    path("reports/<int:pk>/history/", views.ReportHistoryView.as_view(), name="report_history"),
    path("reports/<int:pk>/template/", views.ReportTemplateView.as_view(), name="report_template"),
    path("reports/<int:pk>/<slug:action>/", views.ReportTransitionView.as_view(), name="report_transition"),
]
