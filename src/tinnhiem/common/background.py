"""A worker thread in the web process, for work queued in the database.

Reading scans (``tinnhiem.scanning.worker``) and building large documents
(``tinnhiem.delivery.runner``) need no extra daemon (decisions 0015 and
0018): the work is a row in the database, claimed atomically, so a thread of
whichever server process is told about it may do it, and a restarted process
finds it again. :class:`BackgroundThread` is that thread, once: started on
demand by :meth:`~BackgroundThread.wake`, it runs ``work`` (which does what
is queued and returns how much it did) until there is none, waits
``poll_seconds`` between looks, runs ``every`` on its own period (recovery of
jobs a dead process left running), and ends after ``idle_seconds`` without
work unless it was woken meanwhile. It never dies silently: an error is
logged and the next :meth:`~BackgroundThread.wake` starts a new thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


class BackgroundThread:
    """One daemon thread per process that does queued work while there is some."""

    def __init__(
        self,
        name: str,
        work: Callable[[], int],
        *,
        idle_seconds: float = 0.0,
        poll_seconds: float = 2.0,
        every: tuple[float, Callable[[], object]] | None = None,
        setup: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self._work = work
        self._idle_seconds = idle_seconds
        self._poll_seconds = poll_seconds
        self._every = every
        self._setup = setup
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Make sure the thread runs, and tell it there is work."""
        with self._lock:
            self._wake.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the thread has ended (tests, benchmarks); True when it has."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _loop(self) -> None:
        idle_since = time.monotonic()
        periodic_at: float | None = None
        try:
            if self._setup is not None:
                self._setup()
            while True:
                close_old_connections()
                if self._every is not None and (
                    periodic_at is None or time.monotonic() - periodic_at > self._every[0]
                ):
                    self._every[1]()
                    periodic_at = time.monotonic()
                self._wake.clear()
                if self._work():
                    idle_since = time.monotonic()
                    continue
                if time.monotonic() - idle_since >= self._idle_seconds:
                    with self._lock:
                        if not self._wake.is_set():
                            self._thread = None
                            return
                    continue  # woken while it was about to end: look again
                self._wake.wait(self._poll_seconds)
        except Exception:  # the thread must never die silently with work queued
            logger.exception("%s stopped", self.name)
            with self._lock:
                self._thread = None
        finally:
            connection.close()
