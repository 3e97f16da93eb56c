"""From a file's bytes to a :class:`Preview`: find the header row of each
sheet, match its columns, parse every cell of every data row, and check the
rows against each other. Nothing is written."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tinnhiem.spreadsheets.checks import check_rows
from tinnhiem.spreadsheets.issues import Issue, SpreadsheetError, column_letter, error, warning
from tinnhiem.spreadsheets.preview import Column, Preview, Row, Value, sort_issues
from tinnhiem.spreadsheets.reading import MAX_ROWS, Table, read_workbook
from tinnhiem.spreadsheets.schema import EXAMPLE_NAME, Field, Kind, Schema
from tinnhiem.spreadsheets.text import (
    bad_name_characters,
    control_characters,
    header_key,
    legacy_characters,
    same_key,
    shorten,
    show_chars,
)
from tinnhiem.spreadsheets.values import (
    Cell,
    Problem,
    display,
    is_empty,
    parse_bool,
    parse_date,
    text_of,
)

HEADER_SEARCH_ROWS = 30
DEFAULT_MAX_PLACES = 2

_ENUMERATED = re.compile(r"([IVXLCDM]+|[A-Za-zĐđ]|\d+(?:\.\d+)*)\s*[.)/:-]\s+\S")
_COLUMN_NUMBER = re.compile(r"\(?\s*\d{1,3}\s*\)?")
_INSTRUCTIONS = ("huong dan", "ghi chu", "chu thich", "danh muc")
_LEGACY_HINT_VI = (
    " Có thể văn bản được gõ bằng phông TCVN3 (ABC) hoặc VNI: hãy chuyển sang Unicode"
    " (ví dụ Unikey → Công cụ chuyển mã) rồi tải lên lại."
)
_LEGACY_HINT_EN = (
    " The text may use a TCVN3 (ABC) or VNI font: convert it to Unicode (e.g. Unikey's"
    " converter) and upload again."
)


@dataclass
class _Header:
    row: int  # 0-based
    columns: dict[str, int]  # field key -> column index
    headers: dict[int, str]  # column index -> header text
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)


def _match_row(schema: Schema, cells: list[Cell], r: int) -> _Header:
    found = _Header(r, {}, {})
    for c, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        m = schema.match(cell)
        if isinstance(m, Field):
            if m.key in found.columns:
                found.duplicates.append((m.key, found.columns[m.key], c))
            else:
                found.columns[m.key] = c
                found.headers[c] = cell
        elif m is None:
            found.unknown.append((c, cell))
    return found


def _find_header(schema: Schema, table: Table) -> tuple[_Header | None, _Header | None]:
    """(the header row, or None; the best partial match, for the message)."""
    required = {f.key for f in schema.required}
    best: _Header | None = None
    for r, cells in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = _match_row(schema, cells, r)
        if required <= found.columns.keys():
            return found, found
        if found.columns and (best is None or len(found.columns) > len(best.columns)):
            best = found
    return None, best


def header_score(schema: Schema, rows: list[list[Cell]]) -> int:
    """How well some rows look like this list's header (to pick a CSV separator)."""
    required = {f.key for f in schema.required}
    score = 0
    for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _match_row(schema, cells, r)
        s = len(found.columns) + (100 if required <= found.columns.keys() else 0)
        score = max(score, s)
    return score


def _labels(fields: Iterable[Field]) -> str:
    return ", ".join(f"“{f.label_vi}”" for f in fields)


def _labels_en(fields: Iterable[Field]) -> str:
    return ", ".join(f"“{f.label_en}”" for f in fields)


