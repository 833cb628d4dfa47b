"""The only functions that create accidents or change their figures, grade, report chain or status.

Pages and API call these; each one checks the role, locks the row, writes through the rules in `rules.py`,
re-checks scope and records a named audit action.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope

from . import rules
from .models import (
    Accident,
    AccidentKind,
    AccidentStatus,
    GradeChange,
    Investigation,
    Level,
    NearMissCriterion,
    ReportHop,
    ReportVersion,
    VersionKind,
)


@dataclass(frozen=True)
class Figures:
    """Casualties and loss as stated by one report (493号令 第十二条第（四）项)."""

    deaths: int = 0
    missing: int = 0
    serious_injuries: int = 0  # 含急性工业中毒 (493号令 第三条)
    minor_injuries: int = 0
    direct_loss: Decimal = Decimal("0")

    @classmethod
    def of(cls, obj) -> "Figures":
        return cls(obj.deaths, obj.missing, obj.serious_injuries, obj.minor_injuries, obj.direct_loss)

    def grade(self, version: str = rules.GRADING_RULES_VERSION) -> rules.AccidentGrade:
        return rules.accident_grade(
            self.deaths, self.serious_injuries, Decimal(self.direct_loss), version=version
        )

    def apply_to(self, obj) -> None:
        obj.deaths = self.deaths
        obj.missing = self.missing
        obj.serious_injuries = self.serious_injuries
        obj.minor_injuries = self.minor_injuries
        obj.direct_loss = self.direct_loss


FIGURE_FIELDS = ("deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss")


def _require(user, code: str) -> None:
    if not has_perm(user, code):
        raise PermissionDenied("您的角色无权进行此操作。")


def occurred_on(accident: Accident) -> date:
    return timezone.localdate(accident.occurred_at)


# -------------------------------------------------------------------------------------------------------
# Filing and 补报
# -------------------------------------------------------------------------------------------------------


@transaction.atomic
def file_accident(
    user,
    accident: Accident,
    figures: Figures,
    *,
    county_received_at: datetime | None = None,
    reporter: str = "",
    receiver: str = "",
    reported_at: datetime | None = None,
) -> Accident:
    """File the first report (首报). ``accident`` is an unsaved instance with the descriptive fields set.

    An enterprise user files for their own unit only: that is the unit's report to the county
    (493号令 第九条), so the county hop is received at filing time. Government staff record when the county
    department actually received it (``county_received_at``), or leave it open.
    """
    _require(user, "accidents.add_accident")
    # ``reported_at``: when the report was made, if it is entered afterwards (old ledgers, demo data).
    now = _report_time(reported_at)
    if user.role == Role.ENTERPRISE:
        accident.enterprise = user.enterprise
        county_received_at = county_received_at or now
    if accident.enterprise_id:
        accident.unit_name = accident.enterprise.name
        if not accident.territory_id:
            accident.territory = accident.enterprise.territory
    if accident.unit_received_at is None:
        accident.unit_received_at = accident.occurred_at
    if accident.kind == AccidentKind.OTHER and rules.is_road_or_fire(
        rules.IndustryGroup(accident.industry_group)
    ):
        accident.kind = accident.industry_group  # the 道路交通/火灾 groups name the kind as well
    if accident.occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "事故发生时间不能晚于当前时间。"})
    if accident.occurred_at > now:
        raise ValidationError("报告时间不能早于事故发生时间。")
    accident.full_clean(exclude=["created_by", "supplement_until"])
    check_near_miss(accident, figures)
    grade = figures.grade()
    figures.apply_to(accident)
    accident.grade = grade.value
    accident.grading_rules_version = rules.GRADING_RULES_VERSION
    accident.created_by = user
    accident.supplement_until = rules.supplement_deadline(occurred_on(accident), accident.road_or_fire)
    accident.follow_up_due = now + rules.follow_up_interval(
        rules.reporting_grade(grade, accident.is_near_miss)
    )
    accident.save()
    version = ReportVersion.objects.create(
        accident=accident,
        number=1,
        kind=VersionKind.INITIAL,
        as_of=occurred_on(accident),
        reported_at=now,
        reported_by=user,
        grade=grade.value,
        counts=True,
        **{name: getattr(figures, name) for name in FIGURE_FIELDS},
    )
    GradeChange.objects.create(
        accident=accident,
        version=version,
        old_grade="",
        new_grade=grade.value,
        rules_version=rules.GRADING_RULES_VERSION,
        changed_at=now,
    )
    sync_chain(accident, required_since=accident.unit_received_at)
    if county_received_at is not None:
        hop = accident.hops.get(level=Level.COUNTY)
        _mark_hop(
            hop, user, county_received_at, county_received_at, reporter or accident.unit_display, receiver
        )
    ensure_in_scope(user, accident)
    if accident.is_near_miss:
        record_action(
            accident, "accident.reported", f"首报：较大涉险事故（{accident.near_miss_criteria_display}）"
        )
    else:
        record_action(accident, "accident.reported", f"首报：{grade.label}事故，死亡{figures.deaths}人")
    return accident


def check_near_miss(accident: Accident, figures: Figures) -> None:
    """AC-04 ❓: a 较大涉险事故 names at least one of the listed situations, and has no death or serious injury — an
    event that killed or seriously injured somebody is a production-safety accident (493号令 第三条) and is
    reported and counted as one (judgement: otherwise a fatal event could be kept out of the statistics)."""
    if not accident.is_near_miss:
        if accident.near_miss_criteria:
            raise ValidationError({"near_miss_criteria": "只有较大涉险事故填写涉险情形。"})
        return
    known = set(NearMissCriterion.values)
    criteria = [c for c in accident.near_miss_criteria or [] if c in known]
    if not criteria or len(criteria) != len(accident.near_miss_criteria or []):
        raise ValidationError({"near_miss_criteria": "较大涉险事故须选择至少一项涉险情形。"})
    if figures.deaths or figures.serious_injuries:
        raise ValidationError(
            {"is_near_miss": "有人员死亡或重伤的，是生产安全事故，应按事故报告，不能登记为较大涉险事故。"}
        )


def _report_time(reported_at: datetime | None) -> datetime:
    now = timezone.now()
    if reported_at is None:
        return now
    if reported_at > now:
        raise ValidationError("报告时间不能晚于当前时间。")
    return reported_at


def _lock(accident: Accident) -> Accident:
    return Accident.reports.select_for_update().get(pk=accident.pk)


def _effective_version(accident: Accident) -> ReportVersion:
    """The version whose figures count: latest change date inside the window (493号令 第十三条), ties → the
    later report."""
    return accident.versions.filter(counts=True).order_by("-as_of", "-number").first()


@transaction.atomic
def supplement(
    user,
    accident: Accident,
    figures: Figures,
    *,
    as_of: date,
    note: str = "",
    reported_at: datetime | None = None,
) -> ReportVersion:
    """Record a 补报 as a new version. Inside the 30/7-day window it becomes the accident's figures and may
    change the grade; after the window it is kept but does not change grade or statistics (493号令 第十三条)."""
    _require(user, "accidents.supplement_accident")
    accident = _lock(accident)
    ensure_in_scope(user, accident)
    if accident.status == AccidentStatus.CLOSED:
        raise ValidationError("事故已结案，不能再补报。")
    start = occurred_on(accident)
    today = timezone.localdate()
    if as_of < start:
        raise ValidationError({"as_of": "情况变化日期不能早于事故发生日期。"})
    if as_of > today:
        raise ValidationError({"as_of": "情况变化日期不能晚于今天。"})
    if Figures.of(accident) == figures and not note.strip():
        raise ValidationError("补报内容与当前数字相同，请填写变化的数字或说明。")
    now = _report_time(reported_at)
    if now < accident.occurred_at or timezone.localdate(now) < as_of:
        raise ValidationError("报告时间不能早于情况变化日期。")
    counts = rules.supplement_allowed(start, as_of, accident.road_or_fire)
    number = (accident.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    changed = Figures.of(accident) != figures
    version = ReportVersion.objects.create(
        accident=accident,
        number=number,
        kind=VersionKind.SUPPLEMENT if changed else VersionKind.FOLLOW_UP,
        as_of=as_of,
        reported_at=now,
        reported_by=user,
        grade=figures.grade(accident.grading_rules_version).value,
        counts=counts,
        note=note,
        **{name: getattr(figures, name) for name in FIGURE_FIELDS},
    )
    if accident.response_ended_at is None:
        # The next 续报 is due one interval after this report (AC-22 ❓), at the grade known after it.
        accident.follow_up_due = now + rules.follow_up_interval(
            rules.reporting_grade(
                figures.grade(accident.grading_rules_version)
                if counts
                else rules.AccidentGrade(accident.grade),
                accident.is_near_miss,
            )
        )
        accident.save(update_fields=["follow_up_due", "updated_at"])
    if not changed:
        record_action(accident, "accident.followed_up", f"第{number}版续报：{note.strip()}")
    elif counts:
        refresh_figures(accident, version, now)
        record_action(
            accident, "accident.supplemented", f"第{number}版补报（{as_of:%Y-%m-%d}）：死亡{figures.deaths}人"
        )
    else:
        record_action(
            accident,
            "accident.supplemented_late",
            f"第{number}版补报（{as_of:%Y-%m-%d}）超过补报期限 {accident.supplement_until:%Y-%m-%d}，"
            "已记录，不改变事故等级和统计（493号令 第十三条）",
        )
    return version


@transaction.atomic
def end_response(user, accident: Accident, *, ended_at: datetime, note: str = "") -> Accident:
    """应急处置结束: no further 续报 is due (AC-22 ❓); 补报 of casualty changes stays open for its window."""
    _require(user, "accidents.supplement_accident")
    accident = _lock(accident)
    ensure_in_scope(user, accident)
    if accident.response_ended_at is not None:
        raise ValidationError("已登记应急处置结束。")
    if ended_at < accident.occurred_at or ended_at > timezone.now():
        raise ValidationError({"ended_at": "应急处置结束时间应在事故发生之后、当前时间之前。"})
    accident.response_ended_at = ended_at
    accident.follow_up_due = None
    accident.save(update_fields=["response_ended_at", "follow_up_due", "updated_at"])
    message = f"应急处置结束（{timezone.localtime(ended_at):%Y-%m-%d %H:%M}），不再续报"
    record_action(
        accident, "accident.response_ended", message + (f"。{note.strip()}" if note.strip() else "")
    )
    return accident


def refresh_figures(accident: Accident, trigger: ReportVersion, now: datetime) -> None:
    """Copy the effective version's figures onto the accident; log a grade change and extend the chain."""
    effective = _effective_version(accident)
    old_grade = rules.AccidentGrade(accident.grade)
    figures = Figures.of(effective)
    new_grade = figures.grade(accident.grading_rules_version)
    figures.apply_to(accident)
    accident.grade = new_grade.value
    became_accident = accident.is_near_miss and bool(figures.deaths or figures.serious_injuries)
    if became_accident:
        # AC-04 ❓: a death or serious injury reported within the window makes the near miss an accident — from
        # now on it has a grade and counts in the statistics.
        accident.is_near_miss = False
    accident.save()
    if became_accident:
        record_action(
            accident,
            "accident.became_accident",
            f"补报出现人员死亡或重伤，由较大涉险事故转为{new_grade.label}生产安全事故，计入事故统计",
        )
        sync_chain(accident, required_since=now)
    if new_grade is not old_grade:
        takeover = rules.takeover_possible(
            old_grade, new_grade, occurred_on(accident), trigger.as_of, accident.road_or_fire
        )
        GradeChange.objects.create(
            accident=accident,
            version=trigger,
            old_grade=old_grade.value,
            new_grade=new_grade.value,
            rules_version=accident.grading_rules_version,
            changed_at=now,
            takeover_possible=takeover,
        )
        message = f"事故等级由{old_grade.label}变为{new_grade.label}"
        if takeover:
            message += "；上级人民政府可以另行组织事故调查组（493号令 第二十条第二款）"
        record_action(accident, "accident.regraded", message)
        sync_chain(accident, required_since=now)


