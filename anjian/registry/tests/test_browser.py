"""Real-browser flows (Playwright + Chromium): Excel import with a bad row, fixed and re-imported; risk map."""

from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from .factories import make_risk_point, valid_code

pytestmark = pytest.mark.browser


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["单位名称*", "统一社会信用代码*", "所属区划*", "监管行业领域", "主要负责人电话"])
    for row in rows:
        sheet.append(row)
    data = BytesIO()
    book.save(data)
    return data.getvalue()


def test_import_with_a_bad_row_then_fixed(live_cast, page, login):
    village = live_cast.village_a.code
    good = ["甲村新建化工仓储有限公司", valid_code(901), village, "危险化学品", "13800000009"]
    bad = ["甲村烟花爆竹零售点", "91990102000009020X", village, "烟花爆竹", ""]
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/registry/enterprises/")
    page.get_by_role("link", name="导入").click()
    page.wait_for_url("**/core/import/enterprises/")
    expect(page.get_by_test_id("template-link")).to_be_visible()

    page.set_input_files(
        "input[type=file]",
        {"name": "企业名单.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx([good, bad])},
    )
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_selector("[data-testid=batch][data-status=invalid]")
    errors = page.get_by_test_id("import-errors").inner_text()
    assert "3" in errors and "统一社会信用代码" in errors and "校验码错误" in errors
    assert "未导入任何数据" in page.content()

    # fix the check character and upload again
    bad[1] = valid_code(902)
    page.goto(f"{page.base_url}/core/import/enterprises/")
    page.set_input_files(
        "input[type=file]",
        {"name": "企业名单-修正.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx([good, bad])},
    )
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_selector("[data-testid=batch][data-status=ready]")
    assert "新增 2 条" in page.get_by_test_id("batch").inner_text()
    page.get_by_test_id("confirm-import").click()
    page.wait_for_selector("[data-testid=import-done]")
    assert "新增 2 条" in page.get_by_test_id("import-done").inner_text()

    page.get_by_role("link", name="查看台账").click()
    page.fill("#id_q", "烟花爆竹零售点")
    page.locator("#id_q").press("Enter")
    # htmx swaps the results in place (no wait_for_function: the CSP forbids eval)
    expect(page.get_by_test_id("object-table")).not_to_contain_text("甲化工有限公司")
    page.get_by_role("link", name="甲村烟花爆竹零售点").click()
    assert "烟花爆竹" in page.get_by_test_id("sectors").inner_text()
    assert "请安委办按“业务相近”原则明确监管部门" in page.get_by_test_id("supervisors").inner_text()


def test_risk_map_chart_and_enterprise_tabs(live_cast, page, login):
    make_risk_point(live_cast.enterprise_a, lec=(10, 6, 7), name="液氯储罐区")
    from anjian.registry.services import recompute_risk_level

    recompute_risk_level(live_cast.enterprise_a)
    login(page, live_cast.inspector)
    page.goto(f"{page.base_url}/registry/riskmap/")
    page.wait_for_selector("#risk-chart canvas")  # ECharts drew the chart (static JS, CSP-safe)
    table = page.get_by_test_id("risk-table").inner_text()
    assert "甲镇" in table
    page.goto(f"{page.base_url}/registry/enterprises/{live_cast.enterprise_a.pk}/")
    assert page.get_by_test_id("risk-badge").first.inner_text() == "重大风险（红）"
    page.get_by_role("tab", name="风险点").click()
    expect(page.get_by_role("link", name="液氯储罐区")).to_be_visible()


def test_enterprise_file_tabs_on_a_phone(live_cast, phone_page, login):
    from datetime import date

    from anjian.registry.models import Licence

    page = phone_page
    make_risk_point(live_cast.enterprise_a, name="液氯储罐区")
    Licence.objects.create(
        enterprise=live_cast.enterprise_a, kind="safety", number="A-1", valid_until=date.today()
    )
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/registry/enterprises/{live_cast.enterprise_a.pk}/")
    strip = page.get_by_test_id("enterprise-tabs")
    # On a phone the strip scrolls sideways instead of wrapping onto several lines.
    assert strip.evaluate("el => el.scrollWidth > el.clientWidth")
    assert strip.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    page.get_by_role("tab", name="动态").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("液氯储罐区")
    expect(page.get_by_role("tab", name="动态")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="风险点")).to_have_attribute("aria-selected", "false")
    assert page.url.endswith("?tab=timeline")
    page.get_by_role("tab", name="证照").click()
    expect(page.get_by_test_id("tab-pane")).to_contain_text("A-1")
