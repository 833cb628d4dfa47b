"""Enforcement domain rules as plain functions and data tables (no Django).

Sources (full texts read unless marked otherwise):
- 行政处罚法: 《中华人民共和国行政处罚法》 (2021修订, in force 2021-07-15).
- 安全生产法: 《中华人民共和国安全生产法》 (2021修正).
- 民法典 第二百零一条 (period counting), 第一千二百五十九条 ("以上/以下" include the bound).

Confidence marks (the domain rules reference (rules.md) §0): ✅ read in the full text, 🟡 secondary, ❓ unconfirmed.

行政处罚法 第八十五条 ✅: "本法中'二日''三日''五日''七日'的规定是指工作日，不含法定节假日" — so the 5- and
7-day procedure periods below count working days and need a holiday calendar (rules.md R-0.3: data, not code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

_CENT = Decimal("0.01")


def _as_money(value: Decimal | int, name: str) -> Decimal:
    # rules.md: Decimal or integer yuan, never float.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name}必须为 Decimal（元），不能使用浮点数")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{name}必须为有限数值")
    return amount


def _check_days(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}必须为整数")
    if value < 0:
        raise ValueError(f"{name}不能为负数")


def format_yuan(amount: Decimal) -> str:
    return f"{amount:,f}元"


# ---------------------------------------------------------------------------------------------------------
# Penalty types (EN-01, 行政处罚法 第九条) ✅
# ---------------------------------------------------------------------------------------------------------


class PenaltyType(Enum):
    WARNING = "warning"
    CIRCULATED_CRITICISM = "circulated_criticism"
    FINE = "fine"
    CONFISCATE_ILLEGAL_GAINS = "confiscate_illegal_gains"
    CONFISCATE_ILLEGAL_PROPERTY = "confiscate_illegal_property"
    SUSPEND_LICENCE = "suspend_licence"
    LOWER_QUALIFICATION = "lower_qualification"
    REVOKE_LICENCE = "revoke_licence"
    RESTRICT_OPERATIONS = "restrict_operations"
    SUSPEND_OPERATIONS = "suspend_operations"
    ORDER_CLOSURE = "order_closure"
    RESTRICT_PRACTICE = "restrict_practice"
    DETENTION = "detention"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _PENALTY_TYPES[self][1]

    @property
    def item(self) -> int:
        """The item (项) of 行政处罚法 第九条 the type belongs to, 1–6."""
        return _PENALTY_TYPES[self][0]


_PENALTY_TYPES: dict[PenaltyType, tuple[int, str]] = {
    PenaltyType.WARNING: (1, "警告"),
    PenaltyType.CIRCULATED_CRITICISM: (1, "通报批评"),
    PenaltyType.FINE: (2, "罚款"),
    PenaltyType.CONFISCATE_ILLEGAL_GAINS: (2, "没收违法所得"),
    PenaltyType.CONFISCATE_ILLEGAL_PROPERTY: (2, "没收非法财物"),
    PenaltyType.SUSPEND_LICENCE: (3, "暂扣许可证件"),
    PenaltyType.LOWER_QUALIFICATION: (3, "降低资质等级"),
    PenaltyType.REVOKE_LICENCE: (3, "吊销许可证件"),
    PenaltyType.RESTRICT_OPERATIONS: (4, "限制开展生产经营活动"),
    PenaltyType.SUSPEND_OPERATIONS: (4, "责令停产停业"),
    PenaltyType.ORDER_CLOSURE: (4, "责令关闭"),
    PenaltyType.RESTRICT_PRACTICE: (4, "限制从业"),
    PenaltyType.DETENTION: (5, "行政拘留"),
    PenaltyType.OTHER: (6, "法律、行政法规规定的其他行政处罚"),
}

# 行政处罚法 第六十三条第一款第(三)(四)项: these types always carry the right to a hearing ✅. 较大数额罚款
# and 没收较大数额 (items 一、二) depend on a threshold set by provinces/ministries — a tenant setting.
HEARING_PENALTY_TYPES = frozenset(
    {
        PenaltyType.LOWER_QUALIFICATION,
        PenaltyType.REVOKE_LICENCE,
        PenaltyType.SUSPEND_OPERATIONS,
        PenaltyType.ORDER_CLOSURE,
        PenaltyType.RESTRICT_PRACTICE,
    }
)


def hearing_must_be_offered(
    penalty_types: Iterable[PenaltyType],
    fine_amount: Decimal | int = 0,
    large_fine_threshold: Decimal | int | None = None,
) -> bool:
    """Whether the prior notice must tell the party of the right to a hearing (行政处罚法 第六十三条)."""
    types = set(penalty_types)
    if types & HEARING_PENALTY_TYPES:
        return True
    if large_fine_threshold is None or PenaltyType.FINE not in types:
        return False
    return _as_money(fine_amount, "罚款金额") >= _as_money(large_fine_threshold, "较大数额罚款标准")


# ---------------------------------------------------------------------------------------------------------
# Enforcement measures (the project's list). Only some are 行政处罚; EN-03 keeps the others separate.
# ---------------------------------------------------------------------------------------------------------


class MeasureKind(Enum):
    PENALTY = "penalty"
    COMPULSORY = "compulsory"
    ORDER = "order"
    CREDIT = "credit"
    TRANSFER = "transfer"
    SUPERVISORY = "supervisory"

    @property
    def label(self) -> str:
        return _MEASURE_KIND_LABELS[self]


_MEASURE_KIND_LABELS = {
    MeasureKind.PENALTY: "行政处罚",
    MeasureKind.COMPULSORY: "行政强制",
    MeasureKind.ORDER: "责令改正",
    MeasureKind.CREDIT: "信用惩戒",
    MeasureKind.TRANSFER: "案件移送",
    MeasureKind.SUPERVISORY: "其他监管措施",
}


class EnforcementMeasure(Enum):
    ORDER_RECTIFICATION = "order_rectification"
    SUSPEND_FOR_RECTIFICATION = "suspend_for_rectification"
    CLOSE_AND_BAN = "close_and_ban"
    FINE = "fine"
    DAILY_CONTINUOUS_FINE = "daily_continuous_fine"
    SEAL_OR_SEIZE = "seal_or_seize"
    CUT_SUPPLY = "cut_supply"
    SUSPEND_OR_REVOKE_LICENCE = "suspend_or_revoke_licence"
    BLACKLIST = "blacklist"
    MEDIA_EXPOSURE = "media_exposure"
    TRANSFER_TO_JUDICIARY = "transfer_to_judiciary"
    ADMONITORY_TALK = "admonitory_talk"
    YELLOW_CARD = "yellow_card"

    @property
    def label(self) -> str:
        return _MEASURES[self][0]

    @property
    def kind(self) -> MeasureKind:
        return _MEASURES[self][1]


_MEASURES: dict[EnforcementMeasure, tuple[str, MeasureKind]] = {
    # 行政处罚法 第二十八条; 安全生产法 第六十五条第(二)项 ✅: ordered alongside a penalty, not instead of it
    EnforcementMeasure.ORDER_RECTIFICATION: ("责令限期整改", MeasureKind.ORDER),
    # 行政处罚法 第九条第(四)项 责令停产停业; 安全生产法 第九十九条等 "责令停产停业整顿" ✅ (the on-site
    # 暂时停产停业 of 第六十五条第(三)项 is a separate measure, EN-03)
    EnforcementMeasure.SUSPEND_FOR_RECTIFICATION: ("责令停产停业整顿", MeasureKind.PENALTY),
    # 行政处罚法 第九条第(四)项 责令关闭; 安全生产法 第一百一十三条 (关闭), 第六十三条 (取缔) ✅
    EnforcementMeasure.CLOSE_AND_BAN: ("关闭取缔", MeasureKind.PENALTY),
    EnforcementMeasure.FINE: ("罚款", MeasureKind.PENALTY),  # 行政处罚法 第九条第(二)项 ✅
    EnforcementMeasure.DAILY_CONTINUOUS_FINE: (
        "按日连续处罚",
        MeasureKind.PENALTY,
    ),  # 安全生产法 第一百一十二条 ✅
    EnforcementMeasure.SEAL_OR_SEIZE: (
        "查封扣押",
        MeasureKind.COMPULSORY,
    ),  # 安全生产法 第六十五条第(四)项 ✅
    # 安全生产法 第七十条 ✅: enforces a stop decision; power cuts need 24 hours' notice unless urgent
    EnforcementMeasure.CUT_SUPPLY: ("停止供电/停止供应民用爆炸物品", MeasureKind.COMPULSORY),
    EnforcementMeasure.SUSPEND_OR_REVOKE_LICENCE: ("暂扣/吊销证照", MeasureKind.PENALTY),  # 第九条第(三)项 ✅
    EnforcementMeasure.BLACKLIST: ("纳入黑名单", MeasureKind.CREDIT),  # 应急管理部令第11号 ✅ (rules.md §5.1)
    EnforcementMeasure.MEDIA_EXPOSURE: (
        "媒体曝光",
        MeasureKind.SUPERVISORY,
    ),  # 安全生产法 第七十七、七十八条 🟡
    EnforcementMeasure.TRANSFER_TO_JUDICIARY: ("移送司法", MeasureKind.TRANSFER),  # 行政处罚法 第二十七条 ✅
    EnforcementMeasure.ADMONITORY_TALK: ("约谈", MeasureKind.SUPERVISORY),  # 安委〔2018〕2号 ✅
    # Local practice, not the statutory 警告 penalty ❓ — keep it out of penalty statistics.
    EnforcementMeasure.YELLOW_CARD: ("黄牌警告", MeasureKind.SUPERVISORY),
}


# ---------------------------------------------------------------------------------------------------------
# Fines
# ---------------------------------------------------------------------------------------------------------


# 安全生产法 第九十五条 ✅ (AC-41): 一般/较大/重大/特别重大事故 → 上一年年收入 40/60/80/100%.
SECTION_95_SHARES = {"general": 40, "larger": 60, "major": 80, "especially_major": 100}


def income_share_band(
    income: Decimal | int | None, share_min: int | None, share_max: int | None
) -> tuple[Decimal | None, Decimal | None]:
    """The yuan band of a fine set as a percentage of the previous-year income (both bounds included)."""
    if income is None:
        return None, None
    base = _as_money(income, "上一年年收入")
    low = None if share_min is None else (base * share_min / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    high = None if share_max is None else (base * share_max / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    return low, high


def income_share_text(share_min: int | None, share_max: int | None) -> str:
    if share_min == share_max:
        return f"上一年年收入的{share_min}%"
    return f"上一年年收入的{share_min}%–{share_max}%"


def validate_fine(
    amount: Decimal | int,
    min_amount: Decimal | int | None,
    max_amount: Decimal | int | None,
    *,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
) -> list[str]:
    """Errors (Chinese) for a fine against its statutory band; empty list when valid.

    "N元以上M元以下" includes both bounds (民法典 第一千二百五十九条 convention); pass ``*_inclusive=False``
    for a provision worded "超过"/"不满". ``None`` means no bound on that side (e.g. "五万元以下").
    """
    value = _as_money(amount, "罚款金额")
    low = None if min_amount is None else _as_money(min_amount, "罚款下限")
    high = None if max_amount is None else _as_money(max_amount, "罚款上限")
    if low is not None and high is not None and low > high:
        raise ValueError("罚款幅度下限不能高于上限")
    errors: list[str] = []
    if value <= 0:
        errors.append("罚款金额必须大于0元")
    if value != value.quantize(_CENT, rounding=ROUND_HALF_UP):
        errors.append("罚款金额最多精确到分（两位小数）")
    if low is not None:
        if min_inclusive and value < low:
            errors.append(f"罚款金额{format_yuan(value)}低于法定下限{format_yuan(low)}")
        elif not min_inclusive and value <= low:
            errors.append(f"罚款金额{format_yuan(value)}须高于{format_yuan(low)}")
    if high is not None:
        if max_inclusive and value > high:
            errors.append(f"罚款金额{format_yuan(value)}超过法定上限{format_yuan(high)}")
        elif not max_inclusive and value >= high:
            errors.append(f"罚款金额{format_yuan(value)}须低于{format_yuan(high)}")
    return errors


def is_upper_limit_penalty(amount: Decimal | int, max_amount: Decimal | int | None) -> bool:
    """上限处罚/顶格处罚: the fine equals the statutory maximum (LAW-30 policy flag)."""
    if max_amount is None:
        return False
    return _as_money(amount, "罚款金额") == _as_money(max_amount, "罚款上限")


def daily_continuous_days(ordered_on: date, end: date) -> int:
    """Days counted for 按日连续处罚: from the day after the correction order up to ``end`` inclusive."""
    return max((end - ordered_on).days, 0)


def daily_continuous_fine(original_fine: Decimal | int, ordered_on: date, end: date) -> Decimal:
    """安全生产法 第一百一十二条 ✅: a unit ordered to correct AND fined, that refuses to correct, may be
    fined the original amount per day, "自作出责令改正之日的次日起". ``ordered_on`` is the day the correction
    order was made; ``end`` the last day counted (e.g. the day the refusal was last verified)."""
    fine = _as_money(original_fine, "原处罚数额")
    if fine <= 0:
        raise ValueError("原处罚数额必须大于0元")
    return fine * daily_continuous_days(ordered_on, end)


# 行政处罚法 第五十一条 ✅: 当场处罚 for 公民 二百元以下, 法人或者其他组织 三千元以下 (bound included).
ON_THE_SPOT_FINE_LIMITS = {"person": Decimal("200"), "organisation": Decimal("3000")}


def on_the_spot_allowed(amount: Decimal | int, party_is_organisation: bool) -> bool:
    limit = ON_THE_SPOT_FINE_LIMITS["organisation" if party_is_organisation else "person"]
    return _as_money(amount, "罚款金额") <= limit


# 行政处罚法 第七十二条第一款第(一)项 ✅: 每日按罚款数额的百分之三加处罚款, 不得超出罚款的数额.
LATE_PAYMENT_DAILY_RATE = Decimal("0.03")


def late_payment_surcharge(
    fine: Decimal | int, due_on: date, paid_on: date, suspended_days: int = 0
) -> Decimal:
    """加处罚款 for paying after ``due_on``. 第七十三条第三款: days under 行政复议/行政诉讼 are not counted
    (``suspended_days``)."""
    amount = _as_money(fine, "罚款金额")
    _check_days(suspended_days, "复议诉讼期间天数")
    days = max((paid_on - due_on).days - suspended_days, 0)
    surcharge = (amount * LATE_PAYMENT_DAILY_RATE * days).quantize(_CENT, rounding=ROUND_HALF_UP)
    return min(surcharge, amount)


# ---------------------------------------------------------------------------------------------------------
# Procedure deadlines (§6.2)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday–Friday, minus ``holidays``, plus ``makeup_workdays`` (调休上班的周末).

    The State Council publishes the schedule yearly (rules.md R-0.3); load it from data. An empty calendar
    only skips weekends, which is wrong around 春节/国庆 — callers must pass the real one.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (the start day is not counted, 民法典 第二百零一条)."""
        _check_days(days, "工作日数")
        day = start
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: date, days: int) -> date:
        """The ``days``-th working day before ``end``."""
        _check_days(days, "工作日数")
        day = end
        remaining = days
        while remaining:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


