"""Real ballot sheets for a web conference: printed through the counting app,
filled and degraded by the scanning core's generator (invented people only)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from tinnhiem.conferences.models import Conference
from tinnhiem.counting.documents import ballots_print
from tinnhiem.counting.models import BallotPrint
from tinnhiem.counting.selectors import digit_for_levels
from tinnhiem.documents.ballots import issued_register
from tinnhiem.omr.layout import Rect
from tinnhiem.omr.synth import CLASSES, PLAIN, SheetGenerator, SynthSheet
from tinnhiem.rules import Level, VoteKind

RENDER_DPI = 300
PX_PER_MM = RENDER_DPI / 25.4


@dataclass
class Printed:
    pdf: bytes
    issued: dict[str, Any]
    gen: SheetGenerator

    @property
    def serials(self) -> tuple[str, ...]:
        return self.gen.serials

    def clean(self, ballots: Sequence[int]) -> list[SynthSheet]:
        """Single marks of every style and blank lines, clean scans: all readable."""
        return list(self.gen.sheets([CLASSES["clean"]], PLAIN, ballots=ballots))


def print_ballots(user: Any, conference: Conference, count: int, seed: int = 7) -> Printed:
    download = ballots_print(acting_user=user, conference=conference, count=count)
    printed = BallotPrint.objects.filter(conference=conference).latest("created_at")
    issued = issued_register(printed.layout, printed.serials)
    return Printed(download.content, issued, SheetGenerator(download.content, issued, seed))


def truth_digits(sheet: SynthSheet, kind: VoteKind, keys: Sequence[str]) -> str:
    marks = sheet.truth.marks
    return "".join(
        digit_for_levels(kind, tuple(Level(lv) for lv in marks.get(k, ()))) for k in keys
    )


def png(image: np.ndarray[Any, Any]) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    assert ok
    return bytes(buf.tobytes())


def _px(r: Rect) -> tuple[int, int, int, int]:
    return (
        round(r.x * PX_PER_MM),
        round(r.y * PX_PER_MM),
        round(r.right * PX_PER_MM),
        round(r.bottom * PX_PER_MM),
    )


def marked_page(
    printed: Printed, ballot: int, marks: dict[str, str], faint: Sequence[str] = ()
) -> bytes:
    """Page 1 of ``ballot`` with a bold X in the box of each ``marks`` person (level code)
    and a faint grey smudge in the middle box of each ``faint`` person: a doubt."""
    image = printed.gen.render_page(ballot, 1)
    page = printed.gen.layout.pages[0]
    rows = {row.candidate: row for row in page.rows}
    for cid, level in marks.items():
        x0, y0, x1, y1 = _px(rows[cid].boxes[level].inset(0.8))
        cv2.line(image, (x0, y0), (x1, y1), 0, 7)
        cv2.line(image, (x0, y1), (x1, y0), 0, 7)
    for cid in faint:
        levels = list(rows[cid].boxes)
        box = rows[cid].boxes[levels[len(levels) // 2]]
        cx, cy = round(box.cx * PX_PER_MM), round(box.cy * PX_PER_MM)
        half = round(0.9 * PX_PER_MM)
        image[cy - half : cy + half, cx - half : cx + half] = 195
    return png(image)


def pdf_of(pngs: Sequence[bytes]) -> bytes:
    """A multi-page PDF of full-page JPEG scans, as a scanner writes one."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    w, h = 595.28, 841.89
    for data in pngs:
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        obj = pdfium.PdfImage.new(pdf)
        obj.load_jpeg(io.BytesIO(jpeg.tobytes()), inline=False)
        obj.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page = pdf.new_page(w, h)
        page.insert_obj(obj)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()
