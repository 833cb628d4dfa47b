"""Deadlines (reminders to the responsible body, escalation to the 督查 side), to-dos, the assessment
indicators and the dashboard summary."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from anjian.assessment.indicators import compute
from anjian.assessment.periods import Period, Target
from anjian.notifications.models import Notification
from anjian.notifications.services import scan_deadlines
from anjian.oversight import deadlines, services

from .conftest import make_visit, rectify, town_problem


def _at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.django_db
def test_items_cover_open_problems_only(cast, visit):
    today = timezone.localdate()
    items = list(deadlines.deadline_items("oversight.problem", _at(today + timedelta(days=60))))
    assert {i.obj.sequence for i in items} == {1, 2}
    town_item = next(i for i in items if i.obj.sequence == 1)
    assert list(town_item.responsible) == [cast.town_a_user]
    assert cast.office in town_item.escalation[0]
    rectify(town_problem(visit), cast.town_a_user)  # reported: no longer the body's deadline
    items = list(deadlines.deadline_items("oversight.problem", _at(today + timedelta(days=60))))
    assert {i.obj.sequence for i in items} == {2}


@pytest.mark.django_db
def test_reminder_before_and_escalation_after_the_deadline(cast, visit):
    problem = town_problem(visit)
    url = problem.get_absolute_url()
    deadline = problem.deadline
    scan_deadlines(now=_at(deadline - timedelta(days=1)))
    assert Notification.objects.filter(recipient=cast.town_a_user, url=url).exists()
    assert not Notification.objects.filter(recipient=cast.office, url=url).exists()
    scan_deadlines(now=_at(deadline + timedelta(days=10)))
    assert Notification.objects.filter(recipient=cast.office, url=url).exists()


@pytest.mark.django_db
def test_todo_items(cast, visit):
    assert [t.action for t in deadlines.todo_items(cast.town_a_user)] == ["制定整改措施"]
    rectify(town_problem(visit), cast.town_a_user)
    assert deadlines.todo_items(cast.town_a_user) == []
    assert [t.action for t in deadlines.todo_items(cast.office)] == ["审核销号"]


@pytest.mark.django_db
def test_indicators_per_town_and_department(cast):
    today = timezone.localdate()
    visit = make_visit(cast)
    period = Period(today - timedelta(days=5), today + timedelta(days=60), "测试期")
    town = Target.for_territory(cast.town_a)
    department = Target.for_body(cast.yingji)
    rate = compute("oversight_rectification_rate", town, period)
    assert (rate.numerator, rate.denominator, rate.value) == (0, 1, 0)
    assert "/oversight/" in rate.drilldown_url and "due_after=" in rate.drilldown_url
    rectify(town_problem(visit), cast.town_a_user)
    services.close(town_problem(visit), actor=cast.office)
    rate = compute("oversight_rectification_rate", town, period)
    assert (rate.numerator, rate.denominator) == (1, 1)
    dept = compute("oversight_rectification_rate", department, period)
    assert (dept.numerator, dept.denominator) == (0, 1)
    assert f"responsible_unit={cast.yingji.pk}" in dept.drilldown_url
    # The department's problem goes overdue.
    problem = visit.problems.get(sequence=2)
    services.set_measures(
        problem,
        actor=cast.inspector,
        measures="补课",
        responsible_person="张",
        deadline=today - timedelta(days=1),
    )
    overdue = compute("oversight_overdue", department, Period(today - timedelta(days=5), today, "本期"))
    assert overdue.value == 1
    assert compute("oversight_overdue", town, Period(today - timedelta(days=5), today, "本期")).value == 0


@pytest.mark.django_db
def test_summary_for_the_dashboard(cast, django_assert_max_num_queries):
    visit = make_visit(cast)
    rectify(town_problem(visit), cast.town_a_user)
    services.close(town_problem(visit), actor=cast.office)
    with django_assert_max_num_queries(2):
        figures = services.summary(cast.office)
    assert figures["total"] == 2 and figures["closed"] == 1 and figures["open"] == 1
    assert figures["rectification_rate"] == 50.0
    assert figures["urls"]["overdue"].endswith("?overdue=true")
    assert services.summary(cast.town_a_user)["total"] == 1
    assert services.summary(cast.enterprise_a_user)["total"] == 0
