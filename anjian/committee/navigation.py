from anjian.core.navigation import MenuGroup, MenuItem

# Other committee-work apps (督办, 督查, 报表) add their entries to the same group label.
MENU = (
    MenuGroup(
        "安委会",
        (
            MenuItem("组织架构", "committee:chart", "committee.view_committee", "diagram-3"),
            MenuItem("安委会与专委会", "committee:committee_list", "committee.view_committee", "people"),
            MenuItem("成员单位", "committee:membership_list", "committee.view_committee", "building"),
            MenuItem("责任清单", "committee:unit_list", "committee.view_dutyitem", "list-check"),
            MenuItem("责任清单事项", "committee:duty_list", "committee.view_dutyitem", "card-checklist"),
            MenuItem("安委会会议", "committee:meeting_list", "committee.view_meeting", "calendar3"),
            MenuItem("议定事项", "committee:decision_list", "committee.view_meeting", "check2-square"),
        ),
        order=150,
    ),
)
