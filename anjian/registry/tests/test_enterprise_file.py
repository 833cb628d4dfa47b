"""一企一档: the enterprise page as the unit's whole file — tabs, badges, htmx panes, keyset pages, the timeline,
scope and permissions (the tabs other apps contribute are tested in those apps with .enterprise_file)."""

from datetime import date, timedelta

import pytest

from anjian.core.tables import Column
from anjian.registry import tabs
from anjian.registry.models import Licence

from .enterprise_file import PANE_ID, active_tab, file_url, open_tab, tab_badges
from .factories import make_risk_point

pytestmark = pytest.mark.django_db

# Who may open enterprise A's file (A: 甲村, 危险化学品).
CAN_OPEN_A = {
    "office": 200,
    "leader": 200,
    "inspector": 200,  # 应急 supervises 危险化学品
    "inspector_other": 404,  # 住建: not its sector
    "town_a_user": 200,
    "town_b_user": 404,  # another town
    "grid_a_user": 404,  # A lies in the village, not inside the grid
    "enterprise_a_user": 200,
    "enterprise_b_user": 404,  # another unit
    "outsider_office": 404,  # another district
    "sys_admin": 403,
    "audit_admin": 403,
}


def licence(enterprise, number, days=365):
    return Licence.objects.create(
        enterprise=enterprise, kind="safety", number=number, valid_until=date.today() + timedelta(days=days)
    )


def test_the_file_shows_a_badge_per_tab_and_opens_the_first(cast, client_for):
    make_risk_point(cast.enterprise_a, name="液氯储罐区")
    licence(cast.enterprise_a, "A-1")
    html = client_for(cast.office).get(file_url(cast.enterprise_a)).content.decode()
    badges = tab_badges(html)
    assert badges["risk_points"] == "1" and badges["licences"] == "1"
    assert "chemicals" not in badges  # rarely held registers are left out when empty
    assert "timeline" in badges
    assert active_tab(html) == "risk_points"
    assert "液氯储罐区" in html and 'data-testid="enterprise-fields"' in html


