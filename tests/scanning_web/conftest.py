"""Fixtures of the scanning pages: the web tests' conference in counting, with its
ballots printed (the register of issued serials), and sheets generated from them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django
import pytest

# ``pytest tests/scanning_web`` imports this file before the root conftest's
# pytest_configure has set Django up; the models below need it now.
django.setup()

from tests.scanning_web.sheets import Printed, print_ballots  # noqa: E402
from tinnhiem.conferences.models import Conference  # noqa: E402

BALLOTS = 12


@pytest.fixture(autouse=True)
def inline_worker(settings: Any) -> None:
    """Jobs run inside the request (the thread worker has its own test)."""
    settings.TINNHIEM_SCAN_WORKER = "inline"


@pytest.fixture
def printed(organiser: Any, counting_conference: Conference) -> Iterator[Printed]:
    p = print_ballots(organiser, counting_conference, BALLOTS)
    yield p
    p.gen.close()
