"""文号 never repeat and have no gaps under concurrent creation (rules.md EN-30). Needs real row locks:
PostgreSQL only (SQLite serialises whole-database writes and is skipped)."""

import threading

import pytest
from django.db import connection, connections

from anjian.enforcement import services
from anjian.enforcement.models import CaseDocument

from .factories import open_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_document_numbers_gap_free_under_concurrency(live_cast):
    cast = live_cast
    case = open_case(cast)
    workers, per_worker = 8, 5
    errors = []
    barrier = threading.Barrier(workers)

    def work():
        try:
            barrier.wait()
            for _ in range(per_worker):
                services.issue_document(case, "onsite_measures", cast.inspector)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(CaseDocument.objects.filter(case=case).values_list("sequence", flat=True))
    assert sequences == list(range(1, workers * per_worker + 1))
    numbers = list(CaseDocument.objects.filter(case=case).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)


def test_rolled_back_document_returns_its_number(live_cast):
    from django.db import transaction

    cast = live_cast
    case = open_case(cast)
    first = services.issue_document(case, "onsite_measures", cast.inspector)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_document(case, "onsite_measures", cast.inspector)
        raise RuntimeError("rollback")
    second = services.issue_document(case, "onsite_measures", cast.inspector)
    assert (first.sequence, second.sequence) == (1, 2)
