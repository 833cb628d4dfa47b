"""Inspection-task deadlines and to-dos for the notifications engine (protocol: anjian/notifications/protocols.py).

Kind inspection.task: the due date of every pending task (index task_inspector_idx / task_scope_idx on
status + due_date).
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from anjian.core.roles import Role
from anjian.core.scope import restrict
from anjian.notifications.protocols import DeadlineItem, TodoItem

from .models import Inspection, InspectionStatus, InspectionTask, TaskStatus

DEADLINE_KINDS = {"inspection.task": "检查任务完成期限"}
TODO_HORIZON_DAYS = 14  # tasks due within two weeks (or overdue) are to-dos
TODO_LIMIT = 100
# Who inspects for a plan's organisation: a department's inspectors, a town's staff, the office's staff.
ROLE_OF_ORGANISATION = {"department": Role.INSPECTOR, "local_government": Role.TOWN, "office": Role.OFFICE}


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    if kind != "inspection.task":
        return
    last_day = timezone.localtime(due_before).date() if timezone.is_aware(due_before) else due_before.date()
    tasks = (
        InspectionTask.objects.filter(status=TaskStatus.PENDING, due_date__lte=last_day)
        .select_related("enterprise", "plan", "plan__organisation", "inspector")
        .prefetch_related("co_inspectors")
        .order_by("due_date", "id")
    )
    from anjian.core.models import User

    # Escalation: the staff of the plan's responsible organisation, then the office of the unit's territory.
    offices = list(User.objects.filter(is_active=True, role=Role.OFFICE))
    by_org: dict[int, tuple] = {}
    for task in tasks.iterator(chunk_size=500):
        responsible = tuple(u for u in [task.inspector, *task.co_inspectors.all()] if u is not None)
        org_id = task.plan.organisation_id
        if org_id not in by_org:
            by_org[org_id] = tuple(
                User.objects.filter(is_active=True, organisation_id=org_id).exclude(role=Role.LEADER)
            )
        level1 = tuple(u for u in by_org[org_id] if u not in responsible)
        level2 = tuple(u for u in offices if task.territory_path.startswith(u.territory_path))
        yield DeadlineItem(
            kind=kind,
            obj=task,
            due_at=_end_of(task.due_date),
            title=f"{task.plan.name}：{task.enterprise.name} 检查任务",
            url=task.get_absolute_url(),
            responsible=responsible,
            escalation=(level1, level2),
            territory_path=task.territory_path,
            unit=task.plan.organisation,
            role=ROLE_OF_ORGANISATION.get(task.plan.organisation.kind, ""),
            supervisor=task.plan.organisation,
        )


def _my_tasks(user):
    through = InspectionTask.co_inspectors.through
    co = through.objects.filter(inspectiontask=OuterRef("pk"), user=user)
    return InspectionTask.objects.filter(Q(inspector=user) | Q(Exists(co)))


def todo_items(user) -> Iterable[TodoItem]:
    """Inspectors: their pending tasks due soon. Town staff: pending tasks in their territory due soon.
    Everyone who inspects: draft inspection records they lead."""
    if user.role not in (Role.INSPECTOR, Role.TOWN, Role.GRID, Role.OFFICE):
        return []
    today = timezone.localdate()
    horizon = today + timedelta(days=TODO_HORIZON_DAYS)
    if user.role == Role.TOWN:
        tasks = restrict(InspectionTask.objects.all(), user)
    else:
        tasks = restrict(_my_tasks(user), user)
    tasks = (
        tasks.filter(status=TaskStatus.PENDING, due_date__lte=horizon)
        .select_related("enterprise", "plan")
        .order_by("due_date", "id")[:TODO_LIMIT]
    )
    items = [
        TodoItem(
            title=f"{task.enterprise.name}（{task.plan.name}）",
            url=task.get_absolute_url(),
            action="检查",
            due_at=_end_of(task.due_date),
            overdue=task.due_date < today,
            kind="inspection.task",
            obj=task,
        )
        for task in tasks
    ]
    drafts = restrict(
        Inspection.objects.filter(status=InspectionStatus.DRAFT, lead_inspector=user), user
    ).select_related("enterprise")
    for inspection in drafts.order_by("inspected_on", "id")[:TODO_LIMIT]:
        items.append(
            TodoItem(
                title=f"{inspection.enterprise.name} 检查记录 {inspection.number}",
                url=reverse("inspections:inspection_fill", args=[inspection.pk]),
                action="完成检查记录",
            )
        )
    return items
