"""Who may use which page and endpoint (permission table) and which records (scope → 404)."""

from datetime import date

import pytest

from anjian.registry.models import Enterprise, Licence

from .factories import make_listing, make_risk_point

pytestmark = pytest.mark.django_db

ALL_USERS = [
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "grid_a_user",
    "enterprise_a_user",
    "enterprise_b_user",
    "sys_admin",
    "sec_admin",
    "audit_admin",
    "outsider_office",
]
# Role permission for the enterprise list page (200) versus 403; enterprise staff are sent to their record.
LIST_STATUS = {
    "office": 200,
    "leader": 200,
    "inspector": 200,
    "inspector_other": 200,
    "town_a_user": 200,
    "town_b_user": 200,
    "grid_a_user": 200,
    "enterprise_a_user": 302,
    "enterprise_b_user": 302,
    "sys_admin": 403,
    "sec_admin": 403,
    "audit_admin": 403,
    "outsider_office": 200,
}
# Can read enterprise A's record (page and API): permission AND scope; otherwise 403 (role) or 404 (scope).
READ_A = {
    "office": 200,
    "leader": 200,
    "inspector": 200,
    "inspector_other": 404,
    "town_a_user": 200,
    "town_b_user": 404,
    "grid_a_user": 404,
    "enterprise_a_user": 200,
    "enterprise_b_user": 404,
    "sys_admin": 403,
    "sec_admin": 403,
    "audit_admin": 403,
    "outsider_office": 404,
}
# Can open the edit form of enterprise A.
EDIT_A = {
    "office": 200,
    "leader": 403,
    "inspector": 200,
    "inspector_other": 404,
    "town_a_user": 200,
    "town_b_user": 404,
    "grid_a_user": 403,
    "enterprise_a_user": 200,
    "enterprise_b_user": 404,
    "sys_admin": 403,
    "sec_admin": 403,
    "audit_admin": 403,
    "outsider_office": 404,
}
# Pages only some roles may use at all (status for each user).
ROLE_PAGES = {
    "/registry/enterprises/add/": {
        "office",
        "town_a_user",
        "town_b_user",
        "inspector",
        "inspector_other",
        "outsider_office",
    },
    "/registry/riskmap/": {
        "office",
        "leader",
        "inspector",
        "inspector_other",
        "town_a_user",
        "town_b_user",
        "grid_a_user",
        "outsider_office",
    },
    "/registry/blacklist/add/": {"office", "inspector", "inspector_other", "outsider_office"},
    "/registry/closures/": {
        "office",
        "leader",
        "inspector",
        "inspector_other",
        "town_a_user",
        "town_b_user",
        "grid_a_user",
        "outsider_office",
    },
    "/core/import/enterprises/": {"office", "town_a_user", "town_b_user", "outsider_office"},
}


def test_enterprise_list_page_permission(cast, client_for):
    got = {
        name: client_for(getattr(cast, name)).get("/registry/enterprises/").status_code for name in ALL_USERS
    }
    assert got == LIST_STATUS


def test_enterprise_a_detail_page_and_api(cast, client_for, api_for):
    page, api = {}, {}
    for name in ALL_USERS:
        user = getattr(cast, name)
        page[name] = client_for(user).get(f"/registry/enterprises/{cast.enterprise_a.pk}/").status_code
        api[name] = api_for(user).get(f"/api/registry/enterprises/{cast.enterprise_a.pk}/").status_code
    assert page == READ_A
    assert api == READ_A


def test_enterprise_a_edit_page(cast, client_for):
    url = f"/registry/enterprises/{cast.enterprise_a.pk}/edit/"
    got = {name: client_for(getattr(cast, name)).get(url).status_code for name in ALL_USERS}
    assert got == EDIT_A


@pytest.mark.parametrize(("url", "allowed"), ROLE_PAGES.items())
def test_role_pages(cast, client_for, url, allowed):
    got = {name: client_for(getattr(cast, name)).get(url).status_code for name in ALL_USERS}
    assert got == {name: 200 if name in allowed else 403 for name in ALL_USERS}


def test_register_rows_follow_their_unit_scope(cast, client_for, api_for):
    point = make_risk_point(cast.enterprise_a)
    licence = Licence.objects.create(
        enterprise=cast.enterprise_a, kind="safety", number="L-1", valid_until=date(2030, 1, 1)
    )
    for user, status in [
        (cast.enterprise_a_user, 200),
        (cast.inspector, 200),
        (cast.enterprise_b_user, 404),
        (cast.town_b_user, 404),
        (cast.inspector_other, 404),
        (cast.outsider_office, 404),
    ]:
        assert client_for(user).get(f"/registry/riskpoints/{point.pk}/").status_code == status
        assert client_for(user).get(f"/registry/licences/{licence.pk}/").status_code == status
        assert api_for(user).get(f"/api/registry/riskpoints/{point.pk}/").status_code == status
    listed = {r["id"] for r in api_for(cast.inspector_other).get("/api/registry/licences/").json()["results"]}
    assert licence.pk not in listed


