"""Pages: plans and campaigns, tasks (my tasks), inspection records with checklist filling, checklist templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.documents import document_response
from anjian.core.exports import xlsx_response
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope
from anjian.core.subqueries import related_count
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
    ScopedObjectMixin,
)
from anjian.registry.models import RiskColour

from . import documents, services, targeting
from .filters import InspectionFilter, PlanFilter, TargetingFilter, TaskFilter
from .forms import (
    InspectionForm,
    ItemFormSet,
    PlanForm,
    SignatureForm,
    TargetingRuleForm,
    TemplateForm,
    TemplateItemFormSet,
)
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionStatus,
    InspectionTask,
    ItemResult,
    Kind,
    PlanStatus,
    TargetingRule,
    TaskStatus,
)

STATUS_COLOURS = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.ACTIVE: "primary",
    PlanStatus.CLOSED: "dark",
    TaskStatus.PENDING: "warning",
    TaskStatus.DONE: "success",
    TaskStatus.CANCELLED: "secondary",
    InspectionStatus.DRAFT: "warning",
    InspectionStatus.COMPLETED: "success",
}


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _overdue(task) -> bool:
    return task.status == TaskStatus.PENDING and task.due_date < timezone.localdate()


# --- plans ---------------------------------------------------------------------------------------------
class PlanList(ObjectListView):
    model = InspectionPlan
    permission = "inspections.view_inspectionplan"
    filterset_class = PlanFilter
    ordering = ("-start_date", "-id")
    title = "检查计划与专项行动"
    export_name = "检查计划台账"
    add_url = "inspections:plan_add"
    add_permission = "inspections.change_inspectionplan"
    queryset = (
        InspectionPlan.objects.select_related("territory", "organisation")
        .prefetch_related("sectors")
        .annotate(
            task_total=related_count(InspectionTask, "plan"),
            task_done=related_count(InspectionTask, "plan", status=TaskStatus.DONE),
        )
    )
    columns = [
        Column("计划编号", "number", link=True),
        Column("名称", "name", link=True),
        Column("类型", "kind"),
        Column("检查层级", "level"),
        Column("区域", "territory.name"),
        Column("牵头单位", "organisation.name"),
        Column("行业领域", "sectors"),
        Column("开始", "start_date"),
        Column("结束", "end_date"),
        Column("任务数", "task_total"),
        Column("已完成", "task_done"),
        Column("状态", "status", badge=lambda o: STATUS_COLOURS.get(o.status)),
        Column("随机种子", "random_seed", display=False),
    ]


class PlanDetail(ObjectDetailView):
    model = InspectionPlan
    permission = "inspections.view_inspectionplan"
    change_permission = "inspections.change_inspectionplan"
    edit_url = "inspections:plan_edit"
    template_name = "inspections/plan_detail.html"
    queryset = InspectionPlan.objects.select_related(
        "territory", "organisation", "checklist_template", "drawn_by"
    )

    def extra_context(self, obj):
        user = self.request.user
        tasks = obj.tasks.select_related("enterprise", "inspector", "sector").order_by("due_date", "id")
        counts = dict(obj.tasks.values_list("status").annotate(n=Count("id")))
        actions = [
            t
            for (source, _), t in services.PLAN_TRANSITIONS.items()
            if source == obj.status and has_perm(user, t.permission)
        ]
        return {
            "sectors": obj.sectors.all(),
            "explicit_enterprises": obj.enterprises.all()[:50],
            "inspectors": obj.inspectors.all(),
            "tasks": tasks[:200],
            "task_count": sum(counts.values()),
            "task_done": counts.get(TaskStatus.DONE, 0),
            "can_generate": has_perm(user, "inspections.generate_tasks") and obj.status != PlanStatus.CLOSED,
            "draw_verified": services.verify_draw(obj) if obj.drawn_at else None,
            "actions": actions,
            "priority_tasks": obj.tasks.filter(priority_rank__isnull=False)
            .select_related("enterprise", "inspector")
            .order_by("priority_rank"),
            "can_prioritise": has_perm(user, "inspections.generate_tasks")
            and has_perm(user, targeting.VIEW_PERMISSION)
            and obj.status != PlanStatus.CLOSED,
            "priority_default": 10,
        }


class PlanEdit(ObjectEditView):
    model = InspectionPlan
    form_class = PlanForm
    add_permission = change_permission = "inspections.change_inspectionplan"
    title_add, title_change = "新建检查计划", "修改检查计划"
    template_name = "inspections/plan_form.html"

    def new_instance(self):
        user = self.request.user
        today = timezone.localdate()
        return InspectionPlan(
            organisation=user.organisation,
            territory=user.territory,
            year=today.year,
            quarter=(today.month - 1) // 3 + 1,
        )

    def save(self, form):
        plan = form.save(commit=False)
        if not plan.pk:
            plan.number = services.new_plan_number(plan.year)
            plan.created_by = self.request.user
        plan.save()
        form.save_m2m()
        return plan


class PlanAction(PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST: generate tasks, run the 双随机 draw, take the 重点 units from the risk ranking, publish or close."""

    model = InspectionPlan
    permission = "inspections.view_inspectionplan"

    def post(self, request, pk, action):
        plan = self.get_object()
        try:
            if action == "generate":
                n = services.generate_tasks(actor=request.user, plan=plan)
                messages.success(
                    request, f"已生成 {n} 项新任务。" if n else "没有需要新增的任务（已生成的不会重复生成）。"
                )
            elif action == "draw":
                n = services.draw_random(actor=request.user, plan=plan)
                messages.success(request, f"双随机抽取完成：抽中 {n} 家单位。")
            elif action == "prioritise":
                count = request.POST.get("count", "")
                if not (count.isdecimal() and len(count) <= 4):
                    raise ValidationError("请填写要选取的重点单位数（整数）。")
                marked = targeting.select_priority_units(actor=request.user, plan=plan, count=int(count))
                messages.success(request, f"已从风险排序选取重点单位 {len(marked)} 家。")
            elif action in ("publish", "close"):
                services.change_plan_status(actor=request.user, plan=plan, action=action)
                messages.success(request, "已更新计划状态。")
            else:
                raise ValidationError("未知操作。")
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        return redirect(plan.get_absolute_url())


