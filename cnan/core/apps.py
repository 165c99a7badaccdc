from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cnan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from . import exports, navigation, selectors
        from .tables import ObjectChangeTable

        navigation.register(
            navigation.MenuItem(
                "system", _("Audit log"), "core:objectchange_list", perm="core.view_objectchange", order=50
            ),
            navigation.MenuItem("system", _("My jobs"), "core:job_list", order=90),
        )
        exports.register_list(
            exports.ListSpec(
                key="core:objectchange",
                title=lambda: str(_("Audit log")),
                selector=selectors.objectchange_list,
                table_class=ObjectChangeTable,
            )
        )
