"""Benchmark: the territory-scoped list (the hottest query) against raw SQL for the same question.

Builds a synthetic province (cities → counties → towns → villages) and N enterprises spread over the villages,
then measures, in one run:
  1. a town user's first list page through `restrict()` + keyset pagination, vs the same SELECT in raw SQL;
  2. the next page (keyset, deep in the list) vs raw SQL;
  3. "this territory and everything below it" for a county (Territory.objects.subtree) vs raw SQL.
Reports each as a ratio (ORM time ÷ raw SQL time), so figures compare across machines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_bench .venv/bin/python bench/bench_scope.py --enterprises 1000000

Runs against its own database (created and dropped by the Django test runner machinery).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")


def timed(fn, repeat=15):
    fn()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build(n_enterprises: int):
    from anjian.core.models import Territory
    from anjian.registry.models import Enterprise

    t = Territory.objects.create
    province = t(code="990000", name="省", kind="province")
    villages = []  # (town, village) — villages go in by bulk_create, their paths are set from the town's
    for c in range(1, 4):
        city = t(code=f"99{c:02d}00", name=f"市{c}", kind="city", parent=province)
        for d in range(1, 6):
            county = t(code=f"99{c:02d}{d:02d}", name=f"县{c}-{d}", kind="county", parent=city)
            for w in range(1, 11):
                town = t(
                    code=f"{county.code}{100 + w:03d}", name=f"镇{c}-{d}-{w}", kind="town", parent=county
                )
                villages.extend(
                    (
                        town,
                        Territory(
                            code=f"{town.code}{200 + v:03d}", name=f"村{v}", kind="village", parent=town
                        ),
                    )
                    for v in range(1, 11)
                )
    Territory.objects.bulk_create([v for _town, v in villages], batch_size=2000)
    for town, village in villages:
        village.path, village.depth = f"{town.path}{village.pk}.", 4
    Territory.objects.bulk_update([v for _town, v in villages], ["path", "depth"], batch_size=2000)
    batch = []
    for i in range(n_enterprises):
        village = villages[i % len(villages)][1]
        batch.append(
            Enterprise(
                name=f"企业{i:07d}",
                credit_code=f"B{i:017d}",
                territory_id=village.pk,
                territory_path=village.path,
            )
        )
        if len(batch) == 20000:
            Enterprise.objects.bulk_create(batch)
            batch = []
    Enterprise.objects.bulk_create(batch)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=200_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from anjian.core.models import Territory, User
        from anjian.core.pagination import keyset_page
        from anjian.core.roles import Role
        from anjian.core.scope import restrict
        from anjian.registry.models import Enterprise

        started = time.perf_counter()
        build(args.enterprises)
        print(
            f"built {Enterprise.objects.count():,} enterprises in {time.perf_counter() - started:.0f} s "
            f"on {connection.vendor}"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        town = Territory.objects.filter(kind="town").order_by("pk")[7]
        county = Territory.objects.filter(kind="county").order_by("pk")[3]
        user = User(username="bench", role=Role.TOWN, territory=town, is_active=True)
        ordering = ("name", "id")
        size = 50

        def orm_first():
            return keyset_page(restrict(Enterprise.objects.all(), user), ordering, None, size).items

        first = orm_first()
        cursor_value = keyset_page(restrict(Enterprise.objects.all(), user), ordering, None, size).next_cursor

        def orm_next():
            return keyset_page(restrict(Enterprise.objects.all(), user), ordering, cursor_value, size).items

        last = first[-1]
        raw_first_sql = (
            "SELECT * FROM registry_enterprise WHERE territory_path LIKE %s ORDER BY name, id LIMIT %s"
        )
        raw_next_sql = (
            "SELECT * FROM registry_enterprise WHERE territory_path LIKE %s AND (name > %s OR (name = %s AND id > %s))"
            " ORDER BY name, id LIMIT %s"
        )

        def raw(sql, params):
            def run():
                with connection.cursor() as c:
                    c.execute(sql, params)
                    return c.fetchall()

            return run

        results = [
            (
                "town list, first page",
                timed(orm_first),
                timed(raw(raw_first_sql, [town.path + "%", size + 1])),
            ),
            (
                "town list, next page (keyset)",
                timed(orm_next),
                timed(raw(raw_next_sql, [town.path + "%", last.name, last.name, last.pk, size + 1])),
            ),
            (
                "county subtree territories",
                timed(lambda: list(Territory.objects.subtree(county))),
                timed(
                    raw("SELECT * FROM core_territory WHERE path LIKE %s ORDER BY path", [county.path + "%"])
                ),
            ),
        ]
        if connection.vendor == "postgresql":
            page_qs = restrict(Enterprise.objects.all(), user).order_by(*ordering)[: size + 1]
            plan = page_qs.explain()
            print("plan of the town list page:", " | ".join(line.strip() for line in plan.splitlines()[:6]))
        print(f"{'question':36} {'ORM ms':>8} {'raw ms':>8} {'ratio':>6}")
        for name, orm_t, raw_t in results:
            print(f"{name:36} {orm_t * 1000:8.2f} {raw_t * 1000:8.2f} {orm_t / raw_t:6.2f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
