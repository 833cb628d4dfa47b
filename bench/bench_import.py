"""Benchmark: importing a town's hazard ledger as offices keep it (12 monthly sheets, title rows, footers).

Builds an N-row ledger (default 100,000) over U units, then measures, in its own test database: reading the
table (header search, every sheet), the preview (reading and the full check: values, units, duplicates, form
rules; the valid rows kept for the commit) and the all-or-nothing commit of the kept rows (hazards stored
meanwhile, units checked again, numbers, bulk insert, audit entries, summary counts), each with its time,
query count and peak memory (resident set size sampled every 20 ms, and the Python heap's peak by tracemalloc
with --tracemalloc, which slows the run). While the commit runs, another user takes hazard numbers every 100 ms
in their own transaction, from another process: the longest wait shows whether the import blocks registrations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_imp_bench .venv/bin/python bench/bench_import.py --rows 100000

With --api the same file goes the way scripts and the pages send it instead: uploaded to
POST /api/core/imports/hazards/ (the preview job: the file stored, checked, the checked rows stored), then
POST …/commit/ (the commit job), each job in-process as in the embedded mode, the status read from the API.

Runs in its own test database (and media directory), created and dropped here.
"""

import argparse
import gc
import io
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

HEADERS = [
    "序号",
    "被检查单位",
    "存在问题",
    "隐患级别",
    "检查时间",
    "检查人员",
    "整改措施",
    "责任人",
    "整改时限",
    "整改情况",
]
SPELLINGS = ("{y}.{m}.{d}", "{y}年{m}月{d}日", "{y}/{m:02d}/{d:02d}", "{y}-{m:02d}-{d:02d}")


