"""10,000 rows: every row read, and a single bad cell deep in the file found exactly."""

from __future__ import annotations

import io
import time
import unicodedata
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from tests.spreadsheets.files import HEADER, csv_bytes
from tinnhiem.demo.names import NameGenerator
from tinnhiem.spreadsheets import OFFICIALS, export_csv, export_xlsx, preview_officials

N = 10_000


@pytest.fixture(scope="module")
def people() -> list[dict[str, object]]:
    gen = NameGenerator(11)
    return [
        {
            "full_name": gen.name(),
            "position": ("Giám đốc", "Phó Giám đốc", "Trưởng phòng")[i % 3],
            "agency": f"Cơ quan thử nghiệm số {i % 190 + 1}",
            "block": f"Khối {i % 190 % 6 + 1}",  # one block per agency
            "appointed_or_elected_on": date(2015, 1, 1) + timedelta(days=i % 3000),
            "reappointed_same_post": i % 5 == 0,
        }
        for i in range(N)
    ]


def _big_xlsx(people: list[dict[str, object]], bad: dict[tuple[int, int], object]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH (thử nghiệm)"])
    ws.append([*HEADER, "Bổ nhiệm lại"])
    for i, p in enumerate(people):
        row = [i + 1, *p.values()]
        row[6] = "x" if row[6] else ""
        for (r, c), value in bad.items():
            if r == i + 3:
                row[c] = value
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_ten_thousand_rows_from_xlsx(people: list[dict[str, object]]) -> None:
    data = export_xlsx(OFFICIALS, people)
    t0 = time.perf_counter()
    p = preview_officials(data, "lon.xlsx")
    elapsed = time.perf_counter() - t0
    assert p.ok, [e.text_vi for e in p.errors[:5]]
    assert len(p.rows) == N
    assert p.rows[-1].number == N + 1
    assert p.rows[-1].text("full_name") == people[-1]["full_name"]
    assert p.rows[1234].date("appointed_or_elected_on") == people[1234]["appointed_or_elected_on"]
    assert elapsed < 30  # about 1 s on the project's machine; generous for CI


def test_ten_thousand_rows_with_errors_deep_inside(people: list[dict[str, object]]) -> None:
    nfd_name = unicodedata.normalize("NFD", str(people[4999]["full_name"]))
    bad = {
        (9_001, 5): "30/02/2020",  # F9001
        (7_777, 3): "",  # D7777: no agency
        (5_192, 1): nfd_name,  # B5192, same agency: row 5002's person again, decomposed
        (10_002, 2): "=C10001",  # C10002, the very last row: a formula
    }
    p = preview_officials(_big_xlsx(people, bad), "lon.xlsx")
    assert len(p.rows) == N
    assert [(e.code, e.ref) for e in p.errors] == [
        ("duplicate_person", "B5192"),
        ("required", "D7777"),
        ("bad_date", "F9001"),
        ("formula", "C10002"),
    ]
    assert "đã có ở dòng 5002," in p.errors[0].message_vi
    assert p.errors[0].sheet == "Danh sách"
    assert p.rows[5189].text("full_name") == people[4999]["full_name"]  # NFC again


def test_ten_thousand_rows_from_csv(people: list[dict[str, object]]) -> None:
    p = preview_officials(export_csv(OFFICIALS, people), "lon.csv")
    assert p.ok
    assert len(p.rows) == N
    rows = [HEADER, *([i, "Tạ Quang Huy", "", "Sở Y tế"] for i in range(N))]
    p = preview_officials(csv_bytes(rows, delimiter=";"), "lon.csv")
    assert (
        len(p.errors) == 2 * N - 1
    )  # every position missing; every row after the first a duplicate
    assert p.errors[0].ref == "C2"
    assert p.errors[-1].ref == f"C{N + 1}"
