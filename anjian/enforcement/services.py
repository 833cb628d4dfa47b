"""Enforcement state changes: the only code that opens cases, moves stages, decides, executes measures,
issues numbered documents and reviews no-penalty reasons. Each function locks, checks, writes and audits.

Who may do what is the table CASE_ACTION_RULES (roles + guard → Chinese reason); the stage graph itself is
rules.CASE_TRANSITIONS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.documents import next_document_number
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope

from . import publication, rules
from .models import (
    DOCUMENT_CODES,
    Case,
    CaseDocument,
    DocumentKind,
    Measure,
    MeasureStatus,
    NoPenaltyReason,
    ReviewStatus,
    ViolationFinding,
)

A = rules.CaseAction
S = rules.CaseStage
M = rules.EnforcementMeasure
HANDLER_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})

# Which 行政处罚法 第九条 type a measure is, for the hearing rule (第六十三条).
PENALTY_TYPE_OF_MEASURE = {
    M.FINE.value: rules.PenaltyType.FINE,
    M.DAILY_CONTINUOUS_FINE.value: rules.PenaltyType.FINE,
    M.SUSPEND_FOR_RECTIFICATION.value: rules.PenaltyType.SUSPEND_OPERATIONS,
    M.CLOSE_AND_BAN.value: rules.PenaltyType.ORDER_CLOSURE,
    M.SUSPEND_OR_REVOKE_LICENCE.value: rules.PenaltyType.REVOKE_LICENCE,
}


def work_calendar() -> rules.WorkCalendar:
    """The official holiday schedule (rules.md R-0.3; 行政处罚法 第八十五条), maintained as data in workdays."""
    from anjian.workdays.services import work_calendar as official

    return official()


def large_fine_threshold():
    """较大数额罚款 (行政处罚法 第六十三条第一款第(一)项) is set by provinces/ministries: a tenant setting."""
    from decimal import Decimal

    value = getattr(settings, "ANJIAN_LARGE_FINE_THRESHOLD", None)
    return None if value in (None, "") else Decimal(str(value))


def large_fine_threshold_note() -> str:
    """Which 较大数额罚款 threshold the hearing rule uses and where it comes from, for the case page. The domain
    notes give no national default (rules.md EN-15: provinces and ministries set it), so none is shipped."""
    threshold = large_fine_threshold()
    if threshold is None:
        return (
            "本系统未配置较大数额罚款标准（行政处罚法 第六十三条第一款第(一)项由省、自治区、直辖市或国务院部门规定）："
            "罚款是否须告知听证，请按本地规定判断；责令停产停业、关闭等处罚仍自动告知听证。"
        )
    return (
        f"较大数额罚款标准：{rules.format_yuan(threshold)}（本系统按本地规定配置；行政处罚法 第六十三条第一款第(一)项），"
        "拟罚款达到该数额的，告知当事人有权要求听证。"
    )


# --- guards ------------------------------------------------------------------------------------------------


def _set_measures(case, status) -> None:
    """Proposed measures take the case's outcome, each saved on its own so its history records the change."""
    for measure in Measure.objects.filter(case=case, status=MeasureStatus.PROPOSED).order_by("id"):
        measure.status = status
        measure.save(update_fields=["status"])


def _penalties(case: Case):
    return [
        m
        for m in case.measures.all()
        if m.status != MeasureStatus.CANCELLED and m.measure in PENALTY_TYPE_OF_MEASURE
    ]


def _guard_officers(case: Case) -> str | None:
    """行政处罚法 第四十二条 (rules.md EN-31): 执法人员不得少于两人, each holding a law-enforcement certificate.
    Checked before the party is told of an intended penalty, before the decision and before an on-site or
    compulsory measure is issued (rules.officers_problem is shared with inspection records)."""
    return rules.officers_problem(
        (case.handler, case.co_handler), shortfall_hint="请先在案件中指定持有执法证的协办人。"
    )


def _guard_notify(case: Case, user, params) -> str | None:
    why = _guard_officers(case)
    if why:
        return why
    # 行政处罚法 第四十四条: the notice states the intended penalty and its basis.
    penalties = _penalties(case)
    if not penalties:
        return "尚未拟定行政处罚（罚款、停产停业整顿、关闭取缔或暂扣/吊销证照），不能告知。"
    if not case.provisions.exists() and not any(m.provision_id for m in penalties):
        return "尚未选择法律依据，不能告知。"
    return None


