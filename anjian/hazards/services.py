"""Hazard services: the only functions that create hazards or change their status.

Each one: lock the row (SELECT … FOR UPDATE), ask the transitions table (workflow.refusal) and raise
TransitionRefused with the Chinese reason, write, record a named action on the history (core.audit), and queue
notifications after commit. Pages, the API, the importer, inspections and the demo all call these.
"""

import calendar
import os
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action, write_entry
from anjian.core.documents import next_document_number
from anjian.core.scope import can_view
from anjian.stats import counts as stats_counts

from . import numbering, workflow
from .models import (
    OPEN_STATUSES,
    ExtensionRequest,
    Grade,
    Hazard,
    HazardPhoto,
    HazardReview,
    HazardSupervision,
    MajorHazardCriterion,
    Source,
    Status,
    StopOrder,
    SupervisionLevel,
)
from .workflow import TransitionRefused

ACTION_LABELS = {
    "hazard.registered": "登记隐患",
    "hazard.plan_set": "制定整改方案",
    "hazard.rectification_started": "开始整改",
    "hazard.reported": "报告整改完成",
    "hazard.accepted": "复查验收合格",
    "hazard.rejected": "复查验收不合格",
    "hazard.closed": "隐患销号",
    "hazard.closed_on_spot": "现场整改确认销号",
    "hazard.stop_ordered": "责令停产停业",
    "hazard.resumption_approved": "复产审批通过",
    "hazard.extension_requested": "申请延期",
    "hazard.extension_approved": "批准延期",
    "hazard.extension_rejected": "不批准延期",
    "hazard.listed": "挂牌督办",
    "hazard.delisted": "摘牌",
    "hazard.voided": "隐患作废",
    "hazard.reopened": "重新打开隐患",
    "hazard.overdue": "整改逾期",
}

NUMBER_SERIES = "hazards.hazard"
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".pdf"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# Magic numbers of the accepted types: the extension alone is not trusted.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-", b"RIFF")


def validate_photo(upload) -> None:
    """A photo or scan: JPEG/PNG/WebP/HEIC or PDF, at most 10 MB, content matching the type."""
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in PHOTO_EXTENSIONS:
        raise ValidationError(f"“{name}”的文件类型不支持，请上传 JPG、PNG、WebP、HEIC 图片或 PDF。")
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(f"“{name}”超过 10 MB。")
    head = upload.read(12)
    upload.seek(0)
    if ext != ".heic" and not any(head.startswith(sig) for sig in _SIGNATURES):
        raise ValidationError(f"“{name}”的内容与文件类型不符。")


def _attach(hazard, photos, kind, actor):
    for upload in photos:
        validate_photo(upload)
        HazardPhoto.objects.create(
            hazard=hazard,
            kind=kind,
            file=upload,
            original_name=os.path.basename(upload.name)[:200],
            uploaded_by=actor,
        )


def next_hazard_number(year: int) -> str:
    # Gap-free, never reused (a voided hazard keeps its number): one counter row per year.
    return numbering.next_hazard_number(year)


def _notify(hazard, title: str, recipients) -> None:
    """Queue in-app messages after commit (a rolled-back action never notifies)."""
    recipient_ids = sorted({u.pk for u in recipients if u is not None})
    if not recipient_ids:
        return

    def send():
        from anjian.notifications.models import Notification

        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(
                recipient_id=pk,
                kind="hazard.rectification",
                title=title[:200],
                body=hazard.description[:500],
                url=hazard.get_absolute_url(),
                created_at=now,
            )
            for pk in recipient_ids
        )

    transaction.on_commit(send)


def _enterprise_users(hazard):
    from anjian.core.models import User
    from anjian.core.roles import Role

    return list(User.objects.filter(enterprise_id=hazard.enterprise_id, role=Role.ENTERPRISE, is_active=True))


