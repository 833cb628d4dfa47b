from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "安委会",
        (MenuItem("督办事项", "supervision:task_list", "supervision.view_task", "flag"),),
        order=150,
    ),
)
