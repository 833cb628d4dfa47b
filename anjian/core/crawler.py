"""Walk the site as each user would: every page reachable from the menu, every list filter (as a normal and
as an htmx request), the first detail page of every list, every htmx fragment a page loads, and each list's
Excel export with a filter applied, whose rows must equal the filtered list's rows.

Used by `manage.py crawl` (a smoke test of a running installation's data) and by the crawler test, which runs
it over the demo district for every role. Requests go through Django's test client, in process: no server.
"""

import io
import re
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.signals import got_request_exception
from django.test import Client, override_settings

from .navigation import menu_for

PLAIN_STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
SKIP_PREFIXES = ("/logout", "/static/", "/api/docs", "/api/schema", "/admin/")
# Pages whose GET changes state or leaves the site are not links to follow.
SKIP_PATTERNS = (re.compile(r"/(delete|logout)/?$"),)
TEXT_SAMPLES = ("安全",)
DATE_SAMPLE = "2026-01-01"
DATE_NAME = re.compile(r"(date|_at|after|before|since|until|from|_to|month)$|^(start|end)")
MAX_OPTIONS_PER_FILTER = 3
MAX_LIST_PAGES = 40  # how far the export check pages through a list


class _PageParser(HTMLParser):
    """Collects links, htmx GET URLs, the list's filter form and the links inside the results table."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.hx_gets: list[tuple[str, str]] = []  # (url, target id)
        self.filters: dict[str, dict] = {}  # name -> {"kind": ..., "options": [...]}
        self.result_links: list[str] = []
        self.table_rows = 0
        self.next_url = ""
        self.export_url = ""
        self._in_filter_form = False
        self._select: str | None = None
        self._table_depth = 0
        self._in_tbody = False
        self._row_has_link_or_cells = False
        self._row_is_empty_note = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("hx-get") and tag != "form":
            target = (a.get("hx-target") or "").lstrip("#")
            if not target or target == "this" or " " in target:
                target = a.get("id", "")
            self.hx_gets.append((a["hx-get"], target))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if a.get("data-testid") == "next-page":
                self.next_url = a["href"]
            if a.get("data-testid") == "export":
                self.export_url = a["href"]
            if self._table_depth and self._in_tbody:
                self.result_links.append(a["href"])
        if tag == "form" and "filters" in (a.get("class") or "").split():
            self._in_filter_form = True
        if self._in_filter_form:
            self._filter_field(tag, a)
        if tag == "table" and a.get("data-testid") == "object-table":
            self._table_depth = 1
        elif tag == "table" and self._table_depth:
            self._table_depth += 1
        if self._table_depth == 1 and tag == "tbody":
            self._in_tbody = True
        if self._table_depth == 1 and self._in_tbody and tag == "tr":
            self._row_is_empty_note = False
            self.table_rows += 1
        if self._table_depth == 1 and self._in_tbody and tag == "td" and a.get("colspan"):
            # the "没有符合条件的记录" row is not a record
            self._row_is_empty_note = True
            self.table_rows -= 1

    def _filter_field(self, tag, a):
        name = a.get("name")
        if tag == "select" and name:
            self._select = name
            self.filters.setdefault(name, {"kind": "select", "options": []})
        elif tag == "option" and self._select and a.get("value"):
            self.filters[self._select]["options"].append(a["value"])
        elif tag == "input" and name:
            kind = a.get("type", "text")
            entry = self.filters.setdefault(name, {"kind": kind, "options": []})
            if kind in ("checkbox", "radio") and a.get("value"):
                entry["options"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_filter_form = False
        if tag == "tbody" and self._table_depth == 1:
            self._in_tbody = False
        if tag == "table" and self._table_depth:
            self._table_depth -= 1


def parse_page(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def url_shape(url: str) -> str:
    """/hazards/123/?tab=x&cursor=… → /hazards/{id}/?tab : one visit per shape of page is enough."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/{id}", parts.path)
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27,}(?=/|$)", "/{uuid}", path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"cursor"})
    return path + ("?" + "&".join(keys) if keys else "")


