from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "待办提醒",
        (
            MenuItem("我的待办", "notifications:todo", "notifications.view_todo", "list-check"),
            MenuItem("站内消息", "notifications:inbox", "notifications.view_notification", "bell"),
            MenuItem("提醒记录", "notifications:firing_list", "notifications.view_firing", "alarm"),
            MenuItem(
                "提醒与升级规则", "notifications:rule_list", "notifications.view_reminderrule", "sliders"
            ),
            MenuItem(
                "重点时段", "notifications:keyperiod_list", "notifications.view_keyperiod", "calendar-event"
            ),
            MenuItem(
                "发送失败的消息",
                "notifications:delivery_list",
                "notifications.view_delivery",
                "exclamation-triangle",
            ),
            MenuItem(
                "提醒配置问题",
                "notifications:gap_list",
                "notifications.view_recipientgap",
                "person-exclamation",
            ),
            MenuItem("通知设置", "notifications:preferences", "notifications.change_preference", "gear"),
        ),
        order=50,
    ),
)
