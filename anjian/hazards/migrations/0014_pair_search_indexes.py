"""Indexes for two-character searches (PostgreSQL only; SQLite skips them).

Chinese search words are mostly two characters (消防、电梯、锅炉), and a trigram index cannot serve a word shorter
than three: PostgreSQL reads the whole index instead (1.7 s at 10M hazards) and, in PostgreSQL 15, does not stop
for the statement timeout while it does. These trigram indexes hold the text with every character doubled, where a
two-character word has two trigrams (core.filters.contains_q writes the matching condition; the expression must
stay identical to the one there). Built CONCURRENTLY, like hazards 0010, so that writing goes on meanwhile.
"""

from django.db import migrations

DOUBLED = "regexp_replace(UPPER({column}::text), '(.)', '\\1\\1', 'g')"
INDEXES = {
    f"hazard_{column}_pair_idx": f"USING gin (({DOUBLED.format(column=column)}) gin_trgm_ops)"
    for column in ("number", "description", "location")
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
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
        ("hazards", "0013_scope_id_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
