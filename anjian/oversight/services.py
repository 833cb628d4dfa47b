"""督查 services: the only functions that create visits and problems or change their status.

Each one locks the row, asks the transitions table (workflow.refusal) and raises TransitionRefused with the
Chinese reason, writes, records a named action on the history (core.audit) and queues notifications after
commit. Pages, the API, the importer and the demo all call these.
"""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anjian.core.audit import record_action, register_actions
from anjian.core.documents import next_document_number
from anjian.core.models import OrganisationKind
from anjian.core.roles import Role
from anjian.core.scope import can_view
from anjian.hazards.services import validate_photo

from . import workflow
from .models import (
    Evidence,
    OversightVisit,
    Problem,
    ProblemStatus,
    ProgressReport,
    Review,
    VisitStatus,
)
from .workflow import TransitionRefused

ACTION_LABELS = {
    "oversight.visit_registered": "登记督查",
    "oversight.fed_back": "督查反馈",
    "oversight.visit_completed": "督查问题全部销号",
    "oversight.problem_added": "录入督查问题",
    "oversight.problems_imported": "导入问题清单",
    "oversight.measures_set": "制定整改措施",
    "oversight.progress_reported": "报告整改进展",
    "oversight.reported": "报告整改完成",
    "oversight.closed": "督查问题销号",
    "oversight.returned": "退回整改",
    "oversight.turned_into_task": "转为督办事项",
    "oversight.overdue": "整改逾期",
    "oversight.feedback_issued": "出具反馈报告",
    "oversight.report_issued": "出具整改情况报告",
}
register_actions(ACTION_LABELS)

RESPONSIBLE_KINDS = (
    OrganisationKind.DEPARTMENT,
    OrganisationKind.LOCAL_GOVERNMENT,
    OrganisationKind.OFFICE,
    OrganisationKind.SPECIAL_COMMITTEE,
)


def _notify(obj, title: str, recipients, body: str = "") -> None:
    """In-app messages, written after commit (a rolled-back action never notifies)."""
    from anjian.notifications.services import notify

    notify(recipients, title, body=body[:500], url=obj.get_absolute_url(), kind="oversight.problem")


def unit_users(organisation_id):
    from anjian.core.models import User

    # The staff who act for the body; grid staff and leaders of the body are not asked to report.
    return list(
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, role__in=(Role.INSPECTOR, Role.TOWN, Role.OFFICE)
        )
    )


def owner_users(visit):
    from anjian.core.models import User

    return list(User.objects.filter(organisation_id=visit.owner_org_id, role=Role.OFFICE, is_active=True))


# --- visits ------------------------------------------------------------------------------------------------
def _require_office(actor, visit=None):
    if actor.role != Role.OFFICE or not actor.organisation_id:
        raise PermissionDenied("只有安委办工作人员可以登记督查和录入问题清单。")
    if visit is not None and not can_view(actor, visit):
        raise PermissionDenied("该督查不在您的数据范围内。")


@transaction.atomic
def register_visit(*, actor, targets=(), target_enterprises=(), **fields) -> OversightVisit:
    """A new 督查 (督查中). The actor's 安委办 follows it up on the platform."""
    _require_office(actor)
    if not fields.get("inspecting_org") and not (fields.get("inspecting_body_name") or "").strip():
        raise ValidationError("请选择督查单位，或填写平台外的督查单位名称。")
    if fields["end_on"] < fields["start_on"]:
        raise ValidationError("督查结束日期不能早于开始日期。")
    year = fields["start_on"].year
    visit = OversightVisit(
        **fields,
        number=f"DC-{year}-{next_document_number('oversight.visit', year):03d}",
        owner_org=actor.organisation,
        created_by=actor,
    )
    visit.full_clean(exclude=["number", "owner_org", "created_by"])
    visit.save()
    visit.targets.set(targets)
    visit.target_enterprises.set(target_enterprises)
    if not can_view(actor, visit):
        raise PermissionDenied("被督查区划不在您的数据范围内。")
    record_action(
        visit, "oversight.visit_registered", f"{visit.get_kind_display()}：{visit.title}", actor=actor
    )
    return visit


@transaction.atomic
def update_visit(visit, *, actor, targets=None, target_enterprises=None, **fields) -> OversightVisit:
    _require_office(actor, visit)
    visit = OversightVisit.objects.select_for_update().get(pk=visit.pk)
    for name, value in fields.items():
        setattr(visit, name, value)
    if visit.end_on < visit.start_on:
        raise ValidationError("督查结束日期不能早于开始日期。")
    visit.save()
    if targets is not None:
        visit.targets.set(targets)
    if target_enterprises is not None:
        visit.target_enterprises.set(target_enterprises)
    if not can_view(actor, visit):
        raise PermissionDenied("保存后的记录超出了您的数据范围，操作已撤销。")
    return visit


