"""Pages and API: permission matrix, scope (404 out of scope), query counts, documents, exports."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core.testing import USER_FIELDS
from anjian.inspections import services, views
from anjian.inspections.models import Inspection, InspectionTask, ItemResult

from .conftest import png_data_url

pytestmark = pytest.mark.django_db

ALL = list(USER_FIELDS)
# Every government role of the cast (incl. another district's office, who reaches the page but sees no records).
GOVERNMENT = {
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "grid_a_user",
    "outsider_office",
}
GOVERNMENT_AND_ENTERPRISES = GOVERNMENT | {"enterprise_a_user", "enterprise_b_user"}

# page url name -> roles (cast names) that get 200; everyone else 403.
LIST_PAGES = {
    "inspections:plan_list": GOVERNMENT,
    "inspections:task_list": GOVERNMENT,
    "inspections:inspection_list": GOVERNMENT_AND_ENTERPRISES,
    "inspections:template_list": GOVERNMENT_AND_ENTERPRISES,
    "inspections:plan_add": {
        "office",
        "inspector",
        "inspector_other",
        "town_a_user",
        "town_b_user",
        "outsider_office",
    },
    "inspections:inspection_add": {
        "office",
        "inspector",
        "inspector_other",
        "town_a_user",
        "town_b_user",
        "grid_a_user",
        "enterprise_a_user",
        "enterprise_b_user",
        "outsider_office",
    },
}


@pytest.mark.parametrize("url_name", LIST_PAGES)
def test_page_permission_matrix(cast, client_for, url_name, templates):
    for name in ALL:
        response = client_for(getattr(cast, name)).get(reverse(url_name))
        expected = 200 if name in LIST_PAGES[url_name] else 403
        assert response.status_code == expected, (url_name, name, response.status_code)


@pytest.fixture
def inspection_a(cast, make_inspection):
    inspection = make_inspection()
    items = list(inspection.items.order_by("order"))
    for item in items:
        item.result = ItemResult.PASS
        item.save()
    items[1].result = ItemResult.FAIL
    items[1].note = "储罐区可燃气体报警器失效"
    items[1].follow_up = "deadline"
    items[1].save()
    return inspection


# who sees enterprise A's (危险化学品, 甲镇) inspection: 200, else 404 (scope) or 403 (role)
DETAIL_EXPECTED = {
    "office": 200,
    "leader": 200,
    "inspector": 200,
    "town_a_user": 200,
    "grid_a_user": 404,
    "enterprise_a_user": 200,
    "inspector_other": 404,
    "town_b_user": 404,
    "enterprise_b_user": 404,
    "outsider_office": 404,
    "sys_admin": 403,
    "sec_admin": 403,
    "audit_admin": 403,
}


def test_detail_scope_matrix(cast, client_for, inspection_a):
    for name, expected in DETAIL_EXPECTED.items():
        url = reverse("inspections:inspection_detail", args=[inspection_a.pk])
        assert client_for(getattr(cast, name)).get(url).status_code == expected, name


def test_enterprise_b_cannot_see_or_act_on_a(cast, client_for, api_for, inspection_a):
    client = client_for(cast.enterprise_b_user)
    for url in (
        reverse("inspections:inspection_detail", args=[inspection_a.pk]),
        reverse("inspections:inspection_document", args=[inspection_a.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("inspections:inspection_action", args=[inspection_a.pk, "hazards"])).status_code
        == 404
    )
    assert client.get(reverse("inspections:inspection_fill", args=[inspection_a.pk])).status_code == 404
    api = api_for(cast.enterprise_b_user)
    assert api.get(f"/api/inspections/inspections/{inspection_a.pk}/").status_code == 404
    assert api.post(f"/api/inspections/inspections/{inspection_a.pk}/hazards/").status_code == 404
    listed = api.get("/api/inspections/inspections/").json()["results"]
    assert listed == []
    page = client.get(reverse("inspections:inspection_list")).content.decode()
    assert inspection_a.number not in page
    assert (
        inspection_a.number
        in client_for(cast.enterprise_a_user).get(reverse("inspections:inspection_list")).content.decode()
    )


API_READ = {
    "/api/inspections/plans/": GOVERNMENT,
    "/api/inspections/tasks/": GOVERNMENT,
    "/api/inspections/inspections/": GOVERNMENT_AND_ENTERPRISES,
    "/api/inspections/checklists/": GOVERNMENT_AND_ENTERPRISES,
}


@pytest.mark.parametrize("url", API_READ)
def test_api_read_matrix(cast, api_for, url):
    for name in ALL:
        status = api_for(getattr(cast, name)).get(url).status_code
        assert status == (200 if name in API_READ[url] else 403), (url, name, status)


def test_api_plan_write_matrix(cast, api_for, templates):
    today = date.today()
    body = {
        "name": "API 计划",
        "kind": "special",
        "level": "county",
        "year": today.year,
        "start_date": str(today),
        "end_date": str(today + timedelta(days=10)),
        "territory": cast.district.pk,
        "organisation": cast.office_org.pk,
        "sectors": [cast.hazchem.pk],
        "enterprises": [],
        "inspectors": [cast.inspector.pk],
        "risk_levels": [],
    }
    allowed = {
        "office"
    }  # inspectors/town are allowed by role but the office org/district is outside their scope
    for name in ["office", "leader", "enterprise_a_user", "sys_admin", "grid_a_user"]:
        response = api_for(getattr(cast, name)).post("/api/inspections/plans/", body, format="json")
        if name in allowed:
            assert response.status_code == 201, response.content
        else:
            assert response.status_code in (400, 403), (name, response.status_code)
            if name in ("leader", "enterprise_a_user", "sys_admin", "grid_a_user"):
                assert response.status_code == 403
    plan_id = api_for(cast.office).get("/api/inspections/plans/").json()["results"][0]["id"]
    generated = api_for(cast.office).post(f"/api/inspections/plans/{plan_id}/generate/")
    assert generated.status_code == 200 and generated.json()["created"] == 1
    assert api_for(cast.leader).post(f"/api/inspections/plans/{plan_id}/generate/").status_code == 403
    bad = api_for(cast.office).post(
        "/api/inspections/plans/", {**body, "risk_levels": ["purple"]}, format="json"
    )
    assert bad.status_code == 400


def test_api_fill_sign_complete_hazards(cast, api_for, make_inspection, media):
    inspection = make_inspection()
    api = api_for(cast.inspector)
    items = api.get(f"/api/inspections/inspections/{inspection.pk}/").json()["items"]
    entries = [{"id": i["id"], "result": "pass"} for i in items]
    entries[0] = {"id": items[0]["id"], "result": "fail", "note": "未持证", "follow_up": "deadline"}
    assert (
        api.post(f"/api/inspections/inspections/{inspection.pk}/fill/", entries, format="json").status_code
        == 200
    )
    refused = api.post(f"/api/inspections/inspections/{inspection.pk}/complete/")
    assert refused.status_code == 400 and "尚未签名" in str(refused.json())
    for who in ("inspector", "unit"):
        r = api.post(
            f"/api/inspections/inspections/{inspection.pk}/sign/",
            {"who": who, "data_url": png_data_url(), "signer_name": "张三"},
            format="json",
        )
        assert r.status_code == 200, r.content
    assert api.post(f"/api/inspections/inspections/{inspection.pk}/complete/").json()["status"] == "completed"
    created = api.post(f"/api/inspections/inspections/{inspection.pk}/hazards/")
    assert created.status_code == 201 and len(created.json()["hazards"]) == 1
    assert (
        api_for(cast.leader).post(f"/api/inspections/inspections/{inspection.pk}/hazards/").status_code == 403
    )
    # A completed record cannot be changed.
    assert (
        api.patch(
            f"/api/inspections/inspections/{inspection.pk}/", {"summary": "x"}, format="json"
        ).status_code
        == 400
    )


def test_api_enterprise_creates_self_check_only(cast, api_for, templates):
    api = api_for(cast.enterprise_a_user)
    body = {
        "level": "self",
        "kind": "routine",
        "enterprise": cast.enterprise_a.pk,
        "checklist_template": templates["hazchem-general"].pk,
        "inspected_on": str(date.today()),
        "inspectors": [cast.enterprise_a_user.pk],
    }
    r = api.post("/api/inspections/inspections/", body, format="json")
    assert r.status_code == 201, r.content
    assert len(r.json()["items"]) == templates["hazchem-general"].items.count()
    assert (
        api.post("/api/inspections/inspections/", {**body, "level": "county"}, format="json").status_code
        == 400
    )
    other = api.post(
        "/api/inspections/inspections/", {**body, "enterprise": cast.enterprise_b.pk}, format="json"
    )
    assert other.status_code == 400


def test_openapi_schema_generates(cast, client_for):
    response = client_for(cast.office).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/inspections/inspections/{id}/hazards/" in response.content


# --- query counts ---------------------------------------------------------------------------------------
def bulk_inspections(cast, templates, n):
    from anjian.inspections.models import InspectionItem

    for i in range(n):
        inspection = Inspection.objects.create(
            number=f"T-{i}",
            level="county",
            kind="routine",
            enterprise=cast.enterprise_a,
            territory=cast.enterprise_a.territory,
            sector=cast.hazchem,
            inspected_on=date.today(),
            checklist_template=templates["hazchem-general"],
        )
        inspection.inspectors.set([cast.inspector, cast.office])
        InspectionItem.objects.create(inspection=inspection, order=1, text="x", result=ItemResult.FAIL)


@pytest.mark.parametrize("user", ["office", "inspector", "enterprise_a_user"])
def test_inspection_list_query_count(cast, client_for, templates, django_assert_max_num_queries, user):
    bulk_inspections(cast, templates, 30)
    client = client_for(getattr(cast, user))
    client.get(reverse("inspections:inspection_list"))  # warm session/menu caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse("inspections:inspection_list"))
    assert response.status_code == 200 and response.content.decode().count("T-") >= 25


def test_inspection_list_counts_items_for_the_page_rows_only(cast, client_for, templates):
    """不符合项 / 已登记隐患 per row are correlated subqueries: no GROUP BY over every inspection in scope."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.inspections.models import InspectionItem

    bulk_inspections(cast, templates, 3)
    counted = Inspection.objects.get(number="T-1")
    InspectionItem.objects.create(inspection=counted, order=2, text="y", result=ItemResult.FAIL)
    InspectionItem.objects.create(inspection=counted, order=3, text="z", result=ItemResult.PASS)
    rows = {
        i.number: (i.failed_count, i.hazard_count)
        for i in views.InspectionList.queryset.filter(number__startswith="T-")
    }
    assert rows == {"T-0": (1, 0), "T-1": (2, 0), "T-2": (1, 0)}
    client = client_for(cast.office)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("inspections:inspection_list")).status_code == 200
    assert not [q["sql"] for q in queries if 'JOIN "inspections_inspectionitem"' in q["sql"]]


