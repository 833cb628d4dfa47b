"""Accident pages: thin views over the generic core views; every write goes through services.py."""

import json
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.exports import xlsx_response
from anjian.core.models import Territory
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
    ScopedObjectMixin,
)

from . import forms, services, statistics
from .filters import AccidentFilter
from .models import Accident, Grade, Investigation, ReportHop

GRADE_COLOURS = {
    Grade.GENERAL: "secondary",
    Grade.LARGER: "warning",
    Grade.MAJOR: "danger",
    Grade.ESPECIALLY_MAJOR: "dark",
}


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class AccidentList(ObjectListView):
    model = Accident
    queryset = Accident.reports.select_related("territory", "enterprise", "sector")
    permission = "accidents.view_accident"
    export_permission = "accidents.export_accident"
    filterset_class = AccidentFilter
    title = "事故台账"
    export_name = "事故台账"
    add_url = "accidents:accident_add"
    add_permission = "accidents.add_accident"
    import_url = "/core/import/accidents/"
    import_permission = "accidents.import_accident"
    ordering = ("-occurred_at", "-id")
    columns = [
        Column("事故名称", "title", link=True),
        Column("发生时间", lambda a: _local(a.occurred_at)),
        Column("发生地", "territory.name"),
        Column("单位", "unit_display"),
        Column("统计分组", "industry_group"),
        Column("事故类别", "category_display"),
        Column("行业领域", "sector.name"),
        Column("类型", "record_type_display"),
        Column(
            "等级",
            "grade_display",
            badge=lambda a: "info" if a.is_near_miss else GRADE_COLOURS.get(a.grade),
        ),
        Column("涉险情形", "near_miss_criteria_display", display=False),
        Column("死亡", "deaths"),
        Column("失踪", "missing"),
        Column("重伤", "serious_injuries"),
        Column("轻伤", "minor_injuries", display=False),
        Column("直接经济损失（元）", "direct_loss"),
        Column("发生地点", "place", display=False),
        Column("事故简要经过", "summary", display=False),
        Column("补报截止", "supplement_until", display=False),
        Column("状态", "status"),
    ]


class AccidentDetail(ObjectDetailView):
    model = Accident
    queryset = Accident.reports.select_related("territory", "enterprise", "sector", "created_by")
    permission = "accidents.view_accident"
    change_permission = "accidents.change_accident"
    edit_url = "accidents:accident_edit"
    template_name = "accidents/accident_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        now = timezone.now()
        hops = list(obj.hops.select_related("recorded_by").order_by("deadline", "id"))
        for hop in hops:
            hop.overdue = services.hop_overdue(hop, now)
        investigation = (
            Investigation.objects.filter(accident=obj).prefetch_related("parties").first()
            if obj.status != "reported"
            else None
        )
        # Enforcement cases opened for this accident (the enforcement app holds the FK to Accident).
        related = getattr(obj, "enforcement_cases", None)
        cases = list(restrict(related.all(), user).order_by("-id")[:20]) if related is not None else []
        return {
            "cases": cases,
            "versions": obj.versions.select_related("reported_by").order_by("number"),
            "hops": hops,
            "grade_changes": obj.grade_changes.select_related("version").order_by("changed_at", "id"),
            "investigation": investigation,
            "grade_colour": GRADE_COLOURS.get(obj.grade),
            "can_supplement": has_perm(user, "accidents.supplement_accident") and obj.status != "closed",
            "can_record_hop": has_perm(user, "accidents.record_hop"),
            "can_investigate": has_perm(user, "accidents.change_investigation"),
            "actions": services.allowed_actions(user, obj),
            "window_open": timezone.localdate() <= obj.supplement_until,
            "reply_deadline": (
                services.rules.reply_deadline(obj.grade_enum, investigation.submitted_on)
                if investigation and investigation.submitted_on
                else None
            ),
        }


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AccidentCreate(PermissionRequiredMixin, View):
    permission = "accidents.add_accident"
    template_name = "accidents/accident_form.html"

    def get(self, request):
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        form = forms.AccidentForm(user=request.user, initial=initial, instance=Accident())
        return self.render(form)

    def post(self, request):
        form = forms.AccidentForm(request.POST, user=request.user, instance=Accident())
        if form.is_valid():
            try:
                accident = services.file_accident(
                    request.user,
                    form.instance,
                    form.figures(),
                    county_received_at=form.cleaned_data.get("county_received_at"),
                    reporter=form.cleaned_data.get("reporter") or "",
                    receiver=form.cleaned_data.get("receiver") or "",
                )
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(request, f"事故已报告，按现有数字认定为{accident.get_grade_display()}事故。")
                return redirect(accident.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "title": "事故快报"}, status=status)


class AccidentEdit(ObjectEditView):
    model = Accident
    form_class = forms.AccidentEditForm
    change_permission = "accidents.change_accident"
    title_change = "修改事故基本情况"


