"""直接报告 pages (HZ-20, 安全生产法 第四十六条第二款): a safety manager's report, the list, the department's handling."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from anjian.core.audit import history_for
from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.permissions import has_perm
from anjian.core.tables import Column
from anjian.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ScopedObjectMixin

from . import direct_reports
from .models import DirectReport, DirectReportOutcome, Hazard

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DirectReportForm(ScopedModelForm):
    class Meta:
        model = DirectReport
        fields = [
            "hazard",
            "location",
            "description",
            "reported_to_unit_on",
            "unit_response",
            "reporter_title",
        ]
        widgets = {
            "reported_to_unit_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "unit_response": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["hazard"].queryset = direct_reports.reportable_hazards(user)
        self.fields["hazard"].required = False
        self.fields["unit_response"].help_text = "何时、向谁报告，负责人如何答复或未作处理"
        self.fields["reporter_title"].required = False

    def clean_reporter_title(self):
        return self.cleaned_data.get("reporter_title") or "安全生产管理人员"

    def _post_clean(self):
        # Model validation runs in the service, after the unit, the department and the deadline are set.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)


class HandleForm(StyledForm):
    outcome = forms.ChoiceField(label="处理结果", choices=[("", "—"), *DirectReportOutcome.choices])
    hazard = forms.ModelChoiceField(
        label="已登记或督办的隐患",
        queryset=Hazard.objects.none(),
        required=False,
        help_text="核实属实的，先登记隐患（或选择已有隐患）再在此关联",
    )
    note = forms.CharField(label="处理情况", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hazard"].queryset = Hazard.objects.filter(enterprise_id=report.enterprise_id).order_by(
            "-id"
        )


class VisibleReportsMixin(ScopedObjectMixin):
    def scoped_queryset(self):
        return direct_reports.visible(self.request.user, self.base_queryset())


class DirectReportList(VisibleReportsMixin, ObjectListView):
    model = DirectReport
    queryset = DirectReport.objects.select_related("enterprise", "supervising_org", "hazard")
    permission = "hazards.view_directreport"
    export_permission = "hazards.view_directreport"
    title = "重大事故隐患直接报告"
    export_name = "重大事故隐患直接报告"
    add_url = "hazards:direct_report_add"
    add_permission = "hazards.add_directreport"
    ordering = ("-submitted_at", "-id")
    columns = [
        Column("单位", "enterprise.name", link=True),
        Column("报告内容", "subject"),
        Column("报告时间", "submitted_at"),
        Column("接收部门", "supervising_org.name"),
        Column("处理期限", "due_on"),
        Column("状态", "status"),
        Column("处理结果", "outcome", display=False),
    ]


class DirectReportCreate(ObjectEditView):
    model = DirectReport
    form_class = DirectReportForm
    add_permission = change_permission = "hazards.add_directreport"
    title_add = "直接报告重大事故隐患"

    def new_instance(self):
        return DirectReport(reported_to_unit_on=timezone.localdate())

    def post(self, request, *args, **kwargs):
        instance = self.new_instance()
        form = self.get_form(instance, request.POST)
        if form.is_valid():
            try:
                report = direct_reports.submit(form.instance, request.user)
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"已报送{report.supervising_org}，该部门应当依法及时处理。")
                return redirect(report.get_absolute_url())
        return self.render_form(form, instance, status=400)


class DirectReportDetail(VisibleReportsMixin, ObjectDetailView):
    model = DirectReport
    queryset = DirectReport.objects.select_related(
        "enterprise", "supervising_org", "hazard", "handled_hazard", "handled_by", "reporter"
    )
    permission = "hazards.view_directreport"
    template_name = "hazards/direct_report_detail.html"

    def extra_context(self, obj):
        can = direct_reports.can_handle(self.request.user, obj)
        return {"handle_form": HandleForm(report=obj) if can else None, "today": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, "hazards.handle_directreport"):
            raise PermissionDenied("您的角色无权处理直接报告。")
        obj = self.get_object()
        form = HandleForm(request.POST, report=obj)
        if form.is_valid():
            try:
                direct_reports.handle(
                    obj,
                    request.user,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    hazard=form.cleaned_data.get("hazard"),
                )
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "处理情况已登记。")
                return redirect(obj.get_absolute_url())
        context = {
            "object": obj,
            "history": history_for(obj),
            "handle_form": form,
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=400)