def test_plan_and_task_list_query_count(cast, client_for, make_plan, django_assert_max_num_queries):
    for i in range(15):
        plan = make_plan(
            name=f"计划{i}",
            enterprises=[cast.enterprise_a, cast.enterprise_b],
            inspectors=[cast.inspector, cast.inspector_other],
            sectors=[cast.hazchem],
        )
        services.generate_tasks(actor=cast.office, plan=plan)
    client = client_for(cast.office)
    client.get(reverse("inspections:plan_list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("inspections:plan_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("inspections:task_list")).status_code == 200
    assert InspectionTask.objects.count() == 30


# --- documents and exports ------------------------------------------------------------------------------
def test_record_pdf_and_docx(cast, client_for, inspection_a, media):
    services.sign(actor=cast.inspector, inspection=inspection_a, who="inspector", data_url=png_data_url())
    client = client_for(cast.inspector)
    pdf = client.get(reverse("inspections:inspection_document", args=[inspection_a.pk, "pdf"]))
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    docx = client.get(reverse("inspections:inspection_document", args=[inspection_a.pk, "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    tables = " ".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert "现场检查记录" in text and inspection_a.number in text
    assert "储罐区可燃气体报警器失效" in tables and "T0001" in tables + text
    assert (
        client.get(reverse("inspections:inspection_document", args=[inspection_a.pk, "xls"])).status_code
        == 403
    )


def test_excel_exports(cast, client_for, inspection_a, make_plan):
    plan = make_plan(enterprises=[cast.enterprise_a])
    services.generate_tasks(actor=cast.office, plan=plan)
    client = client_for(cast.office)
    for url_name, expected in (
        ("inspections:inspection_list", inspection_a.number),
        ("inspections:plan_list", plan.number),
        ("inspections:task_list", cast.enterprise_a.name),
    ):
        response = client.get(reverse(url_name) + "?export=xlsx")
        assert response.status_code == 200, url_name
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [c for row in sheet.iter_rows(values_only=True) for c in row]
        assert expected in values, url_name
    assert (
        client_for(cast.enterprise_a_user)
        .get(reverse("inspections:inspection_list") + "?export=xlsx")
        .status_code
        == 403
    )


# --- pages: forms ---------------------------------------------------------------------------------------
def test_fill_page_saves_items_and_signature(cast, client_for, make_inspection, media, partner):
    inspection = make_inspection()
    client = client_for(cast.inspector)
    url = reverse("inspections:inspection_fill", args=[inspection.pk])
    assert client.get(url).status_code == 200
    items = list(inspection.items.order_by("order"))
    data = {
        "level": inspection.level,
        "kind": "routine",
        "sector": cast.hazchem.pk,
        "inspected_on": str(date.today()),
        "location": "储罐区",
        "inspectors": [cast.inspector.pk, partner.pk],
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "sig-inspector_signature": png_data_url(),
    }
    for n, item in enumerate(items):
        data[f"items-{n}-id"] = item.pk
        data[f"items-{n}-inspection"] = inspection.pk
        data[f"items-{n}-result"] = "fail" if n == 0 else "pass"
    data["items-0-note"] = "主要负责人未经考核"
    data["items-0-follow_up"] = "interim"
    data["items-0-interim_measures"] = "暂停危险作业"
    n = len(items)
    data[f"items-{n}-inspection"] = inspection.pk
    data[f"items-{n}-text"] = "现场发现消防通道堵塞"
    data[f"items-{n}-result"] = "fail"
    data[f"items-{n}-rectified_on_spot"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    inspection.refresh_from_db()
    assert inspection.inspector_signature and inspection.inspector_signed_at
    assert inspection.items.filter(result="fail").count() == 2
    extra = inspection.items.get(text="现场发现消防通道堵塞")
    assert extra.order == n + 1 and extra.rectified_on_spot
    # Completing without the unit's signature is refused with a reason, the draft stays saved.
    data["complete"] = "1"
    data.pop("sig-inspector_signature")
    data[f"items-{n}-id"] = extra.pk
    data["items-INITIAL_FORMS"] = str(n + 1)
    data["items-TOTAL_FORMS"] = str(n + 1)
    response = client.post(url, data, follow=True)
    assert "被检查单位尚未签字" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "draft"


def test_create_page_enterprise_self_check(cast, client_for, templates):
    client = client_for(cast.enterprise_a_user)
    response = client.post(
        reverse("inspections:inspection_add"),
        {
            "level": "self",
            "kind": "routine",
            "enterprise": cast.enterprise_a.pk,
            "checklist_template": templates["hazchem-general"].pk,
            "inspected_on": str(date.today()),
            "inspectors": [cast.enterprise_a_user.pk],
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.level == "self" and inspection.items.exists()
    bad = client.post(
        reverse("inspections:inspection_add"),
        {
            "level": "self",
            "kind": "routine",
            "enterprise": cast.enterprise_b.pk,
            "inspected_on": str(date.today()),
            "inspectors": [cast.enterprise_a_user.pk],
        },
    )
    assert bad.status_code == 400


def test_plan_page_generate_and_draw(cast, client_for):
    client = client_for(cast.office)
    today = date.today()
    response = client.post(
        reverse("inspections:plan_add"),
        {
            "name": "2026年第四季度检查安排",
            "kind": "quarterly",
            "level": "county",
            "year": today.year,
            "quarter": 4,
            "start_date": str(today),
            "end_date": str(today + timedelta(days=20)),
            "territory": cast.district.pk,
            "organisation": cast.office_org.pk,
            "inspectors": [cast.inspector.pk, cast.inspector_other.pk],
            "inspectors_per_task": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from anjian.inspections.models import InspectionPlan

    plan = InspectionPlan.objects.get()
    client.post(reverse("inspections:plan_action", args=[plan.pk, "generate"]))
    assert plan.tasks.count() == 2
    page = client.get(plan.get_absolute_url()).content.decode()
    assert cast.enterprise_b.name in page
    assert (
        client_for(cast.leader)
        .post(reverse("inspections:plan_action", args=[plan.pk, "generate"]))
        .status_code
        == 403
    )
    invalid = client.post(
        reverse("inspections:plan_add"),
        {
            "name": "x",
            "kind": "quarterly",
            "level": "county",
            "year": today.year,
            "start_date": str(today),
            "end_date": str(today - timedelta(days=1)),
            "territory": cast.district.pk,
            "organisation": cast.office_org.pk,
            "inspectors_per_task": 1,
        },
    )
    assert invalid.status_code == 400 and "季度" in invalid.content.decode()


def test_home_panel_and_todos(cast, client_for, make_plan):
    from anjian.inspections.deadlines import deadline_items, todo_items

    plan = make_plan(
        enterprises=[cast.enterprise_a],
        inspectors=[cast.inspector],
        end_date=date.today() - timedelta(days=1),
    )
    services.generate_tasks(actor=cast.office, plan=plan)
    todos = list(todo_items(cast.inspector))
    assert len(todos) == 1 and todos[0].overdue and todos[0].kind == "inspection.task"
    assert list(todo_items(cast.inspector_other)) == []
    assert len(list(todo_items(cast.town_a_user))) == 1
    assert list(todo_items(cast.town_b_user)) == []
    assert list(todo_items(cast.enterprise_a_user)) == []
    from django.utils import timezone

    items = list(deadline_items("inspection.task", timezone.now()))
    assert len(items) == 1 and items[0].responsible == (cast.inspector,)
    home = client_for(cast.inspector).get("/").content.decode()
    assert "我的检查任务" in home and cast.enterprise_a.name in home


def test_detail_pages_render(cast, client_for, make_plan, inspection_a, templates):
    plan = make_plan(kind="random", random_count=1, inspectors=[cast.inspector], sectors=[cast.hazchem])
    services.draw_random(actor=cast.office, plan=plan, seed="s1")
    task = plan.tasks.get()
    client = client_for(cast.office)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "复算一致" in page and "s1" in page
    assert cast.enterprise_a.name in client.get(task.get_absolute_url()).content.decode()
    template = templates["construction-site"]
    assert "塔式起重机" in client.get(template.get_absolute_url()).content.decode()
    detail = client.get(inspection_a.get_absolute_url()).content.decode()
    assert "储罐区可燃气体报警器失效" in detail and "T0001" in detail
    # Tasks are not shown to enterprises (抽查 is not announced in advance).
    assert client_for(cast.enterprise_a_user).get(task.get_absolute_url()).status_code == 403


def test_office_maintains_checklist_templates(cast, client_for, templates):
    from anjian.inspections.models import ChecklistTemplate

    data = {
        "code": "gas-restaurant",
        "name": "餐饮场所燃气安全检查表",
        "sector": cast.hazchem.pk,
        "is_active": "on",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-order": "1",
        "items-0-text": "安装可燃气体报警装置",
        "items-0-basis": "GB 55009-2021",
        "items-1-order": "2",
        "items-1-text": "燃气管道未穿越卧室",
        "items-1-basis": "GB 50028-2006",
    }
    assert client_for(cast.inspector).post(reverse("inspections:template_add"), data).status_code == 403
    response = client_for(cast.office).post(reverse("inspections:template_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ChecklistTemplate.objects.get(code="gas-restaurant")
    assert list(template.items.values_list("order", flat=True)) == [1, 2]
    duplicate = {**data, "code": "gas-2", "items-1-order": "1"}
    assert client_for(cast.office).post(reverse("inspections:template_add"), duplicate).status_code == 400
    assert not ChecklistTemplate.objects.filter(code="gas-2").exists()


def test_deadline_escalation_ladder(cast, make_plan):
    from django.utils import timezone

    from anjian.inspections.deadlines import deadline_items

    plan = make_plan(
        enterprises=[cast.enterprise_a],
        inspectors=[cast.inspector],
        organisation=cast.yingji,
        end_date=date.today() - timedelta(days=2),
    )
    services.generate_tasks(actor=cast.office, plan=plan)
    [item] = list(deadline_items("inspection.task", timezone.now()))
    level1, level2 = item.escalation
    assert cast.inspector not in level1 and cast.inspector_other not in level1
    assert cast.office in level2 and cast.outsider_office not in level2
    assert list(deadline_items("inspection.task", timezone.now() - timedelta(days=5))) == []
    assert list(deadline_items("hazard.rectification", timezone.now())) == []
