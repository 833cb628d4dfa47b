"""The pure planning rules (no database): when a step fires, and which steps a scan fires."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from anjian.notifications import rules as R

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Rule:
    pk: int
    step: str
    delta: timedelta = timedelta(0)
    level: int = 0


def test_fire_at_per_step():
    due = datetime(2026, 12, 10, 17, 0, tzinfo=TZ)
    assert R.fire_at(Rule(1, R.BEFORE, timedelta(days=3)), due, TZ) == datetime(2026, 12, 7, 17, tzinfo=TZ)
    assert R.fire_at(Rule(2, R.ON_DAY), due, TZ) == datetime(2026, 12, 10, 8, tzinfo=TZ)
    early = datetime(2026, 12, 10, 6, 30, tzinfo=TZ)  # a deadline before 8:00: remind at the deadline
    assert R.fire_at(Rule(2, R.ON_DAY), early, TZ) == early
    assert R.fire_at(Rule(3, R.OVERDUE, timedelta(hours=2)), due, TZ) == due + timedelta(hours=2)
    assert R.fire_at(Rule(4, R.ESCALATE, timedelta(days=1), 1), due, TZ) == due + timedelta(days=1)


def test_on_day_uses_local_date_not_utc():
    due = datetime(2026, 12, 10, 1, 0, tzinfo=TZ)  # 12-09 17:00 UTC
    assert R.fire_at(Rule(1, R.ON_DAY), due.astimezone(ZoneInfo("UTC")), TZ) == due


def test_lead_time():
    assert R.lead_time([Rule(1, R.BEFORE, timedelta(days=7)), Rule(2, R.ON_DAY)]) == timedelta(days=7)
    assert R.lead_time([Rule(2, R.ON_DAY), Rule(3, R.OVERDUE)]) == timedelta(days=1)
    assert R.lead_time([Rule(4, R.ESCALATE, timedelta(days=3), 1)]) == timedelta(0)


def test_humanize():
    assert R.humanize(timedelta(days=3)) == "3天"
    assert R.humanize(timedelta(hours=5)) == "5小时"
    assert R.humanize(timedelta(days=2, hours=4, minutes=10)) == "2天4小时"
    assert R.humanize(timedelta(seconds=20)) == "1分钟"


def test_every_default_ladder_is_well_formed():
    for kind, ladder in {**R.DEFAULT_LADDERS, "generic": R.GENERIC_LADDER}.items():
        for step, offset, unit, level, _email, _sms in ladder:
            assert unit in ("days", "hours"), kind
            assert (level >= 1) == (step == R.ESCALATE), kind
            assert step != R.BEFORE or offset > 0, kind
        assert len({tuple(row[:4]) for row in ladder}) == len(ladder), kind
    assert set(R.DEFAULT_LADDERS) == set(R.KNOWN_KINDS)


rule_strategy = st.builds(
    lambda step, hours, level: (step, hours, level),
    st.sampled_from([R.BEFORE, R.ON_DAY, R.OVERDUE, R.ESCALATE]),
    st.integers(min_value=0, max_value=24 * 40),
    st.integers(min_value=1, max_value=3),
)


def _rules(specs):
    rules = []
    for pk, (step, hours, level) in enumerate(specs, start=1):
        if step == R.BEFORE:
            hours = max(hours, 1)
        rules.append(Rule(pk, step, timedelta(hours=hours), level if step == R.ESCALATE else 0))
    return rules


@given(
    specs=st.lists(rule_strategy, min_size=1, max_size=8),
    offset_hours=st.integers(min_value=-24 * 45, max_value=24 * 45),
    fired_mask=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_plan_properties(specs, offset_hours, fired_mask):
    rules = _rules(specs)
    due = datetime(2027, 3, 20, 17, tzinfo=TZ)
    now = due + timedelta(hours=offset_hours)
    fired = {r.pk for r, f in zip(rules, fired_mask, strict=False) if f}
    planned = R.plan(rules, due, now, fired, TZ)
    ids = [p.rule.pk for p in planned]
    # Never early, never twice, never something already fired.
    assert all(p.fire_at <= now for p in planned)
    assert len(ids) == len(set(ids)) and not set(ids) & fired
    # At most one reminder to the responsible person per scan; every due escalation is sent.
    sent_reminders = [p for p in planned if p.rule.step in R.REMIND_STEPS and p.outcome == R.SENT]
    assert len(sent_reminders) <= 1
    due_escalations = {r.pk for r in rules if r.step == R.ESCALATE and R.fire_at(r, due, TZ) <= now} - fired
    assert {
        p.rule.pk for p in planned if p.rule.step == R.ESCALATE and p.outcome == R.SENT
    } == due_escalations
    # A sent reminder is the latest one due.
    if sent_reminders:
        latest = max(
            R.fire_at(r, due, TZ) for r in rules if r.step in R.REMIND_STEPS and R.fire_at(r, due, TZ) <= now
        )
        assert sent_reminders[0].fire_at == latest
    # Idempotent: once performed, planning again at the same time yields nothing.
    assert R.plan(rules, due, now, fired | set(ids), TZ) == []
