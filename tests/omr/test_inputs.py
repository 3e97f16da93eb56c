"""Scanner output in: folders, PNG, JPEG, TIFF (multi-page), PDF (scanned or drawn)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from tests.omr.conftest import Batch, encode, write_pdf

from tinnhiem.omr.inputs import InputError, SheetSource, expand, load, sheets_of
from tinnhiem.omr.synth import CLASSES, PLAIN


def test_folders_are_read_in_natural_order(tmp_path: Path) -> None:
    for name in ("b10.jpg", "b2.PNG", ".hidden.png", "notes.txt", "sub/c1.tif", ".git/x.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    files, skipped = expand([str(tmp_path)])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == [
        "b2.PNG",
        "b10.jpg",
        "sub/c1.tif",
    ]
    assert [Path(f).name for f in skipped] == ["notes.txt"]


def test_paths_that_cannot_be_scanned(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        expand([str(tmp_path / "missing")])
    (tmp_path / "record.json").write_text("{}")
    with pytest.raises(InputError, match="not an image"):
        expand([str(tmp_path / "record.json")])


def test_multi_page_tiff_and_scanned_pdf(small_batch: Batch, tmp_path: Path) -> None:
    sheets = [small_batch.gen.ballot(i, CLASSES["clean"], PLAIN)[0] for i in (0, 1)]
    images = [s.image() for s in sheets]
    tif = tmp_path / "batch.tif"
    assert cv2.imwritemulti(str(tif), images)
    pages = sheets_of(str(tif))
    assert pages == [SheetSource(str(tif), 1), SheetSource(str(tif), 2)]
    for source, image in zip(pages, images, strict=True):
        got = load(source)
        assert got is not None
        assert np.array_equal(got, image)
    pdf = tmp_path / "scan.pdf"
    jpegs = [encode(im, ".jpg") for im in images]
    write_pdf(pdf, jpegs)
    pages = sheets_of(str(pdf))
    assert [p.index for p in pages] == [1, 2]
    for source, data in zip(pages, jpegs, strict=True):
        got = load(source)
        expected = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
        assert got is not None
        assert np.array_equal(got, expected), "the JPEG itself, not a render"
    assert sheets[0].truth.serial != sheets[1].truth.serial


def test_a_drawn_pdf_is_rendered_at_200_dpi(small_batch: Batch, tmp_path: Path) -> None:
    pdf = tmp_path / "ballots.pdf"
    pdf.write_bytes(small_batch.pdf)
    pages = sheets_of(str(pdf))
    assert len(pages) == 16
    image = load(pages[0])
    assert image is not None
    assert image.shape == (round(297 / 25.4 * 200), round(210 / 25.4 * 200))
    reading = small_batch.reader.read(image)
    assert reading.reasons == ()
    assert reading.marks() == {}


def test_broken_files_are_one_unreadable_sheet(tmp_path: Path) -> None:
    for name in ("x.pdf", "x.tif", "x.jpg"):
        path = tmp_path / name
        path.write_bytes(b"garbage")
        assert sheets_of(str(path)) == [SheetSource(str(path))]
        assert load(SheetSource(str(path))) is None


def test_colour_ink_stays_dark(tmp_path: Path) -> None:
    """The darkest channel: blue, red and even yellow ink are darker than white paper."""
    image = np.full((60, 90, 3), 250, np.uint8)
    image[:, 0:30] = (200, 60, 20)  # blue pen (BGR)
    image[:, 30:60] = (40, 40, 220)  # red pen
    image[:, 60:90] = (30, 240, 250)  # yellow highlighter
    path = tmp_path / "colour.png"
    cv2.imwrite(str(path), image)
    grey = load(SheetSource(str(path)))
    assert grey is not None
    assert grey.shape == (60, 90)
    assert grey[:, 0:30].max() <= 20
    assert grey[:, 30:60].max() <= 40
    assert grey[:, 60:90].max() <= 30
    sixteen = tmp_path / "deep.png"
    cv2.imwrite(str(sixteen), np.full((40, 40), 50000, np.uint16))
    deep = load(SheetSource(str(sixteen)))
    assert deep is not None
    assert deep.dtype == np.uint8
    assert int(deep[0, 0]) == 50000 >> 8
