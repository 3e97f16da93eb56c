"""The ballot layout and the register of issued serials, as the scanner reads them.

``tinnhiem ballots`` writes ``issued.json`` (``tinnhiem.ballots-issued/1``):
the conference, the serials printed, and the layout
(``tinnhiem.ballot-layout/1``: millimetres from the top-left corner of the
page, y downwards, of the four corner marks, the QR code, every box of every
row of every page). This module reads both strictly, with the JSON path of
the first fault, and without importing the document generators (the scanning
core stays free of the rules core).

The QR payload (``TN1;<conference, percent-encoded>;<serial>;<page>/<pages>``)
is read here too: :func:`parse_qr` is the scanner's twin of
``tinnhiem.documents.ballots.parse_qr_payload``, and a test keeps them equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

LAYOUT_FORMAT = "tinnhiem.ballot-layout/1"
ISSUED_FORMAT = "tinnhiem.ballots-issued/1"
CORNERS = ("top_left", "top_right", "bottom_right", "bottom_left")
"""The corner marks in clockwise order, as the scanner uses them."""


class LayoutError(ValueError):
    """A register or layout the scanner cannot use, with the JSON path at fault."""

    def __init__(self, path: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{path}: {message_en}")
        self.path = path
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, lang: str = "vi") -> str:
        text = self.message_en if lang == "en" else self.message_vi
        return f"{self.path}: {text}"


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in millimetres, origin at the page's top-left corner, y down."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inset(self, d: float) -> Rect:
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def to_json(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


@dataclass(frozen=True, slots=True)
class RowSpec:
    stt: int
    candidate: str
    rect: Rect
    boxes: dict[str, Rect]
    """Level code → its box, in the order of the layout's levels."""
    name: Rect
    """The name cell of the row (the "Họ và tên" column)."""
    cells: dict[str, Rect]
    """Level code → the whole table cell around its box."""


@dataclass(frozen=True, slots=True)
class PageSpec:
    number: int
    fiducials: tuple[Rect, Rect, Rect, Rect]
    """Corner marks in :data:`CORNERS` order."""
    qr: Rect
    serial_text: Rect
    table_header: Rect
    rows: tuple[RowSpec, ...]
    signature: Rect | None

    @property
    def table_bottom(self) -> float:
        return max((r.rect.bottom for r in self.rows), default=self.table_header.bottom)


@dataclass(frozen=True, slots=True)
class Layout:
    conference: str
    kind: str
    levels: tuple[str, ...]
    page_w: float
    page_h: float
    columns: dict[str, tuple[float, float]]
    """Column key → (x, w)."""
    pages: tuple[PageSpec, ...]


@dataclass(frozen=True, slots=True)
class Register:
    """The register of issued serials of one printed batch, with its layout."""

    conference: str
    serial_order: tuple[str, ...]
    serials: frozenset[str]
    pages_per_ballot: int
    layout: Layout


# ---------------------------------------------------------------- strict reading


def _err(path: str, vi: str, en: str) -> LayoutError:
    return LayoutError(path, vi, en)


