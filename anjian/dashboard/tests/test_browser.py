"""Real browser: a leader opens the dashboard, clicks the overdue count of one town and lands on exactly those
hazards; the charts and the map draw (ECharts from static files under the CSP, no inline script)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.assessment.tests import factories as f

pytestmark = pytest.mark.browser


def test_leader_clicks_town_overdue_count_and_lands_on_those_hazards(live_cast, page, login):
    from anjian.hazards.services import refresh_overdue

    cast = live_cast
    today = timezone.localdate()
    found = today - timedelta(days=30)
    overdue_a = {
        f.hazard(
            cast, cast.enterprise_a, found, status="rectifying", deadline=today - timedelta(days=2)
        ).number,
        f.hazard(
            cast,
            cast.enterprise_a,
            found,
            status="registered",
            grade="major",
            deadline=today - timedelta(days=9),
        ).number,
    }
    f.hazard(
        cast, cast.enterprise_a, found, status="registered", deadline=today + timedelta(days=9)
    )  # not overdue
    f.hazard(
        cast, cast.enterprise_b, found, status="rectifying", deadline=today - timedelta(days=2)
    )  # other town
    refresh_overdue()
    from anjian.dashboard.boundaries import import_boundaries
    from anjian.dashboard.demo import DATA

    import_boundaries((DATA / "990102-towns.geojson").read_bytes(), level="town")  # 甲镇/乙镇 match by code

    login(page, cast.leader)
    page.goto(f"{page.base_url}/dashboard/")
    page.wait_for_selector("#chart-trend canvas")  # the chart script ran (static file, CSP-compliant)
    cell = page.locator('tr[data-town="甲镇"] [data-testid="overdue-cell"] a')
    assert cell.inner_text() == "2"
    cell.click()
    page.wait_for_url("**/hazards/**")
    rows = page.locator('[data-testid="object-table"] tbody tr')
    texts = rows.all_inner_texts()
    assert len(texts) == 2
    assert {n for n in overdue_a if any(n in t for t in texts)} == overdue_a

    page.goto(f"{page.base_url}/dashboard/map/")
    page.wait_for_selector('[data-testid="risk-map"][data-ready="1"]')
    assert page.locator("#risk-map canvas").count() >= 1
