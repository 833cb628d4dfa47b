"""Real browser: an overdue hazard (the hazards app's own provider) appears in the town staff's to-do list with
its escalation history, and the same history is on the hazard's page; the inbox marks everything read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.notifications import services

pytestmark = pytest.mark.browser


def test_overdue_hazard_in_town_todo_with_escalation_history(live_cast, page, login):
    from anjian.hazards.services import register_hazard

    cast = live_cast
    today = timezone.localdate()
    hazard = register_hazard(
        actor=cast.inspector,
        enterprise=cast.enterprise_a,
        description="储罐区静电接地线断开",
        grade="general",
        deadline=today - timedelta(days=5),
        found_on=today - timedelta(days=20),
    )
    # The periodic scan (cron / beat): overdue notice to the enterprise, escalations to level 1 (the 应急
    # inspector and 甲镇 staff) and level 2 (the district office), caught up in one run.
    result = services.scan_deadlines()
    assert result.fired >= 3, result

    login(page, cast.town_a_user)
    panel = page.get_by_test_id("panel-todo")
    item = panel.get_by_test_id("todo-item").filter(has_text="储罐区静电接地线断开")
    assert "督办" in item.inner_text() and "已逾期" in item.inner_text()
    history = item.get_by_test_id("todo-history").inner_text()
    assert "逾期1天升级至第1级" in history and "逾期3天升级至第2级" in history

    page.goto(f"{page.base_url}/notifications/todo/")
    item = page.get_by_test_id("todo-item").filter(has_text="储罐区静电接地线断开")
    assert cast.town_a_user.get_full_name() in item.get_by_test_id("todo-history").inner_text()
    item.locator("a").first.click()
    page.wait_for_url(f"**{hazard.get_absolute_url()}")
    assert "逾期升级" in page.get_by_test_id("history").inner_text()

    page.goto(f"{page.base_url}/notifications/")
    assert "未读" in page.get_by_test_id("unread-count").inner_text()
    assert "【逾期升级·第1级】" in page.get_by_test_id("object-table").inner_text()
    page.get_by_test_id("read-all").click()
    page.wait_for_load_state()
    assert "未读 0 条" in page.get_by_test_id("unread-count").inner_text()
