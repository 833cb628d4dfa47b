"""Excel import of existing ledgers: template, preview with row-level errors, all-or-nothing commit.

An `Importer` maps spreadsheet headers to the fields of a model form; every row is validated by that same
form (one set of rules for the page, the API and the import). Rows are matched to existing records by a
key (e.g. the credit code), so importing the same file twice changes nothing the second time.

Apps register importers with `register(MyImporter)`; the generic pages in core.views.imports serve them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

MAX_ROWS = 50_000
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImportColumn:
    header: str
    field: str
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()  # shown as a drop-down in the template
    parse: Callable | None = None  # text -> form value; raise ValidationError with a Chinese message


@dataclass
class RowResult:
    number: int  # spreadsheet row number, as the user sees it
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, reason)
    existing_pk: int | None = None


@dataclass
class ParseResult:
    rows: list[RowResult]
    file_errors: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors) + len(self.file_errors)

    @property
    def errors(self) -> list[tuple[int | None, str, str]]:
        out = [(None, "", e) for e in self.file_errors]
        for row in self.rows:
            out.extend((row.number, column, reason) for column, reason in row.errors)
        return out


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

    def __init__(self, user):
        self.user = user

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
        notes.append(["列名", "是否必填", "说明", "可选值"])
        for column in self.columns:
            notes.append(
                [column.header, "是" if column.required else "否", column.help, "、".join(column.choices)]
            )
        notes.append([])
        notes.append(["第2行为示例，导入前请删除或覆盖。表头带*的列必须填写。"])
        return workbook

    # --- parsing --------------------------------------------------------------------------------------
    def read_rows(self, file) -> tuple[list[tuple[int, dict]], list[str], list[str]]:
        """(rows, errors that block the import, warnings)."""
        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
        except Exception:
            return [], ["无法读取文件：请上传 Excel 2007 及以上格式（.xlsx）的文件。"], []
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if not header_row:
            return [], ["文件为空：第1行应为表头。"], []
        headers = [str(h).strip().rstrip("*") if h is not None else "" for h in header_row]
        known = {c.header for c in self.columns}
        missing = [c.header for c in self.columns if c.required and c.header not in headers]
        if missing:
            return [], [f"缺少必填列：{'、'.join(missing)}。请使用下载的导入模板。"], []
        unknown = [h for h in headers if h and h not in known]
        warnings = [f"无法识别的列：{'、'.join(unknown)}（已忽略）。"] if unknown else []
        out = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            if len(out) >= MAX_ROWS:
                return out, [f"单个文件最多导入 {MAX_ROWS} 行，请拆分后再导入。"], warnings
            out.append((number, {h: v for h, v in zip(headers, values, strict=False) if h in known}))
        workbook.close()
        return out, [], warnings

    def parse(self, file, progress: Callable | None = None) -> ParseResult:
        raw_rows, file_errors, warnings = self.read_rows(file)
        results: list[RowResult] = []
        seen_keys: dict[str, int] = {}
        key_header = next((c.header for c in self.columns if c.field == self.key_field), "")
        for index, (number, values) in enumerate(raw_rows):
            row = self.validate_row(number, values)
            key = row.values.get(self.key_field) if self.key_field else None
            if key:
                if key in seen_keys:
                    row.errors.append((key_header, f"与第{seen_keys[key]}行重复。"))
                else:
                    seen_keys[key] = number
            results.append(row)
            if progress and index % 200 == 0:
                progress(index, len(raw_rows))
        if not raw_rows and not file_errors:
            file_errors.append("文件中没有数据行。")
        return ParseResult(rows=results, file_errors=file_errors, warnings=warnings)

    def validate_row(self, number: int, values: dict) -> RowResult:
        data, errors = {}, []
        for column in self.columns:
            raw = values.get(column.header)
            text = (
                ""
                if raw is None
                else (raw.strftime("%Y-%m-%d") if hasattr(raw, "strftime") else str(raw)).strip()
            )
            if isinstance(raw, float) and raw.is_integer():
                text = str(int(raw))
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
    def commit(self, file) -> dict:
        """Re-validate and save every row in one transaction; any error saves nothing."""
        result = self.parse(file)
        if result.error_count:
            return {"created": 0, "updated": 0, "unchanged": 0, "errors": result.error_count}
        counts = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0}
        with transaction.atomic():
            for row in result.rows:
                existing = self.find_existing(row.values)
                form = self.make_form(row.values, existing)
                if not form.is_valid():  # changed since the preview
                    transaction.set_rollback(True)
                    return {**counts, "errors": 1, "created": 0, "updated": 0}
                if existing is not None and not form.has_changed():
                    counts["unchanged"] += 1
                    continue
                obj = self.save_row(form)
                self.after_save(obj)
                counts["created" if existing is None else "updated"] += 1
        return counts

    def save_row(self, form):
        return form.save()

    def after_save(self, obj):
        from .scope import ensure_in_scope

        ensure_in_scope(self.user, obj)


_registry: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _registry[importer.key] = importer
    return importer


def get_importer(key: str) -> type[Importer] | None:
    return _registry.get(key)
