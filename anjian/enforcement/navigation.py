from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "执法",
        (
            MenuItem("执法案件", "enforcement:case_list", "enforcement.view_case", "briefcase"),
            MenuItem(
                "违法行为线索", "enforcement:finding_list", "enforcement.view_finding", "exclamation-octagon"
            ),
            MenuItem(
                "未立案的违法行为", "enforcement:unlinked_list", "enforcement.view_finding", "link-45deg"
            ),
            MenuItem(
                "屡查屡犯单位", "enforcement:repeat_offenders", "enforcement.view_finding", "arrow-repeat"
            ),
            MenuItem("约谈与黄牌警告", "enforcement:talk_list", "enforcement.view_talk", "chat-square-text"),
            MenuItem("执法统计", "enforcement:figures", "enforcement.view_figures", "bar-chart"),
            MenuItem("法律依据库", "enforcement:provision_list", "enforcement.view_provision", "book"),
        ),
        order=40,
    ),
)
