"""Pages: who may open them, query counts of the lists, ledger, exports, documents, forms with errors."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anjian.oversight import services
from anjian.oversight.models import OversightVisit, ProblemStatus

from .conftest import make_visit, photo, rectify, town_problem

PAGES = ["/oversight/", "/oversight/visits/", "/oversight/ledger/"]
# role → expected status of each page above
ACCESS = {
    "office": (200, 200, 200),
    "leader": (200, 200, 200),
    "inspector": (200, 200, 403),
    "town_a_user": (200, 200, 403),
    "grid_a_user": (403, 403, 403),
    "enterprise_a_user": (403, 403, 403),
    "sys_admin": (403, 403, 403),
    "sec_admin": (403, 403, 403),
    "audit_admin": (403, 403, 403),
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ACCESS)
def test_page_access(cast, client_for, visit, username):
    client = client_for(getattr(cast, username))
    assert tuple(client.get(url).status_code for url in PAGES) == ACCESS[username]
    problem = town_problem(visit)
    detail = client.get(problem.get_absolute_url()).status_code
    assert detail == {"office": 200, "leader": 200, "town_a_user": 200, "inspector": 404}.get(username, 403)


@pytest.mark.django_db
def test_list_query_counts(cast, client_for, django_assert_max_num_queries):
    for _ in range(4):
        rectify(town_problem(make_visit(cast)), cast.town_a_user)
    client = client_for(cast.office)
    for url in (
        "/oversight/",
        "/oversight/visits/",
        "/oversight/ledger/",
        "/oversight/?overdue=true&open=true",
    ):
        client.get(url)  # warm the caches (menu, filter choices)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/oversight/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").status_code == 200


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_ledger_summary_and_exports(cast, client_for, visit):
    problem = rectify(town_problem(visit), cast.town_a_user)
    services.close(problem, actor=cast.office)
    client = client_for(cast.office)
    page = client.get("/oversight/ledger/").content.decode()
    assert "甲镇人民政府" in page and "100.0%" in page and "测试区应急管理局" in page
    sheet = load_workbook(io.BytesIO(body(client.get("/oversight/ledger/?export=xlsx")))).active
    rows = list(sheet.values)
    assert rows[0][0] == "整改责任单位" and rows[-1][:3] == ("合计", 2, 1)
    listing = load_workbook(io.BytesIO(body(client.get("/oversight/?export=xlsx&status=closed")))).active
    values = list(listing.values)
    assert "存在问题" in values[0] and len(values) == 2


@pytest.mark.django_db
def test_documents_open(cast, client_for, visit):
    from docx import Document

    client = client_for(cast.office)
    docx = client.get(f"/oversight/visits/{visit.pk}/documents/feedback.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "督查反馈报告" in text and "督反〔" in text
    pdf = client.get(f"/oversight/visits/{visit.pk}/documents/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    visit.refresh_from_db()
    number = visit.feedback_number
    client.get(f"/oversight/visits/{visit.pk}/documents/feedback.pdf")
    visit.refresh_from_db()
    assert visit.feedback_number == number  # printing again keeps the 文号
    unfed = make_visit(cast, fed_back=False)
    assert client.get(f"/oversight/visits/{unfed.pk}/documents/feedback.pdf").status_code == 404


@pytest.mark.django_db
def test_visit_and_problem_entry_pages(cast, client_for):
    client = client_for(cast.office)
    today = timezone.localdate()
    bad = client.post(
        "/oversight/visits/add/",
        {"title": "督查", "kind": "own", "start_on": today, "end_on": today - timedelta(days=1)},
    )
    assert bad.status_code == 400 and "不能早于开始日期" in bad.content.decode()
    ok = client.post(
        "/oversight/visits/add/",
        {
            "title": "本级督查",
            "kind": "own",
            "inspecting_org": cast.office_org.pk,
            "start_on": today,
            "end_on": today,
            "territory": cast.town_a.pk,
            "targets": [cast.town_a_org.pk],
        },
    )
    assert ok.status_code == 302, ok.content.decode()
    visit = OversightVisit.objects.get()
    added = client.post(
        f"/oversight/visits/{visit.pk}/problems/add/",
        {"description": "值班表未公示。", "responsible_unit": cast.town_a_org.pk, "add_another": "1"},
    )
    assert added.status_code == 302 and added["Location"].endswith(f"/visits/{visit.pk}/problems/add/")
    duplicate = client.post(
        f"/oversight/visits/{visit.pk}/problems/add/",
        {"sequence": 1, "description": "重复", "responsible_unit": cast.town_a_org.pk},
    )
    assert duplicate.status_code == 400 and "序号 1 已存在" in duplicate.content.decode()
    client.post(f"/oversight/visits/{visit.pk}/feedback/", {"fed_back_on": today})
    visit.refresh_from_db()
    assert visit.status == "fed_back"


@pytest.mark.django_db
def test_action_refusal_keeps_the_form(cast, client_for, visit):
    problem = town_problem(visit)
    client = client_for(cast.town_a_user)
    response = client.post(
        f"/oversight/problems/{problem.pk}/set_measures/",
        {
            "set_measures-measures": "建档",
            "set_measures-responsible_person": "刘",
            "set_measures-deadline": "2000-01-01",
        },
    )
    assert response.status_code == 400 and "不能早于督查日期" in response.content.decode()
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        f"/oversight/problems/{problem.pk}/set_measures/",
        {
            "set_measures-measures": "建档",
            "set_measures-responsible_person": "刘",
            "set_measures-deadline": deadline,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/oversight/problems/{problem.pk}/report_done/",
        {"report_done-note": "完成", "report_done-files": photo()},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.REPORTED and problem.evidence.count() == 1
    evidence_url = problem.evidence.get().file.url
    assert client_for(cast.office).get(evidence_url).status_code == 200
    assert client_for(cast.enterprise_a_user).get(evidence_url).status_code == 404
    # The file follows the problem's page: its responsible town sees it, a department whose list does not show
    # the problem does not, though the town lies inside the department's territory.
    assert client_for(cast.town_a_user).get(evidence_url).status_code == 200
    assert client_for(cast.inspector).get(evidence_url).status_code == 404
    assert client_for(cast.audit_admin).get(evidence_url).status_code == 404
    page = client_for(cast.office).get(problem.get_absolute_url()).content.decode()
    assert "action-close" in page and "action-return_problem" in page


@pytest.mark.django_db
def test_home_panel(cast, client_for, visit, rf):
    from anjian.oversight.homepage import my_problems_panel

    request = rf.get("/")
    request.user = cast.town_a_user
    panel = my_problems_panel(request)
    assert panel["title"].startswith("督查问题整改（未销号 1 个）")
    request.user = cast.office
    assert my_problems_panel(request) is None