DECISION_PERIOD_DAYS = 90  # 行政处罚法 第六十条 ✅ (自立案之日起九十日内; 法律、法规、规章另有规定的从其规定)
HEARING_REQUEST_WORKING_DAYS = 5  # 第六十四条第(一)项 ✅ 告知后五日内提出; 第八十五条: 工作日
HEARING_NOTICE_WORKING_DAYS = 7  # 第六十四条第(二)项 ✅ 举行听证的七日前通知; 第八十五条: 工作日
SERVICE_WORKING_DAYS = 7  # 第六十一条 ✅ 当事人不在场的, 七日内送达; 第八十五条: 工作日
EVIDENCE_PRESERVATION_WORKING_DAYS = 7  # 第五十六条 ✅ 先行登记保存后七日内作出处理决定; 第八十五条: 工作日
PAYMENT_PERIOD_DAYS = 15  # 第六十七条第三款 ✅ 自收到行政处罚决定书之日起十五日内缴纳 (calendar days)
PUBLICATION_WORKING_DAYS = 7  # 安全生产法 第七十八条第二款 ✅ 作出处罚决定后七个工作日内公开


def decision_deadline(filed_on: date, period_days: int = DECISION_PERIOD_DAYS) -> date:
    """Ordinary-procedure decision due date (行政处罚法 第六十条); ``period_days`` where a rule differs."""
    _check_days(period_days, "办案期限天数")
    return filed_on + timedelta(days=period_days)


