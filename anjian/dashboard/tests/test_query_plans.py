"""The dashboard's 挂牌督办 list reads the partial index of open listed hazards (PostgreSQL; skipped on SQLite):
at province scale a deadline-ordered walk over every hazard's deadline, filtering for the few listed ones, was
the slow part of the page."""

import pytest
from django.db import connection

from anjian.core.tests.test_query_plans import load_hazards
from anjian.dashboard import metrics

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_listed_hazards_come_from_their_partial_index(cast):
    from anjian.hazards.models import Hazard

    load_hazards(cast)
    with connection.cursor() as cursor:  # one listed hazard in a thousand, most of them closed long ago
        cursor.execute(
            "UPDATE hazards_hazard SET supervision_level = 2 WHERE id % 1000 = 0; ANALYZE hazards_hazard;"
        )
    for user, territory in ((cast.office, cast.district), (cast.town_b_user, cast.town_b)):
        area = metrics.Area(territory, user)
        rows = metrics.supervision_list(area)
        expected = list(
            area.rows(Hazard.objects.filter(status__in=metrics.HAZARD_OPEN, supervision_level__gt=0))
            .order_by("deadline", "id")
            .values_list("pk", flat=True)[:50]
        )
        assert [h.pk for h in rows] == expected
        plan = explain(
            area.rows(
                Hazard.objects.filter(status__in=metrics.HAZARD_OPEN, supervision_level__gt=0)
            ).order_by("deadline", "id")[:50]
        )
        assert "hazard_listed_due_idx" in plan and "Seq Scan on hazards_hazard" not in plan, plan
