"""Every reason code, each on a sheet made to show it; and what is read when none applies."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import segno
from tests.omr.conftest import Batch

from tinnhiem.documents import qr_payload
from tinnhiem.omr import locate
from tinnhiem.omr import reasons as rc
from tinnhiem.omr.batch import decide
from tinnhiem.omr.inputs import SheetSource
from tinnhiem.omr.layout import Rect, parse_register
from tinnhiem.omr.run import read_one
from tinnhiem.omr.sheet import SheetReading
from tinnhiem.omr.synth import PLAIN, Degradation, Pen, degrade, draw

FLAT = Degradation("flat", dpi=(200, 200), blur=(0.4, 0.4), noise=(1.0, 1.0))
PX = 300 / 25.4


def _scan(page: np.ndarray, seed: int = 0) -> np.ndarray:
    data, _, _ = degrade(page, FLAT, np.random.default_rng(seed))
    import cv2

    return np.asarray(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))


def _paint(page: np.ndarray, r: Rect, value: int = 255) -> None:
    page[round(r.y * PX) : round(r.bottom * PX), round(r.x * PX) : round(r.right * PX)] = value


def _paste_qr(page: np.ndarray, text: str, r: Rect) -> None:
    """A QR code of ``text`` drawn in ``r`` (quiet zone included), like the printed one."""
    matrix = np.array(
        [[bool(v) for v in row] for row in segno.make(text, error="m").matrix_iter(border=4)]
    )
    n = matrix.shape[0]
    size = round(r.w * PX)
    cells = (np.arange(size) * n // size).clip(0, n - 1)
    block = np.where(matrix[np.ix_(cells, cells)], 0, 255).astype(np.uint8)
    y, x = round(r.y * PX), round(r.x * PX)
    page[y : y + size, x : x + size] = block


def _x_at(pen: Pen, cx: float, cy: float, half: float = 2.2) -> None:
    pen.stroke(np.array([(cx - half, cy - half), (cx + half, cy + half)]), 0.45, 0.1, 0.05)
    pen.stroke(np.array([(cx + half, cy - half), (cx - half, cy + half)]), 0.45, 0.1, 0.05)


def _read(batch: Batch, image: np.ndarray) -> SheetReading:
    return batch.reader.read(image, "made.png")


@pytest.fixture
def page(small_batch: Batch) -> np.ndarray:
    """Ballot 14 of the small batch, page 1, unmarked, at 300 dpi."""
    return small_batch.gen.render_page(14, 1)


def test_an_unmarked_ballot_is_read_with_every_box_empty(
    small_batch: Batch, page: np.ndarray
) -> None:
    reading = _read(small_batch, _scan(page))
    assert reading.reasons == ()
    assert reading.serial == small_batch.issued["serials"][14]
    assert (reading.page, reading.qr and reading.qr.pages) == (1, 1)
    assert reading.marks() == {}
    assert all(b.state == "empty" and b.confidence > 0.5 for b in reading.boxes)
    assert reading.scale is not None
    assert 7.5 < reading.scale < 8.3
    assert reading.qr_error_mm is not None
    assert reading.qr_error_mm < 0.5


def test_images_that_cannot_be_decoded(small_batch: Batch, tmp_path: Path) -> None:
    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    got = read_one(small_batch.reader, SheetSource(str(bad)))
    assert got.reasons == (rc.UNREADABLE_IMAGE,)
    assert _read(small_batch, np.zeros((10, 10), np.uint8)).reasons == (rc.UNREADABLE_IMAGE,)


def test_no_code(small_batch: Batch, page: np.ndarray) -> None:
    qr = small_batch.register.layout.pages[0].qr
    _paint(page, qr)
    assert _read(small_batch, _scan(page)).reasons == (rc.QR_UNREADABLE,)
    noise = np.random.default_rng(0).integers(0, 256, (2339, 1654), dtype=np.uint8)
    assert _read(small_batch, noise).reasons == (rc.QR_UNREADABLE,)


def test_the_back_of_a_ballot(small_batch: Batch) -> None:
    """A duplex scan's blank side: its own reason, so people can clear it at a glance."""
    back = np.full((2339, 1654), 242, np.uint8)
    back[:, :800] = 225  # uneven light, the mirrored print faintly showing through
    rng = np.random.default_rng(1)
    back = np.clip(back + rng.normal(0, 3, back.shape), 0, 255).astype(np.uint8)
    assert _read(small_batch, back).reasons == (rc.BLANK_PAGE,)


