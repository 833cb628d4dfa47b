"""State changes and derived facts of the registry. Views, API, imports and tasks call these functions.

Each operation locks the row, checks the transitions table, writes the change and a named audit action.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.models import Organisation, OrganisationKind
from anjian.core.roles import Role

from . import rules
from .models import (
    BlacklistEntry,
    BlacklistPerson,
    ClosureRecord,
    Enterprise,
    EnterpriseStatus,
    MajorHazardSource,
    SupervisionFrequency,
    active_blacklist_q,
)

# --- who must supervise this unit (安全生产法 第三条 管行业必须管安全, 第九条 属地, 第十条) -----------------


@dataclass(frozen=True)
class Supervisors:
    departments: list  # departments whose sectors intersect the unit's, in its territory or above
    local_governments: list  # 镇街/园区 responsible for the unit's territory (第九条第二款)


def supervisors_for(enterprise: Enterprise) -> Supervisors:
    """The departments that must supervise `enterprise` and the local governments of its territory.

    A department supervises a unit when one of its sectors is one of the unit's sectors (第三条 LAW-01,
    第十条 LAW-06) and its territory is the unit's territory or an ancestor of it.
    """
    territory_ids = enterprise.territory.ancestor_ids  # the unit's own territory is the last id
    sector_links = Organisation.sectors.through.objects.filter(
        organisation_id=OuterRef("pk"), sector__enterprises=enterprise
    )
    departments = list(
        Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, is_active=True, territory_id__in=territory_ids
        )
        .filter(Exists(sector_links))
        .select_related("territory")
        .prefetch_related("sectors")
        .order_by("-territory__depth", "sort_order", "id")
    )
    unit_sectors = {s.pk for s in enterprise.sectors.all()}
    for department in departments:
        department.matching_sectors = [s for s in department.sectors.all() if s.pk in unit_sectors]
    local = list(
        Organisation.objects.filter(
            kind=OrganisationKind.LOCAL_GOVERNMENT, is_active=True, territory_id__in=territory_ids
        )
        .select_related("territory")
        .order_by("-territory__depth", "id")
    )
    return Supervisors(departments=departments, local_governments=local)


# --- risk colour ------------------------------------------------------------------------------------------


def recompute_risk_level(enterprise: Enterprise) -> str:
    """The unit's colour = the highest level among its active risk points (rules.overall_risk_level, RK-02)."""
    levels = enterprise.risk_points.filter(is_active=True).values_list("level", flat=True)
    level = rules.overall_risk_level(levels)
    value = level.value if level else ""
    if value != enterprise.risk_level:
        old = enterprise.get_risk_level_display() or "未评定"
        # Saved (not a queryset update) so that the unit's history records the new colour.
        enterprise.risk_level = value
        enterprise.save(update_fields=["risk_level"])
        record_action(
            enterprise,
            "registry.risk_recomputed",
            f"风险等级由“{old}”变为“{enterprise.get_risk_level_display() or '未评定'}”（按风险点重新计算）",
        )
    return value


def save_risk_point(form):
    """Save a risk point form and recompute its unit's colour, in one transaction."""
    with transaction.atomic():
        previous = form.instance.enterprise if form.instance.pk else None
        point = form.save()
        recompute_risk_level(point.enterprise)
        if previous is not None and previous.pk != point.enterprise_id:
            recompute_risk_level(previous)
    return point


def frequency_table() -> dict[rules.RiskLevel, int]:
    """The office's table (data), completed by the rules default for levels the office has not set."""
    table = dict(rules.DEFAULT_INSPECTIONS_PER_YEAR)
    for row in SupervisionFrequency.objects.all():
        table[rules.RiskLevel(row.risk_level)] = row.inspections_per_year
    return table


def inspections_per_year(enterprise: Enterprise, table=None) -> int | None:
    if not enterprise.risk_level:
        return None
    return rules.inspections_per_year(enterprise.risk_level, table or frequency_table())


# --- major hazard sources ---------------------------------------------------------------------------------


