"""The deadlines engine: a reminder before the deadline to the unit, escalation to the issuer once overdue;
each fires once, and the task page shows them."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from anjian.notifications.models import Firing, Notification
from anjian.notifications.services import scan_deadlines
from anjian.supervision import deadlines, services

from .factories import issue

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_reminder_then_escalation_fire_once(cast, client_for):
    task = issue(cast, days=2)
    part = task.assignments.get()
    # Three days before: the "before" step (3 days) reaches the unit's staff.
    scan_deadlines(now=_at(part.deadline - timedelta(days=1)))
    first = Firing.objects.filter(kind=deadlines.KIND, object_id=str(part.pk))
    assert first.exists()
    assert Notification.objects.filter(recipient=cast.inspector, kind=deadlines.KIND).exists()
    count = first.count()
    scan_deadlines(now=_at(part.deadline - timedelta(days=1)))
    assert first.count() == count  # once
    # Four days after the deadline: overdue and both escalation levels fired; level 1 is the issuing office.
    later = _at(part.deadline + timedelta(days=4))
    scan_deadlines(now=later)
    escalations = Firing.objects.filter(kind=deadlines.KIND, object_id=str(part.pk), rule__step="escalate")
    assert escalations.exists()
    assert Notification.objects.filter(recipient=cast.office, kind=deadlines.KIND).exists()
    total = Firing.objects.filter(kind=deadlines.KIND).count()
    scan_deadlines(now=later)
    assert Firing.objects.filter(kind=deadlines.KIND).count() == total
    page = client_for(cast.office).get(task.get_absolute_url()).content.decode()
    assert "提醒与升级记录" in page and "测试区应急管理局" in page


def test_reported_assignments_leave_the_deadline_list(cast):
    task = issue(cast, days=1)
    part = task.assignments.get()
    services.report_progress(part, by=cast.inspector, text="完成", final=True)
    items = list(deadlines.deadline_items(deadlines.KIND, _at(part.deadline + timedelta(days=5))))
    assert items == []


def test_items_name_the_unit_and_the_issuer(cast):
    task = issue(cast, lead=[cast.town_a_org], days=1)
    part = task.assignments.get()
    [item] = deadlines.deadline_items(deadlines.KIND, _at(part.deadline + timedelta(days=1)))
    assert item.responsible == (cast.town_a_user,)
    assert cast.office in item.escalation[0]
    assert cast.leader in item.escalation[1]


def test_todo_items(cast):
    task = issue(cast)
    part = task.assignments.get()
    [todo] = deadlines.todo_items(cast.inspector)
    assert todo.action == "办理督办事项" and todo.url == task.get_absolute_url()
    assert deadlines.todo_items(cast.office) == []
    services.report_progress(part, by=cast.inspector, text="完成", final=True)
    [todo] = deadlines.todo_items(cast.office)
    assert todo.action == "验收督办事项"
    assert deadlines.todo_items(cast.inspector) == []