def _missing_header(schema: Schema, table: Table, best: _Header | None) -> Issue:
    required = schema.required
    accepted = "; ".join(
        f"{f.label_vi}: " + ", ".join(f"“{a}”" for a in (f.label_vi, *f.aliases[:3]))
        for f in required
    )
    if best is None:
        return error(
            "header_missing",
            f"Không tìm thấy dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu. Cần các cột"
            f" {_labels(required)}. Tên cột được chấp nhận: {accepted}.",
            f"No header row in the first {HEADER_SEARCH_ROWS} rows. The columns"
            f" {_labels_en(required)} are needed.",
            sheet=table.sheet,
        )
    missing = [f for f in required if f.key not in best.columns]
    have = [schema.field_by_key(k) for k in best.columns]
    return error(
        "header_missing",
        f"Dòng tiêu đề thiếu cột {_labels(missing)} (đã có {_labels(have)}). Tên cột được"
        f" chấp nhận: {accepted}.",
        f"The header row lacks {_labels_en(missing)} (found {_labels_en(have)}).",
        sheet=table.sheet,
        row=best.row + 1,
    )


def _nonempty(table: Table, r: int, special_cols: dict[int, list[int]]) -> list[int]:
    cols = [c for c, v in enumerate(table.rows[r]) if v is not None and v != "" and not is_empty(v)]
    extra = special_cols.get(r)
    if extra:
        return sorted(set(cols) | set(extra))
    return cols


@dataclass
class _Sheet:
    table: Table
    header: _Header
    by_column: dict[int, Field]
    covered: set[tuple[int, int]] = field(default_factory=set)
    across: dict[int, tuple[int, int]] = field(default_factory=dict)  # row -> (c0, c1)


def _merges(schema: Schema, sheet: _Sheet, issues: list[Issue]) -> None:
    """Merged ranges below the header that touch an imported column are errors
    (their value sits in the first cell only); a range across one row may be a
    group heading and is judged with its row."""
    h = sheet.header.row
    for r0, c0, r1, c1 in sheet.table.merged:
        if r1 <= h:
            continue
        fields = [sheet.by_column[c] for c in range(c0, c1 + 1) if c in sheet.by_column]
        if r0 == r1 and r0 > h:
            sheet.across[r0] = (c0, c1)
            continue
        if not fields:
            continue
        span = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        if r0 <= h:
            vi = (
                "Các ô được gộp từ dòng tiêu đề xuống dòng dữ liệu. Hãy bỏ gộp ô"
                " (Unmerge Cells) để dòng tiêu đề chỉ chiếm một dòng."
            )
            en = "The cells are merged from the header into the data rows. Unmerge them."
        else:
            first = sheet.table.cell(r0, c0)
            value = f" (“{shorten(display(first))}”)" if not is_empty(first) else ""
            vi = (
                f"Các ô đang được gộp{value}. Hãy bỏ gộp ô (Unmerge Cells) và ghi giá"
                " trị vào từng ô: hệ thống không tự chép giá trị của ô gộp xuống các dòng dưới."
            )
            en = (
                f"The cells are merged{value}. Unmerge them and fill in every cell: the"
                " value of a merged range is not copied down."
            )
        issues.append(
            error(
                "merged_cells",
                vi,
                en,
                sheet=sheet.table.sheet,
                row=max(r0, h + 1) + 1,
                column=column_letter(c0),
                field=fields[0].key,
                span=span,
            )
        )
        for r in range(max(r0, h + 1), r1 + 1):
            for c in range(c0, c1 + 1):
                sheet.covered.add((r, c))


def _cell_issue(
    problem: Problem, sheet: str | None, r: int, c: int, f: Field, label: bool = True
) -> Issue:
    prefix_vi = f"{f.label_vi}: " if label else ""
    prefix_en = f"{f.label_en}: " if label else ""
    return error(
        problem.code,
        prefix_vi + problem.vi,
        prefix_en + problem.en,
        sheet=sheet,
        row=r + 1,
        column=column_letter(c),
        field=f.key,
    )


