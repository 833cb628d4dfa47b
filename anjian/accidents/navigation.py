from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "事故管理",
        (
            MenuItem("事故台账", "accidents:accident_list", "accidents.view_accident", "exclamation-octagon"),
            MenuItem("事故快报", "accidents:accident_add", "accidents.add_accident", "telephone-forward"),
            MenuItem("事故统计", "accidents:statistics", "accidents.view_statistics", "bar-chart"),
        ),
        order=50,
    ),
)
