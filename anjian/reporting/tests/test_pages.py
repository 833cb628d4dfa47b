"""Pages: lists (with query counts), filling, receiving, the summary matrix, Excel layouts and template admin."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from anjian.core.navigation import menu_for
from anjian.reporting import services
from anjian.reporting.models import Report, ReportStatus, TemplateField

from .conftest import make_hazard, report_of


def _submit(cast, template, org, user, meetings, narrative=""):
    return services.submit(
        report_of(template, org),
        user,
        values={"meetings": str(meetings)},
        narrative=narrative,
        signer_name=user.name,
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("inspector", 200),
        ("town_a_user", 200),
        ("enterprise_a_user", 200),
        ("grid_a_user", 403),
        ("sys_admin", 403),
        ("audit_admin", 403),
    ],
)
def test_list_by_role(cast, generated, client_for, username, status):
    assert client_for(getattr(cast, username)).get("/reporting/").status_code == status


def test_list_filters_and_query_count(cast, generated, client_for, django_assert_max_num_queries):
    client = client_for(cast.office)
    with django_assert_max_num_queries(14):
        page = client.get("/reporting/")
    assert page.content.decode().count("月度安全生产工作情况") >= 4
    narrowed = client.get("/reporting/", {"mine": "true"}).content.decode()
    assert "甲镇人民政府" not in narrowed  # the office files none of these
    missing = client.get("/reporting/", {"timeliness": "missing", "template": generated.pk}).content.decode()
    assert "未报" in missing
    assert client.get("/reporting/", {"export": "xlsx"}).status_code == 200
    htmx = client.get("/reporting/", {"q": "甲镇"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert htmx.status_code == 200


def test_town_fills_and_submits_on_the_page(cast, generated, client_for):
    make_hazard(cast, found_on=date(2026, 10, 3))
    report = report_of(generated, cast.town_a_org)
    client = client_for(cast.town_a_user)
    page = client.get(f"/reporting/{report.pk}/fill/")
    assert page.status_code == 200
    report.refresh_from_db()
    assert report.values["hazards_found"] == 1  # pre-filled on opening
    bad = client.post(
        f"/reporting/{report.pk}/fill/", {"action": "submit", "v_meetings": "x", "signer_name": "甲"}
    )
    assert bad.status_code == 400
    assert "“召开会议”应填写整数。" in bad.content.decode()
    ok = client.post(
        f"/reporting/{report.pk}/fill/",
        {"action": "submit", "v_meetings": "3", "narrative": "开展排查", "signer_name": "甲镇长"},
    )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.values["meetings"] == 3
    # Others may not open the form.
    assert client_for(cast.town_b_user).get(f"/reporting/{report.pk}/fill/").status_code == 404
    assert client_for(cast.office).get(f"/reporting/{report.pk}/fill/").status_code == 403
    detail = client_for(cast.office).get(report.get_absolute_url()).content.decode()
    assert "退回修改" in detail and 'data-testid="confirm-report"' in detail
    assert 'data-testid="fill-report"' not in client.get(report.get_absolute_url()).content.decode()


def test_receiver_returns_and_confirms_on_the_page(cast, generated, client_for):
    report = _submit(cast, generated, cast.town_a_org, cast.town_a_user, 2)
    office = client_for(cast.office)
    office.post(f"/reporting/{report.pk}/return/", {"reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # no reason, nothing changed
    office.post(f"/reporting/{report.pk}/return/", {"reason": "会议次数有误"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    town_page = client_for(cast.town_a_user).get(report.get_absolute_url()).content.decode()
    assert "会议次数有误" in town_page
    services.submit(report, cast.town_a_user)
    office.post(f"/reporting/{report.pk}/confirm/")
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED
    assert client_for(cast.leader).post(f"/reporting/{report.pk}/confirm/").status_code == 403


def test_summary_matrix_sums_and_exports(cast, generated, client_for):
    _submit(cast, generated, cast.town_a_org, cast.town_a_user, 2, "甲镇情况")
    _submit(cast, generated, cast.town_b_org, cast.town_b_user, 5, "乙镇情况")
    client = client_for(cast.office)
    page = client.get(
        "/reporting/summary/", {"template": generated.pk, "period": "2026-10-01"}
    ).content.decode()
    assert 'data-testid="total-meetings">7<' in page
    assert "甲镇情况" in page and "乙镇情况" in page
    export = client.get(
        "/reporting/summary/", {"template": generated.pk, "period": "2026-10-01", "export": "xlsx"}
    )
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert sheet["A1"].value == "2026年10月月度安全生产工作情况汇总表"
    assert "报告期：2026年10月" in sheet["A2"].value
    headers = [c.value for c in sheet[3]]
    assert headers[:3] == ["序号", "填报单位", "报送情况"] and "召开会议（项）" in headers
    total_row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "合计")
    assert total_row[headers.index("召开会议（项）")] == 7
    assert any(row[0] == "甲镇人民政府" and row[1] == "甲镇情况" for row in sheet.iter_rows(values_only=True))
    # Bad parameters are no 500.
    assert client.get("/reporting/summary/", {"template": "x", "period": "bad"}).status_code == 200


def test_single_report_excel_layout(cast, generated, client_for):
    report = _submit(cast, generated, cast.town_a_org, cast.town_a_user, 2, "=cmd|' /C calc'!A0")
    export = client_for(cast.town_a_user).get(f"/reporting/{report.pk}/export/")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert sheet["A1"].value == "2026年10月月度安全生产工作情况"
    assert (
        "填报单位：甲镇人民政府" in sheet["A2"].value
        and "报告期：2026-10-01至2026-10-31" in sheet["A2"].value
    )
    assert [c.value for c in sheet[3]] == ["栏目", "指标", "计量单位", "数值"]
    rows = {row[1]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    assert rows["召开会议"] == 2
    narrative = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "工作情况")
    assert narrative[1].startswith("'=")  # formula injection escaped
    assert any(
        str(row[0]).startswith("签字人：town_a_user") for row in sheet.iter_rows(values_only=True) if row[0]
    )
    assert client_for(cast.town_b_user).get(f"/reporting/{report.pk}/export/").status_code == 404


def test_template_admin(cast, monthly, client_for):
    office = client_for(cast.office)
    assert office.get("/reporting/templates/").status_code == 200
    assert office.get(f"/reporting/templates/{monthly.pk}/").status_code == 200
    assert client_for(cast.town_a_user).get("/reporting/templates/add/").status_code == 403
    bad = office.post(
        f"/reporting/templates/{monthly.pk}/fields/add/",
        {"key": "x", "label": "新字段", "kind": "integer", "source": "auto", "metric": "nope", "order": 5},
    )
    assert bad.status_code == 400 and "未知的平台指标“nope”。" in bad.content.decode()
    office.post(
        f"/reporting/templates/{monthly.pk}/fields/add/",
        {
            "key": "x",
            "label": "新字段",
            "kind": "integer",
            "source": "auto",
            "metric": "accidents",
            "order": 5,
        },
    )
    assert TemplateField.objects.filter(template=monthly, key="x").exists()
    monthly.refresh_from_db()
    assert monthly.version == 2
    created = office.post(
        "/reporting/templates/add/",
        {
            "name": "季报",
            "code": "q",
            "frequency": "quarterly",
            "due_months_after": "1",
            "due_day": "10",
            "starts_on": "2026-10-01",
            "reporter_kind": "departments",
            "receiver_kind": "office_above",
            "territory": cast.district.pk,
            "is_active": "on",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    wrong = office.post(
        "/reporting/templates/add/",
        {
            "name": "企业报表",
            "code": "e",
            "frequency": "monthly",
            "due_months_after": "1",
            "due_day": "40",
            "starts_on": "2026-10-01",
            "reporter_kind": "enterprises",
            "receiver_kind": "office_above",
            "territory": cast.district.pk,
        },
    )
    text = wrong.content.decode()
    assert (
        wrong.status_code == 400
        and "企业报表由负有监管职责的部门和属地镇街接收。" in text
        and "报送日应在" in text
    )


def test_menu_entries(cast):
    def labels(user):
        return {item["label"]: group["label"] for group in menu_for(user) for item in group["items"]}

    assert labels(cast.office)["报表报送"] == "安委会" and "报表模板" in labels(cast.office)
    assert "报表模板" not in labels(cast.town_a_user) and "报表报送" in labels(cast.town_a_user)
    assert labels(cast.enterprise_a_user)["隐患统计报表"] == "隐患治理"
    assert "报表报送" not in labels(cast.enterprise_a_user)
    for name in ("grid_a_user", "sys_admin", "sec_admin", "audit_admin"):
        assert "报表报送" not in labels(getattr(cast, name))


def test_detail_with_history(cast, generated, client_for):
    report = _submit(cast, generated, cast.town_a_org, cast.town_a_user, 2)
    page = client_for(cast.leader).get(report.get_absolute_url()).content.decode()
    assert "报送" in page and "history" in page.lower()
    assert Report.objects.count() >= 4


def test_summary_page_queries_do_not_grow_with_reports(
    cast, generated, client_for, django_assert_max_num_queries
):
    client = client_for(cast.office)
    with django_assert_max_num_queries(12):
        assert (
            client.get("/reporting/summary/", {"template": generated.pk, "period": "2026-10-01"}).status_code
            == 200
        )
