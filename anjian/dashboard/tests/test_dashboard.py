"""The dashboard: figures from the records, scoped to the user, every number a link to exactly its records,
few queries, Excel export of every table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.accidents.tests.factories import file as file_accident
from anjian.assessment.tests import factories as f
from anjian.dashboard import metrics

TODAY = timezone.localdate()


@pytest.fixture
def records(cast):
    from anjian.hazards.services import refresh_overdue

    a, b = cast.enterprise_a, cast.enterprise_b
    past = TODAY - timedelta(days=20)
    f.hazard(cast, a, past, status="rectifying", deadline=TODAY - timedelta(days=5))  # overdue
    f.hazard(cast, a, past, status="registered", grade="major", deadline=TODAY - timedelta(days=1))  # overdue
    f.hazard(cast, a, past, status="registered", deadline=TODAY + timedelta(days=5))
    f.hazard(cast, a, past, status="closed", closed_on=past, deadline=TODAY - timedelta(days=10))
    f.hazard(cast, b, past, status="rectifying", deadline=TODAY - timedelta(days=3))  # overdue in B
    f.hazard(cast, b, past, status="reported", deadline=TODAY + timedelta(days=3), supervision_level=2)
    refresh_overdue()
    file_accident(
        cast.office, territory=cast.village_a, deaths=1, occurred_at=timezone.now() - timedelta(days=3)
    )
    return cast


def test_office_sees_every_town_with_links(records, client_for):
    response = client_for(records.office).get("/dashboard/", {"year": TODAY.year})
    assert response.status_code == 200
    towns = {row["territory"].name: row for row in response.context["towns"]}
    assert towns["甲镇"]["hazards"]["overdue"] == 2 and towns["乙镇"]["hazards"]["overdue"] == 1
    assert towns["甲镇"]["accidents"]["deaths"] == 1
    summary = response.context["summary"]["hazards"]
    assert (summary["open"], summary["overdue"], summary["major_open"], summary["listed"]) == (5, 3, 1, 1)
    link = towns["甲镇"]["hazard_links"]["overdue"]
    assert link.startswith("/hazards/?") and "is_overdue=true" in link and "open=true" in link
    assert f'href="{link.replace("&", "&amp;")}"' in response.content.decode()


def test_overdue_link_lands_on_exactly_those_hazards(records, client_for):
    from anjian.hazards.models import Hazard

    client = client_for(records.office)
    dashboard = client.get("/dashboard/", {"year": TODAY.year})
    row = next(r for r in dashboard.context["towns"] if r["territory"].pk == records.town_a.pk)
    listing = client.get(row["hazard_links"]["overdue"])
    assert listing.status_code == 200
    shown = {obj.pk for obj, _cells in listing.context["rows"]}
    expected = set(
        Hazard.objects.filter(territory_path__startswith=records.town_a.path, is_overdue=True).values_list(
            "pk", flat=True
        )
    )
    assert shown == expected and len(shown) == row["hazards"]["overdue"] == 2


def test_town_user_sees_only_own_town(records, client_for):
    client = client_for(records.town_a_user)
    response = client.get("/dashboard/", {"year": TODAY.year})
    assert response.status_code == 200
    assert response.context["territory"] == records.town_a
    summary = response.context["summary"]["hazards"]
    assert (summary["open"], summary["overdue"]) == (3, 2)  # B's hazards are not counted
    assert "乙镇" not in response.content.decode()
    assert client.get("/dashboard/", {"territory": records.town_b.pk}).status_code == 404
    assert client.get("/dashboard/", {"territory": records.district.pk}).status_code == 404


def test_inspector_sees_only_department_sectors(records, client_for):
    response = client_for(records.inspector_other).get("/dashboard/", {"year": TODAY.year})
    summary = response.context["summary"]["hazards"]
    assert (summary["open"], summary["overdue"]) == (2, 1)  # 住建: enterprise B's construction hazards only


def test_roles_without_dashboard(records, client_for):
    for user in (records.enterprise_a_user, records.sys_admin, records.audit_admin):
        assert client_for(user).get("/dashboard/").status_code == 403


def test_dashboard_query_count(records, client_for, django_assert_max_num_queries):
    client = client_for(records.office)
    client.get("/dashboard/")  # warm the session / permission caches
    with django_assert_max_num_queries(30):
        response = client.get("/dashboard/", {"year": TODAY.year})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_towns(records, client_for, django_assert_max_num_queries):
    from anjian.core.models import Territory, TerritoryKind

    client = client_for(records.office)
    client.get("/dashboard/")
    for n in range(10):
        Territory.objects.create(
            code=f"990102{200 + n}", name=f"新镇{n}", kind=TerritoryKind.TOWN, parent=records.district
        )
    with django_assert_max_num_queries(30):
        assert client.get("/dashboard/", {"year": TODAY.year}).status_code == 200


@pytest.mark.parametrize("table", ["towns", "sectors", "supervision", "colours"])
def test_every_table_exports_to_excel(records, client_for, table):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(records.leader).get("/dashboard/", {"year": TODAY.year, "export": table})
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) >= 2  # title + header at least
    if table == "towns":
        names = [r[0] for r in rows[2:]]
        assert names == ["甲镇", "乙镇"]


def test_metrics_for_territory_equal_metrics_for_office(records):
    period = metrics.Period.quarter(TODAY.year, 0)
    by_user = metrics.summary(metrics.Area(records.district, records.office), period)
    by_territory = metrics.summary(metrics.Area(records.district), period)
    assert by_user["hazards"] == by_territory["hazards"]
    assert by_user["accidents"] == by_territory["accidents"]


def test_map_page_and_scoped_points(records, client_for):
    from anjian.dashboard.boundaries import import_boundaries
    from anjian.dashboard.demo import DATA
    from anjian.registry.models import Enterprise

    Enterprise.objects.filter(pk=records.enterprise_a.pk).update(risk_level="major")
    assert 'data-testid="no-boundaries"' in client_for(records.office).get("/dashboard/map/").content.decode()
    import_boundaries((DATA / "990102-towns.geojson").read_bytes(), level="town")
    page = client_for(records.office).get("/dashboard/map/")
    assert page.status_code == 200 and "/dashboard/map/boundaries.geojson?territory=" in page.content.decode()
    data = client_for(records.town_a_user).get("/dashboard/map/data.json").json()
    assert [u["name"] for u in data["units"]] == ["甲化工有限公司"]
    assert data["units"][0]["colour"] == "#E60012" and data["units"][0]["open"] == 3


def test_shipped_boundaries_cover_the_demo_towns():
    import json
    from pathlib import Path

    from anjian.core.demo import DISTRICT, TOWNS

    path = Path(__file__).resolve().parents[1] / "data" / f"{DISTRICT[0]}-towns.geojson"
    geo = json.loads(path.read_text(encoding="utf-8"))
    assert {feat["properties"]["name"] for feat in geo["features"]} == {name for _c, name, _k, _v in TOWNS}
    assert {feat["properties"]["code"] for feat in geo["features"]} == {DISTRICT[0] + c for c, *_ in TOWNS}
    for feat in geo["features"]:
        ring = feat["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4


def test_link_parameters_exist_in_target_filtersets():
    """The click-through parameters must be real filters of the target lists (else the list ignores them)."""
    from anjian.accidents.filters import AccidentFilter
    from anjian.enforcement.filters import CaseFilter
    from anjian.hazards.filters import HazardFilter
    from anjian.registry.filters import EnterpriseFilter

    period = metrics.Period.quarter(2026, 1)
    checks = [
        (HazardFilter, metrics.hazard_links(1, period, sector=1).values()),
        (AccidentFilter, metrics.accident_links(1, period).values()),
        (
            EnterpriseFilter,
            ["/registry/enterprises/?territory=1&status=operating&risk_level=none&blacklisted=yes"],
        ),
        (CaseFilter, ["/enforcement/cases/?territory=1&filed_after=2026-01-01&filed_before=2026-03-31"]),
    ]
    from urllib.parse import parse_qs, urlsplit

    for filterset, urls in checks:
        for url in urls:
            if not url:
                continue
            for name in parse_qs(urlsplit(url).query):
                assert name in filterset.base_filters, (filterset.__name__, name)


def test_home_panel_links_to_the_figures(records, client_for):
    html = client_for(records.town_a_user).get("/").content.decode()
    assert 'data-testid="panel-dashboard"' in html and "逾期未整改 2 项" in html
    assert (
        'data-testid="panel-dashboard"' not in client_for(records.enterprise_a_user).get("/").content.decode()
    )


def test_enforcement_figures(records):
    from decimal import Decimal

    from anjian.assessment import indicators
    from anjian.assessment.periods import Target
    from anjian.enforcement.tests import factories as ef

    case = ef.open_case(records)
    ef.to_decided(records, case)
    period = metrics.Period.year(TODAY.year)
    figures = metrics.summary(metrics.Area(records.district, records.office), period)["enforcement"]
    assert (figures["cases"], figures["decided"], figures["fines"]) == (1, 1, Decimal("30000"))
    town_b = metrics.summary(metrics.Area(records.town_b, records.town_b_user), period)["enforcement"]
    assert (town_b["cases"], town_b["fines"]) == (0, 0)
    assert indicators.compute("enforcement_cases", Target.for_territory(records.town_a), period).value == 1


def test_tips_on_time_indicator(records):
    from anjian.assessment import indicators
    from anjian.assessment.periods import Target
    from anjian.operations.models import Tip

    def tip(n, due, closed=None, status="closed"):
        return Tip.objects.create(
            content="举报内容",
            territory=records.village_a,
            receipt_digest=f"d{n}",
            submitted_at=timezone.now(),
            status=status,
            due_date=due,
            closed_at=f.aware(closed) if closed else None,
        )

    tip(1, TODAY - timedelta(days=10), closed=TODAY - timedelta(days=12))  # on time
    tip(2, TODAY - timedelta(days=10), closed=TODAY - timedelta(days=2))  # late
    tip(3, TODAY - timedelta(days=5), status="assigned")  # overdue, open
    tip(4, TODAY + timedelta(days=5), status="assigned")  # not yet due
    tip(5, TODAY - timedelta(days=5), status="rejected")  # not counted
    value = indicators.compute(
        "tips_on_time", Target.for_territory(records.town_a), metrics.Period.year(TODAY.year)
    )
    assert (value.numerator, value.denominator) == (1, 3)
