"""督办事项 services: the only functions that create tasks or change an assignment's status.

Other apps create tasks with `issue_task` (a committee meeting decision, an assessment bulletin, a 督查 problem
from anjian.oversight): the source is kept generically with a frozen label and link. Each state change locks
the assignment row, asks the transitions table (workflow) and the side rules (`refusal`), writes, records a named
action on the history (core.audit) and notifies after commit.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from anjian.core.audit import record_action, register_actions
from anjian.core.documents import format_document_number, next_document_number
from anjian.core.models import Organisation, OrganisationKind
from anjian.core.roles import Role
from anjian.core.scope import restrict

from . import uploads, workflow
from .models import (
    WORKING_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ExtensionRequest,
    ExtensionStatus,
    ProgressReport,
    ReportAttachment,
    Review,
    ReviewDecision,
    SourceKind,
    Task,
    TaskKind,
    TaskStatus,
    Urgency,
)
from .workflow import Action

ACTION_LABELS = {
    "supervision.issued": "签发督办事项",
    "supervision.progress_reported": "报送办理进展",
    "supervision.submitted": "报送办结材料",
    "supervision.submitted_late": "逾期报送办结材料",
    "supervision.accepted": "验收办结",
    "supervision.returned": "退回重办",
    "supervision.completed": "督办事项办结",
    "supervision.extension_requested": "申请延期",
    "supervision.extension_approved": "同意延期",
    "supervision.extension_rejected": "不同意延期",
}
register_actions(ACTION_LABELS)

ISSUER_KINDS = (OrganisationKind.COMMITTEE, OrganisationKind.OFFICE, OrganisationKind.SPECIAL_COMMITTEE)
# Units a task can go to: member units (departments), towns/parks, and the office of a lower government.
UNIT_KINDS = (OrganisationKind.DEPARTMENT, OrganisationKind.LOCAL_GOVERNMENT, OrganisationKind.OFFICE)
# The app a source record lives in decides how the source reads (会议议定事项, 考核通报, 督查发现问题).
SOURCE_KIND_BY_APP = {
    "committee": SourceKind.MEETING,
    "assessment": SourceKind.BULLETIN,
    "oversight": SourceKind.OVERSIGHT,
}


# --- who sees what --------------------------------------------------------------------------------------------
def visible_tasks(user):
    """Tasks the user may see. The 安委办 and leaders: their government's tasks and those below (the scope), and
    those addressed to their own body; departments and towns: the tasks addressed to their own organisation
    (承办 or 协办), never a whole territory's."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Task.objects.none()
    addressed = (
        Exists(Assignment.objects.filter(task=OuterRef("pk"), unit_id=user.organisation_id))
        if user.organisation_id
        else None
    )
    if user.role in (Role.OFFICE, Role.LEADER):
        in_scope = restrict(Task.objects.all(), user)
        return in_scope | Task.objects.filter(addressed) if addressed is not None else in_scope
    if user.role in (Role.INSPECTOR, Role.TOWN) and addressed is not None:
        return Task.objects.filter(addressed)
    return Task.objects.none()


def visible_assignments(user):
    """Assignments the user may see: every part of the tasks in the scope of the 安委办 and leaders; a unit sees
    its own part only."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Assignment.objects.none()
    own = Q(unit_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    if user.role in (Role.OFFICE, Role.LEADER):
        return Assignment.objects.filter(Q(task__in=restrict(Task.objects.all(), user)) | own)
    if user.role in (Role.INSPECTOR, Role.TOWN):
        return Assignment.objects.filter(own)
    return Assignment.objects.none()


def can_see_assignment(user, assignment) -> bool:
    """A progress report's attachments are served to exactly those who may see its assignment (core.media)."""
    return visible_assignments(user).filter(pk=assignment.pk).exists()


def is_issuer_side(user, task: Task) -> bool:
    """The 安委办 staff of the issuing government act for the issuer (the 安委会 and its 专委会 work through
    their office)."""
    org = getattr(user, "organisation", None)
    return (
        user.role == Role.OFFICE
        and org is not None
        and org.kind == OrganisationKind.OFFICE
        and org.territory_id == task.issuer.territory_id
    )


def is_unit_side(user, assignment: Assignment) -> bool:
    return (
        user.role in (Role.INSPECTOR, Role.TOWN, Role.OFFICE)
        and user.organisation_id is not None
        and user.organisation_id == assignment.unit_id
    )


