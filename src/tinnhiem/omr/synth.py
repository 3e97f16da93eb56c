"""Synthetic scans of real ballot papers, with ground truth, for tests and benchmarks.

The papers are the real ones: the PDF of :func:`tinnhiem.documents.render_ballots`
and its register of issued serials (``issued.json``) come in, and each page is
rasterised by pdfium at 300 dpi exactly as a printer would receive it. The
generator then writes on the page the way voters do, in page millimetres:

* marks in boxes: an X, a tick, a filled box, a light pencil mark, a partial
  mark (one stroke, a small X), a mark overlapping the box's border;
* on a few lines: a blank line, two boxes marked, a mark scribbled out with
  another box chosen;
* on a few sheets: a name struck through, a name written in below the list,
  other writing in a margin, a signature;

and degrades it like a scanner or a phone would (:data:`CLASSES`): rotation
(small, upside down or any angle), 150–300 dpi, blur, noise, JPEG quality
40–95, uneven light, shadows, perspective and a background for phone photos.

Everything comes from ``numpy.random.default_rng((seed, ballot, page))``: the
same seed gives the same pixels, whatever order sheets are made in (so a pool
of processes can share the work). Each sheet comes with its :class:`Truth`:
the part of the ballot printed on that page in the conference-record form, and
the reason codes a scanner must give when the sheet has to go to people.

This module stays inside the scanning core's import contract (no
``tinnhiem.documents``, which depends on the rules core): the caller renders
the ballots and passes the PDF and the register in.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from tinnhiem.omr.layout import Layout, PageSpec, Rect, parse_register
from tinnhiem.omr.reasons import (
    MARGIN_WRITING,
    NAME_STRUCK,
    SEVERAL_MARKS,
    SIGNATURE_AREA,
)

Gray = NDArray[np.uint8]
RENDER_DPI = 300
MM_PER_INCH = 25.4
SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""The alphabet of printed serials (``tinnhiem.documents.ballots.SERIAL_ALPHABET``)."""


def seeded_serials(seed: int) -> Callable[[], str]:
    """A deterministic serial source in the printed format (``7KQ2-MZ4D-H8WX-3PTA``)."""
    rng = random.Random(seed)

    def source() -> str:
        raw = "".join(rng.choice(SERIAL_ALPHABET) for _ in range(16))
        return "-".join(raw[i : i + 4] for i in range(0, 16, 4))

    return source


# ---------------------------------------------------------------- degradations


@dataclass(frozen=True, slots=True)
class Degradation:
    """Ranges from which each sheet's degradation is drawn (uniformly)."""

    name: str
    dpi: tuple[int, int] = (200, 200)
    angle: tuple[float, float] = (0.0, 0.0)
    """Rotation in degrees (counter-clockwise) before ``upside_down``/``any_angle``."""
    upside_down: float = 0.0
    """Probability of a further 180° turn."""
    any_angle: bool = False
    """Rotation anywhere in 0–360°."""
    blur: tuple[float, float] = (0.0, 0.0)
    """Gaussian sigma in output pixels."""
    noise: tuple[float, float] = (0.0, 0.0)
    """Gaussian noise sigma in grey levels."""
    jpeg: tuple[int, int] | None = None
    """JPEG quality range; None writes lossless files."""
    jpeg_share: float = 1.0
    """Share of sheets written as JPEG when ``jpeg`` is set (the rest PNG or TIFF)."""
    light: tuple[float, float] = (1.0, 1.0)
    """Gain at the darkest end of a linear light gradient across the image."""
    shadow: float = 0.0
    """Probability of a soft shadow (a darker region with blurred edges)."""
    shadow_gain: tuple[float, float] = (0.6, 0.85)
    perspective: float = 0.0
    """Phone photos: largest corner displacement, as a share of the page's size."""
    phone: bool = False
    """A photo: the page on a background, in a 4:3 frame."""
    frames: tuple[tuple[int, int], ...] = ((3024, 4032), (2448, 3264))
    """Phone frames (width, height) in portrait; turned to landscape for a landscape page."""
    page_fill: tuple[float, float] = (0.7, 0.85)
    """Phone: share of the frame the page's bounding box takes."""
    frame_mm: float = 2.0
    """Scans: the scanned area's margin around the page, on each side (millimetres)."""