def hearing_request_deadline(notified_on: date, calendar: WorkCalendar) -> date:
    """Last day the party may ask for a hearing (行政处罚法 第六十四条第(一)项 + 第八十五条)."""
    return calendar.add_working_days(notified_on, HEARING_REQUEST_WORKING_DAYS)


def hearing_notice_latest(hearing_on: date, calendar: WorkCalendar) -> date:
    """Latest day to notify the party of the hearing (第六十四条第(二)项 + 第八十五条). How "七日前" counts
    (whether the notice day itself counts) is ❓; this leaves 7 full working days before the hearing."""
    return calendar.subtract_working_days(hearing_on, HEARING_NOTICE_WORKING_DAYS)


def service_deadline(decided_on: date, calendar: WorkCalendar) -> date:
    """Serve the decision within 7 working days when the party was absent (第六十一条 + 第八十五条)."""
    return calendar.add_working_days(decided_on, SERVICE_WORKING_DAYS)


def evidence_preservation_deadline(preserved_on: date, calendar: WorkCalendar) -> date:
    """Decide on evidence registered for preservation within 7 working days (第五十六条 + 第八十五条)."""
    return calendar.add_working_days(preserved_on, EVIDENCE_PRESERVATION_WORKING_DAYS)


def payment_deadline(received_on: date) -> date:
    """Fine due date, 15 calendar days after the party received the decision (第六十七条第三款). Whether a
    holiday on the last day extends it (民法典 第二百零三条 by analogy) is ❓."""
    return received_on + timedelta(days=PAYMENT_PERIOD_DAYS)


