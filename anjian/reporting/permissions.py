"""Reporting rows of the permission table (core.permissions). Which report a permitted user may fill or receive
is decided by the report itself (its reporter and receivers, services.refusal), and which they may see by the
scope (core.scope). The three administrators see no business records; the grid staff report nothing."""

from anjian.core.roles import Role as R

GOVERNMENT_READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER})

PERMISSIONS = {
    "reporting.view_report": GOVERNMENT_READERS | {R.ENTERPRISE},
    # The two menu entries: the government's 报表报送 and the enterprise's own 隐患统计报表 (HZ-16).
    "reporting.browse_report": GOVERNMENT_READERS,
    "reporting.view_statistics": frozenset({R.ENTERPRISE}),
    "reporting.fill_report": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.ENTERPRISE}),
    "reporting.receive_report": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN}),
    "reporting.export_report": GOVERNMENT_READERS | {R.ENTERPRISE},
    "reporting.view_reporttemplate": GOVERNMENT_READERS,
    # 安委办 defines what is reported (the committee office organises the reporting of its members).
    "reporting.change_reporttemplate": frozenset({R.OFFICE}),
}
