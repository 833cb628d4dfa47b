"""Domain rules of the enterprise registry, as plain functions and data tables.

Standard library only (no Django): models, forms, API and tasks all call these functions, and the tables are
plain data so pages can show them. Every rule cites its source and the confidence mark of the domain
reference rules.md (✅ read in full text, 🟡 secondary source, ❓ not confirmed: keep it configurable).

Contents:
1. 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997) checks        — rules.md §8.4
2. Risk levels, LEC and LS (risk matrix) grading for 双重预防机制                  — rules.md §4
3. Default supervision frequency by risk colour (分级分类监管)                     — no national source
4. 危险化学品重大危险源 identification and grading (GB 18218-2018, 总局令第40号)    — rules.md §8.5
5. 安全生产严重失信主体名单 dates (应急管理部令第11号)                             — rules.md §5.1
6. Licence / certificate expiry status
7. GB/T 4754-2017 门类 lookup                                                      — rules.md §8.1
"""

import calendar
import enum
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from types import MappingProxyType
from typing import Generic, TypeVar

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band(Generic[T]):
    """One row of a threshold table: values above `lower` (or equal, if `lower_inclusive`) map to `result`.

    Tables are tuples of bands ordered from the highest band down; the last band is the floor. Keeping the
    inclusive flag per row follows rules.md RK-10 (sources disagree on ">" versus "≥").
    """

    lower: Decimal
    lower_inclusive: bool
    result: T
    label: str = ""


def _pick_band(value: Decimal, bands: Sequence[Band[T]]) -> Band[T]:
    for band in bands:
        if value > band.lower or (band.lower_inclusive and value == band.lower):
            return band
    raise ValueError(f"数值{_fmt(value)}低于评价表的最小值{_fmt(bands[-1].lower)}")


def _to_decimal(value: object, what: str) -> Decimal:
    # bool is an int subclass: True would silently count as 1, which always hides a caller bug.
    if isinstance(value, bool):
        raise ValueError(f"{what}必须是数字，当前为“{value}”")
    # A float 0.1 is really 0.1000000000000000055…; use the digits the user typed (rules.md ).
    raw = str(value) if isinstance(value, float) else value
    try:
        number = Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{what}必须是数字，当前为“{value}”") from None
    if not number.is_finite():
        raise ValueError(f"{what}必须是有限数字，当前为“{value}”")
    return number


def _fmt(number: Decimal) -> str:
    """Decimal for people: 10 not 1E+1, 0.5 not 0.50."""
    return format(number.normalize(), "f")


def _floor_decimal(exact: Fraction) -> Decimal:
    # Rounded towards -∞, so a value just below a "≥ N" threshold can never be rounded up onto it.
    with localcontext() as ctx:
        ctx.rounding = ROUND_FLOOR
        return Decimal(exact.numerator) / Decimal(exact.denominator)


# ---------------------------------------------------------------------------------------------------------
# 1. 统一社会信用代码 — GB 32100-2015 (rules.md §8.4 ✅ [GUSCC])
# ---------------------------------------------------------------------------------------------------------

# GB 32100-2015 §4: 31 characters, the digits and the capital letters without I, O, S, V, Z (easily confused
# with 1, 0, 5, U, 2); a character's value is its index (A = 10 … Y = 30).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_EXCLUDED_LETTERS = "IOSVZ"
CREDIT_CODE_LENGTH = 18
# GB 32100-2015 §4: weight of position i (0-based) is 3**i mod 31.
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714-1997: weights of the 8-character 组织机构代码 body (positions 9–16 of the credit code).
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# GB 32100-2015 §4: position 1 = 登记管理部门码, position 2 = 机构类别码.
# rules.md §8.4: ✅ for 1x, 5x, 9x and Y1; ❓ for the other rows — used only for display and warnings.
CREDIT_CODE_AUTHORITIES: Mapping[str, tuple[str, Mapping[str, str]]] = MappingProxyType(
    {
        "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直管群众团体", "9": "其他"}),
        "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
        "3": (
            "司法行政",
            {
                "1": "律师执业机构",
                "2": "公证处",
                "3": "基层法律服务所",
                "4": "司法鉴定机构",
                "5": "仲裁委员会",
                "9": "其他",
            },
        ),
        "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
        "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
        "6": (
            "旅游",
            {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地代表机构", "9": "其他"},
        ),
        "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
        "8": ("工会", {"1": "基层工会", "9": "其他"}),
        # 工商 registration is now done by 市场监管; the standard still calls the authority 工商.
        "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
        "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
        "N": (
            "农业",
            {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
        ),
        "Y": ("其他", {"1": "其他"}),
    }
)