def publication_deadline(decided_on: date, calendar: WorkCalendar) -> date:
    """Publish the penalty decision within 7 working days (安全生产法 第七十八条第二款)."""
    return calendar.add_working_days(decided_on, PUBLICATION_WORKING_DAYS)


def limitation_years(endangers_life_or_health_with_harm: bool) -> int:
    """行政处罚法 第三十六条 ✅: 2 years; 5 years when life/health (or financial) safety is involved and
    there are harmful consequences. Counted from the end of a continuing violation."""
    return 5 if endangers_life_or_health_with_harm else 2


# ---------------------------------------------------------------------------------------------------------
# Case stages: the only way a case changes stage (STYLE habit 4)
# ---------------------------------------------------------------------------------------------------------


class CaseStage(Enum):
    FILED = "filed"
    INVESTIGATION = "investigation"
    NOTIFIED = "notified"
    DECIDED = "decided"
    EXECUTION = "execution"
    CLOSED = "closed"
    TRANSFERRED = "transferred"
    COURT_ENFORCEMENT = "court_enforcement"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    CaseStage.FILED: "立案",
    CaseStage.INVESTIGATION: "调查取证",
    CaseStage.NOTIFIED: "告知",
    CaseStage.DECIDED: "决定",
    CaseStage.EXECUTION: "执行",
    CaseStage.CLOSED: "结案",
    CaseStage.TRANSFERRED: "移送",
    CaseStage.COURT_ENFORCEMENT: "申请强制执行",
}


