"""Home panel of the office, town staff and leaders: open and overdue hazards in scope and this year's rates,
each a link to the hazards behind it, and the dashboard."""

from django.urls import reverse
from django.utils import timezone

from anjian.assessment.periods import Period
from anjian.core.permissions import has_perm

from . import metrics


def dashboard_panel(request):
    user = request.user
    if (
        not has_perm(user, "dashboard.view_dashboard")
        or user.territory_id is None
        or not metrics.hazards_ready()
    ):
        return None
    period = Period.year(timezone.localdate().year)
    area = metrics.Area(user.territory, user)
    figures = metrics.hazard_totals(area, period)  # one aggregate query
    links = metrics.hazard_links(user.territory_id, period)
    return {
        "title": f"隐患治理（{user.territory.name}）",
        "more_url": reverse("dashboard:index"),
        "items": [
            {"label": f"未销号隐患 {figures['open']} 项", "url": links["open"]},
            {
                "label": f"逾期未整改 {figures['overdue']} 项",
                "url": links["overdue"],
                "alert": figures["overdue"] > 0,
            },
            {
                "label": f"重大隐患未销号 {figures['major_open']} 项",
                "url": links["major_open"],
                "alert": figures["major_open"] > 0,
            },
            {
                "label": f"{period.label}整改率 {figures['rectification_rate']}",
                "url": links["rectified"],
                "note": f"发现 {figures['found']} 项",
            },
            {"label": f"{period.label}销号率 {figures['closure_rate']}", "url": links["closed"]},
        ],
    }


PANELS = [("dashboard", dashboard_panel)]
