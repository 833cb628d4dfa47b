"""Home panel: the hazards waiting for this user (the same list the notifications to-do page shows)."""

from anjian.core.permissions import has_perm

from .deadlines import todo_items

PANEL_LIMIT = 8


def hazard_todo_panel(request):
    user = request.user
    if not has_perm(user, "hazards.change_hazard"):
        return None
    items = list(todo_items(user))[:PANEL_LIMIT]
    return {
        "key": "hazards_todo",
        "title": "隐患治理待办",
        "items": [
            {
                "label": f"{i.action}：{i.title}",
                "url": i.url,
                "note": ("已逾期 " if i.overdue else "") + (f"{i.due_at:%Y-%m-%d}" if i.due_at else ""),
            }
            for i in items
        ],
        "empty": "暂无待办的隐患。",
        "order": 20,
    }


PANELS = [hazard_todo_panel]
