"""一企一档: the tabs of the enterprise detail page, each one kind of record of the unit, plus its timeline.

The registry sits low in the stack, so it never imports the apps above it. Each app contributes its tabs in
`anjian/<app>/enterprise_tabs.py` as `TABS = [EnterpriseTab(...), ...]`; the registry finds them through the app
registry (like core/homepage.py finds home panels). A tab declares:

- which records belong to the unit (`records(enterprise) -> QuerySet`, not yet scoped) and their keyset ordering;
- who may see the tab at all (`permission`, a core.permissions code); the tab is hidden from other roles;
- how a row looks: `columns` (core.tables.Column, like the list pages) or a `template` rendering `rows`;
- where the full list is (`list_url`) and the query string narrowing it to the unit (`list_query`).

Every queryset goes through core.scope.restrict for the viewing user, so a department inspector sees only the
records of the sectors it supervises and an enterprise user only its own. A page of a tab costs one query; a
badge costs one query, counting at most COUNT_LIMIT + 1 rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.core.pagination import KeysetPage, after_q, decode_cursor, encode_cursor, keyset_page
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from .models import (
    BlacklistEntry,
    ConstructionProject,
    Enterprise,
    ForestCheckpoint,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    RiskPoint,
    SpecialEquipment,
)

COUNT_LIMIT = (
    100  # badges show "100+" above this: a bounded count, never COUNT(*) over a unit's whole history
)
TIMELINE_KEY = "timeline"
PANE_ID = "enterprise-tab-pane"  # the element htmx swaps when a tab is opened


def by_enterprise(enterprise) -> dict:
    """The query string of a main list filtered by the unit (lists whose FilterSet has `enterprise`)."""
    return {"enterprise": enterprise.pk}


def by_name(enterprise) -> dict:
    """For lists without an `enterprise` filter: their search box, which looks at the unit's name."""
    return {"q": enterprise.name}


@dataclass(frozen=True)
class EnterpriseTab:
    key: str
    title: str
    order: int  # registry tabs 10–90, other apps ≥ 100
    permission: str
    records: Callable[[Enterprise], QuerySet]
    ordering: tuple[str, ...] = ("-id",)  # keyset ordering: ends with a unique field, no NULLs
    columns: tuple = ()
    template: str = ""
    list_url: str = ""  # url name of the main list
    list_query: Callable[[Enterprise], dict] | None = by_enterprise
    hide_when_empty: bool = False  # rarely held registers (e.g. 特种设备) are left out when the unit has none
    in_timeline: bool = True  # the audit entries of these records appear on the unit's timeline
    empty_text: str = "暂无记录。"

    def visible_to(self, user) -> bool:
        return has_perm(user, self.permission)

    def queryset(self, user, enterprise) -> QuerySet:
        return restrict(self.records(enterprise), user)

    def list_link(self, enterprise) -> str:
        if not self.list_url:
            return ""
        url = reverse(self.list_url)
        query = self.list_query(enterprise) if self.list_query else {}
        return f"{url}?{urlencode(query)}" if query else url


def limited_count(queryset) -> str | int:
    count = queryset[: COUNT_LIMIT + 1].count()
    return f"{COUNT_LIMIT}+" if count > COUNT_LIMIT else count


def _registry_tab(key, title, model, template, order, list_url, **options):
    return EnterpriseTab(
        key=key,
        title=title,
        order=order,
        permission="registry.view_register",
        records=lambda e, model=model: model.objects.filter(enterprise=e),
        template=template,
        list_url=list_url,
        **options,
    )


REGISTRY_TABS = (
    _registry_tab(
        "risk_points",
        "风险点",
        RiskPoint,
        "registry/tabs/risk_points.html",
        10,
        "registry:riskpoint_list",
        empty_text="尚未辨识风险点。",
    ),
    _registry_tab("licences", "证照", Licence, "registry/tabs/licences.html", 20, "registry:licence_list"),
    _registry_tab(
        "chemicals",
        "危险化学品",
        HazardousChemical,
        "registry/tabs/chemicals.html",
        30,
        "registry:chemical_list",
        hide_when_empty=True,
    ),
    _registry_tab(
        "major_hazards",
        "重大危险源",
        MajorHazardSource,
        "registry/tabs/major_hazards.html",
        40,
        "registry:majorhazard_list",
        hide_when_empty=True,
    ),
    _registry_tab(
        "projects",
        "施工项目",
        ConstructionProject,
        "registry/tabs/projects.html",
        50,
        "registry:project_list",
        hide_when_empty=True,
    ),
    _registry_tab(
        "equipment",
        "特种设备",
        SpecialEquipment,
        "registry/tabs/equipment.html",
        60,
        "registry:equipment_list",
        hide_when_empty=True,
    ),
    EnterpriseTab(
        key="checkpoints",
        title="森林防火卡点",
        order=70,
        permission="registry.view_register",
        records=lambda e: ForestCheckpoint.objects.filter(enterprise=e).select_related("territory"),
        template="registry/tabs/checkpoints.html",
        list_url="registry:checkpoint_list",
        hide_when_empty=True,
    ),
    EnterpriseTab(
        key="blacklist",
        title="失信记录",
        order=90,
        permission="registry.view_blacklistentry",
        records=lambda e: BlacklistEntry.objects.filter(enterprise=e),
        template="registry/tabs/blacklist.html",
        list_url="registry:blacklist_list",
        hide_when_empty=True,
    ),
)


