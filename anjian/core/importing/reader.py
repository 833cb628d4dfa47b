"""Opening a spreadsheet for reading: the sheets, each read row by row, one sheet in memory at a time.

Files are read with calamine (python-calamine), a reader written in Rust: a 100,000-row ledger (1,000,000 cells)
is read in about 1 s, where openpyxl's streaming mode takes 18 s on the same machine. It holds one sheet's cells
at a time and reports merged ranges, which are filled here (a unit merged over its hazards) as Excel shows them.
Values are text, numbers (whole numbers as int), dates and datetimes, and None for an empty cell.
"""

from collections.abc import Iterator

from python_calamine import CalamineWorkbook, SheetTypeEnum


def open_workbook(file):
    """A workbook with `worksheets` (each with `title`, `iter_rows(values_only=True)`, `estimated_rows`) and
    `close()`. Raises on a file that is not a readable spreadsheet."""
    if hasattr(file, "seek"):
        file.seek(0)
    return CalamineBook(CalamineWorkbook.from_filelike(file))


class CalamineBook:
    def __init__(self, workbook):
        self.workbook = workbook
        self.worksheets = [
            CalamineSheet(workbook, meta.name)
            for meta in workbook.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]

    def close(self):
        self.workbook.close()


def _plain(value):
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


class CalamineSheet:
    """One sheet, loaded when its rows are read and released when the reading ends."""

    def __init__(self, workbook, name: str):
        self.workbook = workbook
        self.title = name
        self._estimated = None

    @property
    def estimated_rows(self) -> int:
        if self._estimated is None:
            self._estimated = self.workbook.get_sheet_by_name(self.title).total_height
        return self._estimated

    def iter_rows(self, values_only=True) -> Iterator[tuple]:
        sheet = self.workbook.get_sheet_by_name(self.title)
        self._estimated = sheet.total_height
        _first_row, first_column = sheet.start or (0, 0)
        # Merged ranges in sheet coordinates: top-left value is seen first, then copied to the rest.
        merged = {}
        for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
            for row in range(top, bottom + 1):
                merged.setdefault(row, []).append((top, left, right))
        return self._rows(sheet, first_column, merged)

    @staticmethod
    def _rows(sheet, first_column, merged) -> Iterator[tuple]:
        # calamine yields rows from the sheet's first row, but cells from its first filled column: the columns
        # left of it are put back, so merged ranges and column positions are the sheet's.
        pad = (None,) * first_column
        top_values: dict[tuple[int, int], object] = {}
        for row, raw in enumerate(sheet.iter_rows()):
            values = pad + tuple(_plain(v) for v in raw)
            if row in merged:
                values = list(values)
                for top, left, right in merged[row]:
                    if top == row:
                        top_values[(top, left)] = values[left] if left < len(values) else None
                    value = top_values.get((top, left))
                    for column in range(left, min(right + 1, len(values))):
                        values[column] = value
                values = tuple(values)
            yield values
