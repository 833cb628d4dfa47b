"""Accident statistics computed from the records (never typed in): counts, casualties and losses by
period, territory, sector, category or group, with the same period of last year (同比, rules.md AC-51).

Figures are the accidents' current figures, i.e. the latest 补报 inside the window (493号令 第十三条): a death
after the window does not change them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from anjian.core.models import Sector, Territory

from .models import Accident, Grade, IndustryGroup, category_label

LARGER_OR_ABOVE = (Grade.LARGER, Grade.MAJOR, Grade.ESPECIALLY_MAJOR)

DIMENSIONS = {
    "territory": "区划",
    "sector": "行业领域",
    "industry_group": "统计分组",
    "category": "事故类别",
    "grade": "事故等级",
    "month": "月份",
}

_AGGREGATES = {
    "count": Count("id"),
    "deaths": Sum("deaths"),
    "missing": Sum("missing"),
    "serious_injuries": Sum("serious_injuries"),
    "minor_injuries": Sum("minor_injuries"),
    "direct_loss": Sum("direct_loss"),
    "larger_plus": Count("id", filter=Q(grade__in=LARGER_OR_ABOVE)),
}


@dataclass
class Totals:
    count: int = 0
    deaths: int = 0
    missing: int = 0
    serious_injuries: int = 0
    minor_injuries: int = 0
    direct_loss: Decimal = Decimal("0")
    larger_plus: int = 0

    def add(self, row: dict) -> None:
        for name in _AGGREGATES:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    @property
    def injuries(self) -> int:
        return self.serious_injuries + self.minor_injuries


@dataclass
class Row:
    key: str
    label: str
    current: Totals = field(default_factory=Totals)
    previous: Totals = field(default_factory=Totals)

    @property
    def count_change(self):
        return change(self.current.count, self.previous.count)

    @property
    def deaths_change(self):
        return change(self.current.deaths, self.previous.deaths)


@dataclass
class Report:
    start: date
    end: date
    previous_start: date
    previous_end: date
    dimension: str
    rows: list[Row]
    total: Row
    industry_subtotal: Row  # 工矿商贸

    @property
    def dimension_label(self) -> str:
        return DIMENSIONS[self.dimension]


def change(current, previous) -> Decimal | None:
    """同比 change in percent, one decimal; None when last year was zero (no meaningful ratio)."""
    if not previous:
        return None
    return (Decimal(current - previous) * 100 / Decimal(previous)).quantize(Decimal("0.1"))


def same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year - 1, day=28)


def _between(queryset: QuerySet, start: date, end: date) -> QuerySet:
    tz = timezone.get_current_timezone()
    return queryset.filter(
        occurred_at__gte=datetime.combine(start, time.min, tz),
        occurred_at__lt=datetime.combine(end + timedelta(days=1), time.min, tz),
    )


def _grouped(queryset: QuerySet, dimension: str, root: Territory | None) -> dict[str, dict]:
    """{key: aggregates} for one period."""
    groups: dict[str, Totals] = {}
    if dimension == "month":
        rows = []
        for accident in queryset.values(
            "occurred_at", *[n for n in _AGGREGATES if n not in ("count", "larger_plus")], "grade"
        ):
            local = timezone.localtime(accident["occurred_at"])
            rows.append(
                (
                    f"{local.month:02d}",
                    {
                        "count": 1,
                        "larger_plus": 1 if accident["grade"] in LARGER_OR_ABOVE else 0,
                        **{n: accident[n] for n in _AGGREGATES if n not in ("count", "larger_plus")},
                    },
                )
            )
    else:
        field_name = "territory_path" if dimension == "territory" else dimension
        if dimension == "sector":
            field_name = "sector_id"
        rows = [
            (
                _territory_key(row["territory_path"], root)
                if dimension == "territory"
                else str(row[field_name] or ""),
                row,
            )
            for row in queryset.values(field_name).annotate(**_AGGREGATES).order_by()
        ]
    for key, row in rows:
        groups.setdefault(key, Totals()).add(row)
    return groups


def _territory_key(path: str, root: Territory | None) -> str:
    """The id of the child of ``root`` the path lies under (or the root itself)."""
    parts = [p for p in path.split(".") if p]
    depth = len([p for p in (root.path if root else "").split(".") if p])
    return parts[depth] if len(parts) > depth else (parts[-1] if parts else "")


def _labels(dimension: str, keys) -> dict[str, str]:
    keys = [k for k in keys if k]
    if dimension == "territory":
        return {str(t.pk): t.name for t in Territory.objects.filter(pk__in=keys)}
    if dimension == "sector":
        return {str(s.pk): s.name for s in Sector.objects.filter(pk__in=keys)}
    if dimension == "industry_group":
        return dict(IndustryGroup.choices)
    if dimension == "grade":
        return dict(Grade.choices)
    if dimension == "category":
        return {k: category_label(k) for k in keys}
    if dimension == "month":
        return {k: f"{int(k)}月" for k in keys}
    raise ValueError(dimension)


def _order(dimension: str, keys) -> list[str]:
    if dimension == "grade":
        order = [g.value for g in Grade]
        return sorted(keys, key=lambda k: order.index(k) if k in order else 99)
    if dimension == "industry_group":
        order = [g.value for g in IndustryGroup]
        return sorted(keys, key=lambda k: order.index(k) if k in order else 99)
    return sorted(keys)


def build_report(
    queryset: QuerySet, start: date, end: date, dimension: str = "territory", root: Territory | None = None
) -> Report:
    """``queryset`` is already scoped and filtered (territory, sector, category…); the period is applied here
    and again one year earlier for 同比."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"未知的统计维度：{dimension}")
    if end < start:
        raise ValueError("统计截止日期不能早于起始日期")
    queryset = queryset.order_by()
    prev_start, prev_end = same_day_last_year(start), same_day_last_year(end)
    current = _between(queryset, start, end)
    previous = _between(queryset, prev_start, prev_end)
    now_groups = _grouped(current, dimension, root)
    then_groups = _grouped(previous, dimension, root)
    keys = _order(dimension, set(now_groups) | set(then_groups))
    labels = _labels(dimension, keys)
    rows = [
        Row(key, labels.get(key) or "未指定", now_groups.get(key, Totals()), then_groups.get(key, Totals()))
        for key in keys
    ]
    total = Row("total", "合计", _totals(current), _totals(previous))
    imt = IndustryGroup.INDUSTRY_MINING_TRADE
    subtotal = Row(
        "industry",
        "其中：工矿商贸",
        _totals(current.filter(industry_group=imt)),
        _totals(previous.filter(industry_group=imt)),
    )
    return Report(start, end, prev_start, prev_end, dimension, rows, total, subtotal)


