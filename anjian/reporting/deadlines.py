"""Report deadlines and to-dos for the notifications engine (protocol: anjian/notifications/protocols.py).

Kind reporting.report — the due date of every report not yet submitted (indexed: status, due_date). The
reporter is reminded before the due date; a report still missing after it is escalated to its receivers
(level 1) and to the 安委办 above them (level 2).
"""

from collections.abc import Iterable
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from anjian.core.models import OrganisationKind, User
from anjian.core.roles import Role
from anjian.core.scope import restrict
from anjian.notifications.protocols import DeadlineItem, TodoItem

from .models import OPEN_STATUSES, Report, ReportStatus
from .services import FILL_ROLES, RECEIVE_ROLES

DEADLINE_KINDS = {"reporting.report": "报表报送期限"}
UNIT_ROLES = {
    OrganisationKind.LOCAL_GOVERNMENT: Role.TOWN,
    OrganisationKind.DEPARTMENT: Role.INSPECTOR,
    OrganisationKind.OFFICE: Role.OFFICE,
}


def _end_of(day) -> datetime:
    # "X日前" is read as "by the end of day X" (rules.md T-HZ-16a ❓).
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _active(**filters):
    return User.objects.filter(is_active=True, **filters)


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    if kind != "reporting.report":
        return
    last_day = timezone.localdate(due_before) if timezone.is_aware(due_before) else due_before.date()
    reports = (
        Report.objects.filter(status__in=OPEN_STATUSES, due_date__lte=last_day)
        .select_related("template", "reporter_org", "reporter_enterprise")
        .prefetch_related("receivers")
        .order_by("due_date", "id")
    )
    offices = list(_active(role=Role.OFFICE))  # a few dozen at most: read once, not per report
    for report in reports.iterator(chunk_size=500):
        receivers = list(report.receivers.all())
        if report.reporter_enterprise_id:
            responsible = tuple(_active(role=Role.ENTERPRISE, enterprise_id=report.reporter_enterprise_id))
            unit, role = report.reporter_enterprise, Role.ENTERPRISE
        else:
            responsible = tuple(_active(organisation_id=report.reporter_org_id, role__in=FILL_ROLES))
            unit, role = report.reporter_org, UNIT_ROLES.get(report.reporter_org.kind, "")
        level1 = tuple(_active(organisation__in=receivers, role__in=RECEIVE_ROLES))
        yield DeadlineItem(
            kind=kind,
            obj=report,
            due_at=_end_of(report.due_date),
            title=f"{report} 报送截止",
            url=report.get_absolute_url(),
            responsible=responsible,
            escalation=(level1, _offices_above(receivers, offices)),
            territory_path=report.territory_path,
            unit=unit,
            role=role,
            supervisor=receivers[0] if receivers else None,
        )


def _offices_above(receivers, offices) -> tuple:
    """The 安委办 staff of the receivers' territories or above (a missing report the receiver let lie)."""
    paths = {r.territory_path for r in receivers}
    if not paths:
        return ()
    return tuple(
        u
        for u in offices
        if any(path.startswith(u.territory_path) for path in paths)
        and u.organisation_id not in {r.pk for r in receivers}
    )


def todo_items(user) -> Iterable[TodoItem]:
    """Reporters: their reports to fill (and those returned to them). Receivers: submitted reports to confirm."""
    today = timezone.localdate()
    visible = restrict(Report.objects.all(), user).select_related("template")
    items = []
    if user.role in FILL_ROLES:
        mine = (
            Q(reporter_enterprise_id=user.enterprise_id)
            if user.role == Role.ENTERPRISE
            else Q(reporter_org_id=user.organisation_id, reporter_org__isnull=False)
        )
        for report in visible.filter(mine, status__in=OPEN_STATUSES).order_by("due_date", "id")[:50]:
            action = "修改后重新报送" if report.status == ReportStatus.RETURNED else "填报"
            items.append(_todo(report, action, today))
    if user.role in RECEIVE_ROLES and user.organisation_id:
        waiting = visible.filter(status=ReportStatus.SUBMITTED, receivers=user.organisation_id)
        for report in waiting.order_by("submitted_at", "id")[:50]:
            items.append(_todo(report, "确认报表", today, due=False))
    return items


def _todo(report, action, today, due=True) -> TodoItem:
    return TodoItem(
        title=str(report),
        url=report.get_absolute_url(),
        action=action,
        due_at=_end_of(report.due_date) if due else None,
        overdue=due and report.due_date < today,
        kind="reporting.report",
        obj=report,
    )
