"""Whole simulated elections, for tests, benchmarks and demonstrations (not for real use).

Everything runs in one process with an explicit :class:`~.randomness.RandomSource`
(normally a :class:`~.randomness.SeededRandom`): the key ceremony, the
credential cards, the voters' devices, the ballot box, the trustees'
decryptions. In a real election each of these runs on a different device.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tinnhiem.crypto.ballot import Ballot, encrypt_ballot, sign_ballot
from tinnhiem.crypto.ballot_box import BallotBox
from tinnhiem.crypto.board import Board, Kind
from tinnhiem.crypto.credentials import (
    credential_keypair,
    credentials_fingerprint,
    credentials_from_json,
    credentials_to_json,
    generate_credential,
    sorted_credentials,
)
from tinnhiem.crypto.decryption import make_partial_decryption
from tinnhiem.crypto.dkg import Ceremony, run_ceremony
from tinnhiem.crypto.election import Election, Person
from tinnhiem.crypto.elgamal import KeyPair
from tinnhiem.crypto.group import Element
from tinnhiem.crypto.randomness import RandomSource
from tinnhiem.crypto.setup import Setup, make_setup
from tinnhiem.crypto.tally import Result
from tinnhiem.crypto.verify import Minutes


@dataclass(frozen=True)
class Voter:
    """A credential card: the private credential string and its key pair."""

    credential: str
    keys: KeyPair


def random_index(rng: RandomSource, n: int) -> int:
    """A uniform integer in ``[0, n)`` (rejection sampling on 2 bytes)."""
    limit = 65536 - 65536 % n
    while True:
        v = int.from_bytes(rng.random_bytes(2), "big")
        if v < limit:
            return v % n


def random_choices(election: Election, rng: RandomSource) -> tuple[str, ...]:
    """One uniformly random level per person."""
    return tuple(election.levels[random_index(rng, len(election.levels))] for _ in election.persons)


def make_voters(election_uuid: str, count: int, rng: RandomSource) -> list[Voter]:
    """``count`` fresh credential cards."""
    voters = []
    for _ in range(count):
        cred = generate_credential(rng)
        voters.append(Voter(cred, credential_keypair(election_uuid, cred)))
    return voters


def make_election(
    *,
    uuid: str,
    persons: int,
    voters: int,
    rng: RandomSource,
    kind: str = "poll",
    trustees: int = 3,
    threshold: int = 2,
    spare_cards: int = 0,
    n_max: int | None = None,
    t_min: int = 1,
    allow_blank: bool = False,
) -> tuple[Setup, Ceremony, list[Voter]]:
    """Key ceremony, ``voters + spare_cards`` cards and the setup.

    ``N_max`` defaults to ``voters``.
    """
    ceremony = run_ceremony(uuid, [f"Ủy viên {i}" for i in range(1, trustees + 1)], threshold, rng)
    cards = make_voters(uuid, voters + spare_cards, rng)
    setup = make_setup(
        uuid=uuid,
        title="Lấy phiếu tín nhiệm (mô phỏng)",
        kind=kind,
        persons=[Person(f"p{i:02d}", f"Người được lấy phiếu {i}") for i in range(1, persons + 1)],
        n_max=voters if n_max is None else n_max,
        t_min=t_min,
        trustees=ceremony.trustees,
        credentials=[v.keys.public for v in cards],
        allow_blank=allow_blank,
    )
    return setup, ceremony, cards


def cast_ballot(
    election: Election, voter: Voter, choices: Sequence[str], rng: RandomSource
) -> Ballot:
    """What a voting device does on "cast": encrypt, prove, sign."""
    body, _ = encrypt_ballot(election, voter.keys.public, choices, rng)
    return sign_ballot(election, body, voter.keys.secret, rng)


def expected_counts(election: Election, choices: Sequence[Sequence[str]]) -> list[dict[str, int]]:
    """The plaintext count per person and level of the counted choices."""
    out = []
    for p in range(len(election.persons)):
        counts = dict.fromkeys(election.levels, 0)
        for c in choices:
            counts[c[p]] += 1
        out.append(counts)
    return out


@dataclass
class SimulatedElection:
    """A finished (or still open) simulated election and what a verifier would know."""

    setup: Setup
    ceremony: Ceremony
    voters: list[Voter]
    box: BallotBox
    counted_choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    result: Result | None = None

    @property
    def election(self) -> Election:
        """The election document."""
        return self.setup.election

    def minutes(self) -> Minutes:
        """The minutes an honest committee would have written for this board."""
        entries = self.box.board.entries
        end = next((e for e in entries if e.kind == Kind.END_BALLOTS), None)
        voided = [
            c
            for e in entries
            if e.kind == Kind.VOID_CREDENTIALS
            for c in self._void_list(e.payload)
        ]
        trustees = self.setup.trustees
        return Minutes(
            election_hash=self.election.fingerprint,
            credentials_hash=credentials_fingerprint(self.setup.credentials),
            void_hash=credentials_fingerprint(voided) if voided else None,
            e_voters=len(self.setup.credentials) - len(voided),
            threshold=trustees.threshold,
            trustee_names=tuple(c.name for c in trustees.certificates),
            verification_keys=tuple(v.key.hex() for v in trustees.verification_keys),
            closing_head=None if end is None else end.hash,
            closing_ballots=sum(1 for e in entries if e.kind == Kind.BALLOT),
            trackers=tuple(b.tracker() for b in self.box.last_ballots()),
            t_min=self.election.t_min,
        )

    @staticmethod
    def _void_list(payload: object) -> list[Element]:
        assert isinstance(payload, dict)
        return list(credentials_from_json(payload["credentials"], "credentials"))


def simulate_election(
    *,
    uuid: str = "simulated-election",
    persons: int = 3,
    voters: int = 5,
    rng: RandomSource,
    kind: str = "poll",
    trustees: int = 3,
    threshold: int = 2,
    spare_cards: int = 1,
    revotes: int = 1,
    spoiled: int = 1,
    decrypt_with: Sequence[int] | None = None,
    finish: bool = True,
    allow_blank: bool = False,
) -> SimulatedElection:
    """Run a whole election: setup, voiding of the spare cards, ballots (through the
    ballot box's acceptance checks), re-votes, Benaloh audits, closing, tally,
    partial decryptions by ``decrypt_with`` (default: the first ``threshold``
    trustees) and the result. With ``finish=False`` the board stays open.
    """
    setup, ceremony, cards = make_election(
        uuid=uuid,
        persons=persons,
        voters=voters,
        rng=rng,
        kind=kind,
        trustees=trustees,
        threshold=threshold,
        spare_cards=spare_cards,
        allow_blank=allow_blank,
    )
    box = BallotBox.open(setup)
    election = setup.election
    active, spare = cards[:voters], cards[voters:]
    if spare:
        box.void([v.keys.public for v in spare])
    sim = SimulatedElection(setup, ceremony, cards, box)
    for voter in active:
        choices = random_choices(election, rng)
        box.cast(cast_ballot(election, voter, choices, rng))
        sim.counted_choices[voter.credential] = choices
    for voter in active[:revotes]:
        choices = random_choices(election, rng)
        box.cast(cast_ballot(election, voter, choices, rng))
        sim.counted_choices[voter.credential] = choices
    for voter in active[:spoiled]:
        body, secrets = encrypt_ballot(
            election, voter.keys.public, random_choices(election, rng), rng
        )
        box.spoil(body, secrets)
    if finish:
        finish_election(sim, rng, decrypt_with)
    return sim


def finish_election(
    sim: SimulatedElection, rng: RandomSource, decrypt_with: Sequence[int] | None = None
) -> Result:
    """Close, tally, decrypt with ``decrypt_with`` (default: trustees ``1…k``), publish."""
    box = sim.box
    box.close()
    tally = box.publish_tally()
    chosen = list(decrypt_with or range(1, sim.setup.trustees.threshold + 1))
    for j in chosen:
        box.add_partial_decryption(
            make_partial_decryption(
                sim.election.fingerprint,
                tally,
                sim.ceremony.shares[j - 1],
                sim.ceremony.keys[j - 1],
                rng,
            )
        )
    sim.result = box.publish_result(chosen)
    return sim.result


def board_with_ballots(setup: Setup, voided: Sequence[Voter], ballots: Sequence[Ballot]) -> Board:
    """A board holding ``setup``, one void entry and ``ballots`` appended *without* the
    ballot box's checks (fast construction of large boards for benchmarks; the
    verifier still checks everything)."""
    board = Board()
    board.append(Kind.SETUP, setup.to_json())
    if voided:
        creds = sorted_credentials(v.keys.public for v in voided)
        board.append(Kind.VOID_CREDENTIALS, {"credentials": credentials_to_json(creds)})
    for ballot in ballots:
        board.append(Kind.BALLOT, ballot.to_json())
    return board
