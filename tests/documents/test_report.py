"""The result report (Phụ lục 4) and the biên bản kiểm phiếu, PDF and DOCX.

Every figure is checked against hand-counted values (conftest.SMALL_EXPECTED),
every ND30 / HD36 detail against docs/document-format.md §6.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.documents._helpers import (
    assert_nfc,
    assert_not_blank,
    page_count,
    pdf_font_names,
    pdftotext,
    pypdf_pages,
    render_page,
    require_tool,
    squash,
)
from tests.documents.conftest import SMALL_EXPECTED, tally_of
from tinnhiem.documents import (
    DocumentError,
    ReportDetails,
    Variant,
    render_report_docx,
    render_report_pdf,
    report_model,
)
from tinnhiem.record import ConferenceRecord, loads_record
from tinnhiem.rules import TallyResult, get_profile, tally
from tinnhiem.rules.profiles import Band

DETAILS = ReportDetails(
    number=5,
    place="Hà Giang",
    chair="Nguyễn Thị Huyền Trang",
    committee_size=3,
    start=time(8, 30),
    end=time(9, 15),
    location="Hội trường Sở Nội vụ",
    assigned_by="Hội nghị",
    voters="tập thể lãnh đạo Sở Nội vụ",
    subjects="các chức danh lãnh đạo Sở",
    drafter="BKP",
)
DATE_LINE = re.compile(r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (01|02|[3-9]|1[0-2]) năm \d{4}$")
NUMBER_ND30 = re.compile(r"^Số: \d{2,}/[A-Za-zĐđ]+(-[A-Za-zĐđ0-9]+)+$")
NUMBER_HD36 = re.compile(r"^Số \d{2,}-[A-ZĐa-zđ]+/[A-ZĐ]+$")


@pytest.fixture(scope="module")
def pdf(small_record: ConferenceRecord, small_result: TallyResult) -> bytes:
    return render_report_pdf(small_record, small_result, DETAILS)


@pytest.fixture(scope="module")
def docx_bytes(small_record: ConferenceRecord, small_result: TallyResult) -> bytes:
    return render_report_docx(small_record, small_result, DETAILS)


def copies_of(pages: list[str]) -> list[str]:
    """The text of each copy (a copy starts on the page that prints "Bản số")."""
    copies: list[str] = []
    for page in pages:
        if "Bản số:" in page:
            copies.append(page)
        else:
            copies[-1] += "\n" + page
    return copies


# ---------------------------------------------------------------- PDF


def test_pdf_has_the_nd30_header_and_three_numbered_copies(pdf: bytes, tmp_path: Path) -> None:
    text = pdftotext(pdf, tmp_path)
    assert_nfc(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 3
    assert lines.count("Độc lập - Tự do - Hạnh phúc") == 3
    assert lines.count("Số: 05/BC-BKP") == 3
    assert all(NUMBER_ND30.match(line) for line in lines if line.startswith("Số: "))
    dates = [line for line in lines if "ngày" in line and "tháng" in line and "," in line[:20]]
    assert dates.count("Hà Giang, ngày 05 tháng 02 năm 2024") == 3
    assert all(DATE_LINE.match(d) for d in dates if d.startswith("Hà Giang"))
    for n in ("01/03", "02/03", "03/03"):
        assert lines.count(f"Bản số: {n}") == 1
    assert lines.count("MẬT") == 3
    assert lines.count("SỞ NỘI VỤ TỈNH HÀ GIANG") == 3
    assert lines.count("BAN KIỂM PHIẾU") == 3
    assert lines.count("BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM") == 3


def test_pdf_body_follows_phu_luc_4(pdf: bytes) -> None:
    copies = [squash(c) for c in copies_of(pypdf_pages(pdf))]
    assert len(copies) == 3
    for text in copies:
        for expected in (
            "Tại hội nghị lấy phiếu tín nhiệm đối với lãnh đạo Sở Nội vụ tỉnh Hà Giang",
            "Thực hiện nhiệm vụ do Hội nghị giao, từ 08 giờ 30 phút đến 09 giờ 15 phút, "
            "ngày 05/02/2024, tại Hội trường Sở Nội vụ, Ban Kiểm phiếu gồm 3 đồng chí, do đồng "
            "chí Nguyễn Thị Huyền Trang làm Trưởng Ban đã tiến hành kiểm phiếu tín nhiệm của tập "
            "thể lãnh đạo Sở Nội vụ đối với các chức danh lãnh đạo Sở; kết quả cụ thể như sau:",
            "1. Tổng số ủy viên ban chấp hành (đại biểu): 10 đồng chí.",
            "- Số có mặt dự hội nghị (kỳ họp): …… đồng chí.",
            "- Số vắng mặt từ đầu hội nghị (kỳ họp) đến trước thời điểm bỏ phiếu: …… đồng chí.",
            "- Số có mặt tại thời điểm bỏ phiếu: 9 đồng chí.",
            "- Số phiếu phát ra: 9 phiếu.",
            "- Số phiếu thu về: 9 phiếu.",
            "2. Kết quả kiểm phiếu",
            "Số phiếu hợp lệ",
            "Mức độ tín nhiệm",
            "Tỷ lệ %",
            "Ghi chú: Tỷ lệ % tính trên tổng số phiếu thu về.",
            "T/M BAN KIỂM PHIẾU",
            "TRƯỞNG BAN",
            "(Ký, ghi rõ họ tên)",
            "Nơi nhận:",
            "- Lưu: VT, hồ sơ hội nghị (01 bản).",
            "Số lượng: 03 bản.",
            "Không được sao, chụp.",
            "BKP.(03)",
        ):
            assert expected in text, expected


def test_pdf_rows_hold_the_core_figures(pdf: bytes, tmp_path: Path) -> None:
    """Row i of the table (its STT, the figures on the same line) holds person i's figures."""
    text = pdftotext(pdf, tmp_path, first=1, last=2, layout=True)
    for stt, (name, expected) in enumerate(SMALL_EXPECTED.items(), start=1):
        lines = [ln for ln in text.splitlines() if re.match(rf"^\s*{stt}\s", ln) and "%" in ln]
        assert lines, name
        assert tuple(lines[0].split()[-7:]) == expected, name
        assert name in squash(text)


