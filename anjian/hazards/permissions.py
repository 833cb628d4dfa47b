"""Who may use which hazard pages and endpoints. Which hazards, and which action on which hazard, is decided by the
scope (core.scope) and the transitions table (hazards.workflow) — this table only opens the doors."""

from anjian.core.roles import Role as R

READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER, R.ENTERPRISE})
ACTORS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.ENTERPRISE})

PERMISSIONS = {
    "hazards.view_hazard": READERS,
    # Registration: enterprise staff (self-check), department inspectors, town and grid staff, the office.
    "hazards.add_hazard": ACTORS,
    # Taking a workflow action; the transitions table then decides per action, state and role.
    "hazards.change_hazard": ACTORS,
    "hazards.export_hazard": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER, R.ENTERPRISE}),
    "hazards.import_hazard": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN}),
    # Ledgers with rates (per unit/town/sector/department) are a government view.
    "hazards.view_ledger": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER}),
    # 市级核查: the city office draws and checks; the counties and towns read the verdicts on their hazards.
    "hazards.view_verification": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER}),
    "hazards.change_verification": frozenset({R.OFFICE}),
    # 直接报告 (HZ-20, 安全生产法 第四十六条第二款): a unit's safety manager reports; the department handles.
    "hazards.view_directreport": READERS,
    "hazards.add_directreport": frozenset({R.ENTERPRISE}),
    "hazards.handle_directreport": frozenset({R.OFFICE, R.INSPECTOR}),
    "hazards.view_majorhazardcriterion": READERS,
    "hazards.change_majorhazardcriterion": frozenset({R.OFFICE}),
}
