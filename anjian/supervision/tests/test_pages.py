"""Pages: list (filters, export, query counts), detail, issue form, report/review forms, printed 督办单."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from anjian.supervision import services
from anjian.supervision.models import AssignmentStatus, Task

from .factories import issue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "username, status",
    [
        ("office", 200),
        ("leader", 200),
        ("inspector", 200),
        ("town_a_user", 200),
        ("grid_a_user", 403),
        ("enterprise_a_user", 403),
        ("sys_admin", 403),
        ("sec_admin", 403),
        ("audit_admin", 403),
    ],
)
def test_list_by_role(cast, client_for, username, status):
    issue(cast)
    assert client_for(getattr(cast, username)).get("/supervision/").status_code == status


def test_detail_allowed_forbidden_and_out_of_scope(cast, client_for):
    task = issue(cast)
    url = task.get_absolute_url()
    page = client_for(cast.inspector).get(url)
    assert page.status_code == 200 and "报送办理情况" in page.content.decode()
    assert client_for(cast.grid_a_user).get(url).status_code == 403
    assert client_for(cast.inspector_other).get(url).status_code == 404  # allowed role, not its task
    assert client_for(cast.outsider_office).get(url).status_code == 404


def test_issue_form_keeps_input_and_explains_errors(cast, client_for):
    client = client_for(cast.office)
    assert client.get("/supervision/new/").status_code == 200
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        "/supervision/new/",
        {
            "kind": "supervise",
            "urgency": "normal",
            "issuer": cast.office_org.pk,
            "title": "燃气安全专项整治",
            "content": "排查餐饮场所燃气隐患",
            "deadline": yesterday,
            "source_kind": "none",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "请至少选择一个承办单位。" in body and "燃气安全专项整治" in body
    response = client.post(
        "/supervision/new/",
        {
            "kind": "supervise",
            "urgency": "urgent",
            "issuer": cast.office_org.pk,
            "title": "燃气安全专项整治",
            "content": "排查餐饮场所燃气隐患",
            "lead_units": [cast.yingji.pk, cast.town_a_org.pk],
            "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "source_kind": "notice",
            "notice_title": "",
        },
    )
    assert response.status_code == 400 and "请填写文件名称" in response.content.decode()
    response = client.post(
        "/supervision/new/",
        {
            "kind": "supervise",
            "urgency": "urgent",
            "issuer": cast.office_org.pk,
            "title": "燃气安全专项整治",
            "content": "排查餐饮场所燃气隐患",
            "lead_units": [cast.yingji.pk, cast.town_a_org.pk],
            "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "source_kind": "notice",
            "notice_title": "关于开展城镇燃气安全专项整治的通知",
            "notice_number": "测安〔2026〕5号",
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert task.assignments.count() == 2 and task.source_kind == "notice"
    assert client_for(cast.inspector).get("/supervision/new/").status_code == 403


def test_report_with_attachment_review_and_media(cast, client_for):
    task = issue(cast)
    part = task.assignments.get()
    unit = client_for(cast.inspector)
    report_url = f"/supervision/assignments/{part.pk}/report/"
    response = unit.post(report_url, {"text": ""})
    assert (
        response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    ) or "必填" in response.content.decode()
    bad = SimpleUploadedFile("台账.pdf", b"not a pdf")
    response = unit.post(report_url, {"text": "已完成", "final": "on", "files": [bad]})
    assert response.status_code == 400 and "内容与文件类型不符" in response.content.decode()
    good = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 ledger")
    response = unit.post(report_url, {"text": "已完成", "final": "on", "files": [good]})
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == AssignmentStatus.REPORTED
    attachment = part.reports.get().attachments.get()
    media_url = attachment.file.url
    assert unit.get(media_url).status_code == 200
    assert client_for(cast.office).get(media_url).status_code == 200
    assert client_for(cast.inspector_other).get(media_url).status_code == 404
    assert client_for(cast.town_a_user).get(media_url).status_code == 404
    office = client_for(cast.office)
    review_url = f"/supervision/assignments/{part.pk}/review/"
    response = office.post(review_url, {"decision": "return", "opinion": ""})
    assert response.status_code == 400 and "退回重办必须写明理由" in response.content.decode()
    assert office.post(review_url, {"decision": "accept", "opinion": "同意"}).status_code == 302
    task.refresh_from_db()
    assert task.status == "completed"
    # The unit cannot review; the form says why.
    response = unit.get(review_url)
    assert response.status_code == 403


def test_list_filters_export_and_queries(cast, client_for, django_assert_max_num_queries):
    tasks = [issue(cast, lead=[cast.yingji, cast.town_a_org], assisting=[cast.zhujian]) for _ in range(8)]
    part = tasks[0].assignments.get(unit=cast.yingji)
    services.report_progress(part, by=cast.inspector, text="完成", final=True)
    services.accept(part, by=cast.office)
    client = client_for(cast.office)
    with django_assert_max_num_queries(25):
        response = client.get("/supervision/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("测安督") >= 8
    for query in (
        "status=open",
        "overdue=true",
        "late=false",
        f"unit={cast.town_a_org.pk}",
        f"unit_territory={cast.town_a.pk}",
        f"issuer={cast.office_org.pk}",
        "kind=assign",
        "source_kind=none",
        f"year={timezone.localdate().year}",
        "q=危化",
        "overdue_or_late=true",
    ):
        assert client.get(f"/supervision/?{query}").status_code == 200, query
    assert (
        client.get("/supervision/?status=open", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results").status_code
        == 200
    )
    export = client.get("/supervision/?export=xlsx")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    headers = [c.value for c in sheet[1]]
    assert "承办单位" in headers and "协办单位" in headers
    assert sheet.max_row >= 9


def test_my_tasks_and_home_panel(cast, client_for):
    issue(cast, title="消防通道专项检查")
    assert 'data-testid="my-tasks"' in client_for(cast.inspector).get("/supervision/").content.decode()
    assert 'data-testid="my-tasks"' not in client_for(cast.leader).get("/supervision/").content.decode()
    assert client_for(cast.leader).get("/supervision/mine/").status_code == 403
    response = client_for(cast.inspector).get("/supervision/mine/")
    assert response.status_code == 200 and "消防通道专项检查" in response.content.decode()
    from django.test import RequestFactory

    from anjian.supervision.homepage import supervision_tasks_panel

    request = RequestFactory().get("/")
    request.user = cast.inspector
    panel = supervision_tasks_panel(request)
    assert panel["title"] == "待办督办事项（1 项）"
    request.user = cast.inspector_other
    assert supervision_tasks_panel(request)["items"] == []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_printed_order(cast, client_for, fmt):
    task = issue(cast, lead=[cast.yingji], assisting=[cast.town_a_org], materials="检查台账")
    response = client_for(cast.inspector).get(f"/supervision/{task.pk}/order.{fmt}")
    assert response.status_code == 200
    assert response.content[:4] in (b"%PDF", b"PK\x03\x04")
    assert client_for(cast.inspector).get(f"/supervision/{task.pk}/order.txt").status_code == 404


def test_detail_queries_do_not_grow_with_reports(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = issue(cast, lead=[cast.yingji, cast.town_a_org], assisting=[cast.zhujian])
    client = client_for(cast.office)
    client.get(task.get_absolute_url())  # signs in
    reporters = {cast.yingji.pk: cast.inspector, cast.town_a_org.pk: cast.town_a_user}

    def report_once():
        for part in task.assignments.filter(unit_id__in=reporters):
            pdf = SimpleUploadedFile("附件.pdf", b"%PDF-1.4 x")
            services.report_progress(part, by=reporters[part.unit_id], text="进展", files=[pdf])

    report_once()
    with CaptureQueriesContext(connection) as few:
        client.get(task.get_absolute_url())
    for _ in range(3):
        report_once()
    with CaptureQueriesContext(connection) as many:
        response = client.get(task.get_absolute_url())
    assert response.content.decode().count('data-testid="timeline-report"') == 8
    assert len(many.captured_queries) == len(few.captured_queries) <= 25


def test_issue_form_takes_the_lead_units_of_a_sector_from_the_responsibility_lists(cast, client_for):
    """Who answers for a sector comes from the committee's 责任清单 (the department→sector mapping)."""
    client = client_for(cast.office)
    page = client.get(f"/supervision/new/?sector={cast.hazchem.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    assert cast.yingji.pk in form.initial["lead_units"]
    assert cast.zhujian.pk not in form.initial["lead_units"]
    assert "已选为承办单位" in page.content.decode()
    # A sector nobody answers for, or a parameter that is not a sector: the plain form, no error.
    for value in ("abc", "999999"):
        response = client.get(f"/supervision/new/?sector={value}")
        assert response.status_code == 200 and "lead_units" not in response.context["form"].initial
