"""Pages: to-do list, inbox, reminder log, rules (office edits), key periods, failed deliveries, preferences."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
)

from . import filters, forms, services
from .models import Delivery, Firing, KeyPeriod, Notification, Preference, RecipientGap, ReminderRule
from .providers import kind_label


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _status_colour(delivery):
    return {"failed": "danger", "sent": "success", "pending": "secondary", "sending": "info"}[delivery.status]


# --- to-do ----------------------------------------------------------------------------------------------
class TodoView(PermissionRequiredMixin, View):
    permission = "notifications.view_todo"

    def get(self, request):
        entries = services.todo_for(request.user)
        context = {"title": "我的待办", "entries": entries, **gap_summary(request.user)}
        return render(request, "notifications/todo.html", context)


def gap_summary(user) -> dict:
    """The office's count of open configuration problems (提醒配置问题), for the panel on its to-do page."""
    if not has_perm(user, "notifications.view_recipientgap"):
        return {}
    open_gaps = restrict(RecipientGap.objects.filter(resolved_at__isnull=True), user)
    return {"gaps_open": open_gaps.count(), "gaps_nobody": open_gaps.filter(fallback="").count()}


# --- inbox ----------------------------------------------------------------------------------------------
class InboxView(ObjectListView):
    model = Notification
    permission = "notifications.view_notification"
    filterset_class = filters.NotificationFilter
    ordering = ("-created_at", "-id")
    title = "站内消息"
    template_name = "notifications/inbox.html"
    columns = [
        Column("时间", lambda n: _local(n.created_at)),
        Column("标题", "title", link=True),
        Column("内容", "body"),
        Column(
            "状态",
            lambda n: "已读" if n.read_at else "未读",
            badge=lambda n: "secondary" if n.read_at else "danger",
        ),
    ]

    def scoped_queryset(self):
        # Only one's own messages: the inbox is personal, whatever the role's territory.
        return Notification.objects.filter(recipient=self.request.user)

    def extra_context(self):
        return {"unread": services.unread_count(self.request.user)}


