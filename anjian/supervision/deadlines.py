"""督办事项 deadlines and to-dos for the notifications engine (protocol: anjian/notifications/protocols.py).

Kind supervision.assignment — the 办理时限 of every assignment the unit still owes work on (待办理、办理中、
退回重办; indexed: status, deadline). Before the deadline the unit's staff are reminded; once overdue the issuing
side (the 安委办 of the issuer's government) is told, then the leaders of that government and the office above
(the engine's escalation ladder). A report waiting for acceptance is the issuer's to-do, not the unit's deadline.
"""

from collections.abc import Iterable
from datetime import datetime, time

from django.utils import timezone

from anjian.core.models import OrganisationKind, User
from anjian.core.roles import Role
from anjian.notifications.protocols import DeadlineItem, TodoItem

from . import services
from .models import (
    WORKING_STATUSES,
    Assignment,
    AssignmentStatus,
    ExtensionRequest,
    ExtensionStatus,
    TaskStatus,
)

KIND = "supervision.assignment"
DEADLINE_KINDS = {KIND: "督办事项办理时限"}
UNIT_ROLES = (Role.INSPECTOR, Role.TOWN, Role.OFFICE)


def end_of(day) -> datetime:
    # A 办理时限 date means "by the end of that day" (local time).
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    if kind != KIND:
        return
    last_day = timezone.localtime(due_before).date() if timezone.is_aware(due_before) else due_before.date()
    assignments = (
        # A completed task's 协办 parts left open are not chased (services._complete_if_done).
        Assignment.objects.filter(
            status__in=WORKING_STATUSES, deadline__lte=last_day, task__status=TaskStatus.OPEN
        )
        .select_related("task", "task__issuer", "task__issuer__territory", "unit")
        .order_by("deadline", "id")
    )
    people = _people_cache()
    for assignment in assignments.iterator(chunk_size=500):
        task = assignment.task
        yield DeadlineItem(
            kind=KIND,
            obj=assignment,
            due_at=end_of(assignment.deadline),
            title=f"{task.number}《{task.title[:40]}》（{assignment.unit}）办理时限",
            url=task.get_absolute_url(),
            responsible=tuple(people.unit(assignment.unit_id)),
            escalation=(
                tuple(people.issuer_office(task.issuer.territory_id)),
                tuple(people.level_two(task.issuer.territory)),
            ),
            territory_path=assignment.territory_path,
            unit=assignment.unit,
            role=Role.TOWN if assignment.unit.kind == OrganisationKind.LOCAL_GOVERNMENT else Role.INSPECTOR,
            supervisor=task.issuer,
        )


class _people_cache:
    """Users looked up once per unit/territory for a whole scan."""

    def __init__(self):
        self._cache = {}

    def _get(self, key, make):
        if key not in self._cache:
            self._cache[key] = list(make())
        return self._cache[key]

    def unit(self, unit_id):
        return self._get(
            ("unit", unit_id),
            lambda: User.objects.filter(is_active=True, organisation_id=unit_id, role__in=UNIT_ROLES),
        )

    def issuer_office(self, territory_id):
        return self._get(
            ("office", territory_id),
            lambda: User.objects.filter(
                is_active=True,
                role=Role.OFFICE,
                organisation__kind=OrganisationKind.OFFICE,
                organisation__territory_id=territory_id,
            ),
        )

    def level_two(self, territory):
        # The leaders of the issuing government, and the 安委办 of the government above it. ❓ The ladder beyond
        # the issuing office is local practice (通报、约谈 by 分管领导), not set by the domain notes.
        def make():
            leaders = list(User.objects.filter(is_active=True, role=Role.LEADER, territory_id=territory.pk))
            above = []
            if territory.parent_id:
                above = list(self.issuer_office(territory.parent_id))
            return leaders + above

        return self._get(("level2", territory.pk), make)


def todo_items(user) -> Iterable[TodoItem]:
    """Units: their parts still to do (待办理、办理中、退回重办). The issuing office: reports waiting for
    acceptance and extension requests waiting for a decision."""
    today = timezone.localdate()
    items = []
    if user.role in (Role.INSPECTOR, Role.TOWN, Role.OFFICE) and user.organisation_id:
        mine = (
            Assignment.objects.filter(
                unit_id=user.organisation_id, status__in=WORKING_STATUSES, task__status=TaskStatus.OPEN
            )
            .select_related("task", "unit")
            .order_by("deadline", "id")[:100]
        )
        for assignment in mine:
            verb = "重新办理" if assignment.status == AssignmentStatus.RETURNED else "办理督办事项"
            items.append(_todo(assignment, verb, today))
    if user.role == Role.OFFICE:
        visible = services.visible_tasks(user).filter(issuer__territory_id=user.organisation.territory_id)
        waiting = (
            Assignment.objects.filter(task__in=visible, status=AssignmentStatus.REPORTED)
            .select_related("task", "unit")
            .order_by("deadline", "id")[:100]
        )
        for assignment in waiting:
            items.append(_todo(assignment, "验收督办事项", today))
        pending = (
            ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING, assignment__task__in=visible)
            .select_related("assignment", "assignment__task", "assignment__unit")
            .order_by("requested_at")[:50]
        )
        for request in pending:
            items.append(
                _todo(
                    request.assignment, "审批延期", today, extra={"new_deadline": request.requested_deadline}
                )
            )
    return items


def _todo(assignment, action, today, extra=None) -> TodoItem:
    task = assignment.task
    return TodoItem(
        title=f"{task.number}《{task.title[:40]}》（{assignment.unit}）",
        url=task.get_absolute_url(),
        action=action,
        due_at=end_of(assignment.deadline),
        overdue=assignment.is_overdue(today),
        extra=extra or {},
        kind=KIND,
        obj=assignment,
    )