@dataclass(frozen=True)
class CreditCodeResult:
    """Outcome of `validate_credit_code`: errors make the code unusable, warnings are only shown."""

    normalized: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def normalize_credit_code(code: str) -> str:
    """Codes are pasted from licences and PDFs: drop whitespace, fold full-width characters, upper-case."""
    folded = unicodedata.normalize("NFKC", code or "")  # "９１４４" / "ＸＧ" → "9144" / "XG"
    return "".join(folded.split()).upper()


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015 §4: MOD 31 check character)."""
    if len(first17) != CREDIT_CODE_LENGTH - 1:
        raise ValueError(f"计算校验码需要前17位，当前为{len(first17)}位")
    bad = [c for c in first17 if c not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValueError(f"字符“{bad[0]}”不是统一社会信用代码的合法字符")
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    # GB 32100-2015 §4: C18 = 31 - (Σ mod 31); a result of 31 is written as 0.
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714-1997 check character of an 8-character 组织机构代码 body (digits; letters A=10 … Z=35)."""
    if len(body8) != len(ORG_CODE_WEIGHTS) or not all(c.isascii() and c.isalnum() for c in body8):
        raise ValueError(f"组织机构代码本体应为8位数字或大写字母，当前为“{body8}”")
    total = sum(int(c, 36) * w for c, w in zip(body8.upper(), ORG_CODE_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    # GB 11714-1997: 10 is written X, 11 is written 0.
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def validate_credit_code(code: str) -> CreditCodeResult:
    """Check a 统一社会信用代码; messages are in Chinese for the person who typed it."""
    normalized = normalize_credit_code(code)
    errors: list[str] = []
    warnings: list[str] = []
    if not normalized:
        return CreditCodeResult(normalized, ["统一社会信用代码不能为空"], [])

    # GB 32100-2015 §4: exactly 18 characters.
    if len(normalized) != CREDIT_CODE_LENGTH:
        errors.append(f"统一社会信用代码应为{CREDIT_CODE_LENGTH}位，当前为{len(normalized)}位")
    # GB 32100-2015 §4: only the 31-character set (no I, O, S, V, Z).
    for position, char in enumerate(normalized, start=1):
        if char in CREDIT_CODE_CHARSET:
            continue
        if char in CREDIT_CODE_EXCLUDED_LETTERS:
            errors.append(f"第{position}位字符“{char}”不是合法字符（不使用I、O、S、V、Z）")
        else:
            errors.append(
                f"第{position}位字符“{char}”不是合法字符（只能是数字或大写英文字母，不使用I、O、S、V、Z）"
            )

    if len(normalized) == CREDIT_CODE_LENGTH and all(c in CREDIT_CODE_CHARSET for c in normalized[:17]):
        expected = credit_code_check_char(normalized[:17])
        if normalized[17] != expected:
            errors.append(f"校验码错误：第18位应为“{expected}”，实际为“{normalized[17]}”")
        warnings.extend(_credit_code_warnings(normalized))
    return CreditCodeResult(normalized, errors, warnings)


def _credit_code_warnings(code: str) -> list[str]:
    """Structure checks some real legacy codes fail (rules.md §8.4: warn, don't reject)."""
    warnings = []
    authority = CREDIT_CODE_AUTHORITIES.get(code[0])
    if authority is None:
        warnings.append(f"第1位登记管理部门码“{code[0]}”不在已知代码表中")
    elif code[1] not in authority[1]:
        warnings.append(f"第2位机构类别码“{code[1]}”不是“{authority[0]}”的已知类别")
    # GB 32100-2015 §4: positions 3–8 are the registering authority's 6-digit division code (GB/T 2260).
    if not code[2:8].isdigit():
        warnings.append(f"第3–8位登记管理机关行政区划码应为6位数字，当前为“{code[2:8]}”")
    # GB 32100-2015 §4: positions 9–17 are the 组织机构代码; its own GB 11714 check character is position 17.
    expected = org_code_check_char(code[8:16])
    if code[16] != expected:
        warnings.append(
            f"第9–17位组织机构代码校验位不符（GB 11714）：第17位应为“{expected}”，实际为“{code[16]}”"
        )
    return warnings


def describe_credit_code(code: str) -> str:
    """Authority and category from the first two characters, e.g. "工商 · 企业"."""
    normalized = normalize_credit_code(code)
    if len(normalized) < 2:
        raise ValueError("统一社会信用代码过短，无法识别登记管理部门和机构类别")
    authority = CREDIT_CODE_AUTHORITIES.get(normalized[0])
    if authority is None:
        return f"未知登记管理部门“{normalized[0]}”"
    name, categories = authority
    return f"{name} · {categories.get(normalized[1], f'未知机构类别“{normalized[1]}”')}"


# ---------------------------------------------------------------------------------------------------------
# 2. Risk grading — 双重预防机制 (安全生产法 第四条、第二十一条、第四十一条; rules.md §4)
# ---------------------------------------------------------------------------------------------------------


class RiskLevel(enum.Enum):
    """Four risk levels (rules.md §4.1 ✅ RK-01).

    A plain Enum on purpose: with str/StrEnum, `max(levels)` would compare "major" < "medium" alphabetically
    and silently give a wrong answer; here comparing raises, and `rank` gives the real order.
    """

    MAJOR = "major"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def info(self) -> "RiskLevelInfo":
        return RISK_LEVEL_INFO[self]

    @property
    def rank(self) -> int:
        return self.info.rank

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def colour(self) -> str:
        return self.info.colour

    @property
    def colour_zh(self) -> str:
        return self.info.colour_zh

    @property
    def hex(self) -> str:
        return self.info.hex


@dataclass(frozen=True)
class RiskLevelInfo:
    rank: int  # 1 = highest
    label: str
    colour: str
    colour_zh: str
    hex: str


# rules.md §4.1 ✅ [COLOR]: 重大 > 较大 > 一般 > 低 = 红 > 橙 > 黄 > 蓝.
# The hex values are the colours rules.md suggests for charts and maps.
RISK_LEVEL_INFO: Mapping[RiskLevel, RiskLevelInfo] = MappingProxyType(
    {
        RiskLevel.MAJOR: RiskLevelInfo(1, "重大风险", "red", "红", "#E60012"),
        RiskLevel.HIGH: RiskLevelInfo(2, "较大风险", "orange", "橙", "#F39800"),
        RiskLevel.MEDIUM: RiskLevelInfo(3, "一般风险", "yellow", "黄", "#FFF100"),
        RiskLevel.LOW: RiskLevelInfo(4, "低风险", "blue", "蓝", "#0068B7"),
    }
)


def overall_risk_level(levels: Iterable[RiskLevel | str]) -> RiskLevel | None:
    """Level of an enterprise or area = the highest level among its risk points; None without points.

    rules.md RK-02 (local practice ❓): the highest risk point colours the enterprise on the four-colour map,
    because one uncontrolled 重大风险 is enough for a major accident. Keep it apart from a locally assigned
    enterprise grade (RK-03).
    """
    return min((RiskLevel(level) for level in levels), key=lambda level: level.rank, default=None)


# --- LEC (作业条件危险性评价法, Graham–Kinney): D = L × E × C — rules.md §4.2 ✅ [LEC] ---------------------

# RK-11: only these discrete values are allowed.
LEC_L_VALUES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("10"), "完全可以预料"),
    (Decimal("6"), "相当可能"),
    (Decimal("3"), "可能，但不经常"),
    (Decimal("1"), "可能性小，完全意外"),
    (Decimal("0.5"), "很不可能，可以设想"),
    (Decimal("0.2"), "极不可能"),
    (Decimal("0.1"), "实际不可能"),
)
LEC_E_VALUES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("10"), "连续暴露"),
    (Decimal("6"), "每天工作时间内暴露"),
    (Decimal("3"), "每周一次或偶然暴露"),
    (Decimal("2"), "每月一次暴露"),
    (Decimal("1"), "每年几次暴露"),
    (Decimal("0.5"), "非常罕见地暴露"),
)
LEC_C_VALUES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("100"), "大灾难，许多人死亡"),
    (Decimal("40"), "灾难，数人死亡"),
    (Decimal("15"), "非常严重，一人死亡"),
    (Decimal("7"), "严重，重伤"),
    (Decimal("3"), "重大，致残"),
    (Decimal("1"), "引人注目，需要救护"),
)

