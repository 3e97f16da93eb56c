"""The proof-checking processes of a server (``tinnhiem.crypto.workers``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

SERVER = """
import sys
from tinnhiem.crypto.workers import ProofWorkers

if __name__ == "__main__":
    workers = ProofWorkers(2)
    workers.start()
    print(" ".join(str(p) for p in workers._executor()._processes), flush=True)
    sys.stdin.read()
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform != "linux", reason="process checks as Linux does them")
def test_workers_end_when_their_server_is_killed(tmp_path: object) -> None:
    """A server killed outright runs no exit handler: its workers must not wait
    for work forever."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        pids = [int(p) for p in server.stdout.readline().split()]
        assert len(pids) == 2
        assert all(alive(p) for p in pids)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [p for p in pids if alive(p)]
        for p in left:
            os.kill(p, signal.SIGKILL)
        assert not left, "workers outlived their server"
    finally:
        if server.poll() is None:
            server.kill()