class CaseAction(Enum):
    INVESTIGATE = "investigate"
    NOTIFY = "notify"
    REINVESTIGATE = "reinvestigate"
    DECIDE = "decide"
    NO_PENALTY = "no_penalty"
    SERVE_AND_EXECUTE = "serve_and_execute"
    APPLY_COURT_ENFORCEMENT = "apply_court_enforcement"
    TRANSFER = "transfer"
    RETURNED = "returned"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    CaseAction.INVESTIGATE: "开始调查取证",
    CaseAction.NOTIFY: "告知拟处罚",
    CaseAction.REINVESTIGATE: "补充调查",
    CaseAction.DECIDE: "作出处罚决定",
    CaseAction.NO_PENALTY: "不予处罚",
    CaseAction.SERVE_AND_EXECUTE: "送达并执行",
    CaseAction.APPLY_COURT_ENFORCEMENT: "申请人民法院强制执行",
    CaseAction.TRANSFER: "移送",
    CaseAction.RETURNED: "移送退回",
    CaseAction.CLOSE: "结案",
}

_S, _A = CaseStage, CaseAction

# (stage, action, next stage). Roles and guards live in the service layer that calls next_stage().
CASE_TRANSITIONS: tuple[tuple[CaseStage, CaseAction, CaseStage], ...] = (
    (_S.FILED, _A.INVESTIGATE, _S.INVESTIGATION),  # 行政处罚法 第五十四条
    # 第四十四条: tell the party the intended penalty, facts, reasons, basis and rights before deciding
    (_S.INVESTIGATION, _A.NOTIFY, _S.NOTIFIED),
    # 第五十七条第一款第(二)(三)项: 不予行政处罚 (minor violation / facts not established)
    (_S.INVESTIGATION, _A.NO_PENALTY, _S.CLOSED),
    # 第四十五条: facts raised in 陈述申辩 must be re-checked; accepted ones may need more investigation
    (_S.NOTIFIED, _A.REINVESTIGATE, _S.INVESTIGATION),
    (_S.NOTIFIED, _A.NO_PENALTY, _S.CLOSED),
    # 第六十二条: no decision without prior notice and hearing the party → DECIDE only from NOTIFIED
    (_S.NOTIFIED, _A.DECIDE, _S.DECIDED),
    (_S.DECIDED, _A.SERVE_AND_EXECUTE, _S.EXECUTION),  # 第六十一条 送达; 第六十六条 履行
    (_S.EXECUTION, _A.CLOSE, _S.CLOSED),
    (_S.EXECUTION, _A.APPLY_COURT_ENFORCEMENT, _S.COURT_ENFORCEMENT),  # 第七十二条第一款第(四)项
    (_S.COURT_ENFORCEMENT, _A.CLOSE, _S.CLOSED),
    # 第二十七条、第五十七条第一款第(四)项: suspected crime → 移送司法机关, at any point before the decision
    (_S.FILED, _A.TRANSFER, _S.TRANSFERRED),
    (_S.INVESTIGATION, _A.TRANSFER, _S.TRANSFERRED),
    (_S.NOTIFIED, _A.TRANSFER, _S.TRANSFERRED),
    # 第二十七条第一款后段: the judiciary sends back cases needing only an administrative penalty (❓ model)
    (_S.TRANSFERRED, _A.RETURNED, _S.INVESTIGATION),
    (_S.TRANSFERRED, _A.CLOSE, _S.CLOSED),
)