# rules.md §4.2 table, cut points 320 / 160 / 70 / 20. RK-10 🟡: sources differ on ">" versus "≥"; we follow
# the §4.2 text ("D > 320", "160 < D ≤ 320", …): lower bounds exclusive, upper bounds inclusive.
LEC_BANDS: tuple[Band[RiskLevel], ...] = (
    Band(Decimal("320"), False, RiskLevel.MAJOR, "极其危险，不能继续作业"),
    Band(Decimal("160"), False, RiskLevel.HIGH, "高度危险，需立即整改"),
    Band(Decimal("70"), False, RiskLevel.MEDIUM, "显著危险，需要整改"),
    Band(Decimal("20"), False, RiskLevel.LOW, "一般危险，需要注意"),
    Band(Decimal("0"), True, RiskLevel.LOW, "稍有危险，可以接受"),  # D ≤ 20
)


def _lec_factor(value: object, table: tuple[tuple[Decimal, str], ...], name: str) -> Decimal:
    number = _to_decimal(value, name)
    if number not in {allowed for allowed, _ in table}:
        allowed = "、".join(_fmt(allowed) for allowed, _ in table)
        raise ValueError(f"{name}的取值“{value}”不在允许值中（{allowed}）")
    return number


def lec_score(likelihood: object, exposure: object, consequence: object) -> Decimal:
    """D = L × E × C, each factor restricted to its table (rules.md §4.2 RK-11)."""
    return (
        _lec_factor(likelihood, LEC_L_VALUES, "L（事故发生的可能性）")
        * _lec_factor(exposure, LEC_E_VALUES, "E（暴露于危险环境的频繁程度）")
        * _lec_factor(consequence, LEC_C_VALUES, "C（发生事故产生的后果）")
    )


