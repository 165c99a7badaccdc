from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "cnan.supply"
    label = "supply"
    verbose_name = _("Supply and import substitution")

    def ready(self) -> None:
        from cnan.accounts import roles
        from cnan.core import search

        from .models import ImportPurchase, ProductionOrder
        from .views import register_pages

        register_pages()
        search.register(
            ProductionOrder,
            icon="bi-truck",
            order=60,
            subtitle=lambda o: f"{o.year} · {o.get_status_display()}",
        )
        search.register(
            ImportPurchase,
            icon="bi-globe",
            order=64,
            subtitle=lambda p: f"{p.year} · {p.get_product_class_display()}",
        )

        # The Department consolidates demand and places orders; operational units declare their demand,
        # record their imported purchases, accept deliveries and give feedback (not the enterprises'
        # capacity, nor the optimiser); enterprises keep their capacity, see their orders and record
        # deliveries (not the units' demand, nor their imports).
        roles.extend(roles.DEPARTMENT_OFFICER, ["supply.*"])
        roles.extend(
            roles.UNIT_OFFICER,
            [
                "supply.view_*",
                "-supply.view_capacity",
                "-supply.view_allocationrun",
                "supply.add_demandplan",
                "supply.change_demandplan",
                "supply.delete_demandplan",
                "supply.add_importpurchase",
                "supply.change_importpurchase",
                "supply.delete_importpurchase",
                "supply.add_productionorder",
                "supply.change_productionorder",
                "supply.accept_delivery",
                "supply.add_feedback",
            ],
        )
        roles.extend(
            roles.ENTERPRISE_OFFICER,
            [
                "supply.view_productionorder",
                "supply.view_delivery",
                "supply.view_feedback",
                "supply.view_capacity",
                "supply.add_capacity",
                "supply.change_capacity",
                "supply.add_delivery",
            ],
        )
