"""督办事项 pages: thin views over services (rules) and the generic list/detail views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.documents import document_response
from anjian.core.forms import add_errors
from anjian.core.models import Sector
from anjian.core.permissions import has_perm
from anjian.core.tables import Column
from anjian.core.views.generic import ObjectDetailView, ObjectListView, PermissionRequiredMixin

from . import documents, services
from .filters import TaskFilter
from .forms import ExtensionDecisionForm, ExtensionForm, ReportForm, ReviewForm, TaskForm
from .models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ExtensionRequest,
    ExtensionStatus,
    ProgressReport,
    Task,
    TaskStatus,
)
from .workflow import Action


def _units(task, role=AssignmentRole.LEAD):
    return "、".join(str(a.unit) for a in task.assignments.all() if a.role == role)


def _progress(task):
    leads = [a for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
    done = sum(1 for a in leads if a.status == AssignmentStatus.ACCEPTED)
    return f"{done}/{len(leads)}"


def _overdue(task):
    today = timezone.localdate()
    return any(a.is_overdue(today) for a in task.assignments.all())


def _late(task):
    return any(a.reported_late for a in task.assignments.all())


def _status_colour(task):
    if task.status == TaskStatus.COMPLETED:
        return "success"
    return "danger" if _overdue(task) else "primary"


TASK_COLUMNS = [
    Column("文号", "number", link=True),
    Column("类别", "get_kind_display"),
    Column("事项名称", "title"),
    Column("督办单位", "issuer"),
    Column("承办单位", _units),
    Column("协办单位", lambda t: _units(t, AssignmentRole.ASSIST), display=False),
    Column("办理时限", "deadline"),
    Column("状态", "get_status_display", badge=_status_colour),
    Column("办结进度", _progress),
    Column("逾期未办结", _overdue),
    Column("逾期报送", _late),
    Column("紧急程度", "get_urgency_display", display=False),
    Column("来源", "get_source_kind_display", display=False),
    Column("来源说明", "source_text", display=False),
    Column("签发日期", "issued_on", display=False),
    Column("办结时间", "completed_at", display=False),
]


def _task_queryset(queryset):
    return queryset.select_related("issuer").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role", "id"))
    )


class TaskListView(ObjectListView):
    model = Task
    permission = "supervision.view_task"
    export_permission = "supervision.export_task"
    filterset_class = TaskFilter
    title = "督办事项"
    ordering = ("-issued_on", "-id")
    export_name = "督办事项台账"
    add_url = "supervision:task_add"
    add_permission = "supervision.add_task"
    template_name = "supervision/task_list.html"
    columns = TASK_COLUMNS
    card_fields = {"title": "事项名称", "status": "状态", "deadline": "办理时限", "unit": "承办单位"}

    def scoped_queryset(self):
        return _task_queryset(services.visible_tasks(self.request.user))

    def extra_context(self):
        user = self.request.user
        return {
            "summary": services.summary(user),
            "show_mine": bool(user.organisation_id) and has_perm(user, "supervision.report_assignment"),
        }


def _assignment_status_colour(assignment):
    if assignment.status == AssignmentStatus.ACCEPTED:
        return "success"
    if assignment.is_overdue():
        return "danger"
    return {AssignmentStatus.REPORTED: "info", AssignmentStatus.RETURNED: "warning"}.get(
        assignment.status, "secondary"
    )


class MyTasksView(ObjectListView):
    """本单位待办: the parts of tasks addressed to the user's own organisation."""

    model = Assignment
    permission = "supervision.report_assignment"
    title = "本单位督办事项"
    ordering = ("deadline", "id")
    template_name = "supervision/my_tasks.html"
    columns = [
        Column("文号", "task.number"),
        Column("事项名称", lambda a: a.task.title, link=True),
        Column("督办单位", "task.issuer"),
        Column("承办/协办", "get_role_display"),
        Column("办理时限", "deadline"),
        Column("状态", "get_status_display", badge=_assignment_status_colour),
        Column("逾期报送", "reported_late"),
    ]
    card_fields = {"title": "事项名称", "status": "状态", "deadline": "办理时限", "unit": "督办单位"}

    def scoped_queryset(self):
        user = self.request.user
        if not user.organisation_id:
            return Assignment.objects.none()
        queryset = Assignment.objects.filter(unit_id=user.organisation_id).select_related(
            "task", "task__issuer"
        )
        if self.request.GET.get("all") != "1":
            queryset = queryset.exclude(status=AssignmentStatus.ACCEPTED)
        return queryset