def lec_band(score: object) -> Band[RiskLevel]:
    """The LEC row for D: its danger wording (5 grades) and its risk colour (4 levels)."""
    value = _to_decimal(score, "D（危险性分值）")
    if value < 0:
        raise ValueError(f"D（危险性分值）不能为负数，当前为“{score}”")
    return _pick_band(value, LEC_BANDS)


def lec_level(score: object) -> RiskLevel:
    return lec_band(score).result


# --- LS (风险矩阵法): R = L × S, L and S integers 1–5 — rules.md §4.3 🟡 [LS] ---------------------------

LS_MIN, LS_MAX = 1, 5


@dataclass(frozen=True)
class LsVariant:
    name: str
    source: str
    bands: tuple[Band[RiskLevel], ...]


def _ls_bands(major: int, high: int, medium: int) -> tuple[Band[RiskLevel], ...]:
    # Ranges in §4.3 are written "20–25": lower bounds inclusive (R-0.1: "N以上" includes N).
    return (
        Band(Decimal(major), True, RiskLevel.MAJOR),
        Band(Decimal(high), True, RiskLevel.HIGH),
        Band(Decimal(medium), True, RiskLevel.MEDIUM),
        Band(Decimal(LS_MIN), True, RiskLevel.LOW),
    )


# RK-20: there is no national threshold table; each tenant/sector picks (and stores) a variant.
LS_VARIANTS: Mapping[str, LsVariant] = MappingProxyType(
    {
        # (name, source with its rules.md mark, bands: lower bounds of 重大 / 较大 / 一般; 低 starts at 1)
        "A": LsVariant("A", "山东式导则（DB37/T 2882 ❓）", _ls_bands(20, 15, 9)),
        "B": LsVariant("B", "矿山模板 [LS-1] 🟡", _ls_bands(20, 9, 4)),
        "C": LsVariant("C", "煤矿论文 [LS-2] 🟡", _ls_bands(20, 10, 4)),
    }
)
# Configurable default: variant A, the general (not mining-specific) guide.
# Confirm per sector with the customer (rules.md §10 item 7).
LS_DEFAULT_VARIANT = "A"
LS_DEFAULT_BANDS = LS_VARIANTS[LS_DEFAULT_VARIANT].bands


