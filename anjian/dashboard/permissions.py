"""Who sees the dashboard and the map. The figures are limited to the user's scope (core.scope.restrict)."""

from anjian.core.roles import Role as R

PERMISSIONS = {
    "dashboard.view_dashboard": {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR},
    "dashboard.export_dashboard": {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR},
    # Boundaries of the map: the 安委办 uploads them for its area (administrators, who never open business pages,
    # use `manage.py import_boundaries`).
    "dashboard.import_boundaries": {R.OFFICE},
}
