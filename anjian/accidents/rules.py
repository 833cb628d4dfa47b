"""Accident domain rules as plain functions and data tables (no Django).

Sources (full texts read unless marked otherwise):
- 493号令: 《生产安全事故报告和调查处理条例》 (国务院令第493号, in force 2007-06-01).
- 安全生产法: 《中华人民共和国安全生产法》 (2021修正).
- 民法典 第二百零一、二百零二条: how "N日内" / "N个月" periods are counted.
- 约谈: 《安全生产约谈实施办法（试行）》 (安委〔2018〕2号) and local copies (domain/rules.md §7.2).

Confidence marks follow rules.md §0: ✅ read in the full text, 🟡 secondary source, ❓ not confirmed.

Conventions used below:
- Money is ``Decimal`` yuan (元); floats are refused (rules.md R-0.2).
- Periods "自某日起N日内" start counting the next day (民法典 第二百零一条), so day N is ``start + N days``
  and is still inside the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

# ---------------------------------------------------------------------------------------------------------
# Grades (493号令 第三条) ✅
# ---------------------------------------------------------------------------------------------------------


class AccidentGrade(Enum):
    """事故等级, ordered by seriousness: ``GENERAL < LARGER < MAJOR < ESPECIALLY_MAJOR``."""

    GENERAL = "general"
    LARGER = "larger"
    MAJOR = "major"
    ESPECIALLY_MAJOR = "especially_major"

    @property
    def label(self) -> str:
        return _GRADE_LABELS[self]

    @property
    def rank(self) -> int:
        return _GRADE_ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, AccidentGrade):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, AccidentGrade):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, AccidentGrade):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, AccidentGrade):
            return NotImplemented
        return self.rank >= other.rank


_GRADE_ORDER = (
    AccidentGrade.GENERAL,
    AccidentGrade.LARGER,
    AccidentGrade.MAJOR,
    AccidentGrade.ESPECIALLY_MAJOR,
)
_GRADE_LABELS = {
    AccidentGrade.GENERAL: "一般",
    AccidentGrade.LARGER: "较大",
    AccidentGrade.MAJOR: "重大",
    AccidentGrade.ESPECIALLY_MAJOR: "特别重大",
}


@dataclass(frozen=True)
class GradeThreshold:
    """Lower bounds of one grade; an accident reaching ANY of them has at least this grade."""

    grade: AccidentGrade
    min_deaths: int
    min_serious_injuries: int  # 重伤, 包括急性工业中毒 (493号令 第三条第一款第(一)项)
    min_direct_loss_yuan: Decimal


# 493号令 第三条第二款: 国务院安全生产监督管理部门 may issue supplementary grading rules (AC-03), so the table
# is data keyed by version. Add a new version here and switch GRADING_RULES_VERSION; keep old versions so that
# historical grades can be recomputed with the rules that applied at the time.
GRADING_RULES_VERSION = "493-2007"

# 493号令 第三条第三款 ✅: "以上"包括本数, "以下"不包括本数 → bands are [low, high), thresholds use >=.
GRADING_TABLES: dict[str, tuple[GradeThreshold, ...]] = {
    "493-2007": (
        GradeThreshold(AccidentGrade.ESPECIALLY_MAJOR, 30, 100, Decimal("100000000")),  # 30人/100人/1亿元以上
        GradeThreshold(AccidentGrade.MAJOR, 10, 50, Decimal("50000000")),  # 10人/50人/5000万元以上
        GradeThreshold(AccidentGrade.LARGER, 3, 10, Decimal("10000000")),  # 3人/10人/1000万元以上
        GradeThreshold(AccidentGrade.GENERAL, 0, 0, Decimal("0")),  # 3人/10人/1000万元以下
    ),
}


def _check_count(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}必须为整数")
    if value < 0:
        raise ValueError(f"{name}不能为负数")


def _check_money(value: Decimal | int, name: str) -> Decimal:
    # rules.md: money is Decimal or integer yuan, never float.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name}必须为 Decimal（元），不能使用浮点数")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{name}必须为有限数值")
    if amount < 0:
        raise ValueError(f"{name}不能为负数")
    return amount


def accident_grade(
    deaths: int,
    serious_injuries: int,
    direct_loss_yuan: Decimal | int,
    *,
    acute_poisonings: int = 0,
    version: str = GRADING_RULES_VERSION,
) -> AccidentGrade:
    """Grade of an accident: the highest grade reached by any criterion (493号令 第三条) ✅.

    By law ``serious_injuries`` already includes acute industrial poisoning (急性工业中毒). A caller that
    keeps poisonings in a separate field passes them as ``acute_poisonings``; they are added.
    """
    _check_count(deaths, "死亡人数")
    _check_count(serious_injuries, "重伤人数")
    _check_count(acute_poisonings, "急性工业中毒人数")
    loss = _check_money(direct_loss_yuan, "直接经济损失")
    try:
        table = GRADING_TABLES[version]
    except KeyError:
        raise ValueError(f"未知的事故等级划分规则版本：{version}") from None
    injured = serious_injuries + acute_poisonings
    for row in sorted(table, key=lambda r: r.grade, reverse=True):
        if (
            deaths >= row.min_deaths
            or injured >= row.min_serious_injuries
            or loss >= row.min_direct_loss_yuan
        ):
            return row.grade
    raise ValueError(f"事故等级划分规则 {version} 缺少一般事故的兜底行")


# ---------------------------------------------------------------------------------------------------------
# Administrative levels (reporting chain and investigating governments)
# ---------------------------------------------------------------------------------------------------------


class AdminLevel(Enum):
    """Levels a report climbs (493号令 第九、十条) and governments that investigate (第十九条)."""

    UNIT = "unit"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_ORDER = (AdminLevel.UNIT, AdminLevel.COUNTY, AdminLevel.CITY, AdminLevel.PROVINCE, AdminLevel.NATIONAL)
_LEVEL_LABELS = {
    AdminLevel.UNIT: "事故发生单位",
    AdminLevel.COUNTY: "县级",
    AdminLevel.CITY: "设区的市级",
    AdminLevel.PROVINCE: "省级",
    AdminLevel.NATIONAL: "国家级",
}


def next_level(level: AdminLevel) -> AdminLevel:
    """The level directly above ``level`` (逐级上报)."""
    index = _LEVEL_ORDER.index(level)
    if index + 1 >= len(_LEVEL_ORDER):
        raise ValueError("国家级已是最高一级，没有上一级")
    return _LEVEL_ORDER[index + 1]


# ---------------------------------------------------------------------------------------------------------
# Reporting chain and deadlines (AC-11..AC-14) ✅
# ---------------------------------------------------------------------------------------------------------

# 493号令 第十条第一款: 特别重大/重大 → 国务院安全生产监督管理部门; 较大 → 省级; 一般 → 设区的市级. ✅
# (第十条第二款: the national department and the provincial government report 特别重大/重大 to 国务院 at once;
# 第十条第三款: 越级上报 is allowed when necessary — the deadlines below are the legal upper bound.)
REPORT_TARGET: dict[AccidentGrade, AdminLevel] = {
    AccidentGrade.GENERAL: AdminLevel.CITY,
    AccidentGrade.LARGER: AdminLevel.PROVINCE,
    AccidentGrade.MAJOR: AdminLevel.NATIONAL,
    AccidentGrade.ESPECIALLY_MAJOR: AdminLevel.NATIONAL,
}

# Time a level has, after it received the report, to pass it to the next level (national floor, R-0.4: a
# tenant may pass stricter allowances). 493号令 第九条第一款: 单位负责人接到报告后 1小时内 报告县级以上部门.
# ✅ 493号令 第十一条: 逐级上报, 每级上报的时间不得超过2小时. ✅
REPORT_ALLOWANCES: dict[AdminLevel, timedelta] = {
    AdminLevel.UNIT: timedelta(hours=1),
    AdminLevel.COUNTY: timedelta(hours=2),
    AdminLevel.CITY: timedelta(hours=2),
    AdminLevel.PROVINCE: timedelta(hours=2),
}


# AC-04 ❓ / AC-15 ❓ (生产安全事故信息报告和处置办法 [R21], 条文待核对): a 较大涉险事故 is reported like a 较大 accident —
# up to the provincial department, with a 续报 at least once a day (AC-22).
NEAR_MISS_REPORTING_GRADE = AccidentGrade.LARGER


def reporting_grade(grade: AccidentGrade, is_near_miss: bool) -> AccidentGrade:
    """The grade whose chain a report follows: a near miss climbs at least as far as a 较大 accident."""
    if not is_near_miss:
        return grade
    return max(grade, NEAR_MISS_REPORTING_GRADE)


def reporting_chain(grade: AccidentGrade) -> list[AdminLevel]:
    """Departments the report must reach, in order, starting at the county (493号令 第九、十条)."""
    target = REPORT_TARGET[grade]
    start = _LEVEL_ORDER.index(AdminLevel.COUNTY)
    return list(_LEVEL_ORDER[start : _LEVEL_ORDER.index(target) + 1])


def next_deadline(
    level_received_at: datetime,
    level: AdminLevel,
    allowances: dict[AdminLevel, timedelta] = REPORT_ALLOWANCES,
) -> datetime:
    """Latest time the level above ``level`` must have the report, counted from ``level``'s actual receipt.

    ``level=UNIT`` means the unit's responsible person received the on-site report (493号令 第九条: +1h);
    any department level has +2h (第十一条).
    """
    if level not in allowances:
        raise ValueError(f"{level.label}没有继续上报的时限")
    return level_received_at + allowances[level]


def report_deadlines(
    received_at: datetime,
    grade: AccidentGrade,
    allowances: dict[AdminLevel, timedelta] = REPORT_ALLOWANCES,
) -> list[tuple[AdminLevel, datetime]]:
    """Latest arrival time at each level of the chain if every level uses its full allowance.

    ``received_at`` is t0, when the unit's responsible person received the report. National floor:
    county t0+1h, city t0+3h, province t0+5h, national t0+7h (rules.md §3.2).
    """
    deadlines: list[tuple[AdminLevel, datetime]] = []
    previous_level, previous_time = AdminLevel.UNIT, received_at
    for level in reporting_chain(grade):
        previous_time = next_deadline(previous_time, previous_level, allowances)
        deadlines.append((level, previous_time))
        previous_level = level
    return deadlines


def is_late(deadline: datetime, reported_at: datetime) -> bool:
    """迟报 = reported after the deadline (应急管理部令第14号, AC-23); exactly at the deadline is on time."""
    return reported_at > deadline


# ---------------------------------------------------------------------------------------------------------
# Accident categories and industry groups
# ---------------------------------------------------------------------------------------------------------

# GB 6441-1986 《企业职工伤亡事故分类》, 20 categories, standard order ✅ (rules.md §8.2). Codes are the
# ordinal in the standard's table.
CATEGORIES_GB6441_1986: tuple[tuple[str, str], ...] = (
    ("01", "物体打击"),
    ("02", "车辆伤害"),
    ("03", "机械伤害"),
    ("04", "起重伤害"),
    ("05", "触电"),
    ("06", "淹溺"),
    ("07", "灼烫"),
    ("08", "火灾"),
    ("09", "高处坠落"),
    ("10", "坍塌"),
    ("11", "冒顶片帮"),
    ("12", "透水"),
    ("13", "放炮"),
    ("14", "火药爆炸"),
    ("15", "瓦斯爆炸"),
    ("16", "锅炉爆炸"),
    ("17", "容器爆炸"),
    ("18", "其它爆炸"),
    ("19", "中毒和窒息"),
    ("20", "其它伤害"),
)

# GB 6441-2025 《生产安全事故分类与编码》, 27 categories 🟡 (effective date 2026-07-01 vs 2027-01-01 ❓).
# Codes are the ordinal in the list used by implementers, NOT the standard's "WSA…" codes (not read ❓).
CATEGORIES_GB6441_2025: tuple[tuple[str, str], ...] = (
    ("01", "物体打击"),
    ("02", "厂（场）内车辆致害"),
    ("03", "道路（轨道）车辆致害"),
    ("04", "机械致害"),
    ("05", "起重致害"),
    ("06", "触电"),
    ("07", "淹溺"),
    ("08", "灼烫"),
    ("09", "火灾"),
    ("10", "高处坠落"),
    ("11", "跌落"),
    ("12", "坍塌"),
    ("13", "水害"),
    ("14", "容器爆炸"),
    ("15", "管道爆炸"),
    ("16", "可燃气体爆炸"),
    ("17", "可燃液体蒸气爆炸"),
    ("18", "粉尘爆炸"),
    ("19", "民用爆炸物品爆炸"),
    ("20", "烟花爆竹爆炸"),
    ("21", "其他可燃固体爆炸"),
    ("22", "高温熔融物爆炸"),
    ("23", "中毒"),
    ("24", "窒息"),
    ("25", "滑坡"),
    ("26", "泄漏"),
    ("27", "其他"),
)

# Categories that SUGGEST a 道路交通/火灾 accident (7-day 补报 window, 493号令 第十三条第二款) ❓ judgement:
# 493号令 names accident kinds, not GB 6441 categories: "道路（轨道）车辆致害" also covers rail and 1986
# "车辆伤害" in-plant vehicles. Forms may pre-select from these; the deciding flag is the industry group.
ROAD_OR_FIRE_CATEGORIES_1986 = frozenset({"08"})
ROAD_OR_FIRE_CATEGORIES_2025 = frozenset({"03", "09"})


class IndustryGroup(Enum):
    """Statistical accident groups (生产安全事故统计) ❓ — from memory, not in rules.md; confirm against
    《生产安全事故统计调查制度》 (2020) before relying on the list."""

    INDUSTRY_MINING_TRADE = "industry_mining_trade"
    ROAD_TRAFFIC = "road_traffic"
    FIRE = "fire"
    WATERWAY = "waterway"
    RAILWAY = "railway"
    CIVIL_AVIATION = "civil_aviation"
    AGRICULTURAL_MACHINERY = "agricultural_machinery"
    FISHING_VESSEL = "fishing_vessel"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    IndustryGroup.INDUSTRY_MINING_TRADE: "工矿商贸",
    IndustryGroup.ROAD_TRAFFIC: "道路交通",
    IndustryGroup.FIRE: "火灾",
    IndustryGroup.WATERWAY: "水上交通",
    IndustryGroup.RAILWAY: "铁路交通",
    IndustryGroup.CIVIL_AVIATION: "民航飞行",
    IndustryGroup.AGRICULTURAL_MACHINERY: "农业机械",
    IndustryGroup.FISHING_VESSEL: "渔业船舶",
}

# 493号令 第十三条第二款: 道路交通事故、火灾事故 have the 7-day window ✅ (the group names are ❓, see above).
ROAD_OR_FIRE_GROUPS = frozenset({IndustryGroup.ROAD_TRAFFIC, IndustryGroup.FIRE})


def is_road_or_fire(group: IndustryGroup) -> bool:
    """Whether the 7-day (not 30-day) 补报 window applies (493号令 第十三条第二款)."""
    return group in ROAD_OR_FIRE_GROUPS


# ---------------------------------------------------------------------------------------------------------
# 续报 (AC-22 ❓, 生产安全事故信息报告和处置办法 [R21]): while the emergency response goes on, a follow-up report at
# least once a day for 一般/较大 accidents and twice a day for 重大/特别重大 ones.
FOLLOW_UP_HOURS = {
    AccidentGrade.GENERAL: 24,
    AccidentGrade.LARGER: 24,
    AccidentGrade.MAJOR: 12,
    AccidentGrade.ESPECIALLY_MAJOR: 12,
}


def follow_up_interval(grade: AccidentGrade) -> timedelta:
    return timedelta(hours=FOLLOW_UP_HOURS[grade])


# 补报 (AC-21, 493号令 第十三条) ✅ and grade changes (AC-02, 第二十条第二款) ✅
# ---------------------------------------------------------------------------------------------------------

SUPPLEMENT_WINDOW_DAYS = 30  # 自事故发生之日起30日内
SUPPLEMENT_WINDOW_DAYS_ROAD_OR_FIRE = 7  # 道路交通事故、火灾事故自发生之日起7日内


def supplement_window_days(category_is_road_or_fire: bool) -> int:
    """493号令 第十三条第二款: 30 days, or 7 days for road-traffic and fire accidents."""
    return SUPPLEMENT_WINDOW_DAYS_ROAD_OR_FIRE if category_is_road_or_fire else SUPPLEMENT_WINDOW_DAYS


def supplement_deadline(occurred_on: date, road_or_fire: bool) -> date:
    """Last day a casualty change still counts (民法典 第二百零一条: the accident day is not counted)."""
    return occurred_on + timedelta(days=supplement_window_days(road_or_fire))


def supplement_allowed(occurred_on: date, change_on: date, road_or_fire: bool) -> bool:
    """Whether a casualty change on ``change_on`` falls in the 补报 window and so changes the statistics."""
    if change_on < occurred_on:
        raise ValueError("伤亡人数变化日期不能早于事故发生日期")
    return change_on <= supplement_deadline(occurred_on, road_or_fire)


@dataclass(frozen=True)
class CasualtyCount:
    """Casualty totals as known on ``as_of`` (each 补报 restates the totals, it does not send a delta)."""

    as_of: date
    deaths: int
    serious_injuries: int  # 含急性工业中毒


def effective_casualties(
    occurred_on: date, counts: Sequence[CasualtyCount], road_or_fire: bool
) -> CasualtyCount:
    """The latest totals inside the 补报 window: the numbers that count for grade and statistics (AC-21).

    Changes after the window (e.g. a death on day 31) are recorded but do not change grade or statistics.
    """
    for count in counts:
        _check_count(count.deaths, "死亡人数")
        _check_count(count.serious_injuries, "重伤人数")
    inside = [c for c in counts if supplement_allowed(occurred_on, c.as_of, road_or_fire)]
    if not inside:
        raise ValueError("补报期限内没有任何伤亡人数记录")
    return max(inside, key=lambda c: c.as_of)


def takeover_possible(
    old_grade: AccidentGrade,
    new_grade: AccidentGrade,
    occurred_on: date,
    change_on: date,
    road_or_fire: bool,
) -> bool:
    """493号令 第二十条第二款: inside the 30/7-day window, a casualty change that moves the accident to a
    grade investigated by a higher government lets that government open its own investigation ("可以")."""
    if not supplement_allowed(occurred_on, change_on, road_or_fire):
        return False
    old_level = _LEVEL_ORDER.index(INVESTIGATING_LEVEL[old_grade])
    return _LEVEL_ORDER.index(INVESTIGATING_LEVEL[new_grade]) > old_level


# ---------------------------------------------------------------------------------------------------------
# Investigation and reply (AC-30, AC-33, AC-35) ✅
# ---------------------------------------------------------------------------------------------------------

# 493号令 第十九条: 特别重大 → 国务院 (or a department it authorises); 重大/较大/一般 → 事故发生地 省级 /
# 设区的市级 / 县级人民政府 (which may authorise or entrust a department).
INVESTIGATING_LEVEL: dict[AccidentGrade, AdminLevel] = {
    AccidentGrade.ESPECIALLY_MAJOR: AdminLevel.NATIONAL,
    AccidentGrade.MAJOR: AdminLevel.PROVINCE,
    AccidentGrade.LARGER: AdminLevel.CITY,
    AccidentGrade.GENERAL: AdminLevel.COUNTY,
}


@dataclass(frozen=True)
class InvestigationAuthority:
    level: AdminLevel  # government responsible for the investigation
    unit_may_be_entrusted: bool  # 县级人民政府 may entrust the accident unit itself


def investigating_level(grade: AccidentGrade, has_casualties: bool) -> InvestigationAuthority:
    """Who investigates (493号令 第十九条). 第十九条第三款: the county government may entrust a 一般 accident
    without casualties to the accident unit itself."""
    return InvestigationAuthority(
        level=INVESTIGATING_LEVEL[grade],
        unit_may_be_entrusted=grade is AccidentGrade.GENERAL and not has_casualties,
    )


INVESTIGATION_PERIOD_DAYS = 60  # 493号令 第二十九条: 自事故发生之日起60日内提交事故调查报告
INVESTIGATION_MAX_EXTENSION_DAYS = 60  # 第二十九条: 延长的期限最长不超过60日


def investigation_deadline(occurred_on: date, extension_days: int = 0, appraisal_days: int = 0) -> date:
    """Due date of the investigation report (493号令 第二十九条); technical appraisal time is not counted
    (第二十七条), so it pushes the date out day for day."""
    _check_count(extension_days, "延长天数")
    _check_count(appraisal_days, "技术鉴定天数")
    if extension_days > INVESTIGATION_MAX_EXTENSION_DAYS:
        raise ValueError(f"事故调查报告提交期限延长最长不超过{INVESTIGATION_MAX_EXTENSION_DAYS}日")
    return occurred_on + timedelta(days=INVESTIGATION_PERIOD_DAYS + extension_days + appraisal_days)


# 493号令 第三十二条: 重大/较大/一般 15日内批复; 特别重大 30日内, 特殊情况可延长, 最长不超过30日.
REPLY_PERIOD_DAYS: dict[AccidentGrade, int] = {
    AccidentGrade.GENERAL: 15,
    AccidentGrade.LARGER: 15,
    AccidentGrade.MAJOR: 15,
    AccidentGrade.ESPECIALLY_MAJOR: 30,
}
REPLY_MAX_EXTENSION_DAYS: dict[AccidentGrade, int] = {
    AccidentGrade.GENERAL: 0,
    AccidentGrade.LARGER: 0,
    AccidentGrade.MAJOR: 0,
    AccidentGrade.ESPECIALLY_MAJOR: 30,
}


def reply_deadline(grade: AccidentGrade, received_on: date, extension_days: int = 0) -> date:
    """Due date of the government's reply (批复) to the investigation report (493号令 第三十二条)."""
    _check_count(extension_days, "延长天数")
    limit = REPLY_MAX_EXTENSION_DAYS[grade]
    if extension_days > limit:
        if limit == 0:
            raise ValueError(f"{grade.label}事故的批复期限不能延长")
        raise ValueError(f"{grade.label}事故的批复期限延长最长不超过{limit}日")
    return received_on + timedelta(days=REPLY_PERIOD_DAYS[grade] + extension_days)


