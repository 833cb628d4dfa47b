"""The result rules as tables: grade bands (KH-01/KH-02, bounds inclusive per R-0.1), veto precedence, ranking."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.assessment import scoring

D = Decimal
BANDS = (D(90), D(80), D(60))


@pytest.mark.parametrize(
    ("total", "vetoed", "grade"),
    [
        (D("100"), False, "excellent"),
        (D("90.00"), False, "excellent"),  # "以上" includes the bound
        (D("89.99"), False, "good"),
        (D("80"), False, "good"),
        (D("79.99"), False, "pass"),
        (D("60"), False, "pass"),
        (D("59.99"), False, "fail"),
        (D("0"), False, "fail"),
        (D("100"), True, "fail"),  # 一票否决 overrides any score
    ],
)
def test_grade_table(total, vetoed, grade):
    assert scoring.grade_for(total, vetoed, *BANDS) == grade


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_veto_always_fails(total):
    assert scoring.grade_for(total, True, *BANDS) == "fail"


@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_grades_are_monotonic(a, b):
    order = ["fail", "pass", "good", "excellent"]
    low, high = sorted((a, b))
    assert order.index(scoring.grade_for(low, False, *BANDS)) <= order.index(
        scoring.grade_for(high, False, *BANDS)
    )


def test_ranks_competition_style_vetoed_last():
    rows = [("a", D(80), False), ("b", D(95), True), ("c", D(80), False), ("d", D(70), False)]
    assert scoring.ranks(rows) == {"a": 1, "c": 1, "d": 3, "b": 4}


def test_part_score_and_combination():
    assert scoring.part_score([D(5), None, D(10)], [D(10), D(10), D(10)]) == D("50.00")
    assert scoring.part_score([], []) is None
    assert scoring.combine(D(80), D(90), D(40), D(60)) == D("86.00")
    assert scoring.combine(None, D(90), D(40), D(60)) == D("90.00")  # no quarter computed yet
    assert scoring.average([D(70), D(80), D("75.5")]) == D("75.17")
