"""A deadline provider defined by the tests: deadlines on enterprises of the cast, with a responsible person
and an escalation ladder, exactly as a real `<app>/deadlines.py` would return them."""

from datetime import datetime

import pytest
from django.utils import timezone

from anjian.notifications import providers
from anjian.notifications.protocols import DeadlineItem, TodoItem
from anjian.notifications.rules import KNOWN_KINDS

TEST_KIND = "test.permit"
TZ = timezone.get_default_timezone()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


class FakeProvider:
    DEADLINE_KINDS = {TEST_KIND: "测试许可期限", **KNOWN_KINDS}

    def __init__(self):
        self.items: list[DeadlineItem] = []
        self.todos: dict[int, list[TodoItem]] = {}
        self.calls = 0

    def add(self, obj, due_at, responsible=(), escalation=(), kind=TEST_KIND, title=None):
        item = DeadlineItem(
            kind=kind,
            obj=obj,
            due_at=due_at,
            title=title or f"{obj}：许可证期限",
            url=obj.get_absolute_url(),
            responsible=tuple(responsible),
            escalation=tuple(tuple(level) for level in escalation),
            territory_path=obj.territory_path,
        )
        self.items.append(item)
        return item

    def close(self, obj):
        self.items = [i for i in self.items if i.obj.pk != obj.pk]

    def deadline_items(self, kind, due_before):
        self.calls += 1
        return [i for i in self.items if i.kind == kind and i.due_at <= due_before]

    def todo_items(self, user):
        return list(self.todos.get(user.pk, []))


@pytest.fixture
def provider(monkeypatch):
    """Only the test provider is discovered (the other apps' providers are theirs to test)."""
    monkeypatch.setattr(providers, "discovered", lambda: ())
    fake = FakeProvider()
    unregister = providers.register(fake)
    yield fake
    unregister()


@pytest.fixture
def permit(cast, provider):
    """Enterprise A's permit due at 2026-12-10 17:00: responsible enterprise A's manager; escalation level 1 the
    应急 inspector, level 2 the town A staff and the district office."""
    cast.enterprise_a_user.email = "a@example.cn"
    cast.enterprise_a_user.phone = "13900000011"
    cast.enterprise_a_user.save()
    return provider.add(
        cast.enterprise_a,
        at(2026, 12, 10, 17, 0),
        responsible=[cast.enterprise_a_user],
        escalation=[[cast.inspector], [cast.town_a_user, cast.office]],
    )
