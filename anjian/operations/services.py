"""State changes of the operations app: lock, check the transitions table, write, audit.

Views and API call these functions; nothing else changes a tip's status or a notice's acknowledgement.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.models import Organisation, OrganisationKind, Territory, TerritoryKind
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope

from . import rules
from .models import (
    DutyShift,
    ExposureRule,
    RewardKind,
    RewardRule,
    Tip,
    TipChannel,
    TipLink,
    TipPhoto,
    TipReward,
    TipStatus,
    WarningNotice,
    WeatherWarning,
)
from .models.tips import new_receipt_code, receipt_digest

# === public tips ======================================================================================


@dataclass(frozen=True)
class Transition:
    source: tuple[str, ...]
    target: str
    permission: str
    label: str


# The transitions table (the only way a tip's status changes). Guards are in the service functions.
TIP_TRANSITIONS = {
    "assign": Transition(
        (TipStatus.RECEIVED, TipStatus.ASSIGNED), TipStatus.ASSIGNED, "operations.triage_tip", "分办"
    ),
    "reject": Transition((TipStatus.RECEIVED,), TipStatus.REJECTED, "operations.triage_tip", "不予受理"),
    "verify": Transition((TipStatus.ASSIGNED,), TipStatus.VERIFIED, "operations.verify_tip", "核查属实"),
    "unfound": Transition((TipStatus.ASSIGNED,), TipStatus.UNFOUNDED, "operations.verify_tip", "核查不属实"),
    "close": Transition(
        (TipStatus.VERIFIED, TipStatus.UNFOUNDED), TipStatus.CLOSED, "operations.verify_tip", "办结"
    ),
}


def allowed_tip_actions(user, tip) -> list[str]:
    return [
        name
        for name, t in TIP_TRANSITIONS.items()
        if tip.status in t.source
        and has_perm(user, t.permission)
        and _assignment_guard(user, tip, name) is None
    ]


def _assignment_guard(user, tip, action) -> str | None:
    """Verification is done by the assigned unit (or the office that triaged it)."""
    if (
        action in ("verify", "unfound", "close")
        and user.role != Role.OFFICE
        and tip.assigned_org_id
        and user.organisation_id != tip.assigned_org_id
    ):
        return "只有承办单位或安委办可以核查办结此举报。"
    return None


def _check(user, tip, action) -> Transition:
    transition = TIP_TRANSITIONS[action]
    if not has_perm(user, transition.permission):
        raise PermissionDenied("您的角色无权执行此操作。")
    if tip.status not in transition.source:
        raise ValidationError(f"举报当前状态为“{tip.get_status_display()}”，不能{transition.label}。")
    reason = _assignment_guard(user, tip, action)
    if reason:
        raise PermissionDenied(reason)
    return transition


def _lock(tip) -> Tip:
    return Tip.objects.select_for_update().get(pk=tip.pk)


def ip_digest(ip: str | None) -> str:
    return hashlib.sha256((ip or "").encode()).hexdigest() if ip else ""


@transaction.atomic
def submit_tip(
    *, data: dict, photos=(), channel=TipChannel.WEB, ip: str | None = None, user=None
) -> tuple[Tip, str]:
    """Record a tip and its (already validated) photos; returns the tip and its receipt code (shown once)."""
    code = new_receipt_code()
    while Tip.objects.filter(receipt_digest=receipt_digest(code)).exists():  # pragma: no cover (2^60 space)
        code = new_receipt_code()
    tip = Tip(channel=channel, receipt_digest=receipt_digest(code), submitted_at=timezone.now(), **data)
    if tip.anonymous:
        tip.contact_name = tip.contact_phone = ""
    tip.client_ip_digest = ip_digest(ip)
    if tip.unit_name and not tip.enterprise_id:
        tip.enterprise = match_enterprise(tip.unit_name, tip.territory)
    tip.full_clean(exclude=["receipt_digest"])
    tip.save()
    for photo in photos:
        TipPhoto.objects.create(
            tip=tip, image=photo.file, content_type=photo.content_type, size=photo.size, sha256=photo.sha256
        )
    channel_label = TipChannel(channel).label
    record_action(tip, "operations.tip_submitted", f"收到举报（{channel_label}）", actor=user)
    return tip, code


def match_enterprise(unit_name: str, territory):
    """The registered unit whose name matches the reporter's text exactly, within the county of the tip."""
    from anjian.registry.models import Enterprise

    county = territory
    while county is not None and county.kind not in (TerritoryKind.COUNTY,):
        county = county.parent
    qs = Enterprise.objects.filter(name=unit_name.strip())
    if county is not None:
        qs = qs.filter(territory_path__startswith=county.path)
    matches = list(qs[:2])
    return matches[0] if len(matches) == 1 else None


