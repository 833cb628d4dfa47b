"""The importer: columns, header matching, row validation, all-or-nothing commit.

An `Importer` maps spreadsheet headers to the fields of a form; every row is validated by that same form (one
set of rules for the page, the API and the import). Rows are matched to existing records by a key (e.g. the
credit code), so importing the same file twice changes nothing the second time.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from . import reader, table
from .checked import CheckedRowsWriter
from .values import normalise_header

# A 100,000-row ledger is about 5 MB; the file limit, not the row limit, is what bounds the work.
MAX_ROWS = 200_000
MAX_FILE_BYTES = 20 * 1024 * 1024
IGNORE = ""  # the target of a header the user chose to ignore
# Rows are validated in chunks: what a chunk needs (units, existing records) is looked up in one query each.
CHUNK_ROWS = 2_000
# A parse result keeps every row of a small file; of a large one, the first rows (the preview), the rows with
# errors and the first rows with notes. Counts are kept for all.
KEEP_ROWS = 2_000
KEEP_NOTES = 200


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def key_digest(key) -> bytes:
    """What the duplicate check remembers of a row's key: 8 bytes instead of the key (a description can be long).
    Two different keys share a digest with a chance of about 1 in 10^9 for 100,000 rows."""
    return hashlib.blake2b(repr(key).encode(), digest_size=8).digest()


@dataclass(frozen=True)
class ImportColumn:
    header: str
    field: str
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()  # shown as a drop-down in the template
    parse: Callable | None = None  # text -> form value; raise ValidationError with a Chinese message
    synonyms: tuple[str, ...] = ()  # other headers offices write for this column (matched normalised)


@dataclass
class RowResult:
    number: int  # spreadsheet row number, as the user sees it
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, reason)
    existing_pk: int | None = None
    sheet: str = ""
    notes: list[str] = field(default_factory=list)  # accepted, but worth telling (e.g. 待补充判定依据)


@dataclass
class ParseResult:
    rows: list[RowResult]  # every row of a small file; of a large one, see KEEP_ROWS
    file_errors: list[str]
    total: int = 0  # rows read
    new: int = 0  # valid rows that would create a record
    existing: int = 0  # valid rows that match a record already stored
    warnings: list[str] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)  # headers waiting for the user's mapping
    samples: dict[str, str] = field(default_factory=dict)  # an example value of each unknown header
    open_fields: list[tuple[str, str]] = field(default_factory=list)  # (field, header) not found in the file
    table_note: str = ""  # "第3行为表头，读取 2024年1月–12月 共12个工作表"
    sheets: list[str] = field(default_factory=list)
    confirmations: list[dict] = field(default_factory=list)  # close matches shown for confirmation
    kept_notes: int = 0

    @property
    def needs_mapping(self) -> bool:
        return bool(self.unknown_headers)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors) + len(self.file_errors)

    def add(self, row: RowResult) -> None:
        self.total += 1
        if not row.errors:
            if row.existing_pk:
                self.existing += 1
            else:
                self.new += 1
        noted = bool(row.notes) and self.kept_notes < KEEP_NOTES
        if self.total <= KEEP_ROWS or row.errors or noted:
            self.rows.append(row)
            self.kept_notes += bool(row.notes)

    def column_label(self, row: RowResult, column: str) -> str:
        return f"{row.sheet}·{column}" if len(self.sheets) > 1 and row.sheet else column

    @property
    def errors(self) -> list[tuple[int | None, str, str]]:
        out = [(None, "", e) for e in self.file_errors]
        for row in self.rows:
            out.extend((row.number, self.column_label(row, column), reason) for column, reason in row.errors)
        return out


@dataclass
class TableRead:
    # (sheet, row number, {column header: cell value}), read lazily
    rows: Iterator[tuple[str, int, dict]] | list
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)
    open_fields: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    sheets: list[str] = field(default_factory=list)
    written: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # sheet → {column header: as in the file}
    estimated_rows: int = 0  # for progress, before the rows are read


def cell_text(raw) -> str:
    if raw is None:
        return ""
    if hasattr(raw, "strftime"):
        if getattr(raw, "hour", 0) or getattr(raw, "minute", 0):
            return raw.strftime("%Y-%m-%d %H:%M:%S")
        return raw.strftime("%Y-%m-%d")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


class Importer:
    do_not_call_in_templates = True  # templates receive the class itself
    key = ""
    title = ""
    permission = ""
    form_class = None
    model = None
    columns: list[ImportColumn] = []
    key_field = ""  # form field used to match existing records and detect duplicates in the file
    list_url = ""
    # An importer that can commit the rows its preview checked (commit_checked) keeps them while parsing.
    keeps_checked_rows = False

    def __init__(self, user):
        self.user = user
        self._header_map = None

    # --- template -------------------------------------------------------------------------------------
    def template_workbook(self) -> Workbook:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "数据"
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header + ("*" if column.required else ""))
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="C00000" if column.required else "305496")
            sheet.cell(row=2, column=index, value=column.example)
            sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 6)
            if column.choices:
                validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
                validation.add(f"{cell.column_letter}2:{cell.column_letter}{MAX_ROWS}")
                sheet.add_data_validation(validation)
        notes = workbook.create_sheet("填写说明")
        notes.append(["列名", "是否必填", "说明", "可选值", "也可写作"])
        for column in self.columns:
            notes.append(
                [
                    column.header,
                    "是" if column.required else "否",
                    column.help,
                    "、".join(column.choices),
                    "、".join(column.synonyms),
                ]
            )
        notes.append([])
        notes.append(["第2行为示例，导入前请删除或覆盖。表头带*的列必须填写。"])
        return workbook

    # --- headers --------------------------------------------------------------------------------------
    @property
    def organisation_id(self):
        return getattr(self.user, "organisation_id", None)

    def header_map(self) -> dict[str, str]:
        """Normalised header → field ("" = ignore): the importer's own words, the synonyms an administrator
        added, then the answers this organisation gave before (which win)."""
        if self._header_map is not None:
            return self._header_map
        from django.db.models import Q

        from ..models import ImportColumnSynonym, ImportMapping

        known: dict[str, str] = {}
        for column in self.columns:
            known.setdefault(normalise_header(column.header), column.field)
        for column in self.columns:
            for word in column.synonyms:
                known.setdefault(normalise_header(word), column.field)
        fields = {c.field for c in self.columns}
        added = ImportColumnSynonym.objects.filter(Q(importer=self.key) | Q(importer="")).order_by(
            "-importer"
        )
        for field_name, synonym in added.values_list("field", "synonym"):
            if field_name in fields:
                known.setdefault(normalise_header(synonym), field_name)
        for header in table.ROW_NUMBER_HEADERS:
            known.setdefault(header, IGNORE)
        remembered = ImportMapping.objects.filter(
            organisation_id=self.organisation_id, importer=self.key, kind=ImportMapping.Kind.COLUMN
        )
        for source, target in remembered.values_list("source", "target"):
            if target == IGNORE or target in fields:
                known[source] = target
        self._header_map = known
        return known

    def score_headers(self, headers: list[str]) -> int:
        """How many distinct fields a row of headers names: the header row is the row that names most."""
        known = self.header_map()
        return len({known[h] for h in map(normalise_header, headers) if known.get(h)})

    def field_options(self) -> list[tuple[str, str]]:
        return [(c.field, c.header) for c in self.columns]

    # --- reading --------------------------------------------------------------------------------------
    def open_workbook(self, file):
        return reader.open_workbook(file)

    def read_table(self, file) -> TableRead:
        """Find the tables and match their headers; the rows are read when `read.rows` is iterated, one sheet in
        memory at a time (a row limit reached appends to `read.file_errors` and ends the rows)."""
        try:
            workbook = self.open_workbook(file)
        except Exception:
            return TableRead([], ["无法读取文件：请上传 Excel 2007 及以上格式（.xlsx）的文件。"])
        try:
            tables, skipped = table.locate_tables(workbook, self.score_headers)
        except Exception:
            workbook.close()
            return TableRead([], ["无法读取文件：请上传 Excel 2007 及以上格式（.xlsx）的文件。"])
        if not tables:
            workbook.close()
            required = "、".join(c.header for c in self.columns if c.required)
            return TableRead(
                [],
                [f"没有找到表头（缺少必填列：{required}）：前{table.HEADER_SCAN_ROWS}行中没有可识别的列名。"],
            )
        read = TableRead([], note=table.describe(tables), sheets=[t.name for t in tables])
        read.estimated_rows = sum(t.estimated_rows for t in tables)
        if skipped:
            read.warnings.append(f"未读取的工作表（不是同类表格）：{'、'.join(skipped)}。")
        layouts, found_fields, unknown = self.match_headers(tables, read)
        read.unknown_headers = list(unknown.values())
        read.open_fields = [(c.field, c.header) for c in self.columns if c.field not in found_fields]
        missing = [c.header for c in self.columns if c.required and c.field not in found_fields]
        if read.unknown_headers:
            read.samples = self.sample_values(tables[0], set(read.unknown_headers))
            workbook.close()
            return read  # the user maps them first; rows are read after
        if missing:
            workbook.close()
            read.file_errors.append(f"缺少必填列：{'、'.join(missing)}。请在文件中补充，或下载导入模板对照。")
            return read
        read.rows = self.picked_rows(workbook, tables, layouts, read)
        return read

    def picked_rows(self, workbook, tables, layouts, read: TableRead) -> Iterator[tuple[str, int, dict]]:
        by_field = {c.field: c for c in self.columns}
        count = 0
        try:
            for sheet, layout in zip(tables, layouts, strict=True):
                columns = [(index, by_field[name].header) for index, name in layout.items()]
                for number, values in sheet.rows:
                    width = len(values)
                    picked = {
                        header: values[index]
                        for index, header in columns
                        if index < width and values[index] not in (None, "")
                    }
                    if not picked:
                        continue  # only a 序号 or an ignored column filled in
                    if count >= MAX_ROWS:
                        read.file_errors.append(f"单个文件最多导入 {MAX_ROWS} 行，请拆分后再导入。")
                        return
                    count += 1
                    yield sheet.name, number, picked
        finally:
            workbook.close()

    def match_headers(self, tables, read: TableRead) -> tuple[list[dict[int, str]], set[str], dict[str, str]]:
        """Per sheet {column index: field}; the fields found; the headers nobody has named yet (normalised →
        as written). Records each matched header as written, for the messages."""
        known = self.header_map()
        by_field = {c.field: c for c in self.columns}
        layouts, found_fields, unknown = [], set(), {}
        for sheet in tables:
            layout = {}
            for index, header in enumerate(sheet.headers):
                key = normalise_header(header)
                if not key:
                    continue
                if key not in known:
                    unknown.setdefault(key, header)
                    continue
                target = known[key]
                if target and target not in layout.values():
                    layout[index] = target
                    found_fields.add(target)
                    label = (
                        header.strip().rstrip("*＊").strip()
                    )  # the "required" mark is not part of the name
                    read.written.setdefault(sheet.name, {})[by_field[target].header] = label
            layouts.append(layout)
        return layouts, found_fields, unknown

    @staticmethod
    def sample_values(sheet, headers: set[str], rows: int = 5) -> dict[str, str]:
        """The first value under each of `headers` in the first rows, to help the user say what a column is."""
        samples: dict[str, str] = {}
        for _index, (_number, values) in zip(range(rows), sheet.rows, strict=False):
            for header, value in zip(sheet.headers, values, strict=False):
                if header in headers and header not in samples and cell_text(value):
                    samples[header] = cell_text(value)[:40]
        return samples

    # --- parsing --------------------------------------------------------------------------------------
    def prefetch(self, rows: list[dict]) -> None:
        """Load in a few queries what validating a chunk of rows needs (units, existing keys). Optional."""

    def parse(self, file, progress: Callable | None = None, keep: IO[bytes] | None = None) -> ParseResult:
        """Read and validate every row; nothing is saved. Memory holds one chunk of rows, the duplicate index
        and the rows worth showing (ParseResult.add). With `keep`, an importer that `keeps_checked_rows` writes
        its valid new rows there (checked.CheckedRowsWriter) while the file has no error, for commit_checked."""
        read = self.read_table(file)
        result = ParseResult(
            rows=[],
            file_errors=read.file_errors,
            warnings=read.warnings,
            unknown_headers=read.unknown_headers,
            samples=read.samples,
            open_fields=read.open_fields,
            table_note=read.note,
            sheets=read.sheets,
        )
        if read.unknown_headers or read.file_errors:
            return result
        writer = CheckedRowsWriter(keep) if keep is not None and self.keeps_checked_rows else None
        for row in self.validated_rows(read, progress):
            result.add(row)
            if writer is None:
                continue
            if row.errors:
                writer = None  # the batch cannot be committed: nothing more worth keeping
            elif not row.existing_pk:
                writer.add(self.checked_row(row))
        if writer is not None:
            writer.close()
        if not result.total and not result.file_errors:
            result.file_errors.append("文件中没有数据行。")
        result.confirmations = self.confirmations()
        return result

    def validated_rows(self, read: TableRead, progress: Callable | None = None) -> Iterator[RowResult]:
        """Every row validated, chunk by chunk (one `prefetch` per chunk), duplicates in the file refused with
        the row that came first. `progress(done, total)` after each chunk (total estimated from the sheets)."""
        seen_keys: dict[bytes, tuple[int, int]] = {}
        sheet_index = {name: index for index, name in enumerate(read.sheets)}
        key_header = next((c.header for c in self.columns if c.field == self.key_field), "")
        key_header = (
            read.written.get(read.sheets[0], {}).get(key_header, key_header) if read.sheets else key_header
        )
        multi = len(read.sheets) > 1
        done = 0
        for chunk in chunked(read.rows, CHUNK_ROWS):
            self.prefetch([values for _sheet, _number, values in chunk])
            for sheet, number, values in chunk:
                row = self.validate_row(number, values)
                row.sheet = sheet
                written = read.written.get(sheet, {})
                row.errors = [(written.get(column, column), reason) for column, reason in row.errors]
                key = self.row_key(row)
                if key:
                    digest = key_digest(key)
                    if digest in seen_keys:
                        first_sheet, first_number = seen_keys[digest]
                        first_name = read.sheets[first_sheet]
                        where = f"{first_name}第{first_number}行" if multi else f"第{first_number}行"
                        row.errors.append((key_header or "整行", f"与{where}重复。"))
                    else:
                        seen_keys[digest] = (sheet_index.get(sheet, 0), number)
                yield row
            done += len(chunk)
            if progress:
                progress(done, max(done, read.estimated_rows))

    def row_key(self, row: RowResult):
        """What makes two rows of one file the same record (duplicates are refused)."""
        return row.values.get(self.key_field) if self.key_field else None

    def confirmations(self) -> list[dict]:
        """Close matches the user may confirm in the preview ({source, target, label}); see registry."""
        return []

    def validate_row(self, number: int, values: dict) -> RowResult:
        data, errors = {}, []
        for column in self.columns:
            text = cell_text(values.get(column.header))
            if not text:
                if column.required:
                    errors.append((column.header, "必填项不能为空。"))
                continue
            try:
                data[column.field] = column.parse(text) if column.parse else text
            except ValidationError as exc:
                errors.append((column.header, "；".join(exc.messages)))
        existing = self.find_existing(data)
        row = RowResult(
            number=number, values=data, errors=errors, existing_pk=existing.pk if existing else None
        )
        if not errors:
            form = self.make_form(data, existing)
            if not form.is_valid():
                headers = {c.field: c.header for c in self.columns}
                for name, messages in form.errors.items():
                    for message in messages:
                        row.errors.append((headers.get(name, "整行" if name == "__all__" else name), message))
        return row

    def find_existing(self, data: dict):
        if not self.key_field or not data.get(self.key_field):
            return None
        return self.model._default_manager.filter(**{self.key_field: data[self.key_field]}).first()

    def make_form(self, data: dict, existing):
        initial = self.form_initial(existing)
        return self.form_class(data={**initial, **data}, instance=existing, user=self.user)

    def form_initial(self, existing) -> dict:
        """Values of fields not in the spreadsheet, so an update keeps what the file does not mention."""
        if existing is None:
            return {}
        from django.forms.models import model_to_dict

        return {k: v for k, v in model_to_dict(existing).items() if v is not None}

    # --- commit ---------------------------------------------------------------------------------------
    def commit(self, file, progress: Callable | None = None) -> dict:
        """Re-read, re-validate and save every row in one transaction; any error saves nothing (the rows saved
        before it are rolled back). The rules are checked again because data may have changed since the
        preview. Importers of large ledgers override this with a bulk insert (hazards.importers)."""
        read = self.read_table(file)
        if read.unknown_headers or read.file_errors:
            return {"created": 0, "updated": 0, "unchanged": 0, "errors": max(1, len(read.file_errors))}
        counts = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0}
        with transaction.atomic():
            for row in self.validated_rows(read, progress):
                if row.errors or counts["errors"]:
                    counts["errors"] += bool(row.errors)
                    continue  # keep counting errors; nothing will be kept
                existing = self.find_existing(row.values)
                if existing is not None and self.skip_existing(existing):
                    counts["unchanged"] += 1
                    continue
                form = self.make_form(row.values, existing)
                if not form.is_valid():  # changed since the preview
                    counts["errors"] += 1
                    continue
                if existing is not None and not form.has_changed():
                    counts["unchanged"] += 1
                    continue
                obj = self.save_row(form)
                self.after_save(obj)
                counts["created" if existing is None else "updated"] += 1
            errors = counts["errors"] + len(read.file_errors)
            if errors or not any(counts.values()):
                transaction.set_rollback(True)
                return {"created": 0, "updated": 0, "unchanged": 0, "errors": max(1, errors)}
        return counts

    def checked_row(self, row: RowResult) -> tuple:
        """A valid new row in the compact form commit_checked reads back (importers that keep checked rows)."""
        raise NotImplementedError

    def commit_checked(self, source: IO[bytes], progress: Callable | None = None) -> dict:
        """Save the rows a preview checked (written by `parse(keep=...)`), checking again in bulk only what may
        have changed since (records added meanwhile, units and permissions). Counts as `commit`."""
        raise NotImplementedError

    def skip_existing(self, existing) -> bool:
        """True for ledgers of events (hazards, accidents): a record already imported is left as it is."""
        return False

    def save_row(self, form):
        return form.save()

    def after_save(self, obj):
        from ..scope import ensure_in_scope

        ensure_in_scope(self.user, obj)


_registry: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _registry[importer.key] = importer
    return importer


def get_importer(key: str) -> type[Importer] | None:
    return _registry.get(key)


def registered() -> list[type[Importer]]:
    return list(_registry.values())
