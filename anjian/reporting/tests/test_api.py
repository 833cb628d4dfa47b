"""API permission matrix (every role × list/detail/write), actions and the OpenAPI description."""

from datetime import date

import pytest

from anjian.reporting.models import ReportStatus

from .conftest import report_of

EVERYONE = (
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "grid_a_user",
    "enterprise_a_user",
    "enterprise_b_user",
    "outsider_office",
    "sys_admin",
    "sec_admin",
    "audit_admin",
)
# (list, detail of town A's October report, save on it, create a template)
EXPECTED = {
    "office": (200, 200, 403, 201),
    "leader": (200, 200, 403, 403),
    "inspector": (200, 404, 404, 403),
    "inspector_other": (200, 404, 404, 403),
    "town_a_user": (200, 200, 200, 403),
    "town_b_user": (200, 404, 404, 403),
    "grid_a_user": (403, 403, 403, 403),
    "enterprise_a_user": (200, 404, 404, 403),
    "enterprise_b_user": (200, 404, 404, 403),
    "outsider_office": (200, 404, 404, 201),
    "sys_admin": (403, 403, 403, 403),
    "sec_admin": (403, 403, 403, 403),
    "audit_admin": (403, 403, 403, 403),
}


@pytest.mark.parametrize("username", EVERYONE)
def test_permission_matrix(cast, generated, api_for, username):
    user = getattr(cast, username)
    api = api_for(user)
    report = report_of(generated, cast.town_a_org)
    got = (
        api.get("/api/reporting/reports/").status_code,
        api.get(f"/api/reporting/reports/{report.pk}/").status_code,
        api.post(
            f"/api/reporting/reports/{report.pk}/save/", {"values": {"meetings": "2"}}, format="json"
        ).status_code,
        api.post(
            "/api/reporting/templates/",
            {
                "name": "测试报表",
                "code": f"api-{username}",
                "frequency": "monthly",
                "due_months_after": 1,
                "due_day": 5,
                "starts_on": "2026-10-01",
                "reporter_kind": "towns",
                "receiver_kind": "office_above",
            },
            format="json",
        ).status_code,
    )
    assert got == EXPECTED[username]


def test_enterprise_lists_only_its_own_reports(cast, hz16, api_for):
    from anjian.reporting.services import generate_reports

    generate_reports(date(2026, 10, 2), templates=[hz16])
    rows = api_for(cast.enterprise_a_user).get("/api/reporting/reports/").json()["results"]
    assert [r["reporter_enterprise"] for r in rows] == [cast.enterprise_a.pk]
    rows = api_for(cast.enterprise_b_user).get("/api/reporting/reports/").json()["results"]
    assert [r["reporter_enterprise"] for r in rows] == [cast.enterprise_b.pk]
    # Each department sees the tables of the units in its sectors (管行业必须管安全), the town those of its units.
    for user, enterprise in ((cast.inspector, cast.enterprise_a), (cast.inspector_other, cast.enterprise_b)):
        rows = api_for(user).get("/api/reporting/reports/").json()["results"]
        assert [r["reporter_enterprise"] for r in rows] == [enterprise.pk]
    rows = api_for(cast.town_a_user).get("/api/reporting/reports/").json()["results"]
    assert [r["reporter_enterprise"] for r in rows] == [cast.enterprise_a.pk]


def test_submit_return_confirm_through_the_api(cast, generated, api_for):
    report = report_of(generated, cast.town_a_org)
    town, office = api_for(cast.town_a_user), api_for(cast.office)
    refused = town.post(f"/api/reporting/reports/{report.pk}/submit/", {}, format="json")
    assert refused.status_code == 400
    assert "“召开会议”为必填项。" in refused.json()["detail"]
    done = town.post(
        f"/api/reporting/reports/{report.pk}/submit/",
        {"values": {"meetings": "2"}, "signer_name": "甲镇长"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == ReportStatus.SUBMITTED
    assert town.post(f"/api/reporting/reports/{report.pk}/submit/", {}, format="json").status_code == 409
    assert (
        office.post(f"/api/reporting/reports/{report.pk}/return/", {"reason": ""}, format="json").status_code
        == 400
    )
    back = office.post(f"/api/reporting/reports/{report.pk}/return/", {"reason": "数据有误"}, format="json")
    assert back.json()["status"] == ReportStatus.RETURNED
    assert office.post(f"/api/reporting/reports/{report.pk}/confirm/").status_code == 409


def test_unknown_metric_is_refused_in_chinese(cast, monthly, api_for):
    answer = api_for(cast.office).post(
        "/api/reporting/fields/",
        {
            "template": monthly.pk,
            "key": "x",
            "label": "x",
            "kind": "integer",
            "source": "auto",
            "metric": "nope",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["metric"] == ["未知的平台指标“nope”。"]


def test_openapi_schema_without_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/reporting/", include("anjian.reporting.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert "/api/reporting/reports/{id}/return/" in schema["paths"]
    assert "409" in schema["paths"]["/api/reporting/reports/{id}/submit/"]["post"]["responses"]
    assert "409" not in schema["paths"]["/api/reporting/reports/"]["get"]["responses"]
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Error" not in captured.err, captured.err
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache


def test_api_list_queries(cast, generated, api_for, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        rows = api_for(cast.office).get("/api/reporting/reports/").json()["results"]
    assert len(rows) == 4
