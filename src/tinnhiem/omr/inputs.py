"""Scanner output in, grey images out: PNG, JPEG, TIFF (multi-page too) and PDF.

A folder is read in natural order (``scan2`` before ``scan10``), sub-folders
included, hidden files left out; files of other types are listed as skipped
so the caller can say so. Every page of a multi-page TIFF or PDF is a sheet.

A PDF page that is one full-page image (what a scanner writes) is decoded
from the image itself, at its own resolution (a JPEG stream straight to the
JPEG decoder); any other page is rendered at :data:`PDF_DPI`.

Colour images become grey by the *darkest* of their channels, not by
luminance: ink of any colour (blue, red, even a yellow highlighter) is dark
in at least one channel, and white paper is bright in all three, so no
coloured mark can fade into the paper.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Gray = NDArray[np.uint8]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
PDF_SUFFIXES = frozenset({".pdf"})
SUFFIXES = IMAGE_SUFFIXES | PDF_SUFFIXES
PDF_DPI = 200


class InputError(ValueError):
    """A path that cannot be scanned (missing, or not an image or PDF)."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class SheetSource:
    """One sheet: a file, and the page within it for multi-page files."""

    path: str
    index: int | None = None
    """1-based page of a multi-page TIFF or PDF; None for a single image."""

    @property
    def label(self) -> str:
        return self.path if self.index is None else f"{self.path}#{self.index}"


def _natural(name: str) -> list[Any]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def expand(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """(files to scan, files skipped) for the paths given: files and folders.

    :raises InputError: a path that does not exist, or a file given by name
        that is neither an image nor a PDF.
    """
    files: list[str] = []
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted((d for d in dirs if not d.startswith(".")), key=_natural)
                for name in sorted(names, key=_natural):
                    if name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    (files if Path(name).suffix.lower() in SUFFIXES else skipped).append(full)
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise InputError(
                    f"{raw}: không phải ảnh (PNG, JPEG, TIFF) hay PDF",
                    f"{raw}: not an image (PNG, JPEG, TIFF) or a PDF",
                )
            files.append(raw)
        elif p.exists():
            raise InputError(f"{raw}: không đọc được", f"{raw}: cannot be read")
        else:
            raise InputError(f"{raw}: không tìm thấy", f"{raw}: no such file or folder")
    return files, skipped


def sheets_of(path: str) -> list[SheetSource]:
    """The sheets in one file (one, or one per page); a file that cannot be opened is one
    sheet that will fail to load (and go to review as ``unreadable_image``)."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix in PDF_SUFFIXES:
            n = len(_pdf(path))
            return [SheetSource(path, i + 1) for i in range(n)] or [SheetSource(path)]
        if suffix in (".tif", ".tiff"):
            n = int(cv2.imcount(path))
            if n > 1:
                return [SheetSource(path, i + 1) for i in range(n)]
    except Exception:
        return [SheetSource(path)]
    return [SheetSource(path)]


def load(source: SheetSource) -> Gray | None:
    """The sheet as a grey image, or None when it cannot be decoded."""
    try:
        suffix = Path(source.path).suffix.lower()
        if suffix in PDF_SUFFIXES:
            return _pdf_page(source.path, (source.index or 1) - 1)
        if source.index is not None:
            ok, pages = cv2.imreadmulti(
                source.path, start=source.index - 1, count=1, flags=cv2.IMREAD_UNCHANGED
            )
            return _gray(pages[0]) if ok and pages else None
        data = np.fromfile(source.path, dtype=np.uint8)
        return _gray(cv2.imdecode(data, cv2.IMREAD_UNCHANGED))
    except Exception:
        return None


def _gray(image: Any) -> Gray | None:
    """8-bit grey: the darkest channel of a colour image (alpha ignored)."""
    if image is None:
        return None
    a = np.asarray(image)
    if a.dtype == np.uint16:
        a = (a >> 8).astype(np.uint8)
    elif a.dtype != np.uint8:
        a = np.clip(a.astype(np.float64) * (255.0 / max(float(a.max()), 1e-9)), 0, 255)
        a = a.astype(np.uint8)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    elif a.ndim == 3:
        a = cv2.min(cv2.min(a[:, :, 0], a[:, :, 1]), a[:, :, 2])
    if a.ndim != 2:
        return None
    return np.ascontiguousarray(a, dtype=np.uint8)


_open_pdf: dict[str, Any] = {}


def _pdf(path: str) -> Any:
    """The open document (one kept per process: a batch reads a PDF page after page)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = _open_pdf.get(path)
    if doc is None:
        for old in _open_pdf.values():
            old.close()
        _open_pdf.clear()
        doc = pdfium.PdfDocument(path)
        _open_pdf[path] = doc
    return doc


def _pdf_page(path: str, index: int) -> Gray | None:
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    doc = _pdf(path)
    page = doc[index]
    width, height = page.get_size()
    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    if len(images) == 1:
        img = images[0]
        left, bottom, right, top = img.get_bounds()
        if (right - left) * (top - bottom) >= 0.9 * width * height:
            if img.get_filters() == ["DCTDecode"]:
                raw = np.frombuffer(bytes(img.get_data(decode_simple=False)), dtype=np.uint8)
                decoded = _gray(cv2.imdecode(raw, cv2.IMREAD_UNCHANGED))
                if decoded is not None:
                    return decoded
            bitmap = img.get_bitmap(render=False)
            return _gray(bitmap.to_numpy())
    bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
    array = np.asarray(bitmap.to_numpy())
    if array.ndim == 3:
        array = array[:, :, 0]
    return np.ascontiguousarray(array, dtype=np.uint8)
