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
and SQLite (3.24+). Each increment also goes to the rows of HazardRollup (the key rolled up to the city, county
and town above the hazard), which province and city pages read, and of HazardAreaRollup (the same without sector,
pending-basis flag and late month: `area_key`); a territory moved to another parent rebuilds them
(`territory_moved`).
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .models import KEY_FIELDS, NOT_LATE, HazardAreaRollup, HazardCount, HazardRollup

NOT_LATE_SQL = Value(NOT_LATE, output_field=DateField())

# The Hazard columns the key is made of (found_on counts by its month; the last four make late_month).
HAZARD_KEY_COLUMNS = (
    "territory_id",
    "sector_id",
    "grade",
    "status",
    "is_overdue",
    "supervision_level",
    "major_basis_pending",
    "found_on",
    "deadline",
    "reported_at",
    "rectified_on_spot",
)
# Hazard fields whose change can move a hazard to another key (save(update_fields=…) without them is free).
HAZARD_KEY_FIELDS = frozenset(c.removesuffix("_id") for c in HAZARD_KEY_COLUMNS) | {"territory_path"}
BATCH = 500
# Territory depths the counts are also rolled up to (HazardRollup): 0 province, 1 city, 2 county (district),
# 3 town. A page's totals read its own level; its figures per child territory read the children's level.
ROLLUP_DEPTHS = (0, 1, 2, 3)


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
    late_month: date = NOT_LATE


def area_key(key: Key) -> Key:
    """The key of HazardAreaRollup: the same without sector, pending-basis flag and late month."""
    return replace(key, sector=0, major_basis_pending=False, late_month=NOT_LATE)


def month_of(day) -> date:
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return date(day.year, day.month, 1)


def late_month(status, is_overdue, deadline, reported_at, rectified_on_spot) -> date:
    """The month of the deadline of a hazard not rectified by it — reported rectified after the deadline, or not
    reported and flagged overdue by the deadline scan (R16 第二十一条 限期整改) — judged by the deadline as it
    stands now; NOT_LATE for any other, and for hazards voided or rectified on the spot. Read from stored
    columns only (never from today's date), so a row's key changes only when the row is written."""
    if deadline is None or status == "voided" or rectified_on_spot:
        return NOT_LATE
    if isinstance(deadline, str):
        deadline = date.fromisoformat(deadline[:10])
    if reported_at is not None:
        late = timezone.localtime(reported_at, timezone.get_default_timezone()).date() > deadline
    else:
        late = bool(is_overdue)
    return month_of(deadline) if late else NOT_LATE


def late_q() -> Q:
    """late_month's rule as a filter of hazard rows (the report's date in the current time zone, which is the
    default one: the project never activates another)."""
    return (
        (
            Q(reported_at__isnull=False, reported_at__date__gt=F("deadline"))
            | Q(reported_at__isnull=True, is_overdue=True)
        )
        & Q(deadline__isnull=False, rectified_on_spot=False)
        & ~Q(status="voided")
    )


def key_of_values(
    territory_id, sector_id, grade, status, is_overdue, level, pending, found_on, late=NOT_LATE
) -> Key:
    """A key from a summary row's stored columns (STORED_KEY)."""
    return Key(
        int(territory_id),
        int(sector_id or 0),
        str(grade),
        str(status),
        bool(is_overdue),
        int(level or 0),
        bool(pending),
        month_of(found_on),
        month_of(late),
    )


def key_of_columns(values, **changed) -> Key:
    """A key from a hazard's HAZARD_KEY_COLUMNS values (in that order), with `changed` columns replaced."""
    row = dict(zip(HAZARD_KEY_COLUMNS, values, strict=True), **changed)
    return key_of_values(
        row["territory_id"],
        row["sector_id"],
        row["grade"],
        row["status"],
        row["is_overdue"],
        row["supervision_level"],
        row["major_basis_pending"],
        row["found_on"],
        late_month(
            row["status"], row["is_overdue"], row["deadline"], row["reported_at"], row["rectified_on_spot"]
        ),
    )


def key_of(hazard) -> Key:
    return key_of_columns([getattr(hazard, column) for column in HAZARD_KEY_COLUMNS])


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
    return key_of_columns(row) if row else None


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
    columns_of = attrgetter(*HAZARD_KEY_COLUMNS)
    record_new_hazard_columns(Counter(map(columns_of, hazards)))