# --- registration ------------------------------------------------------------------------------------------
@transaction.atomic
def register_hazard(
    *,
    actor,
    enterprise,
    description,
    grade,
    sector=None,
    location="",
    category="",
    source=Source.DEPARTMENT,
    inspection=None,
    deadline=None,
    major_clause="",
    rectified_on_spot=False,
    confirmed_by=None,
    photos=(),
    major_criterion=None,
    nature="",
    found_on=None,
    inspector_names="",
    stop_order=StopOrder.NONE,
) -> Hazard:
    """Register one hazard (16号令 第十条). Raises TransitionRefused (not allowed) or ValidationError (bad input).

    `major_criterion` (a MajorHazardCriterion) or `major_clause` (free text) is required for 重大 (rules.md HZ-03);
    the clause text is stored on the hazard. With rectified_on_spot=True a general hazard is closed at once
    (现场立即整改), recording `confirmed_by` (default: the actor).
    """
    if not description or not description.strip():
        raise ValidationError({"description": "请填写隐患描述。"})
    if grade not in Grade.values:
        raise ValidationError({"grade": "隐患级别只能是一般事故隐患或重大事故隐患。"})
    if sector is None:
        sector = _single_sector(enterprise)
    reason = workflow.can_register(actor, enterprise, sector, source)
    if reason:
        raise TransitionRefused(reason)
    if major_criterion is not None:
        if not major_criterion.applies_to(sector):
            raise ValidationError({"major_criterion": "所选判定条款不属于该隐患的行业领域。"})
        major_clause = major_clause or major_criterion.citation
    if grade == Grade.MAJOR and not (major_clause or "").strip():
        raise ValidationError({"major_criterion": "重大事故隐患必须选择重大事故隐患判定标准中的条款。"})
    if grade == Grade.GENERAL:
        major_criterion, major_clause = None, ""
    if stop_order != StopOrder.NONE and grade != Grade.MAJOR:
        raise ValidationError({"stop_order": "只有重大事故隐患需要责令停产停业。"})
    found_on = found_on or timezone.localdate()
    hazard = Hazard(
        number=next_hazard_number(found_on.year),
        enterprise=enterprise,
        territory_id=enterprise.territory_id,
        sector=sector,
        location=location,
        description=description.strip(),
        category=category,
        nature=nature,
        source=source,
        grade=grade,
        major_criterion=major_criterion,
        major_clause=major_clause,
        inspection=inspection,
        found_on=found_on,
        found_by=actor,
        inspector_names=inspector_names or actor.get_full_name(),
        deadline=deadline,
        is_overdue=bool(deadline and deadline < timezone.localdate()),
        stop_order=stop_order,
        stop_review_due=stop_period_end(timezone.localdate()) if stop_order != StopOrder.NONE else None,
    )
    hazard.full_clean(exclude=["number", "territory", "enterprise", "found_by", "inspection", "sector"])
    hazard.save()
    _attach(hazard, photos, HazardPhoto.Kind.BEFORE, actor)
    record_action(
        hazard,
        "hazard.registered",
        f"登记{hazard.get_grade_display()}：{hazard.description[:60]}",
        actor=actor,
    )
    if stop_order != StopOrder.NONE:
        record_action(hazard, "hazard.stop_ordered", hazard.get_stop_order_display(), actor=actor)
    if rectified_on_spot:
        _close_on_spot(hazard, actor, confirmed_by or actor)
    else:
        _notify(
            hazard, f"新登记隐患待整改：{hazard.enterprise.name} {hazard.number}", _enterprise_users(hazard)
        )
    return hazard


def _single_sector(enterprise):
    sectors = list(enterprise.sectors.all()[:2])
    return sectors[0] if len(sectors) == 1 else None


# --- transitions -------------------------------------------------------------------------------------------
def _lock(hazard, actor, action, data):
    """Reload the hazard under a row lock and check the table; returns the locked row."""
    locked = (
        Hazard.objects.select_for_update(of=("self",)).select_related("supervising_org").get(pk=hazard.pk)
    )
    transition = workflow.BY_ACTION.get(action)
    if transition is not None and actor.role not in transition.roles:
        raise TransitionRefused(workflow.refusal(locked, actor, action, data))
    if not can_view(actor, locked):
        raise TransitionRefused("该隐患不在您的数据范围内。")
    reason = workflow.refusal(locked, actor, action, data)
    if reason:
        raise TransitionRefused(reason)
    return locked


