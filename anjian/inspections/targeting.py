"""Risk-based targeting (分级分类、差异化监管): which units in a territory most need an inspection now, and why.

安全生产法 第六十二条 asks the departments to plan their inspections "按照分类分级监督管理的要求"; rules.md RK-03
describes local schemes that grade units 红橙黄蓝 to set the inspection frequency, and CR-09 (安全生产法 第七十八条)
adds "more frequent inspection" for units on the serious-dishonesty list. The ranking puts those together:

- the score of a unit is the sum of the points of the active `TargetingRule` rows it matches (a table of data the
  安委办 maintains, with history) — nothing else, so every point is explained by a reason shown beside it;
- the facts the rules look at (colour, open / overdue / major hazards, major hazard sources, recent accidents,
  the dishonesty list, days since the last government inspection against the frequency owed, warnings not
  acknowledged) are computed for all units in scope with one aggregate query per fact — never one per unit.

`rank_units` serves the page, its Excel export and the API; `select_priority_units` puts the top of the ranking
into an inspection plan as its 重点 list (tasks carrying their rank, score and reasons).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from .models import TargetingFactor, TargetingRule

VIEW_PERMISSION = "inspections.view_targeting"
MAX_PRIORITY_UNITS = 200
DAYS_PER_YEAR = 365

# How the frequency owed reads (rules.py DEFAULT_INSPECTIONS_PER_YEAR: red monthly … blue yearly).
FREQUENCY_WORDS = {12: "每月1次", 4: "每季度1次", 2: "每半年1次", 1: "每年1次"}


def frequency_words(per_year: int) -> str:
    return FREQUENCY_WORDS.get(per_year, f"每年{per_year}次")


@dataclass(frozen=True)
class Rule:
    """A scoring rule as the pure functions see it (built from a TargetingRule row, or directly in tests)."""

    factor: str
    points: int
    threshold: int = 1
    risk_level: str = ""
    window_days: int | None = None
    pk: int | None = None

    @classmethod
    def from_row(cls, row: TargetingRule) -> "Rule":
        return cls(row.factor, row.points, row.threshold, row.risk_level, row.window_days, row.pk)


@dataclass
class UnitFacts:
    """What the rules look at, for one unit. Counts by window are keyed by the rule's `window_days`."""

    risk_level: str = ""
    open_hazards: int = 0
    overdue_hazards: int = 0
    major_hazards: int = 0
    hazard_sources: int = 0
    accidents: dict = field(default_factory=dict)
    blacklisted: bool = False
    days_since_inspection: int | None = None  # None: never inspected by a government body
    inspections_per_year: int = 0  # owed by the unit's colour (registry SupervisionFrequency)
    unacked_warnings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    factor: str
    points: int
    label: str

    def __str__(self):
        return f"{self.points:+d} {self.label}"

    def as_dict(self) -> dict:
        return {"factor": self.factor, "points": self.points, "label": self.label}


def _colour_words(level: str) -> str:
    from anjian.registry.rules import RiskLevel

    return f"{RiskLevel(level).colour_zh}色风险"


def match(rule: Rule, facts: UnitFacts) -> Reason | None:
    """The reason the rule gives the unit, or None when the unit does not meet the rule's condition."""
    factor = TargetingFactor(rule.factor)
    label = None
    if factor == TargetingFactor.RISK_COLOUR:
        if rule.risk_level and facts.risk_level == rule.risk_level:
            label = _colour_words(rule.risk_level)
    elif factor == TargetingFactor.BLACKLISTED:
        if facts.blacklisted:
            label = "列入严重失信主体名单"
    elif factor == TargetingFactor.INSPECTION_GAP:
        label = _inspection_gap(rule, facts)
    else:
        count, words = _count(factor, rule, facts)
        if count >= max(rule.threshold, 1):
            label = words.format(n=count, days=rule.window_days)
    return Reason(rule.factor, rule.points, label) if label else None


def _count(factor, rule, facts) -> tuple[int, str]:
    if factor == TargetingFactor.OPEN_HAZARDS:
        return facts.open_hazards, "未销号隐患{n}处"
    if factor == TargetingFactor.OVERDUE_HAZARDS:
        return facts.overdue_hazards, "逾期隐患{n}处"
    if factor == TargetingFactor.MAJOR_HAZARDS:
        return facts.major_hazards, "重大事故隐患未销号{n}处"
    if factor == TargetingFactor.HAZARD_SOURCES:
        return facts.hazard_sources, "重大危险源{n}处"
    if factor == TargetingFactor.ACCIDENTS:
        return facts.accidents.get(rule.window_days, 0), "近{days}天发生事故{n}起"
    if factor == TargetingFactor.UNACKED_WARNINGS:
        return facts.unacked_warnings.get(rule.window_days, 0), "近{days}天预警逾期未签收{n}条"
    raise ValueError(f"未知的排序因素：{factor}")


