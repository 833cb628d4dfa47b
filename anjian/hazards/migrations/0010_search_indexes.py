"""Indexes for the selective filters of the hazard list at province scale (PostgreSQL only; SQLite skips them).

- The overdue filter: the page's ids are chosen by an id-only subquery (core.pagination.keyset_page), which
  PostgreSQL answers from one of two partial indexes holding only overdue hazards — newest first over the whole
  scope (id, with the territory path carried along), or by territory subtree then id for a small subtree such as
  a town without any overdue hazard, where it finds nothing at once instead of walking every row backwards.
- Status, grade (重大) and sector: the same, through indexes with the filtered column first and id last.
- Search (搜索): trigram GIN indexes so that `icontains` on number, description and location uses an index. They
  index UPPER(column::text), the very expression Django's icontains compares on PostgreSQL. They help terms of
  three or more characters (pg_trgm splits Chinese text into trigrams under a UTF-8 ctype); shorter terms are
  too common for an index to be worth it anyway.

Built CONCURRENTLY (outside a transaction) so that an installation with millions of hazards keeps writing while
the indexes are built. They are not declared on the model: Django cannot express INCLUDE with a partial
pattern-ops index portably, and SQLite has no use for them.
"""

from django.db import migrations

INDEXES = {
    # Status / grade / sector filters: the equality columns first, then the territory prefix, then id, so that
    # the page's id subquery reads only the matching entries of the index (none at all for a combination that
    # matches nothing) instead of every entry of the user's territory.
    "hazard_status_scope_id_idx": "(status, territory_path varchar_pattern_ops, id)",
    "hazard_major_scope_id_idx": "(territory_path varchar_pattern_ops, id) INCLUDE (status) WHERE grade = 'major'",
    "hazard_sector_scope_id_idx": "(sector_id, territory_path varchar_pattern_ops, status, id)",
    "hazard_overdue_id_idx": "(id) INCLUDE (territory_path) WHERE is_overdue",
    "hazard_overdue_scope_id_idx": "(territory_path varchar_pattern_ops, id) WHERE is_overdue",
    "hazard_number_trgm_idx": "USING gin ((UPPER(number::text)) gin_trgm_ops)",
    "hazard_description_trgm_idx": "USING gin ((UPPER(description::text)) gin_trgm_ops)",
    "hazard_location_trgm_idx": "USING gin ((UPPER(location::text)) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Never dropped on the way back: other apps' indexes use the extension too.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON hazards_hazard {definition}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("hazards", "0010_city_verification"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
