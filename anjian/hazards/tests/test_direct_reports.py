"""HZ-20 (安全生产法 第四十六条第二款): a safety manager whose unit does not deal with a major hazard in time reports
it directly to the supervising department, which must deal with it (to-do, deadline, handling record)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing import make_user
from anjian.hazards import deadlines, direct_reports
from anjian.hazards.models import DirectReport

from .conftest import make_hazard

pytestmark = pytest.mark.django_db
URL = "/api/hazards/direct-reports/"


def report(cast, **extra):
    values = {
        "description": "液氨储罐安全阀失效，未停用",
        "location": "液氨罐区",
        "reported_to_unit_on": timezone.localdate() - timedelta(days=3),
        "unit_response": "已书面报告总经理，三日内未安排整改",
        **extra,
    }
    return direct_reports.submit(DirectReport(**values), cast.enterprise_a_user)


def test_hz20_report_goes_to_the_supervising_department_with_a_deadline(cast):
    made = report(cast)
    assert made.supervising_org == cast.yingji  # 应急管理局 supervises 危险化学品 (the unit's sector)
    assert made.due_on == timezone.localdate() + timedelta(days=direct_reports.handling_days())
    todo = list(deadlines.todo_items(cast.inspector))
    assert any(t.kind == "hazard.direct_report" and t.obj == made for t in todo)
    assert not any(t.kind == "hazard.direct_report" for t in deadlines.todo_items(cast.inspector_other))
    items = list(deadlines.deadline_items("hazard.direct_report", timezone.now() + timedelta(days=10)))
    assert [i.obj for i in items] == [made] and cast.inspector in items[0].responsible
    assert cast.office in items[0].escalation[0]


def test_hz20_only_the_units_open_major_hazards_and_only_enterprise_staff(cast):
    general = make_hazard(cast, grade="general")
    with pytest.raises(ValidationError) as exc:
        report(cast, hazard=general, description="")
    assert "重大事故隐患" in str(exc.value)
    other = make_hazard(cast, grade="major", enterprise=cast.enterprise_b)
    with pytest.raises(ValidationError):
        report(cast, hazard=other, description="")
    with pytest.raises(ValidationError) as exc:
        report(cast, description="")
    assert "隐患描述" in str(exc.value)
    major = make_hazard(cast, grade="major")
    assert report(cast, hazard=major, description="").hazard == major
    with pytest.raises(PermissionDenied):
        direct_reports.submit(DirectReport(description="x", unit_response="x"), cast.inspector)


def test_hz20_reporter_is_protected_from_the_unit(cast):
    made = report(cast)
    colleague = make_user("boss_a", "enterprise", cast.village_a, enterprise=cast.enterprise_a)
    assert list(direct_reports.visible(cast.enterprise_a_user)) == [made]
    assert list(direct_reports.visible(colleague)) == []
    assert list(direct_reports.visible(cast.enterprise_b_user)) == []


def test_hz20_department_handles_with_a_record(cast, client_for):
    made = report(cast)
    page = client_for(cast.inspector).get(made.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="handle-form"' in page.content.decode()
    bad = client_for(cast.inspector).post(
        made.get_absolute_url(), {"outcome": "registered", "note": "已核实属实"}
    )
    assert bad.status_code == 400 and "请选择已登记或督办的隐患" in bad.content.decode()
    hazard = make_hazard(cast, grade="major")
    with pytest.raises(PermissionDenied):
        direct_reports.handle(made, cast.inspector_other, outcome="other", note="不是本部门")
    ok = client_for(cast.inspector).post(
        made.get_absolute_url(),
        {"outcome": "registered", "note": "现场核实属实，已登记并责令整改", "hazard": hazard.pk},
    )
    assert ok.status_code == 302
    made.refresh_from_db()
    assert made.status == "handled" and made.handled_hazard == hazard and made.handled_by == cast.inspector
    assert not any(t.kind == "hazard.direct_report" for t in deadlines.todo_items(cast.inspector))
    assert list(deadlines.deadline_items("hazard.direct_report", timezone.now() + timedelta(days=10))) == []
    with pytest.raises(ValidationError):
        direct_reports.handle(made, cast.inspector, outcome="other", note="再次处理")


def test_hz20_pages_and_form(cast, client_for):
    client = client_for(cast.enterprise_a_user)
    add = reverse("hazards:direct_report_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"reported_to_unit_on": str(timezone.localdate()), "unit_response": "未处理"})
    assert (
        response.status_code == 400
        and "请选择本单位的重大事故隐患，或填写隐患描述" in response.content.decode()
    )
    response = client.post(
        add,
        {
            "description": "可燃气体报警仪全部停用",
            "reported_to_unit_on": str(timezone.localdate()),
            "unit_response": "负责人未答复",
            "reporter_title": "安全生产管理人员",
        },
    )
    assert response.status_code == 302
    listing = client_for(cast.inspector).get(reverse("hazards:direct_report_list")).content.decode()
    assert "可燃气体报警仪全部停用" in listing
    assert client_for(cast.inspector).get(add).status_code == 403
    assert client_for(cast.sys_admin).get(reverse("hazards:direct_report_list")).status_code == 403


@pytest.mark.parametrize(
    "name, read, create, handle",
    [
        ("office", 200, 403, 200),
        ("leader", 200, 403, 403),
        ("inspector", 200, 403, 200),
        ("inspector_other", 200, 403, 403),
        ("town_a_user", 200, 403, 403),
        ("enterprise_a_user", 200, 201, 403),
        ("enterprise_b_user", 200, 201, 403),
        ("sys_admin", 403, 403, 403),
        ("sec_admin", 403, 403, 403),
        ("audit_admin", 403, 403, 403),
    ],
)
def test_hz20_api_permission_matrix(cast, api_for, name, read, create, handle):
    made = report(cast)
    api = api_for(getattr(cast, name))
    assert api.get(URL).status_code == read
    body = {
        "description": "可燃气体报警仪全部停用",
        "reported_to_unit_on": str(timezone.localdate()),
        "unit_response": "负责人未答复",
    }
    assert api.post(URL, body, format="json").status_code == create
    note = {"outcome": "not_major", "note": "经核查不构成重大隐患"}
    response = api.post(f"{URL}{made.pk}/handle/", note, format="json")
    # a role that may not handle is refused (403); one that may, but outside the report's scope, finds nothing (404)
    assert response.status_code == handle or (handle == 403 and response.status_code == 404)


def test_hz20_schema_generates(cast, client_for):
    response = client_for(cast.office).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/hazards/direct-reports/{id}/handle/" in response.content


# --- HZ-45: a stop ordered for a major hazard normally lasts no more than 6 months ---------------------------


def test_hz45_stop_period_end_counts_calendar_months():
    from datetime import date

    from anjian.hazards.services import stop_period_end

    assert stop_period_end(date(2026, 1, 15)) == date(2026, 7, 15)
    assert stop_period_end(date(2026, 8, 31)) == date(2027, 2, 28)
    assert stop_period_end(date(2027, 8, 31)) == date(2028, 2, 29)


def test_hz45_stop_order_is_reminded_before_six_months_until_resumption(cast):
    from anjian.hazards import services
    from anjian.hazards.services import stop_period_end

    hazard = make_hazard(cast, grade="major")
    services.order_stop(hazard, actor=cast.inspector, kind="partial", reason="储罐区停用")
    hazard.refresh_from_db()
    assert hazard.stop_review_due == stop_period_end(timezone.localdate())
    soon = timezone.now() + timedelta(days=200)
    items = list(deadlines.deadline_items("hazard.stop_period", soon))
    assert [i.obj for i in items] == [hazard] and cast.inspector in items[0].responsible
    assert list(deadlines.deadline_items("hazard.stop_period", timezone.now())) == []
    hazard.resumption_approved_at = timezone.now()
    hazard.save()
    assert list(deadlines.deadline_items("hazard.stop_period", soon)) == []


def test_hz20_list_query_count_does_not_grow(cast, client_for, django_assert_max_num_queries):
    for n in range(12):
        report(cast, description=f"重大隐患{n}")
    client = client_for(cast.office)
    client.get(reverse("hazards:direct_report_list"))  # warm the session and caches
    with django_assert_max_num_queries(20):
        response = client.get(reverse("hazards:direct_report_list"))
    assert response.status_code == 200 and "重大隐患11" in response.content.decode()
