"""Reporting periods and due dates: pure functions, no database (tested as a rule table).

A period is a whole month, quarter or year. The due date is day `due_day` of the `months_after`-th month after
the period's last month, e.g. "次月5日前" = (1, 5). HZ-16 (总局令第16号 第十四条第一款): the quarterly statistics
table is due before the 15th of the first month of the next quarter (Q4 → 15 January of the next year) and the
annual one before 31 January: (1, 15) quarterly, (1, 31) yearly. "X日前" is read as "by the end of day X"
(T-HZ-16a ❓: confirm locally whether the day itself still counts).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTHLY, QUARTERLY, YEARLY, ONCE = "monthly", "quarterly", "yearly", "once"


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date  # inclusive
    label: str

    @property
    def key(self) -> str:
        return self.start.isoformat()


def period_containing(frequency: str, day: date) -> ReportPeriod:
    if frequency == MONTHLY:
        start = day.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return ReportPeriod(start, end, f"{start.year}年{start.month}月")
    if frequency == QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
        return ReportPeriod(start, end, f"{day.year}年第{'一二三四'[quarter - 1]}季度")
    if frequency == YEARLY:
        return ReportPeriod(date(day.year, 1, 1), date(day.year, 12, 31), f"{day.year}年度")
    raise ValueError(f"unknown frequency {frequency!r}")


def next_period(frequency: str, period: ReportPeriod) -> ReportPeriod:
    return period_containing(frequency, period.end + timedelta(days=1))


def ended_periods(frequency: str, since: date, today: date) -> list[ReportPeriod]:
    """Every period containing or after `since` that has ended before `today` (the periods to report on)."""
    periods = []
    period = period_containing(frequency, since)
    while period.end < today:
        periods.append(period)
        period = next_period(frequency, period)
    return periods


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def due_date(period_end: date, months_after: int, due_day: int, working_day_of=None) -> date:
    """Day `due_day` of the `months_after`-th month after the period's last month, clipped to the month's
    last day. With `working_day_of` (a WorkCalendar), the `due_day`-th working day of that month instead."""
    year, month = add_months(period_end.year, period_end.month, months_after)
    last = calendar.monthrange(year, month)[1]
    if working_day_of is None:
        return date(year, month, min(due_day, last))
    day = date(year, month, 1) - timedelta(days=1)
    return working_day_of.add_working_days(day, due_day)