CLASSES: dict[str, Degradation] = {
    "clean": Degradation(
        "clean", dpi=(200, 300), angle=(-0.6, 0.6), blur=(0.0, 0.5), noise=(0.0, 2.0)
    ),
    "moderate": Degradation(
        "moderate",
        dpi=(150, 300),
        angle=(-3.0, 3.0),
        upside_down=0.3,
        blur=(0.3, 1.0),
        noise=(1.0, 5.0),
        jpeg=(60, 95),
        jpeg_share=0.7,
        light=(0.85, 1.0),
        frame_mm=8.0,
    ),
    "heavy": Degradation(
        "heavy",
        dpi=(150, 300),
        any_angle=True,
        blur=(0.5, 1.5),
        noise=(3.0, 10.0),
        jpeg=(40, 95),
        light=(0.6, 1.0),
        shadow=0.4,
    ),
    "phone": Degradation(
        "phone",
        any_angle=True,
        blur=(0.6, 1.6),
        noise=(2.0, 8.0),
        jpeg=(50, 92),
        light=(0.55, 1.0),
        shadow=0.5,
        perspective=0.1,
        phone=True,
    ),
}
"""The degradation classes of the acceptance run. ``clean`` and ``moderate`` are
the scans a counting room produces; ``heavy`` and ``phone`` are the worst cases."""


# ---------------------------------------------------------------- content


@dataclass(frozen=True, slots=True)
class Mix:
    """How often each kind of writing appears (per line, or per ballot)."""

    blank_line: float = 0.03
    several: float = 0.002
    """Per line: two boxes marked."""
    correction: float = 0.002
    """Per line: a mark scribbled out and another box marked."""
    styles: tuple[tuple[str, float], ...] = (
        ("x", 0.40),
        ("tick", 0.18),
        ("filled", 0.08),
        ("light", 0.10),
        ("partial", 0.12),
        ("border", 0.12),
    )
    struck_name: float = 0.03
    """Per ballot: one printed name struck through."""
    added_name: float = 0.03
    """Per ballot: a name written in below the list (last page)."""
    other_writing: float = 0.02
    """Per ballot: writing in a margin."""
    signature: float = 0.02
    """Per ballot: a signature in the signature space (last page)."""


PLAIN = Mix(
    several=0.0, correction=0.0, struck_name=0.0, added_name=0.0, other_writing=0.0, signature=0.0
)
"""Only single marks (every style) and blank lines: every sheet can be read."""


@dataclass(frozen=True, slots=True)
class Truth:
    """What is on one sheet, and what a scanner must do with it."""

    serial: str
    page: int
    pages: int
    marks: dict[str, tuple[str, ...]]
    """Candidate id → levels whose boxes carry a mark (lines without one left out)."""
    crossed_out: tuple[str, ...] = ()
    added_names: int = 0
    other_writing: bool = False
    signed: bool = False
    must_review: tuple[str, ...] = ()
    """Reason codes a scanner must give (empty: the sheet can be read)."""
    styles: dict[str, str] = field(default_factory=dict)
    """``candidate/level`` → how the mark was drawn."""
    degradation: dict[str, Any] = field(default_factory=dict)
    """The parameters drawn for this sheet."""

    def ballot(self) -> dict[str, Any]:
        """This page's part of the ballot, in the conference-record form."""
        return {
            "marks": {cid: list(levels) for cid, levels in self.marks.items()},
            "crossed_out": list(self.crossed_out),
            "added_names": self.added_names,
            "other_writing": self.other_writing,
            "issued": True,
        }


@dataclass(frozen=True, slots=True)
class SynthSheet:
    """One generated scan: the encoded file, its suffix and the truth."""

    data: bytes
    suffix: str
    truth: Truth

    def image(self) -> Gray:
        """The file decoded as a scanner's reader sees it (grey)."""
        buf = np.frombuffer(self.data, dtype=np.uint8)
        decoded = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
        if decoded is None:  # pragma: no cover - we encoded it ourselves
            raise ValueError("cannot decode a generated sheet")
        return np.asarray(decoded, dtype=np.uint8)


@dataclass(slots=True)
class _PagePlan:
    marks: dict[str, list[str]] = field(default_factory=dict)
    styles: dict[str, str] = field(default_factory=dict)
    drawings: list[tuple[str, Rect | None]] = field(default_factory=list)
    crossed_out: list[str] = field(default_factory=list)
    added_names: int = 0
    other_writing: bool = False
    signed: bool = False
    must_review: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- the generator


