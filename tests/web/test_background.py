"""The worker thread of the web process (``tinnhiem.common.background``), which
reads scans and builds documents."""

from __future__ import annotations

import threading

import pytest

from tinnhiem.common.background import BackgroundThread


def test_it_works_while_there_is_work_then_ends() -> None:
    queue = [3, 2, 1]
    done: list[int] = []
    checks: list[str] = []

    def work() -> int:
        if not queue:
            return 0
        done.append(queue.pop())
        return 1

    worker = BackgroundThread("test-worker", work, every=(60.0, lambda: checks.append("r")))
    worker.wake()
    assert worker.wait(10)
    assert done == [1, 2, 3]
    assert checks == ["r"]  # the periodic task runs when the thread starts
    queue.append(4)
    worker.wake()  # a new thread for new work
    assert worker.wait(10)
    assert done == [1, 2, 3, 4]


def test_a_wake_during_work_makes_it_look_again() -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        if len(calls) == 1:
            started.set()
            release.wait(10)
        return 0

    worker = BackgroundThread("test-worker", work)
    worker.wake()
    assert started.wait(10)
    worker.wake()  # while the first look is under way
    release.set()
    assert worker.wait(10)
    assert len(calls) == 2


def test_an_error_is_logged_and_the_next_wake_starts_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outcomes: list[object] = [RuntimeError("disk full"), 0]

    def work() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return 0

    worker = BackgroundThread("test-worker", work)
    with caplog.at_level("ERROR"):
        worker.wake()
        assert worker.wait(10)
    assert "test-worker stopped" in caplog.text
    worker.wake()
    assert worker.wait(10)
    assert outcomes == []