def record_new_hazard_columns(counts: Counter) -> None:
    """As record_new_hazards, from {HAZARD_KEY_COLUMNS values (in that order): number of new hazards}: a large
    import has many hazards but few distinct keys."""
    deltas = Counter()
    for values, count in counts.items():
        deltas[key_of_columns(values)] += count
    apply(deltas)


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


# A summary row's key as stored (the territory as its id), in Key's order.
STORED_KEY = ("territory_id", *KEY_FIELDS[1:])


def apply(deltas: Counter) -> None:
    """Add each delta to its key's row, and to the rows of the key rolled up to each of ROLLUP_DEPTHS (both
    rolled-up tables), creating missing rows (a negative count on a created row means the table had drifted from
    the rows; `verify` reports it and `rebuild` repairs it). Rows are locked in one order: the own-territory rows
    by key, then the rolled-up rows by table, depth and key."""
    from anjian.core.models import Territory

    deltas = {k: n for k, n in deltas.items() if n}
    if not deltas:
        return
    paths = dict(Territory.objects.filter(pk__in={k.territory_id for k in deltas}).values_list("pk", "path"))
    rolled, area = Counter(), Counter()
    for key, n in deltas.items():
        for depth, ancestor, path in ancestors(paths.get(key.territory_id, "")):
            rolled_key = replace(key, territory_id=ancestor)
            rolled[(depth, ancestor, path, rolled_key)] += n
            area[(depth, ancestor, path, area_key(rolled_key))] += n
    with transaction.atomic():
        _upsert(
            HazardCount._meta.db_table,
            [((), k.territory_id, paths.get(k.territory_id, ""), k, n) for k, n in sorted(deltas.items())],
        )
        for model, counted in ((HazardRollup, rolled), (HazardAreaRollup, area)):
            _upsert(
                model._meta.db_table,
                [
                    ((depth,), territory, path, k, n)
                    for (depth, territory, path, k), n in sorted(
                        counted.items(), key=lambda item: (item[0][0], item[0][1], item[0][3])
                    )
                    if n
                ],
            )


def ancestors(path: str, depths=ROLLUP_DEPTHS):
    """(depth, territory id, path) of the territory's ancestor at each of `depths` — the territory itself where it
    is not that deep — for a materialised path such as "1.5.23.". Nothing for an empty path."""
    ids = path.strip(".").split(".") if path else []
    for depth in depths:
        if not ids:
            return
        kept = ids[: depth + 1]
        yield depth, int(kept[-1]), ".".join(kept) + "."


def _upsert(table: str, rows: list) -> None:
    """rows: (extra key values, territory id, territory path, Key, delta), in lock order."""
    if not rows:
        return
    extra = ["depth"] if rows[0][0] else []
    ops = connection.ops
    add_counts(
        table,
        [*extra, "territory_id", "territory_path", *STORED_KEY[1:]],
        [*extra, *STORED_KEY],
        [
            (
                *head,
                territory,
                path,
                k.sector,
                k.grade,
                k.status,
                k.is_overdue,
                k.supervision_level,
                k.major_basis_pending,
                ops.adapt_datefield_value(k.found_month),
                ops.adapt_datefield_value(k.late_month),
                n,
            )
            for head, territory, path, k, n in rows
        ],
    )


def add_counts(table: str, columns: list[str], conflict: list[str], rows: list[tuple]) -> None:
    """Add each row's last value (the delta) to the `n` of the summary row with its key (`conflict`), creating it
    where missing: INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n, in batches, in the rows' order
    (the lock order). The same SQL runs on PostgreSQL and SQLite (3.24+)."""
    width = len(columns) + 1
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}, n) VALUES {values} "
                f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET n = {table}.n + excluded.n",
                [value for row in chunk for value in row],
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
            k_late=Case(
                When(late_q(), then=TruncMonth("deadline")), default=NOT_LATE_SQL, output_field=DateField()
            ),
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
            "k_late",
        )
        .annotate(k_n=Count("id"))
    )


