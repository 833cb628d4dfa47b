"""Every state × action × role, through the real services: allowed ones reach the expected state, refused ones
raise TransitionRefused with a Chinese reason and change nothing.

The expectation below is written out by hand from the issue and rules.md — it deliberately does not read
workflow.TRANSITIONS, so a wrong row in the table fails here.
"""

import pytest
from django.db import transaction

from anjian.hazards import services, workflow
from anjian.hazards.models import ExtensionRequest, Hazard

from .conftest import make_hazard, valid_data

STATES = ["registered", "plan_set", "rectifying", "reported", "accepted", "closed", "voided"]
OPEN = {"registered", "plan_set", "rectifying", "reported", "accepted"}
GOV = {"inspector", "town", "office"}

# action: (states it may start from, roles allowed, resulting state (None = unchanged), grade used)
EXPECTED = {
    "set_plan": ({"registered", "plan_set"}, GOV | {"enterprise"}, "plan_set", "general"),
    "start_rectification": ({"plan_set"}, GOV | {"enterprise"}, "rectifying", "general"),
    "report": ({"rectifying"}, {"enterprise", "inspector", "town"}, "reported", "general"),
    "accept": ({"reported"}, GOV, "accepted", "general"),
    "reject": ({"reported"}, GOV, "rectifying", "general"),
    "close": ({"accepted"}, GOV, "closed", "general"),
    "close_on_spot": ({"registered"}, GOV | {"enterprise", "grid"}, "closed", "general"),
    "approve_resumption": ({"accepted"}, {"inspector", "office"}, None, "major"),
    "order_stop": (
        {"registered", "plan_set", "rectifying", "reported"},
        {"inspector", "office"},
        None,
        "major",
    ),
    "request_extension": ({"registered", "plan_set", "rectifying"}, {"enterprise"}, None, "general"),
    "approve_extension": ({"registered", "plan_set", "rectifying"}, GOV, None, "general"),
    "reject_extension": ({"registered", "plan_set", "rectifying"}, GOV, None, "general"),
    "list_supervision": (
        {"registered", "plan_set", "rectifying", "reported"},
        {"town", "office"},
        None,
        "major",
    ),
    "void": (OPEN, GOV, "voided", "general"),
    "reopen": ({"closed"}, GOV, "rectifying", "general"),
}

# One in-scope user per role for enterprise A's hazard (危险化学品, 甲镇).
ROLE_USERS = {
    "office": "office",
    "inspector": "inspector",
    "town": "town_a_user",
    "grid": "grid_a_user",
    "enterprise": "enterprise_a_user",
    "leader": "leader",
    "sys_admin": "sys_admin",
    "sec_admin": "sec_admin",
    "audit_admin": "audit_admin",
}


def test_expectation_covers_every_action_of_the_table():
    assert set(EXPECTED) == set(workflow.ACTIONS)


def _prepare(cast, state, action):
    _, _, _, grade = EXPECTED[action]
    extra = {}
    if action == "approve_resumption":
        extra["stop_order"] = "partial"
    # Located in 甲村第1网格 so that the grid member is in scope too.
    hazard = make_hazard(cast, state, grade=grade, territory=cast.grid_a, **extra)
    if action in ("approve_extension", "reject_extension"):
        ExtensionRequest.objects.create(
            hazard=hazard,
            new_deadline=hazard.deadline.replace(year=hazard.deadline.year + 1),
            reason="采购",
            requested_by=cast.enterprise_a_user,
        )
    return hazard


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_matrix(cast, action):
    states, roles, target, _ = EXPECTED[action]
    outcomes = []
    for state in STATES:
        with transaction.atomic():
            hazard = _prepare(cast, state, action)
            for role, username in ROLE_USERS.items():
                user = getattr(cast, username)
                expected_allowed = state in states and role in roles
                with transaction.atomic():
                    try:
                        services.perform(hazard, user, action, valid_data(action))
                        allowed, reason = True, None
                    except workflow.TransitionRefused as exc:
                        allowed, reason = False, exc.reason
                    stored = Hazard.objects.get(pk=hazard.pk)
                    if allowed:
                        assert stored.status == (target or state), (state, role)
                    else:
                        assert stored.status == state, (state, role)
                        assert reason and any("\u4e00" <= ch <= "\u9fff" for ch in reason), (
                            state,
                            role,
                            reason,
                        )
                        if role not in roles:
                            assert "角色" in reason, (state, role, reason)
                        elif state not in states:
                            assert "状态" in reason, (state, role, reason)
                    transaction.set_rollback(True)
                outcomes.append((state, role, allowed, expected_allowed, reason))
            transaction.set_rollback(True)
    wrong = [o for o in outcomes if o[2] != o[3]]
    assert not wrong, wrong
