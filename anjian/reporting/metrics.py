"""Platform figures a report can fill by itself: key → label, unit and a function (unit, period) → value.

Each function is one aggregate query over the unit's own scope and the report period: a town or office
counts its territory subtree, a member department its territory narrowed to the sectors it supervises
(管行业必须管安全), an enterprise its own records. Hazard figures for a government unit are read from the
maintained summary counts (anjian.stats) when the period is made of whole months, as the assessment does.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .periods import ReportPeriod


@dataclass(frozen=True)
class Unit:
    """Whose figures: a territory subtree (optionally narrowed to sectors) or one enterprise."""

    territory_path: str = ""
    sector_ids: frozenset[int] | None = None
    enterprise_id: int | None = None

    @classmethod
    def of_report(cls, report) -> "Unit":
        if report.reporter_enterprise_id:
            return cls(enterprise_id=report.reporter_enterprise_id)
        return cls.of_organisation(report.reporter_org)

    @classmethod
    def of_organisation(cls, organisation) -> "Unit":
        from anjian.core.models import OrganisationKind

        path = organisation.territory.path
        if organisation.kind == OrganisationKind.DEPARTMENT:
            return cls(path, frozenset(organisation.sectors.values_list("pk", flat=True)))
        return cls(path)

    def q(self, territory="territory_path", sector="sector_id", enterprise="enterprise_id") -> Q:
        if self.enterprise_id is not None:
            return Q(**{enterprise: self.enterprise_id})
        q = Q(**{f"{territory}__startswith": self.territory_path})
        if self.sector_ids is not None:
            q &= Q(**{f"{sector}__in": self.sector_ids})
        return q


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    kind: str  # "integer" | "decimal"
    compute: Callable[[Unit, ReportPeriod], int | Decimal]
    section: str = ""


REGISTRY: dict[str, Metric] = {}


def metric(key, label, unit, kind="integer", section=""):
    def wrap(function):
        REGISTRY[key] = Metric(key, label, unit, kind, function, section)
        return function

    return wrap


def choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label}（{m.key}）") for m in REGISTRY.values()]


def value(key: str, unit: Unit, period: ReportPeriod):
    return REGISTRY[key].compute(unit, period)


def _range(period: ReportPeriod) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in local time, for DateTimeFields."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(period.start, time.min), tz),
        timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), tz),
    )


# --- hazards (总局令第16号) -----------------------------------------------------------------------------
HAZARD_OPEN = ("registered", "plan_set", "rectifying", "reported", "accepted")
HAZARD_RECTIFIED = ("reported", "accepted", "closed")  # the assessment's definition (assessment.measures)


def _hazard_count(unit: Unit, period: ReportPeriod, extra: Q) -> int:
    """Hazards found in the period (voided ones never count) matching `extra`."""
    from anjian.hazards.models import Hazard
    from anjian.stats.models import HazardCount
    from anjian.stats.queries import found_between_q, total, whole_months

    if unit.enterprise_id is None and whole_months(period.start, period.end):
        q = found_between_q(period.start, period.end) & ~Q(status="voided") & extra
        return HazardCount.objects.filter(unit.q(sector="sector")).aggregate(n=total(q))["n"]
    q = Q(found_on__gte=period.start, found_on__lte=period.end) & ~Q(status="voided") & extra
    return Hazard.objects.filter(unit.q()).aggregate(n=Count("id", filter=q))["n"]


@metric("hazards_found", "排查发现隐患", "项", section="隐患排查治理")
def hazards_found(unit, period):
    return _hazard_count(unit, period, Q())


@metric("hazards_major_found", "其中：重大事故隐患", "项", section="隐患排查治理")
def hazards_major_found(unit, period):
    return _hazard_count(unit, period, Q(grade="major"))


@metric("hazards_rectified", "已整改隐患", "项", section="隐患排查治理")
def hazards_rectified(unit, period):
    return _hazard_count(unit, period, Q(status__in=HAZARD_RECTIFIED))


@metric("hazards_major_rectified", "其中：已整改重大事故隐患", "项", section="隐患排查治理")
def hazards_major_rectified(unit, period):
    return _hazard_count(unit, period, Q(status__in=HAZARD_RECTIFIED, grade="major"))


@metric("hazards_overdue", "逾期未整改隐患（期末）", "项", section="隐患排查治理")
def hazards_overdue(unit, period):
    """Open hazards at the period's end whose rectification deadline had passed by then (any found date)."""
    from anjian.hazards.models import Hazard

    as_of = min(period.end, timezone.localdate())
    return Hazard.objects.filter(unit.q(), status__in=HAZARD_OPEN, deadline__lt=as_of).aggregate(
        n=Count("id")
    )["n"]