@transaction.atomic
def feed_back(visit, *, actor, fed_back_on=None, summary="") -> OversightVisit:
    """The 督查组 gave its feedback: the problem list is final and goes to the responsible bodies."""
    _require_office(actor, visit)
    visit = OversightVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.INSPECTING:
        raise TransitionRefused(f"督查当前状态为“{visit.get_status_display()}”，不能再次反馈。")
    problems = list(visit.problems.select_related("responsible_unit"))
    if not problems:
        raise TransitionRefused("问题清单为空：请先录入或导入督查反馈的问题。")
    visit.fed_back_on = fed_back_on or timezone.localdate()
    if visit.fed_back_on < visit.start_on:
        raise TransitionRefused("反馈日期不能早于督查开始日期。")
    if summary:
        visit.feedback_summary = summary
    visit.status = VisitStatus.FED_BACK
    visit.save()
    record_action(visit, "oversight.fed_back", f"反馈问题 {len(problems)} 个", actor=actor)
    for unit_id in {p.responsible_unit_id for p in problems}:
        count = sum(1 for p in problems if p.responsible_unit_id == unit_id)
        _notify(
            visit,
            f"督查反馈：{visit.title}，贵单位有 {count} 个问题需整改",
            unit_users(unit_id),
            "请对照问题清单制定整改措施，明确整改责任人、整改措施和整改时限。",
        )
    return visit


def sync_visit_status(visit, actor) -> None:
    """已反馈 → 整改中 once a body works on its problems; 已完成 when every problem is closed (and back to 整改中
    if a closed visit gets a new problem)."""
    visit = OversightVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == VisitStatus.INSPECTING:
        return
    statuses = set(visit.problems.values_list("status", flat=True))
    if statuses and statuses == {ProblemStatus.CLOSED}:
        new = VisitStatus.DONE
    elif statuses - {ProblemStatus.PENDING}:
        new = VisitStatus.RECTIFYING
    else:
        new = VisitStatus.FED_BACK
    if new != visit.status:
        visit.status = new
        visit.save()
        if new == VisitStatus.DONE:
            record_action(visit, "oversight.visit_completed", actor=actor)


# --- problems ----------------------------------------------------------------------------------------------
def _check_unit(actor, unit):
    if unit.kind not in RESPONSIBLE_KINDS:
        raise ValidationError(f"“{unit}”不能作为整改责任单位：请选择成员单位、镇街或安委办。")
    if not can_view(actor, unit):
        raise ValidationError(f"“{unit}”不在您的数据范围内。")


@transaction.atomic
def add_problem(visit, *, actor, description, responsible_unit, sequence=None, **fields) -> Problem:
    """A problem of the visit's list, entered by the 安委办 (before or after the feedback)."""
    _require_office(actor, visit)
    visit = OversightVisit.objects.select_for_update().get(pk=visit.pk)
    _check_unit(actor, responsible_unit)
    if sequence is None:
        sequence = (visit.problems.aggregate(last=Max("sequence"))["last"] or 0) + 1
    elif visit.problems.filter(sequence=sequence).exists():
        raise ValidationError(f"序号 {sequence} 已存在。")
    problem = Problem(
        visit=visit, sequence=sequence, description=description, responsible_unit=responsible_unit, **fields
    )
    problem.full_clean(exclude=["territory"])
    problem.save()
    record_action(problem, "oversight.problem_added", description[:200], actor=actor)
    if visit.status != VisitStatus.INSPECTING:
        _notify(problem, f"新增督查问题：{description[:40]}", unit_users(responsible_unit.pk))
        sync_visit_status(visit, actor)
    return problem


@transaction.atomic
def update_problem(problem, *, actor, **fields) -> Problem:
    """The 安委办 corrects a problem's entry (description, unit…) while it is not yet closed."""
    _require_office(actor, problem.visit)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.status == ProblemStatus.CLOSED:
        raise TransitionRefused("已销号的问题不能修改。")
    if "responsible_unit" in fields:
        _check_unit(actor, fields["responsible_unit"])
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.full_clean(exclude=["territory"])
    problem.save()
    return problem


def _lock(problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("visit__owner_org__territory", "responsible_unit")
        .get(pk=problem.pk)
    )