def _guard_approver(case: Case, user, params) -> str | None:
    # 负责人审批: the decision is approved by someone other than the officers handling the case
    # (行政处罚法 第五十七条 "行政机关负责人…作出决定").
    if user.pk in (case.handler_id, case.co_handler_id):
        return "处罚决定须由承办人、协办人以外的负责人审批。"
    return None


def _guard_decide(case: Case, user, params) -> str | None:
    why = _guard_approver(case, user, params) or _guard_officers(case)
    if why:
        return why
    # 行政处罚法 第六十二条/第六十四条: no decision before the party was heard.
    if case.hearing_requested and not case.hearing_held_on:
        return "当事人已申请听证，须举行听证后才能作出决定。"
    today = params.get("today") or timezone.localdate()
    if (
        not case.hearing_waived
        and not case.hearing_requested
        and case.hearing_deadline
        and today <= case.hearing_deadline
    ):
        return f"陈述申辩/听证申请期限（{case.hearing_deadline}）未届满，当事人也未放弃，暂不能作出决定。"
    for measure in _penalties(case):
        if measure.is_fine:
            try:
                measure.full_clean()
            except ValidationError as exc:
                return "罚款不符合法律依据：" + "；".join(exc.messages)
    return None


def _guard_no_penalty(case: Case, user, params) -> str | None:
    if not (params.get("note") or "").strip():
        return "请填写不予处罚的理由（行政处罚法 第五十七条）。"
    return _guard_approver(case, user, params)


def _guard_serve(case: Case, user, params) -> str | None:
    kinds = {DocumentKind.DECISION_UNIT, DocumentKind.DECISION_PERSON}
    if not case.documents.filter(kind__in=kinds).exists():
        return "尚未制作行政处罚决定书，不能送达执行。"
    return None


def _guard_court(case: Case, user, params) -> str | None:
    today = params.get("today") or timezone.localdate()
    if not case.payment_due or today <= case.payment_due:
        return "缴款期限尚未届满，不能申请人民法院强制执行（行政处罚法 第七十二条）。"
    return None


def _guard_transfer(case: Case, user, params) -> str | None:
    if not (params.get("transfer_to") or "").strip():
        return "请填写接收移送的司法机关或部门。"
    return None


def _guard_close(case: Case, user, params) -> str | None:
    if case.stage == S.EXECUTION.value:
        pending = [m for m in _penalties(case) if m.status != MeasureStatus.EXECUTED]
        if pending:
            return "尚有未执行完毕的处罚：" + "、".join(str(m) for m in pending)
    return None


@dataclass(frozen=True)
class ActionRule:
    roles: frozenset
    guard: Callable | None = None


CASE_ACTION_RULES: dict[rules.CaseAction, ActionRule] = {
    A.INVESTIGATE: ActionRule(HANDLER_ROLES),
    A.NOTIFY: ActionRule(HANDLER_ROLES, _guard_notify),
    A.REINVESTIGATE: ActionRule(HANDLER_ROLES),
    A.DECIDE: ActionRule(HANDLER_ROLES, _guard_decide),
    A.NO_PENALTY: ActionRule(HANDLER_ROLES, _guard_no_penalty),
    A.SERVE_AND_EXECUTE: ActionRule(HANDLER_ROLES, _guard_serve),
    A.APPLY_COURT_ENFORCEMENT: ActionRule(HANDLER_ROLES, _guard_court),
    A.TRANSFER: ActionRule(HANDLER_ROLES, _guard_transfer),
    A.RETURNED: ActionRule(HANDLER_ROLES),
    A.CLOSE: ActionRule(HANDLER_ROLES, _guard_close),
}


def refusal(case: Case, action, user, **params) -> str | None:
    """Why `user` may not do `action` on `case` now (Chinese); None when allowed."""
    action = rules.CaseAction(action)
    try:
        rules.next_stage(case.stage, action)
    except rules.IllegalTransition as exc:
        return str(exc)
    rule = CASE_ACTION_RULES[action]
    if user.role not in rule.roles:
        return f"您的角色无权「{action.label}」。"
    return rule.guard(case, user, params) if rule.guard else None


def available_actions(case: Case, user) -> list[tuple[rules.CaseAction, str | None]]:
    """Each action of the current stage with its refusal reason (None = allowed): pages show both."""
    return [(a, refusal(case, a, user)) for a in rules.allowed_actions(case.stage)]


# --- cases -------------------------------------------------------------------------------------------------


def _case_number(case: Case) -> str:
    year = case.filed_on.year
    seq = next_document_number(f"enforcement.case.{case.organisation_id}", year)
    prefix = (case.organisation.short_name or case.organisation.name) + "立"
    return rules.format_document_number(prefix, year, seq)


