"""Excel import of existing ledgers, as offices keep them: find the table (title rows, two-row headers, one sheet
per month, footers), understand their words (synonyms, remembered mappings), read values as people write them,
preview with row-level errors, all-or-nothing commit.

Apps register importers with `register(MyImporter)`; the generic pages in core.views.imports and the API in
core.api.imports serve them all.
"""

from .base import (
    CHUNK_ROWS,
    IGNORE,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportColumn,
    Importer,
    ParseResult,
    RowResult,
    get_importer,
    register,
    registered,
)
from .batches import remember_columns, remember_units, remembered_units, store_parse_result
from .values import normalise_header, normalise_text, parse_date, parse_datetime

__all__ = [
    "CHUNK_ROWS",
    "IGNORE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportColumn",
    "Importer",
    "ParseResult",
    "RowResult",
    "get_importer",
    "normalise_header",
    "normalise_text",
    "parse_date",
    "parse_datetime",
    "register",
    "registered",
    "remember_columns",
    "remember_units",
    "remembered_units",
    "store_parse_result",
]
