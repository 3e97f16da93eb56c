"""Query caps: no page does a query per person, per summoned member or per
ballot. Each page is opened for a small conference (5 persons, 8 summoned, 6
ballots) and a realistic one (50 persons, 60 summoned, 60 ballots in both
passes, every tenth in dispute); both must cost the same number of queries,
and no more than the page's cap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tests.web.builders import (
    add_voters,
    build_counting_conference,
    enter,
    make_agency,
    make_conference,
    make_round,
    mark,
    names,
    seat_committee,
)
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Official, VoteRound
from tinnhiem.conferences.models import Attendance, Conference, Supervisor
from tinnhiem.conferences.services import candidacy_add, checkin_open
from tinnhiem.counting.selectors import reconcile
from tinnhiem.counting.services import resolution_save, result_amend, results_confirm

MaxQueries = DjangoAssertNumQueries

# Each page's cap: what it costs today (session, user, the page's own reads,
# the audit entry of a confidential read, the user's grants in the round) with
# a little room to grow.
CAPS = {
    "round": 15,
    "round_results": 19,  # + the audit entry of the read, the 4-query fingerprint
    "detail": 16,
    "checkin": 11,
    "entry": 11,
    "reconcile": 11,
    "results": 17,
    "entry_log": 9,
    "my_work": 5,
}


@dataclass
class Sized:
    vote_round: VoteRound
    counting: Conference
    """In counting: every ballot typed twice, every tenth differently."""
    checkin: Conference
    """The same persons on a second ballot, check-in open, three quarters present."""
    preparing: Conference
    """A third conference with an empty ballot: its page lists every official."""


def _build(
    n: int,
    summoned: int,
    ballots: int,
    *,
    seed: int,
    organiser: User,
    head: User,
    clerk1: User,
    clerk2: User,
    supervisor: User,
) -> Sized:
    vote_round = make_round(organiser, number=f"{n}-KH/TU")
    agency = make_agency(organiser, vote_round)
    counting = build_counting_conference(
        organiser=organiser,
        head=head,
        clerk1=clerk1,
        clerk2=clerk2,
        agency=agency,
        candidates=n,
        summoned=summoned,
        present=summoned * 3 // 4,
        seed=seed,
    )
    for number in range(1, ballots + 1):
        digits = "".join("123"[(number + i) % 3] for i in range(n))
        enter(clerk1, counting, 1, number, digits)
        enter(clerk2, counting, 2, number, digits if number % 10 else "0" * n)

    checkin = make_conference(organiser, agency, title="Hội nghị thứ hai")
    for official in Official.objects.filter(round=vote_round):
        candidacy_add(acting_user=organiser, conference=checkin, official=official)
    voters = add_voters(organiser, checkin, names(seed + 1, summoned))
    seat_committee(organiser, checkin, voters, head=head, clerk1=clerk1, clerk2=clerk2)
    checkin_open(acting_user=organiser, conference=checkin)
    mark(organiser, voters[: summoned * 3 // 4], Attendance.PRESENT)
    mark(organiser, voters[:2], Attendance.LEFT)

    preparing = make_conference(organiser, agency, title="Hội nghị thứ ba")
    for conference in (counting, checkin, preparing):
        Supervisor.objects.create(conference=conference, user=supervisor)
    return Sized(vote_round, counting, checkin, preparing)


@pytest.fixture
def sizes(
    organiser: User, head_user: User, clerk1: User, clerk2: User, supervisor_user: User
) -> dict[str, Sized]:
    users = {
        "organiser": organiser,
        "head": head_user,
        "clerk1": clerk1,
        "clerk2": clerk2,
        "supervisor": supervisor_user,
    }
    return {
        "small": _build(5, 8, 6, seed=101, **users),
        "large": _build(50, 60, 60, seed=202, **users),
    }


def _queries(
    client: Client,
    user: User,
    url_of: Callable[[Sized], str],
    sizes: dict[str, Sized],
    cap: int,
    max_queries: MaxQueries,
) -> dict[str, int]:
    """Open the page for both sizes as ``user``: the number of queries of each."""
    client.force_login(user)
    counts = {}
    for size, sized in sizes.items():
        with max_queries(cap), CaptureQueriesContext(connection) as ctx:
            response = client.get(url_of(sized))
        assert response.status_code == 200, (size, url_of(sized))
        counts[size] = len(ctx.captured_queries)
    return counts


def test_the_setup_pages_cost_the_same_for_5_or_50_persons_and_8_or_60_members(
    sizes: dict[str, Sized],
    organiser: User,
    supervisor_user: User,
    client: Client,
    django_assert_max_num_queries: MaxQueries,
) -> None:
    large = sizes["large"]
    assert large.counting.candidacies.count() == 50
    assert large.checkin.voters.count() == 60
    q = django_assert_max_num_queries
    pages: list[tuple[User, str, Callable[[Sized], str]]] = [
        (organiser, "round", lambda s: reverse("campaigns:round", args=[s.vote_round.pk])),
        (supervisor_user, "round", lambda s: reverse("campaigns:round", args=[s.vote_round.pk])),
        (organiser, "detail", lambda s: reverse("conferences:detail", args=[s.preparing.pk])),
        (organiser, "detail", lambda s: reverse("conferences:detail", args=[s.checkin.pk])),
        (supervisor_user, "detail", lambda s: reverse("conferences:detail", args=[s.counting.pk])),
        (organiser, "checkin", lambda s: reverse("conferences:checkin", args=[s.checkin.pk])),
        (supervisor_user, "checkin", lambda s: reverse("conferences:checkin", args=[s.checkin.pk])),
    ]
    for user, page, url_of in pages:
        counts = _queries(client, user, url_of, sizes, CAPS[page], q)
        assert counts["small"] == counts["large"], (user.username, page, counts)


def test_the_counting_pages_cost_the_same_for_6_or_60_ballots_in_both_passes(
    sizes: dict[str, Sized],
    clerk1: User,
    clerk2: User,
    head_user: User,
    supervisor_user: User,
    client: Client,
    django_assert_max_num_queries: MaxQueries,
) -> None:
    assert len(reconcile(sizes["large"].counting).disagreements) == 6
    q = django_assert_max_num_queries
    pages: list[tuple[User, str, Callable[[Sized], str]]] = [
        (clerk1, "entry", lambda s: reverse("counting:entry", args=[s.counting.pk, 1])),
        (clerk2, "entry", lambda s: reverse("counting:entry", args=[s.counting.pk, 2])),
        (head_user, "reconcile", lambda s: reverse("counting:reconcile", args=[s.counting.pk])),
        (clerk1, "reconcile", lambda s: reverse("counting:reconcile", args=[s.counting.pk])),
        (head_user, "results", lambda s: reverse("counting:results", args=[s.counting.pk])),
        (head_user, "entry_log", lambda s: reverse("counting:entry_log", args=[s.counting.pk])),
        (clerk1, "my_work", lambda s: reverse("counting:my_work")),
    ]
    for user, page, url_of in pages:
        counts = _queries(client, user, url_of, sizes, CAPS[page], q)
        assert counts["small"] == counts["large"], (user.username, page, counts)


def _confirm(sized: Sized, head: User) -> None:
    for row in reconcile(sized.counting).disagreements:
        resolution_save(
            acting_user=head,
            conference=sized.counting,
            number=row.number,
            reason="Theo phiếu gốc",
            payload=row.first,
        )
    results_confirm(acting_user=head, conference=sized.counting)


def test_the_confirmed_results_pages_cost_the_same_for_6_or_60_ballots(
    sizes: dict[str, Sized],
    head_user: User,
    organiser: User,
    supervisor_user: User,
    client: Client,
    django_assert_max_num_queries: MaxQueries,
) -> None:
    for sized in sizes.values():
        _confirm(sized, head_user)
    q = django_assert_max_num_queries
    pages: list[tuple[User, str, Callable[[Sized], str]]] = [
        (head_user, "results", lambda s: reverse("counting:results", args=[s.counting.pk])),
        (supervisor_user, "results", lambda s: reverse("counting:results", args=[s.counting.pk])),
        (
            organiser,
            "round_results",
            lambda s: reverse("campaigns:round_results", args=[s.vote_round.pk]),
        ),
        (organiser, "round", lambda s: reverse("campaigns:round", args=[s.vote_round.pk])),
    ]
    for user, page, url_of in pages:
        counts = _queries(client, user, url_of, sizes, CAPS[page], q)
        assert counts["small"] == counts["large"], (user.username, page, counts)


def _round_of(
    conferences: int,
    *,
    organiser: User,
    head: User,
    clerk1: User,
    clerk2: User,
    supervisor: User,
) -> VoteRound:
    """A round of ``conferences`` confirmed conferences, one per agency and block."""
    vote_round = make_round(organiser, number=f"{conferences}-KH/NHIEU")
    for i in range(conferences):
        agency = make_agency(organiser, vote_round, name=f"Cơ quan {i}", block_name=f"Khối {i}")
        conference = build_counting_conference(
            organiser=organiser,
            head=head,
            clerk1=clerk1,
            clerk2=clerk2,
            agency=agency,
            candidates=2,
            summoned=3,
            present=3,
            seed=300 + 10 * conferences + i,
        )
        for entry_pass, clerk in ((1, clerk1), (2, clerk2)):
            enter(clerk, conference, entry_pass, 1, "12")
        Supervisor.objects.create(conference=conference, user=supervisor)
        results_confirm(acting_user=head, conference=conference)
    return vote_round


def test_the_round_pages_cost_the_same_for_1_or_6_conferences(
    organiser: User,
    head_user: User,
    clerk1: User,
    clerk2: User,
    supervisor_user: User,
    client: Client,
    django_assert_max_num_queries: MaxQueries,
) -> None:
    """A committee member or a supervisor sees only their conferences; finding
    them must not cost two queries per conference of the round."""
    users = {
        "organiser": organiser,
        "head": head_user,
        "clerk1": clerk1,
        "clerk2": clerk2,
        "supervisor": supervisor_user,
    }
    rounds = {k: _round_of(k, **users) for k in (1, 6)}
    for user, name, page in (
        (supervisor_user, "campaigns:round", "round"),
        (head_user, "campaigns:round", "round"),
        (organiser, "campaigns:round_results", "round_results"),
    ):
        client.force_login(user)
        counts = []
        for vote_round in rounds.values():
            with (
                django_assert_max_num_queries(CAPS[page]),
                CaptureQueriesContext(connection) as ctx,
            ):
                assert client.get(reverse(name, args=[vote_round.pk])).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], (user.username, name, counts)


def test_the_results_page_costs_the_same_after_one_or_five_amendments(
    confirmed: object,
    entered_conference: Conference,
    head_user: User,
    client: Client,
) -> None:
    client.force_login(head_user)
    url = reverse("counting:results", args=[entered_conference.pk])
    counts = []
    for amendments in (1, 4):
        for i in range(amendments):
            result_amend(
                acting_user=head_user,
                conference=entered_conference,
                number=1,
                payload={"digits": ("111", "222", "333")[i % 3]},
                reason=f"Phúc tra lần {i + 1}",
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
