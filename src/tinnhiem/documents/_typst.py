"""Typst rendering with the package's own fonts and nothing else.

Every PDF of the project is drawn by a template under ``templates/`` and the
four Liberation Serif faces under ``fonts/`` (metric-compatible with Times
New Roman, SIL OFL 1.1). System fonts and typst's embedded fonts are both
ignored, so a PDF is the same on every machine. Data reach a template only
as JSON in ``sys.inputs.data`` (read with ``json(bytes(sys.inputs.data))``):
no value is ever spliced into typst markup, so a name such as ``#set`` or
``[*]`` prints as itself.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import typst

from tinnhiem.documents.errors import DocumentError

FONT_FILES = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
)
FONT_FAMILY = "Liberation Serif"
FIXED_TIMESTAMP = datetime(2000, 1, 1, tzinfo=UTC)
"""Creation date written into every PDF: output depends on the data only."""

_lock = threading.Lock()
_fonts: typst.Fonts | None = None
_font_dir_copy: Path | None = None
_compiler: typst.Compiler | None = None
_sources: dict[str, bytes] = {}


def package_files() -> Traversable:
    return resources.files("tinnhiem.documents")


def font_dir() -> Path:
    """A real directory holding the four fonts (the package's own when it is one)."""
    global _font_dir_copy
    fonts = package_files().joinpath("fonts")
    if isinstance(fonts, Path) and all((fonts / f).is_file() for f in FONT_FILES):
        return fonts
    # Zipped or otherwise virtual install: copy the fonts out once per process.
    if _font_dir_copy is None:
        target = Path(tempfile.mkdtemp(prefix="tinnhiem-fonts-"))
        for name in FONT_FILES:
            (target / name).write_bytes(fonts.joinpath(name).read_bytes())
        _font_dir_copy = target
    return _font_dir_copy


def template_source(name: str) -> str:
    """``common.typ`` followed by ``name``: templates share their helpers by text."""
    templates = package_files().joinpath("templates")
    common = templates.joinpath("common.typ").read_text(encoding="utf-8")
    body = templates.joinpath(name).read_text(encoding="utf-8")
    return common + "\n" + body


_coverage: frozenset[int] | None = None


def _cmap_codepoints(font: bytes) -> set[int]:
    """Code points a TrueType font maps to a real glyph (cmap formats 4 and 12)."""
    num_tables = int.from_bytes(font[4:6], "big")
    cmap = 0
    for i in range(num_tables):
        rec = 12 + 16 * i
        if font[rec : rec + 4] == b"cmap":
            cmap = int.from_bytes(font[rec + 8 : rec + 12], "big")
    if not cmap:
        raise RuntimeError("font without a cmap table")

    def u16(at: int) -> int:
        return int.from_bytes(font[at : at + 2], "big")

    def u32(at: int) -> int:
        return int.from_bytes(font[at : at + 4], "big")

    points: set[int] = set()
    for i in range(u16(cmap + 2)):
        rec = cmap + 4 + 8 * i
        platform, encoding = u16(rec), u16(rec + 2)
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4)):
            continue
        sub = cmap + u32(rec + 4)
        fmt = u16(sub)
        if fmt == 4:
            segs = u16(sub + 6) // 2
            ends, starts = sub + 14, sub + 16 + 2 * segs
            deltas, ranges = starts + 2 * segs, starts + 4 * segs
            for s in range(segs):
                start, end = u16(starts + 2 * s), u16(ends + 2 * s)
                delta, range_offset = u16(deltas + 2 * s), u16(ranges + 2 * s)
                for c in range(start, min(end, 0xFFFE) + 1):
                    if range_offset == 0:
                        glyph = (c + delta) & 0xFFFF
                    else:
                        at = ranges + 2 * s + range_offset + 2 * (c - start)
                        glyph = u16(at)
                        glyph = (glyph + delta) & 0xFFFF if glyph else 0
                    if glyph:
                        points.add(c)
        elif fmt == 12:
            for g in range(u32(sub + 12)):
                group = sub + 16 + 12 * g
                points.update(range(u32(group), u32(group + 4) + 1))
    return points


def font_coverage() -> frozenset[int]:
    """Code points every one of the four faces can print."""
    global _coverage
    if _coverage is None:
        faces = [_cmap_codepoints((font_dir() / name).read_bytes()) for name in FONT_FILES]
        _coverage = frozenset(set.intersection(*faces))
    return _coverage


def check_printable(text: str) -> None:
    """Refuse text with a character the fonts lack: a legal paper must not print tofu."""
    missing = sorted(c for c in set(text) if ord(c) >= 32 and ord(c) not in font_coverage())
    if missing:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
        raise DocumentError(
            f"phông Liberation Serif không có ký tự {shown}; hãy sửa dữ liệu",
            f"the Liberation Serif fonts lack {shown}; correct the data",
        )


def _font_set() -> typst.Fonts:
    global _fonts
    if _fonts is None:
        _fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(font_dir())],
        )
        families = _fonts.families()
        if families != [FONT_FAMILY]:
            raise RuntimeError(f"expected only {FONT_FAMILY}, typst found {families}")
    return _fonts


def render_pdf(template: str, data: Any, files: Mapping[str, bytes] | None = None) -> bytes:
    """Compile ``templates/<template>`` with ``data`` (JSON-ready) to PDF bytes.

    ``files`` are written to a private temporary directory that is the typst
    root for this compilation (a template reads them with ``read(name,
    encoding: none)``). One compiler with the package fonts is kept for the
    process; each call passes its own source, so typst reuses fonts and
    parsed templates and each new data set costs only the layout.
    """
    global _compiler
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    check_printable(payload)
    source = _sources.get(template)
    if source is None:
        source = template_source(template).encode("utf-8")
        _sources[template] = source
    with _lock, tempfile.TemporaryDirectory(prefix="tinnhiem-typst-") as root:
        for name, content in (files or {}).items():
            (Path(root) / name).write_bytes(content)
        if _compiler is None:
            _compiler = typst.Compiler(font_paths=_font_set(), ignore_system_fonts=True)
        try:
            pdf = _compiler.compile(
                input=source,
                format="pdf",
                sys_inputs={"data": payload},
                root=root,
                timestamp=FIXED_TIMESTAMP,
            )
        except typst.TypstError as e:  # a template bug, never the user's data
            raise DocumentError(
                f"lỗi dàn trang typst ({template}): {e.message}",
                f"typst layout error ({template}): {e.message}",
            ) from e
    # typst prints a missing glyph as an empty box without a warning: check_printable did.
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns bytes for one PDF
        raise RuntimeError("typst returned no PDF")
    return pdf
