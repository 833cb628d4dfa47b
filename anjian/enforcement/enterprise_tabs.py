"""The unit's enforcement cases and 约谈 on its file page (一企一档, see anjian.registry.tabs)."""

from anjian.core.tables import Column
from anjian.registry.tabs import EnterpriseTab

from .models import Case, Talk

TABS = [
    EnterpriseTab(
        key="cases",
        title="执法案件",
        order=200,
        permission="enforcement.view_case",
        records=lambda e: Case.objects.filter(enterprise=e).select_related("organisation"),
        ordering=("-filed_on", "-id"),
        columns=(
            Column("立案编号", "number", link=True),
            Column("案由", "title"),
            Column("办案机关", "organisation.name"),
            Column("立案日期", "filed_on"),
            Column("阶段", "stage"),
        ),
        list_url="enforcement:case_list",
    ),
    EnterpriseTab(
        key="talks",
        title="约谈",
        order=210,
        permission="enforcement.view_talk",
        records=lambda e: Talk.objects.filter(enterprise=e).select_related("convened_by"),
        ordering=("-held_on", "-id"),
        columns=(
            Column("约谈日期", "held_on", link=True),
            Column("类型", "kind"),
            Column("约谈机关", "convened_by.name"),
            Column("事由", lambda t: t.reasons[:40]),
            Column("整改报告期限", "follow_up_due"),
        ),
        list_url="enforcement:talk_list",
        hide_when_empty=True,
    ),
]
