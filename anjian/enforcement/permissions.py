"""Enforcement rows of the permission table (core.permissions). Which records: core.scope."""

from anjian.core.roles import Role as R

READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER})
HANDLERS = frozenset(
    {R.OFFICE, R.INSPECTOR}
)  # 行政执法: only departments with enforcement powers and the office

PERMISSIONS = {
    "enforcement.view_provision": READERS | {R.GRID},
    "enforcement.change_provision": frozenset({R.OFFICE}),
    "enforcement.view_case": READERS,
    "enforcement.add_case": HANDLERS,
    "enforcement.change_case": HANDLERS,  # stage actions, measures, hearing, documents (services check more)
    "enforcement.view_finding": READERS,
    "enforcement.add_finding": HANDLERS | {R.TOWN},
    "enforcement.review_finding": HANDLERS,
    "enforcement.view_talk": READERS,
    "enforcement.change_talk": frozenset({R.OFFICE, R.INSPECTOR}),
    "enforcement.view_figures": READERS,
}