class ActionView(PermissionRequiredMixin, ScopedObjectMixin, View):
    """A small form on one accident that calls one service function."""

    model = Accident
    form_class = None
    title = ""
    template_name = "accidents/action_form.html"
    help_text = ""

    def target(self):
        return self.get_object()

    def accident_of(self, target):
        return target

    def initial(self, target) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        target = self.target()
        return self.render(self.form_class(initial=self.initial(target)), target)

    def post(self, request, *args, **kwargs):
        target = self.target()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.perform(form, target)
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.accident_of(target).get_absolute_url())
        return self.render(form, target, status=400)

    def render(self, form, target, status=200):
        context = {
            "form": form,
            "title": self.title,
            "accident": self.accident_of(target),
            "help_text": self.help_text,
        }
        return render(self.request, self.template_name, context, status=status)


class SupplementView(ActionView):
    permission = "accidents.supplement_accident"
    form_class = forms.SupplementForm
    title = "补报伤亡情况"
    template_name = "accidents/supplement_form.html"

    def initial(self, accident):
        return {
            "as_of": timezone.localdate(),
            **{name: getattr(accident, name) for name in services.FIGURE_FIELDS},
        }

    def perform(self, form, accident):
        version = services.supplement(
            self.request.user,
            accident,
            form.figures(),
            as_of=form.cleaned_data["as_of"],
            note=form.cleaned_data["note"],
        )
        if not version.counts:
            return "已记录补报；超过补报期限，不改变事故等级和统计。"
        accident.refresh_from_db()
        return f"已补报（第{version.number}版），当前等级：{accident.get_grade_display()}事故。"


class EndResponseView(ActionView):
    permission = "accidents.supplement_accident"
    form_class = forms.EndResponseForm
    title = "登记应急处置结束"
    help_text = "应急处置结束后不再需要每日续报；伤亡人数变化仍应在补报期限内补报（493号令 第十三条）。"

    def initial(self, accident):
        return {"ended_at": timezone.localtime().replace(second=0, microsecond=0)}

    def perform(self, form, accident):
        services.end_response(
            self.request.user,
            accident,
            ended_at=form.cleaned_data["ended_at"],
            note=form.cleaned_data["note"],
        )
        return "已登记应急处置结束，不再提醒续报。"


class HopView(ActionView):
    model = ReportHop
    permission = "accidents.record_hop"
    form_class = forms.HopForm
    title = "登记逐级上报"

    def accident_of(self, hop):
        return hop.accident

    def initial(self, hop):
        return {"received_at": timezone.localtime().replace(second=0, microsecond=0)}

    def render(self, form, target, status=200):
        self.title = f"登记{target.get_level_display()}接报"
        self.help_text = f"报告时限：{_local(target.deadline)}"
        return super().render(form, target, status)

    def perform(self, form, hop):
        data = form.cleaned_data
        hop = services.record_hop(
            self.request.user,
            hop,
            received_at=data["received_at"],
            reported_at=data.get("reported_at"),
            reporter=data["reporter"],
            receiver=data["receiver"],
            note=data["note"],
        )
        return f"已登记{hop.get_level_display()}接报" + ("（迟报）。" if hop.late else "。")


class InvestigationOpenView(ActionView):
    permission = "accidents.change_investigation"
    form_class = forms.InvestigationOpenForm
    title = "启动事故调查"
    help_text = "调查报告应自事故发生之日起60日内提交（493号令 第二十九条）。"

    def initial(self, accident):
        return {"started_on": timezone.localdate()}

    def perform(self, form, accident):
        inv = services.open_investigation(self.request.user, accident, **form.cleaned_data)
        return f"已启动调查，报告提交期限：{inv.deadline:%Y-%m-%d}。"


class InvestigationTargetMixin:
    def target(self):
        accident = self.get_object()
        try:
            return accident.investigation
        except Investigation.DoesNotExist:
            from django.http import Http404

            raise Http404("该事故尚未启动调查。") from None

    def accident_of(self, investigation):
        return investigation.accident


class ExtensionView(InvestigationTargetMixin, ActionView):
    permission = "accidents.change_investigation"
    form_class = forms.ExtensionForm
    title = "延长调查期限"
    help_text = "经负责事故调查的人民政府批准，可延长一次，最长不超过60日（493号令 第二十九条）。"

    def perform(self, form, inv):
        inv = services.extend_investigation(self.request.user, inv, **form.cleaned_data)
        return f"调查期限已延长至 {inv.deadline:%Y-%m-%d}。"


class AppraisalView(InvestigationTargetMixin, ActionView):
    permission = "accidents.change_investigation"
    form_class = forms.AppraisalForm
    title = "登记技术鉴定时间"
    help_text = "技术鉴定所需时间不计入事故调查期限（493号令 第二十七条）。"

    def initial(self, inv):
        return {"days": inv.appraisal_days}

    def perform(self, form, inv):
        inv = services.set_appraisal_days(self.request.user, inv, **form.cleaned_data)
        return f"调查期限顺延至 {inv.deadline:%Y-%m-%d}。"


