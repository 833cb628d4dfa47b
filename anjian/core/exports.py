"""Excel export of ledgers (台账), streamed row by row.

openpyxl's write-only workbook keeps constant memory; rows come from `.iterator()` in chunks. Cells that a
spreadsheet would run as a formula (starting with = + - @, tab or CR) are escaped (OWASP CSV injection).
Characters that XML 1.0 forbids (control characters other than tab and line breaks) are dropped: one of them
in any record would otherwise make the whole export fail.
"""

import datetime
import decimal
import tempfile
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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


def write_xlsx(
    path, sheet_title: str, headers: list[str], rows: Iterable[Iterable], title: str | None = None
):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(clean_text(sheet_title)[:31])
    for index, header in enumerate(headers):
        sheet.column_dimensions[_column_letter(index)].width = max(10, min(40, len(header) * 2 + 4))
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
    workbook.save(path)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_response(filename: str, sheet_title: str, headers: list[str], rows: Iterable[Iterable], title=None):
    """Write to a temporary file (constant memory) and stream it back."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by FileResponse)
    write_xlsx(handle, sheet_title, headers, rows, title=title)
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response = FileResponse(
        handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
