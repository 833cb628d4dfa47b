"""Enforcement pages: thin views over core.views.generic; every change goes through services.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View

from anjian.core.documents import document_response
from anjian.core.exports import xlsx_response
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)
from anjian.operations.services import tips_linked_to

from . import case_file, forms, publication, queries, rules, services
from . import documents as docs
from .document_details import fields_for
from .filters import CaseFilter, FindingFilter, ProvisionFilter, TalkFilter
from .models import (
    Case,
    CaseDocument,
    DocumentKind,
    Measure,
    NoPenaltyReason,
    PenaltyPublication,
    Provision,
    Talk,
    ViolationFinding,
)


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- provisions --------------------------------------------------------------------------------------------


class ProvisionList(ObjectListView):
    model = Provision
    permission = "enforcement.view_provision"
    filterset_class = ProvisionFilter
    title = "法律依据库"
    ordering = ("code", "id")
    export_name = "法律依据库"
    add_url = "enforcement:provision_add"
    add_permission = "enforcement.change_provision"
    import_url = reverse_lazy("core:import_start", args=["provisions"])
    import_permission = "enforcement.change_provision"
    columns = [
        Column("编号", "code", link=True),
        Column("法律法规", "law"),
        Column("条款", "article"),
        Column("违法行为", "violation"),
        Column("处罚对象", "party_kind"),
        Column("罚款幅度", "fine_range_text"),
        Column("可采取措施", "measures_labels"),
        Column("出处", "source_ref"),
    ]


class ProvisionDetail(ObjectDetailView):
    model = Provision
    permission = "enforcement.view_provision"
    change_permission = "enforcement.change_provision"
    edit_url = "enforcement:provision_edit"
    template_name = "enforcement/provision_detail.html"


class ProvisionEdit(ObjectEditView):
    model = Provision
    form_class = forms.ProvisionForm
    add_permission = change_permission = "enforcement.change_provision"
    title_add, title_change = "新建法律依据", "修改法律依据"


# --- cases -------------------------------------------------------------------------------------------------


def _stage_colour(case):
    return {"closed": "secondary", "transferred": "dark", "decided": "primary", "execution": "info"}.get(
        case.stage, "warning"
    )


class CaseList(ObjectListView):
    model = Case
    queryset = Case.objects.select_related("enterprise", "territory", "sector", "organisation", "handler")
    permission = "enforcement.view_case"
    filterset_class = CaseFilter
    title = "执法案件"
    ordering = ("-filed_on", "-id")
    export_name = "执法案件台账"
    add_url = "enforcement:case_add"
    add_permission = "enforcement.add_case"
    columns = [
        Column("立案编号", "number", link=True),
        Column("案由", "title"),
        Column("当事人", "party_display"),
        Column("区划", "territory.name"),
        Column("行业", "sector.name"),
        Column("办案机关", "organisation.name"),
        Column("承办人", "handler.name"),
        Column("来源", "source_kind"),
        Column("阶段", "stage", badge=_stage_colour),
        Column("立案日期", "filed_on"),
        Column("办案期限", "decision_due"),
        Column("决定日期", "decided_on"),
    ]


class CaseDetail(ObjectDetailView):
    model = Case
    queryset = Case.objects.select_related(
        "enterprise",
        "territory",
        "sector",
        "organisation",
        "handler",
        "co_handler",
        "approved_by",
        "accident",
    )
    permission = "enforcement.view_case"
    change_permission = "enforcement.change_case"
    template_name = "enforcement/case_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        can = has_perm(user, "enforcement.change_case")
        return {
            "measures": obj.measures.select_related("provision", "resumption_accepted_by"),
            "documents": obj.documents.select_related("created_by"),
            "findings": obj.findings.all(),
            "provisions": obj.provisions.all(),
            "actions": services.available_actions(obj, user) if can else [],
            "can_act": can,
            "measure_form": forms.MeasureForm(user=user) if obj.stage in services.EDITABLE_STAGES else None,
            "document_form": forms.DocumentForm(),
            "document_offers": services.document_offers(obj, user) if can else [],
            "hearing_form": forms.HearingForm() if obj.stage == rules.CaseStage.NOTIFIED.value else None,
            "action_form": forms.ActionForm(),
            "publication": PenaltyPublication.objects.filter(case=obj).first(),
            "source_tips": tips_linked_to(obj, user),
            "today": timezone.localdate(),
            "hearing_threshold_note": services.large_fine_threshold_note(),
        }


class CaseCreate(ObjectEditView):
    model = Case
    form_class = forms.CaseForm
    add_permission = change_permission = "enforcement.add_case"
    title_add = "立案"
    success_message = "已立案。"

    def _finding(self):
        pk = self.request.GET.get("finding") or self.request.POST.get("finding")
        if not pk:
            return None
        try:
            return restrict(ViolationFinding.objects.all(), self.request.user).get(pk=pk)
        except (ViolationFinding.DoesNotExist, ValueError) as exc:
            raise Http404("违法行为线索不存在或不在您的数据范围内。") from exc

    def get_form(self, instance, data=None, files=None):
        finding = self._finding()
        initial = {}
        if finding is not None:
            initial = {
                "title": f"{finding.enterprise}涉嫌{finding.description[:40]}",
                "enterprise": finding.enterprise_id,
                "territory": finding.territory_id,
                "sector": finding.sector_id,
                "source_kind": "hazard" if finding.source == "hazard" else "inspection",
                "source_description": finding.source_reference,
                "facts": finding.description,
                "provisions": [finding.provision_id] if finding.provision_id else [],
            }
        form = self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, initial=initial
        )
        form.finding = finding
        return form

    def render_form(self, form, instance, status=200):
        response = super().render_form(form, instance, status)
        return response

    def post(self, request, *args, **kwargs):
        instance = self.model()
        form = self.get_form(instance, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, instance, status=400)
        case = form.save(commit=False)
        if form.finding is not None:
            case.hazard_id, case.inspection_id = form.finding.hazard_id, form.finding.inspection_id
        try:
            with transaction.atomic():
                services.open_case(case, request.user, findings=[form.finding] if form.finding else [])
                form.save_m2m()
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self.render_form(form, instance, status=400)
        messages.success(request, f"已立案：{case.number}")
        return redirect(case.get_absolute_url())


class CaseObjectMixin(PermissionRequiredMixin):
    permission = "enforcement.change_case"

    def case(self):
        try:
            return restrict(Case.objects.all(), self.request.user).get(pk=self.kwargs["pk"])
        except Case.DoesNotExist as exc:
            raise Http404("案件不存在或不在您的数据范围内。") from exc

    def done(self, case, ok_message=None, error=None):
        if error:
            messages.error(self.request, error)
        elif ok_message:
            messages.success(self.request, ok_message)
        return redirect(case.get_absolute_url())


class CaseAction(CaseObjectMixin, View):
    def post(self, request, pk):
        case = self.case()
        form = forms.ActionForm(request.POST)
        if not form.is_valid():
            return self.done(case, error="操作无效。")
        action = rules.CaseAction(form.cleaned_data["action"])
        try:
            case = services.transition(
                case,
                action,
                request.user,
                note=form.cleaned_data["note"],
                transfer_to=form.cleaned_data["transfer_to"],
            )
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        return self.done(case, f"已{action.label}，案件进入「{case.stage_enum.label}」阶段。")


class CasePublication(CaseObjectMixin, View):
    """公示 / 撤下 the case's 行政处罚信息 (LAW-15)."""

    def post(self, request, pk):
        case = self.case()
        entry = PenaltyPublication.objects.filter(case=case).first()
        if entry is None:
            return self.done(case, error="案件尚未作出处罚决定，无需公示。")
        try:
            if request.POST.get("do") == "withdraw":
                publication.withdraw(entry, request.user, request.POST.get("reason", ""))
                return self.done(case, "公示信息已撤下。")
            entry = publication.publish(entry, request.user)
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        late = f"（已超过公示期限 {entry.due_on}）" if entry.published_late else ""
        return self.done(case, f"行政处罚信息已公示{late}。")


