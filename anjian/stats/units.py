"""Keeping UnitCount equal to the unit rows: the only code that writes the table.

How each change reaches it, always inside the transaction of the change:
- Enterprise.save() (registration, edits, the importer, risk colour recomputed): `unit_saved` reads the row's old
  key under a row lock and moves one unit from the old key to the new one, at depth 0 and at each ancestor;
- deletions: the post_delete signal, `unit_deleted`;
- bulk loads that bypass save() (the province generator) and a territory moved to another parent (its units
  count under other ancestors now): `rebuild()`.
Increments are the same atomic upserts as the hazard counts (INSERT … ON CONFLICT … DO UPDATE), in key order.
"""

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count

from .counts import add_counts, ancestors
from .models import UnitCount

# Depth 0 holds a territory's own units; the rolled-up depths are the city, county and town (a page groups units
# by child territory, so nothing reads a province-level row).
OWN = 0
ROLLUP_DEPTHS = (1, 2, 3)


@dataclass(frozen=True, order=True)
class Key:
    territory_id: int
    status: str
    risk_level: str


def _unit_model():
    return apps.get_model("registry", "Enterprise")


def key_of(unit) -> Key:
    return Key(int(unit.territory_id), str(unit.status), str(unit.risk_level or ""))


def locked_key(pk) -> Key | None:
    """The key of the stored unit row, locked until the end of the transaction (None: no such row yet)."""
    row = (
        _unit_model()
        ._base_manager.select_for_update()
        .filter(pk=pk)
        .values_list("territory_id", "status", "risk_level")
        .first()
    )
    return Key(int(row[0]), str(row[1]), str(row[2] or "")) if row else None


def unit_saved(old: Key | None, unit) -> None:
    """Called by Enterprise.save() after the write, in its transaction."""
    new = key_of(unit)
    if old != new:
        deltas = Counter({new: 1})
        if old is not None:
            deltas[old] -= 1
        apply(deltas)


def unit_deleted(sender, instance, **kwargs) -> None:
    if instance.territory_id:
        apply(Counter({key_of(instance): -1}))


def _spread(deltas: Counter, paths: dict) -> Counter:
    """{(depth, territory id, path, status, risk level): n}: each key at its own territory (depth OWN) and at each
    ancestor of ROLLUP_DEPTHS."""
    spread = Counter()
    for key, n in deltas.items():
        path = paths.get(key.territory_id, "")
        spread[(OWN, key.territory_id, path, key.status, key.risk_level)] += n
        for depth, ancestor, ancestor_path in ancestors(path, ROLLUP_DEPTHS):
            spread[(depth, ancestor, ancestor_path, key.status, key.risk_level)] += n
    return spread


def apply(deltas: Counter) -> None:
    """Add each delta to its rows (depth 0 and rolled up), creating missing rows, locked in key order."""
    from anjian.core.models import Territory

    deltas = Counter({k: n for k, n in deltas.items() if n})
    if not deltas:
        return
    paths = dict(Territory.objects.filter(pk__in={k.territory_id for k in deltas}).values_list("pk", "path"))
    rows = sorted((key, n) for key, n in _spread(deltas, paths).items() if n)
    with transaction.atomic():
        add_counts(
            UnitCount._meta.db_table,
            ["depth", "territory_id", "territory_path", "status", "risk_level"],
            ["depth", "territory_id", "status", "risk_level"],
            [(*key, n) for key, n in rows],
        )


# --- recomputing -----------------------------------------------------------------------------------------------
def expected(unit_model=None, territory_model=None) -> Counter:
    """The table as the unit rows say it should be: one grouped query (a row per territory, status and colour,
    a few hundred thousand at most for a province), spread to the ancestors here."""
    from anjian.core.models import Territory

    paths = dict((territory_model or Territory)._base_manager.values_list("pk", "path"))
    grouped = (
        (unit_model or _unit_model())
        ._base_manager.order_by()
        .values_list("territory_id", "status", "risk_level")
        .annotate(n=Count("id"))
    )
    deltas = Counter()
    for territory, status, level, n in grouped.iterator(chunk_size=5000):
        deltas[Key(int(territory), str(status), str(level or ""))] += n
    return _spread(deltas, paths)


def rebuild(unit_model=None, count_model=None, territory_model=None) -> int:
    """Replace the whole table by a recomputation from the unit rows. Writers of units wait for it (their upserts
    queue on the table lock). Returns the number of rows. (Models: the historical ones, in a data migration.)"""
    count_model = count_model or UnitCount
    rows = expected(unit_model, territory_model)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {count_model._meta.db_table} IN EXCLUSIVE MODE")
        count_model._base_manager.all().delete()
        count_model._base_manager.bulk_create(
            (
                count_model(
                    depth=depth,
                    territory_id=territory,
                    territory_path=path,
                    status=status,
                    risk_level=level,
                    n=n,
                )
                for (depth, territory, path, status, level), n in rows.items()
                if n
            ),
            batch_size=2000,
        )
    return sum(1 for n in rows.values() if n)


def territory_moved(sender, **kwargs) -> None:
    """A territory moved under another parent: its units count under other ancestors now."""
    rebuild()


@dataclass(frozen=True)
class Difference:
    depth: int
    territory_id: int
    status: str
    risk_level: str
    expected: int
    stored: int

    def __str__(self):
        where = "本区划" if self.depth == 0 else f"分级汇总（层级{self.depth}）"
        return (
            f"单位数量 {where} 区划{self.territory_id} {self.status} {self.risk_level or '未评定'}: "
            f"应为 {self.expected}，汇总表为 {self.stored}"
        )


def verify() -> list[Difference]:
    """Every row whose stored count differs from a recomputation from the unit rows (empty: the table is true)."""
    want = Counter({(d, t, s, r): n for (d, t, _p, s, r), n in expected().items() if n})
    stored = Counter()
    rows = UnitCount.objects.exclude(n=0).values_list("depth", "territory_id", "status", "risk_level", "n")
    for depth, territory, status, level, n in rows.iterator(chunk_size=5000):
        stored[(depth, territory, status, level)] += n
    return [
        Difference(*key, want.get(key, 0), stored.get(key, 0))
        for key in sorted(set(want) | set(stored))
        if want.get(key, 0) != stored.get(key, 0)
    ]