def recompute_major_hazard(source: MajorHazardSource) -> None:
    """R = α·Σβq/Q and level 1–4 (GB 18218-2018, 40号令 附件1; rules.md CL-32)."""
    substances = list(source.substances.all())
    if substances:
        alpha = rules.alpha_for_population(source.people_within_500m)
        r_value = rules.major_hazard_r(alpha, [(s.beta(), s.quantity_t, s.threshold_t) for s in substances])
        level = rules.major_hazard_level(r_value)
    else:
        r_value, level = None, None
    if (source.r_value, source.level) != (r_value, level):
        MajorHazardSource.objects.filter(pk=source.pk).update(r_value=r_value, level=level)
        source.r_value, source.level = r_value, level
        label = rules.MAJOR_HAZARD_LEVEL_LABELS.get(level, "未分级") if level else "未分级"
        record_action(
            source, "registry.major_hazard_graded", f"R值 {r_value if r_value is not None else '—'}，{label}"
        )


# --- enterprise status: the transitions table -------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    needs_reason: bool = True


S = EnterpriseStatus
STATUS_TRANSITIONS: tuple[Transition, ...] = (
    Transition("suspend", "停产", frozenset({S.OPERATING}), S.SUSPENDED, frozenset({Role.OFFICE, Role.TOWN})),
    Transition(
        "resume", "恢复生产", frozenset({S.SUSPENDED}), S.OPERATING, frozenset({Role.OFFICE, Role.TOWN})
    ),
    # 安全生产法 第一百一十五条: closure is decided by the county government; recorded in the 关闭取缔 register.
    Transition("ban", "关闭取缔", frozenset({S.OPERATING, S.SUSPENDED}), S.BANNED, frozenset({Role.OFFICE})),
    Transition(
        "deregister",
        "注销",
        frozenset({S.OPERATING, S.SUSPENDED, S.BANNED}),
        S.DEREGISTERED,
        frozenset({Role.OFFICE, Role.TOWN}),
    ),
)
TRANSITIONS_BY_ACTION = {t.action: t for t in STATUS_TRANSITIONS}


def refusal(enterprise: Enterprise, action: str, user) -> str | None:
    """Why `user` may not perform `action` on `enterprise` now; None when allowed."""
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        return "没有这种操作。"
    if user.role not in transition.roles:
        return f"您的角色无权执行“{transition.label}”。"
    if enterprise.status not in transition.sources:
        return f"单位当前为“{enterprise.get_status_display()}”，不能执行“{transition.label}”。"
    return None


def available_transitions(enterprise: Enterprise, user) -> list[Transition]:
    return [t for t in STATUS_TRANSITIONS if refusal(enterprise, t.action, user) is None]


def change_status(enterprise: Enterprise, action: str, user, reason: str = "") -> Enterprise:
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        why = refusal(locked, action, user)
        if why:
            raise PermissionDenied(why)
        transition = TRANSITIONS_BY_ACTION[action]
        if transition.needs_reason and not reason.strip():
            raise ValidationError("请填写原因。")
        old = locked.get_status_display()
        locked.status = transition.target
        locked.save(update_fields=["status", "updated_at"])
        record_action(
            locked,
            f"registry.status_{action}",
            f"经营状态：{old} → {locked.get_status_display()}。原因：{reason.strip()}",
        )
    return locked


def record_closure(form, user) -> ClosureRecord:
    """Save a 关闭取缔 record; a registered unit becomes 关闭取缔 through the transitions table."""
    with transaction.atomic():
        closure = form.save()
        record_action(closure, "registry.closure_recorded", f"关闭取缔：{closure.decision_no}")
        enterprise = closure.enterprise
        if enterprise is not None and enterprise.status != EnterpriseStatus.BANNED:
            change_status(enterprise, "ban", user, f"关闭取缔决定 {closure.decision_no}")
    return closure


# --- serious-dishonesty list (应急管理部令第11号) ---------------------------------------------------------

BLACKLIST_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})


def list_enterprise(form, user) -> BlacklistEntry:
    """Record a listing decision (第四条 CR-03: the department that made the penalty decision lists)."""
    if user.role not in BLACKLIST_ROLES:
        raise PermissionDenied("您的角色无权列入严重失信主体名单。")
    with transaction.atomic():
        entry = form.save()
        record_action(
            entry,
            "registry.blacklisted",
            f"列入严重失信主体名单（{entry.get_ground_display()}），管理期限至{entry.end_date}",
        )
        record_action(entry.enterprise, "registry.blacklisted", f"列入严重失信主体名单：{entry.decision_no}")
    return entry


