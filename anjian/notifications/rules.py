"""Pure rules of the deadlines engine (no database): when a rule step fires, which steps fire on a scan, and the
default reminder ladders of the known deadline kinds.

A rule is anything with `pk`, `step` ("before" | "on_day" | "overdue" | "escalate"), `delta` (timedelta) and
`level`. Times are aware datetimes.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

BEFORE, ON_DAY, OVERDUE, ESCALATE = "before", "on_day", "overdue", "escalate"
REMIND_STEPS = (BEFORE, ON_DAY, OVERDUE)
# The on-the-day reminder goes out at the start of the working day, or at the deadline if that is earlier.
ON_DAY_AT = time(8, 0)

SENT, SUPERSEDED = "sent", "superseded"


def fire_at(rule, due_at: datetime, tz: ZoneInfo) -> datetime:
    """When `rule` fires for a deadline at `due_at`."""
    if rule.step == BEFORE:
        return due_at - rule.delta
    if rule.step == ON_DAY:
        local = due_at.astimezone(tz)
        morning = datetime.combine(local.date(), ON_DAY_AT, tzinfo=tz)
        return min(morning, due_at)
    return due_at + rule.delta  # overdue and escalate: after the deadline


def lead_time(rules) -> timedelta:
    """How far ahead of now a deadline may lie and still have a step due: the scan asks providers for items
    due before now + lead_time."""
    lead = timedelta(0)
    for rule in rules:
        if rule.step == BEFORE:
            lead = max(lead, rule.delta)
        elif rule.step == ON_DAY:
            lead = max(lead, timedelta(days=1))
    return lead


@dataclass(frozen=True)
class Planned:
    rule: object
    fire_at: datetime
    outcome: str  # SENT or SUPERSEDED


def plan(rules, due_at: datetime, now: datetime, fired_rule_ids: set, tz: ZoneInfo) -> list[Planned]:
    """The steps to fire now for one deadline, given the rules already fired for it.

    - a step fires once its time has come (fire_at <= now), at most once (`fired_rule_ids`);
    - catching up after downtime: of the reminders to the responsible person (before / on the day / overdue)
      that are due, only the latest is sent; earlier ones are recorded as superseded, so nobody gets a burst of
      stale reminders ("3 days left" for something already overdue);
    - every escalation whose time has come is sent, even in catch-up: each level informs different people.
    """
    due = [(rule, fire_at(rule, due_at, tz)) for rule in rules]
    due = [(rule, at) for rule, at in due if at <= now]
    remind = [(rule, at) for rule, at in due if rule.step in REMIND_STEPS]
    latest = max((at for _, at in remind), default=None)
    latest_rule = None
    if remind:
        # Ties (two rules with the same time) resolve to the later step, then the higher id: deterministic.
        order = {BEFORE: 0, ON_DAY: 1, OVERDUE: 2}
        latest_rule = max((r for r, at in remind if at == latest), key=lambda r: (order[r.step], r.pk))
    planned = []
    for rule, at in sorted(due, key=lambda pair: (pair[1], pair[0].pk)):
        if rule.pk in fired_rule_ids:
            continue
        if rule.step in REMIND_STEPS and rule is not latest_rule:
            planned.append(Planned(rule, at, SUPERSEDED))
        else:
            planned.append(Planned(rule, at, SENT))
    return planned


def humanize(delta: timedelta) -> str:
    """A duration as people say it: "3天", "5小时", "2天4小时"."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    if days and hours:
        return f"{days}天{hours}小时"
    if days:
        return f"{days}天"
    if hours:
        return f"{hours}小时"
    return f"{max(rest // 60, 1)}分钟"


# Known deadline kinds (declared by the providers; listed here so that rules can be seeded before a provider
# ships, and shown with a Chinese label).
KNOWN_KINDS = {
    "hazard.rectification": "隐患整改期限",
    "hazard.supervision": "挂牌督办期限",
    "accident.report": "事故上报时限",
    "accident.supplement": "事故补报期限",
    "accident.followup": "事故续报",
    "accident.investigation": "事故调查报告期限",
    "enforcement.deadline": "执法文书期限",
    "registry.licence_expiry": "许可证到期",
    "assessment.calendar": "考核与通报日程",
}

