"""Pages of the committee's structure: the organisation chart, committees, posts and member units."""

from datetime import date

from django.db.models import Count, Q
from django.shortcuts import render
from django.views import View

from anjian.core.models import Organisation, OrganisationKind
from anjian.core.permissions import has_perm
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)

from .. import services
from ..filters import CommitteeFilter, MembershipFilter
from ..forms import AppointForm, EndForm, LiaisonForm, MembershipAddForm, PostForm
from ..models import COMMITTEE_KINDS, Committee, CommitteePost, Meeting, Membership, PostHolder
from .common import ActionFormView, ReadableMixin, get_in_scope, merged_history


def parse_day(text: str) -> tuple[date, str]:
    """(the day asked for, an error) — today when empty or wrong."""
    if not text:
        return services.today(), ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return services.today(), "日期格式应为 YYYY-MM-DD，已显示今天的组成。"


class ChartView(PermissionRequiredMixin, View):
    """组织架构: 安委会 → 主任/副主任 → 安委办 + 专委会 → 成员单位, on a chosen day (as-of-date view)."""

    permission = "committee.view_committee"

    def get(self, request):
        committees = list(services.chart_committees(request.user))
        chosen = None
        wanted = request.GET.get("committee", "")
        if wanted.isdigit():
            chosen = next((c for c in committees if c.pk == int(wanted)), None)
        if chosen is None and committees:
            # The committee of the user's own level: the deepest one whose territory contains theirs.
            path = request.user.territory.path if request.user.territory_id else ""
            own = [c for c in committees if path.startswith(c.territory_path)]
            chosen = own[-1] if own else committees[0]
        day, day_error = parse_day(request.GET.get("on", ""))
        chart = services.org_chart(chosen, day) if chosen else None
        return render(
            request,
            "committee/chart.html",
            {
                "title": "安委会组织架构",
                "committees": committees,
                "chosen": chosen,
                "chart": chart,
                "day": day,
                "is_today": day == services.today(),
                "day_error": day_error,
                "can_change": has_perm(request.user, "committee.change_committee"),
            },
        )


def _lead(obj):
    return obj.lead_department or ""


class CommitteeList(ReadableMixin, ObjectListView):
    model = Committee
    queryset = (
        Committee.objects.filter(kind__in=COMMITTEE_KINDS)
        .select_related("territory", "lead_department")
        .annotate(
            current_members=Count("committee_members", filter=Q(committee_members__end_date__isnull=True))
        )
    )
    permission = "committee.view_committee"
    filterset_class = CommitteeFilter
    title = "安委会与专委会"
    ordering = ("territory_path", "sort_order", "id")
    export_name = "安委会与专委会"
    columns = [
        Column("名称", "name", link=True),
        Column("类型", "get_kind_display"),
        Column("所属区划", "territory.name"),
        Column("牵头单位", _lead),
        Column("在任成员单位数", "current_members"),
    ]


class CommitteeDetail(ReadableMixin, ObjectDetailView):
    model = Committee
    queryset = Committee.objects.filter(kind__in=COMMITTEE_KINDS).select_related(
        "territory", "lead_department"
    )
    permission = "committee.view_committee"
    change_permission = "committee.change_committee"
    template_name = "committee/committee_detail.html"

    def extra_context(self, obj):
        day, day_error = parse_day(self.request.GET.get("on", ""))
        posts = list(obj.committee_posts.order_by("sort_order", "id").prefetch_related("holders"))
        memberships = list(obj.committee_members.select_related("organisation").order_by("sort_order", "id"))
        on_day = {m.pk for m in services.members_on(obj, day)}
        holders = [h for p in posts for h in p.holders.all()]
        return {
            "posts": posts,
            "current_holders": services.holders_on(obj, services.today()),
            "memberships": memberships,
            "current_memberships": [m for m in memberships if m.end_date is None],
            "past_memberships": [m for m in memberships if m.end_date is not None],
            "members_on_day": [m for m in memberships if m.pk in on_day],
            "day": day,
            "day_error": day_error,
            "special_committees": Organisation.objects.filter(
                parent=obj, kind=OrganisationKind.SPECIAL_COMMITTEE
            ).select_related("lead_department"),
            "meetings": Meeting.objects.filter(committee=obj).order_by("-held_on")[:10],
            "history": merged_history(
                [
                    (Organisation, [obj.pk]),
                    (CommitteePost, [p.pk for p in posts]),
                    (PostHolder, [h.pk for h in holders]),
                    (Membership, [m.pk for m in memberships]),
                ]
            ),
        }


