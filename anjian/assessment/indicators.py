"""The indicator registry: every computed assessment indicator is a plain function registered under a stable key.

    compute(target: Target, period: Period) -> IndicatorValue(value, numerator, denominator, drilldown_url)

A scheme's `Indicator.key` names one of them; `score()` turns the value into points by the indicator's scoring
kind and the item's parameters. The `rule` text of each indicator is shown to the assessed bodies (the scoring
rule page), so it must say exactly what is counted. Indicators whose source app is not installed yet (no table)
report themselves unavailable instead of failing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import links
from .measures import (
    HAZARD_CLOSED,
    HAZARD_OPEN,
    HAZARD_RECTIFIED,
    accident_aggregates,
    hazard_aggregates,
    target_q,
)
from .periods import Period, Target


@dataclass(frozen=True)
class IndicatorValue:
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    drilldown_url: str = ""
    compare: Decimal | None = None  # the same period of last year, for year-on-year indicators


class Scoring:
    RATE = "rate"  # value is a ratio; full marks at `target` (default 100%)
    DEDUCT = "deduct"  # value is a count of failures; `per_item` points off each, not below zero
    NOT_ABOVE_LAST_YEAR = "not_above_last_year"  # full marks if not above last year; `per_item` off per extra
    COUNT_TARGET = "count_target"  # value is a count of work done; full marks at `target`


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    label: str
    unit: str
    scoring: str
    rule: str  # what is counted, in Chinese, shown to the assessed body
    compute: Callable[[Target, Period], IndicatorValue]
    requires: tuple[str, ...] = ()  # "app_label.Model" the computation reads
    default_params: dict = field(default_factory=dict)

    def available(self) -> bool:
        return all(_model_ready(label) for label in self.requires)


REGISTRY: dict[str, IndicatorDef] = {}


def register(key, label, unit, scoring, rule, requires=(), **default_params):
    def wrap(function):
        REGISTRY[key] = IndicatorDef(
            key, label, unit, scoring, rule, function, tuple(requires), default_params
        )
        return function

    return wrap


def choices() -> list[tuple[str, str]]:
    return [(d.key, d.label) for d in REGISTRY.values()]


@cache
def _tables() -> frozenset[str]:
    return frozenset(connection.introspection.table_names())


def _model_ready(label: str) -> bool:
    try:
        model = apps.get_model(label)
    except LookupError:
        return False
    return model._meta.db_table in _tables()


def compute(key: str, target: Target, period: Period) -> IndicatorValue:
    definition = REGISTRY[key]
    if not definition.available():
        return IndicatorValue(None)
    return definition.compute(target, period)


# --- scoring ---------------------------------------------------------------------------------------------------
TWO_PLACES = Decimal("0.01")


def achievement(
    definition: IndicatorDef, result: IndicatorValue, params: dict, max_score: Decimal
) -> Decimal:
    """How much of the item is achieved, 0…1."""
    p = {**definition.default_params, **(params or {})}
    if result.value is None:
        # Nothing to measure (no hazard found, no listed hazard due): full marks, nothing was left undone.
        return Decimal(1)
    value = Decimal(result.value)
    if definition.scoring in (Scoring.RATE, Scoring.COUNT_TARGET):
        target = Decimal(str(p.get("target", 1)))
        return min(Decimal(1), value / target) if target > 0 else Decimal(1)
    if definition.scoring == Scoring.DEDUCT:
        lost = Decimal(str(p.get("per_item", 1))) * value
    elif definition.scoring == Scoring.NOT_ABOVE_LAST_YEAR:
        extra = max(Decimal(0), value - Decimal(result.compare or 0))
        lost = Decimal(str(p.get("per_item", 1))) * extra
    else:
        raise ValueError(f"unknown scoring {definition.scoring!r}")
    return max(Decimal(0), (max_score - lost) / max_score)


def score(definition: IndicatorDef, result: IndicatorValue, params, max_score, weight=Decimal(1)) -> Decimal:
    points = (
        achievement(definition, result, params, Decimal(max_score)) * Decimal(max_score) * Decimal(weight)
    )
    return points.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001")) if denominator else None


# --- hazards ---------------------------------------------------------------------------------------------------
def _hazards(target: Target, period: Period) -> dict:
    """Found, rectified and closed in the period: summed from the summary counts (anjian.stats) for a period of
    whole months (every scheme period is), else counted on the rows."""
    from anjian.hazards.models import Hazard
    from anjian.stats.models import HazardCount
    from anjian.stats.queries import found_between_q, total, whole_months

    if whole_months(period.start, period.end):
        found = found_between_q(period.start, period.end) & ~Q(status="voided")
        return HazardCount.objects.filter(target_q(target, sector_field="sector")).aggregate(
            found=total(found),
            rectified=total(found & Q(status__in=HAZARD_RECTIFIED)),
            closed=total(found & Q(status__in=HAZARD_CLOSED)),
        )
    return Hazard.objects.filter(target_q(target)).aggregate(**hazard_aggregates(period, period.as_of()))


def _overdue_now_or_then(target: Target, period: Period, major: bool) -> int:
    """A running period uses the ledger's overdue flag (what the hazard list shows), summed from the summary
    counts; a past period counts the hazards still open whose deadline fell before the period's end (a date the
    summary does not keep: counted on the open hazards, through the status/deadline index)."""
    from anjian.hazards.models import Hazard
    from anjian.stats.models import HazardCount
    from anjian.stats.queries import total

    grade = {"grade": "major"} if major else {}
    if period.end >= timezone.localdate():
        return HazardCount.objects.filter(
            target_q(target, sector_field="sector"), status__in=HAZARD_OPEN, is_overdue=True, **grade
        ).aggregate(hazards=total())["hazards"]
    rows = Hazard.objects.filter(target_q(target), status__in=HAZARD_OPEN, **grade)
    return rows.filter(deadline__lt=period.end).count()


def _hazard_link(target: Target, period: Period | None = None, **params) -> str:
    if period is not None:
        params.update(found_after=period.start.isoformat(), found_before=period.end.isoformat())
    return links.list_url(links.HAZARD_LIST, territory=target.territory_id, **params)


@register(
    "hazard_rectification_rate",
    "隐患整改率",
    "%",
    Scoring.RATE,
    "考核期内发现（登记）的隐患中，已整改完成（整改完成待复查、复查合格、已销号）的比例；作废的隐患不计。"
    "达到目标值得满分，低于目标值按比例得分；考核期内未发现隐患的得满分。",
    requires=("hazards.Hazard",),
)
def hazard_rectification_rate(target: Target, period: Period) -> IndicatorValue:
    figures = _hazards(target, period)
    return IndicatorValue(
        _ratio(figures["rectified"], figures["found"]),
        figures["rectified"],
        figures["found"],
        _hazard_link(target, period),
    )


@register(
    "hazard_closure_rate",
    "隐患销号率",
    "%",
    Scoring.RATE,
    "考核期内发现的隐患中，经复查验收后已销号的比例；作废的隐患不计。达到目标值得满分，低于目标值按比例得分。",
    requires=("hazards.Hazard",),
)
def hazard_closure_rate(target: Target, period: Period) -> IndicatorValue:
    figures = _hazards(target, period)
    return IndicatorValue(
        _ratio(figures["closed"], figures["found"]),
        figures["closed"],
        figures["found"],
        _hazard_link(target, period, status="closed"),
    )


@register(
    "major_hazard_overdue",
    "重大事故隐患逾期未整改",
    "项",
    Scoring.DEDUCT,
    "考核期末（或当前日期）仍未整改完毕且已超过整改期限的重大事故隐患数量，每项扣减规定分值，扣完为止。",
    requires=("hazards.Hazard",),
    per_item=5,
)
def major_hazard_overdue(target: Target, period: Period) -> IndicatorValue:
    count = _overdue_now_or_then(target, period, major=True)
    return IndicatorValue(
        Decimal(count), count, None, _hazard_link(target, grade="major", is_overdue="true", open="true")
    )


@register(
    "hazard_overdue",
    "隐患逾期未整改",
    "项",
    Scoring.DEDUCT,
    "考核期末（或当前日期）仍未整改完毕且已超过整改期限的隐患数量（含一般和重大隐患），每项扣减规定分值，扣完为止。",
    requires=("hazards.Hazard",),
    per_item=1,
)
def hazard_overdue(target: Target, period: Period) -> IndicatorValue:
    count = _overdue_now_or_then(target, period, major=False)
    return IndicatorValue(Decimal(count), count, None, _hazard_link(target, is_overdue="true", open="true"))


@register(
    "supervision_on_time",
    "挂牌督办隐患按期销号率",
    "%",
    Scoring.RATE,
    "限期销号日期在考核期内的挂牌督办隐患中，在限期销号日期当日或之前已销号的比例（rules.md §1.5）。"
    "考核期内没有到期的挂牌督办隐患的得满分。",
    requires=("hazards.HazardSupervision",),
)
def supervision_on_time(target: Target, period: Period) -> IndicatorValue:
    from anjian.hazards.models import HazardSupervision

    as_of = period.as_of()
    rows = HazardSupervision.objects.filter(
        target_q(target, "hazard__territory_path", "hazard__sector_id"),
        deadline__gte=period.start,
        deadline__lte=as_of,
    )
    due = on_time = 0
    for deadline, closed_at in rows.values_list("deadline", "hazard__closed_at"):
        due += 1
        if closed_at is not None and _local_date(closed_at) <= deadline:
            on_time += 1
    return IndicatorValue(_ratio(on_time, due), on_time, due, _hazard_link(target, open="true"))


def _local_date(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


# --- inspections -------------------------------------------------------------------------------------------------
GOVERNMENT_INSPECTION_LEVELS = ("town", "county", "city")


def _coverage(target: Target, period: Period, risk_levels: tuple[str, ...] | None) -> IndicatorValue:
    from anjian.inspections.models import Inspection
    from anjian.registry.models import Enterprise

    units = Enterprise.objects.filter(territory_path__startswith=target.territory_path, status="operating")
    if risk_levels:
        units = units.filter(risk_level__in=risk_levels)
    if target.sector_ids is not None:
        through = Enterprise.sectors.through
        units = units.filter(
            Exists(through.objects.filter(enterprise_id=OuterRef("pk"), sector_id__in=target.sector_ids))
        )
    inspected = Exists(
        Inspection.objects.filter(
            enterprise_id=OuterRef("pk"),
            status="completed",
            level__in=GOVERNMENT_INSPECTION_LEVELS,
            inspected_on__gte=period.start,
            inspected_on__lte=period.end,
        )
    )
    from django.db.models import Count

    figures = units.aggregate(total=Count("id"), inspected=Count("id", filter=Q(inspected)))
    params = {"risk_level": risk_levels[0]} if risk_levels and len(risk_levels) == 1 else {}
    return IndicatorValue(
        _ratio(figures["inspected"], figures["total"]),
        figures["inspected"],
        figures["total"],
        links.list_url(links.ENTERPRISE_LIST, territory=target.territory_id, status="operating", **params),
    )


@register(
    "inspection_coverage_red",
    "重大风险（红色）单位检查覆盖率",
    "%",
    Scoring.RATE,
    "风险等级为重大风险（红）的在营生产经营单位中，考核期内至少接受过一次镇街、县级或市级监督检查（已完成的检查记录，"
    "不含企业自查）的比例。",
    requires=("registry.Enterprise", "inspections.Inspection"),
)
def inspection_coverage_red(target: Target, period: Period) -> IndicatorValue:
    return _coverage(target, period, ("major",))


@register(
    "inspection_coverage_orange",
    "较大风险（橙色）单位检查覆盖率",
    "%",
    Scoring.RATE,
    "风险等级为较大风险（橙）的在营生产经营单位中，考核期内至少接受过一次镇街、县级或市级监督检查的比例。",
    requires=("registry.Enterprise", "inspections.Inspection"),
)
def inspection_coverage_orange(target: Target, period: Period) -> IndicatorValue:
    return _coverage(target, period, ("high",))


@register(
    "inspection_coverage",
    "生产经营单位检查覆盖率",
    "%",
    Scoring.RATE,
    "全部在营生产经营单位中，考核期内至少接受过一次镇街、县级或市级监督检查的比例；目标值可按分级分类监管要求设定。",
    requires=("registry.Enterprise", "inspections.Inspection"),
    target=0.5,
)
def inspection_coverage(target: Target, period: Period) -> IndicatorValue:
    return _coverage(target, period, None)


# --- accidents ---------------------------------------------------------------------------------------------------
def _accidents(target: Target, period: Period) -> dict:
    from anjian.accidents.models import Accident

    return Accident.objects.filter(target_q(target)).aggregate(
        **accident_aggregates(period, period.previous_year())
    )


def _accident_link(target: Target, period: Period, **params) -> str:
    return links.list_url(
        links.ACCIDENT_LIST,
        territory=target.territory_id,
        since=period.start.isoformat(),
        until=period.end.isoformat(),
        **params,
    )


@register(
    "accidents_vs_last_year",
    "生产安全事故起数（同比）",
    "起",
    Scoring.NOT_ABOVE_LAST_YEAR,
    "考核期内本辖区（部门为本行业领域）发生的生产安全事故起数，与上年同期比较：不高于上年同期得满分，"
    "每多一起扣减规定分值，扣完为止（与上年同期比较）。",
    requires=("accidents.Accident",),
    per_item=2,
)
def accidents_vs_last_year(target: Target, period: Period) -> IndicatorValue:
    figures = _accidents(target, period)
    return IndicatorValue(
        Decimal(figures["accidents"]),
        figures["accidents"],
        None,
        _accident_link(target, period),
        compare=Decimal(figures["accidents_prev"]),
    )


@register(
    "deaths_vs_last_year",
    "事故死亡人数（同比）",
    "人",
    Scoring.NOT_ABOVE_LAST_YEAR,
    "考核期内生产安全事故死亡人数（按补报期限内的最新数字），与上年同期比较：不高于上年同期得满分，"
    "每多一人扣减规定分值，扣完为止。",
    requires=("accidents.Accident",),
    per_item=3,
)
def deaths_vs_last_year(target: Target, period: Period) -> IndicatorValue:
    figures = _accidents(target, period)
    return IndicatorValue(
        Decimal(figures["fatalities"]),
        figures["fatalities"],
        None,
        _accident_link(target, period),
        compare=Decimal(figures["fatalities_prev"]),
    )


# --- enforcement -------------------------------------------------------------------------------------------------
@register(
    "enforcement_cases",
    "行政处罚立案数",
    "件",
    Scoring.COUNT_TARGET,
    "考核期内立案的安全生产行政处罚案件数（按立案日期），达到目标件数得满分，不足按比例得分。",
    requires=("enforcement.Case",),
    target=5,
)
def enforcement_cases(target: Target, period: Period) -> IndicatorValue:
    from anjian.enforcement.models import Case

    count = Case.objects.filter(
        target_q(target), filed_on__gte=period.start, filed_on__lte=period.end
    ).count()
    return IndicatorValue(
        Decimal(count),
        count,
        None,
        links.list_url(
            links.CASE_LIST,
            territory=target.territory_id,
            filed_after=period.start.isoformat(),
            filed_before=period.end.isoformat(),
        ),
    )


# --- public tips -------------------------------------------------------------------------------------------------
@register(
    "tips_on_time",
    "举报按期办结率",
    "%",
    Scoring.RATE,
    "办理期限在考核期内（且已到期）的群众举报中，在办理期限当日或之前办结的比例；不予受理和重复举报不计。"
    "考核期内没有到期举报的得满分。",
    requires=("operations.Tip",),
)
def tips_on_time(target: Target, period: Period) -> IndicatorValue:
    from anjian.operations.models import Tip

    rows = Tip.objects.filter(
        target_q(target),
        due_date__gte=period.start,
        due_date__lte=period.as_of(),
        duplicate_of__isnull=True,
    ).exclude(status="rejected")
    due = on_time = 0
    for due_date, closed_at in rows.values_list("due_date", "closed_at"):
        due += 1
        if closed_at is not None and _local_date(closed_at) <= due_date:
            on_time += 1
    return IndicatorValue(
        _ratio(on_time, due), on_time, due, links.list_url(links.TIP_LIST, territory=target.territory_id)
    )