def _inspection_gap(rule: Rule, facts: UnitFacts) -> str | None:
    per_year = facts.inspections_per_year
    if per_year <= 0:
        return None  # the frequency table owes no inspection for this colour
    # A rule past 100 % reads as the multiple of the interval, so two gap rules never give the same words.
    beyond = f"超过应检间隔{rule.threshold / 100:g}倍" if rule.threshold > 100 else ""
    owed = f"应{frequency_words(per_year)}"
    days = facts.days_since_inspection
    if days is None:
        return f"从未检查（{beyond or owed}）"
    # Overdue by `threshold` % of the interval: days × per_year × 100 ≥ 365 × threshold (integers, no rounding).
    if days * per_year * 100 >= DAYS_PER_YEAR * rule.threshold:
        return f"距上次检查 {days} 天，{beyond}" if beyond else f"距上次检查 {days} 天（{owed}）"
    return None


def score(rules, facts: UnitFacts) -> tuple[int, list[Reason]]:
    """The unit's score — the sum of the points of the rules it matches — and those reasons, biggest first."""
    reasons = [r for r in (match(rule, facts) for rule in rules) if r is not None]
    reasons.sort(key=lambda r: -r.points)
    return sum(r.points for r in reasons), reasons


def rank_key(total: int, facts: UnitFacts, name: str, pk: int):
    """Highest score first; on a tie the unit waiting longest for an inspection (never inspected first)."""
    waiting = facts.days_since_inspection if facts.days_since_inspection is not None else 10**6
    return (-total, -waiting, name, pk)


# --- facts in bulk ------------------------------------------------------------------------------------------


def active_rules() -> list[Rule]:
    return [
        Rule.from_row(r) for r in TargetingRule.objects.filter(is_active=True).order_by("sort_order", "id")
    ]


def _windows(rules, factor) -> set[int]:
    return {r.window_days for r in rules if r.factor == factor and r.window_days}


def unit_facts(units, rules, today: date | None = None) -> dict[int, UnitFacts]:
    """Facts for every unit of the `units` queryset (ids are read by the database as a subquery): one aggregate
    query per fact, whatever the number of units."""
    from anjian.accidents.models import Accident
    from anjian.hazards.models import OPEN_STATUSES, Grade, Hazard
    from anjian.operations.models import WarningNotice
    from anjian.registry.models import BlacklistEntry, MajorHazardSource, active_blacklist_q
    from anjian.registry.rules import RiskLevel
    from anjian.registry.services import frequency_table

    from .models import Inspection, InspectionStatus, Level

    today = today or timezone.localdate()
    now = timezone.now()
    ids = units.values("pk")
    facts = {pk: UnitFacts(risk_level=colour) for pk, colour in units.values_list("pk", "risk_level")}
    if not facts:
        return facts
    table = frequency_table()
    for item in facts.values():
        # A unit not graded yet is owed the frequency of the lowest colour.
        item.inspections_per_year = table.get(RiskLevel(item.risk_level or RiskLevel.LOW.value), 0)

    hazards = (
        Hazard.objects.filter(enterprise_id__in=ids, status__in=OPEN_STATUSES)
        .values("enterprise_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(is_overdue=True)),
            major=Count("pk", filter=Q(grade=Grade.MAJOR)),
        )
    )
    for row in hazards:
        item = facts[row["enterprise_id"]]
        item.open_hazards, item.overdue_hazards, item.major_hazards = (
            row["open"],
            row["overdue"],
            row["major"],
        )

    for row in (
        MajorHazardSource.objects.filter(enterprise_id__in=ids)
        .values("enterprise_id")
        .annotate(n=Count("pk"))
    ):
        facts[row["enterprise_id"]].hazard_sources = row["n"]

    accident_windows = _windows(rules, TargetingFactor.ACCIDENTS)
    if accident_windows:
        rows = (
            Accident.objects.filter(
                enterprise_id__in=ids, occurred_at__gte=now - timedelta(days=max(accident_windows))
            )
            .values("enterprise_id")
            .annotate(
                **{
                    f"w{d}": Count("pk", filter=Q(occurred_at__gte=now - timedelta(days=d)))
                    for d in accident_windows
                }
            )
        )
        for row in rows:
            facts[row["enterprise_id"]].accidents = {d: row[f"w{d}"] for d in accident_windows}

    listed = BlacklistEntry.objects.filter(active_blacklist_q(today), enterprise_id__in=ids)
    for pk in set(listed.values_list("enterprise_id", flat=True)):
        facts[pk].blacklisted = True

    # Government inspections only (企业自查 is the unit's own duty, not supervision), completed records.
    last = (
        Inspection.objects.filter(enterprise_id__in=ids, status=InspectionStatus.COMPLETED)
        .exclude(level=Level.SELF)
        .values("enterprise_id")
        .annotate(last=Max("inspected_on"))
    )
    for row in last:
        facts[row["enterprise_id"]].days_since_inspection = max((today - row["last"]).days, 0)

    warning_windows = _windows(rules, TargetingFactor.UNACKED_WARNINGS)
    if warning_windows:
        rows = (
            WarningNotice.objects.filter(
                enterprise_id__in=ids,
                acknowledged_at__isnull=True,
                ack_due_at__lt=now,
                sent_at__gte=now - timedelta(days=max(warning_windows)),
            )
            .values("enterprise_id")
            .annotate(
                **{
                    f"w{d}": Count("pk", filter=Q(sent_at__gte=now - timedelta(days=d)))
                    for d in warning_windows
                }
            )
        )
        for row in rows:
            facts[row["enterprise_id"]].unacked_warnings = {d: row[f"w{d}"] for d in warning_windows}
    return facts


