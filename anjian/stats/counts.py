"""Keeping HazardCount equal to the hazard rows: the only code that writes the table.

How each change reaches it, always inside the transaction of the change:
- Hazard.save() (registration, every status transition, grade change, void/reopen, listing, edits, the
  importer): `hazard_saved` reads the row's old key under a row lock and moves one hazard from the old key to
  the new one;
- the overdue scan (hazards.services.refresh_overdue, a queryset update): `record_moves`;
- bulk inserts that bypass save() (generators, bulk importers): `record_new_hazards`, or `rebuild()` after a
  whole load;
- deletions (never done by the workflow — hazards are voided): the post_delete signal, `hazard_deleted`.

Increments are atomic upserts (INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n), applied in key
order so two transactions touching the same keys lock them in the same order. The same SQL runs on PostgreSQL
and SQLite (3.24+).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, TruncMonth

from .models import HazardCount

# The Hazard columns the key is made of (found_on counts by its month).
HAZARD_KEY_COLUMNS = (
    "territory_id",
    "sector_id",
    "grade",
    "status",
    "is_overdue",
    "supervision_level",
    "major_basis_pending",
    "found_on",
)
# Hazard fields whose change can move a hazard to another key (save(update_fields=…) without them is free).
HAZARD_KEY_FIELDS = frozenset(c.removesuffix("_id") for c in HAZARD_KEY_COLUMNS) | {"territory_path"}
BATCH = 500


@dataclass(frozen=True, order=True)
class Key:
    territory_id: int
    sector: int
    grade: str
    status: str
    is_overdue: bool
    supervision_level: int
    major_basis_pending: bool
    found_month: date


def month_of(day) -> date:
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return date(day.year, day.month, 1)


def key_of_values(territory_id, sector_id, grade, status, is_overdue, level, pending, found_on) -> Key:
    return Key(
        int(territory_id),
        int(sector_id or 0),
        str(grade),
        str(status),
        bool(is_overdue),
        int(level or 0),
        bool(pending),
        month_of(found_on),
    )


def key_of(hazard) -> Key:
    return key_of_values(*(getattr(hazard, column) for column in HAZARD_KEY_COLUMNS))


def _hazard_model():
    return apps.get_model("hazards", "Hazard")


# --- writing ---------------------------------------------------------------------------------------------------
def locked_key(pk) -> Key | None:
    """The key of the stored row, locked until the end of the transaction (None: no such row yet)."""
    row = (
        _hazard_model()
        ._base_manager.select_for_update()
        .filter(pk=pk)
        .values_list(*HAZARD_KEY_COLUMNS)
        .first()
    )
    return key_of_values(*row) if row else None


def hazard_saved(old: Key | None, hazard) -> None:
    """Called by Hazard.save() after the write, in its transaction: one hazard moves from `old` to its key."""
    new = key_of(hazard)
    if old != new:
        record_moves([(old, new)])


def hazard_deleted(sender, instance, **kwargs) -> None:
    if instance.territory_id and instance.found_on:
        apply(Counter({key_of(instance): -1}))


def record_new_hazards(hazards) -> None:
    """Count hazards that were inserted without save() (bulk_create by an importer or a generator). Call it in
    the transaction of the insert, once per hazard."""
    apply(Counter(key_of(h) for h in hazards))


def record_moves(moves) -> None:
    """Count (old key, new key) moves of hazards changed by a queryset update (the overdue scan); an old key of
    None is a new hazard."""
    deltas = Counter()
    for old, new in moves:
        if old != new:
            if old is not None:
                deltas[old] -= 1
            deltas[new] += 1
    apply(deltas)


def apply(deltas: Counter) -> None:
    """Add each delta to its key's row, creating missing rows (a negative count on a created row means the table
    had drifted from the rows; `verify` reports it and `rebuild` repairs it)."""
    from anjian.core.models import Territory

    deltas = {k: n for k, n in deltas.items() if n}
    if not deltas:
        return
    paths = dict(Territory.objects.filter(pk__in={k.territory_id for k in deltas}).values_list("pk", "path"))
    table = HazardCount._meta.db_table
    columns = (
        "territory_id, territory_path, sector, grade, status, is_overdue, supervision_level, "
        "major_basis_pending, found_month, n"
    )
    conflict = (
        "territory_id, sector, grade, status, is_overdue, supervision_level, major_basis_pending, found_month"
    )
    ops = connection.ops
    keys = sorted(deltas)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            params = []
            for k in chunk:
                params += [
                    k.territory_id,
                    paths.get(k.territory_id, ""),
                    k.sector,
                    k.grade,
                    k.status,
                    k.is_overdue,
                    k.supervision_level,
                    k.major_basis_pending,
                    ops.adapt_datefield_value(k.found_month),
                    deltas[k],
                ]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )


# --- recomputing -----------------------------------------------------------------------------------------------
def _recomputed(hazard_model=None):
    """The table as the hazard rows say it should be: one grouped query (aliases k_* keep the column order)."""
    return (
        (hazard_model or _hazard_model())
        ._base_manager.order_by()
        .annotate(
            k_territory=F("territory_id"),
            k_path=F("territory__path"),
            k_sector=Coalesce("sector_id", Value(0)),
            k_grade=F("grade"),
            k_status=F("status"),
            k_overdue=F("is_overdue"),
            k_level=F("supervision_level"),
            k_pending=F("major_basis_pending"),
            k_month=TruncMonth("found_on"),
        )
        .values(
            "k_territory",
            "k_path",
            "k_sector",
            "k_grade",
            "k_status",
            "k_overdue",
            "k_level",
            "k_pending",
            "k_month",
        )
        .annotate(k_n=Count("id"))
    )


def rebuild(hazard_model=None) -> int:
    """Replace the whole table by a recomputation from the hazard rows (after a bulk load, or to repair).
    One INSERT … SELECT … GROUP BY in the database. Writers of hazards wait for it (their upserts queue on the
    table lock), so no change is lost or counted twice. Returns the number of summary rows. (`hazard_model`: the
    historical model, in a data migration.)"""
    table = HazardCount._meta.db_table
    sql, params = _recomputed(hazard_model).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Readers go on reading the old figures; writers queue until the new ones are committed.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (territory_id, territory_path, sector, grade, status, is_overdue, "
            "supervision_level, major_basis_pending, found_month, n) "
            "SELECT k_territory, k_path, k_sector, k_grade, k_status, k_overdue, k_level, k_pending, k_month, k_n "
            f"FROM ({sql}) recomputed",
            params,
        )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Difference:
    key: Key
    expected: int  # counted from the hazard rows
    stored: int  # in the summary table

    def __str__(self):
        k = self.key
        return (
            f"区划{k.territory_id} 行业{k.sector} {k.grade} {k.status} 逾期={k.is_overdue} "
            f"挂牌={k.supervision_level} 待补充={k.major_basis_pending} {k.found_month:%Y-%m}: "
            f"应为 {self.expected}，汇总表为 {self.stored}"
        )


def verify() -> list[Difference]:
    """Every key whose stored count differs from a recomputation from the rows (empty: the table is true).
    Zero rows left behind by moves are equal to a missing row."""
    expected = Counter()
    for r in _recomputed().iterator(chunk_size=5000):
        key = key_of_values(
            r["k_territory"],
            r["k_sector"],
            r["k_grade"],
            r["k_status"],
            r["k_overdue"],
            r["k_level"],
            r["k_pending"],
            r["k_month"],
        )
        expected[key] += r["k_n"]
    stored = Counter()
    for r in (
        HazardCount.objects.exclude(n=0)
        .values_list(
            "territory_id",
            "sector",
            "grade",
            "status",
            "is_overdue",
            "supervision_level",
            "major_basis_pending",
            "found_month",
            "n",
        )
        .iterator(chunk_size=5000)
    ):
        stored[key_of_values(*r[:-1])] += r[-1]
    return [
        Difference(key, expected.get(key, 0), stored.get(key, 0))
        for key in sorted(set(expected) | set(stored))
        if expected.get(key, 0) != stored.get(key, 0)
    ]