def list_person(entry: BlacklistEntry, user, person: BlacklistPerson) -> BlacklistPerson:
    """列入 a person with the unit's listing (CR-04/CR-05: 主要负责人 and the others found responsible)."""
    if user.role not in BLACKLIST_ROLES:
        raise PermissionDenied("您的角色无权列入严重失信主体名单。")
    with transaction.atomic():
        locked = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != "listed":
            raise ValidationError("该名单记录已移出或期满，不能再列入人员。")
        person.entry = locked
        person.id_number = person.id_number.strip().upper()
        person.full_clean()
        if BlacklistPerson.objects.filter(entry=locked, name=person.name, id_number=person.id_number).exists():
            raise ValidationError("该人员已在本条名单中。")
        person.save()
        record_action(locked, "registry.person_blacklisted", f"列入人员：{person}")
    return person


def listed_persons(name: str, id_number: str = "", day: date | None = None):
    """Persons on the list on `day` with this name (and identity number when given): e.g. before someone becomes
    a unit's 主要负责人. Matching by identity number when known, by name otherwise."""
    day = day or timezone.localdate()
    queryset = BlacklistPerson.objects.filter(active_blacklist_q(day, prefix="entry__")).select_related(
        "entry", "entry__enterprise"
    )
    id_number = (id_number or "").strip().upper()
    return queryset.filter(id_number=id_number) if id_number else queryset.filter(name=name.strip())


def remove_early(entry: BlacklistEntry, user, removed_on: date, reason: str) -> BlacklistEntry:
    """提前移出 (信用修复): allowed from rules.earliest_repair_date on (CR-08 🟡: 满12个月)."""
    if user.role not in BLACKLIST_ROLES:
        raise PermissionDenied("您的角色无权办理信用修复。")
    if not reason.strip():
        raise ValidationError("请填写提前移出（信用修复）的理由。")
    with transaction.atomic():
        locked = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.removed_on is not None:
            raise ValidationError(f"该名单记录已于{locked.removed_on}提前移出。")
        if removed_on > timezone.localdate():
            raise ValidationError("移出日期不能晚于今天。")
        if not rules.can_apply_for_early_removal(locked.start_date, removed_on):
            earliest = rules.earliest_repair_date(locked.start_date)
            if removed_on > locked.end_date:
                raise ValidationError(f"管理期限已于{locked.end_date}届满，无需提前移出。")
            raise ValidationError(f"列入满12个月后方可提前移出：最早{earliest}。")
        locked.removed_on = removed_on
        locked.removal_reason = reason.strip()
        locked.save(update_fields=["removed_on", "removal_reason"])
        record_action(
            locked, "registry.blacklist_removed", f"提前移出（信用修复），自{removed_on}起。理由：{reason}"
        )
        record_action(locked.enterprise, "registry.blacklist_removed", f"提前移出严重失信主体名单：{reason}")
    return locked


def restore_listing(entry: BlacklistEntry, user, reason: str) -> BlacklistEntry:
    """CR-08: a removal obtained by hiding facts or fraud is revoked and the listing restored."""
    if user.role not in BLACKLIST_ROLES:
        raise PermissionDenied("您的角色无权撤销信用修复。")
    if not reason.strip():
        raise ValidationError("请填写撤销提前移出的理由。")
    with transaction.atomic():
        locked = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.removed_on is None:
            raise ValidationError("该名单记录未提前移出，无需恢复。")
        locked.removed_on = None
        locked.removal_reason = ""
        locked.save(update_fields=["removed_on", "removal_reason"])
        record_action(locked, "registry.blacklist_restored", f"撤销提前移出，恢复列入。理由：{reason}")
    return locked


def blacklisted_ids(enterprise_ids, day: date | None = None) -> set[int]:
    day = day or timezone.localdate()
    return set(
        BlacklistEntry.objects.filter(active_blacklist_q(day), enterprise_id__in=list(enterprise_ids))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )


def blacklisted_exists(day: date | None = None, outer: str = "pk") -> Exists:
    """Annotation: whether the unit (OuterRef `outer`) is on the list on `day`."""
    day = day or timezone.localdate()
    return Exists(BlacklistEntry.objects.filter(active_blacklist_q(day), enterprise_id=OuterRef(outer)))
