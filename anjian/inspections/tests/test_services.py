"""Task generation, 双随机, signing, completion and failed items -> hazards."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.core.models import Sector
from anjian.hazards.models import Grade, Hazard, Source
from anjian.inspections import services
from anjian.inspections.models import (
    FollowUp,
    InspectionStatus,
    InspectionTask,
    ItemResult,
    Level,
    PlanKind,
    TaskStatus,
)
from anjian.registry.models import Enterprise

from .conftest import png_data_url

pytestmark = pytest.mark.django_db


def add_enterprise(cast, name, territory, sector, code, risk_level=""):
    e = Enterprise.objects.create(name=name, credit_code=code, territory=territory)
    Enterprise.objects.filter(pk=e.pk).update(risk_level=risk_level)
    e.sectors.set([sector])
    return e


CODES = iter(f"9199010200{i:07d}X" for i in range(1, 10_000))


def more_units(cast, n, town=None, sector=None, risk=""):
    town = town or cast.village_a
    sector = sector or cast.hazchem
    return [add_enterprise(cast, f"单位{i}", town, sector, next(CODES), risk) for i in range(n)]


# --- task generation from scope rules -------------------------------------------------------------------
def test_rule_selects_sector_and_territory_and_is_idempotent(cast, make_plan):
    more_units(cast, 3)  # 甲村, 危险化学品
    more_units(cast, 2, town=cast.village_b, sector=cast.construction)
    plan = make_plan(territory=cast.town_a, sectors=[cast.hazchem], inspectors=[cast.inspector])
    assert services.generate_tasks(actor=cast.office, plan=plan) == 4  # enterprise A + 3
    assert services.generate_tasks(actor=cast.office, plan=plan) == 0  # idempotent
    tasks = InspectionTask.objects.filter(plan=plan)
    assert tasks.count() == 4
    assert {t.enterprise.territory_path[: len(cast.town_a.path)] for t in tasks} == {cast.town_a.path}
    assert all(t.sector == cast.hazchem and t.inspector == cast.inspector for t in tasks)
    assert all(t.territory_path == t.enterprise.territory_path and t.due_date == plan.end_date for t in tasks)
    # A unit added later is picked up by a second run, the others are not duplicated.
    more_units(cast, 1)
    assert services.generate_tasks(actor=cast.office, plan=plan) == 1


def test_rule_by_risk_level(cast, make_plan):
    red = more_units(cast, 2, risk="major")
    more_units(cast, 3, risk="low")
    plan = make_plan(sectors=[cast.hazchem], risk_levels=["major"])
    services.generate_tasks(actor=cast.office, plan=plan)
    assert set(plan.tasks.values_list("enterprise_id", flat=True)) == {e.pk for e in red}


def test_explicit_list_wins_and_inspectors_matched_by_sector(cast, make_plan):
    plan = make_plan(
        enterprises=[cast.enterprise_a, cast.enterprise_b], inspectors=[cast.inspector, cast.inspector_other]
    )
    services.generate_tasks(actor=cast.office, plan=plan)
    by_unit = {t.enterprise_id: t for t in plan.tasks.all()}
    # 管行业必须管安全: the 住建 inspector gets the construction unit, the 应急 inspector the chemical one.
    assert by_unit[cast.enterprise_a.pk].inspector == cast.inspector
    assert by_unit[cast.enterprise_b.pk].inspector == cast.inspector_other


def test_generation_refused_for_wrong_role_and_out_of_scope(cast, make_plan):
    plan = make_plan()
    with pytest.raises(PermissionDenied):
        services.generate_tasks(actor=cast.enterprise_a_user, plan=plan)
    with pytest.raises(PermissionDenied):
        services.generate_tasks(actor=cast.outsider_office, plan=plan)
    with pytest.raises(PermissionDenied):
        services.generate_tasks(actor=cast.leader, plan=plan)


# --- 双随机 -----------------------------------------------------------------------------------------------
def test_random_draw_is_recorded_reproducible_and_once_only(cast, make_plan):
    units = more_units(cast, 10)
    plan = make_plan(
        kind=PlanKind.RANDOM,
        sectors=[cast.hazchem],
        random_count=4,
        inspectors_per_task=2,
        inspectors=[cast.inspector, cast.inspector_other, cast.town_a_user],
    )
    assert services.draw_random(actor=cast.office, plan=plan, seed="abc123") == 4
    plan.refresh_from_db()
    assert plan.random_seed == "abc123" and plan.drawn_by == cast.office and plan.drawn_at
    assert services.verify_draw(plan)
    again = services.compute_draw("abc123", plan.draw_log["candidates"], plan.draw_log["inspectors"], 4, 2)
    assert [[u, i] for u, i in again] == plan.draw_log["result"]
    drawn_units = {u for u, _ in again}
    assert set(plan.tasks.values_list("enterprise_id", flat=True)) == drawn_units
    assert drawn_units <= {e.pk for e in units} | {cast.enterprise_a.pk}
    for task in plan.tasks.all():
        assert task.co_inspectors.count() == 1 and task.co_inspectors.get() != task.inspector
    with pytest.raises(ValidationError, match="不能重抽"):
        services.draw_random(actor=cast.office, plan=plan)
    # Tampering with the record is detected.
    plan.draw_log["result"][0][0] = -1
    assert not services.verify_draw(plan)


def test_random_plan_cannot_generate_all_tasks(cast, make_plan):
    plan = make_plan(kind=PlanKind.RANDOM, random_count=1, inspectors=[cast.inspector])
    with pytest.raises(ValidationError):
        services.generate_tasks(actor=cast.office, plan=plan)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.text(min_size=1, max_size=12),
    candidates=st.lists(st.integers(1, 10_000), min_size=1, max_size=40, unique=True),
    inspectors=st.lists(st.integers(1, 500), min_size=1, max_size=8, unique=True),
    count=st.integers(1, 50),
    per_task=st.integers(1, 3),
)
def test_compute_draw_properties(seed, candidates, inspectors, count, per_task):
    draw = services.compute_draw(seed, candidates, inspectors, count, per_task)
    # Deterministic, independent of the input order, a sample without repetition, within the pools.
    assert draw == services.compute_draw(
        seed, list(reversed(candidates)), list(reversed(inspectors)), count, per_task
    )
    units = [u for u, _ in draw]
    assert len(units) == min(count, len(candidates)) == len(set(units))
    assert set(units) <= set(candidates)
    for _, drawn in draw:
        assert len(drawn) == min(per_task, len(inspectors)) == len(set(drawn)) and set(drawn) <= set(
            inspectors
        )


# --- inspections --------------------------------------------------------------------------------------
def fill(inspection, failed_orders=(), **failed_values):
    for item in inspection.items.all():
        if item.order in failed_orders:
            item.result = ItemResult.FAIL
            item.note = f"问题{item.order}"
            for k, v in failed_values.items():
                setattr(item, k, v)
        else:
            item.result = ItemResult.PASS
        item.save()


def sign_both(actor, inspection):
    services.sign(actor=actor, inspection=inspection, who="inspector", data_url=png_data_url())
    services.sign(
        actor=actor, inspection=inspection, who="unit", data_url=png_data_url(), signer_name="张经理"
    )


def test_start_from_task_copies_checklist_and_is_idempotent(cast, make_plan, templates):
    plan = make_plan(enterprises=[cast.enterprise_a], inspectors=[cast.inspector])
    services.generate_tasks(actor=cast.office, plan=plan)
    task = plan.tasks.get()
    inspection = services.start_from_task(actor=cast.inspector, task=task)
    assert inspection.checklist_template == templates["hazchem-general"]
    assert inspection.items.count() == templates["hazchem-general"].items.count()
    assert inspection.territory_path == cast.enterprise_a.territory_path
    assert inspection.number.startswith("现检〔")
    assert services.start_from_task(actor=cast.inspector, task=task) == inspection
    with pytest.raises(PermissionDenied):  # not assigned to the other inspector
        task2_plan = make_plan(enterprises=[cast.enterprise_a], inspectors=[cast.inspector])
        services.generate_tasks(actor=cast.office, plan=task2_plan)
        services.start_from_task(actor=cast.inspector_other, task=task2_plan.tasks.get())


def test_complete_requires_answers_follow_up_and_signatures(cast, make_inspection, media):
    inspection = make_inspection()
    with pytest.raises(ValidationError) as err:
        services.complete(actor=cast.inspector, inspection=inspection)
    text = " ".join(err.value.messages)
    assert "尚未填写" in text and "尚未签名" in text and "尚未签字" in text
    fill(inspection, failed_orders=[2])
    sign_both(cast.inspector, inspection)
    with pytest.raises(ValidationError, match="须选择处理方式"):
        services.complete(actor=cast.inspector, inspection=inspection)
    inspection.items.filter(order=2).update(follow_up=FollowUp.TOTAL_STOP)
    with pytest.raises(ValidationError, match="只适用于重大事故隐患"):
        services.complete(actor=cast.inspector, inspection=inspection)
    inspection.items.filter(order=2).update(follow_up=FollowUp.INTERIM, interim_measures="")
    with pytest.raises(ValidationError, match="临时管控措施"):
        services.complete(actor=cast.inspector, inspection=inspection)
    inspection.items.filter(order=2).update(interim_measures="设置警戒区，停止该区域作业")
    services.complete(actor=cast.inspector, inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED and inspection.completed_at
    with pytest.raises(ValidationError):
        services.complete(actor=cast.inspector, inspection=inspection)


def test_county_level_needs_certificates(cast, make_inspection, media):
    from anjian.core.models import User

    inspection = make_inspection()
    User.objects.filter(pk=cast.inspector.pk).update(certificate_no="")
    cast.inspector.refresh_from_db()
    assert any("没有执法证号" in p for p in services.completion_problems(inspection))


def test_signature_must_be_png(cast, make_inspection, media):
    inspection = make_inspection()
    for bad in ("hello", "data:image/png;base64,!!!", "data:image/png;base64,aGVsbG8="):
        with pytest.raises(ValidationError):
            services.sign(actor=cast.inspector, inspection=inspection, who="inspector", data_url=bad)
    inspection.refresh_from_db()
    assert not inspection.inspector_signature


def test_unit_acknowledges_in_system(cast, make_inspection):
    inspection = make_inspection()
    with pytest.raises(PermissionDenied):
        services.acknowledge(actor=cast.enterprise_b_user, inspection=inspection)
    services.acknowledge(actor=cast.enterprise_a_user, inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.unit_acknowledged_by == cast.enterprise_a_user and inspection.unit_signed_at


def test_enterprise_self_check_rules(cast, make_inspection):
    self_check = make_inspection(actor=cast.enterprise_a_user, level=Level.SELF, sector=None)
    assert self_check.level == Level.SELF and self_check.organisation is None
    with pytest.raises(ValidationError, match="只能记录本单位"):
        make_inspection(actor=cast.enterprise_a_user, enterprise=cast.enterprise_b, level=Level.SELF)
    with pytest.raises(ValidationError, match="只能记录“企业自查”"):
        make_inspection(actor=cast.enterprise_a_user, level=Level.COUNTY)
    with pytest.raises(ValidationError, match="由企业自行记录"):
        make_inspection(level=Level.SELF)
    with pytest.raises(ValidationError, match="督查组"):
        make_inspection(level=Level.SUPERVISION)


# --- checklist -> hazards in one step -----------------------------------------------------------------
def test_failed_items_become_hazards_in_one_step(cast, make_inspection, media):
    inspection = make_inspection()
    fill(inspection, failed_orders=[2, 5], follow_up=FollowUp.DEADLINE, rectify_deadline=date(2030, 1, 1))
    inspection.items.filter(order=5).update(is_major=True, follow_up=FollowUp.PARTIAL_STOP)
    created = services.create_hazards_from_items(actor=cast.inspector, inspection=inspection)
    assert len(created) == 2
    hazards = Hazard.objects.filter(inspection=inspection).order_by("id")
    assert list(hazards) == created
    item2, item5 = inspection.items.get(order=2), inspection.items.get(order=5)
    assert item2.hazard.grade == Grade.GENERAL and "问题2" in item2.hazard.description
    assert item5.hazard.grade == Grade.MAJOR and "第五项" in item5.hazard.major_clause
    assert item5.hazard.stop_order == "partial"
    assert all(h.source == Source.DEPARTMENT and h.enterprise == cast.enterprise_a for h in created)
    assert all(h.sector == cast.hazchem and h.deadline == date(2030, 1, 1) for h in created)
    # Passed items made no hazard; a second click makes nothing more.
    assert inspection.items.filter(hazard__isnull=False).count() == 2
    with pytest.raises(ValidationError, match="没有待登记"):
        services.create_hazards_from_items(actor=cast.inspector, inspection=inspection)
    assert Hazard.objects.count() == 2


def test_hazards_are_all_or_nothing(cast, make_inspection, media):
    inspection = make_inspection()
    fill(inspection, failed_orders=[1, 3])
    # Item 3 judged major without a clause: the hazards service refuses it, so item 1 must not be registered either.
    inspection.items.filter(order=3).update(is_major=True, major_clause="")
    with pytest.raises(ValidationError, match="第 3 项"):
        services.create_hazards_from_items(actor=cast.inspector, inspection=inspection)
    assert Hazard.objects.count() == 0
    assert not inspection.items.filter(hazard__isnull=False).exists()


def test_on_spot_rectified_item_still_records_hazard_and_confirmation(cast, make_inspection, media):
    inspection = make_inspection()
    fill(inspection, failed_orders=[1], rectified_on_spot=True)
    [hazard] = services.create_hazards_from_items(actor=cast.inspector, inspection=inspection)
    hazard.refresh_from_db()
    assert hazard.status == "closed"


def test_self_check_hazards_are_self_check_source(cast, make_inspection):
    inspection = make_inspection(actor=cast.enterprise_a_user, level=Level.SELF)
    fill(inspection, failed_orders=[1])
    [hazard] = services.create_hazards_from_items(actor=cast.enterprise_a_user, inspection=inspection)
    assert hazard.source == Source.SELF_CHECK


def test_hazards_refused_out_of_scope(cast, make_inspection):
    inspection = make_inspection()
    fill(inspection, failed_orders=[1])
    for user in (cast.inspector_other, cast.enterprise_b_user, cast.town_b_user, cast.outsider_office):
        with pytest.raises(PermissionDenied):
            services.create_hazards_from_items(actor=user, inspection=inspection)
    with pytest.raises(PermissionDenied):
        services.create_hazards_from_items(actor=cast.leader, inspection=inspection)


def test_task_done_when_inspection_completed(cast, make_plan, media, partner):
    plan = make_plan(enterprises=[cast.enterprise_a], inspectors=[cast.inspector, partner])
    services.generate_tasks(actor=cast.office, plan=plan)
    task = plan.tasks.get()
    inspection = services.start_from_task(actor=cast.inspector, task=task)
    fill(inspection)
    sign_both(cast.inspector, inspection)
    services.complete(actor=cast.inspector, inspection=inspection)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_plan_transitions(cast, make_plan):
    plan = make_plan(enterprises=[cast.enterprise_a])
    with pytest.raises(ValidationError, match="尚未生成"):
        services.change_plan_status(actor=cast.office, plan=plan, action="publish")
    services.generate_tasks(actor=cast.office, plan=plan)
    with pytest.raises(ValidationError):
        services.change_plan_status(actor=cast.office, plan=plan, action="close")
    services.change_plan_status(actor=cast.office, plan=plan, action="publish")
    services.change_plan_status(actor=cast.office, plan=plan, action="close")
    plan.refresh_from_db()
    assert plan.status == "closed"
    with pytest.raises(ValidationError, match="已结束"):
        services.generate_tasks(actor=cast.office, plan=plan)


def test_seeded_templates_cover_sectors(templates):
    codes = {t.sector.code for t in templates.values() if t.sector}
    assert {"hazchem", "construction", "crowded", "specialEquipment", "forestFire"} <= codes
    assert all(t.items.exists() for t in templates.values())
    assert Sector.objects.filter(code="hazchem").exists()
