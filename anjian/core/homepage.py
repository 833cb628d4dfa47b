"""The home page: what this user should do next. One table, ROLE_HOMES, says per role which big buttons lead
the page, which panels follow (in order) and which few shortcuts close it; the navigation menu keeps the rest.

Apps add panels in `<app>/homepage.py` as `PANELS = [(key, function(request) -> dict | None)]`; a panel is
{"title", "items" or "template", "more_url", "empty"}, and an item is {"label", "url", "note", "alert"}. A panel
whose items the to-do list already shows sets "wide_screens_only": a phone's home stays about two screens long.
Only the panels a role's home names are computed, so a page never pays for panels nobody sees.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .navigation import all_groups
from .permissions import has_perm, permission_table
from .roles import Role
from .scope import scope_for


@dataclass(frozen=True)
class Action:
    """A big button: the step this role takes most often (report a hazard, start an inspection…)."""

    label: str
    url_name: str
    permission: str
    icon: str
    query: str = ""  # e.g. the list filter a button opens with


@dataclass(frozen=True)
class RoleHome:
    actions: tuple[Action, ...] = ()
    panels: tuple[str, ...] = ()  # panel keys, in page order
    # url names of navigation menu entries; label, icon and permission come from the menu
    shortcuts: tuple[str, ...] = ()
    landing: str = ""  # url name: the role starts there, not on this page


REPORT_HAZARD = Action("上报隐患", "hazards:hazard_add", "hazards.add_hazard", "exclamation-triangle")
START_INSPECTION = Action(
    "开始检查", "inspections:inspection_add", "inspections.add_inspection", "clipboard-check"
)

ROLE_HOMES: dict[str, RoleHome] = {
    Role.GRID: RoleHome(
        actions=(REPORT_HAZARD, START_INSPECTION),
        panels=("todo", "inspection_tasks", "key_periods"),
        shortcuts=(
            "notifications:todo",
            "hazards:hazard_list",
            "inspections:inspection_list",
            "registry:enterprise_list",
            "notifications:inbox",
            "operations:nearby",
        ),
    ),
    Role.INSPECTOR: RoleHome(
        actions=(START_INSPECTION, REPORT_HAZARD),
        panels=(
            "inspection_tasks",
            "todo",
            "supervision_tasks",
            "oversight_problems",
            "reporting_due",
            "key_periods",
        ),
        shortcuts=(
            "inspections:task_list",
            "inspections:inspection_list",
            "hazards:hazard_list",
            "registry:enterprise_list",
            "enforcement:case_list",
            "enforcement:finding_list",
            "dashboard:index",
        ),
    ),
    Role.ENTERPRISE: RoleHome(
        actions=(
            Action("我的整改", "hazards:hazard_list", "hazards.view_hazard", "tools", query="open=true"),
            Action("上报隐患", "hazards:hazard_add", "hazards.add_hazard", "exclamation-triangle"),
            Action("开始自查", "inspections:inspection_add", "inspections.add_inspection", "clipboard-check"),
        ),
        panels=("my_rectification", "reporting_due", "operations-warnings"),
        shortcuts=(
            "hazards:hazard_list",
            "inspections:inspection_list",
            "operations:notice_mine",
            "registry:licence_list",
            "notifications:todo",
            "notifications:inbox",
        ),
    ),
    Role.TOWN: RoleHome(
        actions=(REPORT_HAZARD, START_INSPECTION),
        panels=(
            "dashboard",
            "todo",
            "inspection_tasks",
            "supervision_tasks",
            "oversight_problems",
            "reporting_due",
            "key_periods",
            "registry_expiring",
        ),
        shortcuts=(
            "hazards:hazard_list",
            "hazards:ledger",
            "inspections:task_list",
            "inspections:inspection_list",
            "registry:enterprise_list",
            "operations:tip_list",
            "dashboard:index",
        ),
    ),
    Role.OFFICE: RoleHome(
        panels=(
            "todo",
            "dashboard",
            "reporting_due",
            "key_periods",
            "enforcement",
            "accidents",
            "registry_blacklist",
        ),
        shortcuts=(
            "dashboard:index",
            "hazards:hazard_list",
            "hazards:ledger",
            "enforcement:case_list",
            "accidents:accident_list",
            "operations:duty_desk",
            "supervision:task_list",
            "assessment:bulletin_list",
        ),
    ),
    Role.LEADER: RoleHome(
        landing="dashboard:index",
        panels=("dashboard", "accidents", "key_periods"),
        shortcuts=("dashboard:index", "dashboard:map", "hazards:ledger", "accidents:statistics"),
    ),
    Role.SYS_ADMIN: RoleHome(
        shortcuts=("core:user_list", "core:territory_list", "core:organisation_list", "core:sector_list"),
    ),
    Role.SEC_ADMIN: RoleHome(shortcuts=("core:user_list", "core:territory_list", "core:organisation_list")),
    Role.AUDIT_ADMIN: RoleHome(shortcuts=("core:audit_list",)),
}


@cache
def panel_functions() -> tuple[tuple[str, object], ...]:
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


def role_home(user) -> RoleHome:
    return ROLE_HOMES.get(getattr(user, "role", ""), RoleHome())


def landing_url(user) -> str:
    """Where this role starts, when not on the home page (the leader: the dashboard); "" for the home page."""
    home = role_home(user)
    if not home.landing:
        return ""
    try:
        return reverse(home.landing)
    except NoReverseMatch:  # the app is not installed
        return ""


def _allowed(user, permission: str) -> bool:
    # A permission of an app that is not installed is simply not held.
    return permission in permission_table() and has_perm(user, permission)


def actions_for(user) -> list[dict]:
    actions = []
    for action in role_home(user).actions:
        if not _allowed(user, action.permission):
            continue
        try:
            url = reverse(action.url_name)
        except NoReverseMatch:
            continue
        actions.append(
            {
                "label": action.label,
                "url": f"{url}?{action.query}" if action.query else url,
                "icon": action.icon,
            }
        )
    return actions


def shortcuts_for(user) -> list[dict]:
    """The role's shortcuts, in the table's order, each as the navigation menu shows it."""
    entries = {item.url_name: item for group in all_groups() for item in group.items}
    shortcuts = []
    for url_name in role_home(user).shortcuts:
        item = entries.get(url_name)
        if item is None or not _allowed(user, item.permission):
            continue
        try:
            shortcuts.append({"label": item.label, "url": reverse(url_name), "icon": item.icon})
        except NoReverseMatch:
            continue
    return shortcuts


def home_sections(request) -> list[dict]:
    """The panels of this user's home, in the order the role's list gives."""
    wanted = role_home(request.user).panels
    sections = []
    for key, function in panel_functions():
        if key in wanted:
            panel = function(request)
            if panel:
                sections.append({**panel, "key": key})
    if "todo" in wanted and not any(p["key"] == "todo" for p in sections):
        sections.append({"key": "todo", "title": "待办事项", "items": [], "empty": "暂无待办事项。"})
    return sorted(sections, key=lambda p: wanted.index(p["key"]))
