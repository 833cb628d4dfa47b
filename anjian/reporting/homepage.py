"""Home panel "报表待报送": the reports the user's unit must send soon, overdue ones marked."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm

from .overview import due_soon


def reports_due_panel(request):
    user = request.user
    if not has_perm(user, "reporting.fill_report"):
        return None
    today = timezone.localdate()
    items = []
    for report in due_soon(user, today):
        overdue = report.due_date < today
        items.append(
            {
                "label": f"{report.period_label}{report.template.name}（{report.get_status_display()}）",
                "url": report.get_absolute_url(),
                "note": f"{'已逾期，' if overdue else ''}截止 {report.due_date:%Y-%m-%d}",
                "alert": overdue,
            }
        )
    if not items:
        return None  # nothing due soon: no panel (the menu keeps 报表报送)
    return {
        "title": "报表待报送",
        "items": items,
        "empty": "近期没有待报送的报表。",
        "more_url": reverse("reporting:report_list") + "?mine=true&timeliness=open",
        "wide_screens_only": True,  # on a phone the to-do list already shows these
    }


PANELS = [("reporting_due", reports_due_panel)]