def _refill(table: str, statements: list[tuple[str, list]]) -> int:
    """Empty `table` and fill it again by `statements` (INSERT … SELECT), in one transaction; the number of rows.
    On PostgreSQL the table is locked first: readers go on reading the old figures, writers queue until the new
    ones are committed, so no change is lost or counted twice."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        for sql, params in statements:
            cursor.execute(sql, params)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def rebuild(hazard_model=None, with_rollups: bool = True) -> int:
    """Replace the whole table by a recomputation from the hazard rows (after a bulk load, or to repair).
    One INSERT … SELECT … GROUP BY in the database. Writers of hazards wait for it (their upserts queue on the
    table lock), so no change is lost or counted twice. Returns the number of summary rows. (`hazard_model`: the
    historical model, in a data migration.)"""
    table = HazardCount._meta.db_table
    sql, params = _recomputed(hazard_model).query.sql_with_params()
    with transaction.atomic():
        rows = _refill(
            table,
            [
                (
                    f"INSERT INTO {table} (territory_id, territory_path, sector, grade, status, is_overdue, "
                    "supervision_level, major_basis_pending, found_month, late_month, n) "
                    "SELECT k_territory, k_path, k_sector, k_grade, k_status, k_overdue, k_level, k_pending, "
                    f"k_month, k_late, k_n FROM ({sql}) recomputed",
                    params,
                )
            ],
        )
        if with_rollups:  # (not in the data migration that ran before HazardRollup existed)
            rebuild_rollups()
        return rows


def _rolled_up(count_model=None, territory_model=None) -> Counter:
    """{(depth, territory id, path, Key): n} as the own-territory rows say the rolled-up rows should be."""
    from anjian.core.models import Territory

    paths = dict((territory_model or Territory)._base_manager.values_list("pk", "path"))
    expected = Counter()
    rows = (
        (count_model or HazardCount)
        ._base_manager.exclude(n=0)
        .values_list(*STORED_KEY, "n")
        .iterator(chunk_size=5000)
    )
    for r in rows:
        key = key_of_values(*r[:-1])
        for depth, ancestor, path in ancestors(paths.get(key.territory_id, "")):
            expected[(depth, ancestor, path, replace(key, territory_id=ancestor))] += r[-1]
    return expected


def rebuild_rollups(count_model=None, rollup_model=None, territory_model=None, area_model=None) -> int:
    """Replace the rolled-up rows (both tables) by a recomputation from the own-territory rows (after `rebuild`,
    or after a territory moved to another parent: its hazards now roll up to other ancestors). Returns the number
    of HazardRollup rows. (Models: the historical ones, in a data migration; `area_model=False` leaves
    HazardAreaRollup alone.)"""
    rollup_model = rollup_model or HazardRollup
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = _rebuild_rollups_in_sql(count_model or HazardCount, rollup_model, territory_model)
        else:
            rows = _rebuild_rollups_in_python(count_model, rollup_model, territory_model)
        if area_model is not False:  # (not in the data migrations that ran before HazardAreaRollup existed)
            rebuild_area_rollups(rollup_model, area_model)
        return rows


def _rebuild_rollups_in_python(count_model, rollup_model, territory_model) -> int:
    expected = _rolled_up(count_model, territory_model)
    with transaction.atomic():
        rollup_model._base_manager.all().delete()
        rollup_model._base_manager.bulk_create(
            (
                rollup_model(
                    depth=depth,
                    territory_id=territory,
                    territory_path=path,
                    sector=k.sector,
                    grade=k.grade,
                    status=k.status,
                    is_overdue=k.is_overdue,
                    supervision_level=k.supervision_level,
                    major_basis_pending=k.major_basis_pending,
                    found_month=k.found_month,
                    late_month=k.late_month,
                    n=n,
                )
                for (depth, territory, path, k), n in expected.items()
                if n
            ),
            batch_size=2000,
        )
    return sum(1 for n in expected.values() if n)


def _rebuild_rollups_in_sql(count_model, rollup_model, territory_model=None) -> int:
    """rebuild_rollups in one INSERT … SELECT per depth (PostgreSQL): the ancestor is the territory whose path is
    the first depth+1 steps of the territory's own path (all of it where the path is shorter)."""
    from anjian.core.models import Territory

    rollups = rollup_model._meta.db_table
    own = count_model._meta.db_table
    territories = (territory_model or Territory)._meta.db_table
    keys = (
        "sector, grade, status, is_overdue, supervision_level, major_basis_pending, found_month, late_month"
    )
    columns = ", ".join(f"c.{k}" for k in keys.split(", "))
    insert = f"""
        WITH up AS MATERIALIZED (
            SELECT t.id AS own, a.id AS ancestor, a.path AS path
            FROM {territories} t JOIN {territories} a ON a.path = substring(t.path FROM %s)
        )
        INSERT INTO {rollups} (depth, territory_id, territory_path, {keys}, n)
        SELECT %s, up.ancestor, up.path, {columns}, SUM(c.n)
        FROM {own} c JOIN up ON up.own = c.territory_id
        WHERE c.n <> 0
        GROUP BY up.ancestor, up.path, {columns}
        HAVING SUM(c.n) <> 0
        """
    return _refill(
        rollups, [(insert, [rf"^(?:[0-9]+\.){{1,{depth + 1}}}", depth]) for depth in ROLLUP_DEPTHS]
    )


