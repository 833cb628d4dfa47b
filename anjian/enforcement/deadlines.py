"""Enforcement deadlines for the notifications engine (anjian/notifications/protocols.py), kind
"enforcement.deadline" with three sources, each from an indexed due column:

- rectification deadlines of decided 责令限期整改 / 停产停业整顿 measures not yet executed (Measure.deadline);
- hearing windows: cases in 告知 whose 陈述申辩/听证 period ends (Case.hearing_deadline, 行政处罚法 第六十四条);
- execution deadlines: fines not paid by Case.payment_due (第六十七条) and decisions due (Case.decision_due,
  第六十条 90 days);
- publication: decided cases not yet published by PenaltyPublication.due_on (LAW-15, 7 working days).
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.utils import timezone

from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import restrict
from anjian.notifications.protocols import DeadlineItem, TodoItem

from . import rules
from .models import (
    OPEN_STAGES,
    Case,
    CaseDocument,
    DocumentKind,
    Measure,
    MeasureStatus,
    NoPenaltyReason,
    PenaltyPublication,
    PublicationStatus,
    ReviewStatus,
)

DEADLINE_KINDS = {
    "enforcement.deadline": "执法期限（整改期限、听证申请期限、缴款、办案与公示期限）",
    # HZ-45 (安全生产违法行为行政处罚办法 第十四条): a temporary stop lasts normally no more than 6 months.
    "enforcement.stop_period": "暂时停产停业等现场处理措施期限（一般不超过6个月）",
    # HZ-46 (同办法 第十五条): a 处理决定 within 15 days of the 查封、扣押.
    "enforcement.seizure_disposal": "查封扣押处理决定期限（15日）",
}
# deadline kind → the document kind whose CaseDocument.due_on it watches (open while settled_on is empty)
MEASURE_DOCUMENT_KINDS = {
    "enforcement.stop_period": DocumentKind.ONSITE_MEASURES,
    "enforcement.seizure_disposal": DocumentKind.SEIZURE,
}

S = rules.CaseStage
PRE_DECISION = [S.FILED.value, S.INVESTIGATION.value, S.NOTIFIED.value]


def _end_of_day(day) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def _open_items(due_day, cases=None, measures=None):
    """(due date, object, title, url, territory path, responsible users) of every open enforcement deadline."""
    cases = Case.objects.all() if cases is None else cases
    measures = Measure.objects.all() if measures is None else measures
    for m in (
        measures.filter(status=MeasureStatus.DECIDED, deadline__isnull=False, deadline__lte=due_day)
        .select_related("case", "case__handler", "case__co_handler", "case__organisation")
        .order_by("deadline", "id")
    ):
        yield (
            m.deadline,
            m,
            f"{m.case.party_display}：{m.get_measure_display()}期限",
            m.case.get_absolute_url(),
            m.case,
        )
    for c in (
        cases.filter(stage=S.NOTIFIED.value, hearing_deadline__lte=due_day)
        .select_related("handler", "co_handler")
        .order_by("hearing_deadline", "id")
    ):
        yield c.hearing_deadline, c, f"{c.number}：陈述申辩/听证申请期限届满", c.get_absolute_url(), c
    for c in (
        cases.filter(stage=S.EXECUTION.value, payment_due__lte=due_day)
        .select_related("handler", "co_handler")
        .order_by("payment_due", "id")
    ):
        yield c.payment_due, c, f"{c.number}：罚款缴纳期限", c.get_absolute_url(), c
    for p in (
        PenaltyPublication.objects.filter(
            status=PublicationStatus.PENDING, due_on__lte=due_day, case__in=cases
        )
        .select_related("case", "case__handler", "case__co_handler", "case__organisation")
        .order_by("due_on", "id")
    ):
        # LAW-15 (安全生产法 第七十八条第二款): published within 7 working days of the decision.
        yield (
            p.due_on,
            p,
            f"{p.case.number}：行政处罚信息公示期限（7个工作日）",
            p.case.get_absolute_url(),
            p.case,
        )
    for c in (
        cases.filter(stage__in=PRE_DECISION, decision_due__lte=due_day)
        .select_related("handler", "co_handler")
        .order_by("decision_due", "id")
    ):
        yield c.decision_due, c, f"{c.number}：办案期限（立案后90日）", c.get_absolute_url(), c


def _measure_documents(kind: str, due_day, documents=None):
    """Open measure documents of one deadline kind due by `due_day` (one indexed range scan)."""
    documents = CaseDocument.objects.all() if documents is None else documents
    return (
        documents.filter(
            kind=MEASURE_DOCUMENT_KINDS[kind],
            due_on__isnull=False,
            due_on__lte=due_day,
            settled_on__isnull=True,
        )
        .select_related("case", "case__handler", "case__co_handler", "case__organisation")
        .order_by("due_on", "id")
    )


def _measure_title(kind: str, document) -> str:
    if kind == "enforcement.seizure_disposal":
        return f"{document.case.party_display}：{document.number} 查封扣押处理决定期限（15日）"
    return f"{document.case.party_display}：{document.number} 现场处理措施期限届满，须复产审查或解除"


def _measure_escalation(case) -> tuple[tuple, ...]:
    """Level 1: the organ's other officers and its office staff (负责人); level 2: the 安委办 of the territory."""
    from anjian.core.models import User

    active = User.objects.filter(is_active=True)
    level1 = tuple(
        active.filter(organisation_id=case.organisation_id, role__in=[Role.INSPECTOR, Role.OFFICE])
    )
    level2 = tuple(
        u for u in active.filter(role=Role.OFFICE) if case.territory_path.startswith(u.territory_path or "~")
    )
    return (level1, level2)