def issuer_choices(user):
    """Bodies the user may issue as: the 安委会, the 安委办 and the 专委会 of the user's own government."""
    org = getattr(user, "organisation", None)
    if user.role != Role.OFFICE or org is None or org.kind != OrganisationKind.OFFICE:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        territory_id=org.territory_id, kind__in=ISSUER_KINDS, is_active=True
    ).order_by("kind", "sort_order", "name")


def unit_choices(issuer: Organisation | None = None, user=None):
    """Units a task may go to: departments and towns of the issuer's government or below (never above, never a
    neighbouring district)."""
    if issuer is None:
        issuers = issuer_choices(user)
        issuer = issuers.first() if issuers is not None else None
    if issuer is None:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            territory_path__startswith=issuer.territory.path, kind__in=UNIT_KINDS, is_active=True
        )
        .exclude(pk=issuer.pk)
        .exclude(kind=OrganisationKind.OFFICE, territory_id=issuer.territory_id)
        .select_related("territory")
        .order_by("territory_path", "kind", "sort_order", "name")
    )


# --- issuing --------------------------------------------------------------------------------------------------
def _number(issuer: Organisation, kind: str, year: int) -> str:
    # e.g. 青安督〔2026〕3号: the first character of the government's name, 安(委), 督/交; one gap-free series per
    # government, kind and year (GB/T 9704-2012 §7.2.3 bracket style).
    letter = "督" if kind == TaskKind.SUPERVISE else "交"
    prefix = f"{issuer.territory.name[:1]}安{letter}"
    seq = next_document_number(f"supervision.{kind}.{issuer.territory_id}", year)
    return format_document_number(prefix, year, seq)


def _source_fields(source, source_kind, notice_title, notice_number) -> dict:
    fields = {"notice_title": (notice_title or "").strip(), "notice_number": (notice_number or "").strip()}
    if source is not None:
        ct = ContentType.objects.get_for_model(type(source))
        url = ""
        if hasattr(source, "get_absolute_url"):
            try:
                url = source.get_absolute_url() or ""
            except Exception:  # a source without a page still records its label
                url = ""
        fields.update(
            source_type=ct,
            source_id=str(source.pk),
            source_label=f"{ct.model_class()._meta.verbose_name}：{source}"[:300],
            source_url=url[:300],
            source_kind=source_kind or SOURCE_KIND_BY_APP.get(ct.app_label, SourceKind.OTHER),
        )
    elif fields["notice_title"]:
        fields["source_kind"] = SourceKind.NOTICE
    else:
        fields["source_kind"] = source_kind or SourceKind.NONE
    return fields


