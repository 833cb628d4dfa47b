"""Tabs of the enterprise detail page: the extension point later apps fill (inspections, hazards, cases…).

An app adds tabs by creating `anjian/<app>/enterprise_tabs.py` with

    TABS = [provider, ...]

where `provider(request, enterprise) -> dict | None` returns

    {"key": "hazards", "title": "隐患", "template": "hazards/enterprise_tab.html",
     "context": {...}, "count": 3, "order": 200}

(or None to show nothing, e.g. when the user's role may not see that data). The template is included with the
page context plus `tab.context`; it must only show records in the user's scope (use core.scope.restrict) and
should run a constant number of queries. Registry tabs have orders 10–90; use ≥ 100.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from .models import (
    BlacklistEntry,
    ConstructionProject,
    ForestCheckpoint,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    RiskPoint,
    SpecialEquipment,
)

TAB_ROW_LIMIT = 50


def _rows(request, queryset):
    rows = list(restrict(queryset, request.user)[: TAB_ROW_LIMIT + 1])
    return rows[:TAB_ROW_LIMIT], len(rows) > TAB_ROW_LIMIT


def _register_tab(key, title, template, queryset, order, list_url):
    def provider(request, enterprise):
        if not has_perm(request.user, "registry.view_register"):
            return None
        rows, more = _rows(request, queryset.filter(enterprise=enterprise))
        return {
            "key": key,
            "title": title,
            "template": template,
            "context": {"rows": rows, "more": more, "list_url": list_url},
            "count": f"{len(rows)}+" if more else len(rows),
            "order": order,
        }

    return provider


def blacklist_tab(request, enterprise):
    if not has_perm(request.user, "registry.view_blacklistentry"):
        return None
    rows, more = _rows(request, BlacklistEntry.objects.filter(enterprise=enterprise))
    return {
        "key": "blacklist",
        "title": "失信记录",
        "template": "registry/tabs/blacklist.html",
        "context": {"rows": rows, "more": more, "today": timezone.localdate()},
        "count": len(rows),
        "order": 90,
    }


REGISTRY_TABS = [
    _register_tab(
        "risk_points",
        "风险点",
        "registry/tabs/risk_points.html",
        RiskPoint.objects.order_by("level", "name", "id"),
        10,
        "registry:riskpoint_list",
    ),
    _register_tab(
        "licences", "证照", "registry/tabs/licences.html", Licence.objects.all(), 20, "registry:licence_list"
    ),
    _register_tab(
        "chemicals",
        "危险化学品",
        "registry/tabs/chemicals.html",
        HazardousChemical.objects.all(),
        30,
        "registry:chemical_list",
    ),
    _register_tab(
        "major_hazards",
        "重大危险源",
        "registry/tabs/major_hazards.html",
        MajorHazardSource.objects.all(),
        40,
        "registry:majorhazard_list",
    ),
    _register_tab(
        "projects",
        "施工项目",
        "registry/tabs/projects.html",
        ConstructionProject.objects.all(),
        50,
        "registry:project_list",
    ),
    _register_tab(
        "equipment",
        "特种设备",
        "registry/tabs/equipment.html",
        SpecialEquipment.objects.all(),
        60,
        "registry:equipment_list",
    ),
    _register_tab(
        "checkpoints",
        "森林防火卡点",
        "registry/tabs/checkpoints.html",
        ForestCheckpoint.objects.select_related("territory"),
        70,
        "registry:checkpoint_list",
    ),
    blacklist_tab,
]


@cache
def tab_providers() -> tuple:
    providers = list(REGISTRY_TABS)
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.label == "registry":
            continue
        try:
            module = import_module(f"{config.name}.enterprise_tabs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.enterprise_tabs":
                raise
            continue
        providers.extend(module.TABS)
    return tuple(providers)


def tabs_for(request, enterprise) -> list[dict]:
    tabs = [tab for provider in tab_providers() if (tab := provider(request, enterprise))]
    # Empty registry tabs are hidden to keep the page short; other apps' tabs always show.
    tabs = [t for t in tabs if t["count"] or t["order"] >= 100 or t["key"] == "risk_points"]
    return sorted(tabs, key=lambda t: t["order"])