def _obj(path: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _err(path, "cần một đối tượng JSON", "expected an object")
    return value


def _get(obj: dict[str, Any], path: str, key: str) -> Any:
    if key not in obj:
        raise _err(path, f"thiếu trường '{key}'", f"missing field '{key}'")
    return obj[key]


def _num(path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _err(path, "cần một số", "expected a number")
    return float(value)


def _int(path: str, value: Any, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _err(path, f"cần một số nguyên ≥ {low}", f"expected an integer ≥ {low}")
    return int(value)


def _str(path: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _err(path, "cần một chuỗi không rỗng", "expected a non-empty string")
    return value


def _rect(path: str, value: Any, page_w: float, page_h: float) -> Rect:
    obj = _obj(path, value)
    r = Rect(*(_num(f"{path}.{k}", _get(obj, path, k)) for k in ("x", "y", "w", "h")))
    if r.w <= 0 or r.h <= 0 or r.x < 0 or r.y < 0 or r.right > page_w or r.bottom > page_h:
        raise _err(path, "hình chữ nhật nằm ngoài trang", "rectangle outside the page")
    return r


def parse_layout(data: Any, path: str = "$") -> Layout:
    """Read a ``tinnhiem.ballot-layout/1`` object; :class:`LayoutError` at the first fault."""
    root = _obj(path, data)
    if root.get("format") != LAYOUT_FORMAT:
        raise _err(
            f"{path}.format",
            f'cần định dạng "{LAYOUT_FORMAT}"',
            f'expected format "{LAYOUT_FORMAT}"',
        )
    if root.get("units") != "mm":
        raise _err(f"{path}.units", 'cần đơn vị "mm"', 'expected units "mm"')
    size = _obj(f"{path}.page_size", _get(root, path, "page_size"))
    page_w = _num(f"{path}.page_size.w", _get(size, f"{path}.page_size", "w"))
    page_h = _num(f"{path}.page_size.h", _get(size, f"{path}.page_size", "h"))
    if not (50 <= page_w <= 1000 and 50 <= page_h <= 1000):
        raise _err(f"{path}.page_size", "khổ giấy không hợp lệ", "implausible page size")
    conference = _str(f"{path}.conference", _get(root, path, "conference"))
    kind = _str(f"{path}.kind", _get(root, path, "kind"))
    raw_levels = _get(root, path, "levels")
    if not isinstance(raw_levels, list) or not 2 <= len(raw_levels) <= 5:
        raise _err(f"{path}.levels", "cần 2 đến 5 mức", "expected 2 to 5 levels")
    levels = tuple(_str(f"{path}.levels[{i}]", v) for i, v in enumerate(raw_levels))
    if len(set(levels)) != len(levels):
        raise _err(f"{path}.levels", "mức lặp lại", "a level is repeated")
    columns: dict[str, tuple[float, float]] = {}
    raw_cols = _get(root, path, "columns")
    if not isinstance(raw_cols, list):
        raise _err(f"{path}.columns", "cần một mảng", "expected an array")
    for i, c in enumerate(raw_cols):
        cp = f"{path}.columns[{i}]"
        co = _obj(cp, c)
        columns[_str(f"{cp}.key", _get(co, cp, "key"))] = (
            _num(f"{cp}.x", _get(co, cp, "x")),
            _num(f"{cp}.w", _get(co, cp, "w")),
        )
    for key in ("name", *levels):
        if key not in columns:
            raise _err(f"{path}.columns", f"thiếu cột '{key}'", f"missing column '{key}'")
    n_pages = _int(f"{path}.pages_per_ballot", _get(root, path, "pages_per_ballot"), 1)
    raw_pages = _get(root, path, "pages")
    if not isinstance(raw_pages, list) or len(raw_pages) != n_pages:
        raise _err(
            f"{path}.pages",
            f"cần đúng {n_pages} trang",
            f"expected exactly {n_pages} pages",
        )
    pages: list[PageSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_pages):
        pp = f"{path}.pages[{i}]"
        po = _obj(pp, raw)
        if _int(f"{pp}.page", _get(po, pp, "page"), 1) != i + 1:
            raise _err(f"{pp}.page", f"cần trang {i + 1}", f"expected page {i + 1}")
        fo = _obj(f"{pp}.fiducials", _get(po, pp, "fiducials"))
        fids = tuple(
            _rect(f"{pp}.fiducials.{k}", _get(fo, f"{pp}.fiducials", k), page_w, page_h)
            for k in CORNERS
        )
        rows: list[RowSpec] = []
        raw_rows = _get(po, pp, "rows")
        if not isinstance(raw_rows, list) or not raw_rows:
            raise _err(f"{pp}.rows", "cần ít nhất một dòng", "expected at least one row")
        for j, rr in enumerate(raw_rows):
            rp = f"{pp}.rows[{j}]"
            ro = _obj(rp, rr)
            cand = _str(f"{rp}.candidate", _get(ro, rp, "candidate"))
            if cand in seen:
                raise _err(f"{rp}.candidate", f"mã '{cand}' lặp lại", f"id '{cand}' is repeated")
            seen.add(cand)
            row_rect = _rect(f"{rp}.row", _get(ro, rp, "row"), page_w, page_h)
            bo = _obj(f"{rp}.boxes", _get(ro, rp, "boxes"))
            if set(bo) != set(levels):
                raise _err(
                    f"{rp}.boxes", "cần đúng một ô cho mỗi mức", "expected one box per level"
                )
            boxes = {lv: _rect(f"{rp}.boxes.{lv}", bo[lv], page_w, page_h) for lv in levels}
            nx, nw = columns["name"]
            cells = {
                lv: Rect(columns[lv][0], row_rect.y, columns[lv][1], row_rect.h) for lv in levels
            }
            for lv, box in boxes.items():
                cell = cells[lv]
                if (
                    not (cell.x <= box.x and box.right <= cell.right and cell.y <= box.y)
                    or box.bottom > cell.bottom
                ):
                    raise _err(
                        f"{rp}.boxes.{lv}", "ô nằm ngoài cột của nó", "box outside its column"
                    )
            rows.append(
                RowSpec(
                    stt=_int(f"{rp}.stt", _get(ro, rp, "stt"), 1),
                    candidate=cand,
                    rect=row_rect,
                    boxes=boxes,
                    name=Rect(nx, row_rect.y, nw, row_rect.h),
                    cells=cells,
                )
            )
        signature = None
        if "signature" in po:
            signature = _rect(f"{pp}.signature", po["signature"], page_w, page_h)
        pages.append(
            PageSpec(
                number=i + 1,
                fiducials=fids,  # type: ignore[arg-type]
                qr=_rect(f"{pp}.qr", _get(po, pp, "qr"), page_w, page_h),
                serial_text=_rect(f"{pp}.serial_text", _get(po, pp, "serial_text"), page_w, page_h),
                table_header=_rect(
                    f"{pp}.table_header", _get(po, pp, "table_header"), page_w, page_h
                ),
                rows=tuple(rows),
                signature=signature,
            )
        )
    _check_geometry(pages, path)
    return Layout(conference, kind, levels, page_w, page_h, columns, tuple(pages))


def _check_geometry(pages: list[PageSpec], path: str) -> None:
    """What the reader relies on: square boxes of one size, corner marks at the corners."""
    side = pages[0].rows[0].boxes[next(iter(pages[0].rows[0].boxes))].w
    for i, p in enumerate(pages):
        for row in p.rows:
            for lv, b in row.boxes.items():
                if abs(b.w - side) > 1e-6 or abs(b.h - side) > 1e-6:
                    raise _err(
                        f"{path}.pages[{i}].rows[{row.stt}].boxes.{lv}",
                        "mọi ô phải vuông và cùng cỡ",
                        "every box must be square and of one size",
                    )
        tl, tr, br, bl = p.fiducials
        if not (tl.cx < tr.cx and bl.cx < br.cx and tl.cy < bl.cy and tr.cy < br.cy):
            raise _err(
                f"{path}.pages[{i}].fiducials",
                "dấu định vị không ở bốn góc",
                "the corner marks are not at the four corners",
            )


def parse_register(data: Any) -> Register:
    """Read ``issued.json`` (``tinnhiem.ballots-issued/1``); :class:`LayoutError` on a fault."""
    root = _obj("$", data)
    if root.get("format") != ISSUED_FORMAT:
        raise _err("$.format", f'cần định dạng "{ISSUED_FORMAT}"', f'expected "{ISSUED_FORMAT}"')
    conference = _str("$.conference", _get(root, "$", "conference"))
    raw = _get(root, "$", "serials")
    if not isinstance(raw, list):
        raise _err("$.serials", "cần một mảng", "expected an array")
    serials = tuple(_str(f"$.serials[{i}]", s) for i, s in enumerate(raw))
    if len(set(serials)) != len(serials):
        dup = next(s for i, s in enumerate(serials) if s in serials[:i])
        raise _err("$.serials", f"mã phiếu '{dup}' lặp lại", f"serial '{dup}' is repeated")
    count = _int("$.count", _get(root, "$", "count"))
    if count != len(serials):
        raise _err("$.count", "không khớp số mã phiếu", "does not match the serials listed")
    layout = parse_layout(_get(root, "$", "layout"), "$.layout")
    if layout.conference != conference:
        raise _err(
            "$.layout.conference", "khác hội nghị của sổ", "differs from the register's conference"
        )
    pages = _int("$.pages_per_ballot", _get(root, "$", "pages_per_ballot"), 1)
    if pages != len(layout.pages):
        raise _err("$.pages_per_ballot", "không khớp bố cục", "does not match the layout")
    return Register(conference, serials, frozenset(serials), pages, layout)
