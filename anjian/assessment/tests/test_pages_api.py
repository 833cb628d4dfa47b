"""Assessment pages and API: who may read, compute, score; the scoring rules are readable by the assessed town;
results are scoped; every table exports to Excel."""

import json
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from anjian.assessment import services
from anjian.assessment.models import Evaluation, ItemScore

from . import factories as f


@pytest.fixture
def scheme(cast):
    f.hazard(cast, cast.enterprise_a, date(2026, 1, 10), status="closed", closed_on=date(2026, 1, 20))
    return f.scheme(cast)


def _xlsx_rows(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def test_town_reads_scheme_and_scoring_rules(scheme, cast, client_for):
    town = client_for(cast.town_a_user)
    assert town.get("/assessment/schemes/").status_code == 200
    page = town.get(scheme.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "评分细则" in html and "作废的隐患不计" in html  # the computed indicator's rule text
    assert "发生较大及以上生产安全责任事故" in html and "优秀 ≥ 90" in html


def test_permission_matrix(scheme, cast, client_for):
    url = scheme.get_absolute_url()
    expected = {
        "office": 200,
        "leader": 200,
        "inspector": 200,
        "town_a_user": 200,
        "grid_a_user": 200,
        "enterprise_a_user": 403,
        "sys_admin": 403,
        "audit_admin": 403,
        "outsider_office": 404,
    }
    for name, status in expected.items():
        assert client_for(getattr(cast, name)).get(url).status_code == status, name
    # Only the office computes.
    compute = f"/assessment/schemes/{scheme.pk}/results/1/"
    for name in ("leader", "town_a_user", "inspector"):
        assert client_for(getattr(cast, name)).post(compute).status_code == 403, name
    assert client_for(cast.outsider_office).post(compute).status_code == 404
    assert client_for(cast.office).post(compute).status_code == 302
    assert Evaluation.objects.filter(scheme=scheme, quarter=1).count() == 2


def test_results_scoped_and_exported(scheme, cast, client_for):
    services.compute_period(scheme, 1)
    office_rows = client_for(cast.office).get(f"/assessment/schemes/{scheme.pk}/results/1/").context["rows"]
    assert len(office_rows) == 2
    town = client_for(cast.town_a_user)
    rows = town.get(f"/assessment/schemes/{scheme.pk}/results/1/").context["rows"]
    assert [str(e.body) for e in rows] == ["甲镇人民政府"]
    other = Evaluation.objects.get(scheme=scheme, quarter=1, body=cast.town_b_org)
    assert town.get(other.get_absolute_url()).status_code == 404
    exported = _xlsx_rows(
        client_for(cast.leader).get(f"/assessment/schemes/{scheme.pk}/results/1/", {"export": "xlsx"})
    )
    assert exported[1][0] == "排名" and len(exported) == 4
    own = Evaluation.objects.get(scheme=scheme, quarter=1, body=cast.town_a_org)
    detail = _xlsx_rows(town.get(own.get_absolute_url(), {"export": "xlsx"}))
    assert len(detail) == 2 + 6  # title, header, six process items
    assert _xlsx_rows(client_for(cast.office).get("/assessment/schemes/", {"export": "xlsx"}))


def test_manual_scoring_page(scheme, cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.compute_period(scheme, 1)
    evaluation = Evaluation.objects.get(scheme=scheme, quarter=1, body=cast.town_a_org)
    sheet = ItemScore.objects.get(evaluation=evaluation, indicator__method="manual")
    office = client_for(cast.office)
    refused = office.post(evaluation.get_absolute_url(), {"item": sheet.pk, "points": "12"})
    assert refused.status_code == 400
    ok = office.post(
        evaluation.get_absolute_url(),
        {
            "item": sheet.pk,
            "points": "7.5",
            "note": "资料齐全",
            "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        },
    )
    assert ok.status_code == 302
    sheet.refresh_from_db()
    assert str(sheet.points) == "7.50" and sheet.evidence
    assert (
        client_for(cast.town_a_user)
        .post(evaluation.get_absolute_url(), {"item": sheet.pk, "points": "10"})
        .status_code
        == 403
    )
    assert client_for(cast.town_a_user).get(f"/assessment/evidence/{sheet.pk}/").status_code == 200


def test_scheme_form_validates_weights_and_bodies(cast, client_for):
    office = client_for(cast.office)
    data = {
        "year": 2026,
        "name": "部门考核",
        "territory": cast.district.pk,
        "body_kind": "department",
        "bodies": [cast.town_a_org.pk],
        "status": "draft",
        "process_weight": "40",
        "result_weight": "50",
        "excellent_min": "90",
        "good_min": "80",
        "pass_min": "60",
    }
    response = office.post("/assessment/schemes/add/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "result_weight" in errors and "__all__" in errors
    data.update(result_weight="60", bodies=[cast.yingji.pk, cast.zhujian.pk])
    assert office.post("/assessment/schemes/add/", data).status_code == 302


def test_api(scheme, cast, api_for):
    town = api_for(cast.town_a_user)
    listing = town.get("/api/assessment/schemes/")
    assert listing.status_code == 200 and listing.json()["results"][0]["indicators"]
    assert town.post(f"/api/assessment/schemes/{scheme.pk}/compute/?quarter=1").status_code == 403
    computed = api_for(cast.office).post(f"/api/assessment/schemes/{scheme.pk}/compute/?quarter=1")
    assert computed.status_code == 200 and len(computed.json()) == 2
    evaluations = town.get("/api/assessment/evaluations/").json()["results"]
    assert [e["body_name"] for e in evaluations] == ["甲镇人民政府"]
    assert api_for(cast.enterprise_a_user).get("/api/assessment/schemes/").status_code == 403
    summary = api_for(cast.town_a_user).get("/api/dashboard/summary/", {"year": 2026, "quarter": 1})
    assert summary.status_code == 200 and summary.json()["hazards"]["found"] == 1
    assert api_for(cast.enterprise_a_user).get("/api/dashboard/summary/").status_code == 403


def test_openapi_schema_generates(cast, client_for):
    response = client_for(cast.office).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/assessment/schemes/" in response.content and b"/api/dashboard/summary/" in response.content


def test_office_adds_indicator_and_veto_rule_through_pages(scheme, cast, client_for):
    from anjian.assessment.models import Indicator, VetoRule
    from anjian.core.models import AuditEntry

    office = client_for(cast.office)
    base = {
        "part": "process",
        "name": "挂牌督办按期销号",
        "method": "computed",
        "max_score": "10",
        "weight": "1",
        "params": "{}",
        "scoring_rule": "",
        "sort_order": "20",
    }
    missing_key = office.post(f"/assessment/schemes/{scheme.pk}/indicators/add/", {**base, "key": ""})
    assert missing_key.status_code == 400
    ok = office.post(
        f"/assessment/schemes/{scheme.pk}/indicators/add/", {**base, "key": "supervision_on_time"}
    )
    assert ok.status_code == 302
    item = Indicator.objects.get(name="挂牌督办按期销号")
    assert "限期销号日期" in item.scoring_rule  # defaulted from the registry: the rule the towns read
    veto = office.post(
        f"/assessment/schemes/{scheme.pk}/vetoes/add/",
        {
            "name": "瞒报事故",
            "kind": "manual",
            "params": json.dumps({"body_ids": [cast.town_a_org.pk], "detail": "瞒报"}),
            "basis": "KH-03",
            "is_active": "on",
        },
    )
    assert veto.status_code == 302
    assert VetoRule.objects.filter(scheme=scheme, kind="manual").exists()
    assert (
        client_for(cast.town_a_user).get(f"/assessment/schemes/{scheme.pk}/indicators/add/").status_code
        == 403
    )
    services.compute_period(scheme, 1)
    a = Evaluation.objects.get(scheme=scheme, quarter=1, body=cast.town_a_org)
    assert a.vetoed and a.veto_reasons == ["瞒报事故：瞒报"]
    assert AuditEntry.objects.filter(action="assessment.computed").exists()
