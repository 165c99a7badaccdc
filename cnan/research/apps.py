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

        # The Department manages S&T tasks (councils, approvals, contracts, official acceptance); hosts
        # (institutes, academies, schools, enterprises) propose, run and report their own, pass their own
        # gates, and keep their outputs, filings, transfers, cooperation and groups.
        roles.extend(roles.DEPARTMENT_OFFICER, ["research.*", "-research.execute_researchtask"])
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