class SubmitReportView(InvestigationTargetMixin, ActionView):
    permission = "accidents.change_investigation"
    form_class = forms.DateActionForm
    title = "提交调查报告"

    def initial(self, inv):
        return {"day": timezone.localdate()}

    def perform(self, form, inv):
        services.submit_report(self.request.user, inv, submitted_on=form.cleaned_data["day"])
        return "调查报告已提交。"


class CloseView(InvestigationTargetMixin, ActionView):
    permission = "accidents.change_investigation"
    form_class = forms.DateActionForm
    title = "批复结案"

    def initial(self, inv):
        return {"day": timezone.localdate()}

    def perform(self, form, inv):
        services.close_accident(self.request.user, inv.accident, closed_on=form.cleaned_data["day"])
        return "事故已结案。"


class InvestigationEdit(PermissionRequiredMixin, ScopedObjectMixin, View):
    """Findings, responsibility review (四个是否到位) and follow-up of an investigation."""

    model = Accident
    permission = "accidents.change_investigation"

    def get_form(self, inv, data=None):
        return forms.InvestigationForm(data=data, instance=inv, user=self.request.user)

    def investigation(self):
        return InvestigationTargetMixin.target(self)

    def get(self, request, pk):
        inv = self.investigation()
        return self.render(self.get_form(inv), inv)

    def post(self, request, pk):
        inv = self.investigation()
        form = self.get_form(inv, request.POST)
        if form.is_valid():
            try:
                services.update_findings(request.user, inv, form.cleaned_data)
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(request, "调查情况已保存。")
                return redirect(inv.accident.get_absolute_url())
        return self.render(form, inv, status=400)

    def render(self, form, inv, status=200):
        context = {"form": form, "title": "调查情况与责任倒查", "accident": inv.accident}
        return render(self.request, "accidents/action_form.html", context, status=status)


class PartyAdd(InvestigationEdit):
    def get_form(self, inv, data=None):
        return forms.PartyForm(data=data, user=self.request.user)

    def post(self, request, pk):
        inv = self.investigation()
        form = self.get_form(inv, request.POST)
        if form.is_valid():
            try:
                services.add_party(request.user, inv, form.cleaned_data)
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                messages.success(request, "已添加责任人员/单位。")
                return redirect(inv.accident.get_absolute_url())
        return self.render(form, inv, status=400)

    def render(self, form, inv, status=200):
        context = {"form": form, "title": "添加责任人员/单位", "accident": inv.accident}
        return render(self.request, "accidents/action_form.html", context, status=status)


# -------------------------------------------------------------------------------------------------------
# Statistics
# -------------------------------------------------------------------------------------------------------


class StatisticsView(PermissionRequiredMixin, View):
    permission = "accidents.view_statistics"
    template_name = "accidents/statistics.html"

    def get(self, request):
        today = timezone.localdate()
        initial = {"start": date(today.year, 1, 1), "end": today, "dimension": "territory"}
        form = forms.StatisticsForm(request.GET or None, user=request.user, initial=initial)
        start, end, dimension, root = date(today.year, 1, 1), today, "territory", None
        queryset = restrict(Accident.objects.all(), request.user)
        if form.is_valid():
            data = form.cleaned_data
            start = data.get("start") or start
            end = data.get("end") or end
            dimension = data.get("dimension") or dimension
            root = data.get("territory")
            if root is not None:
                queryset = queryset.filter(territory_path__startswith=root.path)
            if data.get("sector"):
                queryset = queryset.filter(sector=data["sector"])
            if data.get("industry_group"):
                queryset = queryset.filter(industry_group=data["industry_group"])
        if root is None and dimension == "territory" and request.user.territory_id:
            root = Territory.objects.get(pk=request.user.territory_id)
        try:
            report = statistics.build_report(queryset, start, end, dimension, root)
        except ValueError as exc:
            form.add_error(None, str(exc))
            report = statistics.build_report(queryset, start, start, dimension, root)
        if request.GET.get("export") == "xlsx":
            title = f"事故统计（{report.start}至{report.end}，按{report.dimension_label}，同比{report.previous_start}至{report.previous_end}）"
            return xlsx_response("事故统计", title, statistics.HEADERS, statistics.report_rows(report))
        context = {
            "form": form,
            "report": report,
            "title": "事故统计",
            "chart_json": json.dumps(statistics.chart_data(report), ensure_ascii=False),
            "export_query": _with_export(request),
        }
        return render(request, self.template_name, context)


def _with_export(request) -> str:
    params = request.GET.copy()
    params["export"] = "xlsx"
    return params.urlencode()