def open_case(case: Case, user, findings=()) -> Case:
    """立案 (行政处罚法 第五十四条). `case` is an unsaved, validated instance; the user becomes the handler."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权立案。")
    if not user.organisation_id:
        raise PermissionDenied("您的账号未归属办案机关，不能立案。")
    with transaction.atomic():
        case.handler = user
        case.organisation = user.organisation
        case.stage = S.FILED.value
        case.decision_due = rules.decision_deadline(case.filed_on)  # 行政处罚法 第六十条: 90 days
        case.number = _case_number(case)
        case.full_clean(exclude=["number"])
        case.save()
        ensure_in_scope(user, case)
        for finding in findings:
            link_finding(finding, case, user)
        record_action(case, "enforcement.case_opened", f"立案：{case.number}，办案期限至{case.decision_due}")
    return case


def transition(case: Case, action, user, note: str = "", **params) -> Case:
    """Move a case through one action of rules.CASE_TRANSITIONS, after the role and guard checks."""
    action = rules.CaseAction(action)
    today = params.get("today") or timezone.localdate()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        why = refusal(locked, action, user, note=note, **params)
        if why:
            raise ValidationError(why)
        old = locked.stage_enum
        new = rules.next_stage(old, action)
        locked.stage = new.value
        message = f"{old.label} → {new.label}（{action.label}）"
        if action is A.NOTIFY:
            penalties = _penalties(locked)
            fines = sum((m.amount or 0) for m in penalties if m.is_fine)
            locked.notified_on = today
            locked.hearing_offered = rules.hearing_must_be_offered(
                [PENALTY_TYPE_OF_MEASURE[m.measure] for m in penalties], fines, large_fine_threshold()
            )
            locked.hearing_deadline = rules.hearing_request_deadline(today, work_calendar())
            locked.hearing_requested = locked.hearing_waived = False
            locked.hearing_held_on = None
            message += (
                f"；{'告知听证权利，' if locked.hearing_offered else ''}申请期限至{locked.hearing_deadline}"
            )
        elif action is A.DECIDE:
            locked.decided_on = today
            locked.approved_by = user
            _set_measures(locked, MeasureStatus.DECIDED)
            message += f"；负责人审批：{user.get_full_name() or user.username}"
        elif action is A.NO_PENALTY:
            locked.closed_on = today
            locked.approved_by = user
            _set_measures(locked, MeasureStatus.CANCELLED)
        elif action is A.SERVE_AND_EXECUTE:
            locked.served_on = params.get("served_on") or today
            if any(m.is_fine for m in _penalties(locked)):
                locked.payment_due = rules.payment_deadline(locked.served_on)  # 第六十七条: 15 日
                message += f"；缴款期限{locked.payment_due}"
        elif action is A.TRANSFER:
            locked.transfer_to = params["transfer_to"].strip()
            message += f"；移送至{locked.transfer_to}"
        elif action is A.CLOSE:
            locked.closed_on = today
        if note.strip():
            locked.outcome_note = (locked.outcome_note + "\n" if locked.outcome_note else "") + note.strip()
            message += f"。说明：{note.strip()}"
        locked.save()
        record_action(locked, f"enforcement.case_{action.value}", message)
        if action is A.DECIDE:
            publication.prepare(locked, work_calendar())  # LAW-15: published within 7 working days
    return locked


def record_hearing(case: Case, user, *, requested=False, waived=False, held_on=None) -> Case:
    """The party's answer to the notice: asks for a hearing, waives, or the hearing was held."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权登记听证情况。")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.stage != S.NOTIFIED.value:
            raise ValidationError("只有处于「告知」阶段的案件可以登记陈述申辩/听证情况。")
        if requested and not locked.hearing_offered:
            raise ValidationError("本案拟作出的处罚不属于应当告知听证的情形。")
        if held_on and not (requested or locked.hearing_requested):
            raise ValidationError("当事人未申请听证，不能登记听证日期。")
        locked.hearing_requested = requested or locked.hearing_requested
        locked.hearing_waived = waived and not locked.hearing_requested
        locked.hearing_held_on = held_on or locked.hearing_held_on
        locked.save()
        parts = []
        if locked.hearing_requested:
            parts.append("当事人申请听证")
        if locked.hearing_waived:
            parts.append("当事人放弃陈述申辩和听证")
        if locked.hearing_held_on:
            parts.append(f"已于{locked.hearing_held_on}举行听证")
        record_action(locked, "enforcement.hearing_recorded", "；".join(parts) or "登记陈述申辩情况")
    return locked


