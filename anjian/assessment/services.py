"""Assessment operations: compute a period's score sheets, score a manual item, evaluate the one-vote veto.

Computed items are refreshed from the records every time; manual items keep the reviewer's points and
evidence. Each operation runs in one transaction and writes a named audit action.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anjian.core.audit import record_action

from . import indicators, scoring
from .measures import target_q
from .models import AssessmentScheme, Evaluation, Indicator, ItemScore, Method, Part, VetoKind, VetoRule
from .periods import Period, Target

ACCIDENT_GRADE_ORDER = ("general", "larger", "major", "especially_major")
GRADE_LABELS = {"general": "一般", "larger": "较大", "major": "重大", "especially_major": "特别重大"}


# --- one-vote veto (KH-02 / KH-03) ----------------------------------------------------------------------------
def veto_reasons(rule: VetoRule, body, target: Target, period: Period) -> list[str]:
    """The reasons this rule vetoes the body in the period (empty: not vetoed)."""
    if not rule.is_active:
        return []
    params = rule.params or {}
    if rule.kind == VetoKind.ACCIDENT_GRADE:
        return _accident_veto(rule, params, target, period)
    if rule.kind == VetoKind.DEATHS_ABOVE:
        from anjian.accidents.models import Accident

        deaths = Accident.objects.filter(target_q(target), _accident_in(period)).values_list(
            "deaths", flat=True
        )
        total = sum(deaths)
        limit = int(params.get("max_deaths", 0))
        return [f"{rule.name}：死亡{total}人，超过控制指标{limit}人"] if total > limit else []
    if rule.kind == VetoKind.MANUAL:
        # A listed event decided by the committee (e.g. 瞒报谎报): the office names the bodies in the rule.
        if body.pk in (params.get("body_ids") or []):
            return [f"{rule.name}：{params.get('detail') or '经认定'}"]
        return []
    return []


def _accident_in(period: Period) -> Q:
    start, end = period.datetime_range()
    return Q(occurred_at__gte=start, occurred_at__lt=end)


def _accident_veto(rule, params, target, period) -> list[str]:
    from anjian.accidents.models import Accident

    min_grade = params.get("min_grade", "larger")
    grades = ACCIDENT_GRADE_ORDER[ACCIDENT_GRADE_ORDER.index(min_grade) :]
    accidents = Accident.objects.filter(target_q(target), _accident_in(period), grade__in=grades)
    if params.get("liability_only", True):
        # "有责任的" (KH-03): an accident counts unless its investigation found it 非责任事故; accidents still
        # under investigation count, since the investigation may take months (493号令 第二十九条).
        accidents = accidents.exclude(investigation__nature="non_liability")
    rows = list(accidents.order_by("occurred_at").values_list("title", "grade", "deaths"))
    if len(rows) < int(params.get("min_count", 1)):
        return []
    listed = "；".join(
        f"{title}（{GRADE_LABELS.get(grade, grade)}，死亡{deaths}人）" for title, grade, deaths in rows
    )
    return [f"{rule.name}：{listed}"]


# --- computing a period -------------------------------------------------------------------------------------------
def indicators_for(scheme: AssessmentScheme, quarter: int):
    part = Part.RESULT if quarter == 0 else Part.PROCESS
    return list(scheme.indicators.filter(part=part).order_by("sort_order", "id"))


@transaction.atomic
def compute_period(scheme: AssessmentScheme, quarter: int, user=None) -> list[Evaluation]:
    """Compute every body's score sheet for a quarter (1–4: process part) or the year (0: result part +
    the average of the computed quarters), then vetoes, grades and ranks. Idempotent."""
    period = Period.quarter(scheme.year, quarter)
    items = indicators_for(scheme, quarter)
    rules = list(scheme.veto_rules.filter(is_active=True))
    now = timezone.now()
    evaluations = []
    bodies = list(scheme.bodies.select_related("territory").order_by("sort_order", "pk"))
    quarterly = {}
    if quarter == 0:
        for body_id, score in Evaluation.objects.filter(
            scheme=scheme, quarter__gte=1, process_score__isnull=False
        ).values_list("body_id", "process_score"):
            quarterly.setdefault(body_id, []).append(score)
    for body in bodies:
        target = Target.for_body(body)
        evaluation, _ = Evaluation.objects.get_or_create(
            scheme=scheme, body=body, quarter=quarter, defaults={"territory": body.territory}
        )
        existing = {s.indicator_id: s for s in evaluation.items.all()}
        points, full = [], []
        for item in items:
            sheet = existing.get(item.pk) or ItemScore(evaluation=evaluation, indicator=item)
            sheet.territory_path = evaluation.territory.path
            if item.method == Method.COMPUTED:
                definition = indicators.REGISTRY[item.key]
                value = indicators.compute(item.key, target, period)
                sheet.value = value.value
                sheet.numerator, sheet.denominator = value.numerator, value.denominator
                sheet.drilldown_url = value.drilldown_url
                if definition.available():
                    sheet.points = indicators.score(
                        definition, value, item.params, item.max_score, item.weight
                    )
                    sheet.note = _explain(definition, value)
                else:
                    sheet.points = None
                    sheet.note = "数据来源尚未启用，暂不计分"
                sheet.scored_at = now
            sheet.save()
            points.append(sheet.points)
            full.append(item.full_points)
        part = scoring.part_score(points, full)
        reasons = []
        for rule in rules:
            reasons += veto_reasons(rule, body, target, period)
        if quarter == 0:
            evaluation.process_score = scoring.average(quarterly.get(body.pk, []))
            evaluation.result_score = part
            evaluation.total = scoring.combine(
                evaluation.process_score, part, scheme.process_weight, scheme.result_weight
            )
        else:
            evaluation.process_score = part
            evaluation.result_score = None
            evaluation.total = part or Decimal(0)
        evaluation.vetoed = bool(reasons)
        evaluation.veto_reasons = reasons
        evaluation.grade = scoring.grade_for(
            evaluation.total, evaluation.vetoed, scheme.excellent_min, scheme.good_min, scheme.pass_min
        )
        evaluation.computed_at = now
        evaluations.append(evaluation)
    order = scoring.ranks([(e.pk, e.total, e.vetoed) for e in evaluations])
    for evaluation in evaluations:
        evaluation.rank = order[evaluation.pk]
        evaluation.save()
    record_action(scheme, "assessment.computed", f"计算{period.label}考核结果（{len(evaluations)}个单位）")
    return evaluations


def _explain(definition, value) -> str:
    parts = []
    if value.denominator is not None:
        parts.append(f"{value.numerator}/{value.denominator}")
    elif value.numerator is not None:
        parts.append(f"{value.numerator}{definition.unit}")
    if value.compare is not None:
        parts.append(f"上年同期{int(value.compare)}{definition.unit}")
    if value.value is None:
        parts.append("考核期内无应计事项，得满分")
    return "；".join(parts)


@transaction.atomic
def score_manual_item(sheet: ItemScore, points, note: str, evidence, user) -> ItemScore:
    """A reviewer's score for a manual item (评审打分), with evidence; refused above the item's full points."""
    sheet = ItemScore.objects.select_for_update().select_related("indicator").get(pk=sheet.pk)
    indicator: Indicator = sheet.indicator
    if indicator.method != Method.MANUAL:
        raise ValidationError("系统计算的指标不能人工打分。")
    points = Decimal(points)
    if points < 0 or points > indicator.full_points:
        raise ValidationError(f"得分应在0～{indicator.full_points}分之间。")
    if indicator.evidence_required and not (evidence or sheet.evidence):
        raise ValidationError("该指标须上传佐证材料。")
    before = sheet.points
    sheet.points, sheet.note = points, note
    if evidence:
        sheet.evidence = evidence
    sheet.scored_by, sheet.scored_at = user, timezone.now()
    sheet.save()
    record_action(
        sheet.evaluation.scheme,
        "assessment.scored",
        f"{sheet.evaluation}：{indicator.name} {points}分",
        changes={"得分": [str(before) if before is not None else None, str(points)]},
    )
    return sheet
