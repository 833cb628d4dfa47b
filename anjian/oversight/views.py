"""督查 pages: thin views over services (rules), access (who sees what) and the generic list/detail pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from anjian.core.documents import document_response
from anjian.core.permissions import has_perm
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)

from . import documents, ledger, services, workflow
from .access import problems_for, visits_for
from .filters import ProblemFilter, VisitFilter
from .forms import ACTION_FORMS, FeedbackForm, ProblemForm, TaskForm, VisitForm
from .models import ImportTarget, OversightVisit, Problem, ProblemStatus, VisitStatus
from .workflow import TransitionRefused

STATUS_COLOURS = {
    ProblemStatus.PENDING: "secondary",
    ProblemStatus.RECTIFYING: "warning",
    ProblemStatus.REPORTED: "info",
    ProblemStatus.CLOSED: "success",
}
VISIT_COLOURS = {
    VisitStatus.INSPECTING: "secondary",
    VisitStatus.FED_BACK: "primary",
    VisitStatus.RECTIFYING: "warning",
    VisitStatus.DONE: "success",
}


def _overdue(problem) -> str:
    return "是" if problem.overdue_now() else "否"


# --- visits ------------------------------------------------------------------------------------------------
class VisitScopeMixin:
    def scoped_queryset(self):
        return visits_for(self.request.user, self.base_queryset())


class VisitList(VisitScopeMixin, ObjectListView):
    model = OversightVisit
    queryset = OversightVisit.objects.select_related("inspecting_org", "territory").annotate(
        problem_count=Count("problems"),
        closed_count=Count("problems", filter=Q(problems__status=ProblemStatus.CLOSED)),
    )
    permission = "oversight.view_oversightvisit"
    filterset_class = VisitFilter
    title = "督查记录"
    ordering = ("-start_on", "-id")
    export_name = "督查记录"
    export_permission = "oversight.export_problem"
    add_url = "oversight:visit_add"
    add_permission = "oversight.change_oversightvisit"
    columns = [
        Column("督查编号", "number", link=True),
        Column("督查名称", "title"),
        Column("督查类型", "get_kind_display"),
        Column("督查单位", "inspecting_body"),
        Column("被督查区划", "territory.name"),
        Column("开始日期", "start_on"),
        Column("反馈日期", "fed_back_on"),
        Column("问题数", "problem_count"),
        Column("已销号", "closed_count"),
        Column("状态", "get_status_display", badge=lambda v: VISIT_COLOURS.get(v.status)),
    ]


class VisitDetail(VisitScopeMixin, ObjectDetailView):
    model = OversightVisit
    queryset = OversightVisit.objects.select_related("inspecting_org", "territory", "owner_org", "created_by")
    permission = "oversight.view_oversightvisit"
    change_permission = "oversight.change_oversightvisit"
    edit_url = "oversight:visit_edit"
    template_name = "oversight/visit_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        problems = problems_for(user, obj.problems.select_related("responsible_unit")).annotate(
            evidence_count=Count("evidence")
        )
        is_owner = user.role == "office" and has_perm(user, "oversight.change_oversightvisit")
        today = timezone.localdate()
        problems = list(problems.order_by("sequence"))
        for problem in problems:
            problem.is_overdue = problem.overdue_now(today)
        return {
            "problems": problems,
            "targets": list(obj.targets.all()),
            "can_manage": is_owner,
            "can_feed_back": is_owner and obj.status == VisitStatus.INSPECTING,
            "feedback_form": FeedbackForm(initial={"fed_back_on": timezone.localdate()}),
        }


class VisitEdit(ObjectEditView):
    model = OversightVisit
    form_class = VisitForm
    add_permission = change_permission = "oversight.change_oversightvisit"
    title_add, title_change = "登记督查", "修改督查"

    def scoped_queryset(self):
        return visits_for(self.request.user, self.base_queryset())

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = self.get_form(instance, request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            targets = data.pop("targets")
            try:
                if instance.pk:
                    visit = services.update_visit(instance, actor=request.user, targets=targets, **data)
                else:
                    visit = services.register_visit(actor=request.user, targets=targets, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(visit.get_absolute_url())
        return self.render_form(form, instance, status=400)


class FeedbackView(PermissionRequiredMixin, View):
    permission = "oversight.change_oversightvisit"

    def post(self, request, pk):
        visit = get_object_or_404(visits_for(request.user), pk=pk)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的反馈日期。")
            return redirect(visit.get_absolute_url())
        try:
            services.feed_back(
                visit,
                actor=request.user,
                fed_back_on=form.cleaned_data["fed_back_on"],
                summary=form.cleaned_data["summary"],
            )
        except (TransitionRefused, PermissionDenied) as exc:
            messages.error(request, getattr(exc, "reason", None) or str(exc))
        else:
            messages.success(request, "已登记督查反馈，问题清单已发送各整改责任单位。")
        return redirect(visit.get_absolute_url())


class ImportChooseView(PermissionRequiredMixin, View):
    """Remember which visit the user imports into, then open the generic import page."""

    permission = "oversight.import_problem"

    def post(self, request, pk):
        visit = get_object_or_404(visits_for(request.user), pk=pk)
        ImportTarget.objects.update_or_create(
            user=request.user, defaults={"visit": visit, "chosen_at": timezone.now()}
        )
        messages.info(request, f"导入的问题将加入：{visit}")
        return redirect("core:import_start", key="oversight-problems")


class VisitDocumentView(PermissionRequiredMixin, View):
    """反馈报告 (feedback) and 整改情况报告 (report) as DOCX or PDF."""

    permission = "oversight.view_oversightvisit"

    def get(self, request, pk, which, fmt):
        if fmt not in ("pdf", "docx") or which not in ("feedback", "report"):
            raise Http404("没有这种文书。")
        visit = get_object_or_404(
            visits_for(request.user).select_related("owner_org", "territory", "inspecting_org"), pk=pk
        )
        if visit.status == VisitStatus.INSPECTING:
            raise Http404("督查尚未反馈，还没有反馈报告。")
        if which == "feedback":
            doc, name = documents.feedback_report(visit, request.user), "督查反馈报告"
        else:
            doc, name = documents.rectification_report(visit, request.user), "督查问题整改情况报告"
        return document_response(doc, fmt, f"{name}-{visit.number}")


# --- problems ----------------------------------------------------------------------------------------------
class ProblemScopeMixin:
    def scoped_queryset(self):
        return problems_for(self.request.user, self.base_queryset())


class ProblemList(ProblemScopeMixin, ObjectListView):
    model = Problem
    queryset = Problem.objects.select_related("visit", "responsible_unit")
    permission = "oversight.view_problem"
    filterset_class = ProblemFilter
    title = "督查问题"
    template_name = "oversight/problem_list.html"
    ordering = ("-id",)
    export_name = "督查问题清单"
    export_permission = "oversight.export_problem"
    card_fields = {"title": "存在问题", "status": "状态", "deadline": "整改时限", "unit": "整改责任单位"}
    columns = [
        Column("督查", "visit.number"),
        Column("序号", "sequence"),
        Column("存在问题", lambda p: p.description[:60], link=True, export=False),
        Column("存在问题", "description", display=False),
        Column("督查类型", "visit.get_kind_display", display=False),
        Column("问题类别", "get_category_display", display=False),
        Column("依据", "basis", display=False),
        Column("整改责任单位", "responsible_unit"),
        Column("整改责任人", "responsible_display"),
        Column("整改措施", "measures", display=False),
        Column("整改时限", "deadline"),
        Column("状态", "get_status_display", badge=lambda p: STATUS_COLOURS.get(p.status)),
        Column("逾期", _overdue, badge=lambda p: "danger" if p.overdue_now() else None),
        Column("销号时间", "closed_at", display=False),
    ]

    def extra_context(self):
        return {
            "ledger_url": reverse("oversight:ledger")
            if has_perm(self.request.user, "oversight.view_ledger")
            else ""
        }


class ProblemDetail(ProblemScopeMixin, ObjectDetailView):
    model = Problem
    queryset = Problem.objects.select_related(
        "visit__owner_org__territory", "responsible_unit", "reported_by", "closed_by"
    )
    permission = "oversight.view_problem"
    template_name = "oversight/problem_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        actions = workflow.available_actions(obj, user) if has_perm(user, "oversight.change_problem") else []
        task_refusal = services.can_turn_into_task(obj, user)
        return {
            "actions": [(t, ACTION_FORMS[t.action](prefix=t.action)) for t in actions],
            "reports": list(obj.reports.select_related("reported_by").prefetch_related("evidence")),
            "evidence": list(obj.evidence.select_related("uploaded_by")),
            "reviews": list(obj.reviews.select_related("reviewer")),
            "overdue": obj.overdue_now(),
            "can_edit": user.role == "office"
            and has_perm(user, "oversight.change_oversightvisit")
            and obj.status != ProblemStatus.CLOSED,
            "can_turn_into_task": task_refusal is None,
            "task_form": TaskForm(initial={"deadline": obj.deadline}) if task_refusal is None else None,
        }


class ProblemEdit(ObjectEditView):
    """Add a problem to a visit (/visits/<visit>/problems/add/) or correct one (/problems/<pk>/edit/)."""

    model = Problem
    form_class = ProblemForm
    add_permission = change_permission = "oversight.change_oversightvisit"
    title_add, title_change = "录入督查问题", "修改督查问题"
    template_name = "oversight/problem_form.html"

    def scoped_queryset(self):
        return problems_for(self.request.user, self.base_queryset())

    def get_visit(self):
        if "visit" in self.kwargs:
            return get_object_or_404(visits_for(self.request.user), pk=self.kwargs["visit"])
        return self.get_object().visit

    def new_instance(self):
        return Problem(visit=self.get_visit())

    def render_form(self, form, instance, status=200):
        title = self.title_change if instance.pk else self.title_add
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": instance if instance.pk else None,
                "title": title,
                "visit": instance.visit,
            },
            status=status,
        )

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = self.get_form(instance, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if instance.pk:
                    if data.get("sequence") is None:
                        data.pop("sequence")
                    problem = services.update_problem(instance, actor=request.user, **data)
                else:
                    sequence = data.pop("sequence")
                    problem = services.add_problem(
                        instance.visit, actor=request.user, sequence=sequence, **data
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            except TransitionRefused as exc:
                form.add_error(None, exc.reason)
            else:
                messages.success(request, "已保存。")
                if "add_another" in request.POST:
                    return redirect("oversight:problem_add", visit=problem.visit_id)
                return redirect(
                    problem.visit.get_absolute_url() if not instance.pk else problem.get_absolute_url()
                )
        return self.render_form(form, instance, status=400)


class ProblemActionView(PermissionRequiredMixin, View):
    """POST an action of the transitions table; a refusal shows its Chinese reason and keeps what was typed."""

    permission = "oversight.change_problem"

    def post(self, request, pk, action):
        problem = get_object_or_404(
            problems_for(request.user).select_related("visit", "responsible_unit"), pk=pk
        )
        transition = workflow.BY_ACTION.get(action)
        if transition is None:
            raise Http404("未知的操作。")
        form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)
        reason = None
        if form.is_valid():
            try:
                services.perform(problem, request.user, action, form.cleaned_data)
            except TransitionRefused as exc:
                reason = exc.reason
            except ValidationError as exc:
                reason = "；".join(exc.messages)
            else:
                messages.success(request, f"{transition.label}：已完成。")
                url = problem.get_absolute_url()
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
        template = "oversight/action_form.html"
        if request.htmx:
            template += "#action"
        context = {"object": problem, "transition": transition, "form": form, "reason": reason}
        return render(request, template, context, status=200 if request.htmx else 400)


class TurnIntoTaskView(PermissionRequiredMixin, View):
    permission = "oversight.change_problem"

    def post(self, request, pk):
        problem = get_object_or_404(problems_for(request.user), pk=pk)
        form = TaskForm(request.POST)
        deadline = form.cleaned_data["deadline"] if form.is_valid() else None
        try:
            with transaction.atomic():
                task = services.turn_into_task(problem, actor=request.user, deadline=deadline)
        except (TransitionRefused, PermissionDenied, ValidationError) as exc:
            messages.error(
                request, getattr(exc, "reason", None) or "；".join(getattr(exc, "messages", [str(exc)]))
            )
            return redirect(problem.get_absolute_url())
        messages.success(request, "已转为督办事项。")
        return redirect(task.get_absolute_url())


# --- ledger ------------------------------------------------------------------------------------------------
class LedgerView(PermissionRequiredMixin, View):
    """整改台账 by responsible body: the same filters as the problem list, one GROUP BY; Excel export."""

    permission = "oversight.view_ledger"

    def get(self, request):
        problems = problems_for(request.user)
        filterset = ProblemFilter(request.GET or None, queryset=problems, request=request)
        if filterset.is_bound:
            problems = filterset.qs if filterset.is_valid() else problems.none()
        if request.GET.get("export") == "xlsx":
            return ledger.summary_table(problems).response("督查问题整改台账")
        params = request.GET.copy()
        params.pop("export", None)
        params["export"] = "xlsx"
        list_params = request.GET.copy()
        list_params.pop("export", None)
        context = {
            "title": "督查问题整改台账",
            "filterset": filterset,
            "rows": ledger.unit_summary(problems),
            "totals": ledger.totals(problems),
            "export_url": f"{request.path}?{params.urlencode()}",
            "list_url": reverse("oversight:problem_list"),
            "list_query": list_params.urlencode(),
        }
        template = "oversight/ledger.html"
        if request.htmx and request.htmx.target == "results":
            template += "#results"
        return render(request, template, context)