@dataclass
class Failure:
    role: str
    url: str
    status: int
    htmx: bool = False
    detail: str = ""

    def __str__(self):
        kind = " (htmx)" if self.htmx else ""
        return f"[{self.role}] {self.status} GET {self.url}{kind}\n{self.detail}".rstrip()


@dataclass
class CrawlReport:
    pages: int = 0
    htmx_requests: int = 0
    filters: int = 0
    details: int = 0
    exports: int = 0
    failures: list[Failure] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    per_role: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    @property
    def ok(self) -> bool:
        return not self.failures and not self.mismatches

    def counts(self) -> dict[str, int]:
        return {
            "pages": self.pages,
            "filters": self.filters,
            "htmx": self.htmx_requests,
            "details": self.details,
            "exports": self.exports,
            "5xx": len(self.failures),
            "mismatches": len(self.mismatches),
        }

    def summary(self) -> str:
        lines = ["crawl: " + " ".join(f"{k}={v}" for k, v in self.counts().items())]
        for role, counts in sorted(self.per_role.items()):
            lines.append(f"  {role}: " + " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
        return "\n".join(lines)


class Crawler:
    def __init__(self, report: CrawlReport | None = None, follow_links: bool = True):
        self.report = report or CrawlReport()
        self.follow_links = follow_links
        self._last_exception = ""

    # --- requests ----------------------------------------------------------------------------------
    def _capture(self, sender, request=None, **kwargs):
        self._last_exception = traceback.format_exc(limit=-8)

    def get(self, client: Client, role: str, url: str, htmx: bool = False, target: str = "results"):
        self._last_exception = ""
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target} if htmx else {}
        response = client.get(url, **headers)
        self.report.per_role[role]["htmx" if htmx else "requests"] += 1
        if htmx:
            self.report.htmx_requests += 1
        if response.status_code >= 500:
            self.report.failures.append(Failure(role, url, response.status_code, htmx, self._last_exception))
        return response

    # --- the walk ------------------------------------------------------------------------------------
    def crawl_user(self, user, role: str | None = None, start: list[str] | None = None) -> None:
        """`start`: the pages to begin with (default: home and the user's whole menu)."""
        role = role or f"{user.role}:{user.username}"
        client = Client(raise_request_exception=False)
        client.force_login(user)
        got_request_exception.connect(self._capture)
        # Pages are rendered without collectstatic's manifest: what is checked is the page, not the assets.
        storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC_STORAGE}}
        try:
            with override_settings(STORAGES=storages):
                self._walk(client, role, user, start)
        finally:
            got_request_exception.disconnect(self._capture)

    def _walk(self, client, role, user, start=None):
        if start is None:
            start = ["/"] + [item["url"] for group in menu_for(user) for item in group["items"]]
        queue = list(dict.fromkeys(start))
        seen_shapes = self._seen = set()
        lists_done: set[str] = set()
        while queue:
            url = queue.pop(0)
            shape = url_shape(url)
            if shape in seen_shapes:
                continue
            seen_shapes.add(shape)
            response = self.get(client, role, url)
            self.report.pages += 1
            self.report.per_role[role]["pages"] += 1
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = parse_page(response.content.decode())
            base = urlsplit(url).path
            self._fragments(client, role, page, base)
            if page.filters and urlsplit(url).path not in lists_done:
                lists_done.add(urlsplit(url).path)
                self._crawl_list(client, role, urlsplit(url).path, page)
            if self.follow_links:
                for link in page.links:
                    target = self._internal(link, base)
                    if target and url_shape(target) not in seen_shapes:
                        queue.append(target)

    def _fragments(self, client, role, page, base):
        """What htmx loads into the page (badges, tabs, panels), as htmx asks for it."""
        for hx, target_id in dict.fromkeys(page.hx_gets):
            url = self._internal(hx, base)
            if url and ("hx", url_shape(url)) not in self._seen:
                self._seen.add(("hx", url_shape(url)))
                self.get(client, role, url, htmx=True, target=target_id)

    def _crawl_list(self, client, role, path, page):
        if page.result_links:
            detail = self._internal(page.result_links[0], path)
            if detail:
                response = self.get(client, role, detail)
                self.report.details += 1
                self.report.per_role[role]["details"] += 1
                if response.status_code == 200:
                    self._fragments(client, role, parse_page(response.content.decode()), detail)
        exported = False
        for params in self._filter_values(page.filters):
            query = urlencode(params)
            url = f"{path}?{query}"
            self.report.filters += 1
            self.report.per_role[role]["filters"] += 1
            plain = self.get(client, role, url)
            partial = self.get(client, role, url, htmx=True)
            if partial.status_code == 200 and b'id="results"' not in partial.content:
                self.report.mismatches.append(
                    f"[{role}] htmx filter {url}: the answer has no #results to swap in"
                )
            if plain.status_code != 200:
                continue
            # Export check: with the first filter that selects something (a filter is applied).
            parsed = parse_page(plain.content.decode())
            if not exported and parsed.export_url and parsed.table_rows:
                exported = True
                self._check_export(client, role, url, parsed)

    def _filter_values(self, filters: dict):
        """Query parameters to try: each filter alone, with a few of its values."""
        for name, spec in filters.items():
            if name in ("cursor", "export", "csrfmiddlewaretoken"):
                continue
            kind, options = spec["kind"], spec["options"]
            if kind in ("select", "checkbox", "radio"):
                picks = (
                    options
                    if len(options) <= MAX_OPTIONS_PER_FILTER
                    else [options[0], options[len(options) // 2], options[-1]]
                )
                values = picks
            elif kind == "date" or DATE_NAME.search(name):
                values = [DATE_SAMPLE]
            elif kind == "number":
                values = ["1"]
            elif kind in ("hidden", "submit", "button"):
                continue
            else:
                values = list(TEXT_SAMPLES)
            for value in values:
                yield [(name, value)]

    def _check_export(self, client, role, list_url, page):
        from openpyxl import load_workbook

        listed = page.table_rows
        next_url = page.next_url
        pages = 1
        while next_url and pages < MAX_LIST_PAGES:
            response = self.get(client, role, self._internal(next_url, list_url))
            if response.status_code != 200:
                return
            more = parse_page(response.content.decode())
            listed += more.table_rows
            next_url = more.next_url
            pages += 1
        if next_url:
            return  # too long to page through here; the export is still fetched below for 5xx
        export_url = self._internal(page.export_url, list_url, export=True)
        if export_url is None:
            return
        response = self.get(client, role, export_url)
        self.report.exports += 1
        self.report.per_role[role]["exports"] += 1
        if response.status_code != 200:
            return
        body = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        rows = [r for r in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in r)]
        if rows and sum(v not in (None, "") for v in rows[0]) == 1 and len(rows) > 1:
            rows = rows[1:]  # a title row above the headers
        exported = max(len(rows) - 1, 0)
        if exported != listed:
            self.report.mismatches.append(
                f"[{role}] {list_url}: the list shows {listed} rows, its export has {exported}"
            )

    @staticmethod
    def _internal(link: str, base: str, export: bool = False) -> str | None:
        """The site-internal URL `link` leads to from `base`, or None for what is not followed. Export links
        are followed only when the export check asks for one (`export=True`), never as pages."""
        if not link or link.startswith(("#", "javascript:", "mailto:", "tel:")):
            return None
        url = urljoin(base, link)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        if parts.path.startswith(SKIP_PREFIXES) or any(p.search(parts.path) for p in SKIP_PATTERNS):
            return None
        query = parse_qsl(parts.query, keep_blank_values=True)
        if any(k == "export" for k, _ in query) != export:
            return None  # exports are checked with their list, not fetched as pages
        return parts.path + ("?" + urlencode(query) if query else "")
