from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.committee import services
from anjian.committee.models import DutyCategory, DutyItem, DutyStatus, Membership, PostRank
from anjian.core.audit import history_for
from anjian.core.models import Organisation

D = date


def test_a_new_holder_ends_the_previous_term_and_both_are_kept(committee):
    post = services.add_post(committee, PostRank.DIRECTOR, "区长")
    first = services.appoint(post, "甲", D(2024, 1, 1), "区长")
    second = services.appoint(post, "乙", D(2025, 6, 1), "区长")
    first.refresh_from_db()
    assert first.end_date == D(2025, 6, 1) and second.end_date is None
    assert services.holders_on(committee, D(2025, 1, 1))[post.pk].name == "甲"
    assert services.holders_on(committee, D(2025, 6, 1))[post.pk].name == "乙"
    assert post.pk not in services.holders_on(committee, D(2023, 12, 31))
    actions = [e.action for e in history_for(committee)]
    assert actions.count("committee.holder_appointed") == 2 and "committee.holder_left" in actions


def test_a_successor_cannot_start_before_the_current_holder(committee):
    post = services.add_post(committee, PostRank.DEPUTY, "副区长")
    services.appoint(post, "甲", D(2025, 1, 1))
    with pytest.raises(ValidationError, match="不能早于现任"):
        services.appoint(post, "乙", D(2024, 1, 1))


def test_membership_history_and_members_on_a_day(cast, special):
    first = services.add_member(special, cast.zhujian, D(2024, 1, 1), "联络员甲", "股长", "13800000000")
    with pytest.raises(ValidationError, match="已是"):
        services.add_member(special, cast.zhujian, D(2024, 2, 1))
    services.end_membership(first, D(2025, 1, 1), "职责调整")
    again = services.add_member(special, cast.zhujian, D(2026, 1, 1))
    assert Membership.objects.filter(committee=special, organisation=cast.zhujian).count() == 2
    assert list(services.members_on(special, D(2024, 6, 1))) == [first]
    assert list(services.members_on(special, D(2025, 6, 1))) == []
    assert list(services.members_on(special, D(2026, 6, 1))) == [again]
    with pytest.raises(ValidationError, match="已退出"):
        services.end_membership(first, D(2025, 2, 1))
    messages = [e.message for e in history_for(special)]
    assert any("退出" in m and "职责调整" in m for m in messages)


def test_only_committees_take_members(cast):
    with pytest.raises(ValidationError):
        services.add_member(cast.yingji, cast.zhujian, D(2024, 1, 1))


def test_org_chart_shows_office_special_committees_and_members_as_of_a_day(cast, committee, special):
    services.add_member(committee, cast.yingji, D(2024, 1, 1))
    services.add_member(committee, cast.zhujian, D(2026, 1, 1))
    services.add_member(special, cast.yingji, D(2024, 1, 1))
    chart = services.org_chart(committee, D(2025, 1, 1))
    assert chart.office == cast.office_org
    assert [v.committee for v in chart.special_committees] == [special]
    assert [m.organisation for m in chart.members] == [cast.yingji]
    assert [m.organisation for m in chart.special_committees[0].members] == [cast.yingji]


def test_responsible_units_follow_the_sector_mapping(cast):
    assert services.responsible_units(cast.hazchem, cast.village_a) == [cast.yingji]
    assert services.responsible_units(cast.construction, cast.town_b) == [cast.zhujian]
    with_local = services.responsible_units(cast.hazchem, cast.village_a, with_local_government=True)
    assert with_local == [cast.town_a_org, cast.yingji]


def test_a_unit_drafts_its_own_list_and_the_office_confirms(cast):
    item = services.save_duty_item(
        cast.inspector, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="危化品监管")
    )
    assert item.status == DutyStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.save_duty_item(
            cast.inspector_other,
            DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="越权"),
        )
    with pytest.raises(PermissionDenied):
        services.confirm_list(cast.inspector, cast.yingji)
    assert services.confirm_list(cast.office, cast.yingji) == 1
    item.refresh_from_db()
    assert item.status == DutyStatus.CONFIRMED and item.confirmed_at
    # A later edit by the unit sends it back to the office.
    item.text = "危险化学品安全监管"
    services.save_duty_item(cast.inspector, item)
    item.refresh_from_db()
    assert item.status == DutyStatus.DRAFT
    assert "committee.duty_drafted" in [e.action for e in history_for(item)]
    with pytest.raises(ValidationError, match="没有待确认"):
        services.confirm_list(cast.office, cast.zhujian)


def test_duties_of_groups_items_by_category(cast):
    for category, text in [
        (DutyCategory.SECTOR, "乙"),
        (DutyCategory.COMPREHENSIVE, "甲"),
        (DutyCategory.OTHER, "丙"),
    ]:
        services.save_duty_item(cast.office, DutyItem(organisation=cast.yingji, category=category, text=text))
    retired = services.save_duty_item(
        cast.office,
        DutyItem(organisation=cast.yingji, category=DutyCategory.OTHER, text="废", is_active=False),
    )
    duties = services.duties_of(cast.yingji)
    assert list(duties.items) == ["行业监管", "综合监管", "其他"]
    assert duties.item_count == 3 and retired not in duties.items["其他"]
    assert duties.sectors == [cast.hazchem]


