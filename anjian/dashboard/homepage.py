"""Home panel for leaders and the office: this year's key hazard figures in scope, each a link, and the dashboard."""

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
        "key": "dashboard",
        "title": f"{period.label}隐患治理（{user.territory.name}）",
        "more_url": reverse("dashboard:index"),
        "order": 5,
        "items": [
            {
                "label": f"整改率 {figures['rectification_rate']}",
                "url": links["rectified"],
                "note": f"本年发现 {figures['found']} 项",
            },
            {"label": f"销号率 {figures['closure_rate']}", "url": links["closed"]},
            {"label": f"逾期未整改 {figures['overdue']} 项", "url": links["overdue"]},
            {"label": f"重大隐患未销号 {figures['major_open']} 项", "url": links["major_open"]},
        ],
    }


PANELS = [dashboard_panel]