class SheetGenerator:
    """Scans of the ballots of one printed batch.

    ``pdf`` and ``issued`` are what :func:`tinnhiem.documents.render_ballots`
    returns (``BallotBatch.pdf`` and ``BallotBatch.issued``); ballot ``i`` is
    the ``i``-th serial of ``issued``.
    """

    def __init__(self, pdf: bytes, issued: dict[str, Any], seed: int) -> None:
        import pypdfium2 as pdfium  # type: ignore[import-untyped]

        self.register = parse_register(issued)
        self.layout: Layout = self.register.layout
        self.serials: tuple[str, ...] = self.register.serial_order
        self.seed = seed
        self._pdf = pdfium.PdfDocument(pdf)
        pages = len(self._pdf)
        if pages != len(self.serials) * len(self.layout.pages):
            raise ValueError(f"the PDF has {pages} pages, the register describes another batch")

    def __len__(self) -> int:
        return len(self.serials)

    def close(self) -> None:
        self._pdf.close()

    def render_page(self, ballot: int, page: int) -> Gray:
        """Page ``page`` (1-based) of ballot ``ballot``, grey, at 300 dpi, unmarked."""
        index = ballot * len(self.layout.pages) + page - 1
        bitmap = self._pdf[index].render(scale=RENDER_DPI / 72, grayscale=True)
        array = np.asarray(bitmap.to_numpy(), dtype=np.uint8)
        if array.ndim == 3:
            array = array[:, :, 0]
        return np.ascontiguousarray(array)

    def ballot(
        self, index: int, degradation: Degradation | Sequence[Degradation], mix: Mix = Mix()
    ) -> list[SynthSheet]:
        """Every page of ballot ``index``, written on and degraded.

        One degradation for all pages, or one per page.
        """
        n = len(self.layout.pages)
        degs = [degradation] * n if isinstance(degradation, Degradation) else list(degradation)
        if len(degs) != n:
            raise ValueError(f"{len(degs)} degradations for {n} pages")
        rng = np.random.default_rng((self.seed, index))
        plans = self._plan(rng, mix)
        return [
            self._sheet(
                index, k + 1, plans[k], degs[k], np.random.default_rng((self.seed, index, k))
            )
            for k in range(n)
        ]

    def sheets(
        self,
        degradations: Sequence[Degradation],
        mix: Mix = Mix(),
        ballots: Sequence[int] | None = None,
    ) -> Iterator[SynthSheet]:
        """Every page of every ballot (or of ``ballots``), degradations taken in turn."""
        chosen = range(len(self.serials)) if ballots is None else ballots
        for j, i in enumerate(chosen):
            yield from self.ballot(i, degradations[j % len(degradations)], mix)

    # ------------------------------------------------------------ planning

    def _plan(self, rng: np.random.Generator, mix: Mix) -> list[_PagePlan]:
        levels = list(self.layout.levels)
        names = [s for s, _ in mix.styles]
        weights = np.array([w for _, w in mix.styles], dtype=float)
        weights /= weights.sum()
        plans = [_PagePlan() for _ in self.layout.pages]
        for plan, spec in zip(plans, self.layout.pages, strict=True):
            for row in spec.rows:
                cid = row.candidate
                u = rng.random()
                if u < mix.blank_line:
                    continue
                if u < mix.blank_line + mix.several:
                    two = sorted(rng.choice(len(levels), size=2, replace=False).tolist())
                    for li in two:
                        lv = levels[li]
                        plan.marks.setdefault(cid, []).append(lv)
                        plan.styles[f"{cid}/{lv}"] = "x"
                        plan.drawings.append(("x", row.boxes[lv]))
                    plan.must_review.add(SEVERAL_MARKS)
                    continue
                if u < mix.blank_line + mix.several + mix.correction:
                    a, b = rng.choice(len(levels), size=2, replace=False).tolist()
                    for li, style in ((a, "scribbled"), (b, "x")):
                        lv = levels[li]
                        plan.marks.setdefault(cid, []).append(lv)
                        plan.styles[f"{cid}/{lv}"] = style
                        plan.drawings.append((style, row.boxes[lv]))
                    plan.marks[cid].sort(key=levels.index)
                    plan.must_review.add(SEVERAL_MARKS)
                    continue
                lv = levels[int(rng.integers(len(levels)))]
                style = names[int(rng.choice(len(names), p=weights))]
                plan.marks[cid] = [lv]
                plan.styles[f"{cid}/{lv}"] = style
                plan.drawings.append((style, row.boxes[lv]))
        last = plans[-1]
        if rng.random() < mix.struck_name:
            k = int(rng.integers(len(plans)))
            row = self.layout.pages[k].rows[int(rng.integers(len(self.layout.pages[k].rows)))]
            plans[k].crossed_out.append(row.candidate)
            plans[k].drawings.append(("strike", row.name))
            plans[k].must_review.add(NAME_STRUCK)
        if rng.random() < mix.added_name:
            last.added_names = 1
            last.drawings.append(("added_name", None))
            last.must_review.add(MARGIN_WRITING)
        if rng.random() < mix.other_writing:
            k = int(rng.integers(len(plans)))
            plans[k].other_writing = True
            plans[k].drawings.append(("margin_note", None))
            plans[k].must_review.add(MARGIN_WRITING)
        if rng.random() < mix.signature and self.layout.pages[-1].signature is not None:
            last.signed = True
            last.drawings.append(("signature", None))
            last.must_review.add(SIGNATURE_AREA)
        return plans

    # ------------------------------------------------------------ drawing

    def _sheet(
        self,
        index: int,
        page: int,
        plan: _PagePlan,
        degradation: Degradation,
        rng: np.random.Generator,
    ) -> SynthSheet:
        spec = self.layout.pages[page - 1]
        image = self.render_page(index, page)
        pen = Pen(image, rng)
        for kind, where in plan.drawings:
            draw(pen, kind, where, spec, rng)
        data, suffix, params = degrade(image, degradation, rng)
        truth = Truth(
            serial=self.serials[index],
            page=page,
            pages=len(self.layout.pages),
            marks={
                row.candidate: tuple(plan.marks[row.candidate])
                for row in spec.rows
                if row.candidate in plan.marks
            },
            crossed_out=tuple(plan.crossed_out),
            added_names=plan.added_names,
            other_writing=plan.other_writing,
            signed=plan.signed,
            must_review=tuple(sorted(plan.must_review)),
            styles=dict(plan.styles),
            degradation=params,
        )
        return SynthSheet(data, suffix, truth)


