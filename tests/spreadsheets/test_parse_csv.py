"""Reading CSV lists: UTF-8 with or without BOM, comma, semicolon or tab;
every other encoding refused with a message saying how to save the file."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from tests.spreadsheets.files import HEADER, PEOPLE, csv_bytes, officials_rows
from tinnhiem.spreadsheets import preview_officials, preview_voters

ROWS = [HEADER, *officials_rows()]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_utf8_with_or_without_bom_any_separator(delimiter: str, bom: bool) -> None:
    p = preview_officials(csv_bytes(ROWS, delimiter=delimiter, bom=bom), "ds.csv")
    assert p.issues == (), [i.text_vi for i in p.issues]
    assert p.file_format == "csv"
    assert p.sheets == ()
    assert [r.text("full_name") for r in p.rows] == [x[0] for x in PEOPLE]
    assert [r.text("agency") for r in p.rows] == [x[2] for x in PEOPLE]
    assert p.rows[0].date("appointed_or_elected_on") == date(2021, 3, 15)


def test_semicolon_file_whose_header_holds_a_comma() -> None:
    # "Cơ quan, đơn vị" unquoted in a semicolon file: the comma is not a separator.
    text = "Họ và tên;Cơ quan, đơn vị;Chức vụ\r\nPhạm Thị Hạnh;Sở Tư pháp;Giám đốc\r\n"
    p = preview_officials(text.encode(), "ds.csv")
    assert p.ok
    assert p.rows[0].text("agency") == "Sở Tư pháp"


def test_quoted_fields_with_separators_and_line_breaks() -> None:
    rows = [
        ["Họ và tên", "Chức vụ, đơn vị"],
        ["Trịnh Văn Lộc", "Phó Chánh Văn phòng,\nVăn phòng Tỉnh ủy"],
        ["Mai Thị Ngọc", 'Trưởng phòng "Tổ chức"'],
    ]
    p = preview_voters(csv_bytes(rows), "tp.csv")
    assert p.ok
    assert [r.text("position") for r in p.rows] == [
        "Phó Chánh Văn phòng, Văn phòng Tỉnh ủy",
        'Trưởng phòng "Tổ chức"',
    ]
    # A record spanning two lines is one row, as a spreadsheet program shows it.
    assert [r.number for r in p.rows] == [2, 3]


def test_errors_carry_row_and_column_without_a_sheet() -> None:
    rows = [*ROWS, [5, "Tạ Quang Huy", "Phó Giám đốc", "Sở Y tế", "", "32/01/2021"]]
    p = preview_officials(csv_bytes(rows), "ds.csv")
    (e,) = p.errors
    assert (e.sheet, e.row, e.column, e.ref) == (None, 6, "F", "F6")
    assert e.text_vi.startswith("Ô F6: Ngày bổ nhiệm, bầu cử: Ngày “32/01/2021” không có thật")
    assert e.text_en.startswith("Cell F6: Appointed or elected on:")


def test_decomposed_names_come_back_nfc() -> None:
    rows = [[unicodedata.normalize("NFD", str(v)) for v in row] for row in ROWS]
    p = preview_officials(csv_bytes(rows), "ds.csv")
    assert p.ok
    assert [r.text("full_name") for r in p.rows] == [x[0] for x in PEOPLE]


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: precomposed letters where the
    code page has them, tone marks as combining characters."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        for cut in range(len(nfd), 0, -1):
            try:
                out += unicodedata.normalize("NFC", nfd[:cut]).encode("cp1258")
                out += nfd[cut:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
    return out


def test_windows_1258_is_refused_with_the_line() -> None:
    text = "Họ và tên,Chức vụ,Cơ quan\r\nLê Thu Trang,Giám đốc,Sở Y tế\r\n"
    data = to_cp1258(text)
    assert data.decode("cp1258") != text  # decomposed, but the same letters
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text
    p = preview_officials(data, "ds.csv")
    (e,) = p.errors
    assert e.code == "csv_encoding"
    assert "không phải mã UTF-8" in e.message_vi
    assert "dòng 1" in e.message_vi
    assert "CSV UTF-8" in e.message_vi
    assert "Windows-1258" in e.message_vi
    assert p.rows == ()


def test_latin1_on_a_later_line() -> None:
    data = "Họ và tên,Chức vụ,Cơ quan\r\n".encode() + "Zoé,Giam doc,So Y te\r\n".encode("latin-1")
    p = preview_officials(data, "ds.csv")
    assert p.errors[0].code == "csv_encoding"
    assert "0xE9 ở dòng 2" in p.errors[0].message_vi


def test_utf16_is_refused() -> None:
    data = "Họ và tên\tChức vụ\tCơ quan\r\n".encode("utf-16")
    p = preview_officials(data, "ds.txt")
    assert p.errors[0].code == "csv_encoding"
    assert "UTF-16" in p.errors[0].message_vi


def test_nul_bytes_are_refused() -> None:
    p = preview_officials(b"Ho va ten,Chuc vu\r\nA\x00B,C\r\n", "ds.csv")
    assert p.errors[0].code == "csv_encoding"
    assert "dòng 2" in p.errors[0].message_vi


def test_empty_csv_files() -> None:
    assert [e.code for e in preview_officials(b"\xef\xbb\xbf", "ds.csv").errors] == ["sheet_empty"]
    assert [e.code for e in preview_officials(b"\r\n,,\r\n , \r\n", "ds.csv").errors] == [
        "sheet_empty"
    ]
    assert preview_officials(b"\xef\xbb\xbf", "ds.csv").errors[0].message_vi == (
        "Tệp không có dữ liệu."
    )


def test_header_only() -> None:
    p = preview_officials(csv_bytes([HEADER]), "ds.csv")
    assert [e.code for e in p.errors] == ["no_rows"]


def test_formula_guard_of_exports_is_removed() -> None:
    rows = [["Họ và tên", "Chức vụ", "Cơ quan"], ["Phạm Thị Hạnh", "'=Giám đốc", "Sở Tư pháp"]]
    p = preview_officials(csv_bytes(rows), "ds.csv")
    assert p.rows[0].text("position") == "=Giám đốc"


def test_csv_values_are_text_so_numbers_in_names_are_characters() -> None:
    rows = [["Họ và tên", "Chức vụ", "Cơ quan"], ["12345", "Giám đốc", "Sở Tư pháp"]]
    p = preview_officials(csv_bytes(rows), "ds.csv")
    assert [(e.code, e.ref) for e in p.errors] == [("bad_characters", "A2")]
