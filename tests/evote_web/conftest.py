"""Fixtures of the electronic-voting tests: the web tests' accounts and conference
(fifteen summoned, the committee seated, check-in open) and an election whose key
ceremony and cards are made on "devices" simulated in this process."""

from __future__ import annotations

import django
import pytest

# ``pytest tests/evote_web`` imports this file before the root conftest's
# pytest_configure has set Django up; the models below need it now.
django.setup()

from tests.evote_web.helpers import Scenario, make_scenario  # noqa: E402
from tinnhiem.accounts.models import User  # noqa: E402
from tinnhiem.conferences.models import Conference, Voter  # noqa: E402


@pytest.fixture
def scenario(request: pytest.FixtureRequest, db: None) -> Scenario:
    """Ceremony done (3 trustees, 2 needed), 14 cards listed, 12 members present."""
    by: User = request.getfixturevalue("organiser")
    at: Conference = request.getfixturevalue("checkin_conference")
    summoned: list[Voter] = request.getfixturevalue("voters")
    return make_scenario(by, at, summoned, present=12, spare_cards=2)