class Pen:
    """Ink on a 300-dpi page, in millimetres: strokes darken the paper multiplicatively."""

    def __init__(self, image: Gray, rng: np.random.Generator) -> None:
        self.image = image
        self.rng = rng
        self.scale = RENDER_DPI / MM_PER_INCH

    def stroke(
        self, points: NDArray[np.float64], width: float, reflectance: float, jitter: float = 0.12
    ) -> None:
        """A hand-drawn polyline through ``points`` (mm), ``width`` mm wide."""
        pts = _wobble(points, jitter, self.rng)
        self._ink([pts], width, reflectance)

    def _ink(self, lines: list[NDArray[np.float64]], width: float, reflectance: float) -> None:
        s = self.scale
        allpts = np.concatenate(lines)
        pad = width * s + 4
        x0 = max(int(allpts[:, 0].min() * s - pad), 0)
        y0 = max(int(allpts[:, 1].min() * s - pad), 0)
        x1 = min(int(allpts[:, 0].max() * s + pad) + 1, self.image.shape[1])
        y1 = min(int(allpts[:, 1].max() * s + pad) + 1, self.image.shape[0])
        if x1 <= x0 or y1 <= y0:
            return
        mask = np.zeros((y1 - y0, x1 - x0), dtype=np.uint8)
        thickness = max(1, round(width * s))
        shift = 4
        for pts in lines:
            px = np.round((pts * s - [x0, y0]) * (1 << shift)).astype(np.int32)
            cv2.polylines(mask, [px], False, 255, thickness, cv2.LINE_AA, shift)
        alpha = mask.astype(np.float32) / 255.0
        roi = self.image[y0:y1, x0:x1].astype(np.float32)
        roi *= 1.0 - alpha * (1.0 - reflectance)
        self.image[y0:y1, x0:x1] = np.clip(roi, 0, 255).astype(np.uint8)

    def text(
        self, text: str, x: float, y: float, height: float, width: float, reflectance: float
    ) -> float:
        """Handwriting-like script (Hershey) with its baseline at ``y`` mm; returns its length."""
        s = self.scale
        font = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
        (tw, th), _ = cv2.getTextSize(text, font, 1.0, 1)
        scale = height * s / th
        thickness = max(1, round(width * s))
        (tw, th), base = cv2.getTextSize(text, font, scale, thickness)
        pad = thickness + 4
        mask = np.zeros((th + base + 2 * pad, tw + 2 * pad), dtype=np.uint8)
        cv2.putText(mask, text, (pad, pad + th), font, scale, 255, thickness, cv2.LINE_AA)
        slant = float(self.rng.uniform(-0.05, 0.05))
        m = np.array([[1.0, 0.0, 0.0], [slant, 1.0, 0.0]], dtype=np.float64)
        mask = np.asarray(
            cv2.warpAffine(mask, m, (mask.shape[1], mask.shape[0] + int(abs(slant) * tw) + 1)),
            dtype=np.uint8,
        )
        x0, y0 = round(x * s) - pad, round(y * s) - pad - th
        h, w = mask.shape
        ih, iw = self.image.shape
        cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x0 + w, iw), min(y0 + h, ih)
        if cx1 <= cx0 or cy1 <= cy0:
            return 0.0
        alpha = mask[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0].astype(np.float32) / 255.0
        roi = self.image[cy0:cy1, cx0:cx1].astype(np.float32)
        roi *= 1.0 - alpha * (1.0 - reflectance)
        self.image[cy0:cy1, cx0:cx1] = np.clip(roi, 0, 255).astype(np.uint8)
        return tw / s


def _wobble(points: NDArray[np.float64], jitter: float, rng: np.random.Generator) -> Any:
    """Resample a polyline densely and bend it a little, like a hand."""
    out: list[NDArray[np.float64]] = []
    for a, b in itertools.pairwise(points):
        length = float(np.hypot(*(b - a)))
        n = max(2, int(length / 0.4))
        t = np.linspace(0.0, 1.0, n)
        seg = a + (b - a) * t[:, None]
        if length > 0:
            normal = np.array([-(b - a)[1], (b - a)[0]]) / length
            bow = rng.uniform(-1, 1) * jitter * min(length, 8.0) / 4
            wave = rng.uniform(-1, 1) * jitter * 0.5 * np.sin(t * math.pi * rng.uniform(1, 3))
            seg = seg + normal * (bow * np.sin(t * math.pi) + wave)[:, None]
        out.append(seg if not out else seg[1:])
    return np.concatenate(out)


