"""The planning pages, one module per area: plans (indicators, plans and strategies, targets), reports
(reporting periods, periodic reports and their values, the XLSX template) and achievement (plan vs actual,
the SOE classification, the dashboard)."""

from . import achievement, plans, reports

app_name = "planning"

urlpatterns = [*achievement.urlpatterns, *plans.urlpatterns, *reports.urlpatterns]
