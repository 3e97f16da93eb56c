"""Reads for counting: reconciliation of the two entry passes, the conference
as a rules-core value, its record and its tally."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tinnhiem.campaigns.services import round_profile
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import BallotEntry, ConfirmedResult, Resolution
from tinnhiem.record import ConferenceRecord, record_to_json, tally_result_to_json
from tinnhiem.rules import Ballot, Candidate, Level, TallyResult, VoteKind, tally
from tinnhiem.rules import Conference as CoreConference

NO_MARK = "0"
SEVERAL = "9"


def digit_levels(kind: VoteKind) -> dict[str, Level]:
    """``1`` → first level of the ballot, ``2`` → second …"""
    return {str(i): lv for i, lv in enumerate(kind.levels, start=1)}


def allowed_digits(kind: VoteKind) -> set[str]:
    return {NO_MARK, SEVERAL, *digit_levels(kind)}


def digit_for_levels(kind: VoteKind, levels: tuple[Level, ...]) -> str:
    if not levels:
        return NO_MARK
    if len(levels) > 1:
        return SEVERAL
    return {lv: d for d, lv in digit_levels(kind).items()}[levels[0]]


def payload_to_ballot(payload: dict[str, Any], keys: list[str], kind: VoteKind) -> Ballot:
    """A typed ballot from an entry payload. ``9`` (several boxes, which ones not
    recorded) becomes every level of the kind: the line is void either way."""
    table = digit_levels(kind)
    marks: dict[str, tuple[Level, ...]] = {}
    for key, digit in zip(keys, payload["digits"], strict=True):
        if digit == NO_MARK:
            continue
        marks[key] = kind.levels if digit == SEVERAL else (table[digit],)
    return Ballot(
        marks=marks,
        issued=bool(payload["issued"]),
        crossed_out=frozenset(str(k) for k in payload["crossed_out"]),
        added_names=int(payload["added_names"]),
        other_writing=bool(payload["other_writing"]),
        signed=bool(payload["signed"]),
    )


@dataclass(frozen=True)
class ReconRow:
    """One ballot number across the two passes."""

    number: int
    first: dict[str, Any] | None
    second: dict[str, Any] | None
    resolution: Resolution | None

    @property
    def agrees(self) -> bool:
        return self.first is not None and self.first == self.second

    @property
    def settled(self) -> bool:
        return self.agrees or self.resolution is not None

    @property
    def final(self) -> dict[str, Any] | None:
        """The payload that counts, or None when the number is not a ballot."""
        if self.resolution is not None:
            return self.resolution.payload() if self.resolution.exists else None
        return self.first if self.agrees else None

    def differing_positions(self) -> list[int]:
        """1-based candidate positions whose digits differ between the passes."""
        if self.first is None or self.second is None:
            return []
        a, b = self.first["digits"], self.second["digits"]
        return [i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]


@dataclass(frozen=True)
class Reconciliation:
    rows: tuple[ReconRow, ...]
    first_count: int
    second_count: int

    @property
    def disagreements(self) -> tuple[ReconRow, ...]:
        return tuple(r for r in self.rows if not r.settled)

    @property
    def complete(self) -> bool:
        return bool(self.rows) and not self.disagreements

    @property
    def ballots(self) -> list[dict[str, Any]]:
        return [p for r in self.rows if (p := r.final) is not None]


def reconcile(conference: Conference) -> Reconciliation:
    """Compare the two independent passes ballot by ballot."""
    by_pass: dict[int, dict[int, dict[str, Any]]] = {1: {}, 2: {}}
    for e in BallotEntry.objects.filter(conference=conference):
        by_pass[e.entry_pass][e.number] = e.payload()
    resolutions = {r.number: r for r in Resolution.objects.filter(conference=conference)}
    numbers = sorted(set(by_pass[1]) | set(by_pass[2]) | set(resolutions))
    rows = tuple(
        ReconRow(n, by_pass[1].get(n), by_pass[2].get(n), resolutions.get(n)) for n in numbers
    )
    return Reconciliation(rows, len(by_pass[1]), len(by_pass[2]))


def candidate_keys(conference: Conference) -> list[str]:
    return [c.key for c in conference.candidacies.all()]


def core_conference(conference: Conference, ballots: list[dict[str, Any]]) -> CoreConference:
    kind = VoteKind(conference.kind)
    candidacies = list(conference.candidacies.select_related("official"))
    keys = [c.key for c in candidacies]
    return CoreConference(
        kind=kind,
        summoned=conference.summoned_count or 0,
        present=conference.present_at_voting or 0,
        ballots_issued=conference.ballots_issued or 0,
        members_total=conference.members_total,
        candidates=tuple(
            Candidate(c.key, c.official.full_name, c.printed_position) for c in candidacies
        ),
        ballots=tuple(payload_to_ballot(p, keys, kind) for p in ballots),
    )


def conference_record(conference: Conference, ballots: list[dict[str, Any]]) -> ConferenceRecord:
    return ConferenceRecord(
        profile_id=conference.round.profile_id,
        conference=core_conference(conference, ballots),
        id=conference.record_id,
        title=conference.title,
        unit=conference.agency.name,
        block=conference.agency.block.name,
        date=conference.date,
    )


def tally_ballots(conference: Conference, ballots: list[dict[str, Any]]) -> TallyResult:
    return tally(core_conference(conference, ballots), round_profile(conference.round))


def current_result(conference: Conference) -> ConfirmedResult | None:
    # The stored record (every ballot) is only needed to export it.
    return conference.results.filter(is_current=True).defer("record").first()


def record_json(conference: Conference, ballots: list[dict[str, Any]]) -> dict[str, Any]:
    return record_to_json(conference_record(conference, ballots))


def result_json(result: TallyResult) -> dict[str, Any]:
    return tally_result_to_json(result, "vi")


@dataclass(frozen=True)
class OtherPlace:
    """The same official polled at another conference of the round."""

    conference: Conference
    row: dict[str, Any] | None
    """Their row of that conference's confirmed result, if confirmed."""


def other_places(conference: Conference) -> dict[str, list[OtherPlace]]:
    """For each person on this ballot (by candidate key), the other places of
    the round where they are polled: "xem xét tổng thể" (96-QĐ/TW Điều 11)."""
    from tinnhiem.conferences.models import Candidacy

    mine = {c.official_id: c.key for c in conference.candidacies.all()}
    others = list(
        Candidacy.objects.filter(official_id__in=mine, conference__round_id=conference.round_id)
        .exclude(conference=conference)
        .select_related("conference", "conference__agency")
    )
    if not others:
        return {}
    confirmed = {
        r.conference_id: r
        for r in ConfirmedResult.objects.defer("record").filter(
            conference_id__in={o.conference_id for o in others}, is_current=True
        )
    }
    out: dict[str, list[OtherPlace]] = {}
    for o in others:
        res = confirmed.get(o.conference_id)
        row = None
        if res is not None:
            row = next((r for r in res.result["candidates"] if r["id"] == o.key), None)
        out.setdefault(mine[o.official_id], []).append(OtherPlace(o.conference, row))
    return out