def _check(problem, actor, action, data):
    if not can_view(actor, problem):
        raise PermissionDenied("该问题不在您的数据范围内。")
    reason = workflow.refusal(problem, actor, action, data)
    if reason:
        raise TransitionRefused(reason)
    return workflow.BY_ACTION[action]


def _attach(problem, files, actor, report=None) -> int:
    for upload in files:
        validate_photo(upload)
        Evidence.objects.create(
            problem=problem,
            report=report,
            file=upload,
            original_name=os.path.basename(upload.name)[:200],
            uploaded_by=actor,
        )
    return len(files)


@transaction.atomic
def set_measures(problem, *, actor, measures, responsible_person, deadline, responsible_post="") -> Problem:
    problem = _lock(problem)
    data = {"measures": measures, "responsible_person": responsible_person, "deadline": deadline}
    _check(problem, actor, "set_measures", data)
    problem.measures = measures.strip()
    problem.responsible_person = responsible_person.strip()
    problem.responsible_post = (responsible_post or "").strip()
    problem.deadline = deadline
    problem.status = ProblemStatus.RECTIFYING
    problem.save()
    record_action(
        problem,
        "oversight.measures_set",
        f"整改责任人：{problem.responsible_display}；整改时限：{deadline:%Y-%m-%d}",
        actor=actor,
    )
    sync_visit_status(problem.visit, actor)
    return problem


@transaction.atomic
def report_progress(problem, *, actor, note, files=()) -> ProgressReport:
    problem = _lock(problem)
    _check(problem, actor, "report_progress", {"note": note})
    report = ProgressReport.objects.create(
        problem=problem, kind=ProgressReport.Kind.PROGRESS, note=note.strip(), reported_by=actor
    )
    count = _attach(problem, files, actor, report)
    record_action(
        problem, "oversight.progress_reported", f"{note.strip()[:150]}（佐证材料 {count} 份）", actor=actor
    )
    return report


@transaction.atomic
def report_done(problem, *, actor, note, files=()) -> Problem:
    problem = _lock(problem)
    _check(problem, actor, "report_done", {"note": note, "files": files})
    report = ProgressReport.objects.create(
        problem=problem, kind=ProgressReport.Kind.COMPLETION, note=note.strip(), reported_by=actor
    )
    count = _attach(problem, files, actor, report)
    problem.status = ProblemStatus.REPORTED
    problem.reported_by = actor
    problem.reported_at = timezone.now()
    problem.save()
    record_action(problem, "oversight.reported", f"{note.strip()[:150]}（佐证材料 {count} 份）", actor=actor)
    _notify(
        problem, f"督查问题已报告整改完成，请审核：{problem.description[:40]}", owner_users(problem.visit)
    )
    return problem


@transaction.atomic
def close(problem, *, actor, opinion="") -> Problem:
    """销号: the 督查 side accepts the rectification (evidence present, closer ≠ reporter)."""
    problem = _lock(problem)
    _check(problem, actor, "close", {})
    Review.objects.create(problem=problem, accepted=True, opinion=opinion.strip(), reviewer=actor)
    problem.status = ProblemStatus.CLOSED
    problem.closed_by = actor
    problem.closed_at = timezone.now()
    problem.save()
    record_action(problem, "oversight.closed", opinion.strip()[:200], actor=actor)
    _notify(problem, f"督查问题已销号：{problem.description[:40]}", unit_users(problem.responsible_unit_id))
    sync_visit_status(problem.visit, actor)
    return problem


@transaction.atomic
def return_problem(problem, *, actor, reason) -> Problem:
    """退回: not rectified as required; back to 整改中 with reasons."""
    problem = _lock(problem)
    _check(problem, actor, "return_problem", {"reason": reason})
    Review.objects.create(problem=problem, accepted=False, opinion=reason.strip(), reviewer=actor)
    problem.status = ProblemStatus.RECTIFYING
    problem.save()
    record_action(problem, "oversight.returned", reason.strip()[:200], actor=actor)
    _notify(
        problem,
        f"督查问题被退回整改：{problem.description[:40]}",
        unit_users(problem.responsible_unit_id),
        reason,
    )
    return problem


