"""Reading values as people write them in ledgers: header words, dates. Pure functions, no database."""

import re
import unicodedata
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError

# Anything in brackets is a note on the column ("整改期限（天）", "发现时间(年月日)"), not its name.
_BRACKETS = re.compile(r"[(\[【{<].*?[)\]】}>]")
_NOISE = re.compile(r"[\s*＊:：、.。·•'\"“”‘’#№]+")


def normalise_text(value) -> str:
    """Full-width to half-width (NFKC), no surrounding or repeated blanks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def normalise_header(value) -> str:
    """The comparable form of a column header: NFKC, lower case, without bracketed notes, blanks, "*", colons."""
    text = unicodedata.normalize(
        "NFKC", unicodedata.normalize("NFKC", "" if value is None else str(value)).lower()
    )
    stripped = _BRACKETS.sub("", text)
    if _NOISE.sub("", stripped):  # a header that is only a bracketed word keeps the word
        text = stripped
    text = _NOISE.sub("", text).strip("()[]{}<>")
    return unicodedata.normalize("NFKC", text)


# 1900 date system: serial 1 is 1900-01-01, with Excel's phantom 1900-02-29 (hence 1899-12-30 as day 0).
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (20000, 80000)  # 1954–2119: a bare number in this range in a date column is a serial

_DATE = re.compile(
    r"^(\d{4}|\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*(?:T|\s)?\s*(\d{1,2})\s*[:时]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2})\s*秒?)?\s*分?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# 二〇二四年三月六日, 2024年三月十六日, 二四年三月六日: the year digit by digit, month and day as counted numbers.
_CHINESE_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CHINESE_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CHINESE_NUMBER = "〇零○Oo一二三四五六七八九十廿卅"
_CHINESE_DATE = re.compile(
    rf"^([\d{_CHINESE_NUMBER}]{{2}}|[\d{_CHINESE_NUMBER}]{{4}})\s*年\s*(元|[\d{_CHINESE_NUMBER}]{{1,3}})\s*月\s*"
    rf"([\d{_CHINESE_NUMBER}]{{1,3}})\s*[日号]$"
)


def full_year(year: int, written_digits: int, today: date | None = None) -> int:
    """A year written with two digits ("24.3.6", "24年3月6日") in the century that puts it nearest to now: within
    the 80 years before and the 20 years after this year (in 2026: 00–46 → 2000s, 47–99 → 1900s). Ledgers
    record the past, so the window leans back; a four-digit year is kept as written."""
    if written_digits != 2:
        return year
    this_year = (today or date.today()).year
    candidate = this_year - this_year % 100 + year
    if candidate > this_year + 20:
        candidate -= 100
    elif candidate <= this_year - 80:
        candidate += 100
    return candidate


def chinese_number(text: str) -> int | None:
    """A month or day in Chinese numerals (三, 十, 十六, 二十, 廿一, 三十一) or digits; None when it is neither."""
    if text.isdigit():
        return int(text)
    text = text.replace("廿", "二十").replace("卅", "三十")
    if text == "元":  # 元月: January
        return 1
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(units) > 1 or tens not in ("", *"一二三四五六七八九"):
            return None
        value = (_CHINESE_DIGITS[tens] if tens else 1) * 10
        if units:
            if units not in _CHINESE_DIGITS or _CHINESE_DIGITS[units] == 0:
                return None
            value += _CHINESE_DIGITS[units]
        return value
    if len(text) == 1 and text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    return None


def chinese_year(text: str) -> int | None:
    """A year written digit by digit (二〇二四, 2024, 二零二四); None when it mixes in a 十."""
    digits = []
    for char in text:
        if char.isdigit():
            digits.append(int(char))
        elif char in _CHINESE_DIGITS:
            digits.append(_CHINESE_DIGITS[char])
        else:
            return None
    return int("".join(map(str, digits)))


def _message(text: str, year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"日期“{text}”不存在：月份应为1–12，请检查日期格式。"
    return f"日期“{text}”不存在：{year}年{month}月没有{day}日，请检查日期格式。"


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(_message(text, year, month, day)) from None


def parse_date(value) -> date:
    """A date as written in a ledger: a real date cell, an Excel serial number, 2024-03-06, 2024.3.6, 2024/03/07,
    2024年3月6日, 20240306, each optionally followed by a time; two-digit years (24.3.6, 24年3月6日, see
    `full_year`); Chinese numerals (二〇二四年三月六日, 2024年三月六日). Impossible dates (2024.13.45) are refused."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value, str(value))
    text = normalise_text(value)
    if not text:
        raise ValidationError("日期不能为空。")
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
        return _make(text, full_year(year, len(match.group(1))), month, day)
    match = _CHINESE_DATE.match(text)
    if match:
        return _chinese_date(text, *match.groups())
    match = _COMPACT.match(text)
    if match:
        return _make(text, *(int(g) for g in match.groups()))
    try:
        number = float(text)
    except ValueError:
        raise ValidationError(
            f"无法识别的日期“{text}”，日期格式应如 2024-03-06、2024.3.6 或 2024年3月6日。"
        ) from None
    return _from_serial(number, text)


def _chinese_date(text: str, year_text: str, month_text: str, day_text: str) -> date:
    year, month, day = chinese_year(year_text), chinese_number(month_text), chinese_number(day_text)
    if year is None or month is None or day is None:
        raise ValidationError(
            f"无法识别的日期“{text}”，日期格式应如 2024-03-06、2024年3月6日 或 二〇二四年三月六日。"
        )
    return _make(text, full_year(year, len(year_text)), month, day)


def _from_serial(number: float, text: str) -> date:
    if not SERIAL_RANGE[0] <= number < SERIAL_RANGE[1]:
        raise ValidationError(f"无法识别的日期“{text}”，日期格式应如 2024-03-06、2024.3.6 或 2024年3月6日。")
    return EXCEL_EPOCH + timedelta(days=int(number))


def parse_datetime(value) -> datetime:
    """Like parse_date, keeping the time of day when there is one (naive; the caller makes it aware)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = _from_serial(value, str(value))
        seconds = round((value - int(value)) * 86400)
        return datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)
    text = normalise_text(value)
    match = _DATE.match(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
        day_ = _make(text, full_year(int(year), len(year)), int(month), int(day))
        if hour is None:
            return datetime.combine(day_, datetime.min.time())
        try:
            return datetime(day_.year, day_.month, day_.day, int(hour), int(minute), int(second or 0))
        except ValueError:
            raise ValidationError(f"时间“{text}”不存在：小时应为0–23，分钟应为0–59。") from None
    return datetime.combine(parse_date(value), datetime.min.time())
