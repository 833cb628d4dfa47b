"""Tests for anjian.accidents.rules — pure rules, no database (run with ``-p no:django``).

Expected values are written out by hand from the legal texts; they never come from the module's own tables.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.accidents import rules
from anjian.accidents.rules import (
    AccidentGrade,
    AdminLevel,
    CasualtyCount,
    IndustryGroup,
    Trigger,
    accident_grade,
)

G, L, M, E = (
    AccidentGrade.GENERAL,
    AccidentGrade.LARGER,
    AccidentGrade.MAJOR,
    AccidentGrade.ESPECIALLY_MAJOR,
)
BY_LABEL = {"一般": G, "较大": L, "重大": M, "特别重大": E}


def reference_grade(deaths, serious_injuries, loss_yuan):
    """The reference implementation printed in rules.md §3.1, used as an independent oracle."""
    if deaths >= 30 or serious_injuries >= 100 or loss_yuan >= 100_000_000:
        return "特别重大"
    if deaths >= 10 or serious_injuries >= 50 or loss_yuan >= 50_000_000:
        return "重大"
    if deaths >= 3 or serious_injuries >= 10 or loss_yuan >= 10_000_000:
        return "较大"
    return "一般"


# --- grades ----------------------------------------------------------------------------------------------

RULES_MD_VECTORS = [
    ((3, 0, 0), "较大"),
    ((2, 10, 0), "较大"),
    ((2, 9, 9_999_999), "一般"),
    ((0, 0, 10_000_000), "较大"),
    ((9, 49, 49_999_999), "较大"),
    ((10, 0, 0), "重大"),
    ((29, 99, 99_999_999), "重大"),
    ((30, 0, 0), "特别重大"),
    ((0, 100, 0), "特别重大"),
    ((0, 0, 100_000_000), "特别重大"),
]


@pytest.mark.parametrize(("args", "expected"), RULES_MD_VECTORS)
def test_rules_md_vectors(args, expected):
    deaths, injuries, loss = args
    assert accident_grade(deaths, injuries, Decimal(loss)).label == expected


# 493号令 第三条: "以上"含本数, "以下"不含 → each bound is checked one unit below and exactly at it.
DEATH_BOUNDS = [(2, G), (3, L), (9, L), (10, M), (29, M), (30, E), (31, E)]
INJURY_BOUNDS = [(9, G), (10, L), (49, L), (50, M), (99, M), (100, E)]
LOSS_BOUNDS = [
    ("9999999.99", G),
    ("10000000", L),
    ("49999999.99", L),
    ("50000000", M),
    ("99999999.99", M),
    ("100000000", E),
    ("100000000.01", E),
]


@pytest.mark.parametrize(("deaths", "expected"), DEATH_BOUNDS)
def test_death_bounds(deaths, expected):
    assert accident_grade(deaths, 0, Decimal(0)) is expected


@pytest.mark.parametrize(("injuries", "expected"), INJURY_BOUNDS)
def test_serious_injury_bounds(injuries, expected):
    assert accident_grade(0, injuries, Decimal(0)) is expected


@pytest.mark.parametrize(("loss", "expected"), LOSS_BOUNDS)
def test_direct_loss_bounds(loss, expected):
    assert accident_grade(0, 0, Decimal(loss)) is expected


def test_zero_accident_is_general():
    assert accident_grade(0, 0, Decimal(0)) is G


def test_integer_yuan_accepted():
    assert accident_grade(0, 0, 10_000_000) is L


def test_acute_poisoning_counts_as_serious_injury():
    # 493号令 第三条: 重伤(包括急性工业中毒)
    assert accident_grade(0, 5, Decimal(0)) is G
    assert accident_grade(0, 5, Decimal(0), acute_poisonings=5) is L
    assert accident_grade(0, 0, Decimal(0), acute_poisonings=100) is E


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((-1, 0, Decimal(0)), ValueError),
        ((0, -1, Decimal(0)), ValueError),
        ((0, 0, Decimal(-1)), ValueError),
        ((0, 0, 1e7), TypeError),
        ((0, 0, Decimal("NaN")), ValueError),
        ((1.5, 0, Decimal(0)), TypeError),
    ],
)
def test_invalid_inputs_refused(args, error):
    with pytest.raises(error):
        accident_grade(*args)


def test_float_message_is_chinese():
    with pytest.raises(TypeError, match="不能使用浮点数"):
        accident_grade(0, 0, 1e7)


def test_grading_is_versioned(monkeypatch):
    assert rules.GRADING_RULES_VERSION in rules.GRADING_TABLES
    # A supplementary rule (493号令 第三条第二款, AC-03) is added as a new version without touching old
    # grades.
    supplement = (
        rules.GradeThreshold(E, 20, 100, Decimal("100000000")),
        rules.GradeThreshold(M, 10, 50, Decimal("50000000")),
        rules.GradeThreshold(L, 3, 10, Decimal("10000000")),
        rules.GradeThreshold(G, 0, 0, Decimal("0")),
    )
    monkeypatch.setitem(rules.GRADING_TABLES, "test-supplement", supplement)
    assert accident_grade(20, 0, Decimal(0), version="test-supplement") is E
    assert accident_grade(20, 0, Decimal(0)) is M


def test_unknown_version_refused():
    with pytest.raises(ValueError, match="未知的事故等级划分规则版本"):
        accident_grade(0, 0, Decimal(0), version="no-such-version")


def test_grade_ordering_and_labels():
    assert G < L < M < E
    assert E > M > L > G
    assert G <= G and E >= E
    assert sorted([E, G, M, L]) == [G, L, M, E]
    assert max([L, E, G]) is E
    assert [g.label for g in (G, L, M, E)] == ["一般", "较大", "重大", "特别重大"]
    assert [g.value for g in (G, L, M, E)] == ["general", "larger", "major", "especially_major"]


def test_grade_does_not_compare_with_other_types():
    with pytest.raises(TypeError):
        _ = G < 1


counts = st.integers(min_value=0, max_value=200)
losses = st.decimals(min_value=0, max_value=Decimal("300000000"), places=2, allow_nan=False)


@given(counts, counts, losses)
def test_grade_matches_reference_implementation(deaths, injuries, loss):
    assert accident_grade(deaths, injuries, loss) is BY_LABEL[reference_grade(deaths, injuries, loss)]


@given(counts, counts, losses)
def test_grade_is_max_of_per_criterion_grades(deaths, injuries, loss):
    per_criterion = [
        accident_grade(deaths, 0, Decimal(0)),
        accident_grade(0, injuries, Decimal(0)),
        accident_grade(0, 0, loss),
    ]
    assert accident_grade(deaths, injuries, loss) is max(per_criterion)


@given(counts, counts, counts, losses)
def test_grade_monotonic_in_deaths(a, b, injuries, loss):
    low, high = sorted((a, b))
    assert accident_grade(low, injuries, loss) <= accident_grade(high, injuries, loss)


@given(counts, counts, counts, losses)
def test_grade_monotonic_in_serious_injuries(deaths, a, b, loss):
    low, high = sorted((a, b))
    assert accident_grade(deaths, low, loss) <= accident_grade(deaths, high, loss)


@given(counts, counts, losses, losses)
def test_grade_monotonic_in_direct_loss(deaths, injuries, a, b):
    low, high = sorted((a, b))
    assert accident_grade(deaths, injuries, low) <= accident_grade(deaths, injuries, high)


# --- reporting chain -------------------------------------------------------------------------------------

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("grade", "chain"),
    [
        (G, ["county", "city"]),
        (L, ["county", "city", "province"]),
        (M, ["county", "city", "province", "national"]),
        (E, ["county", "city", "province", "national"]),
    ],
)
def test_reporting_chain(grade, chain):
    assert [level.value for level in rules.reporting_chain(grade)] == chain


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (G, [("county", 1), ("city", 3)]),
        (L, [("county", 1), ("city", 3), ("province", 5)]),
        (M, [("county", 1), ("city", 3), ("province", 5), ("national", 7)]),
        (E, [("county", 1), ("city", 3), ("province", 5), ("national", 7)]),
    ],
)
def test_report_deadlines_use_full_allowances(grade, expected):
    got = [(level.value, deadline) for level, deadline in rules.report_deadlines(T0, grade)]
    assert got == [(level, T0 + hours * H) for level, hours in expected]


def test_next_deadline_from_actual_receipt_times():
    # 493号令 第九条: unit → county within 1 hour; 第十一条: each department level at most 2 hours.
    assert rules.next_deadline(T0, AdminLevel.UNIT) == T0 + H
    county_received = T0 + timedelta(minutes=30)
    assert rules.next_deadline(county_received, AdminLevel.COUNTY) == county_received + 2 * H
    assert rules.next_deadline(T0, AdminLevel.CITY) == T0 + 2 * H
    assert rules.next_deadline(T0, AdminLevel.PROVINCE) == T0 + 2 * H


def test_national_level_has_no_further_deadline():
    with pytest.raises(ValueError, match="没有继续上报的时限"):
        rules.next_deadline(T0, AdminLevel.NATIONAL)


def test_stricter_local_allowances():
    local = {level: H / 2 for level in (AdminLevel.UNIT, AdminLevel.COUNTY, AdminLevel.CITY)}
    deadlines = rules.report_deadlines(T0, G, allowances=local)
    assert deadlines == [(AdminLevel.COUNTY, T0 + H / 2), (AdminLevel.CITY, T0 + H)]


def test_next_level():
    assert rules.next_level(AdminLevel.UNIT) is AdminLevel.COUNTY
    assert rules.next_level(AdminLevel.PROVINCE) is AdminLevel.NATIONAL
    with pytest.raises(ValueError):
        rules.next_level(AdminLevel.NATIONAL)


def test_is_late():
    deadline = T0 + H
    assert not rules.is_late(deadline, deadline)
    assert not rules.is_late(deadline, deadline - timedelta(seconds=1))
    assert rules.is_late(deadline, deadline + timedelta(microseconds=1))


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    st.sampled_from(list(AccidentGrade)),
)
def test_report_deadlines_properties(t0, grade):
    deadlines = rules.report_deadlines(t0, grade)
    levels = [level for level, _ in deadlines]
    times = [time for _, time in deadlines]
    assert levels == rules.reporting_chain(grade)
    assert levels[0] is AdminLevel.COUNTY
    assert times[0] == t0 + H
    assert all(later - earlier == 2 * H for earlier, later in pairwise(times))


# --- 补报 -------------------------------------------------------------------------------------------------

DAY0 = date(2026, 3, 1)


def test_supplement_window_days():
    assert rules.supplement_window_days(True) == 7
    assert rules.supplement_window_days(False) == 30


@pytest.mark.parametrize(
    ("day", "road_or_fire", "allowed"),
    [
        (0, True, True),
        (7, True, True),
        (8, True, False),
        (0, False, True),
        (8, False, True),
        (30, False, True),
        (31, False, False),
    ],
)
def test_supplement_allowed_window_edges(day, road_or_fire, allowed):
    assert rules.supplement_allowed(DAY0, DAY0 + timedelta(days=day), road_or_fire) is allowed


def test_supplement_deadline_dates():
    assert rules.supplement_deadline(DAY0, False) == date(2026, 3, 31)
    assert rules.supplement_deadline(DAY0, True) == date(2026, 3, 8)


def test_change_before_accident_refused():
    with pytest.raises(ValueError, match="不能早于事故发生日期"):
        rules.supplement_allowed(DAY0, DAY0 - timedelta(days=1), False)


def test_deaths_after_window_do_not_change_grade():
    counts = [
        CasualtyCount(DAY0, deaths=2, serious_injuries=0),
        CasualtyCount(DAY0 + timedelta(days=30), deaths=3, serious_injuries=0),
        CasualtyCount(DAY0 + timedelta(days=31), deaths=10, serious_injuries=0),
    ]
    effective = rules.effective_casualties(DAY0, counts, road_or_fire=False)
    assert effective.deaths == 3
    assert accident_grade(effective.deaths, effective.serious_injuries, Decimal(0)) is L


def test_road_or_fire_window_for_effective_casualties():
    counts = [
        CasualtyCount(DAY0 + timedelta(days=8), deaths=3, serious_injuries=0),
        CasualtyCount(DAY0, deaths=1, serious_injuries=0),
        CasualtyCount(DAY0 + timedelta(days=7), deaths=2, serious_injuries=0),
    ]
    assert rules.effective_casualties(DAY0, counts, road_or_fire=True).deaths == 2
    assert rules.effective_casualties(DAY0, counts, road_or_fire=False).deaths == 3


def test_effective_casualties_needs_a_count_inside_window():
    late = [CasualtyCount(DAY0 + timedelta(days=40), deaths=1, serious_injuries=0)]
    with pytest.raises(ValueError, match="补报期限内"):
        rules.effective_casualties(DAY0, late, road_or_fire=False)


def test_takeover_possible_only_inside_window_and_for_higher_government():
    # 493号令 第二十条第二款
    day30, day31 = DAY0 + timedelta(days=30), DAY0 + timedelta(days=31)
    assert rules.takeover_possible(G, L, DAY0, day30, road_or_fire=False)
    assert not rules.takeover_possible(G, L, DAY0, day31, road_or_fire=False)
    assert not rules.takeover_possible(G, L, DAY0, DAY0 + timedelta(days=8), road_or_fire=True)
    assert not rules.takeover_possible(L, L, DAY0, day30, road_or_fire=False)
    assert not rules.takeover_possible(M, L, DAY0, day30, road_or_fire=False)
    # 重大 → 特别重大 moves from province to 国务院
    assert rules.takeover_possible(M, E, DAY0, day30, road_or_fire=False)


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(min_value=0, max_value=400), st.booleans())
def test_supplement_allowed_iff_within_window(occurred, offset, road_or_fire):
    limit = 7 if road_or_fire else 30
    allowed = rules.supplement_allowed(occurred, occurred + timedelta(days=offset), road_or_fire)
    assert allowed is (offset <= limit)


# --- investigation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "casualties", "level", "entrust"),
    [
        (E, True, "national", False),
        (M, True, "province", False),
        (L, True, "city", False),
        (L, False, "city", False),
        (G, True, "county", False),
        (G, False, "county", True),
    ],
)
def test_investigating_level(grade, casualties, level, entrust):
    authority = rules.investigating_level(grade, has_casualties=casualties)
    assert authority.level.value == level
    assert authority.unit_may_be_entrusted is entrust


def test_investigation_deadline():
    occurred = date(2026, 1, 1)
    assert rules.investigation_deadline(occurred) == date(2026, 3, 2)
    assert rules.investigation_deadline(occurred, extension_days=60) == date(2026, 5, 1)
    assert rules.investigation_deadline(occurred, appraisal_days=10) == date(2026, 3, 12)
    assert rules.investigation_deadline(occurred, extension_days=60, appraisal_days=100) == date(2026, 8, 9)


def test_investigation_extension_over_60_days_refused():
    with pytest.raises(ValueError, match="延长最长不超过60日"):
        rules.investigation_deadline(date(2026, 1, 1), extension_days=61)
    with pytest.raises(ValueError):
        rules.investigation_deadline(date(2026, 1, 1), extension_days=-1)
    with pytest.raises(ValueError):
        rules.investigation_deadline(date(2026, 1, 1), appraisal_days=-1)


@pytest.mark.parametrize(("grade", "days"), [(G, 15), (L, 15), (M, 15), (E, 30)])
def test_reply_deadline(grade, days):
    received = date(2026, 6, 1)
    assert rules.reply_deadline(grade, received) == received + timedelta(days=days)


def test_reply_extension_only_for_especially_major():
    received = date(2026, 6, 1)
    assert rules.reply_deadline(E, received, extension_days=30) == date(2026, 7, 31)
    with pytest.raises(ValueError, match="延长最长不超过30日"):
        rules.reply_deadline(E, received, extension_days=31)
    for grade in (G, L, M):
        with pytest.raises(ValueError, match="不能延长"):
            rules.reply_deadline(grade, received, extension_days=1)


# --- categories and groups -------------------------------------------------------------------------------


def test_gb6441_1986_categories():
    codes = [code for code, _ in rules.CATEGORIES_GB6441_1986]
    names = [name for _, name in rules.CATEGORIES_GB6441_1986]
    assert codes == [f"{i:02d}" for i in range(1, 21)]
    assert len(set(names)) == 20
    assert (
        names[0] == "物体打击"
        and names[7] == "火灾"
        and names[18] == "中毒和窒息"
        and names[19] == "其它伤害"
    )


def test_gb6441_2025_categories():
    codes = [code for code, _ in rules.CATEGORIES_GB6441_2025]
    names = [name for _, name in rules.CATEGORIES_GB6441_2025]
    assert codes == [f"{i:02d}" for i in range(1, 28)]
    assert len(set(names)) == 27
    assert names[2] == "道路（轨道）车辆致害" and names[8] == "火灾" and names[26] == "其他"


def test_road_or_fire_category_codes_point_at_road_and_fire():
    names_1986 = dict(rules.CATEGORIES_GB6441_1986)
    names_2025 = dict(rules.CATEGORIES_GB6441_2025)
    assert {names_1986[c] for c in rules.ROAD_OR_FIRE_CATEGORIES_1986} == {"火灾"}
    assert {names_2025[c] for c in rules.ROAD_OR_FIRE_CATEGORIES_2025} == {"道路（轨道）车辆致害", "火灾"}


@pytest.mark.parametrize("group", list(IndustryGroup))
def test_only_road_traffic_and_fire_groups_have_the_7_day_window(group):
    expected = group in (IndustryGroup.ROAD_TRAFFIC, IndustryGroup.FIRE)
    assert rules.is_road_or_fire(group) is expected
    assert rules.supplement_window_days(rules.is_road_or_fire(group)) == (7 if expected else 30)


def test_industry_group_labels():
    assert IndustryGroup.INDUSTRY_MINING_TRADE.label == "工矿商贸"
    assert IndustryGroup.ROAD_TRAFFIC.label == "道路交通"
    assert len({g.label for g in IndustryGroup}) == len(IndustryGroup)


# --- fines -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "normal", "serious"),
    [
        (G, (300_000, 1_000_000), (600_000, 5_000_000)),
        (L, (1_000_000, 2_000_000), (2_000_000, 10_000_000)),
        (M, (2_000_000, 10_000_000), (4_000_000, 50_000_000)),
        (E, (10_000_000, 20_000_000), (20_000_000, 100_000_000)),
    ],
)
def test_unit_fine_range(grade, normal, serious):
    # 安全生产法 第一百一十四条; 情节特别严重 → 二倍以上五倍以下
    assert rules.unit_fine_range(grade) == (Decimal(normal[0]), Decimal(normal[1]))
    assert rules.unit_fine_range(grade, particularly_serious=True) == (
        Decimal(serious[0]),
        Decimal(serious[1]),
    )


@pytest.mark.parametrize(
    ("grade", "expected"), [(G, "80000.00"), (L, "120000.00"), (M, "160000.00"), (E, "200000.00")]
)
def test_principal_fine(grade, expected):
    # 安全生产法 第九十五条: 40% / 60% / 80% / 100% of the previous year's income
    assert rules.principal_fine(grade, Decimal("200000")) == Decimal(expected)


def test_principal_fine_rounds_to_fen():
    assert rules.principal_fine(G, Decimal("0.05")) == Decimal("0.02")


def test_income_fine_ranges():
    income = Decimal("100000")
    assert rules.income_fine_range(rules.PRINCIPAL_RESCUE_OR_REPORTING_FINE_RATES, income) == (
        Decimal("60000.00"),
        Decimal("100000.00"),
    )
    assert rules.income_fine_range(rules.OTHER_RESPONSIBLE_FINE_RATES, income) == (
        Decimal("20000.00"),
        Decimal("50000.00"),
    )


def test_income_must_not_be_float():
    with pytest.raises(TypeError):
        rules.principal_fine(G, 100000.0)


# --- 约谈 triggers ----------------------------------------------------------------------------------------

TODAY = date(2026, 8, 31)


def test_trigger_needs_exactly_one_window():
    with pytest.raises(ValueError, match="按天或按月"):
        Trigger(M, 2)
    with pytest.raises(ValueError, match="按天或按月"):
        Trigger(M, 2, window_days=30, window_months=6)
    with pytest.raises(ValueError, match="至少为1"):
        Trigger(M, 0, window_days=30)


@pytest.mark.parametrize(
    ("first_day_offset", "fires"),
    [(30, True), (31, False)],
)
def test_two_major_within_30_days(first_day_offset, fires):
    trigger = Trigger(M, 2, window_days=30)
    accidents = [(TODAY - timedelta(days=first_day_offset), M), (TODAY, M)]
    assert rules.triggered(accidents, trigger, TODAY) is fires


def test_trigger_counts_grade_or_above_only():
    trigger = Trigger(M, 2, window_days=30)
    assert not rules.triggered([(TODAY, M), (TODAY, L)], trigger, TODAY)
    assert rules.triggered([(TODAY, M), (TODAY, E)], trigger, TODAY)


def test_trigger_ignores_future_accidents():
    trigger = Trigger(M, 1, window_days=30)
    assert not rules.triggered([(TODAY + timedelta(days=1), M)], trigger, TODAY)


@pytest.mark.parametrize(("day", "fires"), [(date(2026, 2, 28), True), (date(2026, 2, 27), False)])
def test_month_window_uses_corresponding_day_or_month_end(day, fires):
    # 民法典 第二百零二条: 6 months before 08-31 has no 02-31, so the window starts on 02-28.
    trigger = Trigger(L, 1, window_months=6)
    assert rules.triggered([(day, L)], trigger, TODAY) is fires


def test_month_window_across_year_end():
    assert Trigger(L, 1, window_months=6).window_start(date(2026, 3, 15)) == date(2025, 9, 15)
    assert Trigger(L, 1, window_months=12).window_start(date(2024, 2, 29)) == date(2023, 2, 28)
    assert Trigger(L, 1, window_months=2).window_start(date(2026, 12, 31)) == date(2026, 10, 31)


def test_yt02_defaults():
    yt02 = rules.YUETAN_TRIGGERS["YT-02"]
    two_in_month = [(TODAY - timedelta(days=20), M), (TODAY, M)]
    three_in_half_year = [(TODAY - timedelta(days=150), M), (TODAY - timedelta(days=90), M), (TODAY, M)]
    assert [t.label for t in rules.fired_triggers(two_in_month, yt02, TODAY)] == [
        "30日内发生2起重大及以上事故"
    ]
    assert len(rules.fired_triggers(three_in_half_year, yt02, TODAY)) == 1
    assert rules.fired_triggers([(TODAY, M)], yt02, TODAY) == []


def test_yt03_and_yt05_defaults():
    three_larger = [(TODAY - timedelta(days=d), L) for d in (10, 60, 170)]
    assert rules.fired_triggers(three_larger, rules.YUETAN_TRIGGERS["YT-03"], TODAY)
    assert rules.fired_triggers(three_larger[:2], rules.YUETAN_TRIGGERS["YT-05-deputy"], TODAY)
    assert not rules.fired_triggers(three_larger[:2], rules.YUETAN_TRIGGERS["YT-05-principal"], TODAY)
    assert not rules.fired_triggers(three_larger[:1], rules.YUETAN_TRIGGERS["YT-05-deputy"], TODAY)


def test_yt06_enterprise_defaults():
    yt06 = rules.YUETAN_TRIGGERS["YT-06"]
    assert rules.fired_triggers([(TODAY, G)] * 3, yt06, TODAY)
    assert not rules.fired_triggers([(TODAY, G)] * 2, yt06, TODAY)
    assert rules.fired_triggers([(TODAY, L)] * 2, yt06, TODAY)
    assert rules.fired_triggers([(TODAY, M)], yt06, TODAY)


accident_lists = st.lists(
    st.tuples(
        st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
        st.sampled_from(list(AccidentGrade)),
    ),
    max_size=12,
)


@given(
    accident_lists,
    accident_lists,
    st.integers(min_value=1, max_value=4),
    st.sampled_from(list(AccidentGrade)),
)
def test_more_accidents_never_unfire_a_trigger(base, extra, count, grade):
    trigger = Trigger(grade, count, window_days=30)
    if rules.triggered(base, trigger, TODAY):
        assert rules.triggered(base + extra, trigger, TODAY)


@given(accident_lists, st.integers(min_value=1, max_value=4), st.sampled_from(list(AccidentGrade)))
def test_trigger_fires_iff_enough_accidents_in_window(accidents, count, grade):
    trigger = Trigger(grade, count, window_days=30)
    in_window = [d for d, g in accidents if TODAY - timedelta(days=30) <= d <= TODAY and g >= grade]
    assert rules.triggered(accidents, trigger, TODAY) is (len(in_window) >= count)
