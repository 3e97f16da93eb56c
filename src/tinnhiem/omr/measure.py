"""Measurements on the upright page: boxes, the cells around them, name lines, blank areas.

Everything here works on *canonical* images: the page resampled upright at a
fixed number of pixels per millimetre (:data:`S`), so every box, cell and
name line has the same size in pixels and the measurements of a whole page
are done at once on stacked arrays.

Ink is measured against the paper around it, never against a fixed grey:
``depth = 1 − value / paper``, where ``paper`` is estimated next to the
place measured (a plane through the paper on the four sides of a box, the
bright percentile of a cell). Uneven light and shadows change the paper and
the ink alike and cancel out.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from tinnhiem.omr.layout import Rect

F32 = NDArray[np.float32]
I64 = NDArray[np.int64]
Gray = NDArray[np.uint8]

S = 6.0
"""Canonical pixels per millimetre for boxes and name lines (about 152 dpi)."""
S_LOW = 3.0
"""Canonical pixels per millimetre for blank areas (handwriting is large)."""

PAD = 18
"""Pixels of page kept around each box window (outline search and paper strips)."""
SEARCH = 6
"""The box outline is looked for up to this many pixels (1 mm) from its place."""
MARGIN = 5
"""Interior of a box: this many pixels inside the outline's centre line."""


@dataclass(frozen=True, slots=True)
class BoxMeasures:
    """One value per box, in the order the boxes were given."""

    mass: F32
    """Mean ink depth over the box's interior: about 0 empty, 0.1–0.6 marked."""
    faint: F32
    """Area (mm²) of the interior with at least faint ink (depth ≥ :data:`FAINT`)."""
    strong: F32
    """Area (mm²) of the interior with ink of depth ≥ :data:`STRONG`."""
    edge: F32
    """Darkness of the weakest side of the outline found (0 none, ~0.3–0.9 printed)."""
    shift: NDArray[np.int64]
    """(n, 2): where the outline was found, in pixels from its place."""
    uneven: F32
    """Relative spread of the paper around the box: between its four sides (a gradient of
    light) or within the ring around it (the edge of a shadow, ink)."""


FAINT = 0.15
STRONG = 0.35


def _stack(img: F32, top: I64, left: I64, h: int, w: int) -> F32:
    """(n, h, w) windows of ``img`` with top-left corners (top[i], left[i])."""
    rows = top[:, None, None] + np.arange(h)[None, :, None]
    cols = left[:, None, None] + np.arange(w)[None, None, :]
    out: F32 = img[rows, cols]
    return out


def _gather(stack: F32, rows: I64, cols: I64) -> F32:
    """Per-window sub-arrays: ``stack[i, rows[i]][:, cols[i]]`` for every i."""
    n = np.arange(stack.shape[0])[:, None, None]
    return stack[n, rows[:, :, None], cols[:, None, :]]


def _quantile(a: F32, q: float) -> F32:
    """Per-row quantile of a (n, k) array (k ≥ 1), by partition."""
    return _quantiles(a, (q,))[0]


def _quantiles(a: F32, qs: tuple[float, ...]) -> list[F32]:
    """Several per-row quantiles of a (n, k) array with one partition (along the last axis)."""
    k = a.shape[-1]
    idx = [min(k - 1, max(0, round(q * (k - 1)))) for q in qs]
    part = np.partition(a, sorted(set(idx)), axis=-1)
    return [part[..., i] for i in idx]


