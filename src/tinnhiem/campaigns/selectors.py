"""Reads of a vote round: its tree, its conferences, its confirmed results."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from tinnhiem.campaigns.models import Block, Grant, GrantKind, Official, VoteRound
from tinnhiem.campaigns.services import round_profile
from tinnhiem.common.permissions import is_round_organiser
from tinnhiem.conferences.models import (
    Candidacy,
    CommitteeMember,
    Conference,
    PlaceKind,
    Supervisor,
)
from tinnhiem.conferences.selectors import official_facts
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.record.tally_result import outcomes_from_json
from tinnhiem.rules import (
    Eligibility,
    PersonOutcome,
    RoundStatistics,
    decide_eligibility,
    round_statistics,
)
from tinnhiem.rules.numbers import format_percent_vi


@dataclass
class OfficialRow:
    official: Official
    eligibility: Eligibility
    places: list[str]


@dataclass
class RoundOverview:
    blocks: Sequence[Block]
    conferences: list[Conference]
    hidden_conferences: int
    officials_total: int


def overview_day(vote_round: VoteRound, conference_dates: Sequence[date] = ()) -> date:
    """The day the round pages decide an official's eligibility on: the date of
    their (earliest) conference, as adding them to its ballot does; without one,
    the last day of the vote year, so that every appointment of that year counts."""
    if conference_dates:
        return min(conference_dates)
    return date(vote_round.vote_year, 12, 31)


def visible_conferences(vote_round: VoteRound, user: Any) -> tuple[list[Conference], int]:
    """The round's conferences this user may open, and how many others there are."""
    conferences = list(vote_round.conferences.select_related("agency"))
    if is_round_organiser(user, vote_round):
        return conferences, 0
    # The conferences where ``conference_roles`` gives this user a role: the
    # office of its agency, a committee seat or a supervisor seat. Three
    # queries, not three per conference.
    agencies = set(
        Grant.objects.filter(
            user_id=user.pk, round=vote_round, kind=GrantKind.AGENCY_ORGANISER
        ).values_list("agency_id", flat=True)
    )
    mine = (
        {c.pk for c in conferences if c.agency_id in agencies}
        | set(
            CommitteeMember.objects.filter(conference__round=vote_round, user=user).values_list(
                "conference_id", flat=True
            )
        )
        | set(
            Supervisor.objects.filter(conference__round=vote_round, user=user).values_list(
                "conference_id", flat=True
            )
        )
    )
    visible = [c for c in conferences if c.pk in mine]
    return visible, len(conferences) - len(visible)


def round_overview(vote_round: VoteRound, user: Any) -> RoundOverview:
    """The round page: its conferences and a summary of its blocks. The officials
    have their own paginated page (:func:`officials_page`)."""
    blocks = list(vote_round.blocks.annotate(n_agencies=Count("agencies")))
    visible, hidden = visible_conferences(vote_round, user)
    return RoundOverview(blocks, visible, hidden, vote_round.officials.count())


def round_blocks(vote_round: VoteRound) -> list[Block]:
    """Blocks with their agencies, for the organisation page."""
    return list(
        vote_round.blocks.prefetch_related("agencies").annotate(n_agencies=Count("agencies"))
    )


OFFICIALS_PER_PAGE = 100


def official_rows(vote_round: VoteRound, officials: Sequence[Official]) -> list[OfficialRow]:
    """Eligibility (by the rules core) and places of ``officials``; one query for
    the places of all of them, whatever their number."""
    profile = round_profile(vote_round)
    places: dict[int, list[tuple[str, date]]] = {o.pk: [] for o in officials}
    labels = dict(PlaceKind.choices)
    for official_id, kind, day in Candidacy.objects.filter(
        official_id__in=list(places)
    ).values_list("official_id", "conference__place_kind", "conference__date"):
        places[official_id].append((str(labels.get(kind, kind)), day))
    return [
        OfficialRow(
            official=o,
            eligibility=decide_eligibility(
                official_facts(o),
                profile,
                overview_day(vote_round, [day for _, day in places[o.pk]]),
            ),
            places=[label for label, _ in places[o.pk]],
        )
        for o in officials
    ]


