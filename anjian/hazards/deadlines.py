"""Hazard deadlines and to-dos for the notifications engine (protocol: anjian/notifications/protocols.py).

Kinds:
- hazard.rectification — the rectification deadline (整改期限) of every open hazard (indexed: status, deadline);
- hazard.supervision — the 限期销号 date of every active 挂牌督办 (indexed: is_active, deadline).
"""

from collections.abc import Iterable
from datetime import datetime, time

from django.utils import timezone

from anjian.core.roles import Role
from anjian.core.scope import restrict
from anjian.notifications.protocols import DeadlineItem, TodoItem
from anjian.notifications.recipients import sector_regulator

from .models import (
    OPEN_STATUSES,
    DirectReport,
    DirectReportStatus,
    ExtensionRequest,
    Hazard,
    HazardSupervision,
    Status,
    StopOrder,
)

DEADLINE_KINDS = {
    "hazard.rectification": "隐患整改期限",
    "hazard.supervision": "挂牌督办期限",
    # HZ-20 (安全生产法 第四十六条第二款): the department deals with a safety manager's direct report in time.
    "hazard.direct_report": "重大事故隐患直接报告处理期限",
    # HZ-45 (安全生产违法行为行政处罚办法 第十四条): a stop ordered for a major hazard normally ends within 6 months.
    "hazard.stop_period": "重大事故隐患停产停业期限（一般不超过6个月）",
}


def _end_of(day) -> datetime:
    # A deadline date means "by the end of that day" (local time).
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _users(**filters):
    from anjian.core.models import User

    return User.objects.filter(is_active=True, **filters)


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    """Open items of `kind` due at or before `due_before` (one indexed range scan each)."""
    last_day = timezone.localtime(due_before).date() if timezone.is_aware(due_before) else due_before.date()
    if kind == "hazard.rectification":
        hazards = (
            Hazard.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False, deadline__lte=last_day)
            .select_related("enterprise", "sector", "supervising_org")
            .order_by("deadline", "id")
        )
        regulators = {}
        for hazard in hazards.iterator(chunk_size=500):
            yield DeadlineItem(
                kind=kind,
                obj=hazard,
                due_at=_end_of(hazard.deadline),
                title=f"{hazard.enterprise.name}：{hazard.description[:30]} 整改期限",
                url=hazard.get_absolute_url(),
                responsible=tuple(_users(role=Role.ENTERPRISE, enterprise_id=hazard.enterprise_id)),
                escalation=_escalation(hazard),
                territory_path=hazard.territory_path,
                # 总局令第16号 第十五条: the unit rectifies; without an account its regulator is told instead.
                unit=hazard.enterprise,
                role=Role.ENTERPRISE,
                supervisor=hazard.supervising_org
                or sector_regulator(hazard.sector_id, hazard.territory_path, regulators),
            )
    elif kind == "hazard.direct_report":
        yield from _direct_report_items(last_day)
    elif kind == "hazard.stop_period":
        stopped = (
            Hazard.objects.filter(
                stop_review_due__lte=last_day, resumption_approved_at__isnull=True, status__in=OPEN_STATUSES
            )
            .exclude(stop_order=StopOrder.NONE)
            .select_related("enterprise", "sector", "supervising_org")
            .order_by("stop_review_due", "id")
        )
        regulators = {}
        for hazard in stopped.iterator(chunk_size=500):
            level1, level2 = _escalation(hazard)
            yield DeadlineItem(
                kind=kind,
                obj=hazard,
                due_at=_end_of(hazard.stop_review_due),
                title=f"{hazard.enterprise.name}：{hazard.number} 停产停业将满6个月，须复产审查或依法作出处理",
                url=hazard.get_absolute_url(),
                # the department that ordered the stop reviews it (R16 第二十三条); the office is told if it does not
                responsible=level1,
                escalation=(level2,),
                territory_path=hazard.territory_path,
                unit=hazard.supervising_org
                or sector_regulator(hazard.sector_id, hazard.territory_path, regulators),
                role=Role.INSPECTOR,
                supervisor=hazard.supervising_org
                or sector_regulator(hazard.sector_id, hazard.territory_path, regulators),
            )
    elif kind == "hazard.supervision":
        listings = (
            HazardSupervision.objects.filter(is_active=True, deadline__lte=last_day)
            .select_related("hazard", "hazard__enterprise", "supervising_org__territory")
            .order_by("deadline", "id")
        )
        for listing in listings.iterator(chunk_size=500):
            hazard = listing.hazard
            yield DeadlineItem(
                kind=kind,
                obj=hazard,
                due_at=_end_of(listing.deadline),
                title=f"{listing.get_level_display()}：{hazard.enterprise.name} {hazard.number} 限期销号",
                url=hazard.get_absolute_url(),
                responsible=tuple(_users(role=Role.ENTERPRISE, enterprise_id=hazard.enterprise_id)),
                escalation=_supervision_escalation(listing),
                territory_path=hazard.territory_path,
                unit=hazard.enterprise,
                role=Role.ENTERPRISE,
                supervisor=listing.supervising_org,
            )


