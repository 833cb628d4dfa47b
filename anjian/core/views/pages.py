"""Pages of the core app: home, reference data, accounts, audit trail, health check, errors."""

from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View

from .. import filters
from ..forms_admin import OrganisationForm, RoleForm, SectorForm, TerritoryForm, UserForm
from ..homepage import actions_for, describe_scope, home_sections, landing_url, shortcuts_for
from ..models import ApiToken, AuditEntry, Organisation, Sector, Territory, User
from ..permissions import has_perm
from ..roles import Role
from ..tables import Column, as_written
from .generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
    ScopedObjectMixin,
)

ROLE_LABELS = dict(Role.choices)


def home(request):
    landing = landing_url(request.user)
    if landing:
        return redirect(landing)
    return render(
        request,
        "core/home.html",
        {
            "actions": actions_for(request.user),
            "sections": home_sections(request),
            "shortcuts": shortcuts_for(request.user),
            "scope_text": describe_scope(request.user),
        },
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
        from .. import tokens

        response = super().form_valid(form)
        self.request.user.password_changed_at = timezone.now()
        self.request.user.save(update_fields=["password_changed_at"])
        revoked = tokens.revoke_all(self.request.user, "密码已修改")
        messages.success(
            self.request, "密码已修改。" + (f"您的 {revoked} 个API令牌已同时吊销。" if revoked else "")
        )
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
        from ..auth_limits import locked_somewhere

        return {
            "can_assign_role": has_perm(self.request.user, "core.assign_role"),
            "can_unlock": has_perm(self.request.user, "core.unlock_user"),
            "can_revoke_tokens": has_perm(self.request.user, "core.revoke_apitoken"),
            "locked": locked_somewhere(obj.username),
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


# --- API tokens ----------------------------------------------------------------------------------------
class MyApiTokens(View):
    """我的API令牌: the owner's keys; a new key is shown on the answer to the POST that made it, and never again."""

    template_name = "registration/api_tokens.html"

    def get(self, request):
        return self.render(request)

    def post(self, request):
        from .. import tokens

        name = request.POST.get("name", "").strip()
        if not name:
            return self.render(request, error="请填写令牌用途，例如“数据交换脚本”。", status=400)
        token, key = tokens.issue(request.user, name)
        response = self.render(request, new_token=token, new_key=key)
        response["Cache-Control"] = "no-store"
        return response

    def render(self, request, status=200, **context):
        from .. import tokens

        rows = [(t, tokens.status(t)) for t in request.user.api_tokens.select_related("user")[:100]]
        context.update(
            rows=rows, owner=request.user, own=True, idle_days=tokens.idle_days(), title="我的API令牌"
        )
        return render(request, self.template_name, context, status=status)


class MyApiTokenRevoke(View):
    def post(self, request, pk):
        from .. import tokens

        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        if tokens.revoke(token, "由本人吊销"):
            messages.success(request, f"已吊销令牌 {token}。")
        return redirect("core:my_tokens")


class UserApiTokens(PermissionRequiredMixin, ScopedObjectMixin, View):
    """The security administrator sees and revokes the API tokens of an account in their scope."""

    model = User
    permission = "core.revoke_apitoken"
    template_name = "registration/api_tokens.html"

    def get(self, request, pk):
        from .. import tokens

        user = self.get_object()
        rows = [(t, tokens.status(t)) for t in user.api_tokens.select_related("user")[:100]]
        context = {"rows": rows, "owner": user, "own": False, "title": f"{user} 的API令牌"}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        from .. import tokens

        user = self.get_object()
        reason = f"由安全管理员 {request.user.get_full_name()} 吊销"
        if request.POST.get("token"):
            token = get_object_or_404(ApiToken, pk=request.POST["token"], user=user)
            count = int(tokens.revoke(token, reason))
        else:
            count = tokens.revoke_all(user, reason)
        messages.success(request, f"已吊销 {count} 个令牌。")
        return redirect("core:user_tokens", pk=user.pk)


# --- audit trail ---------------------------------------------------------------------------------------
def changes_text(entry: AuditEntry) -> str:
    """The field changes of an entry in one line, by field label: 状态：填写中 → 已完成；…"""
    return "；".join(
        f"{label}：{as_written(old, '（空）')} → {as_written(new, '（空）')}"
        for label, old, new in entry.change_rows
    )


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
        Column("时间", "timestamp", link=True, time_format="%Y-%m-%d %H:%M:%S"),
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
        Column("变更", changes_text, display=False),
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
    # Rendered without the request's context: the context processors and the session need the database,
    # which may be the very thing that failed. The page itself is static.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    return render(
        request, "errors/403.html", {"reason": "页面已过期或来源无效，请刷新页面后重试。"}, status=403
    )
