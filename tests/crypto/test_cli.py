"""``python -m tinnhiem.crypto``: the offline verifier command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crypto.helpers import finished_archive, finished_archive_bytes
from tinnhiem.crypto.__main__ import main


def test_verifies_an_archive_with_minutes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive.json"
    archive.write_bytes(finished_archive_bytes())
    _, minutes = finished_archive()
    minutes_file = tmp_path / "minutes.json"
    data = {k: v for k, v in vars(minutes).items() if v not in (None, ())}
    minutes_file.write_text(json.dumps(data), encoding="utf-8")
    assert main([str(archive), "--minutes", str(minutes_file), "--workers", "1"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("VALID")
    assert main([str(archive), "--json", "--workers", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_reports_an_invalid_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive_doc, _ = finished_archive()
    archive_doc["entries"][3]["payload"]["answers"][0]["alpha"] = "00" * 32
    archive = tmp_path / "archive.json"
    archive.write_text(json.dumps(archive_doc), encoding="utf-8")
    assert main([str(archive), "--quiet", "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "NOT VALID" in out
    assert "INFO" not in out


def test_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    assert main([str(bad)]) == 2
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read input" in capsys.readouterr().err


def test_tinnhiem_verify_runs_the_same_checks_without_django(tmp_path: Path) -> None:
    import subprocess
    import sys

    archive = tmp_path / "archive.json"
    archive.write_bytes(finished_archive_bytes())
    code = (
        "import sys; from tinnhiem.cli.main import main; "
        f"rc = main(['verify', {str(archive)!r}, '--workers', '1', '--quiet']); "
        "assert 'django' not in sys.modules, 'the verifier must not load Django'; "
        "sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("VALID")
