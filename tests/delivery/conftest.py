"""Fixtures of the delivery tests: those of ``tests/web`` (one account per
role, a round, a conference at check-in, a confirmed result), and no worker
thread — the tests run the queue themselves with ``run_pending``."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _no_worker_thread(settings: Any) -> None:
    settings.TINNHIEM_JOB_WORKER = False