def test_a_plain_link_gets_the_whole_page_with_that_tab_open(cast, client_for):
    licence(cast.enterprise_a, "A-1")
    response = client_for(cast.office).get(file_url(cast.enterprise_a, "licences"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'data-testid="enterprise-fields"' in html
    assert active_tab(html) == "licences" and 'data-tab="licences"' in html
    assert "A-1" in html
    # every tab is a real URL, also loadable by htmx into the pane
    assert 'href="?tab=risk_points" hx-get="?tab=risk_points"' in html
    assert f'hx-target="#{PANE_ID}"' in html


def test_htmx_gets_only_the_pane(cast, client_for):
    licence(cast.enterprise_a, "A-1")
    response = open_tab(client_for(cast.office), cast.enterprise_a, "licences")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="{PANE_ID}"' in html and 'data-tab="licences"' in html and "A-1" in html
    assert 'data-testid="enterprise-fields"' not in html and 'data-testid="enterprise-tabs"' not in html
    assert "HX-Request" in response["Vary"]


def test_an_unknown_tab_is_not_found(cast, client_for):
    client = client_for(cast.office)
    assert client.get(file_url(cast.enterprise_a, "nope")).status_code == 404
    assert open_tab(client, cast.enterprise_a, "nope").status_code == 404


def test_who_may_open_the_file_and_its_tabs(cast, client_for):
    licence(cast.enterprise_a, "A-1")
    pages, panes = {}, {}
    for name in CAN_OPEN_A:
        client = client_for(getattr(cast, name))
        pages[name] = client.get(file_url(cast.enterprise_a, "licences")).status_code
        panes[name] = open_tab(client, cast.enterprise_a, "licences").status_code
    assert pages == CAN_OPEN_A
    assert panes == CAN_OPEN_A


def test_enterprise_staff_see_their_own_registers_only(cast, client_for):
    licence(cast.enterprise_a, "A-1")
    licence(cast.enterprise_b, "B-1")
    html = open_tab(client_for(cast.enterprise_b_user), cast.enterprise_b, "licences").content.decode()
    assert "B-1" in html and "A-1" not in html


def test_a_tab_the_role_may_not_see_is_not_shown(cast, client_for, monkeypatch):
    # A tab readable by government roles only (like 执法案件 or 群众举报 in their apps).
    government_only = tabs.EnterpriseTab(
        key="closures_test",
        title="取缔记录（测试）",
        order=500,
        permission="registry.view_closurerecord",
        records=lambda e: Licence.objects.filter(enterprise=e),
        columns=(Column("证号", "number", link=True),),
    )
    monkeypatch.setattr(tabs, "all_tabs", lambda: (*tabs.REGISTRY_TABS, government_only))
    licence(cast.enterprise_a, "A-1")
    office = client_for(cast.office)
    assert "closures_test" in tab_badges(office.get(file_url(cast.enterprise_a)).content.decode())
    pane = open_tab(office, cast.enterprise_a, "closures_test").content.decode()
    assert 'data-testid="tab-table"' in pane and "A-1" in pane  # columns render like the list pages

    staff = client_for(cast.enterprise_a_user)
    assert "closures_test" not in tab_badges(staff.get(file_url(cast.enterprise_a)).content.decode())
    assert open_tab(staff, cast.enterprise_a, "closures_test").status_code == 404
    assert staff.get(file_url(cast.enterprise_a, "closures_test")).status_code == 404


def test_the_badge_is_a_bounded_count(cast, client_for):
    Licence.objects.bulk_create(
        Licence(enterprise=cast.enterprise_a, kind="safety", number=f"A-{i}", valid_until=date.today())
        for i in range(tabs.COUNT_LIMIT + 1)
    )
    html = client_for(cast.office).get(file_url(cast.enterprise_a)).content.decode()
    assert tab_badges(html)["licences"] == "100+"


def test_a_tab_pages_with_a_keyset_cursor(cast, client_for, settings):
    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 2}
    for number in ("L-1", "L-2", "L-3"):
        licence(cast.enterprise_a, number)
    client = client_for(cast.office)
    first = open_tab(client, cast.enterprise_a, "licences").content.decode()
    assert "L-3" in first and "L-2" in first and "L-1" not in first  # newest first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = open_tab(client, cast.enterprise_a, "licences", cursor).content.decode()
    assert "L-1" in second and "L-3" not in second
    assert 'data-testid="tab-next-page"' not in second and "回到第一页" in second
    # the same page through a plain link: the whole page, that tab, that page
    page = client.get(file_url(cast.enterprise_a, "licences", cursor)).content.decode()
    assert active_tab(page) == "licences" and "L-1" in page and "L-3" not in page


def test_view_all_opens_the_list_narrowed_to_the_unit(cast, client_for):
    licence(cast.enterprise_a, "A-1")
    licence(cast.enterprise_b, "B-1")
    client = client_for(cast.office)
    pane = open_tab(client, cast.enterprise_a, "licences").content.decode()
    link = f"/registry/licences/?enterprise={cast.enterprise_a.pk}"
    assert f'href="{link}"' in pane
    listing = client.get(link).content.decode()
    assert "A-1" in listing and "B-1" not in listing


def test_the_timeline_shows_the_unit_and_its_records_newest_first(cast, client_for):
    enterprise = cast.enterprise_a
    enterprise.principal_name = "张三"
    enterprise.save()
    make_risk_point(enterprise, name="液氯储罐区")
    licence(cast.enterprise_b, "B-1")
    html = open_tab(client_for(cast.town_a_user), enterprise, "timeline").content.decode()
    assert 'data-testid="timeline"' in html
    assert "张三" in html and "液氯储罐区" in html
    assert html.index("液氯储罐区") < html.index("张三")  # newest first
    assert "B-1" not in html


def test_query_counts_do_not_grow_with_the_records(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.office)
    for i in range(3):
        make_risk_point(cast.enterprise_a, name=f"风险点{i}")
        licence(cast.enterprise_a, f"A-{i}")
    client.get(file_url(cast.enterprise_a))  # warm the content-type cache
    with django_assert_max_num_queries(40):
        client.get(file_url(cast.enterprise_a))
    with django_assert_max_num_queries(10):
        open_tab(client, cast.enterprise_a, "licences")
    with django_assert_max_num_queries(10):
        open_tab(client, cast.enterprise_a, "timeline")
    for i in range(3, 30):
        make_risk_point(cast.enterprise_a, name=f"风险点{i}")
        licence(cast.enterprise_a, f"A-{i}")
    with django_assert_max_num_queries(40):
        client.get(file_url(cast.enterprise_a))
    with django_assert_max_num_queries(10):
        open_tab(client, cast.enterprise_a, "risk_points")
    with django_assert_max_num_queries(10):
        open_tab(client, cast.enterprise_a, "timeline")


def test_the_timeline_pages_with_a_keyset_cursor(cast, client_for, settings):
    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 2}
    for name in ("第一风险点", "第二风险点", "第三风险点"):
        make_risk_point(cast.enterprise_a, name=name)
    client = client_for(cast.office)
    first = open_tab(client, cast.enterprise_a, "timeline").content.decode()
    assert "第三风险点" in first and "第二风险点" in first and "第一风险点" not in first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = open_tab(client, cast.enterprise_a, "timeline", cursor).content.decode()
    assert "第一风险点" in second and "第三风险点" not in second


def test_an_empty_register_opened_by_its_link_shows_in_the_strip(cast, client_for):
    client = client_for(cast.office)
    assert "equipment" not in tab_badges(client.get(file_url(cast.enterprise_a)).content.decode())
    html = client.get(file_url(cast.enterprise_a, "equipment")).content.decode()
    assert active_tab(html) == "equipment" and tab_badges(html)["equipment"] == "0"
    assert 'data-testid="tab-empty"' in html


def test_timeline_pages_keep_entries_of_the_same_millisecond(cast, client_for, settings):
    from datetime import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from anjian.core.models import AuditEntry
    from anjian.registry.models import Enterprise

    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 1}
    moment = datetime(2030, 1, 1, 8, 0, 0, tzinfo=timezone.get_current_timezone())
    for micro, message in ((123_400, "较新的一条"), (123_200, "较早的一条")):
        AuditEntry.objects.create(
            timestamp=moment.replace(microsecond=micro),
            action="registry.note",
            content_type=ContentType.objects.get_for_model(Enterprise),
            object_id=str(cast.enterprise_a.pk),
            message=message,
        )
    client = client_for(cast.office)
    first = open_tab(client, cast.enterprise_a, "timeline").content.decode()
    assert "较新的一条" in first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = open_tab(client, cast.enterprise_a, "timeline", cursor).content.decode()
    assert "较早的一条" in second


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/",
        "/enforcement/cases/",
        "/enforcement/talks/",
        "/accidents/",
        "/operations/tips/",
        "/operations/warnings/notices/",
    ],
)
def test_lists_behind_查看全部_narrow_to_the_unit_and_keep_it_while_filtering(cast, client_for, url):
    body = client_for(cast.office).get(url, {"enterprise": cast.enterprise_a.pk}).content.decode()
    # The unit stays in the filter form (a hidden field), so changing another filter keeps it.
    assert f'name="enterprise" value="{cast.enterprise_a.pk}"' in body