# -------------------------------------------------------------------------------------------------------
# The report chain (493号令 第九、十、十一条)
# -------------------------------------------------------------------------------------------------------


def sync_chain(accident: Accident, required_since: datetime) -> None:
    """Make the hops match the chain the current grade requires and recompute open deadlines.

    A level that became required by a later 补报 counts its allowance from that moment, not from the day the
    accident happened (judgement: the lower level could not have known earlier).
    """
    chain = [Level(level.value) for level in rules.reporting_chain(accident.reporting_grade)]
    hops = {hop.level: hop for hop in accident.hops.all()}
    for level in chain:
        if level not in hops:
            hops[level] = ReportHop(accident=accident, level=level, required_since=required_since)
    previous_level, previous_time = rules.AdminLevel.UNIT, accident.unit_received_at
    for level in chain:
        hop = hops[level]
        base = max(previous_time, hop.required_since or previous_time)
        deadline = rules.next_deadline(base, previous_level)
        changed = hop.pk is None or not hop.required
        hop.required = True
        if hop.received_at is None and hop.deadline != deadline:
            hop.deadline = deadline
            changed = True
        if changed:
            hop.save()
        previous_level = rules.AdminLevel(level.value)
        previous_time = hop.received_at or hop.deadline
    for level, hop in hops.items():
        if level not in chain and hop.required and hop.received_at is None:
            hop.required = False
            hop.save(update_fields=["required"])


