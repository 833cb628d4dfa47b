"""Small helpers shared by the supervision tests."""

from datetime import timedelta

from django.utils import timezone

from anjian.supervision import services


def issue(cast, *, lead=None, assisting=(), days=10, **extra):
    """A task from the 测试区安委办 to 应急 (and whoever else is named), due in `days`."""
    return services.issue_task(
        by=cast.office,
        issuer=cast.office_org,
        title=extra.pop("title", "开展危化品专项整治"),
        content=extra.pop("content", "对辖区危险化学品企业开展全覆盖检查。"),
        lead_units=lead if lead is not None else [cast.yingji],
        assisting_units=assisting,
        deadline=timezone.localdate() + timedelta(days=days),
        **extra,
    )
