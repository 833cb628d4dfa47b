"""Property tests of the value readers behind every import: dates in every spelling, header normalising."""

import calendar
import io
import unicodedata
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.importing import checked, normalise_header, parse_date, parse_datetime
from anjian.core.importing.values import EXCEL_EPOCH

dates = st.dates(min_value=date(1960, 1, 1), max_value=date(2100, 12, 31))
SPELLINGS = [
    "{y}-{m:02d}-{d:02d}",
    "{y}-{m}-{d}",
    "{y}.{m}.{d}",
    "{y}.{m:02d}.{d:02d}",
    "{y}/{m:02d}/{d:02d}",
    "{y}/{m}/{d}",
    "{y}年{m}月{d}日",
    "{y}年{m:02d}月{d:02d}日",
    "{y} 年 {m} 月 {d} 日",
    "{y}年{m}月{d}号",
    "{y}{m:02d}{d:02d}",
    "{y}-{m:02d}-{d:02d} 00:00:00",
    "{y}/{m}/{d} 8:30",
]


def full_width(text: str) -> str:
    """The same text typed with a Chinese input method in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


@given(dates, st.sampled_from(SPELLINGS), st.booleans())
def test_every_spelling_reads_the_same_day(day, spelling, wide):
    text = spelling.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(full_width(text) if wide else text) == day


@given(dates)
def test_cells_and_excel_serials(day):
    assert parse_date(day) == day
    assert parse_date(datetime.combine(day, datetime.min.time())) == day
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(serial) == day and parse_date(float(serial)) == day and parse_date(str(serial)) == day


@given(st.integers(2000, 2099), st.integers(13, 99), st.integers(1, 28))
def test_impossible_months_are_refused(year, month, day):
    with pytest.raises(ValidationError, match="月份应为1–12"):
        parse_date(f"{year}.{month}.{day}")


@given(st.integers(2000, 2099), st.integers(1, 12), st.integers(29, 99))
def test_impossible_days_are_refused(year, month, day):
    if day <= calendar.monthrange(year, month)[1]:
        assert parse_date(f"{year}年{month}月{day}日") == date(year, month, day)
    else:
        with pytest.raises(ValidationError, match="日期格式"):
            parse_date(f"{year}年{month}月{day}日")


@given(st.text(max_size=20))
def test_anything_else_is_a_validation_error_never_a_crash(text):
    try:
        result = parse_date(text)
    except ValidationError as exc:
        assert exc.messages[0]
    else:
        assert isinstance(result, date)


def test_times_are_kept():
    assert parse_datetime("2024年5月6日14时30分") == datetime(2024, 5, 6, 14, 30)
    assert parse_datetime("2024.5.6 14:30") == datetime(2024, 5, 6, 14, 30)
    assert parse_datetime(45418.5) == datetime(2024, 5, 6, 12, 0)
    with pytest.raises(ValidationError, match="小时应为0–23"):
        parse_datetime("2024-05-06 25:00")
    with pytest.raises(ValidationError, match=r"2024\.13\.45"):
        parse_date("2024.13.45")


words = st.text(alphabet=st.characters(categories=["Lo", "Nd", "Lu", "Ll"]), min_size=1, max_size=8)


@given(
    words, st.lists(st.sampled_from([" ", "\u3000", "*", "＊", "\n", "：", ":"]), max_size=4), st.booleans()
)
def test_header_noise_does_not_matter(word, noise, wide):
    noisy = "".join(noise[: len(noise) // 2]) + word + "".join(noise[len(noise) // 2 :])
    assert normalise_header(full_width(noisy) if wide else noisy) == normalise_header(word)


@given(words, words, st.sampled_from([("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")]))
def test_bracketed_notes_are_dropped(word, note, brackets):
    assert normalise_header(f"{word}{brackets[0]}{note}{brackets[1]}") == normalise_header(word)


@given(st.text(max_size=30))
def test_normalising_is_idempotent(text):
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert once == unicodedata.normalize("NFKC", once)


def test_header_examples():
    assert normalise_header("隐 患 级 别") == normalise_header("隐患级别*") == "隐患级别"
    assert normalise_header("整改时限（天）") == "整改时限"
    assert normalise_header("（备注）") == "备注"
    assert normalise_header("ＮＯ．") == "no"
    assert parse_date("2024-03-06") == EXCEL_EPOCH + timedelta(days=45357)


# --- two-digit years and Chinese numerals ---------------------------------------------------------------------
SHORT_SPELLINGS = ["{yy:02d}.{m}.{d}", "{yy:02d}年{m}月{d}日", "{yy:02d}/{m:02d}/{d:02d}", "{yy:02d}-{m}-{d}"]
CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_count(number: int) -> str:
    """1–31 as written in words: 三, 十, 十六, 二十, 三十一."""
    tens, units = divmod(number, 10)
    text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" if tens else ""
    return text + (CHINESE_DIGITS[units] if units else "")


def chinese_year(year: int) -> str:
    return "".join(CHINESE_DIGITS[int(d)] for d in str(year))


recent = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@given(recent, st.sampled_from(SHORT_SPELLINGS))
def test_two_digit_years_are_this_century(day, spelling):
    # In 2026 the window is 1947–2046: every ledger year from 2000 to 2030 reads as written.
    text = spelling.format(yy=day.year % 100, m=day.month, d=day.day)
    assert parse_date(text) == day


@given(st.integers(0, 99), st.integers(2000, 2099))
def test_two_digit_year_window(two_digits, this_year):
    from anjian.core.importing.values import full_year

    year = full_year(two_digits, 2, today=date(this_year, 6, 1))
    assert year % 100 == two_digits and this_year - 80 < year <= this_year + 20
    assert full_year(2024, 4, today=date(this_year, 6, 1)) == 2024


def test_two_digit_years_as_offices_write_them():
    assert parse_date("24.3.6") == parse_date("24年3月6日") == date(2024, 3, 6)
    assert parse_date("99.12.31") == date(1999, 12, 31)
    assert parse_datetime("24/3/6 8:30") == datetime(2024, 3, 6, 8, 30)
    with pytest.raises(ValidationError, match="月份应为1–12"):
        parse_date("24.13.6")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 3))
def test_chinese_numeral_dates(day, style):
    month, dd = chinese_count(day.month), chinese_count(day.day)
    text = [
        f"{chinese_year(day.year)}年{month}月{dd}日",
        f"{day.year}年{month}月{dd}日",
        f"{chinese_year(day.year).replace('〇', '零')}年{month}月{dd}号",
        f"{day.year}年{day.month}月{dd}日",
    ][style]
    assert parse_date(text) == day


def test_chinese_numeral_dates_as_written():
    assert parse_date("二〇二四年三月六日") == parse_date("2024年三月六日") == date(2024, 3, 6)
    assert parse_date("二零二四年十二月三十一日") == date(2024, 12, 31)
    assert parse_date("2024年元月廿一日") == date(2024, 1, 21)
    with pytest.raises(ValidationError, match="2024年2月没有30日"):
        parse_date("二〇二四年二月三十日")
    with pytest.raises(ValidationError, match="月份应为1–12"):
        parse_date("2024年十三月一日")
    with pytest.raises(ValidationError, match="无法识别"):
        parse_date("二〇二四年三十十月一日")


# --- the rows a preview keeps for the commit (importing.checked) --------------------------------------------------------------------------------------------
cell_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.booleans(),
)


@given(
    rows=st.lists(
        st.tuples(
            cell_values, st.one_of(st.none(), st.dates()), cell_values, st.one_of(st.none(), st.dates())
        ),
        max_size=25,
    )
)
def test_checked_rows_come_back_as_written(rows):
    out = io.BytesIO()
    writer = checked.CheckedRowsWriter(out)
    writer_chunk = checked.CHUNK_ROWS
    try:
        checked.CHUNK_ROWS = 4  # several lines
        for row in rows:
            writer.add(row)
        writer.close()
    finally:
        checked.CHUNK_ROWS = writer_chunk
    out.seek(0)
    back = [tuple(row) for chunk in checked.read_checked_rows(out, (1, 3)) for row in chunk]
    assert back == rows and writer.rows == len(rows)