def measure_boxes(canvas: F32, origin: tuple[float, float], boxes: list[Rect]) -> BoxMeasures:
    """Find each box's outline near its place and measure the ink inside it.

    ``canvas`` is a canonical image (float, smoothed) of the page region
    starting at ``origin`` (mm), at :data:`S` pixels per millimetre, with at
    least :data:`PAD` pixels of page around every box.
    """
    n = len(boxes)
    side = round(boxes[0].w * S)
    win = side + 2 * PAD
    x0, y0 = origin
    left = np.array([round((b.x - x0) * S) for b in boxes], dtype=np.int64) - PAD
    top = np.array([round((b.y - y0) * S) for b in boxes], dtype=np.int64) - PAD
    stack = _stack(canvas, top, left, win, win)
    paper_win = _quantile(stack[:, ::3, ::3].reshape(n, -1), 0.9)[:, None, None]
    dark = 1.0 - stack / np.maximum(paper_win, 1.0)
    # Outline: the column (row) profile over the box's span peaks at both sides.
    span = slice(PAD + 4, PAD + side - 4)
    colp = dark[:, span, :].mean(axis=1)
    rowp = dark[:, :, span].mean(axis=2)
    colp = colp[:, :-2] + colp[:, 1:-1] + colp[:, 2:]  # 3-tap, index i ↔ pixel i + 1
    rowp = rowp[:, :-2] + rowp[:, 1:-1] + rowp[:, 2:]
    ks = np.arange(-SEARCH, SEARCH + 1)
    first = PAD - 1 + ks  # smoothed index of the near side
    score_x = colp[:, first] + colp[:, first + side]
    score_y = rowp[:, first] + rowp[:, first + side]
    # Ties (a filled box is a plateau) go to the offset nearest the printed place.
    kx = ks[np.argmax(score_x - 1e-4 * np.abs(ks), axis=1)]
    ky = ks[np.argmax(score_y - 1e-4 * np.abs(ks), axis=1)]
    idx = np.arange(n)
    sides = np.stack(
        [
            colp[idx, PAD - 1 + kx],
            colp[idx, PAD - 1 + kx + side],
            rowp[idx, PAD - 1 + ky],
            rowp[idx, PAD - 1 + ky + side],
        ],
        axis=1,
    )
    base = np.minimum(np.median(colp, axis=1), np.median(rowp, axis=1))
    edge = (sides.min(axis=1) - base) / 3.0
    lx = PAD + kx  # window pixel of the left stroke's centre
    ty = PAD + ky
    # Paper: four strips 4–10 px outside the outline; a plane through their bright level.
    along = np.arange(2, side - 1)
    band = np.arange(4, 10)
    strips = [
        _gather(stack, (ty[:, None] - 1 - band[::-1]), lx[:, None] + along),
        _gather(stack, (ty[:, None] + side + band), lx[:, None] + along),
        _gather(stack, ty[:, None] + along, lx[:, None] - 1 - band[::-1]),
        _gather(stack, ty[:, None] + along, lx[:, None] + side + band),
    ]
    # Top and bottom strips have the same shape, and so have left and right.
    (p_t, p_b) = _quantiles(np.stack([strips[0], strips[1]], 1).reshape(n, 2, -1), (0.75,))[0].T
    (p_l, p_r) = _quantiles(np.stack([strips[2], strips[3]], 1).reshape(n, 2, -1), (0.75,))[0].T
    mid = side / 2.0
    reach = side / 2.0 + 7.0
    gx = (p_r - p_l) / (2 * reach)
    gy = (p_b - p_t) / (2 * reach)
    pm = (p_t + p_b + p_l + p_r) / 4.0
    inner = np.arange(MARGIN, side - MARGIN + 1)
    interior = _gather(stack, ty[:, None] + inner, lx[:, None] + inner)
    rel = (inner - mid).astype(np.float32)
    plane = pm[:, None, None] + gy[:, None, None] * rel[None, :, None] + gx[:, None, None] * rel
    depth = np.clip(1.0 - interior / np.maximum(plane, 1.0), -0.5, 1.0)
    mass = depth.mean(axis=(1, 2))
    faint = (depth >= FAINT).sum(axis=(1, 2)) / (S * S)
    strong = (depth >= STRONG).sum(axis=(1, 2)) / (S * S)
    four = np.stack([p_t, p_b, p_l, p_r], axis=1)
    sides = (four.max(axis=1) - four.min(axis=1)) / np.maximum(four.max(axis=1), 1.0)
    ring = np.concatenate([s.reshape(n, -1) for s in strips], axis=1)
    r25, r75 = _quantiles(ring, (0.25, 0.75))
    uneven = np.maximum(sides, (r75 - r25) / np.maximum(r75, 1.0))
    return BoxMeasures(
        mass=mass.astype(np.float32),
        faint=faint.astype(np.float32),
        strong=strong.astype(np.float32),
        edge=edge.astype(np.float32),
        shift=np.stack([kx, ky], axis=1),
        uneven=uneven.astype(np.float32),
    )


