"""Bulk loading with PostgreSQL COPY (psycopg 3 `cursor.copy`): rows stream from Python generators.

Columns a generator does not give get the model field's default, so a field added to a model later does not break
the load. Ids are given by the generator (the tables are empty or reset), and sequences are moved past them at the
end, so records created afterwards by the application get fresh ids.
"""

import time
from contextlib import contextmanager

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from psycopg.types.json import Jsonb


def _field_default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.default is not NOT_PROVIDED:
        value = field.get_default()
    elif getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
        value = getattr(field.db_default, "value", field.db_default)
    elif field.null:
        value = None
    elif field.empty_strings_allowed:
        value = ""
    else:
        raise ValueError(f"{field.model.__name__}.{field.attname} has no default: the generator must give it")
    if hasattr(value, "value") and hasattr(value, "label"):  # a TextChoices / IntegerChoices member
        value = value.value
    return Jsonb(value) if isinstance(value, dict | list) else value


class CopyTable:
    """COPY into one model's table: `columns` come from each row, every other column is a constant default."""

    def __init__(self, model, columns):
        self.model = model
        self.table = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        now = timezone.now()
        self.columns = list(columns)
        self.defaults = {name: _field_default(f, now) for name, f in fields.items() if name not in columns}
        self.tail = tuple(self.defaults.values())

    def load(self, rows) -> int:
        """Copy every row of the iterable; returns the number of rows."""
        names = ", ".join(f'"{c}"' for c in self.columns + list(self.defaults))
        tail = self.tail
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                write = copy.write_row
                for row in rows:
                    write(row + tail)
                    count += 1
        return count


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))",
            [table],
        )


@contextmanager
def secondary_indexes_dropped(models, log):
    """Drop the plain indexes of the big tables during the load and build them again after: building an index once
    is several times faster than keeping it up to date row by row. Indexes behind constraints (primary key,
    unique) stay."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.schemaname, i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid =
                               (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)""",
            [tables],
        )
        indexes = cursor.fetchall()
        for _schema, name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _schema, _name, definition in indexes:
                cursor.execute(definition)
        log(f"重建 {len(indexes)} 个索引", started)


def foreign_key_checks_off() -> bool:
    """Skip per-row foreign-key triggers for this session when the database role may (superuser): the generator
    only writes ids it has just created. Returns whether they are off."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET session_replication_role = replica")
    return True


def foreign_key_checks_on() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