def _mark_hop(hop: ReportHop, user, reported_at, received_at, reporter, receiver, note=""):
    hop.reported_at = reported_at
    hop.received_at = received_at
    hop.reporter = reporter[:100]
    hop.receiver = receiver[:100]
    hop.recorded_by = user
    hop.note = note[:200]
    # 迟报 (应急管理部令第14号): the level had the report later than its deadline.
    hop.late = rules.is_late(hop.deadline, received_at)
    hop.save()


@transaction.atomic
def record_hop(
    user, hop: ReportHop, *, received_at: datetime, reported_at=None, reporter="", receiver="", note=""
) -> ReportHop:
    """Record that a level received the report; the next level's deadline then counts from this receipt."""
    _require(user, "accidents.record_hop")
    accident = _lock(hop.accident)
    ensure_in_scope(user, accident)
    hop = ReportHop.objects.select_for_update().get(pk=hop.pk)
    if hop.received_at is not None:
        raise ValidationError("该层级的接报已登记，不能重复登记。")
    if received_at < accident.occurred_at:
        raise ValidationError({"received_at": "接报时间不能早于事故发生时间。"})
    if received_at > timezone.now():
        raise ValidationError({"received_at": "接报时间不能晚于当前时间。"})
    chain = [Level(level.value) for level in rules.reporting_chain(accident.grade_enum)]
    if hop.level in chain:
        index = chain.index(hop.level)
        if index > 0:
            previous = accident.hops.get(level=chain[index - 1])
            if previous.received_at is None:
                raise ValidationError(f"请先登记{previous.get_level_display()}接报（逐级上报）。")
            if received_at < previous.received_at:
                raise ValidationError({"received_at": "接报时间不能早于下一级接报时间。"})
    reported_at = reported_at or received_at
    _mark_hop(hop, user, reported_at, received_at, reporter, receiver, note)
    sync_chain(accident, required_since=accident.unit_received_at)
    label = hop.get_level_display()
    message = f"{label}接报 {timezone.localtime(received_at):%Y-%m-%d %H:%M}"
    if hop.late:
        message += f"，超过时限 {timezone.localtime(hop.deadline):%Y-%m-%d %H:%M}，迟报"
    record_action(accident, "accident.hop_recorded", message)
    return hop


