"""Finding the page in an image: the QR code, the four corner marks, a homography.

1. zxing-cpp finds and decodes the QR code anywhere in the image, at any
   angle, and gives the four corners of the symbol in the symbol's own
   orientation (the QR code is printed upright, so this is the page's).
2. Those corners, matched with where the layout prints the symbol, fix an
   affine map that is good near the QR code (bottom right). The corner marks
   are found nearest first, each in a window around where the map puts it
   (a solid dark square of about the expected area); each mark found makes
   the map good further away. A few candidates are kept for each mark.
3. The four centres give the homography (page millimetres → image pixels)
   used for everything else. It is checked before use: the corner marks
   have the expected area, the QR code's corners fall within
   :data:`QR_TOLERANCE_MM` of where the layout prints them, the page is not
   mirrored and the image has at least :data:`MIN_SCALE` pixels per
   millimetre everywhere on the page. The first set of candidates that
   passes wins; none passing is a reason, never a guess.

Rotation (any angle, upside down included), scale and perspective are all
in the one homography.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import zxingcpp
from numpy.typing import NDArray

from tinnhiem.omr.layout import PageSpec, Rect
from tinnhiem.omr.reasons import LOW_RESOLUTION, PAGE_INCOMPLETE, REGISTRATION_FAILED

F64 = NDArray[np.float64]
Gray = NDArray[np.uint8]

MIN_SCALE = 3.4
"""Pixels per millimetre below which a sheet is not read (about 86 dpi)."""
QR_TOLERANCE_MM = 1.0
"""Largest distance between a QR corner found and where the layout prints it."""
FIDUCIAL_SEARCH_MM = 9.0
"""How far from its predicted place a corner mark is looked for (more for far marks)."""
MAX_ATTEMPTS = 12
"""Sets of four candidate corner marks tried before giving up."""
QR_FORMAT = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
EDGE_MM = 2.5
"""The image must show the page to within this distance of its edges."""


@dataclass(frozen=True, slots=True)
class QrHit:
    """A QR code zxing-cpp decoded: its text and its symbol's corners in the image."""

    text: str
    corners: F64
    """(4, 2): top-left, top-right, bottom-right, bottom-left, in the symbol's orientation."""
    version: int | None


@dataclass(frozen=True, slots=True)
class Registration:
    """Where the page is: ``homography`` maps page millimetres to image pixels."""

    homography: F64
    scale: float
    """Smallest pixels-per-millimetre over the page."""
    qr_error_mm: float
    fiducials_px: F64


def find_qr_codes(image: Gray) -> list[QrHit]:
    """Every QR code zxing-cpp reads in the image (its checksums verified)."""
    # A fast pass (one global threshold, full size only) reads a clean scan in a
    # few milliseconds; the full search (local thresholds, downscaled copies)
    # only runs when it finds nothing.
    found = zxingcpp.read_barcodes(
        image,
        formats=QR_FORMAT,
        try_rotate=False,
        try_downscale=False,
        try_invert=False,
        binarizer=zxingcpp.Binarizer.GlobalHistogram,
    )
    if not found:
        found = zxingcpp.read_barcodes(
            image, formats=QR_FORMAT, try_invert=False, return_errors=True
        )
    hits = [_hit(r, 1.0, 0.0, 0.0) for r in found if r.valid]
    if hits:
        return hits
    # A code found but not decoded (small modules, blur): again, enlarged and sharpened.
    for r in found:
        corners = _corners(r)
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        side = max(x1 - x0, y1 - y0)
        if not 8 <= side <= 0.8 * min(image.shape):
            continue
        pad = 0.35 * side
        ih, iw = image.shape
        cx0, cy0 = max(int(x0 - pad), 0), max(int(y0 - pad), 0)
        cx1, cy1 = min(int(x1 + pad) + 1, iw), min(int(y1 + pad) + 1, ih)
        scale = max(1.0, 360.0 / side)
        crop = cv2.resize(
            image[cy0:cy1, cx0:cx1], None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC
        )
        soft = cv2.GaussianBlur(crop, (0, 0), 1.2 * scale)
        sharp = np.asarray(cv2.addWeighted(crop, 2.5, soft, -1.5, 0), dtype=np.uint8)
        for again in zxingcpp.read_barcodes(sharp, formats=QR_FORMAT, try_invert=False):
            if again.valid:
                hits.append(_hit(again, scale, cx0, cy0))
        if hits:
            break
    return hits


