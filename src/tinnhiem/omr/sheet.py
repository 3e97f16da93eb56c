"""Reading one sheet: from an image to raw marks, flags and reasons.

:class:`Reader` holds the register of issued serials and what it derives from
the layout once (the boxes, cells and name lines of each page, the blank
areas). :meth:`Reader.read` takes one grey image and returns a
:class:`SheetReading`: the QR code's content, every box with its state and
confidence, the flags (a struck name, writing in a margin or the signature
space, ink beside a box) and the reasons that send the sheet to people.

A box is *marked* when the ink in it is well above what an empty box shows
under every degradation measured, *empty* when it is well below what any
mark shows, and in *doubt* between the two: the thresholds leave a band on
each side (see ``docs/decisions/0012-omr.md`` for the figures).

What a reading does not know (the other pages of the ballot, other sheets
with the same serial, whether the serial was issued) is decided later, for
the whole batch, by :func:`tinnhiem.omr.batch.decide`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from tinnhiem.ballotcode import QrContent
from tinnhiem.ballotcode import parse_qr_payload as parse_qr
from tinnhiem.omr import reasons as rc
from tinnhiem.omr.layout import PageSpec, Rect, Register
from tinnhiem.omr.locate import (
    Registration,
    canonical,
    find_qr_by_marks,
    find_qr_codes,
    register,
)
from tinnhiem.omr.measure import (
    S_LOW,
    SEARCH,
    S,
    Slant,
    ink_mask,
    longest_runs,
    measure_blank,
    measure_boxes,
    measure_strikes,
    paper_of,
    slants,
    zone_areas,
)

Gray = NDArray[np.uint8]

# Box thresholds. mass: mean ink depth over the interior; faint, strong: area (mm²) of
# the interior with depth ≥ 0.15, ≥ 0.35 (depth = 1 − grey / paper plane around the box).
MARKED_MASS = 0.055
"""A marked box has at least this mean ink depth (the faintest mark measured: 0.066)..."""
MARKED_STRONG_MM2 = 0.25
"""...and at least this much dark ink (no empty box measured has any, shadows included)."""
EMPTY_FAINT_MM2 = 0.3
"""An empty box has at most this much even faint ink (marks measured: ≥ 3.7 mm²)..."""
EMPTY_MASS = 0.08
"""...no dark ink at all, and a mean depth of at most this (a gentle shadow inside)."""
MIN_EDGE = 0.1
"""An unmarked box's printed outline must be found at least this dark: else doubt."""
MAX_UNEVEN = 0.25
"""Paper around a box uneven by more (a shadow's edge, a step of light): doubt. Below it,
a shadow cannot make ink as deep as ``strong`` (0.35) counts."""
STRAY_MM2 = 0.8
"""Ink beside an unmarked box (in its cell) from this area: ``mark_outside_box``."""
STRIKE_MM = 8.0
"""Confidence scale of a struck name: a run of this many millimetres is a full band."""
BLANK_INK_MM2 = 1.2
"""Writing in a blank area from this much ink: ``margin_writing`` / ``signature_area``."""
SIGNATURE_TEXT_MM = 12.5
"""The printed "Người ghi phiếu (có thể ký …)" fills the signature space's top 12.5 mm."""


