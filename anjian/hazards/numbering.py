"""Hazard numbers (YH + year + seven digits): gap-free and never reused, one counter row per year.

A registration takes one number inside its own transaction (services.next_hazard_number). A large import takes
all the numbers it needs at once, in a transaction of its own that lasts a moment: it must not hold the counter
row's lock while it inserts 100,000 rows, which would stop every other registration of that year meanwhile. If
the import then fails, it gives its block back when no other number was taken since (release_hazard_numbers);
otherwise the block stays unused, a gap that the import's batch records.
"""

from django.db import IntegrityError, models, transaction

NUMBER_SERIES = "hazards.hazard"


def format_hazard_number(year: int, number: int) -> str:
    return f"YH{year}{number:07d}"


def _take(year: int, count: int) -> int:
    """Add `count` to the year's counter under its row lock; returns the last number taken."""
    from anjian.core.models import DocumentCounter

    with transaction.atomic():
        try:
            counter, _ = DocumentCounter.objects.select_for_update().get_or_create(
                key=NUMBER_SERIES, year=year
            )
        except IntegrityError:  # another transaction created the row first
            counter = DocumentCounter.objects.select_for_update().get(key=NUMBER_SERIES, year=year)
        DocumentCounter.objects.filter(pk=counter.pk).update(last_number=models.F("last_number") + count)
        counter.refresh_from_db(fields=["last_number"])
        return counter.last_number


def next_hazard_number(year: int) -> str:
    """One number, in the caller's transaction (a rolled-back registration returns it)."""
    return format_hazard_number(year, _take(year, 1))


def reserve_hazard_numbers(year: int, count: int) -> range:
    """`count` consecutive numbers of `year`, taken in one short transaction. Call it outside the transaction that
    uses them, so the counter's lock is released at once; returns the range of numbers (not yet formatted)."""
    if count <= 0:
        return range(0)
    last = _take(year, count)
    return range(last - count + 1, last + 1)


def release_hazard_numbers(year: int, numbers: range) -> bool:
    """Give back a reserved block that was not used, if it is still the last one taken (else it stays a gap).
    True when given back."""
    from anjian.core.models import DocumentCounter

    if not numbers:
        return True
    with transaction.atomic():
        return bool(
            DocumentCounter.objects.filter(key=NUMBER_SERIES, year=year, last_number=numbers[-1]).update(
                last_number=numbers[0] - 1
            )
        )
