"""Who may do what with plans, tasks, checklists and inspection records (scope decides which records)."""

from anjian.core.roles import Role as R

GOVERNMENT_READERS = {R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER}
GOVERNMENT_INSPECTORS = {R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID}

PERMISSIONS = {
    # Plans and 双随机 draws are government work; enterprises never see tasks (抽查 is not announced).
    "inspections.view_inspectionplan": GOVERNMENT_READERS,
    "inspections.change_inspectionplan": {R.OFFICE, R.INSPECTOR, R.TOWN},
    "inspections.generate_tasks": {R.OFFICE, R.INSPECTOR, R.TOWN},
    "inspections.view_inspectiontask": GOVERNMENT_READERS,
    # Records: enterprises see their own and record their own 企业自查 (R16 第十条).
    "inspections.view_inspection": GOVERNMENT_READERS | {R.ENTERPRISE},
    "inspections.add_inspection": GOVERNMENT_INSPECTORS | {R.ENTERPRISE},
    "inspections.change_inspection": GOVERNMENT_INSPECTORS | {R.ENTERPRISE},
    "inspections.acknowledge_inspection": {R.ENTERPRISE},
    "inspections.create_hazards": GOVERNMENT_INSPECTORS | {R.ENTERPRISE},
    "inspections.export_inspection": GOVERNMENT_READERS,
    # Checklist templates: reference data every business role reads; the office maintains them.
    "inspections.view_checklisttemplate": GOVERNMENT_READERS | {R.ENTERPRISE},
    "inspections.change_checklisttemplate": {R.OFFICE},
    # Risk-based targeting (分级分类监管): the 安委办 for its territory, departments for their sectors, towns for
    # their own territory (the scope decides which units). The score table is the 安委办's to maintain.
    "inspections.view_targeting": {R.OFFICE, R.INSPECTOR, R.TOWN},
    "inspections.view_targetingrule": GOVERNMENT_READERS,
    "inspections.change_targetingrule": {R.OFFICE},
}
