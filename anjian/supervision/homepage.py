"""Home panel "待办督办事项": the parts of 督办/交办 tasks the user's own unit still has to do, earliest deadline
first, overdue ones marked. Shown to departments and towns (core.homepage ROLE_HOMES names the key)."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm

from .models import WORKING_STATUSES, Assignment, AssignmentStatus, TaskStatus

PANEL_LIMIT = 6


def supervision_tasks_panel(request):
    user = request.user
    if not user.organisation_id or not has_perm(user, "supervision.report_assignment"):
        return None
    today = timezone.localdate()
    open_parts = Assignment.objects.filter(
        unit_id=user.organisation_id, status__in=WORKING_STATUSES, task__status=TaskStatus.OPEN
    )
    rows = list(open_parts.select_related("task").order_by("deadline", "id")[:PANEL_LIMIT])
    total = len(rows) if len(rows) < PANEL_LIMIT else open_parts.count()
    items = []
    for part in rows:
        overdue = part.is_overdue(today)
        returned = "（退回重办）" if part.status == AssignmentStatus.RETURNED else ""
        items.append(
            {
                "label": f"{part.task.title[:30]}{returned}",
                "url": part.get_absolute_url(),
                "note": f"{'已逾期，' if overdue else ''}时限 {part.deadline:%Y-%m-%d} · {part.get_role_display()}",
                "alert": overdue,
            }
        )
    return {
        "title": f"待办督办事项（{total} 项）",
        "items": items,
        "empty": "没有待办的督办事项。",
        "more_url": reverse("supervision:my_tasks"),
        "wide_screens_only": True,  # on a phone the to-do list already shows these
    }


PANELS = [("supervision_tasks", supervision_tasks_panel)]
