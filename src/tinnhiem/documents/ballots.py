"""Ballot papers (Phụ lục 3 of KH 240/KH-UBND) that a scanner can read back.

A ballot prints, on A4: the issuing body and "(Đóng dấu treo)", the place
and date, "PHIẾU TÍN NHIỆM" with "của …" (who votes), "đối với …" (whom)
and "năm …", the instruction sentence of the form, then the table STT |
Họ và tên | Chức vụ, đơn vị công tác | Mức độ tín nhiệm (Cao / Tín nhiệm /
Thấp; a binding vote: Tín nhiệm / Không tín nhiệm), and under the last row
"Người ghi phiếu (có thể ký hoặc không ký tên)". A long list continues on
further pages, each with the table header repeated.

For the machine, every page carries four square fiducial marks in its
corners, a QR code (conference id, the ballot's serial, page k of n) and
the serial in plain text. All of it sits at FIXED positions computed here,
in millimetres, before anything is drawn: the template places each element
at the coordinates of :func:`ballot_layout`, and the same numbers are
published as JSON (``tinnhiem.ballot-layout/1``) for the scanner. Text is
shrunk to fit its cell, never the cell to fit the text.

Serials come from :mod:`secrets` (80 bits, 16 characters of an alphabet
without 0/O/1/I) unless a test injects its own source. The register of
issued serials (``tinnhiem.ballots-issued/1``) lists serials only: nothing
here, and nothing anyone should add, ties a serial to the person who
receives the ballot.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import segno

from tinnhiem.ballotcode import QR_SCHEME, qr_payload
from tinnhiem.documents._typst import render_pdf
from tinnhiem.documents.common import BLANK, LEVEL_COLUMN_VI, date_line, nfc, or_blank
from tinnhiem.documents.errors import DocumentError
from tinnhiem.record import ConferenceRecord, record_to_json
from tinnhiem.rules import VoteKind, get_profile
from tinnhiem.rules.numbers import format_int_vi

LAYOUT_FORMAT = "tinnhiem.ballot-layout/1"
ISSUED_FORMAT = "tinnhiem.ballots-issued/1"
SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""32 symbols, none of 0 O 1 I: 5 bits each, 16 of them = 80 bits."""
SERIAL_LENGTH = 16
MAX_BALLOTS = 100_000

SerialSource = Callable[[], str]


def random_serial() -> str:
    """``7KQ2-MZ4D-H8WX-3PTA``: 80 random bits from :mod:`secrets`, in groups of four."""
    raw = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, SERIAL_LENGTH, 4))


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in millimetres, origin at the top-left corner of the page, y down."""

    x: float
    y: float
    w: float
    h: float

    def to_json(self) -> dict[str, float]:
        return {"x": _mm(self.x), "y": _mm(self.y), "w": _mm(self.w), "h": _mm(self.h)}


def _mm(value: float) -> float:
    """Millimetres for JSON: 3 decimals at most, whole numbers without ".0"."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass(frozen=True, slots=True)
