"""The homomorphic tally of the board (spec §10).

* ``last(B)``: for every credential, its last ballot on the board (re-voting:
  a later ballot replaces an earlier one) — :func:`last_per_credential`.
* The encrypted tally: for every person ``p``,
  ``(Π α_p, Π β_p)`` over ``last(B)`` — :func:`compute_encrypted_tally`.
  It is a public, deterministic function of the complete board; no other
  aggregate is ever computed or accepted (design brief, Helios #170).
* The result: the decrypted totals ``T_p`` and their level counts
  (:class:`Result`, built by :func:`tinnhiem.crypto.decryption.decrypt_tally`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from tinnhiem.crypto.ballot import Ballot
from tinnhiem.crypto.canonical import (
    JsonOut,
    as_digest,
    as_int,
    as_list,
    as_str,
    digest,
    fields,
)
from tinnhiem.crypto.elgamal import ZERO_CIPHERTEXT, Ciphertext
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import Element

T = TypeVar("T")


def last_per_credential(items: Iterable[tuple[Element, T]]) -> list[T]:
    """``last(B)``: the last item of each credential, in board order of those last items."""
    last: dict[Element, tuple[int, T]] = {}
    for position, (credential, item) in enumerate(items):
        last[credential] = (position, item)
    return [item for _, item in sorted(last.values(), key=lambda pair: pair[0])]


@dataclass(frozen=True)
class EncryptedTally:
    """``num_tallied = |last(B)|`` and one aggregate ciphertext per person."""

    num_tallied: int
    ciphertexts: tuple[Ciphertext, ...]

    def to_json(self) -> dict[str, JsonOut]:
        """``{"num_tallied", "ciphertexts": [{"alpha", "beta"}, …]}``."""
        return {
            "num_tallied": self.num_tallied,
            "ciphertexts": [c.to_json() for c in self.ciphertexts],
        }

    @cached_property
    def fingerprint(self) -> str:
        """The tally hash: SHA-256 of the canonical JSON (bound into every partial decryption)."""
        return digest(self.to_json())

    @staticmethod
    def from_json(value: object, where: str = "encrypted_tally") -> EncryptedTally:
        """Strictly read an encrypted tally."""
        obj = fields(value, where, ("num_tallied", "ciphertexts"))
        return EncryptedTally(
            as_int(obj["num_tallied"], f"{where}.num_tallied", 0),
            tuple(
                Ciphertext.from_json(c, f"{where}.ciphertexts[{p}]")
                for p, c in enumerate(as_list(obj["ciphertexts"], f"{where}.ciphertexts"))
            ),
        )


def compute_encrypted_tally(ballots: Sequence[Ballot], persons: int) -> EncryptedTally:
    """The homomorphic sum, person by person, of ``ballots`` (which must be ``last(B)``)."""
    sums = [ZERO_CIPHERTEXT] * persons
    for ballot in ballots:
        if len(ballot.body.answers) != persons:
            raise ValueError("every ballot must have one answer per person")
        for p, answer in enumerate(ballot.body.answers):
            sums[p] = sums[p] * answer.ciphertext
    return EncryptedTally(len(ballots), tuple(sums))


@dataclass(frozen=True)
class Result:
    """The decrypted tally: per person, the total ``T_p`` and the count of each level.

    ``trustees`` is the set of trustees whose partial decryptions were
    combined (the Lagrange coefficients are for exactly this set).
    """

    num_tallied: int
    tally_hash: str
    trustees: tuple[int, ...]
    totals: tuple[int, ...]
    counts: tuple[Mapping[str, int], ...]

    def to_json(self) -> dict[str, JsonOut]:
        """``{"num_tallied", "tally_hash", "trustees", "totals", "counts"}``."""
        return {
            "num_tallied": self.num_tallied,
            "tally_hash": self.tally_hash,
            "trustees": list(self.trustees),
            "totals": list(self.totals),
            "counts": [dict(c) for c in self.counts],
        }

    @staticmethod
    def from_json(value: object, where: str = "result") -> Result:
        """Strictly read a result."""
        obj = fields(value, where, ("num_tallied", "tally_hash", "trustees", "totals", "counts"))
        counts: list[dict[str, int]] = []
        for p, c in enumerate(as_list(obj["counts"], f"{where}.counts")):
            if not isinstance(c, dict):
                raise FormatError(f"{where}.counts[{p}]: expected an object")
            counts.append(
                {
                    as_str(k, f"{where}.counts[{p}]"): as_int(v, f"{where}.counts[{p}].{k}", 0)
                    for k, v in c.items()
                }
            )
        return Result(
            num_tallied=as_int(obj["num_tallied"], f"{where}.num_tallied", 0),
            tally_hash=as_digest(obj["tally_hash"], f"{where}.tally_hash"),
            trustees=tuple(
                as_int(j, f"{where}.trustees[{i}]", 1)
                for i, j in enumerate(as_list(obj["trustees"], f"{where}.trustees"))
            ),
            totals=tuple(
                as_int(t, f"{where}.totals[{p}]", 0)
                for p, t in enumerate(as_list(obj["totals"], f"{where}.totals"))
            ),
            counts=tuple(counts),
        )
