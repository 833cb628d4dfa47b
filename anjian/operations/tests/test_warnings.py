from datetime import date, timedelta

import pytest
from django.utils import timezone

from anjian.operations import deadlines, services
from anjian.operations.data import seed
from anjian.operations.models import ExposureRule, WarningNotice, WeatherWarning
from anjian.registry.models import Enterprise


def make_warning(cast, warning_type="rainstorm", level="orange", areas=None):
    now = timezone.now()
    w = WeatherWarning.objects.create(
        warning_type=warning_type,
        level=level,
        title=f"{warning_type} 预警",
        starts_at=now,
        ends_at=now + timedelta(hours=24),
        territory=cast.district,
    )
    w.areas.set(areas or [cast.district])
    return w


@pytest.fixture
def units(cast):
    seed()
    make = Enterprise.objects.create
    sectors = {s.code: s for s in __import__("anjian.core.models", fromlist=["Sector"]).Sector.objects.all()}
    mine = make(name="甲镇矿山", credit_code="91990102MA0000001X", territory=cast.village_a)
    mine.sectors.set([sectors["nonCoalMine"]])
    closed_site = make(
        name="停产工地", credit_code="91990102MA0000002X", territory=cast.village_a, status="suspended"
    )
    closed_site.sectors.set([sectors["construction"]])
    forest = make(name="甲镇林场", credit_code="91990102MA0000003X", territory=cast.town_a)
    forest.sectors.set([sectors["forestFire"]])
    outside = make(name="邻区工地", credit_code="91990103MA0000004X", territory=cast.other_district)
    outside.sectors.set([sectors["construction"]])
    return {"mine": mine, "closed": closed_site, "forest": forest, "outside": outside}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("warning_type", "level", "area", "expected"),
    [
        # 暴雨 -> 尾矿库、非煤矿山、建筑施工: the mine and B's site; not the suspended site, the forest, A (危化) or outside.
        ("rainstorm", "blue", "district", {"mine", "b"}),
        ("rainstorm", "red", "town_a", {"mine"}),
        ("rainstorm", "red", "town_b", {"b"}),
        ("forest_fire", "yellow", "district", {"forest"}),
        # 高温 starts at orange and includes 危化 (A) and 建筑 (B)
        ("heat", "yellow", "district", set()),
        ("heat", "orange", "district", {"a", "b"}),
        ("smog", "red", "district", set()),
    ],
)
def test_exposed_units_are_exactly_those_the_rules_say(cast, units, warning_type, level, area, expected):
    warning = make_warning(cast, warning_type, level, [getattr(cast, area)])
    qs, _ = services.exposed_enterprises(warning)
    names = {"a": cast.enterprise_a, "b": cast.enterprise_b, **units}
    assert set(qs) == {names[k] for k in expected}


@pytest.mark.django_db
def test_rules_are_data(cast, units):
    rule = ExposureRule.objects.get(warning_type="forest_fire")
    rule.sectors.add(cast.hazchem)
    warning = make_warning(cast, "forest_fire", "blue")
    qs, _ = services.exposed_enterprises(warning)
    assert set(qs) == {units["forest"], cast.enterprise_a}


@pytest.mark.django_db
def test_issue_ack_and_escalation(cast, units, client_for):
    warning = make_warning(cast, "rainstorm", "orange")
    assert services.issue_warning(cast.office, warning) == 2
    assert services.issue_warning(cast.office, warning) == 0  # idempotent
    notice_b = WarningNotice.objects.get(enterprise=cast.enterprise_b)
    # orange halves the 2-hour default
    assert notice_b.ack_due_at - notice_b.sent_at == timedelta(hours=1)
    from anjian.notifications.models import Notification

    assert Notification.objects.filter(recipient=cast.enterprise_b_user, kind="warning.issued").exists()
    # enterprise B sees its notice on its home page and acknowledges it
    home = client_for(cast.enterprise_b_user).get("/").content.decode()
    assert warning.title in home
    assert (
        client_for(cast.enterprise_a_user).get(f"/operations/warnings/notices/{notice_b.pk}/").status_code
        == 404
    )
    response = client_for(cast.enterprise_b_user).post(
        f"/operations/warnings/notices/{notice_b.pk}/", {"measures": "停止基坑作业"}
    )
    assert response.status_code == 302
    notice_b.refresh_from_db()
    assert notice_b.acknowledged_by == cast.enterprise_b_user
    with pytest.raises(Exception, match="已签收"):
        services.acknowledge_notice(cast.enterprise_b_user, notice_b, measures="again")
    # the office sees who has not acknowledged
    page = client_for(cast.office).get(warning.get_absolute_url())
    assert page.context["summary"] == {"total": 2, "acknowledged": 1, "overdue": 0, "pending": 1}
    # the unacknowledged unit is a deadline item with an escalation ladder
    items = list(deadlines.deadline_items("warning.acknowledge", timezone.now() + timedelta(hours=2)))
    assert [i.obj.enterprise for i in items] == [units["mine"]]
    assert cast.town_a_user in items[0].escalation[0] and cast.office in items[0].escalation[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "status"),
    [("office", 302), ("leader", 403), ("inspector", 403), ("town_a_user", 403), ("enterprise_a_user", 403)],
)
def test_only_office_records_warnings(cast, client_for, user, status):
    start = timezone.localtime()
    data = {
        "warning_type": "gale",
        "level": "yellow",
        "title": "大风黄色预警",
        "source": "区气象台",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "areas": [cast.town_a.pk],
        "territory": cast.district.pk,
        "content": "",
    }
    response = client_for(getattr(cast, user)).post("/operations/warnings/add/", data)
    assert response.status_code == status