def _pen_ink(rng: np.random.Generator) -> tuple[float, float]:
    """(width mm, reflectance) of a ballpoint or felt pen (black or blue)."""
    if rng.random() < 0.8:
        return float(rng.uniform(0.3, 0.6)), float(rng.uniform(0.05, 0.3))
    return float(rng.uniform(0.6, 1.0)), float(rng.uniform(0.05, 0.25))


def _pencil(rng: np.random.Generator) -> tuple[float, float]:
    return float(rng.uniform(0.35, 0.55)), float(rng.uniform(0.4, 0.6))


def _x(
    pen: Pen, box: Rect, rng: np.random.Generator, ink: tuple[float, float], **kw: float
) -> None:
    scale = kw.get("scale", float(rng.uniform(0.75, 1.05)))
    cx = box.x + box.w / 2 + kw.get("dx", float(rng.uniform(-0.4, 0.4)))
    cy = box.y + box.h / 2 + kw.get("dy", float(rng.uniform(-0.4, 0.4)))
    half = box.w / 2 * scale
    turn = float(rng.uniform(-0.25, 0.25))
    c, s = math.cos(turn), math.sin(turn)
    width, refl = ink
    for sx, sy in ((1.0, 1.0), (1.0, -1.0)):
        ends = []
        for sign in (-1.0, 1.0):
            px = sign * sx * half * float(rng.uniform(0.8, 1.05))
            py = sign * sy * half * float(rng.uniform(0.8, 1.05))
            ends.append((cx + c * px - s * py, cy + s * px + c * py))
        pen.stroke(np.array(ends, dtype=np.float64), width, refl)


def _tick(pen: Pen, box: Rect, rng: np.random.Generator, ink: tuple[float, float]) -> None:
    k = float(rng.uniform(0.75, 1.0))
    cx = box.x + box.w / 2 + float(rng.uniform(-0.4, 0.4))
    cy = box.y + box.h / 2 + float(rng.uniform(-0.3, 0.3))
    pts = np.array(
        [
            (cx - 2.1 * k, cy - 0.1 * k),
            (cx - 0.6 * k, cy + 1.9 * k),
            (cx + 2.3 * k, cy - 2.3 * k),
        ],
        dtype=np.float64,
    )
    pen.stroke(pts, *ink)


def _filled(pen: Pen, box: Rect, rng: np.random.Generator, ink: tuple[float, float]) -> None:
    width = float(rng.uniform(0.6, 1.0))
    refl = ink[1]
    inset = float(rng.uniform(0.2, 0.8))
    y = box.y + inset
    lines: list[tuple[float, float]] = []
    left = True
    while y <= box.y + box.h - inset:
        x = box.x + inset + float(rng.uniform(-0.2, 0.2))
        x2 = box.x + box.w - inset + float(rng.uniform(-0.2, 0.2))
        lines.append((x, y) if left else (x2, y))
        lines.append((x2, y + width * 0.35) if left else (x, y + width * 0.35))
        left = not left
        y += width * 0.7
    pen.stroke(np.array(lines, dtype=np.float64), width, refl, jitter=0.05)


def _scribble(pen: Pen, box: Rect, rng: np.random.Generator, ink: tuple[float, float]) -> None:
    """A mark scribbled over: an X, then dense cross-hatching."""
    _x(pen, box, rng, ink)
    width, refl = ink
    for _ in range(int(rng.integers(6, 10))):
        a = (box.x + float(rng.uniform(-0.5, 1.5)), box.y + float(rng.uniform(0, box.h)))
        b = (box.x + box.w + float(rng.uniform(-1.5, 0.5)), box.y + float(rng.uniform(0, box.h)))
        pen.stroke(np.array([a, b], dtype=np.float64), width, refl)


MARK_STYLES = ("x", "tick", "filled", "light", "partial", "border", "scribbled")
"""How a box can be marked (``scribbled``: an X scribbled over, a mark taken back)."""
WRITING = ("strike", "added_name", "margin_note", "signature")
"""Other writing: ``strike`` goes through a name cell (``where``), the others find their place."""


