from anjian.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(
        "企业台账",
        (
            MenuItem("生产经营单位", "registry:enterprise_list", "registry.view_enterprise", "buildings"),
            MenuItem("风险四色分布", "registry:risk_map", "registry.view_riskmap", "bar-chart"),
            MenuItem("风险点", "registry:riskpoint_list", "registry.view_register", "exclamation-diamond"),
            MenuItem("证照", "registry:licence_list", "registry.view_register", "card-checklist"),
            MenuItem("危险化学品", "registry:chemical_list", "registry.view_register", "droplet-half"),
            MenuItem("重大危险源", "registry:majorhazard_list", "registry.view_register", "radioactive"),
            MenuItem("建筑施工项目", "registry:project_list", "registry.view_register", "cone-striped"),
            MenuItem("特种设备", "registry:equipment_list", "registry.view_register", "arrow-down-up"),
            MenuItem("森林防火卡点", "registry:checkpoint_list", "registry.view_register", "tree"),
            MenuItem(
                "严重失信主体名单", "registry:blacklist_list", "registry.view_blacklistentry", "slash-circle"
            ),
            MenuItem("关闭取缔", "registry:closure_list", "registry.view_closurerecord", "x-octagon"),
            MenuItem(
                "分级监管频次",
                "registry:frequency_list",
                "registry.view_supervisionfrequency",
                "calendar-check",
            ),
        ),
        order=10,
    ),
)
