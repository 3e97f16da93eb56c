"""The voting server's rules over the board: void, cast, spoil, close, tally, decrypt (spec §14).

:class:`BallotBox` is the role ``S`` of Belenios: it owns a :class:`~.board.Board`
and appends to it only what its rules accept. Everything it accepts is also
re-checked, independently, by :mod:`tinnhiem.crypto.verify`.

Acceptance of a cast ballot (:meth:`BallotBox.cast`), in order — the first
failure raises :class:`~.errors.BallotRejectedError` with its reason code:

1. ``closed`` — the board is not in the voting phase;
2. ``format`` — not exactly a ballot document (strict JSON shape, canonical
   hex, valid group elements, scalars < ℓ);
3. ``unknown_credential`` / ``voided_credential`` — the credential is not in
   ``L`` or has been voided;
4. ``duplicate_ballot`` — the same body (tracker) is already on the board
   (a replay, or a re-cast of an audited body);
5. ``duplicate_ciphertext`` — an ``α`` of this ballot is already on the board
   under any credential (ballot copying, Helios #35), or appears twice in it (a
   reused nonce, which would leak the difference of two answers);
6. ``election`` / ``answers`` / ``signature`` / ``proof`` — :func:`~.ballot.check_ballot`;
7. ``too_many_voters`` — a new credential beyond ``N_max`` voters (the level
   decoding needs ``num_tallied ≤ N_max``).

A later ballot with the same credential replaces the earlier one in
``last(B)`` (re-voting).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from tinnhiem.crypto.ballot import (
    Ballot,
    BallotBody,
    BallotSecrets,
    check_ballot,
    check_body,
    check_opening,
)
from tinnhiem.crypto.board import Board, Entry, Kind, Phase
from tinnhiem.crypto.canonical import JsonOut, fields
from tinnhiem.crypto.credentials import (
    credentials_from_json,
    credentials_to_json,
    sorted_credentials,
)
from tinnhiem.crypto.decryption import (
    PartialDecryption,
    decrypt_tally,
    partial_decryption_problems,
)
from tinnhiem.crypto.election import Election
from tinnhiem.crypto.elgamal import DiscreteLog
from tinnhiem.crypto.errors import BallotRejectedError, BoardError, FormatError
from tinnhiem.crypto.group import Element
from tinnhiem.crypto.setup import Setup
from tinnhiem.crypto.tally import EncryptedTally, Result, compute_encrypted_tally
from tinnhiem.crypto.workers import ProofWorkers


@dataclass(frozen=True)
class Receipt:
    """What the voter's device gets back: the tracker, the entry's height and the new head."""

    tracker: str
    height: int
    head: str


@dataclass(frozen=True)
class CheckedBallot:
    """A ballot whose stateless checks (:func:`check_ballot`) passed for the
    election with fingerprint ``election_hash``: made only by :func:`precheck`,
    so that a server can run those checks, the costly part, before taking the
    board's lock, and only the checks that depend on the board under it."""

    ballot: Ballot
    election_hash: str


