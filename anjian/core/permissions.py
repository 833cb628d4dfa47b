"""What each role may do: a table of permission codes -> roles, the one answer for pages and API.

Permission codes are "<app>.<action>_<model>" (e.g. "registry.change_enterprise"). Each app declares its own
table in `<app>/permissions.py` as `PERMISSIONS = {code: roles}`; this module merges them. Which *records* a
permitted user may touch is the scope's business (core.scope), never decided here.
"""

from functools import cache
from importlib import import_module

from django.apps import apps

from .roles import Role

R = Role
ALL_BUSINESS_READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Reference data and the tree: every government role reads, the office and system admin maintain.
    "core.view_territory": ALL_BUSINESS_READERS | {R.SYS_ADMIN, R.SEC_ADMIN},
    "core.change_territory": frozenset({R.SYS_ADMIN}),
    "core.view_sector": ALL_BUSINESS_READERS | {R.SYS_ADMIN, R.ENTERPRISE},
    "core.change_sector": frozenset({R.OFFICE, R.SYS_ADMIN}),
    "core.view_organisation": ALL_BUSINESS_READERS | {R.SYS_ADMIN, R.SEC_ADMIN},
    # The department→sector mapping is the office's to edit (管行业必须管安全 is decided by the committee).
    "core.change_organisation": frozenset({R.OFFICE, R.SYS_ADMIN}),
    # 三员分立: accounts by the system admin, roles and unlocking by the security admin, audit by the auditor.
    "core.view_user": frozenset({R.SYS_ADMIN, R.SEC_ADMIN}),
    "core.add_user": frozenset({R.SYS_ADMIN}),
    "core.change_user": frozenset({R.SYS_ADMIN}),
    "core.assign_role": frozenset({R.SEC_ADMIN}),
    "core.unlock_user": frozenset({R.SEC_ADMIN}),
    # Anyone lists and revokes their own API tokens; the security admin revokes those of accounts in scope.
    "core.revoke_apitoken": frozenset({R.SEC_ADMIN}),
    "core.view_auditentry": frozenset({R.AUDIT_ADMIN}),
    "core.export_auditentry": frozenset({R.AUDIT_ADMIN}),
}


@cache
def permission_table() -> dict[str, frozenset[Role]]:
    table = dict(PERMISSIONS)
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.label == "core":
            continue
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for code, roles in module.PERMISSIONS.items():
            table[code] = frozenset(roles)
    return table


def has_perm(user, code: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = permission_table().get(code)
    if roles is None:
        raise KeyError(f"unknown permission code {code!r}")
    return user.role in roles


def roles_with(code: str) -> frozenset[Role]:
    return permission_table()[code]
