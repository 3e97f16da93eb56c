"""Encrypted ballots: one ciphertext and one membership proof per person, signed (spec §8).

A ballot has a *body* and a *signature*:

* body = ``{election_uuid, election_hash = φ, credential = X, answers}``;
  ``answers[p] = {alpha, beta, proof}`` for each person ``p`` of the
  election, in order, with ``(α, β) = Enc_y(M_i; r_p)`` and a membership
  proof whose context is ``(φ, X, p)`` (strong Fiat–Shamir: a proof cannot
  be moved to another ballot, person or election);
* signature = Schnorr signature with the credential key ``x`` over the
  canonical JSON of the body, context ``(φ,)``.

The *tracker* is SHA-256 of the body's canonical JSON (:meth:`BallotBody.tracker`).
It exists before signing, which allows the Benaloh challenge: the device
shows the tracker, then either signs and casts, or reveals the choices and
nonces (:class:`BallotSecrets`, :func:`check_opening`) and never casts that
body. An opened body is never signed, so it can never be cast.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import cast

from tinnhiem.crypto.canonical import (
    JsonOut,
    as_digest,
    as_list,
    as_str,
    dumps,
    fields,
)
from tinnhiem.crypto.election import Election
from tinnhiem.crypto.elgamal import Ciphertext, encrypt
from tinnhiem.crypto.errors import BallotRejectedError, FormatError
from tinnhiem.crypto.group import Element, Scalar, as_element, as_scalar, random_scalar
from tinnhiem.crypto.hashing import Part, Tag, sha256_hex
from tinnhiem.crypto.proofs import (
    CompactProof,
    MembershipProof,
    prove_membership,
    sign,
    verify_membership,
    verify_signature,
)
from tinnhiem.crypto.randomness import RandomSource
from tinnhiem.crypto.workers import MIN_PERSONS, Pending, ProofWorkers


def answer_context(election_hash: str, credential: Element, person: int) -> list[Part]:
    """The Fiat–Shamir context of person ``p``'s membership proof: ``(φ, X, p)``."""
    return [election_hash, credential, person]


def signature_context(election_hash: str) -> list[Part]:
    """The context of the ballot signature: ``(φ,)``."""
    return [election_hash]


@dataclass(frozen=True, slots=True)
class EncryptedAnswer:
    """``(α, β)`` and its membership proof, for one person."""

    ciphertext: Ciphertext
    proof: MembershipProof

    def to_json(self) -> dict[str, JsonOut]:
        """``{"alpha", "beta", "proof": [[c_j, s_j], …]}``."""
        return {
            "alpha": self.ciphertext.alpha.hex(),
            "beta": self.ciphertext.beta.hex(),
            "proof": self.proof.to_json(),
        }

    @staticmethod
    def from_json(value: object, where: str, size: int) -> EncryptedAnswer:
        """Strictly read an answer whose proof has ``size`` branches."""
        obj = fields(value, where, ("alpha", "beta", "proof"))
        return EncryptedAnswer(
            Ciphertext(
                as_element(obj["alpha"], f"{where}.alpha"),
                as_element(obj["beta"], f"{where}.beta"),
            ),
            MembershipProof.from_json(obj["proof"], f"{where}.proof", size),
        )


@dataclass(frozen=True, slots=True)
class BallotBody:
    """The signed part of a ballot."""

    election_uuid: str
    election_hash: str
    credential: Element
    answers: tuple[EncryptedAnswer, ...]
    _canonical: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def to_json(self) -> dict[str, JsonOut]:
        """``{"election_uuid", "election_hash", "credential", "answers"}``."""
        return {
            "election_uuid": self.election_uuid,
            "election_hash": self.election_hash,
            "credential": self.credential.hex(),
            "answers": [a.to_json() for a in self.answers],
        }

    def canonical(self) -> bytes:
        """The canonical JSON of the body: the signed message (computed once)."""
        if self._canonical is None:
            object.__setattr__(self, "_canonical", dumps(self.to_json()))
        assert self._canonical is not None
        return self._canonical

    def tracker(self) -> str:
        """The ballot tracker: SHA-256 (hex) of the body's canonical JSON."""
        return sha256_hex(self.canonical())

    @staticmethod
    def from_json(value: object, where: str, size: int, extra: Sequence[str] = ()) -> BallotBody:
        """Strictly read a body whose proofs have ``size`` branches."""
        obj = fields(
            value, where, ("election_uuid", "election_hash", "credential", "answers"), extra
        )
        return BallotBody(
            election_uuid=as_str(obj["election_uuid"], f"{where}.election_uuid"),
            election_hash=as_digest(obj["election_hash"], f"{where}.election_hash"),
            credential=as_element(obj["credential"], f"{where}.credential", allow_identity=False),
            answers=tuple(
                EncryptedAnswer.from_json(a, f"{where}.answers[{p}]", size)
                for p, a in enumerate(as_list(obj["answers"], f"{where}.answers"))
            ),
        )