def test_pdf_names_the_persons_in_legal_bands(pdf: bytes, small_record: ConferenceRecord) -> None:
    text = squash(copies_of(pypdf_pages(pdf))[0])
    profile = get_profile(small_record.profile_id)
    two_thirds = profile.consequence(small_record.kind, Band.TWO_THIRDS_LOW)
    over_half = profile.consequence(small_record.kind, Band.OVER_HALF_LOW)
    assert (
        "3. Người có số phiếu tín nhiệm thấp thuộc ngưỡng phải xem xét theo Quy định 96-QĐ/TW:"
        in text
    )
    assert (
        squash(
            f"- Lê Văn Ấn (Chánh Văn phòng Sở Nội vụ): 6/9 phiếu tín nhiệm thấp (66,67%); "
            f"từ 2/3 tín nhiệm thấp trở lên. {two_thirds}"
        )
        in text
    )
    assert (
        squash(
            f"- Đặng Thị Ngọc Ánh (Chánh Thanh tra Sở Nội vụ): 5/9 phiếu tín nhiệm thấp (55,56%); "
            f"trên 50% đến dưới 2/3 tín nhiệm thấp. {over_half}"
        )
        in text
    )
    assert text.rstrip().count("./.") == 1


def test_page_numbers_restart_per_copy_and_skip_page_one(
    long_record: ConferenceRecord, tmp_path: Path
) -> None:
    pdf = render_report_pdf(long_record, tally_of(long_record), ReportDetails())
    pages = page_count(pdf)
    assert pages % 3 == 0
    assert pages > 3
    per_copy = pages // 3
    for page in range(1, pages + 1):
        first_line = pdftotext(pdf, tmp_path, first=page, last=page).strip().splitlines()[0]
        n = (page - 1) % per_copy + 1
        if n == 1:
            assert not first_line.strip().isdigit()
        else:
            assert first_line.strip() == str(n)
    text = squash(pypdf_pages(pdf)[1])
    assert "STT" in text, "the table header repeats"
    assert "Họ và tên" in text


