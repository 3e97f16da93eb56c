"""Zero-knowledge proofs and signatures, all with strong Fiat–Shamir (spec §5).

Every proof is stored in compact form — challenges and responses only — and
every challenge is ``H_ℓ(tag; context, statement, commitments)``, where the
*context* always starts with what binds the proof to its place in the
election (the fingerprint φ, the voter's credential, the person's index, …;
see each caller), the *statement* holds every public value the proof speaks
about (including the generator ``g`` and the public key ``y``), and the
commitments are recomputed by the verifier. A proof made for one context,
statement or purpose (tag) is therefore never valid for another.

* :func:`prove_dlog` / :func:`verify_dlog` — Schnorr proof of knowledge of
  ``x = log_g X``. With a message in the context it is a Schnorr signature.
* :func:`prove_dleq` / :func:`verify_dleq` — Chaum–Pedersen proof that
  ``log_{g1} h1 = log_{g2} h2``.
* :func:`prove_membership` / :func:`verify_membership` — disjunctive
  Chaum–Pedersen proof (Belenios ``iprove``/``iverify``) that ``(α, β)``
  encrypts one value of a public set ``M = (M_0, …, M_{K-1})``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from tinnhiem.crypto.canonical import JsonOut, as_list
from tinnhiem.crypto.elgamal import Ciphertext
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import (
    ORDER,
    Element,
    G,
    Scalar,
    as_scalar,
    g_pow,
    g_pow_int,
    hash_to_scalar,
    random_scalar,
)
from tinnhiem.crypto.hashing import Part, Tag
from tinnhiem.crypto.randomness import RandomSource


@dataclass(frozen=True, slots=True)
class CompactProof:
    """A sigma-protocol transcript in compact form: challenge ``c`` and response ``s``.

    Serialised as ``[c, s]`` (two 64-digit hex scalars).
    """

    challenge: Scalar
    response: Scalar

    def to_json(self) -> list[JsonOut]:
        """``[c, s]``."""
        return [self.challenge.hex(), self.response.hex()]

    @staticmethod
    def from_json(value: object, where: str) -> CompactProof:
        """Strictly read ``[c, s]``; both canonical scalars."""
        items = as_list(value, where)
        if len(items) != 2:
            raise FormatError(f"{where}: expected [challenge, response]")
        return CompactProof(as_scalar(items[0], f"{where}[0]"), as_scalar(items[1], f"{where}[1]"))


# ---------------------------------------------------------------- Schnorr


def prove_dlog(
    tag: str, context: Sequence[Part], secret: Scalar, public: Element, rng: RandomSource
) -> CompactProof:
    """Schnorr proof of knowledge of ``x`` with ``X = g^x``.

    ``w ←$``, ``A = g^w``, ``c = H_ℓ(tag; context, g, X, A)``, ``s = w − x·c``.
    """
    w = random_scalar(rng)
    commitment = g_pow(w)
    c = hash_to_scalar(tag, context, G, public, commitment)
    return CompactProof(c, w - secret * c)


def verify_dlog(tag: str, context: Sequence[Part], public: Element, proof: CompactProof) -> bool:
    """Recompute ``A = g^s · X^c`` and check ``c = H_ℓ(tag; context, g, X, A)``."""
    commitment = g_pow(proof.response) * public**proof.challenge
    return proof.challenge == hash_to_scalar(tag, context, G, public, commitment)


def sign(
    tag: str,
    context: Sequence[Part],
    secret: Scalar,
    public: Element,
    message: bytes,
    rng: RandomSource,
) -> CompactProof:
    """Schnorr signature of ``message``: :func:`prove_dlog` with the message in the context."""
    return prove_dlog(tag, [*context, message], secret, public, rng)


def verify_signature(
    tag: str, context: Sequence[Part], public: Element, message: bytes, signature: CompactProof
) -> bool:
    """Check a :func:`sign` signature."""
    return verify_dlog(tag, [*context, message], public, signature)


# ---------------------------------------------------------- Chaum–Pedersen


def prove_dleq(
    tag: str,
    context: Sequence[Part],
    secret: Scalar,
    base1: Element,
    public1: Element,
    base2: Element,
    public2: Element,
    rng: RandomSource,
) -> CompactProof:
    """Chaum–Pedersen proof that ``h1 = g1^x`` and ``h2 = g2^x`` for the same ``x``.

    ``w ←$``, ``A = g1^w``, ``B = g2^w``,
    ``c = H_ℓ(tag; context, g1, h1, g2, h2, A, B)``, ``s = w − x·c``.
    """
    w = random_scalar(rng)
    a = g_pow(w) if base1 == G else base1**w
    b = base2**w
    c = hash_to_scalar(tag, context, base1, public1, base2, public2, a, b)
    return CompactProof(c, w - secret * c)


def verify_dleq(
    tag: str,
    context: Sequence[Part],
    base1: Element,
    public1: Element,
    base2: Element,
    public2: Element,
    proof: CompactProof,
) -> bool:
    """Recompute ``A = g1^s·h1^c``, ``B = g2^s·h2^c`` and check the challenge."""
    c, s = proof.challenge, proof.response
    a = (g_pow(s) if base1 == G else base1**s) * public1**c
    b = base2**s * public2**c
    return c == hash_to_scalar(tag, context, base1, public1, base2, public2, a, b)


# ------------------------------------------------------------- membership


@dataclass(frozen=True)
class ValueSet:
    """The allowed plaintexts ``M = (M_0, …, M_{K-1})`` of a membership proof."""

    values: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.values) < 2:
            raise ValueError("a value set has at least two values")
        if len(set(self.values)) != len(self.values) or any(m < 0 for m in self.values):
            raise ValueError("values must be distinct and non-negative")

    @cached_property
    def shifts(self) -> tuple[Element | None, ...]:
        """``g^{-M_j}`` for each ``j`` (``None`` when ``M_j = 0``), cached."""
        return tuple(None if m == 0 else g_pow_int(-m) for m in self.values)


@dataclass(frozen=True, slots=True)
class MembershipProof:
    """``K`` pairs ``(c_j, s_j)``, one per allowed value, serialised ``[[c_0, s_0], …]``."""

    branches: tuple[CompactProof, ...]

    def to_json(self) -> list[JsonOut]:
        """``[[c_0, s_0], …, [c_{K-1}, s_{K-1}]]``."""
        return [b.to_json() for b in self.branches]

    @staticmethod
    def from_json(value: object, where: str, size: int) -> MembershipProof:
        """Strictly read exactly ``size`` pairs."""
        items = as_list(value, where)
        if len(items) != size:
            raise FormatError(f"{where}: expected {size} (challenge, response) pairs")
        return MembershipProof(
            tuple(CompactProof.from_json(v, f"{where}[{j}]") for j, v in enumerate(items))
        )


def _membership_challenge(
    context: Sequence[Part],
    public_key: Element,
    ciphertext: Ciphertext,
    values: ValueSet,
    commitments: list[Element],
) -> Scalar:
    return hash_to_scalar(
        Tag.MEMBERSHIP,
        context,
        G,
        public_key,
        list(values.values),
        ciphertext.alpha,
        ciphertext.beta,
        commitments,
    )


def prove_membership(
    context: Sequence[Part],
    public_key: Element,
    ciphertext: Ciphertext,
    values: ValueSet,
    index: int,
    nonce: Scalar,
    rng: RandomSource,
) -> MembershipProof:
    """Prove that ``(α, β) = Enc_y(M_i; r)`` for some ``i`` without revealing ``i``.

    Simulated branches ``j ≠ i``: ``c_j, s_j ←$``, and with ``t_j = s_j + r·c_j``
    the commitments are ``A_j = g^{t_j}``, ``B_j = y^{t_j} · g^{c_j (M_i − M_j)}``
    (equal to the verifier's ``g^{s_j}·α^{c_j}`` and ``y^{s_j}·(β/g^{M_j})^{c_j}``,
    computed with fixed bases since the prover knows ``r``). Real branch:
    ``w ←$``, ``A_i = g^w``, ``B_i = y^w``. Then
    ``c = H_ℓ(membership; context, g, y, M, α, β, A_0, B_0, …)``,
    ``c_i = c − Σ_{j≠i} c_j`` and ``s_i = w − r·c_i``.

    Randomness is drawn in this order: ``w``, then ``c_j, s_j`` for each
    ``j ≠ i`` in increasing ``j``.
    """
    k = len(values.values)
    if not 0 <= index < k:
        raise ValueError("index out of the value set")
    m_i = values.values[index]
    w = random_scalar(rng)
    branches: list[CompactProof | None] = [None] * k
    commitments: list[Element] = []
    simulated: dict[int, tuple[Scalar, Scalar]] = {}
    for j in range(k):
        if j != index:
            simulated[j] = (random_scalar(rng), random_scalar(rng))
    for j in range(k):
        if j == index:
            commitments += [g_pow(w), public_key**w]
        else:
            c_j, s_j = simulated[j]
            t_j = s_j + nonce * c_j
            shift = c_j * Scalar.reduce(m_i - values.values[j])
            commitments += [g_pow(t_j), public_key**t_j * g_pow(shift)]
            branches[j] = CompactProof(c_j, s_j)
    c = _membership_challenge(context, public_key, ciphertext, values, commitments)
    c_i = c
    for c_j, _ in simulated.values():
        c_i = c_i - c_j
    branches[index] = CompactProof(c_i, w - nonce * c_i)
    return MembershipProof(tuple(b for b in branches if b is not None))


def verify_membership(
    context: Sequence[Part],
    public_key: Element,
    ciphertext: Ciphertext,
    values: ValueSet,
    proof: MembershipProof,
) -> bool:
    """Check a membership proof.

    Recompute ``A_j = g^{s_j}·α^{c_j}`` and ``B_j = y^{s_j}·(β/g^{M_j})^{c_j}``
    for every ``j``, then check ``Σ_j c_j = H_ℓ(membership; context, g, y, M, α, β,
    A_0, B_0, …)``.
    """
    if len(proof.branches) != len(values.values):
        return False
    alpha, beta = ciphertext.alpha, ciphertext.beta
    commitments: list[Element] = []
    total = 0
    for branch, shift in zip(proof.branches, values.shifts, strict=True):
        c_j, s_j = branch.challenge, branch.response
        shifted = beta if shift is None else beta * shift
        commitments.append(g_pow(s_j) * alpha**c_j)
        commitments.append(public_key**s_j * shifted**c_j)
        total += c_j.value
    challenge = _membership_challenge(context, public_key, ciphertext, values, commitments)
    return total % ORDER == challenge.value