@dataclass(frozen=True, slots=True)
class Ballot:
    """A cast ballot: body and signature."""

    body: BallotBody
    signature: CompactProof

    def to_json(self) -> dict[str, JsonOut]:
        """The body's keys plus ``"signature": [c, s]``."""
        return {**self.body.to_json(), "signature": self.signature.to_json()}

    def tracker(self) -> str:
        """The body's tracker (the same before and after signing)."""
        return self.body.tracker()

    @staticmethod
    def from_json(value: object, election: Election, where: str = "ballot") -> Ballot:
        """Strictly read a ballot for ``election`` (proof sizes follow its levels)."""
        size = len(election.levels)
        body = BallotBody.from_json(value, where, size, extra=("signature",))
        obj = cast(dict[str, object], value)
        if "signature" not in obj:
            raise FormatError(f"{where}: missing key(s) signature")
        return Ballot(body, CompactProof.from_json(obj["signature"], f"{where}.signature"))


@dataclass(frozen=True, slots=True)
class BallotSecrets:
    """What the voting device knows about a body: the choices and the nonces ``r_p``.

    Revealed only for a Benaloh audit (the body is then spoiled, never cast).
    """

    choices: tuple[str, ...]
    nonces: tuple[Scalar, ...]

    def to_json(self) -> dict[str, JsonOut]:
        """``{"choices": [level, …], "nonces": [hex, …]}``."""
        return {"choices": list(self.choices), "nonces": [r.hex() for r in self.nonces]}

    @staticmethod
    def from_json(value: object, where: str) -> BallotSecrets:
        """Strictly read choices and nonces."""
        obj = fields(value, where, ("choices", "nonces"))
        return BallotSecrets(
            tuple(
                as_str(c, f"{where}.choices[{i}]")
                for i, c in enumerate(as_list(obj["choices"], f"{where}.choices"))
            ),
            tuple(
                as_scalar(r, f"{where}.nonces[{i}]")
                for i, r in enumerate(as_list(obj["nonces"], f"{where}.nonces"))
            ),
        )


def encrypt_ballot(
    election: Election, credential: Element, choices: Sequence[str], rng: RandomSource
) -> tuple[BallotBody, BallotSecrets]:
    """Encrypt one level per person and prove each ciphertext in ``M`` (the voting device).

    ``choices[p]`` is a level code of ``election.levels``. For each person in
    order, the nonce ``r_p`` is drawn first, then the proof's randomness.
    """
    if len(choices) != len(election.persons):
        raise ValueError(f"expected {len(election.persons)} choices, got {len(choices)}")
    values = election.value_set
    answers: list[EncryptedAnswer] = []
    nonces: list[Scalar] = []
    phi = election.fingerprint
    for p, level in enumerate(choices):
        m = election.value_of(level)
        index = values.values.index(m)
        r = random_scalar(rng)
        ct = encrypt(election.public_key, m, r)
        proof = prove_membership(
            answer_context(phi, credential, p), election.public_key, ct, values, index, r, rng
        )
        answers.append(EncryptedAnswer(ct, proof))
        nonces.append(r)
    body = BallotBody(election.uuid, phi, credential, tuple(answers))
    return body, BallotSecrets(tuple(choices), tuple(nonces))


def sign_ballot(election: Election, body: BallotBody, secret: Scalar, rng: RandomSource) -> Ballot:
    """Sign ``body`` with the credential key ``x`` (after the voter chose "cast")."""
    signature = sign(
        Tag.BALLOT_SIGNATURE,
        signature_context(election.fingerprint),
        secret,
        body.credential,
        body.canonical(),
        rng,
    )
    return Ballot(body, signature)


