"""Official administrative division codes (行政区划代码), as plain rules.

GB/T 2260: 6 digits PP CC DD (province, prefecture-level city, county-level unit).
统计用区划代码 (国家统计局): 6-digit county + 3-digit township + 3-digit village = 12 digits.
GB/T 10114 《县以下行政区划代码编制规则》: the township part's first digit gives its type:
0 街道 (001–099), 1 镇 (100–199), 2–3 乡 (200–399), 4–5 政企合一等单位 such as development zones (400–599).
Grids (网格) have no national code; Anjian gives them the village code plus a 3-digit sequence.
"""

import re

# kind -> (total length, allowed township first digits or None, expected parent code length)
CODE_SHAPES = {
    "province": (6, None, None),
    "city": (6, None, 6),
    "county": (6, None, 6),
    "street": (9, "0", 6),
    "town": (9, "123", 6),
    "park": (9, "45", 6),
    "village": (12, None, 9),
    "community": (12, None, 9),
    "grid": (15, None, 12),
}
KIND_LABELS = {
    "province": "省",
    "city": "市",
    "county": "县（区）",
    "street": "街道",
    "town": "镇（乡）",
    "park": "园区",
    "village": "村",
    "community": "社区",
    "grid": "网格",
}
# Kinds that may exist without an official code (parks are often uncoded; grids are local).
CODE_OPTIONAL = {"park", "grid"}


def validate_code(kind: str, code: str, parent_kind: str | None, parent_code: str | None) -> list[str]:
    """Return the reasons (in Chinese) why `code` is not a valid code for a territory of `kind`."""
    label = KIND_LABELS.get(kind, kind)
    if not code:
        return [] if kind in CODE_OPTIONAL else [f"{label}必须填写区划代码。"]
    length, township_digits, _parent_len = CODE_SHAPES[kind]
    if not re.fullmatch(r"\d+", code):
        return ["区划代码只能由数字组成。"]
    if len(code) != length:
        return [f"{label}的区划代码应为{length}位数字，当前为{len(code)}位。"]
    errors = []
    if kind == "province" and not code.endswith("0000"):
        errors.append("省级区划代码后4位应为0000。")
    if kind == "city" and (code.endswith("0000") or not code.endswith("00")):
        errors.append("市级区划代码应为“省2位+市2位+00”。")
    if kind == "county" and code.endswith("00"):
        errors.append("县级区划代码后2位不能为00。")
    if township_digits and code[6] not in township_digits:
        errors.append(f"{label}的乡级代码首位应为{'或'.join(township_digits)}（GB/T 10114）。")
    if township_digits and code[6:9] == "000":
        errors.append("乡级代码不能为000。")
    if kind in ("village", "community") and code[9:] == "000":
        errors.append("村级代码不能为000。")
    if parent_code:
        errors.extend(_parent_prefix_errors(kind, code, parent_kind, parent_code))
    return errors


def _parent_prefix_errors(kind, code, parent_kind, parent_code) -> list[str]:
    if kind == "city" and code[:2] != parent_code[:2]:
        return ["市级区划代码前2位应与所属省一致。"]
    if kind == "county" and parent_kind == "city" and code[:4] != parent_code[:4]:
        return ["县级区划代码前4位应与所属市一致。"]
    if kind == "county" and parent_kind == "province" and code[:2] != parent_code[:2]:
        return ["县级区划代码前2位应与所属省一致。"]
    if len(code) > 6 and not code.startswith(parent_code):
        return [f"区划代码应以上级区划代码{parent_code}开头。"]
    return []