class Geometry:
    """The fixed measurements of a ballot page, in millimetres (A4 portrait)."""

    page_w: float = 210.0
    page_h: float = 297.0
    fiducial: float = 6.0
    """Side of each solid black corner square."""
    fiducial_inset: float = 10.0
    """Distance from each page edge to the square's outer edges."""
    left: float = 20.0
    right: float = 195.0
    qr: Rect = Rect(166.0, 264.0, 22.0, 22.0)
    """The QR code, quiet zone (4 modules) included."""
    serial_text: Rect = Rect(20.0, 276.0, 140.0, 8.0)
    rows_bottom: float = 258.0
    """No row may end below this line."""
    signature_h: float = 22.0
    signature_gap: float = 6.0
    row_h: float = 11.0
    head_h1: float = 7.0
    head_h2: float = 7.0
    box: float = 6.0
    """Side of each square answer box."""
    first_table_top: float = 98.0
    next_table_top: float = 26.0
    stt_w: float = 10.0
    name_w: float = 48.0
    position_w: float = 62.0

    @property
    def width(self) -> float:
        return self.right - self.left

    def fiducials(self) -> dict[str, Rect]:
        s, i = self.fiducial, self.fiducial_inset
        far_x, far_y = self.page_w - i - s, self.page_h - i - s
        return {
            "top_left": Rect(i, i, s, s),
            "top_right": Rect(far_x, i, s, s),
            "bottom_left": Rect(i, far_y, s, s),
            "bottom_right": Rect(far_x, far_y, s, s),
        }

    def capacity(self, first: bool, last: bool) -> int:
        """How many rows fit on a page."""
        top = (self.first_table_top if first else self.next_table_top) + self.head_h1 + self.head_h2
        bottom = self.rows_bottom
        if last:
            bottom -= self.signature_gap + self.signature_h
        return int((bottom - top) // self.row_h)


GEOMETRY = Geometry()


def paginate(persons: int, geometry: Geometry = GEOMETRY) -> list[int]:
    """Rows per page: fill each page; the last one keeps room for the signature."""
    if persons < 1:
        raise DocumentError(
            "phiếu phải có ít nhất một người được lấy phiếu",
            "a ballot needs at least one person",
        )
    pages: list[int] = []
    remaining = persons
    while True:
        first = not pages
        last_cap = geometry.capacity(first, last=True)
        if remaining <= last_cap:
            pages.append(remaining)
            return pages
        full_cap = geometry.capacity(first, last=False)
        # Never leave the signature alone on a page: keep one row for the last page.
        take = remaining - 1 if remaining <= full_cap else full_cap
        pages.append(take)
        remaining -= take


def _columns(kind: VoteKind, g: Geometry) -> tuple[list[tuple[str, float, float]], float]:
    """(key, x, w) of every column, and the x where the level columns start."""
    cols: list[tuple[str, float, float]] = []
    x = g.left
    for key, w in (("stt", g.stt_w), ("name", g.name_w), ("position", g.position_w)):
        cols.append((key, x, w))
        x += w
    levels_x = x
    level_w = (g.right - x) / len(kind.levels)
    for lv in kind.levels:
        cols.append((lv.value, x, level_w))
        x += level_w
    return cols, levels_x


def ballot_layout(
    record: ConferenceRecord, conference_id: str | None = None, geometry: Geometry = GEOMETRY
) -> dict[str, Any]:
    """The ``tinnhiem.ballot-layout/1`` description of this conference's ballot.

    Every ballot of the conference has the same layout; only its serial and
    QR code differ. Coordinates are millimetres from the top-left corner of
    the page, y downwards; a rectangle is ``{x, y, w, h}``.
    """
    g = geometry
    conf = record.conference
    kind = conf.kind
    cols, levels_x = _columns(kind, g)
    per_page = paginate(len(conf.candidates), g)
    pages: list[dict[str, Any]] = []
    fiducials = {k: r.to_json() for k, r in g.fiducials().items()}
    index = 0
    for p, count in enumerate(per_page):
        first, last = p == 0, p == len(per_page) - 1
        top = g.first_table_top if first else g.next_table_top
        header = Rect(g.left, top, g.width, g.head_h1 + g.head_h2)
        rows: list[dict[str, Any]] = []
        y = top + g.head_h1 + g.head_h2
        for _ in range(count):
            cand = conf.candidates[index]
            index += 1
            boxes: dict[str, Any] = {}
            for key, x, w in cols[3:]:
                boxes[key] = Rect(
                    x + (w - g.box) / 2, y + (g.row_h - g.box) / 2, g.box, g.box
                ).to_json()
            rows.append(
                {
                    "stt": index,
                    "candidate": cand.id,
                    "row": Rect(g.left, y, g.width, g.row_h).to_json(),
                    "boxes": boxes,
                }
            )
            y += g.row_h
        page: dict[str, Any] = {
            "page": p + 1,
            "fiducials": fiducials,
            "qr": g.qr.to_json(),
            "serial_text": g.serial_text.to_json(),
            "table_header": header.to_json(),
            "rows": rows,
        }
        if last:
            page["signature"] = Rect(
                levels_x - 20.0, y + g.signature_gap, g.right - levels_x + 20.0, g.signature_h
            ).to_json()
        pages.append(page)
    return {
        "format": LAYOUT_FORMAT,
        "units": "mm",
        "origin": "top-left corner of the page, y downwards",
        "page_size": {"w": _mm(g.page_w), "h": _mm(g.page_h)},
        "conference": conference_id if conference_id is not None else conference_key(record),
        "kind": kind.value,
        "levels": [lv.value for lv in kind.levels],
        "columns": [{"key": k, "x": _mm(x), "w": _mm(w)} for k, x, w in cols],
        "pages_per_ballot": len(per_page),
        "qr": {
            "payload": f"{QR_SCHEME};<conference, percent-encoded>;<serial>;<page>/<pages>",
            "error_correction": "M",
            "quiet_zone_modules": 4,
        },
        "pages": pages,
    }


# ---------------------------------------------------------------- serials, QR


def conference_key(record: ConferenceRecord) -> str:
    """The record's id, or ``sha256:`` and 16 hex digits of its ballot-independent part."""
    if record.id:
        return record.id
    data = record_to_json(record)
    data.pop("ballots", None)
    digest = hashlib.sha256(
        json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return f"sha256:{digest[:16]}"


def qr_svg(payload: str, mask: int | None = None) -> str:
    """The QR code as SVG, one user unit per module, 4-module quiet zone.

    ``mask`` None lets segno choose the data mask by the penalty rules of ISO/IEC 18004
    (about 3 ms a code in pure Python, most of a large print run); 0–7 forces one,
    five times faster, and every decoder reads any of the eight.
    """
    code = segno.make(payload, error="m", micro=False, mask=mask)
    buf = io.BytesIO()
    code.save(buf, kind="svg", xmldecl=False, svgclass=None, lineclass=None, border=4, nl=False)
    return buf.getvalue().decode("ascii")


def qr_matrix(payload: str, mask: int | None = None) -> list[list[bool]]:
    """The modules of the code :func:`qr_svg` draws, quiet zone included (True = dark)."""
    code = segno.make(payload, error="m", micro=False, mask=mask)
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=4)]