def _ls_factor(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not LS_MIN <= value <= LS_MAX:
        raise ValueError(f"{name}应为{LS_MIN}–{LS_MAX}的整数，当前为“{value}”")
    return value


def ls_score(likelihood: int, severity: int) -> int:
    """R = L × S (rules.md §4.3)."""
    return _ls_factor(likelihood, "L（可能性）") * _ls_factor(severity, "S（严重性）")


def ls_level(score: int, bands: Sequence[Band[RiskLevel]] = LS_DEFAULT_BANDS) -> RiskLevel:
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= LS_MAX * LS_MAX:
        raise ValueError(f"R（风险值）应为1–{LS_MAX * LS_MAX}的整数，当前为“{score}”")
    return _pick_band(Decimal(score), bands).result


def ls_matrix(bands: Sequence[Band[RiskLevel]] = LS_DEFAULT_BANDS) -> tuple[tuple[RiskLevel, ...], ...]:
    """The 5×5 matrix, `matrix[L-1][S-1]`, to seed a tenant's lookup table (rules.md RK-20)."""
    span = range(LS_MIN, LS_MAX + 1)
    return tuple(tuple(ls_level(ls_score(lk, sv), bands) for sv in span) for lk in span)


# ---------------------------------------------------------------------------------------------------------
# 3. Supervision frequency by risk colour (分级分类监管)
# ---------------------------------------------------------------------------------------------------------

# No national table was found: rules.md RK-03 only says local schemes grade enterprises 红橙黄蓝 to set
# inspection frequency. Configurable per-tenant default: red monthly, orange quarterly,
# yellow half-yearly, blue yearly.
DEFAULT_INSPECTIONS_PER_YEAR: Mapping[RiskLevel, int] = MappingProxyType(
    {RiskLevel.MAJOR: 12, RiskLevel.HIGH: 4, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}
)


def inspections_per_year(
    level: RiskLevel | str, table: Mapping[RiskLevel, int] = DEFAULT_INSPECTIONS_PER_YEAR
) -> int:
    level = RiskLevel(level)
    if level not in table:
        raise ValueError(f"监管频次表缺少“{level.label}”的检查次数")
    count = table[level]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"“{level.label}”的年检查次数应为非负整数，当前为“{count}”")
    return count


# ---------------------------------------------------------------------------------------------------------
# 4. 危险化学品重大危险源 — GB 18218-2018 + 总局令第40号 (rules.md §8.5 ✅ [G18218])
# ---------------------------------------------------------------------------------------------------------

# 40号令 附件1 / GB 18218-2018 (CL-32 ✅): α by the number of people outside the plant within 500 m.
ALPHA_BY_POPULATION: tuple[Band[Decimal], ...] = (
    Band(Decimal("100"), True, Decimal("2.0"), "100人以上"),
    Band(Decimal("50"), True, Decimal("1.5"), "50～99人"),
    Band(Decimal("30"), True, Decimal("1.2"), "30～49人"),
    Band(Decimal("1"), True, Decimal("1.0"), "1～29人"),
    Band(Decimal("0"), True, Decimal("0.5"), "0人"),
)


class HazardClass(enum.Enum):
    """Classes of 40号令 附件1 β tables (rules.md CL-32 ✅)."""

    EXPLOSIVE = "explosive"
    FLAMMABLE_GAS = "flammable_gas"
    TOXIC_GAS = "toxic_gas"
    HIGHLY_TOXIC_GAS = "highly_toxic_gas"
    OTHER = "other"

    @property
    def label(self) -> str:
        return HAZARD_CLASS_LABELS[self]


HAZARD_CLASS_LABELS: Mapping[HazardClass, str] = MappingProxyType(
    {
        HazardClass.EXPLOSIVE: "爆炸品",
        HazardClass.FLAMMABLE_GAS: "易燃气体",
        HazardClass.TOXIC_GAS: "毒性气体",
        HazardClass.HIGHLY_TOXIC_GAS: "剧毒气体",
        HazardClass.OTHER: "其他类危险化学品",
    }
)

