"""A town's messy multi-sheet hazard ledger imported in a real browser, through the column-mapping step."""

import pytest

from .ledgers import town_hazard_ledger

pytestmark = pytest.mark.browser

HEADERS = ["序号", "被检查单位", "存在问题", "隐患级别", "检查时间", "片区", "整改情况"]


def test_multi_sheet_ledger_through_the_mapping_step(live_cast, page, login, tmp_path):
    from anjian.hazards.models import Hazard

    months = {
        m: [["甲化工有限公司", f"{m}月：消防通道堵塞", "一般", f"2024年{m}月6日", "东片", "已整改"]]
        for m in (1, 2, 3)
    }
    path = tmp_path / "甲镇隐患台账.xlsx"
    path.write_bytes(town_hazard_ledger(months, headers=HEADERS).getvalue())

    login(page, live_cast.inspector)
    page.goto(f"{page.base_url}/core/import/hazards/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并校验").click()
    batch = page.locator("[data-testid=batch]")
    batch.and_(page.locator("[data-status=mapping]")).wait_for()
    assert (
        "第3行为表头，读取 2024年1月–3月 共3个工作表"
        in page.locator("[data-testid=table-found]").inner_text()
    )
    page.get_by_label("“片区”对应的内容").select_option(label="隐患部位")
    page.locator("[data-testid=save-mapping]").click()
    page.locator("[data-testid=batch][data-status=ready]").wait_for()
    page.locator("[data-testid=confirm-import]").click()
    page.locator("[data-testid=import-done]").wait_for()
    assert Hazard.objects.filter(location="东片").count() == 3
