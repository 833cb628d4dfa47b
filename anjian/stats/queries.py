"""Reading the summary counts: the same figures the hazard rows give, as SUM(n) over the summary rows.

The columns of HazardCount carry the names of the Hazard columns they count (status, grade, is_overdue,
supervision_level, major_basis_pending, territory_path), so a filter written for hazards applies unchanged;
only two differ:
- found_on is counted by month (`found_month`): a period made of whole months is answered, any other falls
  back to the rows (the readers check `whole_months`);
- sector: the sector id, 0 where the hazard has none (`sector_of` maps it back to None).
"""

from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from .counts import month_of


def whole_months(start: date | None, end: date | None) -> bool:
    """True if [start, end] (inclusive, either side open) is made of whole calendar months."""
    starts_a_month = start is None or start.day == 1
    ends_a_month = end is None or (end + timedelta(days=1)).day == 1
    return starts_a_month and ends_a_month


def found_between_q(start: date | None, end: date | None) -> Q:
    """Hazards found between two dates (inclusive) that begin and end whole months, as a filter of HazardCount."""
    if not whole_months(start, end):
        raise ValueError("the summary counts hazards by month: a period must be made of whole months")
    q = Q()
    if start is not None:
        q &= Q(found_month__gte=start)
    if end is not None:
        q &= Q(found_month__lte=month_of(end))
    return q


def summary_rows(*paths: str | None, by_child: bool = True, area: bool = False):
    """The summary rows for sums under the deepest of `paths` (the user's scope, the page's territory): rolled up to
    that territory's own level for totals (`by_child=False`: a province page sums the province's rows), or to its
    children's level to group by child (a province page reads its cities' rows — tens of thousands instead of
    hundreds of thousands at province scale); the own-territory rows where that level is not rolled up (below a
    town).

    `area=True`: the figures read no sector, pending-basis flag or late month, and the reader sees every sector —
    HazardAreaRollup answers (~1,300 rows per city instead of ~13,700 at 10M hazards)."""
    from .models import HazardAreaRollup, HazardCount, HazardRollup

    depth = summary_depth(*paths, by_child=by_child)
    if depth is not None:
        return (HazardAreaRollup if area else HazardRollup).objects.filter(depth=depth)
    return HazardCount.objects.all()


def summary_depth(*paths: str | None, by_child: bool = True) -> int | None:
    """The rolled-up depth summary_rows reads (None: the own-territory rows)."""
    from .counts import ROLLUP_DEPTHS

    deepest = max((path.count(".") - 1 for path in paths if path), default=0)
    depth = deepest + 1 if by_child else deepest
    return depth if depth in ROLLUP_DEPTHS else None


def is_summary(queryset) -> bool:
    from .models import HazardKeyCount

    return issubclass(queryset.model, HazardKeyCount)


def sector_of(value):
    """The sector id of a summary row, None for 未分行业."""
    return value or None


def total(q: Q | None = None):
    """SUM(n) of the summary rows matching q: the number of hazards."""
    return Sum("n", filter=q, default=0)


def counter(summary: bool):
    """The aggregate counting hazards matching a filter, on summary rows (SUM(n)) or on hazard rows (COUNT)."""
    if summary:
        return total
    return lambda q=None: Count("id", filter=q)
