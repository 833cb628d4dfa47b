"""API: permission matrix (allowed / forbidden role / allowed role out of scope), filing, 补报, statistics."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.accidents.models import Accident, Level

from .factories import file

pytestmark = pytest.mark.django_db

BASE = "/api/accidents/accidents/"


def _payload(cast, **extra):
    occurred = timezone.now() - timedelta(hours=2)
    return {
        "title": "API事故",
        "enterprise": cast.enterprise_a.pk,
        "sector": cast.hazchem.pk,
        "occurred_at": occurred.isoformat(),
        "place": "车间",
        "category": "1986-03",
        "industry_group": "industry_mining_trade",
        "summary": "经过",
        "deaths": 2,
        "direct_loss": "100000.00",
        **extra,
    }


# user: (list, detail of an accident of enterprise A, create for enterprise A, 补报 on that accident)
# 403 = the role may not; 404/400 = the role may, but the record or the chosen unit is out of scope.
MATRIX = {
    "office": (200, 200, 201, 201),
    "inspector": (200, 200, 201, 201),
    "town_a_user": (200, 200, 201, 201),
    "enterprise_a_user": (200, 200, 201, 201),
    "town_b_user": (200, 404, 400, 404),
    "inspector_other": (200, 404, 400, 404),
    "enterprise_b_user": (200, 404, 400, 404),
    "outsider_office": (200, 404, 400, 404),
    "grid_a_user": (200, 404, 403, 403),  # grid staff read their grid only
    "leader": (200, 200, 403, 403),  # read-only
    "sys_admin": (403, 403, 403, 403),
    "audit_admin": (403, 403, 403, 403),
}


@pytest.mark.parametrize("name", MATRIX)
def test_permission_matrix(cast, api_for, name):
    expected = MATRIX[name]
    user = getattr(cast, name)
    accident = file(cast.office, deaths=1, enterprise=cast.enterprise_a, sector=cast.hazchem)
    client = api_for(user)
    created = client.post(BASE, _payload(cast), format="json")
    body = {"as_of": timezone.localdate().isoformat(), "deaths": 3}
    supplement = client.post(f"{BASE}{accident.pk}/supplement/", body, format="json")
    actual = (
        client.get(BASE).status_code,
        client.get(f"{BASE}{accident.pk}/").status_code,
        created.status_code,
        supplement.status_code,
    )
    assert actual == expected
    accident.refresh_from_db()
    assert accident.deaths == (3 if expected[3] == 201 else 1)


def test_enterprise_files_for_its_own_unit_only(cast, api_for):
    payload = _payload(cast)
    del payload["enterprise"]
    payload["sector"] = cast.construction.pk
    response = api_for(cast.enterprise_b_user).post(BASE, payload, format="json")
    assert response.status_code == 201, response.data
    accident = Accident.objects.get(pk=response.data["id"])
    assert accident.enterprise == cast.enterprise_b and accident.territory == cast.village_b
    # the unit's own report is the county's receipt (493号令 第九条)
    assert accident.hops.get(level=Level.COUNTY).received_at is not None


def test_create_computes_grade_and_returns_chain(cast, api_for):
    response = api_for(cast.office).post(BASE, _payload(cast, deaths=3), format="json")
    assert response.status_code == 201, response.data
    assert response.data["grade"] == "larger"
    assert [h["level"] for h in response.data["hops"]] == ["county", "city", "province"]
    assert response.data["versions"][0]["kind"] == "initial"


def test_grade_is_read_only_and_figures_not_patchable(cast, api_for):
    accident = file(cast.office, deaths=1)
    response = api_for(cast.office).patch(
        f"{BASE}{accident.pk}/", {"grade": "major", "deaths": 20, "place": "新地点"}, format="json"
    )
    assert response.status_code == 200
    accident.refresh_from_db()
    assert (accident.grade, accident.deaths, accident.place) == ("general", 1, "新地点")


def test_validation_errors_in_chinese(cast, api_for):
    client = api_for(cast.office)
    response = client.post(
        BASE, _payload(cast, occurred_at=(timezone.now() + timedelta(days=1)).isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "不能晚于当前时间" in str(response.data)
    accident = file(cast.office, deaths=1)
    late = client.post(
        f"{BASE}{accident.pk}/supplement/",
        {"as_of": (timezone.localdate() + timedelta(days=2)).isoformat(), "deaths": 2},
        format="json",
    )
    assert late.status_code == 400 and "不能晚于今天" in str(late.data)


def test_hop_receive_and_investigation_flow(cast, api_for):
    occurred = timezone.now() - timedelta(days=1)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    client = api_for(cast.office)
    hop = accident.hops.get(level=Level.COUNTY)
    response = client.post(
        f"/api/accidents/hops/{hop.pk}/receive/",
        {"received_at": (occurred + timedelta(minutes=90)).isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.data["late"] is True
    assert (
        api_for(cast.leader).post(f"/api/accidents/hops/{hop.pk}/receive/", {}, format="json").status_code
        == 403
    )
    opened = client.post(
        f"{BASE}{accident.pk}/open-investigation/",
        {"body": "调查组", "started_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert opened.status_code == 201 and opened.data["level"] == "county"
    extended = client.post(
        f"{BASE}{accident.pk}/extend-investigation/", {"days": 61, "reason": "x"}, format="json"
    )
    assert extended.status_code == 400
    patched = client.patch(
        f"{BASE}{accident.pk}/investigation/",
        {
            "findings": "结论",
            "nature": "liability",
            "investment_ok": True,
            "deployment_ok": True,
            "supervision_ok": True,
            "urging_ok": False,
        },
        format="json",
    )
    assert patched.status_code == 200 and patched.data["urging_ok"] is False
    submitted = client.post(
        f"{BASE}{accident.pk}/submit-report/", {"day": timezone.localdate().isoformat()}, format="json"
    )
    assert submitted.status_code == 200
    closed = client.post(
        f"{BASE}{accident.pk}/close/", {"day": timezone.localdate().isoformat()}, format="json"
    )
    assert closed.status_code == 200 and closed.data["status"] == "closed"


def test_statistics_endpoint(cast, api_for):
    file(cast.office, deaths=3, territory=cast.town_a)
    response = api_for(cast.leader).get(f"{BASE}statistics/", {"dimension": "grade"})
    assert response.status_code == 200
    assert response.data["total"]["count"] == 1 and response.data["total"]["larger_plus"] == 1
    assert api_for(cast.enterprise_a_user).get(f"{BASE}statistics/").status_code == 403
    bad = api_for(cast.office).get(f"{BASE}statistics/", {"start": "x"})
    assert bad.status_code == 400


def test_list_query_count(cast, api_for, django_assert_max_num_queries):
    for i in range(20):
        file(cast.office, title=f"事故{i}", enterprise=cast.enterprise_a, sector=cast.hazchem)
    with django_assert_max_num_queries(8):
        assert api_for(cast.office).get(BASE).status_code == 200


def test_schema_generates(cast, client_for):
    response = client_for(cast.office).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/accidents/accidents/{id}/supplement/" in response.content