# --- measures ----------------------------------------------------------------------------------------------

EDITABLE_STAGES = {S.FILED.value, S.INVESTIGATION.value, S.NOTIFIED.value}


def _record_closure(measure: Measure, enterprise) -> None:
    """The registry's 关闭取缔 register gets the executed closure (安全生产法 第一百一十三条/第一百一十五条), so the
    unit is followed up (复查是否死灰复燃) like every other closure."""
    from anjian.registry.models import ClosureRecord

    case = measure.case
    decision = (
        case.documents.filter(kind__in=[DocumentKind.DECISION_UNIT, DocumentKind.DECISION_PERSON])
        .order_by("-id")
        .first()
    )
    decision_no = decision.number if decision else case.number
    if ClosureRecord.objects.filter(enterprise=enterprise, decision_no=decision_no).exists():
        return
    ClosureRecord.objects.create(
        enterprise=enterprise,
        name=enterprise.name,
        territory=enterprise.territory,
        address=getattr(enterprise, "address", "") or "",
        reason=f"{case.title}。{case.facts}"[:2000],
        decision_no=decision_no,
        # 第一百一十五条: 关闭 is decided by the county-level-or-above government at the department's request.
        decided_by=(measure.details or "").strip()[:100]
        or f"县级以上人民政府（{case.organisation.name}提请）",
        decided_on=case.decided_on or measure.executed_on or timezone.localdate(),
        executed_on=measure.executed_on or timezone.localdate(),
    )


def add_measure(measure: Measure, user) -> Measure:
    """拟定 a measure or penalty; fines are validated against the provision's band (Measure.clean)."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权拟定处罚措施。")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=measure.case_id)
        if case.stage not in EDITABLE_STAGES:
            raise ValidationError(f"案件处于「{case.stage_enum.label}」阶段，不能再拟定措施。")
        measure.case = case
        measure.full_clean()
        measure.save()
        flag = "（上限处罚）" if measure.is_upper_limit else ""
        record_action(case, "enforcement.measure_added", f"拟定：{measure}{flag}")
    return measure


def execute_measure(measure: Measure, user, executed_on: date | None = None, note: str = "") -> Measure:
    """Record that a decided measure was carried out; stop orders suspend the unit, 纳入黑名单 lists it."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权登记措施执行。")
    executed_on = executed_on or timezone.localdate()
    with transaction.atomic():
        locked = (
            Measure.objects.select_for_update(of=("self",))
            .select_related("case", "case__enterprise")
            .get(pk=measure.pk)
        )
        if locked.status != MeasureStatus.DECIDED:
            raise ValidationError(
                f"措施状态为「{locked.get_status_display()}」，只有已决定的措施可以登记执行。"
            )
        locked.status = MeasureStatus.EXECUTED
        locked.executed_on = executed_on
        message = f"执行：{locked}"
        enterprise = locked.case.enterprise
        if enterprise is not None:
            message += _apply_to_enterprise(locked, enterprise, user)
        locked.save()
        if note.strip():
            message += f"。说明：{note.strip()}"
        record_action(locked.case, "enforcement.measure_executed", message)
    return locked


def _apply_to_enterprise(measure: Measure, enterprise, user) -> str:
    from anjian.registry.models import BlacklistEntry, BlacklistGround, EnterpriseStatus

    if (
        measure.measure in (M.SUSPEND_FOR_RECTIFICATION.value,)
        and enterprise.status == EnterpriseStatus.OPERATING
    ):
        enterprise.status = EnterpriseStatus.SUSPENDED
        enterprise.save(update_fields=["status"])
        record_action(
            enterprise,
            "enforcement.unit_suspended",
            f"责令停产停业整顿（{measure.case.number}），复产须经验收",
        )
        return "；单位经营状态改为停产"
    if measure.measure == M.CLOSE_AND_BAN.value and enterprise.status in (
        EnterpriseStatus.OPERATING,
        EnterpriseStatus.SUSPENDED,
    ):
        # 安全生产法 第一百一十五条: closure is decided by the county government; the case records its execution.
        enterprise.status = EnterpriseStatus.BANNED
        enterprise.save(update_fields=["status"])
        record_action(enterprise, "enforcement.unit_banned", f"关闭取缔（{measure.case.number}）")
        _record_closure(measure, enterprise)
        return "；单位经营状态改为关闭取缔，已登记关闭取缔台账"
    if measure.measure == M.BLACKLIST.value:
        decision = (
            measure.case.documents.filter(kind__in=[DocumentKind.DECISION_UNIT, DocumentKind.DECISION_PERSON])
            .order_by("-id")
            .first()
        )
        entry = BlacklistEntry.objects.create(
            enterprise=enterprise,
            ground=BlacklistGround.OTHER,
            ground_detail=measure.details or measure.case.title,
            penalty_decision_no=decision.number if decision else measure.case.number,
            decision_no=decision.number if decision else measure.case.number,
            decided_by=measure.case.organisation,
            start_date=measure.executed_on,
        )
        record_action(entry, "registry.blacklisted", f"由执法案件 {measure.case.number} 列入严重失信主体名单")
        measure.blacklist_ref = f"registry.BlacklistEntry#{entry.pk}"
        return "；已列入严重失信主体名单"
    return ""