class CaseHearing(CaseObjectMixin, View):
    def post(self, request, pk):
        case = self.case()
        form = forms.HearingForm(request.POST)
        if not form.is_valid():
            return self.done(case, error="请选择当事人意见。")
        answer = form.cleaned_data["answer"]
        try:
            services.record_hearing(
                case,
                request.user,
                requested=answer in ("requested", "held"),
                waived=answer == "waived",
                held_on=form.cleaned_data["held_on"] if answer == "held" else None,
            )
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        return self.done(case, "已登记。")


class MeasureAdd(CaseObjectMixin, View):
    def post(self, request, pk):
        case = self.case()
        form = forms.MeasureForm(request.POST, user=request.user, instance=Measure(case=case))
        if form.is_valid():
            try:
                services.add_measure(form.instance, request.user)
                return self.done(case, f"已拟定：{form.instance}")
            except ValidationError as exc:
                form.add_error(None, exc)
        # Re-show the case with the form's errors (nothing saved).
        view = CaseDetail()
        view.setup(request, pk=pk)
        context = {"object": case, "history": [], **view.extra_context(case), "measure_form": form}
        from anjian.core.audit import history_for

        context["history"] = history_for(case)
        return render(request, "enforcement/case_detail.html", context, status=400)


class MeasureObjectMixin(CaseObjectMixin):
    def measure(self):
        case = self.case()
        return get_object_or_404(Measure, pk=self.kwargs["measure_pk"], case=case), case


