"""Reading one cell as a date, a yes/no, or text.

A cell comes from calamine (``str``, ``float``, ``int``, ``bool``, ``date``,
``datetime``, ``time``, ``timedelta``; integers arrive as floats) or from a
CSV file (always ``str``). Each reader returns the value or a
:class:`Problem` saying, in Vietnamese and in English, what is wrong.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tinnhiem.spreadsheets.text import clean_text, header_key

Cell = str | float | int | bool | date | datetime | time | timedelta | None

MIN_YEAR = 1900
MAX_YEAR = 2100
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Problem:
    code: str
    vi: str
    en: str


_BLANK = " \t\n\r\x0b\x0c\xa0\u200b\u200c\u200d\u2060\ufeff"


def is_empty(cell: Cell) -> bool:
    if cell is None:
        return True
    if type(cell) is str:
        stripped = cell.strip(_BLANK)
        return not stripped or (stripped[0].isspace() and not clean_text(stripped))
    return False


def display(cell: Cell) -> str:
    """The cell as the spreadsheet program would show it, roughly (for messages
    and the preview table)."""
    if type(cell) is str:
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if math.isfinite(cell) and cell == int(cell) and abs(cell) < 1e15:
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime):
        if cell.time() == time(0):
            return format_date(cell)
        return f"{format_date(cell)} {cell.hour:02d}:{cell.minute:02d}"
    if isinstance(cell, date):
        return format_date(cell)
    if isinstance(cell, time):
        return cell.strftime("%H:%M")
    return str(cell)


def format_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


_DMY = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_WORDS = re.compile(r"(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YEAR = re.compile(r"\d{4}")

_FORMS_VI = "ngày/tháng/năm như 15/03/2021, hoặc 2021-03-15"
_FORMS_EN = "day/month/year such as 15/03/2021, or 2021-03-15"


def _make_date(year: int, month: int, day: int, shown: str) -> date | Problem:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return Problem(
            "date_out_of_range",
            f"Năm {year} trong “{shown}” nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.",
            f"Year {year} in “{shown}” is outside {MIN_YEAR}–{MAX_YEAR}.",
        )
    if not 1 <= month <= 12:
        hint_vi = hint_en = ""
        if 1 <= day <= 12:
            hint_vi = f" Ngày ghi theo thứ tự ngày/tháng/năm: có phải {month:02d}/{day:02d}/{year}?"
            hint_en = f" Dates are day/month/year: did you mean {month:02d}/{day:02d}/{year}?"
        return Problem(
            "bad_date",
            f"“{shown}” không phải ngày: không có tháng {month}.{hint_vi}",
            f"“{shown}” is not a date: there is no month {month}.{hint_en}",
        )
    try:
        return date(year, month, day)
    except ValueError:
        return Problem(
            "bad_date",
            f"Ngày “{shown}” không có thật (tháng {month}/{year} không có ngày {day}).",
            f"“{shown}” does not exist (month {month}/{year} has no day {day}).",
        )


def parse_date(cell: Cell) -> date | Problem | None:
    """A date from an Excel date cell or from text: ``15/03/2021``, ``15-03-2021``,
    ``15.03.2021``, ``2021-03-15`` (ISO, a time after it is ignored),
    ``ngày 15 tháng 3 năm 2021``. Empty → None."""
    if is_empty(cell):
        return None
    if isinstance(cell, datetime):
        return _make_date(cell.year, cell.month, cell.day, display(cell))
    if isinstance(cell, date):
        return _make_date(cell.year, cell.month, cell.day, display(cell))
    if isinstance(cell, bool):
        return Problem(
            "wrong_type",
            f"Cần một ngày, ô đang là giá trị đúng/sai ({display(cell)}).",
            f"A date is needed; the cell holds a true/false value ({display(cell)}).",
        )
    if isinstance(cell, int | float):
        shown = display(cell)
        hint_vi = hint_en = ""
        if isinstance(cell, float) and math.isfinite(cell) and 1 <= cell < 80000:
            serial = _EXCEL_EPOCH + timedelta(days=int(cell))
            if MIN_YEAR <= serial.year <= MAX_YEAR:
                hint_vi = (
                    f" Nếu đây là số ngày của Excel thì là {format_date(serial)}: hãy định dạng"
                    " ô là ngày (Date)."
                )
                hint_en = (
                    f" As an Excel date serial it would be {format_date(serial)}: format the"
                    " cell as a date."
                )
        return Problem(
            "wrong_type",
            f"Cần một ngày ({_FORMS_VI}), ô đang là số {shown}.{hint_vi}",
            f"A date is needed ({_FORMS_EN}); the cell holds the number {shown}.{hint_en}",
        )
    if isinstance(cell, time | timedelta):
        return Problem(
            "wrong_type",
            f"Cần một ngày, ô đang là giờ ({display(cell)}).",
            f"A date is needed; the cell holds a time ({display(cell)}).",
        )
    text = clean_text(cell) if isinstance(cell, str) else ""
    m = _DMY.fullmatch(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if len(year) != 4:
            return Problem(
                "bad_date",
                f"“{text}”: năm phải ghi đủ 4 chữ số, ví dụ 15/03/2021.",
                f"“{text}”: the year needs 4 digits, e.g. 15/03/2021.",
            )
        return _make_date(int(year), month, day, text)
    m = _ISO.fullmatch(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _WORDS.fullmatch(header_key(text))
    if m:
        return _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    if _MONTH_YEAR.fullmatch(text) or _YEAR.fullmatch(text):
        return Problem(
            "bad_date",
            f"“{text}” thiếu ngày: cần ghi đủ {_FORMS_VI}.",
            f"“{text}” lacks the day: write {_FORMS_EN}.",
        )
    return Problem(
        "bad_date",
        f"“{text}” không phải ngày. Ghi theo dạng {_FORMS_VI}.",
        f"“{text}” is not a date. Write {_FORMS_EN}.",
    )


_TRUE = frozenset({"x", "co", "c", "yes", "y", "true", "1", "dung", "v", "ok"})
_FALSE = frozenset({"", "khong", "k", "ko", "no", "n", "false", "0", "sai"})
_TRUE_MARKS = frozenset("✓✔☑☒√+")
_FALSE_MARKS = frozenset({"-", "–", "—", "☐"})

BOOL_FORMS_VI = "“x” hoặc “có” nếu có; để trống hoặc “không” nếu không"
BOOL_FORMS_EN = "“x” or “có” for yes; empty or “không” for no"


def parse_bool(cell: Cell) -> bool | Problem:
    """Yes/no: ``x``, ``có``, ``✓``, TRUE, 1 → True; empty, ``không``, FALSE, 0 → False."""
    if is_empty(cell):
        return False
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        if cell in (0, 1):
            return bool(cell)
        return Problem(
            "bad_bool",
            f"Số {display(cell)} không phải có/không. Ghi {BOOL_FORMS_VI}.",
            f"The number {display(cell)} is not yes/no. Write {BOOL_FORMS_EN}.",
        )
    if not isinstance(cell, str):
        return Problem(
            "bad_bool",
            f"“{display(cell)}” không phải có/không. Ghi {BOOL_FORMS_VI}.",
            f"“{display(cell)}” is not yes/no. Write {BOOL_FORMS_EN}.",
        )
    text = clean_text(cell)
    if text in _TRUE_MARKS:
        return True
    if text in _FALSE_MARKS:
        return False
    key = header_key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return Problem(
        "bad_bool",
        f"“{text}” không phải có/không. Ghi {BOOL_FORMS_VI}.",
        f"“{text}” is not yes/no. Write {BOOL_FORMS_EN}.",
    )


def text_of(cell: Cell, *, numbers_allowed: bool) -> str | Problem:
    """The cell as cleaned text. Numbers become their text (``115.0`` → ``115``)
    when allowed; dates and times never do."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return clean_text(cell)
    if isinstance(cell, bool):
        return Problem(
            "wrong_type",
            f"Cần chữ, ô đang là giá trị đúng/sai ({display(cell)}).",
            f"Text is needed; the cell holds a true/false value ({display(cell)}).",
        )
    if isinstance(cell, int | float):
        if numbers_allowed:
            return display(cell)
        return Problem(
            "wrong_type",
            f"Cần chữ, ô đang là số {display(cell)}.",
            f"Text is needed; the cell holds the number {display(cell)}.",
        )
    return Problem(
        "wrong_type",
        f"Cần chữ, ô đang là ngày/giờ ({display(cell)}).",
        f"Text is needed; the cell holds a date or time ({display(cell)}).",
    )
