"""Fixtures of the assessment tests: hazards, inspections and a small scheme, built directly (the figures are
hand-computed in the tests, so the records must be exactly these)."""

import itertools
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from anjian.assessment.models import AssessmentScheme, BodyKind, Indicator, Method, Part, VetoKind, VetoRule

_numbers = itertools.count(1)


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def hazard(
    cast, enterprise, found_on, status="registered", grade="general", deadline=None, closed_on=None, **extra
):
    from anjian.hazards.models import Hazard

    sector = cast.hazchem if enterprise.pk == cast.enterprise_a.pk else cast.construction
    return Hazard.objects.create(
        number=f"AS{next(_numbers):07d}",
        enterprise=enterprise,
        territory=enterprise.territory,
        sector=sector,
        description="测试隐患",
        grade=grade,
        major_clause="判定标准第一项" if grade == "major" else "",
        status=status,
        found_on=found_on,
        deadline=deadline,
        closed_at=aware(closed_on) if closed_on else None,
        **extra,
    )


def inspection(cast, enterprise, day, level="county", status="completed"):
    from anjian.inspections.models import Inspection

    return Inspection.objects.create(
        number=f"IN{next(_numbers):07d}",
        level=level,
        status=status,
        enterprise=enterprise,
        territory=enterprise.territory,
        inspected_on=day,
        created_by=cast.inspector,
    )


def scheme(cast, year=2026, bodies=None, with_veto=True) -> AssessmentScheme:
    s = AssessmentScheme.objects.create(
        year=year, name="镇街安全生产工作考核", territory=cast.district, body_kind=BodyKind.LOCAL_GOVERNMENT
    )
    s.bodies.set(bodies or [cast.town_a_org, cast.town_b_org])
    items = [
        ("隐患整改率", "hazard_rectification_rate", {}),
        ("隐患销号率", "hazard_closure_rate", {}),
        ("重大事故隐患逾期", "major_hazard_overdue", {"per_item": 5}),
        ("事故起数同比", "accidents_vs_last_year", {"per_item": 2}),
        ("死亡人数同比", "deaths_vs_last_year", {"per_item": 1}),
    ]
    for order, (name, key, params) in enumerate(items):
        Indicator.objects.create(
            scheme=s,
            part=Part.PROCESS,
            name=name,
            method=Method.COMPUTED,
            key=key,
            max_score=Decimal("10"),
            params=params,
            sort_order=order,
        )
    Indicator.objects.create(
        scheme=s,
        part=Part.PROCESS,
        name="宣传教育培训",
        method=Method.MANUAL,
        max_score=Decimal("10"),
        evidence_required=True,
        sort_order=10,
    )
    Indicator.objects.create(
        scheme=s,
        part=Part.RESULT,
        name="年度隐患销号率",
        method=Method.COMPUTED,
        key="hazard_closure_rate",
        max_score=Decimal("100"),
    )
    if with_veto:
        # KH-02/KH-03: a 较大 or worse accident with responsibility in the territory → 不合格.
        VetoRule.objects.create(
            scheme=s,
            name="发生较大及以上生产安全责任事故",
            kind=VetoKind.ACCIDENT_GRADE,
            params={"min_grade": "larger", "min_count": 1},
            basis="rules.md KH-02、KH-03",
        )
    return s
