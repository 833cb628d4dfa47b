"""The reporting figures of the dashboard and the home page: what fell due this month in the user's scope, how
much came in on time, late or not at all — each with the link to the filtered list behind it."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from . import periods
from .models import DONE_STATUSES, OPEN_STATUSES, Report


def _url(**params) -> str:
    return reverse("reporting:report_list") + "?" + urlencode(params)


def summary(user, today=None) -> dict:
    """{"period", "due", "submitted", "late", "missing", "rate", "urls": {...}} for reports due this month."""
    if not has_perm(user, "reporting.view_report"):
        return {}
    today = today or timezone.localdate()
    month = periods.period_containing(periods.MONTHLY, today)
    rows = restrict(Report.objects.all(), user).filter(due_date__gte=month.start, due_date__lte=month.end)
    done = Q(status__in=DONE_STATUSES)
    figures = rows.aggregate(
        due=Count("id"),
        submitted=Count("id", filter=done),
        late=Count("id", filter=Q(is_late=True)),
        missing=Count("id", filter=~done & Q(due_date__lt=today)),
        on_time=Count("id", filter=done & Q(is_late=False)),
    )
    due_range = {"due_after": month.start.isoformat(), "due_before": month.end.isoformat()}
    figures["rate"] = round(figures["on_time"] / figures["due"], 4) if figures["due"] else None
    figures["period"] = month.label
    figures["urls"] = {
        "due": _url(**due_range),
        "submitted": _url(**due_range, timeliness="done"),
        "late": _url(**due_range, late="true"),
        "missing": _url(**due_range, timeliness="missing"),
    }
    return figures


def due_soon(user, today=None, days=10, limit=6):
    """Open reports this user's unit must send, due within `days` or already overdue."""
    from datetime import timedelta

    today = today or timezone.localdate()
    rows = restrict(Report.objects.filter(status__in=OPEN_STATUSES), user).select_related("template")
    if user.enterprise_id:
        rows = rows.filter(reporter_enterprise_id=user.enterprise_id)
    else:
        rows = rows.filter(reporter_org_id=user.organisation_id, reporter_org__isnull=False)
    return list(rows.filter(due_date__lte=today + timedelta(days=days)).order_by("due_date", "id")[:limit])
