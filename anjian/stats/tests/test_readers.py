"""Every reader of the summary counts gives the figures of the old aggregate over the hazard rows, and the pages
that show them send no query that counts hazard rows."""

import re
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.assessment import indicators
from anjian.assessment.measures import hazard_aggregates, target_q
from anjian.assessment.periods import Period, Target
from anjian.core.models import Territory
from anjian.dashboard import metrics, trends
from anjian.hazards import ledger
from anjian.hazards.filters import HazardFilter
from anjian.hazards.models import Hazard
from anjian.hazards.tests.conftest import make_hazard
from anjian.stats import counts
from anjian.stats.queries import found_between_q, whole_months

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def spread(cast):
    """Hazards over two towns, two sectors and none, both grades, every status, two years, quarter edges,
    overdue, listed and pending-basis ones."""
    days = [
        date(YEAR, 1, 1),
        date(YEAR, 3, 31),
        date(YEAR, 4, 1),
        date(YEAR, 6, 30),
        date(YEAR, 7, 15),
        date(YEAR - 1, 12, 31),
        date(YEAR - 1, 5, 5),
        TODAY,
    ]
    statuses = ["registered", "plan_set", "rectifying", "reported", "accepted", "closed", "voided"]
    for i, found_on in enumerate(days):
        for j, status in enumerate(statuses):
            unit = cast.enterprise_a if (i + j) % 2 else cast.enterprise_b
            fields = {"found_on": found_on}
            if status in ("rectifying", "plan_set") and j % 2 == 0:
                fields.update(deadline=TODAY - timedelta(days=3), is_overdue=True)
            if status == "rectifying" and i % 3 == 0:
                fields.update(supervision_level=1 + i % 3, supervising_org=cast.office_org)
            if i % 4 == 0:
                fields["sector"] = None
                fields["sector_id"] = None
            grade = "major" if (i + j) % 3 == 0 else "general"
            if grade == "major" and i % 2:
                fields.update(major_basis_pending=True, major_clause="")
            make_hazard(cast, status, grade=grade, enterprise=unit, **fields)
    assert counts.verify() == []
    return cast


def _same(a, b):
    assert a == b
    return a


PERIODS = [Period.year(YEAR), Period.quarter(YEAR, 1), Period.quarter(YEAR, 2), Period.year(YEAR - 1)]


@pytest.mark.parametrize(
    ("who", "where"),
    [
        *[
            (who, "990102")
            for who in (None, "office", "inspector", "inspector_other", "town_a_user", "leader")
        ],
        (None, "990000"),  # a province bulletin: the province's own rolled-up rows, its cities' rows
        (None, "990100"),
        ("office", "990102101"),  # a town page: the town's own rolled-up rows, its villages' own rows
    ],
)
def test_dashboard_figures_equal_the_row_aggregates(spread, who, where):
    user = getattr(spread, who) if who else None
    area = metrics.Area(Territory.objects.get(code=where), user)
    children = area.children()
    assert metrics.hazard_source(area, PERIODS[0]).summary
    for period in PERIODS:
        totals = _same(
            metrics.hazard_totals(area, period), metrics.hazard_totals(area, period, from_rows=True)
        )
        _same(
            metrics.hazards_by_town(area, period, children),
            metrics.hazards_by_town(area, period, children, from_rows=True),
        )
        sectors = _same(
            metrics.hazards_by_sector(area, period), metrics.hazards_by_sector(area, period, from_rows=True)
        )
    _same(metrics.hazard_trend(area, YEAR), metrics.hazard_trend(area, YEAR, from_rows=True))
    window = Period(date(YEAR - 1, 1, 1), date(YEAR, 12, 31))
    _same(metrics.hazards_by_month(area, window), metrics.hazards_by_month(area, window, from_rows=True))
    _same(metrics.supervision_counts(area), metrics.supervision_counts(area, from_rows=True))
    months = trends.trend_months(TODAY)
    _same(
        trends.hazards_gone_overdue(area, months), trends.hazards_gone_overdue(area, months, from_rows=True)
    )
    if who in (None, "office") and where == "990102":
        # The fixture is not empty where it is compared.
        assert totals["found"] and totals["open"] and totals["overdue"] and totals["listed"]
        assert {s["sector_id"] for s in sectors} >= {None, spread.hazchem.pk}


