"""The crawler: every page × role × filter (normal and htmx), first detail pages, fragments and filtered
exports, over the demo district as `make demo` builds it. Zero 5xx; each export equals its filtered list.

The demo district shares its codes with the test cast, so it is built in a database of its own (a file next
to the test's temporary files on SQLite; `<name>_crawl` beside the test database on PostgreSQL) by the same
commands a user runs, and crawled there in a separate process.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from anjian.core.crawler import Crawler, parse_page, url_shape
from anjian.core.roles import Role
from anjian.core.testing import make_user

ROOT = Path(__file__).resolve().parents[3]

LIST_HTML = """
<a href="/hazards/?export=xlsx&grade=major" data-testid="export">导出</a>
<form class="filters" method="get">
  <select name="grade"><option value="">全部</option><option value="general">一般</option>
    <option value="major">重大</option></select>
  <input type="text" name="q"><input type="text" name="found_after">
  <input type="checkbox" name="status" value="open"><input type="checkbox" name="status" value="closed">
</form>
<div id="results"><table data-testid="object-table"><tbody>
  <tr><td>1</td><td><a href="/hazards/7/">隐患 7</a></td></tr>
  <tr><td>2</td><td><a href="/hazards/8/">隐患 8</a></td></tr>
</tbody></table>
<a href="?cursor=abc&grade=major" data-testid="next-page">下一页</a>
<div hx-get="/notifications/badge/" hx-trigger="load" id="todo-badge"></div></div>
"""


def test_parser_reads_filters_rows_links_and_fragments():
    page = parse_page(LIST_HTML)
    assert page.filters["grade"] == {"kind": "select", "options": ["general", "major"]}
    assert page.filters["status"]["options"] == ["open", "closed"]
    assert page.table_rows == 2
    assert page.result_links == ["/hazards/7/", "/hazards/8/"]
    assert page.next_url.startswith("?cursor=")
    assert page.export_url.startswith("/hazards/?export=xlsx")
    assert page.hx_gets == [("/notifications/badge/", "todo-badge")]


def test_empty_note_row_is_not_a_record():
    html = '<table data-testid="object-table"><tbody><tr><td colspan="5">没有符合条件的记录。</td></tr></tbody></table>'
    assert parse_page(html).table_rows == 0


def test_filter_values_cover_each_filter_with_samples():
    values = list(Crawler()._filter_values(parse_page(LIST_HTML).filters))
    assert [("grade", "general")] in values and [("grade", "major")] in values
    assert [("found_after", "2026-01-01")] in values  # a date-like text field gets a date
    assert [("q", "安全")] in values
    assert [("status", "closed")] in values


def test_url_shape_visits_one_page_per_shape():
    assert url_shape("/hazards/12/?tab=photos&cursor=x") == url_shape("/hazards/99/?tab=log")
    assert url_shape("/hazards/12/") != url_shape("/hazards/12/edit/")


def test_crawler_finds_a_broken_htmx_filter(cast, settings, monkeypatch):
    """The crawler must notice what users hit: a list whose htmx filter answers 500."""
    from anjian.core.views.generic import ObjectListView

    monkeypatch.setattr(ObjectListView, "results_template", "core/no-such-template.html#results")
    crawler = Crawler(follow_links=False)
    crawler.crawl_user(cast.office, role="office", start=["/core/organisations/"])
    broken = [f for f in crawler.report.failures if f.htmx and "/core/organisations/" in f.url]
    assert broken and "TemplateDoesNotExist" in broken[0].detail
    assert not [f for f in crawler.report.failures if not f.htmx]


def test_crawler_compares_a_filtered_export_with_its_list(cast, monkeypatch):
    """The export check must fetch the export (not a page) and notice an export that loses a row."""
    from anjian.core.views.generic import ObjectListView

    for number in range(3):
        make_user(f"crawl_export_{number}", Role.GRID, territory=cast.village_a)
    crawler = Crawler(follow_links=False)
    crawler.crawl_user(cast.sys_admin, role="sys_admin", start=["/core/users/"])
    assert crawler.report.exports and not crawler.report.mismatches and not crawler.report.failures

    original = ObjectListView.export_rows

    def one_row_short(self, queryset):
        rows = list(original(self, queryset))
        return rows[1:]

    monkeypatch.setattr(ObjectListView, "export_rows", one_row_short)
    crawler = Crawler(follow_links=False)
    crawler.crawl_user(cast.sys_admin, role="sys_admin", start=["/core/users/"])
    assert any("/core/users/" in m for m in crawler.report.mismatches), crawler.report.mismatches


def _demo_database_url(tmp_path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'crawl.sqlite3'}", lambda: None
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_crawl"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def recreate(drop_only=False):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                conn.execute(f'CREATE DATABASE "{name}"')

    recreate()
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: recreate(drop_only=True)


@pytest.mark.long
def test_crawl_of_the_demo_district_every_role(tmp_path):
    database_url, drop = _demo_database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(tmp_path / "media")}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args, check=True):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert not check or result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    try:
        manage("migrate", "--noinput", "-v0")
        manage("demo_data")
        result = manage("crawl", check=False)
    finally:
        drop()
    print(result.stdout[-4000:])
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
    summary = next(line for line in result.stdout.splitlines() if line.startswith("crawl: "))
    counts = {k: int(v) for k, v in (part.split("=") for part in summary.removeprefix("crawl: ").split())}
    # Guards against a crawl that silently visits nothing (a login that failed, a parser that broke).
    assert counts["pages"] > 500, summary
    assert counts["filters"] > 1000 and counts["htmx"] > 1000, summary
    assert counts["exports"] > 50, summary  # exports compared with their filtered lists
