"""The personal report (Phụ lục 2) with the dossier checklist (Phụ lục 1), DOCX."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.documents._helpers import assert_nfc
from tinnhiem.documents import DocumentError, PersonalDetails, render_personal_docx
from tinnhiem.documents.personal import DOSSIER
from tinnhiem.record import ConferenceRecord


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_prefilled_with_the_person(small_record: ConferenceRecord) -> None:
    data = render_personal_docx(
        small_record,
        "2",
        PersonalDetails(
            place="Hà Giang",
            recipient="Tập thể lãnh đạo và cán bộ chủ chốt Sở Nội vụ",
            plan="Kế hoạch số 240/KH-UBND ngày 24/8/2023 của Ủy ban nhân dân tỉnh Hà Giang",
        ),
    )
    texts = paragraphs(data)
    for expected in (
        "BÁO CÁO",
        "CỦA NGƯỜI ĐƯỢC LẤY PHIẾU TÍN NHIỆM",
        "Tại hội nghị lấy phiếu tín nhiệm đối với lãnh đạo Sở Nội vụ tỉnh Hà Giang",
        "Kính gửi: Tập thể lãnh đạo và cán bộ chủ chốt Sở Nội vụ",
        "- Tôi là (ghi rõ họ và tên): Võ Thị Ỷ",
        "- Chức vụ: Phó Giám đốc Sở Nội vụ",
        "- Đơn vị công tác: Sở Nội vụ tỉnh Hà Giang",
        "1. Phẩm chất chính trị, đạo đức, lối sống, ý thức tổ chức kỷ luật",
        "3. Hạn chế và giải pháp khắc phục",
        "DANH MỤC HỒ SƠ NGƯỜI ĐƯỢC LẤY PHIẾU TÍN NHIỆM",
        "(Kèm theo Kế hoạch số 240/KH-UBND ngày 24/8/2023 của Ủy ban nhân dân tỉnh Hà Giang)",
        "Họ và tên: Võ Thị Ỷ",
    ):
        assert expected in texts, expected
    intro = next(t for t in texts if t.startswith("Căn cứ vào"))
    assert "Quy định số 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị" in intro
    assert "Kế hoạch số 240/KH-UBND" in intro
    assert "Ghi chú:" not in texts, "nothing left to fill in: no form notes"
    doc = Document(io.BytesIO(data))
    head = [c.text.strip() for c in doc.tables[0].rows[0].cells]  # the rule is a paragraph
    assert head == ["SỞ NỘI VỤ TỈNH HÀ GIANG", "Hà Giang, ngày …… tháng …… năm ……"]
    signature = doc.tables[1].rows[0].cells[1].text
    assert "Người báo cáo" in signature
    assert "(Ký và ghi rõ họ, tên)" in signature
    assert "Võ Thị Ỷ" in signature
    checklist = doc.tables[2]
    assert [c.text for c in checklist.rows[0].cells] == ["STT", "Tài liệu", "Đã nộp", "Ghi chú"]
    assert [row.cells[1].text for row in checklist.rows[1:]] == list(DOSSIER)
    for text in texts:
        assert_nfc(text)


def test_the_checklist_is_a_section_with_its_own_page_numbers(
    small_record: ConferenceRecord,
) -> None:
    doc = Document(io.BytesIO(render_personal_docx(small_record, "1")))
    assert len(doc.sections) == 2
    pg = doc.sections[1]._sectPr.find(qn("w:pgNumType"))
    assert pg is not None
    assert pg.get(qn("w:start")) == "1"
    for section in doc.sections:
        assert abs(section.left_margin - Mm(30)) < Mm(0.1)
        assert abs(section.right_margin - Mm(15)) < Mm(0.1)
        assert abs(section.page_height - Mm(297)) < Mm(0.1)


def test_blanks_and_form_notes_when_details_are_missing(small_record: ConferenceRecord) -> None:
    texts = paragraphs(render_personal_docx(small_record, "1"))
    assert "Kính gửi: ………………(1)………………" in texts
    assert "(1) Ghi các thành phần ghi phiếu tín nhiệm." in texts


def test_unknown_person_is_refused(small_record: ConferenceRecord) -> None:
    with pytest.raises(DocumentError) as e:
        render_personal_docx(small_record, "99")
    assert "99" in e.value.message_vi
