"""The problem loop's rules: the transitions table against an independent statement of the rules
(hypothesis), and the two disciplines — no 销号 without evidence, the closer is never the reporter."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.core.models import AuditEntry
from anjian.core.roles import Role
from anjian.oversight import services, workflow
from anjian.oversight.models import Evidence, ProblemStatus, VisitStatus
from anjian.oversight.workflow import TransitionRefused

from .conftest import make_visit, photo, rectify, town_problem

S = ProblemStatus
UNIT_ROLES = {Role.INSPECTOR, Role.TOWN, Role.OFFICE}


def expected(action, status, role, member, owner, reporter, evidence) -> bool:
    """The rules, written a second time, plainly."""
    if action == "set_measures":
        return status in (S.PENDING, S.RECTIFYING) and role in UNIT_ROLES and member
    if action == "report_progress":
        return status == S.RECTIFYING and role in UNIT_ROLES and member
    if action == "report_done":
        return status == S.RECTIFYING and role in UNIT_ROLES and member and evidence
    if action == "close":
        return status == S.REPORTED and role == Role.OFFICE and owner and not reporter and evidence
    if action == "return_problem":
        return status == S.REPORTED and role == Role.OFFICE and owner and not reporter
    raise AssertionError(action)


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    action=st.sampled_from(workflow.ACTIONS),
    status=st.sampled_from(S.values),
    role=st.sampled_from(Role.values),
    member=st.booleans(),
    owner=st.booleans(),
    reporter=st.booleans(),
    evidence=st.booleans(),
)
def test_transition_table_matches_the_rules(cast, action, status, role, member, owner, reporter, evidence):
    visit = getattr(test_transition_table_matches_the_rules, "_visit", None)
    if visit is None or not type(visit).objects.filter(pk=visit.pk).exists():
        visit = make_visit(cast)
        with_evidence, without = visit.problems.order_by("sequence")
        Evidence.objects.create(problem=with_evidence, file=photo(), uploaded_by=cast.town_a_user)
        test_transition_table_matches_the_rules._visit = visit
    with_evidence, without = visit.problems.select_related("visit__owner_org__territory", "responsible_unit")
    problem = with_evidence if evidence else without
    problem.status = status
    user = SimpleNamespace(
        pk=99999,
        role=role,
        organisation_id=problem.responsible_unit_id if member else -1,
        territory_id=None,
        territory=None,
        get_role_display=lambda: Role(role).label,
    )
    if owner:
        user.organisation_id = visit.owner_org_id
        if member:  # the office's own problem: it is both the responsible body and the 督查 side
            problem.responsible_unit_id = visit.owner_org_id
    problem.reported_by_id = user.pk if reporter else cast.town_a_user.pk
    data = {
        "measures": "措施",
        "responsible_person": "某人",
        "deadline": timezone.localdate() + timedelta(days=5),
        "note": "已整改",
        "reason": "不到位",
    }
    allowed = workflow.refusal(problem, user, action, data) is None
    assert allowed == expected(action, status, role, member, owner, reporter, evidence), workflow.refusal(
        problem, user, action, data
    )


@pytest.mark.django_db
def test_the_loop_from_feedback_to_closing(cast, visit):
    problem = town_problem(visit)
    assert visit.status == VisitStatus.FED_BACK
    rectify(problem, cast.town_a_user)
    assert problem.status == S.REPORTED and problem.reported_by == cast.town_a_user
    visit.refresh_from_db()
    assert visit.status == VisitStatus.RECTIFYING
    services.close(problem, actor=cast.office, opinion="整改到位")
    problem.refresh_from_db()
    assert problem.status == S.CLOSED and problem.closed_by == cast.office
    actions = set(AuditEntry.objects.filter(object_id=str(problem.pk)).values_list("action", flat=True))
    assert {
        "oversight.problem_added",
        "oversight.measures_set",
        "oversight.reported",
        "oversight.closed",
    } <= actions
    # The other problem closed as well: the visit is done.
    other = visit.problems.get(sequence=2)
    rectify(other, cast.inspector)
    services.close(other, actor=cast.office)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE


@pytest.mark.django_db
def test_the_closer_is_never_the_reporter(cast, visit):
    from anjian.core.testing import make_user

    problem = visit.problems.get(sequence=1)
    problem.responsible_unit = cast.office_org
    problem.save()
    colleague = make_user("office_colleague", Role.OFFICE, cast.district, cast.office_org)
    rectify(problem, colleague)
    with pytest.raises(TransitionRefused, match="报告人以外"):
        services.close(problem, actor=colleague)
    with pytest.raises(TransitionRefused, match="报告人以外"):
        services.return_problem(problem, actor=colleague, reason="不行")
    services.close(problem, actor=cast.office)


@pytest.mark.django_db
def test_no_closing_without_evidence(cast, visit):
    problem = town_problem(visit)
    services.set_measures(
        problem,
        actor=cast.town_a_user,
        measures="建档",
        responsible_person="刘",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    with pytest.raises(TransitionRefused, match="佐证材料"):
        services.report_done(problem, actor=cast.town_a_user, note="好了")
    # Forced into 待审核 without evidence (e.g. evidence lost), closing is still refused.
    problem.refresh_from_db()
    problem.status = S.REPORTED
    problem.reported_by = cast.town_a_user
    problem.save()
    with pytest.raises(TransitionRefused, match="没有整改佐证材料"):
        services.close(problem, actor=cast.office)


@pytest.mark.django_db
def test_returned_problem_needs_new_evidence(cast, visit):
    problem = rectify(town_problem(visit), cast.town_a_user)
    services.return_problem(problem, actor=cast.office, reason="照片看不出整改效果")
    problem.refresh_from_db()
    assert problem.status == S.RECTIFYING
    with pytest.raises(TransitionRefused, match="新的佐证材料"):
        services.report_done(problem, actor=cast.town_a_user, note="再次报告")
    services.report_done(problem, actor=cast.town_a_user, note="再次报告", files=[photo()])


@pytest.mark.django_db
def test_only_the_responsible_body_reports(cast, visit):
    problem = town_problem(visit)
    with pytest.raises(PermissionDenied):  # another town cannot even see it
        services.set_measures(
            problem,
            actor=cast.town_b_user,
            measures="x",
            responsible_person="y",
            deadline=timezone.localdate(),
        )
    with pytest.raises(TransitionRefused, match="整改责任单位"):
        services.set_measures(
            problem, actor=cast.office, measures="x", responsible_person="y", deadline=timezone.localdate()
        )


@pytest.mark.django_db
def test_problems_wait_for_the_feedback(cast):
    visit = make_visit(cast, fed_back=False)
    problem = town_problem(visit)
    with pytest.raises(TransitionRefused, match="尚未反馈"):
        services.set_measures(
            problem,
            actor=cast.town_a_user,
            measures="x",
            responsible_person="y",
            deadline=timezone.localdate(),
        )
    empty = services.register_visit(
        actor=cast.office,
        title="空",
        kind="own",
        inspecting_org=cast.office_org,
        start_on=timezone.localdate(),
        end_on=timezone.localdate(),
        territory=cast.town_a,
    )
    with pytest.raises(TransitionRefused, match="问题清单为空"):
        services.feed_back(empty, actor=cast.office)


@pytest.mark.django_db
def test_overdue_is_derived(cast, visit):
    problem = town_problem(visit)
    services.set_measures(
        problem,
        actor=cast.town_a_user,
        measures="建档",
        responsible_person="刘",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    problem.refresh_from_db()
    assert problem.overdue_now()
    services.report_done(problem, actor=cast.town_a_user, note="完成", files=[photo()])
    problem.refresh_from_db()
    assert not problem.overdue_now()  # reported: waiting for review, no longer the body's delay


@pytest.mark.django_db
def test_turn_into_task_once(cast, visit):
    problem = town_problem(visit)
    if services.supervision_issue_task() is None:
        pytest.skip("督办 app not installed")
    task = services.turn_into_task(
        problem, actor=cast.office, deadline=timezone.localdate() + timedelta(days=10)
    )
    problem.refresh_from_db()
    assert problem.task_id == task.pk and problem.task_url == task.get_absolute_url()
    with pytest.raises(TransitionRefused, match="已转为督办事项"):
        services.turn_into_task(problem, actor=cast.office)
    with pytest.raises(TransitionRefused):
        services.turn_into_task(visit.problems.get(sequence=2), actor=cast.inspector)
