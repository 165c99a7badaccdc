from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "cnan.research"
    label = "research"
    verbose_name = _("Science, technology and innovation")

    def ready(self) -> None:
        from cnan.accounts import roles

        from . import imports

        imports.register()

        self.register_pages()

        # The Department manages S&T tasks (councils, approvals, contracts, official acceptance); hosts
        # (institutes, academies, schools, enterprises) propose, run and report their own, pass their own
        # gates, and keep their outputs, filings, transfers, cooperation and groups.
        roles.extend(
            roles.DEPARTMENT_OFFICER,
            ["research.*", "-research.execute_researchtask", "-research.add_milestonereport"],
        )
        host_grants = [
            "research.view_*",
            "research.add_researchtask",
            "research.change_researchtask",
            "research.delete_researchtask",
            "research.execute_researchtask",
            "research.add_milestonereport",
            "research.add_output",
            "research.change_output",
            "research.delete_output",
            "research.add_ipfiling",
            "research.change_ipfiling",
            "research.delete_ipfiling",
            "research.add_techtransfer",
            "research.change_techtransfer",
            "research.delete_techtransfer",
            "research.add_cooperation",
            "research.change_cooperation",
            "research.delete_cooperation",
            "research.add_researchgroup",
            "research.change_researchgroup",
            "research.delete_researchgroup",
        ]
        for role in (roles.RESEARCH_OFFICER, roles.ENTERPRISE_OFFICER):
            roles.extend(role, host_grants)
        roles.extend(roles.LAB_OFFICER, ["research.view_*"])

    def register_pages(self) -> None:
        """Menu items, list exports and search targets of the research pages."""
        from cnan.core import exports, home, navigation, search

        from . import selectors, tables
        from .models import IPFiling, ResearchGroup, ResearchTask

        search.register(ResearchTask, icon="bi-lightbulb", order=40, subtitle=lambda t: t.get_stage_display())
        search.register(IPFiling, icon="bi-award", order=42, subtitle=lambda f: f.get_status_display())
        search.register(
            ResearchGroup,
            icon="bi-people",
            order=44,
            prepare=lambda qs: qs.select_related("organization"),
            subtitle=lambda g: g.organization.name,
        )
        M = navigation.MenuItem
        navigation.register(
            M("research", _("S&T dashboard"), "research:dashboard", "research.view_researchtask", 10),
            M("research", _("S&T tasks"), "research:task_list", "research.view_researchtask", 20),
            M("research", _("Milestones"), "research:milestone_list", "research.view_milestone", 30),
            M("research", _("Outputs"), "research:output_list", "research.view_output", 40),
            M("research", _("IP filings"), "research:filing_list", "research.view_ipfiling", 50),
            M("research", _("Technology transfers"), "research:transfer_list", "research.view_techtransfer", 60),
            M("research", _("Cooperation agreements"), "research:cooperation_list", "research.view_cooperation", 70),
            M("research", _("Research groups"), "research:group_list", "research.view_researchgroup", 80),
        )
        for key, title, selector, table in [
            ("task", _("S&T tasks"), selectors.task_list, tables.TaskTable),
            ("milestone", _("Milestones"), selectors.milestone_list, tables.MilestoneTable),
            ("output", _("Outputs"), selectors.output_list, tables.OutputTable),
            ("filing", _("IP filings"), selectors.filing_list, tables.FilingTable),
            ("transfer", _("Technology transfers"), selectors.transfer_list, tables.TransferTable),
            ("cooperation", _("Cooperation agreements"), selectors.cooperation_list, tables.CooperationTable),
            ("group", _("Research groups"), selectors.group_list, tables.GroupTable),
        ]:
            exports.register_list(
                exports.ListSpec(
                    key=f"research:{key}", title=lambda t=title: str(t), selector=selector, table_class=table
                )
            )
        home.register(
            home.Widget(
                key="research:schedule",
                template="research/partials/_home_schedule.html",
                context=home_schedule,
                order=25,
                width=6,
            )
        )


def home_schedule(user):
    """The S&T tasks under contract or in progress the user may see, on time and late, with links to the lists
    (none when the user sees none)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from cnan.core.permissions import has_perm

    from . import dashboards

    if not has_perm(user, "research.view_researchtask"):
        return None
    counts = dashboards.schedule_counts(user=user)
    if not counts["on_time"] + counts["late"]:
        return None
    tasks = reverse("research:task_list")
    return {
        **counts,
        "on_time_url": f"{tasks}?{urlencode({'schedule': 'on_time'})}",
        "late_url": f"{tasks}?{urlencode({'schedule': 'late'})}",
        "late_milestones_url": f"{reverse('research:milestone_list')}?late=true",
    }
