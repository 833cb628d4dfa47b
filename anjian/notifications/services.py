"""The deadlines engine: scan deadlines, fire rule steps once, notify, drain the outbox; the to-do list; key
periods. Every function takes `now` so that tests (and catch-up runs) control time.

Idempotence: a rule step fires for a deadline exactly when the insert of its `Firing` row succeeds (unique on
rule, kind, object id, due time). The firing, its history entry on the item, the in-app messages and the outbox
rows are written in one transaction: a worker killed half-way leaves nothing, the redelivered task (acks_late)
does the work again, and a second scan finds the row and does nothing.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.context import acting_as

from . import channels, providers
from . import recipients as who
from . import rules as R
from .models import Channel, Delivery, Firing, KeyPeriod, Notification, Preference, ReminderRule, Step

logger = logging.getLogger(__name__)

SCAN_ACTOR = "期限提醒（系统）"
ACTION_OF_STEP = {
    Step.BEFORE: "notifications.reminded",
    Step.ON_DAY: "notifications.due_today",
    Step.OVERDUE: "notifications.overdue",
    Step.ESCALATE: "notifications.escalated",
}
ACTION_LABELS = {
    "notifications.reminded": "到期前提醒",
    "notifications.due_today": "到期当日提醒",
    "notifications.overdue": "逾期提醒",
    "notifications.escalated": "逾期升级",
    "notifications.no_recipient": "提醒无接收人",
}


def max_attempts() -> int:
    return int(getattr(settings, "ANJIAN_NOTIFY_MAX_ATTEMPTS", 5))


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a failed attempt: 5, 10, 20, 40 … minutes (at most a day)."""
    return min(timedelta(minutes=5 * 2 ** max(attempts - 1, 0)), timedelta(days=1))


# --- rules ----------------------------------------------------------------------------------------------
def ensure_default_rules(kinds=None) -> int:
    """Seed the default ladder of every known or declared kind that has no rule at all (lazy seeding: also
    after a database flush). A kind whose rules the office switched off keeps them switched off."""
    kinds = set(kinds if kinds is not None else providers.kind_labels())
    present = set(ReminderRule.objects.filter(kind__in=kinds).values_list("kind", flat=True).distinct())
    created = 0
    for kind in sorted(kinds - present):
        ladder = R.DEFAULT_LADDERS.get(kind, R.GENERIC_LADDER)
        # One save per rule (a few dozen at most): each rule's history starts with its creation.
        for step, offset, unit, level, email, sms in ladder:
            _, made = ReminderRule.objects.get_or_create(
                kind=kind,
                step=step,
                offset=offset,
                unit=unit,
                level=level,
                defaults={"via_email": email, "via_sms": sms},
            )
            created += made
    return created


# --- the scan -------------------------------------------------------------------------------------------
@dataclass
class ScanResult:
    items: int = 0
    fired: int = 0
    superseded: int = 0
    notifications: int = 0
    resolved: int = 0
    kinds: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # kinds whose provider failed

    def __str__(self):
        text = (
            f"检查期限 {self.items} 项，触发 {self.fired} 次（另有 {self.superseded} 次被后续环节取代），"
            f"站内消息 {self.notifications} 条，办结 {self.resolved} 项"
        )
        return text + (f"；出错的期限类型：{'、'.join(self.errors)}" if self.errors else "")


