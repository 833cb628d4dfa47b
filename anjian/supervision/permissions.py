"""Who may use which 督办事项 pages and endpoints. Which tasks, and which action on which assignment, is decided by
services.visible_tasks and services.refusal (issuing side / unit side) — this table only opens the doors."""

from anjian.core.roles import Role as R

READERS = frozenset({R.OFFICE, R.INSPECTOR, R.TOWN, R.LEADER})

PERMISSIONS = {
    "supervision.view_task": READERS,
    "supervision.export_task": READERS,
    # 签发督办单: the 安委办 (for the 安委会, itself or a 专委会 of its government).
    "supervision.add_task": frozenset({R.OFFICE}),
    # 验收/退回、审批延期: the issuing side.
    "supervision.review_assignment": frozenset({R.OFFICE}),
    # 报送进展/办结、申请延期: the assigned unit's own staff (departments, towns; a lower 安委办).
    "supervision.report_assignment": frozenset({R.OFFICE, R.INSPECTOR, R.TOWN}),
}