def _set_status(hazard, action):
    target = workflow.BY_ACTION[action].target
    if target is not None:
        hazard.status = target
    hazard.is_overdue = hazard.overdue_now()


@transaction.atomic
def set_plan(
    hazard, *, actor, measures, responsible_person, deadline, funds=None, emergency_plan=""
) -> Hazard:
    data = dict(
        measures=measures,
        responsible_person=responsible_person,
        deadline=deadline,
        funds=funds,
        emergency_plan=emergency_plan,
    )
    hazard = _lock(hazard, actor, "set_plan", data)
    hazard.measures = measures.strip()
    hazard.responsible_person = responsible_person.strip()
    hazard.deadline = deadline
    hazard.funds = Decimal(funds) if funds not in (None, "") else None
    hazard.emergency_plan = (emergency_plan or "").strip()
    hazard.plan_set_at = timezone.now()
    _set_status(hazard, "set_plan")
    hazard.save()
    record_action(
        hazard, "hazard.plan_set", f"整改期限 {deadline}，责任人 {hazard.responsible_person}", actor=actor
    )
    return hazard


@transaction.atomic
def start_rectification(hazard, *, actor) -> Hazard:
    hazard = _lock(hazard, actor, "start_rectification", {})
    _set_status(hazard, "start_rectification")
    hazard.save()
    record_action(hazard, "hazard.rectification_started", actor=actor)
    return hazard


@transaction.atomic
def report_rectification(hazard, *, actor, note, money_spent=None, photos=()) -> Hazard:
    photos = list(photos)
    for upload in photos:
        validate_photo(upload)
    hazard = _lock(hazard, actor, "report", {"note": note, "photos": photos})
    _attach(hazard, photos, HazardPhoto.Kind.AFTER, actor)
    hazard.rectification_note = note.strip()
    hazard.money_spent = Decimal(money_spent) if money_spent not in (None, "") else None
    hazard.reported_by = actor
    hazard.reported_at = timezone.now()
    _set_status(hazard, "report")
    hazard.save()
    record_action(hazard, "hazard.reported", hazard.rectification_note[:200], actor=actor)
    _notify(hazard, f"隐患整改完成待复查：{hazard.enterprise.name} {hazard.number}", _reviewers(hazard))
    return hazard


def _reviewers(hazard):
    """Government staff who may re-inspect: the supervising body if listed, else the regulating department and
    the town of the unit."""
    from anjian.core.models import User
    from anjian.core.roles import Role

    qs = User.objects.filter(is_active=True)
    if hazard.supervising_org_id:
        return list(qs.filter(organisation_id=hazard.supervising_org_id))
    dept = (
        qs.filter(role=Role.INSPECTOR, organisation__sectors=hazard.sector_id)
        if hazard.sector_id
        else qs.none()
    )
    return [u for u in dept if hazard.territory_path.startswith(u.territory_path)]


def _review(hazard, actor, accepted, opinion, action):
    from anjian.core.documents import format_document_number

    year = timezone.localdate().year
    number = format_document_number("安监复查", year, next_document_number("hazards.review", year))
    HazardReview.objects.create(
        hazard=hazard, accepted=accepted, opinion=opinion, reviewer=actor, number=number
    )
    hazard.reviewed_by = actor
    hazard.reviewed_at = timezone.now()
    _set_status(hazard, action)


@transaction.atomic
def accept_rectification(hazard, *, actor, opinion="") -> Hazard:
    hazard = _lock(hazard, actor, "accept", {})
    _review(hazard, actor, True, opinion.strip() or "经复查，隐患已整改到位。", "accept")
    hazard.save()
    record_action(hazard, "hazard.accepted", opinion, actor=actor)
    return hazard


@transaction.atomic
def reject_rectification(hazard, *, actor, reason) -> Hazard:
    hazard = _lock(hazard, actor, "reject", {"reason": reason})
    _review(hazard, actor, False, reason.strip(), "reject")
    hazard.save()
    record_action(hazard, "hazard.rejected", reason, actor=actor)
    _notify(hazard, f"隐患复查不合格，请继续整改：{hazard.number}", _enterprise_users(hazard))
    return hazard


