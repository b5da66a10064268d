from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Producers and products")

    def ready(self):
        from django.db.backends.signals import connection_created

        import products.access  # noqa: F401 (registers the access rules)

        connection_created.connect(_vietnamese_collation_on_sqlite)


def _vietnamese_collation_on_sqlite(sender, connection, **kwargs):
    """PostgreSQL has the ICU collation "vi-x-icu"; SQLite gets one of the same name that sorts with the same
    Vietnamese dictionary order, so `ORDER BY name COLLATE "vi-x-icu"` works on both."""
    if connection.vendor != "sqlite":
        return
    from .models import VIETNAMESE_COLLATION
    from .search import vietnamese_key

    def compare(left, right):
        a, b = vietnamese_key(left), vietnamese_key(right)
        return (a > b) - (a < b)

    connection.connection.create_collation(VIETNAMESE_COLLATION, compare)
