from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "portal.core.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from . import access  # noqa: F401 (registers the access rules)
