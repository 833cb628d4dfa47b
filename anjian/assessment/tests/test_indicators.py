"""Indicator computations against hand-computed fixtures, and the one-vote veto overriding a high score."""

from datetime import date
from decimal import Decimal

import pytest

from anjian.accidents.tests.factories import file as file_accident
from anjian.accidents.tests.factories import local
from anjian.assessment import indicators, services
from anjian.assessment.models import Evaluation, ItemScore
from anjian.assessment.periods import Period, Target

from . import factories as f

Q1 = Period.quarter(2026, 1)


@pytest.fixture
def records(cast):
    """Town A (甲镇), Q1 2026 — found 4 valid hazards: 2 rectified (50%), 1 closed (25%);
    2 still open past their deadline at the end of Q1, 1 of them major. Town B: 1 hazard, closed."""
    a, b = cast.enterprise_a, cast.enterprise_b
    f.hazard(
        cast, a, date(2026, 1, 10), status="closed", closed_on=date(2026, 2, 1), deadline=date(2026, 1, 31)
    )
    f.hazard(cast, a, date(2026, 2, 10), status="reported", deadline=date(2026, 2, 28))
    f.hazard(cast, a, date(2026, 3, 5), status="rectifying", deadline=date(2026, 3, 20))
    f.hazard(cast, a, date(2026, 3, 6), status="registered", grade="major", deadline=date(2026, 3, 25))
    f.hazard(cast, a, date(2026, 3, 7), status="voided")  # registration error: counts nowhere
    f.hazard(cast, a, date(2025, 12, 1), status="closed", closed_on=date(2025, 12, 5))  # before the period
    f.hazard(
        cast, b, date(2026, 2, 2), status="closed", closed_on=date(2026, 2, 20), deadline=date(2026, 3, 1)
    )
    # Accidents: A one general accident with 1 death in Q1 2026, none in Q1 2025;
    # B one 较大 accident (3 deaths, 493号令 第三条) in Q1 2026.
    file_accident(
        cast.office,
        territory=cast.village_a,
        deaths=1,
        occurred_at=local(2026, 2, 3, 9),
        title="甲镇物体打击",
    )
    file_accident(
        cast.office, territory=cast.village_b, deaths=3, occurred_at=local(2026, 3, 3, 9), title="乙镇坍塌"
    )
    return cast


def test_hazard_rates_for_town_a(records):
    target = Target.for_territory(records.town_a)
    rect = indicators.compute("hazard_rectification_rate", target, Q1)
    assert (rect.numerator, rect.denominator, rect.value) == (2, 4, Decimal("0.5"))
    closure = indicators.compute("hazard_closure_rate", target, Q1)
    assert (closure.numerator, closure.denominator, closure.value) == (1, 4, Decimal("0.25"))
    assert indicators.compute("major_hazard_overdue", target, Q1).value == 1
    # The reported (not yet accepted) hazard is still open, as in hazards.services.refresh_overdue: 3.
    assert indicators.compute("hazard_overdue", target, Q1).value == 3
    assert (
        "found_after=2026-01-01" in rect.drilldown_url
        and f"territory={records.town_a.pk}" in rect.drilldown_url
    )


def test_accidents_year_on_year(records):
    a = indicators.compute("accidents_vs_last_year", Target.for_territory(records.town_a), Q1)
    assert (a.value, a.compare) == (1, 0)
    deaths = indicators.compute("deaths_vs_last_year", Target.for_territory(records.town_b), Q1)
    assert (deaths.value, deaths.compare) == (3, 0)


def test_department_target_counts_only_its_sectors(records):
    # 应急 supervises 危险化学品: enterprise A's hazards only (4 valid in Q1), not B's construction hazard.
    target = Target.for_body(records.yingji)
    assert indicators.compute("hazard_rectification_rate", target, Q1).denominator == 4
    target = Target.for_body(records.zhujian)
    assert indicators.compute("hazard_closure_rate", target, Q1).denominator == 1


def test_inspection_coverage_by_colour(records):
    from anjian.registry.models import Enterprise

    Enterprise.objects.filter(pk=records.enterprise_a.pk).update(risk_level="major")
    Enterprise.objects.filter(pk=records.enterprise_b.pk).update(risk_level="major")
    f.inspection(records, records.enterprise_a, date(2026, 2, 1))
    f.inspection(
        records, records.enterprise_b, date(2026, 2, 1), level="self"
    )  # self-inspection: not counted
    value = indicators.compute("inspection_coverage_red", Target.for_territory(records.district), Q1)
    assert (value.numerator, value.denominator) == (1, 2)
    assert (
        indicators.compute("inspection_coverage_orange", Target.for_territory(records.district), Q1).value
        is None
    )