# ---------------------------------------------------------------------------------------------------------
# Accident fines (AC-40..AC-43), 安全生产法 2021 ✅. "以上/以下" include the bound for fines (民法典
# 第一千二百五十九条 convention); the exclusive reading of 493号令 第三条第三款 applies only to that article.
# 493号令 第三十七、三十八条 set lower amounts; the 2021 law prevails where they differ.
# ---------------------------------------------------------------------------------------------------------

# 安全生产法 第一百一十四条第一款: unit responsible for the accident.
UNIT_FINE_RANGES: dict[AccidentGrade, tuple[Decimal, Decimal]] = {
    AccidentGrade.GENERAL: (Decimal("300000"), Decimal("1000000")),  # 三十万元以上一百万元以下
    AccidentGrade.LARGER: (Decimal("1000000"), Decimal("2000000")),  # 一百万元以上二百万元以下
    AccidentGrade.MAJOR: (Decimal("2000000"), Decimal("10000000")),  # 二百万元以上一千万元以下
    AccidentGrade.ESPECIALLY_MAJOR: (Decimal("10000000"), Decimal("20000000")),  # 一千万元以上二千万元以下
}
# 第一百一十四条第二款: 情节特别严重、影响特别恶劣 → 前款罚款数额的二倍以上五倍以下.
PARTICULARLY_SERIOUS_MULTIPLIERS = (Decimal(2), Decimal(5))