class MeasureExecute(MeasureObjectMixin, View):
    def post(self, request, pk, measure_pk):
        measure, case = self.measure()
        form = forms.ExecuteForm(request.POST)
        form.is_valid()
        try:
            services.execute_measure(
                measure,
                request.user,
                form.cleaned_data.get("executed_on"),
                form.cleaned_data.get("note") or "",
            )
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        return self.done(case, f"已登记执行：{measure}")


class MeasureResumption(MeasureObjectMixin, View):
    def post(self, request, pk, measure_pk):
        measure, case = self.measure()
        form = forms.ResumptionForm(request.POST)
        if not form.is_valid():
            return self.done(case, error="请填写复产验收意见。")
        try:
            services.accept_resumption(
                measure, request.user, form.cleaned_data["opinion"], form.cleaned_data.get("accepted_on")
            )
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        return self.done(case, "复产验收已登记，单位可以恢复生产经营。")


class MeasureLift(CaseObjectMixin, View):
    """解除 a temporary stop recorded by a 现场处理措施决定书 (HZ-45): its period is no longer watched."""

    def post(self, request, pk, document_pk):
        case = self.case()
        document = get_object_or_404(CaseDocument, pk=document_pk, case=case)
        form = forms.ResumptionForm(request.POST)
        form.is_valid()
        try:
            services.lift_onsite_measure(
                document,
                request.user,
                form.cleaned_data.get("accepted_on"),
                form.cleaned_data.get("opinion") or "",
            )
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        return self.done(case, f"已登记解除{document.number}的现场处理措施。")


class DocumentIssue(CaseObjectMixin, View):
    def post(self, request, pk):
        case = self.case()
        form = forms.DocumentForm(request.POST)
        if not form.is_valid():
            return self.done(case, error="请选择文书类型。")
        if fields_for(form.cleaned_data["kind"]):  # a record with its own content: fill it in first
            return redirect("enforcement:document_new", pk=case.pk, kind=form.cleaned_data["kind"])
        try:
            document = services.issue_document(
                case, form.cleaned_data["kind"], request.user, form.cleaned_data["body"]
            )
        except ValidationError as exc:
            return self.done(case, error=_errors(exc))
        return self.done(case, f"已制作{document}")


class DocumentDownload(PermissionRequiredMixin, View):
    permission = "enforcement.view_case"

    def get(self, request, pk, fmt):
        if fmt not in ("pdf", "docx"):
            raise Http404("不支持的格式。")
        cases = restrict(Case.objects.all(), request.user)
        document = get_object_or_404(
            CaseDocument.objects.select_related("case", "issuer", "case__enterprise", "case__approved_by"),
            pk=pk,
            case__in=cases,
        )
        return document_response(
            docs.build(document), fmt, f"{document.get_kind_display()}-{document.number}"
        )