def _parse_cell(f: Field, cell: Cell) -> Value | Problem:
    if f.kind is Kind.DATE:
        return parse_date(cell)
    if f.kind is Kind.BOOL:
        return parse_bool(cell)
    text = text_of(cell, numbers_allowed=f.kind is Kind.TEXT)
    if isinstance(text, Problem):
        return text
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # a CSV export's guard against formula injection
    legacy = legacy_characters(text)
    if legacy:
        return Problem(
            "legacy_encoding",
            f"“{shorten(text)}” có ký tự lạ {show_chars(legacy)}." + _LEGACY_HINT_VI,
            f"“{shorten(text)}” holds stray characters {show_chars(legacy)}." + _LEGACY_HINT_EN,
        )
    if f.kind is Kind.NAME:
        bad = bad_name_characters(text)
        if bad:
            return Problem(
                "bad_characters",
                f"“{shorten(text)}” có ký tự không dùng trong họ tên: {show_chars(bad)}.",
                f"“{shorten(text)}” holds characters not used in names: {show_chars(bad)}.",
            )
    else:
        bad = control_characters(text)
        if bad:
            return Problem(
                "bad_characters",
                f"“{shorten(text)}” có ký tự điều khiển {show_chars(bad)}.",
                f"“{shorten(text)}” holds control characters {show_chars(bad)}.",
            )
    if f.max_length is not None and len(text) > f.max_length:
        return Problem(
            "too_long",
            f"Dài {len(text)} ký tự; tối đa {f.max_length} ký tự.",
            f"{len(text)} characters long; at most {f.max_length}.",
        )
    return text


def _default(f: Field) -> Value:
    return False if f.kind is Kind.BOOL else None


def _is_heading(sheet: _Sheet, r: int, cols: list[int], text: str) -> bool:
    """A row holding one text only: a group heading (``I. KHỐI ĐẢNG``), a
    total or a signature line, rather than a person."""
    name_col = sheet.header.columns.get("full_name")
    if cols[0] != name_col:
        return True
    across = sheet.across.get(r)
    if across is not None and across[1] > across[0]:
        return True
    return bool(_ENUMERATED.match(text))


