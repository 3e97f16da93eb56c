"""One cell as a date, a yes/no, text; header keys; issue locations."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time

import pytest

from tinnhiem.spreadsheets import OFFICIALS, VOTERS, Issue, Severity, clean_text, column_letter
from tinnhiem.spreadsheets.schema import IGNORED
from tinnhiem.spreadsheets.text import bad_name_characters, header_key, legacy_characters
from tinnhiem.spreadsheets.values import Problem, parse_bool, parse_date, text_of


@pytest.mark.parametrize(
    "cell",
    [
        date(2021, 3, 15),
        datetime(2021, 3, 15),
        datetime(2021, 3, 15, 10, 30),
        "15/03/2021",
        "15/3/2021",
        " 15 / 03 / 2021 ",
        "15-03-2021",
        "15.03.2021",
        "2021-03-15",
        "2021-3-15",
        "2021-03-15 00:00:00",
        "2021-03-15T00:00",
        "ngày 15 tháng 3 năm 2021",
        "Ngày 15 tháng 03 năm 2021",
        "15 tháng 3 năm 2021",
        unicodedata.normalize("NFD", "ngày 15 tháng 3 năm 2021"),
    ],
)
def test_every_accepted_date_form(cell: object) -> None:
    assert parse_date(cell) == date(2021, 3, 15)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", [None, "", "   ", "\u00a0"])
def test_empty_date_is_none(cell: str | None) -> None:
    assert parse_date(cell) is None


@pytest.mark.parametrize(
    ("cell", "code", "says"),
    [
        ("31/02/2021", "bad_date", "không có thật"),
        ("29/02/2023", "bad_date", "không có ngày 29"),
        ("03/15/2021", "bad_date", "có phải 15/03/2021"),
        ("15/03/21", "bad_date", "4 chữ số"),
        ("03/2021", "bad_date", "thiếu ngày"),
        ("2021", "bad_date", "thiếu ngày"),
        ("hôm qua", "bad_date", "không phải ngày"),
        ("15/03/1850", "date_out_of_range", "1850"),
        (date(2150, 1, 1), "date_out_of_range", "2150"),
        (44270.0, "wrong_type", "15/03/2021"),  # an Excel serial in a General cell
        (12.5, "wrong_type", "số 12.5"),
        (True, "wrong_type", "đúng/sai"),
        (time(10, 0), "wrong_type", "giờ"),
    ],
)
def test_refused_dates_say_why(cell: object, code: str, says: str) -> None:
    result = parse_date(cell)  # type: ignore[arg-type]
    assert isinstance(result, Problem)
    assert result.code == code
    assert says in result.vi
    assert result.en


@pytest.mark.parametrize(
    "cell", ["x", "X", " x ", "có", "Có", "CÓ", "co", "yes", "1", "TRUE", "✓", True, 1.0]
)
def test_yes(cell: object) -> None:
    assert parse_bool(cell) is True  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", [None, "", "không", "Không", "khong", "0", "-", False, 0.0])
def test_no(cell: object) -> None:
    assert parse_bool(cell) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["có thể", "maybe", 2.0, date(2021, 1, 1)])
def test_not_yes_or_no(cell: object) -> None:
    result = parse_bool(cell)  # type: ignore[arg-type]
    assert isinstance(result, Problem)
    assert result.code == "bad_bool"
    assert "“x”" in result.vi


def test_text_is_nfc_and_single_spaced() -> None:
    raw = "  Nguyễn\u00a0\u00a0Thị\tThu \n Hà\u200b "
    nfd = unicodedata.normalize("NFD", raw)
    for value in (raw, nfd):
        cleaned = clean_text(value)
        assert cleaned == "Nguyễn Thị Thu Hà"
        assert unicodedata.is_normalized("NFC", cleaned)


def test_numbers_as_text() -> None:
    assert text_of(115.0, numbers_allowed=True) == "115"
    problem = text_of(115.0, numbers_allowed=False)
    assert isinstance(problem, Problem)
    assert problem.code == "wrong_type"


def test_legacy_font_text_is_noticed() -> None:
    # "Nguyễn Văn An" typed with a TCVN3 (ABC) font, read as Unicode
    assert legacy_characters("NguyÔn V¨n An") == "¨"
    assert bad_name_characters("Lê Văn 3") == "3"
    assert bad_name_characters("Hoàng Thị Mỹ-Duyên") == ""


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("Họ tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ho va ten", "full_name"),
        ("Họ và tên (*)", "full_name"),
        ("Họ và tên\n(2)", "full_name"),
        ("Họ và tên cán bộ được lấy phiếu", "full_name"),
        (unicodedata.normalize("NFD", "Họ và tên"), "full_name"),
        ("Chức vụ", "position"),
        ("Chức danh", "position"),
        ("Cơ quan, đơn vị", "agency"),
        ("Cơ quan/đơn vị", "agency"),
        ("Đơn vị công tác", "agency"),
        ("Tên đơn vị", "agency"),
        ("Khối", "block"),
        ("Ngày bổ nhiệm", "appointed_or_elected_on"),
        ("Ngày bổ nhiệm (dd/mm/yyyy)", "appointed_or_elected_on"),
        ("Ngày được bầu, bổ nhiệm", "appointed_or_elected_on"),
        ("Bổ nhiệm lại", "reappointed_same_post"),
        ("Chờ nghỉ hưu", "retirement_notice"),
        ("Giữ chức vụ từ ngày", "in_post_since"),
        ("Ngày sinh", "birth_date"),
    ],
)
def test_officials_headers(header: str, field: str) -> None:
    match = OFFICIALS.match(header)
    assert match is not IGNORED
    assert match is not None
    assert match.key == field  # type: ignore[union-attr]


def test_known_but_ignored_and_unknown_headers() -> None:
    assert OFFICIALS.match("STT") is IGNORED
    assert OFFICIALS.match("Ghi chú") is IGNORED
    assert OFFICIALS.match("Quê quán") is None
    assert OFFICIALS.match("") is None
    assert VOTERS.match("Chức vụ, đơn vị").key == "position"  # type: ignore[union-attr]


def test_header_key() -> None:
    assert header_key("  Cơ quan,  ĐƠN VỊ (*) ") == "co quan don vi"


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_issue_locations() -> None:
    cell = Issue("bad_date", Severity.ERROR, "Sai.", "Wrong.", sheet="Cán bộ", row=5, column="C")
    assert cell.ref == "C5"
    assert cell.text_vi == "Trang tính “Cán bộ”, ô C5: Sai."
    assert cell.text_en == "Sheet “Cán bộ”, cell C5: Wrong."
    span = Issue("merged_cells", Severity.ERROR, "Gộp.", "Merged.", row=6, column="D", span="D6:D8")
    assert span.text_vi == "Các ô D6:D8: Gộp."
    row = Issue("row_skipped", Severity.WARNING, "Bỏ qua.", "Skipped.", row=7)
    assert row.text_vi == "Dòng 7: Bỏ qua."
    assert str(Issue("file_empty", Severity.ERROR, "Tệp trống.", "Empty.")) == "Tệp trống."
