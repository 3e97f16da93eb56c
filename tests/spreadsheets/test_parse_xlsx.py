"""Reading XLSX lists: headers found wherever they are, every malformed file
refused with errors pinned to the exact cell."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest

from tests.spreadsheets.files import HEADER, PEOPLE, officials_rows, xlsx
from tinnhiem.spreadsheets import Preview, preview_agencies, preview_officials, preview_voters


def codes(preview: Preview) -> list[tuple[str, str | None]]:
    """(code, cell or row) of every problem, in order."""
    return [(i.code, i.ref or (f"dòng {i.row}" if i.row else None)) for i in preview.issues]


def only_error(preview: Preview) -> str:
    assert len(preview.errors) == 1, [e.text_vi for e in preview.errors]
    return preview.errors[0].text_vi


def test_a_clean_list() -> None:
    p = preview_officials(xlsx([HEADER, *officials_rows()]), "ds.xlsx")
    assert p.ok, [i.text_vi for i in p.issues]
    assert p.issues == ()
    assert p.file_format == "xlsx"
    assert p.sheets == ("Cán bộ",)
    assert p.header_rows == (1,)
    assert [r.number for r in p.rows] == [2, 3, 4, 5]
    first = p.rows[0]
    assert first.sheet == "Cán bộ"
    assert first.text("full_name") == "Phạm Thị Hạnh"
    assert first.text("agency") == "Sở Tư pháp"
    assert first.text("block") == "Khối chính quyền"
    assert first.date("appointed_or_elected_on") == date(2021, 3, 15)
    assert first.flag("reappointed_same_post") is False
    assert first.raw["appointed_or_elected_on"] == "15/03/2021"
    assert {c.field: c.letter for c in p.columns} == {
        "full_name": "B",
        "position": "C",
        "agency": "D",
        "block": "E",
        "appointed_or_elected_on": "F",
    }


def test_header_below_a_title_and_columns_in_any_order() -> None:
    rows = [
        ["ỦY BAN NHÂN DÂN TỈNH (thử nghiệm)", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [],
        ["DANH SÁCH CÁN BỘ LẤY PHIẾU TÍN NHIỆM"],
        [],
        ["Cơ quan/đơn vị", "HỌ VÀ TÊN", "Ngày được bầu, bổ nhiệm", "Chức danh"],
        ["(1)", "(2)", "(3)", "(4)"],
        ["Sở Y tế", "Lê Thu Trang", datetime(2020, 7, 1), "Chánh Văn phòng"],
    ]
    p = preview_officials(xlsx(rows, merges=["A1:C1", "A3:D3"]), "ds.xlsx")
    assert p.ok
    assert p.issues == ()
    assert p.header_rows == (5,)
    (row,) = p.rows
    assert row.number == 7
    assert row.text("position") == "Chánh Văn phòng"
    assert row.date("appointed_or_elected_on") == date(2020, 7, 1)


def test_wrong_types_are_pinned_to_their_cells() -> None:
    rows = [
        [*HEADER, "Bổ nhiệm lại"],
        [1, 12345, "Giám đốc", "Sở Tư pháp", "Khối chính quyền", "15/03/2021", ""],
        [2, "Đỗ Minh Khoa", "Phó Giám đốc", "Sở Tư pháp", "Khối chính quyền", "31/02/2021", ""],
        [3, "Lê Thu Trang", date(2020, 1, 1), "Sở Y tế", "Khối chính quyền", 44270, ""],
        [4, "Vương Quốc Bảo", "Trưởng ban", "Sở Y tế", "Khối chính quyền", True, "có lẽ"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [
        ("wrong_type", "B2"),
        ("bad_date", "F3"),
        ("wrong_type", "C4"),
        ("wrong_type", "F4"),
        ("wrong_type", "F5"),
        ("bad_bool", "G5"),
    ]
    by_ref = {i.ref: i for i in p.issues}
    assert by_ref["B2"].text_vi == (
        "Trang tính “Cán bộ”, ô B2: Họ và tên: Cần chữ, ô đang là số 12345."
    )
    assert "Ngày “31/02/2021” không có thật" in by_ref["F3"].message_vi
    assert "15/03/2021" in by_ref["F4"].message_vi  # what the Excel serial would be
    assert by_ref["F4"].field == "appointed_or_elected_on"
    assert by_ref["B2"].message_en == "Full name: Text is needed; the cell holds the number 12345."


def test_required_cells() -> None:
    rows = [HEADER, [1, "Phạm Thị Hạnh", "", "Sở Tư pháp"], [2, "  ", "Giám đốc", "Sở Y tế"]]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("required", "C2"), ("required", "B3")]
    assert p.issues[0].message_vi == "Thiếu Chức vụ."


def test_vertically_merged_cells_are_one_error_over_the_range() -> None:
    rows = [HEADER, *officials_rows()]
    p = preview_officials(xlsx(rows, merges=["D2:D4"]), "ds.xlsx")
    assert codes(p) == [("merged_cells", "D2:D4")]
    (e,) = p.errors
    assert e.row == 2
    assert e.column == "D"
    assert e.field == "agency"
    assert e.text_vi.startswith("Trang tính “Cán bộ”, các ô D2:D4: Các ô đang được gộp (“Sở")
    assert "Unmerge" in e.message_vi


def test_header_merged_into_the_data() -> None:
    rows = [HEADER, *officials_rows()]
    p = preview_officials(xlsx(rows, merges=["C1:C2"]), "ds.xlsx")
    assert codes(p) == [("merged_cells", "C1:C2")]


def test_merged_across_a_data_row() -> None:
    rows = [HEADER, *officials_rows()]
    p = preview_officials(xlsx(rows, merges=["C3:D3"]), "ds.xlsx")
    assert codes(p) == [("merged_cells", "C3:D3")]
    assert "Chức vụ" in p.errors[0].message_vi


def test_group_headings_and_signature_lines_are_skipped_with_a_warning() -> None:
    rows = [
        HEADER,
        ["I", "KHỐI ĐẢNG, ĐOÀN THỂ"],
        [1, *PEOPLE[3]],
        ["II. Khối chính quyền"],
        [2, *PEOPLE[0]],
        [],
        [None, None, None, "NGƯỜI LẬP BIỂU"],
    ]
    p = preview_officials(xlsx(rows, merges=["B2:F2"]), "ds.xlsx")
    assert p.ok
    assert codes(p) == [
        ("row_skipped", "dòng 2"),
        ("row_skipped", "dòng 4"),
        ("row_skipped", "dòng 7"),
    ]
    assert [r.number for r in p.rows] == [3, 5]


def test_a_name_alone_is_a_person_with_missing_cells_not_a_heading() -> None:
    p = preview_officials(xlsx([HEADER, [1, "Phạm Thị Hạnh"]]), "ds.xlsx")
    assert codes(p) == [("required", "C2"), ("required", "D2")]


def test_formulas_in_imported_columns_are_refused() -> None:
    rows = [
        HEADER,
        ["=ROW()-1", "Phạm Thị Hạnh", "Giám đốc", "Sở Tư pháp"],  # STT: not imported
        ["=ROW()-1", '=PROPER("đỗ minh khoa")', "Phó Giám đốc", "Sở Tư pháp"],
        ["=ROW()-1", "Lê Thu Trang", "Chánh Văn phòng", "=D3"],
        [4, "Vương Quốc Bảo", "=1/0", "Sở Y tế"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("formula", "B3"), ("formula", "D4"), ("formula", "C5")]
    assert '“=PROPER("đỗ minh khoa")”' in p.issues[0].message_vi
    assert "Dán đặc biệt" in p.issues[0].message_vi


def test_error_values_are_refused() -> None:
    p = preview_officials(xlsx([HEADER, [1, "Phạm Thị Hạnh", "#REF!", "Sở Tư pháp"]]), "ds.xlsx")
    assert codes(p) == [("excel_error", "C2")]
    assert "#REF!" in p.issues[0].message_vi


def test_text_that_looks_like_a_formula_is_text() -> None:
    rows = [HEADER, [1, "Phạm Thị Hạnh", "=Giám đốc", "Sở Tư pháp"]]
    p = preview_officials(xlsx(rows, string_cells=["C2"]), "ds.xlsx")
    assert p.ok
    assert p.rows[0].text("position") == "=Giám đốc"


def test_decomposed_unicode_comes_back_nfc() -> None:
    nfd = [[unicodedata.normalize("NFD", str(v)) for v in row] for row in officials_rows()]
    p = preview_officials(xlsx([HEADER, *nfd]), "ds.xlsx")
    assert p.ok
    for row, (name, position, agency, block) in zip(p.rows, PEOPLE, strict=True):
        assert row.text("full_name") == name
        assert row.text("position") == position
        assert row.text("agency") == agency
        assert row.text("block") == block
        assert unicodedata.is_normalized("NFC", row.text("full_name"))


def test_the_same_person_in_nfc_and_nfd_is_a_duplicate() -> None:
    name = "Nguyễn Thị Thu Hà"
    rows = [
        HEADER,
        [1, name, "Giám đốc", "Sở Tư pháp"],
        [2, unicodedata.normalize("NFD", name.upper()), "Giám đốc", "sở tư  pháp"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("duplicate_person", "B3")]
    assert "đã có ở dòng 2" in p.issues[0].message_vi


def test_empty_sheet_and_empty_workbook() -> None:
    p = preview_officials(xlsx([]), "trong.xlsx")
    assert codes(p) == [("sheet_empty", None)]
    assert only_error(p) == "Các trang tính của tệp không có dữ liệu."
    p = preview_officials(xlsx([HEADER]), "ds.xlsx")
    assert codes(p) == [("no_rows", None)]


def test_missing_header_names_what_is_missing() -> None:
    rows = [["STT", "Họ và tên", "Chức vụ", "Ghi chú"], [1, "Phạm Thị Hạnh", "Giám đốc", ""]]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    (e,) = p.errors
    assert e.code == "header_missing"
    assert e.row == 1
    assert e.text_vi.startswith(
        "Trang tính “Cán bộ”, dòng 1: Dòng tiêu đề thiếu cột “Cơ quan, đơn vị”"
        " (đã có “Họ và tên”, “Chức vụ”)."
    )
    assert p.rows == ()


def test_no_header_at_all() -> None:
    rows = [["Phạm Thị Hạnh", "Giám đốc", "Sở Tư pháp"]] * 3
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("header_missing", None)]
    assert "Không tìm thấy dòng tiêu đề" in p.errors[0].message_vi


def test_duplicate_and_unknown_columns() -> None:
    rows = [
        ["Họ và tên", "Chức vụ", "Cơ quan", "Chức danh", "Quê quán"],
        ["Phạm Thị Hạnh", "Giám đốc", "Sở Tư pháp", "Giám đốc Sở", "Hà Nam"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("header_duplicate", "D1"), ("column_ignored", "E1")]
    assert p.errors[0].message_vi.startswith("Cột D cũng là “Chức vụ” như cột B")
    assert p.rows[0].text("position") == "Giám đốc"
    assert p.file_issues == p.issues
    assert p.issues_by_row() == {}


def test_template_example_row_must_be_deleted() -> None:
    rows = [HEADER, [1, "Nguyễn Văn Mẫu", "Phó Giám đốc", "Sở Tư pháp"]]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("example_row", "B2")]


def test_legacy_font_and_bad_characters_in_names() -> None:
    rows = [
        HEADER,
        [1, "NguyÔn V¨n Khoa", "Gi¸m ®èc", "Sở Tư pháp"],
        [2, "Lê Thu Trang 2", "Chánh Văn phòng", "Sở Y tế"],
        [3, "Vương Quốc Bảo", "Trưởng ban" + "x" * 200, "Sở Y tế"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [
        ("legacy_encoding", "B2"),
        ("legacy_encoding", "C2"),
        ("bad_characters", "B3"),
        ("too_long", "C4"),
    ]
    assert "TCVN3" in p.issues[0].message_vi
    assert "“2”" in p.issues[2].message_vi
    assert "tối đa 200" in p.issues[3].message_vi


def test_several_sheets_one_per_block() -> None:
    party = [HEADER, [1, *PEOPLE[3]]]
    data = xlsx(
        [HEADER, [1, *PEOPLE[0]], [2, *PEOPLE[1]]],
        title="Khối chính quyền",
        sheets=[
            ("Khối Đảng", party),
            ("Hướng dẫn", [["Cột", "Cách ghi"], ["Họ và tên", "đầy đủ"]]),
            ("Tổng hợp", [["Tổng số", 3]]),
            ("Ẩn", [HEADER, [1, *PEOPLE[2]]]),
        ],
        hidden=["Ẩn"],
    )
    p = preview_officials(data, "ds.xlsx")
    assert p.sheets == ("Khối chính quyền", "Khối Đảng")
    assert [(r.sheet, r.number) for r in p.rows] == [
        ("Khối chính quyền", 2),
        ("Khối chính quyền", 3),
        ("Khối Đảng", 2),
    ]
    assert codes(p) == [("sheet_ignored", None)]  # "Tổng hợp"; the guide is skipped silently
    assert p.issues[0].sheet == "Tổng hợp"
    assert p.ok
    only = preview_officials(data, "ds.xlsx", sheet="Khối Đảng")
    assert [r.sheet for r in only.rows] == ["Khối Đảng"]
    missing = preview_officials(data, "ds.xlsx", sheet="Khối khác")
    assert codes(missing) == [("sheet_not_found", None)]
    assert "“Khối chính quyền”, “Khối Đảng”" in missing.errors[0].message_vi


def test_duplicates_across_sheets_name_the_other_sheet() -> None:
    data = xlsx(
        [HEADER, [1, *PEOPLE[0]]],
        title="Tờ 1",
        sheets=[("Tờ 2", [HEADER, [1, *PEOPLE[0]]])],
    )
    p = preview_officials(data, "ds.xlsx")
    (e,) = p.errors
    assert e.text_vi.startswith("Trang tính “Tờ 2”, ô B2: Trùng người: “Phạm Thị Hạnh” đã có ở")
    assert "dòng 2 (trang tính “Tờ 1”)" in e.message_vi


def test_people_at_several_places() -> None:
    name = "Hoàng Minh Tuấn"
    rows = [
        HEADER,
        [1, name, "Bí thư", "Huyện ủy Thử Nghiệm", "Khối Đảng, đoàn thể"],
        [2, name, "Chủ tịch HĐND", "HĐND huyện Thử Nghiệm", "Khối dân cử"],
        [3, name, "Trưởng Ban", "Ban Chỉ đạo (thử)", "Khối Đảng, đoàn thể"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("namesake", "B3"), ("too_many_places", "B4")]
    assert p.warnings[0].message_vi.startswith("Cùng họ tên với dòng 2 (Huyện ủy Thử Nghiệm)")
    assert "không quá 2 nơi" in p.errors[0].message_vi
    assert "Ngày sinh" in p.errors[0].message_vi
    assert preview_officials(xlsx(rows), "ds.xlsx", max_places=3).ok


def test_a_birth_date_tells_namesakes_apart() -> None:
    name = "Hoàng Minh Tuấn"
    header = [*HEADER, "Ngày sinh"]
    rows = [
        header,
        [1, name, "Giám đốc", "Sở Tư pháp", "", "", "01/02/1970"],
        [2, name, "Phó Giám đốc", "Sở Tư pháp", "", "", "03/04/1975"],
        [3, name, "Trưởng phòng", "Sở Y tế", "", "", "05/06/1980"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert p.issues == ()
    assert p.rows[0].date("birth_date") == date(1970, 2, 1)


def test_one_agency_in_two_blocks() -> None:
    rows = [
        HEADER,
        [1, "Phạm Thị Hạnh", "Giám đốc", "Sở Tư pháp", "Khối chính quyền"],
        [2, "Đỗ Minh Khoa", "Phó Giám đốc", "Sở Tư pháp", "Khối nội chính"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("agency_two_blocks", "E3")]


def test_warnings_do_not_block() -> None:
    rows = [
        [*HEADER, "Có xác nhận của cơ sở y tế"],
        [1, "Phạm Thị Hạnh", "Giám đốc", "Sở Tư pháp", "", "15/03/2031", "x"],
    ]
    p = preview_officials(xlsx(rows), "ds.xlsx", today=date(2025, 1, 1))
    assert codes(p) == [("future_date", "F2"), ("certificate_without_leave", "G2")]
    assert p.ok
    assert p.issues_by_cell()[("Cán bộ", 2, "appointed_or_elected_on")] == [p.issues[0]]


def test_voters_position_and_unit_are_joined() -> None:
    rows = [
        ["TT", "Họ tên", "Chức vụ", "Đơn vị"],
        [1, "Trịnh Văn Lộc", "Phó Chánh Văn phòng", "Văn phòng Tỉnh ủy"],
        [2, "Mai Thị Ngọc", "", "Ban Tổ chức Tỉnh ủy"],
        [3, "Tạ Quang Huy"],
        [4, "Trịnh Văn Lộc", "Phó Chánh Văn phòng", "Văn phòng Tỉnh ủy"],
        [5, "Trịnh Văn Lộc", "Chuyên viên", "Ban Dân vận"],
    ]
    p = preview_voters(xlsx(rows, title="Thành phần"), "tp.xlsx")
    assert [r.text("position") for r in p.rows] == [
        "Phó Chánh Văn phòng, Văn phòng Tỉnh ủy",
        "Ban Tổ chức Tỉnh ủy",
        "",
        "Phó Chánh Văn phòng, Văn phòng Tỉnh ủy",
        "Chuyên viên, Ban Dân vận",
    ]
    assert codes(p) == [("duplicate_person", "B5"), ("namesake", "B6")]


def test_agencies_list() -> None:
    rows = [
        ["Khối", "Tên cơ quan, đơn vị"],
        ["Khối chính quyền", "Sở Tư pháp"],
        ["Khối chính quyền", "Sở Y tế"],
        ["Khối chính quyền", "Sở Tư Pháp"],
        ["Khối nội chính", "Sở Y tế"],
    ]
    p = preview_agencies(xlsx(rows), "cq.xlsx")
    assert codes(p) == [("duplicate_agency", "B4"), ("duplicate_agency", "B5")]
    assert "mỗi cơ quan chỉ thuộc một khối" in p.errors[1].message_vi


# ------------------------------------------------------------- not XLSX at all


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "code", "says"),
    [
        (b"", "ds.xlsx", "file_empty", "Tệp trống"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "ds.xls", "file_unsupported", ".xls"),
        (b"%PDF-1.7\n", "ds.pdf", "file_unsupported", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "anh-chup.csv", "file_unsupported", "tệp ảnh"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "ds.xls", "file_unsupported", "HTML"),
        (_zip({"word/document.xml": b"<w/>"}), "ds.docx", "file_unsupported", "Word"),
        (_zip({"mimetype": b"application/vnd.oasis"}), "ds.ods", "file_unsupported", ".ods"),
        (_zip({"a.txt": b"a"}), "ds.zip", "file_corrupt", "không phải tệp Excel"),
        (b"Ho va ten,Chuc vu\n", "ds.xlsx", "file_corrupt", "có đuôi .xlsx"),
    ],
)
def test_files_that_are_not_lists(data: bytes, filename: str, code: str, says: str) -> None:
    p = preview_officials(data, filename)
    assert codes(p) == [(code, None)]
    assert says in p.errors[0].message_vi
    assert p.rows == ()


def test_truncated_xlsx() -> None:
    data = xlsx([HEADER, *officials_rows()])
    p = preview_officials(data[: len(data) // 2], "ds.xlsx")
    assert codes(p) == [("file_corrupt", None)]


def test_preview_identifies_the_file() -> None:
    import hashlib

    data = xlsx([HEADER, *officials_rows()])
    p = preview_officials(data, "danh sách.xlsx")
    assert p.sha256 == hashlib.sha256(data).hexdigest()
    assert p.filename == "danh sách.xlsx"
    assert p.kind == "officials"


def test_merged_cells_outside_the_imported_columns_are_harmless() -> None:
    rows = [[*HEADER, "Ghi chú"], *([*r, "nghỉ phép"] for r in officials_rows())]
    p = preview_officials(xlsx(rows, merges=["A2:A3", "G2:G5"]), "ds.xlsx")
    assert p.ok
    assert p.issues == ()
    assert len(p.rows) == 4


def test_data_far_to_the_right_is_refused() -> None:
    rows = [HEADER, *officials_rows()]
    rows[2] = [*rows[2], *([None] * 300), "?"]
    p = preview_officials(xlsx(rows), "ds.xlsx")
    assert codes(p) == [("too_many_columns", None)]
    assert "cột KU" in p.errors[0].message_vi  # the 307th column
