"""Reading back what the generators wrote: PDF text, rendered pixels, DOCX text.

PDF text comes from pypdf (a dev dependency, always there) and from poppler's
``pdftotext``; pixels from poppler's ``pdftoppm`` as an 8-bit grey PNG,
decoded here (a few lines of zlib) so that no imaging library is needed.
Without poppler the tests that need it are skipped, and fail under CI=true.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

MM_PER_INCH = 25.4


def require_tool(name: str, package: str = "poppler-utils") -> str:
    """The tool's path; skip (or fail under CI=true) when it is not installed."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def squash(text: str) -> str:
    """Whitespace runs (line breaks included) to one space; NFC is checked, not applied."""
    return re.sub(r"\s+", " ", text).strip()


def pypdf_pages(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdftotext(
    pdf: bytes,
    tmp_path: Path,
    first: int | None = None,
    last: int | None = None,
    layout: bool = False,
) -> str:
    tool = require_tool("pdftotext")
    src = tmp_path / "in.pdf"
    src.write_bytes(pdf)
    args = [tool, "-enc", "UTF-8", *(["-layout"] if layout else [])]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(src), "-"], capture_output=True, check=True, timeout=60)
    return out.stdout.decode("utf-8")


def assert_nfc(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text), "text extracted is not NFC"


@dataclass(frozen=True)
class Gray:
    """An 8-bit grey image: 0 black, 255 white."""

    width: int
    height: int
    pixels: bytes
    dpi: float
    left: int = 0
    """Pixel column of the page where this image starts (a cropped render)."""
    top: int = 0

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def mean(self, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> float:
        """Mean grey level of a rectangle in millimetres from the page's corner (0 black)."""
        x0, y0 = self.px(x_mm) - self.left, self.px(y_mm) - self.top
        x1 = max(self.px(x_mm + w_mm) - self.left, x0 + 1)
        y1 = max(self.px(y_mm + h_mm) - self.top, y0 + 1)
        assert 0 <= x0 < x1 <= self.width, "outside the crop"
        assert 0 <= y0 < y1 <= self.height, "outside the crop"
        total = 0
        for y in range(y0, y1):
            row = self.pixels[y * self.width + x0 : y * self.width + x1]
            total += sum(row)
        return total / ((x1 - x0) * (y1 - y0))

    def dark_share(self, threshold: int = 128) -> float:
        dark = sum(1 for v in self.pixels if v < threshold)
        return dark / len(self.pixels)


def decode_gray_png(data: bytes, dpi: float) -> Gray:
    """Decode a non-interlaced 8-bit grey or RGB PNG (what ``pdftoppm -png`` writes) to grey."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, interlace) == (8, 0), "8 bits, not interlaced"
            assert colour in (0, 2), "grey or RGB"
            bpp = 1 if colour == 0 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((v + u) & 0xFF for v, u in zip(line, prev, strict=True))
        elif ftype in (3, 4):
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                if ftype == 3:
                    line[x] = (line[x] + (a + b) // 2) & 0xFF
                else:
                    c = prev[x - bpp] if x >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                    line[x] = (line[x] + pred) & 0xFF
        out += line if bpp == 1 else bytes(sum(line[i : i + 3]) // 3 for i in range(0, stride, 3))
        prev = line
    return Gray(width, height, bytes(out), dpi)


def render_page(
    pdf: bytes,
    tmp_path: Path,
    page: int = 1,
    dpi: int = 50,
    crop_mm: tuple[float, float, float, float] | None = None,
    png: bool = True,
) -> Gray:
    """One page (or the ``crop_mm`` x, y, w, h of it) as a grey image, by ``pdftoppm``.

    PNG by default (decoded here); ``png=False`` asks for a PGM, which is much
    faster to read in pure Python for the pixel-exact checks.
    """
    tool = require_tool("pdftoppm")
    src = tmp_path / "render.pdf"
    src.write_bytes(pdf)
    prefix = tmp_path / f"render-{page}-{dpi}"
    args = [tool, *(["-png"] if png else []), "-gray", "-r", str(dpi)]
    args += ["-f", str(page), "-l", str(page)]
    left = top = 0
    if crop_mm is not None:
        x, y, w, h = (round(v * dpi / MM_PER_INCH) for v in crop_mm)
        left, top = x, y
        args += ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    subprocess.run(
        [*args, "-singlefile", str(src), str(prefix)], check=True, capture_output=True, timeout=120
    )
    if png:
        image = decode_gray_png(prefix.with_suffix(".png").read_bytes(), dpi)
    else:
        image = decode_pgm(prefix.with_suffix(".pgm").read_bytes(), dpi)
    return Gray(image.width, image.height, image.pixels, dpi, left, top)


def decode_pgm(data: bytes, dpi: float) -> Gray:
    """A binary PGM (P5, 8 bits)."""
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert (magic, maxval) == (b"P5", b"255")
    w, h = int(width), int(height)
    assert len(pixels) == w * h
    return Gray(w, h, pixels, dpi)


def assert_not_blank(image: Gray) -> None:
    share = image.dark_share()
    assert 0.002 < share < 0.5, f"page looks blank or black: {share:.4f} of pixels dark"


def pdf_font_names(pdf: bytes) -> set[str]:
    """BaseFont names of every font of every page, form XObjects included."""
    reader = PdfReader(io.BytesIO(pdf))
    names: set[str] = set()

    def walk(resources: object, seen: set[int]) -> None:
        if resources is None:
            return
        res = resources.get_object()  # type: ignore[attr-defined]
        fonts = res.get("/Font")
        if fonts is not None:
            for ref in fonts.get_object().values():
                names.add(str(ref.get_object().get("/BaseFont")))
        xobjects = res.get("/XObject")
        if xobjects is not None:
            for ref in xobjects.get_object().values():
                key = id(ref.get_object())
                if key in seen:
                    continue
                seen.add(key)
                walk(ref.get_object().get("/Resources"), seen)

    for page in reader.pages[:4]:
        walk(page.get("/Resources"), set())
    return names