def _unique_serials(count: int, source: SerialSource) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    attempts = 0
    while len(out) < count:
        serial = source()
        attempts += 1
        if serial in seen:
            if attempts > 2 * count + 10:
                raise DocumentError(
                    "nguồn mã phiếu lặp lại quá nhiều lần",
                    "the serial source keeps repeating itself",
                )
            continue
        if not serial or any(c in serial for c in ";\n\r"):
            raise DocumentError(f"mã phiếu không hợp lệ {serial!r}", f"invalid serial {serial!r}")
        seen.add(serial)
        out.append(serial)
    return out


# ---------------------------------------------------------------- the printed text


@dataclass(frozen=True, slots=True)
class BallotText:
    """What the form leaves to the organiser; blanks (……) where not given."""

    issuer: str | None = None
    """Tên tổ chức, cơ quan, đơn vị (default: the record's unit)."""
    place: str | None = None
    voters: str | None = None
    """"của …": thành phần ghi phiếu, e.g. "Ban Chấp hành Đảng bộ tỉnh"."""
    subjects: str | None = None
    """"đối với …": the positions polled."""
    year: int | None = None
    """Default: the year of the record's date."""
    title: str = "PHIẾU TÍN NHIỆM"


def instruction_vi(record: ConferenceRecord) -> str:
    """The form's instruction sentence, naming the profile's instrument."""
    instrument = get_profile(record.profile_id).instrument_vi
    if record.kind is VoteKind.BINDING:
        ask = "đề nghị đồng chí thể hiện ý kiến của mình đối với người có tên dưới đây"
    else:
        ask = "đề nghị đồng chí thể hiện sự tín nhiệm của mình đối với các đồng chí có tên dưới đây"
    return f"Thực hiện {instrument}; {ask} bằng cách đánh dấu (X) vào ô tương ứng:"


def _printed(record: ConferenceRecord, text: BallotText) -> dict[str, Any]:
    year = text.year if text.year is not None else (record.date.year if record.date else None)
    issuer = text.issuer if text.issuer is not None else record.unit
    return {
        "title": nfc(text.title),
        "issuer": or_blank(issuer).upper() if issuer else "Tên tổ chức, cơ quan, đơn vị",
        "issuer_note": "(Đóng dấu treo)",
        "date_line": date_line(text.place, record.date),
        "voters": f"của {or_blank(text.voters, BLANK * 3)}",
        "subjects": f"đối với {or_blank(text.subjects, BLANK * 3)}",
        "year": f"năm {year if year is not None else BLANK}",
        "instruction": instruction_vi(record),
        "continued": f"{nfc(text.title)} (tiếp theo)",
        "head_levels": "Mức độ tín nhiệm",
        "head_stt": "STT",
        "head_name": "Họ và tên",
        "head_position": "Chức vụ, đơn vị công tác",
        "signature": "Người ghi phiếu",
        "signature_note": "(có thể ký hoặc không ký tên)",
    }


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True, slots=True)
class BallotBatch:
    """Printed ballots: the PDF and the register of issued serials with the layout."""

    pdf: bytes
    issued: dict[str, Any]
    serials: tuple[str, ...] = field(default=())


