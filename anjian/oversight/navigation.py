from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "安委会",
        (
            MenuItem("督查问题", "oversight:problem_list", "oversight.view_problem", "clipboard-x"),
            MenuItem("督查记录", "oversight:visit_list", "oversight.view_oversightvisit", "binoculars"),
            MenuItem("督查问题整改台账", "oversight:ledger", "oversight.view_ledger", "table"),
        ),
        order=150,
    ),
)
