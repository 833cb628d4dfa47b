import re
from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.operations.data import seed
from anjian.operations.models import Tip


@pytest.mark.browser
def test_citizen_submits_tip_on_phone_and_checks_status(live_cast, phone_page):
    page = phone_page
    page.goto(f"{page.base_url}/public/tip/")
    page.select_option("#id_kind", "major_hazard")
    page.fill("#id_content", "乙村工地脚手架没有防护网，工人不系安全带。")
    page.select_option("#id_territory", label="乙镇 · 乙村")
    page.fill("#id_unit_name", "乙建筑有限公司")
    page.check("#id_anonymous")
    page.click("button[type=submit]")
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert code not in page.url
    tip = Tip.objects.get()
    assert tip.enterprise == live_cast.enterprise_b
    tip.status = "verified"
    tip.public_reply = "经核查属实，已责令停工整改。"
    tip.save()
    page.goto(f"{page.base_url}/public/tip/status/")
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    assert page.get_by_test_id("public-status").inner_text() == "经核查属实，正在依法处理"
    assert "责令停工整改" in page.get_by_test_id("tip-progress").inner_text()
    assert code not in page.url


@pytest.mark.browser
def test_duty_officer_records_warning_and_sees_unacknowledged(live_cast, page, login):
    seed()  # the live-server database was flushed: the exposure rules come back
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/operations/warnings/add/")
    start = timezone.localtime()
    page.select_option("#id_warning_type", "heat")
    page.select_option("#id_level", "red")
    page.fill("#id_title", "高温红色预警")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (start + timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_areas", [str(live_cast.district.pk)])
    page.click("main form button[type=submit]")
    assert "/operations/warnings/" in page.url and "add" not in page.url, [
        t.inner_text() for t in page.locator(".invalid-feedback").all()
    ]
    page.get_by_test_id("issue").click()
    assert "共 2 家，已签收 0，未签收 2" in page.get_by_test_id("ack-summary").inner_text()
    rows = page.get_by_test_id("notice-row")
    assert rows.count() == 2
    assert "未签收" in rows.nth(0).inner_text()
    page.goto(f"{page.base_url}/operations/duty/")
    assert "未签收单位 2 家" in page.get_by_test_id("desk-warnings").inner_text()