# 40号令 附件1 ✅: β of named toxic gases. (GB 18218-2018's β for unlisted substances by GHS category is ❓.)
BETA_BY_SUBSTANCE: tuple[tuple[str, Decimal], ...] = (
    ("一氧化碳", Decimal("2")),
    ("二氧化硫", Decimal("2")),
    ("氨", Decimal("2")),
    ("环氧乙烷", Decimal("2")),
    ("氯化氢", Decimal("3")),
    ("溴甲烷", Decimal("3")),
    ("氯", Decimal("4")),
    ("硫化氢", Decimal("5")),
    ("氟化氢", Decimal("5")),
    ("二氧化氮", Decimal("10")),
    ("氰化氢", Decimal("10")),
    ("碳酰氯", Decimal("20")),
    ("磷化氢", Decimal("20")),
    ("异氰酸甲酯", Decimal("20")),
)
# Common names of the same substances (synthesis, not from the annex): ledgers say 液氯/液氨/光气.
SUBSTANCE_ALIASES: Mapping[str, str] = MappingProxyType(
    {"光气": "碳酰氯", "氯气": "氯", "液氯": "氯", "氨气": "氨", "液氨": "氨"}
)
# 40号令 附件1 ✅: β of substances not named above, by class.
BETA_BY_CLASS: Mapping[HazardClass, Decimal] = MappingProxyType(
    {
        HazardClass.EXPLOSIVE: Decimal("2"),
        HazardClass.FLAMMABLE_GAS: Decimal("1.5"),
        HazardClass.TOXIC_GAS: Decimal("2"),
        HazardClass.HIGHLY_TOXIC_GAS: Decimal("4"),
        HazardClass.OTHER: Decimal("1"),
    }
)

# rules.md CL-32 ✅: R ≥ 100 一级, 50 ≤ R < 100 二级, 10 ≤ R < 50 三级, R < 10 四级.
# 40号令 第八条 ✅: four levels, 一级 highest.
MAJOR_HAZARD_LEVEL_BANDS: tuple[Band[int], ...] = (
    Band(Decimal("100"), True, 1, "一级"),
    Band(Decimal("50"), True, 2, "二级"),
    Band(Decimal("10"), True, 3, "三级"),
    Band(Decimal("0"), True, 4, "四级"),
)
MAJOR_HAZARD_LEVEL_LABELS: Mapping[int, str] = MappingProxyType(
    {band.result: band.label for band in MAJOR_HAZARD_LEVEL_BANDS}
)


def alpha_for_population(people: int) -> Decimal:
    """α correction factor for the 常住人口 outside the plant within 500 m of its boundary."""
    if isinstance(people, bool) or not isinstance(people, int) or people < 0:
        raise ValueError(f"厂区边界外500米范围内常住人口数应为非负整数，当前为“{people}”")
    return _pick_band(Decimal(people), ALPHA_BY_POPULATION).result


def beta_for(substance_name: str, hazard_class: HazardClass | str) -> Decimal:
    """β correction factor: the named-substance table first, then the class table (40号令 附件1)."""
    hazard_class = HazardClass(hazard_class)
    name = "".join((substance_name or "").split())
    name = SUBSTANCE_ALIASES.get(name, name)
    # The annex's class table applies to substances "未在表中列举的": a named gas keeps its own β.
    for listed, beta in BETA_BY_SUBSTANCE:
        if listed == name:
            return beta
    return BETA_BY_CLASS[hazard_class]


def _ratio(actual: object, threshold: object) -> Fraction:
    q = _to_decimal(actual, "实际存在量q")
    big_q = _to_decimal(threshold, "临界量Q")
    if q < 0:
        raise ValueError(f"实际存在量q不能为负数，当前为“{actual}”")
    if big_q <= 0:
        raise ValueError(f"临界量Q必须大于0，当前为“{threshold}”")
    # Exact fractions: three substances at q/Q = 1/3 must sum to exactly 1, not 0.999…
    return Fraction(q) / Fraction(big_q)


def is_major_hazard(items: Iterable[tuple[object, object]]) -> bool:
    """Σ qᵢ/Qᵢ ≥ 1 ⇒ 重大危险源 (rules.md CL-30 ✅ "equals or exceeds"; CL-31 formula ❓ clause)."""
    return sum((_ratio(q, big_q) for q, big_q in items), Fraction(0)) >= 1


