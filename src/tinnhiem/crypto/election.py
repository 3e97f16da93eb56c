"""The election definition and the level encoding (spec §6).

The *election* document fixes everything a ballot is checked against; its
SHA-256 over canonical JSON is the election fingerprint ``φ``
(:attr:`Election.fingerprint`), which voters, trustees and the committee
compare and which every proof and signature hashes.

Level encoding (design brief §(a), "vote encoding"): one exponential-ElGamal
ciphertext per person; the ``K`` levels of a question are encoded as
``M = (0, 1, B, B², …, B^{K-2})`` in the order of :attr:`Election.levels`,
with the base ``B = N_max + 1``. The homomorphic total ``T`` of one person
then reads, in base ``B``, as the counts of levels 1…K−1 (each ≤ N_max < B,
so the digits never carry), and level 0 is ``num_tallied − Σ`` the others.

Standard level lists (:data:`STANDARD_LEVELS`):

* poll (lấy phiếu, 3 levels): ``thap → 0, tin_nhiem → 1, cao → B``;
* poll with a blank option: ``blank → 0, tin_nhiem → 1, cao → B, thap → B²``;
* binding vote (bỏ phiếu, 2 levels): ``khong_tin_nhiem → 0, tin_nhiem → 1``;
* binding vote with blank: ``blank → 0, tin_nhiem → 1, khong_tin_nhiem → B``.

Level codes are the wire codes of ``tinnhiem.conference-record/1``
(``cao``, ``tin_nhiem``, ``thap``, ``khong_tin_nhiem``) plus ``blank``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from tinnhiem.crypto.canonical import (
    JsonOut,
    as_digest,
    as_int,
    as_list,
    as_str,
    dumps,
    fields,
)
from tinnhiem.crypto.errors import DecryptionError, FormatError
from tinnhiem.crypto.group import Element, as_element
from tinnhiem.crypto.hashing import PROTOCOL_VERSION, sha256_hex
from tinnhiem.crypto.proofs import ValueSet

GROUP_NAME = "ristretto255"
ELECTION_VERSION = 1

POLL = "poll"
BINDING = "binding"
BLANK = "blank"

STANDARD_LEVELS: Mapping[tuple[str, bool], tuple[str, ...]] = {
    (POLL, False): ("thap", "tin_nhiem", "cao"),
    (POLL, True): (BLANK, "tin_nhiem", "cao", "thap"),
    (BINDING, False): ("khong_tin_nhiem", "tin_nhiem"),
    (BINDING, True): (BLANK, "tin_nhiem", "khong_tin_nhiem"),
}
"""``(kind, allow_blank) → levels``, level ``i`` being encoded as ``0`` or ``B^{i-1}``."""

_UUID = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True, slots=True)
class Person:
    """One person on the ballot (one encrypted answer per ballot)."""

    id: str
    name: str

    def to_json(self) -> dict[str, JsonOut]:
        """``{"id", "name"}``."""
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Election:
    """The election document (its canonical JSON hashes to φ).

    Attributes map to the spec: ``uuid``, ``kind``, ``levels`` (ordered as
    encoded), ``base`` = ``B``, ``n_max`` = ``N_max``, ``t_min`` = ``T_min``,
    ``persons`` (one answer each, index ``p`` = position), ``public_key`` =
    ``y``, ``trustees_hash`` and ``credentials_hash`` (fingerprints of the
    trustees structure and of the public credential list ``L``).
    """

    uuid: str
    title: str
    kind: str
    levels: tuple[str, ...]
    base: int
    n_max: int
    t_min: int
    persons: tuple[Person, ...]
    public_key: Element
    trustees_hash: str
    credentials_hash: str

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise FormatError("election: " + "; ".join(problems))

    def problems(self) -> list[str]:
        """Structural problems (empty when the election is well formed)."""
        out: list[str] = []
        if not _UUID.fullmatch(self.uuid):
            out.append("uuid must be 8–64 characters from [A-Za-z0-9_-]")
        if self.kind not in (POLL, BINDING):
            out.append(f"kind must be {POLL!r} or {BINDING!r}")
        elif self.levels not in (
            STANDARD_LEVELS[(self.kind, False)],
            STANDARD_LEVELS[(self.kind, True)],
        ):
            out.append(f"levels {list(self.levels)} are not a standard list for kind {self.kind!r}")
        if self.n_max < 1:
            out.append("n_max must be ≥ 1")
        if self.base <= self.n_max:
            out.append(f"base B = {self.base} must exceed n_max = {self.n_max}")
        if not 0 <= self.t_min <= self.n_max:
            out.append("t_min must be in [0, n_max]")
        if not self.persons:
            out.append("at least one person")
        ids = [p.id for p in self.persons]
        if len(set(ids)) != len(ids):
            out.append("person ids must be distinct")
        if self.public_key.is_identity():
            out.append("the public key must not be the identity")
        if self.base ** max(len(self.levels) - 2, 0) * self.n_max >= 2**63:
            out.append("encoded totals would not fit in 63 bits")
        return out

    @property
    def allows_blank(self) -> bool:
        """Whether level 0 is the blank option."""
        return self.levels[0] == BLANK

    @cached_property
    def value_set(self) -> ValueSet:
        """``M = (0, 1, B, …, B^{K-2})``, the plaintexts a membership proof allows."""
        return ValueSet(
            tuple(0 if i == 0 else self.base ** (i - 1) for i in range(len(self.levels)))
        )

    def value_of(self, level: str) -> int:
        """The plaintext ``M_i`` encoding ``level``."""
        try:
            return self.value_set.values[self.levels.index(level)]
        except ValueError:
            raise FormatError(f"unknown level {level!r} for this election") from None

    def dlog_bound(self, num_tallied: int) -> int:
        """The largest possible total of one person: ``num_tallied · B^{K-2}``."""
        return num_tallied * self.value_set.values[-1]

    def decode_total(self, total: int, num_tallied: int) -> dict[str, int]:
        """Split a decrypted total ``T`` into counts per level (base-``B`` digits).

        Raises :class:`DecryptionError` when ``T`` is not a possible total for
        ``num_tallied`` ballots (a digit above ``N_max`` or a sum above
        ``num_tallied``): that can only come from invalid ballots or a wrong
        decryption.
        """
        counts: dict[str, int] = {}
        rest = total
        k = len(self.levels)
        for i in range(1, k):
            digit = rest if i == k - 1 else rest % self.base
            rest = 0 if i == k - 1 else rest // self.base
            if digit > self.n_max:
                raise DecryptionError(f"count {digit} of level {self.levels[i]!r} exceeds n_max")
            counts[self.levels[i]] = digit
        explicit = sum(counts.values())
        if total < 0 or explicit > num_tallied:
            raise DecryptionError(f"total {total} is impossible for {num_tallied} ballots")
        return {self.levels[0]: num_tallied - explicit, **counts}

    def to_json(self) -> dict[str, JsonOut]:
        """The election document."""
        return {
            "version": ELECTION_VERSION,
            "protocol": PROTOCOL_VERSION,
            "group": GROUP_NAME,
            "uuid": self.uuid,
            "title": self.title,
            "kind": self.kind,
            "levels": list(self.levels),
            "base": self.base,
            "n_max": self.n_max,
            "t_min": self.t_min,
            "persons": [p.to_json() for p in self.persons],
            "public_key": self.public_key.hex(),
            "trustees_hash": self.trustees_hash,
            "credentials_hash": self.credentials_hash,
        }

    @cached_property
    def _canonical(self) -> bytes:
        return dumps(self.to_json())

    def canonical(self) -> bytes:
        """The canonical JSON of the election document (computed once)."""
        return self._canonical

    @cached_property
    def fingerprint(self) -> str:
        """``φ`` = SHA-256 (hex) of the canonical JSON of the election document."""
        return sha256_hex(self._canonical)

    @staticmethod
    def from_json(value: object, where: str = "election") -> Election:
        """Strictly read an election document (protocol, group and version must match)."""
        keys = (
            "version", "protocol", "group", "uuid", "title", "kind", "levels", "base",
            "n_max", "t_min", "persons", "public_key", "trustees_hash", "credentials_hash",
        )  # fmt: skip
        obj = fields(value, where, keys)
        if as_int(obj["version"], f"{where}.version") != ELECTION_VERSION:
            raise FormatError(f"{where}.version: only version {ELECTION_VERSION} is known")
        if as_str(obj["protocol"], f"{where}.protocol") != PROTOCOL_VERSION:
            raise FormatError(f"{where}.protocol: expected {PROTOCOL_VERSION!r}")
        if as_str(obj["group"], f"{where}.group") != GROUP_NAME:
            raise FormatError(f"{where}.group: expected {GROUP_NAME!r}")
        persons = []
        for i, p in enumerate(as_list(obj["persons"], f"{where}.persons")):
            po = fields(p, f"{where}.persons[{i}]", ("id", "name"))
            persons.append(
                Person(
                    as_str(po["id"], f"{where}.persons[{i}].id"),
                    as_str(po["name"], f"{where}.persons[{i}].name"),
                )
            )
        return Election(
            uuid=as_str(obj["uuid"], f"{where}.uuid"),
            title=as_str(obj["title"], f"{where}.title"),
            kind=as_str(obj["kind"], f"{where}.kind"),
            levels=tuple(
                as_str(v, f"{where}.levels[{i}]")
                for i, v in enumerate(as_list(obj["levels"], f"{where}.levels"))
            ),
            base=as_int(obj["base"], f"{where}.base", 2),
            n_max=as_int(obj["n_max"], f"{where}.n_max", 1),
            t_min=as_int(obj["t_min"], f"{where}.t_min", 0),
            persons=tuple(persons),
            public_key=as_element(obj["public_key"], f"{where}.public_key", allow_identity=False),
            trustees_hash=as_digest(obj["trustees_hash"], f"{where}.trustees_hash"),
            credentials_hash=as_digest(obj["credentials_hash"], f"{where}.credentials_hash"),
        )


def standard_levels(kind: str, allow_blank: bool = False) -> tuple[str, ...]:
    """The level list of a ``kind`` (``poll`` / ``binding``), with or without blank."""
    try:
        return STANDARD_LEVELS[(kind, allow_blank)]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}") from None