def scan_deadlines(now: datetime | None = None) -> ScanResult:
    """Fire every rule step whose time has come, for every open deadline of every provider. Idempotent."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    kind_providers = providers.deadline_providers()
    ensure_default_rules(set(kind_providers) | set(R.KNOWN_KINDS))
    rules_by_kind: dict[str, list[ReminderRule]] = {}
    for rule in ReminderRule.objects.filter(is_active=True, kind__in=list(kind_providers)).order_by("id"):
        rules_by_kind.setdefault(rule.kind, []).append(rule)
    result = ScanResult()
    with acting_as(label=SCAN_ACTOR):
        for kind, provider in sorted(kind_providers.items()):
            result.kinds.append(kind)
            rules = rules_by_kind.get(kind, [])
            try:
                items = list(provider.deadline_items(kind, now + R.lead_time(rules)))
            except Exception:  # one broken provider must not stop the others; logged loudly, counted
                logger.exception("deadline provider for %s failed", kind)
                result.errors.append(kind)
                continue
            result.items += len(items)
            fired = _fired_rules(kind, items)
            for item in items:
                key = (str(item.obj.pk), item.due_at)
                for planned in R.plan(rules, item.due_at, now, fired.get(key, set()), tz):
                    created = _fire(planned, item, now)
                    if created is None:
                        continue
                    if planned.outcome == R.SUPERSEDED:
                        result.superseded += 1
                    else:
                        result.fired += 1
                        result.notifications += created
            result.resolved += _resolve(kind, items, now)
    logger.info("deadline scan at %s: %s", now.isoformat(), result)
    return result


def _fired_rules(kind: str, items) -> dict[tuple, set]:
    """(object id, due time) -> ids of rules already fired: one query per kind, not per item."""
    ids = {str(item.obj.pk) for item in items}
    fired: dict[tuple, set] = {}
    if not ids:
        return fired
    rows = Firing.objects.filter(kind=kind, object_id__in=ids).values_list("object_id", "due_at", "rule_id")
    for object_id, due_at, rule_id in rows:
        fired.setdefault((object_id, due_at), set()).add(rule_id)
    return fired


def _message(planned, item, now) -> tuple[str, str]:
    rule = planned.rule
    due = timezone.localtime(item.due_at).strftime("%Y-%m-%d %H:%M")
    label = providers.kind_label(item.kind)
    if rule.step == Step.BEFORE:
        title = f"【即将到期】{item.title}"
        body = f"{label}：{item.title}，将于 {due} 到期（还剩{R.humanize(item.due_at - now)}），请及时办理。"
    elif rule.step == Step.ON_DAY:
        title = f"【今日到期】{item.title}"
        body = f"{label}：{item.title}，今日 {due} 到期，请及时办理。"
    elif rule.step == Step.OVERDUE:
        title = f"【已逾期】{item.title}"
        body = f"{label}：{item.title}，已于 {due} 到期，逾期{R.humanize(now - item.due_at)}，请立即办理。"
    else:
        names = "、".join(u.get_full_name() for u in item.responsible) or (
            f"{item.unit}（未开通账号）" if item.unit is not None else "（未指定）"
        )
        title = f"【逾期升级·第{rule.level}级】{item.title}"
        body = (
            f"{label}：{item.title}，已于 {due} 到期，逾期{R.humanize(now - item.due_at)}仍未办结。"
            f"责任人：{names}。请督促办理。"
        )
    return title[:200], body


def _fire(planned, item, now) -> int | None:
    """Claim and perform one step for one deadline. Returns the number of in-app messages written, or None if
    another scan had already claimed it."""
    rule = planned.rule
    object_id = str(item.obj.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                firing = Firing.objects.create(
                    rule=rule,
                    kind=item.kind,
                    object_id=object_id,
                    due_at=item.due_at,
                    fire_at=planned.fire_at,
                    fired_at=now,
                    outcome=planned.outcome,
                    title=item.title[:200],
                    url=item.url[:300],
                    territory_path=item.territory_path or getattr(item.obj, "territory_path", "") or "",
                )
        except IntegrityError:
            return None  # fired already: by an earlier scan, or by a concurrent worker
        if planned.outcome == R.SUPERSEDED:
            return 0
        resolution = who.resolve(rule, item)
        if resolution.missing_role or not resolution.users:
            who.record_gap(rule, item, resolution, now)
        elif item.unit is not None:
            who.resolve_gaps(item, now)
        users = resolution.users
        title, body = _message(planned, item, now)
        names = "、".join(u.get_full_name() for u in users)
        if not users:
            # Never silent: a step with nobody to tell is written on the item's history, in the firing log and
            # on the office's list of configuration problems (提醒配置问题).
            firing.outcome = Firing.Outcome.NO_RECIPIENT
            firing.save(update_fields=["outcome"])
            record_action(
                item.obj, "notifications.no_recipient", f"{rule.describe()}：未找到接收人，未能通知。"
            )
            return 0
        firing.recipients = names[:500]
        firing.fallback = resolution.fallback[:300]
        firing.save(update_fields=["recipients", "fallback"])
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    firing=firing,
                    kind=item.kind,
                    step=rule.step,
                    title=title,
                    body=body,
                    url=item.url[:300],
                    created_at=now,
                )
                for user in users
            ]
        )
        if not rule.via_inbox:
            # The inbox copy still exists (the record of who was told) but is marked read: the rule asked for
            # e-mail/SMS only.
            Notification.objects.filter(firing=firing).update(read_at=now)
        _queue_deliveries(rule, notifications, users, now, firing.territory_path)
        via = f"（{resolution.fallback}）" if resolution.fallback else ""
        record_action(item.obj, ACTION_OF_STEP[rule.step], f"{rule.describe()}：已通知 {names}{via}。{body}")
        return len(notifications)


def _queue_deliveries(rule, notifications, recipients, now, territory_path) -> None:
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in recipients])}
    rows = []
    for notification, user in zip(notifications, recipients, strict=True):
        pref = prefs.get(user.pk)
        wanted = []
        if rule.via_email and (pref is None or pref.email):
            wanted.append((Channel.EMAIL, user.email, "用户未登记电子邮箱"))
        if rule.via_sms and (pref is None or pref.sms):
            wanted.append((Channel.SMS, user.phone, "用户未登记手机号码"))
        for channel, address, missing in wanted:
            rows.append(
                Delivery(
                    notification=notification,
                    channel=channel,
                    address=address or "",
                    # No address: a visible failure at once rather than a message that silently never goes out.
                    status=Delivery.Status.PENDING if address else Delivery.Status.FAILED,
                    last_error="" if address else missing,
                    next_attempt_at=now,
                    created_at=now,
                    territory_path=territory_path or user.territory_path,
                )
            )
    Delivery.objects.bulk_create(rows)


def _resolve(kind: str, items, now) -> int:
    """Firings of deadlines no longer open (closed, or moved to another due time) are marked resolved: they
    leave the escalation to-do lists."""
    open_keys = {(str(item.obj.pk), item.due_at) for item in items}
    stale = [
        pk
        for pk, object_id, due_at in Firing.objects.filter(kind=kind, resolved_at__isnull=True).values_list(
            "pk", "object_id", "due_at"
        )
        if (object_id, due_at) not in open_keys
    ]
    if not stale:
        return 0
    return Firing.objects.filter(pk__in=stale).update(resolved_at=now)


# --- the outbox -----------------------------------------------------------------------------------------
@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self):
        return f"外发成功 {self.sent} 条，待重试 {self.retried} 条，最终失败 {self.failed} 条"


STALE_CLAIM = timedelta(minutes=10)


def _due_deliveries(now) -> Q:
    # A claim older than STALE_CLAIM belongs to a worker that died mid-send: it is taken over.
    return Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )


def drain_outbox(now: datetime | None = None, limit: int = 500) -> DrainResult:
    """Send due e-mails and SMS. Each row is claimed with one conditional UPDATE, so two workers never send
    the same row; failures are retried with back-off and, after the last attempt, stay visible as failed."""
    now = now or timezone.now()
    result = DrainResult()
    ids = list(
        Delivery.objects.filter(_due_deliveries(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        claimed = Delivery.objects.filter(_due_deliveries(now), pk=pk).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        delivery = Delivery.objects.select_related("notification").get(pk=pk)
        notification = delivery.notification
        try:
            if delivery.channel == Channel.EMAIL:
                channels.send_email(
                    delivery.address, notification.title, f"{notification.body}\n\n{notification.url}"
                )
            else:
                channels.send_sms(delivery.address, f"{notification.body}")
        except Exception as exc:  # any gateway failure: recorded on the row, retried, finally shown as failed
            error = f"{exc.__class__.__name__}: {exc}"[:500]
            if delivery.attempts >= max_attempts():
                logger.warning("delivery %s failed for good: %s", pk, error)
                Delivery.objects.filter(pk=pk).update(status=Delivery.Status.FAILED, last_error=error)
                result.failed += 1
            else:
                logger.info("delivery %s failed (attempt %s): %s", pk, delivery.attempts, error)
                Delivery.objects.filter(pk=pk).update(
                    status=Delivery.Status.PENDING,
                    last_error=error,
                    next_attempt_at=now + retry_delay(delivery.attempts),
                )
                result.retried += 1
            continue
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=now, last_error="")
        result.sent += 1
    return result


def retry_delivery(delivery: Delivery, user, now: datetime | None = None) -> None:
    """The office sends a failed delivery again (e.g. after fixing the phone number)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update().select_related("notification__recipient").get(pk=delivery.pk)
        )
        if locked.status != Delivery.Status.FAILED:
            raise ValueError("只有发送失败的消息可以重新发送。")
        recipient = locked.notification.recipient
        address = recipient.email if locked.channel == Channel.EMAIL else recipient.phone
        if not address:
            raise ValueError(
                "接收人仍未登记" + ("电子邮箱。" if locked.channel == Channel.EMAIL else "手机号码。")
            )
        Delivery.objects.filter(pk=locked.pk).update(
            status=Delivery.Status.PENDING, address=address, attempts=0, next_attempt_at=now, claimed_at=None
        )
        record_action(
            recipient,
            "notifications.delivery_retried",
            f"重新发送{locked.get_channel_display()}：{locked.notification.title}",
        )


