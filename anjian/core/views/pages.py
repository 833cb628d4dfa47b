"""Pages of the core app: home, reference data, accounts, audit trail, health check, errors."""

from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View

from .. import filters
from ..forms_admin import OrganisationForm, RoleForm, SectorForm, TerritoryForm, UserForm
from ..homepage import describe_scope, home_sections
from ..models import AuditEntry, Organisation, Sector, Territory, User
from ..permissions import has_perm
from ..roles import Role
from ..tables import Column
from .generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
    ScopedObjectMixin,
)

ROLE_LABELS = dict(Role.choices)


def home(request):
    return render(
        request,
        "core/home.html",
        {"sections": home_sections(request), "scope_text": describe_scope(request.user)},
    )


def healthz(request):
    """Liveness and database status for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # reported, not raised: the endpoint must answer even when the DB is down
        database = f"error: {exc.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": database,
            "vendor": connection.vendor,
            "time": timezone.now().isoformat(),
        },
        status=status,
    )


class PasswordChange(PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.user.password_changed_at = timezone.now()
        self.request.user.save(update_fields=["password_changed_at"])
        messages.success(self.request, "密码已修改。")
        return response


# --- territories -------------------------------------------------------------------------------------
class TerritoryList(ObjectListView):
    model = Territory
    permission = "core.view_territory"
    filterset_class = filters.TerritoryFilter
    ordering = ("path", "id")
    title = "行政区划"
    export_name = "行政区划"
    add_url = "core:territory_add"
    add_permission = "core.change_territory"
    import_url = reverse_lazy("core:import_start", args=["territories"])
    import_permission = "core.change_territory"
    queryset = Territory.objects.select_related("parent")
    columns = [
        Column("名称", "name", link=True),
        Column("区划代码", "code"),
        Column("类型", "kind"),
        Column("上级", "parent.name"),
        Column("层级", "depth", display=False),
    ]


class TerritoryDetail(ObjectDetailView):
    model = Territory
    permission = "core.view_territory"
    change_permission = "core.change_territory"
    edit_url = "core:territory_edit"
    template_name = "core/territory_detail.html"

    def extra_context(self, obj):
        return {
            "ancestors": obj.ancestors(),
            "children": obj.children.all()[:200],
            "organisations": obj.organisations.all()[:50],
        }


class TerritoryEdit(ObjectEditView):
    model = Territory
    form_class = TerritoryForm
    add_permission = change_permission = "core.change_territory"
    title_add, title_change = "新建行政区划", "修改行政区划"


# --- sectors -----------------------------------------------------------------------------------------
class SectorList(ObjectListView):
    model = Sector
    permission = "core.view_sector"
    filterset_class = filters.SectorFilter
    ordering = ("sort_order", "id")
    title = "监管行业领域"
    export_name = "监管行业领域"
    add_url = "core:sector_add"
    add_permission = "core.change_sector"
    columns = [
        Column("名称", "name", link=True),
        Column("代码", "code"),
        Column("启用", "is_active"),
        Column("监管部门", lambda s: "、".join(str(o) for o in s.organisations.all())),
    ]
    queryset = Sector.objects.prefetch_related("organisations")


class SectorDetail(ObjectDetailView):
    model = Sector
    permission = "core.view_sector"
    change_permission = "core.change_sector"
    edit_url = "core:sector_edit"
    template_name = "core/sector_detail.html"


class SectorEdit(ObjectEditView):
    model = Sector
    form_class = SectorForm
    add_permission = change_permission = "core.change_sector"
    title_add, title_change = "新建行业领域", "修改行业领域"


# --- organisations -----------------------------------------------------------------------------------
class OrganisationList(ObjectListView):
    model = Organisation
    permission = "core.view_organisation"
    filterset_class = filters.OrganisationFilter
    ordering = ("territory_path", "sort_order", "id")
    title = "机构与行业监管"
    export_name = "机构"
    add_url = "core:organisation_add"
    add_permission = "core.change_organisation"
    queryset = Organisation.objects.select_related("territory").prefetch_related("sectors")
    columns = [
        Column("名称", "name", link=True),
        Column("类型", "kind"),
        Column("区划", "territory.name"),
        Column("监管行业领域", "sectors"),
        Column("值班电话", "duty_phone"),
    ]


class OrganisationDetail(ObjectDetailView):
    model = Organisation
    permission = "core.view_organisation"
    change_permission = "core.change_organisation"
    edit_url = "core:organisation_edit"
    template_name = "core/organisation_detail.html"
    queryset = Organisation.objects.select_related("territory", "parent", "lead_department")

    def extra_context(self, obj):
        return {"sectors": obj.sectors.all(), "children": obj.children.all(), "members": obj.members.count()}


class OrganisationEdit(ObjectEditView):
    model = Organisation
    form_class = OrganisationForm
    add_permission = change_permission = "core.change_organisation"
    title_add, title_change = "新建机构", "修改机构"


# --- users -------------------------------------------------------------------------------------------
class UserList(ObjectListView):
    model = User
    permission = "core.view_user"
    filterset_class = filters.UserFilter
    ordering = ("username", "id")
    title = "用户"
    export_name = "用户"
    add_url = "core:user_add"
    add_permission = "core.add_user"
    queryset = User.objects.select_related("organisation", "territory", "enterprise")
    columns = [
        Column("用户名", "username", link=True),
        Column("姓名", "name"),
        Column("角色", lambda u: u.get_role_display() or "（未授权）"),
        Column("机构", lambda u: u.organisation or u.enterprise or ""),
        Column("区划", "territory.name"),
        Column("启用", "is_active"),
        Column("最近登录", "last_login"),
    ]


class UserDetail(ObjectDetailView):
    model = User
    permission = "core.view_user"
    change_permission = "core.change_user"
    edit_url = "core:user_edit"
    template_name = "core/user_detail.html"
    queryset = User.objects.select_related("organisation", "territory", "enterprise")

    def extra_context(self, obj):
        from axes.models import AccessAttempt

        return {
            "can_assign_role": has_perm(self.request.user, "core.assign_role"),
            "can_unlock": has_perm(self.request.user, "core.unlock_user"),
            "locked": AccessAttempt.objects.filter(username=obj.username).exists(),
        }


class UserEdit(ObjectEditView):
    model = User
    form_class = UserForm
    add_permission = "core.add_user"
    change_permission = "core.change_user"
    title_add, title_change = "新建用户", "修改用户"
    queryset = User.objects.select_related("organisation", "territory")


class UserRole(ObjectEditView):
    model = User
    form_class = RoleForm
    add_permission = change_permission = "core.assign_role"
    title_change = "授予角色"
    success_message = "角色已更新。"


class UserUnlock(PermissionRequiredMixin, ScopedObjectMixin, View):
    model = User
    permission = "core.unlock_user"

    def post(self, request, pk):
        from axes.utils import reset

        from ..audit import record_action

        user = self.get_object()
        reset(username=user.username)
        record_action(user, "user.unlocked", "解除登录锁定")
        messages.success(request, f"已解除 {user} 的登录锁定。")
        return redirect(user.get_absolute_url())


# --- audit trail ---------------------------------------------------------------------------------------
class AuditList(ObjectListView):
    model = AuditEntry
    permission = "core.view_auditentry"
    filterset_class = filters.AuditFilter
    ordering = ("-timestamp", "-id")
    title = "审计日志"
    export_name = "审计日志"
    export_permission = "core.export_auditentry"
    queryset = AuditEntry.objects.select_related("content_type")
    columns = [
        Column("时间", "timestamp", link=True),
        Column("操作人", "actor_name"),
        Column("角色", lambda e: ROLE_LABELS.get(e.actor_role, e.actor_role)),
        Column("机构", "actor_organisation"),
        Column("操作", "action_label"),
        Column(
            "对象类型",
            lambda e: (
                e.content_type.model_class()._meta.verbose_name
                if e.content_type_id and e.content_type.model_class()
                else ""
            ),
        ),
        Column("对象", "object_repr"),
        Column("IP", "ip"),
        Column(
            "变更", lambda e: "；".join(f"{k}: {v[0]} → {v[1]}" for k, v in e.changes.items()), display=False
        ),
        Column("说明", "message"),
    ]


class AuditDetail(ObjectDetailView):
    model = AuditEntry
    permission = "core.view_auditentry"
    template_name = "core/audit_detail.html"

    def extra_context(self, obj):
        from ..audit import field_label

        model = obj.content_type.model_class() if obj.content_type_id else None
        rows = [(field_label(model, k) if model else k, v[0], v[1]) for k, v in obj.changes.items()]
        return {"change_rows": rows}


# --- errors ------------------------------------------------------------------------------------------
def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    reason = str(exception) if exception and str(exception) else "您没有权限访问此页面。"
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    return render(
        request, "errors/403.html", {"reason": "页面已过期或来源无效，请刷新页面后重试。"}, status=403
    )
