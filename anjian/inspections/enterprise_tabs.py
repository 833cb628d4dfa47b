"""The unit's inspection records on its file page (一企一档, see anjian.registry.tabs)."""

from anjian.core.tables import Column
from anjian.registry.tabs import EnterpriseTab

from .models import Inspection

TABS = [
    EnterpriseTab(
        key="inspections",
        title="检查记录",
        order=110,
        permission="inspections.view_inspection",
        records=lambda e: Inspection.objects.filter(enterprise=e).select_related("organisation"),
        ordering=("-inspected_on", "-id"),
        columns=(
            Column("记录编号", "number", link=True),
            Column("检查日期", "inspected_on"),
            Column("类型", "kind"),
            Column("层级", "level"),
            Column("检查单位", "organisation.name"),
            Column("状态", "status"),
        ),
        list_url="inspections:inspection_list",
    ),
]
