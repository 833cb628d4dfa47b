"""过程考核 indicators from the 督查 problem lists (registered in the assessment registry on app start).

A target is a territory subtree (a town: the problems assigned to bodies of that town) or a department (the
problems assigned to that department). The period counts the problems whose 整改时限 falls within it.
"""

from decimal import Decimal

from django.db.models import Count, Q

from anjian.assessment import links
from anjian.assessment.indicators import IndicatorValue, Scoring, _ratio, register
from anjian.assessment.periods import Period, Target

PROBLEM_LIST = "oversight:problem_list"


def target_problems(target: Target):
    from anjian.core.models import Organisation, OrganisationKind

    from .models import Problem

    problems = Problem.objects.filter(territory_path__startswith=target.territory_path)
    if target.sector_ids is not None:
        # A department target (Target.for_body): the problems assigned to that department.
        ids = [
            o.pk
            for o in Organisation.objects.filter(
                territory_id=target.territory_id, kind=OrganisationKind.DEPARTMENT
            )
            if str(o) == target.name
        ]
        problems = problems.filter(responsible_unit_id__in=ids)
    return problems


def _department_id(target: Target):
    if target.sector_ids is None:
        return None
    from anjian.core.models import Organisation, OrganisationKind

    for org in Organisation.objects.filter(
        territory_id=target.territory_id, kind=OrganisationKind.DEPARTMENT
    ):
        if str(org) == target.name:
            return org.pk
    return None


def _link(target: Target, period: Period, **params) -> str:
    unit = _department_id(target)
    return links.list_url(
        PROBLEM_LIST,
        territory=None if unit else target.territory_id,
        responsible_unit=unit,
        due_after=period.start.isoformat(),
        due_before=period.end.isoformat(),
        **params,
    )


@register(
    "oversight_rectification_rate",
    "督查问题整改率",
    "%",
    Scoring.RATE,
    "考核期内整改时限到期的督查反馈问题中，到考核期末已审核销号的比例（报告整改完成但未审核销号的不计）。"
    "达到目标值得满分，低于目标值按比例得分；考核期内没有到期问题的得满分。",
    requires=("oversight.Problem",),
)
def oversight_rectification_rate(target: Target, period: Period) -> IndicatorValue:
    _start, end = period.datetime_range()
    figures = (
        target_problems(target)
        .filter(deadline__gte=period.start, deadline__lte=period.end)
        .aggregate(due=Count("id"), closed=Count("id", filter=Q(status="closed", closed_at__lt=end)))
    )
    return IndicatorValue(
        _ratio(figures["closed"], figures["due"]), figures["closed"], figures["due"], _link(target, period)
    )


@register(
    "oversight_overdue",
    "督查问题逾期未整改数",
    "个",
    Scoring.DEDUCT,
    "考核期内整改时限已过、仍未报告整改完成的督查反馈问题，每个扣分（扣分值见考核细则），扣完为止。",
    requires=("oversight.Problem",),
    per_item=1,
)
def oversight_overdue(target: Target, period: Period) -> IndicatorValue:
    as_of = period.as_of()
    count = (
        target_problems(target)
        .filter(status__in=("pending", "rectifying"), deadline__gte=period.start, deadline__lt=as_of)
        .count()
    )
    return IndicatorValue(Decimal(count), count, None, _link(target, period, overdue="true"))
