"""AC-04 ❓ 较大涉险事故 (生产安全事故信息报告和处置办法, 条文待核对): reported like accidents — the chain and 续报 of a
较大 accident — but without an accident grade and outside accident statistics, grades and assessment vetoes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import services, statistics
from anjian.accidents.models import Accident, Level
from anjian.accidents.tests.factories import file

pytestmark = pytest.mark.django_db


def near_miss(cast, **extra):
    return file(cast.office, near_miss=("trapped_3", "evacuated_500"), title="涉险：3人被困", **extra)


def test_ac04_near_miss_is_reported_like_a_larger_accident(cast):
    event = near_miss(cast)
    assert event.is_near_miss
    # 较大 chain: county → city → province (21号令 ❓), a 续报 at least once a day
    assert [h.level for h in event.hops.order_by("deadline")] == [Level.COUNTY, Level.CITY, Level.PROVINCE]
    assert event.follow_up_due - event.versions.get().reported_at == timedelta(hours=24)
    assert event.grade_display == "—（较大涉险事故）"
    assert "条文待核对" in event.record_type_display


def test_ac04_near_miss_needs_a_situation_and_no_death(cast):
    with pytest.raises(ValidationError) as exc:
        file(cast.office, near_miss=("nonsense",))
    assert "涉险情形" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        file(cast.office, near_miss=("involved_10",), deaths=1)
    assert "应按事故报告" in str(exc.value)


def test_ac04_near_misses_stay_out_of_statistics_grades_and_vetoes(cast):
    from anjian.assessment.models import VetoKind, VetoRule
    from anjian.assessment.periods import Period, Target
    from anjian.assessment.services import veto_reasons

    near_miss(cast)
    accident = file(cast.office, deaths=1, title="一般事故")
    # The one source every statistic reads (dashboard, assessment, targeting): accidents only.
    assert list(Accident.objects.all()) == [accident]
    assert Accident.reports.count() == 2
    today = timezone.localdate()
    report = statistics.build_report(
        statistics.accidents_for(cast.office), date(today.year, 1, 1), today, "grade"
    )
    assert report.total.current.count == 1
    rule = VetoRule(
        name="发生生产安全事故", kind=VetoKind.ACCIDENT_GRADE, params={"min_grade": "general"}, is_active=True
    )
    reasons = veto_reasons(
        rule, cast.office_org, Target.for_territory(cast.district), Period.year(today.year)
    )
    assert reasons and "一般事故" in reasons[0] and "涉险" not in reasons[0]


def test_ac04_a_death_reported_in_the_window_makes_it_an_accident(cast):
    event = near_miss(cast)
    services.supplement(
        cast.office,
        event,
        services.Figures(deaths=1, direct_loss=Decimal("0")),
        as_of=timezone.localdate(),
        note="被困人员1人经抢救无效死亡",
    )
    event.refresh_from_db()
    assert not event.is_near_miss and event.grade == "general"
    assert Accident.objects.filter(pk=event.pk).exists()
    # the chain now ends where a 一般 accident's does; the province hop stays on file, no longer required
    assert not event.hops.get(level=Level.PROVINCE).required


def test_ac04_list_filter_export_and_detail(cast, client_for):
    event = near_miss(cast)
    file(cast.office, deaths=1, title="一般事故")
    client = client_for(cast.office)
    url = reverse("accidents:accident_list")
    page = client.get(url, {"record_type": "near_miss"}).content.decode()
    assert "涉险：3人被困" in page and "一般事故" not in page and "条文待核对" in page
    page = client.get(url, {"grade": "general"}).content.decode()
    assert "一般事故" in page and "涉险：3人被困" not in page
    export = client.get(url, {"record_type": "near_miss", "export": "xlsx"})
    assert export.status_code == 200
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "较大涉险事故" in detail and "条文待核对" in detail and "造成3人以上被困" in detail


def test_ac04_form_and_api_file_a_near_miss(cast, client_for, api_for):
    now = timezone.localtime() - timedelta(hours=1)
    data = {
        "title": "储罐区泄漏紧急疏散",
        "unit_name": "某单位",
        "territory": cast.village_a.pk,
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
        "place": "储罐区",
        "category": "1986-03",
        "industry_group": "industry_mining_trade",
        "is_near_miss": "on",
        "summary": "泄漏",
        "deaths": 0,
        "missing": 0,
        "serious_injuries": 0,
        "minor_injuries": 0,
        "direct_loss": "0",
    }
    response = client_for(cast.office).post(reverse("accidents:accident_add"), data)
    assert response.status_code == 400 and "须选择至少一项涉险情形" in response.content.decode()
    data["near_miss_criteria"] = ["evacuated_500"]
    response = client_for(cast.office).post(reverse("accidents:accident_add"), data)
    assert response.status_code == 302
    assert Accident.reports.get(title="储罐区泄漏紧急疏散").is_near_miss

    api = api_for(cast.office)
    body = {**data, "occurred_at": now.isoformat(), "is_near_miss": True, "near_miss_criteria": ["pollution"]}
    body["title"] = "污染事件"
    response = api.post("/api/accidents/accidents/", body, format="json")
    assert response.status_code == 201, response.content
    listed = api.get("/api/accidents/accidents/", {"record_type": "near_miss"}).json()
    titles = {row["title"]: row for row in listed["results"]}
    assert titles["污染事件"]["is_near_miss"] and titles["污染事件"]["grade_display"] == "—（较大涉险事故）"
