"""Real browser: the registration page suggests a clause while the inspector types (htmx, no inline script under
the CSP), "采用" fills the clause and the grade, and the hazard is registered citing it; the suggestion record gets the
hazard's id."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser


def test_suggested_clause_is_taken_into_the_form(live_cast, page, login, tmp_path):
    from anjian.core.models import Sector
    from anjian.hazards.data import seed_criteria
    from anjian.hazards.models import ClauseSuggestion, Hazard, MajorHazardCriterion

    seed_criteria(Sector, MajorHazardCriterion)
    cast = live_cast
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, cast.inspector)
    page.goto(f"{page.base_url}/hazards/new/")
    page.select_option("#id_enterprise", str(cast.enterprise_a.pk))
    page.select_option("#id_sector", str(cast.hazchem.pk))
    page.locator("#id_description").press_sequentially("2#罐区为二级重大危险源，进出料管线未设紧急切断阀")
    suggestions = page.locator("[data-testid=criteria-suggestions]")
    suggestions.wait_for()
    assert "HC-2017-121-05" in suggestions.inner_text()

    suggestions.locator("button", has_text="采用").first.click()
    page.locator("[data-testid=criteria-chosen]").wait_for()
    clause = MajorHazardCriterion.objects.get(code="HC-2017-121-05", is_active=True)
    assert page.locator("#id_major_criterion").input_value() == str(clause.pk)
    assert page.locator("#id_grade").input_value() == "major"

    page.fill("#id_deadline", str(timezone.localdate() + timedelta(days=15)))
    page.click("[data-testid=hazard-form] button[type=submit]")
    page.wait_for_url("**/hazards/*/")
    hazard = Hazard.objects.get(found_by=cast.inspector)
    assert hazard.major_criterion == clause and hazard.grade == "major"
    log = ClauseSuggestion.objects.get(chosen=clause)
    assert log.user == cast.inspector
    assert log.hazard == hazard  # the suggestion shown during entry is linked to the hazard registered
    assert not errors, errors  # no CSP refusal, no htmx swap error
