"""过程考核 indicators of 督办事项 (registered with anjian.assessment.indicators; imported from AppConfig.ready).

A target is a territory subtree (a town: its own parts) or a department (the district narrowed to its sectors:
the parts addressed to the department supervising them). Counted per assignment (one unit's part of a task).
督查督办 counts in the assessment of local safety responsibility (rules.md KH-04 🟡; 百分制 process items, KH-01).
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from anjian.assessment.indicators import IndicatorValue, Scoring, register
from anjian.assessment.periods import Period, Target
from anjian.core.models import Organisation, OrganisationKind

from .models import WORKING_STATUSES, Assignment, AssignmentRole, AssignmentStatus, TaskStatus


def _target_q(target: Target) -> Q:
    q = Q(territory_path__startswith=target.territory_path)
    if target.sector_ids is not None:
        # A department's parts: units supervising one of its sectors (EXISTS: no duplicate rows).
        units = Organisation.objects.filter(pk=OuterRef("unit_id"), sectors__in=target.sector_ids)
        q &= Q(Exists(units))
    return q


def _due(target: Target, period: Period):
    return Assignment.objects.filter(
        _target_q(target), deadline__gte=period.start, deadline__lte=period.as_of()
    )


def _link(target: Target, period: Period, **params) -> str:
    try:
        base = reverse("supervision:task_list")
    except NoReverseMatch:
        return ""
    unit = _target_unit(target)
    query = {"year": period.start.year, **params}
    if unit is not None:
        query["unit"] = unit
    else:
        query["unit_territory"] = target.territory_id
    return f"{base}?{urlencode(query)}"


def _target_unit(target: Target):
    """The department a department target stands for (its sectors at its territory), if exactly one."""
    if target.sector_ids is None:
        return None
    ids = list(
        Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, territory_id=target.territory_id, sectors__in=target.sector_ids
        )
        .values_list("pk", flat=True)
        .distinct()[:2]
    )
    return ids[0] if len(ids) == 1 else None


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001")) if denominator else None


@register(
    "supervision_task_on_time",
    "督办事项按时办结率",
    "%",
    Scoring.RATE,
    "办理时限在考核期内（且已到期）的督办、交办事项中，本单位作为承办单位的，在办理时限当日或之前报送办结材料"
    "并经督办单位验收办结的比例（经批准延期的按延期后的时限）。考核期内没有到期事项的得满分。",
    requires=("supervision.Assignment",),
)
def on_time_rate(target: Target, period: Period) -> IndicatorValue:
    rows = _due(target, period).filter(role=AssignmentRole.LEAD)
    due = rows.count()
    on_time = rows.filter(status=AssignmentStatus.ACCEPTED, reported_late=False).count()
    return IndicatorValue(_ratio(on_time, due), on_time, due, _link(target, period))


@register(
    "supervision_task_overdue",
    "督办事项逾期数",
    "项",
    Scoring.DEDUCT,
    "办理时限在考核期内的督办、交办事项中（承办、协办均计），超过办理时限仍未报送办结材料，或逾期报送的，"
    "每项扣减规定分值，扣完为止。",
    requires=("supervision.Assignment",),
    per_item=1,
)
def overdue_count(target: Target, period: Period) -> IndicatorValue:
    as_of = period.as_of()
    rows = Assignment.objects.filter(
        _target_q(target), deadline__gte=period.start, deadline__lt=as_of
    ).filter(Q(reported_late=True) | Q(status__in=WORKING_STATUSES, task__status=TaskStatus.OPEN))
    count = rows.count()
    return IndicatorValue(Decimal(count), count, None, _link(target, period, overdue_or_late="true"))