# --- tasks ---------------------------------------------------------------------------------------------
class TaskList(ObjectListView):
    model = InspectionTask
    permission = "inspections.view_inspectiontask"
    filterset_class = TaskFilter
    ordering = ("due_date", "id")
    title = "检查任务"
    export_name = "检查任务台账"
    template_name = "inspections/task_list.html"
    queryset = InspectionTask.objects.select_related(
        "plan", "enterprise", "inspector", "sector"
    ).prefetch_related("co_inspectors")
    columns = [
        Column("检查单位", "enterprise.name", link=True),
        Column("计划", "plan.name"),
        Column("行业领域", "sector.name"),
        Column("检查人员", "inspector.name"),
        Column("协同人员", "co_inspectors", display=False),
        Column("完成期限", "due_date", badge=lambda t: "danger" if _overdue(t) else None),
        Column("状态", "status", badge=lambda t: STATUS_COLOURS.get(t.status)),
    ]


class TaskDetail(ObjectDetailView):
    model = InspectionTask
    permission = "inspections.view_inspectiontask"
    template_name = "inspections/task_detail.html"
    queryset = InspectionTask.objects.select_related("plan", "enterprise", "inspector", "sector")

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        inspection = Inspection.objects.filter(task=obj).first()
        return render(
            request,
            self.template_name,
            {
                "object": obj,
                "inspection": inspection,
                "overdue": _overdue(obj),
                "co_inspectors": obj.co_inspectors.all(),
                "can_start": has_perm(request.user, "inspections.add_inspection")
                and obj.status == TaskStatus.PENDING,
            },
        )


class TaskStart(PermissionRequiredMixin, ScopedObjectMixin, View):
    model = InspectionTask
    permission = "inspections.add_inspection"

    def post(self, request, pk):
        task = self.get_object()
        try:
            inspection = services.start_from_task(actor=request.user, task=task)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect(task.get_absolute_url())
        return redirect("inspections:inspection_fill", inspection.pk)


# --- inspections ---------------------------------------------------------------------------------------
def _inspectors_text(obj) -> str:
    return "、".join(
        f"{u.get_full_name()}（{u.certificate_no}）" if u.certificate_no else u.get_full_name()
        for u in obj.inspectors.all()
    )


