"""Keyset pagination: the next page starts after the last row seen, never at an OFFSET.

The cost of a page does not grow with the table or with how far the user has paged, and no COUNT(*) is run
(the "共 N 条" line counts at most a bounded number of rows: count_hint below).
The ordering must end with a unique field (the primary key) and its fields must not be NULL.
"""

import base64
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import BadRequest, EmptyResultSet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connections, transaction
from django.db.models import Model, Q

from .search import index_first


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    is_first: bool
    # A search answered through its index first (search_page): how many matches it saw, up to
    # SEARCH_COUNT_LIMIT + 1, so the list needs no count query of its own.
    matches_seen: int | None = None
    # A search that found no plan within its time budget: the page is empty and asks for a narrower search.
    too_broad: bool = False

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _field_value(obj, name):
    value = obj
    for part in name.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Model) else value


class _CursorEncoder(DjangoJSONEncoder):
    """Datetimes with their microseconds: DjangoJSONEncoder cuts them to milliseconds, and a page would then
    skip the rows written within the same millisecond as the last row shown."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, cls=_CursorEncoder, separators=(",", ":")).encode()
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


def _ordered_after(queryset, ordering: tuple[str, ...], cursor: str | None):
    ordered = queryset.order_by(*ordering)
    if cursor:
        ordered = ordered.filter(after_q(ordering, decode_cursor(cursor, len(ordering))))
    return ordered


def _page_from_rows(
    rows: list, ordering: tuple[str, ...], cursor: str | None, size: int, **extra
) -> KeysetPage:
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([_field_value(last, name.lstrip("-")) for name in ordering])
    return KeysetPage(items=rows, next_cursor=next_cursor, is_first=not cursor, **extra)


def keyset_page(queryset, ordering: tuple[str, ...], cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in `ordering`, after `cursor`.

    The page's ids are chosen first, in a subquery that reads only the filtered and ordered columns; the full
    rows (with their select_related joins) are then read by primary key. On PostgreSQL the id subquery can be
    answered from an index alone (e.g. the overdue partial indexes, hazards 0010): the planner then picks the
    index that matches the filter instead of walking the primary key backwards through every row of a big
    table in search of matches that may not exist (a town without any overdue hazard)."""
    page_ids = _ordered_after(queryset, ordering, cursor).values("pk")[: size + 1]
    rows = list(queryset.filter(pk__in=page_ids).order_by(*ordering))
    return _page_from_rows(rows, ordering, cursor, size)


# --- text searches on PostgreSQL ---------------------------------------------------------------------------
# The planner answers a search page by reading the newest rows first and checking each against the words: a
# common word is found at once. It believes the words and the user's scope independent, so for a word that is
# rare *in that scope* (a construction word searched by a department whose sectors hardly use it) the same plan
# walks the whole table (32 s at 10M hazards). The natural plan gets SEARCH_PAGE_BUDGET_MS; past it, the
# matches are collected through the search indexes first and sorted (fast exactly when matches are few; two-
# character words switch to their pair indexes, core.search), within SEARCH_FALLBACK_BUDGET_MS; past that too,
# the search is too broad for its scope (a one-character word, or a word very common in the province yet rare in
# the user's scope) and the user is asked to narrow it.
SEARCH_PAGE_BUDGET_MS = 150
SEARCH_FALLBACK_BUDGET_MS = 1_500
# A search whose natural plan ran out of time in one scope and then had few matches will run out again: for this
# long the same search (its next pages, a refresh, a colleague with the same scope and filters) goes to the
# matches first at once instead of spending SEARCH_PAGE_BUDGET_MS again (first_within_budget; the cache is shared
# by the app servers when Redis is set).
SEARCH_PLAN_MEMORY_S = 600


