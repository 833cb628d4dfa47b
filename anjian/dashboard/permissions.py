"""Who sees the dashboard and the map. The figures are limited to the user's scope (core.scope.restrict)."""

from anjian.core.roles import Role as R

PERMISSIONS = {
    "dashboard.view_dashboard": {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR},
    "dashboard.export_dashboard": {R.OFFICE, R.LEADER, R.TOWN, R.INSPECTOR},
}
