from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    # The committee's work (安委会): other apps add their entries to the same group.
    MenuGroup(
        "安委会",
        (
            MenuItem(
                "报表报送", "reporting:report_list", "reporting.browse_report", "file-earmark-spreadsheet"
            ),
            MenuItem("报表汇总", "reporting:summary", "reporting.browse_report", "table"),
            MenuItem(
                "报表模板", "reporting:template_list", "reporting.change_reporttemplate", "ui-checks-grid"
            ),
        ),
        order=150,
    ),
    # Enterprises see their HZ-16 statistics table beside their hazard work.
    MenuGroup(
        "隐患治理",
        (
            MenuItem(
                "隐患统计报表",
                "reporting:report_list",
                "reporting.view_statistics",
                "file-earmark-spreadsheet",
            ),
        ),
        order=30,
    ),
)
