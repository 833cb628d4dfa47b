"""Holiday schedule rows of the permission table (core.permissions). Reference data: the system administrator
keeps it (三员分立: reference data is the system administrator's job); everyone who counts deadlines may read it."""

from anjian.core.roles import Role as R

PERMISSIONS = {
    "workdays.view_calendarday": frozenset(
        {R.OFFICE, R.INSPECTOR, R.TOWN, R.GRID, R.LEADER, R.ENTERPRISE, R.SYS_ADMIN}
    ),
    "workdays.change_calendarday": frozenset({R.SYS_ADMIN}),
}