def _totals(queryset: QuerySet) -> Totals:
    totals = Totals()
    totals.add(queryset.aggregate(**_AGGREGATES))
    return totals


HEADERS = [
    "分组",
    "事故起数",
    "去年同期起数",
    "起数同比(%)",
    "死亡人数",
    "去年同期死亡",
    "死亡同比(%)",
    "失踪人数",
    "重伤人数",
    "轻伤人数",
    "直接经济损失(元)",
    "较大以上起数",
]


def report_rows(report: Report):
    for row in [*report.rows, report.industry_subtotal, report.total]:
        c, p = row.current, row.previous
        yield [
            row.label,
            c.count,
            p.count,
            row.count_change,
            c.deaths,
            p.deaths,
            row.deaths_change,
            c.missing,
            c.serious_injuries,
            c.minor_injuries,
            c.direct_loss,
            c.larger_plus,
        ]


def chart_data(report: Report) -> dict:
    """Series for the ECharts bar chart on the statistics page (JSON in a data attribute, no inline JS)."""
    return {
        "categories": [row.label for row in report.rows],
        "series": [
            {"name": f"{report.start.year}年事故起数", "data": [row.current.count for row in report.rows]},
            {
                "name": f"{report.previous_start.year}年同期起数",
                "data": [row.previous.count for row in report.rows],
            },
            {"name": f"{report.start.year}年死亡人数", "data": [row.current.deaths for row in report.rows]},
            {
                "name": f"{report.previous_start.year}年同期死亡",
                "data": [row.previous.deaths for row in report.rows],
            },
        ],
    }


def accidents_for(user) -> QuerySet:
    from anjian.core.scope import restrict

    return restrict(Accident.objects.all(), user)
