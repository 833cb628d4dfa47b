"""Inserting many rows at once. On PostgreSQL with COPY (the fastest way in, about ten times Django's multi-row
INSERT for 100,000 hazards and their 200,000 audit entries), elsewhere with bulk_create. Like bulk_create, it sends
no signals: the caller writes the audit entries (core.audit.record_bulk_creation) and the summary counts.
"""

import json

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault


def unsaved_instance(model, attrs: dict):
    """An unsaved `model` instance from {attname: value} for every concrete field, without Model.__init__: no
    per-field descriptor calls and no pre_init/post_init signals (the project has no receivers of them). About
    five times cheaper than the constructor, which matters at 100,000 rows; for inserting with insert_rows."""
    obj = model.__new__(model)
    obj.__dict__.update(attrs)
    obj._state = ModelState()
    return obj


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
    if with_pks:
        for obj, pk in zip(objs, next_keys(model, len(objs)), strict=True):
            obj.pk = pk
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add=True)
    names = [f.attname for f in fields]
    # Values read from the instance's __dict__: a descriptor call per field and row costs more than the COPY.
    copy_values(model, fields, ([obj.__dict__[name] for name in names] for obj in objs))
    alias = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def next_keys(model, count: int) -> list[int]:
    """`count` primary keys from the table's own sequence, in one query (PostgreSQL), so rows written with COPY
    keep the ids they will have."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_values(model, fields: list, rows) -> None:
    """COPY `rows` (lists of Python values in the order of `fields`) into `model`'s table (PostgreSQL). JSON is
    sent as text, which COPY parses into jsonb (cheaper than a Jsonb wrapper per value); IP addresses and UUIDs
    through the field's own conversion."""
    prepared = [
        (index, f)
        for index, f in enumerate(fields)
        if isinstance(f, models.GenericIPAddressField | models.UUIDField)
    ]
    as_json = [(index, f.encoder) for index, f in enumerate(fields) if isinstance(f, models.JSONField)]
    # A batch repeats a few values (the importer's IP address on every audit entry): each converted once.
    converted = [{} for _ in prepared]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            for (index, field), seen in zip(prepared, converted, strict=True):
                value = row[index]
                if value not in seen:
                    seen[value] = field.get_db_prep_save(value, connection)
                row[index] = seen[value]
            for index, encoder in as_json:
                value = row[index]
                if value is not None:
                    text = None if value else EMPTY_JSON.get(type(value))  # the action entries' {} changes
                    row[index] = (
                        text if text is not None else json.dumps(value, cls=encoder, ensure_ascii=False)
                    )
            copy.write_row(row)


EMPTY_JSON = {dict: "{}", list: "[]", str: '""'}
