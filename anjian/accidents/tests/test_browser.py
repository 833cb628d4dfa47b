"""Real browser: file an accident, then 补报 a later death that changes its grade (一般 → 较大)."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_then_supplement_changes_grade(live_cast, page, login):
    cast = live_cast
    login(page, cast.town_a_user)
    page.goto(f"{page.base_url}/accidents/add/")
    occurred = timezone.localtime() - timedelta(days=1)
    page.fill("#id_title", "甲化工“罐区”中毒和窒息事故")
    page.select_option("#id_enterprise", str(cast.enterprise_a.pk))
    page.select_option("#id_sector", str(cast.hazchem.pk))
    page.fill("#id_occurred_at", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "储罐区")
    page.select_option("#id_category", "1986-19")
    page.fill("#id_summary", "清罐作业未检测气体，两人中毒死亡。")
    page.fill("#id_deaths", "2")
    page.fill("#id_serious_injuries", "3")
    page.fill("#id_direct_loss", "2500000")
    page.fill("#id_county_received_at", (occurred + timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"))
    page.click("[data-testid=submit]")
    page.wait_for_url("**/accidents/*/")
    assert page.inner_text("[data-testid=grade]") == "一般事故"
    assert page.inner_text("[data-testid=deaths]") == "2"
    assert "设区的市级" in page.inner_text("[data-testid=hops]")

    page.click("[data-testid=supplement]")
    page.fill("#id_deaths", "3")
    page.fill("#id_serious_injuries", "2")
    page.fill("#id_note", "一名重伤人员抢救无效死亡")
    page.click("[data-testid=submit]")
    page.wait_for_url("**/accidents/*/")
    assert page.inner_text("[data-testid=grade]") == "较大事故"
    assert page.inner_text("[data-testid=deaths]") == "3"
    versions = page.inner_text("[data-testid=versions]")
    assert "第1版 首报" in versions and "第2版 补报" in versions
    assert "一般 → 较大" in page.inner_text("[data-testid=grade-history]")
    assert "省级" in page.inner_text("[data-testid=hops]")  # 较大 → reported up to the province
    assert "事故等级变更" in page.inner_text("[data-testid=history]")

    # the statistics page draws its chart from the static script (CSP: no inline JS)
    page.goto(f"{page.base_url}/accidents/statistics/")
    page.wait_for_selector("#accident-chart canvas")
    assert "较大以上" in page.inner_text("[data-testid=stats-table]")
