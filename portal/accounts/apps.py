from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import access  # noqa: F401 (registers the access rules)

        post_migrate.connect(_ensure_staff_group)


def _ensure_staff_group(app_config, **kwargs):
    # post_migrate is sent once per app; by the last app's turn every permission of our apps exists.
    from django.apps import apps

    if app_config is list(apps.get_app_configs())[-1]:
        from .roles import ensure_staff_group

        ensure_staff_group()