class ProofsChecked:
    """The trackers of bodies whose proofs a server has checked (:func:`precheck_body`).

    The tracker is SHA-256 of the body's canonical JSON, so a cast ballot whose
    body has a remembered tracker is that very body: its proofs need not be
    checked again, only its signature and the board's rules. Bounded (the
    oldest are forgotten first: such a ballot is then simply checked in
    full) and safe to share between threads.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, election_hash: str, tracker: str) -> None:
        """Remember that the body ``tracker`` of election ``election_hash`` passed."""
        with self._lock:
            self._seen[(election_hash, tracker)] = None
            self._seen.move_to_end((election_hash, tracker))
            while len(self._seen) > self.capacity:
                self._seen.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._seen


def precheck_body(
    setup: Setup,
    body: BallotBody | object,
    *,
    workers: ProofWorkers | None = None,
    checked: ProofsChecked | None = None,
) -> BallotBody:
    """Check a body before it is signed and cast: format, credential in ``L``,
    election, answers and every proof (raise :class:`BallotRejectedError`).

    A voting device sends the body while the voter looks at its tracker and
    chooses to cast or to audit; the server checks the proofs in that time
    and remembers the tracker in ``checked``, so that the cast itself needs
    only the signature and the board's rules (decision 0019). Nothing is
    appended: a body may still be audited, replaced or abandoned.
    """
    election = setup.election
    if not isinstance(body, BallotBody):
        try:
            body = BallotBody.from_json(body, "body", len(election.levels))
        except FormatError as exc:
            raise BallotRejectedError("format", str(exc)) from None
    if body.credential not in setup.credential_set:
        raise BallotRejectedError("unknown_credential", "the credential is not in the list")
    check_body(election, body, workers=workers)
    if checked is not None:
        checked.add(election.fingerprint, body.tracker())
    return body


def precheck(
    election: Election,
    ballot: Ballot | object,
    *,
    workers: ProofWorkers | None = None,
    checked: ProofsChecked | None = None,
) -> CheckedBallot:
    """Parse ``ballot`` and run :func:`check_ballot` (its proofs in ``workers``, if
    given, and not at all if ``checked`` holds its body's tracker); raise
    :class:`BallotRejectedError`."""
    if not isinstance(ballot, Ballot):
        try:
            ballot = Ballot.from_json(ballot, election)
        except FormatError as exc:
            raise BallotRejectedError("format", str(exc)) from None
    known = checked is not None and (election.fingerprint, ballot.tracker()) in checked
    check_ballot(election, ballot, workers=workers, proofs_checked=known)
    return CheckedBallot(ballot, election.fingerprint)


class BallotBox:
    """The server's state over one board (rebuilt from the board on load)."""

    def __init__(self, board: Board) -> None:
        entries = board.entries
        if not entries or entries[0].kind != Kind.SETUP:
            raise BoardError("the board must start with the setup")
        self.board = board
        self.setup = Setup.from_json(entries[0].payload)
        self.election: Election = self.setup.election
        self._credentials = frozenset(self.setup.credentials)
        self._voided: set[Element] = set()
        self._trackers: set[str] = set()
        self._alphas: set[Element] = set()
        self._last: dict[Element, Ballot] = {}
        self._ballot_count = 0
        self._tally: EncryptedTally | None = None
        self._partials: dict[int, PartialDecryption] = {}
        for entry in entries[1:]:
            self._replay(entry)

    @staticmethod
    def open(setup: Setup) -> BallotBox:
        """A new board whose first entry is ``setup`` (which must be consistent)."""
        problems = setup.problems()
        if problems:
            raise BoardError("inconsistent setup: " + "; ".join(problems))
        board = Board()
        board.append(Kind.SETUP, setup.to_json())
        return BallotBox(board)

    def catch_up(self, entries: Sequence[Entry]) -> None:
        """Take in the entries that follow this box's board, as another server
        process appended them (read back from storage): the chain is checked
        (:meth:`Board.extend`), then each entry replayed as on load. On an error
        (:class:`BoardError`, :class:`FormatError`) the box must be discarded
        and rebuilt from the whole board."""
        self.board.extend(entries)
        for entry in entries:
            self._replay(entry)

    def _replay(self, entry: Entry) -> None:
        if entry.kind == Kind.VOID_CREDENTIALS:
            obj = fields(entry.payload, "void_credentials", ("credentials",))
            self._voided.update(credentials_from_json(obj["credentials"], "credentials"))
        elif entry.kind == Kind.BALLOT:
            ballot = Ballot.from_json(entry.payload, self.election)
            self._remember(ballot.body)
            self._last.pop(ballot.body.credential, None)
            self._last[ballot.body.credential] = ballot
            self._ballot_count += 1
        elif entry.kind == Kind.SPOILED_BALLOT:
            obj = fields(entry.payload, "spoiled_ballot", ("ballot", "secrets"))
            body = BallotBody.from_json(obj["ballot"], "ballot", len(self.election.levels))
            self._remember(body)
        elif entry.kind == Kind.ENCRYPTED_TALLY:
            self._tally = EncryptedTally.from_json(entry.payload)
        elif entry.kind == Kind.PARTIAL_DECRYPTION:
            pd = PartialDecryption.from_json(entry.payload)
            self._partials[pd.trustee] = pd

    def _remember(self, body: BallotBody) -> None:
        self._trackers.add(body.tracker())
        self._alphas.update(a.ciphertext.alpha for a in body.answers)

    # ---------------------------------------------------------- voting

    def void(self, credentials: Iterable[Element]) -> Entry:
        """Publish voided credentials (unissued cards); each must be in ``L``."""
        items = sorted_credentials(credentials)
        unknown = [c for c in items if c not in self._credentials]
        if unknown:
            raise BoardError(f"{len(unknown)} voided credential(s) are not in the list")
        entry = self.board.append(
            Kind.VOID_CREDENTIALS, {"credentials": credentials_to_json(items)}
        )
        self._voided.update(items)
        return entry

    def _check_credential(self, credential: Element) -> None:
        if credential not in self._credentials:
            raise BallotRejectedError("unknown_credential", "the credential is not in the list")
        if credential in self._voided:
            raise BallotRejectedError("voided_credential", "the credential has been voided")

    def _check_fresh(self, body: BallotBody) -> None:
        if body.tracker() in self._trackers:
            raise BallotRejectedError("duplicate_ballot", "this ballot is already on the board")
        alphas = [a.ciphertext.alpha for a in body.answers]
        if len(set(alphas)) != len(alphas) or any(a in self._alphas for a in alphas):
            raise BallotRejectedError(
                "duplicate_ciphertext", "a ciphertext of this ballot is already on the board"
            )

    def cast(self, ballot: Ballot | CheckedBallot | object) -> Receipt:
        """Check a ballot (parsed JSON, :class:`Ballot`, or one :func:`precheck`
        passed for this election) and append it; see the module doc."""
        if self.board.phase != Phase.VOTING:
            raise BallotRejectedError("closed", "the ballot box is not open")
        checked = isinstance(ballot, CheckedBallot)
        if isinstance(ballot, CheckedBallot):
            if ballot.election_hash != self.election.fingerprint:
                raise BallotRejectedError("election", "the ballot is for another election")
            ballot = ballot.ballot
        elif not isinstance(ballot, Ballot):
            try:
                ballot = Ballot.from_json(ballot, self.election)
            except FormatError as exc:
                raise BallotRejectedError("format", str(exc)) from None
        assert isinstance(ballot, Ballot)
        body = ballot.body
        self._check_credential(body.credential)
        self._check_fresh(body)
        if not checked:
            check_ballot(self.election, ballot)
        if body.credential not in self._last and len(self._last) >= self.election.n_max:
            raise BallotRejectedError("too_many_voters", "more voters than n_max")
        entry = self.board.append(Kind.BALLOT, ballot.to_json())
        self._remember(body)
        self._last.pop(body.credential, None)
        self._last[body.credential] = ballot
        self._ballot_count += 1
        return Receipt(body.tracker(), entry.height, entry.hash)

    def spoil(self, body: BallotBody, secrets: BallotSecrets) -> Entry:
        """Publish a Benaloh-audited body with its choices and nonces (it can never be cast)."""
        if self.board.phase != Phase.VOTING:
            raise BallotRejectedError("closed", "the ballot box is not open")
        if (
            body.election_uuid != self.election.uuid
            or body.election_hash != self.election.fingerprint
        ):
            raise BallotRejectedError("election", "the ballot is for another election")
        self._check_credential(body.credential)
        self._check_fresh(body)
        problems = check_opening(self.election, body, secrets)
        if problems:
            raise BallotRejectedError("opening", "; ".join(problems))
        entry = self.board.append(
            Kind.SPOILED_BALLOT, {"ballot": body.to_json(), "secrets": secrets.to_json()}
        )
        self._remember(body)
        return entry

    def last_ballots(self) -> list[Ballot]:
        """``last(B)`` over active credentials, in board order."""
        return [b for c, b in self._last.items() if c not in self._voided]

    def close(self) -> Entry:
        """Append ``end_ballots`` with the number of ballot entries and of counted voters."""
        return self.board.append(
            Kind.END_BALLOTS,
            {"num_ballots": self._ballot_count, "num_voters": len(self.last_ballots())},
        )

    # ---------------------------------------------------------- counting

    def publish_tally(self) -> EncryptedTally:
        """Compute the encrypted tally of ``last(B)`` and append it (once).

        Refused (:class:`BoardError`) with fewer than ``T_min`` counted ballots:
        a small electronic count next to a paper count would reveal how those
        few members voted (design brief, threat T9).
        """
        ballots = self.last_ballots()
        if len(ballots) < self.election.t_min:
            raise BoardError(f"{len(ballots)} e-ballots < T_min = {self.election.t_min}")
        tally = compute_encrypted_tally(ballots, len(self.election.persons))
        self.board.append(Kind.ENCRYPTED_TALLY, tally.to_json())
        self._tally = tally
        return tally

    @property
    def tally(self) -> EncryptedTally:
        """The published encrypted tally."""
        if self._tally is None:
            raise BoardError("no encrypted tally yet")
        return self._tally

    def add_partial_decryption(self, partial: PartialDecryption) -> Entry:
        """Check a trustee's partial decryption against the tally and the DKG, then append it."""
        trustees = self.setup.trustees
        j = partial.trustee
        if not 1 <= j <= len(trustees.certificates):
            raise BoardError(f"trustee {j} is not a trustee")
        if j in self._partials:
            raise BoardError(f"trustee {j} already sent a partial decryption")
        problems = partial_decryption_problems(
            self.election.fingerprint,
            self.tally,
            trustees.verification_keys[j - 1].key,
            trustees.certificates[j - 1].signing_key,
            partial,
        )
        if problems:
            raise BoardError("; ".join(problems))
        entry = self.board.append(Kind.PARTIAL_DECRYPTION, partial.to_json())
        self._partials[j] = partial
        return entry

    def publish_result(
        self, trustees: Sequence[int] | None = None, dlog: DiscreteLog | None = None
    ) -> Result:
        """Combine the partial decryptions of ``trustees`` (default: all received) and append."""
        chosen = sorted(self._partials) if trustees is None else list(trustees)
        partials = [self._partials[j] for j in chosen]
        result = decrypt_tally(
            self.election, self.tally, partials, self.setup.trustees.threshold, dlog
        )
        self.board.append(Kind.RESULT, cast(JsonOut, result.to_json()))
        return result
