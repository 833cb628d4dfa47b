"""API: the same permissions and scope as the pages; OpenAPI schema; Chinese errors."""

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.pagination import CursorPagination

from anjian.core import pagination
from anjian.core.models import Organisation
from anjian.core.testing import ONE_PER_ROLE, slowed_under_budget

PAGE_AND_API = [
    ("/core/territories/", "/api/core/territories/"),
    ("/core/organisations/", "/api/core/organisations/"),
    ("/core/sectors/", "/api/core/sectors/"),
    ("/core/users/", "/api/core/users/"),
    ("/core/audit/", "/api/core/audit/"),
]
USERS = [*ONE_PER_ROLE, "outsider_office"]


@pytest.mark.parametrize("user_name", USERS)
def test_api_and_pages_agree(cast, client_for, api_for, user_name):
    user = getattr(cast, user_name)
    web, api = client_for(user), api_for(user)
    for page_url, api_url in PAGE_AND_API:
        page_ok = web.get(page_url).status_code == 200
        response = api.get(api_url)
        assert (response.status_code == 200) is page_ok, (user_name, api_url, response.status_code)
        if response.status_code == 403:
            assert response.json()["detail"]


def test_api_list_is_scoped(cast, api_for):
    names = {t["name"] for t in api_for(cast.town_a_user).get("/api/core/territories/").json()["results"]}
    assert names == {"甲镇", "甲村", "甲村第1网格"}
    assert api_for(cast.town_a_user).get(f"/api/core/territories/{cast.town_b.pk}/").status_code == 404


def test_api_write_validation_in_chinese_and_nothing_saved(cast, api_for):
    response = api_for(cast.office).post(
        "/api/core/organisations/",
        {"name": "", "kind": "department", "territory": cast.district.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json()
    response = api_for(cast.office).post(
        "/api/core/organisations/",
        {
            "name": "林业局",
            "kind": "department",
            "territory": cast.district.pk,
            "lead_department": cast.yingji.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "只有专业委员会" in str(response.json())
    assert not Organisation.objects.filter(name="林业局").exists()


def test_api_write_outside_scope_refused(cast, api_for):
    response = api_for(cast.outsider_office).post(
        "/api/core/organisations/",
        {"name": "越权", "kind": "department", "territory": cast.district.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="越权").exists()


def test_api_writes_are_audited_with_the_user(cast, api_for):
    response = api_for(cast.office).patch(
        f"/api/core/organisations/{cast.yingji.pk}/", {"duty_phone": "0999-110"}, format="json"
    )
    assert response.status_code == 200
    from anjian.core.audit import history_for

    entry = history_for(cast.yingji)[0]
    assert entry.actor == cast.office and entry.changes == {"duty_phone": ["", "0999-110"]}


def test_api_requires_authentication(db, client):
    response = client.get("/api/core/territories/")
    assert response.status_code in (401, 403)
    assert "未登录" in response.json()["detail"] or "认证" in response.json()["detail"]


def test_token_login_is_subject_to_lockout(cast, client):
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "office", "password": "wrong"})
    from anjian.core.testing import PASSWORD

    response = client.post("/api/auth/token/", {"username": "office", "password": PASSWORD})
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_me_endpoint(cast, api_for):
    data = api_for(cast.inspector).get("/api/core/me/").json()
    assert data["role"] == "inspector" and "危险化学品" in data["scope"]
    assert "core.view_territory" in data["permissions"] and "core.add_user" not in data["permissions"]


def test_openapi_schema_generates(cast, client_for):
    response = client_for(cast.office).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/core/territories/" in paths
    assert client_for(cast.office).get("/api/docs/").status_code == 200


def test_api_pagination_is_keyset(cast, api_for):
    data = api_for(cast.office).get("/api/core/territories/", {"page_size": 2}).json()
    assert "count" not in data and data["next"] and "cursor=" in data["next"]


def test_whole_schema_generates_without_a_request(db, tmp_path):
    """`manage.py spectacular` (and `check --deploy`) build the schema with no signed-in user: every app's
    serializers must cope with that."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--validate")
    text = target.read_text()
    for prefix in (
        "/api/core/",
        "/api/registry/",
        "/api/hazards/",
        "/api/inspections/",
        "/api/enforcement/",
        "/api/accidents/",
        "/api/assessment/",
        "/api/operations/",
        "/api/notifications/",
        "/api/dashboard/",
    ):
        assert prefix in text, prefix


def _all_pages(api, url) -> list[str]:
    names = []
    while url:
        body = api.get(url).json()
        names += [row["name"] for row in body["results"]]
        url = body["next"]
    return names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_api_search_whose_plan_runs_out_of_time_collects_its_matches_first(cast, api_for, monkeypatch):
    cache.clear()  # no plan remembered from another test
    api = api_for(cast.office)
    url = f"/api/core/territories/?q={cast.district.code[:6]}&page_size=2"
    expected = _all_pages(api, url)
    assert len(expected) > 2

    monkeypatch.setattr(pagination, "SEARCH_PAGE_BUDGET_MS", 20)
    monkeypatch.setattr(
        CursorPagination, "paginate_queryset", slowed_under_budget(CursorPagination.paginate_queryset, 1)
    )
    # Every page's natural plan is cancelled (then not tried again: pagination.SEARCH_PLAN_MEMORY_S); the matches
    # collected first give the same rows in the same order.
    assert _all_pages(api, url) == expected

    monkeypatch.setattr(pagination, "matches_first_ids", slowed_under_budget(pagination.matches_first_ids, 1))
    monkeypatch.setattr(pagination, "SEARCH_FALLBACK_BUDGET_MS", 20)
    response = api.get(url)
    assert response.status_code == 400 and "缩小范围" in response.json()["q"][0]