def test_party_layout(
    small_record: ConferenceRecord, small_result: TallyResult, tmp_path: Path
) -> None:
    pdf = render_report_pdf(
        small_record,
        small_result,
        ReportDetails(party=True, number=5, parent="Đảng bộ tỉnh Hà Giang", place="Hà Giang"),
    )
    lines = [line.strip() for line in pdftotext(pdf, tmp_path).splitlines() if line.strip()]
    assert lines.count("ĐẢNG CỘNG SẢN VIỆT NAM") == 3
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in lines
    assert lines.count("*") == 3
    assert lines.count("Số 05-BC/BKP") == 3
    assert all(NUMBER_HD36.match(line) for line in lines if line.startswith("Số 0"))
    assert lines.count("ĐẢNG BỘ TỈNH HÀ GIANG") == 3


def test_minutes_variant(
    small_record: ConferenceRecord, small_result: TallyResult, tmp_path: Path
) -> None:
    details = ReportDetails(
        variant=Variant.MINUTES,
        start=time(8, 30),
        end=time(9, 15),
        committee_members=("Võ Thị Ỷ", "Hoàng Thùy Dũng"),
        copies=3,
    )
    pdf = render_report_pdf(small_record, small_result, details)
    text = squash(pdftotext(pdf, tmp_path))
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Lấy phiếu tín nhiệm tại hội nghị lấy phiếu tín nhiệm đối với lãnh đạo Sở Nội vụ" in text
    assert "/BB-BKP" in text
    model = report_model(small_record, small_result, details)
    assert model["header"]["number_line"] == "Số:       /BB-BKP", (
        "number left blank for the registry"
    )
    assert "ngày 05 tháng 02 năm 2024" in text
    assert "Hà Giang, ngày" not in text, "mẫu 1.9: no place and date line in ô 4"
    assert "Hồi 08 giờ 30 phút, ngày 05 tháng 02 năm 2024" in text
    assert (
        "Biên bản kết thúc vào 09 giờ 15 phút, ngày 05 tháng 02 năm 2024; được lập thành 03 bản "
        "(02 bản gửi cấp trên trực tiếp; 01 bản lưu tại cơ quan, đơn vị) và quản lý theo chế độ "
        "mật./."
    ) in text
    assert "CÁC THÀNH VIÊN BAN KIỂM PHIẾU" in text
    assert "Võ Thị Ỷ" in text
    assert "Hoàng Thùy Dũng" in text


def test_binding_vote_report(binding_record: ConferenceRecord, tmp_path: Path) -> None:
    result = tally_of(binding_record)
    pdf = render_report_pdf(binding_record, result, ReportDetails(classification=None))
    text = squash(pdftotext(pdf, tmp_path))
    assert "BÁO CÁO KẾT QUẢ BỎ PHIẾU TÍN NHIỆM" in text
    assert "Không tín" in text, "the column heading (it wraps in its narrow column)"
    assert report_model(binding_record, result)["table"]["levels"] == [
        "Tín nhiệm",
        "Không tín nhiệm",
    ]
    assert "MẬT" not in text
    assert "Không được sao, chụp." not in text
    assert "Võ Thị Ỷ (Phó Giám đốc Sở Nội vụ): 9/9 phiếu không tín nhiệm (100,00%)" in text


def test_pdf_renders_and_embeds_only_liberation_serif(pdf: bytes, tmp_path: Path) -> None:
    assert_not_blank(render_page(pdf, tmp_path, page=1, dpi=40))
    names = pdf_font_names(pdf)
    assert names
    assert all("LiberationSerif" in n for n in names), names


def test_secrecy_stamp_is_red_double_and_20_by_8_mm(pdf: bytes) -> None:
    """Ô 10a: two pure-red rectangles 1 mm apart, 20 × 8 mm outside, at the left margin."""
    from pypdf import PdfReader

    mm = 72 / 25.4
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    ops = content.get_data().decode("latin-1")
    boxes = [
        (float(x), float(y), float(w), float(h))
        for x, y, w, h in re.findall(
            r"1 0 0 -1 ([\d.]+) ([\d.]+) cm/c\d CS 1 0 0 SCN [\d.]+ w 4 M 0 0 m ([\d.]+) 0 l "
            r"[\d.]+ ([\d.]+) l",
            ops,
        )
    ]
    assert len(boxes) == 2, boxes
    (x1, y1, w1, h1), (x2, y2, w2, h2) = boxes
    assert (round(w1 / mm, 2), round(h1 / mm, 2)) == (20.0, 8.0)
    assert (round(w2 / mm, 2), round(h2 / mm, 2)) == (18.0, 6.0)
    assert (round((x2 - x1) / mm, 2), round((y1 - y2) / mm, 2)) == (1.0, 1.0)
    assert round(x1 / mm, 2) == 30.0, "at the left margin (ô 10a)"
    assert re.search(r"/c\d cs 1 0 0 scn\s*BT 0 Tr/f\d+ 13 Tf", ops), "MẬT in red, 13 pt"