@cache
def all_tabs() -> tuple[EnterpriseTab, ...]:
    tabs = list(REGISTRY_TABS)
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.label == "registry":
            continue
        try:
            module = import_module(f"{config.name}.enterprise_tabs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.enterprise_tabs":
                raise
            continue
        tabs.extend(module.TABS)
    keys = [t.key for t in tabs]
    duplicates = {k for k in keys if keys.count(k) > 1} | ({TIMELINE_KEY} & set(keys))
    if duplicates:
        raise ValueError(f"enterprise tab keys used twice: {sorted(duplicates)}")
    return tuple(sorted(tabs, key=lambda t: t.order))


def tabs_for(user) -> list[EnterpriseTab]:
    """The tabs this user's role may see (records still to be scoped)."""
    return [tab for tab in all_tabs() if tab.visible_to(user)]


# --- the timeline: audit entries of the unit and of its records, newest first -----------------------------------


TIMELINE_ORDERING = ("-timestamp", "-id")


def timeline_parts(user, enterprise, tabs: list[EnterpriseTab], after: Q | None = None) -> list[QuerySet]:
    """Entries of the unit itself and of every record of its visible tabs that the user may see.

    One SELECT per kind of record, combined with UNION ALL: each part reads the (content type, object id) index
    for the unit's own records only, never a scan of the whole audit trail. `object_id IN (scoped ids)` keeps a
    record the user may not open (another department's sector) from leaking through its history. Entries of
    deleted records are not shown.
    """
    sources = [tab.queryset(user, enterprise) for tab in tabs if tab.in_timeline]
    types = ContentType.objects.get_for_models(Enterprise, *(qs.model for qs in sources))
    conditions = [Q(content_type=types[Enterprise], object_id=str(enterprise.pk))]
    for qs in sources:
        ids = qs.order_by().annotate(audit_object_id=Cast("pk", CharField())).values("audit_object_id")
        conditions.append(Q(content_type=types[qs.model], object_id__in=ids))
    parts = [AuditEntry.objects.filter(condition).order_by() for condition in conditions]
    return [part.filter(after) for part in parts] if after is not None else parts


def timeline_union(parts: list[QuerySet]) -> QuerySet:
    return parts[0].union(*parts[1:], all=True)


def timeline_page(user, enterprise, tabs, cursor: str | None, size: int) -> KeysetPage:
    """Keyset page of the timeline (core.pagination's rules, applied to each part of the union)."""
    after = after_q(TIMELINE_ORDERING, decode_cursor(cursor, len(TIMELINE_ORDERING))) if cursor else None
    union = timeline_union(timeline_parts(user, enterprise, tabs, after))
    rows = list(union.order_by(*TIMELINE_ORDERING)[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        # isoformat keeps the microseconds (the JSON encoder would cut them to milliseconds and skip entries
        # written within the same millisecond as the last one shown).
        next_cursor = encode_cursor([rows[-1].timestamp.isoformat(), rows[-1].pk])
    for entry in rows:  # from Django's content-type cache: no query per row (a union cannot select_related)
        if entry.content_type_id:
            entry.content_type = ContentType.objects.get_for_id(entry.content_type_id)
    return KeysetPage(items=rows, next_cursor=next_cursor, is_first=not cursor)


# --- what the page shows ---------------------------------------------------------------------------------------


@dataclass
class TabView:
    """One tab of the strip: its title and badge."""

    key: str
    title: str
    count: str | int
    tab: EnterpriseTab | None = None  # None: the timeline


def tab_views(user, enterprise, open_key: str = "") -> list[TabView]:
    """All tabs of the page with their badges: one bounded count per tab. An empty register is left out
    unless it is the tab being opened."""
    tabs = tabs_for(user)
    views = []
    for tab in tabs:
        count = limited_count(tab.queryset(user, enterprise))
        if count or not tab.hide_when_empty or tab.key == open_key:
            views.append(TabView(tab.key, tab.title, count, tab))
    if has_perm(user, "registry.view_enterprise"):
        union = timeline_union(timeline_parts(user, enterprise, tabs))
        views.append(TabView(TIMELINE_KEY, "动态", limited_count(union), None))
    return views


def find_tab(user, key: str) -> EnterpriseTab | None:
    return next((t for t in tabs_for(user) if t.key == key), None)


def tab_context(user, enterprise, key: str, cursor: str | None, size: int) -> dict | None:
    """One page of one tab, or None when the tab does not exist or the user's role may not see it."""
    if key == TIMELINE_KEY:
        if not has_perm(user, "registry.view_enterprise"):
            return None
        page = timeline_page(user, enterprise, tabs_for(user), cursor, size)
        return {
            "key": key,
            "title": "动态",
            "template": "registry/tabs/timeline.html",
            "rows": page.items,
            "page": page,
            "empty_text": "暂无记录。",
            "list_link": "",
        }
    tab = find_tab(user, key)
    if tab is None:
        return None
    page = keyset_page(tab.queryset(user, enterprise), tab.ordering, cursor, size)
    columns = [c for c in tab.columns if c.display]
    return {
        "key": tab.key,
        "title": tab.title,
        "template": tab.template,
        "columns": columns,
        "rows": page.items,
        "cells": [(obj, [c.html(obj) for c in columns]) for obj in page.items] if columns else [],
        "page": page,
        "empty_text": tab.empty_text,
        "list_link": tab.list_link(enterprise),
        "today": timezone.localdate(),
    }