def _detail_initial(case, kind) -> dict:
    """Sensible defaults for a record, from the case: the two officers, the party, its address, today."""
    officers = "、".join(u.name or u.username for u in (case.handler, case.co_handler) if u is not None)
    today = timezone.localdate().isoformat()
    address = (case.enterprise.address or "") if case.enterprise_id else ""
    recorder = case.co_handler.name if case.co_handler_id else ""
    initial = {
        "interviewers": officers,
        "surveyors": officers,
        "investigators": officers,
        "recorder": recorder,
        "place": address,
        "holder": case.party_display,
        "recipient": case.party_display,
        "keeper": case.organisation.name,
        "served_on": today,
        "sampled_on": today,
        "held_on": today,
        "start_on": today,
        "as_of": today,
        "days": 30 if kind == "seizure" else None,
        "period_days": 10,
    }
    return {spec.name: initial[spec.name] for spec in fields_for(kind) if initial.get(spec.name)}


class DocumentNew(CaseObjectMixin, View):
    """The content of a record (询问笔录, 送达回执 …) before it is numbered; bad input is shown back, nothing lost."""

    template_name = "enforcement/document_form.html"

    def setup_case(self, request, kind):
        case = self.case()
        try:
            kind = DocumentKind(kind)
        except ValueError as exc:
            raise Http404("未知的文书类型。") from exc
        return case, kind, services.document_refusal(case, kind, request.user)

    def get(self, request, pk, kind):
        case, kind, why = self.setup_case(request, kind)
        if why:
            return self.done(case, error=why)
        form = forms.DocumentDetailsForm(kind=kind, case=case, initial=_detail_initial(case, kind.value))
        return render(request, self.template_name, {"case": case, "kind": kind, "form": form})

    def post(self, request, pk, kind):
        case, kind, why = self.setup_case(request, kind)
        if why:
            return self.done(case, error=why)
        form = forms.DocumentDetailsForm(request.POST, kind=kind, case=case)
        if form.is_valid():
            try:
                document = services.issue_document(
                    case,
                    kind,
                    request.user,
                    form.cleaned_data["body"],
                    issued_on=form.cleaned_data.get("issued_on"),
                    details=form.details(),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                return self.done(case, f"已制作{document}")
        context = {"case": case, "kind": kind, "form": form}
        return render(request, self.template_name, context, status=400)


class CaseFile(PermissionRequiredMixin, View):
    """卷宗目录: the case's documents in case-file order with numbers, dates and pages; printable as PDF."""

    permission = "enforcement.view_case"

    def get(self, request, pk, fmt="html"):
        case = get_object_or_404(
            restrict(Case.objects.all(), request.user).select_related(
                "organisation", "enterprise", "handler", "co_handler"
            ),
            pk=pk,
        )
        entries = case_file.case_file_entries(case)
        if fmt == "pdf":
            index = case_file.case_file_index(case, entries)
            return document_response(index, "pdf", f"卷宗目录-{case.number}")
        return render(request, "enforcement/case_file.html", {"case": case, "entries": entries})


# --- findings (整改不能代替处罚) -----------------------------------------------------------------------------

FINDING_COLUMNS = [
    Column("单位", "enterprise.name", link=True),
    Column("区划", "territory.name"),
    Column("行业", "sector.name"),
    Column("来源", "source"),
    Column("来源编号", "source_reference"),
    Column("违法行为", "description"),
    Column("涉嫌违反", lambda f: str(f.provision) if f.provision_id else ""),
    Column("重大隐患", "is_major_hazard"),
    Column("已整改", "rectified"),
    Column("发现日期", "found_on"),
]


class FindingList(ObjectListView):
    model = ViolationFinding
    queryset = ViolationFinding.objects.select_related(
        "enterprise", "territory", "sector", "provision", "case"
    )
    permission = "enforcement.view_finding"
    filterset_class = FindingFilter
    title = "违法行为线索"
    ordering = ("-found_on", "-id")
    export_name = "违法行为线索台账"
    add_url = "enforcement:finding_add"
    add_permission = "enforcement.add_finding"
    columns = [*FINDING_COLUMNS, Column("关联案件", lambda f: f.case.number if f.case_id else "")]


class UnlinkedList(ObjectListView):
    """The office's list: punishable findings neither linked to a case nor excused by an approved reason."""

    model = ViolationFinding
    permission = "enforcement.view_finding"
    filterset_class = FindingFilter
    title = "未立案的违法行为（整改不能代替处罚）"
    ordering = ("found_on", "id")
    export_name = "未立案违法行为清单"
    template_name = "enforcement/unlinked_list.html"
    columns = [
        *FINDING_COLUMNS,
        Column(
            "不予立案理由",
            lambda f: "待审核" if f.has_pending else "无",
            badge=lambda f: "warning" if f.has_pending else "danger",
        ),
    ]

    def scoped_queryset(self):
        return queries.unlinked_findings(self.request.user)


class FindingDetail(ObjectDetailView):
    model = ViolationFinding
    queryset = ViolationFinding.objects.select_related(
        "enterprise", "territory", "sector", "provision", "case"
    )
    permission = "enforcement.view_finding"
    template_name = "enforcement/finding_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        return {
            "reasons": obj.reasons.select_related("recorded_by", "reviewed_by"),
            "can_act": has_perm(user, "enforcement.add_case"),
            "can_review": has_perm(user, "enforcement.review_finding"),
            "reason_form": forms.NoPenaltyReasonForm(user=user),
            "review_form": forms.ReviewForm(),
        }


