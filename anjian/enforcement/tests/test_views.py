"""Pages and API: permission matrix, scope, fines refused by the form and the API, query counts, exports,
document downloads."""

from datetime import date

import pytest
from django.urls import reverse

from anjian.enforcement import services
from anjian.enforcement.models import Case, Measure

from .factories import add_fine, finding, open_case, provision, to_decided

pytestmark = pytest.mark.django_db

ALLOWED_READERS = {"office", "leader", "inspector", "inspector_other", "town_a_user", "town_b_user"}
PAGES = [
    "enforcement:case_list",
    "enforcement:finding_list",
    "enforcement:unlinked_list",
    "enforcement:repeat_offenders",
    "enforcement:talk_list",
    "enforcement:figures",
]


@pytest.mark.parametrize("url_name", PAGES)
def test_page_permission_matrix(cast, client_for, url_name):
    for name, user in cast.users().items():
        status = client_for(user).get(reverse(url_name)).status_code
        expected = 200 if name in ALLOWED_READERS or name == "outsider_office" else 403
        assert status == expected, (name, url_name, status)


def test_provision_library_readable_by_grid_editable_by_office(cast, client_for):
    p = provision("L1-102")
    assert client_for(cast.grid_a_user).get(reverse("enforcement:provision_list")).status_code == 200
    page = client_for(cast.office).get(p.get_absolute_url())
    assert page.status_code == 200 and "50,000元以下" in page.content.decode()
    assert client_for(cast.inspector).get(reverse("enforcement:provision_add")).status_code == 403
    assert client_for(cast.enterprise_a_user).get(reverse("enforcement:provision_list")).status_code == 403


def test_case_detail_scope(cast, client_for):
    case = open_case(cast)
    url = case.get_absolute_url()
    assert client_for(cast.office).get(url).status_code == 200
    assert client_for(cast.inspector).get(url).status_code == 200
    assert client_for(cast.town_a_user).get(url).status_code == 200
    # Out of scope answers 404: other sector, other town, other district.
    for user in (cast.inspector_other, cast.town_b_user, cast.outsider_office):
        assert client_for(user).get(url).status_code == 404
    assert client_for(cast.enterprise_a_user).get(url).status_code == 403


