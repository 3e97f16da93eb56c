"""Writing lists: the blank template (XLSX) and exports (XLSX, CSV) that import
back unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from tinnhiem.spreadsheets.issues import column_letter
from tinnhiem.spreadsheets.preview import Value
from tinnhiem.spreadsheets.schema import Field, Kind, Schema
from tinnhiem.spreadsheets.values import format_date

DATE_FORMAT = "DD/MM/YYYY"
TEMPLATE_ROWS = 1000  # rows given validation and date format in the template
_INJECTION = ("=", "+", "-", "@")
_WIDTH = {Kind.NAME: 26, Kind.TEXT: 30, Kind.DATE: 14, Kind.BOOL: 14}


def _cell_text(f: Field, value: Value) -> str:
    if value is None:
        return ""
    if f.kind is Kind.BOOL:
        return "x" if value is True else ""
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _header_fill() -> Any:
    from openpyxl.styles import PatternFill  # type: ignore[import-untyped]

    return PatternFill("solid", fgColor="DDEBF7")


def _new_workbook(write_only: bool = False) -> Any:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    return Workbook(write_only=write_only)


def _to_bytes(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_xlsx(schema: Schema) -> bytes:
    """A blank list: one header row with a note on each column, an example row
    with an invented person (refused if left in), date formats and data
    validation on the first rows, and a sheet of instructions."""
    from openpyxl.comments import Comment  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    fields = schema.exported
    wb = _new_workbook()
    ws = wb.active
    ws.title = schema.title_vi
    header = ["STT", *(f.label_vi + (" (*)" if f.required else "") for f in fields)]
    ws.append(header)
    bold = Font(bold=True)
    fill = _header_fill()
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, cell in enumerate(ws[1]):
        cell.font = bold
        cell.fill = fill
        cell.alignment = wrap
        if i > 0:
            f = fields[i - 1]
            note = "Bắt buộc. " if f.required and not f.note_vi.startswith("Bắt buộc") else ""
            comment = Comment(note + f.note_vi, "Tín Nhiệm")
            comment.width = 300
            comment.height = 110
            cell.comment = comment
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 6
    example: list[Any] = [1]
    for f in fields:
        if f.kind is Kind.BOOL:
            example.append("x" if f.example is True else "")
        else:
            example.append(f.example if f.example is not None else "")
    ws.append(example)
    last = TEMPLATE_ROWS + 1
    for i, f in enumerate(fields, start=1):
        letter = column_letter(i)
        ws.column_dimensions[letter].width = _WIDTH[f.kind]
        rng = f"{letter}2:{letter}{last}"
        if f.kind is Kind.DATE:
            for r in range(2, last + 1):
                ws.cell(row=r, column=i + 1).number_format = DATE_FORMAT
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1900,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                errorStyle="warning",
                errorTitle="Ngày không hợp lệ",
                error="Ghi ngày/tháng/năm, ví dụ 15/03/2021.",
                promptTitle=f.label_vi,
                prompt="Ngày/tháng/năm, ví dụ 15/03/2021.",
            )
        elif f.kind is Kind.BOOL:
            dv = DataValidation(
                type="list",
                formula1='"x,có,không"',
                allow_blank=True,
                errorStyle="warning",
                errorTitle="Có/không",
                error="Ghi “x” nếu có; để trống nếu không.",
                promptTitle=f.label_vi,
                prompt="Ghi “x” nếu có; để trống nếu không.",
            )
        elif f.max_length is not None:
            dv = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(f.max_length),
                allow_blank=not f.required,
                errorStyle="stop",
                errorTitle="Quá dài",
                error=f"Tối đa {f.max_length} ký tự.",
                promptTitle=f.label_vi,
                prompt=f.note_vi[:255],
            )
        else:
            continue
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.add(rng)
        ws.add_data_validation(dv)

    guide = wb.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Tên cột cũng được chấp nhận"])
    for cell in guide[1]:
        cell.font = bold
        cell.fill = fill
    for f in fields:
        guide.append([f.label_vi, "có" if f.required else "", f.note_vi, ", ".join(f.aliases[:6])])
    guide.append([])
    for line in (
        "Mỗi người một dòng, bắt đầu ngay dưới dòng tiêu đề; xoá dòng ví dụ"
        f" “{example[1]}” trước khi tải lên.",
        "Không gộp ô (Merge) trong vùng dữ liệu, không dùng công thức: chỉ ghi giá trị.",
        "Ngày ghi theo ngày/tháng/năm (15/03/2021) hoặc để Excel định dạng ô là Ngày.",
        "Cột có/không: ghi “x” hoặc “có” nếu có; để trống nếu không.",
        "Có thể thêm cột “Ngày sinh” để phân biệt những người trùng họ tên (không được lưu).",
        "Tên cột có thể viết khác đôi chút (hoa/thường, có/không dấu); thứ tự cột tùy ý.",
        "Nếu lưu dạng CSV: chọn “CSV UTF-8 (Comma delimited)”.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 60
    return _to_bytes(wb)


def export_xlsx(
    schema: Schema, rows: Iterable[Mapping[str, Value]], *, title: str | None = None
) -> bytes:
    """The rows as a list that imports back unchanged (STT first; yes = ``x``;
    dates as Excel dates shown dd/mm/yyyy; text that starts like a formula
    stays text)."""
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font

    fields = schema.exported
    wb = _new_workbook(write_only=True)
    ws = wb.create_sheet((title or schema.title_vi)[:31])
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 6
    for i, f in enumerate(fields, start=1):
        ws.column_dimensions[column_letter(i)].width = _WIDTH[f.kind]
    bold = Font(bold=True)
    fill = _header_fill()
    head = []
    for text in ["STT", *(f.label_vi for f in fields)]:
        c = WriteOnlyCell(ws, value=text)
        c.font = bold
        c.fill = fill
        head.append(c)
    ws.append(head)
    for n, values in enumerate(rows, start=1):
        line: list[Any] = [n]
        for f in fields:
            value = values.get(f.key)
            if f.kind is Kind.BOOL:
                line.append("x" if value is True else None)
            elif isinstance(value, date):
                c = WriteOnlyCell(ws, value=value)
                c.number_format = DATE_FORMAT
                line.append(c)
            elif isinstance(value, str) and value:
                c = WriteOnlyCell(ws, value=value)
                c.data_type = "s"  # never a formula, whatever it starts with
                line.append(c)
            else:
                line.append(None)
        ws.append(line)
    return _to_bytes(wb)


def export_csv(schema: Schema, rows: Iterable[Mapping[str, Value]]) -> bytes:
    """The rows as UTF-8 CSV with a BOM (so that Excel shows the diacritics),
    comma separated, CRLF line ends, dates dd/mm/yyyy. A value that a
    spreadsheet would take for a formula gets a leading ``'``, which the
    importer removes."""
    fields = schema.exported
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", *(f.label_vi for f in fields)])
    for n, values in enumerate(rows, start=1):
        line = [str(n)]
        for f in fields:
            text = _cell_text(f, values.get(f.key))
            if text.startswith(_INJECTION):
                text = "'" + text
            line.append(text)
        writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
