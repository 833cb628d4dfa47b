"""Who may use the 督查 pages and endpoints. Which problems (scope + the responsible body) and which action on
which problem (workflow.TRANSITIONS) are decided elsewhere — this table only opens the doors.

The 安委办 runs 督查 and closes problems; departments and towns see the problems assigned to them and report;
leaders read; grid staff, enterprises and the three administrators have no part in it (三员分立)."""

from anjian.core.roles import Role as R

READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER})

PERMISSIONS = {
    "oversight.view_oversightvisit": READERS,
    "oversight.change_oversightvisit": frozenset({R.OFFICE}),
    "oversight.view_problem": READERS,
    # Taking a workflow action; the transitions table then decides per action, state, role and body.
    "oversight.change_problem": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN}),
    "oversight.import_problem": frozenset({R.OFFICE}),
    "oversight.export_problem": READERS,
    "oversight.view_ledger": frozenset({R.OFFICE, R.LEADER}),
}
