"""The scan generator: deterministic, truthful about what it drew, degrading as it says."""

from __future__ import annotations

import numpy as np
from tests.omr.conftest import Batch

from tinnhiem.omr import reasons as rc
from tinnhiem.omr.synth import CLASSES, PLAIN, Mix, SheetGenerator


def test_the_same_seed_gives_the_same_sheets(small_batch: Batch) -> None:
    again = SheetGenerator(small_batch.pdf, small_batch.issued, seed=101)
    try:
        for cls in ("moderate", "phone"):
            a = small_batch.gen.ballot(3, CLASSES[cls])
            b = again.ballot(3, CLASSES[cls])
            assert [s.data for s in a] == [s.data for s in b]
            assert [s.truth for s in a] == [s.truth for s in b]
        other = SheetGenerator(small_batch.pdf, small_batch.issued, seed=102)
        try:
            assert (
                other.ballot(3, CLASSES["clean"])[0].data
                != again.ballot(3, CLASSES["clean"])[0].data
            )
        finally:
            other.close()
    finally:
        again.close()


def test_the_truth_is_the_ballot_of_the_page(long_batch: Batch) -> None:
    layout = long_batch.register.layout
    sheets = long_batch.gen.ballot(5, CLASSES["clean"], PLAIN)
    assert [s.truth.page for s in sheets] == [1, 2]
    for s, page in zip(sheets, layout.pages, strict=True):
        t = s.truth
        assert t.serial == long_batch.issued["serials"][5]
        assert t.pages == 2
        on_page = {row.candidate for row in page.rows}
        assert set(t.marks) <= on_page
        assert all(len(levels) == 1 for levels in t.marks.values())
        assert t.must_review == ()
        ballot = t.ballot()
        assert ballot["issued"] is True
        assert ballot["crossed_out"] == []
        assert ballot["added_names"] == 0
    assert len({s.truth.serial for s in sheets}) == 1


def test_special_writing_is_recorded_as_needing_review(long_batch: Batch) -> None:
    mix = Mix(struck_name=1.0, added_name=1.0, other_writing=1.0, signature=1.0)
    sheets = long_batch.gen.ballot(6, CLASSES["clean"], mix)
    must = {code for s in sheets for code in s.truth.must_review}
    assert must >= {rc.NAME_STRUCK, rc.MARGIN_WRITING, rc.SIGNATURE_AREA}
    last = sheets[-1].truth
    assert last.added_names == 1
    assert last.signed
    assert sum(len(s.truth.crossed_out) for s in sheets) == 1


def test_the_classes_degrade_as_they_say(small_batch: Batch) -> None:
    for cls, deg in CLASSES.items():
        sheet = small_batch.gen.ballot(1, deg, PLAIN)[0]
        p = sheet.truth.degradation
        assert p["class"] == cls
        image = sheet.image()
        if deg.phone:
            assert max(image.shape) in (3264, 4032)
            assert p["perspective"]
        else:
            assert deg.dpi[0] - 1 <= p["dpi"] <= deg.dpi[1] + 1
            if not deg.any_angle:  # a scanner's frame: the page and a margin, at its dpi
                expected = round((297 + 2 * deg.frame_mm) / 25.4 * p["dpi"])
                assert abs(image.shape[0] - expected) <= 2
        if deg.jpeg is None:
            assert sheet.suffix in (".png", ".tif")
        assert image.dtype == np.uint8
        assert image.ndim == 2
