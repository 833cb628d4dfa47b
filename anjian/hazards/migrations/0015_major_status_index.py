"""The 重大 hazards of one status, newest first, over a wide territory (PostgreSQL only; SQLite skips it).

A province's "整改中 · 重大" list read the 196,000 major hazards of hazard_major_scope_id_idx (territory path, then
id) to sort the 12,000 being rectified and keep the newest 51 (25 ms, and as much again for the count). This index
holds the major hazards by status then id: the newest of a status are at its end, and the territory (carried
along) is checked there. A town still uses the path-first index, where its few entries are together. Partial, so
it holds the 2 % of hazards that are major; built CONCURRENTLY, like hazards 0010.
"""

from django.db import migrations

NAME = "hazard_major_status_id_idx"
DEFINITION = "(status, id) INCLUDE (territory_path) WHERE grade = 'major'"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} ON hazards_hazard {DEFINITION}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("hazards", "0014_pair_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
