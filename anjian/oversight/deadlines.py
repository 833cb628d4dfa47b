"""督查 problem deadlines for the notifications engine (protocol: anjian/notifications/protocols.py).

Kind oversight.problem — the 整改时限 of every problem not yet reported done (indexed: status, deadline).
Reminders go to the responsible body's users; an overdue problem escalates to the 督查 side (the 安委办
following the visit up), then to the 安委办 of the government above.
"""

from collections.abc import Iterable
from datetime import datetime, time

from django.utils import timezone

from anjian.core.roles import Role
from anjian.notifications.protocols import DeadlineItem, TodoItem

from .access import problems_for
from .models import OVERDUE_STATUSES, Problem, ProblemStatus

DEADLINE_KINDS = {"oversight.problem": "督查问题整改时限"}
ACTING_ROLES = (Role.INSPECTOR, Role.TOWN, Role.OFFICE)
# Who acts for a responsible body: a department's staff, a town's staff, the office's own staff.
UNIT_ROLE = {"department": Role.INSPECTOR, "local_government": Role.TOWN, "office": Role.OFFICE}


def _end_of(day) -> datetime:
    # A deadline date means "by the end of that day" (local time).
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _users(**filters):
    from anjian.core.models import User

    return User.objects.filter(is_active=True, **filters)


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    if kind != "oversight.problem":
        return
    last_day = timezone.localtime(due_before).date() if timezone.is_aware(due_before) else due_before.date()
    problems = (
        Problem.objects.filter(status__in=OVERDUE_STATUSES, deadline__isnull=False, deadline__lte=last_day)
        .select_related("visit__owner_org__territory", "responsible_unit")
        .order_by("deadline", "id")
    )
    for problem in problems.iterator(chunk_size=500):
        owner = problem.visit.owner_org
        parent_id = owner.territory.parent_id
        yield DeadlineItem(
            kind=kind,
            obj=problem,
            due_at=_end_of(problem.deadline),
            title=f"{problem.responsible_unit}：{problem.description[:30]} 整改时限",
            url=problem.get_absolute_url(),
            responsible=tuple(_users(organisation_id=problem.responsible_unit_id, role__in=ACTING_ROLES)),
            escalation=(
                tuple(_users(organisation_id=owner.pk, role=Role.OFFICE)),
                tuple(_users(role=Role.OFFICE, territory_id=parent_id)) if parent_id else (),
            ),
            territory_path=problem.territory_path,
            unit=problem.responsible_unit,
            role=UNIT_ROLE.get(problem.responsible_unit.kind, ""),
            supervisor=owner,
        )


def todo_items(user) -> Iterable[TodoItem]:
    """Departments and towns: their problems to plan, rectify and report. The 安委办: completion reports to review
    (not its own)."""
    today = timezone.localdate()
    items = []
    if user.role in (Role.INSPECTOR, Role.TOWN, Role.OFFICE) and user.organisation_id:
        mine = problems_for(user).filter(
            responsible_unit_id=user.organisation_id,
            status__in=OVERDUE_STATUSES,
            visit__status__in=("fed_back", "rectifying", "done"),
        )
        verbs = {ProblemStatus.PENDING: "制定整改措施", ProblemStatus.RECTIFYING: "整改并报告"}
        for problem in mine.select_related("responsible_unit").order_by("deadline", "id")[:100]:
            items.append(_todo(problem, verbs[problem.status], today))
    if user.role == Role.OFFICE and user.organisation_id:
        review = (
            problems_for(user)
            .filter(status=ProblemStatus.REPORTED, visit__owner_org_id=user.organisation_id)
            .exclude(reported_by=user)
        )
        for problem in review.select_related("responsible_unit").order_by("deadline", "id")[:100]:
            items.append(_todo(problem, "审核销号", today))
    return items


def _todo(problem, action, today) -> TodoItem:
    return TodoItem(
        title=f"督查问题：{problem.responsible_unit}：{problem.description[:30]}",
        url=problem.get_absolute_url(),
        action=action,
        due_at=_end_of(problem.deadline) if problem.deadline else None,
        overdue=problem.overdue_now(today),
        kind="oversight.problem",
        obj=problem,
    )
