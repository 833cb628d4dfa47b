"""The home page: what this user should look at first. Apps add panels in `<app>/homepage.py` as
`PANELS = [function(request) -> dict | None]`; a panel is {"title", "template" or "items", "order"}."""

from functools import cache
from importlib import import_module

from django.apps import apps

from .scope import scope_for


@cache
def panel_functions():
    functions = []
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.label == "core":
            continue
        try:
            module = import_module(f"{config.name}.homepage")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.homepage":
                raise
            continue
        functions.extend(module.PANELS)
    return tuple(functions)


def describe_scope(user) -> str:
    scope = scope_for(user)
    if scope.nothing:
        return "尚未授权：请联系安全管理员授予角色。"
    if scope.enterprise_id is not None:
        return f"本企业：{user.enterprise}"
    parts = []
    if user.territory_id:
        parts.append(f"{user.territory.full_name or user.territory.name}（含下级）")
    if scope.sector_ids is not None:
        sectors = user.organisation.sectors.all() if user.organisation_id else []
        parts.append("行业：" + ("、".join(s.name for s in sectors) or "无"))
    return "；".join(parts) or "全部"


def home_sections(request) -> list[dict]:
    sections = []
    for function in panel_functions():
        panel = function(request)
        if panel:
            sections.append(panel)
    if request.user.role and not any(p.get("key") == "todo" for p in sections):
        sections.append(
            {"key": "todo", "title": "待办事项", "items": [], "empty": "暂无待办事项。", "order": 0}
        )
    return sorted(sections, key=lambda p: p.get("order", 100))