def rebuild_area_rollups(rollup_model=None, area_model=None) -> int:
    """Replace HazardAreaRollup by HazardRollup summed over the columns it does not have (one INSERT … SELECT …
    GROUP BY, the same SQL on PostgreSQL and SQLite). Returns the number of rows."""
    rollups = (rollup_model or HazardRollup)._meta.db_table
    table = (area_model or HazardAreaRollup)._meta.db_table
    kept = "depth, territory_id, territory_path, grade, status, is_overdue, supervision_level, found_month"
    insert = (
        f"INSERT INTO {table} ({kept}, sector, major_basis_pending, late_month, n) "
        f"SELECT {kept}, 0, %s, %s, SUM(n) FROM {rollups} GROUP BY {kept} HAVING SUM(n) <> 0"
    )
    return _refill(table, [(insert, [False, connection.ops.adapt_datefield_value(NOT_LATE)])])


def territory_moved(sender, **kwargs) -> None:
    """A territory moved under another parent: its hazards roll up to other ancestors now."""
    rebuild_rollups()


@dataclass(frozen=True)
class Difference:
    key: Key
    expected: int  # counted from the hazard rows (rolled up: from the own-territory rows)
    stored: int  # in the summary table
    depth: int | None = None  # None: an own-territory row; else the rolled-up depth (HazardRollup)
    area: bool = False  # a row of HazardAreaRollup (no sector, pending flag or late month)

    def __str__(self):
        k = self.key
        table = "分级汇总（不分行业）" if self.area else "分级汇总"
        where = (
            f"区划{k.territory_id}"
            if self.depth is None
            else f"{table}（层级{self.depth}）区划{k.territory_id}"
        )
        late = f" 逾期月份={k.late_month:%Y-%m}" if k.late_month != NOT_LATE else ""
        return (
            f"{where} 行业{k.sector} {k.grade} {k.status} 逾期={k.is_overdue} "
            f"挂牌={k.supervision_level} 待补充={k.major_basis_pending} {k.found_month:%Y-%m}{late}: "
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
            r["k_late"],
        )
        expected[key] += r["k_n"]
    stored = Counter()
    for r in HazardCount.objects.exclude(n=0).values_list(*STORED_KEY, "n").iterator(chunk_size=5000):
        stored[key_of_values(*r[:-1])] += r[-1]
    differences = [
        Difference(key, expected.get(key, 0), stored.get(key, 0))
        for key in sorted(set(expected) | set(stored))
        if expected.get(key, 0) != stored.get(key, 0)
    ]
    return differences + verify_rollups()


def verify_rollups() -> list[Difference]:
    """Rolled-up rows (both tables) that differ from the sum of the own-territory rows under their ancestor (or
    from its path)."""
    expected = _rolled_up()
    expected_area = Counter()
    for (depth, territory, path, key), n in expected.items():
        expected_area[(depth, territory, path, area_key(key))] += n
    differences = []
    for model, wanted in ((HazardRollup, expected), (HazardAreaRollup, expected_area)):
        stored = Counter()
        rows = (
            model.objects.exclude(n=0)
            .values_list("depth", "territory_path", *STORED_KEY, "n")
            .iterator(chunk_size=5000)
        )
        for depth, path, *key, n in rows:
            key = key_of_values(*key)
            stored[(depth, key.territory_id, path, key)] += n
        differences += [
            Difference(
                full[3],
                wanted.get(full, 0),
                stored.get(full, 0),
                depth=full[0],
                area=model is HazardAreaRollup,
            )
            for full in sorted(set(wanted) | set(stored), key=lambda f: (f[0], f[3], f[2]))
            if wanted.get(full, 0) != stored.get(full, 0)
        ]
    return differences
