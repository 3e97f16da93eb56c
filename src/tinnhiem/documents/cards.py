"""Credential cards for electronic voting, printed on an offline device (issue 7).

One card per private credential (:mod:`tinnhiem.crypto.credentials`), ten to an
A4 sheet (2 columns × 5 rows of 85 × 54 mm, the size of a bank card) with cut
marks in the margins. Each card prints:

* the conference (tên hội nghị) and "THẺ BỎ PHIẾU ĐIỆN TỬ";
* the card number (số thẻ): a running number for counting the cards and the
  unissued envelopes, drawn from nothing about the credential;
* the QR code of :func:`tinnhiem.crypto.files.card_qr_payload`
  (``TNC1:<uuid>:<credential>``) and the credential itself in readable groups
  (:func:`tinnhiem.crypto.files.credential_groups`), for typing when a camera
  fails;
* the instructions in Vietnamese: keep the card secret, scan it at the voting
  page, a lost card cannot be replaced.

The PDF is the only place the private credentials are ever written: print it,
seal the cards in identical envelopes and delete it (docs/evote-ceremony.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tinnhiem.crypto.files import card_qr_payload, credential_groups
from tinnhiem.documents._typst import render_pdf
from tinnhiem.documents.ballots import qr_svg
from tinnhiem.documents.common import nfc
from tinnhiem.documents.errors import DocumentError

PAGE_W, PAGE_H = 210.0, 297.0
CARD_W, CARD_H = 85.0, 54.0
COLUMNS, ROWS = 2, 5
CARDS_PER_PAGE = COLUMNS * ROWS
MAX_CARDS = 10_000
MAX_CONFERENCE = 120
"""Characters of the conference name: two lines across the card at most."""
QR_MASK = 0
"""One fixed QR data mask: five times faster than segno's choice, and every reader reads it."""

TITLE_LINE = "THẺ BỎ PHIẾU ĐIỆN TỬ"
NUMBER_LABEL = "Số thẻ"
CODE_LABEL = "Mã bỏ phiếu"
INSTRUCTIONS = (
    "Giữ bí mật thẻ này; không cho ai xem hay chụp ảnh.",
    "Quét mã QR tại trang bỏ phiếu (hoặc gõ mã bên trên).",
    "Mất thẻ thì không cấp lại: hãy bỏ phiếu giấy.",
)


@dataclass(frozen=True)
class Card:
    """One card: its running number and its private credential."""

    number: int
    credential: str


def card_number_text(number: int, total: int) -> str:
    """``0007`` (as many digits as the largest number, at least 3)."""
    return f"{number:0{max(3, len(str(total)))}d}"


def _two_lines(groups: Sequence[str]) -> list[str]:
    half = (len(groups) + 1) // 2
    return [" ".join(groups[:half]), " ".join(groups[half:])]


def layout() -> dict[str, float]:
    """The grid: card size and the top-left corner of the grid, in millimetres."""
    return {
        "page_w": PAGE_W,
        "page_h": PAGE_H,
        "card_w": CARD_W,
        "card_h": CARD_H,
        "left": (PAGE_W - COLUMNS * CARD_W) / 2,
        "top": (PAGE_H - ROWS * CARD_H) / 2,
        "columns": COLUMNS,
        "rows": ROWS,
    }


def render_cards(conference: str, election_uuid: str, cards: Sequence[Card]) -> bytes:
    """The PDF of ``cards`` for the election ``election_uuid`` of ``conference``."""
    if not cards:
        raise DocumentError("không có thẻ nào để in", "no cards to print")
    if len(cards) > MAX_CARDS:
        raise DocumentError(
            f"tối đa {MAX_CARDS} thẻ một lần in", f"at most {MAX_CARDS} cards per print run"
        )
    name = nfc(conference.strip())
    if not name:
        raise DocumentError("thiếu tên hội nghị", "the conference name is missing")
    if len(name) > MAX_CONFERENCE:
        raise DocumentError(
            f"tên hội nghị dài quá {MAX_CONFERENCE} ký tự: không vừa thẻ",
            f"the conference name is longer than {MAX_CONFERENCE} characters: it does not fit",
        )
    total = max(c.number for c in cards)
    data = {
        "layout": layout(),
        "text": {
            "conference": name,
            "title": TITLE_LINE,
            "number_label": NUMBER_LABEL,
            "code_label": CODE_LABEL,
            "instructions": list(INSTRUCTIONS),
        },
        "cards": [
            {
                "number": card_number_text(c.number, total),
                "groups": _two_lines(credential_groups(c.credential)),
                "qr": qr_svg(card_qr_payload(election_uuid, c.credential), QR_MASK),
            }
            for c in cards
        ],
    }
    return render_pdf("cards.typ", data)
