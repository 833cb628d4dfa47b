"""The bulletin page on a narrow screen: the ranking table scrolls inside its own box and long veto reasons
wrap, so no row pushes the page wider than the screen."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from anjian.assessment.models import Bulletin

VETO = (
    "发生较大及以上生产安全责任事故：甲镇某建设项目“较大”基坑坍塌事故（较大，死亡3人）",
    "事故死亡人数超过年度控制指标：死亡4人，超过控制指标3人",
)


def make_bulletin(cast) -> Bulletin:
    rankings = [
        {"rank": 1, "body": "乙镇人民政府", "total": "88.50", "grade": "良好", "veto_reasons": []},
        {"rank": 2, "body": "甲镇人民政府", "total": "91.20", "grade": "不合格", "veto_reasons": list(VETO)},
    ]
    return Bulletin.objects.create(
        kind="quarterly",
        territory=cast.district,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        issuer="测试区安委办",
        title="关于2026年第四季度全区安全生产工作情况的通报",
        recipient="各镇（街道）",
        intro="现将情况通报如下。",
        overview="总体平稳。",
        data={"rankings": rankings, "towns": [], "exposures": {}, "generated_at": "2026-12-01 14:05"},
        created_by=cast.office,
    )


def test_ranking_table_scrolls_in_its_box_and_veto_reasons_wrap(cast, client_for):
    page = client_for(cast.office).get(make_bulletin(cast).get_absolute_url()).content.decode()
    assert re.search(r'<div class="table-responsive"><table[^>]*data-testid="rankings"', page)
    assert f'<td class="wrap text-break">{VETO[0]}；{VETO[1]}</td>' in page  # reasons apart, and wrapping
    assert '<td class="wrap text-break">—</td>' in page  # no veto: a dash, not an empty cell


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bulletin_fits_a_phone(live_cast, phone_page, login):
    bulletin = make_bulletin(live_cast)
    page = phone_page
    login(page, live_cast.office)
    page.goto(f"{page.base_url}{bulletin.get_absolute_url()}")
    expect(page.get_by_test_id("rankings")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_veto_rules_are_described_in_words(cast, client_for):
    from .factories import scheme

    s = scheme(cast)
    page = client_for(cast.office).get(s.get_absolute_url()).content.decode()
    table = page.split('data-testid="veto-rules"')[1].split("</table>")[0]
    assert "{&#x27;" not in table and "<code>" not in table  # no raw parameter dictionaries
    assert "及以上事故" in table or "死亡人数超过" in table
