from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    """After the last app's migrations (when every permission exists), synchronise the built-in roles."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    from .services import role_sync_builtin

    role_sync_builtin(actor=None)


class AccountsConfig(AppConfig):
    name = "cnan.accounts"
    label = "accounts"
    verbose_name = _("Users and access")

    def ready(self) -> None:
        from cnan.core import navigation, search

        from .models import User

        post_migrate.connect(_sync_roles, dispatch_uid="cnan.accounts.sync_roles")
        navigation.register(
            navigation.MenuItem("system", _("Users"), "accounts:user_list", perm="accounts.view_user", order=10),
        )
        search.register(User, icon="bi-person", order=90, subtitle=lambda u: u.position)
        from cnan.core import exports

        from .selectors import user_list
        from .tables import UserTable

        exports.register_list(
            exports.ListSpec(
                key="accounts:user", title=lambda: str(_("Users")), selector=user_list, table_class=UserTable
            )
        )