def longest_runs(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Longest run of consecutive True along the last axis, per row: shape ``mask.shape[:-1]``."""
    x = mask.astype(np.int32)
    c = np.cumsum(x, axis=-1)
    reset = np.where(x == 0, c, 0)
    run = c - np.maximum.accumulate(reset, axis=-1)
    out: NDArray[np.int64] = run.max(axis=-1).astype(np.int64)
    return out


def paper_of(canvas: Gray, mm: float, s: float) -> F32:
    """The paper's brightness everywhere: a smoothed maximum over ``mm`` millimetres.

    Ink strokes (and printed text and lines) are thinner than ``mm``, so the
    maximum over a window is the paper next to them, shadows and uneven light
    included.
    """
    k = max(3, round(mm * s) | 1)
    paper = cv2.blur(cv2.dilate(canvas, np.ones((k, k), np.uint8)), (k, k))
    return np.asarray(paper, dtype=np.float32)


def ink_mask(canvas: Gray, paper: F32, depth: float) -> NDArray[np.bool_]:
    """Where the ink is at least ``depth`` deep: ``value ≤ (1 − depth) · paper``."""
    limit = paper * np.float32(1.0 - depth)
    out: NDArray[np.bool_] = canvas <= limit
    return out


def zone_areas(mask: NDArray[np.bool_], zones: NDArray[np.uint16], count: int, s: float) -> F32:
    """Area (mm²) of ``mask`` in each zone (labelled 1…count; 0 is outside every zone)."""
    hist = np.bincount(zones[mask].ravel(), minlength=count + 1)[1 : count + 1]
    out: F32 = (hist / (s * s)).astype(np.float32)
    return out


@dataclass(frozen=True, slots=True)
class Slant:
    """One slant at which strikes are looked for: the shear and the name cells sheared."""

    matrix: NDArray[np.float64]
    size: tuple[int, int]
    zones: NDArray[np.uint16]


def slants(zones: NDArray[np.uint16]) -> list[Slant]:
    """The name cells' zones sheared at each of :data:`STRIKE_SLANTS`, at half resolution."""
    h, w = zones.shape
    half = np.ascontiguousarray(zones[: 2 * (h // 2) : 2, : 2 * (w // 2) : 2])
    hh, hw = half.shape
    out = []
    for degrees in STRIKE_SLANTS:
        t = float(np.tan(np.radians(degrees)))
        m = np.array([[1.0, 0.0, 0.0], [-t, 1.0, max(t, 0.0) * hw]], dtype=np.float64)
        size = (hw, hh + int(abs(t) * hw) + 1)
        sheared = cv2.warpAffine(half, m, size, flags=cv2.INTER_NEAREST)
        out.append(Slant(m, size, np.asarray(sheared, dtype=np.uint16)))
    return out


def measure_strikes(
    canvas: Gray,
    paper: F32,
    interior: NDArray[np.bool_],
    zones: NDArray[np.uint16],
    count: int,
    sheared: list[Slant],
) -> NDArray[np.bool_]:
    """Which name cells a long, nearly horizontal stroke crosses.

    Printed names are letters and words with gaps between them: even blurred
    (letters merge within a word) no run of ink along a row, with the row
    widened by half a millimetre each way to follow a slanted or wavy line,
    is longer than a word (about 16 mm), and dark ink (depth ≥ 0.5) never
    runs more than about 3 mm. A pen line through a name does one or both:
    ``STRIKE_LONG_MM`` at depth ≥ 0.3, or ``STRIKE_DARK_MM`` at depth ≥ 0.5.
    ``interior`` excludes the table's lines; ``zones`` labels each name cell.
    """
    struck = np.zeros(count, dtype=bool)
    inside = interior.astype(np.uint8)
    long_ink = np.zeros_like(inside)
    for threshold, width, length in ((0.3, 3, STRIKE_LONG_MM), (0.5, 2, STRIKE_DARK_MM)):
        found = (ink_mask(canvas, paper, threshold) & interior).astype(np.uint8)
        if threshold == 0.3:
            long_ink = found
        widened = np.asarray(
            cv2.dilate(found, np.ones((2 * width + 1, 1), np.uint8)), dtype=np.uint8
        )
        run = np.asarray(cv2.erode(widened & inside, np.ones((1, round(length * S)), np.uint8)))
        if run.any():
            struck |= zone_areas(run.astype(bool), zones, count, S) > 0
    # Slanted lines and crosses: the same long run along a slant, at half resolution.
    h, w = long_ink.shape
    half = (cv2.resize(long_ink, (w // 2, h // 2), interpolation=cv2.INTER_AREA) > 0).astype(
        np.uint8
    )
    # A shear keeps columns vertical: widening the band before shearing is the same.
    band = np.asarray(cv2.dilate(half, np.ones((3, 1), np.uint8)), dtype=np.uint8)
    kernel = np.ones((1, round(STRIKE_LONG_MM * S / 2)), np.uint8)
    for slant in sheared:
        turned = cv2.warpAffine(band, slant.matrix, slant.size, flags=cv2.INTER_NEAREST)
        run = np.asarray(cv2.erode(turned, kernel))
        if run.any():
            struck |= zone_areas(run.astype(bool), slant.zones, count, S / 2) > 0
    return struck


STRIKE_LONG_MM = 18.0
STRIKE_DARK_MM = 8.0
STRIKE_SLANTS = (-18.0, -12.0, -6.0, 6.0, 12.0, 18.0)
"""Slants (degrees) at which a line through a name is also looked for."""


def measure_blank(
    page: Gray, regions: NDArray[np.uint8], count: int, min_blob_mm2: float = 0.4
) -> F32:
    """Ink (mm²) in each blank region of a canonical page at :data:`S_LOW`.

    ``regions`` labels every pixel with its region (1…count, 0 elsewhere).
    Paper is a smoothed 5-mm maximum of the page (handwriting is thinner than
    that); specks smaller than ``min_blob_mm2`` are dust, not writing.
    """
    ink = (ink_mask(page, paper_of(page, 5.0, S_LOW), 0.3) & (regions > 0)).astype(np.uint8)
    raw = np.bincount(regions[ink > 0].ravel(), minlength=count + 1)[1:]
    if not raw.any():
        return np.zeros(count, dtype=np.float32)
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < min_blob_mm2 * S_LOW * S_LOW
    small[0] = True
    keep = ~small[labels]
    areas = np.bincount(regions[keep].ravel(), minlength=count + 1)[1:]
    out: F32 = (areas / (S_LOW * S_LOW)).astype(np.float32)
    return out
