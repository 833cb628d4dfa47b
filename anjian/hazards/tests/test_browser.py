"""Real-browser flow: one general and one major hazard from registration to 销号 with three different people —
the inspector registers, the enterprise's safety manager rectifies and reports (on a phone), the county office
re-inspects, rejects once, then accepts and closes."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def sign_in(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def open_action(page, action):
    page.locator(f"[data-testid=open-{action}]").click()
    return page.locator(f"[data-testid=action-{action}]")


def submit(page, action, url):
    # The htmx form answers with HX-Redirect: the browser reloads the detail page.
    with page.expect_navigation(url=url):
        page.locator(f"[data-testid=submit-{action}]").click()


def status(page):
    return page.locator("[data-testid=status]").inner_text()


def test_general_and_major_hazard_to_closure(live_cast, page, phone_page, login, tmp_path):
    from anjian.core.models import Sector
    from anjian.hazards.data import seed_criteria
    from anjian.hazards.models import Hazard, MajorHazardCriterion

    seed_criteria(Sector, MajorHazardCriterion)
    photo = Path(tmp_path) / "after.png"
    photo.write_bytes(PNG)
    today = timezone.localdate()
    cast = live_cast

    # 1. The inspector registers a general and a major hazard.
    sign_in(page, login, cast.inspector)
    urls = {}
    for grade, text in (("general", "配电箱未接地"), ("major", "罐区可燃气体报警器未设置")):
        page.goto(f"{page.base_url}/hazards/new/")
        page.select_option("#id_enterprise", str(cast.enterprise_a.pk))
        page.fill("#id_description", text)
        page.select_option("#id_grade", grade)
        if grade == "major":
            # A major hazard without a clause is refused with the reason.
            page.click("[data-testid=hazard-form] button[type=submit]")
            assert "判定标准条款" in page.locator("[data-testid=hazard-form]").inner_text()
            clause = MajorHazardCriterion.objects.filter(sector=cast.hazchem).first()
            page.select_option("#id_major_criterion", str(clause.pk))
        page.fill("#id_deadline", str(today + timedelta(days=15)))
        page.click("[data-testid=hazard-form] button[type=submit]")
        page.wait_for_url("**/hazards/*/")
        assert status(page) == "已登记"
        urls[grade] = page.url
    assert Hazard.objects.filter(found_by=cast.inspector).count() == 2

    # 2. The enterprise's safety manager (on a phone) sets the plan, rectifies and reports.
    phone = phone_page
    sign_in(phone, login, cast.enterprise_a_user)
    for grade, url in urls.items():
        phone.goto(url)
        form = open_action(phone, "set_plan")
        form.locator("#id_set_plan-measures").fill("加装检测报警装置" if grade == "major" else "重新接地")
        form.locator("#id_set_plan-responsible_person").fill("王安全")
        form.locator("#id_set_plan-deadline").fill(str(today + timedelta(days=10)))
        if grade == "major":
            # 五落实: without funds and an emergency plan the plan is refused.
            form.locator("[data-testid=submit-set_plan]").click()
            assert "五落实" in phone.locator("[data-testid=refusal]").inner_text()
            form = phone.locator("[data-testid=action-set_plan]")
            form.locator("#id_set_plan-funds").fill("80000")
            form.locator("#id_set_plan-emergency_plan").fill("罐区限量储存，专人巡检，配备便携式报警仪")
        submit(phone, "set_plan", url)
        assert status(phone) == "已制定整改方案"
        open_action(phone, "start_rectification")
        submit(phone, "start_rectification", url)
        form = open_action(phone, "report")
        form.locator("#id_report-note").fill("已整改完毕")
        form.locator("#id_report-money_spent").fill("1200")
        form.locator("#id_report-photos").set_input_files(str(photo))
        submit(phone, "report", url)
        assert status(phone) == "整改完成待复查"

    # 3. The county office re-inspects: rejects the general hazard once, accepts and closes both.
    sign_in(page, login, cast.office)
    page.goto(urls["general"])
    form = open_action(page, "reject")
    form.locator("#id_reject-reason").fill("接地电阻未检测")
    submit(page, "reject", urls["general"])
    assert status(page) == "整改中"
    assert "接地电阻未检测" in page.locator("[data-testid=reviews]").inner_text()

    sign_in(phone, login, cast.enterprise_a_user)
    phone.goto(urls["general"])
    form = open_action(phone, "report")
    form.locator("#id_report-note").fill("已检测接地电阻 3.2Ω")
    form.locator("[data-testid=submit-report]").click()
    assert "新的整改后照片" in phone.locator("[data-testid=refusal]").inner_text()
    phone.locator("#id_report-photos").set_input_files(str(photo))
    submit(phone, "report", urls["general"])

    sign_in(page, login, cast.office)
    for url in urls.values():
        page.goto(url)
        open_action(page, "accept")
        submit(page, "accept", url)
        assert status(page) == "复查合格待销号"
        open_action(page, "close")
        submit(page, "close", url)
        assert status(page) == "已销号"
        assert "隐患销号" in page.locator("[data-testid=history]").inner_text()

    general = Hazard.objects.get(description="配电箱未接地")
    major = Hazard.objects.get(description="罐区可燃气体报警器未设置")
    assert general.reviews.count() == 2 and general.closed_by == cast.office
    assert (
        major.funds == 80000
        and major.reported_by == cast.enterprise_a_user
        and major.reviewed_by == cast.office
    )
