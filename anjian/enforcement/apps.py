from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "anjian.enforcement"
    label = "enforcement"
    verbose_name = "执法"

    def ready(self):
        from anjian.core.audit import register_actions

        from . import importers, rules  # noqa: F401  (importers registers the provision import)

        labels = {f"enforcement.case_{a.value}": a.label for a in rules.CaseAction}
        labels.update(
            {
                "enforcement.case_opened": "立案",
                "enforcement.hearing_recorded": "登记陈述申辩/听证",
                "enforcement.measure_added": "拟定措施",
                "enforcement.measure_executed": "措施执行",
                "enforcement.resumption_accepted": "复产验收",
                "enforcement.document_issued": "制作执法文书",
                "enforcement.seizure_disposed_late": "查封扣押逾期作出处理决定",
                "enforcement.measure_lifted": "解除现场处理措施",
                "enforcement.decision_published": "行政处罚信息公示",
                "enforcement.decision_withdrawn": "撤下公示信息",
                "enforcement.finding_linked": "违法行为关联案件",
                "enforcement.no_penalty_reason": "登记不予立案理由",
                "enforcement.no_penalty_reviewed": "审核不予立案理由",
                "enforcement.unit_suspended": "责令停产停业整顿",
                "enforcement.unit_resumed": "复产验收合格",
                "enforcement.unit_banned": "关闭取缔",
            }
        )
        register_actions(labels)
