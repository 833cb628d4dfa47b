"""The system administrator enters a day of a year the built-in calendar does not know, then checks it."""

import pytest

pytestmark = pytest.mark.browser


def test_enter_a_holiday_and_check_the_day(live_cast, page, login):
    base = page.base_url
    login(page, live_cast.sys_admin)
    page.goto(f"{base}/workdays/")
    assert page.is_visible("[data-testid=missing-years]")
    page.goto(f"{base}/workdays/add/")
    page.fill("#id_day", "2027-01-01")
    page.select_option("#id_kind", "holiday")
    page.fill("#id_name", "元旦")
    page.fill("#id_basis", "国务院办公厅关于2027年部分节假日安排的通知")
    page.click("main form button:has-text('保存')")
    page.wait_for_selector("text=2027年1月1日")
    page.goto(f"{base}/workdays/?check=2027-01-01")
    assert "法定节假日" in page.inner_text("[data-testid=check-status]")
