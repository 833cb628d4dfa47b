"""The transitions table of an assignment (one unit's part in a 督办事项): the only way its status changes.

    (status, action) -> next status

Who may take an action is decided by the side it belongs to: the unit side (the assigned unit's own staff)
reports; the issuing side (the 安委办 of the issuer's government) accepts or sends back. The accepter is never
the person who reported (services.refusal).
"""

from django.db import models

from .models import AssignmentStatus as S


class Action(models.TextChoices):
    PROGRESS = "progress", "报送进展"
    SUBMIT = "submit", "报送办结"
    ACCEPT = "accept", "验收办结"
    RETURN = "return", "退回重办"


UNIT_ACTIONS = frozenset({Action.PROGRESS, Action.SUBMIT})
ISSUER_ACTIONS = frozenset({Action.ACCEPT, Action.RETURN})

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, Action.PROGRESS): S.IN_PROGRESS,
    (S.PENDING, Action.SUBMIT): S.REPORTED,
    (S.IN_PROGRESS, Action.PROGRESS): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.SUBMIT): S.REPORTED,
    # 退回重办: the unit works again; its next progress report brings it back to 办理中.
    (S.RETURNED, Action.PROGRESS): S.IN_PROGRESS,
    (S.RETURNED, Action.SUBMIT): S.REPORTED,
    (S.REPORTED, Action.ACCEPT): S.ACCEPTED,
    (S.REPORTED, Action.RETURN): S.RETURNED,
}


class IllegalTransition(Exception):
    pass


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(f"“{S(status).label}”状态下不能“{Action(action).label}”。") from None


def allowed_actions(status: str) -> list[Action]:
    return [Action(a) for (s, a) in TRANSITIONS if s == status]
