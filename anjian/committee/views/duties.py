"""Pages of the responsibility lists (责任清单, 安全生产法 第十七条): units, items, leaders' 一岗双责, sectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View

from anjian.core.documents import document_response
from anjian.core.permissions import has_perm
from anjian.core.tables import Column
from anjian.core.views.generic import ObjectDetailView, ObjectListView, PermissionRequiredMixin

from .. import services
from ..documents import responsibility_document
from ..filters import DutyItemFilter, UnitFilter
from ..forms import DutyItemForm, LeaderDutyForm, SectorsForm
from ..models import LIST_KINDS, DutyItem, LeaderDuty, ResponsibleUnit
from .common import ActionFormView, ReadableMixin, error_text, get_in_scope


def _sectors(obj):
    return "、".join(s.name for s in obj.sectors.all())


class UnitList(ReadableMixin, ObjectListView):
    model = ResponsibleUnit
    queryset = (
        ResponsibleUnit.objects.filter(kind__in=LIST_KINDS)
        .select_related("territory")
        .prefetch_related("sectors")
        .annotate(
            active_items=Count("duty_items", filter=Q(duty_items__is_active=True), distinct=True),
            pending_items=Count(
                "duty_items", filter=Q(duty_items__is_active=True, duty_items__status="draft"), distinct=True
            ),
        )
    )
    permission = "committee.view_dutyitem"
    filterset_class = UnitFilter
    title = "责任清单"
    ordering = ("territory_path", "kind", "sort_order", "id")
    export_name = "成员单位责任清单汇总"
    columns = [
        Column("单位", "name", link=True),
        Column("类型", "get_kind_display"),
        Column("所属区划", "territory.name"),
        Column("监管行业领域", _sectors),
        Column("职责事项数", "active_items"),
        Column("待确认", "pending_items"),
    ]


class UnitDuties(PermissionRequiredMixin, View):
    """One unit's list: print-friendly page, and Word/PDF through core.documents (?format=docx|pdf)."""

    permission = "committee.view_dutyitem"

    def get(self, request, pk):
        unit = get_in_scope(
            ResponsibleUnit.objects.filter(kind__in=LIST_KINDS), request.user, pk, readable_only=True
        )
        duties = services.duties_of(unit)
        fmt = request.GET.get("format", "")
        if fmt in ("docx", "pdf"):
            return document_response(responsibility_document(duties), fmt, f"{unit.name}安全生产责任清单")
        can_edit = services.can_edit_list(request.user, unit)
        return render(
            request,
            "committee/unit_duties.html",
            {
                "title": f"{unit.name}安全生产责任清单",
                "unit": unit,
                "duties": duties,
                "can_edit": can_edit,
                "can_confirm": can_edit and has_perm(request.user, "committee.confirm_dutyitem"),
                "can_change_sectors": can_edit
                and has_perm(request.user, "committee.change_sectors")
                and unit.kind == "department",
                "retired": unit.duty_items.filter(is_active=False).order_by("category", "sort_order"),
                "print_view": request.GET.get("print") == "1",
            },
        )


class ConfirmList(PermissionRequiredMixin, View):
    permission = "committee.confirm_dutyitem"

    def post(self, request, pk):
        unit = get_in_scope(ResponsibleUnit, request.user, pk)
        try:
            count = services.confirm_list(request.user, unit)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已确认 {count} 项职责。")
        return redirect(unit.get_absolute_url())


class SectorsEdit(ActionFormView):
    permission = "committee.change_sectors"
    form_class = SectorsForm
    title = "调整监管行业领域（管行业必须管安全）"
    success_message = "监管行业领域已调整。"

    def get_target(self):
        return get_in_scope(
            ResponsibleUnit.objects.filter(kind="department"), self.request.user, self.kwargs["pk"]
        )

    def initial(self, unit):
        return {"sectors": list(unit.sectors.all())}

    def perform(self, form, unit):
        services.set_sectors(self.request.user, unit, form.cleaned_data["sectors"])
        return unit.get_absolute_url()


class DutyList(ReadableMixin, ObjectListView):
    model = DutyItem
    queryset = DutyItem.objects.select_related("organisation")
    permission = "committee.view_dutyitem"
    filterset_class = DutyItemFilter
    title = "责任清单事项"
    ordering = ("organisation_id", "category", "sort_order", "id")
    export_name = "责任清单事项"
    import_url = reverse_lazy("core:import_start", args=["committee-duties"])
    import_permission = "committee.confirm_dutyitem"
    columns = [
        Column("职责内容", "text", link=True),
        Column("责任单位", "organisation.name"),
        Column("类别", "get_category_display"),
        Column("依据", "basis"),
        Column(
            "状态", "get_status_display", badge=lambda o: "success" if o.status == "confirmed" else "warning"
        ),
        Column("有效", "is_active"),
    ]


class DutyDetail(ReadableMixin, ObjectDetailView):
    model = DutyItem
    queryset = DutyItem.objects.select_related("organisation")
    permission = "committee.view_dutyitem"
    template_name = "committee/duty_detail.html"

    def extra_context(self, obj):
        return {"can_change": services.can_edit_list(self.request.user, obj.organisation)}


class _UnitRecordEdit(PermissionRequiredMixin, View):
    """Create (under a unit) or change an item of a unit's list, through the service that checks whose list it is."""

    permission = "committee.change_dutyitem"
    model = None
    form_class = None
    save_function = None
    title_add = title_change = ""

    def get_instance(self):
        user = self.request.user
        if "unit" in self.kwargs:
            unit = get_in_scope(
                ResponsibleUnit.objects.filter(kind__in=LIST_KINDS), user, self.kwargs["unit"]
            )
            instance = self.model(organisation=unit)
        else:
            instance = get_in_scope(
                self.model.objects.select_related("organisation"), user, self.kwargs["pk"]
            )
        if not services.can_edit_list(user, instance.organisation):
            raise PermissionDenied("只有本单位或安委办可以编辑该单位的责任清单。")
        return instance

    def get(self, request, **kwargs):
        instance = self.get_instance()
        return self.render_form(self.form_class(instance=instance, user=request.user), instance)

    def post(self, request, **kwargs):
        instance = self.get_instance()
        form = self.form_class(request.POST, instance=instance, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = type(self).save_function(request.user, form.save(commit=False))
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "已保存。")
                return redirect(obj.get_absolute_url())
        return self.render_form(form, instance, status=400)

    def render_form(self, form, instance, status=200):
        title = self.title_change if instance.pk else self.title_add
        return render(
            self.request,
            "committee/action_form.html",
            {
                "form": form,
                "title": f"{title}：{instance.organisation}",
                "back_url": ResponsibleUnit(pk=instance.organisation_id).get_absolute_url(),
            },
            status=status,
        )


class DutyEdit(_UnitRecordEdit):
    model = DutyItem
    form_class = DutyItemForm
    save_function = services.save_duty_item
    title_add, title_change = "新增职责事项", "修改职责事项"


class LeaderDutyEdit(_UnitRecordEdit):
    model = LeaderDuty
    form_class = LeaderDutyForm
    save_function = services.save_leader_duty
    title_add, title_change = "新增领导一岗双责", "修改领导一岗双责"


class LeaderDutyDetail(ReadableMixin, ObjectDetailView):
    model = LeaderDuty
    queryset = LeaderDuty.objects.select_related("organisation")
    permission = "committee.view_dutyitem"
    template_name = "committee/leader_duty_detail.html"

    def extra_context(self, obj):
        return {"can_change": services.can_edit_list(self.request.user, obj.organisation)}
