"""The background worker that reads uploaded scans.

One daemon thread per server process
(:class:`tinnhiem.common.background.BackgroundThread`), started when a job is
queued (and when a page shows queued jobs, after a restart). It takes queued
jobs one at a time from the database
(:func:`tinnhiem.scanning.services.process_pending`), so the state survives a
reload, and a job whose thread died is shown as failed by
:func:`tinnhiem.scanning.services.mark_stale_jobs`, never as running for ever.
OpenCV runs on one thread: the web requests keep the other core.
"""

from __future__ import annotations

from tinnhiem.common.background import BackgroundThread


def _process_pending() -> int:
    from tinnhiem.scanning.services import process_pending

    return process_pending()


def _one_opencv_thread() -> None:
    import cv2

    cv2.setNumThreads(1)


_thread = BackgroundThread("tinnhiem-scan", _process_pending, setup=_one_opencv_thread)


def kick() -> None:
    """Make sure a worker thread runs (and looks again for queued jobs)."""
    _thread.wake()


def wait(timeout: float | None = None) -> bool:
    """Wait for the worker to finish (tests, benchmarks); True when it has."""
    return _thread.wait(timeout)