@pytest.mark.django_db
def test_warning_period_must_be_positive(cast, client_for):
    start = timezone.localtime()
    data = {
        "warning_type": "gale",
        "level": "yellow",
        "title": "x",
        "source": "y",
        "territory": cast.district.pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
        "areas": [cast.town_a.pk],
    }
    response = client_for(cast.office).post("/operations/warnings/add/", data)
    assert response.status_code == 400 and not WeatherWarning.objects.exists()


@pytest.mark.django_db
def test_warning_api_and_notice_scope(cast, units, api_for):
    start = timezone.now()
    payload = {
        "warning_type": "rainstorm",
        "level": "red",
        "title": "暴雨红色预警",
        "source": "区气象台",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "territory": cast.district.pk,
        "areas": [cast.district.pk],
    }
    assert (
        api_for(cast.inspector).post("/api/operations/warnings/", payload, format="json").status_code == 403
    )
    response = api_for(cast.office).post("/api/operations/warnings/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api_for(cast.office).post(f"/api/operations/warnings/{pk}/issue/").json() == {"notified": 2}
    mine = api_for(cast.enterprise_b_user).get("/api/operations/warning-notices/").json()["results"]
    assert [n["enterprise"] for n in mine] == [cast.enterprise_b.pk]
    notice = mine[0]["id"]
    assert (
        api_for(cast.office)
        .post(f"/api/operations/warning-notices/{notice}/acknowledge/", {"measures": "x"})
        .status_code
        == 403
    )
    response = api_for(cast.enterprise_b_user).post(
        f"/api/operations/warning-notices/{notice}/acknowledge/", {"measures": "已撤离"}
    )
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    # inspectors see notices of their sectors only
    seen = {
        n["enterprise"]
        for n in api_for(cast.inspector_other).get("/api/operations/warning-notices/").json()["results"]
    }
    assert seen == {cast.enterprise_b.pk}


@pytest.mark.django_db
def test_duty_gaps_from_key_periods(cast, client_for):
    from anjian.notifications.models import KeyPeriod
    from anjian.operations.models import DutyRoster

    start = date(2027, 2, 1)
    KeyPeriod.objects.create(
        name="春节",
        category="spring_festival",
        year=2027,
        start_date=date(2027, 2, 5),
        end_date=date(2027, 2, 7),
        territory=cast.district,
        requires_duty=True,
    )
    roster = DutyRoster.objects.create(
        organisation=cast.office_org,
        territory=cast.district,
        title="2月",
        start_date=start,
        end_date=date(2027, 2, 28),
    )
    services.fill_roster(
        cast.office,
        roster,
        [
            {
                "date": date(2027, 2, 5),
                "leader_name": "李",
                "leader_phone": "1",
                "officer_name": "王",
                "officer_phone": "2",
            },
            {
                "date": date(2027, 2, 6),
                "leader_name": "",
                "leader_phone": "",
                "officer_name": "王",
                "officer_phone": "2",
            },
        ],
    )
    gaps = services.duty_gaps(cast.office_org, start, date(2027, 2, 28))
    assert gaps == [(date(2027, 2, 6), "缺带班领导"), (date(2027, 2, 7), "未排班")]
    # the town below the district inherits the key period
    assert services.required_duty_days(cast.town_a_org, start, date(2027, 2, 28)) == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
    ]
    page = client_for(cast.office).get(roster.get_absolute_url())
    assert page.status_code == 200 and "未排班" in page.content.decode()
    # the roster form: a day outside the roster is refused and nothing is saved
    response = client_for(cast.office).post(
        f"/operations/duty/rosters/{roster.pk}/shifts/",
        {"rows": "2027-02-07,李,1,王,2\n2027-03-09,李,1,王,2"},
    )
    assert response.status_code == 302
    assert roster.shifts.count() == 2


@pytest.mark.django_db
def test_duty_desk_shows_warnings_tips_and_accidents(cast, units, client_for):
    warning = make_warning(cast)
    services.issue_warning(cast.office, warning)
    tip, _ = services.submit_tip(
        data={"content": "紧急：燃气泄漏", "territory": cast.town_a, "anonymous": True, "urgent": True}
    )
    response = client_for(cast.office).get("/operations/duty/")
    assert response.status_code == 200
    assert warning in response.context["warnings"] and tip in list(response.context["urgent_tips"])
    assert response.context["unacked"] == 2
    assert client_for(cast.enterprise_a_user).get("/operations/duty/").status_code == 403
