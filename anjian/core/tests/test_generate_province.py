"""generate_province: a tiny province on PostgreSQL keeps the application's invariants, and SQLite is refused."""

import hashlib
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from anjian.core.models import DocumentCounter, Territory, User
from anjian.core.roles import Role
from anjian.core.scope import restrict

PASSWORD = "Gen-Pass-2026"
UNITS, HAZARDS = 300, 3000

on_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the generator loads with PostgreSQL COPY"
)


def generate(**extra):
    options = {"units": UNITS, "hazards": HAZARDS, "seed": 7, "password": PASSWORD, "stdout": None}
    options.update(extra)
    call_command("generate_province", **{k: v for k, v in options.items() if v is not None})


@pytest.fixture
def province(db):
    generate(reset=True)  # the test database may hold other tests' territories


def Hazard():
    return apps.get_model("hazards", "Hazard")


def Enterprise():
    return apps.get_model("registry", "Enterprise")


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="refusal is for other databases")
def test_refuses_sqlite_with_a_clear_message():
    before = Territory.objects.count()
    with pytest.raises(CommandError, match="只能在 PostgreSQL 上运行"):
        generate(reset=True)
    assert Territory.objects.count() == before  # nothing wiped, nothing written


@on_postgres
def test_counts_and_tree(province):
    kinds = Counter(Territory.objects.values_list("kind", flat=True))
    assert kinds["province"] == 1
    assert kinds["city"] >= 2 and kinds["county"] >= 4 and kinds["park"] >= 1
    assert kinds["town"] + kinds["street"] >= 8
    assert kinds["grid"] >= kinds["village"] + kinds["community"]
    assert Enterprise().objects.count() == UNITS
    assert Hazard().objects.count() == HAZARDS
    assert apps.get_model("inspections", "Inspection").objects.count() == round(HAZARDS * 0.2)
    assert apps.get_model("enforcement", "Case").objects.exists()
    assert apps.get_model("accidents", "Accident").objects.exists()
    with connection.cursor() as cursor:
        # Every path is the parent's path plus the own id; every copied path equals its territory's path.
        cursor.execute(
            """SELECT count(*) FROM core_territory t LEFT JOIN core_territory p ON p.id = t.parent_id
               WHERE t.path <> COALESCE(p.path, '') || t.id || '.' OR t.depth <> length(t.path)
                     - length(replace(t.path, '.', '')) - 1"""
        )
        assert cursor.fetchone()[0] == 0
        for table in ("registry_enterprise", "hazards_hazard", "inspections_inspection", "core_user"):
            cursor.execute(
                f"SELECT count(*) FROM {table} r JOIN core_territory t ON t.id = r.territory_id "
                "WHERE r.territory_path <> t.path"
            )
            assert cursor.fetchone()[0] == 0, table
        # Sequences are past the loaded ids: the application's next row does not collide.
        cursor.execute("SELECT last_value >= (SELECT max(id) FROM hazards_hazard) FROM hazards_hazard_id_seq")
        assert cursor.fetchone()[0]