def find_by_receipt(code: str) -> Tip | None:
    if len(rules_normalised(code)) != 12:
        return None
    return Tip.objects.filter(receipt_digest=receipt_digest(code)).first()


def rules_normalised(code: str) -> str:
    from .models.tips import normalise_receipt_code

    return normalise_receipt_code(code)


def suggest_assignee(tip) -> Organisation | None:
    """管行业必须管安全: the department supervising the tip's sector in the tip's county; else the town."""
    ancestors = list(tip.territory.ancestors(include_self=True))
    if tip.sector_id:
        department = (
            Organisation.objects.filter(
                kind=OrganisationKind.DEPARTMENT,
                sectors=tip.sector_id,
                territory__in=ancestors,
                is_active=True,
            )
            .order_by("-territory__depth", "sort_order", "id")
            .first()
        )
        if department:
            return department
    towns = [t for t in ancestors if t.kind in (TerritoryKind.TOWN, TerritoryKind.STREET, TerritoryKind.PARK)]
    if towns:
        return Organisation.objects.filter(
            kind=OrganisationKind.LOCAL_GOVERNMENT, territory=towns[-1], is_active=True
        ).first()
    return None


@transaction.atomic
def assign_tip(user, tip, *, organisation, due_date: date, sector=None, urgent=False, note="") -> Tip:
    tip = _lock(tip)
    transition = _check(user, tip, "assign")
    if organisation.kind not in (OrganisationKind.DEPARTMENT, OrganisationKind.LOCAL_GOVERNMENT):
        raise ValidationError("举报只能分办给行业部门或镇街。")
    if not tip.territory.path.startswith(organisation.territory.path):
        raise ValidationError("承办单位的辖区不包含举报发生地。")
    if due_date < timezone.localdate():
        raise ValidationError("办理期限不能早于今天。")
    if sector is not None:
        tip.sector = sector
    if (
        organisation.kind == OrganisationKind.DEPARTMENT
        and tip.sector_id
        and not organisation.sectors.filter(pk=tip.sector_id).exists()
    ):
        raise ValidationError("承办部门不监管该行业领域（管行业必须管安全）。")
    tip.status = transition.target
    tip.assigned_org = organisation
    tip.due_date = due_date
    tip.urgent = urgent
    tip.assigned_at = timezone.now()
    tip.save()
    record_action(tip, "operations.tip_assigned", f"分办至{organisation}，期限{due_date}。{note}".strip())
    return tip


@transaction.atomic
def reject_tip(user, tip, *, reason: str, duplicate_of=None) -> Tip:
    tip = _lock(tip)
    transition = _check(user, tip, "reject")
    if not reason.strip():
        raise ValidationError("请填写不予受理的理由。")
    tip.status = transition.target
    tip.public_reply = reason
    tip.duplicate_of = duplicate_of
    tip.closed_at = timezone.now()
    tip.save()
    record_action(tip, "operations.tip_rejected", reason)
    return tip


@transaction.atomic
def verify_tip(
    user,
    tip,
    *,
    founded: bool,
    verification: str,
    public_reply: str = "",
    make_hazard=False,
    make_case=False,
    hazard_grade="general",
    major_clause="",
) -> Tip:
    """Record the verification; a founded tip may become a hazard and/or an enforcement case in the same step
    (all or nothing: if the hazard or case cannot be created, the verification is not saved either)."""
    tip = _lock(tip)
    transition = _check(user, tip, "verify" if founded else "unfound")
    if not verification.strip():
        raise ValidationError("请填写核查情况。")
    if (make_hazard or make_case) and not founded:
        raise ValidationError("不属实的举报不能转为隐患或案件。")
    tip.status = transition.target
    tip.verification = verification
    tip.public_reply = public_reply or (
        "经核查，举报情况属实，已依法处理。" if founded else "经核查，举报情况不属实。"
    )
    tip.verified_at = timezone.now()
    tip.save()
    record_action(tip, "operations.tip_verified" if founded else "operations.tip_unfounded", verification)
    hazard = None
    if make_hazard:
        hazard = create_hazard_from_tip(user, tip, grade=hazard_grade, major_clause=major_clause)
        _link(tip, hazard, f"转为隐患：{hazard}")
    if make_case:
        case = create_case_from_tip(user, tip, hazard=hazard)
        _link(tip, case, f"立案：{case}")
    return tip


