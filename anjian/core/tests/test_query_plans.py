"""The hazard list's selective filters use the index meant for them (PostgreSQL; skipped on SQLite).

At province scale a filter that matches few rows — or none, like 逾期 in a town without an overdue hazard — must
not make PostgreSQL walk the primary key backwards through every row looking for them. One test loads
100,000 hazards with INSERT … SELECT generate_series (inside the test's transaction, so nothing is left
behind), ANALYZEs, and EXPLAINs the very statements the list page runs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.registry.models import Enterprise

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]

HAZARDS = 100_000
BACKWARD_PK = "Index Scan Backward using hazards_hazard_pkey"
SEQ_SCAN = "Seq Scan on hazards_hazard"


def load_hazards(cast):
    """Most hazards belong to the neighbouring district; in ours, town B has no overdue hazard and no 重大
    hazard being rectified; one description in the whole table holds the text searched below."""
    other = [
        Enterprise.objects.create(
            name=f"邻区单位{i}", credit_code=f"9199010300000{i:04d}X", territory=cast.other_district
        )
        for i in range(20)
    ]
    # Our two towns hold 0.5 % of the hazards each (500 rows), like a town of a province.
    units = [u.pk for u in other] * 10 + [cast.enterprise_a.pk, cast.enterprise_b.pk]
    town_b_unit = cast.enterprise_b.pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO hazards_hazard (number, enterprise_id, territory_id, territory_path, sector_id, location,
              description, category, nature, source, grade, major_clause, status, found_on, registered_at,
              is_overdue, rectified_on_spot, measures, responsible_person, emergency_plan, rectification_note,
              stop_order, supervision_level, void_reason, external_ref, order_number, deadline, inspector_names,
              major_basis_pending)
            SELECT 'QP' || g, e.id, e.territory_id, e.territory_path, NULL, '车间',
              CASE WHEN g = 4242 THEN '储罐区静电接地断开' ELSE '消防器材配置不足' END, '', '', 'department',
              CASE WHEN g %% 20 = 0 AND e.id <> %(town_b)s THEN 'major' ELSE 'general' END, '',
              (ARRAY['registered','rectifying','closed','closed','closed'])[1 + g %% 5],
              DATE '2026-01-01' + (g %% 300), now(), g %% 13 = 0 AND e.id <> %(town_b)s, false, '', '', '', '',
              'none', 0, '', '', '', DATE '2026-01-01' + (g %% 330), '', false
            FROM generate_series(1, %(n)s) g
            JOIN registry_enterprise e ON e.id = (%(units)s::bigint[])[1 + g %% %(count)s];
            ANALYZE hazards_hazard;
            ANALYZE registry_enterprise;
            """,
            {"town_b": town_b_unit, "n": HAZARDS, "units": units, "count": len(units)},
        )


def page_plans(client, url) -> list[str]:
    """EXPLAIN of every statement on hazards_hazard that the page ran (the page, its count)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    plans = []
    for query in captured.captured_queries:
        if 'FROM "hazards_hazard"' in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert plans, url
    return plans


OVERDUE = ("hazard_overdue_scope_id_idx", "hazard_overdue_id_idx")
STATUS_GRADE = (
    "hazard_major_scope_id_idx",
    "hazard_major_status_id_idx",
    "hazard_status_scope_id_idx",
    "hazard_scope_status_idx",
)
# (who, URL, the indexes one of which the page's id subquery must use)
CASES = [
    ("town_b_user", "/hazards/?is_overdue=true", OVERDUE),  # no overdue hazard in town B
    ("office", "/hazards/?is_overdue=true", OVERDUE),
    ("town_b_user", "/hazards/?status=rectifying&grade=major", STATUS_GRADE),  # none in town B
    ("office", "/hazards/?status=rectifying&grade=major", STATUS_GRADE),
    # The neighbouring district holds most hazards (and the one described so): a scope where an index on the
    # territory alone would leave tens of thousands of rows to read.
    ("outsider_office", "/hazards/?q=静电接地", ("hazard_description_trgm_idx",)),
]


def test_selective_filters_use_their_index(cast, client_for):
    load_hazards(cast)
    for who, url, indexes in CASES:
        plans = page_plans(client_for(getattr(cast, who)), url)
        page = plans[0]
        assert any(index in page for index in indexes), f"{who} {url}\n{page}"
        for plan in plans:
            assert BACKWARD_PK not in plan and SEQ_SCAN not in plan, (who, url, plan)


@pytest.mark.django_db(transaction=True)
def test_a_towns_plain_list_reads_the_newest_from_the_index_alone(cast, client_for):
    """No filter at all, in a town (0.5 % of the hazards): the page's ids come from the index on territory path
    then id, without reading the town's rows from the table (at 10M hazards a town's 24,000 rows took 100 ms)
    and without walking the primary key backwards. Vacuumed first, as autovacuum keeps a real table, so that
    PostgreSQL knows the pages are all visible (outside a transaction: this test empties the database after)."""
    load_hazards(cast)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE hazards_hazard")
    page = page_plans(client_for(cast.town_b_user), "/hazards/")[0]
    assert "Index Only Scan using hazard_scope_id_idx" in page, page
    assert BACKWARD_PK not in page and SEQ_SCAN not in page, page


def test_enterprise_name_search_is_an_id_lookup_not_a_join(cast, client_for):
    with CaptureQueriesContext(connection) as captured:
        response = client_for(cast.office).get("/hazards/", {"q": "甲化工"})
    assert response.status_code == 200
    lookups = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "registry_enterprise"."id"')
    ]
    assert lookups and "hazards_hazard" not in lookups[0]
    page = next(q["sql"] for q in captured.captured_queries if 'FROM "hazards_hazard"' in q["sql"])
    where = page.split(" WHERE ", 1)[1]
    assert "registry_enterprise" not in where and "DISTINCT" not in page


def test_a_two_character_search_falls_back_to_the_pair_index(cast, rf):
    """A two-character word has no trigram. Its natural plan reads rows newest first with STRPOS (never a trigram
    index: that would be a full scan of the index); its fallback collects the matches through the index of the
    doubled text."""
    from anjian.core.pagination import matches_first_ids
    from anjian.core.search import index_first
    from anjian.hazards.filters import HazardFilter
    from anjian.hazards.models import Hazard

    load_hazards(cast)
    request = rf.get("/hazards/", {"q": "静电"})
    request.user = cast.outsider_office
    queryset = HazardFilter(request.GET, queryset=Hazard.objects.all(), request=request).qs

    def plan(sql: str, params=()) -> str:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    natural = plan(*queryset.order_by("-id").values("pk")[:51].query.sql_with_params())
    assert "trgm_idx" not in natural and "pair_idx" not in natural and "strpos" in natural, natural
    with index_first(), CaptureQueriesContext(connection) as captured:
        ids = matches_first_ids(queryset, ("-id",), None, 1001)
    assert len(ids) == 1
    fallback = plan(
        next(q["sql"] for q in captured.captured_queries if "AS matches" in q["sql"]).replace("%", "%%")
    )
    assert "hazard_description_pair_idx" in fallback, fallback
    assert BACKWARD_PK not in fallback and SEQ_SCAN not in fallback, fallback
