from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "基础数据",
        (MenuItem("节假日安排", "workdays:day_list", "workdays.view_calendarday", "calendar-event"),),
        order=800,
    ),
)
