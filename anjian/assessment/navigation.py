from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "考核通报",
        (
            MenuItem(
                "考核方案", "assessment:scheme_list", "assessment.view_assessmentscheme", "clipboard-check"
            ),
            MenuItem("通报", "assessment:bulletin_list", "assessment.view_bulletin", "megaphone"),
        ),
        order=70,
    ),
)
