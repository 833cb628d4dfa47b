"""The API: every role × list/detail/write → expected status, the same rules as the pages, and its schema."""

from datetime import timedelta

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from anjian.supervision.models import AssignmentStatus

from .factories import issue

pytestmark = pytest.mark.django_db

# role -> (list, detail of a task addressed to 应急, issue a task)
MATRIX = {
    "office": (200, 200, 201),
    "leader": (200, 200, 403),
    "inspector": (200, 200, 403),  # 应急: the task is addressed to it
    "inspector_other": (200, 404, 403),  # 住建: not its task
    "town_a_user": (200, 404, 403),
    "grid_a_user": (403, 403, 403),
    "enterprise_a_user": (403, 403, 403),
    "sys_admin": (403, 403, 403),
    "sec_admin": (403, 403, 403),
    "audit_admin": (403, 403, 403),
    "outsider_office": (200, 404, 400),  # another district's office: cannot issue as/to this district
}


@pytest.mark.parametrize("username", list(MATRIX))
def test_permission_matrix(cast, api_for, username):
    task = issue(cast)
    user = getattr(cast, username)
    client = api_for(user)
    list_status, detail_status, write_status = MATRIX[username]
    assert client.get("/api/supervision/tasks/").status_code == list_status
    assert client.get(f"/api/supervision/tasks/{task.pk}/").status_code == detail_status
    payload = {
        "issuer": cast.office_org.pk,
        "title": "汛期安全检查",
        "content": "开展汛期安全检查",
        "lead_units": [cast.zhujian.pk],
        "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    response = client.post("/api/supervision/tasks/", payload, format="json")
    assert response.status_code == write_status, response.content


def test_list_shows_only_the_units_own_tasks(cast, api_for):
    mine = issue(cast)
    issue(cast, lead=[cast.zhujian])
    rows = api_for(cast.inspector).get("/api/supervision/tasks/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert len(api_for(cast.office).get("/api/supervision/tasks/").json()["results"]) == 2


def test_issue_refusals_are_chinese_400(cast, api_for):
    response = api_for(cast.office).post(
        "/api/supervision/tasks/",
        {
            "issuer": cast.office_org.pk,
            "title": "x",
            "content": "y",
            "lead_units": [],
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["lead_units"] == ["请至少选择一个承办单位。"]
    assert body["deadline"] == ["办理时限不能早于今天。"]


def test_assignment_actions(cast, api_for):
    task = issue(cast)
    part = task.assignments.get()
    url = f"/api/supervision/assignments/{part.pk}/"
    # Only the unit reports; the office may not (403); the leader holds no such permission.
    assert api_for(cast.office).post(url + "progress/", {"text": "x"}).status_code == 403
    assert api_for(cast.leader).post(url + "progress/", {"text": "x"}).status_code == 403
    assert api_for(cast.inspector_other).post(url + "progress/", {"text": "x"}).status_code == 404
    # Accepting before anything was reported: the state refuses (409).
    response = api_for(cast.office).post(url + "accept/", {})
    assert response.status_code == 409 and "状态下不能" in response.json()["detail"]
    response = api_for(cast.inspector).post(url + "progress/", {"text": "已完成", "final": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == AssignmentStatus.REPORTED
    assert api_for(cast.inspector).post(url + "accept/", {}).status_code == 403
    assert api_for(cast.office).post(url + "return/", {}).status_code == 400
    response = api_for(cast.office).post(url + "return/", {"reason": "材料不全"})
    assert response.json()["status"] == AssignmentStatus.RETURNED
    api_for(cast.inspector).post(url + "progress/", {"text": "补齐", "final": "true"})
    response = api_for(cast.office).post(url + "accept/", {"opinion": "同意"})
    assert response.json()["status"] == AssignmentStatus.ACCEPTED
    detail = api_for(cast.inspector).get(url).json()
    assert [r["is_final"] for r in detail["reports"]] == [True, True]
    assert api_for(cast.office).get(f"/api/supervision/tasks/{task.pk}/").json()["status"] == "completed"


def test_list_query_count_does_not_grow(cast, api_for, django_assert_max_num_queries):
    for _ in range(6):
        issue(cast, lead=[cast.yingji, cast.town_a_org], assisting=[cast.zhujian])
    client = api_for(cast.office)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/supervision/tasks/").json()["results"]) == 6


def test_openapi_schema_without_warnings(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/supervision/", include("anjian.supervision.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert "/api/supervision/assignments/{id}/return/" in schema["paths"]
    assert "409" in schema["paths"]["/api/supervision/assignments/{id}/accept/"]["post"]["responses"]
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Error" not in captured.err, captured.err
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
