"""Home panels: the to-do list (replaces core's placeholder, key "todo") and active key periods."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm

from .services import todo_for, visible_key_periods

PANEL_SIZE = 5


def todo_panel(request):
    user = request.user
    if not has_perm(user, "notifications.view_todo"):
        return None
    entries = todo_for(user)
    return {
        "title": f"待办事项（{len([e for e in entries if not e.error])}）",
        "template": "notifications/partials/todo_panel.html",
        "entries": entries[:PANEL_SIZE],
        "more": len(entries) > PANEL_SIZE,
        "more_url": reverse("notifications:todo"),
    }


def key_period_panel(request):
    user = request.user
    if not has_perm(user, "notifications.view_keyperiod"):
        return None
    today = timezone.localdate()
    periods = list(visible_key_periods(user).filter(start_date__lte=today, end_date__gte=today)[:5])
    if not periods:
        return None
    return {
        "title": "当前重点时段",
        "items": [
            {
                "label": str(p),
                "url": p.get_absolute_url(),
                "note": f"{p.start_date:%m-%d} 至 {p.end_date:%m-%d}",
            }
            for p in periods
        ],
        "more_url": reverse("notifications:keyperiod_list"),
    }


PANELS = [("todo", todo_panel), ("key_periods", key_period_panel)]
