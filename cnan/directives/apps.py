from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "cnan.directives"
    label = "directives"
    verbose_name = _("Steering and directives")

    def ready(self) -> None:
        from cnan.accounts import roles
        from cnan.core import search

        from .models import DirectiveDocument, Task

        search.register(
            DirectiveDocument, icon="bi-file-earmark-text", order=50, subtitle=lambda d: d.get_kind_display()
        )
        search.register(Task, icon="bi-list-check", order=55, subtitle=lambda t: t.get_status_display())
        # The Department records directives and follows them up; every unit sees and reports on its own
        # tasks and may cascade them to the units under it.
        roles.extend(roles.DEPARTMENT_OFFICER, ["directives.*"])
        unit_grants = [
            "directives.view_*",
            "directives.add_task",
            "directives.change_task",
            "directives.delete_task",
            "directives.add_progressreport",
            "directives.change_progressreport",
            "directives.add_taskadjustment",
        ]
        for role in (roles.ENTERPRISE_OFFICER, roles.RESEARCH_OFFICER, roles.LAB_OFFICER, roles.UNIT_OFFICER):
            roles.extend(role, unit_grants)
