"""Roles and the active state of accounts: the one place they change.

三员分立 (GB/T 22239-2019 §8.1.4.2): the system, security and audit administrators check one another, so none of
them may change, grant or revoke an administrator role, nor switch an administrator account on or off — not even
each other's. Otherwise the security administrator could make the auditor an office user (who reads all business
data) and the system administrator could switch the auditor off. Such changes go through a separate procedure run
on the server (`manage.py admin_account`), which writes a distinct audit action and alerts every audit
administrator.

Pages and API call `check_role_change` / `check_active_change` before saving; the command calls
`change_admin_account`.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from .audit import record_action, register_actions
from .context import acting_as
from .roles import ADMIN_ROLES, Role

ADMIN_ACCOUNT_CHANGED = "account.admin_changed"
register_actions({ADMIN_ACCOUNT_CHANGED: "【三员】管理员账号变更（服务器端程序）"})

REFUSAL_ROLE = (
    "系统管理员、安全管理员、审计管理员（三员）的角色不能在系统内授予、变更或撤销，"
    "须经审批后由运维人员在服务器上执行管理员账号变更程序办理。"
)
REFUSAL_ACTIVE = (
    "三员（系统管理员、安全管理员、审计管理员）账号的启用状态不能在系统内修改，"
    "须经审批后由运维人员在服务器上执行管理员账号变更程序办理。"
)
REFUSAL_SCOPE = "三员账号的所属区划不能在系统内修改，须经审批后在服务器上执行管理员账号变更程序办理。"


def is_admin_role(role) -> bool:
    return role in ADMIN_ROLES


def check_role_change(actor, user, new_role) -> None:
    """Raise ValidationError if `actor` may not give `user` the role `new_role` from inside the system."""
    if actor is not None and user.pk == actor.pk:
        raise ValidationError("不能修改自己的角色。")
    old_role = _stored(user, "role")
    if old_role == new_role:
        return
    if is_admin_role(old_role) or is_admin_role(new_role):
        raise ValidationError(REFUSAL_ROLE)


def check_active_change(actor, user, active: bool) -> None:
    """Raise ValidationError if `actor` may not switch `user` on or off from inside the system."""
    if not user.pk or _stored(user, "is_active") == active:
        return
    if is_admin_role(_stored(user, "role")):
        raise ValidationError(REFUSAL_ACTIVE)
    if actor is not None and user.pk == actor.pk and not active:
        raise ValidationError("不能停用自己的账号。")


def _stored(user, field):
    """The value as stored (a form may already have written the new value onto the instance)."""
    if not user.pk:
        return getattr(user, field)
    return type(user)._base_manager.filter(pk=user.pk).values_list(field, flat=True).first()


def change_admin_account(user, *, operator: str, reason: str, role=None, active=None, territory=None):
    """The server-side procedure: change an administrator account (or make an account an administrator).

    Writes the field change, the distinct action `account.admin_changed` with who ran it and why, and alerts
    the audit administrators (in-app message). Returns a list of human-readable changes (empty if nothing).
    """
    old_role, old_active = user.role, user.is_active
    if not (is_admin_role(old_role) or is_admin_role(role)):
        raise ValidationError("此程序只用于三员账号；其他账号的角色由安全管理员在系统内授予。")
    if not operator.strip() or not reason.strip():
        raise ValidationError("必须写明操作人和变更依据（审批文号或事由）。")
    changes = []
    if role is not None and role != old_role:
        user.role = role
        changes.append(f"角色：{_role_label(old_role)} → {_role_label(role)}")
    if active is not None and active != old_active:
        user.is_active = active
        changes.append(f"启用：{'是' if old_active else '否'} → {'是' if active else '否'}")
    if territory is not None and territory.pk != user.territory_id:
        changes.append(f"所属区划：{user.territory or '（空）'} → {territory}")
        user.territory = territory
    if not changes:
        return []
    user.full_clean(exclude=["password", "username"])
    label = f"管理员账号变更程序（{operator.strip()}）"[:100]
    with acting_as(label=label), transaction.atomic():
        user.save()
        message = f"{'；'.join(changes)}。依据：{reason.strip()}"
        record_action(user, ADMIN_ACCOUNT_CHANGED, message)
        alert_auditors(user, message)
    return changes


def _role_label(role) -> str:
    return Role(role).label if role else "（未授权）"


def alert_auditors(user, message: str) -> None:
    """An in-app message to every active audit administrator. The audit entry above is the record; the message
    makes sure the auditors look at it. Sent through the notifications app when it is installed (the embedded
    and the full installation both have it); looked up by name so that core keeps no import of a higher app."""
    from .models import User

    auditors = list(User.objects.filter(role=Role.AUDIT_ADMIN, is_active=True))
    if not auditors or not apps.is_installed("anjian.notifications"):
        return
    from importlib import import_module

    notify = import_module("anjian.notifications.services").notify
    notify(
        auditors,
        title=f"三员账号变更：{user}",
        body=message,
        url=f"/core/audit/?action={ADMIN_ACCOUNT_CHANGED}",
        kind=ADMIN_ACCOUNT_CHANGED,
    )
