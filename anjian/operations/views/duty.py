"""Duty: rosters with their shifts and gaps, the duty log, and the duty officer's page."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)

from .. import services
from ..filters import DutyLogFilter, RosterFilter
from ..forms import DutyLogForm, RosterForm, ShiftRowsForm
from ..models import DutyLogEntry, DutyRoster, Tip, TipStatus, WarningNotice
from ..tables import DUTYLOG_COLUMNS, ROSTER_COLUMNS


class RosterList(ObjectListView):
    model = DutyRoster
    queryset = DutyRoster.objects.select_related("organisation")
    permission = "operations.view_duty"
    filterset_class = RosterFilter
    ordering = ("-start_date", "-id")
    title = "值班表"
    export_name = "值班表"
    add_url = "operations:roster_add"
    add_permission = "operations.change_duty"
    columns = ROSTER_COLUMNS


class RosterEdit(ObjectEditView):
    model = DutyRoster
    form_class = RosterForm
    add_permission = change_permission = "operations.change_duty"
    title_add, title_change = "新建值班表", "修改值班表"


class RosterDetail(ObjectDetailView):
    model = DutyRoster
    permission = "operations.view_duty"
    change_permission = "operations.change_duty"
    edit_url = "operations:roster_edit"
    template_name = "operations/roster_detail.html"

    def extra_context(self, obj):
        return {
            "shifts": obj.shifts.all(),
            "gaps": services.duty_gaps(obj.organisation, obj.start_date, obj.end_date),
            "rows_form": ShiftRowsForm() if has_perm(self.request.user, "operations.change_duty") else None,
        }


class RosterShifts(PermissionRequiredMixin, View):
    permission = "operations.change_duty"

    def post(self, request, pk):
        roster = restrict(DutyRoster.objects.all(), request.user).filter(pk=pk).first()
        if roster is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        form = ShiftRowsForm(request.POST)
        if form.is_valid():
            try:
                count = services.fill_roster(request.user, roster, form.cleaned_data["rows"])
                messages.success(request, f"已保存 {count} 天的排班。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(roster.get_absolute_url())


class DutyLogList(ObjectListView):
    model = DutyLogEntry
    queryset = DutyLogEntry.objects.select_related("organisation", "recorded_by")
    permission = "operations.view_duty"
    filterset_class = DutyLogFilter
    ordering = ("-occurred_at", "-id")
    title = "值班日志"
    export_name = "值班日志"
    add_url = "operations:dutylog_add"
    add_permission = "operations.change_duty"
    columns = DUTYLOG_COLUMNS


class DutyLogEdit(ObjectEditView):
    model = DutyLogEntry
    form_class = DutyLogForm
    add_permission = change_permission = "operations.change_duty"
    title_add, title_change = "记录值班日志", "修改值班日志"


class DutyLogDetail(ObjectDetailView):
    model = DutyLogEntry
    permission = "operations.view_duty"
    change_permission = "operations.change_duty"
    edit_url = "operations:dutylog_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        return {
            "fields": field_rows(
                obj,
                ["organisation", "occurred_at", "kind", "caller", "summary", "action_taken", "recorded_by"],
            ),
            "list_url": "operations:dutylog_list",
            "list_label": "值班日志",
        }


def field_rows(obj, names):
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        if hasattr(value, "all"):
            value = "、".join(str(v) for v in value.all())
        if hasattr(value, "strftime") and hasattr(value, "hour"):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        rows.append((field.verbose_name, value if value not in (None, "") else "—"))
    return rows


class DutyDesk(PermissionRequiredMixin, View):
    """The duty officer's page: today's shift, today's warnings and their acknowledgement, open accident
    reports, urgent and overdue tips, the latest log entries, and duty gaps in the coming 14 days."""

    permission = "operations.view_duty"

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        now = timezone.now()
        warnings = list(restrict(services.active_warnings(now), user).order_by("-starts_at")[:20])
        for w in warnings:
            w.summary = services.notice_summary(w)
        tips = (
            restrict(Tip.objects.select_related("territory", "assigned_org"), user)
            .filter(status__in=(TipStatus.RECEIVED, TipStatus.ASSIGNED))
            .filter(urgent=True)
            .order_by("due_date", "-submitted_at")[:20]
        )
        overdue_tips = (
            restrict(Tip.objects.select_related("territory", "assigned_org"), user)
            .filter(status=TipStatus.ASSIGNED, due_date__lt=today)
            .order_by("due_date")[:20]
        )
        organisation = user.organisation
        shift = services.todays_shift(organisation, today) if organisation else None
        gaps = services.duty_gaps(organisation, today, today + timedelta(days=14)) if organisation else []
        context = {
            "title": "值班工作台",
            "today": today,
            "shift": shift,
            "gaps": gaps,
            "warnings": warnings,
            "urgent_tips": tips,
            "overdue_tips": overdue_tips,
            "accidents": open_accidents(user),
            "log": restrict(DutyLogEntry.objects.all(), user).order_by("-occurred_at")[:10],
            "unacked": restrict(
                WarningNotice.objects.filter(
                    acknowledged_at__isnull=True, warning__cancelled=False, warning__ends_at__gte=now
                ),
                user,
            ).count(),
        }
        return render(request, "operations/duty_desk.html", context)


def open_accidents(user):
    """Accident reports not yet closed (anjian.accidents), within the user's scope; empty if unavailable."""
    try:
        from anjian.accidents.models import Accident, AccidentStatus
    except ImportError:  # pragma: no cover
        return []
    if not has_perm_safe(user, "accidents.view_accident"):
        return []
    return list(
        restrict(Accident.objects.select_related("territory"), user)
        .exclude(status=AccidentStatus.CLOSED)
        .order_by("-occurred_at")[:10]
    )


def has_perm_safe(user, code) -> bool:
    try:
        return has_perm(user, code)
    except KeyError:
        return False
