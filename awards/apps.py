from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Award rounds, nominations, councils, scoring, certificates and OCOP ratings (built on `products`)."""

    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        import awards.access  # noqa: F401 (registers the access rules)
