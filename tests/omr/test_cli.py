"""``tinnhiem scan`` as a user runs it: separate processes, files, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.documents.conftest import small_record_json
from tests.omr.conftest import Batch, write_pdf

from tinnhiem.omr.synth import CLASSES, PLAIN, Mix

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines()]


def tinnhiem(*args: str) -> Run:
    env = {**os.environ, "PYTHONUTF8": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", *args],
        cwd=ROOT,
        capture_output=True,
        env=env,
        timeout=300,
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


@dataclass
class Room:
    """A counting room: the register, a record, a folder of scans, what each sheet is."""

    root: Path
    issued: Path
    record: Path
    scans: Path
    expected: dict[str, str]
    """File name → ``read``, or the reason code it must go to review with."""


@pytest.fixture(scope="module")
def room(small_batch: Batch, tmp_path_factory: pytest.TempPathFactory) -> Room:
    root = tmp_path_factory.mktemp("room")
    issued = root / "issued.json"
    issued.write_text(json.dumps(small_batch.issued, ensure_ascii=False), encoding="utf-8")
    record = root / "record.json"
    data = small_record_json()
    data["ballots"] = []
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    scans = root / "scans"
    scans.mkdir()
    expected: dict[str, str] = {}
    for i in range(4):
        sheet = small_batch.gen.ballot(i, CLASSES["moderate" if i % 2 else "clean"], PLAIN)[0]
        name = f"phieu-{i + 1}{sheet.suffix}"
        (scans / name).write_bytes(sheet.data)
        expected[name] = "read"
    struck = small_batch.gen.ballot(4, CLASSES["clean"], Mix(struck_name=1.0))[0]
    (scans / f"phieu-5{struck.suffix}").write_bytes(struck.data)
    expected[f"phieu-5{struck.suffix}"] = "name_struck"
    twice = small_batch.gen.ballot(5, CLASSES["clean"], PLAIN)[0]
    for name in (f"phieu-6{twice.suffix}", f"phieu-6-lai{twice.suffix}"):
        (scans / name).write_bytes(twice.data)
        expected[name] = "duplicate_sheet"
    (scans / "ghi-chu.txt").write_text("not a scan")
    return Room(root, issued, record, scans, expected)


def test_each_sheet_is_one_json_line(room: Room) -> None:
    run = tinnhiem("scan", str(room.scans), "--issued", str(room.issued), "--json", "--jobs", "2")
    assert run.code == 0, run.err
    lines = run.lines()
    assert [Path(line["file"]).name for line in lines] == sorted(room.expected, key=_natural)
    for line in lines:
        want = room.expected[Path(line["file"]).name]
        assert set(line) >= {"file", "serial", "page", "pages", "status", "reasons"}
        assert line["page"] == line["pages"] == 1
        if want == "read":
            assert line["status"] == "read"
            assert line["reasons"] == []
            ballot = line["ballot"]
            assert set(ballot) == {"marks", "crossed_out", "added_names", "other_writing", "issued"}
            assert ballot["issued"] is True
            assert ballot["crossed_out"] == []
            assert len(ballot["marks"]) >= 3
        else:
            assert line["status"] == "review"
            assert want in line["reasons"]
            assert "ballot" not in line
            assert "boxes" in line
            assert "flags" in line
    struck = next(line for line in lines if room.expected[Path(line["file"]).name] == "name_struck")
    assert [f["code"] for f in struck["flags"]] == ["name_struck"]
    assert "4 đọc được" in run.err
    assert "bỏ qua 1 tệp" in run.err


def _natural(name: str) -> list[Any]:
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def test_ballots_read_go_into_the_record_once(room: Room, tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_bytes(room.record.read_bytes())
    args = ("scan", str(room.scans), "--issued", str(room.issued), "--record", str(record))
    run = tinnhiem(*args, "--jobs", "1")
    assert run.code == 0, run.err
    assert "4 phiếu đưa vào hồ sơ" in run.out
    data = json.loads(record.read_text(encoding="utf-8"))
    assert len(data["ballots"]) == 4
    scanned = json.loads((tmp_path / "record.scanned.json").read_text(encoding="utf-8"))
    assert scanned["format"] == "tinnhiem.scanned-serials/1"
    assert len(scanned["serials"]) == 4
    tally = tinnhiem("tally", str(record), "--json")
    assert tally.code == 0, tally.err
    assert json.loads(tally.out)["ballots"]["collected"] == 4
    before = record.read_bytes()
    again = tinnhiem(*args, "--json", "--jobs", "1")
    assert again.code == 0
    statuses = {Path(x["file"]).name: x["reasons"] for x in again.lines()}
    assert all("already_counted" in statuses[n] for n, w in room.expected.items() if w == "read")
    assert record.read_bytes() == before, "nothing counted twice"


def test_the_table_speaks_english_on_request(room: Room) -> None:
    run = tinnhiem(
        "scan", str(room.scans), "--issued", str(room.issued), "--lang", "en", "--jobs", "1"
    )
    assert run.code == 0
    assert "a printed name may be struck through" in run.out
    assert "the same serial and page appear more than once" in run.out
    assert run.out.splitlines()[-1].startswith("7 sheets: 4 read, 3 to review")


def test_pdf_pages_are_sheets(room: Room, small_batch: Batch, tmp_path: Path) -> None:
    sheets = [small_batch.gen.ballot(i, CLASSES["clean"], PLAIN)[0] for i in (8, 9)]
    import cv2

    jpegs = [bytes(cv2.imencode(".jpg", s.image())[1].tobytes()) for s in sheets]
    write_pdf(tmp_path / "may-quet.pdf", jpegs)
    run = tinnhiem("scan", str(tmp_path / "may-quet.pdf"), "--issued", str(room.issued), "--json")
    assert run.code == 0, run.err
    lines = run.lines()
    assert [(x["file_page"], x["status"], x["serial"]) for x in lines] == [
        (1, "read", sheets[0].truth.serial),
        (2, "read", sheets[1].truth.serial),
    ]


def test_bad_input_is_one_line_and_status_2(room: Room, tmp_path: Path) -> None:
    issued = str(room.issued)
    assert_one_line_error(
        tinnhiem("scan", str(tmp_path / "nothing"), "--issued", issued), "không tìm thấy"
    )
    (tmp_path / "empty").mkdir()
    assert_one_line_error(
        tinnhiem("scan", str(tmp_path / "empty"), "--issued", issued), "không có ảnh phiếu"
    )
    assert_one_line_error(
        tinnhiem("scan", str(room.record), "--issued", issued, "--lang", "en"), "not an image"
    )
    bad = tmp_path / "issued.json"
    bad.write_text("{not json", encoding="utf-8")
    assert_one_line_error(tinnhiem("scan", str(room.scans), "--issued", str(bad)), "JSON")
    bad.write_text(json.dumps({"format": "x"}), encoding="utf-8")
    assert_one_line_error(tinnhiem("scan", str(room.scans), "--issued", str(bad)), "$.format")
    other = tmp_path / "other.json"
    data = small_record_json()
    data["id"] = "another-conference"
    other.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert_one_line_error(
        tinnhiem("scan", str(room.scans), "--issued", issued, "--record", str(other)),
        "không phải của hội nghị",
    )
    assert_one_line_error(
        tinnhiem("scan", str(room.scans), "--issued", str(tmp_path / "no.json")), "no.json"
    )


def test_the_cli_loads_no_image_library_until_asked() -> None:
    code = (
        "import sys, tinnhiem.cli.main as m; m.build_parser(); "
        "print(sorted(k for k in ('cv2', 'numpy', 'zxingcpp', 'pypdfium2', 'typst') "
        "if k in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
