"""The unit counts (stats.UnitCount): kept equal to the unit rows by every write, and read by the dashboard and
bulletins instead of counting unit rows."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.core.models import Territory
from anjian.dashboard import metrics
from anjian.registry.models import Enterprise
from anjian.stats import units
from anjian.stats.models import UnitCount

pytestmark = pytest.mark.django_db

STATUSES = ["operating", "suspended", "deregistered"]
COLOURS = ["", "major", "high", "medium", "low"]


def counted(depth, territory, status="operating"):
    return sum(
        UnitCount.objects.filter(depth=depth, territory=territory, status=status).values_list("n", flat=True)
    )


def new_unit(cast, number, territory=None, **fields):
    return Enterprise.objects.create(
        name=f"计数测试单位{number}",
        credit_code=f"C{number:017d}",
        territory=territory or cast.village_a,
        **fields,
    )


def test_a_registered_unit_counts_at_its_territory_and_each_ancestor(cast):
    city = Territory.objects.get(code="990100")
    before = {depth: counted(depth, t) for depth, t in [(1, city), (2, cast.district), (3, cast.town_a)]}
    unit = new_unit(cast, 1)
    assert counted(0, cast.village_a) >= 1
    assert counted(1, city) == before[1] + 1
    assert counted(2, cast.district) == before[2] + 1
    assert counted(3, cast.town_a) == before[3] + 1
    unit.status = "suspended"
    unit.save()
    assert counted(3, cast.town_a) == before[3]
    assert counted(3, cast.town_a, "suspended") >= 1
    assert units.verify() == []


# --- random sequences of the writes users make ------------------------------------------------------------------
operations = st.lists(
    st.tuples(
        st.sampled_from(["create", "status", "colour", "move", "delete", "colour_only"]),
        st.integers(0, 5),  # which unit (of those made in this example)
        st.sampled_from(STATUSES),
        st.sampled_from(COLOURS),
        st.sampled_from(["village_a", "village_b", "town_b", "other_district", "grid_a"]),
    ),
    max_size=15,
)


@given(steps=operations)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_sequences_keep_the_table_equal_to_the_rows(cast, steps):
    with transaction.atomic():
        made = []
        for number, (action, which, status, colour, where) in enumerate(steps):
            territory = getattr(cast, where)
            if action == "create" or not made:
                made.append(new_unit(cast, 1000 + number, territory, status=status, risk_level=colour))
                continue
            unit = Enterprise.objects.get(pk=made[which % len(made)].pk)
            if action == "status":
                unit.status = status
                unit.save()
            elif action == "colour":
                unit.risk_level = colour
                unit.save()
            elif action == "colour_only":  # services.recompute_risk_level's way
                unit.risk_level = colour
                unit.save(update_fields=["risk_level"])
            elif action == "move":
                unit.territory = territory
                unit.save()
            else:
                made.remove(made[which % len(made)])
                unit.delete()
        assert units.verify() == []
        transaction.set_rollback(True)


def test_a_town_moved_to_another_county_counts_there(cast):
    new_unit(cast, 2)
    in_district, in_other = counted(2, cast.district), counted(2, cast.other_district)
    moving = counted(3, cast.town_a)
    cast.town_a.parent = cast.other_district
    cast.town_a.save()
    assert (counted(2, cast.district), counted(2, cast.other_district)) == (
        in_district - moving,
        in_other + moving,
    )
    assert units.verify() == []


def test_verify_reports_a_drift_and_rebuild_repairs_it(cast, capsys):
    new_unit(cast, 3)
    UnitCount.objects.filter(depth=0, territory=cast.village_a, status="operating").update(n=0)
    differences = units.verify()
    assert differences and all(d.expected > d.stored for d in differences)
    with pytest.raises(CommandError):
        call_command("hazard_counts", "verify")
    assert "单位数量 本区划" in capsys.readouterr().out
    call_command("hazard_counts", "rebuild")
    assert units.verify() == []


# --- readers ------------------------------------------------------------------------------------------------------
@pytest.fixture
def spread_units(cast):
    for number, (territory, status, colour) in enumerate(
        [
            (cast.village_a, "operating", "major"),
            (cast.village_a, "operating", ""),
            (cast.village_b, "operating", "low"),
            (cast.town_b, "operating", "high"),  # registered at the town itself
            (cast.district, "operating", "medium"),  # at the county: no town holds it
            (cast.grid_a, "suspended", "major"),  # not operating: not counted
            (cast.other_district, "operating", "low"),  # outside the district
        ]
    ):
        new_unit(cast, 5000 + number, territory, status=status, risk_level=colour)


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("office", "990102"),  # county page: the towns' rolled-up rows
        ("office", "990102101"),  # town page: the villages, own-territory rows
        ("town_a_user", "990102101"),
        ("leader", "990100"),  # a city page above the user's own district: own-territory rows in scope
        (None, "990000"),  # a bulletin (no user) of the province: the cities' rows
        (None, "990100"),  # of the city: the counties' rows
        ("inspector", "990102"),  # a department sees its sectors' units: from the rows
    ],
)
def test_units_by_colour_from_the_counts_equal_the_rows(cast, spread_units, who, where):
    area = metrics.Area(Territory.objects.get(code=where), getattr(cast, who) if who else None)
    children = area.children()
    from_counts = metrics.units_by_colour(area, children)
    assert from_counts == metrics.units_by_colour(area, children, from_rows=True)
    if who in (None, "office"):
        assert from_counts["total"] > 0


UNIT_AGGREGATE = re.compile(r'(COUNT|SUM)\(.*FROM "registry_enterprise"', re.IGNORECASE | re.DOTALL)


def test_dashboard_does_not_count_unit_rows(cast, spread_units, client_for):
    client = client_for(cast.office)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    assert not [q["sql"] for q in queries if UNIT_AGGREGATE.search(q["sql"])]
