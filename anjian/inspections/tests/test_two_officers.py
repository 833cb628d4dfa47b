"""EN-31 (行政处罚法 第四十二条; 安全生产执法程序规定): a law-enforcement inspection — the county- and city-level record —
and any on-site stop measure are made by at least two distinct officers holding enforcement certificates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anjian.core.models import User
from anjian.inspections import services
from anjian.inspections.models import FollowUp, Inspection, ItemResult, Kind, Level

from .conftest import png_data_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "level, enforcement",
    [
        (Level.COUNTY, True),
        (Level.CITY, True),
        (Level.SELF, False),  # the unit's own duty, not an administrative act
        (Level.TOWN, False),  # a town patrol: towns are not enforcement departments
        (Level.SUPERVISION, False),  # a higher government's supervision team on local work
    ],
)
def test_en31_which_records_are_enforcement_inspections(level, enforcement):
    assert services.is_enforcement_inspection(level) is enforcement
    assert services.needs_two_officers(level) is enforcement
    # an on-site stop needs two officers at any government level, never in a unit's self-check
    assert services.needs_two_officers(level, [FollowUp.TOTAL_STOP]) is (level != Level.SELF)


def new(cast, templates, level=Level.COUNTY, **extra):
    return Inspection(
        level=level,
        kind=Kind.ROUTINE,
        enterprise=cast.enterprise_a,
        sector=cast.hazchem,
        checklist_template=templates["hazchem-general"],
        inspected_on=date.today(),
        **extra,
    )


def test_en31_service_refuses_a_single_or_uncertified_officer(cast, templates, partner):
    with pytest.raises(ValidationError) as exc:
        services.create_inspection(
            actor=cast.inspector, inspection=new(cast, templates), inspectors=[cast.inspector]
        )
    assert "执法人员不得少于两人（行政处罚法 第四十二条）" in exc.value.message_dict["inspectors"][0]
    with pytest.raises(ValidationError) as exc:  # the same officer twice is one officer
        services.create_inspection(
            actor=cast.inspector, inspection=new(cast, templates), inspectors=[cast.inspector, cast.inspector]
        )
    User.objects.filter(pk=partner.pk).update(certificate_no="")
    partner.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.create_inspection(
            actor=cast.inspector, inspection=new(cast, templates), inspectors=[cast.inspector, partner]
        )
    assert "尚未登记执法证号" in exc.value.message_dict["inspectors"][0]
    User.objects.filter(pk=partner.pk).update(certificate_no="P-1")
    partner.refresh_from_db()
    made = services.create_inspection(
        actor=cast.inspector, inspection=new(cast, templates), inspectors=[cast.inspector, partner]
    )
    assert set(made.inspectors.all()) == {cast.inspector, partner}


def test_en31_town_patrol_with_one_person_but_a_stop_needs_two_officers(cast, templates, media):
    town = cast.town_a_user
    inspection = services.create_inspection(
        actor=town, inspection=new(cast, templates, level=Level.TOWN), inspectors=[town]
    )
    items = list(inspection.items.order_by("order"))
    for item in items:
        item.result = ItemResult.PASS
        item.save()
    first = items[0]
    first.result, first.note, first.is_major = ItemResult.FAIL, "重大隐患", True
    first.major_clause, first.follow_up = "第一条", FollowUp.TOTAL_STOP
    first.save()
    problems = services.completion_problems(inspection)
    assert any("现场处理措施须由两名以上持有执法证的执法人员实施" in p for p in problems)
    first.follow_up = FollowUp.DEADLINE
    first.save()
    assert not any("执法人员" in p for p in services.completion_problems(inspection))


def test_en31_create_form_and_api_refuse_a_single_officer(cast, templates, client_for, api_for, partner):
    data = {
        "level": "county",
        "kind": "routine",
        "enterprise": cast.enterprise_a.pk,
        "sector": cast.hazchem.pk,
        "checklist_template": templates["hazchem-general"].pk,
        "inspected_on": str(date.today()),
        "inspectors": [cast.inspector.pk],
    }
    client = client_for(cast.inspector)
    response = client.post(reverse("inspections:inspection_add"), data)
    assert response.status_code == 400
    assert "执法人员不得少于两人" in response.content.decode()
    assert not Inspection.objects.exists()
    response = client.post(
        reverse("inspections:inspection_add"), {**data, "inspectors": [cast.inspector.pk, partner.pk]}
    )
    assert response.status_code == 302

    api = api_for(cast.inspector)
    response = api.post("/api/inspections/inspections/", data, format="json")
    assert response.status_code == 400 and "执法人员不得少于两人" in response.json()["inspectors"][0]
    created = api.post(
        "/api/inspections/inspections/",
        {**data, "inspectors": [cast.inspector.pk, partner.pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/inspections/inspections/{created.json()['id']}/"
    response = api.patch(url, {"inspectors": [cast.inspector.pk]}, format="json")
    assert response.status_code == 400 and "不得少于两人" in response.json()["inspectors"][0]


def test_en31_enforcement_plan_tasks_go_to_two_officers(cast, make_plan, partner, media):
    plan = make_plan(
        enterprises=[cast.enterprise_a], inspectors=[cast.inspector, partner], level=Level.COUNTY
    )
    services.generate_tasks(actor=cast.office, plan=plan)
    task = plan.tasks.get()
    assert {task.inspector, *task.co_inspectors.all()} == {cast.inspector, partner}
    inspection = services.start_from_task(actor=cast.inspector, task=task)
    assert set(inspection.inspectors.all()) == {cast.inspector, partner}


def test_en31_a_task_with_one_officer_opens_but_cannot_complete(cast, make_plan, media):
    plan = make_plan(enterprises=[cast.enterprise_a], inspectors=[cast.inspector], level=Level.COUNTY)
    services.generate_tasks(actor=cast.office, plan=plan)
    inspection = services.start_from_task(actor=cast.inspector, task=plan.tasks.get())
    for item in inspection.items.all():
        item.result = ItemResult.PASS
        item.save()
    services.sign(actor=cast.inspector, inspection=inspection, who="inspector", data_url=png_data_url())
    services.sign(
        actor=cast.inspector, inspection=inspection, who="unit", data_url=png_data_url(), signer_name="张"
    )
    with pytest.raises(ValidationError) as exc:
        services.complete(actor=cast.inspector, inspection=inspection)
    assert "执法人员不得少于两人" in exc.value.messages[0]
