"""Home panels: certificates and inspection dates about to expire, and units on the serious-dishonesty list."""

from datetime import timedelta

from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from . import rules
from .models import BlacklistEntry, Licence, MajorHazardSource, SpecialEquipment, active_blacklist_q

PANEL_LIMIT = 5  # a home panel shows the first few; "更多" opens the list (phones: about two screens)


def expiring_panel(request):
    """Licences, special-equipment inspections and major-hazard assessments due within 30 days or overdue."""
    user = request.user
    if not has_perm(user, "registry.view_register"):
        return None
    today = timezone.localdate()
    limit = today + timedelta(days=rules.DEFAULT_EXPIRY_WARN_DAYS)
    items = []
    sources = (
        (Licence.objects.select_related("enterprise"), "valid_until", lambda o: o.get_kind_display()),
        (
            SpecialEquipment.objects.select_related("enterprise"),
            "next_inspection_on",
            lambda o: f"{o.get_kind_display()}检验",
        ),
        (
            MajorHazardSource.objects.select_related("enterprise"),
            "next_assessment_on",
            lambda o: f"{o.name}评估",
        ),
    )
    for queryset, field, describe in sources:
        rows = restrict(queryset.filter(**{f"{field}__lte": limit}), user).order_by(field, "id")[:PANEL_LIMIT]
        for obj in rows:
            day = getattr(obj, field)
            status = rules.expiry_status(day, today)
            items.append(
                (
                    day,
                    {
                        "label": f"{obj.enterprise.name}：{describe(obj)}",
                        "url": obj.get_absolute_url(),
                        "note": f"{status.label} {day:%Y-%m-%d}",
                    },
                )
            )
    items.sort(key=lambda pair: pair[0])
    return {
        "title": "证照与检验到期提醒",
        "items": [item for _, item in items[:PANEL_LIMIT]],
        "empty": "30天内没有到期的证照、检验或评估。",
    }


def blacklist_panel(request):
    user = request.user
    if not has_perm(user, "registry.view_blacklistentry") or user.role == "enterprise":
        return None
    entries = restrict(
        BlacklistEntry.objects.filter(active_blacklist_q(timezone.localdate())).select_related("enterprise"),
        user,
    ).order_by("-start_date", "-id")[:PANEL_LIMIT]
    return {
        "title": "严重失信主体名单（在列）",
        "items": [
            {"label": e.enterprise.name, "url": e.get_absolute_url(), "note": f"至{e.end_date:%Y-%m-%d}"}
            for e in entries
        ],
        "empty": "辖区内暂无在列的严重失信主体。",
    }


PANELS = [("registry_expiring", expiring_panel), ("registry_blacklist", blacklist_panel)]