@dataclass(frozen=True, slots=True)
class BoxReading:
    candidate: str
    level: str
    state: str
    """``marked``, ``empty`` or ``doubt``."""
    mass: float
    """Mean ink depth over the box's interior (``fill`` in JSON)."""
    faint_mm2: float
    strong_mm2: float
    confidence: float
    """0 at a threshold, 1 when a whole band's width away from it (0 for doubt)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "level": self.level,
            "state": self.state,
            "fill": round(self.mass, 4),
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class Flag:
    """Something on the paper that is not a mark in a box."""

    code: str
    """A reason code: ``name_struck``, ``margin_writing``, ``signature_area``,
    ``mark_outside_box``."""
    where: str
    """A candidate id (``name_struck``, ``mark_outside_box``: ``id/level``) or a region."""
    measure: float
    """Stroke length (mm) or ink area (mm²)."""
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "where": self.where,
            "measure": round(self.measure, 2),
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class SheetReading:
    source: str
    qr: QrContent | None = None
    reasons: tuple[str, ...] = ()
    boxes: tuple[BoxReading, ...] = ()
    flags: tuple[Flag, ...] = ()
    scale: float | None = None
    """Pixels per millimetre (smallest over the page)."""
    qr_error_mm: float | None = None
    levels: tuple[str, ...] = field(default=())
    file_page: int | None = None
    """The page within a multi-page file (TIFF, PDF); None for a single image."""

    @property
    def serial(self) -> str | None:
        return self.qr.serial if self.qr is not None else None

    @property
    def page(self) -> int | None:
        return self.qr.page if self.qr is not None else None

    def marks(self) -> dict[str, list[str]]:
        """Candidate → levels of the boxes read as marked, in layout order."""
        out: dict[str, list[str]] = {}
        for b in self.boxes:
            if b.state == "marked":
                out.setdefault(b.candidate, []).append(b.level)
        return out


@dataclass(frozen=True, slots=True)
class _Canvas:
    """A canonical region of the page: origin (mm), size (mm), zones labelled 1…n."""

    origin: tuple[float, float]
    size: tuple[float, float]
    zones: NDArray[np.uint16]
    interior: NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class _PagePlan:
    boxes: list[tuple[str, str, Rect]]
    levels: _Canvas
    """The level columns; zones: each cell less its lines and its box's surroundings."""
    names: _Canvas
    """The name column; zones: each name cell less its lines."""
    candidates: list[str]
    slants: list[Slant]
    region_names: list[str]
    regions: NDArray[np.uint8]


def _canvas(
    x0: float, y0: float, x1: float, y1: float, cells: list[tuple[Rect, Rect | None]]
) -> _Canvas:
    """A canvas over (x0, y0)–(x1, y1) mm with zone i+1 = cell i inset 0.7 mm less its hole."""
    w, h = round((x1 - x0) * S), round((y1 - y0) * S)
    zones = np.zeros((h, w), dtype=np.uint16)
    for i, (cell, hole) in enumerate(cells):
        _fill(zones, cell.inset(0.7), i + 1, S, (x0, y0))
        if hole is not None:
            _fill(zones, hole, 0, S, (x0, y0))
    return _Canvas((x0, y0), (x1 - x0, y1 - y0), zones, zones > 0)


def blank_regions(page: PageSpec, page_w: float, page_h: float) -> list[tuple[str, Rect]]:
    """Areas of the page where nothing is printed, named (the signature space apart).

    Derived from the layout: the margins outside the corner marks and the
    table, and the space below the list of names less the QR code, the
    serial line and the signature block. The layout does not publish the
    extent of the header text, so between the top corner marks and the table
    only the top margin is checked.
    """
    tl, tr, bl, _ = page.fiducials
    table_left = page.table_header.x
    table_right = page.table_header.right
    below = page.table_bottom + 1.5
    out = [
        ("top", Rect(3.0, 3.0, page_w - 6.0, tl.y - 4.0)),
        ("top", Rect(tl.right + 3.0, tl.y - 1.0, tr.x - tl.right - 6.0, tl.h)),
        ("left", Rect(3.0, tl.bottom + 3.0, table_left - 4.5, bl.y - tl.bottom - 6.0)),
        (
            "right",
            Rect(
                table_right + 1.5,
                tr.bottom + 3.0,
                page_w - 4.5 - table_right,
                bl.y - tr.bottom - 6.0,
            ),
        ),
        ("bottom", Rect(3.0, bl.bottom + 1.5, page_w - 6.0, page_h - bl.bottom - 4.5)),
    ]
    under = [
        Rect(table_left, below, page.qr.x - 1.0 - table_left, page.serial_text.y - 1.0 - below),
        Rect(page.qr.x - 1.0, below, table_right - page.qr.x + 1.0, page.qr.y - 1.0 - below),
    ]
    sig = page.signature
    if sig is not None:
        hole = Rect(sig.x - 1.0, sig.y - 1.0, sig.w + 2.0, sig.h + 2.0)
        under = [piece for r in under for piece in _subtract(r, hole)]
    out += [("below_table", r) for r in under]
    return [(name, r) for name, r in out if r.w > 1.0 and r.h > 1.0]


