from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtensionProjectsConfig(AppConfig):
    """Khuyến công projects, funding and trade fairs (built on `products`)."""

    name = "extension_projects"
    verbose_name = _("Industrial extension projects")

    def ready(self):
        import extension_projects.access  # noqa: F401 (registers the access rules)
