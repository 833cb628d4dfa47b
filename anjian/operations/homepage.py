"""Home panels: warnings waiting for the enterprise user's acknowledgement."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from .models import WarningNotice


def my_warnings(request):
    user = request.user
    if not has_perm(user, "operations.acknowledge_warningnotice"):
        return None
    notices = restrict(
        WarningNotice.objects.select_related("warning").filter(acknowledged_at__isnull=True), user
    ).order_by("ack_due_at")[:10]
    now = timezone.now()
    return {
        "title": "待签收的预警",
        "items": [
            {
                "label": n.warning.title,
                "url": reverse("operations:notice_ack", args=[n.pk]),
                "note": ("已逾期" if n.ack_due_at < now else "签收期限 ")
                + timezone.localtime(n.ack_due_at).strftime("%m-%d %H:%M"),
            }
            for n in notices
        ],
        "empty": "暂无待签收的预警。",
        "more_url": reverse("operations:notice_mine"),
    }


PANELS = [("operations-warnings", my_warnings)]
