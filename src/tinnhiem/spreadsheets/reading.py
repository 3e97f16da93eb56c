"""Reading the cells of an XLSX or CSV file into plain tables.

XLSX values come from python-calamine (a Rust reader, about 7× faster than
openpyxl); it also gives the merged ranges. Calamine shows a formula's cached
result (or nothing), so formulas and error values are found separately: the
sheet's XML is searched for a ``<f>`` element or an error cell, and only when
there is one is the sheet read again with openpyxl in read-only mode to find
which cells they are.

CSV must be UTF-8 (with or without BOM), separated by commas, semicolons or
tabs; the separator is the one under which the header is recognised.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from tinnhiem.spreadsheets.issues import SpreadsheetError, column_letter, error
from tinnhiem.spreadsheets.values import Cell

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200

_SAVE_AS_XLSX_VI = "Hãy mở tệp bằng Excel và lưu lại dạng “Sổ làm việc Excel (.xlsx)”."
_SAVE_AS_XLSX_EN = "Open it in Excel and save it as an “Excel Workbook (.xlsx)”."


@dataclass
class Table:
    """The cells of one sheet (or of the CSV file). Indices are 0-based:
    ``rows[r][c]`` is the cell the spreadsheet calls column ``c`` (A = 0), row
    ``r + 1``. ``merged`` holds (first row, first column, last row, last
    column) of each merged range; ``special`` maps a cell to ``("formula",
    "=B5+1")`` or ``("error", "#REF!")``."""

    sheet: str | None
    rows: list[list[Cell]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    special: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    def cell(self, r: int, c: int) -> Cell:
        if r < len(self.rows):
            row = self.rows[r]
            if c < len(row):
                return row[c]
        return None


@dataclass
class Workbook:
    file_format: str  # "xlsx" | "csv"
    tables: list[Table]


def _fail(code: str, vi: str, en: str) -> SpreadsheetError:
    return SpreadsheetError(error(code, vi, en))


def detect_format(data: bytes, filename: str = "") -> str:
    """``"xlsx"`` or ``"csv"``, from the content (the name only helps the message)."""
    if not data:
        raise _fail("file_empty", "Tệp trống.", "The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise _fail(
            "file_too_large",
            f"Tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB.",
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.",
        )
    lower = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            "file_unsupported",
            "Đây là tệp Excel 97–2003 (.xls) hoặc tệp Excel có đặt mật khẩu. "
            "Hãy bỏ mật khẩu (nếu có) và lưu lại dạng “Sổ làm việc Excel (.xlsx)”.",
            "This is an Excel 97–2003 (.xls) file or a password-protected workbook. "
            "Remove the password, if any, and save it as an “Excel Workbook (.xlsx)”.",
        )
    if data.startswith(b"%PDF"):
        raise _fail(
            "file_unsupported",
            "Đây là tệp PDF, không phải bảng tính. Hãy tải lên tệp .xlsx hoặc .csv.",
            "This is a PDF, not a spreadsheet. Upload an .xlsx or .csv file.",
        )
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise _fail(
            "file_unsupported",
            "Đây là tệp ảnh, không phải bảng tính. Hãy tải lên tệp .xlsx hoặc .csv.",
            "This is an image, not a spreadsheet. Upload an .xlsx or .csv file.",
        )
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise _fail(
            "file_unsupported",
            "Tệp này là trang HTML/XML mang đuôi bảng tính, không phải tệp Excel thật. "
            + _SAVE_AS_XLSX_VI,
            "This file is an HTML/XML page named like a spreadsheet. " + _SAVE_AS_XLSX_EN,
        )
    if lower.endswith((".xlsx", ".xlsm")):
        raise _fail(
            "file_corrupt",
            "Tệp có đuôi .xlsx nhưng nội dung không phải tệp Excel hợp lệ (có thể bị hỏng).",
            "The file is named .xlsx but is not a valid Excel workbook (it may be damaged).",
        )
    return "csv"


def read_workbook(
    data: bytes, filename: str = "", *, score: Callable[[list[list[Cell]]], int] | None = None
) -> Workbook:
    """Every visible worksheet of an XLSX file, or the one table of a CSV file.
    ``score`` rates the first rows of a CSV file read with one separator (the
    higher the better); it picks the separator."""
    fmt = detect_format(data, filename)
    if fmt == "xlsx":
        return Workbook("xlsx", read_xlsx(data))
    return Workbook("csv", [read_csv(data, score=score)])


# --------------------------------------------------------------------- XLSX

_PREFIXED_FORMULA = re.compile(rb"<\w+:f[\s>/]")


def has_formula_or_error(xml: bytes) -> bool:
    """Whether a worksheet's XML holds a formula (``<f>``) or an error cell
    (``t="e"``): plain substring searches, about 100× faster than a parse."""
    if b"<f>" in xml or b"<f " in xml or b"<f/>" in xml or b't="e"' in xml:
        return True
    return b":f" in xml and _PREFIXED_FORMULA.search(xml) is not None


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(
            "file_corrupt",
            "Tệp Excel bị hỏng hoặc không đầy đủ: không mở được. " + _SAVE_AS_XLSX_VI,
            "The Excel file is damaged or incomplete. " + _SAVE_AS_XLSX_EN,
        ) from None
    names = {i.filename for i in infos}
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise _fail(
            "file_too_large",
            "Tệp Excel giải nén ra quá lớn.",
            "The Excel file is too large once unpacked.",
        )
    if "xl/workbook.bin" in names:
        raise _fail(
            "file_unsupported",
            "Đây là tệp Excel nhị phân (.xlsb). " + _SAVE_AS_XLSX_VI,
            "This is a binary Excel workbook (.xlsb). " + _SAVE_AS_XLSX_EN,
        )
    if "xl/workbook.xml" not in names:
        if "mimetype" in names or "content.xml" in names:
            raise _fail(
                "file_unsupported",
                "Đây là tệp OpenDocument (.ods). " + _SAVE_AS_XLSX_VI,
                "This is an OpenDocument file (.ods). " + _SAVE_AS_XLSX_EN,
            )
        if any(n.startswith("word/") for n in names):
            raise _fail(
                "file_unsupported",
                "Đây là tệp Word (.docx), không phải bảng tính. Hãy tải lên tệp .xlsx hoặc .csv.",
                "This is a Word document (.docx), not a spreadsheet.",
            )
        raise _fail(
            "file_corrupt",
            "Tệp nén này không phải tệp Excel (.xlsx).",
            "This archive is not an Excel workbook (.xlsx).",
        )
    return archive


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the archive."""
    try:
        wb = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id", "")] = path
    parts: dict[str, str] = {}
    for el in wb.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
        name = el.get("name")
        if name is not None and rid in targets:
            parts[name] = targets[rid]
    return parts


