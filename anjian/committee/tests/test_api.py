"""The API permission matrix: every role × list / detail / write, and scope (an office of another district)."""

from datetime import date, timedelta

import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator

from anjian.committee import services
from anjian.committee.models import DutyCategory, DutyItem

READERS = {
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "outsider_office",
}
ALL = (
    "sys_admin",
    "sec_admin",
    "audit_admin",
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "grid_a_user",
    "enterprise_a_user",
    "enterprise_b_user",
    "outsider_office",
)
ENDPOINTS = [
    "committees",
    "memberships",
    "units",
    "duty-items",
    "leader-duties",
    "meetings",
    "decisions",
    "posts",
]


@pytest.fixture
def records(cast, committee, meeting):
    membership = services.add_member(committee, cast.yingji, date(2024, 1, 1))
    item = services.save_duty_item(
        cast.office, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="职责")
    )
    decision = services.add_decision(meeting, "事项", [cast.yingji], services.today() + timedelta(days=5))
    return {
        "committees": committee.pk,
        "memberships": membership.pk,
        "units": cast.yingji.pk,
        "duty-items": item.pk,
        "meetings": meeting.pk,
        "decisions": decision.pk,
    }


@pytest.mark.parametrize("role", ALL)
def test_reading_matrix(cast, records, api_for, role):
    client = api_for(getattr(cast, role))
    for endpoint in ENDPOINTS:
        response = client.get(f"/api/committee/{endpoint}/")
        expected = 200 if role in READERS else 403
        assert response.status_code == expected, (role, endpoint, response.status_code)
        if role == "outsider_office":
            assert response.json()["results"] == [], endpoint
    for endpoint, pk in records.items():
        response = client.get(f"/api/committee/{endpoint}/{pk}/")
        if role not in READERS:
            expected = 403
        elif role == "outsider_office":
            expected = 404  # allowed role, other district: the record does not exist for them
        else:
            expected = 200  # town staff read the district committee's records too
        assert response.status_code == expected, (role, endpoint, response.status_code)


@pytest.mark.parametrize(
    "role,membership,duty,meeting",
    [
        ("office", 201, 201, 201),
        ("leader", 403, 403, 403),
        ("inspector", 403, 201, 403),  # a department drafts its own list
        ("inspector_other", 403, 403, 403),  # … not another department's
        ("town_a_user", 403, 400, 403),  # another unit's organisation is not a choice for them
        ("grid_a_user", 403, 403, 403),
        ("enterprise_a_user", 403, 403, 403),
        ("sys_admin", 403, 403, 403),
        ("sec_admin", 403, 403, 403),
        ("audit_admin", 403, 403, 403),
        ("outsider_office", 400, 400, 400),  # allowed role, out of scope: the committee/unit is not a choice
    ],
)
def test_writing_matrix(cast, committee, api_for, role, membership, duty, meeting):
    client = api_for(getattr(cast, role))
    response = client.post(
        "/api/committee/memberships/",
        {"committee": committee.pk, "organisation": cast.zhujian.pk, "start_date": "2026-01-01"},
        format="json",
    )
    assert response.status_code == membership, response.content
    response = client.post(
        "/api/committee/duty-items/",
        {"organisation": cast.yingji.pk, "category": "sector", "text": "负责危险化学品安全监管"},
        format="json",
    )
    assert response.status_code == duty, response.content
    if duty == 201:
        assert response.json()["status"] == ("confirmed" if role == "office" else "draft")
    response = client.post(
        "/api/committee/meetings/",
        {
            "committee": committee.pk,
            "kind": "plenary",
            "title": "会议",
            "held_on": "2026-02-01",
            "chaired_by": "区长",
        },
        format="json",
    )
    assert response.status_code == meeting, response.content


def test_membership_end_and_refused_change_of_unit(cast, committee, api_for):
    membership = services.add_member(committee, cast.yingji, date(2024, 1, 1))
    client = api_for(cast.office)
    response = client.patch(
        f"/api/committee/memberships/{membership.pk}/", {"organisation": cast.zhujian.pk}, format="json"
    )
    assert response.status_code == 400
    response = client.patch(
        f"/api/committee/memberships/{membership.pk}/", {"liaison_name": "新联络员"}, format="json"
    )
    assert response.status_code == 200 and response.json()["liaison_name"] == "新联络员"
    response = client.post(
        f"/api/committee/memberships/{membership.pk}/end/", {"end_date": "2023-01-01"}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/committee/memberships/{membership.pk}/end/", {"end_date": "2025-01-01"}, format="json"
    )
    assert response.status_code == 200 and response.json()["end_date"] == "2025-01-01"


def test_confirm_and_sectors_actions(cast, api_for):
    services.save_duty_item(
        cast.inspector, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="x")
    )
    assert api_for(cast.inspector).post(f"/api/committee/units/{cast.yingji.pk}/confirm/").status_code == 403
    response = api_for(cast.office).post(f"/api/committee/units/{cast.yingji.pk}/confirm/")
    assert response.status_code == 200 and response.json() == {"confirmed": 1}
    url = f"/api/committee/units/{cast.yingji.pk}/sectors/"
    assert api_for(cast.office).post(url, {"sectors": [999999]}, format="json").status_code == 400
    response = api_for(cast.office).post(
        url, {"sectors": [cast.hazchem.pk, cast.construction.pk]}, format="json"
    )
    assert response.status_code == 200 and sorted(response.json()["sectors"]) == sorted(
        [cast.hazchem.pk, cast.construction.pk]
    )


@pytest.mark.skipif(not services.supervision_available(), reason="督办 app not available")
def test_supervise_action_once(cast, records, api_for):
    url = f"/api/committee/decisions/{records['decisions']}/supervise/"
    assert api_for(cast.leader).post(url).status_code == 403
    response = api_for(cast.office).post(url)
    assert response.status_code == 200 and response.json()["task_id"]
    assert api_for(cast.office).post(url).status_code == 400


@pytest.mark.django_db
def test_openapi_schema_of_the_committee_api(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/committee/", include("anjian.committee.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, capsys.readouterr().err
    assert "/api/committee/decisions/{id}/supervise/" in schema["paths"]
    assert "/api/committee/units/{id}/sectors/" in schema["paths"]