def _regions(g: Geometry) -> dict[str, Any]:
    """Text regions of the first and following pages (not read by the scanner)."""
    return {
        "issuer": Rect(g.left, 16.0, 80.0, 17.0).to_json(),
        "date": Rect(100.0, 16.0, g.right - 100.0, 8.0).to_json(),
        "title": Rect(g.left, 36.0, g.width, 8.0).to_json(),
        "subtitle": Rect(g.left, 44.0, g.width, 21.0).to_json(),
        "instruction": Rect(g.left, 66.0, g.width, 30.0).to_json(),
        "continued": Rect(g.left, 17.0, g.width, 7.0).to_json(),
    }


def render_form(
    record: ConferenceRecord,
    layout: dict[str, Any],
    text: BallotText,
    geometry: Geometry = GEOMETRY,
) -> bytes:
    """The pages of one ballot without serial or QR code (drawn once, printed many times)."""
    data = {
        "layout": layout,
        "geometry": {"head_h1": geometry.head_h1, "head_h2": geometry.head_h2},
        "regions": _regions(geometry),
        "text": _printed(record, text),
        "level_labels": [LEVEL_COLUMN_VI[lv] for lv in record.kind.levels],
        "names": {
            c.id: {"name": c.name, "position": c.position} for c in record.conference.candidates
        },
    }
    return render_pdf("ballot_form.typ", data)


def render_ballots(
    record: ConferenceRecord,
    count: int,
    *,
    text: BallotText | None = None,
    serial_source: SerialSource = random_serial,
    conference_id: str | None = None,
    geometry: Geometry = GEOMETRY,
    qr_mask: int | None = None,
) -> BallotBatch:
    """``count`` ballots of ``record``'s conference, each with its own serial.

    ``qr_mask`` forces one QR data mask (see :func:`qr_svg`); by default each
    code gets the mask the standard's penalty rules choose.

    :raises DocumentError: a count out of range, an empty list of persons, a
        serial source that repeats itself, a mask outside 0–7.
    """
    if qr_mask is not None and not 0 <= qr_mask <= 7:
        raise DocumentError("mặt nạ QR phải từ 0 đến 7", "the QR mask must be 0 to 7")
    if not 1 <= count <= MAX_BALLOTS:
        raise DocumentError(
            f"số phiếu phải từ 1 đến {format_int_vi(MAX_BALLOTS)}",
            f"the number of ballots must be 1 to {MAX_BALLOTS:,}",
        )
    text = text or BallotText()
    layout = ballot_layout(record, conference_id, geometry)
    conference = layout["conference"]
    pages = layout["pages_per_ballot"]
    serials = _unique_serials(count, serial_source)
    form = render_form(record, layout, text, geometry)
    data = {
        "layout": layout,
        "text": {"serial_label": "Mã phiếu", "page_label": "Trang"},
        "ballots": [
            {
                "serial": serial,
                "qr": [
                    qr_svg(qr_payload(conference, serial, k, pages), qr_mask)
                    for k in range(1, pages + 1)
                ],
            }
            for serial in serials
        ],
    }
    pdf = render_pdf("ballots.typ", data, files={"form.pdf": form})
    issued = issued_register(layout, serials)
    return BallotBatch(pdf=pdf, issued=issued, serials=tuple(serials))


def issued_register(layout: dict[str, Any], serials: Sequence[str]) -> dict[str, Any]:
    """``tinnhiem.ballots-issued/1``: the serials printed, in print order, and the layout."""
    return {
        "format": ISSUED_FORMAT,
        "conference": layout["conference"],
        "count": len(serials),
        "pages_per_ballot": layout["pages_per_ballot"],
        "serials": list(serials),
        "layout": layout,
    }