def _measure_deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    due_day = timezone.localtime(due_before).date()
    for document in _measure_documents(kind, due_day).iterator(chunk_size=500):
        case = document.case
        yield DeadlineItem(
            kind=kind,
            obj=document,
            due_at=_end_of_day(document.due_on),
            title=_measure_title(kind, document),
            url=case.get_absolute_url(),
            responsible=tuple(u for u in (case.handler, case.co_handler) if u is not None),
            escalation=_measure_escalation(case),
            territory_path=case.territory_path,
            unit=case.organisation,
            role=Role.INSPECTOR,
            supervisor=case.organisation,
        )


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
    if kind in MEASURE_DOCUMENT_KINDS:
        yield from _measure_deadline_items(kind, due_before)
        return
    if kind != "enforcement.deadline":
        return
    due_day = timezone.localtime(due_before).date()
    for day, obj, title, url, case in _open_items(due_day):
        due = _end_of_day(day)  # a deadline day is inside the period (民法典 第二百零一条)
        if due <= due_before:
            yield DeadlineItem(
                kind=kind,
                obj=obj,
                due_at=due,
                title=title,
                url=url,
                responsible=tuple(u for u in (case.handler, case.co_handler) if u is not None),
                territory_path=case.territory_path,
                # The handlers (行政处罚法 第四十二条: two law-enforcement officers); without them, their organ.
                unit=case.organisation,
                role=Role.INSPECTOR,
                supervisor=case.organisation,
            )


def todo_items(user) -> Iterable[TodoItem]:
    if not has_perm(user, "enforcement.change_case"):
        return []
    today = timezone.localdate()
    horizon = today + timedelta(days=7)
    cases = restrict(Case.objects.filter(stage__in=OPEN_STAGES), user)
    mine = cases.filter(handler=user) | cases.filter(co_handler=user)
    items = [
        TodoItem(
            title=title,
            url=url,
            action="办理",
            due_at=_end_of_day(day),
            overdue=day < today,
            kind="enforcement.deadline",
            obj=obj,
        )
        for day, obj, title, url, case in _open_items(
            horizon, cases=mine, measures=restrict(Measure.objects.all(), user).filter(case__in=mine)
        )
    ]
    # Measures whose period ends or whose 处理决定 is due (HZ-45, HZ-46), on the handlers' own cases.
    documents = restrict(CaseDocument.objects.all(), user).filter(case__in=mine)
    for kind in MEASURE_DOCUMENT_KINDS:
        for document in _measure_documents(kind, horizon, documents)[:20]:
            items.append(
                TodoItem(
                    title=_measure_title(kind, document),
                    url=document.case.get_absolute_url(),
                    action="作出处理决定" if kind == "enforcement.seizure_disposal" else "复产审查或解除",
                    due_at=_end_of_day(document.due_on),
                    overdue=document.due_on < today,
                    kind=kind,
                    obj=document,
                )
            )
    # Decisions waiting for 负责人审批: notified cases handled by somebody else (the approver must differ).
    for case in cases.filter(stage=S.NOTIFIED.value).exclude(handler=user).exclude(co_handler=user)[:20]:
        items.append(
            TodoItem(title=f"{case.number}：待负责人审批处罚决定", url=case.get_absolute_url(), action="审批")
        )
    # No-penalty reasons waiting for a second person's review.
    pending = (
        NoPenaltyReason.objects.filter(status=ReviewStatus.PENDING, finding__in=_findings(user))
        .exclude(recorded_by=user)
        .select_related("finding", "finding__enterprise")[:20]
    )
    for reason in pending:
        items.append(
            TodoItem(
                title=f"{reason.finding}：不予立案理由待审核",
                url=reason.finding.get_absolute_url(),
                action="审核",
            )
        )
    return items


def _findings(user):
    from .models import ViolationFinding

    return restrict(ViolationFinding.objects.all(), user)