def test_api_lists_only_the_scope(cast, api_for):
    def names(user):
        return {r["name"] for r in api_for(user).get("/api/registry/enterprises/").json()["results"]}

    assert names(cast.office) == {"甲化工有限公司", "乙建筑有限公司"}
    assert names(cast.town_b_user) == {"乙建筑有限公司"}
    assert names(cast.enterprise_a_user) == {"甲化工有限公司"}
    assert names(cast.outsider_office) == set()


def test_enterprise_user_edits_only_allowed_fields_of_own_unit(cast, client_for, api_for):
    a = cast.enterprise_a
    response = client_for(cast.enterprise_a_user).post(
        f"/registry/enterprises/{a.pk}/edit/",
        {"safety_manager_name": "新安全员", "safety_manager_phone": "13800000000", "name": "改名"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.safety_manager_name, a.name) == ("新安全员", "甲化工有限公司")
    response = api_for(cast.enterprise_a_user).patch(
        f"/api/registry/enterprises/{a.pk}/",
        {"name": "API改名", "principal_phone": "13700000000"},
        format="json",
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert (a.name, a.principal_phone) == ("甲化工有限公司", "13700000000")
    assert (
        api_for(cast.enterprise_a_user)
        .patch(f"/api/registry/enterprises/{cast.enterprise_b.pk}/", {"principal_phone": "1"}, format="json")
        .status_code
        == 404
    )


def test_api_rejects_bad_credit_code_in_chinese_and_cannot_create_out_of_scope(cast, api_for):
    payload = {"name": "新单位", "credit_code": "91110000802100433X", "territory": cast.village_a.pk}
    response = api_for(cast.office).post("/api/registry/enterprises/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["credit_code"] == ["校验码错误：第18位应为“B”，实际为“X”"]
    payload["credit_code"] = "91110000802100433B"
    response = api_for(cast.town_b_user).post("/api/registry/enterprises/", payload, format="json")
    assert response.status_code == 400  # 甲村 is not a choice for 乙镇's staff
    response = api_for(cast.town_a_user).post("/api/registry/enterprises/", payload, format="json")
    assert response.status_code == 201
    assert Enterprise.objects.get(credit_code="91110000802100433B").territory_path == cast.village_a.path
    assert api_for(cast.leader).post("/api/registry/enterprises/", payload, format="json").status_code == 403


def test_status_change_page(cast, client_for):
    url = f"/registry/enterprises/{cast.enterprise_a.pk}/status/suspend/"
    assert client_for(cast.town_b_user).post(url, {"reason": "x"}).status_code == 404
    assert client_for(cast.leader).post(url, {"reason": "x"}).status_code == 403
    client_for(cast.town_a_user).post(url, {"reason": "停产整顿"})
    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.status == "suspended"


def test_blacklist_badge_shows_on_list_and_detail(cast, client_for):
    make_listing(cast.enterprise_a, date.today())
    client = client_for(cast.office)
    listing = client.get("/registry/enterprises/").content.decode()
    assert listing.count('data-testid="blacklist-badge"') == 2  # the table and the phone card
    detail = client.get(f"/registry/enterprises/{cast.enterprise_a.pk}/").content.decode()
    assert 'data-testid="blacklist-badge"' in detail
    only_black = client.get("/registry/enterprises/?blacklisted=yes").content.decode()
    assert "甲化工有限公司" in only_black and "乙建筑有限公司" not in only_black


def test_list_filters(cast, client_for):
    make_risk_point(cast.enterprise_a, lec=(10, 6, 7))
    from anjian.registry.services import recompute_risk_level

    recompute_risk_level(cast.enterprise_a)
    client = client_for(cast.office)

    def names(query):
        html = client.get(f"/registry/enterprises/?{query}").content.decode()
        return {n for n in ("甲化工有限公司", "乙建筑有限公司") if n in html}

    assert names(f"territory={cast.town_a.pk}") == {"甲化工有限公司"}
    assert names(f"sector={cast.construction.pk}") == {"乙建筑有限公司"}
    assert names("risk_level=major") == {"甲化工有限公司"}
    assert names("risk_level=none") == {"乙建筑有限公司"}
    assert names(f"q={cast.enterprise_b.credit_code[-6:]}") == {"乙建筑有限公司"}
    assert names("q=化工") == {"甲化工有限公司"}
    assert names("status=operating") == {"甲化工有限公司", "乙建筑有限公司"}


def test_export_of_the_filtered_list(cast, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(cast.office).get(f"/registry/enterprises/?territory={cast.town_b.pk}&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row]
    assert "乙建筑有限公司" in flat and "甲化工有限公司" not in flat
    assert client_for(cast.enterprise_a_user).get("/registry/enterprises/?export=xlsx").status_code == 403
