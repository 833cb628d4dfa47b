"""Keyset pagination: the next page starts after the last row seen, never at an OFFSET.

The cost of a page does not grow with the table or with how far the user has paged, and no COUNT(*) is run.
The ordering must end with a unique field (the primary key) and its fields must not be NULL.
"""

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    is_first: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _field_value(obj, name):
    value = obj
    for part in name.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Model) else value


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise BadRequest("分页参数无效。") from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadRequest("分页参数无效。")
    return values


def after_q(ordering: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) OR (a = x AND b > y) OR …"""
    q = Q()
    equal = Q()
    for name, value in zip(ordering, values, strict=True):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        q |= equal & Q(**{f"{field}__{lookup}": value})
        equal &= Q(**{field: value})
    return q


def keyset_page(queryset, ordering: tuple[str, ...], cursor: str | None, size: int) -> KeysetPage:
    queryset = queryset.order_by(*ordering)
    if cursor:
        queryset = queryset.filter(after_q(ordering, decode_cursor(cursor, len(ordering))))
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([_field_value(last, name.lstrip("-")) for name in ordering])
    return KeysetPage(items=rows, next_cursor=next_cursor, is_first=not cursor)
