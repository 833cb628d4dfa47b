"""Real-browser flow: searching the hazard list as people type — two-character words, a unit's name, a word that
matches nothing — on a desktop and on a phone, the results swapped in by htmx; on PostgreSQL also a search too
broad for its time, which must say so rather than show a partial list."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from anjian.hazards.tests.conftest import make_hazard

pytestmark = pytest.mark.browser

DESCRIPTIONS = ["配电箱未接地", "消防通道堵塞", "AB-12 号设备漏电"]


def search(page, word):
    page.fill("#id_q", word)
    page.locator("#id_q").press("Enter")


def test_searching_the_hazard_list(live_cast, page, phone_page, login):
    for description in DESCRIPTIONS:
        make_hazard(live_cast, description=description, location="车间")
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/hazards/")
    rows = page.locator("[data-testid=object-table] tbody tr")
    expect(rows).to_have_count(3)

    search(page, "接地")  # two characters
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("配电箱未接地")
    expect(page.locator("[data-testid=count-hint]")).to_have_text("共 1 条")
    assert "q=" in page.url

    search(page, "ab")  # either case
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("AB-12")

    search(page, live_cast.enterprise_a.name)  # the unit's name
    expect(rows).to_have_count(3)

    search(page, "%")  # a LIKE wildcard is a character like any other
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("没有符合条件的记录")

    # On a phone the same search gives cards.
    login(phone_page, live_cast.office)
    phone_page.goto(f"{phone_page.base_url}/hazards/?q=消防")
    cards = phone_page.locator("[data-testid=object-card]")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("消防通道堵塞")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_search_too_broad_for_its_time_says_so(live_cast, page, login, monkeypatch):
    from anjian.core import pagination
    from anjian.core.testing import slowed_under_budget

    make_hazard(live_cast, description="配电箱未接地")
    monkeypatch.setattr(pagination, "SEARCH_PAGE_BUDGET_MS", 20)
    monkeypatch.setattr(pagination, "SEARCH_FALLBACK_BUDGET_MS", 20)
    monkeypatch.setattr(pagination, "keyset_page", slowed_under_budget(pagination.keyset_page, 1))
    monkeypatch.setattr(pagination, "matches_first_ids", slowed_under_budget(pagination.matches_first_ids, 1))
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/hazards/")
    search(page, "接地")
    expect(page.locator("[data-testid=search-too-broad]")).to_contain_text("缩小范围")
    expect(page.locator("[data-testid=object-table] tbody tr").first).to_contain_text("没有符合条件的记录")
    expect(page.locator("[data-testid=count-hint]")).to_have_count(0)
