"""Real browser, 市级核查: the city office draws a sample of the county's closures, finds one 不属实 and reopens it;
the county office then sees the verdict on the hazard and in its list of verdicts."""

import pytest

from .conftest import make_hazard

pytestmark = pytest.mark.browser


def test_city_draws_sample_marks_one_not_holding_and_county_sees_it(live_cast, page, login):
    from anjian.core.models import Organisation, OrganisationKind, Territory
    from anjian.core.roles import Role
    from anjian.core.testing import make_user
    from anjian.hazards.models import Hazard, Status, VerificationItem

    cast = live_cast
    city = Territory.objects.get(code="990100")
    org = Organisation.objects.create(name="测试市安委办", kind=OrganisationKind.OFFICE, territory=city)
    city_office = make_user("city_office", Role.OFFICE, city, org)
    for _ in range(5):
        make_hazard(cast, "closed")

    login(page, city_office)
    page.goto(f"{page.base_url}/hazards/verification/")
    form = page.locator("[data-testid=draw-form]")
    form.locator("select[name=method]").select_option("count")
    form.locator("input[name=size_value]").fill("2")
    form.locator("input[name=seed]").fill("2026")
    page.locator("[data-testid=draw-submit]").click()
    page.wait_for_url("**/hazards/verification/*/")
    assert page.locator("[data-testid=seed]").inner_text() == "2026"
    assert "已核查 0 / 2" in page.locator("[data-testid=progress]").inner_text()

    item = VerificationItem.objects.order_by("id").first()
    number = item.hazard.number
    page.locator(f"[data-testid=check-{number}]").click()
    page.wait_for_url("**/check/")
    page.locator("[data-testid=verdict-form] label.chip", has_text="不属实").click()
    page.locator("textarea[name=opinion]").fill("现场复核发现静电接地线仍未恢复")
    page.get_by_label("核查不属实，重新打开该隐患（退回整改）").check()
    page.locator("[data-testid=verdict-submit]").click()
    page.wait_for_url("**/hazards/verification/*/")
    row = page.locator(f"[data-testid=item-{number}]")
    assert "不属实" in row.inner_text() and "已重新打开" in row.inner_text()
    assert "不属实 1" in page.locator("[data-testid=progress]").inner_text()
    assert Hazard.objects.get(number=number).status == Status.RECTIFYING

    login(page, cast.office)
    page.goto(f"{page.base_url}{item.hazard.get_absolute_url()}")
    assert page.locator("[data-testid=verification-verdict]").inner_text() == "不属实"
    assert "现场复核发现静电接地线仍未恢复" in page.locator("[data-testid=verifications]").inner_text()
    page.goto(f"{page.base_url}/hazards/verification/")
    table = page.locator("[data-testid=verdict-table]").inner_text()
    assert number in table and "不属实" in table
    assert page.locator("[data-testid=draw-form]").count() == 0
