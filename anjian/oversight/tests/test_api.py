"""The API: every role × list / detail / write, the OpenAPI schema without warnings, query counts."""

from datetime import timedelta

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from .conftest import make_visit, town_problem

# role → (list, detail of the town's problem, set-measures on it, create a visit)
MATRIX = {
    "office": (200, 200, 409, 201),
    "leader": (200, 200, 403, 403),
    "inspector": (200, 404, 404, 403),  # a department sees only the problems assigned to it
    "town_a_user": (200, 200, 200, 403),
    "town_b_user": (200, 404, 404, 403),
    "grid_a_user": (403, 403, 403, 403),
    "enterprise_a_user": (403, 403, 403, 403),
    "sys_admin": (403, 403, 403, 403),
    "sec_admin": (403, 403, 403, 403),
    "audit_admin": (403, 403, 403, 403),
    "outsider_office": (200, 404, 404, 400),
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", MATRIX)
def test_permission_matrix(cast, api_for, username):
    visit = make_visit(cast)
    problem = town_problem(visit)
    client = api_for(getattr(cast, username))
    want_list, want_detail, want_write, want_create = MATRIX[username]
    assert client.get("/api/oversight/problems/").status_code == want_list
    assert client.get(f"/api/oversight/problems/{problem.pk}/").status_code == want_detail
    measures = {
        "measures": "逐项建档",
        "responsible_person": "刘镇长",
        "deadline": (timezone.localdate() + timedelta(days=9)).isoformat(),
    }
    response = client.post(f"/api/oversight/problems/{problem.pk}/set-measures/", measures, format="json")
    assert response.status_code == want_write, response.content
    new_visit = {
        "title": "本级督查",
        "kind": "own",
        "inspecting_body_name": "测试区安委办",
        "start_on": timezone.localdate().isoformat(),
        "end_on": timezone.localdate().isoformat(),
        "territory": cast.town_a.pk,
        "targets": [cast.town_a_org.pk],
    }
    response = client.post("/api/oversight/visits/", new_visit, format="json")
    assert response.status_code == want_create, response.content


@pytest.mark.django_db
def test_lists_see_their_own_problems(cast, api_for):
    make_visit(cast)
    rows = api_for(cast.inspector).get("/api/oversight/problems/").json()["results"]
    assert [r["responsible_unit"] for r in rows] == [cast.yingji.pk]
    visits = api_for(cast.town_a_user).get("/api/oversight/visits/").json()["results"]
    assert len(visits) == 1  # the district visit names the town's body
    assert api_for(cast.town_b_user).get("/api/oversight/visits/").json()["results"] == []


@pytest.mark.django_db
def test_refusal_reasons_are_409_with_chinese_detail(cast, api_for):
    problem = town_problem(make_visit(cast))
    client = api_for(cast.town_a_user)
    response = client.post(
        f"/api/oversight/problems/{problem.pk}/report-done/", {"note": "好了"}, format="json"
    )
    assert response.status_code == 409 and "状态" in response.json()["detail"]


@pytest.mark.django_db
def test_list_query_count(cast, api_for, django_assert_max_num_queries):
    for _ in range(3):
        make_visit(cast)
    client = api_for(cast.office)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/oversight/problems/").json()["results"]) == 6
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/oversight/visits/").json()["results"]) == 3


def test_openapi_schema_without_warnings(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/oversight/", include("anjian.oversight.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert "/api/oversight/problems/{id}/close/" in schema["paths"]
    assert "409" in schema["paths"]["/api/oversight/problems/{id}/report-done/"]["post"]["responses"]
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Error" not in captured.err, captured.err
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
