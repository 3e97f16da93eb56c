"""Ballot papers: the printed text of Phụ lục 3, and a layout a scanner can trust.

The layout description is checked against the PDF itself: every page is
where the layout says, the fiducials and boxes are drawn at their published
millimetres, and the QR code drawn on the page has, module for module, the
pattern of the payload the layout describes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.documents._helpers import (
    assert_nfc,
    assert_not_blank,
    page_count,
    pdf_font_names,
    pdftotext,
    pypdf_pages,
    render_page,
    squash,
)
from tests.documents.conftest import CountingSerials, long_record_json, record_from
from tinnhiem.documents import (
    BallotText,
    DocumentError,
    ballot_layout,
    parse_qr_payload,
    qr_payload,
    random_serial,
    render_ballots,
)
from tinnhiem.documents.ballots import (
    GEOMETRY,
    SERIAL_ALPHABET,
    _unique_serials,
    conference_key,
    paginate,
    qr_matrix,
)
from tinnhiem.record import ConferenceRecord

TEXT = BallotText(
    voters="tập thể lãnh đạo và cán bộ chủ chốt Ủy ban nhân dân tỉnh",
    subjects="các chức danh lãnh đạo, quản lý",
    place="Hà Giang",
)


@pytest.fixture(scope="module")
def long_batch(long_record: ConferenceRecord) -> Any:
    return render_ballots(long_record, 3, text=TEXT, serial_source=CountingSerials())


def rect_inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 1e-9
        and inner["y"] >= outer["y"] - 1e-9
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + 1e-9
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + 1e-9
    )


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["w"] <= b["x"]
        or b["x"] + b["w"] <= a["x"]
        or a["y"] + a["h"] <= b["y"]
        or b["y"] + b["h"] <= a["y"]
    )


# ---------------------------------------------------------------- printed text


def test_page_one_prints_the_form_of_phu_luc_3(long_batch: Any) -> None:
    pages = pypdf_pages(long_batch.pdf)
    first = squash(pages[0])
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
        "(Đóng dấu treo)",
        "Hà Giang, ngày 24 tháng 8 năm 2023",
        "PHIẾU TÍN NHIỆM",
        "của tập thể lãnh đạo và cán bộ chủ chốt Ủy ban nhân dân tỉnh",
        "đối với các chức danh lãnh đạo, quản lý",
        "năm 2023",
        "Thực hiện Quy định số 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị",
        "bằng cách đánh dấu (X) vào ô tương ứng:",
        "STT",
        "Họ và tên",
        "Chức vụ, đơn vị công tác",
        "Mức độ tín nhiệm",
        "Cao",
        "Tín nhiệm",
        "Thấp",
        "Mã phiếu: TEST-0000-0000-0001",
        "Trang 1/2",
    ):
        assert expected in first, expected
    assert_nfc(pages[0])


def test_long_lists_continue_with_the_header_repeated(
    long_batch: Any, long_record: ConferenceRecord
) -> None:
    layout = long_batch.issued["layout"]
    per_ballot = layout["pages_per_ballot"]
    assert per_ballot == 2
    pages = [squash(p) for p in pypdf_pages(long_batch.pdf)]
    assert len(pages) == 3 * per_ballot
    names = {c.id: c.name for c in long_record.conference.candidates}
    for index, text in enumerate(pages):
        layout_page = layout["pages"][index % per_ballot]
        for head in ("STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Mức độ tín nhiệm"):
            assert head in text
        for row in layout_page["rows"]:
            assert names[row["candidate"]] in text, "each name on the page the layout says"
        others = [c for p in layout["pages"] if p is not layout_page for c in p["rows"]]
        for row in others:
            assert names[row["candidate"]] not in text
        last = index % per_ballot == per_ballot - 1
        assert ("Người ghi phiếu" in text) is last
        assert ("(có thể ký hoặc không ký tên)" in text) is last
        assert ("PHIẾU TÍN NHIỆM (tiếp theo)" in text) is (index % per_ballot > 0)
        serial = f"TEST-0000-0000-{index // per_ballot + 1:04d}"
        assert f"Mã phiếu: {serial}" in text
        assert f"Trang {index % per_ballot + 1}/{per_ballot}" in text


def test_names_keep_every_diacritic_in_pdftotext(
    small_record: ConferenceRecord, tmp_path: Path
) -> None:
    batch = render_ballots(small_record, 1, serial_source=CountingSerials())
    text = pdftotext(batch.pdf, tmp_path)
    for name in (
        "Nguyễn Thị Huyền Trang",
        "Võ Thị Ỷ",
        "Hoàng Thùy Dũng",
        "Lê Văn Ấn",
        "Đặng Thị Ngọc Ánh",
    ):
        assert name in text
    assert "SỞ NỘI VỤ TỈNH HÀ GIANG" in text
    assert "……, ngày 05 tháng 02 năm 2024" in text, "no place given: a blank"
    assert_nfc(text)


def test_binding_ballots_have_two_levels(binding_record: ConferenceRecord) -> None:
    batch = render_ballots(binding_record, 1, serial_source=CountingSerials())
    text = squash(pypdf_pages(batch.pdf)[0])
    assert "Tín nhiệm" in text
    assert "Không tín nhiệm" in text
    assert "Cao" not in text.split("Mức độ tín nhiệm")[1]
    assert "Nghị quyết số 96/2023/QH15" in text
    layout = batch.issued["layout"]
    assert layout["levels"] == ["tin_nhiem", "khong_tin_nhiem"]
    assert set(layout["pages"][0]["rows"][0]["boxes"]) == {"tin_nhiem", "khong_tin_nhiem"}


def test_data_is_never_markup(small_record: ConferenceRecord) -> None:
    data = json.loads(json.dumps(long_record_json(persons=2, ballots=1)))
    data["candidates"][0]["name"] = '#set page(width: 1cm) [*] $x$ "\\'
    data["candidates"][1]["position"] = "#{ panic() }"
    record = record_from(data)
    batch = render_ballots(record, 1, serial_source=CountingSerials())
    text = squash(pypdf_pages(batch.pdf)[0])
    assert '#set page(width: 1cm) [*] $x$ "\\' in text
    assert "#{ panic() }" in text


def test_only_the_package_fonts_are_embedded(long_batch: Any) -> None:
    names = pdf_font_names(long_batch.pdf)
    assert names, "fonts found"
    assert all(re.fullmatch(r"/[A-Z]{6}\+LiberationSerif(-\w+)?", n) for n in names), names


def test_every_page_renders_with_ink(long_batch: Any, tmp_path: Path) -> None:
    for page in (1, 2):
        assert_not_blank(render_page(long_batch.pdf, tmp_path, page=page, dpi=40))


# ---------------------------------------------------------------- serials


def test_random_serials_are_80_bits_in_groups_of_four() -> None:
    serials = {random_serial() for _ in range(2000)}
    assert len(serials) == 2000
    for s in list(serials)[:50]:
        group = f"[{SERIAL_ALPHABET}]{{4}}"
        assert re.fullmatch(f"{group}(-{group}){{3}}", s)
    assert len(SERIAL_ALPHABET) == 32  # 16 symbols × 5 bits = 80 bits


def test_serials_in_the_register_are_unique_and_printed(long_batch: Any) -> None:
    issued = long_batch.issued
    assert issued["format"] == "tinnhiem.ballots-issued/1"
    assert issued["count"] == 3
    assert issued["serials"] == list(long_batch.serials)
    assert len(set(issued["serials"])) == 3
    json.dumps(issued)  # plain JSON


def test_a_repeating_serial_source_is_skipped_then_refused() -> None:
    values = iter(["A", "A", "B", "A", "C"])
    assert _unique_serials(3, lambda: next(values)) == ["A", "B", "C"]
    with pytest.raises(DocumentError):
        _unique_serials(3, lambda: "SAME")
    with pytest.raises(DocumentError):
        _unique_serials(1, lambda: "BAD;SERIAL")


def test_default_serials_come_from_secrets(small_record: ConferenceRecord) -> None:
    a = render_ballots(small_record, 2)
    b = render_ballots(small_record, 2)
    assert not set(a.serials) & set(b.serials)


@pytest.mark.parametrize("count", [0, -1, 100_001])
def test_count_out_of_range_is_refused(small_record: ConferenceRecord, count: int) -> None:
    with pytest.raises(DocumentError):
        render_ballots(small_record, count)


# ---------------------------------------------------------------- layout


@pytest.mark.parametrize("persons", range(1, 61))
def test_pagination_fills_pages_and_keeps_room_for_the_signature(persons: int) -> None:
    pages = paginate(persons)
    assert sum(pages) == persons
    assert all(n >= 1 for n in pages)
    for i, n in enumerate(pages):
        first, last = i == 0, i == len(pages) - 1
        assert n <= GEOMETRY.capacity(first, last)


def test_layout_geometry_is_consistent(long_record: ConferenceRecord) -> None:
    layout = ballot_layout(long_record)
    page = {"x": 0, "y": 0, "w": layout["page_size"]["w"], "h": layout["page_size"]["h"]}
    order = [row["candidate"] for p in layout["pages"] for row in p["rows"]]
    assert order == [c.id for c in long_record.conference.candidates]
    assert [row["stt"] for p in layout["pages"] for row in p["rows"]] == list(
        range(1, len(order) + 1)
    )
    for p in layout["pages"]:
        marks = [p["qr"], *p["fiducials"].values()]
        assert p["fiducials"] == layout["pages"][0]["fiducials"]
        assert p["qr"] == layout["pages"][0]["qr"]
        for m in marks:
            assert rect_inside(m, page)
        boxes = []
        for row in p["rows"]:
            assert rect_inside(row["row"], page)
            for m in marks:
                assert not overlaps(row["row"], m)
            for key, box in row["boxes"].items():
                assert key in layout["levels"]
                assert rect_inside(box, row["row"])
                assert box["w"] == box["h"] == GEOMETRY.box
                boxes.append(box)
        assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        ys = [row["row"]["y"] for row in p["rows"]]
        assert ys == sorted(ys)
        bottom = p["rows"][-1]["row"]["y"] + p["rows"][-1]["row"]["h"]
        assert bottom <= GEOMETRY.rows_bottom
        if "signature" in p:
            assert p["signature"]["y"] >= bottom
            assert p["signature"]["y"] + p["signature"]["h"] <= GEOMETRY.rows_bottom
    assert ["signature" in p for p in layout["pages"]] == [False] * (len(layout["pages"]) - 1) + [
        True
    ]


def test_register_holds_the_layout_of_the_pdf(
    long_batch: Any, long_record: ConferenceRecord
) -> None:
    layout = long_batch.issued["layout"]
    assert layout == ballot_layout(long_record)
    assert layout["format"] == "tinnhiem.ballot-layout/1"
    assert layout["units"] == "mm"
    assert layout["conference"] == "demo-long"
    assert page_count(long_batch.pdf) == long_batch.issued["count"] * layout["pages_per_ballot"]


def test_layout_is_drawn_where_it_says(long_batch: Any, tmp_path: Path) -> None:
    """Fiducials solid black, boxes with dark edges and white centres, at 150 dpi."""
    layout = long_batch.issued["layout"]
    for page_no in (1, 2):
        image = render_page(long_batch.pdf, tmp_path, page=page_no, dpi=150, png=False)
        page = layout["pages"][page_no - 1]
        for f in page["fiducials"].values():
            inner = image.mean(f["x"] + 0.5, f["y"] + 0.5, f["w"] - 1, f["h"] - 1)
            assert inner < 30, "fiducial solid black"
            ring = image.mean(f["x"] - 2.5, f["y"] + 1, 1.5, f["h"] - 2)
            assert ring > 230, "white around the fiducial"
        for row in page["rows"]:
            for box in row["boxes"].values():
                centre = image.mean(box["x"] + 1.5, box["y"] + 1.5, box["w"] - 3, box["h"] - 3)
                assert centre > 240, "the box is empty"
                edge = image.mean(box["x"] - 0.2, box["y"] + 1, 0.6, box["h"] - 2)
                assert edge < 200, "the box's left edge is drawn at x"
                outside = image.mean(box["x"] - 2.5, box["y"] + 1, 1.5, box["h"] - 2)
                assert outside > 230


def test_the_qr_code_on_each_page_is_the_payload_of_the_layout(
    long_batch: Any, tmp_path: Path
) -> None:
    """Sample every module of the printed code and compare with segno's matrix."""
    layout = long_batch.issued["layout"]
    pages = layout["pages_per_ballot"]
    for ballot in (0, 2):
        for k in (1, 2):
            page_no = ballot * pages + k
            qr = layout["pages"][k - 1]["qr"]
            crop = (qr["x"] - 1, qr["y"] - 1, qr["w"] + 2, qr["h"] + 2)
            image = render_page(
                long_batch.pdf, tmp_path, page=page_no, dpi=300, crop_mm=crop, png=False
            )
            payload = qr_payload("demo-long", long_batch.serials[ballot], k, pages)
            matrix = qr_matrix(payload)
            module = qr["w"] / len(matrix)
            wrong = 0
            for r, row in enumerate(matrix):
                for c, dark in enumerate(row):
                    x = qr["x"] + (c + 0.3) * module
                    y = qr["y"] + (r + 0.3) * module
                    level = image.mean(x, y, 0.4 * module, 0.4 * module)
                    wrong += (level < 128) != dark
            assert wrong == 0, f"page {page_no}: {wrong} modules differ"
            other = qr_matrix(qr_payload("demo-long", long_batch.serials[1], k, pages))
            assert other != matrix


