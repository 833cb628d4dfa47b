"""A trigram index on the unit's name (PostgreSQL only; SQLite skips it).

Searching a list by unit name (hazards, inspections, cases …) first looks up the ids of the units whose name
matches — through this index — and then filters the list by those ids, instead of joining every row to its unit.
"""

from django.db import migrations

INDEXES = {
    "enterprise_name_trgm_idx": "USING gin ((UPPER(name::text)) gin_trgm_ops)",
    "enterprise_credit_code_trgm_idx": "USING gin ((UPPER(credit_code::text)) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Never dropped on the way back: other apps' indexes use the extension too.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON registry_enterprise {definition}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0003_seed_supervision_frequency"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
