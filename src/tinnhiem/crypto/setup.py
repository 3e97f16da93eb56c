"""The setup: election document, DKG transcript and public credential list (spec §12).

The first entry of the board. The election document carries the fingerprints
of the other two parts (``trustees_hash``, ``credentials_hash``), so the one
fingerprint ``φ`` written into the minutes commits to the whole setup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from tinnhiem.crypto.canonical import JsonOut, fields
from tinnhiem.crypto.credentials import (
    credentials_fingerprint,
    credentials_from_json,
    credentials_to_json,
    sorted_credentials,
)
from tinnhiem.crypto.dkg import TrusteesPublic
from tinnhiem.crypto.election import Election, Person, standard_levels
from tinnhiem.crypto.group import Element


@dataclass(frozen=True)
class Setup:
    """``{"election", "trustees", "credentials"}``; credentials sorted (``L``)."""

    election: Election
    trustees: TrusteesPublic
    credentials: tuple[Element, ...]

    def to_json(self) -> dict[str, JsonOut]:
        """The setup payload."""
        return {
            "election": self.election.to_json(),
            "trustees": self.trustees.to_json(),
            "credentials": credentials_to_json(self.credentials),
        }

    @cached_property
    def credential_set(self) -> frozenset[Element]:
        """``L`` as a set (for membership tests)."""
        return frozenset(self.credentials)

    def problems(self) -> list[str]:
        """Consistency of the three parts (the DKG itself: :func:`.dkg.verify_trustees`)."""
        out: list[str] = []
        if self.election.trustees_hash != self.trustees.fingerprint:
            out.append("election.trustees_hash is not the hash of the trustees structure")
        if self.election.credentials_hash != credentials_fingerprint(self.credentials):
            out.append("election.credentials_hash is not the fingerprint of the credential list")
        if self.election.public_key != self.trustees.public_key:
            out.append("election.public_key ≠ Π_i A_i0 of the DKG")
        return out

    @staticmethod
    def from_json(value: object, where: str = "setup") -> Setup:
        """Strictly read a setup payload."""
        obj = fields(value, where, ("election", "trustees", "credentials"))
        return Setup(
            Election.from_json(obj["election"], f"{where}.election"),
            TrusteesPublic.from_json(obj["trustees"], f"{where}.trustees"),
            credentials_from_json(obj["credentials"], f"{where}.credentials"),
        )


def make_setup(
    *,
    uuid: str,
    title: str,
    kind: str,
    persons: Sequence[Person],
    n_max: int,
    t_min: int,
    trustees: TrusteesPublic,
    credentials: Sequence[Element],
    allow_blank: bool = False,
) -> Setup:
    """Build a consistent setup with ``B = N_max + 1`` and the standard levels of ``kind``."""
    creds = sorted_credentials(credentials)
    election = Election(
        uuid=uuid,
        title=title,
        kind=kind,
        levels=standard_levels(kind, allow_blank),
        base=n_max + 1,
        n_max=n_max,
        t_min=t_min,
        persons=tuple(persons),
        public_key=trustees.public_key,
        trustees_hash=trustees.fingerprint,
        credentials_hash=credentials_fingerprint(creds),
    )
    return Setup(election, trustees, creds)
