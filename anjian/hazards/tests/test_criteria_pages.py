"""Catalogue pages: browse and search for every reader, maintenance for the office only, and the clause
suggestion on the hazard registration page (what was suggested and what was taken is recorded)."""

import pytest

from anjian.hazards.models import ClauseSuggestion, HazardStandard, MajorHazardCriterion, StandardStatus

LIST = "/hazards/criteria/"
READERS = {"office", "leader", "inspector", "inspector_other", "town_a_user", "town_b_user", "grid_a_user"}
READERS |= {"enterprise_a_user", "enterprise_b_user", "outsider_office"}
FORBIDDEN = {"sys_admin", "sec_admin", "audit_admin"}


def test_list_permission_matrix(cast, client_for):
    for name, user in cast.users().items():
        status = client_for(user).get(LIST).status_code
        assert status == (403 if name in FORBIDDEN else 200), (name, status)


@pytest.mark.parametrize(
    "query, present, absent",
    [
        ({"q": "紧急切断"}, "HC-2017-121-05", "MK-2020-4-05-02"),
        ({"standard": "MK-2020-4"}, "MK-2020-4-05-02", "HC-2017-121-05"),
        ({"sector": "tailings"}, "FM-2022-88-W04", "FM-2022-88-D01-1"),
        ({"confidence": "memory", "q": "彩钢"}, "XF-2017-6.10", "HC-2017-121-05"),
    ],
)
def test_search(cast, client_for, query, present, absent):
    body = client_for(cast.inspector).get(LIST, {**query, "page": 1}).content.decode()
    assert present in body and absent not in body


def test_unverified_clauses_are_marked(cast, client_for):
    body = client_for(cast.inspector).get(LIST, {"standard": "XF-GB35181-2017"}).content.decode()
    assert "条文待核对" in body
    body = client_for(cast.inspector).get(LIST, {"standard": "HS-2024-5"}).content.decode()
    assert "部分核对" in body
    detail = MajorHazardCriterion.objects.get(code="XF-2017-6.10", is_active=True)
    assert "条文待核对" in client_for(cast.inspector).get(f"/hazards/criteria/{detail.pk}/").content.decode()


