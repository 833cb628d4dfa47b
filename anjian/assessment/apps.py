from django.apps import AppConfig

AUDIT_ACTIONS = {
    "assessment.computed": "计算考核结果",
    "assessment.scored": "评审打分",
    "bulletin.drafted": "生成通报草稿",
    "bulletin.refreshed": "更新通报数据",
    "bulletin.issued": "印发通报",
}


class AssessmentConfig(AppConfig):
    name = "anjian.assessment"
    label = "assessment"
    verbose_name = "考核通报"

    def ready(self):
        from anjian.core.audit import register_actions

        register_actions(AUDIT_ACTIONS)