def test_a_forced_qr_mask_is_printed(small_record: ConferenceRecord, tmp_path: Path) -> None:
    batch = render_ballots(small_record, 1, serial_source=CountingSerials(), qr_mask=5)
    qr = batch.issued["layout"]["pages"][0]["qr"]
    crop = (qr["x"] - 1, qr["y"] - 1, qr["w"] + 2, qr["h"] + 2)
    image = render_page(batch.pdf, tmp_path, page=1, dpi=300, crop_mm=crop, png=False)
    payload = qr_payload("hg-snv-2024", batch.serials[0], 1, 1)
    forced = qr_matrix(payload, mask=5)
    module = qr["w"] / len(forced)

    def printed(r: int, c: int) -> bool:
        x, y = qr["x"] + (c + 0.3) * module, qr["y"] + (r + 0.3) * module
        return image.mean(x, y, 0.4 * module, 0.4 * module) < 128

    got = [[printed(r, c) for c in range(len(forced))] for r in range(len(forced))]
    assert got == forced
    with pytest.raises(DocumentError):
        render_ballots(small_record, 1, qr_mask=8)


def test_qr_payload_round_trips() -> None:
    for conference in ("hb-2018-k1-01", "Hội nghị; số 1/2024", "sha256:0123456789abcdef"):
        payload = qr_payload(conference, "7KQ2-MZ4D-H8WX-3PTA", 2, 3)
        assert payload.isascii()
        got = parse_qr_payload(payload)
        assert (got.conference, got.serial, got.page, got.pages) == (
            conference,
            "7KQ2-MZ4D-H8WX-3PTA",
            2,
            3,
        )
    for bad in ("", "TN2;a;b;1/1", "TN1;a;b;3/2", "TN1;a;b;x/2", "TN1;a;b"):
        with pytest.raises(ValueError, match=r"ballot code|page"):
            parse_qr_payload(bad)


