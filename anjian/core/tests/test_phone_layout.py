"""Real browser on a phone (390x844): the home page of the field roles fits in about two screens with the big
buttons in the first, and a list is a column of cards with its filters folded behind one button."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREEN = 844


@pytest.mark.parametrize("user_name", ["grid_a_user", "inspector", "enterprise_a_user"])
def test_home_fits_two_phone_screens(live_cast, phone_page, login, user_name):
    login(phone_page, getattr(live_cast, user_name))
    phone_page.wait_for_load_state("networkidle")
    first = phone_page.get_by_test_id("home-action").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] + first.bounding_box()["height"] < SCREEN  # no scrolling to act
    assert phone_page.evaluate("document.documentElement.scrollHeight") <= 2 * SCREEN


def test_list_is_cards_with_folded_filters(live_cast, phone_page, login):
    login(phone_page, live_cast.office)
    phone_page.goto(f"{phone_page.base_url}/core/territories/")
    expect(phone_page.get_by_test_id("object-table")).to_be_hidden()
    cards = phone_page.get_by_test_id("object-card")
    expect(cards.first).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing clipped sideways
    search = phone_page.locator("#id_q")
    expect(search).to_be_hidden()
    phone_page.get_by_test_id("filter-toggle").click()
    expect(search).to_be_visible()
    search.fill("网格")
    search.press("Enter")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("甲村第1网格")
    expect(phone_page.get_by_test_id("filter-toggle")).to_contain_text("筛选 1")  # one filter in use
    cards.first.click()  # the whole card opens the record
    phone_page.wait_for_url("**/core/territories/*/")


@pytest.mark.parametrize("width", [1100, 1280, 1366])
def test_menu_stays_one_line_on_a_laptop(live_cast, browser, live_server, login, width):
    """Eleven menu groups and the to-do badge: one line from 1200 px, the collapsed menu below, never a page
    scrolled sideways or a badge broken over two lines."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, live_cast.office)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height") < 70
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
