"""Pure domain rules of the operations app (no database)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# --- tips ---------------------------------------------------------------------------------------------
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# What the public page accepts, by content (never by file name or the browser's declared type).
ALLOWED_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAGIC_BYTES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
DEFAULT_HANDLING_DAYS = (
    15  # 信访/举报 handling: 15 working days to reply is common practice; editable per tip
)
URGENT_HANDLING_DAYS = 3


def sniff_magic(head: bytes) -> str | None:
    for magic, mime in MAGIC_BYTES:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def reward_hazard_or_illegal(fine, rate=Decimal("0.15"), minimum=Decimal("3000"), maximum=Decimal("300000")):
    """rules.md §5.2 RW-02: 15 % of the administrative fine, at least 3,000 元, at most 300,000 元."""
    fine = Decimal(fine)
    if fine < 0:
        raise ValueError("罚款金额不能为负数。")
    amount = (fine * Decimal(rate)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return min(max(amount, Decimal(minimum)), Decimal(maximum))


ACCIDENT_GRADES = ("一般", "较大", "重大", "特别重大")


def reward_concealed(grade: str, deaths: int, per_death: dict, maximum=Decimal("300000")):
    """rules.md §5.2 RW-03: per verified concealed/misreported death by grade, in total at most 300,000 元."""
    if grade not in per_death:
        raise ValueError(f"未知的事故等级：{grade}")
    if deaths < 0:
        raise ValueError("死亡人数不能为负数。")
    return min(Decimal(per_death[grade]) * deaths, Decimal(maximum))


# --- warnings ------------------------------------------------------------------------------------------
LEVEL_RANK = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}


def level_reaches(level: str, minimum: str) -> bool:
    return LEVEL_RANK[level] >= LEVEL_RANK[minimum]


def ack_hours_for(level: str, base_hours: int) -> int:
    """Higher levels leave less time to acknowledge: orange halves, red quarters (at least 1 hour)."""
    divisor = {"blue": 1, "yellow": 1, "orange": 2, "red": 4}[level]
    return max(1, base_hours // divisor)


# --- emergency plans -----------------------------------------------------------------------------------
PLAN_REVIEW_YEARS = (
    3  # 生产安全事故应急预案管理办法 第三十五条: 应急预案每三年至少评估一次 (rules.md §9 EM-03)
)
REVIEW_WARN_DAYS = 90


def plan_review_due(revised_on: date) -> date:
    try:
        return revised_on.replace(year=revised_on.year + PLAN_REVIEW_YEARS)
    except ValueError:  # 29 February
        return revised_on.replace(year=revised_on.year + PLAN_REVIEW_YEARS, day=28)


def plan_review_state(revised_on: date, today: date) -> str:
    """ "overdue", "due_soon" or "ok" for the 3-year review."""
    due = plan_review_due(revised_on)
    if today > due:
        return "overdue"
    if today >= due - timedelta(days=REVIEW_WARN_DAYS):
        return "due_soon"
    return "ok"


# rules.md §9 EM-01 (708号令 第八条第一款): governments drill at least every 2 years;
# EM-02 (第八条第二款): high-risk units and crowded places at least every 6 months.
DRILL_INTERVAL_MONTHS = {"government": 24, "enterprise": 6}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def next_drill_due(owner: str, last_drill: date | None, revised_on: date) -> date:
    return add_months(last_drill or revised_on, DRILL_INTERVAL_MONTHS[owner])


# --- duty ----------------------------------------------------------------------------------------------
def days_between(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def roster_gaps(required_days, shifts: dict) -> list[tuple[date, str]]:
    """Days that must be covered, and what is missing. `shifts` maps date -> (leader, leader_phone, officer,
    officer_phone). Key periods need a leader on duty and a 24-hour officer, each with a phone number."""
    gaps = []
    for day in sorted(set(required_days)):
        shift = shifts.get(day)
        if shift is None:
            gaps.append((day, "未排班"))
            continue
        leader, leader_phone, officer, officer_phone = shift
        missing = []
        if not leader:
            missing.append("带班领导")
        elif not leader_phone:
            missing.append("带班领导电话")
        if not officer:
            missing.append("值班人员")
        elif not officer_phone:
            missing.append("值班人员电话")
        if missing:
            gaps.append((day, "缺" + "、".join(missing)))
    return gaps