def find_qr_by_marks(image: Gray, page: PageSpec) -> list[QrHit]:
    """When zxing finds no code in the whole image: find the page by its corner marks first.

    Solid dark squares of about one size are looked for in a copy of the
    image about 1,200 pixels wide; the corner marks are the four of them at
    the corners of their convex hull (filled boxes and anything printed lie
    inside). Each of the four ways to match them with the page's corners
    gives a homography; the QR code's place is cut out upright at 10 pixels
    per millimetre (enlarged, for blurred photos of small codes), and
    decoded. The symbol's corners are mapped back into the image, where
    :func:`register` checks them against the corner marks like any other.
    """
    blobs = _square_blobs(image)
    if len(blobs) < 4:
        return []
    pts = np.array([(x, y) for x, y, _ in blobs], dtype=np.float32)
    hull = [int(i) for i in cv2.convexHull(pts, returnPoints=False).ravel()]
    quads: list[tuple[float, list[int]]] = []
    for combo in itertools.combinations(hull[:12], 4):
        q = pts[list(combo)]
        c = q.mean(axis=0)
        order = np.argsort(np.arctan2(q[:, 1] - c[1], q[:, 0] - c[0]))  # clockwise on screen
        ids = [combo[o] for o in order]
        areas = [blobs[i][2] for i in ids]
        if max(areas) > 3 * min(areas):
            continue
        quads.append((float(cv2.contourArea(pts[ids])), ids))
    quads.sort(key=lambda t: -t[0])
    fid_mm = np.array([(r.cx, r.cy) for r in page.fiducials], dtype=np.float64)
    for _, ids in quads[:6]:
        marks = [
            _refine(image, blobs[i][0], blobs[i][1], 1.2 * math.sqrt(blobs[i][2])) for i in ids
        ]
        if any(m is None for m in marks):
            continue
        centres = np.array([m.centre for m in marks if m is not None], dtype=np.float64)
        turns = []
        for turn in range(4):
            h = np.asarray(
                cv2.getPerspectiveTransform(
                    fid_mm.astype(np.float32), np.roll(centres, -turn, axis=0).astype(np.float32)
                ),
                dtype=np.float64,
            )
            # The QR code is the busiest square of the four candidates.
            texture = float(np.std(_upright(image, h, page.qr, 4.0)))
            turns.append((texture, h))
        for _, h in sorted(turns, key=lambda t: -t[0])[:2]:
            hit = _decode_upright(image, h, page.qr)
            if hit is not None:
                return [hit]
    return []


def _upright(image: Gray, h: F64, qr: Rect, s: float) -> Gray:
    """The QR code's place (with 2 mm around it) cut out upright at ``s`` pixels per mm."""
    t = np.array([[1 / s, 0, qr.x - 2.0], [0, 1 / s, qr.y - 2.0], [0, 0, 1]], dtype=np.float64)
    size = (round((qr.w + 4.0) * s), round((qr.h + 4.0) * s))
    out = cv2.warpPerspective(image, h @ t, size, flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP)
    return np.asarray(out, dtype=np.uint8)


def _decode_upright(image: Gray, h: F64, qr: Rect) -> QrHit | None:
    """Decode the code cut out upright, plain or sharpened (unsharp masking of blur)."""
    for s in (8.0, 10.0):
        crop = _upright(image, h, qr, s)
        variants = [crop]
        for sigma_mm, amount in ((0.3, 1.5), (0.4, 3.0)):
            soft = cv2.GaussianBlur(crop, (0, 0), sigma_mm * s)
            variants.append(
                np.asarray(cv2.addWeighted(crop, 1 + amount, soft, -amount, 0), dtype=np.uint8)
            )
        for v in variants:
            found = [
                r for r in zxingcpp.read_barcodes(v, formats=QR_FORMAT, try_invert=False) if r.valid
            ]
            if found:
                t = np.array(
                    [[1 / s, 0, qr.x - 2.0], [0, 1 / s, qr.y - 2.0], [0, 0, 1]], dtype=np.float64
                )
                hit = _hit(found[0], 1.0, 0.0, 0.0)
                return QrHit(hit.text, project(h @ t, hit.corners), hit.version)
    return None