def check_issue(*, by, issuer, lead_units, assisting_units, deadline, today=None) -> dict:
    """Every reason the task cannot be issued, by field (empty: it can)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if issuer is None:
        add("issuer", "请选择督办单位。")
    elif not issuer_choices(by).filter(pk=issuer.pk).exists():
        add("issuer", f"您无权以“{issuer}”的名义督办。")
    if not lead_units:
        add("lead_units", "请至少选择一个承办单位。")
    if deadline is None:
        add("deadline", "请填写办理时限。")
    elif deadline < today:
        add("deadline", "办理时限不能早于今天。")
    overlap = {u.pk for u in lead_units} & {u.pk for u in assisting_units}
    if overlap:
        names = "、".join(str(u) for u in lead_units if u.pk in overlap)
        add("assisting_units", f"{names}已是承办单位，不能同时作为协办单位。")
    if issuer is not None:
        allowed = set(unit_choices(issuer).values_list("pk", flat=True))
        for field, units in (("lead_units", lead_units), ("assisting_units", assisting_units)):
            refused = [str(u) for u in units if u.pk not in allowed]
            if refused:
                add(field, f"“{issuer}”不能向{'、'.join(refused)}督办：只能督办本级或下级的成员单位、镇街。")
    return errors


@transaction.atomic
def issue_task(
    *,
    by,
    issuer,
    title,
    content,
    basis="",
    lead_units,
    assisting_units=(),
    deadline,
    materials="",
    source=None,
    kind=TaskKind.SUPERVISE,
    urgency=Urgency.NORMAL,
    notice_title="",
    notice_number="",
    source_kind=None,
) -> Task:
    """Issue a 督办单/交办单 to one or more 承办单位 (and 协办单位). Raises ValidationError (Chinese, by field).

    `source` is any record the task came from (a meeting decision, a bulletin, a 督查 problem) or None; a
    higher-level notice is given by hand as `notice_title`/`notice_number`."""
    if by.role != Role.OFFICE:
        raise PermissionDenied("只有安委办工作人员可以签发督办事项。")
    lead_units, assisting_units = list(lead_units), list(assisting_units or ())
    title, content = (title or "").strip(), (content or "").strip()
    errors = check_issue(
        by=by, issuer=issuer, lead_units=lead_units, assisting_units=assisting_units, deadline=deadline
    )
    if not title:
        errors.setdefault("title", []).append("请填写事项名称。")
    if not content:
        errors.setdefault("content", []).append("请填写督办内容。")
    if kind not in TaskKind.values:
        errors.setdefault("kind", []).append("类别不正确。")
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("紧急程度不正确。")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    task = Task(
        number=_number(issuer, kind, today.year),
        kind=kind,
        urgency=urgency,
        title=title[:200],
        content=content,
        basis=(basis or "").strip(),
        materials=(materials or "").strip(),
        issuer=issuer,
        issued_by=by,
        issued_on=today,
        deadline=deadline,
        territory=issuer.territory,
        **_source_fields(source, source_kind, notice_title, notice_number),
    )
    task.save()
    for role, units in ((AssignmentRole.LEAD, lead_units), (AssignmentRole.ASSIST, assisting_units)):
        for unit in units:
            Assignment.objects.create(
                task=task, unit=unit, role=role, deadline=deadline, territory_id=unit.territory_id
            )
    names = "、".join(str(u) for u in lead_units)
    record_action(
        task, "supervision.issued", f"{issuer}签发{task.get_kind_display()}，承办单位：{names}", actor=by
    )
    _notify(
        _unit_users([*lead_units, *assisting_units]),
        f"新{task.get_kind_display()}事项：{task.title}（{task.number}），办理时限 {deadline:%Y-%m-%d}",
        task,
    )
    return task


# --- acting on an assignment ------------------------------------------------------------------------------------
def refusal(assignment: Assignment, action: str, user) -> str | None:
    """Why `user` may not take `action` on `assignment` now (None: allowed). Pages show the reason."""
    if user.role in (Role.LEADER, Role.GRID, Role.ENTERPRISE) or user.is_admin_role:
        return "您的角色只能查看督办事项。" if user.role == Role.LEADER else "您的角色无权办理督办事项。"
    try:
        workflow.next_status(assignment.status, action)
    except workflow.IllegalTransition as exc:
        return str(exc)
    if action in workflow.UNIT_ACTIONS and not is_unit_side(user, assignment):
        return "只有办理单位本单位人员可以报送。"
    if action in workflow.UNIT_ACTIONS and assignment.task.status != TaskStatus.OPEN:
        return "督办事项已办结，无需再报送。"
    if action in workflow.ISSUER_ACTIONS:
        if not is_issuer_side(user, assignment.task):
            return "只有督办单位（安委办）可以验收或退回。"
        last = assignment.reports.filter(is_final=True).order_by("-reported_at", "-id").first()
        if last is not None and last.reported_by_id == user.pk:
            return "报送人不能验收自己报送的材料。"
    return None


def available_actions(assignment: Assignment, user) -> list[tuple[Action, str | None]]:
    return [(a, refusal(assignment, a, user)) for a in workflow.allowed_actions(assignment.status)]


def _lock(assignment: Assignment, user, action: str) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task", "task__issuer", "unit")
        .get(pk=assignment.pk)
    )
    reason = refusal(locked, action, user)
    if reason:
        raise PermissionDenied(reason)
    return locked


def _set_status(assignment: Assignment, action: str) -> None:
    assignment.status = workflow.next_status(assignment.status, action)


@transaction.atomic
def report_progress(assignment: Assignment, *, by, text, final=False, files=()) -> ProgressReport:
    """进展报告 by the unit; `final` asks for acceptance (报送办结). A completion report after the deadline is
    marked 逾期报送 on the report and on the assignment, for good."""
    action = Action.SUBMIT if final else Action.PROGRESS
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写办理情况。"})
    checked = uploads.check_files(files)
    locked = _lock(assignment, by, action)
    now = timezone.now()
    late = bool(final and timezone.localtime(now).date() > locked.deadline)
    report = ProgressReport.objects.create(
        assignment=locked, text=text, is_final=final, late=late, reported_by=by, reported_at=now
    )
    for upload in checked:
        ReportAttachment.objects.create(report=report, file=upload.file, name=upload.name, size=upload.size)
    _set_status(locked, action)
    if final:
        locked.reported_at = now
        if late:
            locked.reported_late = True
    locked.save()
    if final:
        event = "supervision.submitted_late" if late else "supervision.submitted"
        message = f"{locked.unit}报送办结材料{'（逾期报送）' if late else ''}：{text[:100]}"
        _notify(
            _issuer_users(locked.task), f"督办事项待验收：{locked.task.title}（{locked.unit}）", locked.task
        )
    else:
        event, message = "supervision.progress_reported", f"{locked.unit}报送进展：{text[:100]}"
    record_action(locked, event, message, actor=by)
    record_action(locked.task, event, message, actor=by)
    assignment.refresh_from_db()
    return report


def _review(assignment, by, decision, opinion, action) -> Review:
    locked = _lock(assignment, by, action)
    now = timezone.now()
    review = Review.objects.create(
        assignment=locked, decision=decision, opinion=opinion, reviewed_by=by, reviewed_at=now
    )
    _set_status(locked, action)
    if action == Action.ACCEPT:
        locked.accepted_at, locked.accepted_by = now, by
    else:
        locked.return_count += 1
    locked.save()
    return locked, review


@transaction.atomic
def accept(assignment: Assignment, *, by, opinion="") -> Review:
    """验收办结. The task is completed when every 承办 assignment is accepted."""
    locked, review = _review(assignment, by, ReviewDecision.ACCEPT, (opinion or "").strip(), Action.ACCEPT)
    message = f"{locked.unit}办理事项验收通过" + (f"：{review.opinion}" if review.opinion else "")
    record_action(locked, "supervision.accepted", message, actor=by)
    record_action(locked.task, "supervision.accepted", message, actor=by)
    _notify(_unit_users([locked.unit]), f"督办事项已验收办结：{locked.task.title}", locked.task)
    _complete_if_done(locked.task, by)
    assignment.refresh_from_db()
    return review


@transaction.atomic
def send_back(assignment: Assignment, *, by, reason) -> Review:
    """退回重办, with the reason the unit reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"opinion": "退回重办必须写明理由。"})
    locked, review = _review(assignment, by, ReviewDecision.RETURN, reason, Action.RETURN)
    message = f"{locked.unit}办理事项退回重办：{reason}"
    record_action(locked, "supervision.returned", message, actor=by)
    record_action(locked.task, "supervision.returned", message, actor=by)
    _notify(_unit_users([locked.unit]), f"督办事项被退回重办：{locked.task.title}", locked.task)
    assignment.refresh_from_db()
    return review


