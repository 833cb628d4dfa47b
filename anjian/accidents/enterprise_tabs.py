"""The unit's accidents on its file page (一企一档, see anjian.registry.tabs)."""

from django.utils import timezone

from anjian.core.tables import Column
from anjian.registry.tabs import EnterpriseTab

from .models import Accident

TABS = [
    EnterpriseTab(
        key="accidents",
        title="事故",
        order=300,
        permission="accidents.view_accident",
        records=lambda e: Accident.reports.filter(enterprise=e),
        ordering=("-occurred_at", "-id"),
        columns=(
            Column("事故名称", "title", link=True),
            Column("发生时间", lambda a: timezone.localtime(a.occurred_at).strftime("%Y-%m-%d %H:%M")),
            Column("等级", "grade"),
            Column("死亡", "deaths"),
            Column("重伤", "serious_injuries"),
            Column("状态", "status"),
        ),
        list_url="accidents:accident_list",
    ),
]
