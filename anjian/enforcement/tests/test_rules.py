"""Tests for anjian.enforcement.rules — pure rules, no database (run with ``-p no:django``).

Expected values are written out by hand from the legal texts; they never come from the module's own tables.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.enforcement import rules
from anjian.enforcement.rules import (
    CaseAction,
    CaseStage,
    EnforcementMeasure,
    IllegalTransition,
    MeasureKind,
    PenaltyType,
    WorkCalendar,
    validate_fine,
)

# The shared CI box can be loaded; generation speed is not what these tests check.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


# --- penalty types and measures --------------------------------------------------------------------------


def test_penalty_types_follow_article_9():
    # 行政处罚法 第九条, items (一)–(六)
    by_item = {}
    for penalty in PenaltyType:
        by_item.setdefault(penalty.item, []).append(penalty.label)
    assert by_item == {
        1: ["警告", "通报批评"],
        2: ["罚款", "没收违法所得", "没收非法财物"],
        3: ["暂扣许可证件", "降低资质等级", "吊销许可证件"],
        4: ["限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业"],
        5: ["行政拘留"],
        6: ["法律、行政法规规定的其他行政处罚"],
    }


def test_measures_are_the_issue_list():
    assert [m.label for m in EnforcementMeasure] == [
        "责令限期整改",
        "责令停产停业整顿",
        "关闭取缔",
        "罚款",
        "按日连续处罚",
        "查封扣押",
        "停止供电/停止供应民用爆炸物品",
        "暂扣/吊销证照",
        "纳入黑名单",
        "媒体曝光",
        "移送司法",
        "约谈",
        "黄牌警告",
    ]


def test_only_statutory_penalties_are_marked_as_penalties():
    # EN-03: on-site measures, compulsion, credit and supervisory measures are not 行政处罚.
    penalties = {m.label for m in EnforcementMeasure if m.kind is MeasureKind.PENALTY}
    assert penalties == {"责令停产停业整顿", "关闭取缔", "罚款", "按日连续处罚", "暂扣/吊销证照"}
    assert EnforcementMeasure.SEAL_OR_SEIZE.kind is MeasureKind.COMPULSORY
    assert EnforcementMeasure.CUT_SUPPLY.kind is MeasureKind.COMPULSORY
    assert EnforcementMeasure.ORDER_RECTIFICATION.kind is MeasureKind.ORDER
    assert EnforcementMeasure.YELLOW_CARD.kind is not MeasureKind.PENALTY
    assert EnforcementMeasure.ADMONITORY_TALK.kind is not MeasureKind.PENALTY
    assert MeasureKind.PENALTY.label == "行政处罚"


@pytest.mark.parametrize(
    ("types", "fine", "threshold", "expected"),
    [
        ({PenaltyType.REVOKE_LICENCE}, 0, None, True),
        ({PenaltyType.SUSPEND_OPERATIONS}, 0, None, True),
        ({PenaltyType.ORDER_CLOSURE}, 0, None, True),
        ({PenaltyType.RESTRICT_PRACTICE}, 0, None, True),
        ({PenaltyType.LOWER_QUALIFICATION}, 0, None, True),
        ({PenaltyType.WARNING}, 0, None, False),
        ({PenaltyType.SUSPEND_LICENCE}, 0, None, False),
        ({PenaltyType.FINE}, 49_999, 50_000, False),
        ({PenaltyType.FINE}, 50_000, 50_000, True),
        ({PenaltyType.FINE}, 1_000_000, None, False),
        ({PenaltyType.WARNING}, 1_000_000, 50_000, False),
    ],
)
def test_hearing_must_be_offered(types, fine, threshold, expected):
    assert rules.hearing_must_be_offered(types, Decimal(fine), threshold) is expected


# --- fines -----------------------------------------------------------------------------------------------

LOW, HIGH = Decimal("50000"), Decimal("200000")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("50000", None),
        ("200000", None),
        ("123456.78", None),
        ("49999.99", "低于法定下限50,000元"),
        ("200000.01", "超过法定上限200,000元"),
        ("0", "必须大于0元"),
        ("-1", "必须大于0元"),
        ("60000.001", "精确到分"),
    ],
)
def test_validate_fine_edges(amount, message):
    errors = validate_fine(Decimal(amount), LOW, HIGH)
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


def test_validate_fine_open_ended_bands():
    # "处五万元以下的罚款": no lower bound other than > 0
    assert validate_fine(Decimal("1"), None, Decimal("50000")) == []
    assert validate_fine(Decimal("50000"), None, Decimal("50000")) == []
    assert validate_fine(Decimal("50000.01"), None, Decimal("50000"))
    assert validate_fine(Decimal("99999999"), Decimal("1"), None) == []


def test_validate_fine_exclusive_bounds():
    assert validate_fine(LOW, LOW, HIGH, min_inclusive=False) == ["罚款金额50,000元须高于50,000元"]
    assert validate_fine(HIGH, LOW, HIGH, max_inclusive=False) == ["罚款金额200,000元须低于200,000元"]
    assert validate_fine(LOW + 1, LOW, HIGH, min_inclusive=False, max_inclusive=False) == []


def test_validate_fine_refuses_float_and_inverted_band():
    with pytest.raises(TypeError, match="不能使用浮点数"):
        validate_fine(50000.0, LOW, HIGH)
    with pytest.raises(ValueError, match="下限不能高于上限"):
        validate_fine(LOW, HIGH, LOW)


fen_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2)


@relaxed
@given(fen_amounts, fen_amounts, fen_amounts)
def test_validate_fine_accepts_exactly_the_closed_band(a, b, amount):
    low, high = sorted((a, b))
    errors = validate_fine(amount, low, high)
    assert (errors == []) is (low <= amount <= high)


def test_is_upper_limit_penalty():
    assert rules.is_upper_limit_penalty(Decimal("200000"), Decimal("200000"))
    assert rules.is_upper_limit_penalty(Decimal("200000.00"), 200_000)
    assert not rules.is_upper_limit_penalty(Decimal("199999.99"), Decimal("200000"))
    # above the maximum is not 上限处罚 but an invalid fine (validate_fine reports it)
    assert not rules.is_upper_limit_penalty(Decimal("200000.01"), Decimal("200000"))
    assert not rules.is_upper_limit_penalty(Decimal("200000"), None)


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (date(2026, 3, 1), "0"),
        (date(2026, 2, 20), "0"),
        (date(2026, 3, 2), "20000"),
        (date(2026, 3, 11), "200000"),
    ],
)
def test_daily_continuous_fine_counts_from_the_day_after_the_order(end, expected):
    # 安全生产法 第一百一十二条: 自作出责令改正之日的次日起, 按照原处罚数额按日连续处罚
    assert rules.daily_continuous_fine(Decimal("20000"), date(2026, 3, 1), end) == Decimal(expected)


def test_daily_continuous_fine_needs_an_original_fine():
    with pytest.raises(ValueError, match="原处罚数额"):
        rules.daily_continuous_fine(Decimal(0), date(2026, 3, 1), date(2026, 3, 5))


@relaxed
@given(fen_amounts, st.dates(max_value=date(9000, 1, 1)), st.integers(min_value=0, max_value=3650))
def test_daily_continuous_fine_is_fine_times_days(fine, ordered_on, days):
    assert rules.daily_continuous_fine(fine, ordered_on, ordered_on + timedelta(days=days)) == fine * days


@pytest.mark.parametrize(
    ("amount", "organisation", "allowed"),
    [("200", False, True), ("200.01", False, False), ("3000", True, True), ("3000.01", True, False)],
)
def test_on_the_spot_limits(amount, organisation, allowed):
    # 行政处罚法 第五十一条
    assert rules.on_the_spot_allowed(Decimal(amount), organisation) is allowed


@pytest.mark.parametrize(
    ("paid_on", "suspended", "expected"),
    [
        (date(2026, 3, 1), 0, "0"),
        (date(2026, 2, 25), 0, "0"),
        (date(2026, 3, 2), 0, "300.00"),
        (date(2026, 3, 11), 0, "3000.00"),
        (date(2026, 4, 3), 0, "9900.00"),
        (date(2026, 4, 4), 0, "10000"),
        (date(2026, 12, 31), 0, "10000"),
        (date(2026, 3, 11), 5, "1500.00"),
    ],
)
def test_late_payment_surcharge(paid_on, suspended, expected):
    # 行政处罚法 第七十二条: 3% of the fine per day, capped at the fine; 第七十三条: 复议/诉讼 days excluded
    surcharge = rules.late_payment_surcharge(Decimal("10000"), date(2026, 3, 1), paid_on, suspended)
    assert surcharge == Decimal(expected)


# --- procedure deadlines ---------------------------------------------------------------------------------

# 2026-03-02 is a Monday. Synthetic holidays: test data only, not the real 2026 schedule.
PLAIN = WorkCalendar()
WITH_HOLIDAY = WorkCalendar(
    holidays=frozenset({date(2026, 3, 4), date(2026, 3, 5)}),
    makeup_workdays=frozenset({date(2026, 3, 7)}),
)


def test_work_calendar_weekends_holidays_and_makeup_days():
    assert PLAIN.is_working_day(date(2026, 3, 2))
    assert not PLAIN.is_working_day(date(2026, 3, 7))  # Saturday
    assert not WITH_HOLIDAY.is_working_day(date(2026, 3, 4))
    assert WITH_HOLIDAY.is_working_day(date(2026, 3, 7))  # 调休 Saturday


def test_hearing_request_deadline_counts_working_days():
    # 行政处罚法 第六十四条 + 第八十五条: 5 working days after the notice, the notice day not counted
    assert rules.hearing_request_deadline(date(2026, 3, 2), PLAIN) == date(2026, 3, 9)
    assert rules.hearing_request_deadline(date(2026, 3, 6), PLAIN) == date(2026, 3, 13)
    # 3-4/3-5 off, Saturday 3-7 worked: 3-3, 3-6, 3-7, 3-9, 3-10
    assert rules.hearing_request_deadline(date(2026, 3, 2), WITH_HOLIDAY) == date(2026, 3, 10)


def test_hearing_notice_latest():
    # 第六十四条第(二)项: notify 7 working days before the hearing
    assert rules.hearing_notice_latest(date(2026, 3, 13), PLAIN) == date(2026, 3, 4)
    assert rules.hearing_notice_latest(date(2026, 3, 13), WITH_HOLIDAY) == date(2026, 3, 3)


def test_seven_working_day_deadlines():
    decided = date(2026, 3, 2)
    assert rules.service_deadline(decided, PLAIN) == date(2026, 3, 11)
    assert rules.publication_deadline(decided, PLAIN) == date(2026, 3, 11)
    assert rules.evidence_preservation_deadline(decided, PLAIN) == date(2026, 3, 11)
    assert rules.service_deadline(decided, WITH_HOLIDAY) == date(2026, 3, 12)


def test_calendar_day_deadlines():
    assert rules.decision_deadline(date(2026, 1, 1)) == date(2026, 4, 1)  # 第六十条: 90 days
    assert rules.decision_deadline(date(2026, 1, 1), period_days=120) == date(2026, 5, 1)
    assert rules.payment_deadline(date(2026, 3, 2)) == date(2026, 3, 17)  # 第六十七条: 15 days


def test_limitation_years():
    # 行政处罚法 第三十六条
    assert rules.limitation_years(False) == 2
    assert rules.limitation_years(True) == 5


@relaxed
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=40)
)
def test_working_day_arithmetic_round_trips(start, n):
    end = PLAIN.add_working_days(start, n)
    assert end >= start
    assert n == 0 or PLAIN.is_working_day(end)
    working = sum(
        1 for i in range(1, (end - start).days + 1) if PLAIN.is_working_day(start + timedelta(days=i))
    )
    assert working == n
    if PLAIN.is_working_day(start):
        assert PLAIN.subtract_working_days(end, n) == start


# --- case stages -----------------------------------------------------------------------------------------

S, A = CaseStage, CaseAction


def test_stage_labels():
    assert [s.label for s in CaseStage] == [
        "立案",
        "调查取证",
        "告知",
        "决定",
        "执行",
        "结案",
        "移送",
        "申请强制执行",
    ]


def test_happy_path():
    stage = S.FILED
    for action in (A.INVESTIGATE, A.NOTIFY, A.DECIDE, A.SERVE_AND_EXECUTE, A.CLOSE):
        stage = rules.next_stage(stage, action)
    assert stage is S.CLOSED


def test_court_enforcement_path():
    stage = rules.next_stage(S.EXECUTION, A.APPLY_COURT_ENFORCEMENT)
    assert stage is S.COURT_ENFORCEMENT
    assert rules.next_stage(stage, A.CLOSE) is S.CLOSED


def test_transfer_and_return():
    assert rules.next_stage(S.INVESTIGATION, A.TRANSFER) is S.TRANSFERRED
    assert rules.next_stage(S.TRANSFERRED, A.RETURNED) is S.INVESTIGATION
    assert rules.next_stage(S.TRANSFERRED, A.CLOSE) is S.CLOSED


def test_no_penalty_closes_the_case():
    assert rules.next_stage(S.INVESTIGATION, A.NO_PENALTY) is S.CLOSED
    assert rules.next_stage(S.NOTIFIED, A.NO_PENALTY) is S.CLOSED


def test_string_values_accepted():
    assert rules.next_stage("notified", "decide") is S.DECIDED


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (S.INVESTIGATION, A.DECIDE),  # 第六十二条: no decision before 告知
        (S.FILED, A.DECIDE),
        (S.DECIDED, A.CLOSE),
        (S.DECIDED, A.TRANSFER),
        (S.EXECUTION, A.NOTIFY),
        (S.FILED, A.CLOSE),
    ],
)
def test_illegal_moves_are_refused_in_chinese(stage, action):
    with pytest.raises(IllegalTransition) as info:
        rules.next_stage(stage, action)
    message = str(info.value)
    assert f"「{stage.label}」" in message and f"「{action.label}」" in message
    assert "可以进行的操作" in message
    assert isinstance(info.value, ValueError)


def test_closed_case_cannot_move():
    assert rules.allowed_actions(S.CLOSED) == []
    with pytest.raises(IllegalTransition, match="案件已办结"):
        rules.next_stage(S.CLOSED, A.INVESTIGATE)


def test_transitions_table_has_no_duplicates():
    keys = [(stage, action) for stage, action, _ in rules.CASE_TRANSITIONS]
    assert len(keys) == len(set(keys))


def _reachable(start):
    seen, todo = {start}, [start]
    while todo:
        stage = todo.pop()
        for action in rules.allowed_actions(stage):
            target = rules.next_stage(stage, action)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_stage_reachable_and_every_case_can_be_closed():
    assert _reachable(S.FILED) == set(CaseStage)
    for stage in CaseStage:
        assert S.CLOSED in _reachable(stage)


@relaxed
@given(st.sampled_from(list(CaseStage)), st.sampled_from(list(CaseAction)))
def test_next_stage_agrees_with_allowed_actions(stage, action):
    if action in rules.allowed_actions(stage):
        assert isinstance(rules.next_stage(stage, action), CaseStage)
    else:
        with pytest.raises(IllegalTransition):
            rules.next_stage(stage, action)


# --- document numbers ------------------------------------------------------------------------------------


def test_format_document_number():
    assert rules.format_document_number("青应急罚", 2026, 12) == "青应急罚〔2026〕12号"
    assert rules.format_document_number("X应急责改", 2026, 1) == "X应急责改〔2026〕1号"


@pytest.mark.parametrize(
    ("prefix", "year", "seq", "error"),
    [
        ("", 2026, 1, ValueError),
        ("青应急〔罚", 2026, 1, ValueError),
        ("青应急罚", 226, 1, ValueError),
        ("青应急罚", 2026, 0, ValueError),
        ("青应急罚", "2026", 1, TypeError),
    ],
)
def test_format_document_number_refuses_bad_parts(prefix, year, seq, error):
    with pytest.raises(error):
        rules.format_document_number(prefix, year, seq)


@pytest.mark.parametrize(
    "number", ["青应急罚2026〕12号", "青应急罚〔2026〕号", "青应急罚〔26〕12号", "〔2026〕12号"]
)
def test_parse_document_number_refuses_malformed(number):
    with pytest.raises(ValueError, match="无法识别"):
        rules.parse_document_number(number)


prefixes = st.text(
    alphabet=st.sampled_from(list("青海西宁城东区应急罚责改查复告决定XY")), min_size=1, max_size=8
)


@relaxed
@given(prefixes, st.integers(min_value=1000, max_value=9999), st.integers(min_value=1, max_value=10**6))
def test_document_number_round_trip(prefix, year, seq):
    number = rules.format_document_number(prefix, year, seq)
    assert rules.parse_document_number(number) == (prefix, year, seq)


@given(
    income=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2),
    low=st.integers(min_value=0, max_value=100),
    high=st.integers(min_value=0, max_value=100),
)
def test_income_share_band_contains_exactly_the_shares(income, low, high):
    low, high = min(low, high), max(low, high)
    band_low, band_high = rules.income_share_band(income, low, high)
    assert band_low <= band_high
    assert abs(band_low - income * low / 100) <= Decimal("0.005")
    assert abs(band_high - income * high / 100) <= Decimal("0.005")
    assert not rules.validate_fine(band_high, band_low, band_high) or band_high <= 0