def major_hazard_r(alpha: object, items: Iterable[tuple[object, object, object]]) -> Decimal:
    """R = α · Σ βᵢ·qᵢ/Qᵢ (rules.md CL-32 ✅), floored so that it never crosses a level boundary upwards."""
    alpha_value = _to_decimal(alpha, "校正系数α")
    if alpha_value <= 0:
        raise ValueError(f"校正系数α必须大于0，当前为“{alpha}”")
    total = Fraction(0)
    count = 0
    for beta, q, big_q in items:
        beta_value = _to_decimal(beta, "校正系数β")
        if beta_value <= 0:
            raise ValueError(f"校正系数β必须大于0，当前为“{beta}”")
        total += Fraction(beta_value) * _ratio(q, big_q)
        count += 1
    if count == 0:
        raise ValueError("计算R值至少需要一种危险化学品")
    return _floor_decimal(Fraction(alpha_value) * total)


def major_hazard_level(r_value: object) -> int:
    """Level 1–4 (1 = highest) from R; "≥" boundaries as written in rules.md CL-32."""
    value = _to_decimal(r_value, "R值")
    if value < 0:
        raise ValueError(f"R值不能为负数，当前为“{r_value}”")
    return _pick_band(value, MAJOR_HAZARD_LEVEL_BANDS).result


# ---------------------------------------------------------------------------------------------------------
# 5. 安全生产严重失信主体名单 — 应急管理部令第11号, in force 2023-10-01 (rules.md §5.1)
# ---------------------------------------------------------------------------------------------------------
# Article numbers for the two periods are not confirmed (rules.md §10.3 ❓); the periods are 🟡 (CR-07, CR-08,
# as restated by 山西省应急管理厅's implementing rule). Dates follow 民法典 第二百零一条 (the start day is not
# counted) and 第二百零二条 (a period in months/years ends on the corresponding day of the last month, or on
# that month's last day if it has none) — ❓: not in rules.md, check with the legal team.

BLACKLIST_YEARS = 3  # CR-07 🟡: 管理期限为3年
EARLY_REMOVAL_MONTHS = 12  # CR-08 🟡: 列入名单满12个月可申请提前移出


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    # 民法典 第二百零二条: no corresponding day (e.g. 29 February) → last day of that month.
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def blacklist_end_date(start_date: date) -> date:
    """Last day on the list: the 3-year period's corresponding day (CR-07 🟡; 民法典 第二百零二条)."""
    return _add_months(start_date, BLACKLIST_YEARS * 12)


def scheduled_removal_date(start_date: date) -> date:
    """Day the listing authority removes the entry and stops publication (CR-07 🟡: 管理期满后移出)."""
    return blacklist_end_date(start_date) + timedelta(days=1)


def earliest_repair_date(start_date: date) -> date:
    """First day an early-removal (信用修复) application is allowed (CR-08 🟡: "满12个月").

    The 12-month period's last day is the corresponding day (民法典 第二百零二条); it is "满" only when that
    day has passed, so applications open the next day. (rules.md's data sketch writes "listed_on + 12 months";
    we read "满" strictly — change here if the legal team decides otherwise.)
    """
    return _add_months(start_date, EARLY_REMOVAL_MONTHS) + timedelta(days=1)


def is_blacklisted_on(start: date, end: date | None, removed_on: date | None, day: date) -> bool:
    """Whether the subject is on the list on `day`.

    `end` is the last day of the period (None → computed from `start`); `removed_on` is the effective date of
    an early removal, from which the subject is off the list. When a removal is revoked for fraud (CR-08), the
    listing is restored: clear `removed_on` and the whole period counts again.
    """
    end = blacklist_end_date(start) if end is None else end
    if end < start:
        raise ValueError(f"名单管理期限截止日{end}不能早于列入日期{start}")
    if removed_on is not None and removed_on < start:
        raise ValueError(f"提前移出日期{removed_on}不能早于列入日期{start}")
    return start <= day <= end and (removed_on is None or day < removed_on)


