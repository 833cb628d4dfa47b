"""Benchmark: the hazard ledger at province scale (PostgreSQL).

Loads N synthetic hazards (default 1,000,000) with one INSERT … SELECT generate_series, then measures pages as
users load them (Django test client: scope, filters, keyset page, template) against the raw SQL of the same
question, and reports page time ÷ raw SQL time (the page's own main statement re-run through a bare cursor), in one run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_bench .venv/bin/python bench/bench_hazards.py --hazards 1000000

Runs in its own test database, created and dropped here.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

TOWNS, UNITS = 10, 200


def median_time(fn, repeat=9):
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def load(n: int, *, wide: bool = False, unit_prefix: str = "企业", units: int = UNITS):
    """`n` hazards over `units` units in TOWNS towns. `wide`: the text columns hold realistic ledger text (export
    benchmarks), otherwise the shortest values (list benchmarks)."""
    from django.db import connection

    from anjian.core.models import Sector, Territory
    from anjian.registry.models import Enterprise

    province = Territory.objects.create(code="990000", name="省", kind="province")
    city = Territory.objects.create(code="990100", name="市", kind="city", parent=province)
    district = Territory.objects.create(code="990102", name="区", kind="county", parent=city)
    towns = [
        Territory.objects.create(code=f"990102{101 + i}", name=f"镇{i}", kind="town", parent=district)
        for i in range(TOWNS)
    ]
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"{unit_prefix}{i}",
            credit_code=f"B{i:017d}",
            territory=towns[i % TOWNS],
            territory_path=towns[i % TOWNS].path,
        )
        for i in range(units)
    )
    sectors = list(Sector.objects.values_list("pk", flat=True))
    # description prefix, measures, responsible person, inspector names
    text = ("储罐区静电接地线断开，消防通道堆放杂物", "重新敷设接地线", "王五", "张三、李四") if wide else ("隐患", "", "", "")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_units AS
              SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, territory_id, territory_path FROM registry_enterprise;
            INSERT INTO hazards_hazard (number, enterprise_id, territory_id, territory_path, sector_id, location,
              description, category, nature, source, grade, major_clause, status, found_on, registered_at, is_overdue,
              rectified_on_spot, measures, responsible_person, emergency_plan, rectification_note, stop_order,
              supervision_level, void_reason, external_ref, order_number, deadline, inspector_names)
            SELECT 'B' || g, u.id, u.territory_id, u.territory_path, (%s::bigint[])[1 + g %% %s], '', %s || g, '',
              '', 'department', CASE WHEN g %% 20 = 0 THEN 'major' ELSE 'general' END, '',
              (ARRAY['registered','plan_set','rectifying','reported','accepted','closed','closed','closed','closed',
                     'voided'])[1 + g %% 10],
              DATE '2026-01-01' + (g %% 300), now(), g %% 13 = 0, false, %s, %s, '', '', 'none', 0, '', '', '',
              DATE '2026-01-01' + (g %% 330), %s
            FROM generate_series(1, %s) g JOIN bench_units u ON u.n = g %% %s;
            ANALYZE;
            """,
            [sectors, len(sectors), *text, n, units],
        )
    return district, towns


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    if connection.vendor != "postgresql":
        sys.exit("bench_hazards needs PostgreSQL: set DATABASE_URL=postgres://…")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from anjian.core.models import User
        from anjian.core.roles import Role
        from anjian.hazards.models import Hazard

        started = time.perf_counter()
        district, towns = load(args.hazards)
        print(f"loaded {Hazard.objects.count():,} hazards in {time.perf_counter() - started:.0f} s")
        town = towns[3]
        town_user = User.objects.create(username="bench_town", name="镇", role=Role.TOWN, territory=town)
        office = User.objects.create(username="bench_office", name="办", role=Role.OFFICE, territory=district)
        town_client, office_client = Client(), Client()
        town_client.force_login(town_user)
        office_client.force_login(office)

        def main_sql(client, url, marker):
            """The page's own main statement (the hazard query it runs), to re-run as raw SQL."""
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            sql = max((q["sql"] for q in captured.captured_queries if marker in q["sql"]), key=len)

            def run():
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    return cursor.fetchall()

            return run

        def page(client, url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        list_marker, ledger_marker = 'FROM "hazards_hazard"', "GROUP BY"
        questions = [
            (
                "town list, rectifying major",
                town_client,
                "/hazards/?status=rectifying&grade=major",
                list_marker,
            ),
            ("town list, first page", town_client, "/hazards/", list_marker),
            ("district list, first page", office_client, "/hazards/", list_marker),
            ("town list, overdue", town_client, "/hazards/?is_overdue=true", list_marker),
            ("district ledger by town", office_client, "/hazards/ledger/?by=town", ledger_marker),
            ("town ledger by sector", town_client, "/hazards/ledger/?by=sector", ledger_marker),
        ]
        questions = [(name, page(c, url), main_sql(c, url, marker)) for name, c, url, marker in questions]
        print(f"{'question':30} {'page ms':>9} {'raw SQL ms':>11} {'ratio':>6}")
        for name, page_fn, raw_fn in questions:
            page_t, raw_t = median_time(page_fn), median_time(raw_fn)
            print(f"{name:30} {page_t * 1000:9.1f} {raw_t * 1000:11.1f} {page_t / raw_t:6.2f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
