"""Pages of the reporting app: thin — every rule lives in services.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope, restrict
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
    ScopedObjectMixin,
)

from . import exports, services
from .filters import ReportFilter, TemplateFilter
from .forms import FieldForm, ReportForm, ReturnForm, TemplateForm
from .models import Report, ReportStatus, ReportTemplate, TemplateField

STATUS_COLOURS = {
    ReportStatus.PENDING: "secondary",
    ReportStatus.DRAFT: "info",
    ReportStatus.SUBMITTED: "primary",
    ReportStatus.RETURNED: "warning",
    ReportStatus.CONFIRMED: "success",
}
TIMELINESS_COLOURS = {
    "已报": "success",
    "迟报": "warning",
    "未报": "danger",
    "退回": "warning",
    "待报": "secondary",
}


def _timeliness(report):
    return report.timeliness(timezone.localdate())


# --- reports ------------------------------------------------------------------------------------------------
class ReportList(ObjectListView):
    model = Report
    queryset = Report.objects.select_related("template")
    permission = "reporting.view_report"
    filterset_class = ReportFilter
    title = "报表报送"
    ordering = ("-due_date", "-id")
    export_name = "报表报送情况"
    export_permission = "reporting.export_report"
    template_name = "reporting/report_list.html"
    columns = [
        Column("报表", lambda r: f"{r.period_label}{r.template.name}", link=True),
        Column("填报单位", "reporter_name"),
        Column("状态", "get_status_display", badge=lambda r: STATUS_COLOURS.get(r.status)),
        Column("报送情况", _timeliness, badge=lambda r: TIMELINESS_COLOURS.get(_timeliness(r))),
        Column("截止日期", "due_date"),
        Column("报送时间", "submitted_at"),
        Column("签字人", "signer_name"),
    ]

    def get(self, request, *args, **kwargs):
        if request.user.role == Role.ENTERPRISE:
            self.title = "隐患统计报表"
        return super().get(request, *args, **kwargs)


class ReportDetail(ObjectDetailView):
    model = Report
    queryset = Report.objects.select_related(
        "template", "reporter_org", "reporter_enterprise", "submitted_by", "confirmed_by"
    )
    permission = "reporting.view_report"
    template_name = "reporting/report_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        definitions = services.definitions_of(obj)
        return {
            "rows": _value_rows(obj, definitions),
            "actions": services.available_actions(user, obj),
            "return_form": ReturnForm(),
            "receivers": list(obj.receivers.all()),
            "timeliness": _timeliness(obj),
            "can_export": has_perm(user, "reporting.export_report"),
            "due_rule": services.due_rule_text(obj.template),
            "template_visible": has_perm(user, "reporting.view_reporttemplate")
            and restrict(ReportTemplate.objects.filter(pk=obj.template_id), user).exists(),
        }


def _value_rows(report, definitions):
    rows = []
    for definition in definitions:
        value = report.values.get(definition["key"])
        rows.append({**definition, "value": "" if value is None else value})
    return rows


class ReportFill(PermissionRequiredMixin, ScopedObjectMixin, View):
    """The reporter's form: figures from the platform pre-filled (refreshable until submitted), hand fields,
    the narrative and the signature; 保存草稿 or 报送."""

    model = Report
    queryset = Report.objects.select_related("template", "reporter_org", "reporter_enterprise")
    permission = "reporting.fill_report"

    def get(self, request, pk):
        report = self.get_object()
        reason = services.refusal(request.user, report, "save")
        if reason:
            raise PermissionDenied(reason)
        if report.auto_refreshed_at is None:
            # Opening the report fills the figures the platform knows (refreshable until submitted).
            report = services.refresh_auto(report, request.user)
        return self.render_form(report, self.form(report))

    def post(self, request, pk):
        report = self.get_object()
        action = request.POST.get("action", "save")
        if action == "refresh":
            return self._do(
                report, lambda: services.refresh_auto(report, request.user), "已按平台最新数据重新取数。"
            )
        if action == "aggregate":
            return self._do(
                report,
                lambda: services.aggregate_from_sub_reports(report, request.user),
                "已由下级报表汇总生成。",
            )
        form = self.form(report, request.POST)
        if not form.is_valid():
            return self.render_form(report, form, status=400)
        data = form.cleaned_data
        try:
            if action == "submit":
                report = services.submit(
                    report,
                    request.user,
                    values=form.values(),
                    narrative=data["narrative"],
                    signer_name=data["signer_name"],
                    signer_confirmed=data["signer_confirmed"],
                )
                messages.success(request, "已迟报（超过截止日）。" if report.is_late else "已报送。")
                return redirect(report.get_absolute_url())
            services.save_draft(
                report,
                request.user,
                form.values(),
                data["narrative"],
                data["signer_name"],
                data["signer_confirmed"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_form(report, form, status=400)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(report.get_absolute_url())
        messages.success(request, "草稿已保存。")
        return redirect("reporting:report_fill", pk=report.pk)

    def _do(self, report, call, message):
        try:
            call()
            messages.success(self.request, message)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(self.request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("reporting:report_fill", pk=report.pk)

    def form(self, report, data=None):
        definitions = services.field_definitions(report.template)
        initial = {f"v_{d['key']}": report.values.get(d["key"]) for d in definitions}
        initial.update(
            narrative=report.narrative,
            signer_name=report.signer_name,
            signer_confirmed=report.signer_confirmed,
        )
        if (
            report.template.requires_principal_signature
            and not report.signer_name
            and report.reporter_enterprise_id
        ):
            initial["signer_name"] = report.reporter_enterprise.principal_name
        return ReportForm(data, initial=initial, definitions=definitions, report=report)

    def render_form(self, report, form, status=200):
        sections = []
        for name, definition in form.field_keys:
            section = definition.get("section", "")
            if not sections or sections[-1][0] != section:
                sections.append((section, []))
            sections[-1][1].append(form[name])
        return render(
            self.request,
            "reporting/report_fill.html",
            {
                "object": report,
                "form": form,
                "sections": sections,
                "due_rule": services.due_rule_text(report.template),
                "can_aggregate": bool(report.template.aggregate_from_id and report.reporter_org_id),
            },
            status=status,
        )


class ReportAction(PermissionRequiredMixin, ScopedObjectMixin, View):
    """退回 / 确认 by the receiver."""

    model = Report
    permission = "reporting.receive_report"

    def post(self, request, pk, action):
        report = self.get_object()
        try:
            if action == "return":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请填写退回原因（不超过1000字）。")
                services.return_report(report, request.user, form.cleaned_data["reason"])
                messages.success(request, "已退回填报单位修改。")
            elif action == "confirm":
                services.confirm_report(report, request.user)
                messages.success(request, "已确认。")
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(report.get_absolute_url())


class ReportExport(PermissionRequiredMixin, ScopedObjectMixin, View):
    model = Report
    queryset = Report.objects.select_related("template")
    permission = "reporting.export_report"

    def get(self, request, pk):
        report = self.get_object()
        return exports.report_response(report, services.definitions_of(report))


# --- the receiver's matrix --------------------------------------------------------------------------------
class SummaryView(PermissionRequiredMixin, View):
    """For a template and a period: every expected reporter with its status, the numeric fields summed over
    the submitted reports and the narratives collected; Excel in the same layout."""

    permission = "reporting.browse_report"

    def get(self, request):
        reports = restrict(Report.objects.all(), request.user)
        # The templates of the reports the user sees: a town receiving enterprises' tables of a district-wide
        # template sums them too.
        templates = list(
            ReportTemplate.objects.filter(pk__in=reports.values("template_id")).order_by("name", "id")
        )
        template = _pick(templates, request.GET.get("template"))
        periods, summary, period = [], None, None
        if template is not None:
            periods = list(
                reports.filter(template=template)
                .values_list("period_start", "period_label")
                .distinct()
                .order_by("-period_start")
            )
            period = _pick_period(periods, request.GET.get("period"))
        if period is not None:
            rows = (
                reports.filter(template=template, period_start=period)
                .select_related("template")
                .order_by("territory_path", "reporter_name", "id")
            )
            if request.GET.get("received") == "true" and request.user.organisation_id:
                rows = rows.filter(receivers=request.user.organisation_id)
            summary = services.summarise(rows, template)
            if request.GET.get("export") == "xlsx":
                if not has_perm(request.user, "reporting.export_report"):
                    raise PermissionDenied("您的角色无权导出。")
                return exports.summary_response(summary, str(request.user.organisation or ""))
        return render(
            request,
            "reporting/summary.html",
            {
                "templates": templates,
                "template": template,
                "periods": periods,
                "period": period,
                "summary": summary,
                "numeric": [d for d in summary.definitions if services.numeric(d)] if summary else [],
                "title": "报表汇总",
            },
        )


def _pick(templates, raw):
    if raw and raw.isdigit():
        return next((t for t in templates if t.pk == int(raw)), None)
    return templates[0] if templates else None


def _pick_period(periods, raw):
    if raw:
        try:
            wanted = date.fromisoformat(raw)
        except ValueError:
            return None
        return wanted if any(start == wanted for start, _ in periods) else None
    return periods[0][0] if periods else None


# --- templates ----------------------------------------------------------------------------------------------
class TemplateList(ObjectListView):
    model = ReportTemplate
    queryset = ReportTemplate.objects.select_related("owner")
    permission = "reporting.view_reporttemplate"
    filterset_class = TemplateFilter
    title = "报表模板"
    ordering = ("name", "id")
    add_url = "reporting:template_add"
    add_permission = "reporting.change_reporttemplate"
    columns = [
        Column("报表名称", "name", link=True),
        Column("频次", "get_frequency_display"),
        Column("报送期限", services.due_rule_text),
        Column("报送单位", "get_reporter_kind_display"),
        Column("接收单位", "get_receiver_kind_display"),
        Column("版本", "version"),
        Column("启用", "is_active"),
    ]


class TemplateDetail(ObjectDetailView):
    model = ReportTemplate
    permission = "reporting.view_reporttemplate"
    change_permission = "reporting.change_reporttemplate"
    edit_url = "reporting:template_edit"
    template_name = "reporting/template_detail.html"

    def extra_context(self, obj):
        return {
            "fields": list(obj.fields.all()),
            "due_rule": services.due_rule_text(obj),
            "report_count": obj.reports.count(),
        }


class TemplateEdit(ObjectEditView):
    model = ReportTemplate
    form_class = TemplateForm
    add_permission = change_permission = "reporting.change_reporttemplate"
    title_add, title_change = "新建报表模板", "修改报表模板"

    def new_instance(self):
        organisation = self.request.user.organisation
        if organisation is None:
            raise PermissionDenied("您的账号未关联机构，不能制定报表。")
        return ReportTemplate(
            owner=organisation,
            territory=organisation.territory,
            starts_on=timezone.localdate().replace(day=1),
        )

    def save(self, form):
        return services.save_template(form, self.request.user)


class FieldEdit(PermissionRequiredMixin, View):
    """Add or change a field of a template (the template's version goes up: see services.save_field)."""

    permission = "reporting.change_reporttemplate"

    def dispatch(self, request, *args, **kwargs):
        if not has_perm(request.user, self.permission):
            raise PermissionDenied("您的角色无权使用此功能。")
        self.template = get_object_or_404(
            restrict(ReportTemplate.objects.all(), request.user), pk=kwargs["template_pk"]
        )
        self.instance = (
            get_object_or_404(TemplateField, pk=kwargs["pk"], template=self.template)
            if "pk" in kwargs
            else TemplateField(template=self.template, order=(self.template.fields.count() + 1) * 10)
        )
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request, **kwargs):
        return self.render_form(FieldForm(instance=self.instance, user=request.user, template=self.template))

    def post(self, request, **kwargs):
        form = FieldForm(request.POST, instance=self.instance, user=request.user, template=self.template)
        if not form.is_valid():
            return self.render_form(form, status=400)
        with transaction.atomic():
            services.save_field(form, request.user)
            ensure_in_scope(request.user, self.template)
        messages.success(request, "字段已保存。")
        return redirect(self.template.get_absolute_url())

    def render_form(self, form, status=200):
        title = "修改字段" if self.instance.pk else "添加字段"
        return render(
            self.request,
            "core/object_form.html",
            {"form": form, "object": self.template, "title": title},
            status=status,
        )