def test_a_code_that_is_not_a_ballot_code(small_batch: Batch, page: np.ndarray) -> None:
    _paste_qr(page, "https://example.org/not-a-ballot", small_batch.register.layout.pages[0].qr)
    assert _read(small_batch, _scan(page)).reasons == (rc.QR_UNKNOWN,)


def test_two_ballot_codes_on_one_image(small_batch: Batch, page: np.ndarray) -> None:
    other = qr_payload("hg-snv-2024", small_batch.issued["serials"][3], 1, 1)
    _paste_qr(page, other, Rect(30.0, 200.0, 22.0, 22.0))
    assert _read(small_batch, _scan(page)).reasons == (rc.QR_SEVERAL,)


def test_a_ballot_of_another_conference(small_batch: Batch, binding_batch: Batch) -> None:
    sheet = binding_batch.gen.ballot(0, FLAT, PLAIN)[0]
    got = _read(small_batch, sheet.image())
    assert got.reasons == (rc.WRONG_CONFERENCE,)
    assert got.qr is not None
    assert got.qr.conference == "hdnd-omr"


def test_a_code_with_another_page_count(small_batch: Batch, page: np.ndarray) -> None:
    wrong = qr_payload("hg-snv-2024", small_batch.issued["serials"][14], 1, 3)
    _paste_qr(page, wrong, small_batch.register.layout.pages[0].qr)
    assert _read(small_batch, _scan(page)).reasons == (rc.LAYOUT_MISMATCH,)


def test_a_corner_mark_missing_or_cut_off(small_batch: Batch, page: np.ndarray) -> None:
    top_left = small_batch.register.layout.pages[0].fiducials[0]
    gone = page.copy()
    _paint(gone, Rect(top_left.x - 1, top_left.y - 1, top_left.w + 2, top_left.h + 2))
    assert _read(small_batch, _scan(gone)).reasons == (rc.REGISTRATION_FAILED,)
    scan = _scan(page)
    cut = scan[round(12 * 200 / 25.4) :, :]  # the scanner missed the top 12 mm
    assert _read(small_batch, np.ascontiguousarray(cut)).reasons == (rc.PAGE_INCOMPLETE,)


def test_too_few_pixels(
    small_batch: Batch, page: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locate, "MIN_SCALE", 9.0)
    assert _read(small_batch, _scan(page)).reasons == (rc.LOW_RESOLUTION,)


def _row(batch: Batch, i: int = 0) -> tuple[str, dict[str, Rect], Rect]:
    row = batch.register.layout.pages[0].rows[i]
    return row.candidate, row.boxes, row.cells["tin_nhiem"]


def test_a_dot_in_a_box_is_a_doubt(small_batch: Batch, page: np.ndarray) -> None:
    cid, boxes, _ = _row(small_batch)
    pen = Pen(page, np.random.default_rng(1))
    b = boxes["cao"]
    pen.stroke(np.array([(b.cx, b.cy), (b.cx + 0.6, b.cy + 0.2)]), 0.5, 0.1, 0.0)
    got = _read(small_batch, _scan(page))
    assert got.reasons == (rc.BOX_DOUBT,)
    doubt = [x for x in got.boxes if x.state == "doubt"]
    assert [(x.candidate, x.level) for x in doubt] == [(cid, "cao")]
    assert doubt[0].confidence == 0.0


def test_two_boxes_on_a_line(small_batch: Batch, page: np.ndarray) -> None:
    cid, boxes, _ = _row(small_batch, 2)
    pen = Pen(page, np.random.default_rng(2))
    for level in ("cao", "thap"):
        _x_at(pen, boxes[level].cx, boxes[level].cy)
    got = _read(small_batch, _scan(page))
    assert got.reasons == (rc.SEVERAL_MARKS,)
    assert got.marks() == {cid: ["cao", "thap"]}


