"""Who may do what with accidents. Which accidents: core.scope (territory, sector, own enterprise)."""

from anjian.core.roles import Role as R

GOVERNMENT_READERS = {R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER}
# 493号令 第九条: the unit reports its own accident; government staff file reports they received.
FILERS = {R.OFFICE, R.INSPECTOR, R.TOWN}

PERMISSIONS = {
    "accidents.view_accident": GOVERNMENT_READERS | {R.ENTERPRISE},
    "accidents.add_accident": FILERS | {R.ENTERPRISE},
    "accidents.change_accident": FILERS,
    # 493号令 第十三条: the unit and the departments report changes in casualties.
    "accidents.supplement_accident": FILERS | {R.ENTERPRISE},
    "accidents.record_hop": FILERS,
    "accidents.change_investigation": FILERS,
    "accidents.export_accident": GOVERNMENT_READERS,
    "accidents.view_statistics": GOVERNMENT_READERS,
}
# Offices hold accident ledgers (事故台账) from before the system: imported once, through the services.
PERMISSIONS["accidents.import_accident"] = {R.OFFICE}
