"""Read-side queries: unlinked punishable findings, repeat offenders, 约谈 suggestions and the figures.

Every function takes the user and goes through core.scope.restrict; each runs a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, Sum

from anjian.core.models import Organisation, Territory
from anjian.core.scope import restrict

from . import rules
from .models import (
    FINE_MEASURES,
    Case,
    Measure,
    MeasureStatus,
    NoPenaltyReason,
    ReviewStatus,
    ViolationFinding,
)


def unlinked_findings(user):
    """Punishable findings with neither a case nor an approved no-penalty reason (行政处罚法 第二十八条: 整改不能
    代替处罚; rules.md EN-32). A pending or rejected reason keeps the finding on the list."""
    approved = NoPenaltyReason.objects.filter(finding=OuterRef("pk"), status=ReviewStatus.APPROVED)
    pending = NoPenaltyReason.objects.filter(finding=OuterRef("pk"), status=ReviewStatus.PENDING)
    return (
        restrict(ViolationFinding.objects.all(), user)
        .filter(case__isnull=True)
        .annotate(has_approved=Exists(approved), has_pending=Exists(pending))
        .filter(has_approved=False)
        .select_related("enterprise", "territory", "sector", "provision")
    )


# --- repeat offenders ------------------------------------------------------------------------------------

# 安全生产法 第一百一十三条第(一)项 (rules.md HZ-64 ✅): a unit with a major hazard penalised 3 times within 180
# days or 4 times within a year → the department must ask the government to close it.
HZ64_WINDOWS = ((180, 3), (365, 4))
REPEAT_CASES_WINDOW_DAYS = 365
REPEAT_CASES_MIN = 2
REPEAT_MAJOR_FINDINGS_MIN = 2


@dataclass
class RepeatOffender:
    enterprise: object
    cases_year: int = 0
    decisions_180: int = 0
    decisions_365: int = 0
    major_findings: int = 0
    unrectified_major: int = 0
    reasons: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def repeat_offenders(user, today: date | None = None) -> list[RepeatOffender]:
    """Units with repeated cases or repeated/unrectified major hazards, with the suggested measures: 纳入黑名单
    (应急管理部令第11号) and 四个一律 (一律停产整顿、一律关闭取缔、一律上限处罚、一律追究责任 — policy, local ❓)."""
    from anjian.registry.models import Enterprise

    today = today or date.today()
    year_ago = today - timedelta(days=REPEAT_CASES_WINDOW_DAYS)
    half_year = today - timedelta(days=HZ64_WINDOWS[0][0])
    cases = (
        restrict(Case.objects.all(), user)
        .filter(enterprise__isnull=False, filed_on__gt=year_ago)
        .values("enterprise")
        .annotate(
            n=Count("id"),
            d365=Count("id", filter=Q(decided_on__gt=year_ago)),
            d180=Count("id", filter=Q(decided_on__gt=half_year)),
        )
    )
    findings = (
        restrict(ViolationFinding.objects.all(), user)
        .filter(is_major_hazard=True)
        .filter(Q(found_on__gt=year_ago) | Q(rectified=False))
        .values("enterprise")
        .annotate(n=Count("id", filter=Q(found_on__gt=year_ago)), open=Count("id", filter=Q(rectified=False)))
    )
    rows: dict[int, RepeatOffender] = {}
    for row in cases:
        r = rows.setdefault(row["enterprise"], RepeatOffender(None))
        r.cases_year, r.decisions_365, r.decisions_180 = row["n"], row["d365"], row["d180"]
    for row in findings:
        r = rows.setdefault(row["enterprise"], RepeatOffender(None))
        r.major_findings, r.unrectified_major = row["n"], row["open"]
    result = []
    for pk, r in rows.items():
        if r.cases_year >= REPEAT_CASES_MIN:
            r.reasons.append(f"近一年立案{r.cases_year}起")
        if r.major_findings >= REPEAT_MAJOR_FINDINGS_MIN:
            r.reasons.append(f"近一年重大事故隐患{r.major_findings}项")
        if r.unrectified_major:
            r.reasons.append(f"重大事故隐患未整改{r.unrectified_major}项")
        hz64 = r.major_findings and (r.decisions_180 >= 3 or r.decisions_365 >= 4)
        if hz64:
            r.reasons.append(
                "存在重大事故隐患且180日内3次或一年内4次受到行政处罚（安全生产法第一百一十三条）"
            )
        if not r.reasons:
            continue
        if hz64:
            r.suggestions += ["提请关闭", "吊销有关证照", "纳入黑名单"]
        if r.unrectified_major:
            r.suggestions += ["一律停产整顿", "一律上限处罚"]
        if r.cases_year >= REPEAT_CASES_MIN or r.major_findings >= REPEAT_MAJOR_FINDINGS_MIN:
            r.suggestions += ["纳入黑名单（符合应急管理部令第11号情形的）", "一律严肃追责"]
        r.suggestions = list(dict.fromkeys(r.suggestions))
        r.enterprise = pk
        result.append(r)
    enterprises = Enterprise.objects.in_bulk([r.enterprise for r in result])
    for r in result:
        r.enterprise = enterprises[r.enterprise]
    result.sort(key=lambda r: (-len(r.reasons), -r.cases_year, r.enterprise.name))
    return result


# --- 约谈 suggestions (rules.md §7.2) ------------------------------------------------------------------------

GRADE_ORDER = ["general", "larger", "major", "especially_major"]


@dataclass(frozen=True)
class TalkTrigger:
    ref: str
    target: str  # "unit" or "government"
    min_grade: str
    count: int
    window_days: int
    text: str

    @property
    def basis(self) -> str:
        return rules.talk_trigger_basis(self.ref)


# YT-05 🟡 (local copies of 安委〔2018〕2号 for lower governments) and YT-06 🟡 (enterprise 约谈). Configurable data.
TALK_TRIGGERS = (
    TalkTrigger("YT-05", "government", "major", 1, 183, "发生重大以上事故，约谈主要负责人"),
    TalkTrigger("YT-05", "government", "larger", 3, 183, "半年内发生3起较大事故，约谈主要负责人"),
    TalkTrigger("YT-05", "government", "larger", 2, 183, "半年内发生2起较大事故，约谈分管负责人"),
    TalkTrigger("YT-06", "unit", "major", 1, 183, "发生重大以上事故"),
    TalkTrigger("YT-06", "unit", "larger", 2, 183, "半年内发生2起较大事故"),
    TalkTrigger("YT-06", "unit", "general", 3, 183, "半年内发生3起一般事故"),
)


@dataclass
class TalkSuggestion:
    trigger: TalkTrigger
    target_name: str
    enterprise: object = None
    territory: object = None
    accidents: int = 0


def talk_suggestions(user, today: date | None = None) -> list[TalkSuggestion]:
    """Who should be summoned, computed from accident reports in the user's scope (towns below the user's
    territory, and units)."""
    Accident = apps.get_model("accidents", "Accident")
    today = today or date.today()
    window = max(t.window_days for t in TALK_TRIGGERS)
    since = today - timedelta(days=window)
    accidents = list(
        restrict(Accident.objects.all(), user)
        .filter(occurred_at__date__gt=since)
        .values("enterprise", "territory_path", "grade", "occurred_at")
    )
    suggestions: list[TalkSuggestion] = []
    # Lower governments: the towns/streets directly below the user's territory.
    towns = list(Territory.objects.filter(parent_id=user.territory_id)) if user.territory_id else []
    for trigger in TALK_TRIGGERS:
        low = GRADE_ORDER.index(trigger.min_grade)
        start = today - timedelta(days=trigger.window_days)
        hits = [
            a
            for a in accidents
            if a["grade"] in GRADE_ORDER
            and GRADE_ORDER.index(a["grade"]) >= low
            and a["occurred_at"].date() > start
        ]
        if trigger.target == "government":
            for town in towns:
                n = sum(1 for a in hits if a["territory_path"].startswith(town.path))
                if n >= trigger.count:
                    suggestions.append(TalkSuggestion(trigger, town.name, territory=town, accidents=n))
        else:
            counts: dict[int, int] = {}
            for a in hits:
                if a["enterprise"]:
                    counts[a["enterprise"]] = counts.get(a["enterprise"], 0) + 1
            if counts:
                from anjian.registry.models import Enterprise

                names = Enterprise.objects.in_bulk([pk for pk, n in counts.items() if n >= trigger.count])
                for pk, enterprise in names.items():
                    suggestions.append(
                        TalkSuggestion(trigger, enterprise.name, enterprise=enterprise, accidents=counts[pk])
                    )
    # One suggestion per target: the first (most serious) trigger wins.
    seen, unique = set(), []
    for s in suggestions:
        key = (s.trigger.target, s.target_name)
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


# --- figures -----------------------------------------------------------------------------------------------

FORMULAS = {
    "inspections": "执法检查次数 = 期间内执法检查记录数（inspections 模块）",
    "cases": "立案数 = 立案日期在期间内的案件数",
    "fines": "罚款金额 = 期间内作出决定的案件中已决定/已执行的罚款（含按日连续处罚的原处罚数额）合计",
    "execution_rate": "执行率 = 期间内作出决定的行政处罚中已执行的项数 ÷ 已决定的行政处罚项数",
    "penalty_rate": "处罚率 = 期间内发现的违法行为线索中已关联案件且作出处罚决定的数量 ÷ 违法行为线索数"
    "（按部门分组时，尚未立案的线索没有办案部门，只计入按区划的统计）",
}


@dataclass
class FigureRow:
    label: str
    inspections: int | None = 0
    cases: int = 0
    fines: Decimal = Decimal("0")
    penalties_decided: int = 0
    penalties_executed: int = 0
    findings: int = 0
    findings_punished: int = 0

    @property
    def execution_rate(self):
        return (
            None
            if not self.penalties_decided
            else round(self.penalties_executed * 100 / self.penalties_decided, 1)
        )

    @property
    def penalty_rate(self):
        return None if not self.findings else round(self.findings_punished * 100 / self.findings, 1)


PENALTY_MEASURES = [
    m.value
    for m in (
        rules.EnforcementMeasure.FINE,
        rules.EnforcementMeasure.DAILY_CONTINUOUS_FINE,
        rules.EnforcementMeasure.SUSPEND_FOR_RECTIFICATION,
        rules.EnforcementMeasure.CLOSE_AND_BAN,
        rules.EnforcementMeasure.SUSPEND_OR_REVOKE_LICENCE,
    )
]


def _inspection_counts(user, start, end, key):
    """Counts of inspection records if the inspections capability provides them (model `Inspection` with a
    territory path and a date field); None when it does not exist yet."""
    try:
        Inspection = apps.get_model("inspections", "Inspection")
    except LookupError:
        return None
    names = {f.name for f in Inspection._meta.concrete_fields}
    date_field = next(
        (n for n in ("inspected_on", "checked_on", "started_on", "date", "started_at") if n in names), None
    )
    if date_field is None or "territory_path" not in names:
        return None
    lookup = (
        f"{date_field}__date"
        if Inspection._meta.get_field(date_field).get_internal_type() == "DateTimeField"
        else date_field
    )
    qs = restrict(Inspection.objects.all(), user).filter(**{f"{lookup}__gte": start, f"{lookup}__lte": end})
    if key == "organisation":
        org_field = next((n for n in ("organisation", "department") if n in names), None)
        if org_field is None:
            return None
        return {r[org_field]: r["n"] for r in qs.values(org_field).annotate(n=Count("id"))}
    return {r["territory_path"]: r["n"] for r in qs.values("territory_path").annotate(n=Count("id"))}


def figures(
    user, start: date, end: date, group_by: str = "territory", territory=None
) -> tuple[list[FigureRow], FigureRow]:
    """The five figures per department (`organisation`) or per child territory of `territory` (default the
    user's own), for start..end inclusive. Aggregates by territory_path / organisation, then maps in Python:
    a fixed number of queries whatever the number of rows."""
    cases = restrict(Case.objects.all(), user)
    measures = restrict(Measure.objects.all(), user).filter(
        case__decided_on__gte=start, case__decided_on__lte=end, measure__in=PENALTY_MEASURES
    )
    findings = restrict(ViolationFinding.objects.all(), user).filter(found_on__gte=start, found_on__lte=end)
    key = "case__organisation" if group_by == "organisation" else "territory_path"
    case_rows = (
        cases.filter(filed_on__gte=start, filed_on__lte=end)
        .values("organisation" if group_by == "organisation" else "territory_path")
        .annotate(n=Count("id"))
    )
    measure_rows = measures.values(key).annotate(
        fines=Sum(
            "amount",
            filter=Q(measure__in=FINE_MEASURES, status__in=[MeasureStatus.DECIDED, MeasureStatus.EXECUTED]),
        ),
        decided=Count("id", filter=Q(status__in=[MeasureStatus.DECIDED, MeasureStatus.EXECUTED])),
        executed=Count("id", filter=Q(status=MeasureStatus.EXECUTED)),
    )
    finding_key = "case__organisation" if group_by == "organisation" else "territory_path"
    finding_rows = findings.values(finding_key).annotate(
        n=Count("id"), punished=Count("id", filter=Q(case__decided_on__isnull=False))
    )
    inspection_rows = _inspection_counts(user, start, end, group_by)

    if group_by == "organisation":
        ids = (
            {r["organisation"] for r in case_rows}
            | {r[key] for r in measure_rows}
            | {r[finding_key] for r in finding_rows if r[finding_key]}
            | {k for k in (inspection_rows or {}) if k}
        )
        orgs = Organisation.objects.in_bulk(ids)
        buckets = {pk: FigureRow(str(org)) for pk, org in sorted(orgs.items(), key=lambda kv: str(kv[1]))}

        def bucket_of(value):
            return buckets.get(value)

        case_key, m_key, f_key = "organisation", key, finding_key
    else:
        parent = territory or user.territory
        children = (
            list(Territory.objects.filter(parent=parent).order_by("sort_order", "code")) if parent else []
        )
        buckets = {c.path: FigureRow(c.name) for c in children}
        if parent is not None:
            buckets[parent.path] = FigureRow(f"{parent.name}（本级）")

        def bucket_of(path):
            if not path:
                return None
            best = None
            for prefix in buckets:
                if path.startswith(prefix) and (best is None or len(prefix) > len(best)):
                    best = prefix
            return buckets.get(best)

        case_key = m_key = f_key = "territory_path"
    for r in case_rows:
        b = bucket_of(r[case_key])
        if b:
            b.cases += r["n"]
    for r in measure_rows:
        b = bucket_of(r[m_key])
        if b:
            b.fines += r["fines"] or 0
            b.penalties_decided += r["decided"]
            b.penalties_executed += r["executed"]
    for r in finding_rows:
        b = bucket_of(r[f_key])
        if b:
            b.findings += r["n"]
            b.findings_punished += r["punished"]
    rows = list(buckets.values())
    if inspection_rows is None:
        for b in rows:
            b.inspections = None
    else:
        for b in rows:
            b.inspections = 0
        for k, n in inspection_rows.items():
            b = bucket_of(k)
            if b:
                b.inspections += n
    total = FigureRow(
        "合计", inspections=None if inspection_rows is None else sum(b.inspections for b in rows)
    )
    for b in rows:
        total.cases += b.cases
        total.fines += b.fines
        total.penalties_decided += b.penalties_decided
        total.penalties_executed += b.penalties_executed
        total.findings += b.findings
        total.findings_punished += b.findings_punished
    return rows, total