def _square_blobs(image: Gray) -> list[tuple[float, float, float]]:
    """(x, y, area) in image pixels of the solid dark squares of a reduced copy."""
    f = min(1.0, 1200.0 / max(image.shape))
    small = image
    if f < 1.0:
        small = np.asarray(
            cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), dtype=np.uint8
        )
    mean = np.asarray(cv2.blur(small, (25, 25)), dtype=np.uint8)
    fg = ((small.astype(np.int32) * 4) < (mean.astype(np.int32) * 3)).astype(np.uint8)
    count, labels_, stats_, cents = cv2.connectedComponentsWithStats(fg, connectivity=8)
    labels = np.asarray(labels_, dtype=np.int32)
    stats = np.asarray(stats_, dtype=np.int32)
    out: list[tuple[float, float, float]] = []
    for i in range(1, count):
        area = float(stats[i, cv2.CC_STAT_AREA])
        if not 20 <= area <= 4000:
            continue
        bw, bh = int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])
        if max(bw, bh) > 2.5 * min(bw, bh) or area < 0.4 * bw * bh:
            continue
        if _square(labels, stats, i):
            out.append((float(cents[i][0]) / f, float(cents[i][1]) / f, area / (f * f)))
    return out


def _corners(r: Any) -> F64:
    p = r.position
    return np.array(
        [
            (p.top_left.x, p.top_left.y),
            (p.top_right.x, p.top_right.y),
            (p.bottom_right.x, p.bottom_right.y),
            (p.bottom_left.x, p.bottom_left.y),
        ],
        dtype=np.float64,
    )


def _hit(r: Any, scale: float, x0: float, y0: float) -> QrHit:
    """A decoded code, its corners taken back to the image's pixels."""
    corners = _corners(r) / scale + np.array([x0, y0])
    version: int | None
    try:
        version = int(str(r.extra.get("Version", "")))
    except (TypeError, ValueError, AttributeError):
        version = None
    return QrHit(r.text, corners, version)


def symbol_corners_mm(qr: Rect, modules: int) -> F64:
    """Where the symbol's corners are printed: the layout's QR rectangle less the quiet zone."""
    m = qr.w / (modules + 8)
    x0, y0, x1, y1 = qr.x + 4 * m, qr.y + 4 * m, qr.right - 4 * m, qr.bottom - 4 * m
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], dtype=np.float64)


def modules_of(hit: QrHit) -> int | None:
    """Modules per side of the symbol, from its version."""
    if hit.version is not None and 1 <= hit.version <= 40:
        return 17 + 4 * hit.version
    return None


def project(h: F64, pts: F64) -> F64:
    """Apply a homography to (n, 2) points."""
    p = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    q = np.column_stack([p, np.ones(len(p))]) @ h.T
    out: F64 = q[:, :2] / q[:, 2:3]
    return out


def local_scale(h: F64, x: float, y: float) -> tuple[float, float]:
    """(smallest, largest) pixels per millimetre of ``h`` around page point (x, y)."""
    pts = project(h, np.array([(x, y), (x + 1, y), (x, y + 1)], dtype=np.float64))
    j = np.column_stack([pts[1] - pts[0], pts[2] - pts[0]])
    s = np.linalg.svd(j, compute_uv=False)
    return float(s[-1]), float(s[0])