# Default ladders: (step, offset, unit, level, email, sms). The in-app inbox is always on.
# Local practice differs, so these are only seeds: the office edits them as data.
D, H = "days", "hours"
DEFAULT_LADDERS = {
    # 总局令第16号 第十五条: 重大隐患 治理方案 has a deadline; the supervising department follows up (HZ-42).
    "hazard.rectification": [
        (BEFORE, 3, D, 0, False, False),
        (ON_DAY, 0, D, 0, False, True),
        (OVERDUE, 0, D, 0, True, True),
        (ESCALATE, 1, D, 1, True, True),
        (ESCALATE, 3, D, 2, True, True),
    ],
    # 挂牌督办 (local rules, e.g. 青岛 "3+X"): extension requests are due well before the deadline, so remind early.
    "hazard.supervision": [
        (BEFORE, 20, D, 0, True, False),
        (BEFORE, 7, D, 0, True, False),
        (ON_DAY, 0, D, 0, True, True),
        (OVERDUE, 0, D, 0, True, True),
        (ESCALATE, 0, D, 1, True, True),
        (ESCALATE, 2, D, 2, True, True),
    ],
    # 493号令 第九条 (1 hour to the county) and 第十一条 (2 hours per level): hours, SMS at every step.
    "accident.report": [
        (OVERDUE, 0, H, 0, True, True),
        (ESCALATE, 1, H, 1, True, True),
        (ESCALATE, 2, H, 2, True, True),
    ],
    # 493号令 第十三条: casualty changes reported within 30 days (7 for road traffic and fire).
    "accident.supplement": [
        (BEFORE, 3, D, 0, False, False),
        (ON_DAY, 0, D, 0, True, False),
    ],
    # AC-22 ❓ (21号令): 续报 at least daily (重大/特别重大 twice a day) until the emergency response ends.
    "accident.followup": [
        (BEFORE, 2, H, 0, False, False),
        (OVERDUE, 0, H, 0, True, True),
        (ESCALATE, 2, H, 1, True, True),
    ],
    # 493号令 第二十九条: investigation report within 60 days (extendable by at most 60).
    "accident.investigation": [
        (BEFORE, 10, D, 0, True, False),
        (BEFORE, 3, D, 0, True, False),
        (ON_DAY, 0, D, 0, True, True),
        (OVERDUE, 0, D, 0, True, True),
        (ESCALATE, 1, D, 1, True, True),
        (ESCALATE, 7, D, 2, True, True),
    ],
    "enforcement.deadline": [
        (BEFORE, 3, D, 0, False, False),
        (ON_DAY, 0, D, 0, False, True),
        (OVERDUE, 0, D, 0, True, True),
        (ESCALATE, 1, D, 1, True, False),
    ],
    "registry.licence_expiry": [
        (BEFORE, 30, D, 0, True, False),
        (BEFORE, 7, D, 0, True, True),
        (ON_DAY, 0, D, 0, True, True),
        (OVERDUE, 0, D, 0, True, False),
        (ESCALATE, 7, D, 1, True, False),
    ],
    "assessment.calendar": [
        (BEFORE, 7, D, 0, False, False),
        (BEFORE, 1, D, 0, True, False),
        (ON_DAY, 0, D, 0, True, False),
        (OVERDUE, 0, D, 0, True, False),
        (ESCALATE, 1, D, 1, True, False),
    ],
}
# A kind declared by a provider but without its own ladder gets this one.
GENERIC_LADDER = [
    (BEFORE, 3, D, 0, False, False),
    (ON_DAY, 0, D, 0, False, False),
    (OVERDUE, 0, D, 0, True, False),
    (ESCALATE, 1, D, 1, True, False),
    (ESCALATE, 3, D, 2, True, False),
]
