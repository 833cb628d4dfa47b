"""The registry's rows of the permission table (core.permissions). Which records: core.scope."""

from anjian.core.roles import Role

R = Role
GOVERNMENT_READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER})

PERMISSIONS = {
    # The unit record: everybody in business roles reads within scope; enterprise staff read their own.
    "registry.view_enterprise": GOVERNMENT_READERS | {R.ENTERPRISE},
    "registry.add_enterprise": frozenset({R.OFFICE, R.TOWN, R.INSPECTOR}),
    # Enterprise staff change only ENTERPRISE_EDITABLE_FIELDS of their own unit (forms.EnterpriseForm).
    "registry.change_enterprise": frozenset({R.OFFICE, R.TOWN, R.INSPECTOR, R.ENTERPRISE}),
    "registry.import_enterprise": frozenset({R.OFFICE, R.TOWN}),
    "registry.export_enterprise": GOVERNMENT_READERS,
    # 停产/恢复/注销 by the office and towns; 关闭取缔 by the office (services.STATUS_TRANSITIONS).
    "registry.change_status_enterprise": frozenset({R.OFFICE, R.TOWN}),
    # Sector registers and risk points: units keep their own, government staff in scope as well.
    "registry.view_register": GOVERNMENT_READERS | {R.ENTERPRISE},
    "registry.change_register": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.ENTERPRISE}),
    "registry.view_riskmap": GOVERNMENT_READERS,
    # 分级分类监管 frequency table: data maintained by the office.
    "registry.view_supervisionfrequency": GOVERNMENT_READERS,
    "registry.change_supervisionfrequency": frozenset({R.OFFICE}),
    # 应急管理部令第11号 第四条: the department that made the penalty decision lists (谁处罚、谁决定).
    "registry.view_blacklistentry": GOVERNMENT_READERS | {R.ENTERPRISE},
    "registry.change_blacklistentry": frozenset({R.OFFICE, R.INSPECTOR}),
    # 关闭取缔: decided by the county government (安全生产法 第一百一十五条), recorded by the office.
    "registry.view_closurerecord": GOVERNMENT_READERS,
    "registry.change_closurerecord": frozenset({R.OFFICE}),
}

# The fields of its own record an enterprise user may change (the office's policy; everything else — name,
# credit code, territory, sectors, status, colour — is the government's to decide).
ENTERPRISE_EDITABLE_FIELDS = (
    "address",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_manager_name",
    "safety_manager_phone",
    "employees",
    "longitude",
    "latitude",
)