# --- direct notifications (for other apps' services) ------------------------------------------------------
def notify(
    recipients, title: str, body: str = "", url: str = "", kind: str = "", email=False, sms=False
) -> None:
    """Tell people about something now (not a deadline): in-app message, plus e-mail/SMS through the outbox
    when asked and the user's preferences allow. Written after the surrounding transaction commits, so a
    rolled-back action never notifies. Other apps call this from their service functions."""
    people = {u.pk: u for u in recipients if u is not None and u.pk and u.is_active}

    class _Rule:  # the channels of this message, in the shape _queue_deliveries expects
        via_email, via_sms = email, sms

    def send():
        now = timezone.now()
        users = list(people.values())
        rows = Notification.objects.bulk_create(
            Notification(recipient=u, kind=kind, title=title[:200], body=body, url=url[:300], created_at=now)
            for u in users
        )
        _queue_deliveries(_Rule, rows, users, now, "")

    transaction.on_commit(send)


# --- the inbox ------------------------------------------------------------------------------------------
def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(notification: Notification, now: datetime | None = None) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now or timezone.now()
        )


def mark_all_read(user, now: datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- the to-do list -------------------------------------------------------------------------------------
@dataclass
class TodoEntry:
    title: str
    url: str
    action: str
    due_at: datetime | None
    overdue: bool
    source: str  # Chinese label of the kind or of the providing app
    kind: str = ""
    object_id: str = ""
    history: list = field(default_factory=list)  # Firing rows, oldest first
    error: bool = False

    @property
    def overdue_by(self) -> str:
        return R.humanize(timezone.now() - self.due_at) if self.overdue and self.due_at else ""


def _urgency(entry: TodoEntry):
    far = datetime.max.replace(tzinfo=timezone.get_default_timezone())
    return (0 if entry.error else 1, 0 if entry.overdue else 1, entry.due_at or far, entry.title)


def todo_for(user, now: datetime | None = None, with_history: bool = True) -> list[TodoEntry]:
    """What waits for `user`: the providers' to-do items plus the overdue deadlines escalated to them, most
    urgent first (overdue, then earliest due)."""
    now = now or timezone.now()
    if not user or not user.is_authenticated or not user.role:
        return []
    entries: list[TodoEntry] = []
    seen_urls = set()
    for provider in providers.all_providers():
        todo = getattr(provider, "todo_items", None)
        if todo is None:
            continue
        try:
            items = list(todo(user))
        except Exception:  # one broken provider must not hide the others; shown, and logged loudly
            logger.exception("todo provider %s failed", getattr(provider, "__name__", provider))
            entries.append(
                TodoEntry(
                    "部分待办加载失败，请稍后刷新或联系管理员。", "", "", None, False, "系统", error=True
                )
            )
            continue
        for item in items:
            overdue = item.overdue or bool(item.due_at and item.due_at < now)
            entries.append(
                TodoEntry(
                    title=item.title,
                    url=item.url,
                    action=item.action,
                    due_at=item.due_at,
                    overdue=overdue,
                    source=providers.kind_label(item.kind) if item.kind else "",
                    kind=item.kind,
                    object_id=str(item.obj.pk) if item.obj is not None else "",
                )
            )
            seen_urls.add(item.url)
    # Escalations: the overdue deadlines this user was asked to follow up, until they are done.
    escalated = (
        Notification.objects.filter(
            recipient=user, step=Step.ESCALATE, firing__isnull=False, firing__resolved_at__isnull=True
        )
        .select_related("firing")
        .order_by("firing__due_at", "-id")
    )
    taken = set()
    for notification in escalated:
        firing = notification.firing
        key = (firing.kind, firing.object_id)
        if key in taken or firing.url in seen_urls:
            continue
        taken.add(key)
        entries.append(
            TodoEntry(
                title=firing.title,
                url=firing.url,
                action="督办",
                due_at=firing.due_at,
                overdue=firing.due_at < now,
                source=providers.kind_label(firing.kind),
                kind=firing.kind,
                object_id=firing.object_id,
            )
        )
    if with_history:
        _attach_history(entries)
    return sorted(entries, key=_urgency)


def _attach_history(entries: list[TodoEntry]) -> None:
    keyed = [e for e in entries if e.kind and e.object_id]
    if not keyed:
        return
    q = Q()
    for entry in keyed:
        q |= Q(kind=entry.kind, object_id=entry.object_id)
    history: dict[tuple, list] = {}
    for firing in (
        Firing.objects.filter(q)
        .exclude(outcome=Firing.Outcome.SUPERSEDED)
        .select_related("rule")
        .order_by("fired_at", "id")
    ):
        history.setdefault((firing.kind, firing.object_id), []).append(firing)
    for entry in keyed:
        entry.history = history.get((entry.kind, entry.object_id), [])


def todo_count(user) -> int:
    """Number of to-dos, cached briefly per user (the navigation badge is on every page)."""
    from django.core.cache import cache

    key = f"notifications:todo_count:{user.pk}"
    try:
        count = cache.get(key)
    except Exception:  # the cache (Redis) is down: count directly, the badge must not fail every page
        logger.warning("todo_count: cache unavailable, counting directly", exc_info=True)
        count, cache_up = None, False
    else:
        cache_up = True
    if count is None:
        count = sum(1 for e in todo_for(user, with_history=False) if not e.error)
        if cache_up:
            try:
                cache.set(key, count, 60)
            except Exception:
                logger.warning("todo_count: cache unavailable", exc_info=True)
    return count


# --- key periods ----------------------------------------------------------------------------------------
def active_key_periods(on: date, territory=None):
    """Key periods (重点时段) in force on `on`. With a territory: the periods set for it or any of its ancestors
    (a district's 汛期 applies to its towns). Used by inspections (frequency), operations (duty) and
    assessment (bulletins)."""
    qs = KeyPeriod.objects.filter(start_date__lte=on, end_date__gte=on)
    if territory is not None:
        parts = [p for p in territory.path.split(".") if p]
        prefixes = [".".join(parts[: i + 1]) + "." for i in range(len(parts))]
        qs = qs.filter(territory_path__in=prefixes)
    return qs.order_by("start_date", "id")


def key_period_flags(on: date, territory=None) -> dict[str, bool]:
    """What the active key periods switch on, merged: {"raises_inspection_frequency": …, "requires_duty": …}."""
    flags = dict.fromkeys(
        ("raises_inspection_frequency", "requires_pre_holiday_check", "requires_duty", "enables_bulletins"),
        False,
    )
    for period in active_key_periods(on, territory):
        for name in flags:
            flags[name] = flags[name] or getattr(period, name)
    return flags


def visible_key_periods(user):
    """Periods a user may read: those of their territory's ancestors (they apply to them) and of its subtree."""
    from anjian.core.scope import scope_for

    scope = scope_for(user)
    if scope.nothing:
        return KeyPeriod.objects.none()
    if scope.enterprise_id is not None:
        territory = user.enterprise.territory if user.enterprise_id else None
        if territory is None:
            return KeyPeriod.objects.none()
        path = territory.path
    elif scope.territory_path is None:
        return KeyPeriod.objects.all()
    else:
        path = scope.territory_path
    parts = [p for p in path.split(".") if p]
    prefixes = [".".join(parts[: i + 1]) + "." for i in range(len(parts))]
    return KeyPeriod.objects.filter(Q(territory_path__in=prefixes) | Q(territory_path__startswith=path))


# (year, category, name, start, end, frequency, pre-holiday check, duty, bulletins, notes) — the demo year.
# Dates follow the State Council holiday notice pattern; 汛期 and 森林防火期 are local and editable.
def default_key_periods(year: int) -> list[dict]:
    d = date
    rows = [
        (
            "spring_festival",
            "春节及元宵节",
            d(year, 2, 1),
            d(year, 2, 24),
            True,
            True,
            True,
            True,
            "节前开展安全大检查，落实领导带班和24小时值班，烟花爆竹、人员密集场所为重点。",
        ),
        (
            "two_sessions",
            "全国两会",
            d(year, 3, 1),
            d(year, 3, 15),
            True,
            False,
            True,
            True,
            "两会期间严防较大以上事故，落实每日零报告。",
        ),
        (
            "qingming",
            "清明节",
            d(year, 4, 3),
            d(year, 4, 6),
            True,
            True,
            True,
            False,
            "森林防火、祭扫场所人员密集与道路交通安全。",
        ),
        (
            "may_day",
            "五一劳动节",
            d(year, 4, 30),
            d(year, 5, 5),
            True,
            True,
            True,
            False,
            "旅游景区、人员密集场所、道路交通安全。",
        ),
        (
            "flood_season",
            "汛期",
            d(year, 5, 1),
            d(year, 9, 30),
            True,
            False,
            True,
            True,
            "防汛值班，地质灾害隐患点、尾矿库、在建工地每日巡查。",
        ),
        ("mid_autumn", "中秋节", d(year, 9, 24), d(year, 9, 27), True, True, True, False, ""),
        (
            "national_day",
            "国庆节",
            d(year, 9, 28),
            d(year, 10, 8),
            True,
            True,
            True,
            True,
            "节前安全检查，重点行业领域停复工安全管理。",
        ),
        (
            "forest_fire",
            "森林防火期",
            d(year, 10, 1),
            d(year, 12, 31),
            True,
            False,
            True,
            False,
            "野外用火管控，重点林区巡护。",
        ),
        (
            "forest_fire",
            "森林防火期（春季）",
            d(year, 1, 1),
            d(year, 4, 30),
            True,
            False,
            True,
            False,
            "野外用火管控，清明祭扫重点防控。",
        ),
    ]
    return [
        {
            "category": cat,
            "name": name,
            "year": year,
            "start_date": start,
            "end_date": end,
            "raises_inspection_frequency": freq,
            "requires_pre_holiday_check": check,
            "requires_duty": duty,
            "enables_bulletins": bulletins,
            "notes": notes,
        }
        for cat, name, start, end, freq, check, duty, bulletins, notes in rows
    ]


def seed_key_periods(year: int, territory) -> int:
    """Create the default calendar of `year` for `territory` unless it already has periods that year."""
    if KeyPeriod.objects.filter(year=year, territory=territory).exists():
        return 0
    for row in default_key_periods(year):
        KeyPeriod.objects.create(territory=territory, **row)
    return len(default_key_periods(year))
