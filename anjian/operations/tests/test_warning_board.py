"""A warning's acknowledgement board grouped by town (镇街) with counts, each town's units in a collapsible
list, so a county-wide warning to hundreds of units stays readable on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anjian.operations.models import WarningNotice
from anjian.operations.views.warnings import OPEN_ALL_UP_TO
from anjian.registry.models import Enterprise

from .test_warnings import make_warning


def notify(cast, warning, enterprise, acknowledged=False, overdue=False):
    now = timezone.now()
    return WarningNotice.objects.create(
        warning=warning,
        enterprise=enterprise,
        sector=cast.construction,
        territory=enterprise.territory,
        sent_at=now - timedelta(hours=3),
        ack_due_at=now - timedelta(hours=1) if overdue else now + timedelta(hours=1),
        acknowledged_at=now if acknowledged else None,
        measures="停止室外作业，加固临时设施" if acknowledged else "",
    )


def many_units(cast, count: int, territory, prefix: str) -> list[Enterprise]:
    return [
        Enterprise.objects.create(
            name=f"{prefix}建筑工程有限公司{n:03d}",
            credit_code=f"91990102MA{prefix}{n:06d}"[:18],
            territory=territory,
        )
        for n in range(count)
    ]


@pytest.fixture
def board(cast):
    """A warning sent to 40 units in 甲镇 (village and town level) and 3 in 乙镇; some acknowledged, some late."""
    warning = make_warning(cast)
    warning.notified_at = timezone.now()
    warning.save()
    for n, unit in enumerate([*many_units(cast, 38, cast.village_a, "A"), cast.enterprise_a]):
        notify(cast, warning, unit, acknowledged=n < 10, overdue=10 <= n < 15)
    notify(cast, warning, many_units(cast, 1, cast.town_a, "T")[0])
    for n, unit in enumerate([*many_units(cast, 2, cast.village_b, "B"), cast.enterprise_b]):
        notify(cast, warning, unit, acknowledged=n == 0)
    return warning


def test_board_is_grouped_by_town_with_counts(cast, client_for, board):
    page = client_for(cast.office).get(board.get_absolute_url()).content.decode()
    groups = re.findall(r'<details class="[^"]*" data-testid="town-group"( open)?>', page)
    assert len(groups) == 2
    assert not any(groups), f"more than {OPEN_ALL_UP_TO} units: every town starts collapsed"
    names = re.findall(r'data-testid="town-name">([^<]+)<', page)
    counts = re.findall(r'data-testid="town-counts">([^<]+)<', page)
    assert names == ["甲镇", "乙镇"]
    assert counts == ["通知 40 家，已签收 10，未签收 30", "通知 3 家，已签收 1，未签收 2"]
    assert "逾期 5" in page
    assert page.count('data-testid="notice-row"') == 43
    assert "<script" not in page.split('data-testid="ack-summary"')[1].split("</main>")[0]


def test_small_board_opens_and_lists_unacknowledged_first(cast, client_for):
    warning = make_warning(cast)
    notify(cast, warning, cast.enterprise_b, acknowledged=True)
    late = notify(cast, warning, many_units(cast, 1, cast.village_b, "C")[0], overdue=True)
    page = client_for(cast.office).get(warning.get_absolute_url()).content.decode()
    assert re.findall(r'data-testid="town-group"( open)?>', page) == [" open"]
    rows = re.findall(r'data-testid="notice-row">\s*<td[^>]*>([^<]+)<', page)
    assert rows[0] == late.enterprise.name


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_board_fits_a_phone_and_opens_town_by_town(live_cast, phone_page, login):
    cast = live_cast
    warning = make_warning(cast)
    for unit in many_units(cast, OPEN_ALL_UP_TO + 5, cast.village_a, "P"):
        notify(cast, warning, unit)
    page = phone_page
    login(page, cast.office)
    page.goto(f"{page.base_url}{warning.get_absolute_url()}")
    rows = page.get_by_test_id("notice-row")
    expect(rows.first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollHeight") < 2000
    page.get_by_test_id("town-name").first.click()
    expect(rows.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
