"""Ledger rates against a hand-computed fixture, and the query budget of the ledger pages."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from anjian.hazards import ledger
from anjian.hazards.models import Hazard

from .conftest import make_hazard

TODAY = timezone.localdate()


def fixture(cast):
    """Enterprise A (甲镇, 危险化学品): 10 hazards — 3 closed, 1 accepted, 1 reported, 2 rectifying (1 overdue),
    2 registered, 1 voided; 2 of them major (1 closed).
    Enterprise B (乙镇, 建筑施工): 4 hazards — 1 closed, 3 rectifying (2 overdue), one major listed.

    Hand-computed:
      A: total 9 (void excluded), rectified 5 (3 closed + accepted + reported), closed 3
         → 整改率 5/9 = 55.6%, 销号率 3/9 = 33.3%, overdue 1, major 2, major closed 1
      B: total 4, rectified 1, closed 1 → 25.0% / 25.0%, overdue 2, major 1, listed 1
      all: total 13, rectified 6 → 46.2%, closed 4 → 30.8%, overdue 3
    """
    a, b = cast.enterprise_a, cast.enterprise_b
    for status in [
        "closed",
        "closed",
        "accepted",
        "reported",
        "rectifying",
        "registered",
        "registered",
        "voided",
    ]:
        make_hazard(cast, status)
    make_hazard(cast, "closed", grade="major")
    make_hazard(cast, "rectifying", grade="major", deadline=TODAY - timedelta(days=3), is_overdue=True)
    make_hazard(cast, "closed", enterprise=b)
    make_hazard(cast, "rectifying", enterprise=b, deadline=TODAY - timedelta(days=1), is_overdue=True)
    make_hazard(
        cast,
        "rectifying",
        enterprise=b,
        deadline=TODAY - timedelta(days=9),
        is_overdue=True,
        grade="major",
        supervision_level=2,
        supervising_org=cast.office_org,
    )
    make_hazard(cast, "rectifying", enterprise=b)
    return a, b


def test_rates_by_enterprise_match_hand_computation(cast):
    a, b = fixture(cast)
    rows = {r.key: r for r in ledger.by_enterprise(Hazard.objects.all())}
    ra, rb = rows[a.pk], rows[b.pk]
    assert (ra.total, ra.rectified, ra.closed, ra.overdue, ra.major, ra.major_closed) == (9, 5, 3, 1, 2, 1)
    assert ra.rectification_rate == Decimal("55.6") and ra.closure_rate == Decimal("33.3")
    assert (rb.total, rb.rectified, rb.closed, rb.overdue, rb.major, rb.listed) == (4, 1, 1, 2, 1, 1)
    assert rb.rectification_rate == Decimal("25.0") and rb.closure_rate == Decimal("25.0")
    total = ledger.totals(Hazard.objects.all())
    assert (total.total, total.rectified, total.closed, total.overdue) == (13, 6, 4, 3)
    assert total.rectification_rate == Decimal("46.2") and total.closure_rate == Decimal("30.8")


def test_rates_by_town_sector_department(cast):
    fixture(cast)
    towns = {r.label: r for r in ledger.by_subterritory(Hazard.objects.all(), cast.district)}
    assert towns["甲镇"].total == 9 and towns["乙镇"].total == 4
    assert towns["甲镇"].closure_rate == Decimal("33.3")
    sectors = {r.label: r for r in ledger.by_sector(Hazard.objects.all())}
    assert sectors["危险化学品"].rectified == 5 and sectors["建筑施工"].overdue == 2
    departments = {r.label: r for r in ledger.by_department(Hazard.objects.all(), cast.district)}
    assert departments[str(cast.yingji)].total == 9 and departments[str(cast.zhujian)].total == 4


def test_no_hazards_gives_no_rate(cast):
    assert ledger.totals(Hazard.objects.none()).rectification_rate is None


def test_ledger_page_query_budget(cast, client_for, django_assert_max_num_queries):
    fixture(cast)
    client = client_for(cast.office)
    for by in ("enterprise", "town", "sector", "department"):
        with django_assert_max_num_queries(14):
            response = client.get(f"/hazards/ledger/?by={by}")
        assert response.status_code == 200
    response = client.get("/hazards/ledger/?by=town")
    assert "33.3%" in response.content.decode()


def test_list_page_query_count_does_not_grow(cast, client_for, django_assert_max_num_queries):
    fixture(cast)
    client = client_for(cast.office)
    with django_assert_max_num_queries(14):
        assert client.get("/hazards/").status_code == 200
    for _ in range(20):
        make_hazard(cast, "rectifying")
    with django_assert_max_num_queries(14):
        assert client.get("/hazards/?open=true").status_code == 200


def test_partition_ledgers_total_without_a_second_scan(cast):
    """The total row of a unit/sector/town ledger is the sum of its rows and equals a direct count."""
    from anjian.hazards import ledger
    from anjian.hazards.models import Hazard

    from .conftest import make_hazard

    make_hazard(cast, "closed")
    make_hazard(cast, "rectifying", grade="major")
    make_hazard(cast, "registered", enterprise=cast.enterprise_b, sector=cast.construction)
    qs = Hazard.objects.all()
    direct = ledger.totals(qs)
    for rows in (ledger.by_enterprise(qs), ledger.by_sector(qs), ledger.by_subterritory(qs, cast.district)):
        summed = ledger.sum_rows(rows)
        assert (summed.total, summed.closed, summed.major, summed.open) == (
            direct.total,
            direct.closed,
            direct.major,
            direct.open,
        )