class InspectionList(ObjectListView):
    model = Inspection
    permission = "inspections.view_inspection"
    export_permission = "inspections.export_inspection"
    filterset_class = InspectionFilter
    ordering = ("-inspected_on", "-id")
    title = "检查记录"
    export_name = "检查记录台账"
    add_url = "inspections:inspection_add"
    add_permission = "inspections.add_inspection"
    queryset = (
        Inspection.objects.select_related("enterprise", "sector", "territory")
        .prefetch_related("inspectors")
        .annotate(
            failed_count=related_count(InspectionItem, "inspection", result=ItemResult.FAIL),
            hazard_count=related_count(InspectionItem, "inspection", hazard__isnull=False),
        )
    )
    columns = [
        Column("记录编号", "number", link=True),
        Column("被检查单位", "enterprise.name", link=True),
        Column("检查日期", "inspected_on"),
        Column("层级", "level"),
        Column("类型", "kind"),
        Column("行业领域", "sector.name"),
        Column("区划", "territory.name"),
        Column("检查人员（执法证号）", _inspectors_text),
        Column("不符合项", "failed_count"),
        Column("已登记隐患", "hazard_count"),
        Column("状态", "status", badge=lambda o: STATUS_COLOURS.get(o.status)),
        Column("检查地点", "location", display=False),
        Column("检查情况", "summary", display=False),
    ]


class InspectionDetail(ObjectDetailView):
    model = Inspection
    permission = "inspections.view_inspection"
    change_permission = "inspections.change_inspection"
    template_name = "inspections/inspection_detail.html"
    queryset = Inspection.objects.select_related(
        "enterprise",
        "sector",
        "territory",
        "plan",
        "task",
        "organisation",
        "checklist_template",
        "lead_inspector",
    )

    def extra_context(self, obj):
        user = self.request.user
        items = list(obj.items.select_related("hazard").order_by("order"))
        editable = obj.status == InspectionStatus.DRAFT and has_perm(user, "inspections.change_inspection")
        return {
            "items": items,
            "inspectors": obj.inspectors.all(),
            "failed": [i for i in items if i.result == ItemResult.FAIL],
            "pending_hazards": [i for i in items if i.result == ItemResult.FAIL and i.hazard_id is None],
            "can_fill": editable,
            "can_create_hazards": has_perm(user, "inspections.create_hazards"),
            "can_acknowledge": has_perm(user, "inspections.acknowledge_inspection")
            and user.enterprise_id == obj.enterprise_id
            and not obj.unit_signed_at,
            "problems": services.completion_problems(obj) if obj.status == InspectionStatus.DRAFT else [],
        }