# 第九十五条: 主要负责人 who failed their duties and caused the accident, share of previous year's income.
PRINCIPAL_FINE_RATES: dict[AccidentGrade, Decimal] = {
    AccidentGrade.GENERAL: Decimal("0.40"),
    AccidentGrade.LARGER: Decimal("0.60"),
    AccidentGrade.MAJOR: Decimal("0.80"),
    AccidentGrade.ESPECIALLY_MAJOR: Decimal("1.00"),
}
# 第一百一十条: 主要负责人 who fails to organise rescue, leaves or flees, or 隐瞒不报/谎报/迟报: 60%–100%.
PRINCIPAL_RESCUE_OR_REPORTING_FINE_RATES = (Decimal("0.60"), Decimal("1.00"))
# 第九十六条: 其他负责人和安全生产管理人员 whose failure caused the accident: 20%–50%.
OTHER_RESPONSIBLE_FINE_RATES = (Decimal("0.20"), Decimal("0.50"))

_CENT = Decimal("0.01")


def unit_fine_range(grade: AccidentGrade, particularly_serious: bool = False) -> tuple[Decimal, Decimal]:
    """(min, max) fine in yuan, both inclusive, for the unit responsible (安全生产法 第一百一十四条)."""
    low, high = UNIT_FINE_RANGES[grade]
    if particularly_serious:
        low_factor, high_factor = PARTICULARLY_SERIOUS_MULTIPLIERS
        return low * low_factor, high * high_factor
    return low, high