_TRANSITIONS = {(stage, action): target for stage, action, target in CASE_TRANSITIONS}


class IllegalTransition(ValueError):
    def __init__(self, stage: CaseStage, action: CaseAction) -> None:
        self.stage = stage
        self.action = action
        allowed = allowed_actions(stage)
        if allowed:
            hint = "可以进行的操作：" + "、".join(a.label for a in allowed)
        else:
            hint = "案件已办结，不能再变更"
        super().__init__(f"案件处于「{stage.label}」阶段，不能「{action.label}」。{hint}")


def allowed_actions(stage: CaseStage | str) -> list[CaseAction]:
    stage = CaseStage(stage)
    return [action for s, action, _ in CASE_TRANSITIONS if s is stage]


def next_stage(stage: CaseStage | str, action: CaseAction | str) -> CaseStage:
    """The stage after ``action``; raises ``IllegalTransition`` (a ValueError with a Chinese reason)."""
    stage, action = CaseStage(stage), CaseAction(action)
    try:
        return _TRANSITIONS[(stage, action)]
    except KeyError:
        raise IllegalTransition(stage, action) from None


# ---------------------------------------------------------------------------------------------------------
# Document numbers (EN-30, synthesis; exact pattern is local ❓)
# ---------------------------------------------------------------------------------------------------------


def format_document_number(prefix: str, year: int, seq: int) -> str:
    """文书编号 such as "青应急罚〔2026〕12号": prefix (机关简称 + 类别码), year in 六角括号, sequence + 号.

    The sequence is per authority, per year, per document kind and gap-free; allocate it in the database.
    """
    prefix = prefix.strip()
    if not prefix:
        raise ValueError("文书编号前缀不能为空")
    if any(ch in prefix for ch in "〔〕[]()（）号"):
        raise ValueError("文书编号前缀不能包含括号或“号”字")
    for value, name in ((year, "年份"), (seq, "序号")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name}必须为整数")
    if not 1000 <= year <= 9999:
        raise ValueError("年份必须为四位数")
    if seq < 1:
        raise ValueError("序号必须从1开始")
    return f"{prefix}〔{year}〕{seq}号"