def accept_resumption(measure: Measure, user, opinion: str, accepted_on: date | None = None) -> Measure:
    """复产验收: a unit ordered to stop may operate again only after this (rules.md HZ-60 item 6)."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权进行复产验收。")
    if not opinion.strip():
        raise ValidationError("请填写复产验收意见。")
    from anjian.registry.models import EnterpriseStatus

    with transaction.atomic():
        locked = (
            Measure.objects.select_for_update(of=("self",))
            .select_related("case", "case__enterprise")
            .get(pk=measure.pk)
        )
        if not locked.is_stop_order:
            raise ValidationError("只有责令停产停业整顿需要复产验收。")
        if locked.status != MeasureStatus.EXECUTED:
            raise ValidationError("停产停业整顿尚未执行，不能验收复产。")
        if locked.resumption_accepted_on:
            raise ValidationError(f"已于{locked.resumption_accepted_on}验收复产。")
        locked.resumption_accepted_on = accepted_on or timezone.localdate()
        locked.resumption_accepted_by = user
        locked.resumption_opinion = opinion.strip()
        locked.save()
        enterprise = locked.case.enterprise
        if enterprise is not None and enterprise.status == EnterpriseStatus.SUSPENDED:
            enterprise.status = EnterpriseStatus.OPERATING
            enterprise.save(update_fields=["status"])
            record_action(enterprise, "enforcement.unit_resumed", f"复产验收合格（{locked.case.number}）")
        record_action(locked.case, "enforcement.resumption_accepted", f"复产验收合格：{opinion.strip()}")
    return locked


# --- documents ---------------------------------------------------------------------------------------------

# Which stages a document may be made in (rules.md §6.3; the procedure of 行政处罚法 第五章). None = any stage.
_INVESTIGATING = {S.FILED.value, S.INVESTIGATION.value, S.NOTIFIED.value}  # 第五十五条: 调查或者检查
_OPEN = _INVESTIGATING | {S.DECIDED.value, S.EXECUTION.value, S.COURT_ENFORCEMENT.value}
_DECIDED = {S.DECIDED.value, S.EXECUTION.value, S.COURT_ENFORCEMENT.value, S.CLOSED.value}
_UNPAID = {S.EXECUTION.value, S.COURT_ENFORCEMENT.value}  # after service, while the fine may be unpaid
DOCUMENT_STAGES = {
    DocumentKind.FILING_APPROVAL: None,  # 第五十四条: 立案 is the first record of every case
    DocumentKind.INQUIRY_RECORD: _INVESTIGATING,
    DocumentKind.SURVEY_RECORD: _INVESTIGATING,
    DocumentKind.SAMPLING_VOUCHER: _INVESTIGATING,  # 第五十六条: 抽样取证
    DocumentKind.EVIDENCE_HOLD: _INVESTIGATING,  # 第五十六条: 先行登记保存
    DocumentKind.EVIDENCE_DISPOSAL: _OPEN,
    DocumentKind.ONSITE_MEASURES: None,  # any stage
    DocumentKind.SEIZURE: _OPEN,  # 安全生产法 第六十五条第一款第(四)项; 行政强制法 第二十四条
    DocumentKind.SEIZURE_DISPOSAL: _OPEN | {S.CLOSED.value},
    DocumentKind.COERCIVE_MEASURES: _OPEN,  # 安全生产法 第七十条
    DocumentKind.REVIEW_OPINION: None,
    DocumentKind.PENALTY_NOTICE: {S.NOTIFIED.value, S.DECIDED.value, S.EXECUTION.value},
    DocumentKind.HEARING_NOTICE: {S.NOTIFIED.value, S.DECIDED.value, S.EXECUTION.value},
    DocumentKind.HEARING_RECORD: {S.NOTIFIED.value, S.DECIDED.value, S.EXECUTION.value},
    DocumentKind.DECISION_UNIT: _DECIDED,
    DocumentKind.DECISION_PERSON: _DECIDED,
    DocumentKind.SERVICE_RECEIPT: None,  # any issued document may be served
    DocumentKind.PAYMENT_REMINDER: _UNPAID,
    DocumentKind.LATE_SURCHARGE: _UNPAID,
    DocumentKind.TRANSFER_LETTER: {S.TRANSFERRED.value, S.CLOSED.value},
    # 结案: from the stages that can close (execution, court enforcement, transfer, 不予处罚) and once closed
    DocumentKind.CLOSING_APPROVAL: {
        S.INVESTIGATION.value,
        S.NOTIFIED.value,
        S.EXECUTION.value,
        S.COURT_ENFORCEMENT.value,
        S.TRANSFERRED.value,
        S.CLOSED.value,
    },
}


# Measures taken on the spot against the unit: issued only by two certified officers (EN-31).
OFFICER_DOCUMENTS = frozenset(
    {DocumentKind.ONSITE_MEASURES, DocumentKind.SEIZURE, DocumentKind.COERCIVE_MEASURES}
)


@dataclass(frozen=True)
class DocumentFacts:
    """What the document guards read besides the case row, fetched once for all kinds (two queries)."""

    kinds: frozenset
    has_rectification_order: bool

    @classmethod
    def of(cls, case: Case) -> "DocumentFacts":
        return cls(
            kinds=frozenset(case.documents.values_list("kind", flat=True)),
            has_rectification_order=case.measures.filter(measure=M.ORDER_RECTIFICATION.value).exists(),
        )


def _document_guard(case: Case, kind: DocumentKind, today: date, facts: DocumentFacts) -> str | None:
    """What else a document needs besides the stage; None when it may be made."""
    K = DocumentKind
    if kind in OFFICER_DOCUMENTS:
        # 行政处罚法 第四十二条 (EN-31); 行政强制法 第十八条第(二)项: 由两名以上行政执法人员实施 — on-site and
        # compulsory measures are taken by two certified officers, like the penalty itself.
        why = _guard_officers(case)
        if why:
            return why
    if kind == K.DECISION_PERSON and not case.responsible_persons.strip() and case.party_kind != "person":
        return "本案没有个人当事人（责任人员），不能制作个人处罚决定书。"
    if kind == K.REVIEW_OPINION and not facts.has_rectification_order:
        return "本案没有责令限期整改措施，不能制作整改复查意见书。"
    if kind == K.EVIDENCE_DISPOSAL and K.EVIDENCE_HOLD.value not in facts.kinds:
        return "尚未制作先行登记保存证据通知书，无可处理的登记保存证据（行政处罚法 第五十六条）。"
    if kind == K.SEIZURE_DISPOSAL and K.SEIZURE.value not in facts.kinds:
        return "尚未制作查封扣押决定书，无可处理的查封、扣押物品（行政强制法 第二十七条）。"
    if kind == K.HEARING_NOTICE and not case.hearing_offered:
        return "本案拟作出的处罚不属于应当告知听证的情形（行政处罚法 第六十三条）。"
    if kind == K.HEARING_RECORD and not case.hearing_requested:
        return "当事人未申请听证，不能制作听证笔录（行政处罚法 第六十四条）。"
    if kind == K.SERVICE_RECEIPT and not (facts.kinds - {K.SERVICE_RECEIPT.value}):
        return "本案尚无可送达的文书。"
    if kind in (K.PAYMENT_REMINDER, K.LATE_SURCHARGE):
        if not case.payment_due:
            return f"本案没有罚款缴纳期限，不能制作{kind.label}。"
        if today <= case.payment_due:
            # 行政处罚法 第七十二条: 到期不缴纳罚款的 → 加处罚款; 行政强制法 第五十四条: 催告 after the due date
            return f"缴款期限（{case.payment_due}）尚未届满，不能制作{kind.label}。"
    if kind == K.TRANSFER_LETTER and not case.transfer_to:
        return "本案未移送，不能制作案件移送书（行政处罚法 第二十七条）。"
    return None


def document_refusal(
    case: Case, kind: str, user, today: date | None = None, facts: DocumentFacts | None = None
) -> str | None:
    """Why `user` may not make a document of `kind` for `case` now (Chinese); None when allowed."""
    kind = DocumentKind(kind)
    if user.role not in HANDLER_ROLES:
        return "您的角色无权制作执法文书。"
    stages = DOCUMENT_STAGES[kind]
    if stages is not None and case.stage not in stages:
        return f"案件处于「{case.stage_enum.label}」阶段，不能制作{kind.label}。"
    return _document_guard(case, kind, today or timezone.localdate(), facts or DocumentFacts.of(case))


def document_offers(case: Case, user) -> list[tuple[DocumentKind, str | None]]:
    """Every document kind with the reason it cannot be made now (None = offered): the case page shows both."""
    facts = DocumentFacts.of(case)
    today = timezone.localdate()
    return [(kind, document_refusal(case, kind, user, today, facts)) for kind in DocumentKind]


def issue_document(
    case: Case,
    kind: str,
    user,
    body: str = "",
    issued_on: date | None = None,
    details: dict | None = None,
) -> CaseDocument:
    """Make a document with a 文号 that never repeats and has no gaps: the number is taken from the counter row
    inside this transaction (core.documents.next_document_number), so a failure returns it. `details` are the
    kind's own fields (document_details.DETAIL_FIELDS), validated before a number is taken."""
    from .document_details import validate_details

    kind = DocumentKind(kind)
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("organisation", "handler", "co_handler")
            .get(pk=case.pk)
        )
        why = document_refusal(case, kind, user, today=issued_on)
        if why:
            raise ValidationError(why)
        cleaned = validate_details(kind, details or {}, case)
        seizure = (
            _seizure_to_dispose(case, cleaned, issued_on) if kind == DocumentKind.SEIZURE_DISPOSAL else None
        )
        issuer = case.organisation
        seq = next_document_number(f"enforcement.{kind.value}.{issuer.pk}", issued_on.year)
        prefix = (issuer.short_name or issuer.name) + DOCUMENT_CODES[kind]
        document = CaseDocument.objects.create(
            case=case,
            territory_path=case.territory_path,
            sector_id=case.sector_id,
            kind=kind.value,
            number=rules.format_document_number(prefix, issued_on.year, seq),
            year=issued_on.year,
            sequence=seq,
            issued_on=issued_on,
            issuer=issuer,
            body=body,
            details=cleaned,
            due_on=_document_due_on(kind, cleaned),
            created_by=user,
        )
        record_action(case, "enforcement.document_issued", f"制作{kind.label}：{document.number}")
        if seizure is not None:
            seizure.settled_on = issued_on
            seizure.save(update_fields=["settled_on"])
            if issued_on > seizure.due_on:
                record_action(
                    case,
                    "enforcement.seizure_disposed_late",
                    f"{seizure.number} 的处理决定逾期作出（期限 {seizure.due_on}，安全生产违法行为行政处罚办法 第十五条）："
                    + cleaned["late_reason"],
                )
    return document


