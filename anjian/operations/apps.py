from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "anjian.operations"
    label = "operations"
    verbose_name = "政务运行"

    def ready(self):
        from anjian.core.audit import register_actions

        from . import importers  # noqa: F401  (registers the supply and rescue-team ledger importers)

        register_actions(
            {
                "operations.tip_submitted": "收到举报",
                "operations.tip_assigned": "举报分办",
                "operations.tip_rejected": "举报不予受理",
                "operations.tip_verified": "举报核查属实",
                "operations.tip_unfounded": "举报核查不属实",
                "operations.tip_closed": "举报办结",
                "operations.tip_linked": "举报转隐患/案件",
                "operations.tip_rewarded": "登记举报奖励",
                "operations.warning_issued": "通知预警受影响单位",
                "operations.warning_acknowledged": "签收预警",
                "operations.warning_cancelled": "解除预警",
                "operations.drill_hazards": "演练问题登记为隐患",
            }
        )
