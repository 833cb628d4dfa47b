"""Finding the table in a ledger as offices keep it: a merged title row and 填报单位/填报日期 lines above the
header, a two-row header under merged group cells, one sheet per month, blank rows, and 合计/制表人/填表说明
lines below the data."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .values import normalise_text

HEADER_SCAN_ROWS = 20  # the header is looked for among the first rows of each sheet
# Rows that end the table (footers), and rows inside it that are not records. Signature words count only with a
# colon ("制表人：张三"), so a unit called 注塑厂 is never taken for a note.
_FOOTER = re.compile(
    r"^(?:(?:合\s*计|总\s*计|共\s*计)|(?:填[表报]说明)|"
    r"(?:制表人?|填[表报]人|审核人?|负责人|说明|注|备注|填报日期|制表日期)\s*[:：])"
)
_SUBTOTAL = re.compile(r"^小\s*计")
# Columns that number the rows of a sheet: never data, never a question for the user.
ROW_NUMBER_HEADERS = {"序号", "编号序号", "no", "序"}


@dataclass
class SheetTable:
    name: str
    header_row: int  # 1-based number of the (last) header row
    headers: list[str]  # header text per column, as written
    rows: Iterator[tuple[int, tuple]] | list = field(default_factory=list)  # (row number, values)
    estimated_rows: int = 0  # for progress: the sheet's rows under the header, footers and blanks included


def header_text(value) -> str:
    """A header as the user wrote it (for messages), with line breaks and repeated blanks folded."""
    return "" if value is None else " ".join(str(value).split())


def first_text(values) -> str:
    for value in values:
        text = normalise_text(value)
        if text:
            return text
    return ""


def is_footer(values) -> bool:
    return bool(_FOOTER.match(first_text(values)))


def is_skipped(values) -> bool:
    return bool(_SUBTOTAL.match(first_text(values)))


def combine_headers(top, sub) -> list[str]:
    """A two-row header: the sub-header where there is one (under a merged group cell), else the top cell."""
    width = max(len(top), len(sub))
    out = []
    for index in range(width):
        upper = header_text(top[index]) if index < len(top) else ""
        lower = header_text(sub[index]) if index < len(sub) else ""
        out.append(lower or upper)
    return out


def find_header(head: list[tuple], score: Callable[[list[str]], int]) -> tuple[int, list[str], int] | None:
    """(index in `head` of the last header row, headers, score) of the best-scoring row, or None."""
    best = None
    for index, values in enumerate(head):
        headers = [header_text(v) for v in values]
        points = score(headers)
        if points and (best is None or points > best[2]):
            best = (index, headers, points)
    if best is None:
        return None
    index, headers, points = best
    if index + 1 < len(head):
        combined = combine_headers(head[index], head[index + 1])
        if score(combined) > points:
            return index + 1, combined, score(combined)
    return best


def data_rows(rows: Iterator[tuple], first_number: int) -> Iterator[tuple[int, tuple]]:
    for number, values in enumerate(rows, start=first_number):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if is_footer(values):
            return
        if is_skipped(values):
            continue
        yield number, values


def rows_below(sheet, header_index: int) -> Iterator[tuple]:
    """The sheet's rows under its header, read only when asked for (one sheet in memory at a time)."""
    rows = sheet.iter_rows(values_only=True)
    for _ in range(header_index + 1):
        next(rows, None)
    yield from rows


def locate_tables(workbook, score: Callable[[list[str]], int], min_score: int = 1) -> tuple[list, list[str]]:
    """The sheets holding a table of the kind `score` recognises, each with its header found; and the names of
    the sheets left out. A sheet counts when its header scores close to the best sheet's (same kind of table).
    Only the first rows of each sheet are read here; a table's rows are read when its `rows` are iterated."""
    found, skipped = [], []
    for sheet in workbook.worksheets:
        head = []
        rows = sheet.iter_rows(values_only=True)
        for values in rows:
            head.append(values)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        del rows
        header = find_header(head, score)
        if header is None or header[2] < min_score:
            skipped.append(sheet.title)
            continue
        index, headers, points = header
        table = SheetTable(sheet.title, index + 1, headers, data_rows(rows_below(sheet, index), index + 2))
        table.estimated_rows = max(0, getattr(sheet, "estimated_rows", 0) - index - 1)
        found.append((points, table))
    if not found:
        return [], skipped
    best = max(points for points, _table in found)
    keep = [table for points, table in found if points >= max(min_score, best * 0.6)]
    skipped += [table.name for points, table in found if points < max(min_score, best * 0.6)]
    return keep, skipped


_TRAILING_DIGITS = re.compile(r"\d+$")


def sheet_range(names: list[str]) -> str:
    """ "2024年1月–12月" for sheets named 2024年1月 … 2024年12月; "“数据”" for one sheet."""
    if len(names) == 1:
        return f"工作表“{names[0]}”"
    first, last = names[0], names[-1]
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    prefix = _TRAILING_DIGITS.sub("", first[:common])
    tail = last[len(prefix) :] if prefix and last.startswith(prefix) else last
    return f"{first}–{tail} 共{len(names)}个工作表"


def describe(tables: list[SheetTable]) -> str:
    """What was found, for the preview: "第3行为表头，读取 2024年1月–12月 共12个工作表"."""
    rows = sorted({t.header_row for t in tables})
    where = f"第{rows[0]}行为表头" if len(rows) == 1 else f"表头在第{rows[0]}–{rows[-1]}行"
    return f"{where}，读取 {sheet_range([t.name for t in tables])}"
