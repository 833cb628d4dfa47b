import pytest
pytestmark = pytest.mark.browser

def test_shot(live_cast, page, login):
    from anjian.core.models import Sector
    from anjian.hazards.data import seed_criteria
    from anjian.hazards.models import MajorHazardCriterion
    seed_criteria(Sector, MajorHazardCriterion)
    login(page, live_cast.office)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{page.base_url}/hazards/criteria/?standard=XF-GB35181-2017")
    page.screenshot(path="/tmp/crit_list.png", full_page=False)
    c = MajorHazardCriterion.objects.get(code="HC-2017-121-05", is_active=True)
    page.goto(f"{page.base_url}/hazards/criteria/{c.pk}/")
    page.screenshot(path="/tmp/crit_detail.png", full_page=False)
    page.goto(f"{page.base_url}/hazards/new/")
    page.select_option("#id_enterprise", str(live_cast.enterprise_a.pk))
    page.locator("#id_description").press_sequentially("液氨罐区为一级重大危险源，未配备独立SIS系统")
    page.locator("[data-testid=criteria-suggestions]").wait_for()
    page.locator("#id_description").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/crit_form.png", full_page=False)
