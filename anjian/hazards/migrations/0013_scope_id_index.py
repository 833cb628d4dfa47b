"""The plain list of a town or county (no filter): its newest hazards by territory subtree, then id.

Without it PostgreSQL found a town's 24,000 hazards through the territory-path index and read every one of them
from the table to keep the newest 50 (100 ms at 10M hazards, growing with the town); with the id in the index
it reads the index alone (4 ms). Built CONCURRENTLY, PostgreSQL only, as the indexes of 0010.

Also finer planner statistics of the territory path: a town holds 0.24 % of a province's hazards, less than one
of the default 100 histogram buckets, and PostgreSQL took it for 933 rows instead of 23,853 — enough to join
the page's 51 ids with every hazard of the town (100 ms) instead of reading 51 rows by primary key.
"""

from django.db import migrations

NAME = "hazard_scope_id_idx"
STATISTICS = 1000


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} "
            "ON hazards_hazard (territory_path varchar_pattern_ops, id)"
        )
        schema_editor.execute(
            f"ALTER TABLE hazards_hazard ALTER COLUMN territory_path SET STATISTICS {STATISTICS}"
        )
        schema_editor.execute("ANALYZE hazards_hazard (territory_path)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
        schema_editor.execute("ALTER TABLE hazards_hazard ALTER COLUMN territory_path SET STATISTICS -1")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("hazards", "0012_listed_due_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