def _document_due_on(kind: DocumentKind, details: dict) -> date | None:
    """The deadline a measure document starts (indexed for the reminder scan; see CaseDocument.due_on)."""
    from .document_details import TEMPORARY_STOP_KINDS, seizure_decision_due

    if kind == DocumentKind.SEIZURE and details.get("start_on"):
        return seizure_decision_due(date.fromisoformat(details["start_on"]))  # HZ-46: 15 days
    if kind == DocumentKind.ONSITE_MEASURES and details.get("measure") in TEMPORARY_STOP_KINDS:
        return date.fromisoformat(details["end_on"])  # HZ-45: the end of the stop period
    return None


def _seizure_to_dispose(case: Case, details: dict, issued_on: date) -> CaseDocument:
    """The 查封扣押决定书 a 处理决定 disposes of (HZ-46): the one named, or the case's only open one. A decision after
    the 15 days is not refused — the seized things must still be released or dealt with — but it must say why it
    is late, and the lateness is written on the case's history."""
    open_seizures = case.documents.filter(
        kind=DocumentKind.SEIZURE, settled_on__isnull=True
    ).select_for_update()
    if details.get("seizure"):
        seizure = open_seizures.filter(number=details["seizure"]).first()
        if seizure is None:
            raise ValidationError({"seizure": "所选文书不是本案尚未处理的查封扣押决定书。"})
    else:
        candidates = list(open_seizures[:2])
        if len(candidates) != 1:
            why = (
                "本案没有尚未处理的查封扣押决定书。"
                if not candidates
                else "本案有多份未处理的查封扣押决定书，请选择要处理的一份。"
            )
            raise ValidationError({"seizure": why})
        seizure = candidates[0]
        details["seizure"] = seizure.number
    if seizure.due_on and issued_on > seizure.due_on and not (details.get("late_reason") or "").strip():
        raise ValidationError(
            {
                "late_reason": f"查封、扣押之日起15日内应当作出处理决定（安全生产违法行为行政处罚办法 第十五条），"
                f"{seizure.number} 的期限为 {seizure.due_on}，已逾期：请说明逾期原因。"
            }
        )
    return seizure


