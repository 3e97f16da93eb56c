"""Problems found in a spreadsheet, each pinned to a sheet, a row and a column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An error blocks the import; a warning is shown and the import may go on."""

    ERROR = "error"
    WARNING = "warning"


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column: 0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    if index < 0:
        raise ValueError("column index must be ≥ 0")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass(frozen=True)
class Issue:
    """One problem. ``code`` is stable (tests and pages rely on it); the messages
    say what is wrong and how to fix it, without the location, which
    :attr:`text_vi` and :attr:`text_en` put in front.

    ``row`` is the row number shown by the spreadsheet program (1-based; for a
    CSV file, the record number as a spreadsheet program opening it shows it).
    ``column`` is the column letter. ``span`` is a range such as ``D5:D7`` when
    the problem covers several cells. ``origin`` is ``"file"`` for problems of
    the file itself and ``"database"`` for those found by comparing it with
    what is already recorded.
    """

    code: str
    severity: Severity
    message_vi: str
    message_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    span: str | None = None
    origin: str = "file"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def ref(self) -> str | None:
        """``C5``, ``D5:D7``, or None when the problem is not tied to a cell."""
        if self.span:
            return self.span
        if self.column and self.row:
            return f"{self.column}{self.row}"
        return None

    @property
    def location_vi(self) -> str:
        parts: list[str] = []
        if self.sheet:
            parts.append(f"Trang tính “{self.sheet}”")
        ref = self.ref
        if ref:
            parts.append(f"các ô {ref}" if ":" in ref else f"ô {ref}")
        elif self.row:
            parts.append(f"dòng {self.row}")
        elif self.column:
            parts.append(f"cột {self.column}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def location_en(self) -> str:
        parts: list[str] = []
        if self.sheet:
            parts.append(f"Sheet “{self.sheet}”")
        ref = self.ref
        if ref:
            parts.append(f"cells {ref}" if ":" in ref else f"cell {ref}")
        elif self.row:
            parts.append(f"row {self.row}")
        elif self.column:
            parts.append(f"column {self.column}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def text_vi(self) -> str:
        """The message with its location: ``Trang tính “Cán bộ”, ô C5: …``."""
        loc = self.location_vi
        return f"{loc}: {self.message_vi}" if loc else self.message_vi

    @property
    def text_en(self) -> str:
        loc = self.location_en
        return f"{loc}: {self.message_en}" if loc else self.message_en

    def __str__(self) -> str:
        return self.text_vi


def error(
    code: str,
    vi: str,
    en: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
    span: str | None = None,
) -> Issue:
    return Issue(code, Severity.ERROR, vi, en, sheet, row, column, field, span)


def warning(
    code: str,
    vi: str,
    en: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field: str | None = None,
    span: str | None = None,
) -> Issue:
    return Issue(code, Severity.WARNING, vi, en, sheet, row, column, field, span)


class SpreadsheetError(Exception):
    """The file cannot be read at all (not a spreadsheet, wrong encoding …).
    Parsing turns it into a preview with this one error."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.text_en)
        self.issue = issue
