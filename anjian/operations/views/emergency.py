"""Emergency preparedness pages: plans, drills, supplies, rescue teams, and "what is near this town"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
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

from .. import rules, services
from ..filters import DrillFilter, PlanFilter, SupplyFilter, TeamFilter
from ..forms import DrillForm, MemberForm, NearbyForm, PlanForm, SupplyForm, TeamForm
from ..models import Drill, EmergencyPlan, RescueTeam, Supply
from ..tables import DRILL_COLUMNS, PLAN_COLUMNS, SUPPLY_COLUMNS, TEAM_COLUMNS
from .duty import field_rows

VIEW, CHANGE = "operations.view_emergency", "operations.change_emergency"


def _list(model_, title, filterset, columns, ordering, add, queryset=None):
    return type(
        f"{model_.__name__}List",
        (ObjectListView,),
        {
            "model": model_,
            "queryset": queryset if queryset is not None else model_.objects.select_related("territory"),
            "permission": VIEW,
            "filterset_class": filterset,
            "ordering": ordering,
            "title": title,
            "export_name": title,
            "add_url": add,
            "add_permission": CHANGE,
            "columns": columns,
        },
    )


def _edit(model_, form, title_add, title_change):
    return type(
        f"{model_.__name__}Edit",
        (ObjectEditView,),
        {
            "model": model_,
            "form_class": form,
            "add_permission": CHANGE,
            "change_permission": CHANGE,
            "title_add": title_add,
            "title_change": title_change,
        },
    )


PlanList = _list(
    EmergencyPlan,
    "应急预案",
    PlanFilter,
    PLAN_COLUMNS,
    ("revised_on", "id"),
    "operations:plan_add",
    EmergencyPlan.objects.select_related("territory", "organisation", "enterprise"),
)
PlanEdit = _edit(EmergencyPlan, PlanForm, "新建应急预案", "修改应急预案")
DrillList = _list(
    Drill,
    "应急演练",
    DrillFilter,
    DRILL_COLUMNS,
    ("-held_on", "-id"),
    "operations:drill_add",
    Drill.objects.select_related("territory", "plan"),
)
DrillEdit = _edit(Drill, DrillForm, "登记应急演练", "修改应急演练")
SupplyList = _list(
    Supply,
    "应急物资装备",
    SupplyFilter,
    SUPPLY_COLUMNS,
    ("territory_path", "name", "id"),
    "operations:supply_add",
)
SupplyEdit = _edit(Supply, SupplyForm, "登记应急物资", "修改应急物资")
TeamList = _list(
    RescueTeam, "应急救援队伍", TeamFilter, TEAM_COLUMNS, ("tier", "name", "id"), "operations:team_add"
)
TeamEdit = _edit(RescueTeam, TeamForm, "登记救援队伍", "修改救援队伍")


class PlanDetail(ObjectDetailView):
    model = EmergencyPlan
    permission = VIEW
    change_permission = CHANGE
    edit_url = "operations:plan_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        today = timezone.localdate()
        last = obj.drills.aggregate(last=Max("held_on"))["last"]
        state = rules.plan_review_state(obj.revised_on, today)
        notes = []
        if state != "ok":
            notes.append(
                (
                    "warning" if state == "due_soon" else "danger",
                    f"预案自 {obj.revised_on} 修订以来将于 {rules.plan_review_due(obj.revised_on)} 满三年，须组织评估（{'即将到期' if state == 'due_soon' else '已逾期'}）。",
                )
            )
        drill_due = rules.next_drill_due(obj.owner, last, obj.revised_on)
        if drill_due < today:
            notes.append(("danger", f"应于 {drill_due} 前组织演练，已逾期（708号令 第八条）。"))
        return {
            "fields": [
                *field_rows(
                    obj,
                    [
                        "owner",
                        "organisation",
                        "enterprise",
                        "territory",
                        "kind",
                        "level",
                        "filing_status",
                        "filed_on",
                        "filing_no",
                        "revised_on",
                        "summary",
                    ],
                ),
                ("三年评估到期", rules.plan_review_due(obj.revised_on)),
                ("最近演练", last or "—"),
                ("下次演练期限", drill_due),
            ],
            "notes": notes,
            "related": [("演练记录", obj.drills.order_by("-held_on")[:20])],
            "list_url": "operations:plan_list",
            "list_label": "应急预案",
        }


class DrillDetail(ObjectDetailView):
    model = Drill
    permission = VIEW
    change_permission = CHANGE
    edit_url = "operations:drill_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        pending = [
            x.strip()
            for x in obj.issues.splitlines()
            if x.strip() and x.strip() not in (obj.hazard_lines or [])
        ]
        return {
            "drill_hazard_url": reverse("operations:drill_hazards", args=[obj.pk])
            if obj.enterprise_id and pending and has_perm(self.request.user, CHANGE)
            else "",
            "pending_issues": len(pending),
            "fields": field_rows(
                obj,
                [
                    "plan",
                    "territory",
                    "enterprise",
                    "held_on",
                    "form",
                    "participants",
                    "participant_units",
                    "evaluation",
                    "issues",
                ],
            ),
            "list_url": "operations:drill_list",
            "list_label": "应急演练",
        }


class SupplyDetail(ObjectDetailView):
    model = Supply
    permission = VIEW
    change_permission = CHANGE
    edit_url = "operations:supply_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        return {
            "fields": field_rows(
                obj,
                [
                    "name",
                    "category",
                    "territory",
                    "location",
                    "quantity",
                    "unit",
                    "expiry_date",
                    "keeper",
                    "keeper_phone",
                ],
            ),
            "list_url": "operations:supply_list",
            "list_label": "应急物资装备",
        }


class TeamDetail(ObjectDetailView):
    model = RescueTeam
    permission = VIEW
    change_permission = CHANGE
    edit_url = "operations:team_edit"
    template_name = "operations/simple_detail.html"

    def extra_context(self, obj):
        return {
            "child_form": MemberForm() if has_perm(self.request.user, CHANGE) else None,
            "child_url": reverse("operations:team_member_add", args=[obj.pk]),
            "child_title": "添加队员",
            "fields": field_rows(
                obj,
                [
                    "name",
                    "tier",
                    "territory",
                    "enterprise",
                    "specialties",
                    "base_address",
                    "leader",
                    "phone",
                    "member_count",
                ],
            ),
            "members": obj.members.all(),
            "list_url": "operations:team_list",
            "list_label": "应急救援队伍",
        }


class Nearby(PermissionRequiredMixin, View):
    """Which teams and supplies are near a town: the same town first, then the other towns of the county."""

    permission = VIEW

    def get(self, request):
        from anjian.core.scope import restrict

        form = NearbyForm(request.GET or None, user=request.user)
        groups = []
        if form.is_bound and form.is_valid():
            town = form.cleaned_data["town"]
            keyword = request.GET.get("q", "").strip()
            team_q = Q(name__icontains=keyword) | Q(specialties__icontains=keyword) if keyword else None
            supply_q = Q(name__icontains=keyword) | Q(category__icontains=keyword) if keyword else None
            for label, rows in services.nearby(RescueTeam, town, team_q):
                groups.append(
                    ("救援队伍 · " + label, [r for r in rows if _visible(request.user, r, restrict)])
                )
            for label, rows in services.nearby(Supply, town, supply_q):
                groups.append(
                    ("应急物资 · " + label, [r for r in rows if _visible(request.user, r, restrict)])
                )
        return render(
            request, "operations/nearby.html", {"form": form, "groups": groups, "title": "就近救援力量和物资"}
        )


def _visible(user, obj, restrict) -> bool:
    from anjian.core.scope import scope_for

    scope = scope_for(user)
    return scope.territory_path is None or obj.territory_path.startswith(scope.territory_path)


SupplyList.import_url = reverse_lazy("core:import_start", args=["operations-supplies"])
SupplyList.import_permission = CHANGE
TeamList.import_url = reverse_lazy("core:import_start", args=["operations-teams"])
TeamList.import_permission = CHANGE


class DrillHazards(PermissionRequiredMixin, View):
    """POST: the drill's open issues become hazards of the drilling unit."""

    permission = CHANGE

    def post(self, request, pk):
        drill = restrict(Drill.objects.select_related("enterprise"), request.user).filter(pk=pk).first()
        if drill is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        try:
            created = services.drill_issues_to_hazards(request.user, drill)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记隐患 {len(created)} 条。")
        return redirect(drill.get_absolute_url())


class AddChild(PermissionRequiredMixin, View):
    """POST a child row (team member, training attendee) onto a parent record in scope."""

    parent_model = None
    form_class = None
    parent_field = ""

    def post(self, request, pk):
        parent = restrict(self.parent_model.objects.all(), request.user).filter(pk=pk).first()
        if parent is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        form = self.form_class(request.POST, user=request.user)
        if form.is_valid():
            setattr(form.instance, self.parent_field, parent)
            form.save()
            messages.success(request, "已添加。")
        else:
            messages.error(
                request,
                "；".join(f"{form.fields[k].label}：{e}" for k, errs in form.errors.items() for e in errs),
            )
        return redirect(parent.get_absolute_url())


class AddMember(AddChild):
    permission = CHANGE
    parent_model = RescueTeam
    form_class = MemberForm
    parent_field = "team"