def _complete_if_done(task: Task, by) -> None:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        return
    leads = task.assignments.filter(role=AssignmentRole.LEAD)
    if leads.exclude(status=AssignmentStatus.ACCEPTED).exists():
        return
    task.status, task.completed_at = TaskStatus.COMPLETED, timezone.now()
    task.save()
    record_action(task, "supervision.completed", "全部承办单位已验收办结，督办事项办结。", actor=by)


# --- extensions -------------------------------------------------------------------------------------------------
@transaction.atomic
def request_extension(assignment: Assignment, *, by, new_deadline: date, reason) -> ExtensionRequest:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task", "unit")
        .get(pk=assignment.pk)
    )
    if not is_unit_side(by, locked):
        raise PermissionDenied("只有办理单位本单位人员可以申请延期。")
    if locked.status not in WORKING_STATUSES or locked.task.status != TaskStatus.OPEN:
        raise ValidationError(f"“{locked.get_status_display()}”状态下不能申请延期。")
    errors = {}
    if new_deadline is None or new_deadline <= locked.deadline:
        errors["new_deadline"] = "延期后的时限必须晚于当前办理时限。"
    if not (reason or "").strip():
        errors["reason"] = "请填写延期理由。"
    if locked.extensions.filter(status=ExtensionStatus.PENDING).exists():
        errors["new_deadline"] = "已有待审批的延期申请。"
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        assignment=locked, requested_deadline=new_deadline, reason=reason.strip(), requested_by=by
    )
    message = f"{locked.unit}申请延期至 {new_deadline:%Y-%m-%d}：{reason.strip()}"
    record_action(locked, "supervision.extension_requested", message, actor=by)
    record_action(locked.task, "supervision.extension_requested", message, actor=by)
    _notify(_issuer_users(locked.task), f"督办事项延期申请待审批：{locked.task.title}", locked.task)
    return request


