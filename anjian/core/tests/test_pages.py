"""Core pages: permissions and scope per role, search, keyset pages, Excel export, htmx partials, errors."""

import io

import pytest
from openpyxl import load_workbook

from anjian.core.models import Organisation, OrganisationKind, Territory
from anjian.core.pagination import after_q, decode_cursor, encode_cursor, keyset_page

PAGES = ["/core/territories/", "/core/organisations/", "/core/sectors/", "/core/users/", "/core/audit/"]
# user -> pages they may open (the rest answer 403)
PAGE_MATRIX = {
    "office": {"/core/territories/", "/core/organisations/", "/core/sectors/"},
    "leader": {"/core/territories/", "/core/organisations/", "/core/sectors/"},
    "inspector": {"/core/territories/", "/core/organisations/", "/core/sectors/"},
    "town_a_user": {"/core/territories/", "/core/organisations/", "/core/sectors/"},
    "grid_a_user": {"/core/territories/", "/core/organisations/", "/core/sectors/"},
    "enterprise_a_user": {"/core/sectors/"},
    "sys_admin": {"/core/territories/", "/core/organisations/", "/core/sectors/", "/core/users/"},
    "sec_admin": {"/core/territories/", "/core/organisations/", "/core/users/"},
    "audit_admin": {"/core/audit/"},
}


@pytest.mark.parametrize(("user_name", "allowed"), PAGE_MATRIX.items())
def test_page_permission_matrix(cast, client_for, user_name, allowed):
    client = client_for(getattr(cast, user_name))
    for url in PAGES:
        status = client.get(url).status_code
        assert status == (200 if url in allowed else 403), (user_name, url, status)


def test_town_user_sees_only_own_territory(cast, client_for):
    content = client_for(cast.town_a_user).get("/core/territories/").content.decode()
    assert "甲村" in content and "乙村" not in content and "乙镇" not in content


def test_out_of_scope_detail_is_404_like_a_missing_record(cast, client_for):
    client = client_for(cast.town_a_user)
    assert client.get(f"/core/territories/{cast.town_a.pk}/").status_code == 200
    assert client.get(f"/core/territories/{cast.town_b.pk}/").status_code == 404
    assert client.get("/core/territories/999999/").status_code == 404
    body = client.get(f"/core/territories/{cast.town_b.pk}/").content.decode()
    assert "乙镇" not in body and "不存在" in body


def test_detail_shows_history(cast, client_for):
    body = client_for(cast.office).get(f"/core/organisations/{cast.yingji.pk}/").content.decode()
    assert "变更历史" in body and "新建" in body and "危险化学品" in body


def test_search_and_filters(cast, client_for):
    client = client_for(cast.office)
    body = client.get("/core/organisations/", {"q": "住建"}).content.decode()
    assert "测试区住建局" in body and "测试区应急管理局" not in body
    body = client.get("/core/organisations/", {"sector": cast.hazchem.pk}).content.decode()
    assert "测试区应急管理局" in body and "测试区住建局" not in body
    body = client.get("/core/organisations/", {"territory": cast.town_a.pk}).content.decode()
    assert "甲镇人民政府" in body and "乙镇人民政府" not in body


def test_invalid_filter_gives_a_message_not_an_error(cast, client_for):
    response = client_for(cast.office).get("/core/organisations/", {"kind": "nonsense"})
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


def test_htmx_request_renders_only_the_results(cast, client_for):
    response = client_for(cast.office).get(
        "/core/organisations/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">') and '<nav class="navbar' not in body


def test_list_query_count_does_not_grow_with_rows(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.office)
    client.get("/core/organisations/")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(12):
        client.get("/core/organisations/")
    for i in range(30):
        org = Organisation.objects.create(
            name=f"部门{i}", kind=OrganisationKind.DEPARTMENT, territory=cast.district
        )
        org.sectors.set([cast.hazchem, cast.construction])
    with django_assert_max_num_queries(12):
        client.get("/core/organisations/")


def test_keyset_pagination_walks_every_row_once(cast, settings, client_for):
    for i in range(7):
        Territory.objects.create(
            name=f"网格{i}", kind="grid", parent=cast.village_b, code=f"990102102201{i + 2:03d}"
        )
    qs = Territory.objects.all()
    seen, cursor = [], None
    while True:
        page = keyset_page(qs, ("path", "id"), cursor, 4)
        seen.extend(t.pk for t in page.items)
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == list(qs.order_by("path", "id").values_list("pk", flat=True))
    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 3}
    response = client_for(cast.office).get("/core/territories/")
    assert "下一页" in response.content.decode()
    assert "OFFSET" not in str(after_q(("-id",), [5]))


def test_bad_cursor_is_a_400_in_chinese(cast, client_for):
    response = client_for(cast.office).get("/core/territories/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert encode_cursor([1, "a"]) and decode_cursor(encode_cursor([1, "a"]), 2) == [1, "a"]


def test_excel_export_follows_filters_and_escapes_formulas(cast, client_for):
    Organisation.objects.create(
        name='=HYPERLINK("x")', kind=OrganisationKind.DEPARTMENT, territory=cast.district
    )
    response = client_for(cast.office).get(
        "/core/organisations/", {"export": "xlsx", "territory": cast.district.pk}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    names = {r[0] for r in rows[1:]}
    assert '\'=HYPERLINK("x")' in names and "邻区安委办" not in names


def test_form_errors_are_field_level_and_in_chinese(cast, client_for):
    response = client_for(cast.sys_admin).post(
        "/core/territories/add/", {"parent": cast.town_a.pk, "kind": "village", "code": "12", "name": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "该字段是必填项" in body and "村的区划代码应为12位数字" in body
    assert not Territory.objects.filter(code="12").exists()


def test_write_outside_scope_is_refused(cast, client_for):
    # the office of another district cannot attach a record to this district (choices are scoped)
    response = client_for(cast.outsider_office).post(
        "/core/organisations/add/",
        {
            "name": "越权机构",
            "kind": "department",
            "territory": cast.district.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="越权机构").exists()


def test_home_page_per_role(cast, client_for):
    body = client_for(cast.town_a_user).get("/").content.decode()
    assert "甲镇" in body and "待办事项" in body
    body = client_for(cast.enterprise_a_user).get("/").content.decode()
    assert "甲化工有限公司" in body
    assert "行政区划" not in body  # not in the navigation for enterprise staff


def test_healthz_reports_database(db, client):
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["database"] == "ok"


def test_error_pages_are_in_chinese(cast, client_for, settings):
    settings.DEBUG = False
    body = client_for(cast.office).get("/no-such-page/").content.decode()
    assert "页面不存在" in body
    body = client_for(cast.enterprise_a_user).get("/core/users/").content.decode()
    assert "无权" in body


def test_keyset_pages_keep_microseconds_of_datetimes(cast):
    """Rows written within one millisecond: a cursor cut to milliseconds would skip the later ones."""
    import datetime

    from django.utils import timezone

    from anjian.core.models import AuditEntry

    base = timezone.now().replace(microsecond=500_000)
    made = [
        AuditEntry.objects.create(timestamp=base + datetime.timedelta(microseconds=us), action="test.tick").pk
        for us in (1, 2, 3, 900)
    ]
    qs = AuditEntry.objects.filter(action="test.tick")
    seen, cursor = [], None
    while True:
        page = keyset_page(qs, ("-timestamp", "-id"), cursor, 1)
        seen += [e.pk for e in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(made)
