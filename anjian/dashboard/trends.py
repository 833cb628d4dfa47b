"""Monthly series of the last twelve months, drawn as sparklines on the dashboard cards.

Each series comes from one query grouped by month and bounded to the twelve-month window (never a scan per card
or per month): hazards from the summary counts (anjian.stats) by the month found and by the month of a missed
deadline, accidents by occurred_at.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from anjian.assessment.measures import accident_period_q
from anjian.assessment.periods import Period
from anjian.stats.counts import late_q, month_of

from .metrics import Area, accidents_ready, hazard_source, hazards_by_month, hazards_ready

TREND_MONTHS = 12


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _as_date(value) -> date:
    """TruncMonth gives a date for a DateField and an aware datetime (local time) for a DateTimeField."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date()
    return value


def trend_months(last: date, count: int = TREND_MONTHS) -> list[date]:
    """The first days of the `count` months ending with the month of `last`, oldest first."""
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly_trends(area: Area, last: date) -> dict:
    """Monthly series for the 12 months ending with `last`'s month: at most three grouped queries, each bounded to
    the window (hazards by found_on, hazards by deadline, accidents by occurred_at)."""
    months = trend_months(last)
    data = {"months": months}
    if hazards_ready():
        data.update(hazard_months(area, months))
        data["overdue"] = hazards_gone_overdue(area, months)
    if accidents_ready():
        data.update(accident_months(area, months))
    return data


def hazard_months(area: Area, months: list[date]) -> dict[str, list]:
    """Per month of `months` (first days, consecutive): hazards found, of which major, rectified and closed (one
    query grouped by the month of found_on, bounded to the window)."""
    # Summed from the summary counts (metrics.hazards_by_month), not counted on the hazard rows.
    by_month = hazards_by_month(area, Period(months[0], _month_end(months[-1])))
    series = {"found": [], "found_major": [], "rectification_rate": [], "closure_rate": []}
    for month in months:
        r = by_month.get(month, {})
        found = r.get("found", 0)
        series["found"].append(found)
        series["found_major"].append(r.get("found_major", 0))
        series["rectification_rate"].append(round(r["rectified"] * 100 / found, 1) if found else None)
        series["closure_rate"].append(round(r["closed"] * 100 / found, 1) if found else None)
    return series


def hazards_gone_overdue(area: Area, months: list[date], from_rows: bool = False) -> list[int]:
    """Per month: hazards whose rectification deadline fell in the month and that were not reported rectified by
    it (R16 第二十一条 限期整改) — the month's new overdue hazards, judged by the deadline as it stands now
    (stats.counts.late_month). Summed from the summary counts by their late_month; from the rows only where the
    summary cannot answer (a unit's own staff) and in tests (`from_rows`)."""
    from anjian.hazards.models import Hazard

    source = hazard_source(area, None, from_rows)
    if source.summary:
        rows = (
            source.queryset.filter(late_month__gte=months[0], late_month__lte=months[-1])
            .order_by()
            .values("late_month")
            .annotate(n=Sum("n"))
        )
        by_month = {month_of(r["late_month"]): r["n"] for r in rows}
    else:
        rows = (
            area.rows(Hazard.objects.filter(deadline__gte=months[0], deadline__lte=_month_end(months[-1])))
            .filter(late_q())
            .order_by()
            .annotate(month=TruncMonth("deadline"))
            .values("month")
            .annotate(n=Count("id"))
        )
        by_month = {_as_date(r["month"]): r["n"] for r in rows}
    return [by_month.get(month, 0) for month in months]


def accident_months(area: Area, months: list[date]) -> dict[str, list]:
    """Per month of `months`: accidents and deaths (one query grouped by month over the indexed occurred_at)."""
    from anjian.accidents.models import Accident

    window = Period(months[0], _month_end(months[-1]))
    rows = (
        area.rows(Accident.objects.filter(accident_period_q(window)))
        .order_by()
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(accidents=Count("id"), fatalities=Sum("deaths"))
    )
    by_month = {_as_date(r["month"]): r for r in rows}
    return {
        "accidents": [by_month.get(m, {}).get("accidents") or 0 for m in months],
        "deaths": [by_month.get(m, {}).get("fatalities") or 0 for m in months],
    }


# --- sparklines -------------------------------------------------------------------------------------------------
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 28, 3
# Card key on the dashboard -> (series, what it counts, unit).
CARD_SERIES = {
    "found": ("found", "每月发现隐患", "项"),
    "rectification_rate": ("rectification_rate", "按发现月份的整改率", "%"),
    "closure_rate": ("closure_rate", "按发现月份的销号率", "%"),
    "overdue": ("overdue", "每月到期未按期整改", "项"),
    "major_open": ("found_major", "每月发现重大隐患", "项"),
    "accidents": ("accidents", "每月事故起数", "起"),
    "deaths": ("deaths", "每月死亡人数", "人"),
}


def sparkline(values: list, months: list[date], title: str, unit: str = "") -> dict | None:
    """What a small SVG line needs: polylines in a SPARK_WIDTH × SPARK_HEIGHT box (a month without a value, such
    as a rate with nothing found, breaks the line), the last point, and the figures as text for a tooltip and
    screen readers. None when the series is empty."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    top = max(known) or 1
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    inner = SPARK_HEIGHT - 2 * SPARK_PAD
    segments, current, last = [], [], None
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        last = (round(SPARK_PAD + i * step, 1), round(SPARK_PAD + inner - value * inner / top, 1))
        current.append(last)
    if current:
        segments.append(current)
    figures = "，".join(
        f"{m.year}年{m.month}月 {'—' if v is None else f'{v:g}{unit}'}"
        for m, v in zip(months, values, strict=True)
    )
    return {
        "segments": [" ".join(f"{x},{y}" for x, y in seg) for seg in segments],
        "dots": [seg[0] for seg in segments if len(seg) == 1],  # a lone month would draw nothing as a line
        "last": last,
        "text": f"近12个月{title}：{figures}",
        "range": f"{months[0].year}.{months[0].month}–{months[-1].year}.{months[-1].month}",
    }


def card_sparklines(trends: dict) -> dict:
    """Sparklines for the dashboard cards that have a monthly series, by card key."""
    sparks = {}
    for key, (series, title, unit) in CARD_SERIES.items():
        if series in trends:
            sparks[key] = sparkline(trends[series], trends["months"], title, unit)
    return sparks