def test_a_mark_beside_its_box(small_batch: Batch, page: np.ndarray) -> None:
    cid, boxes, _ = _row(small_batch, 1)
    pen = Pen(page, np.random.default_rng(3))
    b = boxes["tin_nhiem"]
    _x_at(pen, b.right + 3.5, b.cy, 1.8)
    got = _read(small_batch, _scan(page))
    assert got.reasons == (rc.MARK_OUTSIDE_BOX,)
    assert [f.where for f in got.flags] == [f"{cid}/tin_nhiem"]


@pytest.mark.parametrize(
    ("kind", "code", "where"),
    [
        ("strike", rc.NAME_STRUCK, "3"),
        ("added_name", rc.MARGIN_WRITING, "below_table"),
        ("margin_note", rc.MARGIN_WRITING, None),
        ("signature", rc.SIGNATURE_AREA, "signature"),
    ],
)
def test_writing_is_flagged(
    small_batch: Batch, page: np.ndarray, kind: str, code: str, where: str | None
) -> None:
    spec = small_batch.register.layout.pages[0]
    rng = np.random.default_rng(4)
    cell = spec.rows[2].name if kind == "strike" else None
    draw(Pen(page, rng), kind, cell, spec, rng)
    got = _read(small_batch, _scan(page))
    assert got.reasons == (code,)
    flag = got.flags[0]
    assert flag.code == code
    assert flag.measure > 0
    assert 0 <= flag.confidence <= 1
    if where is not None:
        assert flag.where == where
    else:
        assert flag.where in ("top", "left", "right", "bottom")


def test_register_and_batch_reasons(long_batch: Batch) -> None:
    serials = long_batch.issued["serials"]
    sheets = {i: long_batch.gen.ballot(i, FLAT, PLAIN) for i in range(5)}
    readings = {
        (i, s.truth.page): long_batch.reader.read(s.image(), f"{i}/{s.truth.page}")
        for i, ss in sheets.items()
        for s in ss
    }
    issued = copy.deepcopy(long_batch.issued)
    issued["serials"] = [s for s in serials if s != serials[4]]
    issued["count"] -= 1
    register = parse_register(issued)
    batch = [
        readings[(0, 1)],
        readings[(0, 2)],  # read whole
        readings[(1, 1)],  # page 2 missing
        readings[(2, 1)],
        readings[(2, 2)],
        readings[(2, 2)],  # page 2 scanned twice
        readings[(3, 1)],
        readings[(3, 2)],  # counted by an earlier scan
        readings[(4, 1)],
        readings[(4, 2)],  # printed but never issued
    ]
    result = decide(batch, register, already_counted={serials[3]})
    got = [(s.status, s.reasons) for s in result.sheets]
    assert got == [
        ("read", ()),
        ("read", ()),
        ("review", (rc.MISSING_PAGE,)),
        ("review", (rc.OTHER_PAGE_IN_REVIEW,)),
        ("review", (rc.DUPLICATE_SHEET,)),
        ("review", (rc.DUPLICATE_SHEET,)),
        ("review", (rc.ALREADY_COUNTED,)),
        ("review", (rc.ALREADY_COUNTED,)),
        ("review", (rc.SERIAL_NOT_ISSUED,)),
        ("review", (rc.SERIAL_NOT_ISSUED,)),
    ]
    assert [b.serial for b in result.ballots] == [serials[0]]
    whole = result.ballots[0]
    assert whole.sources == ("0/1", "0/2")
    assert whole.ballot["marks"] == {**readings[(0, 1)].marks(), **readings[(0, 2)].marks()}
    assert len(whole.ballot["marks"]) == 30 - sum(
        1
        for s in sheets[0]
        for c in long_batch.register.layout.pages[s.truth.page - 1].rows
        if c.candidate not in s.truth.marks
    )


def test_every_reason_has_both_languages() -> None:
    for code, (vi, en) in rc.MESSAGES.items():
        assert code == code.lower()
        assert vi
        assert en
        assert rc.message(code, "en") == en
        assert rc.message(code) == vi
