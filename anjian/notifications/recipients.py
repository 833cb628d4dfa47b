"""Who receives one step of a deadline: the people the provider named, else a fallback chain, so that a reminder
never goes into the void; and the configuration warnings (提醒配置问题) the 安委办 sees when a unit has nobody in
the role its reminders go to.

The chain, first non-empty wins:
1. the people the provider named for the level (`responsible`, or `escalation[level - 1]`);
2. reminders only: the active users of the item's `unit` holding its `role` (e.g. the enterprise's safety
   managers, 企业安全管理人员);
3. the users of the `supervisor` organisation: the department supervising the unit's sector (安全生产法 第三条
   "管行业必须管安全", 第十条 — rules.md LAW-01, LAW-06);
4. the territory's town staff (镇街工作人员) whose area contains the item, nearest first (第九条第二款: towns and
   parks inspect the units in their area — LAW-05);
5. the territory's 安委办 staff (安委办工作人员) whose area contains the item, nearest first.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from anjian.core.roles import Role

from .models import RecipientGap, Step


@dataclass(frozen=True)
class Resolution:
    users: list
    fallback: str = ""  # why and to whom the step went instead of the named people; "" when it did not
    missing_role: bool = False  # the unit has nobody in the expected role: a configuration problem


def _active(people) -> list:
    unique = {}
    for user in people:
        if user is not None and user.pk and user.is_active:
            unique.setdefault(user.pk, user)
    return list(unique.values())


def _users():
    from anjian.core.models import User

    return User.objects.filter(is_active=True)


def unit_users(unit, role: str) -> list:
    """Active users of an Organisation or Enterprise holding `role`."""
    from anjian.core.models import Organisation

    if unit is None or not role:
        return []
    if isinstance(unit, Organisation):
        return list(_users().filter(organisation=unit, role=role))
    return list(_users().filter(enterprise_id=unit.pk, role=role))


def supervisor_users(organisation) -> list:
    if organisation is None:
        return []
    return list(_users().filter(organisation=organisation).exclude(role__in=(Role.LEADER, Role.GRID)))


def nearest_staff(territory_path: str, role: str) -> list:
    """Users of `role` whose territory contains the path, those of the nearest territory only."""
    if not territory_path:
        return []
    parts = [p for p in territory_path.split(".") if p]
    prefixes = [".".join(parts[: i + 1]) + "." for i in range(len(parts))]
    candidates = list(_users().filter(role=role, territory_path__in=prefixes))
    if not candidates:
        return []
    deepest = max(len(u.territory_path) for u in candidates)
    return [u for u in candidates if len(u.territory_path) == deepest]


def sector_regulator(sector_id, territory_path: str, cache: dict | None = None):
    """The department supervising a sector (安全生产法 第十条, LAW-06) whose area contains the path, nearest
    first: the `supervisor` of a unit's deadline when the provider knows no better. `cache` (a dict kept for one
    scan) spares a query per item."""
    from anjian.core.models import Organisation, OrganisationKind

    if not sector_id or not territory_path:
        return None
    parts = [p for p in territory_path.split(".") if p]
    prefixes = tuple(".".join(parts[: i + 1]) + "." for i in range(len(parts)))
    key = (sector_id, prefixes)
    if cache is not None and key in cache:
        return cache[key]
    departments = Organisation.objects.filter(
        kind=OrganisationKind.DEPARTMENT, is_active=True, sectors=sector_id, territory_path__in=prefixes
    ).order_by("sort_order", "id")
    found = max(departments, key=lambda o: len(o.territory_path), default=None)
    if cache is not None:
        cache[key] = found
    return found


def _names(users) -> str:
    return "、".join(u.get_full_name() for u in users)


def _unit_name(unit) -> str:
    return str(unit) if unit is not None else ""


def resolve(rule, item) -> Resolution:
    """The recipients of `rule`'s step for `item`, walking the fallback chain when the named people are absent."""
    if rule.step == Step.ESCALATE:
        named = item.escalation[rule.level - 1] if len(item.escalation) >= rule.level else ()
        wanted = f"第{rule.level}级升级对象"
    else:
        named = item.responsible
        wanted = "责任人"
    users = _active(named)
    if users:
        return Resolution(users)
    missing_role = False
    if rule.step != Step.ESCALATE and item.unit is not None and item.role:
        users = _active(unit_users(item.unit, item.role))
        if users:
            return Resolution(users)
        missing_role = True
        wanted = f"{_unit_name(item.unit)}无「{Role(item.role).label}」账号"
    chain = (
        (lambda: supervisor_users(item.supervisor), lambda: f"监管单位{_unit_name(item.supervisor)}"),
        (lambda: nearest_staff(item.territory_path, Role.TOWN), lambda: "属地镇街工作人员"),
        (lambda: nearest_staff(item.territory_path, Role.OFFICE), lambda: "安委办工作人员"),
    )
    for find, label in chain:
        users = _active(find())
        if users:
            return Resolution(users, f"{wanted}，改由{label()}接收", missing_role)
    return Resolution([], "", missing_role=True)


# --- configuration warnings -------------------------------------------------------------------------------
def _unit_key(unit):
    if unit is None:
        return None, ""
    return ContentType.objects.get_for_model(type(unit)), str(unit.pk)


def _unit_url(unit) -> str:
    getter = getattr(unit, "get_absolute_url", None)
    try:
        return getter()[:300] if getter else ""
    except Exception:  # a unit without a page: the warning still shows its name
        return ""


def record_gap(rule, item, resolution: Resolution, now) -> None:
    """Record (or count again) the configuration problem behind `resolution`: the unit has nobody in its role
    (the step still went to the fallback people), or nobody at all was found for the step."""
    if resolution.missing_role and item.unit is not None and rule.step != Step.ESCALATE:
        unit, role = item.unit, item.role
    elif not resolution.users:
        unit, role = (item.unit, item.role) if item.unit is not None else (item.obj, "")
    else:
        return
    unit_type, unit_id = _unit_key(unit)
    key = dict(kind=item.kind, unit_type=unit_type, unit_id=unit_id, role=role)
    values = dict(
        rule=rule,
        fallback=_names(resolution.users)[:300],
        item_title=item.title[:200],
        item_url=item.url[:300],
        last_seen_at=now,
        resolved_at=None,
    )
    updated = RecipientGap.objects.filter(**key).update(occurrences=F("occurrences") + 1, **values)
    if not updated:
        RecipientGap.objects.create(
            **key,
            **values,
            unit_name=_unit_name(unit)[:200],
            unit_url=_unit_url(unit),
            first_seen_at=now,
            territory_path=item.territory_path or getattr(item.obj, "territory_path", "") or "",
        )


def resolve_gaps(item, now) -> int:
    """The unit's role resolved to someone: its open problems (of any kind) are solved."""
    unit_type, unit_id = _unit_key(item.unit)
    if unit_type is None or not item.role:
        return 0
    return RecipientGap.objects.filter(
        unit_type=unit_type, unit_id=unit_id, role=item.role, resolved_at__isnull=True
    ).update(resolved_at=now)
