"""The rows a preview checked, kept for the commit so the file is neither read nor checked a second time.

A checked-rows file holds the valid new rows of a batch in the importer's compact form (a tuple of plain values
per row), one JSON line per chunk of rows. It is written by the server and read back by the server; JSON, not
pickle, so a file on shared storage can never run code. Dates are written as ISO text and read back as dates for
the positions the importer names.
"""

import datetime
import json
from collections.abc import Iterator
from typing import IO

CHUNK_ROWS = 2_000


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot keep {type(value).__name__} in a checked-rows file")


class CheckedRowsWriter:
    """Appends compact rows to a binary file, a JSON line per `CHUNK_ROWS` rows."""

    def __init__(self, out: IO[bytes]):
        self.out = out
        self.pending: list[tuple] = []
        self.rows = 0

    def add(self, row: tuple) -> None:
        self.pending.append(row)
        self.rows += 1
        if len(self.pending) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.out.write(json.dumps(self.pending, ensure_ascii=False, default=_plain).encode() + b"\n")
            self.pending = []

    def close(self) -> None:
        self.flush()
        self.out.flush()


def read_checked_rows(source: IO[bytes], date_positions: tuple[int, ...] = ()) -> Iterator[list[list]]:
    """The rows of a checked-rows file, chunk by chunk; the values at `date_positions` back as dates."""
    fromisoformat = datetime.date.fromisoformat
    for line in source:
        if not line.strip():
            continue
        rows = json.loads(line)
        if date_positions:
            for row in rows:
                for index in date_positions:
                    if row[index] is not None:
                        row[index] = fromisoformat(row[index])
        yield rows
