"""Inserting many rows at once. On PostgreSQL with COPY (the fastest way in, about ten times Django's multi-row
INSERT for 100,000 hazards and their 200,000 audit entries), elsewhere with bulk_create. Like bulk_create, it sends
no signals: the caller writes the audit entries (core.audit.record_bulk_creation) and the summary counts.
"""

from django.db import connection, models
from django.db.models.expressions import DatabaseDefault


def insert_rows(model, objs: list, with_pks: bool = True) -> list:
    """Insert `objs` (unsaved instances of `model`); with `with_pks` each gets its primary key."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model._base_manager.bulk_create(objs, batch_size=1000)
    meta = model._meta
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and not with_pks)
        and not isinstance(getattr(objs[0], f.attname), DatabaseDefault)
    ]
    with connection.cursor() as cursor:
        if with_pks:
            # Keys from the table's own sequence, taken in one query, so the rows keep the ids they will have.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
        plain = [f.attname for f in fields]
        # JSON (and any value that needs the field's own conversion) goes through get_db_prep_save.
        prepared = [
            (index, f)
            for index, f in enumerate(fields)
            if isinstance(f, models.JSONField | models.GenericIPAddressField | models.UUIDField)
        ]
        stamped = [
            (index, f)
            for index, f in enumerate(fields)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objs:
                row = [getattr(obj, name) for name in plain]
                for index, field in stamped:
                    row[index] = field.pre_save(obj, add=True)
                for index, field in prepared:
                    row[index] = field.get_db_prep_save(row[index], connection)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
