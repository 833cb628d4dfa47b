"""过程考核 indicators of reporting (registered in the assessment's registry, imported by the AppConfig).

A report counts in the period in which it fell due (截止日 within the period, up to today for a period still
running). Government reports only: an enterprise's statistics table (HZ-16) is the enterprise's duty, not the
town's. A department is assessed on its own reports (its sectors).
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from anjian.assessment.indicators import IndicatorValue, Scoring, register
from anjian.assessment.links import list_url
from anjian.assessment.periods import Period, Target

from .models import DONE_STATUSES, Report


def _reports(target: Target, period: Period):
    q = Q(territory_path__startswith=target.territory_path, reporter_org__isnull=False)
    if target.sector_ids is not None:
        through = Report.sectors.through
        q &= Q(Exists(through.objects.filter(report_id=OuterRef("pk"), sector_id__in=target.sector_ids)))
    return Report.objects.filter(q, due_date__gte=period.start, due_date__lte=period.as_of())


def figures(target: Target, period: Period) -> dict:
    """due / on time / late / missing in one aggregate query."""
    done = Q(status__in=DONE_STATUSES)
    return _reports(target, period).aggregate(
        due=Count("id"),
        on_time=Count("id", filter=done & Q(is_late=False)),
        late=Count("id", filter=Q(is_late=True)),
        # Not submitted (a report returned after a late submission counts once, as late); one due today may
        # still come in.
        missing=Count("id", filter=~done & Q(is_late=False, due_date__lt=timezone.localdate())),
    )


def _link(target: Target, period: Period, **params) -> str:
    return list_url(
        "reporting:report_list",
        territory=target.territory_id,
        due_after=period.start.isoformat(),
        due_before=period.as_of().isoformat(),
        **params,
    )


@register(
    "report_on_time_rate",
    "报表按时报送率",
    "%",
    Scoring.RATE,
    "报送截止日在考核期内（且已到期）的报表中，在截止日当日或之前报送的比例（迟报、未报均不计为按时）。"
    "考核期内没有到期报表的得满分。",
    requires=("reporting.Report",),
)
def report_on_time_rate(target: Target, period: Period) -> IndicatorValue:
    f = figures(target, period)
    value = (Decimal(f["on_time"]) / Decimal(f["due"])).quantize(Decimal("0.0001")) if f["due"] else None
    return IndicatorValue(value, f["on_time"], f["due"], _link(target, period))


@register(
    "report_late_or_missing",
    "报表迟报、漏报次数",
    "次",
    Scoring.DEDUCT,
    "报送截止日在考核期内的报表中，超过截止日才报送（迟报）或至今未报送（漏报）的份数，每份扣减规定分值，扣完为止。",
    requires=("reporting.Report",),
    per_item=1,
)
def report_late_or_missing(target: Target, period: Period) -> IndicatorValue:
    f = figures(target, period)
    count = f["late"] + f["missing"]
    return IndicatorValue(Decimal(count), count, None, _link(target, period, timeliness="bad"))