Special = dict[tuple[int, int], tuple[str, str]]


def _special_cells(data: bytes, sheets: list[str]) -> dict[str, Special]:
    """Formulas and error values of the named sheets, with openpyxl (read-only)."""
    import openpyxl  # type: ignore[import-untyped]

    out: dict[str, Special] = {}
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for name in sheets:
            ws = wb[name]
            ws.reset_dimensions()
            found: Special = {}
            for row in ws.iter_rows():
                for c in row:
                    kind = getattr(c, "data_type", None)
                    if kind == "f":
                        found[(c.row - 1, c.column - 1)] = ("formula", str(c.value))
                    elif kind == "e":
                        found[(c.row - 1, c.column - 1)] = ("error", str(c.value))
            out[name] = found
    finally:
        wb.close()
    return out


def read_xlsx(data: bytes) -> list[Table]:
    archive = _check_zip(data)
    parts = _sheet_parts(archive)
    try:
        book = CalamineWorkbook.from_object(io.BytesIO(data))
    except CalamineError as e:
        raise _fail(
            "file_corrupt",
            f"Không đọc được tệp Excel ({type(e).__name__}). " + _SAVE_AS_XLSX_VI,
            f"The Excel file cannot be read ({type(e).__name__}). " + _SAVE_AS_XLSX_EN,
        ) from None
    tables: list[Table] = []
    need_openpyxl: list[str] = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            end = sheet.end or (0, 0)
            if end[0] + 1 > MAX_ROWS + 50:
                raise _fail(
                    "too_many_rows",
                    f"Trang tính “{meta.name}” có dữ liệu đến dòng {end[0] + 1}; tối đa"
                    f" {MAX_ROWS} dòng.",
                    f"Sheet “{meta.name}” has data down to row {end[0] + 1}; at most {MAX_ROWS}.",
                )
            if end[1] + 1 > MAX_COLUMNS:
                last = column_letter(end[1])
                raise _fail(
                    "too_many_columns",
                    f"Trang tính “{meta.name}” có dữ liệu đến cột {last}; tối đa {MAX_COLUMNS}"
                    " cột. Hãy xoá các cột thừa bên phải.",
                    f"Sheet “{meta.name}” has data up to column {last}; at most {MAX_COLUMNS}"
                    " columns. Delete the extra columns on the right.",
                )
            rows = cast(list[list[Cell]], sheet.to_python(skip_empty_area=False))
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            tables.append(Table(meta.name, rows, merged))
            part = parts.get(meta.name)
            if part is None:
                need_openpyxl.append(meta.name)  # cannot tell: look
                continue
            try:
                xml = archive.read(part)
            except KeyError:
                continue
            if has_formula_or_error(xml):
                need_openpyxl.append(meta.name)
    except CalamineError as e:
        raise _fail(
            "file_corrupt",
            f"Không đọc được tệp Excel ({type(e).__name__}). " + _SAVE_AS_XLSX_VI,
            f"The Excel file cannot be read ({type(e).__name__}). " + _SAVE_AS_XLSX_EN,
        ) from None
    finally:
        book.close()
    if need_openpyxl:
        try:
            special = _special_cells(data, need_openpyxl)
        except Exception:  # openpyxl is stricter than calamine; values were read
            special = {}
        for t in tables:
            if t.sheet in special:
                t.special = special[t.sheet]
    return tables


