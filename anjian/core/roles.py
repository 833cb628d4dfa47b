"""Roles of Anjian users.

One role per account. The three administrator roles are kept apart (三员分立, required of government
systems by GB/T 22239-2019 等保2.0 §8.1.4.2 "应对管理用户进行授权，授予管理用户所需的最小权限，实现管理用户的权限分离"):
the system administrator runs accounts and reference data, the security administrator grants roles and
unlocks accounts, the audit administrator reads the audit trail. None of them sees business records.
"""

from django.db import models


class Role(models.TextChoices):
    SYS_ADMIN = "sys_admin", "系统管理员"
    SEC_ADMIN = "sec_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    OFFICE = "office", "安委办工作人员"
    INSPECTOR = "inspector", "行业部门监管人员"
    TOWN = "town", "镇街工作人员"
    GRID = "grid", "网格员"
    ENTERPRISE = "enterprise", "企业安全管理人员"
    LEADER = "leader", "领导（只读）"


ADMIN_ROLES = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN})
GOVERNMENT_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.TOWN, Role.GRID, Role.LEADER})
# Roles that see business records (enterprises, hazards…) within their scope.
BUSINESS_ROLES = GOVERNMENT_ROLES | {Role.ENTERPRISE}
# Roles whose scope is a territory subtree.
TERRITORIAL_ROLES = GOVERNMENT_ROLES | {Role.SYS_ADMIN, Role.SEC_ADMIN}
# Read-only roles never change business records.
READ_ONLY_ROLES = frozenset({Role.LEADER, Role.AUDIT_ADMIN})
