"""The transitions table, exhaustively (hypothesis): every (status, action, side) → allowed or refused with a
Chinese reason, and the service agrees with the table."""

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.supervision import services, workflow
from anjian.supervision.models import AssignmentStatus
from anjian.supervision.workflow import Action

from .factories import issue

pytestmark = pytest.mark.django_db

STATUSES = list(AssignmentStatus.values)
ACTIONS = list(Action.values)


@given(st.sampled_from(STATUSES), st.sampled_from(ACTIONS))
def test_table_is_total_and_explains_refusals(status, action):
    if (status, action) in workflow.TRANSITIONS:
        assert workflow.next_status(status, action) in STATUSES
    else:
        with pytest.raises(workflow.IllegalTransition) as caught:
            workflow.next_status(status, action)
        assert "状态下不能" in str(caught.value)


def test_accepted_is_final_and_returned_goes_back_to_work():
    assert workflow.allowed_actions(AssignmentStatus.ACCEPTED) == []
    assert workflow.next_status(AssignmentStatus.RETURNED, Action.PROGRESS) == AssignmentStatus.IN_PROGRESS
    assert workflow.next_status(AssignmentStatus.REPORTED, Action.RETURN) == AssignmentStatus.RETURNED


# Walks of the unit (inspector of 应急) and the issuer (the office) through the table.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=6))
def test_service_follows_the_table(cast, steps):
    task = issue(cast)
    part = task.assignments.get()
    for action in steps:
        actor = cast.inspector if action in workflow.UNIT_ACTIONS else cast.office
        expected = workflow.TRANSITIONS.get((part.status, action))
        call = {
            Action.PROGRESS: lambda by: services.report_progress(part, by=by, text="进展"),
            Action.SUBMIT: lambda by: services.report_progress(part, by=by, text="办结", final=True),
            Action.ACCEPT: lambda by: services.accept(part, by=by),
            Action.RETURN: lambda by: services.send_back(part, by=by, reason="不完整"),
        }[action]
        if expected is None:
            with pytest.raises(PermissionDenied):
                call(actor)
        else:
            call(actor)
            part.refresh_from_db()
            assert part.status == expected
        # The other side may never take this action.
        other = cast.office if action in workflow.UNIT_ACTIONS else cast.inspector
        assert services.refusal(part, action, other) is not None


@pytest.mark.parametrize(
    "username", ["leader", "grid_a_user", "enterprise_a_user", "sys_admin", "audit_admin"]
)
def test_roles_that_never_act(cast, username):
    part = issue(cast).assignments.get()
    for action in ACTIONS:
        assert services.refusal(part, action, getattr(cast, username))
