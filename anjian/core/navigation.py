"""The navigation: each app declares its menu entries; a user sees only those their role may use."""

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import import_module

from django.apps import apps
from django.utils.safestring import mark_safe

from .markup import esc
from .permissions import has_perm
from .reversing import named_url


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str
    icon: str = "circle"


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: tuple[MenuItem, ...] = field(default_factory=tuple)
    order: int = 100


CORE_MENU = (
    MenuGroup(
        "基础数据",
        (
            MenuItem("行政区划", "core:territory_list", "core.view_territory", "diagram-3"),
            MenuItem("机构与行业监管", "core:organisation_list", "core.view_organisation", "building"),
            MenuItem("监管行业领域", "core:sector_list", "core.view_sector", "tags"),
        ),
        order=800,
    ),
    MenuGroup(
        "系统管理",
        (
            MenuItem("用户", "core:user_list", "core.view_user", "people"),
            MenuItem("审计日志", "core:audit_list", "core.view_auditentry", "journal-text"),
        ),
        order=900,
    ),
)


@cache
def all_groups() -> tuple[MenuGroup, ...]:
    groups = list(CORE_MENU)
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.label == "core":
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.navigation":
                raise
            continue
        groups.extend(module.MENU)
    # An app may add entries to a group another app declares (e.g. 基础数据): one group per label.
    merged: dict[str, MenuGroup] = {}
    for group in groups:
        if group.label in merged:
            first = merged[group.label]
            group = MenuGroup(first.label, first.items + group.items, min(first.order, group.order))
        merged[group.label] = group
    return tuple(sorted(merged.values(), key=lambda g: g.order))


class Menu(list):
    """The groups of a user's menu, written by `{{ menu }}` as the navbar's entries: the same few menus are drawn
    on every page (about 90 entries, three template variables each), so each distinct one is written once per
    process."""

    def __html__(self) -> str:
        return _menu_html(
            tuple((g["label"], tuple((i["label"], i["url"], i["icon"]) for i in g["items"])) for g in self)
        )

    def __str__(self) -> str:
        return mark_safe(self.__html__())  # the template engine calls str() first


@lru_cache(maxsize=256)
def _menu_html(groups: tuple) -> str:
    parts = []
    for label, items in groups:
        entries = "".join(
            f'<li><a class="dropdown-item" href="{esc(url)}"><i class="bi bi-{esc(icon)}"></i> {esc(text)}</a></li>'
            for text, url, icon in items
        )
        parts.append(
            '<li class="nav-item dropdown">'
            '<a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" '
            f'aria-expanded="false">{esc(label)}</a><ul class="dropdown-menu">{entries}</ul></li>'
        )
    return mark_safe("".join(parts))


def menu_for(user) -> Menu:
    menu = Menu()
    for group in all_groups():
        items = []
        for item in group.items:
            if not has_perm(user, item.permission):
                continue
            url = named_url(item.url_name)
            if url is not None:
                items.append({"label": item.label, "url": url, "icon": item.icon})
        if items:
            menu.append({"label": group.label, "items": items})
    return menu
