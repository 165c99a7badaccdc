from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "cnan.directives"
    label = "directives"
    verbose_name = _("Steering and directives")

    def ready(self) -> None:
        from cnan.accounts import roles
        from cnan.core import exports, home, navigation, search

        from . import imports, selectors, tables
        from .models import DirectiveDocument, Task

        imports.register()

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

        M = navigation.MenuItem
        navigation.register(
            M("directives", _("Follow-up dashboard"), "directives:dashboard", "directives.view_task", 10),
            M("directives", _("Assigned tasks"), "directives:task_list", "directives.view_task", 20),
            M(
                "directives",
                _("Directive documents"),
                "directives:document_list",
                "directives.view_directivedocument",
                30,
            ),
            M(
                "directives",
                _("Steering committees"),
                "directives:committee_list",
                "directives.view_steeringcommittee",
                40,
            ),
        )
        for key, title, selector, table in [
            ("task", _("Assigned tasks"), selectors.task_list, tables.TaskTable),
            ("document", _("Directive documents"), selectors.document_list, tables.DocumentTable),
            ("committee", _("Steering committees"), selectors.committee_list, tables.CommitteeTable),
        ]:
            exports.register_list(
                exports.ListSpec(
                    key=f"directives:{key}", title=lambda t=title: str(t), selector=selector, table_class=table
                )
            )
        home.register(
            home.Widget(
                key="directives:followup",
                template="directives/partials/_home_followup.html",
                context=home_followup,
                order=30,
                width=6,
            )
        )


def home_followup(user):
    """The tasks the user may see by red / amber / green, with links to the filtered list."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from cnan.core.permissions import has_perm

    from . import dashboards

    if not has_perm(user, "directives.view_task"):
        return None
    rag = dashboards.by_rag(user=user)
    if not sum(g.count for g in rag):
        return None
    base = reverse("directives:task_list")
    for g in rag:
        g.url = f"{base}?{urlencode({'rag': g.key})}"
    return {"rag": rag, "total": sum(g.count for g in rag), "slipping_url": f"{base}?slipping=true"}
