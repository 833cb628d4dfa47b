"""过程考核 indicators: 督办事项按时办结率 (rate) and 督办事项逾期数 (deduct) per town and per department."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from anjian.assessment import indicators
from anjian.assessment.periods import Period, Target
from anjian.core.demo import clock_at
from anjian.supervision import services

from .factories import issue

pytestmark = pytest.mark.django_db


def test_registered():
    assert "supervision_task_on_time" in indicators.REGISTRY
    assert "supervision_task_overdue" in indicators.REGISTRY
    assert indicators.REGISTRY["supervision_task_overdue"].scoring == indicators.Scoring.DEDUCT


def test_rate_and_overdue_per_unit(cast):
    today = timezone.localdate()
    # Issued five days ago, due two days ago: 应急 reported on time and was accepted, 甲镇 reported late,
    # 住建 has not reported at all.
    with clock_at(timezone.now() - timedelta(days=5)):
        task = issue(cast, lead=[cast.yingji, cast.town_a_org, cast.zhujian], days=3)
        on_time = task.assignments.get(unit=cast.yingji)
        services.report_progress(on_time, by=cast.inspector, text="完成", final=True)
        services.accept(on_time, by=cast.office)
    late = task.assignments.get(unit=cast.town_a_org)
    services.report_progress(late, by=cast.town_a_user, text="完成", final=True)
    services.accept(late, by=cast.office)
    period = Period(today - timedelta(days=30), today + timedelta(days=30))

    district = Target.for_territory(cast.district)
    rate = indicators.compute("supervision_task_on_time", district, period)
    assert (rate.numerator, rate.denominator) == (1, 3)
    overdue = indicators.compute("supervision_task_overdue", district, period)
    assert overdue.value == Decimal(2)  # 甲镇 late, 住建 still open
    assert "supervision" in overdue.drilldown_url

    town = indicators.compute("supervision_task_overdue", Target.for_territory(cast.town_a), period)
    assert town.value == Decimal(1)
    yingji = indicators.compute("supervision_task_on_time", Target.for_body(cast.yingji), period)
    assert yingji.value == Decimal(1)
    assert f"unit={cast.yingji.pk}" in yingji.drilldown_url
    zhujian = indicators.compute("supervision_task_overdue", Target.for_body(cast.zhujian), period)
    assert zhujian.value == Decimal(1)


def test_summary_for_the_dashboard(cast, django_assert_max_num_queries):
    with clock_at(timezone.now() - timedelta(days=5)):
        issue(cast, days=1)
    done = issue(cast)
    part = done.assignments.get()
    services.report_progress(part, by=cast.inspector, text="完成", final=True)
    services.accept(part, by=cast.office)
    with django_assert_max_num_queries(3):
        summary = services.summary(cast.office)
    assert summary["open"] == 1 and summary["overdue"] == 1 and summary["completed"] == 1
    assert summary["completion_rate"] == 50.0
    assert summary["urls"]["overdue"].endswith("?overdue=true")
    assert services.summary(cast.inspector_other)["total"] == 0
