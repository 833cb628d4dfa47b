"""Pages and API: the permission matrix, scope (allowed role but out of scope), inbox behaviour, to-do list."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from anjian.notifications import services
from anjian.notifications.models import Delivery, KeyPeriod, Notification, ReminderRule
from anjian.notifications.protocols import TodoItem

from .conftest import TEST_KIND, at

pytestmark = pytest.mark.django_db

ALL = {
    "sys_admin",
    "sec_admin",
    "audit_admin",
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "grid_a_user",
    "enterprise_a_user",
    "enterprise_b_user",
    "outsider_office",
}
BUSINESS = ALL - {"sys_admin", "sec_admin", "audit_admin"}
GOVERNMENT = BUSINESS - {"enterprise_a_user", "enterprise_b_user"}
OFFICE = {"office", "outsider_office"}
TERRITORIAL = {"office", "outsider_office", "leader", "town_a_user", "town_b_user", "grid_a_user"}

PAGES = [
    ("/notifications/", ALL),
    ("/notifications/todo/", BUSINESS),
    ("/notifications/firings/", TERRITORIAL),
    ("/notifications/rules/", GOVERNMENT),
    ("/notifications/rules/add/", OFFICE),
    ("/notifications/key-periods/", BUSINESS),
    ("/notifications/key-periods/add/", OFFICE),
    ("/notifications/deliveries/", OFFICE),
    ("/notifications/recipient-gaps/", OFFICE),
    ("/notifications/preferences/", ALL),
]
API = [
    ("/api/notifications/inbox/", ALL),
    ("/api/notifications/todo/", BUSINESS),
    ("/api/notifications/firings/", TERRITORIAL),
    ("/api/notifications/rules/", GOVERNMENT),
    ("/api/notifications/key-periods/", BUSINESS),
    ("/api/notifications/deliveries/", OFFICE),
]


@pytest.mark.parametrize(("url", "allowed"), PAGES)
def test_page_permission_matrix(cast, client_for, provider, url, allowed):
    for name, user in cast.users().items():
        status = client_for(user).get(url).status_code
        assert status == (200 if name in allowed else 403), (name, url, status)


@pytest.mark.parametrize(("url", "allowed"), API)
def test_api_permission_matrix(cast, api_for, provider, url, allowed):
    for name, user in cast.users().items():
        status = api_for(user).get(url).status_code
        assert status == (200 if name in allowed else 403), (name, url, status)


def test_rule_writes_office_only(cast, api_for, client_for):
    services.ensure_default_rules({"hazard.rectification"})
    rule = ReminderRule.objects.filter(kind="hazard.rectification").first()
    payload = {"offset": 5}
    assert api_for(cast.inspector).patch(f"/api/notifications/rules/{rule.pk}/", payload).status_code == 403
    response = api_for(cast.office).patch(f"/api/notifications/rules/{rule.pk}/", payload)
    assert response.status_code == 200
    bad = api_for(cast.office).post(
        "/api/notifications/rules/",
        {"kind": "hazard.rectification", "step": "escalate", "offset": 1, "unit": "days"},
    )
    assert bad.status_code == 400 and "level" in bad.json()
    form = client_for(cast.office).post(
        "/notifications/rules/add/",
        {
            "kind": "hazard.rectification",
            "step": "before",
            "offset": "14",
            "unit": "days",
            "level": "0",
            "via_inbox": "on",
        },
    )
    assert form.status_code == 302
    assert ReminderRule.objects.filter(kind="hazard.rectification", offset=14).exists()
    invalid = client_for(cast.office).post(
        "/notifications/rules/add/",
        {"kind": "hazard.rectification", "step": "before", "offset": "0", "unit": "days", "level": "0"},
    )
    assert invalid.status_code == 400 and "至少选择一种通知方式" in invalid.content.decode()


def test_inbox_is_personal_and_marks_read(cast, client_for, api_for, provider, permit):
    services.scan_deadlines(at(2026, 12, 12, 9))
    mine = Notification.objects.get(recipient=cast.inspector)
    others = Notification.objects.filter(recipient=cast.enterprise_a_user).first()
    client = client_for(cast.inspector)
    assert mine.title in client.get("/notifications/").content.decode()
    assert others.title not in client.get("/notifications/?step=overdue").content.decode()
    assert client.get(f"/notifications/{others.pk}/open/").status_code == 404
    response = client.get(f"/notifications/{mine.pk}/open/")
    assert response.status_code == 302 and response["Location"] == cast.enterprise_a.get_absolute_url()
    mine.refresh_from_db()
    assert mine.is_read
    assert mine.title not in client.get("/notifications/?state=unread").content.decode()
    assert mine.title in client.get("/notifications/?state=read").content.decode()
    api = api_for(cast.enterprise_a_user)
    assert api.get(f"/api/notifications/inbox/{mine.pk}/").status_code == 404
    assert (
        api.get("/api/notifications/inbox/counts/").json()["unread"] == 1
    )  # catch-up: only the latest reminder
    assert api.post("/api/notifications/inbox/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=cast.enterprise_a_user, read_at__isnull=True).exists()


def test_inbox_list_query_count(cast, client_for, provider, permit, django_assert_max_num_queries):
    for day in range(11, 30):
        services.scan_deadlines(at(2026, 12, day, 18))
    client = client_for(cast.enterprise_a_user)
    client.get("/notifications/")
    with django_assert_max_num_queries(12):
        assert client.get("/notifications/").status_code == 200


def test_todo_lists_escalations_with_history_ordered_by_urgency(cast, client_for, api_for, provider, permit):
    provider.todos[cast.town_a_user.pk] = [
        TodoItem(title="复查验收：某隐患", url="/x/1/", action="复查验收", due_at=at(2027, 1, 5)),
        TodoItem(title="无期限的审批", url="/x/2/", action="审批"),
    ]
    services.scan_deadlines(at(2026, 12, 14, 9))  # both escalation levels fired
    entries = services.todo_for(cast.town_a_user, now=at(2026, 12, 14, 9))
    assert [e.action for e in entries] == ["督办", "复查验收", "审批"]
    first = entries[0]
    assert first.overdue and first.url == cast.enterprise_a.get_absolute_url()
    # Catch-up: the stale "before" and "on the day" reminders were superseded and are not history.
    assert [f.rule.step for f in first.history] == ["overdue", "escalate", "escalate"]
    page = client_for(cast.town_a_user).get("/notifications/todo/").content.decode()
    assert "逾期1天升级至第1级" in page and "逾期3天升级至第2级" in page
    data = api_for(cast.town_a_user).get("/api/notifications/todo/").json()
    assert data[0]["action"] == "督办" and len(data[0]["history"]) == 3
    # Enterprise B's staff have nothing: escalations reach only the people on the ladder.
    assert services.todo_for(cast.town_b_user) == []
    # Once the deadline is met the escalation leaves the list.
    provider.close(cast.enterprise_a)
    services.scan_deadlines(at(2026, 12, 14, 10))
    assert [e.action for e in services.todo_for(cast.town_a_user)] == ["复查验收", "审批"]


def test_home_panel_replaces_placeholder_and_badge_counts(cast, provider, permit, monkeypatch, client_for):
    from django.template.loader import render_to_string

    from anjian.core import homepage
    from anjian.notifications.homepage import PANELS

    monkeypatch.setattr(homepage, "panel_functions", lambda: tuple(PANELS))  # other apps' panels are theirs
    services.scan_deadlines(at(2026, 12, 14, 9))
    request = RequestFactory().get("/")
    request.user = cast.office
    sections = homepage.home_sections(request)
    assert [s["key"] for s in sections].count("todo") == 1
    page = render_to_string("core/home.html", {"sections": sections, "scope_text": ""}, request=request)
    assert page.count('data-testid="panel-todo"') == 1
    assert "督办" in page and cast.enterprise_a.name in page
    request = RequestFactory().get("/")
    request.user = cast.office
    # the page carries only a placeholder (no queries); htmx loads the counts after the page
    html = Template("{% load notifications_tags %}{% todo_badge %}").render(Context({"request": request}))
    assert 'hx-get="/notifications/badge/"' in html and "todo-badge" not in html
    html = client_for(cast.office).get("/notifications/badge/").content.decode()
    assert 'data-testid="todo-badge"' in html and ">1</span>" in html
    html = client_for(cast.audit_admin).get("/notifications/badge/").content.decode()
    assert "todo-badge" not in html and "inbox-badge" in html  # no to-do list for the auditor, only the bell


def test_broken_todo_provider_is_shown_not_hidden(cast, provider, monkeypatch):
    def boom(user):
        raise RuntimeError("down")

    monkeypatch.setattr(provider, "todo_items", boom)
    entries = services.todo_for(cast.office)
    assert entries and entries[0].error


# --- key periods ----------------------------------------------------------------------------------------
def test_key_periods_apply_down_the_tree_and_are_edited_in_scope(cast, client_for, api_for):
    services.seed_key_periods(2027, cast.district)
    flood = KeyPeriod.objects.get(year=2027, category="flood_season")
    active = services.active_key_periods(date(2027, 7, 1), cast.village_a)
    assert list(active) == [flood]
    assert services.key_period_flags(date(2027, 7, 1), cast.town_a)["requires_duty"] is True
    assert not services.active_key_periods(date(2027, 7, 1), cast.other_district).exists()
    # Town staff read the district's periods (they apply to them) but cannot change them.
    assert client_for(cast.town_a_user).get(flood.get_absolute_url()).status_code == 200
    assert (
        api_for(cast.enterprise_a_user).get(f"/api/notifications/key-periods/{flood.pk}/").status_code == 200
    )
    # Another district's office: allowed role, out of scope.
    assert client_for(cast.outsider_office).get(flood.get_absolute_url()).status_code == 404
    assert (
        client_for(cast.outsider_office).get(f"/notifications/key-periods/{flood.pk}/edit/").status_code
        == 404
    )
    assert (
        api_for(cast.outsider_office)
        .patch(f"/api/notifications/key-periods/{flood.pk}/", {"notes": "x"})
        .status_code
        == 404
    )
    response = client_for(cast.office).post(
        f"/notifications/key-periods/{flood.pk}/edit/",
        {
            "name": "汛期",
            "category": "flood_season",
            "year": "2027",
            "start_date": "2027-05-01",
            "end_date": "2027-04-01",
            "territory": cast.district.pk,
        },
    )
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    api = api_for(cast.office)
    assert (
        api.patch(f"/api/notifications/key-periods/{flood.pk}/", {"end_date": "2027-10-15"}).status_code
        == 200
    )
    flood.refresh_from_db()
    assert flood.end_date == date(2027, 10, 15)


# --- failed deliveries ----------------------------------------------------------------------------------
def test_failed_deliveries_page_and_retry_in_scope(cast, client_for, api_for, provider, permit):
    services.scan_deadlines(at(2026, 12, 11, 18))  # e-mail to the inspector fails: no address
    failed = Delivery.objects.get(status="failed")
    page = client_for(cast.office).get("/notifications/deliveries/").content.decode()
    assert "用户未登记电子邮箱" in page
    assert (
        "用户未登记电子邮箱"
        not in client_for(cast.outsider_office).get("/notifications/deliveries/").content.decode()
    )
    assert (
        api_for(cast.outsider_office).post(f"/api/notifications/deliveries/{failed.pk}/retry/").status_code
        == 404
    )
    response = api_for(cast.office).post(f"/api/notifications/deliveries/{failed.pk}/retry/")
    assert response.status_code == 400 and "仍未登记" in response.json()["detail"]
    cast.inspector.email = "inspector@example.cn"
    cast.inspector.save()
    response = client_for(cast.office).post(f"/notifications/deliveries/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.address == "inspector@example.cn"
    assert (
        client_for(cast.town_a_user).post(f"/notifications/deliveries/{failed.pk}/retry/").status_code == 403
    )


def test_preferences_saved_and_audited(cast, client_for):
    client = client_for(cast.town_a_user)
    assert client.post("/notifications/preferences/", {"email": "on"}).status_code == 302
    pref = cast.town_a_user.notification_preference
    assert pref.email is True and pref.sms is False


def test_firing_ledger_exports_within_scope(cast, client_for, provider, permit):
    services.scan_deadlines(at(2026, 12, 11, 18))
    response = client_for(cast.office).get("/notifications/firings/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        cast.enterprise_a.name
        not in client_for(cast.town_b_user).get("/notifications/firings/").content.decode()
    )
    assert (
        cast.enterprise_a.name in client_for(cast.town_a_user).get("/notifications/firings/").content.decode()
    )


def test_schema_generates(cast, api_for):
    assert api_for(cast.office).get("/api/schema/").status_code == 200


def test_rule_list_seeds_defaults(cast, client_for, provider):
    assert not ReminderRule.objects.exists()
    page = client_for(cast.office).get("/notifications/rules/?kind=" + TEST_KIND).content.decode()
    assert "测试许可期限" in page
    assert ReminderRule.objects.filter(kind="hazard.supervision").count() == 6


def test_ledger_lists_have_no_n_plus_one(cast, client_for, provider, permit, django_assert_max_num_queries):
    for n in range(8):  # eight more deadlines: many firings and failed deliveries
        provider.add(cast.enterprise_a, at(2026, 12, 1 + n, 17), [cast.enterprise_a_user], [[cast.inspector]])
    services.scan_deadlines(at(2026, 12, 20, 9))
    services.seed_key_periods(2026, cast.district)
    client = client_for(cast.office)
    for url in (
        "/notifications/firings/",
        "/notifications/deliveries/?status=failed",
        "/notifications/key-periods/",
    ):
        client.get(url)
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
