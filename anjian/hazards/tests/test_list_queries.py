"""The hazard list runs a fixed number of queries whatever the number of rows and filters (no N+1)."""

from django.db import connection

from anjian.hazards.tests.conftest import make_hazard

FILTERS = [
    {},
    {"status": ["rectifying", "registered"], "grade": "major"},
    {"is_overdue": "true"},
    {"q": "静电接地"},
    {"q": "甲化工"},  # the unit's name: one id lookup, then the list by those ids
    {"sector": "{sector}"},
]


def test_hazard_list_queries_do_not_grow_with_rows(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.office)
    for index in range(3):
        make_hazard(cast, status="rectifying", grade="major" if index % 2 else "general", is_overdue=True)
    counts = {}
    for params in FILTERS:
        params = {k: (str(cast.hazchem.pk) if v == "{sector}" else v) for k, v in params.items()}
        with django_assert_max_num_queries(14) as captured:
            assert client.get("/hazards/", params).status_code == 200
        counts[str(params)] = len(captured.captured_queries)
    for index in range(30):
        make_hazard(cast, status="rectifying", grade="major" if index % 2 else "general", is_overdue=True)
        make_hazard(cast, enterprise=cast.enterprise_b, status="registered")
    for params in FILTERS:
        params = {k: (str(cast.hazchem.pk) if v == "{sector}" else v) for k, v in params.items()}
        # More rows than a page: + the bounded count and, at most, the planner's estimate; on PostgreSQL the
        # count has a time budget, set and reset in a savepoint of the test's transaction (4 statements).
        budget = 4 if connection.vendor == "postgresql" else 0
        with django_assert_max_num_queries(counts[str(params)] + 2 + budget) as captured:
            response = client.get("/hazards/", params)
        assert response.status_code == 200
        assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"]]


def test_hazard_list_does_not_write_the_session_on_every_request(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.office)
    client.get("/hazards/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/hazards/").status_code == 200
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE") or "INSERT" in q["sql"]]
