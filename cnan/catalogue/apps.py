from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "cnan.catalogue"
    label = "catalogue"
    verbose_name = _("Product catalogue")

    def ready(self) -> None:
        from cnan.accounts import roles
        from cnan.core import exports, home, navigation, search

        from . import imports, selectors, tables
        from .models import Product

        imports.register()
        search.register(
            Product,
            icon="bi-box-seam",
            order=40,
            prepare=lambda qs: qs.select_related("organization"),
            subtitle=lambda p: f"{p.get_product_class_display()} · {p.organization.name}",
        )
        # Enterprises keep their own products and bills of materials; the Department keeps the whole
        # catalogue, its editions and the full recompute (department_officer already has ``*.view_*``).
        roles.extend(roles.DEPARTMENT_OFFICER, ["catalogue.*"])
        roles.extend(
            roles.ENTERPRISE_OFFICER,
            ["catalogue.view_*", "catalogue.add_product", "catalogue.change_product", "catalogue.delete_product"],
        )
        roles.extend(roles.RESEARCH_OFFICER, ["catalogue.view_*", "catalogue.add_product", "catalogue.change_product"])
        roles.extend(roles.LAB_OFFICER, ["catalogue.view_*"])
        roles.extend(roles.UNIT_OFFICER, ["catalogue.view_*"])

        M = navigation.MenuItem
        navigation.register(
            M("catalogue", _("Product catalogue"), "catalogue:product_list", "catalogue.view_product", 10),
            M("catalogue", _("Localisation dashboard"), "catalogue:dashboard", "catalogue.view_product", 20),
            M("catalogue", _("What-if analysis"), "catalogue:whatif", "catalogue.view_product", 30),
            M(
                "catalogue",
                _("Editions of the product list"),
                "catalogue:edition_list",
                "catalogue.view_catalogueedition",
                40,
            ),
        )
        for key, title, selector, table in [
            ("product", _("Products"), selectors.product_list, tables.ProductTable),
            ("edition", _("Editions of the product list"), selectors.edition_list, tables.EditionTable),
        ]:
            exports.register_list(
                exports.ListSpec(
                    key=f"catalogue:{key}", title=lambda t=title: str(t), selector=selector, table_class=table
                )
            )
        home.register(
            home.Widget(
                key="catalogue:localisation",
                template="catalogue/partials/_home_localisation.html",
                context=home_localisation,
                order=20,
                width=6,
            )
        )


def home_localisation(user):
    """The value-weighted localisation rate of the end products the user may see, and the weakest classes."""
    from cnan.core.permissions import has_perm

    from . import dashboards

    if not has_perm(user, "catalogue.view_product"):
        return None
    totals = dashboards.totals(user=user)
    if not totals.count:
        return None
    lowest = sorted((g for g in dashboards.rate_by_class(user=user) if g.rate is not None), key=lambda g: g.rate)[:3]
    return {"totals": totals, "lowest": lowest}