@transaction.atomic
def decide_extension(request: ExtensionRequest, *, by, approve: bool, note="") -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("assignment", "assignment__task", "assignment__task__issuer", "assignment__unit")
        .get(pk=request.pk)
    )
    assignment = request.assignment
    if not is_issuer_side(by, assignment.task):
        raise PermissionDenied("只有督办单位（安委办）可以审批延期。")
    if request.requested_by_id == by.pk:
        raise PermissionDenied("申请人不能审批自己的延期申请。")
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError("该延期申请已审批。")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "不同意延期必须写明理由。"})
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note
    request.save()
    if approve:
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        assignment.deadline = request.requested_deadline
        assignment.save()
        event, message = (
            "supervision.extension_approved",
            f"同意{assignment.unit}延期至 {request.requested_deadline:%Y-%m-%d}",
        )
    else:
        event, message = "supervision.extension_rejected", f"不同意{assignment.unit}延期：{note}"
    record_action(assignment, event, message, actor=by)
    record_action(assignment.task, event, message, actor=by)
    _notify(
        [request.requested_by],
        f"延期申请{'已同意' if approve else '未同意'}：{assignment.task.title}",
        assignment.task,
    )
    return request


# --- notifications ----------------------------------------------------------------------------------------------
def _unit_users(units):
    from anjian.core.models import User

    return list(
        User.objects.filter(
            is_active=True,
            organisation__in=[u.pk for u in units],
            role__in=(Role.INSPECTOR, Role.TOWN, Role.OFFICE),
        )
    )


def _issuer_users(task: Task):
    from anjian.core.models import User

    return list(
        User.objects.filter(
            is_active=True,
            role=Role.OFFICE,
            organisation__kind=OrganisationKind.OFFICE,
            organisation__territory_id=task.issuer.territory_id,
        )
    )


def _notify(recipients, title: str, task: Task) -> None:
    from anjian.notifications.services import notify

    notify(
        recipients, title, body=task.content[:500], url=task.get_absolute_url(), kind="supervision.assignment"
    )


# --- what other apps read ---------------------------------------------------------------------------------------
def overdue_assignments_q(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=WORKING_STATUSES, deadline__lt=today, task__status=TaskStatus.OPEN)


def deadline_history(assignments) -> list:
    """Reminders and escalations the deadlines engine fired for these assignments, oldest first."""
    from anjian.notifications.models import Firing

    ids = [str(a.pk) for a in assignments]
    if not ids:
        return []
    names = {str(a.pk): str(a.unit) for a in assignments}
    firings = list(
        Firing.objects.filter(kind="supervision.assignment", object_id__in=ids)
        .exclude(outcome=Firing.Outcome.SUPERSEDED)
        .select_related("rule")
        .order_by("fired_at", "id")
    )
    for firing in firings:
        firing.unit_name = names.get(firing.object_id, "")
    return firings


def summary(user) -> dict:
    """What the dashboard reads: open, overdue and completed tasks the user sees and the completion rate, each
    with the list URL filtered to it. Two aggregate queries."""
    from django.db.models import Count
    from django.urls import reverse

    tasks = visible_tasks(user)
    counts = tasks.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
        completed=Count("pk", filter=Q(status=TaskStatus.COMPLETED)),
    )
    late_parts = Assignment.objects.filter(overdue_assignments_q(), task=OuterRef("pk"))
    overdue = tasks.filter(Exists(late_parts)).count()
    base = reverse("supervision:task_list")
    total = counts["total"] or 0
    rate = round(counts["completed"] * 100 / total, 1) if total else None
    return {
        "total": total,
        "open": counts["open"] or 0,
        "overdue": overdue,
        "completed": counts["completed"] or 0,
        "completion_rate": rate,  # per cent, None when there is no task
        "urls": {
            "total": base,
            "open": f"{base}?status={TaskStatus.OPEN}",
            "overdue": f"{base}?overdue=true",
            "completed": f"{base}?status={TaskStatus.COMPLETED}",
        },
    }