@transaction.atomic
def close_tip(user, tip, *, public_reply: str = "") -> Tip:
    tip = _lock(tip)
    transition = _check(user, tip, "close")
    tip.status = transition.target
    if public_reply:
        tip.public_reply = public_reply
    tip.closed_at = timezone.now()
    tip.save()
    record_action(tip, "operations.tip_closed", "举报办结")
    return tip


def _link(tip, obj, label):
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    TipLink.objects.create(
        tip=tip,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        label=label[:200],
        url=url,
    )
    record_action(tip, "operations.tip_linked", label)


def tips_linked_to(obj, user) -> list:
    """The tips a hazard or case came from (TipLink), as far as `user` may see them: the record links back to
    its source by reference, not by the text copied into its description."""
    from anjian.core.permissions import has_perm
    from anjian.core.scope import restrict

    if not has_perm(user, "operations.view_tip"):
        return []
    links = TipLink.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).values_list("tip_id", flat=True)
    return list(restrict(Tip.objects.filter(pk__in=links), user).order_by("id"))


class NotReady(ValidationError):
    pass


def create_hazard_from_tip(user, tip, *, grade="general", major_clause=""):
    """Through the hazards app's own service (its permission guard, numbering, audit and notifications).
    The hazard's source is 群众举报; its sector is the tip's sector."""
    from anjian.hazards.models import Source
    from anjian.hazards.services import TransitionRefused, register_hazard

    if tip.enterprise_id is None:
        raise ValidationError("转为隐患前请先匹配被举报的生产经营单位（隐患必须登记在单位名下）。")
    try:
        return register_hazard(
            actor=user,
            enterprise=tip.enterprise,
            description=f"（举报{tip.number}）{tip.content}\n核查：{tip.verification}",
            grade=grade,
            major_clause=major_clause,
            sector=tip.sector,
            location=tip.address,
            source=Source.PUBLIC_TIP,
        )
    except TransitionRefused as exc:
        raise PermissionDenied(str(exc)) from exc


def create_case_from_tip(user, tip, hazard=None):
    """立案 through the enforcement app's open_case (it numbers the case and sets the 90-day deadline)."""
    from anjian.enforcement.models import Case, SourceKind
    from anjian.enforcement.services import open_case

    if tip.enterprise_id is None:
        raise ValidationError("立案前请先匹配被举报的生产经营单位。")
    if tip.sector_id is None:
        raise ValidationError("立案前请在分办时确定行业领域。")
    case = Case(
        title=f"{tip.enterprise.name}涉嫌安全生产违法行为（举报{tip.number}）"[:200],
        enterprise=tip.enterprise,
        party_name=tip.enterprise.name,
        territory=tip.enterprise.territory,
        sector=tip.sector,
        source_kind=SourceKind.TIP,
        source_description=f"举报 {tip.number}",
        hazard=hazard,
        facts=tip.verification,
    )
    return open_case(case, user)