def test_htmx_gets_only_the_results(cast, client_for):
    response = client_for(cast.inspector).get(LIST, {"q": "瓦斯"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="criteria-table"' in body and "<html" not in body


def test_office_revises_a_clause_others_may_not(cast, client_for):
    clause = MajorHazardCriterion.objects.get(code="HC-2017-121-02", is_active=True)
    url = f"/hazards/criteria/{clause.pk}/edit/"
    data = {
        "clause": "二",
        "text": "特种作业人员未持证上岗作业。",
        "confidence": "verified",
        "reason": "核对",
    }
    assert client_for(cast.inspector).post(url, data).status_code == 403
    response = client_for(cast.office).post(url, data)
    new = MajorHazardCriterion.objects.get(code="HC-2017-121-02", is_active=True)
    assert response.status_code == 302 and new.version == 2 and new.text == data["text"]
    page = client_for(cast.office).get(f"/hazards/criteria/{new.pk}/").content.decode()
    assert "修订判定条款" in page and 'data-testid="clause-versions"' in page
    # The old version cannot be edited any more.
    assert client_for(cast.office).get(url).status_code == 404


def test_office_adds_a_standard_and_marks_one_superseded(cast, client_for):
    office = client_for(cast.office)
    response = office.post(
        "/hazards/criteria/standards/new/",
        {
            "code": "RQ-2026-1",
            "title": "城镇燃气经营安全重大隐患判定标准（修订）",
            "confidence": "partial",
            "sectors": [cast.construction.pk],
        },
    )
    assert response.status_code == 302
    new = HazardStandard.objects.get(code="RQ-2026-1")
    old = HazardStandard.objects.get(code="RQ-2023-4")
    url = f"/hazards/criteria/standards/{old.pk}/supersede/"
    assert client_for(cast.inspector).post(url, {"superseded_by": new.pk}).status_code == 403
    assert office.post(url, {"superseded_by": new.pk, "note": "已修订"}).status_code == 302
    old.refresh_from_db()
    assert old.status == StandardStatus.SUPERSEDED and old.superseded_by == new
    response = office.post(
        f"/hazards/criteria/standards/{new.pk}/clauses/new/",
        {
            "code": "RQ-2026-1-01",
            "clause": "第四条第（一）项",
            "text": "未取得燃气经营许可证从事燃气经营活动。",
            "sector": cast.construction.pk,
            "confidence": "partial",
        },
    )
    assert response.status_code == 302
    assert MajorHazardCriterion.objects.get(code="RQ-2026-1-01").standard_ref == new


def test_registration_page_suggests_and_records_the_choice(cast, client_for):
    client = client_for(cast.inspector)
    form = client.get("/hazards/new/").content.decode()
    assert 'hx-get="/hazards/criteria/suggest/"' in form and 'id="criteria-suggestions"' in form

    fragment = client.get(
        "/hazards/criteria/suggest/",
        {"description": "2#罐区为二级重大危险源，进出料管线未设紧急切断阀", "sector": cast.hazchem.pk},
    ).content.decode()
    assert "HC-2017-121-05" in fragment and "采用" in fragment
    log = ClauseSuggestion.objects.get()
    assert log.user == cast.inspector and log.suggested[0] == "HC-2017-121-05" and log.chosen is None

    clause = MajorHazardCriterion.objects.get(code="HC-2017-121-05", is_active=True)
    chosen = client.get(f"/hazards/criteria/suggest/{log.pk}/choose/{clause.pk}/").content.decode()
    log.refresh_from_db()
    assert log.chosen == clause and log.chosen_at is not None
    assert 'id="id_major_criterion"' in chosen and 'hx-swap-oob="true"' in chosen
    assert f'value="{clause.pk}" selected' in chosen and 'value="major" selected' in chosen
    # Another user cannot take someone else's suggestion.
    assert (
        client_for(cast.office).get(f"/hazards/criteria/suggest/{log.pk}/choose/{clause.pk}/").status_code
        == 404
    )


def test_ordinary_description_gets_no_suggestion_and_no_record(cast, client_for):
    body = client_for(cast.inspector).get("/hazards/criteria/suggest/", {"description": "灭火器压力不足"})
    assert body.status_code == 200 and "criteria-suggestions" not in body.content.decode()
    assert not ClauseSuggestion.objects.exists()


def test_possible_duplicates_are_shown_with_a_link(cast, client_for):
    from .conftest import make_hazard

    clause = MajorHazardCriterion.objects.get(code="HC-2017-121-05", is_active=True)
    same_text = make_hazard(cast, description="储罐区静电接地线断开未修复")
    same_clause = make_hazard(cast, grade="major", major_criterion=clause, description="罐区未设紧急切断")
    make_hazard(cast, status="closed", description="储罐区静电接地线断开未修复")  # closed: not a duplicate
    other_unit = make_hazard(cast, enterprise=cast.enterprise_b, description="储罐区静电接地线断开未修复")
    params = {
        "description": "储罐区静电接地线断开，未修复",
        "enterprise": cast.enterprise_a.pk,
        "major_criterion": clause.pk,
    }
    body = client_for(cast.inspector).get("/hazards/criteria/suggest/", params).content.decode()
    assert 'data-testid="possible-duplicates"' in body
    assert f"/hazards/{same_text.pk}/" in body and f"/hazards/{same_clause.pk}/" in body
    assert "判定依据相同" in body and f"/hazards/{other_unit.pk}/" not in body
    assert body.count("<li><a href=") == 2
    # Out of the user's scope: the other unit's user sees nothing of unit A.
    body = client_for(cast.enterprise_b_user).get("/hazards/criteria/suggest/", params).content.decode()
    assert "possible-duplicates" not in body
