"""Helpers that file accidents through the service, as a user would."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from anjian.accidents import services
from anjian.accidents.models import Accident, IndustryGroup


def local(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def file(
    user,
    *,
    deaths=0,
    serious=0,
    loss="0",
    missing=0,
    minor=0,
    occurred_at=None,
    group=IndustryGroup.INDUSTRY_MINING_TRADE,
    enterprise=None,
    territory=None,
    sector=None,
    category="1986-03",
    title="测试事故",
    unit_received_at=None,
    county_received_at=None,
    kind="other",
    near_miss=(),
) -> Accident:
    """`near_miss`: the 较大涉险事故 situations (AC-04) — a near miss when given."""
    occurred_at = occurred_at or timezone.now() - timedelta(days=2)
    if enterprise is None and territory is None and user.enterprise_id is None:
        territory = user.territory
    accident = Accident(
        title=title,
        enterprise=enterprise,
        unit_name="" if enterprise else "某当事方",
        territory=territory,
        sector=sector,
        occurred_at=occurred_at,
        unit_received_at=unit_received_at,
        place="厂区",
        category=category,
        kind=kind,
        industry_group=group,
        summary="经过",
        is_near_miss=bool(near_miss),
        near_miss_criteria=list(near_miss),
    )
    figures = services.Figures(deaths, missing, serious, minor, Decimal(loss))
    return services.file_accident(user, accident, figures, county_received_at=county_received_at)