def test_case_action_permission(cast, client_for):
    case = open_case(cast)
    url = reverse("enforcement:case_action", args=[case.pk])
    assert client_for(cast.town_a_user).post(url, {"action": "investigate"}).status_code == 403
    assert client_for(cast.inspector_other).post(url, {"action": "investigate"}).status_code == 404
    response = client_for(cast.inspector).post(url, {"action": "investigate"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "investigation"
    # A refused action keeps the stage and shows the reason.
    response = client_for(cast.inspector).post(url, {"action": "notify"}, follow=True)
    assert "尚未拟定行政处罚" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "investigation"


def test_form_refuses_fine_outside_range(cast, client_for):
    case = open_case(cast)
    url = reverse("enforcement:measure_add", args=[case.pk])
    data = {"measure": "fine", "provision": provision("L1-102").pk, "amount": "60000"}
    response = client_for(cast.inspector).post(url, data)
    assert response.status_code == 400
    assert "超过法定上限" in response.content.decode()
    assert not case.measures.exists()
    data["amount"] = "50000"
    assert client_for(cast.inspector).post(url, data).status_code == 302
    assert case.measures.get().is_upper_limit


def test_open_case_from_finding_page(cast, client_for):
    f = finding(cast, source_reference="YH-1")
    client = client_for(cast.inspector)
    form = client.get(reverse("enforcement:case_add") + f"?finding={f.pk}")
    assert form.status_code == 200 and "未采取措施消除事故隐患" in form.content.decode()
    response = client.post(
        reverse("enforcement:case_add") + f"?finding={f.pk}",
        {
            "title": "甲化工未消除隐患",
            "party_kind": "unit",
            "enterprise": cast.enterprise_a.pk,
            "territory": cast.village_a.pk,
            "sector": cast.hazchem.pk,
            "source_kind": "hazard",
            "facts": "未采取措施消除事故隐患",
            "provisions": [provision("L1-102").pk],
            "filed_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    f.refresh_from_db()
    assert f.case is not None and f.case.provisions.count() == 1


def test_unlinked_page_lists_only_unlinked(cast, client_for):
    finding(cast, description="未立案甲")
    linked = finding(cast, description="已立案乙")
    services.link_finding(linked, open_case(cast), cast.inspector)
    body = client_for(cast.office).get(reverse("enforcement:unlinked_list")).content.decode()
    assert "未立案甲" in body and "已立案乙" not in body
    export = client_for(cast.office).get(reverse("enforcement:unlinked_list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_no_penalty_reason_pages(cast, client_for):
    f = finding(cast)
    url = reverse("enforcement:finding_reason", args=[f.pk])
    client_for(cast.inspector).post(url, {"category": "first_minor", "explanation": "初次违法，已改正"})
    reason = f.reasons.get()
    review = reverse("enforcement:finding_review", args=[f.pk, reason.pk])
    client_for(cast.inspector).post(review, {"decision": "approve"}, follow=True)
    reason.refresh_from_db()
    assert reason.status == "pending"  # same person may not review
    client_for(cast.office).post(review, {"decision": "approve"})
    reason.refresh_from_db()
    assert reason.status == "approved" and reason.reviewed_by == cast.office


def test_list_query_counts(cast, client_for, django_assert_max_num_queries):
    for _ in range(3):
        case = open_case(cast)
        add_fine(case, cast.inspector)
        finding(cast)
    client = client_for(cast.office)
    for name in ("enforcement:case_list", "enforcement:finding_list", "enforcement:unlinked_list"):
        client.get(reverse(name))  # warm caches (sessions, content types)
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200
    for _ in range(5):
        open_case(cast)
        finding(cast)
    for name in (
        "enforcement:case_list",
        "enforcement:finding_list",
        "enforcement:repeat_offenders",
        "enforcement:figures",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


def test_case_detail_query_count(cast, client_for, django_assert_max_num_queries):
    case = open_case(cast)
    for _ in range(4):
        add_fine(case, cast.inspector)
    client = client_for(cast.inspector)
    client.get(case.get_absolute_url())
    with django_assert_max_num_queries(25):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_exports(cast, client_for):
    open_case(cast)
    client = client_for(cast.office)
    for url in (
        reverse("enforcement:case_list") + "?export=xlsx",
        reverse("enforcement:talk_list") + "?export=xlsx",
        reverse("enforcement:repeat_offenders") + "?export=xlsx",
        reverse("enforcement:figures")
        + f"?start={date.today().year}-01-01&end={date.today()}&group_by=territory&export=xlsx",
        reverse("enforcement:provision_list") + "?export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxml"), url


def test_document_download(cast, client_for):
    case = to_decided(cast, open_case(cast))
    response = client_for(cast.inspector).post(
        reverse("enforcement:document_issue", args=[case.pk]), {"kind": "decision_unit"}
    )
    assert response.status_code == 302
    doc = case.documents.get()
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        r = client_for(cast.office).get(reverse("enforcement:document_download", args=[doc.pk, fmt]))
        assert r.status_code == 200 and r.content.startswith(magic)
    assert (
        client_for(cast.inspector_other)
        .get(reverse("enforcement:document_download", args=[doc.pk, "pdf"]))
        .status_code
        == 404
    )


def test_talk_create(cast, client_for):
    response = client_for(cast.office).post(
        reverse("enforcement:talk_add"),
        {
            "kind": "talk",
            "target_kind": "government",
            "target_organisation": cast.town_a_org.pk,
            "territory": cast.town_a.pk,
            "convened_by": cast.office_org.pk,
            "held_on": date.today().isoformat(),
            "reasons": "半年内发生3起一般事故",
            "attendees": "甲镇镇长；区安委办主任",
        },
    )
    assert response.status_code == 302
    bad = client_for(cast.office).post(
        reverse("enforcement:talk_add"),
        {
            "kind": "talk",
            "target_kind": "unit",
            "territory": cast.town_a.pk,
            "convened_by": cast.office_org.pk,
            "held_on": date.today().isoformat(),
            "reasons": "x",
            "attendees": "y",
        },
    )
    assert bad.status_code == 400 and "须选择单位" in bad.content.decode()
    assert client_for(cast.town_a_user).get(reverse("enforcement:talk_add")).status_code == 403


# --- API ---------------------------------------------------------------------------------------------------


def test_api_fine_outside_range_refused(cast, api_for):
    case = open_case(cast)
    api = api_for(cast.inspector)
    url = f"/api/enforcement/cases/{case.pk}/measures/"
    r = api.post(
        url, {"measure": "fine", "provision": provision("L1-102").pk, "amount": "50000.01"}, format="json"
    )
    assert r.status_code == 400 and "超过法定上限" in str(r.data)
    assert not case.measures.exists()
    r = api.post(
        url, {"measure": "fine", "provision": provision("L1-102").pk, "amount": "50000"}, format="json"
    )
    assert r.status_code == 201 and r.data["is_upper_limit"] is True


def test_api_case_flow_and_refusals(cast, api_for):
    api = api_for(cast.inspector)
    r = api.post(
        "/api/enforcement/cases/",
        {
            "title": "API 案件",
            "party_kind": "unit",
            "enterprise": cast.enterprise_a.pk,
            "territory": cast.village_a.pk,
            "sector": cast.hazchem.pk,
            "source_kind": "tip",
            "source_description": "12350 举报",
            "facts": "事实",
        },
        format="json",
    )
    assert r.status_code == 201, r.data
    pk = r.data["id"]
    assert r.data["stage"] == "filed" and r.data["number"]
    r = api.post(f"/api/enforcement/cases/{pk}/transition/", {"action": "decide"}, format="json")
    assert r.status_code == 400 and "不能「作出处罚决定」" in r.data["detail"]
    assert (
        api.post(
            f"/api/enforcement/cases/{pk}/transition/", {"action": "investigate"}, format="json"
        ).status_code
        == 200
    )
    # Town staff may read but not act; the other department does not see it.
    assert api_for(cast.town_a_user).get(f"/api/enforcement/cases/{pk}/").status_code == 200
    assert (
        api_for(cast.town_a_user)
        .post(f"/api/enforcement/cases/{pk}/transition/", {"action": "notify"}, format="json")
        .status_code
        == 403
    )
    assert api_for(cast.inspector_other).get(f"/api/enforcement/cases/{pk}/").status_code == 404


@pytest.mark.parametrize(
    ("user", "read", "write"),
    [
        ("office", 200, 201),
        ("inspector", 200, 201),
        ("leader", 200, 403),
        ("town_a_user", 200, 403),
        ("grid_a_user", 403, 403),
        ("enterprise_a_user", 403, 403),
        ("sys_admin", 403, 403),
        ("audit_admin", 403, 403),
    ],
)
def test_api_permission_matrix(cast, api_for, user, read, write):
    api = api_for(getattr(cast, user))
    assert api.get("/api/enforcement/cases/").status_code == read
    assert api.get("/api/enforcement/findings/unlinked/").status_code == read
    r = api.post(
        "/api/enforcement/cases/",
        {
            "title": "矩阵",
            "party_kind": "unit",
            "enterprise": cast.enterprise_a.pk,
            "territory": cast.village_a.pk,
            "sector": cast.hazchem.pk,
            "source_kind": "inspection",
            "facts": "事实",
        },
        format="json",
    )
    assert r.status_code == (write if write == 403 else 201), r.data
    assert Case.objects.count() == (1 if write == 201 else 0)


def test_api_unlinked_and_schema(cast, api_for):
    finding(cast, description="API 未立案")
    r = api_for(cast.office).get("/api/enforcement/findings/unlinked/")
    assert r.status_code == 200 and [row["description"] for row in r.data["results"]] == ["API 未立案"]
    schema = api_for(cast.office).get("/api/schema/")
    assert schema.status_code == 200 and b"/api/enforcement/cases/{id}/transition/" in schema.content


def test_measure_api_model_validation_direct(cast):
    # Measure.clean is the single validation the form, the API and the service share.
    from django.core.exceptions import ValidationError

    m = Measure(measure="fine", provision=provision("L1-114-1"), amount=100)
    with pytest.raises(ValidationError):
        m.clean()


def test_home_panel(cast, client_for):
    finding(cast)
    body = client_for(cast.office).get("/").content.decode()
    assert "未立案的违法行为 1 条" in body
    assert client_for(cast.enterprise_a_user).get("/").status_code == 200


@pytest.mark.parametrize(
    "url_name", ["enforcement:case_add", "enforcement:finding_add", "enforcement:talk_add"]
)
def test_create_pages_permission_matrix(cast, client_for, url_name):
    writers = {
        "enforcement:case_add": {"office", "inspector", "inspector_other", "outsider_office"},
        "enforcement:finding_add": {
            "office",
            "inspector",
            "inspector_other",
            "outsider_office",
            "town_a_user",
            "town_b_user",
        },
        "enforcement:talk_add": {"office", "inspector", "inspector_other", "outsider_office"},
    }[url_name]
    for name, user in cast.users().items():
        status = client_for(user).get(reverse(url_name)).status_code
        assert status == (200 if name in writers else 403), (name, url_name, status)
