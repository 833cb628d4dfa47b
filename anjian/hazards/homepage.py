"""Home panel "我的整改": the enterprise's open hazards, earliest deadline first, overdue ones marked."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import restrict

from .models import OPEN_STATUSES, Hazard

PANEL_LIMIT = 6


def my_rectification_panel(request):
    user = request.user
    if user.role != Role.ENTERPRISE or not has_perm(user, "hazards.view_hazard"):
        return None
    today = timezone.localdate()
    open_hazards = restrict(Hazard.objects.filter(status__in=OPEN_STATUSES), user)
    rows = list(open_hazards.order_by(F("deadline").asc(nulls_last=True), "id")[:PANEL_LIMIT])
    total = len(rows) if len(rows) < PANEL_LIMIT else open_hazards.count()  # one enterprise: a few rows
    items = []
    for hazard in rows:
        overdue = hazard.overdue_now(today)
        if hazard.deadline is None:
            note = "未定整改期限"
        else:
            note = f"{'已逾期，' if overdue else ''}期限 {hazard.deadline:%Y-%m-%d}"
        items.append(
            {
                "label": f"{hazard.description[:30]}（{hazard.get_status_display()}）",
                "url": hazard.get_absolute_url(),
                "note": note,
                "alert": overdue,
            }
        )
    return {
        "title": f"我的整改（未销号 {total} 项）",
        "items": items,
        "empty": "没有待整改的隐患。",
        "more_url": reverse("hazards:hazard_list") + "?open=true",
    }


PANELS = [("my_rectification", my_rectification_panel)]
