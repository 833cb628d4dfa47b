"""Pages: list (filters, scope, query count, export), filing form, detail, 补报 and investigation forms."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.accidents import services
from anjian.accidents.models import Accident, Level

from .factories import file

pytestmark = pytest.mark.django_db

LIST = reverse("accidents:accident_list")
ADD = reverse("accidents:accident_add")
STATS = reverse("accidents:statistics")


def _dt(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("inspector", 200),
        ("town_a_user", 200),
        ("grid_a_user", 200),
        ("enterprise_a_user", 200),
        ("sys_admin", 403),
        ("audit_admin", 403),
    ],
)
def test_list_permission(cast, client_for, user, status):
    assert client_for(getattr(cast, user)).get(LIST).status_code == status


def test_list_scope_and_filters(cast, client_for):
    a = file(cast.office, title="甲镇事故", territory=cast.town_a, sector=cast.hazchem)
    b = file(
        cast.office, title="乙镇道路事故", territory=cast.town_b, group="road_traffic", category="1986-02"
    )
    e = file(cast.enterprise_a_user, title="企业A自报")
    town_a = client_for(cast.town_a_user).get(LIST).content.decode()
    assert a.title in town_a and e.title in town_a and b.title not in town_a
    inspector = client_for(cast.inspector).get(LIST).content.decode()
    assert a.title in inspector and b.title not in inspector and e.title not in inspector  # e has no sector
    ent_b = client_for(cast.enterprise_b_user).get(LIST).content.decode()
    assert a.title not in ent_b and e.title not in ent_b
    office = client_for(cast.office).get(LIST, {"industry_group": "road_traffic"}).content.decode()
    assert b.title in office and a.title not in office
    htmx = client_for(cast.office).get(LIST, {"q": "乙镇"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b.title in htmx.content.decode() and "<html" not in htmx.content.decode()


def test_list_query_count_does_not_grow(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.office)
    for i in range(3):
        file(cast.office, title=f"事故{i}", enterprise=cast.enterprise_a, sector=cast.hazchem)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for i in range(30):
        file(cast.office, title=f"更多{i}", enterprise=cast.enterprise_b, sector=cast.construction)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_export_ledger(cast, client_for):
    file(cast.office, title="=HYPERLINK(1)", deaths=3)
    response = client_for(cast.office).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "'=HYPERLINK(1)" in flat and "较大" in flat and "直接经济损失（元）" in flat
    assert client_for(cast.enterprise_a_user).get(LIST, {"export": "xlsx"}).status_code == 403


def test_file_accident_through_the_form(cast, client_for):
    client = client_for(cast.office)
    occurred = timezone.now() - timedelta(hours=3)
    assert client.get(ADD).status_code == 200
    data = {
        "title": "甲化工中毒事故",
        "enterprise": cast.enterprise_a.pk,
        "unit_name": "",
        "territory": "",
        "sector": cast.hazchem.pk,
        "occurred_at": _dt(occurred),
        "unit_received_at": _dt(occurred + timedelta(minutes=5)),
        "place": "储罐区",
        "category": "1986-19",
        "industry_group": "industry_mining_trade",
        "summary": "清罐作业中毒",
        "measures": "疏散",
        "deaths": 1,
        "missing": 0,
        "serious_injuries": 10,
        "minor_injuries": 0,
        "direct_loss": "300000",
        "county_received_at": _dt(occurred + timedelta(minutes=50)),
        "reporter": "王厂长",
        "receiver": "值班员",
    }
    response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    accident = Accident.objects.get()
    assert accident.grade == "larger"  # 10 serious injuries incl. acute poisoning
    assert accident.territory == cast.village_a
    county = accident.hops.get(level=Level.COUNTY)
    assert county.received_at is not None and county.late is False
    detail = client.get(accident.get_absolute_url()).content.decode()
    assert "较大事故" in detail and "第1版" in detail


def test_form_errors_are_chinese_and_nothing_saved(cast, client_for):
    response = client_for(cast.office).post(
        ADD, {"title": "", "occurred_at": "x", "deaths": -1, "direct_loss": "abc", "category": "1986-03"}
    )
    assert response.status_code == 400
    assert "请修正" in response.content.decode()
    assert not Accident.objects.exists()


def test_enterprise_files_own_accident(cast, client_for):
    client = client_for(cast.enterprise_a_user)
    page = client.get(ADD).content.decode()
    assert 'name="enterprise"' not in page
    occurred = timezone.now() - timedelta(minutes=30)
    response = client.post(
        ADD,
        {
            "title": "企业自报",
            "sector": cast.hazchem.pk,
            "occurred_at": _dt(occurred),
            "place": "车间",
            "category": "1986-03",
            "industry_group": "industry_mining_trade",
            "summary": "手被卷入",
            "deaths": 0,
            "missing": 0,
            "serious_injuries": 1,
            "minor_injuries": 0,
            "direct_loss": "20000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    accident = Accident.objects.get()
    assert accident.enterprise == cast.enterprise_a
    assert client_for(cast.leader).post(ADD, {}).status_code == 403


def test_supplement_page_changes_grade(cast, client_for):
    accident = file(
        cast.office, deaths=2, occurred_at=timezone.now() - timedelta(days=2), territory=cast.town_a
    )
    client = client_for(cast.town_a_user)
    url = reverse("accidents:supplement", args=[accident.pk])
    assert client.get(url).status_code == 200
    data = {
        "as_of": timezone.localdate().isoformat(),
        "deaths": 3,
        "missing": 0,
        "serious_injuries": 0,
        "minor_injuries": 0,
        "direct_loss": "0",
        "note": "一名伤者抢救无效死亡",
    }
    assert client.post(url, data).status_code == 302
    accident.refresh_from_db()
    assert accident.grade == "larger"
    assert client_for(cast.town_b_user).get(url).status_code == 404  # out of scope
    assert client_for(cast.leader).get(url).status_code == 403


def test_hop_and_investigation_pages(cast, client_for):
    occurred = timezone.now() - timedelta(days=3)
    accident = file(cast.office, deaths=1, occurred_at=occurred)
    client = client_for(cast.office)
    hop = accident.hops.get(level=Level.COUNTY)
    url = reverse("accidents:hop_record", args=[hop.pk])
    response = client.post(url, {"received_at": _dt(occurred + timedelta(hours=2)), "reporter": "单位"})
    assert response.status_code == 302
    hop.refresh_from_db()
    assert hop.late
    url = reverse("accidents:investigation_open", args=[accident.pk])
    assert (
        client.post(url, {"body": "调查组", "started_on": timezone.localdate().isoformat()}).status_code
        == 302
    )
    url = reverse("accidents:investigation_extend", args=[accident.pk])
    assert client.post(url, {"days": 61, "reason": "x"}).status_code == 400
    assert client.post(url, {"days": 30, "reason": "区政府批准"}).status_code == 302
    url = reverse("accidents:investigation_edit", args=[accident.pk])
    assert client.get(url).status_code == 200
    data = {
        "findings": "违章",
        "nature": "liability",
        "investment_ok": "true",
        "deployment_ok": "false",
        "supervision_ok": "true",
        "urging_ok": "true",
        "follow_up": "移送执法立案",
    }
    assert client.post(url, data).status_code == 302
    url = reverse("accidents:party_add", args=[accident.pk])
    party = {"kind": "unit", "name": "甲公司", "responsibility": "main"}
    assert client.post(url, party).status_code == 302
    detail = client.get(accident.get_absolute_url()).content.decode()
    assert "迟报" in detail and "安排部署不到位" in detail and "移送执法立案" in detail and "甲公司" in detail
    assert "已延长30日" in detail


def test_statistics_page_and_export(cast, client_for):
    file(cast.office, deaths=3, territory=cast.town_a)
    client = client_for(cast.leader)
    page = client.get(STATS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "accidents/statistics.js" in html and "data-chart" in html and "<script>" not in html
    assert "甲镇" in html
    export = client.get(STATS, {"export": "xlsx", "dimension": "grade"})
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    flat = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "较大" in flat and "其中：工矿商贸" in flat
    assert client_for(cast.enterprise_a_user).get(STATS).status_code == 403
    assert client.get(STATS, {"start": "2026-05-01", "end": "2026-01-01"}).status_code == 200


def test_detail_out_of_scope_is_404(cast, client_for):
    accident = file(cast.office, territory=cast.town_a)
    assert client_for(cast.town_b_user).get(accident.get_absolute_url()).status_code == 404
    assert client_for(cast.outsider_office).get(accident.get_absolute_url()).status_code == 404
    assert client_for(cast.leader).get(accident.get_absolute_url()).status_code == 200


def test_services_unchanged_after_edit_form(cast, client_for):
    accident = file(cast.office, deaths=3)
    url = reverse("accidents:accident_edit", args=[accident.pk])
    data = {"title": "改名", "unit_name": "x", "place": "新地点", "category": "1986-03", "summary": "s"}
    assert client_for(cast.office).post(url, data).status_code == 302
    accident.refresh_from_db()
    assert accident.title == "改名" and accident.grade == "larger" and accident.deaths == 3
    assert client_for(cast.leader).get(url).status_code == 403
    services  # noqa: B018  (imported for the shared helpers)


def test_home_panel_year_on_year(cast, client_for):
    file(cast.office, deaths=3, territory=cast.town_a, occurred_at=timezone.now() - timedelta(hours=3))
    html = client_for(cast.office).get("/").content.decode()  # the leader lands on the dashboard instead
    assert "较大以上事故 1 起" in html
    assert "panel-accidents" not in client_for(cast.enterprise_a_user).get("/").content.decode()
