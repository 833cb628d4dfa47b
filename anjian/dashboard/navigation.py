from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "驾驶舱",
        (
            MenuItem("安全生产驾驶舱", "dashboard:index", "dashboard.view_dashboard", "speedometer2"),
            MenuItem("风险地图", "dashboard:map", "dashboard.view_dashboard", "map"),
        ),
        order=5,
    ),
)
