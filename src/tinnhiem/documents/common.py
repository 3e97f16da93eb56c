"""What every official document shares: the letterhead lines, blanks, stamps.

Nghị định 30/2020/NĐ-CP (state bodies, "ND30") and Hướng dẫn 36-HD/VPTW
(party bodies, "HD36") differ in the header only: ND30 prints the Quốc hiệu
and Tiêu ngữ on the right and ``Số: 05/BC-BKP``; HD36 prints "ĐẢNG CỘNG SẢN
VIỆT NAM" and ``Số 05-BC/BKP``. Dates use the rules core's
:func:`~tinnhiem.rules.numbers.format_date_vi` (``ngày 05 tháng 02 năm 2024``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from tinnhiem.documents.errors import DocumentError
from tinnhiem.rules import Level
from tinnhiem.rules.numbers import format_date_short_vi, format_date_vi, format_int_vi

BLANK = "……"
"""What the forms print where a value is to be filled in by hand."""
LONG_BLANK = "………………"

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"


class Style(StrEnum):
    """Which presentation rules the document follows."""

    STATE = "nd30"
    """Nghị định 30/2020/NĐ-CP, Phụ lục I."""
    PARTY = "hd36"
    """Hướng dẫn 36-HD/VPTW."""


SECRECY_STAMPS: dict[str, float] = {"MẬT": 20.0, "TỐI MẬT": 30.0, "TUYỆT MẬT": 40.0}
"""Độ mật → stamp width in mm (height 8 mm; TT 24/2020/TT-BCA; MẬT 20 mm is UNVERIFIED)."""
STAMP_HEIGHT_MM = 8.0


def secrecy_width(classification: str | None) -> float | None:
    """Stamp width for a classification, None for an unclassified document."""
    if classification is None:
        return None
    try:
        return SECRECY_STAMPS[classification]
    except KeyError:
        known = ", ".join(SECRECY_STAMPS)
        raise DocumentError(
            f"độ mật không hợp lệ '{classification}' (hợp lệ: {known})",
            f"unknown classification '{classification}' (valid: {known})",
        ) from None


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def or_blank(value: str | None, blank: str = BLANK) -> str:
    """The value, or the dotted blank the forms leave for the hand."""
    if value is None or not value.strip():
        return blank
    return nfc(value.strip())


def int_or_blank(value: int | None) -> str:
    return BLANK if value is None else format_int_vi(value)


def number_line(style: Style, number: int | None, kind_code: str, body_code: str) -> str:
    """Ô 3: ``Số: 05/BC-BKP`` (ND30) or ``Số 05-BC/BKP`` (HD36); blank number if None."""
    if number is not None and number < 1:
        raise DocumentError("số văn bản phải từ 1 trở lên", "a document number starts at 1")
    shown = f"{number:02d}" if number is not None else "      "
    if style is Style.PARTY:
        return f"Số {shown}-{kind_code}/{body_code}"
    return f"Số: {shown}/{kind_code}-{body_code}"


def date_line(place: str | None, day: date | None) -> str:
    """Ô 4: ``Hà Giang, ngày 05 tháng 02 năm 2024``; blanks where unknown."""
    where = or_blank(place)
    if day is None:
        return f"{where}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    return f"{where}, {format_date_vi(day)}"


def short_date_or_blank(day: date | None) -> str:
    return format_date_short_vi(day) if day is not None else f"{BLANK}/{BLANK}/{BLANK}"


def time_or_blank(moment: time | None) -> str:
    """``08 giờ 30 phút`` (the biên bản wording), blanks where unknown."""
    if moment is None:
        return f"{BLANK} giờ {BLANK} phút"
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"


def long_date_or_blank(day: date | None) -> str:
    if day is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    return format_date_vi(day)


def at_meeting(title: str | None) -> str:
    """``tại hội nghị (kỳ họp) …`` of the form, without repeating "Hội nghị" of the title."""
    if title is None or not title.strip():
        return f"tại hội nghị (kỳ họp) {BLANK * 3}"
    text = nfc(title.strip())
    if text.lower().startswith(("hội nghị", "kỳ họp", "phiên họp")):
        return f"tại {text[0].lower()}{text[1:]}"
    return f"tại hội nghị (kỳ họp) {text}"


LEVEL_COLUMN_VI = {
    Level.HIGH: "Cao",
    Level.CONFIDENCE: "Tín nhiệm",
    Level.LOW: "Thấp",
    Level.NO_CONFIDENCE: "Không tín nhiệm",
}
"""Column headings of the ballot and result forms (Phụ lục 3 and 4)."""


@dataclass(frozen=True, slots=True)
class Header:
    """The letterhead as printed: ô 1–4 (and 10a for the secrecy stamp)."""

    style: Style
    parent: str
    """Cơ quan chủ quản (upper case, not bold); may be empty."""
    issuer: str
    """Cơ quan ban hành (upper case, bold)."""
    number_line: str
    date_line: str | None
    classification: str | None

    def to_json(self) -> dict[str, object]:
        width = secrecy_width(self.classification)
        return {
            "style": self.style.value,
            "parent": self.parent,
            "issuer": self.issuer,
            "number_line": self.number_line,
            "date_line": self.date_line,
            "national_title": PARTY_TITLE if self.style is Style.PARTY else NATIONAL_TITLE,
            "national_motto": None if self.style is Style.PARTY else NATIONAL_MOTTO,
            "stamp": None
            if self.classification is None
            else {"text": self.classification, "width_mm": width, "height_mm": STAMP_HEIGHT_MM},
        }
