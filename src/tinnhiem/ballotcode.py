"""The code printed in each ballot page's QR symbol: ``TN1;<conference>;<serial>;<k>/<n>``.

One definition shared by the printer (:mod:`tinnhiem.documents.ballots`) and
the scanner (:mod:`tinnhiem.omr`), which may not import each other. Pure
standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

QR_SCHEME = "TN1"


@dataclass(frozen=True, slots=True)
class QrContent:
    conference: str
    serial: str
    page: int
    pages: int


def qr_payload(conference: str, serial: str, page: int, pages: int) -> str:
    """``TN1;hb-2018-k1-01;7KQ2-MZ4D-H8WX-3PTA;1/2`` (the id percent-encoded)."""
    return f"{QR_SCHEME};{quote(conference, safe='')};{serial};{page}/{pages}"


def parse_qr_payload(payload: str) -> QrContent:
    """Read back what :func:`qr_payload` wrote; ``ValueError`` for anything else."""
    parts = payload.split(";")
    if len(parts) != 4 or parts[0] != QR_SCHEME:
        raise ValueError(f"not a {QR_SCHEME} ballot code: {payload!r}")
    page_s, slash, pages_s = parts[3].partition("/")
    if not slash or not (page_s.isascii() and page_s.isdigit()):
        raise ValueError(f"bad page field in {payload!r}")
    if not (pages_s.isascii() and pages_s.isdigit()):
        raise ValueError(f"bad page field in {payload!r}")
    page, pages = int(page_s), int(pages_s)
    if not 1 <= page <= pages:
        raise ValueError(f"page {page} of {pages} in {payload!r}")
    if not parts[2]:
        raise ValueError(f"empty serial in {payload!r}")
    return QrContent(unquote(parts[1]), parts[2], page, pages)
