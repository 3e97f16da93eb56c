"""Spreadsheet files built in memory for the tests. Every person is invented."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

HEADER = ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Khối", "Ngày bổ nhiệm"]

# Invented people (none is a real office holder of these agencies).
PEOPLE = [
    ("Phạm Thị Hạnh", "Giám đốc", "Sở Tư pháp", "Khối chính quyền"),
    ("Đỗ Minh Khoa", "Phó Giám đốc", "Sở Tư pháp", "Khối chính quyền"),
    ("Lê Thu Trang", "Chánh Văn phòng", "Sở Y tế", "Khối chính quyền"),
    ("Vương Quốc Bảo", "Trưởng ban", "Ban Tuyên giáo Tỉnh ủy", "Khối Đảng, đoàn thể"),
]


def officials_rows(people: Iterable[tuple[str, str, str, str]] = PEOPLE) -> list[list[Any]]:
    return [[i, n, p, a, b, "15/03/2021"] for i, (n, p, a, b) in enumerate(people, start=1)]


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "Cán bộ",
    merges: Iterable[str] = (),
    sheets: Iterable[tuple[str, Sequence[Sequence[Any]]]] = (),
    hidden: Iterable[str] = (),
    string_cells: Iterable[str] = (),
) -> bytes:
    """An XLSX workbook: ``rows`` on the first sheet (a value starting with
    ``=`` is a formula unless its cell is in ``string_cells``), ``merges``
    applied to it, more ``sheets`` after it, ``hidden`` sheets hidden."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in string_cells:
        ws[ref].data_type = "s"
    for rng in merges:
        ws.merge_cells(rng)
    for name, more in sheets:
        other = wb.create_sheet(name)
        for row in more:
            other.append(list(row))
    for name in hidden:
        wb[name].sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = out.getvalue()
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