@metric("hazard_funds", "隐患整改资金", "元", kind="decimal", section="隐患排查治理")
def hazard_funds(unit, period):
    from anjian.hazards.models import Hazard

    rows = Hazard.objects.filter(unit.q(), found_on__gte=period.start, found_on__lte=period.end).exclude(
        status="voided"
    )
    return rows.aggregate(n=Sum("money_spent", default=Decimal(0)))["n"]


# --- inspections ----------------------------------------------------------------------------------------
@metric("inspections_done", "开展检查", "次", section="监督检查")
def inspections_done(unit, period):
    from anjian.inspections.models import Inspection, InspectionStatus

    return Inspection.objects.filter(
        unit.q(),
        status=InspectionStatus.COMPLETED,
        inspected_on__gte=period.start,
        inspected_on__lte=period.end,
    ).aggregate(n=Count("id"))["n"]


# --- enforcement ----------------------------------------------------------------------------------------
@metric("enforcement_cases", "行政处罚立案", "件", section="行政执法")
def enforcement_cases(unit, period):
    from anjian.enforcement.models import Case

    return Case.objects.filter(unit.q(), filed_on__gte=period.start, filed_on__lte=period.end).aggregate(
        n=Count("id")
    )["n"]


@metric("enforcement_fines", "罚款金额", "元", kind="decimal", section="行政执法")
def enforcement_fines(unit, period):
    """Fines decided in the period (决定日期 of the measure); cancelled ones do not count."""
    from anjian.enforcement.models import FINE_MEASURES, Measure, MeasureStatus

    rows = Measure.objects.filter(
        unit.q(enterprise="case__enterprise_id"),
        measure__in=FINE_MEASURES,
        status__in=(MeasureStatus.DECIDED, MeasureStatus.EXECUTED),
        ordered_on__gte=period.start,
        ordered_on__lte=period.end,
    )
    return rows.aggregate(n=Sum("amount", default=Decimal(0)))["n"]


# --- accidents ------------------------------------------------------------------------------------------
@metric("accidents", "生产安全事故", "起", section="事故")
def accidents(unit, period):
    from anjian.accidents.models import Accident

    start, end = _range(period)
    return Accident.objects.filter(unit.q(), occurred_at__gte=start, occurred_at__lt=end).aggregate(
        n=Count("id")
    )["n"]


@metric("accident_deaths", "事故死亡人数", "人", section="事故")
def accident_deaths(unit, period):
    from anjian.accidents.models import Accident

    start, end = _range(period)
    return Accident.objects.filter(unit.q(), occurred_at__gte=start, occurred_at__lt=end).aggregate(
        n=Sum("deaths", default=0)
    )["n"]


# --- public tips ----------------------------------------------------------------------------------------
@metric("tips_received", "受理群众举报", "件", section="举报投诉")
def tips_received(unit, period):
    from anjian.operations.models import Tip

    start, end = _range(period)
    return (
        Tip.objects.filter(unit.q(), submitted_at__gte=start, submitted_at__lt=end, duplicate_of__isnull=True)
        .exclude(status="rejected")
        .aggregate(n=Count("id"))["n"]
    )
