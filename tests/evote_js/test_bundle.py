"""The committed bundle is exactly what ``web/evote-ballot`` builds, and fit to ship.

The rebuild needs node and npm (``npm ci`` fetches the pinned packages of
``package-lock.json`` when ``node_modules`` is not there); without npm the
test is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.evote_js.conftest import BUNDLE, PROJECT

NO_NPM = "node/npm not installed: cannot rebuild web/evote-ballot (apt-get install npm)"


def test_bundle_header_names_the_pinned_packages() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    lock = json.loads((PROJECT / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    for name in ("@noble/curves", "@noble/hashes"):
        version = packages[f"node_modules/{name}"]["version"]
        assert packages[""]["dependencies"][name] == version  # pinned exactly
        assert f"{name} {version} (MIT)" in text
    assert f"Built with esbuild {packages['node_modules/esbuild']['version']}." in text
    assert "Permission is hereby granted" in text  # the MIT licence text itself


def test_bundle_is_self_contained_and_needs_no_eval() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    for needle in ("eval(", "new Function", "Function(", "import(", "require(", "fetch("):
        assert needle not in text, needle
    assert "window.TinNhiemBallot = TinNhiemBallot" in text


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ``web/evote-ballot`` with its pinned packages installed."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip(NO_NPM)
    work = tmp_path_factory.mktemp("evote-ballot")
    for name in ("package.json", "package-lock.json", "build.mjs"):
        shutil.copy2(PROJECT / name, work / name)
    for folder in ("src", "test"):
        shutil.copytree(PROJECT / folder, work / folder)
    installed = PROJECT / "node_modules"
    if (installed / "esbuild").is_dir() and (installed / "@noble" / "curves").is_dir():
        (work / "node_modules").symlink_to(installed, target_is_directory=True)
    else:
        done = _run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], work)
        assert done.returncode == 0, done.stderr
    return work


def test_committed_bundle_equals_a_fresh_build(project_copy: Path) -> None:
    out = project_copy / "ballot.js"
    built = _run(["node", "build.mjs", "--out", str(out)], project_copy)
    assert built.returncode == 0, built.stderr
    assert out.read_bytes() == BUNDLE.read_bytes(), (
        "the committed bundle differs from a fresh build: run `npm ci && npm run build` "
        "in web/evote-ballot and commit src/tinnhiem/evote/static/evote/ballot.js"
    )


def test_node_known_answers(project_copy: Path) -> None:
    """The modules' own tests (``npm test``): hashes, ElGamal, proofs, credential, ballot."""
    vectors = str(PROJECT.parents[1] / "tests" / "crypto" / "vectors")
    done = _run(["node", "--test", "test/"], project_copy, {"TINNHIEM_VECTORS": vectors})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
    assert "# pass 7" in done.stdout
