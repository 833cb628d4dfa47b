"""Home panel: this year's accidents in the user's scope against the same period last year (同比)."""

from django.urls import reverse
from django.utils import timezone

from anjian.core.permissions import has_perm

from . import statistics


def accident_panel(request):
    user = request.user
    if not has_perm(user, "accidents.view_statistics"):
        return None
    today = timezone.localdate()
    report = statistics.build_report(
        statistics.accidents_for(user), today.replace(month=1, day=1), today, "industry_group"
    )
    total, imt = report.total, report.industry_subtotal

    def note(row):
        change = row.count_change
        return "去年同期无事故" if change is None else f"同比 {change:+}%"

    return {
        "title": f"{today.year}年事故情况（截至{today:%m月%d日}）",
        "more_url": reverse("accidents:statistics"),
        "items": [
            {
                "label": f"事故 {total.current.count} 起，死亡 {total.current.deaths} 人",
                "note": note(total),
                "url": reverse("accidents:statistics"),
            },
            {
                "label": f"其中工矿商贸 {imt.current.count} 起，死亡 {imt.current.deaths} 人",
                "note": note(imt),
            },
            {
                "label": f"较大以上事故 {total.current.larger_plus} 起",
                "note": f"去年同期 {total.previous.larger_plus} 起",
            },
        ],
    }


PANELS = [("accidents", accident_panel)]
