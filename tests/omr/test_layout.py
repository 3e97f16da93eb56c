"""The scanner reads the register and the layout the document generator publishes."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from tests.omr.conftest import Batch

from tinnhiem.documents import parse_qr_payload, qr_payload
from tinnhiem.documents.ballots import SERIAL_ALPHABET
from tinnhiem.omr import parse_qr
from tinnhiem.omr.layout import CORNERS, LayoutError, parse_register
from tinnhiem.omr.sheet import blank_regions
from tinnhiem.omr.synth import SERIAL_ALPHABET as SYNTH_ALPHABET
from tinnhiem.omr.synth import seeded_serials


def test_the_register_is_read_with_every_row_and_box(long_batch: Batch) -> None:
    reg = long_batch.register
    assert reg.conference == "demo-long"
    assert reg.serial_order == tuple(long_batch.issued["serials"])
    assert reg.pages_per_ballot == 2
    layout = reg.layout
    assert layout.levels == ("cao", "tin_nhiem", "thap")
    printed = [row.candidate for page in layout.pages for row in page.rows]
    assert printed == [c.id for c in long_batch.record.conference.candidates]
    raw = long_batch.issued["layout"]["pages"]
    for page, raw_page in zip(layout.pages, raw, strict=True):
        for corner, rect in zip(CORNERS, page.fiducials, strict=True):
            assert rect.to_json() == raw_page["fiducials"][corner]
        for row, raw_row in zip(page.rows, raw_page["rows"], strict=True):
            for level, box in row.boxes.items():
                assert box.to_json() == raw_row["boxes"][level]
                assert row.cells[level].x <= box.x
                assert box.right <= row.cells[level].right
            assert row.name.x == layout.columns["name"][0]


def test_binding_layouts_have_two_levels(binding_batch: Batch) -> None:
    assert binding_batch.register.layout.levels == ("tin_nhiem", "khong_tin_nhiem")


@pytest.mark.parametrize(
    "conference", ["hb-2018-k1-01", "Hội nghị; số 1/2024", "sha256:0123456789abcdef", "a%b"]
)
def test_the_qr_payload_reads_as_the_documents_write_it(conference: str) -> None:
    for page, pages in ((1, 1), (2, 3)):
        payload = qr_payload(conference, "7KQ2-MZ4D-H8WX-3PTA", page, pages)
        ours, theirs = parse_qr(payload), parse_qr_payload(payload)
        assert (ours.conference, ours.serial, ours.page, ours.pages) == (
            theirs.conference,
            theirs.serial,
            theirs.page,
            theirs.pages,
        )


@pytest.mark.parametrize(
    "bad", ["", "TN2;a;b;1/1", "TN1;a;b;3/2", "TN1;a;b;x/2", "TN1;a;b", "TN1;a;;1/1", "TN1;a;b;١/2"]
)
def test_anything_else_is_not_a_ballot_code(bad: str) -> None:
    with pytest.raises(ValueError, match=r"ballot code|page|serial"):
        parse_qr(bad)


def test_the_generator_prints_serials_of_the_real_alphabet() -> None:
    assert SYNTH_ALPHABET == SERIAL_ALPHABET
    a, b = seeded_serials(7), seeded_serials(7)
    serials = [a() for _ in range(50)]
    assert serials == [b() for _ in range(50)]
    group = f"[{SERIAL_ALPHABET}]{{4}}"
    assert all(re.fullmatch(f"{group}(-{group}){{3}}", s) for s in serials)


def _broken(issued: dict[str, Any], path: str) -> dict[str, Any]:
    data = copy.deepcopy(issued)
    if path == "format":
        data["format"] = "tinnhiem.ballots-issued/0"
    elif path == "count":
        data["count"] += 1
    elif path == "duplicate":
        data["serials"][1] = data["serials"][0]
    elif path == "conference":
        data["layout"]["conference"] = "other"
    elif path == "box":
        data["layout"]["pages"][0]["rows"][0]["boxes"]["cao"]["w"] = 7
    elif path == "levels":
        del data["layout"]["pages"][0]["rows"][0]["boxes"]["cao"]
    elif path == "corners":
        fids = data["layout"]["pages"][0]["fiducials"]
        fids["top_left"], fids["bottom_right"] = fids["bottom_right"], fids["top_left"]
    elif path == "outside":
        data["layout"]["pages"][0]["qr"]["x"] = 400
    elif path == "pages":
        data["pages_per_ballot"] = 3
    return data


@pytest.mark.parametrize(
    ("fault", "where"),
    [
        ("format", "$.format"),
        ("count", "$.count"),
        ("duplicate", "$.serials"),
        ("conference", "$.layout.conference"),
        ("box", "boxes.cao"),
        ("levels", "$.layout.pages[0].rows[0].boxes"),
        ("corners", "$.layout.pages[0].fiducials"),
        ("outside", "$.layout.pages[0].qr"),
        ("pages", "$.pages_per_ballot"),
    ],
)
def test_a_broken_register_is_refused_with_its_path(
    small_batch: Batch, fault: str, where: str
) -> None:
    with pytest.raises(LayoutError) as info:
        parse_register(_broken(small_batch.issued, fault))
    assert where in info.value.path
    assert info.value.message("vi")
    assert info.value.message("en")


def _overlap(a: Any, b: Any) -> bool:
    return not (a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y)


def test_blank_regions_touch_nothing_printed(long_batch: Batch, small_batch: Batch) -> None:
    for batch in (long_batch, small_batch):
        layout = batch.register.layout
        for page in layout.pages:
            printed = [page.qr, page.serial_text, page.table_header, *page.fiducials]
            printed += [row.rect for row in page.rows]
            if page.signature is not None:
                printed.append(page.signature)
            regions = blank_regions(page, layout.page_w, layout.page_h)
            assert {name for name, _ in regions} >= {"top", "left", "right", "bottom"}
            for name, r in regions:
                assert r.x > 0
                assert r.right < layout.page_w
                assert r.y > 0
                assert r.bottom < layout.page_h
                for p in printed:
                    assert not _overlap(r, p), (name, r, p)