def hop_overdue(hop: ReportHop, now: datetime | None = None) -> bool:
    return hop.required and hop.received_at is None and (now or timezone.now()) > hop.deadline


# -------------------------------------------------------------------------------------------------------
# Investigation (493号令 第四章) and the status transitions
# -------------------------------------------------------------------------------------------------------

OFFICE_SIDE = frozenset({Role.OFFICE, Role.INSPECTOR, Role.TOWN})

# (state, action) -> (next state, roles allowed). Guards below give the human reason for a refusal.
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset]] = {
    (AccidentStatus.REPORTED, "open_investigation"): (AccidentStatus.INVESTIGATING, OFFICE_SIDE),
    (AccidentStatus.INVESTIGATING, "submit_report"): (AccidentStatus.REPORT_SUBMITTED, OFFICE_SIDE),
    (AccidentStatus.REPORT_SUBMITTED, "close"): (AccidentStatus.CLOSED, frozenset({Role.OFFICE})),
}
ACTION_LABELS = {"open_investigation": "启动调查", "submit_report": "提交调查报告", "close": "结案"}


def allowed_actions(user, accident: Accident) -> list[str]:
    return [
        action
        for (state, action), (_next, roles) in TRANSITIONS.items()
        if state == accident.status and user.role in roles
    ]


def _transition(user, accident: Accident, action: str) -> None:
    accident.status = _next_state(user, accident, action)
    accident.save(update_fields=["status", "updated_at"])


