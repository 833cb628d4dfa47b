"""Excel export of ledgers (台账), streamed row by row.

Two writers. Small lists are answered in the request with openpyxl's write-only workbook (`write_xlsx`,
`xlsx_response`). Big ones are background jobs (core.export_jobs) written by XlsxWriter in constant-memory mode
(`write_xlsx_streaming`): each row goes to disk as it comes, so a million rows take the memory of one, at
about 1.6 times openpyxl's speed (bench/bench_export.py --writer-only). Rows come from `.iterator()` in chunks.

The same protections apply to every cell, whatever the writer: cells that a spreadsheet would run as a formula
(starting with = + - @, tab or CR) are escaped (OWASP CSV injection), and strings are always written as text,
never as formulas, numbers or links. Characters that XML 1.0 forbids (control characters other than tab and
line breaks) are dropped: one of them in any record would otherwise make the whole export fail.
"""

import datetime
import decimal
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 5000  # rows between two progress reports of a background export

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Text stays text: never turned into a number, a formula or a hyperlink behind the user's back.
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": True,
}


def clean_text(text: str) -> str:
    """The text without the characters a spreadsheet's XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def safe_cell_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    text = clean_text(str(value))
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass
class ExportTable:
    """What a list exports: the sheet's name, its optional title row, the headers and the rows (an iterator)."""

    sheet_title: str
    headers: list[str]
    rows: Iterable[Iterable]
    title: str | None = None

    def write(self, target, progress: Callable[[int], None] | None = None) -> int:
        return write_xlsx_streaming(
            target, self.sheet_title, self.headers, self.rows, title=self.title, progress=progress
        )

    def response(self, filename: str):
        return xlsx_response(filename, self.sheet_title, self.headers, self.rows, title=self.title)


def write_xlsx(
    target, sheet_title: str, headers: list[str], rows: Iterable[Iterable], title: str | None = None
):
    """Write one sheet to `target` (a path or a binary file object) with openpyxl: the direct exports of small
    lists. Every value is written exactly as safe_cell_value gives it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_name(sheet_title))
    for index, header in enumerate(headers):
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(10, min(40, len(header) * 2 + 4))
    if title:
        cell = WriteOnlyCell(sheet, value=clean_text(title))
        cell.font = Font(bold=True, size=14)
        sheet.append([cell])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=clean_text(header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell_value(v) for v in row])
    workbook.save(target)


def write_xlsx_streaming(
    target,
    sheet_title: str,
    headers: list[str],
    rows: Iterable[Iterable],
    title: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one sheet of any length to `target` (a path or a binary file object) with XlsxWriter in constant
    memory: the background exports. Returns the number of data rows; `progress(rows_done)` is called every
    PROGRESS_EVERY rows and at the end.

    Values are safe_cell_value's, except that a carriage return becomes a line feed: a cell's line break is
    LF in Excel, and XlsxWriter would write a CR as the escape _x000D_, which Excel and WPS decode but openpyxl
    (our own importer) reads as text."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(_sheet_name(sheet_title))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for index, header in enumerate(headers):
        sheet.set_column(index, index, max(10, min(40, len(header) * 2 + 4)))
    line = 0
    if title:
        title_format = workbook.add_format({"bold": True, "font_size": 14})
        if clean_text(title):
            sheet.write_string(line, 0, clean_text(title), title_format)
        else:  # nothing left to show, but the row stays where readers expect the title
            sheet.write_blank(line, 0, None, title_format)
        line += 1
    header_format = workbook.add_format({"bold": True, "align": "center"})
    for index, header in enumerate(headers):
        sheet.write_string(line, index, clean_text(header), header_format)
    line += 1

    # Bound methods looked up once: this loop runs for every cell of a million-row export.
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    done = 0
    illegal, formula = ILLEGAL_CHARACTERS_RE.sub, FORMULA_PREFIXES
    blank = workbook.add_format()
    for row in rows:
        empty = True
        for column, raw in enumerate(row):
            if type(raw) is str:  # most cells: safe_cell_value inlined
                text = illegal("", raw)
                if text:  # an empty string is an empty cell
                    if text.startswith(formula):
                        text = "'" + text
                    if "\r" in text:
                        text = text.replace("\r\n", "\n").replace("\r", "\n")
                    write_string(line, column, text)
                    empty = False
                continue
            value = safe_cell_value(raw)
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                write_string(line, column, value.replace("\r\n", "\n").replace("\r", "\n"))
            elif kind is datetime.datetime:
                write_datetime(line, column, value, time_format)
            elif kind is datetime.date:
                write_datetime(line, column, value, date_format)
            elif isinstance(value, decimal.Decimal):
                write_number(line, column, float(value))
            elif isinstance(value, int | float):
                write_number(line, column, value)
            else:  # a subclass of date or datetime
                write_datetime(line, column, value, time_format)
            empty = False
        if empty:  # an all-empty row is still a row: without a cell a last one would be lost
            sheet.write_blank(line, 0, None, blank)
        line += 1
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    workbook.close()
    if progress is not None:
        progress(done)
    return done


def _sheet_name(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , not empty.
    name = clean_text(title).translate({ord(c): "_" for c in "[]:*?/\\"}).strip("'")[:31]
    return name or "Sheet1"


def export_filename(name: str, when: datetime.datetime | None = None) -> str:
    stamp = timezone.localtime(when).strftime("%Y%m%d-%H%M")
    return f"{name}-{stamp}.xlsx"


def attachment_header(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


def xlsx_response(filename: str, sheet_title: str, headers: list[str], rows: Iterable[Iterable], title=None):
    """Write to a temporary file (constant memory) and stream it back. For small exports only: a big one is a
    background job (core.export_jobs)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by FileResponse)
    write_xlsx(handle, sheet_title, headers, rows, title=title)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(export_filename(filename))
    return response
