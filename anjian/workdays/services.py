"""Which days are working days: the official schedule from `chinese-calendar`, overridden by `CalendarDay`.

rules.md R-0.3: the State Council publishes the schedule yearly. The package ships every notice up to its
release; a year it does not know yet is entered by an administrator from the notice (页面「节假日安排」) and,
until then, only weekends are skipped — `missing_years` says so in red on that page, so the gap is never
silent.
"""

from collections.abc import Iterable
from datetime import date
from functools import cache

import chinese_calendar

from anjian.enforcement.rules import WorkCalendar

from .models import CalendarDay, DayKind


@cache
def _package_schedule() -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    """(holidays, 调休 working days, years covered) as the installed package knows them."""
    holidays = frozenset(chinese_calendar.holidays)
    workdays = frozenset(chinese_calendar.workdays)
    years = frozenset(day.year for day in holidays)
    return holidays, workdays, years


def package_years() -> frozenset[int]:
    return _package_schedule()[2]


def entered_years() -> frozenset[int]:
    return frozenset(d.year for d in CalendarDay.objects.filter(is_active=True).values_list("day", flat=True))


def known_years() -> frozenset[int]:
    return package_years() | entered_years()


def missing_years(years: Iterable[int]) -> list[int]:
    known = known_years()
    return sorted(set(years) - known)


def work_calendar() -> WorkCalendar:
    """The calendar deadlines are counted on: the package's schedule with the entered days on top."""
    holidays, workdays, _ = _package_schedule()
    holidays, workdays = set(holidays), set(workdays)
    for day, kind in CalendarDay.objects.filter(is_active=True).values_list("day", "kind"):
        if kind == DayKind.HOLIDAY:
            holidays.add(day)
            workdays.discard(day)
        else:
            workdays.add(day)
            holidays.discard(day)
    return WorkCalendar(holidays=frozenset(holidays), makeup_workdays=frozenset(workdays))


def day_status(day: date, calendar: WorkCalendar | None = None) -> str:
    """A short Chinese description of one day, for the page's day checker."""
    calendar = calendar or work_calendar()
    if day in calendar.makeup_workdays:
        return "调休上班"
    if day in calendar.holidays:
        return "法定节假日（放假）"
    return "工作日" if day.weekday() < 5 else "周末休息"
