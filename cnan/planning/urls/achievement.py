from django.urls import path

from ..views import achievement

urlpatterns = [
    path("achievement/", achievement.AchievementView.as_view(), name="achievement"),
    path(
        "achievement/enterprise/<int:pk>/",
        achievement.EnterpriseAchievementView.as_view(),
        name="enterprise_achievement",
    ),
    path("dashboard/", achievement.DashboardView.as_view(), name="dashboard"),
]
