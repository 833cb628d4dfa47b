"""Accident deadlines for the notifications engine (see anjian/notifications/protocols.py).

- accident.report: a level of the reporting chain that has not yet received the report
  (493号令 第九条 1小时, 第十一条 每级2小时);
- accident.supplement: the end of the 补报 window, 30 days or 7 for road traffic and fire (第十三条);
- accident.followup: the next 续报 while the emergency response goes on (AC-22 ❓, daily or twice a day);
- accident.investigation: the investigation report due date (第二十九条, extension and appraisal included).
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.notifications.protocols import DeadlineItem, TodoItem

from . import rules
from .models import Accident, AccidentStatus, Investigation, ReportHop

DEADLINE_KINDS = {
    "accident.report": "事故逐级上报时限",
    "accident.supplement": "事故补报期限",
    "accident.followup": "事故续报",
    "accident.investigation": "事故调查报告提交期限",
}


def _end_of_day(day) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def _recorder(accident) -> tuple:
    return (accident.created_by,) if accident.created_by_id else ()


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    if kind == "accident.report":
        hops = ReportHop.objects.filter(
            required=True, received_at__isnull=True, deadline__lte=due_before
        ).select_related("accident", "accident__created_by")
        for hop in hops.order_by("deadline", "id"):
            yield DeadlineItem(
                kind=kind,
                obj=hop,
                due_at=hop.deadline,
                title=f"{hop.accident}：报{hop.get_level_display()}时限",
                url=hop.accident.get_absolute_url(),
                territory_path=hop.accident.territory_path,
                # 493号令 第九条、第十条: each level reports upward in time. Whoever recorded the accident follows
                # the chain; without them the engine falls back to the territory's town and office staff.
                responsible=_recorder(hop.accident),
            )
    elif kind == "accident.supplement":
        # The window's last day is inside the window (民法典 第二百零一条): due at the end of that day.
        # Only windows still open today: a closed window is no longer anybody's work.
        accidents = (
            Accident.reports.filter(
                supplement_until__lte=timezone.localtime(due_before).date(),
                supplement_until__gte=timezone.localdate(),
            )
            .exclude(status=AccidentStatus.CLOSED)
            .select_related("created_by")
        )
        for accident in accidents.order_by("supplement_until", "id"):
            due = _end_of_day(accident.supplement_until)
            if due <= due_before:
                yield DeadlineItem(
                    kind=kind,
                    obj=accident,
                    due_at=due,
                    title=f"{accident}：伤亡人数补报截止",
                    url=accident.get_absolute_url(),
                    territory_path=accident.territory_path,
                    responsible=_recorder(accident),
                )
    elif kind == "accident.followup":
        accidents = (
            Accident.reports.filter(follow_up_due__lte=due_before)
            .exclude(status=AccidentStatus.CLOSED)
            .select_related("created_by")
        )
        for accident in accidents.order_by("follow_up_due", "id"):
            yield DeadlineItem(
                kind=kind,
                obj=accident,
                due_at=accident.follow_up_due,
                title=f"{accident}：续报（应急处置结束前每{rules.FOLLOW_UP_HOURS[accident.grade_enum]}小时）",
                url=accident.get_absolute_url(),
                territory_path=accident.territory_path,
                responsible=_recorder(accident),
            )
    elif kind == "accident.investigation":
        investigations = Investigation.objects.filter(
            submitted_on__isnull=True, deadline__lte=timezone.localtime(due_before).date()
        ).select_related("accident", "accident__created_by")
        for inv in investigations.order_by("deadline", "id"):
            yield DeadlineItem(
                kind=kind,
                obj=inv,
                due_at=_end_of_day(inv.deadline),
                title=f"{inv.accident}：调查报告提交期限",
                url=inv.accident.get_absolute_url(),
                territory_path=inv.accident.territory_path,
                responsible=_recorder(inv.accident),
            )
    else:
        raise ValueError(f"unknown deadline kind {kind!r}")


def todo_items(user) -> Iterable[TodoItem]:
    """Open report hops and investigations due within the user's scope."""
    now = timezone.now()
    items: list[TodoItem] = []
    if has_perm(user, "accidents.record_hop"):
        hops = restrict(ReportHop.objects.filter(required=True, received_at__isnull=True), user)
        for hop in hops.select_related("accident").order_by("deadline", "id")[:50]:
            items.append(
                TodoItem(
                    title=f"{hop.accident}：报{hop.get_level_display()}",
                    url=hop.accident.get_absolute_url(),
                    action="上报",
                    due_at=hop.deadline,
                    overdue=now > hop.deadline,
                )
            )
    if has_perm(user, "accidents.change_investigation"):
        investigations = restrict(Investigation.objects.filter(submitted_on__isnull=True), user)
        for inv in investigations.select_related("accident").order_by("deadline", "id")[:50]:
            due = _end_of_day(inv.deadline)
            items.append(
                TodoItem(
                    title=f"{inv.accident}：提交调查报告",
                    url=inv.accident.get_absolute_url(),
                    action="调查",
                    due_at=due,
                    overdue=now > due,
                )
            )
    return items
