"""Reading generated scans: every sheet exactly as its truth, or to people with a reason.

A few dozen sheets per degradation class here; the acceptance run over
thousands of sheets is ``bench/bench_omr.py``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from tests.omr.conftest import Batch, silent_errors

from tinnhiem.omr import reasons as rc
from tinnhiem.omr.synth import (
    CLASSES,
    MARK_STYLES,
    PLAIN,
    Degradation,
    Mix,
    Pen,
    SynthSheet,
    Truth,
    degrade,
    draw,
)

BALLOTS = {"clean": (0, 5), "moderate": (5, 10), "heavy": (10, 13), "phone": (13, 16)}


@pytest.mark.parametrize("cls", list(BALLOTS))
def test_mixed_sheets_are_read_exactly_or_sent_to_review(
    cls: str, long_batch: Batch, small_batch: Batch, binding_batch: Batch
) -> None:
    start, stop = BALLOTS[cls]
    unexpected: list[str] = []
    for batch, indices in (
        (long_batch, range(start, stop)),
        (small_batch, range(start, stop)),
        (binding_batch, range(start // 2, stop // 2)),
    ):
        sheets = [s for i in indices for s in batch.gen.ballot(i, CLASSES[cls])]
        result = batch.decide(sheets)
        assert silent_errors(sheets, result) == []
        special = {s.truth.serial for s in sheets if s.truth.must_review or s.truth.signed}
        for sheet, got in zip(sheets, result.sheets, strict=True):
            t = sheet.truth
            if t.must_review:
                assert got.status == "review"
                assert set(t.must_review) <= set(got.reasons), (t, got.reasons)
            elif got.status == "review" and t.serial not in special:
                unexpected.append(f"{t.serial}/{t.page}: {got.reasons} {t.degradation}")
        read = [b.serial for b in result.ballots]
        assert len(read) == len(set(read))
        for b in result.ballots:
            parts = [s.truth.ballot() for s in sheets if s.truth.serial == b.serial]
            assert b.ballot["marks"] == {k: v for p in parts for k, v in p["marks"].items()}
    if cls in ("clean", "moderate"):
        assert unexpected == []


def _page_with(batch: Batch, ballot: int, page: int, marks: list[tuple[str, str, str]]) -> Pen:
    """Page ``page`` of a ballot with ``(candidate, level, style)`` drawn on it."""
    spec = batch.register.layout.pages[page - 1]
    rows = {row.candidate: row for row in spec.rows}
    rng = np.random.default_rng(ballot * 10 + page)
    pen = Pen(batch.gen.render_page(ballot, page), rng)
    for cid, level, style in marks:
        draw(pen, style, rows[cid].boxes[level], spec, rng)
    return pen


def _sheet(batch: Batch, ballot: int, pen: Pen, deg: Degradation, seed: int) -> SynthSheet:
    data, suffix, params = degrade(pen.image, deg, np.random.default_rng(seed))
    truth = Truth(batch.issued["serials"][ballot], 1, 1, {}, degradation=params)
    return SynthSheet(data, suffix, truth)


@pytest.mark.parametrize("cls", ["clean", "moderate"])
def test_every_style_of_mark_is_read_as_a_mark(small_batch: Batch, cls: str) -> None:
    levels = small_batch.register.layout.levels
    ids = [c.id for c in small_batch.record.conference.candidates]
    styles = [s for s in MARK_STYLES if s != "scribbled"]
    for round_ in range(2):
        marks = [
            (cid, levels[(i + round_) % 3], styles[(i + 5 * round_) % len(styles)])
            for i, cid in enumerate(ids)
        ]
        pen = _page_with(small_batch, 10 + round_, 1, marks)
        sheet = _sheet(small_batch, 10 + round_, pen, CLASSES[cls], seed=round_)
        reading = small_batch.reader.read(sheet.image())
        assert reading.reasons == (), [b.to_json() for b in reading.boxes if b.state == "doubt"]
        assert reading.marks() == {cid: [lv] for cid, lv, _ in marks}
        marked = [b for b in reading.boxes if b.state == "marked"]
        assert all(b.confidence > 0 for b in reading.boxes)
        assert min(b.mass for b in marked) > 2 * max(
            b.mass for b in reading.boxes if b.state == "empty"
        )


@pytest.mark.parametrize("angle", [0.0, 90.0, 180.0, 270.0, 37.0, 313.0])
def test_any_rotation_reads_the_same(small_batch: Batch, angle: float) -> None:
    levels = small_batch.register.layout.levels
    ids = [c.id for c in small_batch.record.conference.candidates]
    marks = [(cid, levels[i % 3], "x") for i, cid in enumerate(ids[:4])]
    pen = _page_with(small_batch, 12, 1, marks)
    deg = Degradation("turned", dpi=(200, 200), angle=(angle, angle), blur=(0.4, 0.4))
    reading = small_batch.reader.read(_sheet(small_batch, 12, pen, deg, seed=1).image())
    assert reading.reasons == ()
    assert reading.marks() == {cid: [lv] for cid, lv, _ in marks}


def test_a_blank_ballot_is_read_as_blank(long_batch: Batch) -> None:
    sheets = long_batch.gen.ballot(3, CLASSES["moderate"], replace(PLAIN, blank_line=1.0))
    result = long_batch.decide(sheets)
    assert [s.status for s in result.sheets] == ["read", "read"]
    assert [b.ballot["marks"] for b in result.ballots] == [{}]


@pytest.mark.parametrize(
    ("mix", "code"),
    [
        (Mix(struck_name=1.0), rc.NAME_STRUCK),
        (Mix(added_name=1.0), rc.MARGIN_WRITING),
        (Mix(other_writing=1.0), rc.MARGIN_WRITING),
        (Mix(signature=1.0), rc.SIGNATURE_AREA),
        (Mix(correction=0.3), rc.SEVERAL_MARKS),
        (Mix(several=0.3), rc.SEVERAL_MARKS),
    ],
)
def test_writing_on_the_ballot_goes_to_people(long_batch: Batch, mix: Mix, code: str) -> None:
    for i, cls in ((7, "clean"), (8, "heavy")):
        sheets = long_batch.gen.ballot(i, CLASSES[cls], mix)
        assert any(code in s.truth.must_review for s in sheets)
        result = long_batch.decide(sheets)
        assert silent_errors(sheets, result) == []
        assert all(s.status == "review" for s in result.sheets)
        assert any(code in s.reasons for s in result.sheets)
        flagged = [f for s in result.sheets for f in s.reading.flags]
        if code in (rc.NAME_STRUCK, rc.MARGIN_WRITING, rc.SIGNATURE_AREA):
            assert any(f.code == code for f in flagged)
        if code == rc.NAME_STRUCK:
            struck = {c for s in sheets for c in s.truth.crossed_out}
            assert {f.where for f in flagged if f.code == code} == struck