def draw(pen: Pen, kind: str, where: Rect | None, spec: PageSpec, rng: np.random.Generator) -> None:
    """Write ``kind`` (one of :data:`MARK_STYLES` or :data:`WRITING`) on a page.

    ``where`` is the box for a mark, the name cell for ``strike``, None otherwise.
    """
    if kind in MARK_STYLES:
        if where is None:
            raise ValueError(f"{kind} needs a box")
        box = where
        ink = _pen_ink(rng)
        if kind == "x":
            _x(pen, box, rng, ink)
        elif kind == "tick":
            _tick(pen, box, rng, ink)
        elif kind == "filled":
            _filled(pen, box, rng, ink)
        elif kind == "light":
            pencil = _pencil(rng)
            (_x if rng.random() < 0.6 else _tick)(pen, box, rng, pencil)
        elif kind == "partial":
            if rng.random() < 0.5:  # one stroke of an X
                sign = 1.0 if rng.random() < 0.5 else -1.0
                cx, cy = box.x + box.w / 2, box.y + box.h / 2
                h = box.w / 2 * float(rng.uniform(0.7, 0.95))
                pts = np.array([(cx - h, cy - sign * h), (cx + h, cy + sign * h)], dtype=np.float64)
                pen.stroke(pts, *ink)
            else:  # a small X off-centre
                _x(
                    pen,
                    box,
                    rng,
                    ink,
                    scale=float(rng.uniform(0.5, 0.65)),
                    dx=float(rng.uniform(-1.0, 1.0)),
                    dy=float(rng.uniform(-1.0, 1.0)),
                )
        elif kind == "border":
            angle = float(rng.uniform(0, 2 * math.pi))
            off = float(rng.uniform(1.2, 2.0))
            _x(
                pen,
                box,
                rng,
                ink,
                scale=float(rng.uniform(0.85, 1.05)),
                dx=off * math.cos(angle),
                dy=off * math.sin(angle),
            )
        else:
            _scribble(pen, box, rng, ink)
        return
    ink = _pen_ink(rng)
    if kind == "strike":
        if where is None:
            raise ValueError("strike needs a name cell")
        cell = where
        width = max(ink[0], 0.35)
        x0 = cell.x + float(rng.uniform(0.5, 3.0))
        x1 = cell.x + cell.w * float(rng.uniform(0.55, 0.98))
        u = rng.random()
        if u < 0.7:  # a line through the name, nearly level
            y = cell.y + cell.h / 2 + float(rng.uniform(-1.0, 1.0))
            slope = math.tan(math.radians(float(rng.uniform(-3.0, 3.0))))
            pts = np.array([(x0, y), (x1, y + slope * (x1 - x0))], dtype=np.float64)
            pen.stroke(pts, width, ink[1], jitter=0.25)
            if rng.random() < 0.3:
                again = pts + np.array([0.0, float(rng.uniform(0.5, 1.2))])
                pen.stroke(again, width, ink[1], 0.25)
        elif u < 0.9:  # a slanted line, from low on the left to high on the right or back
            rise = min(cell.h - 3.0, (x1 - x0) * math.tan(math.radians(rng.uniform(5.0, 12.0))))
            sign = 1.0 if rng.random() < 0.5 else -1.0
            y = cell.y + cell.h / 2
            pts = np.array([(x0, y + sign * rise / 2), (x1, y - sign * rise / 2)], dtype=np.float64)
            pen.stroke(pts, width, ink[1], jitter=0.25)
        else:  # a cross over the name
            top, bottom = cell.y + 1.5, cell.bottom - 1.5
            pen.stroke(np.array([(x0, top), (x1, bottom)], dtype=np.float64), width, ink[1], 0.25)
            pen.stroke(np.array([(x0, bottom), (x1, top)], dtype=np.float64), width, ink[1], 0.25)
        return
    name = _fake_name(rng)
    if kind == "added_name":
        x, y = _blank_spot(spec, rng, need_w=60.0, need_h=9.0)
        h = float(rng.uniform(3.0, 4.5))
        pen.text(f"{int(rng.integers(1, 30))}. {name}", x, y + h + 1.0, h, ink[0], ink[1])
        return
    if kind == "margin_note":
        note = ["dong y", "khong dong y", "de nghi xem lai", "?", "ok", name][int(rng.integers(6))]
        side = int(rng.integers(4))
        h = float(rng.uniform(2.5, 3.5))
        if side == 0:  # left margin, written downwards in the band
            pen.text(note[:4], 3.5, float(rng.uniform(60, 240)), h, ink[0], ink[1])
        elif side == 1:  # right margin
            pen.text(note[:2], 197.5, float(rng.uniform(60, 240)), h, ink[0], ink[1])
        elif side == 2:  # top, between the corner marks
            pen.text(note, float(rng.uniform(25, 120)), 8.0, h, ink[0], ink[1])
        else:  # bottom edge
            pen.text(note, float(rng.uniform(25, 120)), 292.5, h, ink[0], ink[1])
        return
    if kind == "signature":
        sig = spec.signature
        assert sig is not None
        h = float(rng.uniform(3.5, 6.0))
        x = sig.x + sig.w / 2 - 15 + float(rng.uniform(-8, 8))
        length = pen.text(name.split()[-1], x, sig.y + sig.h - 2.0, h, ink[0], ink[1])
        flourish = np.array(
            [(x - 2, sig.y + sig.h - 1.2), (x + length + 3, sig.y + sig.h - 2.5)], dtype=np.float64
        )
        pen.stroke(flourish, ink[0], ink[1], jitter=0.4)
        return
    raise ValueError(f"unknown drawing {kind!r}")  # pragma: no cover


