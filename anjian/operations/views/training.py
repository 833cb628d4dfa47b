"""Training sessions and publicity activities, and the counts that feed assessment."""

from django.shortcuts import render
from django.views import View

from anjian.core.views.generic import ObjectDetailView, PermissionRequiredMixin

from .. import services
from ..filters import PublicityFilter, TrainingFilter
from ..forms import AttendeeForm, CountsForm, PublicityForm, TrainingForm
from ..models import Audience, PublicityActivity, PublicityKind, TrainingSession
from ..tables import PUBLICITY_COLUMNS, TRAINING_COLUMNS
from .duty import field_rows
from .emergency import AddChild, _edit, _list

TrainingList = _list(
    TrainingSession,
    "安全培训",
    TrainingFilter,
    TRAINING_COLUMNS,
    ("-held_on", "-id"),
    "operations:training_add",
    TrainingSession.objects.select_related("territory", "organiser"),
)
TrainingEdit = _edit(TrainingSession, TrainingForm, "登记安全培训", "修改安全培训")
PublicityList = _list(
    PublicityActivity,
    "安全宣传活动",
    PublicityFilter,
    PUBLICITY_COLUMNS,
    ("-held_on", "-id"),
    "operations:publicity_add",
    PublicityActivity.objects.select_related("territory", "organiser"),
)
PublicityEdit = _edit(PublicityActivity, PublicityForm, "登记宣传活动", "修改宣传活动")
for cls in (TrainingList, TrainingEdit, PublicityList, PublicityEdit):
    cls.permission = "operations.view_training"
    cls.add_permission = "operations.change_training"
    if hasattr(cls, "change_permission"):
        cls.change_permission = "operations.change_training"
TrainingList.permission = PublicityList.permission = "operations.view_training"


class TrainingDetail(ObjectDetailView):
    model = TrainingSession
    permission = "operations.view_training"
    change_permission = "operations.change_training"
    edit_url = "operations:training_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        return {
            "fields": field_rows(
                obj,
                [
                    "topic",
                    "audience",
                    "organiser",
                    "territory",
                    "held_on",
                    "hours",
                    "attendee_count",
                    "location",
                ],
            ),
            "attendees": obj.attendees.all(),
            "list_url": "operations:training_list",
            "list_label": "安全培训",
        }


class PublicityDetail(ObjectDetailView):
    model = PublicityActivity
    permission = "operations.view_training"
    change_permission = "operations.change_training"
    edit_url = "operations:publicity_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        return {
            "fields": field_rows(
                obj,
                [
                    "title",
                    "kind",
                    "organiser",
                    "territory",
                    "held_on",
                    "participants",
                    "materials",
                    "description",
                ],
            ),
            "list_url": "operations:publicity_list",
            "list_label": "安全宣传活动",
        }


class Counts(PermissionRequiredMixin, View):
    permission = "operations.view_training"

    def get(self, request):
        form = CountsForm(request.GET or None, user=request.user)
        counts = None
        if form.is_bound and form.is_valid():
            d = form.cleaned_data
            counts = services.training_counts(d["territory"], d["start"], d["end"])
            counts["training_by_audience"] = [
                (Audience(k).label, v) for k, v in counts["training_by_audience"].items()
            ]
            counts["publicity_by_kind"] = [
                (PublicityKind(k).label, v) for k, v in counts["publicity_by_kind"].items()
            ]
        return render(
            request, "operations/counts.html", {"form": form, "counts": counts, "title": "培训宣传统计"}
        )


class AddAttendee(AddChild):
    permission = "operations.change_training"
    parent_model = TrainingSession
    form_class = AttendeeForm
    parent_field = "session"
