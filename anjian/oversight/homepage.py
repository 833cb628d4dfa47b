"""Home panel "督查问题整改": a department's or town's open 督查 problems, earliest deadline first."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.roles import Role

from .access import problems_for
from .models import OPEN_STATUSES

PANEL_LIMIT = 6


def my_problems_panel(request):
    user = request.user
    if user.role not in (Role.INSPECTOR, Role.TOWN) or not has_perm(user, "oversight.view_problem"):
        return None
    today = timezone.localdate()
    open_problems = problems_for(user).filter(status__in=OPEN_STATUSES)
    rows = list(
        open_problems.select_related("visit").order_by(F("deadline").asc(nulls_last=True), "id")[:PANEL_LIMIT]
    )
    total = len(rows) if len(rows) < PANEL_LIMIT else open_problems.count()
    items = []
    for problem in rows:
        overdue = problem.overdue_now(today)
        if problem.deadline is None:
            note = "未定整改时限"
        else:
            note = f"{'已逾期，' if overdue else ''}时限 {problem.deadline:%Y-%m-%d}"
        items.append(
            {
                "label": f"{problem.description[:30]}（{problem.get_status_display()}）",
                "url": problem.get_absolute_url(),
                "note": note,
                "alert": overdue,
            }
        )
    return {
        "title": f"督查问题整改（未销号 {total} 个）",
        "items": items,
        "empty": "没有待整改的督查问题。",
        "more_url": reverse("oversight:problem_list") + "?open=true",
        "wide_screens_only": True,  # on a phone the to-do list already shows these
    }


PANELS = [("oversight_problems", my_problems_panel)]