def ledger(rows: int, units: list[str]) -> io.BytesIO:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    per_month = rows // 12 + 1
    written = 0
    for month in range(1, 13):
        sheet = workbook.create_sheet(f"2024年{month}月")
        sheet.append(["甲镇2024年安全生产隐患排查整治台账"])
        sheet.append(["填报单位：甲镇安监站", None, None, None, None, None, None, "填报日期：2024年12月31日"])
        sheet.append(HEADERS)
        for index in range(min(per_month, rows - written)):
            n = written + index
            day = 1 + n % 28
            found = SPELLINGS[n % 4].format(y=2024, m=month, d=day)
            sheet.append(
                [
                    index + 1,
                    units[n % len(units)],
                    f"第{n}处：消防通道堵塞",
                    "重大" if n % 50 == 0 else "一般",
                    found,
                    "张三、李四",
                    "清理通道",
                    "王五",
                    f"2024.{month}.28",
                    ("已整改", "整改中", "未整改")[n % 3],
                ]
            )
        written += min(per_month, rows - written)
        sheet.append(["合计", f"{written}处"])
        sheet.append(["制表人：张三", None, None, "审核人：李四"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "ledger.xlsx"
    return data


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@contextmanager
def measured(label: str, use_tracemalloc: bool):
    """Time, peak RSS (sampled) and, optionally, the Python heap's peak of one phase."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    start_rss, peak = rss_mb(), [rss_mb()]
    stop = threading.Event()

    def sample():
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if use_tracemalloc:
        tracemalloc.start()
    info = {}
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        yield info
        elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    heap = ""
    if use_tracemalloc:
        heap = f", Python heap peak {tracemalloc.get_traced_memory()[1] / 1e6:.0f} MB"
        tracemalloc.stop()
    rows = info.get("rows")
    rate = f" ({rows / elapsed:,.0f} rows/s)" if rows else ""
    print(
        f"{label}: {elapsed:.1f} s{rate}, {len(queries)} queries, "
        f"RSS {start_rss:.0f} → peak {peak[0]:.0f} MB (+{peak[0] - start_rss:.0f}){heap}"
        + (f" — {info['note']}" if info.get("note") else "")
    )


def take_numbers(dsn: str, year: int, stop, waits) -> None:
    """Another user registering hazards, in a process of its own (so this process's work cannot delay it):
    takes one hazard number every 100 ms, as services.next_hazard_number does (row lock on the year's counter),
    and records how long each took."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        while not stop.wait(0.1):
            start = time.perf_counter()
            with conn.transaction():
                conn.execute(
                    "INSERT INTO core_documentcounter (key, year, last_number) VALUES (%s, %s, 0) "
                    "ON CONFLICT (key, year) DO NOTHING",
                    ["hazards.hazard", year],
                )
                conn.execute(
                    "SELECT last_number FROM core_documentcounter WHERE key = %s AND year = %s FOR UPDATE",
                    ["hazards.hazard", year],
                )
                conn.execute(
                    "UPDATE core_documentcounter SET last_number = last_number + 1 WHERE key = %s AND year = %s",
                    ["hazards.hazard", year],
                )
            waits.append(time.perf_counter() - start)


def start_registrar(connection, year: int):
    if connection.vendor != "postgresql":
        return None
    settings = connection.settings_dict
    dsn = (
        f"dbname={settings['NAME']} user={settings['USER'] or 'postgres'} host={settings['HOST'] or 'localhost'}"
        f" port={settings['PORT'] or 5432}"
        + (f" password={settings['PASSWORD']}" if settings.get("PASSWORD") else "")
    )
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    stop, waits = manager.Event(), manager.list()
    process = context.Process(target=take_numbers, args=(dsn, year, stop, waits), daemon=True)
    process.start()
    return manager, process, stop, waits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the Python heap (slower)")
    parser.add_argument("--api", action="store_true", help="through the import API and its jobs")
    args = parser.parse_args()

    media = tempfile.TemporaryDirectory()
    os.environ["MEDIA_ROOT"] = media.name
    os.environ.pop("CELERY_BROKER_URL", None)  # the jobs run in-process, as in the embedded mode
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    try:
        from anjian.core.importing import get_importer
        from anjian.core.importing.base import MAX_ROWS
        from anjian.core.models import AuditEntry
        from anjian.core.roles import Role
        from anjian.core.testing import build_cast
        from anjian.hazards.models import Hazard
        from anjian.registry.models import Enterprise

        cast = build_cast()
        units = [f"甲镇第{i}号有限公司" for i in range(args.units)]
        Enterprise.objects.bulk_create(
            Enterprise(
                name=name,
                credit_code=f"B{i:017d}",
                territory=cast.village_a,
                territory_path=cast.village_a.path,
            )
            for i, name in enumerate(units)
        )
        assert cast.town_a_user.role == Role.TOWN and args.rows <= MAX_ROWS

        start = time.perf_counter()
        content = ledger(args.rows, units).getvalue()
        print(
            f"ledger: {args.rows} rows, 12 sheets, {len(content) / 1e6:.1f} MB, "
            f"built in {time.perf_counter() - start:.1f} s; database {connection.vendor}"
        )

        def upload():
            data = io.BytesIO(content)
            data.name = "ledger.xlsx"
            return data

        if args.api:
            through_api(cast.town_a_user, upload, args)
            return

        with measured("find the table + read", args.tracemalloc) as info:
            read = get_importer("hazards")(cast.town_a_user).read_table(upload())
            info["rows"] = sum(1 for _ in read.rows)
            info["note"] = read.note

        kept = tempfile.TemporaryFile()  # noqa: SIM115 (kept until the commit, closed at exit)
        with measured(
            "preview: read + check (values, units, duplicates, form rules)", args.tracemalloc
        ) as info:
            result = get_importer("hazards")(cast.town_a_user).parse(upload(), keep=kept)
            info["rows"] = result.total
            info["note"] = f"checked rows kept: {kept.tell() / 1e6:.1f} MB"
        assert not result.errors, result.errors[:5]
        assert result.total == args.rows and result.new == args.rows

        registrar = start_registrar(connection, 2024)
        time.sleep(1)  # let it start
        kept.seek(0)
        with measured(
            "commit (rows stored meanwhile, units again, numbers, bulk insert, audit, counts)",
            args.tracemalloc,
        ) as info:
            counts = get_importer("hazards")(cast.town_a_user).commit_checked(kept)
            info["rows"] = counts["created"]
        assert counts["created"] == args.rows and Hazard.objects.count() == args.rows
        print(
            f"  {counts}; {AuditEntry.objects.filter(action='hazard.registered').count()} hazard.registered entries"
        )
        report_registrar(registrar)
    finally:
        teardown_databases(old, verbosity=0)
        media.cleanup()


def through_api(user, upload, args) -> None:
    """The upload, preview job and commit job as a script drives them (jobs in-process)."""
    from django.db import connection
    from rest_framework.test import APIClient

    from anjian.hazards.models import Hazard

    client = APIClient()
    client.force_authenticate(user)
    with measured(
        "API: upload + preview job (file stored, read, checked, checked rows stored)", args.tracemalloc
    ) as info:
        created = client.post("/api/core/imports/hazards/", {"file": upload()}, format="multipart")
        assert created.status_code == 201, created.content[:500]
        url = f"/api/core/imports/hazards/{created.json()['id']}/"
        batch = client.get(url).json()
        info["rows"] = batch["total_rows"]
        info["note"] = f"status {batch['status']}, {len(batch['errors'])} errors"
    assert batch["status"] == "ready", batch
    registrar = start_registrar(connection, 2024)
    time.sleep(1)
    with measured(
        "API: commit job (rows stored meanwhile, units, numbers, insert, audit, counts)", args.tracemalloc
    ) as info:
        committed = client.post(url + "commit/")
        assert committed.status_code == 202, committed.content[:500]
        batch = client.get(url).json()
        info["rows"] = Hazard.objects.count()
        info["note"] = f"status {batch['status']}"
    assert batch["status"] == "done" and Hazard.objects.count() == args.rows, batch
    report_registrar(registrar)


def report_registrar(registrar) -> None:
    if not registrar:
        return
    manager, process, stop, waits = registrar
    stop.set()
    process.join()
    waits = list(waits)
    manager.shutdown()
    print(
        f"  another user's numbers taken during the commit (own process, own transaction): {len(waits)}, "
        f"longest wait {max(waits) * 1000:.0f} ms, median {sorted(waits)[len(waits) // 2] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
