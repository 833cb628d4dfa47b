"""Tests of the registry domain rules. Expected values are copied from rules.md, never from rules.py."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from anjian.registry import rules
from anjian.registry.rules import ExpiryStatus, HazardClass, RiskLevel

# rules.md §8.4: the 31-character set, written out independently of rules.py.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

first17_codes = st.text(alphabet=CHARSET, min_size=17, max_size=17)


def make_code(first17: str) -> str:
    return first17 + rules.credit_code_check_char(first17)


# ---------------------------------------------------------------------------------------------------------
# 1. 统一社会信用代码
# ---------------------------------------------------------------------------------------------------------


class TestCreditCodeConstants:
    def test_charset_is_the_31_characters_of_the_standard(self):
        assert rules.CREDIT_CODE_CHARSET == CHARSET
        assert len(set(rules.CREDIT_CODE_CHARSET)) == 31

    @pytest.mark.parametrize("letter", list("IOSVZ"))
    def test_charset_excludes_confusable_letters(self, letter):
        assert letter not in rules.CREDIT_CODE_CHARSET

    @pytest.mark.parametrize(
        ("char", "value"), [("0", 0), ("9", 9), ("A", 10), ("H", 17), ("J", 18), ("Y", 30)]
    )
    def test_character_values_are_indexes(self, char, value):
        assert rules.CREDIT_CODE_CHARSET.index(char) == value

    def test_weights_are_powers_of_three_mod_31(self):
        assert tuple(3**i % 31 for i in range(17)) == rules.CREDIT_CODE_WEIGHTS
        assert rules.CREDIT_CODE_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class TestValidateCreditCode:
    @pytest.mark.parametrize("code", ["9144030071526726XG", "91110000802100433B"])
    def test_rules_md_valid_vectors(self, code):
        result = rules.validate_credit_code(code)
        assert result.valid
        assert result.errors == []
        assert result.warnings == []
        assert result.normalized == code

    def test_rules_md_invalid_vector_names_the_expected_check_char(self):
        result = rules.validate_credit_code("911100001011155733")
        assert not result.valid
        assert result.errors == ["校验码错误：第18位应为“B”，实际为“3”"]

    @pytest.mark.parametrize(
        ("code", "expected"), [("9144030071526726X", 17), ("9144030071526726XGG", 19), ("9", 1)]
    )
    def test_wrong_length_is_an_error(self, code, expected):
        result = rules.validate_credit_code(code)
        assert not result.valid
        assert f"统一社会信用代码应为18位，当前为{expected}位" in result.errors

    @pytest.mark.parametrize("code", ["", "   ", None])
    def test_empty_code(self, code):
        result = rules.validate_credit_code(code)
        assert result.errors == ["统一社会信用代码不能为空"]
        assert not result.valid

    @pytest.mark.parametrize("letter", list("IOSVZ"))
    def test_excluded_letter_is_reported_with_its_position(self, letter):
        code = "9144" + letter + "30071526726XG"
        result = rules.validate_credit_code(code)
        assert result.errors == [f"第5位字符“{letter}”不是合法字符（不使用I、O、S、V、Z）"]

    def test_symbol_is_reported_with_its_position(self):
        result = rules.validate_credit_code("91440300-1526726XG")
        assert result.errors == ["第9位字符“-”不是合法字符（只能是数字或大写英文字母，不使用I、O、S、V、Z）"]

    def test_length_and_character_errors_are_reported_together(self):
        result = rules.validate_credit_code("9144I3007152672")
        assert result.errors == [
            "统一社会信用代码应为18位，当前为15位",
            "第5位字符“I”不是合法字符（不使用I、O、S、V、Z）",
        ]

    def test_illegal_check_char_also_names_the_expected_one(self):
        result = rules.validate_credit_code("91110000802100433O")
        assert "第18位字符“O”不是合法字符（不使用I、O、S、V、Z）" in result.errors
        assert "校验码错误：第18位应为“B”，实际为“O”" in result.errors

    @pytest.mark.parametrize(
        "raw",
        [
            " 9144 0300 7152 6726 xg ",
            "9144030071526726xg",
            "９１４４０３００７１５２６７２６ＸＧ",
            "9144\t030071526726XG\n",
        ],
    )
    def test_normalizes_spaces_case_and_full_width(self, raw):
        result = rules.validate_credit_code(raw)
        assert result.normalized == "9144030071526726XG"
        assert result.valid

    def test_bad_org_code_check_is_a_warning_not_an_error(self):
        # The org code's check should be X (rules.md: 71526726 → X); put 3, then recompute the MOD 31 char.
        code = make_code("91440300715267263")
        result = rules.validate_credit_code(code)
        assert result.valid
        assert result.warnings == ["第9–17位组织机构代码校验位不符（GB 11714）：第17位应为“X”，实际为“3”"]

    def test_non_digit_division_code_is_a_warning(self):
        code = make_code("91AB030071526726X")
        result = rules.validate_credit_code(code)
        assert result.valid
        assert result.warnings == ["第3–8位登记管理机关行政区划码应为6位数字，当前为“AB0300”"]

    def test_unknown_authority_is_a_warning(self):
        code = make_code("Q1440300" + "71526726X")
        result = rules.validate_credit_code(code)
        assert result.valid
        assert "第1位登记管理部门码“Q”不在已知代码表中" in result.warnings

    def test_unknown_category_is_a_warning(self):
        code = make_code("95440300" + "71526726X")
        result = rules.validate_credit_code(code)
        assert result.valid
        assert result.warnings == ["第2位机构类别码“5”不是“工商”的已知类别"]

    def test_no_checksum_error_when_first_17_have_illegal_chars(self):
        result = rules.validate_credit_code("9144I30071526726XG")
        assert not any(error.startswith("校验码错误") for error in result.errors)


class TestCheckCharacters:
    @pytest.mark.parametrize(
        ("first17", "expected"),
        [
            ("9144030071526726X", "G"),
            ("91110000802100433", "B"),
            ("91110000101115573", "B"),
            # Edge values of 31 - (Σ mod 31): Σ ≡ 0 → "0" (not index 31), Σ ≡ 1 → "Y" (index 30).
            ("00000000000000000", "0"),
            ("91320500000000002", "0"),
            ("9132050000000000C", "Y"),
        ],
    )
    def test_credit_code_check_char_vectors(self, first17, expected):
        assert rules.credit_code_check_char(first17) == expected

    @pytest.mark.parametrize("first17", ["914403007152672", "9144030071526726XG", "9144030071526726I"])
    def test_credit_code_check_char_rejects_bad_input(self, first17):
        with pytest.raises(ValueError):
            rules.credit_code_check_char(first17)

    @pytest.mark.parametrize(("body", "expected"), [("71526726", "X"), ("80210043", "3"), ("00000000", "0")])
    def test_org_code_check_char_vectors(self, body, expected):
        # 00000000: sum 0 → 11 - 0 = 11 → written 0 (GB 11714).
        assert rules.org_code_check_char(body) == expected

    def test_org_code_letters_use_base_36_values_not_the_credit_code_index(self):
        # J is 19 in GB 11714 (A=10 … Z=35) but 18 in the credit-code charset: 19*3 = 57 → 11 - 2 = 9.
        assert rules.org_code_check_char("J0000000") == "9"

    @pytest.mark.parametrize("body", ["7152672", "715267261", "7152672-"])
    def test_org_code_check_char_rejects_bad_input(self, body):
        with pytest.raises(ValueError):
            rules.org_code_check_char(body)


class TestCreditCodeProperties:
    @given(first17_codes)
    def test_any_17_chars_plus_check_char_is_valid(self, first17):
        result = rules.validate_credit_code(make_code(first17))
        assert result.valid, result.errors

    @given(first17_codes, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET))
    def test_changing_any_single_character_makes_it_invalid(self, first17, position, new_char):
        code = make_code(first17)
        assume(code[position] != new_char)
        changed = code[:position] + new_char + code[position + 1 :]
        assert not rules.validate_credit_code(changed).valid

    @given(first17_codes, st.integers(min_value=0, max_value=15))
    def test_swapping_adjacent_characters_in_the_body_makes_it_invalid(self, first17, position):
        code = make_code(first17)
        assume(code[position] != code[position + 1])
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        assert not rules.validate_credit_code(swapped).valid

    @given(first17_codes, st.lists(st.integers(min_value=0, max_value=18), max_size=5))
    def test_spaces_and_lower_case_do_not_change_the_result(self, first17, space_positions):
        code = make_code(first17)
        messy = code.lower()
        for position in sorted(space_positions, reverse=True):
            messy = messy[:position] + " " + messy[position:]
        result = rules.validate_credit_code(messy)
        assert result.normalized == code
        assert result.valid


class TestDescribeCreditCode:
    # rules.md §8.4 table, row by row.
    @pytest.mark.parametrize(
        ("prefix", "expected"),
        [
            ("11", "机构编制 · 机关"),
            ("12", "机构编制 · 事业单位"),
            ("13", "机构编制 · 中央编办直管群众团体"),
            ("19", "机构编制 · 其他"),
            ("21", "外交 · 外国常驻新闻机构"),
            ("29", "外交 · 其他"),
            ("31", "司法行政 · 律师执业机构"),
            ("32", "司法行政 · 公证处"),
            ("33", "司法行政 · 基层法律服务所"),
            ("34", "司法行政 · 司法鉴定机构"),
            ("35", "司法行政 · 仲裁委员会"),
            ("39", "司法行政 · 其他"),
            ("41", "文化 · 外国在华文化中心"),
            ("49", "文化 · 其他"),
            ("51", "民政 · 社会团体"),
            ("52", "民政 · 民办非企业单位"),
            ("53", "民政 · 基金会"),
            ("59", "民政 · 其他"),
            ("61", "旅游 · 外国旅游部门常驻代表机构"),
            ("62", "旅游 · 港澳台地区旅游部门常驻内地代表机构"),
            ("69", "旅游 · 其他"),
            ("71", "宗教 · 宗教活动场所"),
            ("72", "宗教 · 宗教院校"),
            ("79", "宗教 · 其他"),
            ("81", "工会 · 基层工会"),
            ("89", "工会 · 其他"),
            ("91", "工商 · 企业"),
            ("92", "工商 · 个体工商户"),
            ("93", "工商 · 农民专业合作社"),
            ("A1", "中央军委改革和编制办公室 · 军队事业单位"),
            ("A9", "中央军委改革和编制办公室 · 其他"),
            ("N1", "农业 · 组级集体经济组织"),
            ("N2", "农业 · 村级集体经济组织"),
            ("N3", "农业 · 乡镇级集体经济组织"),
            ("N9", "农业 · 其他"),
            ("Y1", "其他 · 其他"),
        ],
    )
    def test_table_rows(self, prefix, expected):
        assert rules.describe_credit_code(prefix + "0000071526726X0") == expected

    def test_known_rows_give_no_authority_warning(self):
        for authority, (_name, categories) in rules.CREDIT_CODE_AUTHORITIES.items():
            for category in categories:
                code = make_code(authority + category + "440300" + "71526726X")
                assert rules.validate_credit_code(code).warnings == []

    def test_vector_is_an_enterprise(self):
        assert rules.describe_credit_code("9144030071526726XG") == "工商 · 企业"

    def test_normalizes_before_describing(self):
        assert rules.describe_credit_code(" n1") == "农业 · 组级集体经济组织"

    def test_unknown_authority(self):
        assert rules.describe_credit_code("Q1") == "未知登记管理部门“Q”"

    def test_unknown_category(self):
        assert rules.describe_credit_code("95") == "工商 · 未知机构类别“5”"

    @pytest.mark.parametrize("code", ["", "9", "  9 "])
    def test_too_short(self, code):
        with pytest.raises(ValueError, match="过短"):
            rules.describe_credit_code(code)


# ---------------------------------------------------------------------------------------------------------
# 2. Risk levels, LEC, LS
# ---------------------------------------------------------------------------------------------------------


class TestRiskLevel:
    # rules.md §4.1 table, row by row.
    @pytest.mark.parametrize(
        ("level", "value", "rank", "label", "colour", "colour_zh", "hex_colour"),
        [
            (RiskLevel.MAJOR, "major", 1, "重大风险", "red", "红", "#E60012"),
            (RiskLevel.HIGH, "high", 2, "较大风险", "orange", "橙", "#F39800"),
            (RiskLevel.MEDIUM, "medium", 3, "一般风险", "yellow", "黄", "#FFF100"),
            (RiskLevel.LOW, "low", 4, "低风险", "blue", "蓝", "#0068B7"),
        ],
    )
    def test_table_rows(self, level, value, rank, label, colour, colour_zh, hex_colour):
        assert level.value == value
        assert RiskLevel(value) is level
        assert (level.rank, level.label, level.colour, level.colour_zh, level.hex) == (
            rank,
            label,
            colour,
            colour_zh,
            hex_colour,
        )

    def test_exactly_four_levels(self):
        assert len(RiskLevel) == 4
        assert set(rules.RISK_LEVEL_INFO) == set(RiskLevel)

    def test_levels_cannot_be_compared_by_value_by_accident(self):
        with pytest.raises(TypeError):
            _ = RiskLevel.MAJOR < RiskLevel.LOW  # type: ignore[operator]


class TestOverallRiskLevel:
    def test_no_points_gives_none(self):
        assert rules.overall_risk_level([]) is None

    @pytest.mark.parametrize(
        ("levels", "expected"),
        [
            ([RiskLevel.LOW], RiskLevel.LOW),
            ([RiskLevel.LOW, RiskLevel.MAJOR, RiskLevel.MEDIUM], RiskLevel.MAJOR),
            ([RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.LOW], RiskLevel.HIGH),
            ([RiskLevel.LOW, RiskLevel.MEDIUM], RiskLevel.MEDIUM),
            (["low", "high"], RiskLevel.HIGH),
        ],
    )
    def test_highest_level_wins(self, levels, expected):
        assert rules.overall_risk_level(levels) is expected

    def test_accepts_a_generator(self):
        assert rules.overall_risk_level(level for level in [RiskLevel.LOW, RiskLevel.HIGH]) is RiskLevel.HIGH

    def test_rejects_unknown_values(self):
        with pytest.raises(ValueError):
            rules.overall_risk_level(["critical"])

    @given(st.lists(st.sampled_from(list(RiskLevel)), min_size=1))
    def test_result_is_a_member_and_nothing_is_higher(self, levels):
        result = rules.overall_risk_level(levels)
        assert result in levels
        assert all(level.rank >= result.rank for level in levels)


# rules.md §4.2 tables, row by row.
L_VALUES = ["10", "6", "3", "1", "0.5", "0.2", "0.1"]
E_VALUES = ["10", "6", "3", "2", "1", "0.5"]
C_VALUES = ["100", "40", "15", "7", "3", "1"]


class TestLecFactors:
    def test_tables_have_exactly_the_rules_md_values(self):
        assert [v for v, _ in rules.LEC_L_VALUES] == [Decimal(v) for v in L_VALUES]
        assert [v for v, _ in rules.LEC_E_VALUES] == [Decimal(v) for v in E_VALUES]
        assert [v for v, _ in rules.LEC_C_VALUES] == [Decimal(v) for v in C_VALUES]

    @pytest.mark.parametrize("value", L_VALUES)
    def test_each_l_value_is_accepted(self, value):
        assert rules.lec_score(value, 1, 1) == Decimal(value)

    @pytest.mark.parametrize("value", E_VALUES)
    def test_each_e_value_is_accepted(self, value):
        assert rules.lec_score(1, value, 1) == Decimal(value)

    @pytest.mark.parametrize("value", C_VALUES)
    def test_each_c_value_is_accepted(self, value):
        assert rules.lec_score(1, 1, value) == Decimal(value)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((2, 1, 1), "L（事故发生的可能性）的取值“2”不在允许值中（10、6、3、1、0.5、0.2、0.1）"),
            ((1, "0.2", 1), "E（暴露于危险环境的频繁程度）的取值“0.2”不在允许值中（10、6、3、2、1、0.5）"),
            ((1, 1, 50), "C（发生事故产生的后果）的取值“50”不在允许值中（100、40、15、7、3、1）"),
            ((0, 1, 1), "L（事故发生的可能性）的取值“0”不在允许值中"),
            ((1, -6, 1), "E（暴露于危险环境的频繁程度）的取值“-6”不在允许值中"),
            (("abc", 1, 1), "L（事故发生的可能性）必须是数字，当前为“abc”"),
            ((True, 1, 1), "L（事故发生的可能性）必须是数字"),
            ((1, 1, "NaN"), "C（发生事故产生的后果）必须是有限数字"),
            ((1, 1, None), "C（发生事故产生的后果）必须是数字"),
        ],
    )
    def test_values_outside_the_tables_are_rejected_in_chinese(self, args, message):
        with pytest.raises(ValueError) as excinfo:
            rules.lec_score(*args)
        assert str(excinfo.value).startswith(message)

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            ((6, 3, 7), Decimal("126")),
            ((0.5, 6, 15), Decimal("45")),
            (("0.1", "0.5", "1"), Decimal("0.05")),
            ((10, 10, 100), Decimal("10000")),
            ((Decimal("3"), Decimal("6"), Decimal("40")), Decimal("720")),
            (("0.50", 2, 7), Decimal("7")),
            # Floats as typed: 0.1 and 0.2 must not become 0.1000000000000000055…
            ((0.1, 0.5, 1.0), Decimal("0.05")),
            ((0.2, 6.0, 40.0), Decimal("48")),
        ],
    )
    def test_score_is_the_product(self, args, expected):
        score = rules.lec_score(*args)
        assert isinstance(score, Decimal)
        assert score == expected


class TestLecLevel:
    # rules.md §4.2: D > 320 | 160 < D ≤ 320 | 70 < D ≤ 160 | 20 < D ≤ 70 | D ≤ 20.
    # Every boundary is tested on both sides.
    @pytest.mark.parametrize(
        ("score", "level", "wording"),
        [
            ("10000", RiskLevel.MAJOR, "极其危险，不能继续作业"),
            ("320.0001", RiskLevel.MAJOR, "极其危险，不能继续作业"),
            ("320", RiskLevel.HIGH, "高度危险，需立即整改"),
            ("160.0001", RiskLevel.HIGH, "高度危险，需立即整改"),
            ("160", RiskLevel.MEDIUM, "显著危险，需要整改"),
            ("70.0001", RiskLevel.MEDIUM, "显著危险，需要整改"),
            ("70", RiskLevel.LOW, "一般危险，需要注意"),
            ("20.0001", RiskLevel.LOW, "一般危险，需要注意"),
            ("20", RiskLevel.LOW, "稍有危险，可以接受"),
            ("0.05", RiskLevel.LOW, "稍有危险，可以接受"),
            ("0", RiskLevel.LOW, "稍有危险，可以接受"),
        ],
    )
    def test_band_boundaries(self, score, level, wording):
        assert rules.lec_level(Decimal(score)) is level
        assert rules.lec_band(score).label == wording

    @pytest.mark.parametrize("score", [321, 320, 161, 160, 71, 70, 21, 20])
    def test_integers_and_floats_agree_with_decimals(self, score):
        assert rules.lec_level(score) is rules.lec_level(Decimal(score)) is rules.lec_level(float(score))

    def test_every_achievable_score_is_graded_per_the_table(self):
        for lv in L_VALUES:
            for ev in E_VALUES:
                for cv in C_VALUES:
                    d = Decimal(lv) * Decimal(ev) * Decimal(cv)
                    if d > 320:
                        expected = RiskLevel.MAJOR
                    elif d > 160:
                        expected = RiskLevel.HIGH
                    elif d > 70:
                        expected = RiskLevel.MEDIUM
                    else:
                        expected = RiskLevel.LOW
                    assert rules.lec_level(rules.lec_score(lv, ev, cv)) is expected, (lv, ev, cv)

    @pytest.mark.parametrize(
        ("score", "message"),
        [
            ("-0.01", "D（危险性分值）不能为负数"),
            ("-320", "D（危险性分值）不能为负数"),
            ("x", "D（危险性分值）必须是数字"),
        ],
    )
    def test_invalid_scores(self, score, message):
        with pytest.raises(ValueError, match=message):
            rules.lec_level(score)

    @given(
        st.decimals(min_value=0, max_value=20000, places=3, allow_nan=False),
        st.decimals(min_value=0, max_value=20000, places=3, allow_nan=False),
    )
    def test_level_is_monotonic_in_d(self, a, b):
        low, high = sorted([a, b])
        assert rules.lec_level(low).rank >= rules.lec_level(high).rank

    def test_bands_are_ordered_high_to_low_for_display(self):
        lowers = [band.lower for band in rules.LEC_BANDS]
        assert lowers == [Decimal(320), Decimal(160), Decimal(70), Decimal(20), Decimal(0)]


# rules.md §4.3 variants, as (重大, 较大, 一般, 低) inclusive ranges.
LS_VARIANT_RANGES = {
    "A": ((20, 25), (15, 16), (9, 12), (1, 8)),
    "B": ((20, 25), (9, 16), (4, 8), (1, 3)),
    "C": ((20, 25), (10, 16), (4, 9), (1, 3)),
}
LS_ORDER = (RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)
ACHIEVABLE_R = sorted({lk * sv for lk in range(1, 6) for sv in range(1, 6)})


class TestLs:
    @pytest.mark.parametrize("lk", range(1, 6))
    @pytest.mark.parametrize("sv", range(1, 6))
    def test_score_is_the_product(self, lk, sv):
        assert rules.ls_score(lk, sv) == lk * sv

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((0, 3), "L（可能性）应为1–5的整数，当前为“0”"),
            ((6, 3), "L（可能性）应为1–5的整数，当前为“6”"),
            ((3, 2.5), "S（严重性）应为1–5的整数，当前为“2.5”"),
            ((3, "3"), "S（严重性）应为1–5的整数，当前为“3”"),
            ((True, 3), "L（可能性）应为1–5的整数，当前为“True”"),
        ],
    )
    def test_invalid_factors(self, args, message):
        with pytest.raises(ValueError) as excinfo:
            rules.ls_score(*args)
        assert str(excinfo.value) == message

    @pytest.mark.parametrize(
        ("variant", "score", "level"),
        [
            (variant, r, level)
            for variant, ranges in LS_VARIANT_RANGES.items()
            for (low, high), level in zip(ranges, LS_ORDER, strict=True)
            for r in ACHIEVABLE_R
            if low <= r <= high
        ],
    )
    def test_every_achievable_r_per_variant(self, variant, score, level):
        assert rules.ls_level(score, rules.LS_VARIANTS[variant].bands) is level

    def test_variant_ranges_cover_every_achievable_r(self):
        for ranges in LS_VARIANT_RANGES.values():
            covered = [r for r in ACHIEVABLE_R if any(lo <= r <= hi for lo, hi in ranges)]
            assert covered == ACHIEVABLE_R

    @pytest.mark.parametrize(
        ("score", "level"),
        [
            (25, RiskLevel.MAJOR),
            (20, RiskLevel.MAJOR),
            (19, RiskLevel.HIGH),
            (16, RiskLevel.HIGH),
            (15, RiskLevel.HIGH),
            (14, RiskLevel.MEDIUM),
            (12, RiskLevel.MEDIUM),
            (9, RiskLevel.MEDIUM),
            (8, RiskLevel.LOW),
            (1, RiskLevel.LOW),
        ],
    )
    def test_default_variant_a_boundaries_both_sides(self, score, level):
        assert rules.LS_DEFAULT_VARIANT == "A"
        assert rules.ls_level(score) is level

    @pytest.mark.parametrize("score", [0, 26, -1, 12.0, True, "12"])
    def test_invalid_r(self, score):
        with pytest.raises(ValueError):
            rules.ls_level(score)

    def test_matrix_shape_corners_and_symmetry(self):
        matrix = rules.ls_matrix()
        assert len(matrix) == 5
        assert all(len(row) == 5 for row in matrix)
        assert matrix[0][0] is RiskLevel.LOW
        assert matrix[4][4] is RiskLevel.MAJOR
        assert matrix[3][4] is RiskLevel.MAJOR  # L4 × S5 = 20
        assert matrix[2][4] is RiskLevel.HIGH  # L3 × S5 = 15
        assert all(matrix[i][j] is matrix[j][i] for i in range(5) for j in range(5))

    def test_matrix_of_variant_b(self):
        matrix = rules.ls_matrix(rules.LS_VARIANTS["B"].bands)
        assert matrix[2][2] is RiskLevel.HIGH  # 9 is 较大 in variant B
        assert matrix[0][3] is RiskLevel.MEDIUM  # 4 is 一般 in variant B

    @given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
    def test_matrix_is_monotonic(self, l1, s1, l2, s2):
        assume(l1 <= l2 and s1 <= s2)
        for variant in rules.LS_VARIANTS.values():
            assert (
                rules.ls_level(rules.ls_score(l1, s1), variant.bands).rank
                >= rules.ls_level(rules.ls_score(l2, s2), variant.bands).rank
            )


# ---------------------------------------------------------------------------------------------------------
# 3. Supervision frequency
# ---------------------------------------------------------------------------------------------------------


class TestInspectionsPerYear:
    @pytest.mark.parametrize(
        ("level", "expected"),
        [(RiskLevel.MAJOR, 12), (RiskLevel.HIGH, 4), (RiskLevel.MEDIUM, 2), (RiskLevel.LOW, 1)],
    )
    def test_default_table_rows(self, level, expected):
        assert rules.inspections_per_year(level) == expected
        assert rules.inspections_per_year(level.value) == expected

    def test_higher_risk_is_never_inspected_less(self):
        counts = [rules.inspections_per_year(level) for level in LS_ORDER]
        assert counts == sorted(counts, reverse=True)

    def test_custom_table(self):
        table = {RiskLevel.MAJOR: 24, RiskLevel.HIGH: 12, RiskLevel.MEDIUM: 4, RiskLevel.LOW: 0}
        assert rules.inspections_per_year(RiskLevel.MAJOR, table) == 24
        assert rules.inspections_per_year("low", table) == 0

    def test_missing_level_in_table(self):
        with pytest.raises(ValueError, match="监管频次表缺少“较大风险”的检查次数"):
            rules.inspections_per_year(RiskLevel.HIGH, {RiskLevel.MAJOR: 12})

    @pytest.mark.parametrize("count", [-1, 1.5, True, "4"])
    def test_bad_table_value(self, count):
        with pytest.raises(ValueError, match="年检查次数应为非负整数"):
            rules.inspections_per_year(RiskLevel.LOW, {RiskLevel.LOW: count})

    def test_default_table_is_read_only(self):
        with pytest.raises(TypeError):
            rules.DEFAULT_INSPECTIONS_PER_YEAR[RiskLevel.LOW] = 0  # type: ignore[index]


# ---------------------------------------------------------------------------------------------------------
# 4. 重大危险源
# ---------------------------------------------------------------------------------------------------------


class TestAlpha:
    # rules.md §8.5 α table, each row at both ends.
    @pytest.mark.parametrize(
        ("people", "alpha"),
        [
            (0, "0.5"),
            (1, "1.0"),
            (29, "1.0"),
            (30, "1.2"),
            (49, "1.2"),
            (50, "1.5"),
            (99, "1.5"),
            (100, "2.0"),
            (100_000, "2.0"),
        ],
    )
    def test_table_rows(self, people, alpha):
        assert rules.alpha_for_population(people) == Decimal(alpha)

    @pytest.mark.parametrize("people", [-1, 2.5, "10", True, None])
    def test_invalid_population(self, people):
        with pytest.raises(ValueError, match="常住人口数应为非负整数"):
            rules.alpha_for_population(people)

    @given(st.integers(0, 10_000), st.integers(0, 10_000))
    def test_alpha_never_decreases_with_population(self, a, b):
        low, high = sorted([a, b])
        assert rules.alpha_for_population(low) <= rules.alpha_for_population(high)


class TestBeta:
    # rules.md §8.5 named toxic gases (40号令 附件1), row by row.
    @pytest.mark.parametrize(
        ("name", "beta"),
        [
            ("一氧化碳", "2"),
            ("二氧化硫", "2"),
            ("氨", "2"),
            ("环氧乙烷", "2"),
            ("氯化氢", "3"),
            ("溴甲烷", "3"),
            ("氯", "4"),
            ("硫化氢", "5"),
            ("氟化氢", "5"),
            ("二氧化氮", "10"),
            ("氰化氢", "10"),
            ("碳酰氯", "20"),
            ("磷化氢", "20"),
            ("异氰酸甲酯", "20"),
        ],
    )
    def test_named_substances(self, name, beta):
        assert rules.beta_for(name, HazardClass.TOXIC_GAS) == Decimal(beta)

    def test_named_table_has_14_rows(self):
        assert len(rules.BETA_BY_SUBSTANCE) == 14

    @pytest.mark.parametrize(
        ("hazard_class", "beta"),
        [
            (HazardClass.EXPLOSIVE, "2"),
            (HazardClass.FLAMMABLE_GAS, "1.5"),
            (HazardClass.TOXIC_GAS, "2"),
            (HazardClass.HIGHLY_TOXIC_GAS, "4"),
            (HazardClass.OTHER, "1"),
        ],
    )
    def test_unlisted_substances_by_class(self, hazard_class, beta):
        assert rules.beta_for("某未列举物质", hazard_class) == Decimal(beta)
        assert rules.beta_for("", hazard_class.value) == Decimal(beta)

    @pytest.mark.parametrize(
        ("alias", "beta"), [("光气", "20"), ("氯气", "4"), ("液氯", "4"), ("氨气", "2"), ("液氨", "2")]
    )
    def test_common_names(self, alias, beta):
        assert rules.beta_for(alias, HazardClass.TOXIC_GAS) == Decimal(beta)

    def test_named_substance_wins_over_its_class(self):
        # Ammonia is also a flammable gas, but the annex names it: β = 2, not 1.5.
        assert rules.beta_for("氨", HazardClass.FLAMMABLE_GAS) == Decimal("2")

    def test_whitespace_in_name_is_ignored(self):
        assert rules.beta_for(" 硫化 氢 ", HazardClass.TOXIC_GAS) == Decimal("5")

    def test_unknown_class(self):
        with pytest.raises(ValueError):
            rules.beta_for("氯", "corrosive")

    @pytest.mark.parametrize(
        ("hazard_class", "label"),
        [
            (HazardClass.EXPLOSIVE, "爆炸品"),
            (HazardClass.FLAMMABLE_GAS, "易燃气体"),
            (HazardClass.TOXIC_GAS, "毒性气体"),
            (HazardClass.HIGHLY_TOXIC_GAS, "剧毒气体"),
            (HazardClass.OTHER, "其他类危险化学品"),
        ],
    )
    def test_class_labels(self, hazard_class, label):
        assert hazard_class.label == label


class TestIsMajorHazard:
    @pytest.mark.parametrize(
        ("items", "expected"),
        [
            ([(5, 5)], True),  # q/Q = 1: "equals or exceeds" (CL-30)
            ([("4.999", 5)], False),
            ([(10, 5)], True),
            ([(2, 5), (3, 5)], True),  # 0.4 + 0.6 = 1
            ([(2, 5), ("2.99", 5)], False),
            ([(1, 3), (1, 3), (1, 3)], True),  # exactly 1 — a naive Decimal sum gives 0.999…
            ([(0, "0.75")], False),
            ([], False),
        ],
    )
    def test_vectors(self, items, expected):
        assert rules.is_major_hazard(items) is expected

    @pytest.mark.parametrize("items", [[(1, 0)], [(1, -5)], [(-1, 5)], [("x", 5)]])
    def test_invalid_quantities(self, items):
        with pytest.raises(ValueError):
            rules.is_major_hazard(items)

    @given(
        st.lists(
            st.tuples(
                st.decimals(min_value=0, max_value=1000, places=3),
                st.decimals(min_value="0.001", max_value=1000, places=3),
            ),
            min_size=1,
            max_size=5,
        ),
        st.integers(0, 4),
        st.decimals(min_value=0, max_value=1000, places=3),
    )
    def test_adding_quantity_never_removes_the_major_hazard(self, items, index, extra):
        index %= len(items)
        before = rules.is_major_hazard(items)
        more = list(items)
        more[index] = (items[index][0] + extra, items[index][1])
        assert rules.is_major_hazard(more) >= before


class TestMajorHazardR:
    @pytest.mark.parametrize(
        ("alpha", "items", "expected"),
        [
            ("1.0", [(4, 50, 5)], Decimal("40")),  # chlorine, 10 × threshold, 1–29 people
            ("2.0", [(2, 10, 10), ("1.5", 5, 10)], Decimal("5.5")),
            ("0.5", [(1, 100, 1)], Decimal("50")),
            ("1.5", [(1, 200, 3)], Decimal("100")),
            ("1.2", [(20, "0.75", "0.75"), (4, 5, 5)], Decimal("28.8")),
        ],
    )
    def test_vectors(self, alpha, items, expected):
        assert rules.major_hazard_r(alpha, items) == expected

    def test_value_just_below_a_boundary_is_not_rounded_onto_it(self):
        just_below = Decimal("99.99999999999999999999999999999")  # more digits than the Decimal context keeps
        r_value = rules.major_hazard_r(1, [(1, just_below, 1)])
        assert r_value < 100
        assert rules.major_hazard_level(r_value) == 2

    @pytest.mark.parametrize(
        ("alpha", "items", "message"),
        [
            (0, [(1, 1, 1)], "校正系数α必须大于0"),
            (1, [(0, 1, 1)], "校正系数β必须大于0"),
            (1, [(1, 1, 0)], "临界量Q必须大于0"),
            (1, [(1, -1, 1)], "实际存在量q不能为负数"),
            (1, [], "至少需要一种危险化学品"),
        ],
    )
    def test_invalid_inputs(self, alpha, items, message):
        with pytest.raises(ValueError, match=message):
            rules.major_hazard_r(alpha, items)

    @given(
        st.sampled_from(["0.5", "1.0", "1.2", "1.5", "2.0"]),
        st.lists(
            st.tuples(
                st.sampled_from(["1", "1.5", "2", "3", "4", "5", "10", "20"]),
                st.decimals(min_value=0, max_value=10_000, places=3),
                st.decimals(min_value="0.1", max_value=10_000, places=2),
            ),
            min_size=1,
            max_size=6,
        ),
    )
    def test_r_matches_the_exact_formula_and_order_does_not_matter(self, alpha, items):
        exact = Fraction(Decimal(alpha)) * sum(
            (Fraction(Decimal(b)) * Fraction(q) / Fraction(big_q) for b, q, big_q in items), Fraction(0)
        )
        r_value = rules.major_hazard_r(alpha, items)
        assert Fraction(r_value) <= exact < Fraction(r_value) + Fraction(1, 10**20)
        assert rules.major_hazard_r(alpha, list(reversed(items))) == r_value
        # The floored R is always graded like the exact R (rules.md CL-32 thresholds, written out here).
        expected_level = 1 if exact >= 100 else 2 if exact >= 50 else 3 if exact >= 10 else 4
        assert rules.major_hazard_level(r_value) == expected_level


class TestMajorHazardLevel:
    # rules.md CL-32: R ≥ 100 一级 | 50 ≤ R < 100 二级 | 10 ≤ R < 50 三级 | R < 10 四级.
    # Every boundary is tested on both sides.
    @pytest.mark.parametrize(
        ("r_value", "level"),
        [
            ("1000", 1),
            ("100", 1),
            ("99.99", 2),
            ("50", 2),
            ("49.999", 3),
            ("10", 3),
            ("9.9999", 4),
            ("0.5", 4),
            ("0", 4),
        ],
    )
    def test_boundaries(self, r_value, level):
        assert rules.major_hazard_level(Decimal(r_value)) == level
        assert rules.major_hazard_level(r_value) == level

    @pytest.mark.parametrize(("level", "label"), [(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")])
    def test_labels(self, level, label):
        assert rules.MAJOR_HAZARD_LEVEL_LABELS[level] == label

    @pytest.mark.parametrize("r_value", ["-0.001", "abc", None])
    def test_invalid(self, r_value):
        with pytest.raises(ValueError):
            rules.major_hazard_level(r_value)

    @given(
        st.decimals(min_value=0, max_value=1000, places=4),
        st.decimals(min_value=0, max_value=1000, places=4),
    )
    def test_monotonic(self, a, b):
        low, high = sorted([a, b])
        assert rules.major_hazard_level(low) >= rules.major_hazard_level(high)


# ---------------------------------------------------------------------------------------------------------
# 5. 严重失信主体名单
# ---------------------------------------------------------------------------------------------------------

dates = st.dates(min_value=date(2023, 10, 1), max_value=date(2090, 12, 31))


class TestBlacklistDates:
    @pytest.mark.parametrize(
        ("start", "end", "removal", "repair"),
        [
            (date(2024, 3, 15), date(2027, 3, 15), date(2027, 3, 16), date(2025, 3, 16)),
            (date(2023, 10, 1), date(2026, 10, 1), date(2026, 10, 2), date(2024, 10, 2)),
            (date(2023, 12, 31), date(2026, 12, 31), date(2027, 1, 1), date(2025, 1, 1)),
            # No 29 February in the target year → last day of February (民法典 第二百零二条).
            (date(2024, 2, 29), date(2027, 2, 28), date(2027, 3, 1), date(2025, 3, 1)),
            (date(2025, 2, 28), date(2028, 2, 28), date(2028, 2, 29), date(2026, 3, 1)),
        ],
    )
    def test_vectors(self, start, end, removal, repair):
        assert rules.blacklist_end_date(start) == end
        assert rules.scheduled_removal_date(start) == removal
        assert rules.earliest_repair_date(start) == repair

    def test_periods_match_rules_md(self):
        assert rules.BLACKLIST_YEARS == 3
        assert rules.EARLY_REMOVAL_MONTHS == 12

    @given(dates)
    def test_three_years_and_twelve_months(self, start):
        end = rules.blacklist_end_date(start)
        assert (end.year, end.month) == (start.year + 3, start.month)
        assert 1095 <= (end - start).days <= 1096
        repair = rules.earliest_repair_date(start)
        assert 366 <= (repair - start).days <= 367
        assert start < repair <= end
        assert rules.scheduled_removal_date(start) == end + timedelta(days=1)

    @given(dates)
    def test_end_is_the_corresponding_day_when_it_exists(self, start):
        assume(not (start.month == 2 and start.day == 29))
        assert rules.blacklist_end_date(start) == start.replace(year=start.year + 3)


class TestIsBlacklistedOn:
    START = date(2024, 3, 15)
    END = date(2027, 3, 15)

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (date(2024, 3, 14), False),
            (date(2024, 3, 15), True),
            (date(2026, 1, 1), True),
            (date(2027, 3, 15), True),
            (date(2027, 3, 16), False),
        ],
    )
    def test_period_boundaries(self, day, expected):
        assert rules.is_blacklisted_on(self.START, self.END, None, day) is expected
        assert rules.is_blacklisted_on(self.START, None, None, day) is expected

    @pytest.mark.parametrize(
        ("day", "expected"), [(date(2025, 6, 30), True), (date(2025, 7, 1), False), (date(2026, 1, 1), False)]
    )
    def test_early_removal(self, day, expected):
        assert rules.is_blacklisted_on(self.START, self.END, date(2025, 7, 1), day) is expected

    def test_end_before_start_is_rejected(self):
        with pytest.raises(ValueError, match="不能早于列入日期"):
            rules.is_blacklisted_on(self.START, date(2024, 3, 14), None, self.START)

    def test_removal_before_start_is_rejected(self):
        with pytest.raises(ValueError, match="提前移出日期"):
            rules.is_blacklisted_on(self.START, None, date(2024, 3, 1), self.START)

    @given(dates, st.integers(-400, 1500))
    def test_listed_exactly_from_start_to_end(self, start, offset):
        day = start + timedelta(days=offset)
        expected = start <= day <= rules.blacklist_end_date(start)
        assert rules.is_blacklisted_on(start, None, None, day) is expected

    @given(dates, st.integers(0, 1200), st.integers(-10, 1200))
    def test_removal_only_shortens_the_listing(self, start, removed_after, offset):
        removed_on = start + timedelta(days=removed_after)
        day = start + timedelta(days=offset)
        with_removal = rules.is_blacklisted_on(start, None, removed_on, day)
        without = rules.is_blacklisted_on(start, None, None, day)
        assert with_removal <= without
        if day >= removed_on:
            assert not with_removal


class TestEarlyRemoval:
    START = date(2024, 3, 15)

    @pytest.mark.parametrize(
        ("day", "removed_on", "expected"),
        [
            (date(2025, 3, 15), None, False),  # 12 months not yet complete ("满")
            (date(2025, 3, 16), None, True),
            (date(2027, 3, 15), None, True),
            (date(2027, 3, 16), None, False),  # already off the list
            (date(2025, 6, 1), date(2025, 5, 1), False),  # already removed early
        ],
    )
    def test_can_apply(self, day, removed_on, expected):
        assert rules.can_apply_for_early_removal(self.START, day, removed_on) is expected


# ---------------------------------------------------------------------------------------------------------
# 6. Expiry
# ---------------------------------------------------------------------------------------------------------


class TestExpiryStatus:
    TODAY = date(2025, 1, 1)

    @pytest.mark.parametrize(
        ("expiry", "warn_days", "expected"),
        [
            (date(2024, 12, 31), 30, "expired"),
            (date(2025, 1, 1), 30, "expiring"),  # valid through its last day
            (date(2025, 1, 31), 30, "expiring"),  # 30 days left
            (date(2025, 2, 1), 30, "ok"),  # 31 days left
            (date(2025, 1, 1), 0, "expiring"),
            (date(2025, 1, 2), 0, "ok"),
            (date(2025, 4, 1), 90, "expiring"),
            (date(2025, 4, 2), 90, "ok"),
        ],
    )
    def test_boundaries(self, expiry, warn_days, expected):
        status = rules.expiry_status(expiry, self.TODAY, warn_days)
        assert status == expected
        assert isinstance(status, ExpiryStatus)

    def test_default_warning_is_30_days(self):
        assert rules.expiry_status(date(2025, 1, 31), self.TODAY) == "expiring"
        assert rules.expiry_status(date(2025, 2, 1), self.TODAY) == "ok"

    @pytest.mark.parametrize(
        ("status", "label"), [("expired", "已过期"), ("expiring", "即将到期"), ("ok", "有效")]
    )
    def test_labels(self, status, label):
        assert ExpiryStatus(status).label == label

    @pytest.mark.parametrize("warn_days", [-1, 1.5, True])
    def test_invalid_warn_days(self, warn_days):
        with pytest.raises(ValueError):
            rules.expiry_status(self.TODAY, self.TODAY, warn_days)

    @given(st.integers(-1000, 1000), st.integers(0, 365))
    def test_status_follows_days_left(self, days_left, warn_days):
        status = rules.expiry_status(self.TODAY + timedelta(days=days_left), self.TODAY, warn_days)
        if days_left < 0:
            assert status is ExpiryStatus.EXPIRED
        elif days_left <= warn_days:
            assert status is ExpiryStatus.EXPIRING
        else:
            assert status is ExpiryStatus.OK


# ---------------------------------------------------------------------------------------------------------
# 7. GB/T 4754-2017 门类
# ---------------------------------------------------------------------------------------------------------

# rules.md §8.1, row by row: (门类, first 大类, last 大类).
GB4754_ROWS = [
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
]


class TestGb4754:
    @pytest.mark.parametrize(("section", "first", "last"), GB4754_ROWS)
    def test_first_and_last_division_of_each_section(self, section, first, last):
        assert rules.gb4754_section(f"{first:02d}") == section
        assert rules.gb4754_section(f"{last:02d}") == section
        assert rules.gb4754_section(f"{first:02d}1") == section
        assert rules.gb4754_section(f"{last:02d}19") == section

    @pytest.mark.parametrize(("section", "first", "last"), GB4754_ROWS)
    def test_neighbours_belong_to_other_sections(self, section, first, last):
        if first > 1:
            assert rules.gb4754_section(f"{first - 1:02d}") != section
        if last < 97:
            assert rules.gb4754_section(f"{last + 1:02d}") != section

    def test_names_match_rules_md(self):
        assert [(s, first, last) for s, _name, first, last in rules.GB4754_SECTIONS] == GB4754_ROWS
        names = {section: name for section, name, _first, _last in rules.GB4754_SECTIONS}
        assert names["C"] == "制造业"
        assert names["G"] == "交通运输、仓储和邮政业"
        assert names["T"] == "国际组织"

    @pytest.mark.parametrize(
        ("code", "section"), [("2614", "C"), ("C2614", "C"), (" c2614 ", "C"), ("0111", "A")]
    )
    def test_codes_with_and_without_letter(self, code, section):
        assert rules.gb4754_section(code) == section

    @pytest.mark.parametrize("code", ["B2614", "00", "98", "1", "12345", "ab", "", "2６14"])
    def test_invalid_codes(self, code):
        with pytest.raises(ValueError):
            rules.gb4754_section(code)