def test_qr_decodes_with_zxing_when_available(long_batch: Any, tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is not installed (optional)")
    numpy = pytest.importorskip("numpy", reason="numpy is not installed (optional)")
    for page in (1, 2, 6):
        image = render_page(long_batch.pdf, tmp_path, page=page, dpi=200, png=False)
        array = numpy.frombuffer(image.pixels, dtype=numpy.uint8).reshape(image.height, image.width)
        texts = [r.text for r in zxingcpp.read_barcodes(array)]
        ballot, k = divmod(page - 1, 2)
        assert texts == [qr_payload("demo-long", long_batch.serials[ballot], k + 1, 2)]
        got = parse_qr_payload(texts[0])
        assert (got.conference, got.serial, got.page) == (
            "demo-long",
            long_batch.serials[ballot],
            k + 1,
        )


def test_a_record_without_id_is_named_by_its_digest(small_record: ConferenceRecord) -> None:
    data = json.loads(json.dumps(long_record_json(persons=2, ballots=1)))
    del data["id"]
    record = record_from(data)
    key = conference_key(record)
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", key)
    data["ballots"] = []
    assert conference_key(record_from(data)) == key, "ballots do not change the key"
    assert ballot_layout(record)["conference"] == key


def test_the_layout_example_of_the_decision_record_is_real(demo_round: Any) -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "decisions" / "0009-documents.md"
    block = doc.read_text(encoding="utf-8").split("```json\n", 1)[1].split("```", 1)[0]
    example = json.loads(block)
    record = demo_round.records[0]
    assert record.id == example["conference"]
    layout = ballot_layout(record)
    for key in ("format", "units", "origin", "page_size", "kind", "levels", "columns", "qr"):
        assert example[key] == layout[key], key
    page, real = example["pages"][0], layout["pages"][0]
    for key in ("fiducials", "qr", "serial_text", "table_header", "signature"):
        assert page[key] == real[key], key
    assert page["rows"][0] == real["rows"][0]
