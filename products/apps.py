from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Producers and products")

    def ready(self):
        from django.db.backends.signals import connection_created

        import products.access  # noqa: F401 (registers the access rules)
        from portal.core.collation import register_on_sqlite

        # The registry's names are stored with the Vietnamese collation: SQLite needs it on every connection.
        connection_created.connect(register_on_sqlite, dispatch_uid="vietnamese_collation")
