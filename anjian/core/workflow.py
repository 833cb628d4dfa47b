"""Transition tables: the one place that says who may do what to a record that moves through statuses, and when
(hazards, 督查 problems).

A table is a tuple of `Transition` rows: the action, the states it may start from, the state it leads to (None:
the status stays), the roles allowed, and guards. A guard looks at the record, the acting user and the submitted
data and returns a Chinese reason when the action is refused (None when it passes). `refusal()` checks a row;
services call it under a row lock and raise `TransitionRefused`; pages and the API offer `available()` and show
the same reasons.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

Guard = Callable[[object, object, dict], str | None]


class TransitionRefused(Exception):
    """The action is not allowed now; `reason` is the Chinese explanation shown to the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Chinese verb shown on buttons and in the history
    sources: frozenset
    target: str | None  # None: the status stays
    roles: frozenset
    guards: tuple[Guard, ...] = field(default=())


@dataclass(frozen=True)
class Workflow:
    """A transitions table with the noun its refusals name ("隐患", "问题"). `data_guards` only validate the
    submitted form: a page leaves them out to decide whether to offer a button (check_data=False)."""

    noun: str
    transitions: tuple[Transition, ...]
    data_guards: frozenset = frozenset()

    @cached_property
    def by_action(self) -> dict[str, Transition]:
        return {t.action: t for t in self.transitions}

    def refusal(
        self,
        record,
        user,
        action: str,
        data: dict | None = None,
        check_data: bool = True,
        own_record: Callable[[object, object], str | None] | None = None,
    ) -> str | None:
        """Why `user` may not take `action` on `record` now (Chinese), or None when allowed. Order: the action
        exists, the role, the current state, `own_record` (e.g. an enterprise acts on its own records only), then
        the guards."""
        transition = self.by_action.get(action)
        if transition is None:
            return "未知的操作。"
        if user.role not in transition.roles:
            return f"您的角色（{user.get_role_display() or '未授权'}）不能执行“{transition.label}”。"
        if record.status not in transition.sources:
            return f"{self.noun}当前状态为“{record.get_status_display()}”，不能执行“{transition.label}”。"
        if own_record is not None:
            reason = own_record(record, user)
            if reason:
                return reason
        return first_reason(
            (g for g in transition.guards if check_data or g not in self.data_guards), record, user, data
        )

    def available(self, record, user, **kwargs) -> list[Transition]:
        """Actions `user` could take now (the form's own fields are validated when submitted)."""
        return [
            t
            for t in self.transitions
            if self.refusal(record, user, t.action, check_data=False, **kwargs) is None
        ]


def first_reason(guards: Iterable[Guard], record, user, data: dict | None) -> str | None:
    for guard in guards:
        reason = guard(record, user, data or {})
        if reason:
            return reason
    return None