def register(
    image: Gray, hit: QrHit, page: PageSpec, page_w: float, page_h: float
) -> Registration | str:
    """The page's homography, or the reason code why it cannot be trusted."""
    modules = modules_of(hit)
    if modules is None:
        return REGISTRATION_FAILED
    search = _Search(image, hit, page, symbol_corners_mm(page.qr, modules), page_w, page_h)
    # A quick pass with small windows (a scan: the affine map is good everywhere),
    # then, if that fails, wide windows for far marks (perspective) and more candidates.
    for widen, limit in ((0.03, 1), (0.12, 3)):
        got = search.run(widen, limit)
        if got is not None:
            return got
    for reason in (PAGE_INCOMPLETE, LOW_RESOLUTION):
        if reason in search.outcomes:
            return reason
    return REGISTRATION_FAILED


class _Search:
    """Depth-first over candidate corner marks, nearest to the QR code first."""

    def __init__(
        self,
        image: Gray,
        hit: QrHit,
        page: PageSpec,
        qr_mm: F64,
        page_w: float,
        page_h: float,
    ) -> None:
        self.image, self.hit, self.page, self.qr_mm = image, hit, page, qr_mm
        self.page_w, self.page_h = page_w, page_h
        self.centre = qr_mm.mean(axis=0)
        fids = page.fiducials
        self.order = sorted(
            range(4),
            key=lambda i: math.hypot(fids[i].cx - self.centre[0], fids[i].cy - self.centre[1]),
        )
        self.outcomes: list[Registration | str] = []
        self.found: dict[int, _Mark] = {}
        self.attempts = 0
        self.widen = 0.0
        self.limit = 1

    def run(self, widen: float, limit: int) -> Registration | None:
        self.widen, self.limit, self.attempts, self.found = widen, limit, 0, {}
        start = len(self.outcomes)
        self._step(0)
        for outcome in self.outcomes[start:]:
            if isinstance(outcome, Registration):
                return outcome
        return None

    def _step(self, step: int) -> bool:
        fids, order = self.page.fiducials, self.order
        if step == 4:
            self.attempts += 1
            got = _check(
                self.hit,
                self.qr_mm,
                self.page,
                self.found,
                self.page_w,
                self.page_h,
                self.image.shape,
            )
            self.outcomes.append(got)
            return isinstance(got, Registration) or self.attempts >= MAX_ATTEMPTS
        src = [self.qr_mm] + [np.array([[fids[i].cx, fids[i].cy]]) for i in order[:step]]
        dst = [self.hit.corners] + [np.array([self.found[i].centre]) for i in order[:step]]
        s_mm, d_px = np.concatenate(src), np.concatenate(dst)
        h_est = _affine(s_mm, d_px) if step < 3 else _fit_homography(s_mm, d_px)
        rect = fids[order[step]]
        dist = math.hypot(rect.cx - self.centre[0], rect.cy - self.centre[1])
        radius = FIDUCIAL_SEARCH_MM + (0.0 if step in (0, 3) else self.widen * dist)
        keep = self.limit if step in (1, 2) else min(self.limit, 2)
        for mark in _candidates(self.image, h_est, rect, radius, keep):
            self.found[order[step]] = mark
            if self._step(step + 1):
                return True
        return False


