from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "排查检查",
        (
            MenuItem(
                "我的检查任务", "inspections:task_list", "inspections.view_inspectiontask", "person-check"
            ),
            MenuItem(
                "检查记录", "inspections:inspection_list", "inspections.view_inspection", "clipboard-check"
            ),
            MenuItem(
                "检查计划与专项行动", "inspections:plan_list", "inspections.view_inspectionplan", "calendar3"
            ),
            MenuItem("重点检查对象排序", "inspections:targeting", "inspections.view_targeting", "sort-down"),
            MenuItem(
                "重点检查排序规则",
                "inspections:targeting_rule_list",
                "inspections.view_targetingrule",
                "sliders",
            ),
            MenuItem(
                "检查表模板", "inspections:template_list", "inspections.view_checklisttemplate", "list-check"
            ),
        ),
        order=20,
    ),
)