_FAMILY = ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ho")
_MIDDLE = ("Van", "Thi", "Duc", "Minh", "Ngoc", "Thanh", "Quoc", "Hong")
_GIVEN = ("An", "Binh", "Cuong", "Dung", "Giang", "Hai", "Khanh", "Lan", "Minh", "Son", "Tam")


def _fake_name(rng: np.random.Generator) -> str:
    return " ".join(
        (
            _FAMILY[int(rng.integers(len(_FAMILY)))],
            _MIDDLE[int(rng.integers(len(_MIDDLE)))],
            _GIVEN[int(rng.integers(len(_GIVEN)))],
        )
    )


def _blank_spot(
    spec: PageSpec, rng: np.random.Generator, need_w: float, need_h: float
) -> tuple[float, float]:
    """Top-left (mm) of a free area below the list of names (left of the signature)."""
    bottom = max(r.rect.y + r.rect.h for r in spec.rows)
    limit = 256.0
    right = spec.signature.x - 2 if spec.signature is not None else 160.0
    y_max = max(bottom + 2.0, limit - need_h)
    y = float(rng.uniform(bottom + 2.0, y_max))
    x = float(rng.uniform(22.0, max(22.0, right - need_w)))
    return x, y


# ---------------------------------------------------------------- degrading


def degrade(
    page: Gray, deg: Degradation, rng: np.random.Generator
) -> tuple[bytes, str, dict[str, Any]]:
    """Scan or photograph a 300-dpi page: (encoded file, suffix, parameters drawn)."""
    src_h, src_w = page.shape
    params: dict[str, Any] = {"class": deg.name}
    angle = float(rng.uniform(*deg.angle)) if deg.angle != (0.0, 0.0) else 0.0
    if deg.any_angle:
        angle = float(rng.uniform(0.0, 360.0))
    elif rng.random() < deg.upside_down:
        angle += 180.0
    params["angle"] = round(angle, 2)
    src = np.array([[0, 0], [src_w, 0], [src_w, src_h], [0, src_h]], dtype=np.float64)
    centre = src.mean(axis=0)
    if deg.phone:
        frame_w, frame_h = deg.frames[int(rng.integers(len(deg.frames)))]
        fill = float(rng.uniform(*deg.page_fill))
        # Scale so that the rotated page's bounding box fits the frame at ``fill``.
        a = math.radians(angle)
        bw = abs(math.cos(a)) * src_w + abs(math.sin(a)) * src_h
        bh = abs(math.sin(a)) * src_w + abs(math.cos(a)) * src_h
        if bw > bh:
            frame_w, frame_h = frame_h, frame_w
        scale = fill * min(frame_w / bw, frame_h / bh)
        out_w, out_h = frame_w, frame_h
        dpi = RENDER_DPI * scale
    else:
        dpi = float(rng.uniform(*deg.dpi))
        scale = dpi / RENDER_DPI
        turned = angle % 180.0
        if deg.any_angle or min(turned, 180.0 - turned) > 5.0:  # at an angle: a frame around it
            a = math.radians(angle)
            bw = abs(math.cos(a)) * src_w + abs(math.sin(a)) * src_h
            bh = abs(math.sin(a)) * src_w + abs(math.cos(a)) * src_h
            margin = 2 * 8.0 * dpi / MM_PER_INCH
            out_w, out_h = int(bw * scale + margin), int(bh * scale + margin)
        else:
            margin = 2 * deg.frame_mm * dpi / MM_PER_INCH
            out_w, out_h = round(src_w * scale + margin), round(src_h * scale + margin)
    params["dpi"] = round(dpi, 1)
    # Downscale first (area filter, like a scanner's optics), then place the page.
    small = np.asarray(
        cv2.resize(
            page, (round(src_w * scale), round(src_h * scale)), interpolation=cv2.INTER_AREA
        ),
        dtype=np.uint8,
    )
    sh, sw = small.shape
    a = math.radians(angle)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    corners = (src - centre) * scale @ rot.T
    if deg.phone:
        shift = rng.uniform(-0.02, 0.02, 2) * [out_w, out_h]
    else:  # a scanner's guide: the page lies within a millimetre of its place
        shift = rng.uniform(-1.0, 1.0, 2) * dpi / MM_PER_INCH
    corners += np.array([out_w / 2, out_h / 2]) + shift
    if deg.perspective > 0:
        size = max(sw, sh)
        corners += rng.uniform(-deg.perspective, deg.perspective, (4, 2)) * size * 0.5
        params["perspective"] = True
    small_corners = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(small_corners, corners.astype(np.float32))
    if deg.phone:
        background = _background(out_w, out_h, rng)
        out = np.asarray(
            cv2.warpPerspective(
                small, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
            ),
            dtype=np.uint8,
        )
        cover = np.asarray(
            cv2.warpPerspective(
                np.full_like(small, 255), m, (out_w, out_h), flags=cv2.INTER_LINEAR
            ),
            dtype=np.float32,
        )
        cover /= 255.0
        image = out.astype(np.float32) * cover + background * (1.0 - cover)
    else:
        lid = float(rng.uniform(225, 250))
        image = np.asarray(
            cv2.warpPerspective(
                small,
                m,
                (out_w, out_h),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_CONSTANT,
                borderValue=lid,
            ),
            dtype=np.float32,
        )
    # Light: a linear gradient, then a soft shadow.
    lo = float(rng.uniform(*deg.light))
    if lo < 1.0:
        theta = float(rng.uniform(0, 2 * math.pi))
        yy, xx = np.mgrid[0:out_h:8, 0:out_w:8].astype(np.float32)
        ramp = (xx * math.cos(theta) + yy * math.sin(theta)).astype(np.float32)
        ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1.0)
        gain = lo + (1.0 - lo) * ramp
        gain_full = cv2.resize(gain, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
        image *= gain_full
        params["light"] = round(lo, 2)
    if rng.random() < deg.shadow:
        image *= _shadow(out_w, out_h, float(rng.uniform(*deg.shadow_gain)), dpi, rng)
        params["shadow"] = True
    blur = float(rng.uniform(*deg.blur))
    if blur > 0.05:
        image = np.asarray(cv2.GaussianBlur(image, (0, 0), blur), dtype=np.float32)
    params["blur"] = round(blur, 2)
    noise = float(rng.uniform(*deg.noise))
    if noise > 0.05:
        image += rng.standard_normal(image.shape, dtype=np.float32) * noise
    params["noise"] = round(noise, 2)
    final = np.clip(image, 0, 255).astype(np.uint8)
    if deg.jpeg is not None and rng.random() < deg.jpeg_share:
        quality = int(rng.integers(deg.jpeg[0], deg.jpeg[1] + 1))
        ok, buf = cv2.imencode(".jpg", final, [cv2.IMWRITE_JPEG_QUALITY, quality])
        suffix = ".jpg"
        params["jpeg"] = quality
    elif rng.random() < 0.75:
        ok, buf = cv2.imencode(".png", final, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        suffix = ".png"
    else:
        ok, buf = cv2.imencode(".tif", final)
        suffix = ".tif"
    if not ok:  # pragma: no cover
        raise RuntimeError("cannot encode a generated sheet")
    return bytes(np.asarray(buf).tobytes()), suffix, params


def _background(w: int, h: int, rng: np.random.Generator) -> NDArray[np.float32]:
    """A table under the page: a dark or light tone, low-frequency texture, wood-like grain."""
    base = float(rng.choice([rng.uniform(40, 110), rng.uniform(150, 200)]))
    coarse = rng.standard_normal((max(h // 64, 2), max(w // 64, 2))).astype(np.float32)
    texture = np.asarray(cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC), np.float32)
    grain = np.sin(np.linspace(0, float(rng.uniform(20, 60)), h, dtype=np.float32))[:, None]
    out: NDArray[np.float32] = (base + 12.0 * texture + 6.0 * grain).astype(np.float32)
    return out


def _shadow(w: int, h: int, gain: float, dpi: float, rng: np.random.Generator) -> Any:
    """1 where lit, ``gain`` in the shadow, soft edges (a few millimetres to centimetres)."""
    small_w, small_h = max(w // 8, 2), max(h // 8, 2)
    mask = np.zeros((small_h, small_w), dtype=np.float32)
    # A half-plane cut by a random line, or a blob (a hand, a phone).
    if rng.random() < 0.5:
        theta = float(rng.uniform(0, 2 * math.pi))
        yy, xx = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
        off = float(rng.uniform(0.25, 0.75))
        d = (xx / small_w - off) * math.cos(theta) + (yy / small_h - off) * math.sin(theta)
        mask[d > 0] = 1.0
    else:
        cx, cy = float(rng.uniform(0, small_w)), float(rng.uniform(0, small_h))
        axes = (int(rng.uniform(0.15, 0.4) * small_w), int(rng.uniform(0.15, 0.4) * small_h))
        cv2.ellipse(mask, (int(cx), int(cy)), axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    # Mostly soft edges (a hand, a phone); sometimes a hard one (direct light).
    soft_mm = float(rng.uniform(0.8, 2.0) if rng.random() < 0.3 else rng.uniform(4.0, 15.0))
    sigma = max(soft_mm * dpi / MM_PER_INCH / 8, 0.5)
    mask = np.asarray(cv2.GaussianBlur(mask, (0, 0), sigma), dtype=np.float32)
    full = cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR)
    out: NDArray[np.float32] = 1.0 - np.float32(1.0 - gain) * np.asarray(full, dtype=np.float32)
    return out
