"""The API asks the same permission table as the pages (core.permissions)."""

from rest_framework.permissions import BasePermission

from ..permissions import has_perm

READ_METHODS = ("GET", "HEAD", "OPTIONS")


class RolePermission(BasePermission):
    """Viewsets declare `permissions = {"read": code, "write": code}` (and optionally per action names)."""

    message = "您的角色无权执行此操作。"

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        table = getattr(view, "permissions", None)
        if table is None:  # non-resource endpoints (schema, docs): any signed-in user
            return True
        action = getattr(view, "action", None)
        code = table.get(action) or table.get("read" if request.method in READ_METHODS else "write")
        return bool(code) and has_perm(request.user, code)
