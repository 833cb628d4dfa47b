"""Page timings per role against a generated province (manage.py generate_province), over HTTP through gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_province \
        .venv/bin/python bench/province/bench_pages.py --requests 20

Starts gunicorn on a free loopback port with the Stack helpers of bench/load (this checkout, the given database,
no Redis: local-memory cache, tasks in-process), signs in through /login/ as one account of each level, requests
every page `--requests` times in a row (after two uncounted requests per gunicorn worker) and prints p50/p95 per
page and role as a markdown table. Then compares OFFSET pagination as the Django admin changelist does it (COUNT(*) + LIMIT/OFFSET, first page and page 1,000) with
the keyset pagination the application uses. Nothing is written to the database except sessions and last_login.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))
from stack import REPO, Stack, free_port

PAGES = [
    ("首页", "/", None),
    ("隐患列表", "/hazards/", None),
    ("隐患列表（筛选：整改中·重大）", "/hazards/?status=rectifying&grade=major", None),
    ("隐患列表（逾期）", "/hazards/?is_overdue=true", None),
    ("隐患列表（搜索）", "/hazards/?q=灭火器", None),
    # Two characters (no trigram: the pair index, core.search), and a construction word that a department for
    # other sectors hardly ever finds (the natural plan would walk the whole table: core.pagination.search_page).
    ("隐患列表（搜索两字词）", "/hazards/?q=电梯", None),
    ("隐患列表（搜索“脚手架”）", "/hazards/?q=脚手架", None),
    ("隐患列表（下一页）", "next", None),
    ("隐患详情", "detail", None),
    ("隐患台账", "/hazards/ledger/", None),
    ("企业列表", "/registry/enterprises/", None),
    ("检查记录", "/inspections/", None),
    ("驾驶舱", "/dashboard/", None),
]


class ExistingDatabaseStack(Stack):
    """The load-test stack reduced to gunicorn over an existing database: no private cluster, no Redis."""

    def __init__(self, args):
        super().__init__(args)
        self.src = REPO
        self.database_url = args.database_url

    def env(self):
        env = super().env()
        env["DATABASE_URL"] = self.database_url
        env["STATIC_ROOT"] = str(self.tmp / "static")  # collected here, never into the checkout
        for name in ("CELERY_BROKER_URL", "CACHE_URL"):
            env.pop(name, None)
        return env


def accounts(database_url) -> dict:
    """One account per level: the first of each role and territory kind; the enterprise with most hazards."""
    queries = {
        "省安委办": "SELECT username FROM core_user WHERE username = 'sheng_anweiban'",
        "市安委办": "SELECT u.username FROM core_user u JOIN core_territory t ON t.id = u.territory_id "
        "WHERE u.role = 'office' AND t.kind = 'city' ORDER BY t.code LIMIT 1",
        "县安委办": "SELECT u.username FROM core_user u JOIN core_territory t ON t.id = u.territory_id "
        "WHERE u.role = 'office' AND t.kind = 'county' ORDER BY t.code LIMIT 1",
        "县应急局": "SELECT u.username FROM core_user u JOIN core_territory t ON t.id = u.territory_id "
        "WHERE u.username LIKE 'xian%%_yingji' ORDER BY t.code LIMIT 1",
        "镇街": "SELECT u.username FROM core_user u JOIN core_territory t ON t.id = u.territory_id "
        "WHERE u.role = 'town' ORDER BY t.code LIMIT 1",
        "网格员": "SELECT u.username FROM core_user u WHERE u.role = 'grid' ORDER BY u.id LIMIT 1",
        "企业": "SELECT u.username FROM core_user u WHERE u.role = 'enterprise' ORDER BY "
        "(SELECT count(*) FROM hazards_hazard h WHERE h.enterprise_id = u.enterprise_id) DESC LIMIT 1",
    }
    with psycopg.connect(database_url) as conn:
        return {label: conn.execute(sql).fetchone()[0] for label, sql in queries.items()}


def sign_in(base, username, password) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = session.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
    )
    if r.status_code != 302:
        raise SystemExit(f"{username} 登录失败（HTTP {r.status_code}）：检查 --password")
    return session


def timed(session, url, n) -> tuple[list[float], int]:
    times, status = [], 0
    for _ in range(n):
        started = time.perf_counter()
        r = session.get(url, allow_redirects=False)
        times.append((time.perf_counter() - started) * 1000)
        status = r.status_code
    return times, status


def p(values, q) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def measure_role(base, session, n, only=None, warmup=0) -> dict:
    """p50, p95 and status of each page. `warmup` requests of each page come first and are not counted: the first
    request of a page in each gunicorn worker compiles its templates (1–2 s), which a p95 of a few requests would
    otherwise report as the page's speed."""
    results = {}
    listing = session.get(f"{base}/hazards/").text
    next_link = re.search(r'href="([^"]*cursor=[^"]+)"', listing)
    detail = re.search(r'href="(/hazards/\d+/)"', listing)
    for label, url, _ in PAGES:
        if only and only not in label:
            continue
        if url == "next":
            if not next_link:
                continue
            href = next_link.group(1).replace("&amp;", "&")
            url = href if href.startswith("/") else "/hazards/" + href
        elif url == "detail":
            if not detail:
                continue
            url = detail.group(1)
        if warmup:
            timed(session, base + url, warmup)
        times, status = timed(session, base + url, n)
        results[label] = (p(times, 0.5), p(times, 0.95), status)
    return results


