"""Threshold decryption of the encrypted tally (spec §11).

* Trustee ``j`` holding ``S_j`` publishes, for every person ``p``, the factor
  ``F_{pj} = α_p^{S_j}`` with a Chaum–Pedersen proof
  ``log_g VK_j = log_{α_p} F_{pj}`` whose context is ``(φ, tally hash, j, p)``,
  and signs the whole :class:`PartialDecryption` with its PKI key. The proof
  is bound to the tally hash: a factor cannot be reused for another aggregate.
* Any set ``T`` of at least ``k`` trustees combines:
  ``F_p = Π_{j∈T} F_{pj}^{λ_j}`` with ``λ_j = Π_{m∈T, m≠j} m / (m − j)``
  (:func:`lagrange_coefficient`), then ``g^{T_p} = β_p / F_p`` and ``T_p`` by
  baby-step giant-step (:func:`decrypt_tally`). With fewer than ``k``
  factors the interpolation is of the wrong polynomial and yields garbage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tinnhiem.crypto.canonical import JsonOut, as_digest, as_int, as_list, fields
from tinnhiem.crypto.dkg import TrusteeKeys, TrusteeShare, trustee_sign, trustee_verify
from tinnhiem.crypto.election import Election
from tinnhiem.crypto.elgamal import DiscreteLog, decrypt_to_element
from tinnhiem.crypto.errors import DecryptionError
from tinnhiem.crypto.group import Element, G, Scalar, as_element, product
from tinnhiem.crypto.hashing import Part, Tag
from tinnhiem.crypto.proofs import CompactProof, prove_dleq, verify_dleq
from tinnhiem.crypto.randomness import RandomSource
from tinnhiem.crypto.tally import EncryptedTally, Result


def factor_context(election_hash: str, tally_hash: str, trustee: int, person: int) -> list[Part]:
    """The Fiat–Shamir context of a decryption factor: ``(φ, tally hash, j, p)``."""
    return [election_hash, tally_hash, trustee, person]


def signature_context(election_hash: str, trustee: int) -> list[Part]:
    """The context of a partial decryption's signature: ``(φ, "partial-decryption", j)``."""
    return [election_hash, "partial-decryption", trustee]


@dataclass(frozen=True)
class PartialDecryption:
    """Trustee ``j``'s factors ``F_{pj}`` with proofs, for one tally hash, signed."""

    trustee: int
    tally_hash: str
    factors: tuple[Element, ...]
    proofs: tuple[CompactProof, ...]
    signature: CompactProof

    def body_json(self) -> dict[str, JsonOut]:
        """The signed part: ``{"trustee", "tally_hash", "factors": [{"factor", "proof"}…]}``."""
        return {
            "trustee": self.trustee,
            "tally_hash": self.tally_hash,
            "factors": [
                {"factor": f.hex(), "proof": p.to_json()}
                for f, p in zip(self.factors, self.proofs, strict=True)
            ],
        }

    def to_json(self) -> dict[str, JsonOut]:
        """The body plus ``"signature"``."""
        return {**self.body_json(), "signature": self.signature.to_json()}

    @staticmethod
    def from_json(value: object, where: str = "partial_decryption") -> PartialDecryption:
        """Strictly read a partial decryption."""
        obj = fields(value, where, ("trustee", "tally_hash", "factors", "signature"))
        factors: list[Element] = []
        proofs: list[CompactProof] = []
        for p, item in enumerate(as_list(obj["factors"], f"{where}.factors")):
            fo = fields(item, f"{where}.factors[{p}]", ("factor", "proof"))
            factors.append(as_element(fo["factor"], f"{where}.factors[{p}].factor"))
            proofs.append(CompactProof.from_json(fo["proof"], f"{where}.factors[{p}].proof"))
        return PartialDecryption(
            trustee=as_int(obj["trustee"], f"{where}.trustee", 1),
            tally_hash=as_digest(obj["tally_hash"], f"{where}.tally_hash"),
            factors=tuple(factors),
            proofs=tuple(proofs),
            signature=CompactProof.from_json(obj["signature"], f"{where}.signature"),
        )


