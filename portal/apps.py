from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # They register access rules of portal's own models (import batches; the scheduler's job rows; the site
        # identity; report jobs; the dashboards' maintained figures).
        import portal.dashboards.tallies
        import portal.imports.access
        import portal.reports.access
        import portal.scheduler
        import portal.site_identity  # noqa: F401 (imported for its registration)