def perform(problem, actor, action: str, data: dict):
    """Run `action` with a form's cleaned data (pages and API)."""
    if action == "set_measures":
        return set_measures(
            problem,
            actor=actor,
            measures=data.get("measures") or "",
            responsible_person=data.get("responsible_person") or "",
            responsible_post=data.get("responsible_post") or "",
            deadline=data.get("deadline"),
        )
    if action == "report_progress":
        return report_progress(
            problem, actor=actor, note=data.get("note") or "", files=data.get("files") or ()
        )
    if action == "report_done":
        return report_done(problem, actor=actor, note=data.get("note") or "", files=data.get("files") or ())
    if action == "close":
        return close(problem, actor=actor, opinion=data.get("opinion") or "")
    if action == "return_problem":
        return return_problem(problem, actor=actor, reason=data.get("reason") or "")
    raise TransitionRefused("未知的操作。")


# --- 督办 ---------------------------------------------------------------------------------------------------
def can_turn_into_task(problem, user) -> str | None:
    """Why `problem` cannot become a 督办 task now (None when it can)."""
    if user.role != Role.OFFICE or not user.organisation_id:
        return "只有安委办工作人员可以转为督办事项。"
    if problem.task_id:
        return "该问题已转为督办事项。"
    if problem.status == ProblemStatus.CLOSED:
        return "已销号的问题不能转为督办事项。"
    if supervision_issue_task() is None:
        return "督办功能尚未启用。"
    return None


def supervision_issue_task():
    try:
        from anjian.supervision.services import issue_task
    except ImportError:
        return None
    return issue_task


@transaction.atomic
def turn_into_task(problem, *, actor, deadline=None):
    """转为督办事项: the problem becomes a 督办 task of the supervision app, once."""
    problem = _lock(problem)
    if not can_view(actor, problem):
        raise PermissionDenied("该问题不在您的数据范围内。")
    reason = can_turn_into_task(problem, actor)
    if reason:
        raise TransitionRefused(reason)
    issue_task = supervision_issue_task()
    visit = problem.visit
    task = issue_task(
        by=actor,
        issuer=actor.organisation,
        title=f"{visit.title} 问题{problem.sequence}整改",
        content=problem.description,
        basis=f"{visit.inspecting_body}{visit.get_kind_display()}反馈问题（{visit.number}-{problem.sequence}）"
        + (f"；{problem.basis}" if problem.basis else ""),
        lead_units=[problem.responsible_unit],
        assisting_units=[],
        deadline=deadline or problem.deadline,
        materials="整改措施、整改完成情况及佐证材料。",
        source=problem,
    )
    problem.task_id = task.pk
    problem.task_url = task.get_absolute_url()[:200]
    problem.save()
    record_action(problem, "oversight.turned_into_task", f"督办事项：{task}", actor=actor)
    return task


# --- documents ---------------------------------------------------------------------------------------------
@transaction.atomic
def ensure_document_number(visit, which: str, actor=None) -> str:
    """The 文号 of the visit's 反馈报告 ("feedback") or 整改情况报告 ("report"), given once, gap-free."""
    from anjian.core.documents import format_document_number

    field = {"feedback": "feedback_number", "report": "report_number"}[which]
    locked = OversightVisit.objects.select_for_update().select_related("owner_org").get(pk=visit.pk)
    if not getattr(locked, field):
        org = locked.owner_org
        year = timezone.localdate().year
        prefix = (org.short_name or org.name) + ("督反" if which == "feedback" else "督改")
        number = next_document_number(f"oversight.{which}.{org.pk}", year)
        setattr(locked, field, format_document_number(prefix, year, number))
        locked.save()
        action = "oversight.feedback_issued" if which == "feedback" else "oversight.report_issued"
        record_action(locked, action, getattr(locked, field), actor=actor)
    setattr(visit, field, getattr(locked, field))
    return getattr(locked, field)


# --- what other apps read ----------------------------------------------------------------------------------
def summary(user) -> dict:
    """What the dashboard reads: open, overdue and closed problems the user sees and the rectification rate
    (已销号 ÷ 问题数), each with the problem list filtered to it. One aggregate query."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from .access import problems_for
    from .filters import overdue_q

    counts = problems_for(user).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status=ProblemStatus.CLOSED)),
        overdue=Count("pk", filter=overdue_q()),
        closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
    )
    total = counts["total"] or 0
    base = reverse("oversight:problem_list")
    return {
        "total": total,
        "open": counts["open"] or 0,
        "overdue": counts["overdue"] or 0,
        "closed": counts["closed"] or 0,
        "rectification_rate": round(counts["closed"] * 100 / total, 1) if total else None,
        "urls": {
            "total": base,
            "open": f"{base}?open=true",
            "overdue": f"{base}?overdue=true",
            "closed": f"{base}?status={ProblemStatus.CLOSED}",
        },
    }