def make_partial_decryption(
    election_hash: str,
    tally: EncryptedTally,
    share: TrusteeShare,
    keys: TrusteeKeys,
    rng: RandomSource,
) -> PartialDecryption:
    """Trustee ``j``'s factors ``α_p^{S_j}`` with proofs, signed.

    Call only after this trustee's own device has verified the whole board
    and recomputed ``tally`` from it (spec §(a) step 8).
    """
    if share.index != keys.index:
        raise ValueError("the share and the keys belong to different trustees")
    j = share.index
    tally_hash = tally.fingerprint
    factors: list[Element] = []
    proofs: list[CompactProof] = []
    for p, ct in enumerate(tally.ciphertexts):
        f = ct.alpha**share.secret
        factors.append(f)
        proofs.append(
            prove_dleq(
                Tag.PARTIAL_DECRYPTION,
                factor_context(election_hash, tally_hash, j, p),
                share.secret,
                G,
                share.verification_key,
                ct.alpha,
                f,
                rng,
            )
        )
    unsigned = PartialDecryption(j, tally_hash, tuple(factors), tuple(proofs), proofs[0])
    signature = trustee_sign(signature_context(election_hash, j), keys, unsigned.body_json(), rng)
    return PartialDecryption(j, tally_hash, tuple(factors), tuple(proofs), signature)


def partial_decryption_problems(
    election_hash: str,
    tally: EncryptedTally,
    verification_key: Element,
    signing_key: Element,
    partial: PartialDecryption,
) -> list[str]:
    """Check one partial decryption against ``tally``, ``VK_j`` and ``SK_j``."""
    j = partial.trustee
    out: list[str] = []
    if partial.tally_hash != tally.fingerprint:
        out.append(f"trustee {j}: partial decryption is for another tally")
    if len(partial.factors) != len(tally.ciphertexts):
        return [*out, f"trustee {j}: expected {len(tally.ciphertexts)} factors"]
    if not trustee_verify(
        signature_context(election_hash, j), signing_key, partial.body_json(), partial.signature
    ):
        out.append(f"trustee {j}: the signature does not verify")
    for p, (ct, f, proof) in enumerate(
        zip(tally.ciphertexts, partial.factors, partial.proofs, strict=True)
    ):
        if not verify_dleq(
            Tag.PARTIAL_DECRYPTION,
            factor_context(election_hash, tally.fingerprint, j, p),
            G,
            verification_key,
            ct.alpha,
            f,
            proof,
        ):
            out.append(f"trustee {j}: the proof of factor {p} does not verify")
    return out


def lagrange_coefficient(j: int, indices: Sequence[int]) -> Scalar:
    """``λ_j = Π_{m ∈ T, m ≠ j} m / (m − j) mod ℓ`` (interpolation at 0)."""
    if j not in indices or len(set(indices)) != len(indices) or min(indices) < 1:
        raise ValueError("indices must be distinct trustees ≥ 1 and include j")
    num = Scalar(1)
    den = Scalar(1)
    for m in indices:
        if m != j:
            num = num * Scalar.reduce(m)
            den = den * Scalar.reduce(m - j)
    return num * den.inverse()


def combine(
    tally: EncryptedTally, partials: Sequence[PartialDecryption], threshold: int
) -> tuple[Element, ...]:
    """``g^{T_p} = β_p / Π_{j∈T} F_{pj}^{λ_j}`` for the set ``T`` of ``partials``.

    Raises :class:`DecryptionError` with fewer than ``threshold`` distinct
    trustees. Proofs are *not* checked here (see
    :func:`partial_decryption_problems`).
    """
    indices = [pd.trustee for pd in partials]
    if len(set(indices)) != len(indices):
        raise DecryptionError("a trustee appears twice")
    if len(indices) < threshold:
        raise DecryptionError(f"{len(indices)} partial decryptions, {threshold} needed")
    lambdas = [lagrange_coefficient(j, indices) for j in indices]
    out: list[Element] = []
    for p, ct in enumerate(tally.ciphertexts):
        factor = product(pd.factors[p] ** lam for pd, lam in zip(partials, lambdas, strict=True))
        out.append(decrypt_to_element(ct, factor))
    return tuple(out)


def decrypt_tally(
    election: Election,
    tally: EncryptedTally,
    partials: Sequence[PartialDecryption],
    threshold: int,
    dlog: DiscreteLog | None = None,
) -> Result:
    """Combine, solve the discrete logs and decode each total into level counts."""
    elements = combine(tally, partials, threshold)
    bound = election.dlog_bound(tally.num_tallied)
    if dlog is None or dlog.bound < bound:
        dlog = DiscreteLog.for_many(bound, len(elements))
    totals = tuple(dlog.solve(e) for e in elements)
    counts = tuple(election.decode_total(t, tally.num_tallied) for t in totals)
    return Result(
        num_tallied=tally.num_tallied,
        tally_hash=tally.fingerprint,
        trustees=tuple(pd.trustee for pd in partials),
        totals=totals,
        counts=counts,
    )
