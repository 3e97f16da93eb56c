"""The personal report of a person polled (Phụ lục 2 of KH 240/KH-UBND), as DOCX.

Pre-filled with the person's name, position and unit from the conference
record, the form's headings and guidance, and, on a section of its own
with its own page numbering, the dossier checklist of Phụ lục 1 ("Danh mục
hồ sơ người được lấy phiếu tín nhiệm"). Everything else is left for the
person to write: the file is meant to be edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tinnhiem.documents.common import LONG_BLANK, at_meeting, date_line, nfc, or_blank
from tinnhiem.documents.docx_util import (
    TEXT_WIDTH_MM,
    cell_para,
    cell_paragraph,
    middle,
    new_document,
    page_number_header,
    para,
    repeat_header,
    restart_numbering,
    rule,
    run,
    set_cell_margins,
    set_column_widths,
    set_table_borders,
    setup_page,
    to_bytes,
)
from tinnhiem.documents.errors import DocumentError
from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import get_profile

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

GUIDANCE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "1. Phẩm chất chính trị, đạo đức, lối sống, ý thức tổ chức kỷ luật",
        (
            "- Lập trường, quan điểm, bản lĩnh chính trị trong thực hiện chủ trương, đường lối "
            "của Đảng, chính sách, pháp luật của Nhà nước; giữ gìn phẩm chất chính trị, đạo đức, "
            "lối sống; tinh thần trách nhiệm trong công việc, thái độ phục vụ Nhân dân; liêm "
            "chính, trung thực, công tâm, khách quan trong thực hiện nhiệm vụ được giao.",
            "- Ý thức tổ chức kỷ luật, việc chấp hành các nguyên tắc tổ chức và hoạt động của "
            "Đảng, nhất là nguyên tắc tập trung dân chủ, tự phê bình và phê bình; chấp hành sự "
            "phân công của tổ chức; thực hiện các quy định, quy chế của cấp ủy, tổ chức đảng, cơ "
            "quan, đơn vị nơi công tác; khả năng quy tụ, đoàn kết nội bộ và xử lý những vấn đề "
            "khó, phức tạp, nhạy cảm.",
            "- Kết quả lãnh đạo, chỉ đạo thực hiện chủ trương của Đảng về đấu tranh phòng, chống "
            "tham nhũng, tiêu cực, những điều đảng viên không được làm và trách nhiệm nêu gương; "
            "sự gương mẫu của bản thân và vợ, chồng, con trong việc chấp hành chính sách, pháp "
            "luật của Nhà nước; việc thường xuyên giữ mối liên hệ với cấp ủy nơi cư trú.",
        ),
    ),
    (
        "2. Kết quả thực hiện chức trách, nhiệm vụ được giao (tính từ đầu nhiệm kỳ đến thời "
        "điểm lấy phiếu)",
        (
            "- Kết quả lãnh đạo, tham mưu tổ chức thực hiện chủ trương, đường lối của Đảng, chính "
            "sách, pháp luật của Nhà nước trong lĩnh vực, phạm vi phụ trách; tính năng động, đổi "
            "mới, sáng tạo, quyết đoán, dám nghĩ, dám làm, dám chịu trách nhiệm trong việc thực "
            "hiện nhiệm vụ được giao.",
            "- Số lượng, chất lượng sản phẩm, hiệu quả thực hiện chức trách, nhiệm vụ được giao; "
            "mức độ hoàn thành nhiệm vụ của các tổ chức, cơ quan, đơn vị trực thuộc.",
            "- Kết quả lãnh đạo công tác cán bộ; đấu tranh phòng, chống tham nhũng, tiêu cực; "
            "công tác kiểm tra, giám sát; giải quyết đơn, thư khiếu nại, tố cáo trong lĩnh vực, "
            "phạm vi phụ trách.",
        ),
    ),
    ("3. Hạn chế và giải pháp khắc phục", ()),
    (
        "4. Báo cáo, giải trình các nội dung mà cấp có thẩm quyền hoặc người ghi phiếu tín "
        "nhiệm yêu cầu (nếu có)",
        (),
    ),
)

DOSSIER = (
    "Báo cáo của người được lấy phiếu tín nhiệm.",
    "Bản kê khai tài sản, thu nhập theo mẫu ban hành kèm theo quy định hiện hành (có ký xác "
    "nhận của người kê khai và người nhận bản kê khai theo quy định).",
    "Báo cáo giải trình về các nội dung liên quan theo yêu cầu của cấp có thẩm quyền hoặc của "
    "người ghi phiếu tín nhiệm (nếu có).",
)
"""Phụ lục 1 of KH 240/KH-UBND, in its order."""


@dataclass(frozen=True, slots=True)
class PersonalDetails:
    unit: str | None = None
    """Tên tổ chức, cơ quan, đơn vị (default: the record's unit)."""
    place: str | None = None
    recipient: str | None = None
    """Kính gửi: the voters (thành phần ghi phiếu)."""
    meeting: str | None = None
    """Tại kỳ họp (hội nghị) … (default: the record's title)."""
    plan: str | None = None
    """The local plan, e.g. "Kế hoạch số 240/KH-UBND ngày 24/8/2023 của UBND tỉnh Hà Giang"."""


def render_personal_docx(
    record: ConferenceRecord, candidate_id: str, details: PersonalDetails | None = None
) -> bytes:
    """Phụ lục 2 for one person of ``record``, with the Phụ lục 1 checklist.

    :raises DocumentError: ``candidate_id`` is not on the record.
    """
    d = details or PersonalDetails()
    person = next((c for c in record.conference.candidates if c.id == candidate_id), None)
    if person is None:
        known = ", ".join(c.id for c in record.conference.candidates[:20])
        raise DocumentError(
            f"không có người mã '{candidate_id}' trong hồ sơ (có: {known})",
            f"no person with id '{candidate_id}' in the record (known: {known})",
        )
    unit = d.unit if d.unit is not None else record.unit
    meeting = d.meeting if d.meeting is not None else record.title
    doc = new_document(body_pt=14)
    section = doc.sections[0]
    page_number_header(section)

    head = doc.add_table(rows=1, cols=2)
    set_table_borders(head, "nil")
    set_column_widths(head, [70.0, TEXT_WIDTH_MM - 70.0])
    left, right = head.rows[0].cells
    p = cell_paragraph(left)
    p.alignment = CENTER
    run(
        p,
        or_blank(unit, LONG_BLANK).upper() if unit else "Tên tổ chức, cơ quan, đơn vị",
        size=13,
        bold=bool(unit),
    )
    rule(left, 22, 70.0)
    p = cell_paragraph(right)
    p.alignment = CENTER
    run(p, date_line(d.place, None), size=14, italic=True)

    para(doc, "", after=0)
    para(doc, "BÁO CÁO", size=14, bold=True, align=CENTER, after=0)
    para(doc, "CỦA NGƯỜI ĐƯỢC LẤY PHIẾU TÍN NHIỆM", size=14, bold=True, align=CENTER, after=0)
    at = at_meeting(meeting)
    para(doc, at[0].upper() + at[1:], size=14, align=CENTER)
    notes: list[str] = []
    if d.recipient:
        para(doc, f"Kính gửi: {nfc(d.recipient)}", align=CENTER)
    else:
        para(doc, f"Kính gửi: {LONG_BLANK}(1){LONG_BLANK}", align=CENTER)
        notes.append("(1) Ghi các thành phần ghi phiếu tín nhiệm.")
    para(doc, f"- Tôi là (ghi rõ họ và tên): {person.name}", indent=True)
    if person.position:
        para(doc, f"- Chức vụ: {person.position}", indent=True)
    else:
        para(doc, f"- Chức vụ: {LONG_BLANK}(2){LONG_BLANK}", indent=True)
        notes.append("(2) Chức danh được lấy phiếu tín nhiệm.")
    para(doc, f"- Đơn vị công tác: {or_blank(unit, LONG_BLANK)}", indent=True)
    instrument = get_profile(record.profile_id).instrument_vi
    plan = nfc(d.plan) if d.plan else "Kế hoạch (của địa phương, cơ quan, đơn vị)"
    para(
        doc,
        f"Căn cứ vào {instrument} và {plan} về việc lấy phiếu tín nhiệm, tôi xin báo cáo như sau:",
        indent=True,
        align=JUSTIFY,
    )
    for heading, bullets in GUIDANCE:
        para(doc, heading, bold=True, indent=True, align=JUSTIFY)
        for bullet in bullets:
            para(doc, bullet, italic=True, indent=True, align=JUSTIFY)
        para(doc, "", indent=True)

    sign = doc.add_table(rows=1, cols=2)
    set_table_borders(sign, "nil")
    set_column_widths(sign, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    cell = sign.rows[0].cells[1]
    p = cell_paragraph(cell)
    p.alignment = CENTER
    run(p, "Người báo cáo", bold=True)
    cell_para(cell, "(Ký và ghi rõ họ, tên)", italic=True).alignment = CENTER
    for _ in range(4):
        cell_para(cell, "")
    cell_para(cell, person.name, bold=True).alignment = CENTER
    if notes:
        para(doc, "Ghi chú:", bold=True, italic=True, size=12, before=12, after=0)
        for note in notes:
            para(doc, note, italic=True, size=12, after=0)

    _dossier(doc, person.name, person.position, unit, d.plan)
    return to_bytes(doc)


def _dossier(
    doc: DocxDocument, name: str, position: str, unit: str | None, plan: str | None
) -> None:
    """Phụ lục 1 on a new section, page numbers restarted."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    setup_page(section)
    restart_numbering(section)
    para(doc, "Phụ lục", size=14, bold=True, align=CENTER, after=0)
    para(
        doc,
        "DANH MỤC HỒ SƠ NGƯỜI ĐƯỢC LẤY PHIẾU TÍN NHIỆM",
        size=14,
        bold=True,
        align=CENTER,
        after=0,
    )
    if plan:
        para(doc, f"(Kèm theo {nfc(plan)})", italic=True, align=CENTER, after=0)
    rule(doc, 40, TEXT_WIDTH_MM)
    para(doc, "", after=0)
    para(doc, f"Họ và tên: {name}", indent=True, after=0)
    para(doc, f"Chức vụ: {position or LONG_BLANK}", indent=True, after=0)
    para(doc, f"Đơn vị công tác: {or_blank(unit, LONG_BLANK)}", indent=True)
    para(
        doc,
        "Danh mục hồ sơ người được lấy phiếu tín nhiệm thống nhất khổ giấy A4 và sắp xếp theo "
        "thứ tự sau:",
        indent=True,
        align=JUSTIFY,
    )
    table = doc.add_table(rows=1 + len(DOSSIER), cols=4)
    table.style = doc.styles["Table Grid"]
    set_column_widths(table, [13.0, TEXT_WIDTH_MM - 13.0 - 22.0 - 30.0, 22.0, 30.0])
    set_cell_margins(table, side_mm=1.2, top_mm=1.0)
    for cell, text in zip(
        table.rows[0].cells, ("STT", "Tài liệu", "Đã nộp", "Ghi chú"), strict=True
    ):
        middle(cell)
        p = cell_paragraph(cell)
        p.alignment = CENTER
        run(p, text, size=13, bold=True)
    for i, item in enumerate(DOSSIER, start=1):
        cells = table.rows[i].cells
        for cell in cells:
            middle(cell)
        p = cell_paragraph(cells[0])
        p.alignment = CENTER
        run(p, str(i), size=13)
        p = cell_paragraph(cells[1])
        p.alignment = JUSTIFY
        run(p, item, size=13)
    repeat_header(table, 1)