@on_postgres
def test_numbers_unique_and_counters_moved_past_them(province):
    numbers = list(Hazard().objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    last = defaultdict(int)
    for number in numbers:
        year, seq = int(number[2:6]), int(number[6:])
        last[year] = max(last[year], seq)
    counters = dict(DocumentCounter.objects.filter(key="hazards.hazard").values_list("year", "last_number"))
    assert counters == dict(last)
    from anjian.hazards.services import next_hazard_number

    assert next_hazard_number(max(last)) not in set(numbers)


@on_postgres
def test_each_status_has_its_required_fields(province):
    today = date.today()
    for h in Hazard().objects.all().iterator():
        is_open = h.status in ("registered", "plan_set", "rectifying", "reported", "accepted")
        assert h.is_overdue == (is_open and h.deadline < today), h.number
        if h.status in ("plan_set", "rectifying", "reported", "accepted") or (
            h.status == "closed" and not h.rectified_on_spot
        ):
            assert h.measures and h.responsible_person and h.plan_set_at, h.number
        if h.status in ("reported", "accepted", "closed"):
            assert h.reported_at and h.rectification_note, h.number
        if h.status in ("accepted", "closed"):
            assert h.reviewed_by_id and h.reviewed_at, h.number
        if h.status == "closed":
            assert h.closed_by_id and h.registered_at <= h.closed_at, h.number
        if h.rectified_on_spot:
            assert h.confirmed_by_id and h.status == "closed"
        assert bool(h.void_reason) == (h.status == "voided")
        if h.grade == "major":
            assert h.major_criterion_id or h.major_clause
            if h.status in ("plan_set", "rectifying"):
                assert h.emergency_plan  # 五落实 (R16 第十五条第二款)
    Supervision = apps.get_model("hazards", "HazardSupervision")
    listed = set(Supervision.objects.values_list("hazard_id", flat=True))
    assert listed and listed == set(
        Hazard().objects.exclude(supervision_level=0).values_list("pk", flat=True)
    )
    # An active listing belongs to an open hazard; a closed hazard's listing was taken down (摘牌销号).
    assert not Supervision.objects.filter(is_active=True, hazard__status__in=["closed", "voided"]).exists()
    assert not Supervision.objects.filter(is_active=False, delisted_at__isnull=True).exists()


@on_postgres
def test_town_and_status_are_independent(province):
    """The share of closed hazards is the same in every big town (within sampling noise), and each town has the
    whole mix of statuses: status is not a function of place."""
    by_town = defaultdict(Counter)
    town_of = {}
    for t in Territory.objects.filter(kind__in=["town", "street", "park"]):
        town_of[t.path] = t.pk
    for path, status in Hazard().objects.values_list("territory_path", "status"):
        town = next(town_of[p] for p in town_of if path.startswith(p))
        by_town[town][status] += 1
    overall = Counter()
    for counts in by_town.values():
        overall.update(counts)
    closed_share = overall["closed"] / sum(overall.values())
    big = [c for c in by_town.values() if sum(c.values()) >= 150]
    assert len(big) >= 3
    for counts in big:
        total = sum(counts.values())
        assert abs(counts["closed"] / total - closed_share) < 0.08
        assert len(counts) >= 3
    # …while the sizes of towns differ a lot (real skew, not a uniform spread).
    sizes = sorted(sum(c.values()) for c in by_town.values())
    assert sizes[-1] >= 3 * max(sizes[0], 1)


@on_postgres
def test_users_of_every_level_sign_in_and_see_their_scope(province, client):
    total = Hazard().objects.count()
    seen = {}
    users = {
        "province": User.objects.get(username="sheng_anweiban"),
        "city": User.objects.filter(role=Role.OFFICE, territory__kind="city").order_by("pk").first(),
        "county": User.objects.filter(role=Role.OFFICE, territory__kind="county").order_by("pk").first(),
        "inspector": User.objects.filter(role=Role.INSPECTOR, territory__kind="county")
        .order_by("pk")
        .first(),
        "town": User.objects.filter(role=Role.TOWN).order_by("pk").first(),
        "grid": User.objects.filter(role=Role.GRID).order_by("pk").first(),
        "enterprise": User.objects.filter(role=Role.ENTERPRISE).order_by("pk").first(),
    }
    for level, user in users.items():
        assert user is not None, level
        signed_in = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert signed_in.status_code == 302, level
        assert client.get("/hazards/").status_code == 200, level
        client.logout()
        visible = restrict(Hazard().objects.all(), user)
        seen[level] = visible.count()
        if user.role == Role.ENTERPRISE:
            assert not visible.exclude(enterprise_id=user.enterprise_id).exists()
        else:
            assert not visible.exclude(territory_path__startswith=user.territory.path).exists()
    assert seen["province"] == total
    assert total > seen["city"] >= seen["county"] >= seen["town"] >= seen["grid"]
    assert seen["county"] > seen["inspector"] > 0  # an inspector sees only the department's sectors


@on_postgres
def test_same_seed_same_province(province):
    def fingerprint():
        rows = (
            Hazard()
            .objects.order_by("number")
            .values_list("number", "status", "grade", "enterprise__name", "territory__name")
        )
        return hashlib.sha256(repr(list(rows)).encode()).hexdigest()

    first = fingerprint()
    with pytest.raises(CommandError, match="--reset"):
        generate()
    generate(reset=True)
    assert fingerprint() == first