def officials_query(
    vote_round: VoteRound, *, search: str = "", agency_id: int | None = None
) -> QuerySet[Official]:
    """The round's officials in list order, filtered by a name/position search
    (NFC; letter case folded as the database folds it) and by agency."""
    qs = vote_round.officials.select_related("agency").order_by("agency__order", "id")
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    text = unicodedata.normalize("NFC", search).strip()
    if text:
        qs = qs.filter(Q(full_name__icontains=text) | Q(position__icontains=text))
    return qs


@dataclass
class PersonPlace:
    conference: Conference
    row: dict[str, Any]


@dataclass
class RoundResults:
    results: list[tuple[Conference, ConfirmedResult]]
    statistics: RoundStatistics | None
    two_places: list[tuple[Official, list[PersonPlace]]] = field(default_factory=list)
    agencies_total: int = 0


def round_results_fingerprint(vote_round: VoteRound) -> str:
    """What the round results page depends on, in four small aggregate
    queries: the current confirmed results (a confirmation or an amendment
    adds a row), the officials as last changed, the agencies and blocks."""
    from django.db.models import Max

    results = ConfirmedResult.objects.filter(
        conference__round=vote_round, is_current=True
    ).aggregate(n=Count("pk"), last=Max("pk"))
    officials = vote_round.officials.aggregate(n=Count("pk"), last=Max("updated_at"))
    agencies = vote_round.agencies.aggregate(n=Count("pk"), last=Max("pk"))
    blocks = vote_round.blocks.aggregate(n=Count("pk"), last=Max("pk"))
    changed = officials["last"].timestamp() if officials["last"] else 0
    return (
        f"{results['n']}.{results['last']}-{officials['n']}.{changed}-"
        f"{agencies['n']}.{agencies['last']}-{blocks['n']}.{blocks['last']}-"
        f"{vote_round.updated_at.timestamp()}"
    )


def round_results_view(vote_round: VoteRound) -> RoundResults:
    """Every confirmed result, persons polled in two places side by side, and
    the round's statistics computed by the rules core from the frozen results
    (the stored records are not read: nothing on the page needs the ballots)."""
    profile = round_profile(vote_round)
    confirmed = list(
        ConfirmedResult.objects.filter(conference__round=vote_round, is_current=True)
        .defer("record")
        .select_related("conference", "conference__agency", "conference__agency__block")
        .order_by("conference__agency__block__order", "conference__agency__order")
    )
    outcomes: list[PersonOutcome] = []
    by_official: dict[int, list[PersonPlace]] = {}
    # Candidate id in a record = ballot order (``Candidacy.key``).
    candidacies = {
        (conference_id, str(order)): official_id
        for conference_id, order, official_id in Candidacy.objects.filter(
            conference__round=vote_round
        ).values_list("conference_id", "order", "official_id")
    }
    for res in confirmed:
        conf = res.conference
        people = outcomes_from_json(
            res.result, block=conf.agency.block.name, agency=conf.agency.name
        )
        outcomes.extend(people)
        for row in res.result["candidates"]:
            official_id = candidacies.get((conf.pk, row["id"]))
            if official_id is not None:
                by_official.setdefault(official_id, []).append(PersonPlace(conf, row))
    totals = {
        b.name: b.n_agencies for b in vote_round.blocks.annotate(n_agencies=Count("agencies"))
    }
    stats = (
        round_statistics(
            outcomes, classification=profile.params.classification, agencies_total=totals
        )
        if outcomes
        else None
    )
    twice = [pk for pk, places in by_official.items() if len(places) > 1]
    officials = {o.pk: o for o in Official.objects.filter(pk__in=twice)}
    two = [(officials[pk], by_official[pk]) for pk in twice]
    return RoundResults(
        results=[(r.conference, r) for r in confirmed],
        statistics=stats,
        two_places=two,
        agencies_total=sum(totals.values()),
    )


def percent_vi(count: int, total: int) -> str:
    return format_percent_vi(count, total) if total else "–"
