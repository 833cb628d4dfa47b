"""Demo step: the key-period calendar of the demo year, the default reminder rules, and one deadline scan so
the embedded demo shows reminders, overdue notices and escalations without Redis (the apps before this one —
hazards, accidents, enforcement … — have already created their records)."""

from django.utils import timezone

from . import services


def build(ctx) -> None:
    for year in (ctx.today.year, ctx.today.year + 1):
        services.seed_key_periods(year, ctx.district)
    services.ensure_default_rules()
    result = services.scan_deadlines(timezone.now())
    drained = services.drain_outbox(timezone.now())
    ctx.log.append(f"重点时段 {ctx.today.year}–{ctx.today.year + 1} 年已生成；期限扫描：{result}；{drained}")