def test_an_enterprise_user_and_a_cut_month_are_answered_from_the_rows(spread):
    area = metrics.Area(spread.district, spread.enterprise_a_user)
    assert not metrics.hazard_source(area, PERIODS[0]).summary
    odd = Period(date(YEAR, 1, 10), date(YEAR, 2, 20))
    assert not metrics.hazard_source(metrics.Area(spread.district), odd).summary
    assert metrics.hazard_totals(metrics.Area(spread.district), odd)["found"] == (
        Hazard.objects.filter(found_on__range=(odd.start, odd.end)).exclude(status="voided").count()
    )


def test_whole_months():
    assert whole_months(date(2026, 1, 1), date(2026, 3, 31))
    assert whole_months(None, date(2026, 2, 28)) and whole_months(date(2026, 2, 1), None)
    assert not whole_months(date(2026, 1, 2), None) and not whole_months(None, date(2026, 3, 30))
    with pytest.raises(ValueError):
        found_between_q(date(2026, 1, 2), None)


LEDGER_FILTERS = [
    {},
    {"status": ["closed", "reported"]},
    {"grade": "major"},
    {"is_overdue": "true", "open": "true"},
    {"open": "false"},
    {"supervision_level": "1"},
    {"major_basis_pending": "true"},
    {"found_after": f"{YEAR}-01-01", "found_before": f"{YEAR}-06-30"},
    {"found_after": f"{YEAR}-04-01"},
]


@pytest.mark.parametrize("who", ["office", "inspector", "town_a_user"])
def test_ledgers_from_the_summary_equal_the_row_ledgers(spread, who, rf):
    user = getattr(spread, who)
    request = rf.get("/")
    request.user = user
    filter_sets = [*LEDGER_FILTERS, {"territory": str(spread.town_a.pk)}, {"sector": str(spread.hazchem.pk)}]
    for data in filter_sets:
        filterset = HazardFilter(data, queryset=Hazard.objects.all(), request=request)
        assert filterset.is_valid(), filterset.errors
        from anjian.core.scope import restrict

        rows = restrict(filterset.qs, user)
        selection = ledger.summary_selection(user, filterset.form.cleaned_data)
        assert selection is not None, data
        for by in (ledger.by_sector, ledger.totals):
            assert _rows(by(selection)) == _rows(by(rows)), (data, by)
        root = spread.district
        assert _rows(ledger.by_subterritory(selection, root)) == _rows(ledger.by_subterritory(rows, root))
        assert _rows(ledger.by_department(selection, root)) == _rows(ledger.by_department(rows, root))


def _rows(result):
    rows = result if isinstance(result, list) else [result]
    return sorted((asdict(r) for r in rows), key=lambda r: (str(r["key"]), r["label"]))


def test_filters_the_summary_cannot_answer_fall_back_to_rows(spread, rf):
    request = rf.get("/")
    request.user = spread.office
    for data in ({"q": "静电"}, {"source": "import"}, {"found_after": f"{YEAR}-01-15"}):
        filterset = HazardFilter(data, queryset=Hazard.objects.all(), request=request)
        assert filterset.is_valid()
        assert ledger.summary_selection(spread.office, filterset.form.cleaned_data) is None
    assert ledger.summary_selection(spread.enterprise_a_user, {}) is None


@pytest.mark.parametrize("period", PERIODS)
def test_indicators_equal_the_row_aggregates(spread, period):
    targets = [
        Target.for_territory(spread.district),
        Target.for_territory(spread.town_b),
        Target.for_body(spread.inspector.organisation),
    ]
    for target in targets:
        figures = indicators._hazards(target, period)
        old = Hazard.objects.filter(target_q(target)).aggregate(**hazard_aggregates(period, period.as_of()))
        assert {k: figures[k] for k in ("found", "rectified", "closed")} == {
            k: old[k] for k in ("found", "rectified", "closed")
        }
        for major in (False, True):
            rows = Hazard.objects.filter(
                target_q(target), status__in=("registered", "plan_set", "rectifying", "reported", "accepted")
            )
            if major:
                rows = rows.filter(grade="major")
            expected = (
                rows.filter(is_overdue=True).count()
                if period.end >= TODAY
                else rows.filter(deadline__lt=period.end).count()
            )
            assert indicators._overdue_now_or_then(target, period, major) == expected