class OpenNotification(PermissionRequiredMixin, View):
    """Mark one message read and go to what it is about."""

    permission = "notifications.view_notification"

    def get(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.mark_read(notification)
        target = notification.url
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications:inbox")


class MarkAllRead(PermissionRequiredMixin, View):
    permission = "notifications.view_notification"

    def post(self, request):
        count = services.mark_all_read(request.user)
        messages.success(request, f"已将 {count} 条消息标为已读。")
        return redirect("notifications:inbox")


# --- reminder log (提醒记录台账) ---------------------------------------------------------------------------
class FiringList(ObjectListView):
    model = Firing
    queryset = Firing.objects.select_related("rule")
    permission = "notifications.view_firing"
    filterset_class = filters.FiringFilter
    ordering = ("-fired_at", "-id")
    title = "提醒记录"
    export_name = "提醒记录台账"
    columns = [
        Column("触发时间", lambda f: _local(f.fired_at)),
        Column("期限类型", lambda f: kind_label(f.kind)),
        Column("事项", lambda f: f.title),
        Column("期限", lambda f: _local(f.due_at)),
        Column("环节", lambda f: f.rule.describe()),
        Column("接收人", "recipients"),
        Column("代收说明", "fallback"),
        Column("结果", "outcome", badge=lambda f: "success" if f.outcome == "sent" else "warning"),
        Column("办结", lambda f: "是" if f.resolved_at else "否"),
    ]


# --- rules ----------------------------------------------------------------------------------------------
class RuleList(ObjectListView):
    model = ReminderRule
    permission = "notifications.view_reminderrule"
    filterset_class = filters.RuleFilter
    ordering = ("kind", "id")
    title = "提醒与升级规则"
    export_name = "提醒与升级规则"
    add_url = "notifications:rule_add"
    add_permission = "notifications.change_reminderrule"
    columns = [
        Column("期限类型", lambda r: kind_label(r.kind), link=True),
        Column("环节", lambda r: r.describe()),
        Column("通知方式", lambda r: r.channels_display()),
        Column("启用", "is_active"),
    ]

    def get(self, request, *args, **kwargs):
        services.ensure_default_rules()  # lazy seeding: the office always finds the defaults here
        return super().get(request, *args, **kwargs)


class RuleDetail(ObjectDetailView):
    model = ReminderRule
    permission = "notifications.view_reminderrule"
    change_permission = "notifications.change_reminderrule"
    edit_url = "notifications:rule_edit"
    template_name = "notifications/rule_detail.html"

    def extra_context(self, obj):
        return {"kind_label": kind_label(obj.kind)}


class RuleEdit(ObjectEditView):
    model = ReminderRule
    form_class = forms.RuleForm
    add_permission = "notifications.change_reminderrule"
    change_permission = "notifications.change_reminderrule"
    title_add = "新建提醒与升级规则"
    title_change = "修改提醒与升级规则"


# --- key periods ----------------------------------------------------------------------------------------
class VisibleKeyPeriods:
    def scoped_queryset(self):
        return services.visible_key_periods(self.request.user).select_related("territory")


class KeyPeriodList(VisibleKeyPeriods, ObjectListView):
    model = KeyPeriod
    permission = "notifications.view_keyperiod"
    filterset_class = filters.KeyPeriodFilter
    ordering = ("start_date", "id")
    title = "重点时段"
    export_name = "重点时段"
    add_url = "notifications:keyperiod_add"
    add_permission = "notifications.change_keyperiod"
    columns = [
        Column("名称", lambda p: str(p), link=True),
        Column("类别", "category"),
        Column("开始", "start_date"),
        Column("结束", "end_date"),
        Column("适用区划", "territory.name"),
        Column("加密检查", "raises_inspection_frequency"),
        Column("节前检查", "requires_pre_holiday_check"),
        Column("值班", "requires_duty"),
        Column("专项通报", "enables_bulletins"),
    ]


class KeyPeriodDetail(VisibleKeyPeriods, ObjectDetailView):
    model = KeyPeriod
    permission = "notifications.view_keyperiod"
    change_permission = "notifications.change_keyperiod"
    edit_url = "notifications:keyperiod_edit"
    template_name = "notifications/keyperiod_detail.html"

    def extra_context(self, obj):
        # Only periods of the user's own subtree are theirs to change (a town cannot edit the district's).
        can_edit = restrict(KeyPeriod.objects.filter(pk=obj.pk), self.request.user).exists()
        return {"can_change": can_edit and has_perm(self.request.user, self.change_permission)}


class KeyPeriodEdit(ObjectEditView):
    model = KeyPeriod
    form_class = forms.KeyPeriodForm
    add_permission = "notifications.change_keyperiod"
    change_permission = "notifications.change_keyperiod"
    title_add = "新建重点时段"
    title_change = "修改重点时段"


# --- configuration problems (提醒配置问题) ------------------------------------------------------------------
def _gap_fix(gap) -> str:
    # Plain links (no htmx): the unit's page, to see who is registered there, and the rule that fired.
    links = []
    if gap.unit_url:
        links.append(format_html('<a href="{}">查看单位</a>', gap.unit_url))
    if gap.item_url:
        links.append(format_html('<a href="{}">查看事项</a>', gap.item_url))
    links.append(format_html('<a href="{}">查看规则</a>', gap.rule.get_absolute_url()))
    return format_html_join(" · ", "{}", ((link,) for link in links))


class GapList(ObjectListView):
    model = RecipientGap
    queryset = RecipientGap.objects.select_related("rule")
    permission = "notifications.view_recipientgap"
    filterset_class = filters.GapFilter
    ordering = ("-last_seen_at", "-id")
    title = "提醒配置问题"
    template_name = "notifications/gap_list.html"
    export_name = "提醒配置问题"
    columns = [
        Column("单位", lambda g: g.unit_name or "（未指明单位）"),
        Column("缺少的角色", lambda g: g.role_display),
        Column("期限类型", lambda g: kind_label(g.kind)),
        Column("规则", lambda g: g.rule.describe()),
        Column("最近事项", "item_title"),
        Column(
            "处理情况",
            lambda g: f"已改由 {g.fallback} 接收" if g.fallback else "无人接收，提醒未能送达",
            badge=lambda g: "warning" if g.fallback else "danger",
        ),
        Column("次数", "occurrences"),
        Column("最近发现", "last_seen_at"),
        Column("状态", lambda g: "已解决" if g.resolved_at else "待处理"),
        Column("去处理", _gap_fix, export=False),
    ]

    def get(self, request, *args, **kwargs):
        # The page opens on what is still open: what the office has to deal with.
        if not request.GET:
            request.GET = request.GET.copy()
            request.GET["state"] = "open"
        return super().get(request, *args, **kwargs)


# --- failed deliveries ----------------------------------------------------------------------------------
class DeliveryList(ObjectListView):
    model = Delivery
    queryset = Delivery.objects.select_related("notification__recipient")
    permission = "notifications.view_delivery"
    filterset_class = filters.DeliveryFilter
    ordering = ("-id",)
    title = "外发消息（邮件、短信）"
    template_name = "notifications/delivery_list.html"
    export_name = "外发消息"
    columns = [
        Column("创建时间", lambda d: _local(d.created_at)),
        Column("渠道", "channel"),
        Column("接收人", lambda d: d.notification.recipient.get_full_name()),
        Column("地址", "address"),
        Column("标题", lambda d: d.notification.title),
        Column("状态", "status", badge=_status_colour),
        Column("尝试次数", "attempts"),
        Column("错误", "last_error"),
    ]

    def get(self, request, *args, **kwargs):
        # The page opens on the failures: what the office has to deal with.
        if not request.GET:
            request.GET = request.GET.copy()
            request.GET["status"] = Delivery.Status.FAILED
        return super().get(request, *args, **kwargs)

    def extra_context(self):
        return {"can_retry": has_perm(self.request.user, "notifications.retry_delivery")}


class RetryDelivery(PermissionRequiredMixin, View):
    permission = "notifications.retry_delivery"

    def post(self, request, pk):
        delivery = restrict(Delivery.objects.all(), request.user).filter(pk=pk).first()
        if delivery is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        try:
            services.retry_delivery(delivery, request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已重新排入发送队列。")
        return redirect("notifications:delivery_list")


# --- preferences ----------------------------------------------------------------------------------------
class PreferenceView(PermissionRequiredMixin, View):
    permission = "notifications.change_preference"

    def _instance(self):
        return Preference.objects.filter(user=self.request.user).first() or Preference(user=self.request.user)

    def get(self, request):
        form = forms.PreferenceForm(instance=self._instance(), user=request.user)
        return render(request, "notifications/preferences.html", {"form": form, "title": "通知设置"})

    def post(self, request):
        form = forms.PreferenceForm(request.POST, instance=self._instance(), user=request.user)
        if not form.is_valid():
            return render(
                request, "notifications/preferences.html", {"form": form, "title": "通知设置"}, status=400
            )
        form.save()
        messages.success(request, "通知设置已保存。")
        return redirect("notifications:preferences")


def nav_badge(request):
    """The navigation's to-do and unread counts, loaded by htmx after the page (see notifications_tags)."""
    from django.http import HttpResponse

    from .templatetags.notifications_tags import render_badge

    if not request.user.role:
        return HttpResponse("")
    return HttpResponse(render_badge(request.user))
