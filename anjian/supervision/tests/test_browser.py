"""The 安委办 issues a task to two member units; one reports late and is escalated, the other is accepted; the
list's summary and the indicators read the new data."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anjian.core.demo import clock_at

pytestmark = pytest.mark.browser


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_issue_report_late_escalate_and_accept(live_cast, page, login):
    from anjian.assessment import indicators
    from anjian.assessment.periods import Period, Target
    from anjian.notifications.models import Firing
    from anjian.notifications.services import scan_deadlines
    from anjian.supervision.models import Assignment, Task

    c = live_cast
    base = page.base_url
    deadline = timezone.localdate() + timedelta(days=1)

    # The office issues the 督办单 to 应急 and 住建.
    login(page, c.office)
    page.goto(f"{base}/supervision/new/")
    page.select_option("#id_issuer", str(c.office_org.pk))
    page.fill("#id_title", "有限空间作业专项检查")
    page.fill("#id_content", "对辖区涉及有限空间作业的企业开展专项检查。")
    page.select_option("#id_lead_units", [str(c.yingji.pk), str(c.zhujian.pk)])
    page.fill("#id_deadline", deadline.isoformat())
    page.fill("#id_materials", "检查记录")
    page.click("[data-testid=task-form] button[type=submit]")
    page.wait_for_selector("[data-testid=task-title]")
    task = Task.objects.get(title="有限空间作业专项检查")
    assert task.number in page.inner_text("h1")
    assert page.locator("[data-testid=assignment]").count() == 2

    # 应急 reports completion on time.
    login(page, c.inspector)
    page.goto(f"{base}{task.get_absolute_url()}")
    page.click("[data-testid=report]")
    page.fill("#id_text", "检查企业 15 家，问题已整改。")
    page.check("#id_final")
    page.click("[data-testid=assignment-form] button[type=submit]")
    page.wait_for_selector("[data-testid=timeline-report]")

    # The office accepts it.
    login(page, c.office)
    page.goto(f"{base}{task.get_absolute_url()}")
    page.click("[data-testid=review]")
    page.check("input[name=decision][value=accept]")
    page.fill("#id_opinion", "同意办结。")
    page.click("[data-testid=assignment-form] button[type=submit]")
    page.wait_for_selector("[data-testid=timeline-review]")

    # 住建 has not reported: the daily scan, run four days after the deadline, escalates to the office.
    zhujian_part = Assignment.objects.get(task=task, unit=c.zhujian)
    scan_deadlines(now=_at(deadline + timedelta(days=4)))
    assert Firing.objects.filter(object_id=str(zhujian_part.pk), rule__step="escalate").exists()
    page.goto(f"{base}{task.get_absolute_url()}")
    history = page.inner_text("[data-testid=deadline-history]")
    assert "测试区住建局" in history and "升级" in history

    # 住建 reports three days late (the clock moved by data): the report is marked 逾期报送 for good.
    with clock_at(_at(deadline + timedelta(days=3))):
        login(page, c.inspector_other)
        page.goto(f"{base}{task.get_absolute_url()}")
        page.click("[data-testid=report]")
        page.fill("#id_text", "检查完成，资料见附件。")
        page.check("#id_final")
        page.click("[data-testid=assignment-form] button[type=submit]")
        page.wait_for_selector("[data-testid=reported-late]")
    zhujian_part.refresh_from_db()
    assert zhujian_part.reported_late
    task.refresh_from_db()
    assert task.status == "open"  # 住建's part waits for acceptance

    # The list's summary and the 过程考核 indicators read it.
    login(page, c.office)
    page.goto(f"{base}/supervision/")
    assert "有限空间作业专项检查" in page.inner_text("main")
    assert page.inner_text("[data-testid=supervision-summary]")
    period = Period(deadline - timedelta(days=10), deadline + timedelta(days=10))
    with clock_at(_at(deadline + timedelta(days=10))):  # judged once the deadline has passed
        late = indicators.compute("supervision_task_overdue", Target.for_body(c.zhujian), period)
        on_time = indicators.compute("supervision_task_on_time", Target.for_body(c.yingji), period)
        zhujian_rate = indicators.compute("supervision_task_on_time", Target.for_body(c.zhujian), period)
    assert (on_time.numerator, on_time.denominator) == (1, 1)
    assert late.value == 1 and (zhujian_rate.numerator, zhujian_rate.denominator) == (0, 1)


def test_phone_list_shows_cards(live_cast, phone_page, login):
    from anjian.supervision import services

    services.issue_task(
        by=live_cast.office,
        issuer=live_cast.office_org,
        title="手机端卡片",
        content="内容",
        lead_units=[live_cast.yingji],
        deadline=timezone.localdate() + timedelta(days=3),
    )
    login(phone_page, live_cast.inspector)
    phone_page.goto(f"{phone_page.base_url}/supervision/")
    expect(phone_page.locator("[data-testid=object-card]").first).to_be_visible()
    phone_page.goto(f"{phone_page.base_url}/supervision/mine/")
    assert "手机端卡片" in phone_page.inner_text("main")
