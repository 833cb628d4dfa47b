"""Home panel: open cases, decisions waiting for approval, punishable findings without a case."""

from django.urls import reverse

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from . import queries
from .models import OPEN_STAGES, Case


def enforcement_panel(request):
    user = request.user
    if not has_perm(user, "enforcement.view_case"):
        return None
    cases = restrict(Case.objects.filter(stage__in=OPEN_STAGES), user)
    open_count = cases.count()  # open cases only: a small, indexed subset
    waiting = cases.filter(stage="notified").count()
    unlinked = queries.unlinked_findings(user).count()
    return {
        "title": "行政执法",
        "more_url": reverse("enforcement:case_list"),
        "items": [
            {"label": f"在办案件 {open_count} 起", "url": reverse("enforcement:case_list")},
            {
                "label": f"处于告知阶段、待决定 {waiting} 起",
                "url": reverse("enforcement:case_list") + "?stage=notified",
            },
            {
                "label": f"未立案的违法行为 {unlinked} 条",
                "note": "整改不能代替处罚",
                "url": reverse("enforcement:unlinked_list"),
            },
        ],
    }


PANELS = [("enforcement", enforcement_panel)]
