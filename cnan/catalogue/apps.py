from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "cnan.catalogue"
    label = "catalogue"
    verbose_name = _("Product catalogue")

    def ready(self) -> None:
        from cnan.accounts import roles
        from cnan.core import search

        from .models import Product

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