def _check(
    hit: QrHit,
    qr_mm: F64,
    page: PageSpec,
    found: dict[int, _Mark],
    page_w: float,
    page_h: float,
    shape: tuple[int, ...],
) -> Registration | str:
    fids = page.fiducials
    centres_mm = np.array([(r.cx, r.cy) for r in fids], dtype=np.float64)
    centres_px = np.array([found[i].centre for i in range(4)], dtype=np.float64)
    h = np.asarray(
        cv2.getPerspectiveTransform(centres_mm.astype(np.float32), centres_px.astype(np.float32)),
        dtype=np.float64,
    )
    if not np.all(np.isfinite(h)):
        return REGISTRATION_FAILED
    corners = ((0.0, 0.0), (page_w, 0.0), (page_w, page_h), (0.0, page_h))
    # The whole page is in the image (a corner mark cut by the image's edge would
    # move its centre; writing in a margin outside the image would not be seen).
    e = EDGE_MM
    inner = np.array(
        [(e, e), (page_w - e, e), (page_w - e, page_h - e), (e, page_h - e)], dtype=np.float64
    )
    seen = project(h, inner)
    if not np.all(np.isfinite(seen)):
        return REGISTRATION_FAILED
    if (seen < 0).any() or (seen[:, 0] > shape[1] - 1).any() or (seen[:, 1] > shape[0] - 1).any():
        return PAGE_INCOMPLETE
    # Not mirrored (the page's axes keep their handedness) and no fold of the plane.
    for x, y in corners:
        j = project(h, np.array([(x, y), (x + 1, y), (x, y + 1)], dtype=np.float64))
        a, b = j[1] - j[0], j[2] - j[0]
        if float(a[0] * b[1] - a[1] * b[0]) <= 0:
            return REGISTRATION_FAILED
    for i, rect in enumerate(fids):
        lo, hi = local_scale(h, rect.cx, rect.cy)
        expected = rect.w * rect.h * lo * hi
        if not 0.6 * expected <= found[i].area <= 1.5 * expected:
            return REGISTRATION_FAILED
    back = project(np.asarray(np.linalg.inv(h), dtype=np.float64), hit.corners)
    qr_error = float(np.max(np.hypot(*(back - qr_mm).T)))
    if qr_error > QR_TOLERANCE_MM:
        return REGISTRATION_FAILED
    scale = min(local_scale(h, x, y)[0] for x, y in corners)
    if scale < MIN_SCALE:
        return LOW_RESOLUTION
    return Registration(h, scale, qr_error, centres_px)


def _affine(src: F64, dst: F64) -> F64:
    """Least-squares affine map as a 3×3 matrix."""
    a = np.column_stack([src, np.ones(len(src))])
    sol, *_ = np.linalg.lstsq(a, dst, rcond=None)
    out: F64 = np.vstack([sol.T, [0.0, 0.0, 1.0]])
    return out


def _fit_homography(src: F64, dst: F64) -> F64:
    h = np.asarray(
        cv2.findHomography(src.astype(np.float32), dst.astype(np.float32), 0)[0],
        dtype=np.float64,
    )
    if h.shape != (3, 3) or not np.all(np.isfinite(h)):
        return _affine(src, dst)
    return h


@dataclass(frozen=True, slots=True)
class _Mark:
    centre: tuple[float, float]
    area: float
    """Darkness-weighted area in image pixels²."""


def _candidates(image: Gray, h_est: F64, rect: Rect, radius: float, limit: int) -> list[_Mark]:
    """Solid dark squares of about the mark's size within ``radius`` mm of its prediction.

    Looked for at about 3 pixels per millimetre (a local threshold: 3/4 of the
    mean grey over 15 mm), then measured at full resolution. Nearest first.
    """
    pred = project(h_est, np.array([(rect.cx, rect.cy)], dtype=np.float64))[0]
    lo, hi = local_scale(h_est, rect.cx, rect.cy)
    if not (math.isfinite(lo) and lo > 0 and bool(np.all(np.isfinite(pred)))):
        return []
    half = (rect.w / 2 + radius) * hi
    ih, iw = image.shape
    x0, y0 = max(int(pred[0] - half), 0), max(int(pred[1] - half), 0)
    x1, y1 = min(int(pred[0] + half) + 1, iw), min(int(pred[1] + half) + 1, ih)
    f = max(1, int(hi / 3.0))
    if (x1 - x0) // f < 12 or (y1 - y0) // f < 12:
        return []
    win = image[y0:y1, x0:x1]
    if f > 1:
        win = np.asarray(
            cv2.resize(win, ((x1 - x0) // f, (y1 - y0) // f), interpolation=cv2.INTER_AREA),
            dtype=np.uint8,
        )
    k = max(3, int(15 * hi / f) | 1)
    mean = np.asarray(cv2.blur(win, (k, k)), dtype=np.uint8)
    fg = ((win.astype(np.int32) * 4) < (mean.astype(np.int32) * 3)).astype(np.uint8)
    count, labels_, stats_, cents = cv2.connectedComponentsWithStats(fg, connectivity=8)
    labels = np.asarray(labels_, dtype=np.int32)
    stats = np.asarray(stats_, dtype=np.int32)
    expected = rect.w * rect.h * lo * hi / (f * f)
    marks: list[tuple[float, _Mark]] = []
    for i in range(1, count):
        area = float(stats[i, cv2.CC_STAT_AREA])
        if not 0.35 * expected <= area <= 2.5 * expected:
            continue
        bw, bh = int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])
        if max(bw, bh) > 2.5 * min(bw, bh) or area < 0.4 * bw * bh:
            continue
        if not _square(labels, stats, i):
            continue
        cx = float(cents[i][0]) * f + x0 + (f - 1) / 2
        cy = float(cents[i][1]) * f + y0 + (f - 1) / 2
        mark = _refine(image, cx, cy, rect.w * hi)
        if mark is None:
            continue
        marks.append((math.hypot(mark.centre[0] - pred[0], mark.centre[1] - pred[1]), mark))
    marks.sort(key=lambda m: m[0])
    return [m for _, m in marks[:limit]]