@transaction.atomic
def close_hazard(hazard, *, actor, note="") -> Hazard:
    """销号 (R16 第二十三条: 核销). A listed hazard is delisted (摘牌) at the same time."""
    hazard = _lock(hazard, actor, "close", {})
    _finish(hazard, actor)
    hazard.save()
    record_action(hazard, "hazard.closed", note, actor=actor)
    _notify(hazard, f"隐患已销号：{hazard.number}", _enterprise_users(hazard))
    return hazard


def _finish(hazard, actor):
    now = timezone.now()
    hazard.closed_by = actor
    hazard.closed_at = now
    _set_status(hazard, "close")
    hazard.status = Status.CLOSED
    delist(hazard, actor=actor, reason="隐患销号，摘牌销号", now=now)


def _close_on_spot(hazard, actor, confirmed_by):
    reason = workflow.refusal(hazard, actor, "close_on_spot", {})
    if reason:
        raise TransitionRefused(reason)
    hazard.rectified_on_spot = True
    hazard.confirmed_by = confirmed_by
    hazard.rectification_note = hazard.rectification_note or "现场立即整改。"
    hazard.reported_by = hazard.reported_by or confirmed_by
    hazard.reported_at = hazard.reported_at or timezone.now()
    hazard.reviewed_by = confirmed_by
    hazard.reviewed_at = timezone.now()
    _finish(hazard, actor)
    hazard.save()
    record_action(
        hazard, "hazard.closed_on_spot", f"现场整改确认人：{confirmed_by.get_full_name()}", actor=actor
    )


@transaction.atomic
def close_on_spot(hazard, *, actor, confirmed_by=None) -> Hazard:
    hazard = _lock(hazard, actor, "close_on_spot", {})
    _close_on_spot(hazard, actor, confirmed_by or actor)
    return hazard


STOP_PERIOD_MONTHS = 6  # HZ-45, 安全生产违法行为行政处罚办法 第十四条: 期限一般不超过6个月


def stop_period_end(start: date) -> date:
    """The day a temporary stop ordered on `start` reaches 6 months (民法典 第二百零二条: 到期月的对应日; 没有对应日的，
    月末日). The department then reviews resumption (R16 第二十三条) or takes a further decision."""
    month = start.month - 1 + STOP_PERIOD_MONTHS
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def order_stop(hazard, *, actor, kind=StopOrder.PARTIAL, reason="") -> Hazard:
    # 安全生产法 第六十五条第一款第三项 (rules.md HZ-41).
    if kind not in (StopOrder.PARTIAL, StopOrder.TOTAL):
        raise ValidationError({"kind": "请选择局部或全部停产停业。"})
    hazard = _lock(hazard, actor, "order_stop", {})
    hazard.stop_review_due = stop_period_end(timezone.localdate())
    hazard.stop_order = kind
    hazard.save()
    record_action(
        hazard, "hazard.stop_ordered", f"{hazard.get_stop_order_display()} {reason}".strip(), actor=actor
    )
    return hazard


@transaction.atomic
def approve_resumption(hazard, *, actor, note="") -> Hazard:
    """Explicit resumption approval after a stop order (R16 第十八条, 第二十三条: review then agree to resume)."""
    hazard = _lock(hazard, actor, "approve_resumption", {})
    hazard.resumption_approved_by = actor
    hazard.resumption_approved_at = timezone.now()
    hazard.save()
    record_action(hazard, "hazard.resumption_approved", note, actor=actor)
    return hazard


@transaction.atomic
def request_extension(hazard, *, actor, new_deadline: date, reason) -> ExtensionRequest:
    hazard = _lock(hazard, actor, "request_extension", {"new_deadline": new_deadline, "reason": reason})
    request = ExtensionRequest.objects.create(
        hazard=hazard,
        old_deadline=hazard.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        requested_by=actor,
    )
    record_action(hazard, "hazard.extension_requested", f"申请延期至 {new_deadline}：{reason}", actor=actor)
    _notify(hazard, f"隐患整改延期申请待审批：{hazard.number}", _reviewers(hazard))
    return request


