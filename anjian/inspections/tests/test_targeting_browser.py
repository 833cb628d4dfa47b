"""Real browser: the 安委办 opens the risk ranking, reads why each unit is ranked, filters it, and gives an
inspection plan its 重点 list from it; the plan shows each unit's score and reasons."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from anjian.inspections import services
from anjian.inspections.models import InspectionPlan, PlanKind, TargetingRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_ranks_units_and_takes_the_priority_list_into_a_plan(live_cast, page, login):
    from anjian.inspections.data.targeting import seed_targeting_rules
    from anjian.registry.models import Enterprise

    seed_targeting_rules(TargetingRule)  # transactional tests flush the seeded rules
    cast = live_cast
    Enterprise.objects.filter(pk=cast.enterprise_b.pk).update(risk_level="major")
    today = date.today()
    plan = InspectionPlan.objects.create(
        number=services.new_plan_number(today.year),
        name="年底重点单位检查",
        kind=PlanKind.SPECIAL,
        year=today.year,
        start_date=today,
        end_date=today + timedelta(days=20),
        territory=cast.district,
        organisation=cast.office_org,
    )
    plan.inspectors.set([cast.inspector, cast.inspector_other])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, cast.office)

    page.goto(f"{page.base_url}/inspections/targeting/")
    rows = page.locator("[data-testid=targeting-row]")
    rows.first.wait_for()
    assert rows.count() == 2
    first = rows.first
    assert cast.enterprise_b.name in first.inner_text()
    reasons = first.locator("[data-testid=reasons]").inner_text()
    assert "+30 红色风险" in reasons and "+15 从未检查（应每月1次）" in reasons
    assert "+10 从未检查（超过应检间隔2倍）" in reasons
    assert first.locator("[data-testid=score]").inner_text() == "55"

    page.select_option("#id_risk_level", "major")  # htmx refresh of the results
    expect(rows).to_have_count(1)
    assert cast.enterprise_a.name not in page.locator("#results").inner_text()

    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    page.fill("#priority-count", "1")
    page.click("[data-testid=prioritise]")
    table = page.locator("[data-testid=priority-units]")
    table.wait_for()
    text = table.inner_text()
    assert cast.enterprise_b.name in text and "+30 红色风险" in text
    task = plan.tasks.get()
    assert task.enterprise_id == cast.enterprise_b.pk and task.priority_score == 55
    assert task.inspector == cast.inspector_other  # 住建 supervises 建筑施工
    assert not errors, errors