def offset_versus_keyset(database_url, repeats=5) -> list[tuple[str, float]]:
    """The queries of an admin changelist (count, then OFFSET) against the application's keyset page."""
    queries = [
        ("COUNT(*)（分页器总数）", "SELECT count(*) FROM hazards_hazard"),
        ("OFFSET 第 1 页（100 行）", "SELECT * FROM hazards_hazard ORDER BY id DESC LIMIT 100"),
        (
            "OFFSET 第 1000 页（OFFSET 99 900）",
            "SELECT * FROM hazards_hazard ORDER BY id DESC LIMIT 100 OFFSET 99900",
        ),
        (
            "keyset 任意页（id < 游标）",
            "SELECT * FROM hazards_hazard WHERE id < (SELECT max(id) - 99900 FROM "
            "hazards_hazard) ORDER BY id DESC LIMIT 100",
        ),
    ]
    rows = []
    with psycopg.connect(database_url) as conn:
        for label, sql in queries:
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                conn.execute(sql).fetchall()
                times.append((time.perf_counter() - started) * 1000)
            rows.append((label, statistics.median(times)))
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--password", default="Anjian#2026bench")
    parser.add_argument("--requests", type=int, default=20, help="requests per page and role (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--url", help="an already running server instead of starting gunicorn")
    parser.add_argument("--only", help="time only the pages whose label contains this text")
    parser.add_argument(
        "--print-accounts", action="store_true", help="print the accounts as JSON (for locust)"
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("需要 DATABASE_URL=postgres://…（由 generate_province 生成的库）")
    if args.print_accounts:
        print(json.dumps(accounts(args.database_url), ensure_ascii=False))
        return
    stack = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        stack_args = argparse.Namespace(
            workers=args.workers,
            source=str(REPO),
            pg_version=None,
            pg_cluster="main",
            pg_port=urlsplit(args.database_url).port or 5432,
            out=None,
            keep=False,
            users=0,
            minutes=0,
            spawn_rate=0,
            database_url=args.database_url,
            locust="locust",
        )
        stack = ExistingDatabaseStack(stack_args)
        stack.web_port = free_port()
        stack.manage("collectstatic", "--no-input", "-v0")
        stack.start_web()
        base = stack.url
    try:
        users = accounts(args.database_url)
        table = {}
        for role, username in users.items():
            session = sign_in(base, username, args.password)
            table[role] = measure_role(base, session, args.requests, args.only, args.workers * 2)
        labels = [label for label, _u, _x in PAGES if not args.only or args.only in label]
        print(f"\n每格 p50 / p95（毫秒），每页每角色 {args.requests} 次顺序请求；{base}（gunicorn）\n")
        print("| 页面 | " + " | ".join(f"{role}（{users[role]}）" for role in table) + " |")
        print("|---|" + "---:|" * len(table))
        for label in labels:
            cells = []
            for role in table:
                cell = table[role].get(label)
                cells.append(
                    "—"
                    if cell is None
                    else f"{cell[0]:.0f} / {cell[1]:.0f}" + ("" if cell[2] == 200 else f" (HTTP {cell[2]})")
                )
            print(f"| {label} | " + " | ".join(cells) + " |")
        print("\nOFFSET（Django admin changelist 的做法）与 keyset 分页，SQL 中位数（毫秒）：\n")
        print("| 查询 | 毫秒 |\n|---|---:|")
        for label, ms in offset_versus_keyset(args.database_url):
            print(f"| {label} | {ms:.1f} |")
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    main()
