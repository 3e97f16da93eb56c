"""The template and the exports: what they hold, and that exports import back unchanged."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinnhiem.spreadsheets import (
    AGENCIES,
    OFFICIALS,
    VOTERS,
    Schema,
    clean_text,
    export_csv,
    export_xlsx,
    parse_file,
    template_xlsx,
)


def test_officials_template() -> None:
    data = template_xlsx(OFFICIALS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Cán bộ", "Hướng dẫn"]
    ws = wb["Cán bộ"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["STT", "Họ và tên (*)", "Chức vụ (*)", "Cơ quan, đơn vị (*)"]
    assert "Ngày sinh" not in " ".join(header)  # recognised on import, never asked for
    assert ws["B1"].comment is not None
    assert "Bắt buộc" in ws["B1"].comment.text
    assert ws.freeze_panes == "B2"
    assert ws["B2"].value == "Nguyễn Văn Mẫu"  # the invented example person
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"date", "list", "textLength"}
    date_col = header.index("Ngày bổ nhiệm, bầu cử") + 1
    assert ws.cell(row=500, column=date_col).number_format == "DD/MM/YYYY"
    guide = [r[0] for r in wb["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Họ và tên" in guide


def test_the_template_reads_back_and_refuses_its_example() -> None:
    for schema in (OFFICIALS, VOTERS, AGENCIES):
        p = parse_file(schema, template_xlsx(schema), "mau.xlsx")
        assert {c.field for c in p.columns} == {f.key for f in schema.exported}
        if schema is AGENCIES:
            assert p.ok  # its example is a real agency name, not a person
        else:
            assert [(e.code, e.ref) for e in p.errors] == [("example_row", "B2")]
        assert p.warnings == ()


def test_export_xlsx_keeps_formula_like_text_as_text() -> None:
    rows = [{"full_name": "Phạm Thị Hạnh", "position": '=HYPERLINK("x")', "agency": "Sở Y tế"}]
    data = export_xlsx(OFFICIALS, rows)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Cán bộ"]
    assert ws["C2"].data_type == "s"
    assert ws["C2"].value == '=HYPERLINK("x")'


def test_export_csv_guards_formula_like_text() -> None:
    rows = [{"full_name": "Phạm Thị Hạnh", "position": "+84 nhánh", "agency": "@Sở"}]
    text = export_csv(OFFICIALS, rows).decode("utf-8")
    assert text.startswith(
        "\ufeffSTT,Họ và tên,Chức vụ,Cơ quan, đơn vị".replace(
            "Cơ quan, đơn vị", '"Cơ quan, đơn vị"'
        )
    )
    assert ",'+84 nhánh,'@Sở," in text


# -------------------------------------------------------------- round trips

_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
_word = st.text(alphabet=_LETTERS, min_size=1, max_size=7).map(str.capitalize)
names = st.lists(_word, min_size=2, max_size=4).map(" ".join)
texts = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Co", "Zl", "Zp"),
            blacklist_characters="\u00a0\u200b\u200c\u200d\u2060\ufeff\u00ad"
            + "".join(chr(c) for c in range(0xA1, 0xC0))
            + "×÷",
        ),
        min_size=1,
        max_size=40,
    )
    .map(clean_text)
    .filter(bool)
)
dates = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))


@st.composite
def official_rows(draw: Any) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=6))
    people = draw(st.lists(names, min_size=n, max_size=n, unique_by=lambda s: s.casefold()))
    rows = []
    for name in people:
        rows.append(
            {
                "full_name": name,
                "position": draw(texts),
                "agency": draw(texts),
                "block": "Khối chính quyền",
                "appointed_or_elected_on": draw(dates),
                "reappointed_same_post": draw(st.booleans()),
                "retirement_notice": draw(st.booleans()),
                "illness_leave_since": draw(dates),
                "medical_certificate": draw(st.booleans()),
                "in_post_since": draw(dates),
            }
        )
    # One agency per block name, so the rows never contradict each other.
    return rows


def _read_back(schema: Schema, rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    data = export_xlsx(schema, rows) if fmt == "xlsx" else export_csv(schema, rows)
    p = parse_file(schema, data, f"x.{fmt}", max_places=99)
    assert not [e for e in p.errors if e.code != "duplicate_person"], [e.text_vi for e in p.errors]
    return [{k: r.values[k] for k in rows[0]} for r in p.rows]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(official_rows())
def test_officials_export_imports_back_unchanged(rows: list[dict[str, Any]]) -> None:
    assert _read_back(OFFICIALS, rows, "xlsx") == rows
    assert _read_back(OFFICIALS, rows, "csv") == rows


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(names, st.one_of(st.just(""), texts)), min_size=1, max_size=6))
def test_voters_export_imports_back_unchanged(people: list[tuple[str, str]]) -> None:
    rows = [{"full_name": n, "position": p} for n, p in people]
    assert _read_back(VOTERS, rows, "xlsx") == rows
    assert _read_back(VOTERS, rows, "csv") == rows