def _parse_table(schema: Schema, sheet: _Sheet, issues: list[Issue], rows_out: list[Row]) -> None:
    table = sheet.table
    name = table.sheet
    h = sheet.header.row
    imported_cols = set(sheet.by_column)
    special_cols: dict[int, list[int]] = {}
    for sr, sc in table.special:
        special_cols.setdefault(sr, []).append(sc)
    imported = [(key, c, schema.field_by_key(key)) for key, c in sheet.header.columns.items()]
    defaults = {f.key: _default(f) for f in schema.fields}
    for r in range(h + 1, len(table.rows)):
        cols = _nonempty(table, r, special_cols)
        if not cols:
            continue
        cells = table.rows[r]
        if r <= h + 2 and len(cols) >= 2:
            texts = [display(cells[c]) if c < len(cells) else "" for c in cols]
            if all(_COLUMN_NUMBER.fullmatch(t.strip()) for t in texts):
                continue  # the (1) (2) (3) line under a header
        meaningful = [c for c in cols if c in imported_cols]
        if len(meaningful) <= 1:
            c = meaningful[0] if meaningful else cols[0]
            text = display(table.cell(r, c))
            if not meaningful or _is_heading(sheet, r, meaningful, text):
                issues.append(
                    warning(
                        "row_skipped",
                        f"Dòng không có đủ dữ liệu, được coi là dòng tiêu đề nhóm/ghi chú và bỏ"
                        f" qua: “{shorten(text)}”.",
                        f"Row skipped as a group heading or note: “{shorten(text)}”.",
                        sheet=name,
                        row=r + 1,
                    )
                )
                continue
        if r in sheet.across:
            c0, c1 = sheet.across[r]
            fields = [sheet.by_column[c] for c in range(c0, c1 + 1) if c in sheet.by_column]
            if len(fields) >= 2:
                span = f"{column_letter(c0)}{r + 1}:{column_letter(c1)}{r + 1}"
                issues.append(
                    error(
                        "merged_cells",
                        "Các ô đang được gộp nên các cột"
                        f" {_labels(fields)} chỉ có một giá trị. Hãy bỏ gộp ô và ghi từng ô.",
                        f"The cells are merged, so {_labels_en(fields)} share one value."
                        " Unmerge them and fill in each cell.",
                        sheet=name,
                        row=r + 1,
                        column=column_letter(c0),
                        field=fields[0].key,
                        span=span,
                    )
                )
                for c in range(c0, c1 + 1):
                    sheet.covered.add((r, c))
        values: dict[str, Value] = dict(defaults)
        raw: dict[str, str] = {}
        for key, c, f in imported:
            cell = cells[c] if c < len(cells) else None
            special = table.special.get((r, c))
            raw[key] = special[1] if special else display(cell)
            if (r, c) in sheet.covered:
                continue
            if special is not None:
                kind, text = special
                if kind == "formula":
                    shown = f" (giá trị hiện: “{shorten(display(cell))}”)" if cell else ""
                    issues.append(
                        error(
                            "formula",
                            f"{f.label_vi}: ô chứa công thức “{shorten(text)}”{shown}. Chỉ nhận"
                            " giá trị: hãy sao chép cột rồi Dán đặc biệt → Giá trị (Paste"
                            " Values), sau đó tải lên lại.",
                            f"{f.label_en}: the cell holds the formula “{shorten(text)}”. Only"
                            " values are accepted: copy the column and Paste Special → Values.",
                            sheet=name,
                            row=r + 1,
                            column=column_letter(c),
                            field=key,
                        )
                    )
                else:
                    issues.append(
                        error(
                            "excel_error",
                            f"{f.label_vi}: ô có lỗi Excel “{text}”.",
                            f"{f.label_en}: the cell holds the Excel error “{text}”.",
                            sheet=name,
                            row=r + 1,
                            column=column_letter(c),
                            field=key,
                        )
                    )
                continue
            parsed = _parse_cell(f, cell)
            if isinstance(parsed, Problem):
                issues.append(_cell_issue(parsed, name, r, c, f))
                continue
            if f.required and (parsed is None or parsed == ""):
                issues.append(
                    error(
                        "required",
                        f"Thiếu {f.label_vi}.",
                        f"{f.label_en} is missing.",
                        sheet=name,
                        row=r + 1,
                        column=column_letter(c),
                        field=key,
                    )
                )
                continue
            values[key] = parsed
        full_name = values.get("full_name")
        if isinstance(full_name, str) and same_key(full_name) == same_key(EXAMPLE_NAME):
            issues.append(
                error(
                    "example_row",
                    f"Đây là dòng ví dụ của tệp mẫu (“{EXAMPLE_NAME}”): hãy xoá dòng này.",
                    f"This is the template's example row (“{EXAMPLE_NAME}”): delete it.",
                    sheet=name,
                    row=r + 1,
                    column=column_letter(sheet.header.columns["full_name"]),
                    field="full_name",
                )
            )
        rows_out.append(Row(name, r + 1, values, raw))


