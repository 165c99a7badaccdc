from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "cnan.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from cnan.core import exports, home, navigation, search

        from . import imports, selectors, tables
        from .models import Facility, IndustrialPark, Organization

        M = navigation.MenuItem
        navigation.register(
            M(
                "organizations",
                _("Unit tree"),
                "organizations:organization_tree",
                "organizations.view_organization",
                10,
            ),
            M(
                "organizations",
                _("All organisations"),
                "organizations:organization_list",
                "organizations.view_organization",
                20,
            ),
            M(
                "organizations",
                _("Security enterprises"),
                "organizations:enterprise_list",
                "organizations.view_enterprise",
                30,
            ),
            M(
                "organizations",
                _("Production facilities"),
                "organizations:facility_list",
                "organizations.view_facility",
                40,
            ),
            M(
                "organizations",
                _("Security industrial parks"),
                "organizations:industrialpark_list",
                "organizations.view_industrialpark",
                50,
            ),
            M(
                "organizations",
                _("Security-industrial complex"),
                "organizations:complexmembership_list",
                "organizations.view_complexmembership",
                60,
            ),
            M(
                "organizations",
                _("Restructuring"),
                "organizations:restructuringevent_list",
                "organizations.view_restructuringevent",
                70,
            ),
        )
        search.register(
            Organization,
            icon="bi-building",
            order=10,
            prepare=lambda qs: qs.select_related("parent"),
            subtitle=lambda o: o.get_kind_display(),
        )
        search.register(
            Facility,
            icon="bi-gear-wide-connected",
            order=20,
            prepare=lambda qs: qs.select_related("organization"),
            subtitle=lambda f: f.organization.name,
        )
        search.register(IndustrialPark, icon="bi-geo-alt", order=30, subtitle=lambda p: p.get_province_display())
        for key, title, selector, table in [
            ("organization", _("Organisations"), selectors.organization_list, tables.OrganizationTable),
            ("enterprise", _("Security enterprises"), selectors.enterprise_list, tables.EnterpriseTable),
            ("facility", _("Production facilities"), selectors.facility_list, tables.FacilityTable),
            ("industrialpark", _("Security industrial parks"), selectors.park_list, tables.IndustrialParkTable),
            (
                "complexmembership",
                _("Security-industrial complex"),
                selectors.complexmembership_list,
                tables.ComplexMembershipTable,
            ),
            ("restructuringevent", _("Restructuring"), selectors.restructuring_list, tables.RestructuringEventTable),
        ]:
            exports.register_list(
                exports.ListSpec(
                    key=f"organizations:{key}", title=lambda t=title: str(t), selector=selector, table_class=table
                )
            )
        imports.register()
        home.register(
            home.Widget(
                key="organizations:registry",
                template="organizations/partials/_home_registry.html",
                context=lambda user: selectors.registry_summary(user=user),
                order=10,
                width=12,
            )
        )
