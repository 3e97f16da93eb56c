"""The result of reading a file: the rows as parsed and every problem found.
Nothing is written anywhere; a preview is a value."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from tinnhiem.spreadsheets.issues import Issue, Severity

Value = str | date | bool | None


@dataclass(frozen=True)
class Column:
    """A column of the file recognised as one of the list's fields."""

    field: str
    letter: str
    header: str
    sheet: str | None = None


@dataclass(frozen=True)
class Row:
    """One data row. ``values`` holds every field of the list, parsed (``None``
    or the field's default where the cell is empty or wrong); ``raw`` holds the
    cells as shown, for the preview table."""

    sheet: str | None
    number: int
    values: Mapping[str, Value]
    raw: Mapping[str, str]

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else ""

    def date(self, key: str) -> date | None:
        value = self.values.get(key)
        return value if isinstance(value, date) else None

    def flag(self, key: str) -> bool:
        return self.values.get(key) is True

    @property
    def key(self) -> tuple[str | None, int]:
        return (self.sheet, self.number)


@dataclass(frozen=True)
class Preview:
    """What importing the file would do, and why it cannot when it has errors.

    ``kind`` is the schema (``officials``, ``voters``, ``agencies``);
    ``sha256`` identifies the file's bytes; ``scope`` is set by the caller that
    checked the preview against a database (``vote_round:12``) so that it
    cannot be applied elsewhere; ``new_blocks`` and ``new_agencies`` are what
    applying it would create besides the rows.
    """

    kind: str
    filename: str
    file_format: str
    sha256: str
    columns: tuple[Column, ...] = ()
    rows: tuple[Row, ...] = ()
    issues: tuple[Issue, ...] = ()
    sheets: tuple[str, ...] = ()
    header_rows: tuple[int, ...] = ()
    scope: str = ""
    new_blocks: tuple[str, ...] = ()
    new_agencies: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def ok(self) -> bool:
        """True when the file can be imported (warnings allowed)."""
        return not self.has_errors

    @property
    def file_issues(self) -> tuple[Issue, ...]:
        """Problems not tied to a row (the file, a sheet, a header)."""
        return tuple(i for i in self.issues if i.row is None or i.code in _HEADER_CODES)

    def issues_by_row(self) -> dict[tuple[str | None, int], list[Issue]]:
        """Problems of each data row, keyed like :attr:`Row.key`."""
        out: dict[tuple[str | None, int], list[Issue]] = {}
        for issue in self.issues:
            if issue.row is not None and issue.code not in _HEADER_CODES:
                out.setdefault((issue.sheet, issue.row), []).append(issue)
        return out

    def issues_by_cell(self) -> dict[tuple[str | None, int, str], list[Issue]]:
        """Problems of each cell, keyed by (sheet, row, field key)."""
        out: dict[tuple[str | None, int, str], list[Issue]] = {}
        for issue in self.issues:
            if issue.row is not None and issue.field is not None:
                out.setdefault((issue.sheet, issue.row, issue.field), []).append(issue)
        return out

    def with_issues(
        self,
        extra: Iterable[Issue],
        *,
        scope: str | None = None,
        new_blocks: tuple[str, ...] | None = None,
        new_agencies: tuple[str, ...] | None = None,
    ) -> Preview:
        """A copy with more problems (and, when given, another scope and creations)."""
        return dataclasses.replace(
            self,
            issues=sort_issues((*self.issues, *extra), self.sheets),
            scope=self.scope if scope is None else scope,
            new_blocks=self.new_blocks if new_blocks is None else new_blocks,
            new_agencies=self.new_agencies if new_agencies is None else new_agencies,
        )

    def without_origin(self, origin: str) -> Preview:
        """A copy without the problems of one origin (``"database"``), to check again."""
        return dataclasses.replace(
            self,
            issues=tuple(i for i in self.issues if i.origin != origin),
            scope="",
            new_blocks=(),
            new_agencies=(),
        )


_HEADER_CODES = frozenset({"header_missing", "header_duplicate", "column_ignored"})


def sort_issues(issues: Iterable[Issue], sheets: Iterable[str] = ()) -> tuple[Issue, ...]:
    """File-wide problems first, then by sheet (in file order), row and column."""
    order: dict[str | None, int] = {None: -1}
    for name in sheets:
        order.setdefault(name, len(order))
    items = list(issues)
    for i in items:
        order.setdefault(i.sheet, len(order))

    def key(i: Issue) -> tuple[int, int, int, int, str]:
        col = i.column or ""
        return (0 if i.row is None else 1, order[i.sheet], i.row or 0, len(col), col)

    return tuple(sorted(items, key=key))