# --- the pages: no query counts hazard rows --------------------------------------------------------------------
HAZARD_TABLE = re.compile(r'FROM "hazards_hazard"', re.IGNORECASE)
AGGREGATE = re.compile(r"\b(COUNT|SUM)\(", re.IGNORECASE)


def _hazard_counting_queries(queries):
    return [q["sql"] for q in queries if HAZARD_TABLE.search(q["sql"]) and AGGREGATE.search(q["sql"])]


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        f"/dashboard/?year={YEAR}&quarter=2",
        "/",
        "/hazards/ledger/?by=town",
        "/hazards/ledger/?by=sector",
        "/hazards/ledger/?by=department",
        f"/hazards/ledger/?by=town&grade=major&found_after={YEAR}-01-01&found_before={YEAR}-12-31",
    ],
)
def test_pages_count_hazards_from_the_summary_only(spread, client_for, url):
    client = client_for(spread.office)
    client.get(url)  # warm caches (choices, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert _hazard_counting_queries(queries) == []
    # The district office's pages group by town: the counts rolled up to the towns answer them.
    assert any("stats_hazardrollup" in q["sql"] or "stats_hazardarearollup" in q["sql"] for q in queries)


def test_figures_over_every_sector_come_from_the_rows_without_sector(spread):
    """The office sees every sector: totals, figures per town, trends and listings are summed from
    HazardAreaRollup. A department limited to its sectors is answered from HazardRollup (its scope filters the
    sector), with the same figures as its rows give (test_dashboard_figures_equal_the_row_aggregates)."""
    district = Territory.objects.get(code="990102")
    period = PERIODS[0]

    def tables(user, read):
        area = metrics.Area(district, user)
        with CaptureQueriesContext(connection) as queries:
            read(area)
        sql = " ".join(q["sql"] for q in queries)
        return {t for t in ("stats_hazardarearollup", "stats_hazardrollup") if f'"{t}"' in sql}

    for read in (
        lambda area: metrics.hazard_totals(area, period),
        lambda area: metrics.hazards_by_town(area, period, area.children()),
        lambda area: metrics.hazard_trend(area, YEAR),
        lambda area: metrics.supervision_counts(area),
    ):
        assert tables(spread.office, read) == {"stats_hazardarearollup"}
        assert tables(spread.inspector_other, read) == {"stats_hazardrollup"}
    # Figures by sector need the sector.
    assert tables(spread.office, lambda area: metrics.hazards_by_sector(area, period)) == {
        "stats_hazardrollup"
    }


def test_ledger_by_unit_stays_on_the_rows(spread, client_for):
    with CaptureQueriesContext(connection) as queries:
        assert client_for(spread.office).get("/hazards/ledger/?by=enterprise").status_code == 200
    assert _hazard_counting_queries(queries)


def test_summary_rows_are_the_rows_of_the_childrens_level(cast):
    from anjian.stats.models import HazardCount, HazardRollup
    from anjian.stats.queries import summary_rows

    def source(*paths):
        rows = summary_rows(*paths)
        return (rows.model, rows.query.where.children[0].rhs if rows.model is HazardRollup else None)

    province = "1."
    assert source(province) == (HazardRollup, 1)  # a province page: its cities' rows
    assert source(None, "1.2.") == (HazardRollup, 2)
    assert source("1.2.", "1.2.3.") == (HazardRollup, 3)  # the deeper path decides
    assert source("1.2.3.4.") == (HazardCount, None)  # a town page: its villages' own rows
    assert source(cast.town_a.path) == (HazardCount, None)
    # Totals read the page's own level (the province's own rows; a town's own rolled-up rows).
    assert summary_rows(province, by_child=False).query.where.children[0].rhs == 0
    assert summary_rows("1.2.", "1.2.3.4.", by_child=False).query.where.children[0].rhs == 3
    assert summary_rows("1.2.3.4.5.", by_child=False).model is HazardCount