def parse_file(
    schema: Schema,
    data: bytes,
    filename: str = "",
    *,
    sheet: str | None = None,
    max_places: int = DEFAULT_MAX_PLACES,
    today: date | None = None,
) -> Preview:
    """Read ``data`` (XLSX or CSV) as a list of ``schema``. Never raises for a
    bad file: the problems are in the preview.

    ``sheet`` limits an XLSX file to one sheet (by default every visible sheet
    with a recognised header is read). ``max_places`` is how many places one
    person may be voted at (officials). ``today`` dates the "in the future"
    warnings (default: no such warnings)."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        book = read_workbook(data, filename, score=lambda rows: header_score(schema, rows))
    except SpreadsheetError as e:
        return Preview(schema.kind, filename, "", digest, issues=(e.issue,))
    tables = book.tables
    if sheet is not None:
        tables = [t for t in tables if t.sheet == sheet]
        if not tables:
            names = ", ".join(f"“{t.sheet}”" for t in book.tables)
            return Preview(
                schema.kind,
                filename,
                book.file_format,
                digest,
                issues=(
                    error(
                        "sheet_not_found",
                        f"Không có trang tính “{sheet}”. Các trang tính: {names}.",
                        f"There is no sheet “{sheet}”. Sheets: {names}.",
                    ),
                ),
            )

    issues: list[Issue] = []
    found: list[_Sheet] = []
    missing: list[Issue] = []
    nonempty_tables = 0
    for table in tables:
        if not any(not is_empty(v) for row in table.rows for v in row):
            continue
        if sheet is None and table.sheet and header_key(table.sheet).startswith(_INSTRUCTIONS):
            continue  # the template's instructions, a lookup list: never data
        nonempty_tables += 1
        header, best = _find_header(schema, table)
        if header is None:
            missing.append(_missing_header(schema, table, best))
            continue
        by_column = {c: schema.field_by_key(k) for k, c in header.columns.items()}
        found.append(_Sheet(table, header, by_column))

    if not found:
        if nonempty_tables == 0:
            where = "Tệp" if book.file_format == "csv" else "Các trang tính của tệp"
            issues.append(
                error(
                    "sheet_empty",
                    f"{where} không có dữ liệu.",
                    "The file holds no data.",
                )
            )
        issues.extend(missing)
        return Preview(
            schema.kind,
            filename,
            book.file_format,
            digest,
            issues=sort_issues(issues),
            sheets=tuple(t.sheet for t in tables if t.sheet is not None),
        )
    for m in missing:
        issues.append(
            warning(
                "sheet_ignored",
                "Trang tính không có dòng tiêu đề nhận ra được; bỏ qua. " + m.message_vi,
                "Sheet without a recognised header row; skipped. " + m.message_en,
                sheet=m.sheet,
            )
        )

    rows: list[Row] = []
    columns: list[Column] = []
    for s in found:
        name = s.table.sheet
        h = s.header.row
        for key, c in s.header.columns.items():
            columns.append(Column(key, column_letter(c), s.header.headers[c], name))
        for key, first, again in s.header.duplicates:
            f = schema.field_by_key(key)
            issues.append(
                error(
                    "header_duplicate",
                    f"Cột {column_letter(again)} cũng là “{f.label_vi}” như cột"
                    f" {column_letter(first)}: chỉ để một cột (đang dùng cột"
                    f" {column_letter(first)}).",
                    f"Column {column_letter(again)} is also “{f.label_en}”, like column"
                    f" {column_letter(first)}: keep one.",
                    sheet=name,
                    row=h + 1,
                    column=column_letter(again),
                )
            )
        for c, text in s.header.unknown:
            issues.append(
                warning(
                    "column_ignored",
                    f"Cột “{shorten(text)}” không thuộc danh sách; không được nhập.",
                    f"Column “{shorten(text)}” is not part of the list; not imported.",
                    sheet=name,
                    row=h + 1,
                    column=column_letter(c),
                )
            )
        _merges(schema, s, issues)
        _parse_table(schema, s, issues, rows)

    if len(rows) > MAX_ROWS:
        issues.append(
            error(
                "too_many_rows",
                f"Tệp có {len(rows)} dòng dữ liệu; tối đa {MAX_ROWS} dòng mỗi lần nhập.",
                f"The file has {len(rows)} data rows; at most {MAX_ROWS} per import.",
            )
        )
    if not rows:
        issues.append(
            error(
                "no_rows",
                "Có dòng tiêu đề nhưng không có dòng dữ liệu nào.",
                "There is a header row but no data rows.",
                sheet=found[0].table.sheet,
            )
        )
    rows, extra = check_rows(schema, rows, columns, max_places=max_places, today=today)
    issues.extend(extra)
    sheets = tuple(s.table.sheet for s in found if s.table.sheet is not None)
    return Preview(
        schema.kind,
        filename,
        book.file_format,
        digest,
        columns=tuple(columns),
        rows=tuple(rows),
        issues=sort_issues(issues, sheets),
        sheets=sheets,
        header_rows=tuple(s.header.row + 1 for s in found),
    )
