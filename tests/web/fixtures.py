"""Fixtures of the web application's tests, loaded for every test folder by the
root ``conftest.py`` (``pytest_plugins``): one account per role, a vote round
with an agency and three officials, a conference ready for check-in, one in
counting, the same with twelve ballots typed in both passes, and confirmed.

Everything is built through the services, so every fixture also leaves a real
audit trail behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import django
import pytest

# The root conftest loads this plugin before its pytest_configure has set
# Django up; the models below need it now.
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from tests.web.builders import (  # noqa: E402
    add_voters,
    enter_both,
    make_agency,
    make_conference,
    make_officials,
    make_round,
    make_user,
    names,
    seat_committee,
    start_counting,
)
from tinnhiem.accounts.models import User  # noqa: E402
from tinnhiem.campaigns.models import Agency, Official, VoteRound  # noqa: E402
from tinnhiem.conferences.models import Conference, Supervisor, Voter  # noqa: E402
from tinnhiem.conferences.services import checkin_open  # noqa: E402
from tinnhiem.counting.models import ConfirmedResult  # noqa: E402
from tinnhiem.counting.services import results_confirm  # noqa: E402

# WhiteNoise warns on every request when a configured static root does not
# exist; in tests it is an empty directory.
if settings.STATIC_ROOT:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# One generator for every person of the fixtures, so that no summoned member
# shares a name with a person on the ballot (the committee rule compares names).
_PEOPLE = names(1, 3 + 15)
CANDIDATE_NAMES = _PEOPLE[:3]
VOTER_NAMES = _PEOPLE[3:]

SUMMONED = 15
PRESENT = 12
LEFT = 1

# Twelve ballots of the three-person ballot, one digit per person:
# 1 cao, 2 tín nhiệm, 3 thấp, 9 several boxes. Person 1 has 7 cao, 4 tín
# nhiệm, 1 thấp of 12 collected: 58,33 %, 33,33 %, 8,33 %.
BALLOTS: list[str | tuple[str, dict[str, object]]] = [
    "111",
    "112",
    "121",
    "113",
    "213",
    "223",
    "131",
    ("111", {"signed": True}),
    "212",
    "313",
    "221",
    "193",
]


@pytest.fixture
def organiser(db: None) -> User:
    return make_user("bantochuc", organiser=True, full_name="Chuyên viên Ban Tổ chức")


@pytest.fixture
def head_user(db: None) -> User:
    return make_user("truongban", full_name="Trưởng Ban kiểm phiếu")


@pytest.fixture
def clerk1(db: None) -> User:
    return make_user("thuky1", full_name="Thành viên nhập lượt 1")


@pytest.fixture
def clerk2(db: None) -> User:
    return make_user("thuky2", full_name="Thành viên nhập lượt 2")


@pytest.fixture
def member_user(db: None) -> User:
    """A committee member with no entry pass."""
    return make_user("thanhvien", full_name="Thành viên Ban kiểm phiếu")


@pytest.fixture
def supervisor_user(db: None) -> User:
    return make_user("giamsat", full_name="Giám sát viên")


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but with no role in any conference."""
    return make_user("nguoingoai", full_name="Cán bộ cơ quan khác")


@pytest.fixture
def vote_round(organiser: User) -> VoteRound:
    return make_round(organiser)


@pytest.fixture
def agency(organiser: User, vote_round: VoteRound) -> Agency:
    return make_agency(organiser, vote_round)


@pytest.fixture
def officials(organiser: User, agency: Agency) -> list[Official]:
    return make_officials(organiser, agency, CANDIDATE_NAMES)


@pytest.fixture
def conference(organiser: User, agency: Agency, officials: list[Official]) -> Conference:
    """In preparation, three persons on the ballot, nobody summoned yet."""
    return make_conference(organiser, agency, officials)


@pytest.fixture
def voters(organiser: User, conference: Conference) -> list[Voter]:
    return add_voters(organiser, conference, VOTER_NAMES)


@pytest.fixture
def checkin_conference(
    organiser: User,
    conference: Conference,
    voters: list[Voter],
    head_user: User,
    clerk1: User,
    clerk2: User,
    member_user: User,
    supervisor_user: User,
) -> Conference:
    """Fifteen summoned, the committee seated with accounts, check-in open."""
    seat_committee(
        organiser,
        conference,
        voters,
        head=head_user,
        clerk1=clerk1,
        clerk2=clerk2,
        member=member_user,
    )
    Supervisor.objects.create(conference=conference, user=supervisor_user)
    return checkin_open(acting_user=organiser, conference=conference)


@pytest.fixture
def counting_conference(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> Conference:
    """12 present at the vote, 1 gone before it, 2 never came; 12 ballots issued."""
    return start_counting(organiser, checkin_conference, voters, present=PRESENT, left=LEFT)


@pytest.fixture
def entered_conference(counting_conference: Conference, clerk1: User, clerk2: User) -> Conference:
    """Counting, with the twelve ballots of ``BALLOTS`` typed in both passes."""
    enter_both(counting_conference, clerk1, clerk2, BALLOTS)
    return counting_conference


@pytest.fixture
def confirmed(entered_conference: Conference, head_user: User) -> ConfirmedResult:
    return results_confirm(acting_user=head_user, conference=entered_conference)


@pytest.fixture
def client_for(client: Client) -> Callable[[User | None], Client]:
    """``client_for(user)``: the test client logged in as ``user`` (None: anonymous)."""

    def login(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
