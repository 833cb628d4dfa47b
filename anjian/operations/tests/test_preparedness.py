from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from anjian.operations import services
from anjian.operations.models import (
    EmergencyPlan,
    PublicityActivity,
    RescueTeam,
    Supply,
    TrainingAttendee,
    TrainingSession,
)

LISTS = [
    "/operations/emergency/plans/",
    "/operations/emergency/drills/",
    "/operations/emergency/supplies/",
    "/operations/emergency/teams/",
    "/operations/training/",
    "/operations/publicity/",
    "/operations/duty/rosters/",
    "/operations/duty/log/",
    "/operations/warnings/",
    "/operations/warnings/rules/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("user", "status"), [("office", 200), ("leader", 200), ("sys_admin", 403), ("audit_admin", 403)]
)
def test_list_pages_and_exports(cast, client_for, url, user, status):
    client = client_for(getattr(cast, user))
    assert client.get(url).status_code == status
    if status == 200:
        export = client.get(url + "?export=xlsx")
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.django_db
def test_plan_review_warning_and_scope(cast, client_for):
    old = EmergencyPlan.objects.create(
        title="老预案",
        owner="government",
        organisation=cast.yingji,
        territory=cast.district,
        kind="comprehensive",
        level="区级",
        revised_on=timezone.localdate() - timedelta(days=4 * 365),
    )
    page = client_for(cast.office).get(old.get_absolute_url())
    assert any("满三年" in text for _, text in page.context["notes"])
    ent = EmergencyPlan.objects.create(
        title="企业预案",
        owner="enterprise",
        enterprise=cast.enterprise_a,
        territory=cast.village_a,
        kind="onsite",
        level="企业级",
        revised_on=timezone.localdate(),
    )
    assert client_for(cast.enterprise_a_user).get(ent.get_absolute_url()).status_code == 200
    assert client_for(cast.enterprise_b_user).get(ent.get_absolute_url()).status_code == 404
    assert client_for(cast.town_b_user).get(ent.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_plan_form_validation(cast, client_for):
    response = client_for(cast.office).post(
        "/operations/emergency/plans/add/",
        {
            "title": "x",
            "owner": "enterprise",
            "territory": cast.district.pk,
            "kind": "special",
            "level": "区级",
            "filing_status": "filed",
            "revised_on": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"enterprise", "filed_on"}
    assert not EmergencyPlan.objects.exists()


@pytest.mark.django_db
def test_nearby_same_town_first(cast, client_for):
    RescueTeam.objects.create(name="乙镇救援队", tier="social", territory=cast.town_b, leader="x", phone="1")
    RescueTeam.objects.create(
        name="甲镇救援队", tier="comprehensive", territory=cast.village_a, leader="y", phone="2"
    )
    Supply.objects.create(
        name="沙袋", category="防汛", territory=cast.town_a, location="甲镇仓库", quantity=10
    )
    groups = services.nearby(RescueTeam, cast.village_a)
    assert [t.name for t in groups[0][1]] == ["甲镇救援队"] and [t.name for t in groups[1][1]] == [
        "乙镇救援队"
    ]
    page = client_for(cast.office).get("/operations/emergency/nearby/", {"town": cast.town_a.pk})
    labels = [label for label, _ in page.context["groups"]]
    assert labels[0].startswith("救援队伍 · 本镇") and page.context["groups"][2][1][0].name == "沙袋"


@pytest.mark.django_db
def test_training_counts_for_assessment(cast, client_for):
    s = TrainingSession.objects.create(
        topic="t",
        audience="workers",
        organiser=cast.town_a_org,
        territory=cast.town_a,
        held_on=date(2026, 6, 10),
        hours=Decimal("8"),
        attendee_count=40,
    )
    TrainingAttendee.objects.create(session=s, name="a", certificate_no="C1")
    TrainingSession.objects.create(
        topic="t2",
        audience="officials",
        organiser=cast.town_b_org,
        territory=cast.town_b,
        held_on=date(2026, 6, 11),
        hours=Decimal("4"),
        attendee_count=10,
    )
    PublicityActivity.objects.create(
        title="安全生产月",
        kind="safety_month",
        organiser=cast.town_a_org,
        territory=cast.village_a,
        held_on=date(2026, 6, 16),
        participants=300,
        materials=500,
    )
    PublicityActivity.objects.create(
        title="去年",
        kind="into_school",
        organiser=cast.town_a_org,
        territory=cast.village_a,
        held_on=date(2025, 6, 16),
        participants=1,
    )
    counts = services.training_counts(cast.town_a, date(2026, 1, 1), date(2026, 12, 31))
    assert (
        counts["training_sessions"] == 1
        and counts["training_attendees"] == 40
        and counts["certificates"] == 1
    )
    assert counts["publicity_activities"] == 1 and counts["publicity_by_kind"] == {"safety_month": 1}
    district = services.training_counts(cast.district, date(2026, 1, 1), date(2026, 12, 31))
    assert district["training_sessions"] == 2 and district["training_hours"] == Decimal("12")
    page = client_for(cast.office).get(
        "/operations/training/counts/",
        {"territory": cast.town_a.pk, "start": "2026-01-01", "end": "2026-12-31"},
    )
    assert page.context["counts"]["training_sessions"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "payload_fn"),
    [
        (
            "supplies",
            lambda c: {
                "name": "沙袋",
                "category": "防汛",
                "territory": c.town_a.pk,
                "location": "仓库",
                "quantity": 5,
            },
        ),
        (
            "rescue-teams",
            lambda c: {"name": "队", "tier": "social", "territory": c.town_a.pk, "leader": "x", "phone": "1"},
        ),
        (
            "publicity",
            lambda c: {
                "title": "进企业",
                "kind": "into_enterprise",
                "organiser": c.town_a_org.pk,
                "territory": c.town_a.pk,
                "held_on": "2026-06-01",
            },
        ),
    ],
)
def test_api_permission_matrix(cast, api_for, endpoint, payload_fn):
    url = f"/api/operations/{endpoint}/"
    payload = payload_fn(cast)
    assert api_for(cast.leader).post(url, payload, format="json").status_code == 403
    assert api_for(cast.sys_admin).get(url).status_code == 403
    # town B may not create records in town A (scope re-check)
    assert api_for(cast.town_b_user).post(url, payload, format="json").status_code == 400
    response = api_for(cast.town_a_user).post(url, payload, format="json")
    assert response.status_code == 201, response.content
    assert api_for(cast.office).get(url).json()["results"][0]["id"] == response.json()["id"]
    assert api_for(cast.town_b_user).get(url).json()["results"] == []


@pytest.mark.django_db
def test_drill_issues_become_hazards_once(cast, client_for):
    from anjian.hazards.models import Hazard
    from anjian.operations.models import Drill

    plan = EmergencyPlan.objects.create(
        title="企业预案",
        owner="enterprise",
        enterprise=cast.enterprise_a,
        territory=cast.village_a,
        kind="onsite",
        level="企业级",
        revised_on=timezone.localdate(),
    )
    drill = Drill.objects.create(
        plan=plan,
        territory=cast.village_a,
        enterprise=cast.enterprise_a,
        held_on=timezone.localdate(),
        issues="应急照明不亮\n\n洗眼器无水",
    )
    client = client_for(cast.enterprise_a_user)
    assert client.get(drill.get_absolute_url()).context["pending_issues"] == 2
    assert client.post(f"/operations/emergency/drills/{drill.pk}/hazards/").status_code == 302
    assert Hazard.objects.filter(enterprise=cast.enterprise_a, source="self_check").count() == 2
    client.post(f"/operations/emergency/drills/{drill.pk}/hazards/")
    assert Hazard.objects.count() == 2
    # enterprise B cannot touch A's drill
    assert (
        client_for(cast.enterprise_b_user)
        .post(f"/operations/emergency/drills/{drill.pk}/hazards/")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_plan_review_and_tip_deadlines(cast):
    from anjian.operations import deadlines, services

    old = EmergencyPlan.objects.create(
        title="老预案",
        owner="government",
        organisation=cast.yingji,
        territory=cast.district,
        kind="comprehensive",
        level="区级",
        revised_on=date(2022, 1, 10),
    )
    EmergencyPlan.objects.create(
        title="新预案",
        owner="government",
        organisation=cast.yingji,
        territory=cast.district,
        kind="special",
        level="区级",
        revised_on=date(2025, 1, 10),
    )
    now = timezone.make_aware(timezone.datetime(2026, 1, 1, 12))
    items = list(deadlines.deadline_items("plan.review", now))
    assert [i.obj for i in items] == [old] and items[0].due_at.date() == date(2025, 1, 10)
    tip, _ = services.submit_tip(data={"content": "x", "territory": cast.town_b, "anonymous": True})
    services.assign_tip(cast.office, tip, organisation=cast.town_b_org, due_date=timezone.localdate())
    items = list(deadlines.deadline_items("tip.handle", timezone.now() + timedelta(days=1)))
    assert [i.obj for i in items] == [tip] and cast.town_b_user in items[0].responsible
    todo = list(deadlines.todo_items(cast.town_b_user))
    assert any(t.action == "核查" for t in todo)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/operations/warnings/",
        "/operations/warnings/notices/",
        "/operations/emergency/teams/",
        "/operations/tips/",
        "/operations/duty/",
    ],
)
def test_list_pages_have_no_n_plus_one(cast, client_for, url):
    """The number of queries does not grow with the number of rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.operations import services
    from anjian.operations.data import seed
    from anjian.operations.models import WeatherWarning

    seed()
    client = client_for(cast.office)

    def add_rows(n):
        now = timezone.now()
        for i in range(n):
            w = WeatherWarning.objects.create(
                warning_type="rainstorm",
                level="red",
                title=f"w{i}",
                starts_at=now,
                ends_at=now + timedelta(hours=1),
                territory=cast.district,
            )
            w.areas.set([cast.town_a, cast.town_b])
            services.issue_warning(cast.office, w)
            RescueTeam.objects.create(
                name=f"队{i}", tier="social", territory=cast.town_a, leader="x", phone="1"
            )
            services.submit_tip(
                data={"content": "x", "territory": cast.town_a, "anonymous": True, "urgent": True}
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add_rows(1)
    client.get(url)  # warm caches (permissions, menu)
    few = count()
    add_rows(6)
    many = count()
    # the duty desk counts acknowledgements per active warning (one aggregate each, at most 20 warnings)
    allowed = 6 if url == "/operations/duty/" else 0
    assert many <= few + allowed, (few, many)


@pytest.mark.django_db
def test_add_team_member_and_attendee_within_scope(cast, client_for):
    team = RescueTeam.objects.create(
        name="甲镇队", tier="comprehensive", territory=cast.town_a, leader="x", phone="1"
    )
    session = TrainingSession.objects.create(
        topic="t",
        audience="workers",
        organiser=cast.town_a_org,
        territory=cast.town_a,
        held_on=date(2026, 6, 1),
        hours=Decimal("2"),
    )
    assert (
        client_for(cast.town_b_user)
        .post(f"/operations/emergency/teams/{team.pk}/members/", {"name": "a"})
        .status_code
        == 404
    )
    assert (
        client_for(cast.leader)
        .post(f"/operations/emergency/teams/{team.pk}/members/", {"name": "a"})
        .status_code
        == 403
    )
    client = client_for(cast.town_a_user)
    assert (
        client.post(
            f"/operations/emergency/teams/{team.pk}/members/", {"name": "王五", "skills": "急救"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/operations/training/{session.pk}/attendees/",
            {"name": "赵六", "passed": "on", "certificate_no": "C9", "certificate_expiry": "2029-06-01"},
        ).status_code
        == 302
    )
    assert team.members.get().skills == "急救"
    assert session.attendees.get().certificate_expiry == date(2029, 6, 1)
    page = client.get(team.get_absolute_url()).content.decode()
    assert "王五" in page
