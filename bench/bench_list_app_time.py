"""Benchmark: application (Python) time per list page, apart from the time spent in the database.

Each page is requested through the whole middleware stack (Django test client, signed-in user). Reported per page,
in milliseconds: "cpu" = CPU time of the serving thread (Python, including building SQL and reading rows; not
disturbed by other processes on a busy machine), "app" = wall time − time inside SQL statements (summed by an
execute wrapper), "sql" and the wall-clock total:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_h2_bench \
        .venv/bin/python bench/bench_list_app_time.py --hazards 300000 --repeat 40

The database named by DATABASE_URL is migrated and filled on the first run (synthetic province: 2 cities, 4
districts, 40 towns, 2,000 units, N hazards; one town without any overdue hazard) and reused afterwards.
`--profile URL` prints the cProfile of one page instead (the 25 most expensive functions by cumulative time).
"""

import argparse
import cProfile
import html
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

CITIES, DISTRICTS_PER_CITY, TOWNS_PER_DISTRICT, UNITS = 2, 2, 10, 2000
PHRASES = [
    "配电箱未接地",
    "消防通道堵塞",
    "安全出口指示灯损坏",
    "灭火器过期未更换",
    "粉尘清扫记录缺失",
    "有限空间作业未审批",
    "特种作业人员无证上岗",
    "危险化学品储存超量",
    "电缆线路私拉乱接",
    "防护栏杆缺失",
]
UNIT_WORDS = ["机械", "化工", "纺织", "食品", "建材", "物流", "电子", "五金"]


