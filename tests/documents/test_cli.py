"""The document commands as a user runs them: separate processes, files, exit statuses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document

from tests.documents._helpers import page_count, pypdf_pages, squash
from tests.documents.conftest import small_record_json
from tinnhiem.demo import DemoRound
from tinnhiem.documents import build_statistics, round_outcomes, statistics_to_json
from tinnhiem.record import record_to_json

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def tinnhiem(*args: str, cwd: Path = ROOT) -> Run:
    env = {**os.environ, "PYTHONUTF8": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def assert_one_line_error(run: Run, *fragments: str) -> None:
    assert run.code == 2, run
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def record_file(tmp_path: Path) -> Path:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(small_record_json(), ensure_ascii=False), encoding="utf-8")
    return path


def test_ballots_command(record_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = tinnhiem(
        "ballots", str(record_file), "--count", "4", "--out", str(out), "--place", "Hà Giang"
    )
    assert run.code == 0, run.err
    issued = json.loads((out / "issued.json").read_text(encoding="utf-8"))
    pdf = (out / "ballots.pdf").read_bytes()
    assert issued["count"] == 4
    assert len(set(issued["serials"])) == 4
    assert page_count(pdf) == 4 * issued["layout"]["pages_per_ballot"]
    text = squash(" ".join(pypdf_pages(pdf)))
    for serial in issued["serials"]:
        assert f"Mã phiếu: {serial}" in text
    assert "Hà Giang, ngày 05 tháng 02 năm 2024" in text
    again = tinnhiem("ballots", str(record_file), "--count", "4", "--out", str(out))
    assert_one_line_error(again, "ballots.pdf", "không được ghi đè")
    assert json.loads((out / "issued.json").read_text(encoding="utf-8")) == issued, "untouched"
    forced = tinnhiem("ballots", str(record_file), "--count", "1", "--out", str(out), "--force")
    assert forced.code == 0


def test_report_command_pdf_and_docx(record_file: Path, tmp_path: Path) -> None:
    pdf_path, docx_path = tmp_path / "r.pdf", tmp_path / "r.docx"
    run = tinnhiem(
        "report",
        str(record_file),
        "--format",
        "pdf",
        "-o",
        str(pdf_path),
        "--number",
        "5",
        "--place",
        "Hà Giang",
    )
    assert run.code == 0, run.err
    text = squash(" ".join(pypdf_pages(pdf_path.read_bytes())))
    assert "Số: 05/BC-BKP" in text
    assert "Hà Giang, ngày 05 tháng 02 năm 2024" in text
    assert "Bản số: 03/03" in text
    meta = tmp_path / "meta.json"
    meta.write_text(
        json.dumps({"chair": "Võ Thị Ỷ", "start": "08:30", "committee_members": ["Lê Văn Ấn"]}),
        encoding="utf-8",
    )
    run = tinnhiem(
        "report",
        str(record_file),
        "-o",
        str(docx_path),
        "--party",
        "--minutes",
        "--meta",
        str(meta),
        "--copies",
        "1",
        "--classification",
        "none",
    )
    assert run.code == 0, run.err
    doc = Document(io.BytesIO(docx_path.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert "BIÊN BẢN KIỂM PHIẾU" in texts
    assert "Bản số: 01/01" in texts
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in doc.tables[0].rows[0].cells[1].text
    assert all(t.text != "MẬT" for t in doc.tables[1].rows[0].cells)


def test_personal_command(record_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.docx"
    run = tinnhiem("personal", str(record_file), "--candidate", "5", "-o", str(out))
    assert run.code == 0, run.err
    texts = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert "- Tôi là (ghi rõ họ và tên): Đặng Thị Ngọc Ánh" in texts
    bad = tinnhiem("personal", str(record_file), "--candidate", "42", "-o", str(out))
    assert_one_line_error(bad, "42")


def test_stats_command(demo_round: DemoRound, tmp_path: Path) -> None:
    files = []
    for record in demo_round.records:
        path = tmp_path / f"{record.id}.json"
        path.write_text(json.dumps(record_to_json(record), ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    totals = [f"--agencies-total={b}={n}" for b, n in demo_round.agencies_total_by_block().items()]
    xlsx, pdf = tmp_path / "s.xlsx", tmp_path / "s.pdf"
    run = tinnhiem("stats", *files, *totals, "--json", "--xlsx", str(xlsx), "--pdf", str(pdf))
    assert run.code == 0, run.err
    got = json.loads(run.out)
    outcomes = round_outcomes((r.id or "", r) for r in demo_round.records)
    expected = statistics_to_json(
        build_statistics(outcomes, agencies_total=demo_round.agencies_total_by_block())
    )
    assert got == expected
    assert got["overall"]["classes"][0]["percent"] == "92,95%"
    assert xlsx.stat().st_size > 0
    assert "92,95%" in squash(" ".join(pypdf_pages(pdf.read_bytes())))
    summary = tinnhiem("stats", *files[:3])
    assert summary.code == 0
    assert "Tín nhiệm cao: tổng số" in summary.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ballots", "missing.json", "--count", "2", "--out", "x"], "không tìm thấy tệp"),
        (["report", "missing.json", "-o", "x.pdf"], "không tìm thấy tệp"),
        (["personal", "missing.json", "--candidate", "1", "-o", "x.docx"], "không tìm thấy"),
        (["stats", "missing.json"], "không tìm thấy tệp"),
    ],
)
def test_missing_files_give_one_line(args: list[str], fragment: str, tmp_path: Path) -> None:
    assert_one_line_error(tinnhiem(*args, cwd=tmp_path), fragment)


def test_bad_inputs_give_one_line(record_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "tinnhiem.conference-record/1", "profile": "x"}', "utf-8")
    assert_one_line_error(
        tinnhiem("report", str(broken), "-o", str(tmp_path / "r.pdf")), "$.profile"
    )
    assert_one_line_error(
        tinnhiem("report", str(record_file), "-o", str(tmp_path / "r.txt")), "--format"
    )
    meta = tmp_path / "meta.json"
    meta.write_text('{"chairman": "x"}', encoding="utf-8")
    assert_one_line_error(
        tinnhiem("report", str(record_file), "-o", str(tmp_path / "r.pdf"), "--meta", str(meta)),
        "$.chairman",
    )
    assert_one_line_error(
        tinnhiem("report", str(record_file), "-o", str(tmp_path / "r.pdf"), "--copy", "4"),
        "bản số 4",
    )
    assert_one_line_error(
        tinnhiem("stats", str(record_file), "--agencies-total", "nope"), "KHỐI=SỐ"
    )
    assert_one_line_error(
        tinnhiem("stats", str(record_file), "--agencies-total", "Khối lạ=3"), "Khối lạ"
    )
    assert_one_line_error(
        tinnhiem("report", str(record_file), "-o", str(tmp_path / "no" / "dir" / "r.pdf")),
        "không ghi được",
    )
    assert_one_line_error(
        tinnhiem("report", str(record_file), "-o", str(tmp_path / "r.pdf"), "--param", "x=1"),
        "x",
    )


def test_the_cli_loads_no_document_library_until_asked() -> None:
    code = (
        "import sys, tinnhiem.cli.main as m; m.build_parser(); "
        "print(sorted(k for k in ('typst', 'docx', 'openpyxl', 'segno', 'django') "
        "if k in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