@transaction.atomic
def record_reward(user, tip, *, fine_amount=None, accident_grade="", verified_deaths=0, note="") -> TipReward:
    """rules.md §5.2: only verified tips are rewarded (RW-02/RW-03); only the first valid report (RW-07)."""
    if not has_perm(user, "operations.reward_tip"):
        raise PermissionDenied("您的角色无权登记举报奖励。")
    tip = _lock(tip)
    if tip.status not in (TipStatus.VERIFIED, TipStatus.CLOSED) or not tip.verified_at:
        raise ValidationError("只有经核查属实的举报才能登记奖励。")
    if tip.duplicate_of_id:
        raise ValidationError("重复举报只奖励首个有效举报人（RW-07）。")
    if TipReward.objects.filter(tip=tip).exists():
        raise ValidationError("该举报已登记奖励。")
    if tip.kind == "concealed_accident":
        rule = RewardRule.objects.get(kind=RewardKind.CONCEALED_ACCIDENT)
        per_death = {
            "一般": rule.per_death_general,
            "较大": rule.per_death_larger,
            "重大": rule.per_death_major,
            "特别重大": rule.per_death_especially,
        }
        amount = rules.reward_concealed(accident_grade, int(verified_deaths), per_death, rule.maximum)
    else:
        if fine_amount in (None, ""):
            raise ValidationError("请填写据以计算奖励的罚款金额。")
        rule = RewardRule.objects.get(kind=RewardKind.HAZARD_OR_ILLEGAL)
        amount = rules.reward_hazard_or_illegal(Decimal(fine_amount), rule.rate, rule.minimum, rule.maximum)
    reward = TipReward.objects.create(
        tip=tip,
        territory=tip.territory,
        rule=rule,
        fine_amount=fine_amount or None,
        accident_grade=accident_grade,
        verified_deaths=verified_deaths or 0,
        amount=amount,
        note=note,
    )
    record_action(tip, "operations.tip_rewarded", f"登记举报奖励 {amount} 元")
    return reward


# === weather warnings =================================================================================


def exposure_rule(warning_type: str) -> ExposureRule | None:
    return ExposureRule.objects.filter(warning_type=warning_type).prefetch_related("sectors").first()


def exposed_enterprises(warning):
    """Operating units in the warning's area (any area's subtree) and in the sectors the rule names, if the
    warning reaches the rule's level. Returns (queryset, sector ids) — the queryset is distinct by pk."""
    from anjian.registry.models import Enterprise, EnterpriseStatus

    rule = exposure_rule(warning.warning_type)
    if rule is None or not rules.level_reaches(warning.level, rule.min_level):
        return Enterprise.objects.none(), set()
    sector_ids = {s.pk for s in rule.sectors.all()}
    areas = list(warning.areas.all())
    if not sector_ids or not areas:
        return Enterprise.objects.none(), sector_ids
    area_q = Q()
    for area in areas:
        area_q |= Q(territory_path__startswith=area.path)
    through = Enterprise.sectors.through
    ids = through.objects.filter(sector_id__in=sector_ids).values("enterprise_id")
    qs = Enterprise.objects.filter(area_q, pk__in=ids, status=EnterpriseStatus.OPERATING)
    return qs, sector_ids


@transaction.atomic
def issue_warning(user, warning, now: datetime | None = None) -> int:
    """Create one notice per exposed unit (idempotent: units already notified are skipped) and send in-app
    messages to the units' users. Returns the number of new notices."""
    if not has_perm(user, "operations.change_weatherwarning"):
        raise PermissionDenied("您的角色无权发布预警。")
    now = now or timezone.now()
    warning = WeatherWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.cancelled:
        raise ValidationError("预警已解除，不能再通知。")
    enterprises, sector_ids = exposed_enterprises(warning)
    rule = exposure_rule(warning.warning_type)
    hours = rules.ack_hours_for(warning.level, rule.ack_hours if rule else 2)
    existing = set(warning.notices.values_list("enterprise_id", flat=True))
    notices = []
    for enterprise in enterprises.exclude(pk__in=existing).prefetch_related("sectors"):
        sector = next(s for s in enterprise.sectors.all() if s.pk in sector_ids)
        # One save per notice (not bulk_create): each notice's history starts with its creation.
        notices.append(
            WarningNotice.objects.create(
                warning=warning,
                enterprise=enterprise,
                sector=sector,
                territory_id=enterprise.territory_id,
                territory_path=enterprise.territory_path,
                sent_at=now,
                ack_due_at=now + timedelta(hours=hours),
            )
        )
    warning.notified_at = warning.notified_at or now
    warning.save(update_fields=["notified_at"])
    record_action(
        warning, "operations.warning_issued", f"通知受影响单位 {len(notices)} 家，签收时限 {hours} 小时"
    )
    _message_units(warning, [n.enterprise_id for n in notices], now)
    return len(notices)


