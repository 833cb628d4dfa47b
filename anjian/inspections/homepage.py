"""Home panel: my inspection tasks due (inspectors: assigned to me; town staff: in my territory)."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm

from .deadlines import todo_items

PANEL_LIMIT = 4


def my_tasks_panel(request):
    user = request.user
    if not has_perm(user, "inspections.view_inspectiontask") or user.role == "leader":
        return None
    items = [t for t in todo_items(user) if t.kind == "inspection.task"][:PANEL_LIMIT]
    return {
        "title": "我的检查任务（两周内到期）",
        "more_url": reverse("inspections:task_list") + "?mine=true&status=pending",
        "items": [
            {
                "label": t.title,
                "url": t.url,
                "note": ("已逾期 " if t.overdue else "期限 ") + f"{timezone.localtime(t.due_at):%Y-%m-%d}",
                "alert": t.overdue,
            }
            for t in items
        ],
        "empty": "两周内没有到期的检查任务。",
    }


PANELS = [("inspection_tasks", my_tasks_panel)]
