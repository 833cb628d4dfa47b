"""Sparklines of the last twelve months (dashboard/trends.py) and the worst towns (metrics.worst_towns): the
series come from a few bounded grouped queries, the towns are ranked by overdue rate."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from anjian.accidents.tests.factories import file as file_accident
from anjian.assessment.tests import factories as f
from anjian.dashboard import metrics, trends
from anjian.hazards.services import refresh_overdue

TODAY = timezone.localdate()


def months_ago(n: int, day: int = 10) -> date:
    year, month = TODAY.year, TODAY.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, day)


def test_trend_months_end_with_the_given_month_across_the_new_year():
    months = trends.trend_months(date(2026, 3, 31))
    assert len(months) == 12
    assert months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1)
    assert months == sorted(set(months))


def test_monthly_series_have_twelve_months_in_three_queries(cast, django_assert_max_num_queries):
    a = cast.enterprise_a
    f.hazard(cast, a, months_ago(0), status="registered")
    f.hazard(cast, a, months_ago(0), status="closed", closed_on=TODAY)
    f.hazard(cast, a, months_ago(2), status="reported", grade="major")
    f.hazard(cast, a, months_ago(2), status="voided")  # counts nowhere
    f.hazard(cast, a, months_ago(13), status="registered")  # before the window
    file_accident(
        cast.office,
        territory=cast.village_a,
        deaths=2,
        occurred_at=timezone.make_aware(datetime.combine(months_ago(1), time(10))),
    )
    area = metrics.Area(cast.district, cast.office)
    metrics.hazards_ready()  # the table check is cached once per process
    with django_assert_max_num_queries(3):
        data = trends.monthly_trends(area, TODAY)
    for key in (
        "found",
        "found_major",
        "rectification_rate",
        "closure_rate",
        "overdue",
        "accidents",
        "deaths",
    ):
        assert len(data[key]) == 12, key
    assert data["found"][-1] == 2 and data["found"][-3] == 1 and sum(data["found"]) == 3
    assert data["found_major"][-3] == 1
    assert data["rectification_rate"][-1] == 50.0 and data["closure_rate"][-1] == 50.0
    assert data["rectification_rate"][-3] == 100.0 and data["rectification_rate"][-2] is None  # nothing found
    assert data["accidents"][-2] == 1 and data["deaths"][-2] == 2 and sum(data["accidents"]) == 1


def test_hazards_gone_overdue_are_counted_in_the_month_of_their_deadline(cast):
    a = cast.enterprise_a
    deadline = months_ago(1, day=15)
    found = deadline - timedelta(days=30)
    f.hazard(cast, a, found, status="rectifying", deadline=deadline)  # never reported: overdue
    late = f.hazard(cast, a, found, status="reported", deadline=deadline)
    on_time = f.hazard(cast, a, found, status="reported", deadline=deadline)
    f.hazard(cast, a, found, status="voided", deadline=deadline)
    f.hazard(cast, a, found, status="registered", deadline=TODAY + timedelta(days=5))  # not due yet
    f.hazard(cast, a, found, status="registered", deadline=months_ago(14))  # before the window
    aware = timezone.make_aware
    late.reported_at = aware(datetime.combine(deadline + timedelta(days=3), time(9)))
    late.save(update_fields=["reported_at"])
    on_time.reported_at = aware(datetime.combine(deadline - timedelta(days=1), time(9)))
    on_time.save(update_fields=["reported_at"])
    refresh_overdue()  # the daily scan flags the open hazard past its deadline
    months = trends.trend_months(TODAY)
    area = metrics.Area(cast.district, cast.office)
    series = trends.hazards_gone_overdue(area, months)
    assert series[-2] == 2 and sum(series) == 2
    assert trends.hazards_gone_overdue(area, months, from_rows=True) == series


def test_sparkline_geometry():
    months = trends.trend_months(date(2026, 12, 1))
    spark = trends.sparkline([0, 2, 4, None, 4, *[1] * 7], months, "每月发现隐患", "项")
    assert len(spark["segments"]) == 2  # the month without a value breaks the line
    first = [tuple(map(float, p.split(","))) for p in spark["segments"][0].split()]
    assert first[2][1] == trends.SPARK_PAD  # the highest value touches the top
    assert first[0][1] == trends.SPARK_HEIGHT - trends.SPARK_PAD  # zero sits on the bottom
    assert spark["last"][0] == trends.SPARK_WIDTH - trends.SPARK_PAD
    assert spark["text"].startswith("近12个月每月发现隐患：2026年1月 0项") and "2026年4月 —" in spark["text"]
    assert trends.sparkline([None] * 12, months, "x") is None
    lone = trends.sparkline([None] * 11 + [50.0], months, "整改率", "%")
    assert lone["segments"] == ["117.0,3.0"] and lone["dots"] == [(117.0, 3.0)]


def test_worst_towns_by_overdue_rate():
    def t(name):
        return type("T", (), {"name": name, "pk": name})()

    rows = [
        (t("甲"), {"open": 10, "overdue": 2}),  # 20%
        (t("乙"), {"open": 4, "overdue": 2}),  # 50%
        (t("丙"), {"open": 2, "overdue": 1}),  # 50%, fewer overdue than 乙
        (t("丁"), {"open": 8, "overdue": 0}),  # nothing overdue: never flagged
        (t("戊"), None),  # no hazard figures at all
        (t("己"), {"open": 3, "overdue": 3}),  # 100%
        (t("庚"), {"open": 20, "overdue": 1}),  # 5%: fourth, left out
    ]
    worst = metrics.worst_towns(rows)
    assert [(w["territory"].name, w["rank"], w["rate"]) for w in worst] == [
        ("己", 1, "100.0%"),
        ("乙", 2, "50.0%"),
        ("丙", 3, "50.0%"),
    ]
    assert metrics.worst_towns(rows[3:5]) == []


@pytest.fixture
def overdue_records(cast):
    from anjian.hazards.services import refresh_overdue

    past = TODAY - timedelta(days=20)
    for enterprise, overdue, on_time in ((cast.enterprise_a, 1, 3), (cast.enterprise_b, 2, 1)):
        for _ in range(overdue):
            f.hazard(cast, enterprise, past, status="rectifying", deadline=TODAY - timedelta(days=2))
        for _ in range(on_time):
            f.hazard(cast, enterprise, past, status="rectifying", deadline=TODAY + timedelta(days=9))
    refresh_overdue()
    return cast


def test_dashboard_marks_the_worst_towns_and_draws_sparklines(overdue_records, client_for):
    response = client_for(overdue_records.office).get("/dashboard/", {"year": TODAY.year})
    worst = response.context["worst_towns"]
    assert [(w["territory"].name, w["rate"]) for w in worst] == [("乙镇", "66.7%"), ("甲镇", "25.0%")]
    rows = {r["territory"].name: r for r in response.context["towns"]}
    assert rows["乙镇"]["worst"]["rank"] == 1 and rows["甲镇"]["worst"]["rank"] == 2
    page = response.content.decode()
    assert page.count('data-testid="worst-town"') == 2 and "逾期率第1" in page
    sparks = response.context["sparks"]
    assert set(sparks) >= {"found", "rectification_rate", "closure_rate", "overdue", "major_open"}
    assert 'data-testid="spark-found"' in page and 'data-testid="spark-overdue"' in page
    assert response.context["charts"]["towns"][1]["worst_rank"] == 1


def test_map_data_ranks_the_towns(overdue_records, client_for, django_assert_max_num_queries):
    from anjian.dashboard.boundaries import import_boundaries
    from anjian.dashboard.demo import DATA

    import_boundaries((DATA / "990102-towns.geojson").read_bytes(), level="town")  # 甲镇/乙镇 match by code
    client = client_for(overdue_records.office)
    client.get("/dashboard/map/data.json")
    with django_assert_max_num_queries(12):
        data = client.get("/dashboard/map/data.json").json()
    towns = {t["name"]: t for t in data["towns"]}
    assert towns["乙镇"]["worst_rank"] == 1 and towns["乙镇"]["overdue_rate"] == "66.7%"
    assert towns["甲镇"]["worst_rank"] == 2 and (towns["甲镇"]["open"], towns["甲镇"]["overdue"]) == (4, 1)
    assert "is_overdue=true" in towns["乙镇"]["url"]
    # A town's staff see their own town's figures only.
    mine = client_for(overdue_records.town_a_user).get("/dashboard/map/data.json").json()["towns"]
    assert {t["name"]: t["open"] for t in mine if t["open"]} == {"甲镇": 4}