def _message_units(warning, enterprise_ids, now):
    """In-app messages through the notifications app's inbox (its model; it has no send service yet)."""
    if not enterprise_ids:
        return
    try:
        from anjian.notifications.models import Notification
    except ImportError:  # pragma: no cover
        return
    from anjian.core.models import User

    recipients = User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=enterprise_ids, is_active=True)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=u,
                kind="warning.issued",
                title=f"【{warning.get_level_display()}预警】{warning.title}",
                body="请及时签收并报告已采取的防范措施。",
                url="/operations/warnings/mine/",
                created_at=now,
            )
            for u in recipients
        ]
    )


@transaction.atomic
def acknowledge_notice(user, notice, *, measures: str, now: datetime | None = None) -> WarningNotice:
    if not has_perm(user, "operations.acknowledge_warningnotice"):
        raise PermissionDenied("您的角色无权签收预警。")
    notice = WarningNotice.objects.select_for_update().get(pk=notice.pk)
    ensure_in_scope(user, notice)
    if notice.acknowledged_at:
        raise ValidationError("该预警已签收。")
    if not measures.strip():
        raise ValidationError("请填写已采取的防范措施。")
    notice.acknowledged_at = now or timezone.now()
    notice.acknowledged_by = user
    notice.measures = measures
    notice.save()
    record_action(notice, "operations.warning_acknowledged", measures[:200])
    return notice


@transaction.atomic
def cancel_warning(user, warning) -> WeatherWarning:
    if not has_perm(user, "operations.change_weatherwarning"):
        raise PermissionDenied("您的角色无权解除预警。")
    warning = WeatherWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.cancelled:
        raise ValidationError("预警已解除。")
    warning.cancelled = True
    warning.save()
    record_action(warning, "operations.warning_cancelled", "解除预警")
    return warning


def active_warnings(on: datetime | None = None):
    on = on or timezone.now()
    return WeatherWarning.objects.filter(cancelled=False, starts_at__lte=on, ends_at__gte=on)


def notice_summary(warning) -> dict:
    row = warning.notices.aggregate(
        total=Count("id"),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        overdue=Count("id", filter=Q(acknowledged_at__isnull=True, ack_due_at__lt=timezone.now())),
    )
    row["pending"] = row["total"] - row["acknowledged"]
    return row


# === duty =============================================================================================


def required_duty_days(organisation, start: date, end: date) -> list[date]:
    """Days of [start, end] inside a key period that requires 领导带班和24小时值班 for the organisation's
    territory (the notifications app's key-period calendar, including periods set for ancestors)."""
    from anjian.notifications.models import KeyPeriod

    territory = organisation.territory
    parts = [p for p in territory.path.split(".") if p]
    prefixes = [".".join(parts[: i + 1]) + "." for i in range(len(parts))]
    days = set()
    periods = KeyPeriod.objects.filter(
        requires_duty=True, territory_path__in=prefixes, start_date__lte=end, end_date__gte=start
    )
    for period in periods:
        days.update(rules.days_between(max(start, period.start_date), min(end, period.end_date)))
    return sorted(days)


def duty_gaps(organisation, start: date, end: date) -> list[tuple[date, str]]:
    shifts = {
        s.date: (s.leader_name, s.leader_phone, s.officer_name, s.officer_phone)
        for s in DutyShift.objects.filter(organisation=organisation, date__range=(start, end))
    }
    return rules.roster_gaps(required_duty_days(organisation, start, end), shifts)


def todays_shift(organisation, day: date | None = None):
    return DutyShift.objects.filter(organisation=organisation, date=day or timezone.localdate()).first()


@transaction.atomic
def fill_roster(user, roster, rows: list[dict]) -> int:
    """Create or update the shifts of a roster (one per day). Each row: date, leader_name, leader_phone,
    officer_name, officer_phone. Days outside the roster's period are refused."""
    if not has_perm(user, "operations.change_duty"):
        raise PermissionDenied("您的角色无权排班。")
    count = 0
    for row in rows:
        day = row["date"]
        if not (roster.start_date <= day <= roster.end_date):
            raise ValidationError(f"{day} 不在值班表期间内。")
        values = {k: row.get(k, "") for k in ("leader_name", "leader_phone", "officer_name", "officer_phone")}
        shift = DutyShift.objects.filter(organisation=roster.organisation, date=day).first()
        if shift is None:
            shift = DutyShift(
                roster=roster, organisation=roster.organisation, territory=roster.territory, date=day
            )
        elif shift.roster_id != roster.pk:
            raise ValidationError(f"{day} 已在另一张值班表中排班。")
        for key, value in values.items():
            setattr(shift, key, value)
        shift.save()
        count += 1
    ensure_in_scope(user, roster)
    return count


