from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.operations import rules

PER_DEATH = {"一般": 30000, "较大": 40000, "重大": 50000, "特别重大": 60000}


@pytest.mark.parametrize(
    ("fine", "expected"),
    [
        (0, 3000),
        (10000, 3000),
        (20000, 3000),
        (20001, 3000),
        (100000, 15000),
        (2_000_000, 300000),
        (3_000_000, 300000),
    ],
)
def test_reward_for_hazard_is_15_percent_clamped(fine, expected):
    # rules.md §5.2 RW-02
    assert rules.reward_hazard_or_illegal(Decimal(fine)) == Decimal(expected)


@given(st.integers(min_value=0, max_value=10**9))
def test_reward_for_hazard_always_within_bounds(fine):
    amount = rules.reward_hazard_or_illegal(Decimal(fine))
    assert Decimal(3000) <= amount <= Decimal(300000)


@given(st.sampled_from(list(PER_DEATH)), st.integers(min_value=0, max_value=50))
def test_reward_for_concealed_accident(grade, deaths):
    # rules.md §5.2 RW-03: per death by grade, total at most 300,000
    assert rules.reward_concealed(grade, deaths, PER_DEATH) == min(PER_DEATH[grade] * deaths, 300000)


def test_reward_refuses_bad_input():
    with pytest.raises(ValueError):
        rules.reward_hazard_or_illegal(Decimal(-1))
    with pytest.raises(ValueError):
        rules.reward_concealed("轻微", 1, PER_DEATH)


@pytest.mark.parametrize(
    ("level", "minimum", "reaches"),
    [("blue", "blue", True), ("blue", "yellow", False), ("red", "orange", True), ("orange", "red", False)],
)
def test_level_reaches(level, minimum, reaches):
    assert rules.level_reaches(level, minimum) is reaches


def test_plan_review_three_years():
    assert rules.plan_review_due(date(2023, 5, 1)) == date(2026, 5, 1)
    assert rules.plan_review_due(date(2024, 2, 29)) == date(2027, 2, 28)
    assert rules.plan_review_state(date(2023, 5, 1), date(2026, 5, 2)) == "overdue"
    assert rules.plan_review_state(date(2023, 5, 1), date(2026, 3, 1)) == "due_soon"
    assert rules.plan_review_state(date(2023, 5, 1), date(2025, 1, 1)) == "ok"


def test_drill_interval_by_owner():
    # rules.md §9 EM-01 (2 years) and EM-02 (6 months)
    assert rules.next_drill_due("government", date(2025, 1, 31), date(2020, 1, 1)) == date(2027, 1, 31)
    assert rules.next_drill_due("enterprise", None, date(2025, 8, 31)) == date(2026, 2, 28)


def test_roster_gaps():
    d1, d2, d3 = date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 3)
    shifts = {d1: ("李", "139", "王", "138"), d2: ("李", "", "王", "138")}
    assert rules.roster_gaps([d1, d2, d3], shifts) == [(d2, "缺带班领导电话"), (d3, "未排班")]


def test_sniff_magic():
    assert rules.sniff_magic(b"\x89PNG\r\n\x1a\nxxxx") == "image/png"
    assert rules.sniff_magic(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert rules.sniff_magic(b"RIFF\x00\x00\x00\x00WEBP") == "image/webp"
    assert rules.sniff_magic(b"<script>") is None
