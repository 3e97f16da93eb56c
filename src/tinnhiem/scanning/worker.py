"""The background worker that reads uploaded scans.

One daemon thread per server process, started when a job is queued (and when
a page shows queued jobs, after a restart). It takes queued jobs one at a
time from the database (:func:`tinnhiem.scanning.services.process_pending`),
so the state survives a reload, and a job whose thread died is shown as
failed by :func:`tinnhiem.scanning.services.mark_stale_jobs`, never as
running for ever. OpenCV runs on one thread: the web requests keep the
other core.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection

log = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_again = threading.Event()


def _run() -> None:
    from tinnhiem.scanning.services import process_pending

    try:
        import cv2

        cv2.setNumThreads(1)
        while True:
            _again.clear()
            process_pending()
            if not _again.is_set():
                break
    except Exception:  # pragma: no cover - process_pending records its own failures
        log.exception("scan worker stopped")
    finally:
        connection.close()


def kick() -> None:
    """Make sure a worker thread runs (and looks again for queued jobs)."""
    global _thread
    with _lock:
        _again.set()
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_run, name="tinnhiem-scan", daemon=True)
        _thread.start()


def wait(timeout: float | None = None) -> bool:
    """Wait for the worker to finish (tests, benchmarks); True when it has."""
    t = _thread
    if t is None:
        return True
    t.join(timeout)
    return not t.is_alive()