class FindingCreate(ObjectEditView):
    model = ViolationFinding
    form_class = forms.FindingForm
    add_permission = change_permission = "enforcement.add_finding"
    title_add = "登记违法行为线索"

    def _source(self, app, model, key):
        pk = self.request.GET.get(key)
        if not pk:
            return None
        from django.apps import apps

        Model = apps.get_model(app, model)
        try:
            return restrict(Model.objects.all(), self.request.user).get(pk=pk)
        except (Model.DoesNotExist, ValueError) as exc:
            raise Http404("来源记录不存在或不在您的数据范围内。") from exc

    def get_form(self, instance, data=None, files=None):
        initial = {
            k: self.request.GET[k]
            for k in ("source", "source_reference", "enterprise", "description")
            if k in self.request.GET
        }
        hazard = self._source("hazards", "Hazard", "hazard")
        inspection = self._source("inspections", "Inspection", "inspection")
        if hazard is not None:
            # Created from the hazard detail: the hazard app has no "punishable violation" flag, so this record is it.
            initial.update(
                source="hazard",
                source_reference=hazard.number,
                enterprise=hazard.enterprise_id,
                sector=hazard.sector_id,
                description=hazard.description,
                is_major_hazard=hazard.is_major,
                rectified=not hazard.is_open,
                found_on=hazard.found_on,
            )
        elif inspection is not None:
            initial.update(
                source="inspection",
                source_reference=str(inspection),
                enterprise=inspection.enterprise_id,
                sector=inspection.sector_id,
                found_on=inspection.inspected_on,
            )
        instance.hazard, instance.inspection = hazard, inspection
        return self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, initial=initial
        )

    def save(self, form):
        finding = form.save(commit=False)
        finding.territory = finding.enterprise.territory
        finding.created_by = self.request.user
        finding.save()
        return finding


class FindingObjectMixin(PermissionRequiredMixin):
    def finding(self):
        try:
            return restrict(ViolationFinding.objects.all(), self.request.user).get(pk=self.kwargs["pk"])
        except ViolationFinding.DoesNotExist as exc:
            raise Http404("记录不存在或不在您的数据范围内。") from exc


