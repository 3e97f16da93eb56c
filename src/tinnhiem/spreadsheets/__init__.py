"""Spreadsheet import and export of agencies, officials and summoned members (pure).

Reading a file never writes anything: :func:`parse_file` (or one of the
``preview_*`` shortcuts) returns a :class:`Preview` with the rows as parsed
and every problem found, each pinned to a sheet, a row and a column, in
Vietnamese and in English. The Django apps add the checks that need the
database and write an accepted preview through their services.

XLSX is read with python-calamine (values, merged ranges) and, only for
sheets that contain formulas or error values, openpyxl in read-only mode;
CSV must be UTF-8. Templates and exports are written with openpyxl. See
docs/decisions/0011-spreadsheets.md.
"""

from __future__ import annotations

from datetime import date

from tinnhiem.spreadsheets.issues import Issue, Severity, SpreadsheetError, column_letter
from tinnhiem.spreadsheets.parsing import DEFAULT_MAX_PLACES, parse_file
from tinnhiem.spreadsheets.preview import Column, Preview, Row, Value, sort_issues
from tinnhiem.spreadsheets.schema import AGENCIES, OFFICIALS, SCHEMAS, VOTERS, Field, Kind, Schema
from tinnhiem.spreadsheets.text import clean_text, same_key
from tinnhiem.spreadsheets.writing import export_csv, export_xlsx, template_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def preview_officials(
    data: bytes,
    filename: str = "",
    *,
    sheet: str | None = None,
    max_places: int = DEFAULT_MAX_PLACES,
    today: date | None = None,
) -> Preview:
    return parse_file(OFFICIALS, data, filename, sheet=sheet, max_places=max_places, today=today)


def preview_voters(data: bytes, filename: str = "", *, sheet: str | None = None) -> Preview:
    return parse_file(VOTERS, data, filename, sheet=sheet)


def preview_agencies(data: bytes, filename: str = "", *, sheet: str | None = None) -> Preview:
    return parse_file(AGENCIES, data, filename, sheet=sheet)


__all__ = [
    "AGENCIES",
    "CSV_CONTENT_TYPE",
    "DEFAULT_MAX_PLACES",
    "OFFICIALS",
    "SCHEMAS",
    "VOTERS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "Field",
    "Issue",
    "Kind",
    "Preview",
    "Row",
    "Schema",
    "Severity",
    "SpreadsheetError",
    "Value",
    "clean_text",
    "column_letter",
    "export_csv",
    "export_xlsx",
    "parse_file",
    "preview_agencies",
    "preview_officials",
    "preview_voters",
    "same_key",
    "sort_issues",
    "template_xlsx",
]
