"""Driving the scanning core for the web app: files in, readings out; crops of rows.

Nothing here touches the database: :mod:`tinnhiem.scanning.services` stores
what these functions return. The image libraries (OpenCV, numpy, zxing-cpp,
pdfium) are imported when a function runs, not when Django starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinnhiem.omr.layout import Register
    from tinnhiem.omr.sheet import Reader

# The first bytes of each accepted kind of file.
KINDS: tuple[tuple[str, tuple[bytes, ...], str], ...] = (
    ("png", (b"\x89PNG\r\n\x1a\n",), ".png"),
    ("jpeg", (b"\xff\xd8\xff",), ".jpg"),
    ("tiff", (b"II*\x00", b"MM\x00*"), ".tif"),
    ("pdf", (b"%PDF-",), ".pdf"),
)
SUFFIX = {kind: suffix for kind, _, suffix in KINDS}

CROP_SCALE = 6.0
"""Pixels per millimetre of a row's crop (about 150 dpi)."""
PAGE_SCALE = 3.0
"""Pixels per millimetre of a whole page shown to the reviewer."""
CROP_MARGIN_MM = 1.5


def sniff(head: bytes) -> str | None:
    """``png``, ``jpeg``, ``tiff`` or ``pdf`` from a file's first bytes; None otherwise."""
    for kind, magics, _ in KINDS:
        if any(head.startswith(m) for m in magics):
            return kind
    return None


def page_count(path: Path, kind: str) -> int | None:
    """Pages of a PDF or TIFF (1 for other images); None when the file cannot be opened."""
    try:
        if kind == "pdf":
            import pypdfium2 as pdfium  # type: ignore[import-untyped]

            doc = pdfium.PdfDocument(str(path))
            try:
                return len(doc)
            finally:
                doc.close()
        if kind == "tiff":
            import cv2

            return int(cv2.imcount(str(path)))
    except Exception:
        return None
    return 1


def make_reader(issued: dict[str, Any]) -> Reader:
    from tinnhiem.omr.layout import parse_register
    from tinnhiem.omr.sheet import Reader

    return Reader(parse_register(issued))


@dataclass(frozen=True)
class SheetRead:
    file_page: int | None
    reading: dict[str, Any]
    """JSON: ``qr``, ``reasons`` (the core's), ``boxes``, ``flags``, ``homography``."""


POOL_MIN_SHEETS = 24
"""Fewer sheets than this are read in the calling thread (a pool takes ~0.8 s to start)."""

_reader: Reader | None = None


def _init(issued: dict[str, Any]) -> None:
    import cv2

    global _reader
    cv2.setNumThreads(1)
    _reader = make_reader(issued)


def _work(item: tuple[str, int | None]) -> SheetRead:
    assert _reader is not None
    return read_sheet(_reader, item[0], item[1])


def read_many(
    items: Sequence[tuple[str, int | None]], issued: dict[str, Any], processes: int
) -> Iterator[SheetRead]:
    """Readings of ``items`` (path, page in the file), in order, as they are ready:
    in this thread, or in ``processes`` spawned worker processes for a big batch."""
    if processes <= 1 or len(items) < POOL_MIN_SHEETS:
        reader = make_reader(issued)
        for path, page in items:
            yield read_sheet(reader, path, page)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes, initializer=_init, initargs=(issued,)) as pool:
        yield from pool.imap(_work, items, chunksize=2)


def read_sheet(reader: Reader, path: str, file_page: int | None) -> SheetRead:
    from dataclasses import asdict

    from tinnhiem.omr import reasons as rc
    from tinnhiem.omr.inputs import SheetSource, load

    image = load(SheetSource(path, file_page))
    if image is None:
        reading: dict[str, Any] = {
            "qr": None,
            "reasons": [rc.UNREADABLE_IMAGE],
            "boxes": [],
            "flags": [],
            "homography": None,
        }
        return SheetRead(file_page, reading)
    try:
        r = reader.read(image, Path(path).name)
    except Exception:  # the core must never take the batch down with one sheet
        r = None
    if r is None:
        reading = {
            "qr": None,
            "reasons": [rc.UNREADABLE_IMAGE],
            "boxes": [],
            "flags": [],
            "homography": None,
        }
        return SheetRead(file_page, reading)
    homography = None
    if r.reasons and r.qr is not None and r.boxes:
        try:
            homography = locate(reader, image, r.qr.serial, r.qr.page)
        except Exception:  # no crops then: the reviewer sees the whole page
            homography = None
    reading = {
        "qr": asdict(r.qr) if r.qr is not None else None,
        "reasons": list(r.reasons),
        "boxes": [b.to_json() for b in r.boxes],
        "flags": [f.to_json() for f in r.flags],
        "homography": homography,
    }
    return SheetRead(file_page, reading)


def locate(reader: Reader, image: Any, serial: str, page: int) -> list[list[float]] | None:
    """The homography (page millimetres → image pixels) of the sheet, as JSON."""
    from tinnhiem.ballotcode import parse_qr_payload
    from tinnhiem.omr.locate import Registration, find_qr_by_marks, find_qr_codes, register

    layout = reader.layout
    if not 1 <= page <= len(layout.pages):
        return None
    spec = layout.pages[page - 1]
    for hit in find_qr_codes(image) or find_qr_by_marks(image, layout.pages[0]):
        try:
            qr = parse_qr_payload(hit.text)
        except ValueError:
            continue
        if qr.serial != serial or qr.page != page:
            continue
        reg = register(image, hit, spec, layout.page_w, layout.page_h)
        if isinstance(reg, Registration):
            return [[float(v) for v in row] for row in reg.homography.tolist()]
    return None


def _png(image: Any) -> bytes:
    import cv2

    ok, buf = cv2.imencode(".png", image)
    if not ok:  # pragma: no cover - a grey uint8 array always encodes
        raise ValueError("cannot encode PNG")
    return bytes(buf.tobytes())


def row_crop(
    register: Register, path: str, file_page: int | None, homography: Any, page: int, cid: str
) -> bytes | None:
    """The row of person ``cid`` on the corrected sheet, as PNG (None: not on this page)."""
    import numpy as np

    from tinnhiem.omr.inputs import SheetSource, load
    from tinnhiem.omr.locate import canonical

    layout = register.layout
    if homography is None or not 1 <= page <= len(layout.pages):
        return None
    row = next((r for r in layout.pages[page - 1].rows if r.candidate == cid), None)
    image = load(SheetSource(path, file_page))
    if row is None or image is None:
        return None
    m = CROP_MARGIN_MM
    r = row.rect
    crop = canonical(
        image,
        np.asarray(homography, dtype=np.float64),
        r.x - m,
        r.y - m,
        r.w + 2 * m,
        r.h + 2 * m,
        CROP_SCALE,
    )
    return _png(crop)


def page_image(register: Register, path: str, file_page: int | None, homography: Any) -> bytes:
    """The whole sheet as PNG: upright and corrected when located, else as scanned (smaller)."""
    import cv2
    import numpy as np

    from tinnhiem.omr.inputs import SheetSource, load
    from tinnhiem.omr.locate import canonical

    image = load(SheetSource(path, file_page))
    if image is None:
        blank = np.full((80, 400), 255, dtype=np.uint8)
        return _png(blank)
    layout = register.layout
    if homography is not None:
        h = np.asarray(homography, dtype=np.float64)
        return _png(canonical(image, h, 0.0, 0.0, layout.page_w, layout.page_h, PAGE_SCALE))
    f = min(1.0, 1000.0 / max(image.shape))
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return _png(np.asarray(small, dtype=np.uint8))
