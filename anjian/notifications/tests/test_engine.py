"""The scan with frozen time (time is passed in): remind → on the day → overdue → escalate, once each,
catching up after downtime, recorded on the item's history; every default ladder driven step by step."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command

from anjian.core.models import AuditEntry
from anjian.notifications import rules as R
from anjian.notifications import services
from anjian.notifications.models import Delivery, Firing, Notification, ReminderRule, Step

from .conftest import TEST_KIND, at

pytestmark = pytest.mark.django_db


def history_actions(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            action__startswith="notifications.",
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("step", flat=True))


def test_generic_ladder_fires_each_step_once_in_order(cast, permit):
    a, insp, town, office = cast.enterprise_a_user, cast.inspector, cast.town_a_user, cast.office
    timeline = [
        (at(2026, 12, 6, 9), [], [], []),  # 4 days ahead: nothing yet
        (at(2026, 12, 7, 17, 1), ["before"], [], []),
        (at(2026, 12, 10, 8, 0), ["before", "on_day"], [], []),
        (at(2026, 12, 10, 17, 0), ["before", "on_day", "overdue"], [], []),
        (at(2026, 12, 11, 17, 5), ["before", "on_day", "overdue"], ["escalate"], []),
        (at(2026, 12, 13, 17, 5), ["before", "on_day", "overdue"], ["escalate"], ["escalate"]),
    ]
    for now, mine, inspector, level2 in timeline:
        for _ in range(3):  # the scan runs often: nothing fires twice
            services.scan_deadlines(now)
        assert inbox(a) == mine, now
        assert inbox(insp) == inspector, now
        assert inbox(town) == level2 and inbox(office) == level2, now
    assert Firing.objects.filter(object_id=str(cast.enterprise_a.pk)).count() == 5
    assert history_actions(cast.enterprise_a) == [
        "notifications.reminded",
        "notifications.due_today",
        "notifications.overdue",
        "notifications.escalated",
        "notifications.escalated",
    ]
    escalation = Notification.objects.get(recipient=insp)
    assert escalation.title.startswith("【逾期升级·第1级】")
    assert "逾期1天" in escalation.body and cast.enterprise_a_user.get_full_name() in escalation.body


def test_catch_up_after_downtime_sends_latest_reminder_and_every_escalation(cast, permit):
    result = services.scan_deadlines(at(2026, 12, 20, 9))  # the server was down for two weeks
    assert result.fired == 3 and result.superseded == 2
    assert inbox(cast.enterprise_a_user) == ["overdue"]  # not "3 days left" for something already overdue
    assert inbox(cast.inspector) == ["escalate"]
    assert inbox(cast.town_a_user) == ["escalate"] and inbox(cast.office) == ["escalate"]
    superseded = Firing.objects.filter(outcome=Firing.Outcome.SUPERSEDED)
    assert sorted(superseded.values_list("rule__step", flat=True)) == ["before", "on_day"]
    again = services.scan_deadlines(at(2026, 12, 20, 9, 5))
    assert again.fired == again.superseded == again.notifications == 0
    assert Notification.objects.count() == 4


def test_extended_deadline_fires_again_and_closing_resolves(cast, provider, permit):
    services.scan_deadlines(at(2026, 12, 12, 9))
    assert (
        Notification.objects.filter(recipient=cast.inspector, firing__resolved_at__isnull=True).count() == 1
    )
    # Deadline extended to 12-31: the old firings are resolved, the new deadline gets its own ladder.
    provider.close(cast.enterprise_a)
    provider.add(cast.enterprise_a, at(2026, 12, 31, 17), [cast.enterprise_a_user], [[cast.inspector]])
    result = services.scan_deadlines(at(2026, 12, 28, 18))
    assert result.resolved == 4 and result.fired == 1
    assert inbox(cast.enterprise_a_user)[-1] == "before"
    provider.close(cast.enterprise_a)
    assert services.scan_deadlines(at(2026, 12, 29, 9)).resolved == 1
    assert not Firing.objects.filter(resolved_at__isnull=True).exists()


def test_escalation_level_without_people_falls_back_to_the_territory_staff(cast, provider):
    provider.add(
        cast.enterprise_b, at(2026, 12, 1, 17), responsible=[cast.enterprise_b_user]
    )  # no escalation ladder: level 1 goes to the nearest town staff (enterprise B is in town B)
    services.scan_deadlines(at(2026, 12, 2, 18))
    firing = Firing.objects.get(rule__step=Step.ESCALATE)
    assert firing.outcome == Firing.Outcome.SENT
    assert firing.recipients == cast.town_b_user.get_full_name()
    assert "属地镇街工作人员" in firing.fallback
    assert inbox(cast.town_b_user) == ["escalate"]
    assert "notifications.escalated" in history_actions(cast.enterprise_b)


def test_a_claimed_firing_is_never_performed_twice(cast, permit):
    rule = ReminderRule.objects.create(kind=TEST_KIND, step=Step.OVERDUE, offset=2, unit="hours")
    planned = R.Planned(rule, permit.due_at + timedelta(hours=2), R.SENT)
    now = at(2026, 12, 10, 20)
    assert services._fire(planned, permit, now) == 1
    assert services._fire(planned, permit, now) is None  # a second worker loses the insert race
    assert Notification.objects.filter(firing__rule=rule).count() == 1


def test_inactive_rules_do_not_fire_and_are_not_reseeded(cast, permit):
    services.ensure_default_rules({TEST_KIND})
    ReminderRule.objects.filter(kind=TEST_KIND).update(is_active=False)
    services.scan_deadlines(at(2026, 12, 20))
    assert not Notification.objects.exists()
    assert ReminderRule.objects.filter(kind=TEST_KIND, is_active=True).count() == 0


def test_broken_provider_does_not_stop_the_others(cast, provider, permit, monkeypatch):
    from anjian.notifications import providers as P

    class Broken:
        DEADLINE_KINDS = {"test.broken": "坏的"}

        def deadline_items(self, kind, due_before):
            raise RuntimeError("boom")

    unregister = P.register(Broken())
    try:
        result = services.scan_deadlines(at(2026, 12, 10, 18))
    finally:
        unregister()
    assert result.errors == ["test.broken"]
    assert result.fired == 1  # the permit's overdue step still went out
    with pytest.raises(CommandError, match=r"test\.broken"):
        unregister2 = P.register(Broken())
        try:
            call_command("run_deadlines", "--now", "2026-12-10T19:00")
        finally:
            unregister2()


# --- every default ladder, step by step ---------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(R.DEFAULT_LADDERS))
def test_every_default_rule_fires_once_at_its_time(cast, provider, kind):
    due = at(2027, 3, 20, 17, 0)
    item = provider.add(
        cast.enterprise_a,
        due,
        responsible=[cast.enterprise_a_user],
        escalation=[[cast.inspector], [cast.office]],
        kind=kind,
    )
    services.ensure_default_rules({kind})
    rules = list(ReminderRule.objects.filter(kind=kind).order_by("id"))
    assert len(rules) == len(R.DEFAULT_LADDERS[kind])
    tz = at(2027, 1, 1).tzinfo
    schedule = sorted(rules, key=lambda r: (R.fire_at(r, due, tz), r.pk))
    for rule in schedule:
        moment = R.fire_at(rule, due, tz)
        before = services.scan_deadlines(moment - timedelta(minutes=1))
        assert before.fired == 0, f"{rule} fired early"
        result = services.scan_deadlines(moment)
        again = services.scan_deadlines(moment + timedelta(minutes=1))
        assert again.fired == 0
        assert result.fired >= 1 or Firing.objects.filter(rule=rule).exists()
        firing = Firing.objects.get(rule=rule)
        assert firing.outcome == Firing.Outcome.SENT
        expected = cast.enterprise_a_user
        if rule.step == Step.ESCALATE:
            expected = [cast.inspector, cast.office][rule.level - 1]
        assert list(firing.notifications.values_list("recipient", flat=True)) == [expected.pk]
    assert Firing.objects.filter(kind=kind).count() == len(rules)
    assert item.kind == kind


# --- channels and the outbox ------------------------------------------------------------------------------
@pytest.fixture
def memory_sms(settings):
    from anjian.notifications.channels import MemorySmsBackend

    settings.ANJIAN_SMS_BACKEND = "anjian.notifications.channels.MemorySmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MemorySmsBackend.outbox = []
    return MemorySmsBackend.outbox


def test_overdue_goes_out_by_email_and_sms_with_preferences(cast, permit, memory_sms):
    ReminderRule.objects.create(
        kind=TEST_KIND, step=Step.OVERDUE, offset=1, unit="hours", via_sms=True, via_email=True
    )
    services.scan_deadlines(at(2026, 12, 10, 18, 30))
    deliveries = Delivery.objects.filter(notification__recipient=cast.enterprise_a_user)
    assert sorted(deliveries.values_list("channel", flat=True)) == ["email", "sms"]
    result = services.drain_outbox(at(2026, 12, 10, 18, 31))
    assert result.sent == 2
    assert mail.outbox[0].to == ["a@example.cn"] and "已逾期" in mail.outbox[0].subject
    assert memory_sms[0][0] == "13900000011"
    assert services.drain_outbox(at(2026, 12, 10, 18, 40)).sent == 0  # sent once


def test_preferences_switch_channels_off(cast, permit, memory_sms):
    from anjian.notifications.models import Preference

    Preference.objects.create(user=cast.enterprise_a_user, email=False, sms=False)
    services.scan_deadlines(at(2026, 12, 10, 18))
    assert Notification.objects.filter(recipient=cast.enterprise_a_user).exists()
    assert not Delivery.objects.filter(notification__recipient=cast.enterprise_a_user).exists()


def test_missing_address_is_a_visible_failure(cast, permit, memory_sms):
    services.scan_deadlines(at(2026, 12, 11, 18))  # escalation to the inspector, who has no e-mail
    failed = Delivery.objects.get(notification__recipient=cast.inspector, channel="email")
    assert failed.status == Delivery.Status.FAILED and failed.last_error == "用户未登记电子邮箱"


class FlakySms:
    failures = 0

    def send(self, phone, text):
        from anjian.notifications.channels import SmsError

        FlakySms.failures += 1
        raise SmsError("网关超时")


def test_failures_are_retried_with_backoff_then_stay_failed(cast, permit, settings):
    settings.ANJIAN_SMS_BACKEND = "anjian.notifications.tests.test_engine.FlakySms"
    settings.ANJIAN_NOTIFY_MAX_ATTEMPTS = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.scan_deadlines(at(2026, 12, 10, 18))  # overdue: e-mail to A (ok), no SMS in the generic ladder
    ReminderRule.objects.filter(kind=TEST_KIND, step=Step.ESCALATE, level=1).update(via_sms=True)
    cast.inspector.phone = "13900000022"
    cast.inspector.save()
    services.scan_deadlines(at(2026, 12, 11, 18))
    sms = Delivery.objects.get(channel="sms")
    now = at(2026, 12, 11, 18, 1)
    assert services.drain_outbox(now).retried == 1
    sms.refresh_from_db()
    assert sms.status == "pending" and sms.attempts == 1 and sms.next_attempt_at == now + timedelta(minutes=5)
    assert services.drain_outbox(now + timedelta(minutes=1)).retried == 0  # backing off
    assert services.drain_outbox(now + timedelta(minutes=5)).retried == 1
    assert services.drain_outbox(now + timedelta(minutes=16)).failed == 1
    sms.refresh_from_db()
    assert sms.status == "failed" and "网关超时" in sms.last_error and sms.attempts == 3
    assert services.drain_outbox(now + timedelta(days=2)).failed == 0  # final: not retried by itself
    # The office sends it again after fixing the gateway.
    settings.ANJIAN_SMS_BACKEND = "anjian.notifications.channels.MemorySmsBackend"
    services.retry_delivery(sms, cast.office, now + timedelta(days=2))
    assert services.drain_outbox(now + timedelta(days=2)).sent == 1


def test_stale_claim_of_a_dead_worker_is_taken_over(cast, permit, memory_sms):
    services.scan_deadlines(at(2026, 12, 10, 18))
    delivery = Delivery.objects.get(channel="email")
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", claimed_at=at(2026, 12, 10, 18), attempts=1
    )
    assert services.drain_outbox(at(2026, 12, 10, 18, 5)).sent == 0  # maybe still being sent
    assert services.drain_outbox(at(2026, 12, 10, 18, 11)).sent == 1


def test_run_deadlines_command_is_idempotent(cast, permit, memory_sms, capsys):
    call_command("run_deadlines", "--now", "2026-12-10T18:00")
    first = capsys.readouterr().out
    assert "触发 1 次" in first and "外发成功 1 条" in first
    call_command("run_deadlines", "--now", "2026-12-10T18:00")
    assert "触发 0 次" in capsys.readouterr().out
    assert Notification.objects.count() == 1


def test_tasks_run_in_process_without_a_broker(cast, permit, memory_sms):
    from anjian.notifications import tasks

    tasks.scan_deadlines.delay()  # eager: real "now" is long after 2026-12-10 … or before: either way no error
    assert tasks.drain_outbox.delay().get().startswith("外发成功")


def test_notify_after_commit_with_channels(cast, memory_sms, django_capture_on_commit_callbacks):
    cast.town_a_user.phone = "13900000033"
    cast.town_a_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            [cast.town_a_user, cast.office],
            "新隐患待复查",
            "请复查",
            "/x/",
            kind="hazard.rectification",
            sms=True,
        )
    assert Notification.objects.filter(title="新隐患待复查").count() == 2
    statuses = dict(Delivery.objects.values_list("notification__recipient__username", "status"))
    assert statuses == {"town_a_user": "pending", "office": "failed"}  # the office has no phone: visible
    assert services.drain_outbox().sent == 1 and memory_sms[-1][0] == "13900000033"
