"""Default scoring rules of the risk ranking (重点检查对象排序). The 安委办 edits them as data afterwards.

No national scoring table exists: the weights are a starting point that follows what the rules say matters.
- 安全生产法 第六十二条: inspections are planned "按照分类分级监督管理的要求"; rules.md RK-03: local schemes grade
  units 红橙黄蓝 to set the inspection frequency (registry SupervisionFrequency) — colour and the frequency owed;
- rules.md HZ-40/HZ-42 (安全生产法 第四十一条, 16号令 第二十条): major hazards are followed by the department;
- rules.md CR-09 (安全生产法 第七十八条): units on the serious-dishonesty list get more frequent inspection;
- rules.md §1 (16号令): hazards not rectified by their deadline call for a follow-up inspection.
"""

# (factor, risk_level, threshold, window_days, points, note)
DEFAULT_RULES = [
    ("risk_colour", "major", 1, None, 30, "重大风险（红色）单位：分级分类监管的最高一级（rules.md RK-03）"),
    ("risk_colour", "high", 1, None, 20, "较大风险（橙色）单位（rules.md RK-03）"),
    ("risk_colour", "medium", 1, None, 10, "一般风险（黄色）单位（rules.md RK-03）"),
    (
        "major_hazards",
        "",
        1,
        None,
        25,
        "有未销号重大事故隐患：部门须跟踪督办（安全生产法第四十一条，rules.md HZ-40）",
    ),
    ("overdue_hazards", "", 1, None, 20, "有逾期未整改隐患：须督促整改、复查（16号令）"),
    ("open_hazards", "", 3, None, 10, "未销号隐患较多（3处以上）"),
    ("hazard_sources", "", 1, None, 15, "有危险化学品重大危险源（GB 18218-2018，40号令）"),
    ("accidents", "", 1, 365, 25, "近一年发生过生产安全事故"),
    (
        "blacklisted",
        "",
        1,
        None,
        20,
        "列入严重失信主体名单：加大执法检查频次（安全生产法第七十八条，rules.md CR-09）",
    ),
    ("inspection_gap", "", 100, None, 15, "距上次检查已超过分级监管应检间隔（registry 分级监管频次表）"),
    ("inspection_gap", "", 200, None, 10, "距上次检查已超过应检间隔的两倍"),
    ("unacked_warnings", "", 1, 30, 10, "近30天预警信息逾期未签收"),
]


def seed_targeting_rules(rule_model) -> int:
    """Create the default rules when the table is empty (idempotent: an edited table is left alone). Takes the
    model class so a data migration can pass its historical model. Returns how many were created."""
    if rule_model.objects.exists():
        return 0
    for order, (factor, level, threshold, window, points, note) in enumerate(DEFAULT_RULES, start=1):
        rule_model.objects.create(
            factor=factor,
            risk_level=level,
            threshold=threshold,
            window_days=window,
            points=points,
            note=note,
            sort_order=order * 10,
        )
    return len(DEFAULT_RULES)