def _direct_report_items(last_day) -> Iterable[DeadlineItem]:
    reports = (
        DirectReport.objects.filter(status=DirectReportStatus.SUBMITTED, due_on__lte=last_day)
        .select_related("enterprise", "supervising_org__territory")
        .order_by("due_on", "id")
    )
    for report in reports.iterator(chunk_size=500):
        org = report.supervising_org
        staff = tuple(_users(organisation_id=org.pk, role__in=[Role.INSPECTOR, Role.OFFICE]))
        parent_id = org.territory.parent_id if org.territory_id else None
        above = tuple(_users(role=Role.OFFICE, territory_id=parent_id)) if parent_id else ()
        offices = tuple(
            u for u in _users(role=Role.OFFICE) if report.territory_path.startswith(u.territory_path)
        )
        yield DeadlineItem(
            kind="hazard.direct_report",
            obj=report,
            due_at=_end_of(report.due_on),
            title=f"{report.enterprise.name}：重大事故隐患直接报告待处理",
            url=report.get_absolute_url(),
            responsible=staff,
            # level 1: the county's 安委办; level 2: the office of the government above the department
            escalation=(offices, above),
            territory_path=report.territory_path,
            unit=org,
            role=Role.INSPECTOR,
            supervisor=org,
        )


def _supervision_escalation(listing) -> tuple[tuple, ...]:
    """Level 1: the supervising body; level 2: the 安委办 of the government above it (a 市级 listing left
    overdue goes to the province; a 省级 listing has no level above in this deployment)."""
    level1 = tuple(_users(organisation_id=listing.supervising_org_id))
    parent_id = listing.supervising_org.territory.parent_id
    level2 = tuple(_users(role=Role.OFFICE, territory_id=parent_id)) if parent_id else ()
    return (level1, level2)


def _escalation(hazard) -> tuple[tuple, ...]:
    """Level 1: the regulating department's inspectors and the unit's town staff; level 2: the county office."""
    level1 = []
    if hazard.sector_id:
        level1 += [
            u
            for u in _users(role=Role.INSPECTOR, organisation__sectors=hazard.sector_id)
            if hazard.territory_path.startswith(u.territory_path)
        ]
    level1 += [u for u in _users(role=Role.TOWN) if hazard.territory_path.startswith(u.territory_path)]
    level2 = [u for u in _users(role=Role.OFFICE) if hazard.territory_path.startswith(u.territory_path)]
    return (tuple(level1), tuple(level2))


def todo_items(user) -> Iterable[TodoItem]:
    """Enterprise staff: hazards to rectify or report. Inspectors and town staff: rectifications to re-inspect and
    extension requests to decide. The office: listed (挂牌督办) hazards it supervises waiting for acceptance/closure."""
    today = timezone.localdate()
    visible = restrict(Hazard.objects.all(), user).select_related("enterprise")
    items = []
    if user.role == Role.ENTERPRISE:
        todo = visible.filter(status__in=[Status.REGISTERED, Status.PLAN_SET, Status.RECTIFYING])
        verbs = {Status.REGISTERED: "制定整改方案", Status.PLAN_SET: "整改", Status.RECTIFYING: "整改并上报"}
        for hazard in todo.order_by("deadline", "id")[:100]:
            items.append(_todo(hazard, verbs[hazard.status], today))
    elif user.role in (Role.INSPECTOR, Role.TOWN):
        review = visible.filter(status__in=[Status.REPORTED, Status.ACCEPTED]).exclude(reported_by=user)
        if user.role == Role.TOWN:
            review = review.filter(grade="general")
        for hazard in review.order_by("deadline", "id")[:100]:
            if hazard.supervising_org_id and hazard.supervising_org_id != user.organisation_id:
                continue
            items.append(_todo(hazard, "复查验收" if hazard.status == Status.REPORTED else "销号", today))
        pending = ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING, hazard__in=visible
        ).select_related("hazard", "hazard__enterprise")
        for request in pending.order_by("requested_at")[:50]:
            items.append(
                _todo(request.hazard, "审批延期", today, extra={"new_deadline": request.new_deadline})
            )
        if user.role == Role.INSPECTOR:
            # Imported major hazards without a clause: the department picks one on the hazard's page (HZ-03).
            pending_basis = visible.filter(major_basis_pending=True, status__in=OPEN_STATUSES)
            for hazard in pending_basis.order_by("id")[:50]:
                items.append(_todo(hazard, "补充判定依据", today))
    if user.role in (Role.INSPECTOR, Role.OFFICE) and user.organisation_id:
        # HZ-20: direct reports of safety managers waiting for this department (安全生产法 第四十六条第二款).
        waiting = restrict(DirectReport.objects.all(), user).filter(
            status=DirectReportStatus.SUBMITTED, supervising_org_id=user.organisation_id
        )
        for report in waiting.select_related("enterprise").order_by("due_on", "id")[:50]:
            items.append(
                TodoItem(
                    title=f"{report.enterprise.name}：重大事故隐患直接报告",
                    url=report.get_absolute_url(),
                    action="核查处理",
                    due_at=_end_of(report.due_on),
                    overdue=report.due_on < today,
                    kind="hazard.direct_report",
                    obj=report,
                )
            )
    if user.role == Role.OFFICE and user.organisation_id:
        listed = visible.filter(
            supervising_org_id=user.organisation_id, status__in=[Status.REPORTED, Status.ACCEPTED]
        )
        for hazard in listed.order_by("deadline", "id")[:100]:
            items.append(_todo(hazard, "督办验收" if hazard.status == Status.REPORTED else "督办销号", today))
    return items


def _todo(hazard, action, today, extra=None) -> TodoItem:
    return TodoItem(
        title=f"{hazard.enterprise.name}：{hazard.description[:30]}（{hazard.number}）",
        url=hazard.get_absolute_url(),
        action=action,
        due_at=_end_of(hazard.deadline) if hazard.deadline else None,
        overdue=bool(hazard.deadline and hazard.deadline < today and hazard.is_open),
        extra=extra or {},
        kind="hazard.rectification",
        obj=hazard,
    )
