"""Build rounds, conferences and ballots through the services, as a clerk would.

Every person is invented (``tinnhiem.demo.names``). The fixtures of
``conftest.py`` use these functions; tests that need other sizes call them
directly (the query caps build a 50-person ballot, for instance).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.campaigns.services import agency_create, block_create, official_create, round_create
from tinnhiem.conferences.models import Attendance, CommitteeRole, Conference, Voter
from tinnhiem.conferences.services import (
    candidacy_add,
    checkin_open,
    committee_member_add,
    conference_create,
    voter_add,
    voter_set_attendance,
    voting_close,
    voting_open,
)
from tinnhiem.counting.models import BallotEntry
from tinnhiem.counting.services import entry_save
from tinnhiem.demo.names import NameGenerator

VOTE_YEAR = 2023
ROUND_ISSUED_ON = date(2023, 4, 20)
CONFERENCE_DAY = date(2023, 6, 27)
APPOINTED_LONG_AGO = date(2019, 3, 1)
APPOINTED_THIS_YEAR = date(2023, 3, 15)

POSITIONS = ("Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Phó Trưởng phòng")


def make_user(username: str, *, organiser: bool = False, full_name: str = "") -> User:
    """An account without a password: tests log in with ``force_login``."""
    user = User(username=username, full_name=full_name or username, is_organiser=organiser)
    user.set_unusable_password()
    user.save()
    return user


def make_round(
    organiser: User,
    *,
    number: str = "99-KH/TU",
    profile_id: str = "qd96-2023",
    overrides: dict[str, Any] | None = None,
) -> VoteRound:
    return round_create(
        acting_user=organiser,
        number=number,
        title="Lấy phiếu tín nhiệm đối với cán bộ lãnh đạo, quản lý năm 2023 (thử nghiệm)",
        issuing_body="Ban Thường vụ Tỉnh ủy",
        issued_on=ROUND_ISSUED_ON,
        vote_year=VOTE_YEAR,
        profile_id=profile_id,
        parameter_overrides=overrides,
    )


def make_agency(
    organiser: User,
    vote_round: VoteRound,
    *,
    name: str = "Sở Tư pháp",
    block_name: str = "Khối chính quyền",
) -> Agency:
    block = vote_round.blocks.filter(name=block_name).first() or block_create(
        acting_user=organiser, vote_round=vote_round, name=block_name, order=1
    )
    return agency_create(acting_user=organiser, block=block, name=name)


def make_officials(
    organiser: User,
    agency: Agency,
    names: Iterable[str],
    *,
    appointed_on: date = APPOINTED_LONG_AGO,
) -> list[Official]:
    return [
        official_create(
            acting_user=organiser,
            agency=agency,
            full_name=name,
            position=POSITIONS[i % len(POSITIONS)],
            appointed_or_elected_on=appointed_on,
        )
        for i, name in enumerate(names)
    ]


def make_conference(
    organiser: User,
    agency: Agency,
    officials: Sequence[Official] = (),
    *,
    title: str = "Hội nghị lấy phiếu tín nhiệm (thử nghiệm)",
    place_kind: str = "workplace",
    kind: str = "poll",
    day: date = CONFERENCE_DAY,
) -> Conference:
    """A conference in preparation with ``officials`` on the ballot, in order."""
    conference = conference_create(
        acting_user=organiser,
        vote_round=agency.round,
        agency=agency,
        title=title,
        date=day,
        kind=kind,
        place_kind=place_kind,
    )
    for official in officials:
        candidacy_add(acting_user=organiser, conference=conference, official=official)
    return conference


def add_voters(organiser: User, conference: Conference, names: Iterable[str]) -> list[Voter]:
    return [
        voter_add(
            acting_user=organiser,
            conference=conference,
            full_name=name,
            position=POSITIONS[i % len(POSITIONS)],
        )
        for i, name in enumerate(names)
    ]


def seat_committee(
    organiser: User,
    conference: Conference,
    voters: Sequence[Voter],
    *,
    head: User,
    clerk1: User,
    clerk2: User,
    member: User | None = None,
) -> None:
    """Ban kiểm phiếu from the first summoned members: the head, the two clerks
    (pass 1 and pass 2) and optionally a member without a pass."""
    seats: list[tuple[str, User, int | None]] = [
        (CommitteeRole.HEAD, head, None),
        (CommitteeRole.MEMBER, clerk1, 1),
        (CommitteeRole.MEMBER, clerk2, 2),
    ]
    if member is not None:
        seats.append((CommitteeRole.MEMBER, member, None))
    for voter, (role, user, entry_pass) in zip(voters, seats, strict=False):
        committee_member_add(
            acting_user=organiser,
            conference=conference,
            voter=voter,
            role=role,
            user=user,
            entry_pass=entry_pass,
        )


def mark(organiser: User, voters: Iterable[Voter], attendance: str) -> None:
    for voter in voters:
        voter_set_attendance(acting_user=organiser, voter=voter, attendance=attendance)


def start_counting(
    organiser: User,
    conference: Conference,
    voters: Sequence[Voter],
    *,
    present: int,
    left: int = 0,
    ballots_issued: int | None = None,
) -> Conference:
    """Check-in → balloting → counting: the first ``present + left`` members
    arrive, the last ``left`` of them leave before the vote."""
    if conference.status == "preparing":
        checkin_open(acting_user=organiser, conference=conference)
    arrived = list(voters[: present + left])
    mark(organiser, arrived, Attendance.PRESENT)
    mark(organiser, arrived[present:], Attendance.LEFT)
    conference = voting_open(
        acting_user=organiser,
        conference=conference,
        ballots_issued=present if ballots_issued is None else ballots_issued,
    )
    return voting_close(acting_user=organiser, conference=conference)


def enter(
    user: User,
    conference: Conference,
    entry_pass: int,
    number: int,
    digits: str,
    *,
    expected_version: int | None = None,
    **flags: Any,
) -> BallotEntry:
    """One ballot typed by one clerk: digits plus the whole-ballot toggles."""
    return entry_save(
        acting_user=user,
        conference=conference,
        entry_pass=entry_pass,
        number=number,
        payload={"digits": digits, **flags},
        expected_version=expected_version,
    )


def enter_both(
    conference: Conference,
    clerk1: User,
    clerk2: User,
    ballots: Sequence[str | tuple[str, dict[str, Any]]],
    *,
    first_number: int = 1,
) -> None:
    """Type the same ballots in both passes (numbers from ``first_number``).

    A ballot is its digits, or (digits, toggles)."""
    for number, ballot in enumerate(ballots, start=first_number):
        digits, flags = (ballot, {}) if isinstance(ballot, str) else ballot
        enter(clerk1, conference, 1, number, digits, **flags)
        enter(clerk2, conference, 2, number, digits, **flags)


def names(seed: int, count: int) -> list[str]:
    """``count`` invented names, unique among themselves."""
    return NameGenerator(seed).names(count)


def build_counting_conference(
    *,
    organiser: User,
    head: User,
    clerk1: User,
    clerk2: User,
    agency: Agency,
    candidates: int,
    summoned: int,
    present: int,
    kind: str = "poll",
    seed: int = 2,
    title: str = "Hội nghị lấy phiếu tín nhiệm (thử nghiệm)",
) -> Conference:
    """A whole conference up to counting: new officials on the ballot, summoned
    members, the committee, check-in and the vote (``present`` ballots issued)."""
    people = names(seed, candidates + summoned)
    officials = make_officials(organiser, agency, people[:candidates])
    conference = make_conference(organiser, agency, officials, title=title, kind=kind)
    voters = add_voters(organiser, conference, people[candidates:])
    seat_committee(organiser, conference, voters, head=head, clerk1=clerk1, clerk2=clerk2)
    return start_counting(organiser, conference, voters, present=present)
