"""Due dates and periods as a rule table (HZ-16 / T-HZ-16a: 总局令第16号 第十四条第一款)."""

import calendar
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.enforcement.rules import WorkCalendar
from anjian.reporting import periods as P

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("quarter_end", "due"),
    [
        # T-HZ-16a: quarterly due date = 15th of month 3q+1; Q4 → next year's 15 January.
        (date(2026, 3, 31), date(2026, 4, 15)),
        (date(2026, 6, 30), date(2026, 7, 15)),
        (date(2026, 9, 30), date(2026, 10, 15)),
        (date(2026, 12, 31), date(2027, 1, 15)),
    ],
)
def test_hz16_quarterly_due_dates(quarter_end, due):
    """T-HZ-16a (HZ-16)."""
    assert P.due_date(quarter_end, 1, 15) == due


def test_hz16_annual_due_date_is_31_january():
    """T-HZ-16a (HZ-16): the annual table is due before 31 January of the next year."""
    period = P.period_containing(P.YEARLY, date(2026, 6, 1))
    assert P.due_date(period.end, 1, 31) == date(2027, 1, 31)


@given(days)
def test_hz16_quarterly_rule_for_any_day(day):
    """T-HZ-16a for every quarter: 15th of the first month of the next quarter."""
    period = P.period_containing(P.QUARTERLY, day)
    due = P.due_date(period.end, 1, 15)
    assert due.day == 15
    assert due.month == (period.end.month % 12) + 1
    assert due.month in (1, 4, 7, 10)
    assert due.year == period.end.year + (1 if period.end.month == 12 else 0)


@given(days, st.sampled_from([P.MONTHLY, P.QUARTERLY, P.YEARLY]))
def test_period_contains_the_day_and_is_whole(day, frequency):
    period = P.period_containing(frequency, day)
    assert period.start <= day <= period.end
    assert period.start.day == 1
    assert (period.end + timedelta(days=1)).day == 1
    assert P.next_period(frequency, period).start == period.end + timedelta(days=1)


@given(days, st.integers(1, 31), st.integers(1, 12))
def test_due_day_clipped_to_the_month(day, due_day, months):
    """ "次月31日前" in a 30-day month is its last day; the due date always lies after the period."""
    period = P.period_containing(P.MONTHLY, day)
    due = P.due_date(period.end, months, due_day)
    assert due > period.end
    assert due.day == min(due_day, calendar.monthrange(due.year, due.month)[1])


@given(days, days)
def test_ended_periods_are_contiguous_and_ended(since, today):
    result = P.ended_periods(P.MONTHLY, since, today)
    for earlier, later in itertools.pairwise(result):
        assert later.start == earlier.end + timedelta(days=1)
    assert all(p.end < today for p in result)
    if result:
        assert result[0].start <= since <= result[0].end


def test_monthly_due_the_fifth_of_next_month():
    assert P.due_date(date(2026, 11, 30), 1, 5) == date(2026, 12, 5)
    assert P.due_date(date(2026, 12, 31), 1, 5) == date(2027, 1, 5)


def test_working_day_due_date_skips_holidays():
    # 2026-10-01…07 National Day holidays: the 3rd working day of October is the 10th (a Saturday made a
    # working day here) — given this calendar.
    calendar = WorkCalendar(
        holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
        makeup_workdays=frozenset({date(2026, 10, 10)}),
    )
    assert P.due_date(date(2026, 9, 30), 1, 1, calendar) == date(2026, 10, 8)
    assert P.due_date(date(2026, 9, 30), 1, 3, calendar) == date(2026, 10, 10)
