"""Clause suggestion: the API finds the clause an inspector's description reads like, and leaves ordinary
hazards alone."""

import pytest

from anjian.hazards.criteria import catalogue
from anjian.hazards.criteria.suggest import suggest, tokens
from anjian.hazards.models import MajorHazardCriterion

URL = "/api/hazards/criteria/suggest/"


@pytest.mark.parametrize(
    "text, sector, code",
    [
        ("2#甲醇罐区构成二级重大危险源，进出料管线没有紧急切断阀", "hazchem", "HC-2017-121-05"),
        ("泵区GDS报警器缺失", "hazchem", "HC-2017-121-12"),
        ("回风巷瓦斯超限仍继续作业", "coal", "MK-2020-4-05-02"),
        ("外架连墙件整层缺失", "construction", "HS-2024-5-JSJ-02"),
        ("干式除尘器未采取泄爆、惰化、抑爆措施", "", "GM-2023-10-11-03"),
    ],
)
def test_suggests_the_clause(cast, client_for, text, sector, code):
    body = client_for(cast.inspector).get(URL, {"text": text, "sector": sector}).json()
    first = body["suggestions"][0]
    assert first["code"] == code
    assert set(first) >= {"code", "standard", "clause", "text", "score"}
    scores = [s["score"] for s in body["suggestions"]]
    assert all(0 < s <= 1 for s in scores)


@pytest.mark.parametrize("text", ["灭火器压力不足", "楼梯扶手松动", "", "   "])
def test_ordinary_hazards_get_nothing(cast, client_for, text):
    response = client_for(cast.inspector).get(URL, {"text": text})
    assert response.status_code == 200 and response.json() == {"suggestions": []}


def test_sector_limits_the_clauses(cast):
    codes = [s["code"] for s in suggest("特种作业人员未持证上岗", "construction")]
    assert codes and all(c.startswith("HS-") for c in codes)


def test_abbreviations_and_unit_numbers(cast):
    assert {"可燃", "气体", "检测", "报警"} <= set(tokens("GDS"))
    assert {"安全", "仪表", "系统"} <= set(tokens("sis"))
    assert "罐区" in tokens("2#罐区") and not any(t.isdigit() for t in tokens("2#罐区"))


def test_bad_input_and_access(cast, client_for, client):
    assert client_for(cast.inspector).get(URL, {"text": "x", "sector": "nope"}).status_code == 400
    assert client_for(cast.inspector).get(URL, {"text": "x" * 2001}).status_code == 400
    assert client.get(URL, {"text": "罐区"}).status_code in (401, 403)
    assert client_for(cast.users()["sys_admin"]).get(URL, {"text": "罐区"}).status_code == 403


def test_revised_clause_is_suggested_in_its_new_version(cast):
    v1 = MajorHazardCriterion.objects.get(code="MK-2020-4-05-02", is_active=True)
    first = suggest("井下瓦斯超限后继续作业", "coal")[0]
    assert first["id"] == v1.pk
    v2 = catalogue.revise_clause(v1, cast.office, text=v1.text.replace("继续作业", "继续作业或者生产"))
    assert suggest("井下瓦斯超限后继续作业", "coal")[0]["id"] == v2.pk
