"""Pages of the committee's meetings (会议) and their decisions (议定事项), which may become 督办 tasks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.views import View

from anjian.core.permissions import has_perm
from anjian.core.scope import ensure_in_scope
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)

from .. import services
from ..filters import DecisionFilter, MeetingFilter
from ..forms import DecisionForm, MeetingForm
from ..models import Meeting, MeetingDecision
from .common import ActionFormView, ReadableMixin, error_text, get_in_scope, merged_history


class MeetingList(ReadableMixin, ObjectListView):
    model = Meeting
    queryset = Meeting.objects.select_related("committee")
    permission = "committee.view_meeting"
    filterset_class = MeetingFilter
    title = "安委会会议"
    ordering = ("-held_on", "-id")
    export_name = "安委会会议台账"
    add_url = "committee:meeting_add"
    add_permission = "committee.change_meeting"
    columns = [
        Column("会议名称", "title", link=True),
        Column("会议日期", "held_on"),
        Column("会议类型", "get_kind_display"),
        Column("安委会/专委会", "committee.name"),
        Column("地点", "place"),
        Column("主持人", "chaired_by"),
    ]


class MeetingDetail(ReadableMixin, ObjectDetailView):
    model = Meeting
    queryset = Meeting.objects.select_related("committee")
    permission = "committee.view_meeting"
    change_permission = "committee.change_meeting"
    edit_url = "committee:meeting_edit"
    template_name = "committee/meeting_detail.html"

    def extra_context(self, obj):
        attendances = list(obj.attendances.select_related("organisation"))
        decisions = list(obj.decisions.prefetch_related("lead_units"))
        return {
            "present": [a for a in attendances if a.present],
            "absent": [a for a in attendances if not a.present],
            "decisions": decisions,
            "can_supervise": has_perm(self.request.user, "committee.supervise_meetingdecision"),
            "supervision_available": services.supervision_available(),
            "history": merged_history([(Meeting, [obj.pk]), (MeetingDecision, [d.pk for d in decisions])]),
        }


class MeetingEdit(ObjectEditView):
    model = Meeting
    form_class = MeetingForm
    add_permission = change_permission = "committee.change_meeting"
    title_add, title_change = "登记安委会会议", "修改会议"
    template_name = "committee/meeting_form.html"

    def save(self, form):
        meeting = form.save()
        data = form.cleaned_data
        if data["present_units"] or data["absent_units"] or meeting.attendances.exists():
            services.record_attendance(
                meeting, data["present_units"], data["absent_units"], data["absence_reason"]
            )
        return meeting


def _units(obj):
    return "、".join(str(o) for o in obj.lead_units.all())


def _task(obj):
    return "是" if obj.task_id else "否"


class DecisionList(ReadableMixin, ObjectListView):
    model = MeetingDecision
    queryset = MeetingDecision.objects.select_related("meeting").prefetch_related("lead_units")
    permission = "committee.view_meeting"
    filterset_class = DecisionFilter
    title = "议定事项"
    ordering = ("-meeting_id", "number", "id")
    export_name = "安委会议定事项台账"
    columns = [
        Column("议定事项", "content", link=True),
        Column("会议", "meeting.title"),
        Column("会议日期", "meeting.held_on"),
        Column("牵头单位", _units),
        Column("完成时限", "deadline"),
        Column("已转督办", _task),
    ]


class DecisionDetail(ReadableMixin, ObjectDetailView):
    model = MeetingDecision
    queryset = MeetingDecision.objects.select_related("meeting", "meeting__committee")
    permission = "committee.view_meeting"
    change_permission = "committee.change_meeting"
    edit_url = "committee:decision_edit"
    template_name = "committee/decision_detail.html"

    def extra_context(self, obj):
        return {
            "can_change": has_perm(self.request.user, "committee.change_meeting") and not obj.task_id,
            "can_supervise": has_perm(self.request.user, "committee.supervise_meetingdecision"),
            "task_problem": services.decision_task_problem(obj),
            "supervision_available": services.supervision_available(),
        }


class DecisionAdd(ActionFormView):
    permission = "committee.change_meeting"
    form_class = DecisionForm
    title = "新增议定事项"
    success_message = "议定事项已添加。"

    def get_target(self):
        return get_in_scope(Meeting, self.request.user, self.kwargs["pk"])

    def form_kwargs(self, meeting):
        return {"user": self.request.user}

    def perform(self, form, meeting):
        data = form.cleaned_data
        services.add_decision(meeting, data["content"], data["lead_units"], data["deadline"])
        return meeting.get_absolute_url()


class DecisionEdit(ObjectEditView):
    model = MeetingDecision
    form_class = DecisionForm
    change_permission = "committee.change_meeting"
    title_change = "修改议定事项"

    def get_instance(self):
        decision = super().get_instance()
        if decision.task_id:
            # The task carries the matter on; the decision stays as the meeting agreed it.
            raise PermissionDenied("已转为督办的议定事项不能修改，请在督办事项中调整。")
        return decision


class DecisionSupervise(PermissionRequiredMixin, View):
    """转为督办事项 (one click, once)."""

    permission = "committee.supervise_meetingdecision"

    def post(self, request, pk):
        decision = get_in_scope(MeetingDecision, request.user, pk)
        try:
            with transaction.atomic():
                task = services.turn_into_task(request.user, decision)
                ensure_in_scope(request.user, decision)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect(decision.get_absolute_url())
        messages.success(request, f"已转为督办事项：{task}")
        return redirect(decision.get_absolute_url())