def _next_state(user, accident: Accident, action: str) -> str:
    """The state ``action`` leads to, or the reason it is refused."""
    key = (accident.status, action)
    if key not in TRANSITIONS:
        raise ValidationError(
            f"事故当前状态为“{accident.get_status_display()}”，不能{ACTION_LABELS[action]}。"
        )
    next_state, roles = TRANSITIONS[key]
    if user.role not in roles:
        raise PermissionDenied(f"您的角色不能{ACTION_LABELS[action]}。")
    return next_state


def compute_investigation_deadline(accident: Accident, extension_days: int, appraisal_days: int) -> date:
    # 493号令 第二十九条 (60日, 延长≤60日) and 第二十七条 (技术鉴定时间不计入).
    return rules.investigation_deadline(occurred_on(accident), extension_days, appraisal_days)


@transaction.atomic
def open_investigation(
    user, accident: Accident, *, body: str, started_on: date, unit_entrusted: bool = False
) -> Investigation:
    _require(user, "accidents.change_investigation")
    accident = _lock(accident)
    ensure_in_scope(user, accident)
    has_casualties = bool(
        accident.deaths or accident.missing or accident.serious_injuries or accident.minor_injuries
    )
    authority = rules.investigating_level(accident.grade_enum, has_casualties)
    # 493号令 第十九条第三款: only a 一般 accident without casualties may be entrusted to the unit itself.
    if unit_entrusted and not authority.unit_may_be_entrusted:
        raise ValidationError(
            {"unit_entrusted": "只有未造成人员伤亡的一般事故，才可委托事故发生单位组织调查。"}
        )
    if started_on < occurred_on(accident):
        raise ValidationError({"started_on": "调查组成立日期不能早于事故发生日期。"})
    _transition(user, accident, "open_investigation")
    investigation = Investigation.objects.create(
        accident=accident,
        level=authority.level.value,
        body=body,
        unit_entrusted=unit_entrusted,
        started_on=started_on,
        deadline=compute_investigation_deadline(accident, 0, 0),
    )
    record_action(
        accident,
        "accident.investigation_opened",
        f"{authority.level.label}人民政府组织调查（{body}），报告期限 {investigation.deadline:%Y-%m-%d}",
    )
    return investigation


def _lock_investigation(user, investigation: Investigation) -> Investigation:
    _require(user, "accidents.change_investigation")
    inv = Investigation.objects.select_for_update().select_related("accident").get(pk=investigation.pk)
    ensure_in_scope(user, inv.accident)
    if inv.submitted_on is not None:
        raise ValidationError("调查报告已提交，调查期限不能再变更。")
    return inv


@transaction.atomic
def extend_investigation(user, investigation: Investigation, *, days: int, reason: str) -> Investigation:
    """493号令 第二十九条: 特殊情况下经批准可以适当延长, 但延长的期限最长不超过60日 — one extension."""
    inv = _lock_investigation(user, investigation)
    if inv.extension_days:
        raise ValidationError("调查期限只能延长一次。")
    if days < 1 or days > rules.INVESTIGATION_MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延长天数应为 1 至 {rules.INVESTIGATION_MAX_EXTENSION_DAYS} 日。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写延长理由。"})
    old = inv.deadline
    inv.extension_days = days
    inv.extension_reason = reason
    inv.deadline = compute_investigation_deadline(inv.accident, days, inv.appraisal_days)
    inv.save()
    record_action(
        inv.accident, "accident.investigation_extended", f"调查期限延长{days}日：{old} → {inv.deadline}"
    )
    return inv


@transaction.atomic
def set_appraisal_days(user, investigation: Investigation, *, days: int) -> Investigation:
    """493号令 第二十七条: 技术鉴定所需时间不计入事故调查期限."""
    inv = _lock_investigation(user, investigation)
    if days < 0 or days > 365:
        raise ValidationError({"days": "技术鉴定天数应为 0 至 365 日。"})
    inv.appraisal_days = days
    inv.deadline = compute_investigation_deadline(inv.accident, inv.extension_days, days)
    inv.save()
    record_action(
        inv.accident, "accident.appraisal_recorded", f"技术鉴定{days}日，调查期限顺延至 {inv.deadline}"
    )
    return inv