# ---------------------------------------------------------------- model


def test_model_uses_only_core_figures(
    small_record: ConferenceRecord, small_result: TallyResult
) -> None:
    model = report_model(small_record, small_result, DETAILS)
    rows = {r[1]: tuple(r[3:]) for r in model["table"]["rows"]}
    assert rows == SMALL_EXPECTED
    assert model["note"] == "Ghi chú: Tỷ lệ % tính trên tổng số phiếu thu về."
    assert model["copies"] == ["Bản số: 01/03", "Bản số: 02/03", "Bản số: 03/03"]
    assert model["header"]["stamp"] == {"text": "MẬT", "width_mm": 20.0, "height_mm": 8.0}


def test_copy_selection_and_errors(
    small_record: ConferenceRecord, small_result: TallyResult
) -> None:
    model = report_model(small_record, small_result, ReportDetails(copy_numbers=(2,)))
    assert model["copies"] == ["Bản số: 02/03"]
    for bad in (
        ReportDetails(copies=0),
        ReportDetails(copy_numbers=(4,)),
        ReportDetails(classification="BÍ MẬT"),
        ReportDetails(number=0),
        ReportDetails(committee_size=-1),
    ):
        with pytest.raises(DocumentError):
            report_model(small_record, small_result, bad)


def test_blank_record_fields_print_as_blanks(small_result: TallyResult) -> None:
    from tests.documents.conftest import record_from, small_record_json

    data = small_record_json()
    for key in ("title", "unit", "date", "id"):
        del data[key]
    record = record_from(data)
    model = report_model(record, tally_of(record), ReportDetails(day=None))
    assert model["header"]["date_line"] == "……, ngày …… tháng …… năm ……"
    assert model["subtitle"] == "Tại hội nghị (kỳ họp) ………………"
    assert model["header"]["number_line"] == "Số:       /BC-BKP"
    assert "từ …… giờ …… phút đến …… giờ …… phút, ngày ……/……/……" in model["intro"]


# ---------------------------------------------------------------- DOCX


def test_docx_page_setup_and_fonts(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    assert len(doc.sections) == 3
    for section in doc.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.1)
        assert abs(section.page_height - Mm(297)) < Mm(0.1)
        margins = (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
        for got, want in zip(margins, (20, 20, 30, 15), strict=True):
            assert abs(got - Mm(want)) < Mm(0.1)
        assert section.different_first_page_header_footer
        pg = section._sectPr.find(qn("w:pgNumType"))
        assert pg is not None
        assert pg.get(qn("w:start")) == "1"
    header_xml = doc.sections[0].header._element.xml
    assert "PAGE" in header_xml
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 13
    fonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attr)) == "Times New Roman"
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            assert run.font.size is None or 11 <= run.font.size.pt <= 15
            assert_nfc(run.text)


