"""Filing, grading, the report chain, 补报 and investigation through the services (not the pure rules)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anjian.accidents import services
from anjian.accidents.models import Accident, AccidentStatus, GradeChange, IndustryGroup, Level
from anjian.core.models import AuditEntry

from .factories import file, local

pytestmark = pytest.mark.django_db

# 493号令 第三条: every boundary of every criterion ("以上"含本数, "以下"不含本数).
GRADE_CASES = [
    (0, 0, "0", "general"),
    (2, 9, "9999999.99", "general"),
    (3, 0, "0", "larger"),
    (0, 10, "0", "larger"),
    (0, 0, "10000000", "larger"),
    (9, 49, "49999999.99", "larger"),
    (10, 0, "0", "major"),
    (0, 50, "0", "major"),
    (0, 0, "50000000", "major"),
    (29, 99, "99999999.99", "major"),
    (30, 0, "0", "especially_major"),
    (0, 100, "0", "especially_major"),
    (0, 0, "100000000", "especially_major"),
    (2, 10, "0", "larger"),
]


def test_filing_computes_grade_on_every_boundary(cast):
    # One cast for the whole table (fast suite); each row names itself on failure.
    for deaths, serious, loss, grade in GRADE_CASES:
        case = f"死亡{deaths} 重伤{serious} 损失{loss}"
        accident = file(cast.office, deaths=deaths, serious=serious, loss=loss)
        accident.refresh_from_db()
        assert accident.grade == grade, case
        assert accident.direct_loss == Decimal(loss), case
        assert accident.versions.get().grade == grade, case
        assert accident.grade_changes.get().new_grade == grade, case


def test_grade_changes_when_figures_change_in_window(cast):
    accident = file(cast.office, deaths=2, occurred_at=timezone.now() - timedelta(days=3))
    assert accident.grade == "general"
    services.supplement(cast.office, accident, services.Figures(deaths=3), as_of=timezone.localdate())
    accident.refresh_from_db()
    assert accident.grade == "larger" and accident.deaths == 3
    changes = list(accident.grade_changes.order_by("id").values_list("old_grade", "new_grade"))
    assert changes == [("", "general"), ("general", "larger")]
    # 493号令 第二十条第二款: 较大 is investigated by the city, so the city may take over.
    assert accident.grade_changes.last().takeover_possible


def test_loss_boundary_via_supplement_lowers_and_raises(cast):
    accident = file(cast.office, loss="9999999.99", occurred_at=timezone.now() - timedelta(days=3))
    today = timezone.localdate()
    services.supplement(cast.office, accident, services.Figures(direct_loss=Decimal("10000000")), as_of=today)
    accident.refresh_from_db()
    assert accident.grade == "larger"
    services.supplement(cast.office, accident, services.Figures(direct_loss=Decimal("9000000")), as_of=today)
    accident.refresh_from_db()
    assert accident.grade == "general"
    # the province hop added for 较大 is kept but no longer required
    hop = accident.hops.get(level=Level.PROVINCE)
    assert hop.required is False


def test_enterprise_user_files_own_unit_and_county_hop_is_received(cast):
    accident = file(cast.enterprise_a_user, deaths=1, enterprise=cast.enterprise_b)
    assert accident.enterprise == cast.enterprise_a  # never another unit
    assert accident.territory == cast.enterprise_a.territory
    county = accident.hops.get(level=Level.COUNTY)
    assert county.received_at is not None


def test_leader_and_outsider_cannot_file(cast):
    with pytest.raises(PermissionDenied):
        file(cast.leader)
    with pytest.raises(PermissionDenied):  # in role but out of scope: the write is refused
        file(cast.outsider_office, territory=cast.town_a)


def test_inspector_cannot_file_outside_their_sector(cast):
    with pytest.raises(PermissionDenied):
        file(cast.inspector, territory=cast.town_a, sector=cast.construction)
    accident = file(cast.inspector, territory=cast.town_a, sector=cast.hazchem)
    assert accident.pk


def test_future_occurrence_refused(cast):
    with pytest.raises(ValidationError):
        file(cast.office, occurred_at=timezone.now() + timedelta(hours=1))
    assert not Accident.objects.exists()


# ---- report chain and deadlines (493号令 第九、十、十一条) -------------------------------------------------


def test_chain_deadlines_for_general_and_larger(cast):
    t0 = local(2026, 3, 1, 8, 0)
    general = file(cast.office, occurred_at=t0)
    assert [(h.level, h.deadline) for h in general.hops.order_by("deadline")] == [
        (Level.COUNTY, t0 + timedelta(hours=1)),
        (Level.CITY, t0 + timedelta(hours=3)),
    ]
    larger = file(cast.office, deaths=3, occurred_at=t0)
    assert [h.deadline - t0 for h in larger.hops.order_by("deadline")] == [
        timedelta(hours=1),
        timedelta(hours=3),
        timedelta(hours=5),
    ]
    major = file(cast.office, deaths=10, occurred_at=t0)
    assert major.hops.count() == 4
    assert major.hops.get(level=Level.NATIONAL).deadline == t0 + timedelta(hours=7)


@pytest.mark.parametrize(
    ("minutes", "late"),
    [(59, False), (60, False), (61, True)],
)
def test_county_late_flag_at_one_hour(cast, minutes, late):
    t0 = local(2026, 3, 1, 8, 0)
    accident = file(cast.office, occurred_at=t0)
    hop = accident.hops.get(level=Level.COUNTY)
    hop = services.record_hop(cast.office, hop, received_at=t0 + timedelta(minutes=minutes))
    assert hop.late is late
    # the city now counts its 2 hours from the county's actual receipt (第十一条)
    city = accident.hops.get(level=Level.CITY)
    assert city.deadline == t0 + timedelta(minutes=minutes) + timedelta(hours=2)


def test_city_late_and_order_enforced(cast):
    t0 = local(2026, 3, 1, 8, 0)
    accident = file(cast.office, occurred_at=t0)
    city = accident.hops.get(level=Level.CITY)
    with pytest.raises(ValidationError):
        services.record_hop(cast.office, city, received_at=t0 + timedelta(hours=1))
    county = accident.hops.get(level=Level.COUNTY)
    services.record_hop(cast.office, county, received_at=t0 + timedelta(minutes=30))
    city = services.record_hop(cast.office, city, received_at=t0 + timedelta(hours=2, minutes=31))
    assert city.late is True
    assert AuditEntry.objects.filter(action="accident.hop_recorded", message__contains="迟报").exists()
    with pytest.raises(ValidationError):
        services.record_hop(cast.office, city, received_at=t0 + timedelta(hours=2))


def test_grade_rise_adds_province_hop_counted_from_the_supplement(cast):
    t0 = timezone.now() - timedelta(days=2)
    accident = file(cast.office, deaths=2, occurred_at=t0, county_received_at=t0 + timedelta(minutes=20))
    before = timezone.now()
    services.supplement(cast.office, accident, services.Figures(deaths=3), as_of=timezone.localdate())
    province = accident.hops.get(level=Level.PROVINCE)
    assert province.required
    assert province.deadline >= before + timedelta(hours=2)
    assert province.deadline <= timezone.now() + timedelta(hours=2)


def test_hop_overdue_and_todo(cast):
    from anjian.accidents.deadlines import deadline_items, todo_items

    accident = file(cast.office, occurred_at=timezone.now() - timedelta(hours=5))
    county = accident.hops.get(level=Level.COUNTY)
    assert services.hop_overdue(county)
    titles = [item.title for item in todo_items(cast.office)]
    assert any("报县级" in t for t in titles)
    assert todo_items(cast.leader) == []
    assert todo_items(cast.town_b_user) == []  # another town's accident
    items = list(deadline_items("accident.report", timezone.now()))
    assert {i.obj.level for i in items} == {Level.COUNTY, Level.CITY}  # t0+1h and t0+3h both passed


# ---- 补报 (493号令 第十三条) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "day", "counts"),
    [
        (IndustryGroup.INDUSTRY_MINING_TRADE, 30, True),
        (IndustryGroup.INDUSTRY_MINING_TRADE, 31, False),
        (IndustryGroup.ROAD_TRAFFIC, 7, True),
        (IndustryGroup.ROAD_TRAFFIC, 8, False),
        (IndustryGroup.FIRE, 7, True),
        (IndustryGroup.FIRE, 8, False),
    ],
)
def test_supplement_window(cast, group, day, counts):
    occurred = timezone.now() - timedelta(days=40)
    accident = file(cast.office, deaths=2, occurred_at=occurred, group=group)
    as_of = timezone.localdate(occurred) + timedelta(days=day)
    version = services.supplement(cast.office, accident, services.Figures(deaths=3), as_of=as_of)
    accident.refresh_from_db()
    assert version.counts is counts
    assert version.grade == "larger"  # the version records what its figures would mean
    assert accident.deaths == (3 if counts else 2)
    assert accident.grade == ("larger" if counts else "general")
    assert accident.versions.count() == 2  # never overwritten
    assert accident.versions.get(number=1).deaths == 2


@pytest.mark.parametrize(
    ("group", "kind", "days"),
    [
        (IndustryGroup.INDUSTRY_MINING_TRADE, "road_traffic", 7),  # a company truck on the road: 7 days
        (IndustryGroup.INDUSTRY_MINING_TRADE, "fire", 7),
        (IndustryGroup.INDUSTRY_MINING_TRADE, "other", 30),
        (IndustryGroup.ROAD_TRAFFIC, "other", 7),  # the group names the kind
        (IndustryGroup.FIRE, "other", 7),
    ],
)
def test_supplement_window_follows_the_kind_not_the_group(cast, group, kind, days):
    """493号令 第十三条第二款: the 7-day window is for 道路交通事故、火灾事故, whatever group they are filed under."""
    accident = file(cast.office, deaths=1, group=group, kind=kind)
    accident.refresh_from_db()
    assert accident.supplement_until == timezone.localdate(accident.occurred_at) + timedelta(days=days)
    if group != IndustryGroup.INDUSTRY_MINING_TRADE:
        assert accident.kind == group


def test_late_version_recorded_but_earlier_valid_version_stays(cast):
    occurred = timezone.now() - timedelta(days=40)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    start = timezone.localdate(occurred)
    services.supplement(cast.office, accident, services.Figures(deaths=2), as_of=start + timedelta(days=10))
    services.supplement(cast.office, accident, services.Figures(deaths=4), as_of=start + timedelta(days=35))
    accident.refresh_from_db()
    assert accident.deaths == 2 and accident.grade == "general"
    assert list(accident.versions.values_list("counts", flat=True)) == [True, True, False]
    assert AuditEntry.objects.filter(action="accident.supplemented_late").count() == 1
    assert GradeChange.objects.filter(accident=accident).count() == 1


def test_supplement_validation(cast):
    accident = file(cast.office, deaths=1, occurred_at=timezone.now() - timedelta(days=3))
    with pytest.raises(ValidationError):
        services.supplement(
            cast.office, accident, services.Figures(deaths=2), as_of=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.supplement(
            cast.office, accident, services.Figures(deaths=2), as_of=timezone.localdate() - timedelta(days=10)
        )
    with pytest.raises(ValidationError):  # nothing changed
        services.supplement(cast.office, accident, services.Figures(deaths=1), as_of=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.supplement(cast.leader, accident, services.Figures(deaths=2), as_of=timezone.localdate())
    with pytest.raises(PermissionDenied):  # enterprise B may not touch an accident it cannot see
        services.supplement(
            cast.enterprise_b_user, accident, services.Figures(deaths=2), as_of=timezone.localdate()
        )
    assert accident.versions.count() == 1


# ---- investigation (493号令 第十九、二十七、二十九条) -------------------------------------------------------


def test_investigation_deadline_extension_and_appraisal(cast):
    occurred = local(2026, 3, 1, 8, 0)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    inv = services.open_investigation(
        cast.office, accident, body="测试区事故调查组", started_on=occurred.date()
    )
    assert inv.level == Level.COUNTY
    assert inv.deadline == occurred.date() + timedelta(days=60)
    accident.refresh_from_db()
    assert accident.status == AccidentStatus.INVESTIGATING
    with pytest.raises(ValidationError):
        services.extend_investigation(cast.office, inv, days=61, reason="复杂")
    inv = services.extend_investigation(cast.office, inv, days=60, reason="经区政府批准")
    assert inv.deadline == occurred.date() + timedelta(days=120)
    with pytest.raises(ValidationError):  # only one extension
        services.extend_investigation(cast.office, inv, days=1, reason="再延")
    inv = services.set_appraisal_days(cast.office, inv, days=15)
    assert inv.deadline == occurred.date() + timedelta(days=135)


def test_investigating_level_by_grade_and_entrusting(cast):
    occurred = timezone.now() - timedelta(days=5)
    larger = file(cast.office, deaths=3, occurred_at=occurred)
    inv = services.open_investigation(cast.office, larger, body="市调查组", started_on=timezone.localdate())
    assert inv.level == Level.CITY
    injured = file(cast.office, minor=1, occurred_at=occurred)
    with pytest.raises(ValidationError):  # 第十九条第三款: only without casualties
        services.open_investigation(
            cast.office, injured, body="单位", started_on=timezone.localdate(), unit_entrusted=True
        )
    no_casualty = file(cast.office, loss="50000", occurred_at=occurred)
    inv = services.open_investigation(
        cast.office, no_casualty, body="单位", started_on=timezone.localdate(), unit_entrusted=True
    )
    assert inv.unit_entrusted


def test_submit_requires_findings_and_four_checks_then_close(cast):
    occurred = timezone.now() - timedelta(days=20)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    inv = services.open_investigation(
        cast.office, accident, body="调查组", started_on=timezone.localdate(occurred)
    )
    with pytest.raises(ValidationError, match="责任倒查"):
        services.submit_report(cast.office, inv, submitted_on=timezone.localdate())
    services.update_findings(
        cast.office,
        inv,
        {
            "findings": "违章作业",
            "nature": "liability",
            "investment_ok": True,
            "deployment_ok": True,
            "supervision_ok": False,
            "urging_ok": False,
            "follow_up": "立案处罚\n约谈企业主要负责人",
        },
    )
    assert AuditEntry.objects.filter(action="accident.review_recorded", message__contains="监督管理").exists()
    inv.refresh_from_db()
    assert inv.follow_up_items == ["立案处罚", "约谈企业主要负责人"]
    services.add_party(
        cast.office, inv, {"kind": "person", "name": "张三", "position": "班长", "responsibility": "direct"}
    )
    with pytest.raises(PermissionDenied):  # 结案 is the office's
        services.close_accident(cast.inspector, accident, closed_on=timezone.localdate())
    services.submit_report(cast.office, inv, submitted_on=timezone.localdate())
    with pytest.raises(ValidationError):  # deadline frozen once submitted
        services.extend_investigation(cast.office, inv, days=10, reason="x")
    services.close_accident(cast.office, accident, closed_on=timezone.localdate())
    accident.refresh_from_db()
    assert accident.status == AccidentStatus.CLOSED
    with pytest.raises(ValidationError):
        services.supplement(cast.office, accident, services.Figures(deaths=2), as_of=timezone.localdate())


def test_transitions_refuse_wrong_state(cast):
    accident = file(cast.office)
    with pytest.raises(ValidationError):
        services.close_accident(cast.office, accident, closed_on=timezone.localdate())


def test_investigation_deadline_items(cast):
    from anjian.accidents.deadlines import deadline_items, todo_items

    occurred = timezone.now() - timedelta(days=70)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    services.open_investigation(cast.office, accident, body="调查组", started_on=timezone.localdate(occurred))
    items = list(deadline_items("accident.investigation", timezone.now()))
    assert [i.obj.accident_id for i in items] == [accident.pk]
    todo = [t for t in todo_items(cast.office) if t.action == "调查"]
    assert todo and todo[0].overdue


def test_supplement_window_deadline_items(cast):
    from anjian.accidents.deadlines import DEADLINE_KINDS, deadline_items

    assert set(DEADLINE_KINDS) == {
        "accident.report",
        "accident.supplement",
        "accident.followup",
        "accident.investigation",
    }
    road = file(cast.office, occurred_at=timezone.now() - timedelta(days=3), group=IndustryGroup.ROAD_TRAFFIC)
    other = file(cast.office, occurred_at=timezone.now() - timedelta(days=3))
    old = file(cast.office, occurred_at=timezone.now() - timedelta(days=60))
    assert road.supplement_until == timezone.localdate(road.occurred_at) + timedelta(days=7)
    assert other.supplement_until == timezone.localdate(other.occurred_at) + timedelta(days=30)
    soon = [i.obj for i in deadline_items("accident.supplement", timezone.now() + timedelta(days=6))]
    assert soon == [road]  # the 7-day window ends first; a closed window (old) is nobody's work
    later = [i.obj for i in deadline_items("accident.supplement", timezone.now() + timedelta(days=40))]
    assert later == [road, other] and old not in later
    with pytest.raises(ValueError):
        list(deadline_items("accident.unknown", timezone.now()))


def test_report_time_entered_afterwards(cast):
    occurred = timezone.now() - timedelta(days=3)
    with pytest.raises(ValidationError):
        file_at = services.Figures(deaths=1)
        services.file_accident(
            cast.office,
            Accident(
                title="x",
                unit_name="x",
                territory=cast.town_a,
                occurred_at=occurred,
                place="x",
                category="1986-03",
                summary="x",
            ),
            file_at,
            reported_at=occurred - timedelta(minutes=1),
        )
    accident = file(cast.office, deaths=2, occurred_at=occurred)
    reported = occurred + timedelta(days=2)
    version = services.supplement(
        cast.office,
        accident,
        services.Figures(deaths=3),
        as_of=timezone.localdate(reported),
        reported_at=reported,
    )
    assert version.reported_at == reported
    # the province became required when the 补报 was made: its 2 hours count from then
    assert accident.hops.get(level=Level.PROVINCE).deadline >= reported + timedelta(hours=2)
    with pytest.raises(ValidationError):
        services.supplement(
            cast.office,
            accident,
            services.Figures(deaths=4),
            as_of=timezone.localdate(),
            reported_at=occurred,
        )


def test_follow_up_reports_are_due_until_the_response_ends(cast):
    """AC-22 ❓: 续报 at least daily (twice a day for 重大/特别重大) until the emergency response ends."""
    from anjian.accidents import deadlines

    accident = file(cast.office, deaths=1)
    accident.refresh_from_db()
    first = accident.versions.get().reported_at
    assert accident.follow_up_due == first + timedelta(hours=24)
    items = list(deadlines.deadline_items("accident.followup", accident.follow_up_due))
    assert [i.obj for i in items] == [accident] and "续报" in items[0].title
    # A progress report with the same figures is a 续报 and moves the next one on.
    version = services.supplement(
        cast.office, accident, services.Figures.of(accident), as_of=timezone.localdate(), note="搜救仍在进行"
    )
    accident.refresh_from_db()
    assert version.kind == "follow_up" and accident.follow_up_due == version.reported_at + timedelta(hours=24)
    # A 重大 accident reports twice a day.
    major = file(cast.office, deaths=10)
    major.refresh_from_db()
    assert major.follow_up_due == major.versions.get().reported_at + timedelta(hours=12)
    with pytest.raises(ValidationError):
        services.end_response(cast.office, accident, ended_at=timezone.now() + timedelta(hours=1))
    services.end_response(
        cast.office, accident, ended_at=timezone.now() - timedelta(minutes=5), note="救援结束"
    )
    accident.refresh_from_db()
    assert accident.follow_up_due is None and accident.response_ended_at is not None
    later = timezone.now() + timedelta(days=3)
    assert accident not in [i.obj for i in deadlines.deadline_items("accident.followup", later)]
    assert AuditEntry.objects.filter(action="accident.response_ended", object_id=str(accident.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.end_response(cast.leader, major, ended_at=timezone.now())
