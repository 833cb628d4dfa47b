"""What counts as found, rectified, closed, overdue, inspected…: the definitions shared by the indicators,
the dashboard and the bulletins, written once as filters and aggregates so that the three always agree.

All figures are GROUP BY aggregates: a function here takes a queryset (already narrowed to a scope or a
target) and returns the figures in one query, optionally grouped by a key expression.
"""

from datetime import date

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from .periods import Period, Target

# --- hazards -------------------------------------------------------------------------------------------------
HAZARD_OPEN = ("registered", "plan_set", "rectifying", "reported", "accepted")
# 整改率: a hazard counts as rectified once the rectification is reported done (R16 第十五条: 治理完成);
# 销号率: once the hazard is closed (销号) after re-inspection. Voided records count nowhere.
HAZARD_RECTIFIED = ("reported", "accepted", "closed")
HAZARD_CLOSED = ("closed",)


def hazard_found_q(period: Period) -> Q:
    return Q(found_on__gte=period.start, found_on__lte=period.end) & ~Q(status="voided")


def hazard_overdue_q(as_of: date) -> Q:
    # An open hazard whose rectification deadline has passed (R16 第二十一条 supervision of 限期整改).
    return Q(status__in=HAZARD_OPEN, deadline__lt=as_of)


def hazard_aggregates(period: Period, as_of: date) -> dict:
    found = hazard_found_q(period)
    overdue = hazard_overdue_q(as_of)
    open_q = Q(status__in=HAZARD_OPEN)
    return {
        "found": Count("id", filter=found),
        "found_major": Count("id", filter=found & Q(grade="major")),
        "rectified": Count("id", filter=found & Q(status__in=HAZARD_RECTIFIED)),
        "closed": Count("id", filter=found & Q(status__in=HAZARD_CLOSED)),
        "open": Count("id", filter=open_q),
        "overdue": Count("id", filter=overdue),
        "major_open": Count("id", filter=open_q & Q(grade="major")),
        "major_overdue": Count("id", filter=overdue & Q(grade="major")),
        "supervised": Count("id", filter=open_q & Q(supervision_level__gt=0)),
    }


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def percent(numerator: int, denominator: int) -> str:
    return f"{numerator * 100 / denominator:.1f}%" if denominator else "—"


# --- accidents -----------------------------------------------------------------------------------------------
LARGER_OR_ABOVE = ("larger", "major", "especially_major")


def accident_period_q(period: Period) -> Q:
    start, end = period.datetime_range()
    return Q(occurred_at__gte=start, occurred_at__lt=end)


def accident_aggregates(period: Period, previous: Period) -> dict:
    """Aggregate names must differ from the field names (`deaths`): deaths are summed as `fatalities`."""
    now, before = accident_period_q(period), accident_period_q(previous)
    return {
        "accidents": Count("id", filter=now),
        "fatalities": Sum("deaths", filter=now, default=0),
        "larger_plus": Count("id", filter=now & Q(grade__in=LARGER_OR_ABOVE)),
        "accidents_prev": Count("id", filter=before),
        "fatalities_prev": Sum("deaths", filter=before, default=0),
    }


# --- grouping --------------------------------------------------------------------------------------------------
def group_by_children(children, field: str = "territory_path"):
    """A CASE expression giving the id of the child territory whose subtree holds the row: one GROUP BY
    instead of a query per town."""
    whens = [When(**{f"{field}__startswith": child.path}, then=Value(child.pk)) for child in children]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def target_q(target: Target, territory_field: str = "territory_path", sector_field: str | None = "sector_id"):
    """Rows of a target: its territory subtree and, for a department, its sectors."""
    q = Q(**{f"{territory_field}__startswith": target.territory_path})
    if target.sector_ids is not None and sector_field:
        q &= Q(**{f"{sector_field}__in": target.sector_ids})
    return q
