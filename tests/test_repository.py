"""Repository-level promises: generated docs in step, the README's two commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_regulation_profiles_doc_is_the_generated_one() -> None:
    generated = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", "profiles", "--markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (ROOT / "docs" / "regulation-profiles.md").read_text(encoding="utf-8")
    assert committed == generated, (
        "run: ./uv run tinnhiem profiles --markdown > docs/regulation-profiles.md"
    )


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert first_block is not None
    assert text.index("```sh") < text.index("\n##"), "the commands come before any section"
    commands = [line for line in first_block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1] == "./uv run pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci, ".ci/run must call the README's test command"


def test_no_tracked_file_names_a_machine_path() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(r"(^|[^A-Za-z0-9_.~])/(home|root|work|farm|mnt)/")
    offenders = []
    for name in files:
        path = ROOT / name
        if name.endswith(".lock") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders += [
            f"{name}:{i}" for i, line in enumerate(text.splitlines(), 1) if pattern.search(line)
        ]
    assert offenders == []