def test_scoring_kinds():
    rate = indicators.REGISTRY["hazard_rectification_rate"]
    assert indicators.score(rate, indicators.IndicatorValue(Decimal("0.5")), {}, 10) == Decimal("5.00")
    assert indicators.score(rate, indicators.IndicatorValue(Decimal("0.45")), {"target": 0.9}, 10) == Decimal(
        "5.00"
    )
    assert indicators.score(rate, indicators.IndicatorValue(None), {}, 10) == Decimal(
        "10.00"
    )  # nothing to do
    deduct = indicators.REGISTRY["major_hazard_overdue"]
    assert indicators.score(deduct, indicators.IndicatorValue(Decimal(3)), {"per_item": 5}, 10) == Decimal(
        "0.00"
    )
    yoy = indicators.REGISTRY["accidents_vs_last_year"]
    value = indicators.IndicatorValue(Decimal(3), compare=Decimal(1))
    assert indicators.score(yoy, value, {"per_item": 2}, 10) == Decimal("6.00")
    assert indicators.score(
        yoy, indicators.IndicatorValue(Decimal(1), compare=Decimal(2)), {}, 10
    ) == Decimal("10.00")


def test_quarter_scores_veto_and_ranking(records):
    scheme = f.scheme(records)
    services.compute_period(scheme, 1)
    a = Evaluation.objects.get(scheme=scheme, body=records.town_a_org, quarter=1)
    b = Evaluation.objects.get(scheme=scheme, body=records.town_b_org, quarter=1)
    points = {s.indicator.name: s.points for s in a.items.select_related("indicator")}
    # A: 5 + 2.5 + (10 − 5) + (10 − 2) + (10 − 1) + manual not yet scored (0) = 29.5 of 60 → 49.17
    assert points == {
        "隐患整改率": Decimal("5.00"),
        "隐患销号率": Decimal("2.50"),
        "重大事故隐患逾期": Decimal("5.00"),
        "事故起数同比": Decimal("8.00"),
        "死亡人数同比": Decimal("9.00"),
        "宣传教育培训": None,
    }
    assert a.total == Decimal("49.17") and a.grade == "fail" and not a.vetoed
    # The reviewer scores the manual item with evidence; A rises to 37.5/60 = 62.5 → 合格.
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = ItemScore.objects.get(evaluation=a, indicator__name="宣传教育培训")
    services.score_manual_item(
        sheet, "8", "培训台账齐全", SimpleUploadedFile("台账.pdf", b"%PDF-1.4"), records.office
    )
    sheet_b = ItemScore.objects.get(evaluation=b, indicator__name="宣传教育培训")
    services.score_manual_item(sheet_b, "10", "", SimpleUploadedFile("b.pdf", b"%PDF-1.4"), records.office)
    services.compute_period(scheme, 1)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.total, a.grade, a.rank) == (Decimal("62.50"), "pass", 1)
    # B: 10 + 10 + 10 + 8 + (10 − 3) + 10 = 55/60 = 91.67 — 优秀 by score, but a 较大 accident vetoes it.
    assert b.total == Decimal("91.67")
    assert b.vetoed and b.grade == "fail" and b.rank == 2
    assert "乙镇坍塌" in b.veto_reasons[0]


def test_veto_ignores_accidents_found_non_liability(records):
    from anjian.accidents.models import Accident, Investigation

    accident = Accident.objects.get(title="乙镇坍塌")
    Investigation.objects.create(
        accident=accident,
        level="city",
        body="调查组",
        started_on=date(2026, 3, 4),
        deadline=date(2026, 5, 3),
        nature="non_liability",
    )
    scheme = f.scheme(records)
    services.compute_period(scheme, 1)
    assert not Evaluation.objects.get(scheme=scheme, body=records.town_b_org, quarter=1).vetoed


def test_year_end_combines_process_average_and_result(records):
    scheme = f.scheme(records, with_veto=False)
    services.compute_period(scheme, 1)
    services.compute_period(scheme, 0)
    a = Evaluation.objects.get(scheme=scheme, body=records.town_a_org, quarter=0)
    # process: the Q1 score (49.17, only quarter computed); result: 2026 closure rate of A = 1/4 → 25.00.
    assert a.process_score == Decimal("49.17") and a.result_score == Decimal("25.00")
    assert a.total == Decimal("34.67")  # 49.17 × 40% + 25 × 60%


def test_manual_score_refuses_points_above_max_and_missing_evidence(records):
    from django.core.exceptions import ValidationError

    scheme = f.scheme(records)
    services.compute_period(scheme, 1)
    sheet = ItemScore.objects.get(evaluation__body=records.town_a_org, indicator__name="宣传教育培训")
    with pytest.raises(ValidationError, match="0～10"):
        services.score_manual_item(sheet, "11", "", None, records.office)
    with pytest.raises(ValidationError, match="佐证材料"):
        services.score_manual_item(sheet, "5", "", None, records.office)
    computed = ItemScore.objects.filter(
        evaluation__body=records.town_a_org, indicator__method="computed"
    ).first()
    with pytest.raises(ValidationError):
        services.score_manual_item(computed, "5", "", None, records.office)