def principal_fine(grade: AccidentGrade, previous_year_income: Decimal | int) -> Decimal:
    """Fixed fine for the 主要负责人 (安全生产法 第九十五条), rounded to the fen."""
    income = _check_money(previous_year_income, "上一年年收入")
    return (income * PRINCIPAL_FINE_RATES[grade]).quantize(_CENT, rounding=ROUND_HALF_UP)


def income_fine_range(
    rates: tuple[Decimal, Decimal], previous_year_income: Decimal | int
) -> tuple[Decimal, Decimal]:
    """(min, max) fine for an income-based band such as 第一百一十条 or 第九十六条."""
    income = _check_money(previous_year_income, "上一年年收入")
    low, high = rates
    return (
        (income * low).quantize(_CENT, rounding=ROUND_HALF_UP),
        (income * high).quantize(_CENT, rounding=ROUND_HALF_UP),
    )


# ---------------------------------------------------------------------------------------------------------
# 约谈 triggers (YT-02, YT-03, YT-05, YT-06) — configurable rules of the form count(accidents with grade >= G
# within window W ending today) >= N.
# ---------------------------------------------------------------------------------------------------------


def _months_before(day: date, months: int) -> date:
    # 民法典 第二百零二条: a period in months ends on the corresponding day, else on the month's last day.
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last_day))


