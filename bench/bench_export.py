"""Benchmark: a million-row hazard ledger exported as a background job, in constant memory.

Loads N hazards (default 1,000,000) into its own test database, then runs the export job of the hazard ledger
(the 17-column 隐患排查治理台账, as the district office sees it: scope, filterset and ledger layout of the page)
and reports rows/s (per wall second and per CPU second of this process: the database server's work is not
in the latter), the file size and the memory: the peak of Python allocations during the
job (`--tracemalloc`) and the process's peak RSS before and after (resource.getrusage). `--writer-only` also times
the spreadsheet writer alone on generated rows (XlsxWriter now, openpyxl's write-only mode as before):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_h3 .venv/bin/python bench/bench_export.py --rows 1000000

Runs in its own test database (test_<name>), created and dropped here. PostgreSQL only (the load is one SQL
statement); `--writer-only` alone needs no database.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_hazards
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")



def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def load(n: int):
    from bench_hazards import load as load_hazards

    district, _towns = load_hazards(n, wide=True, unit_prefix="测试化工有限公司", units=2000)
    return district


def bench_writers(rows: int) -> None:
    from openpyxl import Workbook

    from anjian.core.exports import write_xlsx_streaming

    def generated():
        day = date(2026, 1, 1)
        for i in range(rows):
            yield [i, f"YH{i:08d}", "测试化工有限公司", "储罐区静电接地线断开" * 2, "一般隐患", day, "张三",
                   "重新敷设", "王五", day, "已整改", "", "", "", "已销号", "", ""]  # fmt: skip

    with tempfile.TemporaryFile() as handle:
        start, cpu = time.perf_counter(), time.process_time()
        write_xlsx_streaming(handle, "隐患台账", [f"列{i}" for i in range(17)], generated(), title="隐患台账")
        report("writer XlsxWriter (constant_memory)", rows, start, cpu)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("隐患台账")
    start, cpu = time.perf_counter(), time.process_time()
    for row in generated():
        sheet.append(row)
    workbook.save(io.BytesIO())
    report("writer openpyxl (write_only)", rows, start, cpu)


def report(what: str, rows: int, start: float, cpu: float) -> None:
    # CPU seconds of this process as well as wall time: on a shared machine the wall time says little.
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{what}: {rows:,} rows in {wall:.1f} s wall = {rows / wall:,.0f} rows/s; "
        f"{used:.1f} s CPU = {rows / used:,.0f} rows per CPU-second"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--writer-only", action="store_true", help="time the spreadsheet writers alone")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slows the job down)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    if args.writer_only:
        bench_writers(args.rows)
        return

    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    if connection.vendor != "postgresql":
        sys.exit("bench_export needs PostgreSQL: set DATABASE_URL=postgres://…")
    setup_test_environment()
    media = tempfile.TemporaryDirectory()
    settings.MEDIA_ROOT = media.name
    settings.CELERY_TASK_ALWAYS_EAGER = True
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from anjian.core.export_jobs import run_export_job, scope_key
        from anjian.core.models import ExportJob, User
        from anjian.core.roles import Role

        start = time.perf_counter()
        district = load(args.rows)
        print(f"loaded {args.rows:,} hazards in {time.perf_counter() - start:.0f} s")
        office = User.objects.create(username="bench_office", role=Role.OFFICE, territory=district)
        job = ExportJob.objects.create(
            created_by=office,
            export_name="隐患台账",
            list_path="/hazards/",
            scope_key=scope_key(office),
        )
        rss_before = peak_rss_mb()
        if args.tracemalloc:
            tracemalloc.start()
        start, cpu = time.perf_counter(), time.process_time()
        run_export_job(job.pk)
        if args.tracemalloc:
            traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        job.refresh_from_db()
        if job.status != ExportJob.Status.DONE:
            sys.exit(f"export failed: {job.error}")
        report("export job (17-column hazard ledger)", job.rows_done, start, cpu)
        print(f"file {job.file.size / 1024 / 1024:.1f} MB")
        print(f"memory: process peak RSS {rss_before:.0f} MB before the job, {peak_rss_mb():.0f} MB after")
        if args.tracemalloc:
            print(f"memory: Python allocations peak {traced_peak / 1024 / 1024:.1f} MB during the job")
    finally:
        teardown_databases(old, verbosity=0)
        media.cleanup()


if __name__ == "__main__":
    main()