def search_plan_key(queryset) -> str | None:
    """The cache key of the plan a search needs: its matching query (scope, filters, words; not the page). None
    where there is no plan to remember (elsewhere than on PostgreSQL: no time budgets)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    digest = hashlib.sha1(f"{queryset.db}|{sql}|{params}".encode()).hexdigest()
    return f"search-plan:{digest}"


def search_page(queryset, ordering: tuple[str, ...], cursor: str | None, size: int) -> KeysetPage:
    """keyset_page for a filtered text search, with the fallbacks above (PostgreSQL; elsewhere keyset_page)."""
    limit = max(size, SEARCH_COUNT_LIMIT) + 1
    found = first_within_budget(
        queryset.db,
        lambda: keyset_page(queryset, ordering, cursor, size),
        lambda: matches_first_ids(queryset, ordering, cursor, limit),
        plan_key=search_plan_key(queryset),
        few=lambda ids: len(ids) <= SEARCH_COUNT_LIMIT,
    )
    if found is None:
        return KeysetPage(items=[], next_cursor=None, is_first=not cursor, too_broad=True)
    if isinstance(found, KeysetPage):
        return found
    rows = list(queryset.filter(pk__in=found[: size + 1]).order_by(*ordering))
    return _page_from_rows(rows, ordering, cursor, size, matches_seen=len(found))


def first_within_budget(using: str, natural, index_first_work=None, plan_key: str | None = None, few=None):
    """A search's work: `natural()` within SEARCH_PAGE_BUDGET_MS; past it, `index_first_work()` (or `natural()`
    again) with short words written for their indexes (core.search.index_first) within SEARCH_FALLBACK_BUDGET_MS;
    None when that runs out too. Elsewhere than on PostgreSQL: natural().

    With `plan_key` (search_plan_key): when the natural plan ran out of time and the matches then turned out few
    (`few(result)`: a word rare in the user's scope, which the natural plan would look for through most of the
    table again), that is remembered for SEARCH_PLAN_MEMORY_S and the natural plan is not tried meanwhile. With
    many matches the natural plan finds a page at once; it was only unlucky (a cold cache, a busy server) and is
    tried again next time."""
    if connections[using].vendor != "postgresql":
        return natural()
    remembered = plan_key is not None and bool(cache.get(plan_key))
    if not remembered:
        result = within_budget(using, SEARCH_PAGE_BUDGET_MS, natural)
        if result is not None:
            return result
    with index_first():
        result = within_budget(using, SEARCH_FALLBACK_BUDGET_MS, index_first_work or natural)
    if plan_key is not None:
        if result is not None and few(result):
            if not remembered:
                cache.set(plan_key, True, SEARCH_PLAN_MEMORY_S)
        elif remembered:
            cache.delete(plan_key)
    return result


def matches_first_ids(queryset, ordering: tuple[str, ...], cursor: str | None, limit: int) -> list:
    """The first `limit` ids in `ordering` after `cursor`, planned as "all matches, then sort": the matching
    query sits under OFFSET 0, which PostgreSQL plans on its own (it cannot walk an index in the page's order to
    find them), so it collects the matches through the trigram indexes and sorts only those."""
    fields = [name.lstrip("-") for name in ordering]
    pk_name = queryset.model._meta.pk.name
    pk_at = next((i for i, name in enumerate(fields) if name in ("pk", pk_name)), None)
    if pk_at is None:
        fields, pk_at = [*fields, "pk"], len(fields)
    matching = _ordered_after(queryset, ordering, cursor).order_by().values_list(*fields)
    sql, params = matching.query.sql_with_params()
    order = ", ".join(
        f"{i + 1} {'DESC' if name.startswith('-') else 'ASC'}" for i, name in enumerate(ordering)
    )
    with connections[queryset.db].cursor() as db_cursor:
        db_cursor.execute(
            f"SELECT * FROM ({sql} OFFSET 0) AS matches ORDER BY {order} LIMIT %s", [*params, limit]
        )
        return [row[pk_at] for row in db_cursor.fetchall()]


def within_budget(using: str, budget_ms: int, work):
    """work() on PostgreSQL with a statement_timeout of `budget_ms` for each of its statements; None when one
    was cancelled. It runs in a savepoint, so the request's transaction carries on; the request's own timeout
    is put back afterwards."""
    connection = connections[using]
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                [f"{budget_ms}ms"],
            )
            previous = cursor.fetchone()[0]
            result = work()
            if nested:  # a released savepoint keeps the setting: the enclosing transaction gets its own back
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return result
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        return None


# --- "共 N 条" without COUNT(*) over a big table --------------------------------------------------------
EXACT_COUNT_LIMIT = 10_000
# A text search's matches are scattered over the table: counting 10,000 of them read as many table pages
# (0.3–0.4 s for a city at 10M hazards); past 1,000 the planner's estimate is shown instead.
SEARCH_COUNT_LIMIT = 1_000


@dataclass
class CountHint:
    """How many rows a list holds: exact up to a limit; past it, the planner's estimate or only "more than"."""

    count: int
    exact: bool
    estimated: bool = False

    def __str__(self) -> str:
        if self.exact:
            return f"共 {self.count:,} 条"
        if self.estimated:
            return f"约 {self.count:,} 条"
        return f"超过 {self.count:,} 条"


