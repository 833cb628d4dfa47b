"""The unit's hazards on its file page (一企一档, see anjian.registry.tabs)."""

from anjian.core.tables import Column
from anjian.registry.tabs import EnterpriseTab

from .models import Grade, Hazard

TABS = [
    EnterpriseTab(
        key="hazards",
        title="隐患",
        order=100,
        permission="hazards.view_hazard",
        records=lambda e: Hazard.objects.filter(enterprise=e),
        ordering=("-id",),
        columns=(
            Column("隐患编号", "number", link=True),
            Column("隐患描述", lambda h: h.description[:40]),
            Column("级别", "grade", badge=lambda h: "danger" if h.grade == Grade.MAJOR else "secondary"),
            Column("状态", "status"),
            Column("发现日期", "found_on"),
            Column("整改期限", "deadline", badge=lambda h: "danger" if h.is_overdue else None),
        ),
        list_url="hazards:hazard_list",
    ),
]
