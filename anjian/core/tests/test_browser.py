"""Real-browser flow (Playwright driving Debian's Chromium): town staff sign in and see only their territory."""

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
    assert page.locator("[data-testid=locked-out]").is_visible()


def test_navigation_collapses_on_a_phone(live_cast, phone_page, login):
    login(phone_page, live_cast.office)
    toggler = phone_page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    phone_page.get_by_role("button", name="基础数据").click()
    assert phone_page.locator("#mainnav").get_by_role("link", name="行政区划").is_visible()
