"""Warnings: list, record, detail with the acknowledgement board, issue/cancel; the unit's own notices."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.models import Territory, TerritoryKind
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)

from .. import services
from ..filters import NoticeFilter, WarningFilter
from ..forms import AckForm, ExposureRuleForm, WarningForm
from ..models import ExposureRule, WarningNotice, WeatherWarning
from ..tables import NOTICE_COLUMNS, WARNING_COLUMNS

TOWN_KINDS = (TerritoryKind.TOWN, TerritoryKind.STREET, TerritoryKind.PARK)
# Up to this many notified units the board shows every town's list opened.
OPEN_ALL_UP_TO = 30


@dataclass
class TownNotices:
    """One town's (镇街's) part of a warning's acknowledgement board."""

    town: Territory | None
    notices: list = field(default_factory=list)
    acknowledged: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return len(self.notices)

    @property
    def pending(self) -> int:
        return self.total - self.acknowledged


def notices_by_town(notices: list, now) -> list[TownNotices]:
    """Group notices by the town (level 4: 镇、街道、园区) above each unit's territory; a unit registered
    directly under the county goes to a group of its own (town None). Towns in their order; one query."""
    ids = {int(part) for n in notices for part in n.territory_path.split(".") if part}
    towns = {t.pk: t for t in Territory.objects.filter(pk__in=ids, kind__in=TOWN_KINDS)}
    groups: dict[int | None, TownNotices] = {}
    for notice in notices:
        town_id = next(
            (int(part) for part in notice.territory_path.split(".") if part and int(part) in towns), None
        )
        group = groups.setdefault(town_id, TownNotices(towns.get(town_id)))
        group.notices.append(notice)
        if notice.acknowledged_at:
            group.acknowledged += 1
        elif notice.ack_due_at < now:
            group.overdue += 1
    return sorted(groups.values(), key=_town_order)


def _town_order(group: TownNotices):
    town = group.town
    return (1, 0, "", "") if town is None else (0, town.sort_order, town.code or "", town.name)


class WarningList(ObjectListView):
    model = WeatherWarning
    queryset = WeatherWarning.objects.prefetch_related("areas")
    permission = "operations.view_weatherwarning"
    filterset_class = WarningFilter
    ordering = ("-starts_at", "-id")
    title = "灾害性天气预警"
    export_name = "预警台账"
    add_url = "operations:warning_add"
    add_permission = "operations.change_weatherwarning"
    columns = WARNING_COLUMNS


class WarningEdit(ObjectEditView):
    model = WeatherWarning
    form_class = WarningForm
    add_permission = change_permission = "operations.change_weatherwarning"
    title_add, title_change = "录入预警", "修改预警"

    def save(self, form):
        if not form.instance.pk:
            form.instance.created_by = self.request.user
        return form.save()


class WarningDetail(ObjectDetailView):
    model = WeatherWarning
    permission = "operations.view_weatherwarning"
    change_permission = "operations.change_weatherwarning"
    edit_url = "operations:warning_edit"
    template_name = "operations/warning_detail.html"

    def extra_context(self, obj):
        notices = restrict(obj.notices.all(), self.request.user).select_related(
            "enterprise", "sector", "territory", "acknowledged_by"
        )
        notices = notices.order_by(F("acknowledged_at").asc(nulls_first=True), "enterprise__name", "id")
        enterprises, _ = services.exposed_enterprises(obj)
        now = timezone.now()
        groups = notices_by_town(list(notices), now)
        return {
            "towns": groups,
            # A short board is read at a glance; a long one opens town by town.
            "open_towns": sum(g.total for g in groups) <= OPEN_ALL_UP_TO,
            "summary": services.notice_summary(obj),
            "rule": services.exposure_rule(obj.warning_type),
            "exposed_count": enterprises.count() if not obj.notified_at else None,
            "can_issue": has_perm(self.request.user, "operations.change_weatherwarning")
            and not obj.cancelled,
            "now": now,
        }


class WarningAction(PermissionRequiredMixin, View):
    permission = "operations.change_weatherwarning"

    def post(self, request, pk, action):
        warning = restrict(WeatherWarning.objects.all(), request.user).filter(pk=pk).first()
        if warning is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        try:
            if action == "issue":
                count = services.issue_warning(request.user, warning)
                messages.success(request, f"已通知受影响单位 {count} 家。")
            elif action == "cancel":
                services.cancel_warning(request.user, warning)
                messages.success(request, "预警已解除。")
            else:
                raise Http404("未知操作。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(warning.get_absolute_url())


class NoticeList(ObjectListView):
    """All notices in scope (the office's board; enterprises see only their own)."""

    model = WarningNotice
    queryset = WarningNotice.objects.select_related("warning", "enterprise", "sector", "territory")
    permission = "operations.view_warningnotice"
    filterset_class = NoticeFilter
    ordering = ("-sent_at", "-id")
    title = "预警签收情况"
    export_name = "预警签收台账"
    columns = NOTICE_COLUMNS
    template_name = "operations/notice_list.html"


class NoticeAck(PermissionRequiredMixin, View):
    permission = "operations.view_warningnotice"

    def get_notice(self, pk):
        notice = (
            restrict(WarningNotice.objects.select_related("warning", "enterprise"), self.request.user)
            .filter(pk=pk)
            .first()
        )
        if notice is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        return notice

    def get(self, request, pk):
        notice = self.get_notice(pk)
        return self.render(notice, AckForm())

    def post(self, request, pk):
        notice = self.get_notice(pk)
        form = AckForm(request.POST)
        if form.is_valid():
            try:
                services.acknowledge_notice(request.user, notice, measures=form.cleaned_data["measures"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已签收。")
                return redirect("operations:notice_mine")
        return self.render(notice, form, status=400)

    def render(self, notice, form, status=200):
        can_ack = (
            has_perm(self.request.user, "operations.acknowledge_warningnotice") and not notice.acknowledged_at
        )
        return render(
            self.request,
            "operations/notice_ack.html",
            {"notice": notice, "form": form, "can_ack": can_ack, "title": "预警签收"},
            status=status,
        )


class MyNotices(PermissionRequiredMixin, View):
    """The enterprise user's page: warnings to acknowledge and those already acknowledged."""

    permission = "operations.acknowledge_warningnotice"

    def get(self, request):
        notices = restrict(WarningNotice.objects.select_related("warning"), request.user).order_by(
            "acknowledged_at", "-sent_at", "-id"
        )[:100]
        return render(
            request,
            "operations/notice_mine.html",
            {"notices": notices, "title": "本单位预警签收", "now": timezone.now()},
        )


class ExposureRuleList(ObjectListView):
    model = ExposureRule
    queryset = ExposureRule.objects.prefetch_related("sectors")
    permission = "operations.view_exposurerule"
    ordering = ("warning_type", "id")
    title = "预警影响规则"
    export_name = "预警影响规则"
    from anjian.core.tables import Column

    columns = [
        Column("预警类型", "warning_type", link=True),
        Column("受影响行业领域", "sectors"),
        Column("起始级别", "min_level"),
        Column("签收时限（小时）", "ack_hours"),
    ]


class ExposureRuleEdit(ObjectEditView):
    model = ExposureRule
    form_class = ExposureRuleForm
    add_permission = change_permission = "operations.change_exposurerule"
    title_change = "修改预警影响规则"