def _subtract(r: Rect, hole: Rect) -> list[Rect]:
    """``r`` less ``hole``, as up to four rectangles."""
    if hole.right <= r.x or r.right <= hole.x or hole.bottom <= r.y or r.bottom <= hole.y:
        return [r]
    out = []
    if hole.y > r.y:
        out.append(Rect(r.x, r.y, r.w, hole.y - r.y))
    if hole.bottom < r.bottom:
        out.append(Rect(r.x, hole.bottom, r.w, r.bottom - hole.bottom))
    top, bottom = max(r.y, hole.y), min(r.bottom, hole.bottom)
    if hole.x > r.x:
        out.append(Rect(r.x, top, hole.x - r.x, bottom - top))
    if hole.right < r.right:
        out.append(Rect(hole.right, top, r.right - hole.right, bottom - top))
    return out


class Reader:
    """Reads sheets of one printed batch (one register, one layout)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.layout = register.layout
        self._plans = [self._plan(p) for p in self.layout.pages]

    def _plan(self, page: PageSpec) -> _PagePlan:
        layout = self.layout
        boxes = [(row.candidate, lv, row.boxes[lv]) for row in page.rows for lv in layout.levels]
        top, bottom = page.table_header.y - 2.0, page.table_bottom + 2.0
        lx0 = min(layout.columns[lv][0] for lv in layout.levels) - 2.0
        lx1 = max(sum(layout.columns[lv]) for lv in layout.levels) + 2.0
        grow = 1.8
        levels = _canvas(
            lx0,
            top,
            lx1,
            bottom,
            [
                (row.cells[lv], Rect(b.x - grow, b.y - grow, b.w + 2 * grow, b.h + 2 * grow))
                for row in page.rows
                for lv, b in ((lv, row.boxes[lv]) for lv in layout.levels)
            ],
        )
        nx, nw = layout.columns["name"]
        names = _canvas(
            nx - 1.0, top, nx + nw + 1.0, bottom, [(row.name, None) for row in page.rows]
        )
        regions: list[tuple[str, Rect]] = blank_regions(page, layout.page_w, layout.page_h)
        names_order: list[str] = []
        for name, _ in regions:
            if name not in names_order:
                names_order.append(name)
        sig = page.signature
        if sig is not None:
            names_order.append("signature")
        w, h = round(layout.page_w * S_LOW), round(layout.page_h * S_LOW)
        labels = np.zeros((h, w), dtype=np.uint8)
        for name, r in regions:
            _fill(labels, r, names_order.index(name) + 1, S_LOW)
        if sig is not None:
            # The signature block: printed text on top, the space to sign below.
            space = Rect(sig.x, sig.y + SIGNATURE_TEXT_MM, sig.w, sig.h - SIGNATURE_TEXT_MM)
            _fill(labels, space, names_order.index("signature") + 1, S_LOW)
        # Keep clear of the QR code, the serial line and the corner marks.
        for r in (page.qr, page.serial_text, *page.fiducials):
            _fill(labels, Rect(r.x - 1.5, r.y - 1.5, r.w + 3.0, r.h + 3.0), 0, S_LOW)
        return _PagePlan(
            boxes,
            levels,
            names,
            [row.candidate for row in page.rows],
            slants(names.zones),
            names_order,
            labels,
        )

    def read(self, image: Gray, source: str = "") -> SheetReading:
        """Read one image (grey, 8 bits)."""
        if image.ndim != 2 or image.dtype != np.uint8 or min(image.shape) < 64:
            return SheetReading(source, reasons=(rc.UNREADABLE_IMAGE,))
        hits = find_qr_codes(image) or find_qr_by_marks(image, self.layout.pages[0])
        contents: list[tuple[QrContent, Any]] = []
        unknown = False
        for hit in hits:
            try:
                contents.append((parse_qr(hit.text), hit))
            except ValueError:
                unknown = True
        if not contents:
            if unknown:
                return SheetReading(source, reasons=(rc.QR_UNKNOWN,))
            blank = is_blank(image)
            return SheetReading(source, reasons=(rc.BLANK_PAGE if blank else rc.QR_UNREADABLE,))
        if len({c.serial + "/" + str(c.page) + "/" + c.conference for c, _ in contents}) > 1:
            return SheetReading(source, qr=contents[0][0], reasons=(rc.QR_SEVERAL,))
        qr, hit = contents[0]
        if qr.conference != self.register.conference:
            return SheetReading(source, qr=qr, reasons=(rc.WRONG_CONFERENCE,))
        if qr.pages != len(self.layout.pages):
            return SheetReading(source, qr=qr, reasons=(rc.LAYOUT_MISMATCH,))
        page = self.layout.pages[qr.page - 1]
        reg = register(image, hit, page, self.layout.page_w, self.layout.page_h)
        if not isinstance(reg, Registration):
            return SheetReading(source, qr=qr, reasons=(reg,))
        return self._measure(image, source, qr, page, reg)

    def _measure(
        self, image: Gray, source: str, qr: QrContent, page: PageSpec, reg: Registration
    ) -> SheetReading:
        plan = self._plans[page.number - 1]
        reasons: set[str] = set()
        flags: list[Flag] = []
        lv = plan.levels
        table = canonical(image, reg.homography, *lv.origin, *lv.size, S)
        table = np.asarray(cv2.GaussianBlur(table, (0, 0), 0.7), dtype=np.uint8)
        rects = [b for _, _, b in plan.boxes]
        m = measure_boxes(table.astype(np.float32), lv.origin, rects)
        boxes: list[BoxReading] = []
        for i, (cid, level, _) in enumerate(plan.boxes):
            mass, faint, strong = float(m.mass[i]), float(m.faint[i]), float(m.strong[i])
            edge, uneven = float(m.edge[i]), float(m.uneven[i])
            # An outline found at the end of the search may be further still: no reading.
            placed = int(np.abs(m.shift[i]).max()) < SEARCH
            if not placed:
                state, conf = "doubt", 0.0
                reasons.add(rc.BOX_DOUBT)
            elif mass >= MARKED_MASS and strong >= MARKED_STRONG_MM2 and uneven <= MAX_UNEVEN:
                state = "marked"
                conf = min(1.0, (mass - MARKED_MASS) / MARKED_MASS, strong / 2.0)
            elif (
                faint <= EMPTY_FAINT_MM2
                and strong == 0.0
                and mass <= EMPTY_MASS
                and edge >= MIN_EDGE
                and uneven <= MAX_UNEVEN
            ):
                state = "empty"
                conf = max(0.0, min(1.0 - faint / EMPTY_FAINT_MM2, 1.0 - mass / EMPTY_MASS))
            else:
                state = "doubt"
                conf = 0.0
                reasons.add(rc.BOX_DOUBT)
            boxes.append(BoxReading(cid, level, state, mass, faint, strong, conf))
        # The outlines must be where the layout says: most boxes' outlines are found.
        unmarked = np.array([b.state != "marked" for b in boxes])
        if unmarked.any() and float(np.median(m.edge[unmarked])) < 2 * MIN_EDGE:
            reasons.add(rc.REGISTRATION_FAILED)
        n_levels = len(self.layout.levels)
        for r in range(len(boxes) // n_levels):
            if sum(b.state == "marked" for b in boxes[r * n_levels : (r + 1) * n_levels]) >= 2:
                reasons.add(rc.SEVERAL_MARKS)
        # Ink in a cell beside a box that is not marked.
        stray = zone_areas(ink_mask(table, paper_of(table, 5.0, S), 0.35), lv.zones, len(boxes), S)
        for i, b in enumerate(boxes):
            if b.state != "marked" and stray[i] >= STRAY_MM2:
                conf = min(1.0, float(stray[i]) / STRAY_MM2 - 1.0)
                where = f"{b.candidate}/{b.level}"
                flags.append(Flag(rc.MARK_OUTSIDE_BOX, where, float(stray[i]), conf))
                reasons.add(rc.MARK_OUTSIDE_BOX)
        # A stroke through a printed name.
        nm = plan.names
        names = canonical(image, reg.homography, *nm.origin, *nm.size, S)
        names = np.asarray(cv2.GaussianBlur(names, (0, 0), 0.7), dtype=np.uint8)
        npaper = paper_of(names, 5.0, S)
        struck = measure_strikes(
            names, npaper, nm.interior, nm.zones, len(plan.candidates), plan.slants
        )
        for i in np.flatnonzero(struck).tolist():
            ink = ink_mask(names, npaper, 0.3) & (nm.zones == i + 1)
            run = float(longest_runs(ink).max()) / S
            conf = min(1.0, run / STRIKE_MM - 1.0) if run > STRIKE_MM else 0.5
            flags.append(Flag(rc.NAME_STRUCK, plan.candidates[i], run, conf))
            reasons.add(rc.NAME_STRUCK)
        # Writing in the margins, below the list, in the signature space.
        low = canonical(
            image, reg.homography, 0.0, 0.0, self.layout.page_w, self.layout.page_h, S_LOW
        )
        ink = measure_blank(low, plan.regions, len(plan.region_names))
        for name, area in zip(plan.region_names, ink, strict=True):
            if area >= BLANK_INK_MM2:
                code = rc.SIGNATURE_AREA if name == "signature" else rc.MARGIN_WRITING
                conf = min(1.0, float(area) / BLANK_INK_MM2 - 1.0)
                flags.append(Flag(code, name, float(area), conf))
                reasons.add(code)
        return SheetReading(
            source,
            qr=qr,
            reasons=rc.sort_reasons(reasons),
            boxes=tuple(boxes),
            flags=tuple(flags),
            scale=reg.scale,
            qr_error_mm=reg.qr_error_mm,
            levels=self.layout.levels,
        )


def is_blank(image: Gray) -> bool:
    """No ink at all: the back of a ballot in a duplex scan, a sheet of plain paper.

    At about 2 pixels per millimetre of an A4 page, fewer than 1 in 5,000 pixels
    are a third darker than the paper within 5 mm of them (a ballot has
    thousands: corner marks, table, text). Still a reason for review, so a
    person confirms it, but one they can confirm at a glance.
    """
    f = min(1.0, 600.0 / max(image.shape))
    small = np.asarray(
        cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), dtype=np.uint8
    )
    k = max(3, round(5 * 600.0 / 297.0) | 1)
    paper = np.asarray(cv2.dilate(small, np.ones((k, k), np.uint8)), dtype=np.float32)
    dark = small.astype(np.float32) < 0.67 * paper
    return float(dark.mean()) < 2e-4


def _fill(
    labels: NDArray[Any],
    r: Rect,
    value: int,
    s: float,
    origin: tuple[float, float] = (0.0, 0.0),
) -> None:
    x0 = max(round((r.x - origin[0]) * s), 0)
    y0 = max(round((r.y - origin[1]) * s), 0)
    x1, y1 = round((r.right - origin[0]) * s), round((r.bottom - origin[1]) * s)
    labels[y0:y1, x0:x1] = value
