"""Excel in the template's layout, as a real 统计表 looks: a title row, 填报单位 and 报告期 under it, the fields
as rows (one report) or as columns (the summary of many), the narrative and the signer at the foot."""

import tempfile
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from anjian.core.exports import XLSX_CONTENT_TYPE, attachment_header, export_filename, safe_cell_value
from anjian.core.tables import as_written

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE = Font(size=16, bold=True)
BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def _number(value):
    if value in (None, ""):
        return ""
    if isinstance(value, int | Decimal):
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return safe_cell_value(value)
    return int(number) if number == number.to_integral_value() and "." not in str(value) else number


def _put(sheet, row, column, value, *, font=None, align=None, box=True):
    cell = sheet.cell(
        row=row,
        column=column,
        value=safe_cell_value(value) if not isinstance(value, int | Decimal) else value,
    )
    if font:
        cell.font = font
    if align:
        cell.alignment = align
    if box:
        cell.border = BOX
    return cell


def _title(sheet, title, width, unit_line):
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _put(sheet, 1, 1, title, font=TITLE, align=CENTRE, box=False)
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    _put(sheet, 2, 1, unit_line, box=False)


def _respond(workbook, name):
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by FileResponse)
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(export_filename(name))
    return response


def report_workbook(report, definitions) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报表"
    _title(
        sheet,
        f"{report.period_label}{report.template.name}",
        4,
        f"填报单位：{report.reporter_name}　　报告期：{report.period_start:%Y-%m-%d}至{report.period_end:%Y-%m-%d}"
        f"　　报送截止日：{report.due_date:%Y-%m-%d}",
    )
    row = 3
    for column, header in enumerate(("栏目", "指标", "计量单位", "数值"), start=1):
        _put(sheet, row, column, header, font=BOLD, align=CENTRE)
    for definition in definitions:
        row += 1
        value = report.values.get(definition["key"])
        numeric = definition["kind"] in ("integer", "decimal")
        _put(sheet, row, 1, definition.get("section", ""))
        _put(sheet, row, 2, definition["label"])
        _put(sheet, row, 3, definition.get("unit", ""), align=CENTRE)
        _put(sheet, row, 4, _number(value) if numeric else (value or ""))
    row += 1
    _put(sheet, row, 1, "工作情况", font=BOLD)
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    _put(sheet, row, 2, report.narrative, align=WRAP)
    sheet.row_dimensions[row].height = max(
        30, 15 * (report.narrative.count("\n") + 1 + len(report.narrative) // 40)
    )
    row += 2
    signed = "（已确认签字）" if report.signer_confirmed else ""
    _put(sheet, row, 1, f"签字人：{report.signer_name}{signed}", box=False)
    _put(sheet, row, 3, f"报送时间：{as_written(report.submitted_at) or '未报送'}", box=False)
    row += 1
    _put(
        sheet, row, 1, f"状态：{report.get_status_display()}{'（迟报）' if report.is_late else ''}", box=False
    )
    for column, width in zip(range(1, 5), (16, 36, 10, 18), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return workbook


def report_response(report, definitions):
    return _respond(
        report_workbook(report, definitions),
        f"{report.reporter_name}{report.period_label}{report.template.name}",
    )


def summary_workbook(summary, receiver_name: str = "") -> Workbook:
    definitions = [d for d in summary.definitions if d["kind"] in ("integer", "decimal")]
    headers = [
        "序号",
        "填报单位",
        "报送情况",
        *[f"{d['label']}（{d['unit']}）" if d.get("unit") else d["label"] for d in definitions],
        "签字人",
        "报送时间",
    ]
    width = len(headers)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "汇总"
    _title(
        sheet,
        f"{summary.period_label}{summary.template.name}汇总表",
        width,
        f"汇总单位：{receiver_name}　　报告期：{summary.period_label}　　"
        + "　".join(f"{k}{v}" for k, v in summary.counts.items()),
    )
    row = 3
    for column, header in enumerate(headers, start=1):
        _put(sheet, row, column, header, font=BOLD, align=CENTRE)
    for index, (report, timeliness) in enumerate(summary.rows, start=1):
        row += 1
        cells = [index, report.reporter_name, timeliness]
        cells += [_number(report.values.get(d["key"])) if report.is_done else "" for d in definitions]
        cells += [report.signer_name if report.is_done else "", as_written(report.submitted_at)]
        for column, value in enumerate(cells, start=1):
            _put(sheet, row, column, value)
    row += 1
    totals = ["", "合计", f"已报送{sum(1 for r, _ in summary.rows if r.is_done)}份"]
    totals += [summary.totals.get(d["key"], "") for d in definitions] + ["", ""]
    for column, value in enumerate(totals, start=1):
        _put(sheet, row, column, value, font=BOLD)
    if summary.narratives:
        row += 2
        _put(sheet, row, 1, "工作情况汇集", font=BOLD, box=False)
        for name, text in summary.narratives:
            row += 1
            _put(sheet, row, 1, name)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=max(width, 2))
            _put(sheet, row, 2, text, align=WRAP)
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 28
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    return workbook


def summary_response(summary, receiver_name=""):
    return _respond(
        summary_workbook(summary, receiver_name), f"{summary.period_label}{summary.template.name}汇总表"
    )