class TaskDetailView(ObjectDetailView):
    model = Task
    permission = "supervision.view_task"
    template_name = "supervision/task_detail.html"

    def scoped_queryset(self):
        return services.visible_tasks(self.request.user).select_related("issuer", "issued_by", "source_type")

    def extra_context(self, task):
        user = self.request.user
        parts = list(
            services.visible_assignments(user).filter(task=task).select_related("unit", "accepted_by")
        )
        reports = (
            ProgressReport.objects.filter(assignment__in=parts)
            .select_related("reported_by")
            .prefetch_related("attachments")
            .order_by("reported_at", "id")
        )
        by_part = {a.pk: {"reports": [], "reviews": [], "extensions": []} for a in parts}
        for report in reports:
            by_part[report.assignment_id]["reports"].append(report)
        from .models import Review

        for review in Review.objects.filter(assignment__in=parts).select_related("reviewed_by"):
            by_part[review.assignment_id]["reviews"].append(review)
        for request in ExtensionRequest.objects.filter(assignment__in=parts).select_related(
            "requested_by", "decided_by"
        ):
            by_part[request.assignment_id]["extensions"].append(request)
        today = timezone.localdate()
        rows = []
        for part in parts:
            timeline = sorted(
                [("report", r.reported_at, r) for r in by_part[part.pk]["reports"]]
                + [("review", r.reviewed_at, r) for r in by_part[part.pk]["reviews"]]
                + [("extension", e.requested_at, e) for e in by_part[part.pk]["extensions"]],
                key=lambda row: row[1],
            )
            rows.append(
                {
                    "part": part,
                    "overdue": part.is_overdue(today),
                    "timeline": timeline,
                    "can_report": services.refusal(part, Action.PROGRESS, user) is None,
                    "can_review": services.refusal(part, Action.ACCEPT, user) is None,
                    "review_refusal": services.refusal(part, Action.ACCEPT, user)
                    if part.status == AssignmentStatus.REPORTED
                    else None,
                    "can_extend": services.is_unit_side(user, part)
                    and part.is_working
                    and task.is_open
                    and not any(e.status == ExtensionStatus.PENDING for e in by_part[part.pk]["extensions"]),
                    "pending_extension": next(
                        (e for e in by_part[part.pk]["extensions"] if e.status == ExtensionStatus.PENDING),
                        None,
                    ),
                    "can_decide_extension": services.is_issuer_side(user, task),
                }
            )
        return {
            "rows": rows,
            "firings": services.deadline_history(parts),
            "is_issuer_side": services.is_issuer_side(user, task),
        }


