"""Demo step: the demo year's town assessment scheme (with its results computed from the demo records) and one
issued quarterly bulletin. Runs after registry, inspections, hazards, enforcement and accidents (INSTALLED_APPS
order), so every computed figure comes from their demo data."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from . import bulletins, services
from .models import AssessmentScheme, BodyKind, Indicator, ItemScore, Method, Part, VetoKind, VetoRule
from .periods import Period

PROCESS_ITEMS = [
    # (name, key, max score, params)
    ("隐患整改率", "hazard_rectification_rate", 15, {"target": 0.9}),
    ("隐患销号率", "hazard_closure_rate", 15, {"target": 0.8}),
    ("重大事故隐患逾期未整改", "major_hazard_overdue", 10, {"per_item": 5}),
    ("挂牌督办隐患按期销号", "supervision_on_time", 10, {}),
    ("重大风险单位检查覆盖率", "inspection_coverage_red", 10, {}),
    ("较大风险单位检查覆盖率", "inspection_coverage_orange", 10, {"target": 0.8}),
    ("举报按期办结率", "tips_on_time", 10, {}),
]
RESULT_ITEMS = [
    ("生产安全事故起数同比", "accidents_vs_last_year", 30, {"per_item": 5}),
    ("事故死亡人数同比", "deaths_vs_last_year", 30, {"per_item": 10}),
    ("年度隐患销号率", "hazard_closure_rate", 20, {"target": 0.9}),
    ("安全生产责任体系建设", None, 20, {}),
]


def build(ctx) -> None:
    year = ctx.today.year
    office = ctx.users["anweiban"]
    scheme = AssessmentScheme.objects.create(
        year=year,
        name="镇（街道）、园区安全生产目标管理考核",
        territory=ctx.district,
        body_kind=BodyKind.LOCAL_GOVERNMENT,
        status="published",
        description="过程考核与结果考核相结合、平时考核与年终考核相结合；百分制，优秀、良好、合格、不合格四个等次。",
    )
    scheme.bodies.set([ctx.organisations[f"town:{t.code}"] for t in ctx.towns])
    order = 0
    for name, key, score, params in PROCESS_ITEMS:
        order += 1
        _indicator(scheme, Part.PROCESS, name, key, score, params, order)
    _indicator(scheme, Part.PROCESS, "宣传教育培训", None, 10, {}, 99)
    for name, key, score, params in RESULT_ITEMS:
        order += 1
        _indicator(scheme, Part.RESULT, name, key, score, params, order)
    VetoRule.objects.create(
        scheme=scheme,
        name="发生较大及以上生产安全责任事故",
        kind=VetoKind.ACCIDENT_GRADE,
        params={"min_grade": "larger", "min_count": 1, "liability_only": True},
        basis="rules.md §7.1 KH-02、KH-03",
    )
    VetoRule.objects.create(
        scheme=scheme,
        name="事故死亡人数超过年度控制指标",
        kind=VetoKind.DEATHS_ABOVE,
        params={"max_deaths": 3},
        basis="rules.md §7.1 KH-03",
    )
    current_quarter = (ctx.today.month - 1) // 3 + 1
    for quarter in range(1, current_quarter + 1):
        services.compute_period(scheme, quarter, office)
        # Reviewers' scores for the manual item, with evidence (deterministic).
        for sheet in ItemScore.objects.filter(
            evaluation__scheme=scheme, evaluation__quarter=quarter, indicator__method=Method.MANUAL
        ).select_related("indicator"):
            points = Decimal(ctx.rng.randint(6, 10))
            evidence = ContentFile("宣传教育培训台账（演示）".encode(), name="培训台账.txt")
            services.score_manual_item(sheet, points, "查阅培训台账和活动照片", evidence, office)
        services.compute_period(scheme, quarter, office)
    services.compute_period(scheme, 0, office)
    for sheet in ItemScore.objects.filter(
        evaluation__scheme=scheme, evaluation__quarter=0, indicator__method=Method.MANUAL
    ).select_related("indicator"):
        evidence = ContentFile("安全生产责任清单及会议纪要（演示）".encode(), name="责任清单.txt")
        services.score_manual_item(
            sheet, Decimal(ctx.rng.randint(14, 20)), "责任清单、会议纪要齐全", evidence, office
        )
    services.compute_period(scheme, 0, office)

    departments = _department_scheme(ctx, year, current_quarter, office)

    # One issued bulletin: the last finished quarter (or Q1 of the demo year).
    quarter = max(1, current_quarter - 1)
    period = Period.quarter(year, quarter)
    draft = bulletins.create_draft(ctx.district, period, office, scheme=scheme, quarter=quarter)
    issued_on = min(ctx.today, period.end.replace(day=1) if period.end < ctx.today else ctx.today)
    issued = bulletins.issue_bulletin(draft, office, issued_on=max(issued_on, date(year, 1, 1)))
    bulletins.create_draft(
        ctx.district, Period.quarter(year, current_quarter), office, scheme=scheme, quarter=current_quarter
    )
    ctx.log.append(
        f"考核方案 2 个（{len(ctx.towns)} 个镇街、{departments} 个成员单位，{current_quarter} 个季度+年度结果），"
        f"通报 {issued.number}"
    )


DEPARTMENT_ITEMS = [
    (Part.PROCESS, "本行业隐患整改率", "hazard_rectification_rate", 30, {"target": 0.9}),
    (Part.PROCESS, "本行业重大事故隐患逾期未整改", "major_hazard_overdue", 30, {"per_item": 10}),
    (Part.PROCESS, "本行业行政处罚立案数", "enforcement_cases", 40, {"target": 2}),
    (Part.RESULT, "本行业事故起数同比", "accidents_vs_last_year", 50, {"per_item": 10}),
    (Part.RESULT, "本行业事故死亡人数同比", "deaths_vs_last_year", 50, {"per_item": 10}),
]


def _department_scheme(ctx, year, current_quarter, office) -> int:
    """Member departments assessed on the sectors they supervise (管行业必须管安全)."""
    scheme = AssessmentScheme.objects.create(
        year=year,
        name="区安委会成员单位安全生产工作考核",
        territory=ctx.district,
        body_kind=BodyKind.DEPARTMENT,
        status="published",
        description="按各成员单位监管的行业领域统计（管行业必须管安全）。",
    )
    bodies = [org for org in ctx.organisations.values() if org.kind == BodyKind.DEPARTMENT]
    scheme.bodies.set(bodies)
    for order, (part, name, key, score, params) in enumerate(DEPARTMENT_ITEMS):
        _indicator(scheme, part, name, key, score, params, order)
    VetoRule.objects.create(
        scheme=scheme,
        name="本行业领域发生较大及以上生产安全责任事故",
        kind=VetoKind.ACCIDENT_GRADE,
        params={"min_grade": "larger", "min_count": 1},
        basis="rules.md §7.1 KH-03（部门所监管行业发生事故的否决）",
    )
    for quarter in [*range(1, current_quarter + 1), 0]:
        services.compute_period(scheme, quarter, office)
    return len(bodies)


# 过程考核 of the committee's work (督办、督查、报表), added once those apps have made their demo records: the demo
# steps run in app order and the 督办 demo needs the issued bulletin above.
COMMITTEE_WORK_ITEMS = [
    ("督办事项按时办结率", "supervision_task_on_time", 10, {}),
    ("督查问题整改率", "oversight_rectification_rate", 10, {}),
    ("报表按时报送率", "report_on_time_rate", 10, {}),
]


def build_late(ctx) -> None:
    """The office adds the committee-work indicators to both demo schemes this quarter and recomputes it and
    the year (earlier quarters keep the sheets they were computed with)."""
    from . import indicators

    available = [item for item in COMMITTEE_WORK_ITEMS if item[1] in indicators.REGISTRY]
    if not available:
        return
    office = ctx.users["anweiban"]
    current_quarter = (ctx.today.month - 1) // 3 + 1
    for scheme in AssessmentScheme.objects.filter(territory=ctx.district, year=ctx.today.year):
        order = 100
        for name, key, score, params in available:
            order += 1
            _indicator(scheme, Part.PROCESS, name, key, score, params, order)
        services.compute_period(scheme, current_quarter, office)
        services.compute_period(scheme, 0, office)
    ctx.log.append(f"考核方案加入安委会工作过程指标 {len(available)} 项（{'、'.join(i[0] for i in available)}）")


def _indicator(scheme, part, name, key, score, params, order):
    from . import indicators

    return Indicator.objects.create(
        scheme=scheme,
        part=part,
        name=name,
        method=Method.COMPUTED if key else Method.MANUAL,
        key=key or "",
        max_score=Decimal(score),
        params=params,
        scoring_rule=indicators.REGISTRY[key].rule
        if key
        else "查阅资料、现场核查，按评分标准由考核组打分，须上传佐证材料。",
        evidence_required=not key,
        sort_order=order,
    )