def load(hazards: int) -> None:
    from django.db import connection

    from anjian.core.models import Sector, Territory
    from anjian.registry.models import Enterprise

    province = Territory.objects.create(code="980000", name="测试省", kind="province")
    towns = []
    for c in range(CITIES):
        city = Territory.objects.create(
            code=f"98{c + 1:02d}00", name=f"测试市{c}", kind="city", parent=province
        )
        for d in range(DISTRICTS_PER_CITY):
            district = Territory.objects.create(
                code=f"98{c + 1:02d}{d + 1:02d}", name=f"测试区{c}{d}", kind="county", parent=city
            )
            towns += [
                Territory.objects.create(
                    code=f"98{c + 1:02d}{d + 1:02d}{t + 101:03d}",
                    name=f"测试镇{c}{d}{t}",
                    kind="town",
                    parent=district,
                )
                for t in range(TOWNS_PER_DISTRICT)
            ]
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"测试{UNIT_WORDS[i % len(UNIT_WORDS)]}有限公司{i}",
            credit_code=f"B{i:017d}",
            territory=towns[i % len(towns)],
            territory_path=towns[i % len(towns)].path,
        )
        for i in range(UNITS)
    )
    sectors = list(Sector.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        # Town 0 (the first town's units, n % 40 = 0) never has an overdue hazard: the zero-match case.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_units AS
              SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, territory_id, territory_path
              FROM registry_enterprise WHERE credit_code LIKE 'B%%';
            INSERT INTO hazards_hazard (number, enterprise_id, territory_id, territory_path, sector_id, location,
              description, category, nature, source, grade, major_clause, status, found_on, registered_at, is_overdue,
              rectified_on_spot, measures, responsible_person, emergency_plan, rectification_note, stop_order,
              supervision_level, void_reason, external_ref, order_number, deadline, inspector_names,
              major_basis_pending)
            SELECT 'BH' || g, u.id, u.territory_id, u.territory_path, (%s::bigint[])[1 + g %% %s],
              (ARRAY['一号车间','仓库','配电房','办公楼','锅炉房'])[1 + g %% 5],
              (%s::text[])[1 + g %% %s] || '（第' || g || '号）', '', '', 'department',
              CASE WHEN g %% 20 = 0 THEN 'major' ELSE 'general' END, '',
              (ARRAY['registered','plan_set','rectifying','reported','accepted','closed','closed','closed','closed',
                     'voided'])[1 + g %% 10],
              DATE '2026-01-01' + (g %% 300), now(), g %% 13 = 0 AND u.n %% %s <> 0 AND g < %s * 0.7,
              false, '', '', '', '', 'none', 0, '', '', '',
              DATE '2026-01-01' + (g %% 330), '', false
            FROM generate_series(1, %s) g JOIN bench_units u ON u.n = g %% %s;
            ANALYZE;
            """,
            [sectors, len(sectors), PHRASES, len(PHRASES), len(towns), hazards, hazards, UNITS],
        )


def p50(values):
    return statistics.median(values)


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.95))]


def users():
    from anjian.core.models import Territory, User
    from anjian.core.roles import Role

    district = Territory.objects.get(code="980101")
    empty_town = Territory.objects.get(code="980101101")
    office, _ = User.objects.get_or_create(
        username="bench_office", defaults={"name": "区安委办", "role": Role.OFFICE, "territory": district}
    )
    town, _ = User.objects.get_or_create(
        username="bench_town", defaults={"name": "镇安监", "role": Role.TOWN, "territory": empty_town}
    )
    return office, town


PAGES = [
    ("district: first page", "office", "/hazards/"),
    ("district: status+grade", "office", "/hazards/?status=rectifying&grade=major"),
    ("district: next page", "office", "NEXT:/hazards/"),
    ("district: overdue", "office", "/hazards/?is_overdue=true"),
    ("district: search description", "office", "/hazards/?q=消防通道"),
    ("district: htmx results", "office", "HTMX:/hazards/?status=registered"),
    ("town (none overdue): overdue", "town", "/hazards/?is_overdue=true"),
    ("district: enterprises", "office", "/registry/enterprises/"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", default="", help="a URL to profile as the district user")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    parser.add_argument("--lines", type=int, default=25)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from anjian.hazards.models import Hazard

    # No setup_test_environment(): its instrumented template rendering would be counted as app time.
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    if not Hazard.objects.filter(number__startswith="BH").exists():
        started = time.perf_counter()
        load(args.hazards)
        print(f"loaded {args.hazards:,} hazards in {time.perf_counter() - started:.0f} s")
    office, town = users()
    clients = {"office": Client(), "town": Client()}
    clients["office"].force_login(office)
    clients["town"].force_login(town)

    sql_time = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - start

    def request(client, url):
        headers = {}
        if url.startswith("HTMX:"):
            url = url[5:]
            headers = {"HX-Request": "true", "HX-Target": "results"}
        if url.startswith("NEXT:"):
            first = client.get(url[5:]).content.decode()
            url = html.unescape(re.search(r'href="([^"]*)" data-testid="next-page"', first).group(1))
        sql_time[0] = 0.0
        start, cpu_start = time.perf_counter(), time.thread_time()
        response = client.get(url, headers=headers)
        total, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
        assert response.status_code == 200, (url, response.status_code)
        return total, sql_time[0], cpu

    with connection.execute_wrapper(timed):
        if args.profile:
            request(clients["office"], args.profile)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                request(clients["office"], args.profile)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
            if os.environ.get("BENCH_PROFILE_DUMP"):
                profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
            return
        print(
            f"{'page':32} {'cpu p50':>8} {'cpu p95':>8} {'app p50':>8} {'app p95':>8} {'sql p50':>8} {'total p95':>9}"
        )
        for name, who, url in PAGES:
            client = clients[who]
            for _ in range(3):
                request(client, url)  # warm caches, as a running server would be
            samples = [request(client, url) for _ in range(args.repeat)]
            cpu = [c * 1000 for _, _, c in samples]
            app = [(t - s) * 1000 for t, s, _ in samples]
            sql = [s * 1000 for _, s, _ in samples]
            total = [t * 1000 for t, _, _ in samples]
            print(
                f"{name:32} {p50(cpu):8.1f} {p95(cpu):8.1f} {p50(app):8.1f} {p95(app):8.1f} {p50(sql):8.1f} "
                f"{p95(total):9.1f}"
            )


if __name__ == "__main__":
    main()