def _refine(image: Gray, cx: float, cy: float, half: float) -> _Mark | None:
    """Darkness-weighted centre and area of the dark blob at (cx, cy), at full resolution."""
    ih, iw = image.shape
    x0, y0 = max(int(cx - half), 0), max(int(cy - half), 0)
    x1, y1 = min(int(cx + half) + 1, iw), min(int(cy + half) + 1, ih)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    win = image[y0:y1, x0:x1]
    paper = _percentile_u8(win, 0.9)
    black = _percentile_u8(win, 0.05)
    if paper - black < 25:
        return None
    mask = (win < (paper + black) / 2).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < 2:
        return None
    px = min(max(round(cx) - x0, 0), win.shape[1] - 1)
    py = min(max(round(cy) - y0, 0), win.shape[0] - 1)
    label = int(labels[py, px])
    if label == 0:
        label = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    blob = (labels == label).astype(np.uint8)
    grown = cv2.dilate(blob, np.ones((5, 5), np.uint8)).astype(bool)
    weight = np.clip((paper - win.astype(np.float64)) / (paper - black), 0.0, 1.0) * grown
    total = float(weight.sum())
    if total <= 0:
        return None
    ys, xs = np.mgrid[y0:y1, x0:x1]
    return _Mark((float((weight * xs).sum() / total), float((weight * ys).sum() / total)), total)


def _percentile_u8(values: Gray, q: float) -> float:
    """The ``q`` quantile (0–1) of 8-bit values, by histogram (no sort)."""
    hist = np.bincount(values.ravel(), minlength=256)
    cum = np.cumsum(hist)
    return float(np.searchsorted(cum, q * cum[-1]))


def _square(labels: NDArray[np.int32], stats: NDArray[np.int32], i: int) -> bool:
    """A solid convex blob with four corners: its area fills its minimum-area rectangle."""
    bx, by = int(stats[i, cv2.CC_STAT_LEFT]), int(stats[i, cv2.CC_STAT_TOP])
    bw, bh = int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])
    mask = (labels[by : by + bh, bx : bx + bw] == i).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return False
    c = max(contours, key=cv2.contourArea)
    (_, _), (rw, rh), _ = cv2.minAreaRect(c)
    if rw <= 0 or rh <= 0:
        return False
    area = float(mask.sum())
    return area >= 0.72 * rw * rh and max(rw, rh) <= 1.6 * min(rw, rh)


def canonical(
    image: Gray, h: F64, x0: float, y0: float, w_mm: float, h_mm: float, s: float
) -> Gray:
    """The page region (x0, y0, w, h) mm resampled at ``s`` pixels per millimetre, upright.

    Canonical pixel (u, v) is the page point (x0 + (u + ½)/s, y0 + (v + ½)/s).
    """
    t = np.array([[1 / s, 0, x0 + 0.5 / s], [0, 1 / s, y0 + 0.5 / s], [0, 0, 1]], dtype=np.float64)
    out = cv2.warpPerspective(
        image,
        h @ t,
        (round(w_mm * s), round(h_mm * s)),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return np.asarray(out, dtype=np.uint8)
