from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "值班应急",
        (
            MenuItem("值班工作台", "operations:duty_desk", "operations.view_duty", "telephone"),
            MenuItem(
                "灾害性天气预警",
                "operations:warning_list",
                "operations.view_weatherwarning",
                "cloud-lightning-rain",
            ),
            MenuItem(
                "本单位预警签收", "operations:notice_mine", "operations.acknowledge_warningnotice", "bell"
            ),
            MenuItem("举报受理", "operations:tip_list", "operations.view_tip", "megaphone"),
            MenuItem("值班表", "operations:roster_list", "operations.view_duty", "calendar-week"),
            MenuItem("值班日志", "operations:dutylog_list", "operations.view_duty", "journal"),
            MenuItem("应急预案", "operations:plan_list", "operations.view_emergency", "file-earmark-text"),
            MenuItem("应急演练", "operations:drill_list", "operations.view_emergency", "flag"),
            MenuItem("应急物资装备", "operations:supply_list", "operations.view_emergency", "box-seam"),
            MenuItem("应急救援队伍", "operations:team_list", "operations.view_emergency", "people"),
            MenuItem("就近救援力量", "operations:nearby", "operations.view_emergency", "geo-alt"),
            MenuItem("安全培训", "operations:training_list", "operations.view_training", "mortarboard"),
            MenuItem("安全宣传", "operations:publicity_list", "operations.view_training", "broadcast"),
            MenuItem(
                "预警影响规则", "operations:exposurerule_list", "operations.change_exposurerule", "sliders"
            ),
        ),
        order=60,
    ),
)
