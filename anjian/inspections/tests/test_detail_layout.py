"""The inspection record on a narrow screen: long findings wrap, and on a phone they stack under the item
instead of a column that runs off the screen."""

import re

import pytest
from playwright.sync_api import expect

from anjian.inspections.models import ItemResult

LONG_NOTE = (
    "储罐区可燃气体报警器失效，现场未设置备用检测仪器，操作人员不清楚报警值，值班记录连续十五日未填写，"
    "应急物资柜上锁且钥匙无人保管"
)


@pytest.fixture
def failed_inspection(make_inspection):
    inspection = make_inspection()
    items = list(inspection.items.order_by("order"))
    for item in items:
        item.result = ItemResult.PASS
        item.save()
    items[1].result = ItemResult.FAIL
    items[1].note = LONG_NOTE
    items[1].follow_up = "deadline"
    items[1].interim_measures = "停用储罐区并设置警戒，安排专人巡查直至报警器修复并经检测合格"
    items[1].save()
    return inspection


def test_findings_wrap_and_stack_on_phones(cast, client_for, failed_inspection):
    page = client_for(cast.office).get(failed_inspection.get_absolute_url()).content.decode()
    column = re.search(r'<td class="([^"]*)" data-testid="problem">', page)
    assert column, "the 问题与处理 column is marked"
    classes = column.group(1).split()
    assert {"wrap", "text-break"} <= set(classes)  # long text wraps instead of being cut off
    assert {"d-none", "d-md-table-cell"} <= set(classes)  # the column is for wide screens only
    # On a phone the same findings appear under the item itself.
    stacked = re.search(
        r'<div class="d-md-none[^"]*" data-testid="problem-stacked">(.*?)</div>\s*</td>', page, re.S
    )
    assert stacked and LONG_NOTE in stacked.group(1)
    assert page.count(LONG_NOTE) == 2
    assert re.search(
        r'<td class="wrap text-break">[^<]*' + re.escape(failed_inspection.items.get(order=2).text[:10]), page
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspection_record_fits_a_phone(live_cast, phone_page, login, make_inspection):
    items = list(make_inspection().items.order_by("order"))
    items[1].result = ItemResult.FAIL
    items[1].note = LONG_NOTE * 2
    items[1].save()
    page = phone_page
    login(page, live_cast.office)
    page.goto(f"{page.base_url}{items[1].inspection.get_absolute_url()}")
    expect(page.get_by_test_id("problem-stacked")).to_be_visible()
    expect(page.get_by_test_id("problem").nth(1)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