class FindingReason(FindingObjectMixin, View):
    permission = "enforcement.add_case"

    def post(self, request, pk):
        finding = self.finding()
        form = forms.NoPenaltyReasonForm(
            request.POST, user=request.user, instance=NoPenaltyReason(finding=finding)
        )
        if not form.is_valid():
            messages.error(request, "请选择理由类别并填写具体说明。")
            return redirect(finding.get_absolute_url())
        try:
            services.record_no_penalty_reason(form.instance, request.user)
            messages.success(request, "已登记，待另一名人员审核。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(finding.get_absolute_url())


class FindingReview(FindingObjectMixin, View):
    permission = "enforcement.review_finding"

    def post(self, request, pk, reason_pk):
        finding = self.finding()
        reason = get_object_or_404(NoPenaltyReason, pk=reason_pk, finding=finding)
        form = forms.ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择审核结论。")
            return redirect(finding.get_absolute_url())
        try:
            services.review_no_penalty_reason(
                reason, request.user, form.cleaned_data["decision"] == "approve", form.cleaned_data["comment"]
            )
            messages.success(request, "审核已登记。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(finding.get_absolute_url())


# --- repeat offenders, 约谈, figures -------------------------------------------------------------------------


class RepeatOffenders(PermissionRequiredMixin, View):
    permission = "enforcement.view_finding"
    headers = [
        "单位",
        "近一年立案",
        "180日内处罚决定",
        "一年内处罚决定",
        "近一年重大隐患",
        "未整改重大隐患",
        "情形",
        "建议措施",
    ]

    def get(self, request):
        rows = queries.repeat_offenders(request.user)
        table = [
            [
                r.enterprise.name,
                r.cases_year,
                r.decisions_180,
                r.decisions_365,
                r.major_findings,
                r.unrectified_major,
                "；".join(r.reasons),
                "、".join(r.suggestions),
            ]
            for r in rows
        ]
        if request.GET.get("export") == "xlsx":
            return xlsx_response("屡查屡犯单位", "屡查屡犯单位", self.headers, table)
        return render(request, "enforcement/repeat_offenders.html", {"rows": rows, "title": "屡查屡犯单位"})


class TalkList(ObjectListView):
    model = Talk
    queryset = Talk.objects.select_related("enterprise", "target_organisation", "territory", "convened_by")
    permission = "enforcement.view_talk"
    filterset_class = TalkFilter
    title = "约谈与黄牌警告"
    ordering = ("-held_on", "-id")
    export_name = "约谈台账"
    add_url = "enforcement:talk_add"
    add_permission = "enforcement.change_talk"
    template_name = "enforcement/talk_list.html"
    columns = [
        Column("类型", "kind", link=True),
        Column("对象", "target_display"),
        Column("对象类型", "target_kind"),
        Column("区划", "territory.name"),
        Column("约谈机关", "convened_by.name"),
        Column("日期", "held_on"),
        Column("事由", "reasons"),
        Column("整改报告期限", "follow_up_due"),
        Column("落实核查", "follow_up_done_on"),
    ]

    def extra_context(self):
        return {"suggestions": queries.talk_suggestions(self.request.user)}


class TalkDetail(ObjectDetailView):
    model = Talk
    queryset = Talk.objects.select_related(
        "enterprise", "target_organisation", "territory", "convened_by", "created_by"
    )
    permission = "enforcement.view_talk"
    change_permission = "enforcement.change_talk"
    edit_url = "enforcement:talk_edit"
    template_name = "enforcement/talk_detail.html"


class TalkEdit(ObjectEditView):
    model = Talk
    form_class = forms.TalkForm
    add_permission = change_permission = "enforcement.change_talk"
    title_add, title_change = "登记约谈/黄牌警告", "修改约谈/黄牌警告"

    def get_form(self, instance, data=None, files=None):
        initial = {}
        if not instance.pk:
            initial = {
                "held_on": timezone.localdate(),
                "convened_by": self.request.user.organisation_id,
                "territory": self.request.user.territory_id,
            }
            for key in ("enterprise", "target_kind", "reasons", "trigger_ref", "territory"):
                if key in self.request.GET:
                    initial[key] = self.request.GET[key]
        return self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, initial=initial
        )

    def save(self, form):
        talk = form.save(commit=False)
        if not talk.pk:
            talk.created_by = self.request.user
        talk.save()
        return talk


class Figures(PermissionRequiredMixin, View):
    permission = "enforcement.view_figures"

    def get(self, request):
        today = timezone.localdate()
        form = forms.FiguresForm(
            request.GET or {"start": date(today.year, 1, 1), "end": today, "group_by": "territory"}
        )
        rows, total = [], None
        if form.is_valid():
            d = form.cleaned_data
            rows, total = queries.figures(request.user, d["start"], d["end"], d["group_by"])
            if request.GET.get("export") == "xlsx":
                headers = ["分组", "执法检查次数", "立案数", "罚款金额（元）", "执行率（%）", "处罚率（%）"]
                data = [
                    [r.label, r.inspections, r.cases, r.fines, r.execution_rate, r.penalty_rate]
                    for r in [*rows, total]
                ]
                return xlsx_response("执法统计", "执法统计", headers, data)
        return render(
            request,
            "enforcement/figures.html",
            {"form": form, "rows": rows, "total": total, "formulas": queries.FORMULAS, "title": "执法统计"},
        )
