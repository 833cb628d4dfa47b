"""Template tags other apps reuse wherever a unit appears.

    {% load registry_tags %}
    {% blacklist_badge enterprise %}            → red "严重失信" badge when the unit is on the list today
    {% blacklist_badge enterprise flag=row.x %} → use a value annotated by the list's queryset (no query)
    {% risk_badge enterprise %}                 → the unit's colour (重大/较大/一般/低), or nothing
    {% expiry_badge some_date %}                → 已过期 / 即将到期 (30 days) / nothing

On list pages annotate once instead of one query per row:
    from anjian.registry.services import blacklisted_exists
    qs = qs.annotate(is_blacklisted=blacklisted_exists(outer="enterprise_id"))   # rows pointing to a unit
    qs = qs.annotate(is_blacklisted=blacklisted_exists())                       # enterprises themselves
and pass `flag=row.is_blacklisted`; on an Enterprise instance an `is_blacklisted` attribute is used
automatically.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from .. import rules

register = template.Library()

# rules.md §4.1 colours; inline so the badge works on any page without an extra stylesheet (CSP allows it).
TEXT_ON = {"major": "#fff", "high": "#fff", "medium": "#333", "low": "#fff"}


def is_blacklisted(enterprise, flag=None) -> bool:
    if enterprise is None:
        return False
    if flag is not None:
        return bool(flag)
    cached = getattr(enterprise, "is_blacklisted", None)
    if cached is None:
        from ..services import blacklisted_ids

        cached = enterprise.pk in blacklisted_ids([enterprise.pk])
        enterprise.is_blacklisted = cached
    return bool(cached)


@register.simple_tag
def blacklist_badge(enterprise, flag=None):
    if not is_blacklisted(enterprise, flag):
        return ""
    return format_html(
        '<span class="badge text-bg-danger" data-testid="blacklist-badge" title="{}">'
        '<i class="bi bi-exclamation-octagon"></i> 严重失信</span>',
        "列入安全生产严重失信主体名单（应急管理部令第11号）",
    )


@register.simple_tag
def risk_badge(enterprise_or_level):
    value = getattr(enterprise_or_level, "risk_level", enterprise_or_level) or ""
    if not value:
        return ""
    level = rules.RiskLevel(value)
    return format_html(
        '<span class="badge" style="background-color:{};color:{}" data-testid="risk-badge" data-level="{}">{}</span>',
        level.hex,
        TEXT_ON[value],
        value,
        f"{level.label}（{level.colour_zh}）",
    )


@register.simple_tag
def expiry_badge(day, warn_days: int = rules.DEFAULT_EXPIRY_WARN_DAYS):
    if not day:
        return ""
    status = rules.expiry_status(day, timezone.localdate(), warn_days)
    if status == rules.ExpiryStatus.OK:
        return ""
    css = "text-bg-danger" if status == rules.ExpiryStatus.EXPIRED else "text-bg-warning"
    return format_html('<span class="badge {}" data-testid="expiry-badge">{}</span>', css, status.label)
