"""Real browser on a phone-sized screen: an inspector opens a task, fills the checklist with one failed item,
signs (inspector and unit), saves and completes, then turns the failed item into a hazard in one step."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from anjian.hazards.models import Hazard
from anjian.inspections import services
from anjian.inspections.models import Inspection, InspectionPlan, PlanKind

from .conftest import partner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draw(page, selector):
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(x + step * 25, y + (12 if step % 2 else -12))
    page.mouse.up()


def test_inspector_fills_checklist_on_phone_and_registers_hazard(
    live_cast, phone_page, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from anjian.core.models import Sector
    from anjian.inspections.data import seed_checklists
    from anjian.inspections.models import ChecklistItem, ChecklistTemplate

    seed_checklists(ChecklistTemplate, ChecklistItem, Sector)  # transactional tests flush seeded data
    cast = live_cast
    today = date.today()
    plan = InspectionPlan.objects.create(
        number=services.new_plan_number(today.year),
        name="危化品专项整治",
        kind=PlanKind.SPECIAL,
        year=today.year,
        start_date=today,
        end_date=today + timedelta(days=7),
        territory=cast.district,
        organisation=cast.office_org,
    )
    plan.enterprises.set([cast.enterprise_a])
    # 行政处罚法 第四十二条 (EN-31): a county inspection goes out with two certified officers.
    plan.inspectors.set([cast.inspector, partner_of(cast.inspector)])
    services.generate_tasks(actor=cast.office, plan=plan)

    page = phone_page
    login(page, cast.inspector)
    page.goto(f"{page.base_url}/inspections/tasks/")
    page.click("[data-testid=my-tasks]")
    page.click(f"text={cast.enterprise_a.name} >> visible=true")  # the phone card, not the hidden table
    page.click("[data-testid=start]")
    page.wait_for_selector("[data-testid=fill-form]")
    inspection = Inspection.objects.get()
    count = inspection.items.count()
    for n in range(count):
        page.check(f"#id_items-{n}-result_{1 if n == 1 else 0}")
    # The follow-up fields appear only for the failed item.
    expect(page.locator("#id_items-1-note")).to_be_visible()
    expect(page.locator("#id_items-0-note")).to_be_hidden()
    page.fill("#id_items-1-note", "主要负责人安全生产知识和管理能力考核证书过期")
    page.select_option("#id_items-1-follow_up", "deadline")
    page.fill("#id_items-1-rectify_deadline", str(today + timedelta(days=15)))
    draw(page, "[data-testid=inspector-pad]")
    draw(page, "[data-testid=unit-pad]")
    page.fill("#id_sig-unit_signer_name", "黄安全")
    page.click("[data-testid=save-complete]")
    page.wait_for_selector("[data-testid=status]:has-text('已完成')")
    inspection.refresh_from_db()
    assert inspection.status == "completed"
    assert inspection.inspector_signature.name.endswith(".png") and inspection.unit_signer_name == "黄安全"

    page.click("[data-testid=create-hazards]")
    page.wait_for_selector("[data-testid=hazard-2] a")
    hazard = Hazard.objects.get()
    assert hazard.inspection == inspection and "考核证书过期" in hazard.description
    assert page.locator("[data-testid=hazard-2]").inner_text() == hazard.number
    assert inspection.items.get(order=2).hazard == hazard
    assert page.locator("[data-testid=create-hazards]").count() == 0
    # The page fits the phone: no horizontal scrolling of the document.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
