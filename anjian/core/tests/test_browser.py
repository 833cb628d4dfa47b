"""Real-browser flow (Playwright driving Debian's Chromium): town staff sign in and see only their territory."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_town_staff_see_only_their_own_territory(live_cast, page, login):
    login(page, live_cast.town_a_user)
    assert "甲镇" in page.locator("[data-testid=scope]").inner_text()
    page.goto(f"{page.base_url}/core/territories/")
    table = page.locator("[data-testid=object-table]")
    assert "甲村" in table.inner_text()
    assert "乙镇" not in table.inner_text() and "乙村" not in table.inner_text()
    # searching narrows the list through htmx without a full reload
    page.fill("#id_q", "网格")
    page.locator("#id_q").press("Enter")
    rows = page.locator("[data-testid=object-table] tbody tr")
    expect(rows).to_have_count(1)  # (no JavaScript-string waits: the CSP forbids eval, rightly)
    expect(rows.first).to_contain_text("甲村第1网格")
    assert "q=" in page.url  # hx-push-url: the filtered list can be reloaded or shared
    # another town's record answers like a missing one
    response = page.goto(f"{page.base_url}/core/territories/{live_cast.town_b.pk}/")
    assert response.status == 404
    assert "页面不存在" in page.content() or "不存在" in page.content()


def test_lockout_is_shown_in_chinese(live_cast, page):
    for _ in range(5):
        page.goto(f"{page.base_url}/login/")
        page.fill("#id_username", live_cast.office.username)
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
    expect(page.locator("[data-testid=locked-out]")).to_be_visible()


def test_navigation_collapses_on_a_phone(live_cast, phone_page, login):
    login(phone_page, live_cast.office)
    toggler = phone_page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    phone_page.get_by_role("button", name="基础数据").click()
    expect(phone_page.locator("#mainnav").get_by_role("link", name="行政区划")).to_be_visible()


def test_filtering_updates_rows_and_export_and_a_failure_clears_stale_rows(live_cast, page, login):
    """The filter (htmx) replaces the rows and the export link; a failed request shows an error in their
    place, so nobody reads or exports stale rows as if they were the answer."""
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/core/organisations/")
    rows = page.locator("[data-testid=object-table] tbody tr")
    assert rows.count() > 2
    page.select_option("#id_sector", str(live_cast.construction.pk))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("测试区住建局")
    export = page.locator("#export-link")
    expect(export).to_have_attribute(
        "href", f"/core/organisations/?sector={live_cast.construction.pk}&export=xlsx"
    )

    # The next filter request fails on the server.
    page.route(
        "**/core/organisations/?*",
        lambda route: (
            route.fulfill(status=500, body="boom")
            if route.request.headers.get("hx-request")
            else route.continue_()
        ),
    )
    page.select_option("#id_sector", str(live_cast.hazchem.pk))
    alert = page.locator("[data-testid=htmx-error]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("查询失败")
    expect(page.locator("[data-testid=object-table]")).to_have_count(0)
    expect(export).to_have_class(re.compile("disabled"))
