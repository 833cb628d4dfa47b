"""The committee's waiting work on the to-do list (notifications engine, see notifications/protocols.py).

The 安委办: responsibility-list items its units drafted (安全生产法 第十七条: the lists are the government's to
publish, so the office confirms them), and meeting decisions with a deadline not yet turned into 督办 tasks.
Decisions that became tasks are followed by the 督办 app's own deadlines.
"""

from collections.abc import Iterable
from datetime import datetime, time

from django.db.models import Count
from django.utils import timezone

from anjian.core.models import Organisation
from anjian.core.roles import Role
from anjian.core.scope import restrict
from anjian.notifications.protocols import TodoItem

from .models import DutyItem, DutyStatus, MeetingDecision, ResponsibleUnit

DEADLINE_KINDS: dict[str, str] = {}
MAX_ITEMS = 50


def deadline_items(kind: str, due_before: datetime):
    return []


def todo_items(user) -> Iterable[TodoItem]:
    if user.role != Role.OFFICE:
        return []
    items = []
    pending = (
        restrict(DutyItem.objects.filter(is_active=True, status=DutyStatus.DRAFT), user)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("organisation")[:MAX_ITEMS]
    )
    counts = {row["organisation"]: row["n"] for row in pending}
    for unit in Organisation.objects.filter(pk__in=counts).order_by("territory_path", "sort_order"):
        items.append(
            TodoItem(
                title=f"{unit}责任清单：{counts[unit.pk]} 项待确认",
                url=ResponsibleUnit(pk=unit.pk).get_absolute_url(),
                action="确认责任清单",
            )
        )
    today = timezone.localdate()
    open_decisions = (
        restrict(MeetingDecision.objects.filter(task_id__isnull=True, deadline__isnull=False), user)
        .select_related("meeting")
        .order_by("deadline", "id")[:MAX_ITEMS]
    )
    for decision in open_decisions:
        items.append(
            TodoItem(
                title=f"{decision}：{decision.content[:40]}",
                url=decision.get_absolute_url(),
                action="转为督办或跟踪落实",
                due_at=timezone.make_aware(datetime.combine(decision.deadline, time(23, 59))),
                overdue=decision.deadline < today,
            )
        )
    return items