def count_hint(
    queryset,
    limit: int = EXACT_COUNT_LIMIT,
    at_least: int = 0,
    budget_ms: int | None = None,
    estimate: bool = True,
) -> CountHint:
    """Counts at most `limit` + 1 rows (COUNT over a LIMIT subquery), so the cost is bounded however big the
    table. Past the limit: PostgreSQL's row estimate for this very query (EXPLAIN, not run), rounded; where
    there is no estimate, or it is below what was counted, only "more than `limit`" is known. On PostgreSQL the
    count has a time budget (COUNT_BUDGET_MS); past it, the estimate, or "more than `at_least`" (the rows the
    page shows) when the estimate is lower. `estimate=False`: never the planner's estimate (a text search's is
    a guess: PostgreSQL cannot tell how many descriptions hold a word)."""
    queryset = queryset.order_by()
    # Only the keys: annotations the list shows (e.g. an EXISTS per row) would be computed for every counted row.
    counted = _counted_in_time(queryset.values("pk")[: limit + 1], budget_ms or COUNT_BUDGET_MS)
    if counted is not None and counted <= limit:
        return CountHint(counted, exact=True)
    estimate = _planner_estimate(queryset) if estimate else None
    if counted is None:  # out of time: the planner's estimate, unless it is below what the page already shows
        if estimate is not None and estimate > at_least:
            return CountHint(_round(estimate), exact=False, estimated=True)
        return CountHint(at_least, exact=False)
    if estimate is not None and estimate > limit:
        return CountHint(_round(estimate), exact=False, estimated=True)
    return CountHint(limit, exact=False)


# The longest a list may spend on its "共 N 条" (PostgreSQL): a search for a rare two-character word, which no
# trigram index can serve, made the bounded count read the whole table (15 s at 10M hazards).
COUNT_BUDGET_MS = 300


# A search's count has less: its page already took part of the search's time (SEARCH_PAGE_BUDGET_MS), and counting
# 1,000 matches of a common word reads as many table pages (100 ms and more for a city at 10M hazards).
SEARCH_COUNT_BUDGET_MS = 30


def _counted_in_time(limited, budget_ms: int) -> int | None:
    """COUNT of a LIMITed queryset; on PostgreSQL within `budget_ms`, None when it took longer."""
    if connections[limited.db].vendor != "postgresql":
        return limited.count()
    return within_budget(limited.db, budget_ms, limited.count)


def _planner_estimate(queryset) -> int | None:
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _round(n: int) -> int:
    """Two significant digits: an estimate should not look precise (123,456 -> 120,000)."""
    digits = len(str(n)) - 2
    return round(n, -digits) if digits > 0 else n