def _committee_for_change(view):
    return get_in_scope(
        Committee.objects.filter(kind__in=COMMITTEE_KINDS), view.request.user, view.kwargs["pk"]
    )


class PostAdd(ActionFormView):
    permission = "committee.change_committee"
    form_class = PostForm
    title = "设置职位"
    success_message = "职位已设置。"

    def get_target(self):
        return _committee_for_change(self)

    def perform(self, form, committee):
        data = form.cleaned_data
        post = services.add_post(committee, data["rank"], data["title"])
        if data["holder_name"]:
            services.appoint(post, data["holder_name"], data["start_date"])
        return committee.get_absolute_url()


class Appoint(ActionFormView):
    permission = "committee.change_committee"
    form_class = AppointForm
    title = "任职（更换职位人选）"
    success_message = "任职已登记，原任职记录已保留。"

    def get_target(self):
        return get_in_scope(CommitteePost, self.request.user, self.kwargs["pk"])

    def initial(self, post):
        return {"start_date": services.today()}

    def perform(self, form, post):
        data = form.cleaned_data
        services.appoint(post, data["name"], data["start_date"], data["position"], data["note"])
        return post.get_absolute_url()


class EndHolding(ActionFormView):
    permission = "committee.change_committee"
    form_class = EndForm
    title = "离任"
    success_message = "离任已登记。"

    def get_target(self):
        return get_in_scope(PostHolder, self.request.user, self.kwargs["pk"])

    def initial(self, holder):
        return {"end_date": services.today()}

    def perform(self, form, holder):
        services.end_holding(holder, form.cleaned_data["end_date"])
        return holder.get_absolute_url()


def _period(m):
    return (
        f"{m.start_date:%Y-%m-%d} 至 {m.end_date:%Y-%m-%d}" if m.end_date else f"{m.start_date:%Y-%m-%d} 起"
    )


class MembershipList(ReadableMixin, ObjectListView):
    model = Membership
    queryset = Membership.objects.select_related("committee", "organisation")
    permission = "committee.view_committee"
    filterset_class = MembershipFilter
    title = "成员单位"
    ordering = ("committee_id", "sort_order", "id")
    export_name = "安委会成员单位及联络员"
    columns = [
        Column("成员单位", "organisation.name", link=True),
        Column("安委会/专委会", "committee.name"),
        Column("联络员", "liaison_name"),
        Column("联络员职务", "liaison_title"),
        Column("联络员电话", "liaison_phone"),
        Column("加入日期", "start_date"),
        Column("退出日期", "end_date"),
        Column("退出原因", "end_reason", display=False),
    ]


class MembershipDetail(ReadableMixin, ObjectDetailView):
    model = Membership
    queryset = Membership.objects.select_related("committee", "organisation")
    permission = "committee.view_committee"
    change_permission = "committee.change_committee"
    edit_url = "committee:membership_edit"
    template_name = "committee/membership_detail.html"

    def extra_context(self, obj):
        return {
            "period": _period(obj),
            "other_rows": Membership.objects.filter(committee=obj.committee, organisation=obj.organisation)
            .exclude(pk=obj.pk)
            .order_by("start_date"),
        }


class MembershipAdd(ActionFormView):
    permission = "committee.change_committee"
    form_class = MembershipAddForm
    title = "添加成员单位"
    success_message = "成员单位已添加。"

    def get_target(self):
        return _committee_for_change(self)

    def form_kwargs(self, committee):
        return {"user": self.request.user, "committee": committee}

    def initial(self, committee):
        return {"start_date": services.today()}

    def perform(self, form, committee):
        data = form.cleaned_data
        services.add_member(
            committee,
            data["organisation"],
            data["start_date"],
            data["liaison_name"],
            data["liaison_title"],
            data["liaison_phone"],
        )
        return committee.get_absolute_url()


class MembershipEdit(ObjectEditView):
    model = Membership
    form_class = LiaisonForm
    change_permission = "committee.change_committee"
    title_change = "修改联络员"


class MembershipEnd(ActionFormView):
    permission = "committee.change_committee"
    form_class = EndForm
    title = "成员单位退出"
    success_message = "已登记退出，历史记录已保留。"

    def get_target(self):
        return get_in_scope(Membership, self.request.user, self.kwargs["pk"])

    def initial(self, membership):
        return {"end_date": services.today()}

    def perform(self, form, membership):
        services.end_membership(membership, form.cleaned_data["end_date"], form.cleaned_data["reason"])
        return Committee(pk=membership.committee_id).get_absolute_url()