@dataclass
class RankedUnit:
    rank: int
    enterprise_id: int
    name: str
    score: int
    reasons: list[Reason]
    facts: UnitFacts
    enterprise: object = None  # filled for the rows of the page shown (page_units)

    @property
    def reasons_text(self) -> str:
        return " · ".join(str(r) for r in self.reasons)


def scoped_units(user):
    """Operating (or suspended) units the user may see: 安委办 and towns their territory, departments also only
    the sectors they supervise (core.scope); closed-down and deregistered units are not inspected."""
    from anjian.registry.models import Enterprise, EnterpriseStatus

    return restrict(
        Enterprise.objects.exclude(status__in=[EnterpriseStatus.BANNED, EnterpriseStatus.DEREGISTERED]), user
    )


def rank_units(units, rules=None, today: date | None = None) -> list[RankedUnit]:
    """Every unit of the queryset with its score and reasons, most in need of an inspection first."""
    rules = active_rules() if rules is None else rules
    facts = unit_facts(units, rules, today)
    names = dict(units.values_list("pk", "name"))
    scored = []
    for pk, item in facts.items():
        total, reasons = score(rules, item)
        scored.append((rank_key(total, item, names[pk], pk), pk, total, reasons, item))
    scored.sort(key=lambda row: row[0])
    return [
        RankedUnit(rank, pk, names[pk], total, reasons, item)
        for rank, (_, pk, total, reasons, item) in enumerate(scored, start=1)
    ]


def attach_units(rows: list[RankedUnit]) -> list[RankedUnit]:
    """Load the enterprises of the rows to show (territory and sectors): two queries for the page."""
    from anjian.registry.models import Enterprise

    units = (
        Enterprise.objects.select_related("territory")
        .prefetch_related("sectors")
        .in_bulk([r.enterprise_id for r in rows])
    )
    for row in rows:
        row.enterprise = units[row.enterprise_id]
    return rows


# --- plans take their 重点 list from the ranking ----------------------------------------------------------------


def select_priority_units(*, actor, plan, count: int) -> list:
    """Put the top `count` units of the plan's ranking into the plan as its 重点 list: each gets a task (a unit
    already drawn or generated keeps its task) carrying its rank, score and reasons. Units already chosen are
    skipped, and a unit scoring 0 has no reason to be a 重点 unit. Returns the tasks marked, best first."""
    from . import services
    from .models import InspectionPlan, PlanStatus

    if not has_perm(actor, VIEW_PERMISSION):
        raise PermissionDenied("您的角色无权使用重点检查排序。")
    services._ensure_can_plan(actor, plan)
    if not 1 <= count <= MAX_PRIORITY_UNITS:
        raise ValidationError(f"选取单位数应为 1 至 {MAX_PRIORITY_UNITS}。")
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status == PlanStatus.CLOSED:
            raise ValidationError("计划已结束，不能再选取重点单位。")
        tasks = {t.enterprise_id: t for t in plan.tasks.all()}
        chosen = {pk for pk, t in tasks.items() if t.priority_rank is not None}
        units = restrict(services.candidate_enterprises(plan), actor)
        ranking = [r for r in rank_units(units) if r.score > 0 and r.enterprise_id not in chosen][:count]
        if not ranking:
            raise ValidationError("按计划的检查范围，没有尚未选取且有风险得分的单位。")
        next_rank = max((t.priority_rank for t in tasks.values() if t.priority_rank), default=0) + 1
        attach_units(ranking)
        new_tasks = services.build_tasks(
            plan, [r.enterprise for r in ranking if r.enterprise_id not in tasks]
        )
        for task in new_tasks:
            tasks[task.enterprise_id] = task
        marked = []
        for offset, row in enumerate(ranking):
            task = tasks[row.enterprise_id]
            task.priority_rank = next_rank + offset
            task.priority_score = row.score
            task.priority_reasons = [r.as_dict() for r in row.reasons]
            marked.append(task)
        services.save_tasks(new_tasks)
        for task in marked:
            if task not in new_tasks:  # drawn or generated before: keep the task, add why it is a 重点 unit
                task.save(update_fields=["priority_rank", "priority_score", "priority_reasons"])
        names = {r.enterprise_id: r.name for r in ranking}
        listing = "；".join(
            f"{t.priority_rank}. {names[t.enterprise_id]}（{t.priority_score}分）" for t in marked
        )
        record_action(
            plan, "inspections.priority_selected", f"从风险排序选取重点单位 {len(marked)} 家：{listing}"
        )
    return marked