@transaction.atomic
def lift_onsite_measure(
    document: CaseDocument, user, lifted_on: date | None = None, note: str = ""
) -> CaseDocument:
    """解除现场处理措施 (e.g. the temporary stop ends after 复产审查): the measure's period is no longer watched
    (HZ-45). Only the case's handlers' roles may; the lifting is on the case's history."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权解除现场处理措施。")
    locked = CaseDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
    ensure_in_scope(user, locked.case)
    if locked.kind != DocumentKind.ONSITE_MEASURES or locked.due_on is None:
        raise ValidationError("只有写明期限的暂时停产停业、停止建设、停止施工、停止使用措施可以登记解除。")
    if locked.settled_on:
        raise ValidationError(f"该措施已于{locked.settled_on}解除。")
    lifted_on = lifted_on or timezone.localdate()
    if lifted_on < locked.issued_on:
        raise ValidationError("解除日期不能早于措施决定日期。")
    locked.settled_on = lifted_on
    locked.save(update_fields=["settled_on"])
    message = f"解除{locked.number}的现场处理措施（{lifted_on}）" + (
        f"：{note.strip()}" if note.strip() else ""
    )
    record_action(locked.case, "enforcement.measure_lifted", message)
    return locked


# --- findings: rectification never replaces a penalty ------------------------------------------------------


def link_finding(finding: ViolationFinding, case: Case, user) -> ViolationFinding:
    with transaction.atomic():
        locked = ViolationFinding.objects.select_for_update().get(pk=finding.pk)
        if locked.case_id and locked.case_id != case.pk:
            raise ValidationError("该违法行为已关联其他案件。")
        if locked.enterprise_id != case.enterprise_id:
            raise ValidationError("违法行为线索的单位与案件当事单位不一致。")
        locked.case = case
        locked.save()
        record_action(locked, "enforcement.finding_linked", f"关联案件 {case.number}")
    return locked


def record_no_penalty_reason(reason: NoPenaltyReason, user) -> NoPenaltyReason:
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权登记不予立案理由。")
    with transaction.atomic():
        finding = ViolationFinding.objects.select_for_update().get(pk=reason.finding_id)
        if finding.case_id:
            raise ValidationError("该违法行为已立案，无需登记不予立案理由。")
        if finding.reasons.filter(status__in=[ReviewStatus.PENDING, ReviewStatus.APPROVED]).exists():
            raise ValidationError("该违法行为已有待审核或已通过的理由。")
        reason.finding = finding
        reason.recorded_by = user
        reason.territory_path = finding.territory_path
        reason.sector_id = finding.sector_id
        reason.status = ReviewStatus.PENDING
        reason.full_clean()
        reason.save()
        record_action(
            finding, "enforcement.no_penalty_reason", f"登记不予立案理由：{reason.get_category_display()}"
        )
    return reason


def review_no_penalty_reason(
    reason: NoPenaltyReason, user, approve: bool, comment: str = ""
) -> NoPenaltyReason:
    """Reviewer sign-off: a different person than the one who recorded the reason, from the office or a
    department (the record stays reviewable: the audit trail keeps who decided what)."""
    if user.role not in HANDLER_ROLES:
        raise PermissionDenied("您的角色无权审核不予立案理由。")
    with transaction.atomic():
        locked = (
            NoPenaltyReason.objects.select_for_update(of=("self",))
            .select_related("finding")
            .get(pk=reason.pk)
        )
        if locked.status != ReviewStatus.PENDING:
            raise ValidationError("该理由已审核。")
        if locked.recorded_by_id == user.pk:
            raise ValidationError("审核人不能是理由的登记人。")
        if not approve and not comment.strip():
            raise ValidationError("不通过时请填写审核意见。")
        locked.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment.strip()
        locked.save()
        record_action(
            locked.finding,
            "enforcement.no_penalty_reviewed",
            f"不予立案理由{locked.get_status_display()}{'：' + comment.strip() if comment.strip() else ''}",
        )
    return locked
