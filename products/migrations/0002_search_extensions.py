"""PostgreSQL: the unaccent and pg_trgm extensions and trigram GIN indexes on the folded search columns.
On SQLite the folded columns are searched as they are (the CreateExtension operations are no-ops there)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

INDEXES = [
    ("products_producer", "producer_search_trgm"),
    ("products_product", "product_search_trgm"),
    ("products_administrativeunit", "unit_search_trgm"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
