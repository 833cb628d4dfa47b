"""Committee rows of the permission table (core.permissions).

The 安委办 maintains the committee's structure, the responsibility lists and the meetings of its territory.
Departments (INSPECTOR) and towns (TOWN) read their committee and draft their own unit's list (which unit:
services.can_edit_list); the office confirms. Leaders read. Grid and enterprise users, and the three
administrators (三员分立), see none of it.
"""

from anjian.core.roles import Role as R

READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER})
OFFICE = frozenset({R.OFFICE})

PERMISSIONS = {
    "committee.view_committee": READERS,
    "committee.change_committee": OFFICE,
    "committee.view_dutyitem": READERS,
    "committee.change_dutyitem": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN}),
    "committee.confirm_dutyitem": OFFICE,
    "committee.change_sectors": OFFICE,
    "committee.view_meeting": READERS,
    "committee.change_meeting": OFFICE,
    "committee.supervise_meetingdecision": OFFICE,
}
