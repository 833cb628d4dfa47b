from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "anjian.registry"
    label = "registry"
    verbose_name = "企业台账"

    def ready(self):
        from anjian.core.audit import register_actions

        from . import importers  # noqa: F401  (registers the enterprise importer)

        register_actions(
            {
                "registry.risk_recomputed": "风险等级重新计算",
                "registry.major_hazard_graded": "重大危险源分级",
                "registry.status_suspend": "停产",
                "registry.status_resume": "恢复生产",
                "registry.status_ban": "关闭取缔",
                "registry.status_deregister": "注销",
                "registry.closure_recorded": "登记关闭取缔",
                "registry.blacklisted": "列入严重失信主体名单",
                "registry.person_blacklisted": "列入严重失信主体名单（人员）",
                "registry.blacklist_removed": "提前移出严重失信主体名单",
                "registry.blacklist_restored": "恢复列入严重失信主体名单",
            }
        )
