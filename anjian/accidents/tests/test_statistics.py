"""Statistics against a hand-computed fixture, including the same period last year (同比)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from anjian.accidents import services, statistics
from anjian.accidents.models import Accident, IndustryGroup

from .factories import file, local

pytestmark = pytest.mark.django_db

ROAD = IndustryGroup.ROAD_TRAFFIC
IMT = IndustryGroup.INDUSTRY_MINING_TRADE


@pytest.fixture
def fixture(cast):
    """Period: 2025-01-01..2025-06-30; last year: 2024-01-01..2024-06-30.

    this year  甲镇: A 2 deaths/1 serious/100000 (IMT, 机械伤害, hazchem); B 3 deaths → 较大 (IMT, 坍塌, construction)
               乙镇: C road, 1 death/2 serious/50000; D outside the period (2025-07-01) — excluded
    last year  甲镇: E 1 death (IMT); 乙镇: F road 0 deaths, 1 minor, 2000
    """
    o = cast.office
    file(
        o,
        title="A",
        deaths=2,
        serious=1,
        loss="100000",
        occurred_at=local(2025, 2, 3, 9),
        territory=cast.village_a,
        sector=cast.hazchem,
        category="1986-03",
    )
    file(
        o,
        title="B",
        deaths=3,
        occurred_at=local(2025, 6, 30, 23, 30),
        territory=cast.town_a,
        sector=cast.construction,
        category="1986-10",
    )
    file(
        o,
        title="C",
        deaths=1,
        serious=2,
        loss="50000",
        occurred_at=local(2025, 1, 1, 0, 10),
        territory=cast.town_b,
        group=ROAD,
        category="1986-02",
    )
    file(o, title="D", deaths=5, occurred_at=local(2025, 7, 1, 0, 0), territory=cast.town_b)
    file(o, title="E", deaths=1, occurred_at=local(2024, 3, 1, 10), territory=cast.town_a, category="1986-03")
    file(
        o,
        title="F",
        minor=1,
        loss="2000",
        occurred_at=local(2024, 6, 30, 12),
        territory=cast.town_b,
        group=ROAD,
        category="1986-02",
    )
    return cast


def _report(cast, dimension, user=None):
    queryset = statistics.accidents_for(user or cast.office)
    return statistics.build_report(
        queryset, local(2025, 1, 1).date(), local(2025, 6, 30).date(), dimension, cast.district
    )


def test_totals_and_year_on_year(fixture):
    report = _report(fixture, "territory")
    total = report.total
    assert (total.current.count, total.current.deaths, total.current.serious_injuries) == (3, 6, 3)
    assert total.current.direct_loss == Decimal("150000")
    assert total.current.larger_plus == 1
    assert (total.previous.count, total.previous.deaths, total.previous.minor_injuries) == (2, 1, 1)
    assert total.count_change == Decimal("50.0")  # (3-2)/2
    assert total.deaths_change == Decimal("500.0")  # (6-1)/1
    imt = report.industry_subtotal
    assert (imt.current.count, imt.current.deaths, imt.previous.count, imt.previous.deaths) == (2, 5, 1, 1)


def test_by_territory_groups_under_the_root(fixture):
    rows = {row.label: row for row in _report(fixture, "territory").rows}
    assert set(rows) == {"甲镇", "乙镇"}
    assert (rows["甲镇"].current.count, rows["甲镇"].current.deaths, rows["甲镇"].previous.count) == (2, 5, 1)
    assert (rows["乙镇"].current.count, rows["乙镇"].previous.count, rows["乙镇"].count_change) == (1, 1, 0)


def test_by_group_category_sector_and_grade(fixture):
    groups = {row.label: row.current.count for row in _report(fixture, "industry_group").rows}
    assert groups == {"工矿商贸": 2, "道路交通": 1}
    categories = {
        row.label: (row.current.count, row.previous.count) for row in _report(fixture, "category").rows
    }
    assert categories == {"机械伤害": (1, 1), "坍塌": (1, 0), "车辆伤害": (1, 1)}
    sectors = {row.label: row.current.count for row in _report(fixture, "sector").rows}
    assert sectors == {"危险化学品": 1, "建筑施工": 1, "未指定": 1}
    grades = {row.label: row.current.count for row in _report(fixture, "grade").rows}
    assert grades == {"一般": 2, "较大": 1}
    months = {row.label: row.current.deaths for row in _report(fixture, "month").rows}
    assert months == {"1月": 1, "2月": 2, "6月": 3, "3月": 0}


def test_statistics_respect_scope(fixture):
    report = _report(fixture, "territory", fixture.town_b_user)
    assert report.total.current.count == 1  # only C in 乙镇
    inspector = _report(fixture, "territory", fixture.inspector)
    assert inspector.total.current.count == 1  # only A (危险化学品)


def test_late_death_does_not_change_statistics(cast):
    occurred = timezone.now() - timedelta(days=40)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    services.supplement(
        cast.office,
        accident,
        services.Figures(deaths=2),
        as_of=timezone.localdate(occurred) + timedelta(days=31),
    )
    day = timezone.localdate(occurred)
    report = statistics.build_report(Accident.objects.all(), day, day, "territory", cast.district)
    assert report.total.current.deaths == 1


def test_same_day_last_year_leap():
    from datetime import date

    assert statistics.same_day_last_year(date(2024, 2, 29)) == date(2023, 2, 28)
    assert statistics.change(3, 0) is None