@dataclass(frozen=True)
class Trigger:
    """``count`` accidents of grade ``min_grade`` or above within the window ending ``today`` (inclusive).

    Give the window either in days (``window_days``, e.g. "30日内") or in months (``window_months``, e.g.
    "6个月内"/"半年内"); the window start day itself is inside (民法典 第二百零一、二百零二条).
    """

    min_grade: AccidentGrade
    count: int
    window_days: int = 0
    window_months: int = 0
    label: str = ""

    def __post_init__(self) -> None:
        _check_count(self.count, "起数")
        _check_count(self.window_days, "统计天数")
        _check_count(self.window_months, "统计月数")
        if self.count < 1:
            raise ValueError("触发起数至少为1")
        if (self.window_days > 0) == (self.window_months > 0):
            raise ValueError("统计期须且只能按天或按月中的一种设定")

    def window_start(self, today: date) -> date:
        if self.window_months:
            return _months_before(today, self.window_months)
        return today - timedelta(days=self.window_days)


def triggered(accidents: Iterable[tuple[date, AccidentGrade]], trigger: Trigger, today: date) -> bool:
    """Whether ``trigger`` fires on ``today``; accidents dated after ``today`` are ignored."""
    start = trigger.window_start(today)
    hits = sum(1 for day, grade in accidents if start <= day <= today and grade >= trigger.min_grade)
    return hits >= trigger.count