def test_docx_text_and_tables(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM") == 3
    assert [t for t in texts if t.startswith("Bản số")] == [
        "Bản số: 01/03",
        "Bản số: 02/03",
        "Bản số: 03/03",
    ]
    assert texts.count("Ghi chú: Tỷ lệ % tính trên tổng số phiếu thu về.") == 3
    assert texts.count("- Số phiếu thu về: 9 phiếu.") == 3
    head = doc.tables[0]
    cells = [c.text for c in head.rows[0].cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells[1]
    assert "Độc lập - Tự do - Hạnh phúc" in cells[1]
    assert "Hà Giang, ngày 05 tháng 02 năm 2024" in cells[1]
    assert "Số: 05/BC-BKP" in cells[0]
    stamp = doc.tables[1]
    assert stamp.rows[0].cells[0].text == "MẬT"
    borders = stamp._tbl.tblPr.find(qn("w:tblBorders"))
    for edge in ("top", "left", "bottom", "right"):
        el = borders.find(qn(f"w:{edge}"))
        assert el.get(qn("w:val")) == "double"
        assert el.get(qn("w:color")) == "FF0000"
    assert abs(stamp.rows[0].height - Mm(8)) < Mm(0.1)
    assert abs(stamp.rows[0].cells[0].width - Mm(20)) < Mm(0.1)
    results = doc.tables[2]
    assert len(results.rows) == 3 + len(SMALL_EXPECTED)
    header_rows = [
        r
        for r in results.rows
        if r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None
    ]
    assert len(header_rows) == 3
    assert results.rows[0].cells[0].text == "STT"
    assert results.rows[1].cells[4].text == "Cao"
    assert results.rows[2].cells[5].text == "Tỷ lệ %"
    for row in results.rows[3:]:
        values = [c.text for c in row.cells]
        assert tuple(values[3:]) == SMALL_EXPECTED[values[1]]
    sign = doc.tables[3]
    assert "T/M BAN KIỂM PHIẾU" in sign.rows[0].cells[1].text
    assert "Nguyễn Thị Huyền Trang" in sign.rows[0].cells[1].text
    assert "Nơi nhận:" in sign.rows[0].cells[0].text


def test_docx_party_minutes(small_record: ConferenceRecord, small_result: TallyResult) -> None:
    data = render_report_docx(
        small_record,
        small_result,
        ReportDetails(party=True, variant=Variant.MINUTES, copies=1, number=3),
    )
    doc = Document(io.BytesIO(data))
    head = [c.text for c in doc.tables[0].rows[0].cells]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in head[1]
    assert "Số 03-BB/BKP" in head[0]
    assert "*" in head[0]
    texts = [p.text for p in doc.paragraphs]
    assert "BIÊN BẢN KIỂM PHIẾU" in texts
    assert len(doc.sections) == 1


def test_docx_opens_in_libreoffice(docx_bytes: bytes, tmp_path: Path) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    src = tmp_path / "report.docx"
    src.write_bytes(docx_bytes)
    profile = tmp_path / "lo-profile"
    out = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    pdf = (tmp_path / "report.pdf").read_bytes()
    text = squash(pdftotext(pdf, tmp_path))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 05/BC-BKP",
        "Hà Giang, ngày 05 tháng 02 năm 2024",
        "Bản số: 03/03",
        "Võ Thị Ỷ",
        "66,67%",
        "T/M BAN KIỂM PHIẾU",
    ):
        assert expected in text
    assert page_count(pdf) >= 3
    assert_not_blank(render_page(pdf, tmp_path, page=1, dpi=40))


def test_docx_is_valid_after_a_round_trip(docx_bytes: bytes) -> None:
    doc = Document(io.BytesIO(docx_bytes))
    buf = io.BytesIO()
    doc.save(buf)
    again = Document(io.BytesIO(buf.getvalue()))
    assert [p.text for p in again.paragraphs] == [p.text for p in doc.paragraphs]


def test_dates_follow_nd30_padding(
    small_record: ConferenceRecord, small_result: TallyResult
) -> None:
    for day, expected in (
        (date(2024, 2, 5), "Hà Giang, ngày 05 tháng 02 năm 2024"),
        (date(2023, 8, 24), "Hà Giang, ngày 24 tháng 8 năm 2023"),
        (date(2020, 1, 5), "Hà Giang, ngày 05 tháng 01 năm 2020"),
        (date(2024, 12, 10), "Hà Giang, ngày 10 tháng 12 năm 2024"),
    ):
        model = report_model(small_record, small_result, ReportDetails(place="Hà Giang", day=day))
        assert model["header"]["date_line"] == expected
        assert DATE_LINE.match(expected)


def test_a_trace_line_names_who_downloaded_the_copy_on_every_page(tmp_path: Path) -> None:
    """Each download of a "Mật" report carries who took it and when (web delivery)."""
    record = loads_record(
        (Path(__file__).resolve().parents[2] / "examples" / "hoa-binh-thads-2023.json").read_text(
            encoding="utf-8"
        )
    )
    result = tally(record.conference, get_profile(record.profile_id))
    trace = "Tải về bởi Nguyễn Thị Thử lúc 10:55 ngày 24/11/2026"
    details = ReportDetails(trace=trace)
    pdf = render_report_pdf(record, result, details)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    pdftotext = require_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count(trace) == page_count(pdf)
    doc = Document(io.BytesIO(render_report_docx(record, result, details)))
    assert all(s.first_page_footer.paragraphs[0].text == trace for s in doc.sections)
    assert all(s.footer.paragraphs[0].text == trace for s in doc.sections)