def can_apply_for_early_removal(start: date, day: date, removed_on: date | None = None) -> bool:
    """Time condition only; the substantive conditions of CR-08 (❓) are checked by the reviewing officer."""
    return is_blacklisted_on(start, None, removed_on, day) and day >= earliest_repair_date(start)


# ---------------------------------------------------------------------------------------------------------
# 6. Expiry of licences, certificates and filings
# ---------------------------------------------------------------------------------------------------------

DEFAULT_EXPIRY_WARN_DAYS = 30


class ExpiryStatus(enum.StrEnum):
    EXPIRED = "expired"
    EXPIRING = "expiring"
    OK = "ok"

    @property
    def label(self) -> str:
        return {"expired": "已过期", "expiring": "即将到期", "ok": "有效"}[self.value]


def expiry_status(expiry_date: date, today: date, warn_days: int = DEFAULT_EXPIRY_WARN_DAYS) -> ExpiryStatus:
    """`expiry_date` is the last valid day ("有效期至"): it is still valid that day, expired the next."""
    if isinstance(warn_days, bool) or not isinstance(warn_days, int) or warn_days < 0:
        raise ValueError(f"提前预警天数应为非负整数，当前为“{warn_days}”")
    days_left = (expiry_date - today).days
    if days_left < 0:
        return ExpiryStatus.EXPIRED
    if days_left <= warn_days:  # "30天内到期" includes day 30
        return ExpiryStatus.EXPIRING
    return ExpiryStatus.OK


# ---------------------------------------------------------------------------------------------------------
# 7. GB/T 4754-2017 国民经济行业分类 — 门类 (rules.md §8.1: names ✅, 大类 ranges ❓)
# ---------------------------------------------------------------------------------------------------------

# (门类, name, first 大类, last 大类). The 2-, 3- and 4-digit codes never contain the letter (CL-01);
# the first two digits of any code are its 大类. Replace with the official 国家统计局 table once loaded.
GB4754_SECTIONS: tuple[tuple[str, str, int, int], ...] = (
    ("A", "农、林、牧、渔业", 1, 5),
    ("B", "采矿业", 6, 12),
    ("C", "制造业", 13, 43),
    ("D", "电力、热力、燃气及水生产和供应业", 44, 46),
    ("E", "建筑业", 47, 50),
    ("F", "批发和零售业", 51, 52),
    ("G", "交通运输、仓储和邮政业", 53, 60),
    ("H", "住宿和餐饮业", 61, 62),
    ("I", "信息传输、软件和信息技术服务业", 63, 65),
    ("J", "金融业", 66, 69),
    ("K", "房地产业", 70, 70),
    ("L", "租赁和商务服务业", 71, 72),
    ("M", "科学研究和技术服务业", 73, 75),
    ("N", "水利、环境和公共设施管理业", 76, 79),
    ("O", "居民服务、修理和其他服务业", 80, 82),
    ("P", "教育", 83, 83),
    ("Q", "卫生和社会工作", 84, 85),
    ("R", "文化、体育和娱乐业", 86, 90),
    ("S", "公共管理、社会保障和社会组织", 91, 96),
    ("T", "国际组织", 97, 97),
)


def gb4754_section(industry_code: str) -> str:
    """门类 letter of a 2/3/4-digit industry code; an optional leading letter (e.g. "C2614") must agree."""
    code = (industry_code or "").strip().upper()
    letter = code[:1] if code[:1].isalpha() else ""
    digits = code[len(letter) :]
    if not (digits.isascii() and digits.isdigit() and 2 <= len(digits) <= 4):
        raise ValueError(f"行业代码应为2–4位数字（可带门类字母），当前为“{industry_code}”")
    division = int(digits[:2])
    for section, _name, first, last in GB4754_SECTIONS:
        if first <= division <= last:
            if letter and letter != section:
                raise ValueError(f"行业代码“{industry_code}”的门类应为{section}，不是{letter}")
            return section
    raise ValueError(f"行业代码“{industry_code}”的大类{digits[:2]}不存在（01–97）")


# 公民身份号码 (GB 11643-1999): 17 digits and a check character (ISO 7064 MOD 11-2; 10 is written X).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def valid_id_number(number: str) -> bool:
    """A well-formed 18-character identity card number with a correct check character and a real birth date."""
    number = (number or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_number_check_char(number[:17]) == number[17]