def parse_document_number(number: str) -> tuple[str, int, int]:
    """Inverse of ``format_document_number``."""
    head, sep, tail = number.partition("〔")
    year_text, sep2, rest = tail.partition("〕")
    if not (sep and sep2 and rest.endswith("号")):
        raise ValueError(f"无法识别的文书编号：{number}")
    seq_text = rest[:-1]
    digits = year_text + seq_text
    if not (head and digits.isascii() and digits.isdigit() and len(year_text) == 4 and seq_text):
        raise ValueError(f"无法识别的文书编号：{number}")
    return head, int(year_text), int(seq_text)


# What a 约谈 trigger rests on, as officials cite it (the codes are the domain reference's, not theirs).
TALK_TRIGGER_BASIS = {
    "YT-02": "《安全生产约谈实施办法（试行）》（安委〔2018〕2号）",
    "YT-03": "《安全生产约谈实施办法（试行）》（安委〔2018〕2号）",
    "YT-05": "地方安全生产约谈办法（参照安委〔2018〕2号）",
    "YT-06": "企业安全生产约谈规定",
}


def talk_trigger_basis(ref: str) -> str:
    """The human title of a trigger's basis; unknown references are shown as typed."""
    return TALK_TRIGGER_BASIS.get(ref, ref)


# ---------------------------------------------------------------------------------------------------------
# Publication of penalty decisions (行政处罚信息公示, LAW-15)
# ---------------------------------------------------------------------------------------------------------
# 安全生产法 第七十八条第二款 / 行政处罚法 第四十八条: decisions with a certain social impact are published
# within 7 working days; 国办发〔2018〕118号 (行政执法公示制度): personal information is not published beyond
# what identifies the party — a person is shown by surname only, identity card numbers and telephone numbers are
# masked, and the decision is taken down when it is revoked, confirmed unlawful or re-made.

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")

COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "轩辕",
        "呼延",
        "南宫",
        "独孤",
        "百里",
    ]
)


def masked_person_name(name: str) -> str:
    """张三 → 张某; 欧阳娜娜 → 欧阳某 (compound surnames); empty stays empty."""
    name = (name or "").strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某"


def redact(text: str, person_names: Iterable[str] = ()) -> str:
    """Text fit for the public: ID numbers and mobile numbers masked, the named persons shown by surname."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2), text or "")
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    for name in sorted({n.strip() for n in person_names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, masked_person_name(name))
    return text


# ---------------------------------------------------------------------------------------------------------
# Two law-enforcement officers (rules.md EN-31) ✅
# ---------------------------------------------------------------------------------------------------------

MIN_OFFICERS = 2  # 行政处罚法 第四十二条: 执法人员不得少于两人，法律另有规定的除外


def officers_problem(officers: Iterable, *, shortfall_hint: str = "") -> str | None:
    """Why these people cannot act as the law-enforcement officers of a case, an inspection or an on-site measure
    (None when they can). 行政处罚法 第四十二条 (rules.md EN-31): at least two distinct officers, each holding a
    law-enforcement certificate (执法证); the same two-officer rule governs inspections in local 权责清单 and
    安全生产执法程序规定. `officers` are user-like objects (pk, certificate_no, name or username)."""
    distinct = {getattr(o, "pk", id(o)): o for o in officers if o is not None}
    if len(distinct) < MIN_OFFICERS:
        return "执法人员不得少于两人（行政处罚法 第四十二条）" + (
            f"：{shortfall_hint}" if shortfall_hint else "。"
        )
    uncertified = [
        getattr(o, "name", "") or getattr(o, "username", "")
        for o in distinct.values()
        if not (getattr(o, "certificate_no", "") or "").strip()
    ]
    if uncertified:
        return (
            "执法人员须持有执法证件（行政处罚法 第四十二条）："
            + "、".join(uncertified)
            + " 尚未登记执法证号。"
        )
    return None