# === emergency =========================================================================================


@transaction.atomic
def drill_issues_to_hazards(user, drill) -> list:
    """Each line of a drill's "issues found" becomes a general hazard of the drilling unit (hazards service),
    with source 企业自查 for the unit's own staff and 部门检查 otherwise. Lines already converted are skipped."""
    from anjian.hazards.models import Source
    from anjian.hazards.services import TransitionRefused, register_hazard

    if drill.enterprise_id is None:
        raise ValidationError("只有企业演练发现的问题可以登记为该企业的隐患。")
    done = set(drill.hazard_lines or [])
    source = Source.SELF_CHECK if user.role == Role.ENTERPRISE else Source.DEPARTMENT
    created = []
    for line in (x.strip() for x in drill.issues.splitlines()):
        if not line or line in done:
            continue
        try:
            hazard = register_hazard(
                actor=user,
                enterprise=drill.enterprise,
                description=f"（应急演练 {drill.held_on} 发现）{line}",
                grade="general",
                source=source,
            )
        except TransitionRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        created.append(hazard)
        done.add(line)
    drill.hazard_lines = sorted(done)
    drill.save(update_fields=["hazard_lines"])
    if created:
        record_action(drill, "operations.drill_hazards", f"演练发现问题登记为隐患 {len(created)} 条")
    return created


def nearby(model, town: Territory, extra_filter: Q | None = None):
    """Records in the same town first, then in the other towns of the same county (neighbouring by county;
    the territory tree carries no adjacency). Returns [(group label, list)]."""
    town = _town_of(town)
    county = town.parent
    qs = model.objects.all()
    if extra_filter is not None:
        qs = qs.filter(extra_filter)
    same = list(qs.filter(territory_path__startswith=town.path)[:100])
    others = (
        list(
            qs.filter(territory_path__startswith=county.path).exclude(territory_path__startswith=town.path)[
                :200
            ]
        )
        if county
        else []
    )
    return [(f"本镇（{town.name}）", same), (f"{county.name if county else ''}其他镇街", others)]


def _town_of(territory):
    while territory.parent_id and territory.kind not in (
        TerritoryKind.TOWN,
        TerritoryKind.STREET,
        TerritoryKind.PARK,
        TerritoryKind.COUNTY,
    ):
        territory = territory.parent
    return territory


# === training and publicity ============================================================================


def training_counts(territory, start: date, end: date) -> dict:
    """Counts that assessment uses for a territory and period (subtree of the territory, dates inclusive)."""
    from .models import PublicityActivity, TrainingAttendee, TrainingSession

    sessions = TrainingSession.objects.filter(
        territory_path__startswith=territory.path, held_on__range=(start, end)
    )
    s = sessions.aggregate(n=Count("id"), people=Sum("attendee_count"), hours=Sum("hours"))
    by_audience = dict(sessions.values_list("audience").annotate(n=Count("id")).order_by())
    certificates = TrainingAttendee.objects.filter(session__in=sessions).exclude(certificate_no="").count()
    activities = PublicityActivity.objects.filter(
        territory_path__startswith=territory.path, held_on__range=(start, end)
    )
    a = activities.aggregate(n=Count("id"), people=Sum("participants"), materials=Sum("materials"))
    by_kind = dict(activities.values_list("kind").annotate(n=Count("id")).order_by())
    return {
        "training_sessions": s["n"],
        "training_attendees": s["people"] or 0,
        "training_hours": s["hours"] or Decimal("0"),
        "training_by_audience": by_audience,
        "certificates": certificates,
        "publicity_activities": a["n"],
        "publicity_participants": a["people"] or 0,
        "publicity_materials": a["materials"] or 0,
        "publicity_by_kind": by_kind,
    }
