"""PostgreSQL: the trigram GIN indexes of the registry search write every insert and update straight into the index
(fastupdate = off) instead of queuing them in a pending list.

A pending list (up to gin_pending_list_limit, 4 MB) is read linearly by every search until a VACUUM merges it:
after 2,000 rows inserted (an import, or rows added and rolled back), a search on 100,000 products read 282 index
pages instead of 100 and its index scan took 10 ms instead of 1.3 ms; the planner, pricing those pages in, turned to
other plans. Without the list, an insert or update of a producer or product writes its trigrams at once: bulk
inserts cost about a third more (10,000 products and 4,000 producers: 14.0 s instead of 10.6 s, on a loaded machine).
The lists already queued are merged here."""

from django.db import migrations

INDEXES = ("producer_search_trgm", "product_search_trgm")


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list(to_regclass('{name}')) WHERE to_regclass('{name}') IS NOT NULL")


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (fastupdate = on)")


class Migration(migrations.Migration):
    dependencies = [("products", "0018_expand_abbreviations")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