@transaction.atomic
def submit_report(user, investigation: Investigation, *, submitted_on: date) -> Investigation:
    inv = _lock_investigation(user, investigation)
    accident = _lock(inv.accident)
    missing = []
    if not inv.findings.strip():
        missing.append("调查结论")
    if inv.nature == "undetermined":
        missing.append("事故性质")
    if any(getattr(inv, name) is None for name, _ in Investigation.FOUR_CHECKS):
        missing.append("责任倒查（四个是否到位）")
    if missing:
        raise ValidationError(f"提交调查报告前请先填写：{'、'.join(missing)}。")
    if submitted_on < inv.started_on or submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": "提交日期应在调查组成立之后且不晚于今天。"})
    _transition(user, accident, "submit_report")
    inv.submitted_on = submitted_on
    inv.save()
    late = " （超过期限）" if submitted_on > inv.deadline else ""
    record_action(accident, "accident.report_submitted", f"调查报告于 {submitted_on} 提交{late}")
    return inv


@transaction.atomic
def close_accident(user, accident: Accident, *, closed_on: date) -> Accident:
    _require(user, "accidents.change_investigation")
    accident = _lock(accident)
    ensure_in_scope(user, accident)
    _next_state(user, accident, "close")  # refuse before touching the investigation
    inv = accident.investigation
    if closed_on < inv.submitted_on or closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "结案日期应在调查报告提交之后且不晚于今天。"})
    _transition(user, accident, "close")
    inv.closed_on = closed_on
    inv.save()
    reply_due = rules.reply_deadline(accident.grade_enum, inv.submitted_on)
    late = "（超过批复期限）" if closed_on > reply_due else ""
    record_action(accident, "accident.closed", f"调查报告批复、结案 {closed_on}{late}")
    return accident


FINDING_FIELDS = (
    "direct_cause",
    "indirect_cause",
    "nature",
    "findings",
    "investment_ok",
    "deployment_ok",
    "supervision_ok",
    "urging_ok",
    "review_notes",
    "follow_up",
)


@transaction.atomic
def update_findings(user, investigation: Investigation, data: dict) -> Investigation:
    """Findings, nature, the four checks (安全投入、安排部署、监督管理、督促检查是否到位) and follow-up."""
    _require(user, "accidents.change_investigation")
    inv = Investigation.objects.select_for_update().select_related("accident").get(pk=investigation.pk)
    ensure_in_scope(user, inv.accident)
    if inv.accident.status == AccidentStatus.CLOSED:
        raise ValidationError("事故已结案，调查情况不能再修改。")
    for name in FINDING_FIELDS:
        if name in data:
            setattr(inv, name, data[name])
    inv.save()  # field diff is recorded automatically (Audited)
    not_ok = [label for name, label in Investigation.FOUR_CHECKS if getattr(inv, name) is False]
    if not_ok:
        record_action(inv.accident, "accident.review_recorded", f"责任倒查：{'、'.join(not_ok)}不到位")
    return inv


@transaction.atomic
def add_party(user, investigation: Investigation, data: dict):
    from .models import ResponsibleParty

    _require(user, "accidents.change_investigation")
    inv = Investigation.objects.select_for_update().select_related("accident").get(pk=investigation.pk)
    ensure_in_scope(user, inv.accident)
    if inv.accident.status == AccidentStatus.CLOSED:
        raise ValidationError("事故已结案，不能再添加责任人员/单位。")
    party = ResponsibleParty.objects.create(investigation=inv, **data)
    record_action(inv.accident, "accident.party_added", f"认定{party.get_kind_display()}：{party}")
    return party


AUDIT_ACTIONS = {
    "accident.imported": "按原台账导入",
    "accident.review_recorded": "责任倒查",
    "accident.party_added": "认定责任人员/单位",
    "accident.reported": "事故首报",
    "accident.supplemented": "事故补报",
    "accident.followed_up": "事故续报",
    "accident.response_ended": "应急处置结束",
    "accident.supplemented_late": "超期补报（不计入）",
    "accident.regraded": "事故等级变更",
    "accident.became_accident": "较大涉险事故转为事故",
    "accident.hop_recorded": "登记逐级上报",
    "accident.investigation_opened": "启动事故调查",
    "accident.investigation_extended": "延长调查期限",
    "accident.appraisal_recorded": "登记技术鉴定",
    "accident.report_submitted": "提交调查报告",
    "accident.closed": "事故结案",
}
