"""What was suggested is tied to the hazard registered from it (page and API), and imported major hazards waiting
for their clause (待补充判定依据) get it in one step from the suggestions on their page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.hazards.criteria import records
from anjian.hazards.models import ClauseSuggestion, Grade, Hazard, MajorHazardCriterion

from .conftest import make_hazard

TEXT = "2#罐区为二级重大危险源，进出料管线未设紧急切断阀"
CODE = "HC-2017-121-05"


def _form(cast, **extra):
    return {
        "enterprise": cast.enterprise_a.pk,
        "sector": cast.hazchem.pk,
        "description": TEXT,
        "source": "department",
        "grade": "general",
        "stop_order": "none",
        "deadline": str(timezone.localdate() + timedelta(days=10)),
        **extra,
    }


def test_page_registration_links_the_suggestion_shown(cast, client_for):
    client = client_for(cast.inspector)
    fragment = client.get("/hazards/criteria/suggest/", {"description": TEXT, "sector": cast.hazchem.pk})
    log = ClauseSuggestion.objects.get()
    assert f'name="clause_suggestion" value="{log.pk}"' in fragment.content.decode()
    clause = MajorHazardCriterion.objects.get(code=CODE, is_active=True)
    chosen = client.get(f"/hazards/criteria/suggest/{log.pk}/choose/{clause.pk}/").content.decode()
    assert f'name="clause_suggestion" value="{log.pk}"' in chosen  # still in the form after 采用

    response = client.post(
        "/hazards/new/", _form(cast, grade="major", major_criterion=clause.pk, clause_suggestion=log.pk)
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get(description=TEXT)
    log.refresh_from_db()
    assert log.hazard == hazard and log.chosen == clause


def test_a_rejected_suggestion_is_linked_too_and_only_the_users_own(cast, client_for):
    client_for(cast.office).get("/hazards/criteria/suggest/", {"description": TEXT})
    others = ClauseSuggestion.objects.get()
    client = client_for(cast.inspector)
    client.get("/hazards/criteria/suggest/", {"description": TEXT, "sector": cast.hazchem.pk})
    mine = ClauseSuggestion.objects.exclude(pk=others.pk).get()
    client.post("/hazards/new/", _form(cast, clause_suggestion=mine.pk))
    hazard = Hazard.objects.get(description=TEXT)
    mine.refresh_from_db()
    assert mine.hazard == hazard and mine.chosen is None  # shown, not taken: the inspector judged it general
    # Someone else's record, or nonsense, is ignored and loses nothing.
    client.post("/hazards/new/", _form(cast, description="另一条", clause_suggestion=others.pk))
    client.post("/hazards/new/", _form(cast, description="第三条", clause_suggestion="x'1"))
    others.refresh_from_db()
    assert others.hazard is None
    assert Hazard.objects.filter(description__in=["另一条", "第三条"]).count() == 2


def test_api_records_the_suggestion_and_links_the_hazard(cast, api_for):
    client = api_for(cast.inspector)
    body = client.get("/api/hazards/criteria/suggest/", {"text": TEXT, "sector": "hazchem"}).json()
    assert body["suggestions"][0]["code"] == CODE and body["suggestion_id"]
    clause = MajorHazardCriterion.objects.get(code=CODE, is_active=True)
    response = client.post(
        "/api/hazards/hazards/",
        {
            "enterprise": cast.enterprise_a.pk,
            "sector": cast.hazchem.pk,
            "description": TEXT,
            "grade": "major",
            "major_criterion": clause.pk,
            "clause_suggestion": body["suggestion_id"],
        },
        format="json",
    )
    assert response.status_code == 201
    log = ClauseSuggestion.objects.get(pk=body["suggestion_id"])
    assert log.hazard_id == response.json()["id"]
    assert log.chosen == clause  # cited a suggested clause: taken
    empty = client.get("/api/hazards/criteria/suggest/", {"text": "灭火器压力不足"}).json()
    assert empty == {"suggestions": []}  # nothing suggested, nothing recorded


def _pending(cast, description=TEXT):
    return make_hazard(
        cast, grade=Grade.MAJOR, major_clause="", major_basis_pending=True, description=description
    )


def test_pending_basis_is_picked_from_the_suggestions_in_one_step(cast, client_for):
    hazard = _pending(cast)
    page = client_for(cast.inspector).get(hazard.get_absolute_url()).content.decode()
    assert 'data-testid="pending-basis"' in page and CODE in page and "选用此条款" in page
    clause = MajorHazardCriterion.objects.get(code=CODE, is_active=True)
    response = client_for(cast.inspector).post(f"/hazards/{hazard.pk}/basis/", {"criterion": clause.pk})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert not hazard.major_basis_pending
    assert hazard.major_criterion == clause and clause.text in hazard.major_clause
    assert AuditEntry.objects.filter(action="hazard.basis_cited", object_id=str(hazard.pk)).exists()
    log = ClauseSuggestion.objects.get(hazard=hazard)
    assert log.chosen == clause and CODE in log.suggested and log.user == cast.inspector
    page = client_for(cast.inspector).get(hazard.get_absolute_url()).content.decode()
    assert 'data-testid="pending-basis"' not in page


@pytest.mark.parametrize("who", ["enterprise_a_user", "inspector_other", "leader"])
def test_pending_basis_refused_to_others(cast, client_for, who):
    hazard = _pending(cast)
    clause = MajorHazardCriterion.objects.get(code=CODE, is_active=True)
    response = client_for(getattr(cast, who)).post(f"/hazards/{hazard.pk}/basis/", {"criterion": clause.pk})
    assert response.status_code in (
        403,
        404,
    )  # a unit or a leader may not; another department does not see it
    hazard.refresh_from_db()
    assert hazard.major_basis_pending and hazard.major_criterion is None


def test_pending_basis_refusals_keep_the_hazard(cast):
    hazard = _pending(cast)
    other_sector = MajorHazardCriterion.objects.filter(is_active=True).exclude(sector=cast.hazchem).first()
    with pytest.raises(Exception, match="不属于该隐患的行业领域"):
        records.cite_pending_basis(actor=cast.inspector, hazard=hazard, criterion=other_sector)
    clause = MajorHazardCriterion.objects.get(code=CODE, is_active=True)
    records.cite_pending_basis(actor=cast.inspector, hazard=hazard, criterion=clause)
    with pytest.raises(Exception, match="已有判定依据"):
        records.cite_pending_basis(actor=cast.inspector, hazard=hazard, criterion=clause)


def test_pending_basis_is_on_the_departments_to_do_list(cast):
    from anjian.hazards.deadlines import todo_items

    hazard = _pending(cast)
    actions = {(i.obj.pk, i.action) for i in todo_items(cast.inspector)}
    assert (hazard.pk, "补充判定依据") in actions
    assert not any(i.obj.pk == hazard.pk for i in todo_items(cast.inspector_other))
