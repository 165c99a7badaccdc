from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "cnan.planning"
    label = "planning"
    verbose_name = _("Planning and performance")

    def ready(self) -> None:
        from cnan.accounts import roles

        from .views import register_pages

        register_pages()

        # The Department keeps the indicators, the industry's instruments and their targets, opens the
        # reporting periods, approves plans and reviews the reports. An enterprise sees what planning concerns
        # it, keeps its own strategy and plans with their targets, and files its periodic reports.
        roles.extend(roles.DEPARTMENT_OFFICER, ["planning.*"])
        roles.extend(
            roles.ENTERPRISE_OFFICER,
            [
                "planning.view_*",
                "planning.add_plan",
                "planning.change_plan",
                "planning.delete_plan",
                "planning.add_target",
                "planning.change_target",
                "planning.delete_target",
                "planning.add_report",
                "planning.change_report",
                "planning.add_reportvalue",
                "planning.change_reportvalue",
                "planning.delete_reportvalue",
            ],
        )