# ---------------------------------------------------------------------- CSV

_CSV_ENCODING_VI = (
    "Tệp CSV phải được lưu bằng mã UTF-8. Trong Excel: Tệp → Lưu thành → chọn"
    " “CSV UTF-8 (Comma delimited) (*.csv)”; hoặc tải lên chính tệp .xlsx."
)
_CSV_ENCODING_EN = (
    "CSV files must be saved as UTF-8. In Excel: File → Save As → “CSV UTF-8 (Comma"
    " delimited) (*.csv)”; or upload the .xlsx file itself."
)


def decode_csv(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(
            "csv_encoding",
            "Tệp CSV được lưu bằng mã UTF-16 (“Unicode Text”). " + _CSV_ENCODING_VI,
            "The CSV file is UTF-16 (“Unicode Text”). " + _CSV_ENCODING_EN,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        byte = data[e.start]
        raise _fail(
            "csv_encoding",
            f"Tệp CSV không phải mã UTF-8: byte 0x{byte:02X} ở dòng {line} không hợp lệ"
            " (tệp có thể được lưu bằng mã Windows-1258/ANSI, TCVN3 hoặc VNI). " + _CSV_ENCODING_VI,
            f"The CSV file is not UTF-8: byte 0x{byte:02X} on line {line} is invalid (it may"
            " be Windows-1258/ANSI, TCVN3 or VNI). " + _CSV_ENCODING_EN,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _fail(
            "csv_encoding",
            f"Tệp CSV có ký tự NUL ở dòng {line}: đây không phải tệp văn bản UTF-8. "
            + _CSV_ENCODING_VI,
            f"The CSV file holds a NUL character on line {line}: it is not UTF-8 text. "
            + _CSV_ENCODING_EN,
        )
    return text


def _csv_rows(text: str, delimiter: str, limit: int | None = None) -> list[list[Cell]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[Cell]] = []
    try:
        for record in reader:
            rows.append(list(record))
            if limit is not None and len(rows) >= limit:
                break
            if len(rows) > MAX_ROWS + 50:
                raise _fail(
                    "too_many_rows",
                    f"Tệp CSV có hơn {MAX_ROWS} dòng.",
                    f"The CSV file has more than {MAX_ROWS} rows.",
                )
    except csv.Error as e:
        raise _fail(
            "file_corrupt",
            f"Tệp CSV sai cấu trúc ở dòng {reader.line_num}: {e}.",
            f"The CSV file is malformed on line {reader.line_num}: {e}.",
        ) from None
    return rows


def read_csv(data: bytes, *, score: Callable[[list[list[Cell]]], int] | None = None) -> Table:
    text = decode_csv(data)
    best = ","
    if score is not None:
        best_score = -1
        for delimiter in (",", ";", "\t"):
            s = score(_csv_rows(text, delimiter, limit=30))
            if s > best_score:
                best, best_score = delimiter, s
    else:
        first = text.split("\n", 1)[0]
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return Table(None, _csv_rows(text, best))
