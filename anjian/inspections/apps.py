from django.apps import AppConfig

ACTION_LABELS = {
    "inspections.plan_publish": "发布检查计划",
    "inspections.plan_close": "结束检查计划",
    "inspections.tasks_generated": "生成检查任务",
    "inspections.random_drawn": "双随机抽取",
    "inspections.started": "开始检查",
    "inspections.signed": "签名",
    "inspections.acknowledged": "被检查单位确认",
    "inspections.completed": "完成检查",
    "inspections.hazards_created": "不符合项登记为隐患",
    "inspections.priority_selected": "从风险排序选取重点单位",
}


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    label = "inspections"
    verbose_name = "检查"

    def ready(self):
        from anjian.core.audit import register_actions

        register_actions(ACTION_LABELS)