class InspectionCreate(ObjectEditView):
    model = Inspection
    form_class = InspectionForm
    add_permission = change_permission = "inspections.add_inspection"
    title_add = "新建检查记录"
    template_name = "inspections/inspection_form.html"

    def new_instance(self):
        user = self.request.user
        return Inspection(
            level=services.default_level(user),
            kind=Kind.ROUTINE,
            enterprise=user.enterprise if user.role == Role.ENTERPRISE else None,
            inspected_on=timezone.localdate(),
        )

    def get_form(self, instance, data=None, files=None):
        form = super().get_form(instance, data, files)
        if data is None:
            form.initial.setdefault("inspectors", [self.request.user.pk])
        return form

    def post(self, request, *args, **kwargs):
        instance = self.new_instance()
        form = self.get_form(instance, request.POST, request.FILES)
        if form.is_valid():
            inspection = form.save(commit=False)
            try:
                services.create_inspection(
                    actor=request.user, inspection=inspection, inspectors=form.cleaned_data["inspectors"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "检查记录已创建，请填写检查表。")
                return redirect("inspections:inspection_fill", inspection.pk)
        return self.render_form(form, instance, status=400)


class InspectionFill(PermissionRequiredMixin, ScopedObjectMixin, View):
    """The phone page: record header, checklist (pass / fail / n.a., note, photo, follow-up), signatures."""

    model = Inspection
    permission = "inspections.change_inspection"
    template_name = "inspections/inspection_fill.html"

    def get_object(self):
        obj = super().get_object()
        if obj.status != InspectionStatus.DRAFT:
            raise PermissionDenied("检查记录已完成，不能再修改。")
        return obj

    def forms(self, obj, data=None, files=None):
        return (
            InspectionForm(data=data, files=files, instance=obj, user=self.request.user),
            ItemFormSet(data=data, files=files, instance=obj, queryset=obj.items.order_by("order")),
            SignatureForm(data=data, prefix="sig"),
        )

    def get(self, request, pk):
        obj = self.get_object()
        return self.render(obj, *self.forms(obj))

    def render(self, obj, form, formset, signature_form, status=200):
        return render(
            self.request,
            self.template_name,
            {"object": obj, "form": form, "formset": formset, "signature_form": signature_form},
            status=status,
        )

    def post(self, request, pk):
        obj = self.get_object()
        form, formset, signature_form = self.forms(obj, request.POST, request.FILES)
        if not (form.is_valid() and formset.is_valid() and signature_form.is_valid()):
            messages.error(request, "请修正标红的内容。")
            return self.render(obj, form, formset, signature_form, status=400)
        try:
            with transaction.atomic():
                inspection = form.save()
                services.check_inspection_rules(inspection, request.user)
                items = formset.save(commit=False)
                next_order = max([i.order for i in obj.items.all()] or [0]) + 1
                for item in items:
                    if not item.pk:
                        item.order = next_order
                        next_order += 1
                    item.save()
                sig = signature_form.cleaned_data
                if sig.get("inspector_signature"):
                    services.sign(
                        actor=request.user,
                        inspection=inspection,
                        who="inspector",
                        data_url=sig["inspector_signature"],
                    )
                if sig.get("unit_signature"):
                    services.sign(
                        actor=request.user,
                        inspection=inspection,
                        who="unit",
                        data_url=sig["unit_signature"],
                        signer_name=sig["unit_signer_name"],
                    )
                ensure_in_scope(request.user, inspection)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render(obj, form, formset, signature_form, status=400)
        if "complete" in request.POST:
            try:
                services.complete(actor=request.user, inspection=inspection)
            except ValidationError as exc:
                messages.warning(request, "已保存，但还不能完成：")
                for message in _errors(exc):
                    messages.error(request, message)
                return redirect("inspections:inspection_fill", inspection.pk)
            messages.success(request, "检查已完成。")
        else:
            messages.success(request, "已保存。")
        return redirect(inspection.get_absolute_url())


class InspectionAction(PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST: complete, acknowledge (unit confirms), hazards (failed items → hazards in one step)."""

    model = Inspection
    permission = "inspections.view_inspection"

    def post(self, request, pk, action):
        obj = self.get_object()
        try:
            if action == "complete":
                services.complete(actor=request.user, inspection=obj)
                messages.success(request, "检查已完成。")
            elif action == "acknowledge":
                services.acknowledge(actor=request.user, inspection=obj)
                messages.success(request, "已确认检查记录。")
            elif action == "hazards":
                created = services.create_hazards_from_items(actor=request.user, inspection=obj)
                messages.success(
                    request, f"已登记隐患 {len(created)} 条：" + "、".join(h.number for h in created)
                )
            else:
                raise ValidationError("未知操作。")
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        return redirect(obj.get_absolute_url())


class InspectionDocument(PermissionRequiredMixin, ScopedObjectMixin, View):
    """现场检查记录 as Word or PDF."""

    model = Inspection
    permission = "inspections.view_inspection"

    def get(self, request, pk, fmt):
        obj = self.get_object()
        if fmt not in ("pdf", "docx"):
            raise PermissionDenied("不支持的格式。")
        doc = documents.inspection_record(obj)
        return document_response(doc, fmt, f"现场检查记录-{obj.enterprise.name}-{obj.inspected_on:%Y%m%d}")


# --- checklist templates -------------------------------------------------------------------------------
class TemplateList(ObjectListView):
    model = ChecklistTemplate
    permission = "inspections.view_checklisttemplate"
    add_url = "inspections:template_add"
    add_permission = "inspections.change_checklisttemplate"
    ordering = ("code", "id")
    title = "检查表模板"
    export_name = "检查表模板"
    queryset = ChecklistTemplate.objects.select_related("sector").annotate(item_count=Count("items"))
    columns = [
        Column("名称", "name", link=True),
        Column("代码", "code"),
        Column("行业领域", "sector.name"),
        Column("检查项数", "item_count"),
        Column("启用", "is_active"),
    ]


class TemplateDetail(ObjectDetailView):
    model = ChecklistTemplate
    permission = "inspections.view_checklisttemplate"
    change_permission = "inspections.change_checklisttemplate"
    edit_url = "inspections:template_edit"
    template_name = "inspections/template_detail.html"
    queryset = ChecklistTemplate.objects.select_related("sector")

    def extra_context(self, obj):
        return {"items": obj.items.order_by("order")}


class TemplateEdit(ObjectEditView):
    """The office maintains checklists: the template and its items (filled records keep their own copy)."""

    model = ChecklistTemplate
    form_class = TemplateForm
    add_permission = change_permission = "inspections.change_checklisttemplate"
    title_add, title_change = "新建检查表模板", "修改检查表模板"
    template_name = "inspections/template_form.html"

    def formset(self, instance, data=None):
        return TemplateItemFormSet(
            data=data,
            instance=instance,
            queryset=ChecklistItem.objects.filter(template=instance).order_by("order")
            if instance.pk
            else ChecklistItem.objects.none(),
            prefix="items",
        )

    def render_form(self, form, instance, status=200, formset=None):
        title = self.title_change if instance.pk else self.title_add
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset or self.formset(instance),
                "object": instance if instance.pk else None,
                "title": title,
            },
            status=status,
        )

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = self.get_form(instance, request.POST)
        formset = self.formset(instance, request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(form, instance, status=400, formset=formset)
        with transaction.atomic():
            template = form.save()
            formset.instance = template
            formset.save()
        messages.success(request, "检查表已保存。")
        return redirect(template.get_absolute_url())


# --- risk-based targeting (分级分类、差异化监管) ------------------------------------------------------------
TARGETING_PAGE_SIZES = (50, 100, 200)
TARGETING_EXPORT_HEADERS = [
    "排名",
    "单位名称",
    "统一社会信用代码",
    "所属区划",
    "风险等级",
    "得分",
    "排序理由",
    "距上次检查（天）",
    "应检频次",
]


def _colour_label(level: str) -> str:
    return dict(RiskColour.choices).get(level, "未评定")


class TargetingView(PermissionRequiredMixin, View):
    """The ranked list of units most in need of an inspection, with the reasons of each score; the same filters
    and scope give the page, its htmx refresh and the Excel export."""

    permission = targeting.VIEW_PERMISSION
    template_name = "inspections/targeting.html"

    def get(self, request):
        filterset = TargetingFilter(
            request.GET or None, queryset=targeting.scoped_units(request.user), request=request
        )
        units = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            units = units.none()
        ranking = targeting.rank_units(units)
        if request.GET.get("export") == "xlsx":
            return self.export(ranking)
        size = request.GET.get("size", "")
        size = (
            int(size) if size.isdecimal() and int(size) in TARGETING_PAGE_SIZES else TARGETING_PAGE_SIZES[0]
        )
        rows = targeting.attach_units(ranking[:size])
        params = request.GET.copy()
        params.pop("size", None)
        params["export"] = "xlsx"
        context = {
            "title": "重点检查对象排序",
            "filterset": filterset,
            "rows": rows,
            "total": len(ranking),
            "scored": sum(1 for r in ranking if r.score > 0),
            "size": size,
            "sizes": TARGETING_PAGE_SIZES,
            "export_url": f"{request.path}?{params.urlencode()}",
            "can_edit_rules": has_perm(request.user, "inspections.change_targetingrule"),
        }
        template = self.template_name
        if request.htmx and request.htmx.target == "results":
            template += "#results"
        return render(request, template, context)

    def export(self, ranking):
        def rows():
            for chunk_start in range(0, len(ranking), 500):
                for row in targeting.attach_units(ranking[chunk_start : chunk_start + 500]):
                    facts = row.facts
                    yield [
                        row.rank,
                        row.name,
                        row.enterprise.credit_code,
                        row.enterprise.territory.name,
                        _colour_label(facts.risk_level),
                        row.score,
                        row.reasons_text,
                        "从未检查" if facts.days_since_inspection is None else facts.days_since_inspection,
                        targeting.frequency_words(facts.inspections_per_year)
                        if facts.inspections_per_year
                        else "",
                    ]

        return xlsx_response(
            "重点检查对象排序",
            "排序",
            TARGETING_EXPORT_HEADERS,
            rows(),
            title="重点检查对象排序（分级分类监管）",
        )


class TargetingRuleList(ObjectListView):
    model = TargetingRule
    permission = "inspections.view_targetingrule"
    add_url = "inspections:targeting_rule_add"
    add_permission = "inspections.change_targetingrule"
    ordering = ("sort_order", "id")
    title = "重点检查排序规则"
    export_name = "重点检查排序规则"
    columns = [
        Column("条件", "condition_display", link=True),
        Column("分值", "points"),
        Column("依据/说明", "note"),
        Column("启用", "is_active"),
        Column("排序", "sort_order", display=False),
    ]


class TargetingRuleDetail(ObjectDetailView):
    model = TargetingRule
    permission = "inspections.view_targetingrule"
    change_permission = "inspections.change_targetingrule"
    edit_url = "inspections:targeting_rule_edit"
    template_name = "inspections/targeting_rule_detail.html"


class TargetingRuleEdit(ObjectEditView):
    """The 安委办 adds or changes a rule; the change is in the rule's history (Audited)."""

    model = TargetingRule
    form_class = TargetingRuleForm
    add_permission = change_permission = "inspections.change_targetingrule"
    title_add, title_change = "新建排序规则", "修改排序规则"
