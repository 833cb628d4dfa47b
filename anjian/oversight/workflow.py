"""The problem state machine: who may do what to a 督查 problem, and when.

    pending ─set_measures→ rectifying ─report_done→ reported ─close→ closed (销号)
    rectifying ─report_progress→ rectifying (a progress report; the status stays)
    reported ─return_problem→ rectifying (退回, with reasons)

The responsible body (整改责任单位) sets measures and reports; the 督查 side (the 安委办 following the visit up)
closes or returns. Same discipline as the hazard loop (rules.md HZ-50, synthesis): no closing without evidence,
and the closer is never the person who reported the rectification complete (谁审核、谁签字、谁负责).
"""

from collections.abc import Callable
from datetime import date

from anjian.core.roles import Role
from anjian.core.workflow import Transition, TransitionRefused, Workflow

__all__ = ["Transition", "TransitionRefused"]  # services and views raise and catch it from here

from .models import Problem, ProblemStatus

R = Role
S = ProblemStatus
UNIT_ROLES = frozenset({R.INSPECTOR, R.TOWN, R.OFFICE})  # departments, towns; the office for its own problems
Guard = Callable[[Problem, object, dict], str | None]


# --- guards ------------------------------------------------------------------------------------------------
def responsible_member(problem, user, data):
    # The body the problem is assigned to answers for it; nobody reports on another body's behalf.
    if user.organisation_id != problem.responsible_unit_id:
        return f"只有整改责任单位（{problem.responsible_unit}）的工作人员可以办理。"
    return None


def oversight_side(problem, user, data):
    # The 安委办 following the visit up (or one above it) reviews; a town's office cannot close its own list
    # of a district visit.
    visit = problem.visit
    if user.organisation_id == visit.owner_org_id:
        return None
    if user.territory_id and visit.territory_path.startswith(user.territory.path):
        owner_path = visit.owner_org.territory.path
        if owner_path.startswith(user.territory.path):
            return None
    return f"只有跟踪督办机构（{visit.owner_org}）可以审核销号。"


def not_reporter(problem, user, data):
    if problem.reported_by_id and problem.reported_by_id == user.pk:
        return "审核销号须由整改完成报告人以外的人员进行。"
    return None


def has_evidence(problem, user, data):
    # rules.md HZ-50 (synthesis, applied to 督查 problems): closure needs evidence of the rectification.
    if not problem.evidence.exists():
        return "该问题没有整改佐证材料，不能销号。"
    return None


def measures_complete(problem, user, data):
    missing = []
    if not (data.get("measures") or "").strip():
        missing.append("整改措施")
    if not (data.get("responsible_person") or "").strip():
        missing.append("整改责任人")
    if not data.get("deadline"):
        missing.append("整改时限")
    if missing:
        return "整改方案缺少：" + "、".join(missing) + "。"
    deadline = data["deadline"]
    if isinstance(deadline, date) and deadline < problem.visit.start_on:
        return "整改时限不能早于督查日期。"
    return None


def note_given(problem, user, data):
    if not (data.get("note") or "").strip():
        return "请填写整改情况。"
    return None


def completion_evidence(problem, user, data):
    """A completion report needs evidence: uploaded with it, or uploaded since the last 退回."""
    if data.get("files"):
        return None
    evidence = problem.evidence.all()
    returned = problem.reviews.filter(accepted=False).order_by("-reviewed_at").first()
    if returned is not None:
        evidence = evidence.filter(uploaded_at__gt=returned.reviewed_at)
    if not evidence.exists():
        if returned is not None:
            return "退回后再次报告整改完成，请上传新的佐证材料。"
        return "请上传整改佐证材料（照片或文件）。"
    return None


def reason_given(problem, user, data):
    if not (data.get("reason") or "").strip():
        return "请填写退回理由。"
    return None


def visit_fed_back(problem, user, data):
    from .models import VisitStatus

    if problem.visit.status == VisitStatus.INSPECTING:
        return "督查尚未反馈，问题清单还不能办理。"
    return None


# --- the table ---------------------------------------------------------------------------------------------
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "set_measures",
        "制定整改措施",
        frozenset({S.PENDING, S.RECTIFYING}),
        S.RECTIFYING,
        UNIT_ROLES,
        (visit_fed_back, responsible_member, measures_complete),
    ),
    Transition(
        "report_progress",
        "报告整改进展",
        frozenset({S.RECTIFYING}),
        None,
        UNIT_ROLES,
        (responsible_member, note_given),
    ),
    Transition(
        "report_done",
        "报告整改完成",
        frozenset({S.RECTIFYING}),
        S.REPORTED,
        UNIT_ROLES,
        (responsible_member, note_given, completion_evidence),
    ),
    Transition(
        "close",
        "审核销号",
        frozenset({S.REPORTED}),
        S.CLOSED,
        frozenset({R.OFFICE}),
        (oversight_side, not_reporter, has_evidence),
    ),
    Transition(
        "return_problem",
        "退回整改",
        frozenset({S.REPORTED}),
        S.RECTIFYING,
        frozenset({R.OFFICE}),
        (oversight_side, not_reporter, reason_given),
    ),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}
ACTIONS = tuple(BY_ACTION)
DATA_GUARDS = frozenset({measures_complete, note_given, completion_evidence, reason_given})


WORKFLOW = Workflow("问题", TRANSITIONS, DATA_GUARDS)


def refusal(
    problem: Problem, user, action: str, data: dict | None = None, check_data: bool = True
) -> str | None:
    """Why `user` may not take `action` on `problem` now (Chinese), or None. With check_data=False the guards
    that only validate the submitted form are skipped, so a page can offer the button before it is filled in."""
    return WORKFLOW.refusal(problem, user, action, data, check_data)


def available_actions(problem: Problem, user) -> list[Transition]:
    return WORKFLOW.available(problem, user)