def test_towns_and_enterprises_do_not_keep_lists_of_others(cast):
    with pytest.raises(PermissionDenied):
        services.save_duty_item(
            cast.town_a_user,
            DutyItem(organisation=cast.town_b_org, category=DutyCategory.TERRITORIAL, text="x"),
        )
    item = services.save_duty_item(
        cast.town_a_user,
        DutyItem(organisation=cast.town_a_org, category=DutyCategory.TERRITORIAL, text="属地"),
    )
    assert item.territory_path == cast.town_a.path


def test_sector_mapping_is_changed_by_the_office_and_audited(cast):
    with pytest.raises(PermissionDenied):
        services.set_sectors(cast.inspector, cast.yingji, [cast.construction])
    services.set_sectors(cast.office, cast.yingji, [cast.hazchem, cast.construction])
    assert set(cast.yingji.sectors.all()) == {cast.hazchem, cast.construction}
    entry = next(e for e in history_for(cast.yingji) if e.action == "committee.sectors_changed")
    assert "建筑施工" in entry.message
    with pytest.raises(ValidationError):
        services.set_sectors(cast.office, cast.town_a_org, [cast.hazchem])


def test_town_staff_read_the_committee_above_them_but_not_the_neighbours(cast, committee):
    readable = services.readable(Organisation.objects.filter(pk=committee.pk), cast.town_a_user)
    assert list(readable) == [committee]
    assert not services.readable(Organisation.objects.filter(pk=committee.pk), cast.outsider_office).exists()
    assert not services.readable(Organisation.objects.filter(pk=committee.pk), cast.grid_a_user).exists()


def test_decisions_are_numbered_and_attendance_recorded(cast, meeting):
    first = services.add_decision(meeting, "一", [cast.yingji])
    second = services.add_decision(meeting, "二")
    assert (first.number, second.number) == (1, 2)
    services.record_attendance(meeting, [cast.yingji], [cast.zhujian], "请假")
    services.record_attendance(meeting, [cast.yingji, cast.zhujian], [])
    assert meeting.attendances.filter(present=True).count() == 2
    with pytest.raises(ValidationError):
        services.record_attendance(meeting, [cast.yingji], [cast.yingji])


def test_a_decision_needs_a_deadline_and_units_before_it_becomes_a_task(cast, meeting):
    decision = services.add_decision(meeting, "排查燃气", [])
    assert services.decision_task_problem(decision) == "请先填写完成时限。"
    decision.deadline = services.today() - timedelta(days=1)
    assert "已过" in services.decision_task_problem(decision)
    decision.deadline = services.today() + timedelta(days=10)
    assert services.decision_task_problem(decision) == "请先指定牵头单位。"


@pytest.mark.skipif(not services.supervision_available(), reason="督办 app not available")
def test_a_decision_becomes_a_supervision_task_once(cast, meeting):
    decision = services.add_decision(
        meeting, "排查燃气", [cast.yingji], services.today() + timedelta(days=10)
    )
    with pytest.raises(PermissionDenied):
        services.turn_into_task(cast.leader, decision)
    task = services.turn_into_task(cast.office, decision)
    decision.refresh_from_db()
    assert decision.task_id == task.pk and decision.task_url == task.get_absolute_url()
    with pytest.raises(ValidationError, match="不能重复"):
        services.turn_into_task(cast.office, decision)
    assert "committee.decision_supervised" in [e.action for e in history_for(decision)]


def test_the_office_sees_pending_lists_and_open_decisions_on_its_todo_list(cast, meeting):
    from anjian.committee.deadlines import todo_items

    services.save_duty_item(
        cast.inspector, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="x")
    )
    services.add_decision(meeting, "排查", [cast.yingji], services.today() - timedelta(days=1))
    items = todo_items(cast.office)
    assert [i.action for i in items] == ["确认责任清单", "转为督办或跟踪落实"]
    assert items[1].overdue
    assert todo_items(cast.outsider_office) == [] and todo_items(cast.inspector) == []


def test_the_confirmed_list_indicator(cast):
    from decimal import Decimal

    from anjian.assessment.indicators import compute
    from anjian.assessment.periods import Period, Target

    period = Period(D(2026, 1, 1), D(2026, 3, 31))
    target = Target.for_body(cast.yingji)
    assert compute("committee_duty_list_confirmed_rate", target, period).value == 0
    services.save_duty_item(
        cast.office, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="a")
    )
    services.save_duty_item(
        cast.inspector, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="b")
    )
    result = compute("committee_duty_list_confirmed_rate", target, period)
    assert (result.value, result.numerator, result.denominator) == (Decimal("0.5"), 1, 2)
    town = compute("committee_duty_list_confirmed_rate", Target.for_body(cast.town_a_org), period)
    assert town.denominator == 0
