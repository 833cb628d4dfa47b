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
    Measure,
    MeasureStatus,
    NoPenaltyReason,
    PenaltyPublication,
    PublicationStatus,
    ReviewStatus,
)

DEADLINE_KINDS = {"enforcement.deadline": "执法期限（整改期限、听证申请期限、缴款、办案与公示期限）"}

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
        yield p.due_on, p, f"{p.case.number}：行政处罚信息公示期限（7个工作日）", p.case.get_absolute_url(), p.case
    for c in (
        cases.filter(stage__in=PRE_DECISION, decision_due__lte=due_day)
        .select_related("handler", "co_handler")
        .order_by("decision_due", "id")
    ):
        yield c.decision_due, c, f"{c.number}：办案期限（立案后90日）", c.get_absolute_url(), c


def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]:
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
