"""Assessment indicator of the committee work (registered with anjian.assessment.indicators)."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from anjian.assessment.indicators import IndicatorValue, Scoring, register
from anjian.assessment.periods import Period, Target
from anjian.core.models import Organisation

from .models import LIST_KINDS, DutyItem, DutyStatus


def _units(target: Target):
    """The units whose lists answer for the target: those of its territory; for a department, those
    supervising its sectors (管行业必须管安全)."""
    units = Organisation.objects.filter(kind__in=LIST_KINDS, is_active=True, territory_id=target.territory_id)
    if target.sector_ids is not None:
        through = Organisation.sectors.through
        units = units.filter(
            Exists(through.objects.filter(organisation_id=OuterRef("pk"), sector_id__in=target.sector_ids))
        )
    return units


@register(
    "committee_duty_list_confirmed_rate",
    "安全生产责任清单确认率",
    "%",
    Scoring.RATE,
    "被考核单位（镇街为本级政府，部门为监管相同行业领域的部门）安全生产责任清单中有效职责事项经安委办确认的比例"
    "（《安全生产法》第十七条）。按计算时的清单统计；尚未编制清单的记 0 分。",
    requires=("committee.DutyItem",),
)
def duty_list_confirmed_rate(target: Target, period: Period) -> IndicatorValue:
    counts = DutyItem.objects.filter(is_active=True, organisation__in=_units(target)).aggregate(
        total=Count("id"), confirmed=Count("id", filter=Q(status=DutyStatus.CONFIRMED))
    )
    if not counts["total"]:
        return IndicatorValue(Decimal(0), 0, 0, reverse("committee:unit_list"))
    return IndicatorValue(
        (Decimal(counts["confirmed"]) / Decimal(counts["total"])).quantize(Decimal("0.0001")),
        counts["confirmed"],
        counts["total"],
        reverse("committee:duty_list") + "?status=draft",
    )