def fired_triggers(
    accidents: Iterable[tuple[date, AccidentGrade]], triggers: Iterable[Trigger], today: date
) -> list[Trigger]:
    rows = list(accidents)
    return [t for t in triggers if triggered(rows, t, today)]


_G, _L, _M = AccidentGrade.GENERAL, AccidentGrade.LARGER, AccidentGrade.MAJOR

# National defaults; a tenant copies and edits these.
YUETAN_TRIGGERS: dict[str, tuple[Trigger, ...]] = {
    # YT-02 ✅ (安委〔2018〕2号): 省级政府分管负责人 — 重大事故 30日内2起 / 6个月内3起.
    "YT-02": (
        Trigger(_M, 2, window_days=30, label="30日内发生2起重大及以上事故"),
        Trigger(_M, 3, window_months=6, label="6个月内发生3起重大及以上事故"),
    ),
    # YT-03 ✅ (first items): 市级政府主要负责人 — 1起重大事故 or 6个月内3起较大事故. Whether the 6-month
    # window also applies to the single 重大 accident is ❓.
    "YT-03": (
        Trigger(_M, 1, window_months=6, label="发生1起重大及以上事故"),
        Trigger(_L, 3, window_months=6, label="6个月内发生3起较大及以上事故"),
    ),
    # YT-05 🟡 (青海 local copy): 重大+ or 6个月内3起较大 → 市州主要负责人; 6个月内2起较大 → 市州分管负责人.
    "YT-05-principal": (
        Trigger(_M, 1, window_months=6, label="发生1起重大及以上事故"),
        Trigger(_L, 3, window_months=6, label="6个月内发生3起较大及以上事故"),
    ),
    "YT-05-deputy": (Trigger(_L, 2, window_months=6, label="6个月内发生2起较大及以上事故"),),
    # YT-06 🟡 (enterprise 约谈, e.g. provincial SASAC): 重大+; 半年内2起较大 or 3起一般.
    "YT-06": (
        Trigger(_M, 1, window_months=6, label="发生1起重大及以上事故"),
        Trigger(_L, 2, window_months=6, label="半年内发生2起较大及以上事故"),
        Trigger(_G, 3, window_months=6, label="半年内发生3起一般及以上事故"),
    ),
}
