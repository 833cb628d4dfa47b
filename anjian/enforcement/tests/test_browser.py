"""Real browser: a hazard becomes a punishable finding, then a case, then a penalty decision document."""

import pytest

from .factories import partner, provision

pytestmark = pytest.mark.browser


def test_case_from_hazard_to_decision_document(live_cast, page, login):
    from anjian.hazards.services import register_hazard

    cast = live_cast
    p = provision("L1-102")
    hazard = register_hazard(
        actor=cast.inspector,
        enterprise=cast.enterprise_a,
        description="储罐区静电接地缺失，逾期未整改",
        grade="general",
        sector=cast.hazchem,
    )
    second_officer = partner(cast.inspector)  # 行政处罚法 第四十二条: two officers
    base = page.base_url
    login(page, cast.inspector)

    # The hazard is recorded as a punishable violation.
    page.goto(f"{base}/enforcement/findings/add/?hazard={hazard.pk}")
    assert page.input_value("#id_description") == "储罐区静电接地缺失，逾期未整改"
    page.select_option("#id_provision", str(p.pk))
    page.click("form.col-lg-8 button[type=submit]")
    page.wait_for_selector("[data-testid=open-case]")

    # It shows on the office's unlinked list until a case is opened.
    page.click("[data-testid=open-case]")
    assert page.input_value("#id_title").startswith("甲化工有限公司涉嫌")
    page.select_option("#id_co_handler", str(second_officer.pk))
    page.click("form.col-lg-8 button[type=submit]")
    page.wait_for_selector("[data-testid=case-stage]")
    assert page.inner_text("[data-testid=case-stage]") == "立案"
    case_url = page.url

    # A fine above the provision's maximum is refused with the reason; the maximum is flagged.
    page.click("summary:has-text('拟定措施/处罚')")
    page.select_option("#id_measure", "fine")
    page.select_option("#id_provision", str(p.pk))
    page.fill("#id_amount", "60000")
    page.click("[data-testid=measure-form] button[type=submit]")
    assert "超过法定上限" in page.inner_text("[data-testid=measure-form]")
    page.fill("#id_amount", "50000")
    page.click("[data-testid=measure-form] button[type=submit]")
    page.wait_for_selector("[data-testid=measures] >> text=上限处罚")

    page.click("button[data-action=investigate]")
    page.wait_for_selector("[data-testid=case-stage]:has-text('调查取证')")
    page.click("button[data-action=notify]")
    page.wait_for_selector("[data-testid=case-stage]:has-text('告知')")
    page.select_option("#id_answer", "waived")
    page.click("[data-testid=record-hearing]")
    page.wait_for_selector("text=当事人放弃")
    # The handler cannot approve his own decision.
    assert "承办人、协办人以外的负责人" in page.inner_text("body")

    # The office approves (负责人审批) and issues the decision.
    page.context.clear_cookies()
    login(page, cast.office)
    page.goto(case_url)
    page.click("button[data-action=decide]")
    page.wait_for_selector("[data-testid=case-stage]:has-text('决定')")
    page.select_option("#id_kind", "decision_unit")
    page.click("[data-testid=issue-document]")
    link = page.wait_for_selector("[data-testid=download-pdf]")
    number = page.inner_text("[data-testid=documents] strong")
    assert number.startswith("测试区应急管理局罚〔")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    docx = page.request.get(base + page.get_attribute("[data-testid=download-docx]", "href"))
    assert docx.status == 200 and docx.body().startswith(b"PK")
