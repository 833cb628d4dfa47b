"""Benchmark: importing a town's hazard ledger as offices keep it (12 monthly sheets, title rows, footers).

Builds an N-row ledger (default 100,000) over U units, then measures, in its own test database:
reading the table (header search, every sheet), the full parse (values, units, duplicates, form rules) with
its query count, and the all-or-nothing commit of the first `--commit` rows:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_imp_bench .venv/bin/python bench/bench_import.py --rows 100000

Runs in its own test database, created and dropped here.
"""

import argparse
import io
import os
import sys
import time
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--commit", type=int, default=5_000, help="rows committed (0: none)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    try:
        from anjian.core.importing import get_importer
        from anjian.core.importing.base import MAX_ROWS
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
        data = ledger(args.rows, units)
        print(
            f"ledger: {args.rows} rows, 12 sheets, {len(data.getbuffer()) / 1e6:.1f} MB, "
            f"built in {time.perf_counter() - start:.1f} s"
        )

        importer = get_importer("hazards")(cast.town_a_user)
        start = time.perf_counter()
        read = importer.read_table(data)
        elapsed = time.perf_counter() - start
        print(
            f"find the table + read: {elapsed:.1f} s ({len(read.rows) / elapsed:,.0f} rows/s) — {read.note}"
        )

        data.seek(0)
        importer = get_importer("hazards")(cast.town_a_user)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = importer.parse(data)
            elapsed = time.perf_counter() - start
        assert not result.errors, result.errors[:5]
        print(
            f"parse (values, units, duplicates, form rules): {elapsed:.1f} s "
            f"({len(result.rows) / elapsed:,.0f} rows/s), {len(queries)} queries"
        )

        if args.commit:
            small = ledger(args.commit, units)
            importer = get_importer("hazards")(cast.town_a_user)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                counts = importer.commit(small)
                elapsed = time.perf_counter() - start
            print(
                f"commit {args.commit} rows: {elapsed:.1f} s ({args.commit / elapsed:,.0f} rows/s), "
                f"{len(queries)} queries, {counts}"
            )
            assert Hazard.objects.count() == counts["created"]
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