class TaskIssueView(PermissionRequiredMixin, View):
    permission = "supervision.add_task"

    def get(self, request):
        initial = {}
        if request.GET.get("bulletin"):
            initial = {"source_kind": "bulletin", "bulletin": request.GET["bulletin"]}
        form = TaskForm(user=request.user, initial=initial)
        sector, responsible = self.responsible_for_sector(form)
        if responsible:
            form.initial["lead_units"] = [u.pk for u in responsible]
        return self.render(form, sector=sector, responsible=responsible)

    def responsible_for_sector(self, form):
        """ "?sector=": the units the responsibility lists name for that sector (管行业必须管安全, the department→
        sector mapping kept on the committee's 责任清单 pages), as far as this issuer may task them."""
        from anjian.committee.services import responsible_units

        sector = Sector.objects.filter(pk=_int(self.request.GET.get("sector")), is_active=True).first()
        issuer = form.fields["issuer"].queryset.first()
        if sector is None or issuer is None:
            return sector, []
        allowed = set(form.fields["lead_units"].queryset.values_list("pk", flat=True))
        return sector, [u for u in responsible_units(sector, issuer.territory) if u.pk in allowed]

    def post(self, request):
        form = TaskForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            task = services.issue_task(
                by=request.user,
                issuer=data["issuer"],
                title=data["title"],
                content=data["content"],
                basis=data.get("basis", ""),
                lead_units=data["lead_units"],
                assisting_units=data.get("assisting_units") or (),
                deadline=data["deadline"],
                materials=data.get("materials", ""),
                source=form.source(),
                kind=data["kind"],
                urgency=data["urgency"],
                notice_title=data.get("notice_title", "") if data.get("source_kind") == "notice" else "",
                notice_number=data.get("notice_number", "") if data.get("source_kind") == "notice" else "",
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render(form, status=400)
        messages.success(request, f"已签发{task.get_kind_display()}单 {task.number}。")
        return redirect(task)

    def render(self, form, status=200, sector=None, responsible=None):
        context = {
            "form": form,
            "title": "签发督办单",
            "sectors": Sector.objects.filter(is_active=True).order_by("sort_order", "id"),
            "sector": sector,
            "responsible": responsible,
        }
        return render(self.request, "supervision/task_form.html", context, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class AssignmentActionView(PermissionRequiredMixin, View):
    """One form per action on one assignment: report (进展/办结), review (验收/退回), extension request."""

    form_class = None
    title = ""

    def get_assignment(self):
        return get_object_or_404(
            services.visible_assignments(self.request.user).select_related("task", "task__issuer", "unit"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        assignment = self.get_assignment()
        reason = self.refusal(assignment)
        return self.render(assignment, self.form_class(), reason)

    def post(self, request, pk):
        assignment = self.get_assignment()
        reason = self.refusal(assignment)
        form = self.form_class(request.POST, request.FILES)
        if reason:
            return self.render(assignment, form, reason, status=403)
        if not form.is_valid():
            return self.render(assignment, form, None, status=400)
        try:
            self.perform(assignment, form.cleaned_data)
        except PermissionDenied as exc:
            return self.render(assignment, form, str(exc), status=403)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render(assignment, form, None, status=400)
        messages.success(request, self.done_message)
        return redirect(assignment.task)

    def render(self, assignment, form, reason, status=200):
        return render(
            self.request,
            "supervision/assignment_form.html",
            {
                "form": form,
                "assignment": assignment,
                "task": assignment.task,
                "title": self.title,
                "reason": reason,
            },
            status=status,
        )


class ReportView(AssignmentActionView):
    permission = "supervision.report_assignment"
    form_class = ReportForm
    title = "报送办理情况"
    done_message = "已报送。"

    def refusal(self, assignment):
        return services.refusal(assignment, Action.PROGRESS, self.request.user)

    def perform(self, assignment, data):
        services.report_progress(
            assignment, by=self.request.user, text=data["text"], final=data["final"], files=data["files"]
        )


class ReviewView(AssignmentActionView):
    permission = "supervision.review_assignment"
    form_class = ReviewForm
    title = "验收办理情况"
    done_message = "已提交验收意见。"

    def refusal(self, assignment):
        return services.refusal(assignment, Action.ACCEPT, self.request.user)

    def perform(self, assignment, data):
        if data["decision"] == "accept":
            services.accept(assignment, by=self.request.user, opinion=data.get("opinion", ""))
        else:
            services.send_back(assignment, by=self.request.user, reason=data.get("opinion", ""))


class ExtensionView(AssignmentActionView):
    permission = "supervision.report_assignment"
    form_class = ExtensionForm
    title = "申请延期"
    done_message = "延期申请已提交。"

    def refusal(self, assignment):
        if not services.is_unit_side(self.request.user, assignment):
            return "只有办理单位本单位人员可以申请延期。"
        if not assignment.is_working or not assignment.task.is_open:
            return f"“{assignment.get_status_display()}”状态下不能申请延期。"
        return None

    def perform(self, assignment, data):
        services.request_extension(
            assignment, by=self.request.user, new_deadline=data["new_deadline"], reason=data["reason"]
        )


class ExtensionDecisionView(PermissionRequiredMixin, View):
    permission = "supervision.review_assignment"

    def get_request(self):
        parts = services.visible_assignments(self.request.user)
        return get_object_or_404(
            ExtensionRequest.objects.filter(assignment__in=parts).select_related(
                "assignment", "assignment__task", "assignment__unit"
            ),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        extension = self.get_request()
        return self.render(extension, ExtensionDecisionForm(), None)

    def post(self, request, pk):
        extension = self.get_request()
        form = ExtensionDecisionForm(request.POST)
        if not form.is_valid():
            return self.render(extension, form, None, status=400)
        try:
            services.decide_extension(
                extension,
                by=request.user,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            return self.render(extension, form, str(exc), status=403)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render(extension, form, None, status=400)
        messages.success(request, "已审批延期申请。")
        return redirect(extension.assignment.task)

    def render(self, extension, form, reason, status=200):
        assignment = extension.assignment
        return render(
            self.request,
            "supervision/assignment_form.html",
            {
                "form": form,
                "assignment": assignment,
                "task": assignment.task,
                "title": "审批延期申请",
                "reason": reason,
                "extension": extension,
            },
            status=status,
        )


class TaskDocumentView(PermissionRequiredMixin, View):
    permission = "supervision.view_task"

    def get(self, request, pk, fmt):
        if fmt not in ("pdf", "docx"):
            raise Http404("只能生成 PDF 或 Word 文书。")
        task = get_object_or_404(services.visible_tasks(request.user).select_related("issuer"), pk=pk)
        return document_response(
            documents.task_order(task), fmt, f"{task.get_kind_display()}单-{task.number}"
        )
