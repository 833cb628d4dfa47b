"""Deadlines and to-dos of the operations app (protocol: anjian/notifications/protocols.py)."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.models import User
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import restrict
from anjian.notifications.protocols import DeadlineItem, TodoItem
from anjian.notifications.recipients import sector_regulator

from .models import Tip, TipStatus, WarningNotice

DEADLINE_KINDS = {
    "warning.acknowledge": "预警签收期限",
    "tip.handle": "举报办理期限",
    "plan.review": "应急预案三年评估",
}


def _end_of_day(day):
    return timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.max.time().replace(microsecond=0))
    )


def _office_staff(territory_path: str):
    """安委办 staff whose territory contains the path (the escalation level above the unit)."""
    return tuple(
        u
        for u in User.objects.filter(role=Role.OFFICE, is_active=True).select_related("territory")
        if territory_path.startswith(u.territory.path)
    )


def deadline_items(kind, due_before):
    if kind == "warning.acknowledge":
        notices = WarningNotice.objects.filter(
            acknowledged_at__isnull=True, warning__cancelled=False, ack_due_at__lte=due_before
        ).select_related("warning", "enterprise")
        regulators = {}
        for n in notices.iterator(chunk_size=500):
            unit_users = tuple(
                User.objects.filter(role=Role.ENTERPRISE, enterprise_id=n.enterprise_id, is_active=True)
            )
            town_users = tuple(
                u
                for u in User.objects.filter(role=Role.TOWN, is_active=True).select_related("territory")
                if n.territory_path.startswith(u.territory.path)
            )
            yield DeadlineItem(
                kind=kind,
                obj=n,
                due_at=n.ack_due_at,
                title=f"{n.enterprise.name}：{n.warning.title} 签收",
                url=reverse("operations:notice_ack", args=[n.pk]),
                responsible=unit_users,
                escalation=(town_users, _office_staff(n.territory_path)),
                territory_path=n.territory_path,
                unit=n.enterprise,
                role=Role.ENTERPRISE,
                # The department of the sector the warning reached the unit through (管行业必须管安全).
                supervisor=sector_regulator(n.sector_id, n.territory_path, regulators),
            )
    elif kind == "plan.review":
        # 应急预案每三年至少评估一次 (rules.md §9): due three years after the last revision (indexed revised_on).
        from .models import EmergencyPlan
        from .rules import PLAN_REVIEW_YEARS, plan_review_due

        local = timezone.localdate(due_before)
        try:
            latest = local.replace(year=local.year - PLAN_REVIEW_YEARS)
        except ValueError:
            latest = local.replace(year=local.year - PLAN_REVIEW_YEARS, day=28)
        plans = EmergencyPlan.objects.filter(revised_on__lte=latest).exclude(filing_status="expired")
        for p in plans.select_related("organisation", "enterprise").iterator(chunk_size=500):
            if p.enterprise_id:
                responsible = tuple(
                    User.objects.filter(role=Role.ENTERPRISE, enterprise_id=p.enterprise_id, is_active=True)
                )
            else:
                responsible = tuple(User.objects.filter(organisation_id=p.organisation_id, is_active=True))
            yield DeadlineItem(
                kind=kind,
                obj=p,
                due_at=_end_of_day(plan_review_due(p.revised_on)),
                title=f"{p.title} 三年评估",
                url=p.get_absolute_url(),
                responsible=responsible,
                escalation=(_office_staff(p.territory_path),),
                territory_path=p.territory_path,
                unit=p.enterprise,
                role=Role.ENTERPRISE if p.enterprise_id else "",
                supervisor=p.organisation,
            )
    elif kind == "tip.handle":
        tips = Tip.objects.filter(
            status=TipStatus.ASSIGNED, due_date__lte=timezone.localdate(due_before)
        ).select_related("assigned_org")
        for t in tips.iterator(chunk_size=500):
            yield DeadlineItem(
                kind=kind,
                obj=t,
                due_at=_end_of_day(t.due_date),
                title=f"举报 {t.number} 办理期限（{t.assigned_org}）",
                url=t.get_absolute_url(),
                responsible=tuple(User.objects.filter(organisation_id=t.assigned_org_id, is_active=True)),
                escalation=(_office_staff(t.territory_path),),
                territory_path=t.territory_path,
                supervisor=t.assigned_org,
            )


def todo_items(user):
    now = timezone.now()
    if has_perm(user, "operations.acknowledge_warningnotice"):
        for n in restrict(
            WarningNotice.objects.filter(acknowledged_at__isnull=True, warning__cancelled=False), user
        ).select_related("warning")[:50]:
            yield TodoItem(
                title=f"签收预警：{n.warning.title}",
                url=reverse("operations:notice_ack", args=[n.pk]),
                action="签收",
                due_at=n.ack_due_at,
                overdue=n.ack_due_at < now,
                kind="warning.acknowledge",
                obj=n,
            )
    if has_perm(user, "operations.triage_tip"):
        for t in restrict(Tip.objects.filter(status=TipStatus.RECEIVED), user)[:50]:
            yield TodoItem(
                title=f"分办举报 {t.number}", url=t.get_absolute_url(), action="分办", kind="", obj=t
            )
    if has_perm(user, "operations.verify_tip") and user.organisation_id:
        for t in restrict(
            Tip.objects.filter(status=TipStatus.ASSIGNED, assigned_org_id=user.organisation_id), user
        )[:50]:
            yield TodoItem(
                title=f"核查举报 {t.number}",
                url=t.get_absolute_url(),
                action="核查",
                due_at=_end_of_day(t.due_date) if t.due_date else None,
                overdue=bool(t.due_date and t.due_date < timezone.localdate()),
                kind="tip.handle",
                obj=t,
            )