@transaction.atomic
def decide_extension(hazard, *, actor, approve: bool, note="") -> ExtensionRequest:
    action = "approve_extension" if approve else "reject_extension"
    hazard = _lock(hazard, actor, action, {})
    request = ExtensionRequest.objects.select_for_update().get(
        hazard=hazard, status=ExtensionRequest.Status.PENDING
    )
    request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    if approve:
        hazard.deadline = request.new_deadline
        hazard.is_overdue = hazard.overdue_now()
        hazard.save()
    record_action(
        hazard,
        f"hazard.extension_{'approved' if approve else 'rejected'}",
        f"延期至 {request.new_deadline} {note}".strip(),
        actor=actor,
    )
    _notify(hazard, f"延期申请{'已批准' if approve else '未批准'}：{hazard.number}", [request.requested_by])
    return request


@transaction.atomic
def list_supervision(hazard, *, actor, deadline: date, reason="") -> HazardSupervision:
    """挂牌督办 (rules.md §1.5, HZ-42): the actor's government lists the hazard; its organisation supervises."""
    from anjian.core.documents import format_document_number

    hazard = _lock(hazard, actor, "list_supervision", {"deadline": deadline})
    level = workflow.supervision_level_for(actor)
    # A higher level lists what a lower level listed (may_list refuses the same or a lower level): the lower
    # listing is taken down, with its history, and the higher one supervises from now on.
    level_label = SupervisionLevel(level).label
    delist(hazard, actor=actor, reason=f"升级为{level_label}")
    year = timezone.localdate().year
    supervision = HazardSupervision.objects.create(
        hazard=hazard,
        level=level,
        supervising_org=actor.organisation,
        deadline=deadline,
        reason=reason,
        number=format_document_number("安委督办", year, next_document_number("hazards.supervision", year)),
        listed_by=actor,
    )
    hazard.supervision_level = level
    hazard.supervising_org = actor.organisation
    hazard.save()
    record_action(
        hazard,
        "hazard.listed",
        f"{supervision.get_level_display()}，督办机构 {actor.organisation}，限期 {deadline} 销号",
        actor=actor,
    )
    _notify(hazard, f"隐患已{supervision.get_level_display()}：{hazard.number}", _enterprise_users(hazard))
    return supervision


def delist(hazard, *, actor, reason: str, now=None) -> list[HazardSupervision]:
    """摘牌: take down the hazard's active 挂牌督办 listings (rules.md §1.5: 摘牌销号 at closure; a listing replaced
    by a higher level's; a voided hazard). Each one gets a named entry on the hazard's history with who, when and
    why. Called by the services that hold the hazard's row lock; returns the listings taken down."""
    now = now or timezone.now()
    listings = list(
        HazardSupervision.objects.select_for_update()
        .filter(hazard=hazard, is_active=True)
        .select_related("supervising_org")
    )
    for listing in listings:
        HazardSupervision.objects.filter(pk=listing.pk).update(is_active=False, delisted_at=now)
        listing.is_active, listing.delisted_at = False, now
        record_action(
            hazard,
            "hazard.delisted",
            f"{listing.get_level_display()}（{listing.number}，督办机构 {listing.supervising_org}）摘牌：{reason}",
            changes={"挂牌督办": [f"{listing.get_level_display()} {listing.number}", "已摘牌"]},
            actor=actor,
        )
    return listings


@transaction.atomic
def void_hazard(hazard, *, actor, reason) -> Hazard:
    """Void (作废) with a reason; never delete — the number stays taken."""
    hazard = _lock(hazard, actor, "void", {"reason": reason})
    hazard.void_reason = reason.strip()
    _set_status(hazard, "void")
    hazard.is_overdue = False
    hazard.save()
    delist(hazard, actor=actor, reason=f"隐患作废：{hazard.void_reason}")
    record_action(hazard, "hazard.voided", reason, actor=actor)
    return hazard


@transaction.atomic
def reopen_hazard(hazard, *, actor, reason) -> Hazard:
    """Reopen a closed hazard (e.g. found again at re-check); the closure stays visible in the history."""
    hazard = _lock(hazard, actor, "reopen", {"reason": reason})
    hazard.closed_at = None
    hazard.closed_by = None
    hazard.reviewed_at = None
    hazard.reviewed_by = None
    hazard.reported_by = None
    hazard.reported_at = None
    hazard.resumption_approved_at = None
    hazard.resumption_approved_by = None
    _set_status(hazard, "reopen")
    hazard.save()
    record_action(hazard, "hazard.reopened", reason, actor=actor)
    _notify(hazard, f"隐患已重新打开，请继续整改：{hazard.number}", _enterprise_users(hazard))
    return hazard


