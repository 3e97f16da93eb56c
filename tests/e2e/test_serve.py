"""``tinnhiem serve``: gunicorn with several worker processes over one database.

The demo's electronic ballot box is served by two worker processes; voters
cast over HTTP as their tablets do (first the body, then the signed ballot),
so that each process in turn finds the board moved on by the other and must
catch up. Every ballot is accepted once, a replay is refused, the audit
chain verifies, and no log line names a voter's address.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.conftest import free_port, run_cli, start_server
from tinnhiem.crypto.ballot import encrypt_ballot, sign_ballot
from tinnhiem.crypto.credentials import credential_keypair
from tinnhiem.crypto.election import Election
from tinnhiem.crypto.randomness import SeededRandom


def post(url: str, data: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def test_two_worker_processes_share_one_ballot_box(tmp_path: Path) -> None:
    data_dir = tmp_path / "serve"
    data_dir.mkdir()
    loaded = run_cli(["demo", "--no-serve"], data_dir=data_dir)
    assert loaded.returncode == 0, loaded.stderr
    found = re.search(r"bo-phieu-dien-tu/([A-Za-z0-9_-]+)/", loaded.stdout)
    assert found, loaded.stdout
    uuid = found.group(1)
    cards = (data_dir / "demo-evote" / "the-chua-dung.txt").read_text().split()
    assert len(cards) >= 8

    port = free_port()
    command = [sys.executable, "-m", "tinnhiem.cli.main", "serve", "--bind", f"127.0.0.1:{port}"]
    server = start_server(
        [*command, "--workers", "2", "--threads", "2"], data_dir=data_dir, port=port
    )
    try:
        base = f"{server.url}/bo-phieu-dien-tu/{uuid}"
        core = Election.from_json(get(f"{base}/cuoc-bo-phieu.json")["election"])
        rng = SeededRandom(b"serve")
        signed = []
        for i, card in enumerate(cards[:8]):
            keys = credential_keypair(core.uuid, card)
            choices = [core.levels[(i + p) % len(core.levels)] for p in range(len(core.persons))]
            body, _ = encrypt_ballot(core, keys.public, choices, rng)
            ballot = sign_ballot(core, body, keys.secret, rng)
            if i % 2 == 0:  # half as the page does, half without the first step
                status, answer = post(f"{base}/chuan-bi.json", body.to_json())
                assert (status, answer["tracker"]) == (200, body.tracker()), answer
            status, answer = post(f"{base}/bo-phieu.json", ballot.to_json())
            assert status == 200, answer
            assert answer["tracker"] == ballot.tracker()
            signed.append(ballot)
        status, answer = post(f"{base}/bo-phieu.json", signed[3].to_json())
        assert (status, answer["code"]) == (400, "duplicate_ballot")
        hall = get(f"{base}/man-hinh.json")
        assert (hall["voters"], hall["ballots"]) == (38, 38)
        pids = subprocess.run(
            ["pgrep", "-f", f"serve --bind 127.0.0.1:{port}"], capture_output=True, text=True
        ).stdout.split()
        assert len(pids) >= 3  # the master and two workers
    finally:
        server.stop()
    archive = run_cli(["audit", "verify"], data_dir=data_dir)
    assert archive.returncode == 0, archive.stdout + archive.stderr
    server.assert_no_tracebacks()
    # No access log: no line puts an address next to a cast (Django's warning
    # for the refused replay names the path only).
    for line in server.log_text().splitlines()[1:]:
        assert not re.search(r"\d+\.\d+\.\d+\.\d+", line), line
        assert "POST" not in line, line


def test_bad_arguments_are_refused_in_vietnamese(tmp_path: Path) -> None:
    done = run_cli(["serve", "--workers", "0"], data_dir=tmp_path)
    assert done.returncode != 0
    assert "--workers" in done.stderr
    assert "Traceback" not in done.stderr
