"""Fixtures of the delivery tests: those of ``tests/web`` (one account per
role, a round, a conference at check-in, a confirmed result), and no worker
thread — the tests run the queue themselves with ``run_pending``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import (  # noqa: F401 - fixtures
    agency,
    checkin_conference,
    clerk1,
    clerk2,
    client_for,
    conference,
    confirmed,
    counting_conference,
    entered_conference,
    head_user,
    member_user,
    officials,
    organiser,
    outsider,
    supervisor_user,
    vote_round,
    voters,
)


@pytest.fixture(autouse=True)
def _no_worker_thread(settings: Any) -> None:
    settings.TINNHIEM_JOB_WORKER = False
