from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "隐患治理",
        (
            MenuItem("隐患台账", "hazards:hazard_list", "hazards.view_hazard", "exclamation-triangle"),
            MenuItem("登记隐患", "hazards:hazard_add", "hazards.add_hazard", "plus-circle"),
            MenuItem("隐患治理统计", "hazards:ledger", "hazards.view_ledger", "bar-chart"),
            MenuItem(
                "重大隐患直接报告", "hazards:direct_report_list", "hazards.view_directreport", "megaphone"
            ),
            MenuItem("市级核查", "hazards:verification", "hazards.view_verification", "clipboard-check"),
            MenuItem(
                "重大隐患判定标准",
                "hazards:criteria_list",
                "hazards.view_majorhazardcriterion",
                "journal-text",
            ),
        ),
        order=30,
    ),
)