def check_ballot(
    election: Election,
    ballot: Ballot,
    body_bytes: bytes | None = None,
    *,
    workers: ProofWorkers | None = None,
    proofs_checked: bool = False,
) -> None:
    """Check a ballot on its own (no board state); raise :class:`BallotRejectedError`.

    In order: election uuid and φ (``election``), one answer per person
    (``answers``), the signature (``signature``), every membership proof
    (``proof``). Credential membership, voiding and duplicates depend on the
    board and are checked by :class:`tinnhiem.crypto.ballot_box.BallotBox`.
    ``body_bytes``, if given, must be ``ballot.body.canonical()``. With
    ``workers`` (a server), the proofs of a ballot of
    :data:`~tinnhiem.crypto.workers.MIN_PERSONS` persons or more are checked in
    those processes while this thread checks the signature; the verdict is the
    same, the first failing answer is the one reported. ``proofs_checked``:
    :func:`check_body` already passed for this very body (its tracker), so
    only the signature is left.
    """
    body = ballot.body
    _check_shape(election, body)
    message = body.canonical() if body_bytes is None else body_bytes
    pending = None
    if not proofs_checked and workers is not None and len(body.answers) >= MIN_PERSONS:
        pending = _submit(workers, election, message, len(body.answers))
    if not verify_signature(
        Tag.BALLOT_SIGNATURE,
        signature_context(election.fingerprint),
        body.credential,
        message,
        ballot.signature,
    ):
        if pending is not None:
            pending.cancel()
        raise BallotRejectedError("signature", "the credential signature does not verify")
    if not proofs_checked:
        _check_proofs(election, body, pending)


def check_body(
    election: Election,
    body: BallotBody,
    *,
    workers: ProofWorkers | None = None,
) -> None:
    """The checks of :func:`check_ballot` that need no signature: election, answers
    and every membership proof (a server runs them on a body before it is
    signed and cast, see :func:`tinnhiem.crypto.ballot_box.precheck_body`)."""
    _check_shape(election, body)
    pending = None
    if workers is not None and len(body.answers) >= MIN_PERSONS:
        pending = _submit(workers, election, body.canonical(), len(body.answers))
    _check_proofs(election, body, pending)


def _submit(workers: ProofWorkers, election: Election, message: bytes, n: int) -> Pending | None:
    """The proofs sent to the workers, or ``None`` (no pool could be started:
    they are then checked in this thread)."""
    try:
        return workers.submit(election, message, n)
    except BrokenProcessPool:
        return None


def _check_shape(election: Election, body: BallotBody) -> None:
    if body.election_uuid != election.uuid or body.election_hash != election.fingerprint:
        raise BallotRejectedError("election", "the ballot is for another election")
    n = len(body.answers)
    if n != len(election.persons):
        raise BallotRejectedError("answers", f"expected {len(election.persons)} answers, got {n}")


def _check_proofs(election: Election, body: BallotBody, pending: Pending | None) -> None:
    if pending is not None:
        try:
            bad = pending.result()
        except BrokenProcessPool:
            bad = _first_bad(election, body)  # a worker died: check here instead
    else:
        bad = _first_bad(election, body)
    if bad is not None:
        raise BallotRejectedError("proof", f"the proof of answer {bad} does not verify")


def answer_holds(election: Election, credential: Element, p: int, answer: EncryptedAnswer) -> bool:
    """Whether the membership proof of answer ``p`` of a ballot with ``credential`` holds."""
    return verify_membership(
        answer_context(election.fingerprint, credential, p),
        election.public_key,
        answer.ciphertext,
        election.value_set,
        answer.proof,
    )


def _first_bad(election: Election, body: BallotBody) -> int | None:
    """The first answer whose membership proof fails, checked in this thread."""
    for p, answer in enumerate(body.answers):
        if not answer_holds(election, body.credential, p, answer):
            return p
    return None


def check_opening(election: Election, body: BallotBody, secrets: BallotSecrets) -> list[str]:
    """Benaloh audit: do the revealed choices and nonces reproduce every ``(α, β)``?

    Returns the problems found (empty if the body opens correctly).
    """
    problems: list[str] = []
    if len(secrets.choices) != len(body.answers) or len(secrets.nonces) != len(body.answers):
        return ["the number of choices or nonces differs from the number of answers"]
    for p, (answer, level, r) in enumerate(
        zip(body.answers, secrets.choices, secrets.nonces, strict=True)
    ):
        try:
            m = election.value_of(level)
        except FormatError as exc:
            problems.append(f"answer {p}: {exc}")
            continue
        if encrypt(election.public_key, m, r) != answer.ciphertext:
            problems.append(f"answer {p}: ({level}, r) does not reproduce (α, β)")
    return problems
