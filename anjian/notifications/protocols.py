"""How capabilities plug into the deadlines engine and the to-do list.

Each app that has deadlines or waiting work provides, in `anjian/<app>/deadlines.py`:

    DEADLINE_KINDS = {"hazard.rectification": "隐患整改期限", ...}   # kind -> Chinese label
    def deadline_items(kind: str, due_before: datetime) -> Iterable[DeadlineItem]
        # open items of that kind whose due time is at or before `due_before` (use an indexed due column)
    def todo_items(user) -> Iterable[TodoItem]
        # what is waiting for this user now, within their scope

The notifications app (the engine) imports these modules, fires reminder/overdue/escalation rules stored as
data, records each firing once per (rule step, item), writes the firing onto the item's history
(core.audit.record_action) and delivers notifications through its outbox.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DeadlineItem:
    kind: str  # e.g. "hazard.rectification"
    obj: object  # the model instance the deadline belongs to
    due_at: datetime
    title: str  # Chinese, e.g. "青山宏达化工：储罐区静电接地缺失 整改期限"
    url: str
    responsible: tuple = ()  # users who must act
    # escalation ladder: level 1 (e.g. the unit's regulator staff), level 2 (town/county office staff), …
    escalation: tuple[tuple, ...] = ()
    territory_path: str = ""
    # Who is expected to act, so that a reminder never goes into the void: when `responsible` is empty the
    # engine tries the users of `unit` (an Organisation or Enterprise) holding `role`, then the users of
    # `supervisor` (the Organisation supervising the unit), then the territory's town and office staff — and
    # records a configuration warning (提醒配置问题) for the 安委办 when the unit has nobody in that role.
    unit: object = None
    role: str = ""
    supervisor: object = None


@dataclass(frozen=True)
class TodoItem:
    title: str  # Chinese
    url: str
    action: str  # Chinese verb: 整改 / 复查验收 / 审批 / 上报 …
    due_at: datetime | None = None
    overdue: bool = False
    extra: dict = field(default_factory=dict)
    # Optional: the deadline kind and record this to-do is about; the to-do page then shows the reminders and
    # escalations already fired for it (its escalation history).
    kind: str = ""
    obj: object = None
