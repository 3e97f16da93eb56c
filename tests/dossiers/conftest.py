"""Fixtures of the timeline and dossier tests: a round under 96-QĐ/TW with one
conference on ``VOTE_DAY`` and three invented persons on its ballot, accounts
for each role, all built through the services."""

from __future__ import annotations

from collections.abc import Callable

import django
import pytest

# ``pytest tests/dossiers`` imports this file before the root conftest's
# pytest_configure has set Django up; the models below need it now.
django.setup()

from django.test import Client  # noqa: E402

from tests.web.builders import (  # noqa: E402
    CONFERENCE_DAY,
    make_conference,
    make_officials,
    names,
)
from tinnhiem.accounts.models import User  # noqa: E402
from tinnhiem.campaigns.models import Agency, Official  # noqa: E402
from tinnhiem.conferences.models import CommitteeRole, Conference, Supervisor  # noqa: E402
from tinnhiem.conferences.services import committee_member_add, voter_add  # noqa: E402

VOTE_DAY = CONFERENCE_DAY
"""27/06/2023: the day D of the scenarios."""

PEOPLE = names(33, 6)

# The accounts, the round and its agency are the web tests' fixtures
# (tests/web/fixtures.py); this folder's officials and conference differ.


@pytest.fixture
def officials(organiser: User, agency: Agency) -> list[Official]:
    return make_officials(organiser, agency, PEOPLE[:3])


@pytest.fixture
def conference(
    organiser: User,
    agency: Agency,
    officials: list[Official],
    supervisor_user: User,
    member_user: User,
) -> Conference:
    """In preparation on ``VOTE_DAY``, three persons on the ballot, a supervisor
    and one committee member with an account."""
    conference = make_conference(organiser, agency, officials, day=VOTE_DAY)
    Supervisor.objects.create(conference=conference, user=supervisor_user)
    voter = voter_add(acting_user=organiser, conference=conference, full_name=PEOPLE[3])
    committee_member_add(
        acting_user=organiser,
        conference=conference,
        voter=voter,
        role=CommitteeRole.MEMBER,
        user=member_user,
    )
    return conference


@pytest.fixture
def client_for(client: Client) -> Callable[[User | None], Client]:
    """``client_for(user)``: the test client logged in as ``user`` (None: anonymous)."""

    def login(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