def perform(hazard, actor, action: str, data: dict):
    """Dispatch an action name (as in workflow.TRANSITIONS) with cleaned form/API data to its service."""
    if action == "set_plan":
        return set_plan(
            hazard,
            actor=actor,
            measures=data.get("measures", ""),
            responsible_person=data.get("responsible_person", ""),
            deadline=data.get("deadline"),
            funds=data.get("funds"),
            emergency_plan=data.get("emergency_plan", ""),
        )
    if action == "start_rectification":
        return start_rectification(hazard, actor=actor)
    if action == "report":
        return report_rectification(
            hazard,
            actor=actor,
            note=data.get("note", ""),
            money_spent=data.get("money_spent"),
            photos=data.get("photos") or (),
        )
    if action == "accept":
        return accept_rectification(hazard, actor=actor, opinion=data.get("opinion", ""))
    if action == "reject":
        return reject_rectification(hazard, actor=actor, reason=data.get("reason", ""))
    if action == "close":
        return close_hazard(hazard, actor=actor, note=data.get("note", ""))
    if action == "close_on_spot":
        return close_on_spot(hazard, actor=actor)
    if action == "order_stop":
        return order_stop(
            hazard, actor=actor, kind=data.get("kind") or StopOrder.PARTIAL, reason=data.get("reason", "")
        )
    if action == "approve_resumption":
        return approve_resumption(hazard, actor=actor, note=data.get("note", ""))
    if action == "request_extension":
        return request_extension(
            hazard, actor=actor, new_deadline=data.get("new_deadline"), reason=data.get("reason", "")
        )
    if action in ("approve_extension", "reject_extension"):
        return decide_extension(
            hazard, actor=actor, approve=action == "approve_extension", note=data.get("note", "")
        )
    if action == "list_supervision":
        return list_supervision(
            hazard, actor=actor, deadline=data.get("deadline"), reason=data.get("reason", "")
        )
    if action == "void":
        return void_hazard(hazard, actor=actor, reason=data.get("reason", ""))
    if action == "reopen":
        return reopen_hazard(hazard, actor=actor, reason=data.get("reason", ""))
    raise TransitionRefused("未知的操作。")


# --- deadlines ---------------------------------------------------------------------------------------------
def refresh_overdue(today: date | None = None) -> int:
    """Flag open hazards past their deadline, unflag the rest: two conditional updates on indexed columns, so a
    scan is cheap and idempotent (STYLE §12); each flipped row gets its history entry, so the history replays
    to the flag. Returns the number of rows newly flagged."""
    today = today or timezone.localdate()
    flagged = _flip_overdue(
        Hazard.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today, is_overdue=False), True
    )
    _flip_overdue(
        Hazard.objects.filter(is_overdue=True).exclude(status__in=OPEN_STATUSES, deadline__lt=today), False
    )
    return flagged


def _flip_overdue(candidates, value: bool) -> int:
    ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        # The rows still to flip, locked with the keys they are counted under; the summary counts
        # (anjian.stats) move in the same transaction as the update.
        locked = list(
            candidates.select_for_update()
            .filter(pk__in=ids, is_overdue=not value)
            .values_list("pk", *stats_counts.HAZARD_KEY_COLUMNS)
        )
        flipped = Hazard.objects.filter(pk__in=[row[0] for row in locked]).update(is_overdue=value)
        moves = []
        for _pk, *columns in locked:
            moves.append(
                (stats_counts.key_of_columns(columns), stats_counts.key_of_columns(columns, is_overdue=value))
            )
        stats_counts.record_moves(moves)
        for hazard in Hazard.objects.filter(pk__in=[row[0] for row in locked]).order_by("pk"):
            write_entry(hazard, "update", {"is_overdue": [not value, value]})
    return flipped


def criterion_choices(sector):
    return MajorHazardCriterion.objects.filter(sector=sector, is_active=True)
