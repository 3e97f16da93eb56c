"""The bulletin board: an append-only, hash-chained list of entries (spec §13).

Entry ``h`` (height, from 0) is ``{height, parent, kind, payload_hash,
payload}``; ``payload_hash`` = SHA-256 of the payload's canonical JSON, and
the entry's hash is SHA-256 of the canonical JSON of
``{height, kind, parent, payload_hash}``. ``parent`` is the previous entry's
hash (``null`` for entry 0); the *head* is the last entry's hash. Changing,
inserting or deleting any entry changes every later hash and the head.

Kinds must follow the phases (:func:`next_phase`)::

    setup → (void_credentials | ballot | spoiled_ballot)* → end_ballots
          → encrypted_tally → partial_decryption* → result

The archive (:meth:`Board.to_json`) is the whole board as one JSON document
``{"format": "tinnhiem.evote-archive/1", "entries": [...]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import cached_property
from typing import cast

from tinnhiem.crypto.canonical import (
    JsonOut,
    as_digest,
    as_int,
    as_list,
    as_str,
    digest,
    fields,
)
from tinnhiem.crypto.errors import BoardError, FormatError

ARCHIVE_FORMAT = "tinnhiem.evote-archive/1"


class Kind(StrEnum):
    """Entry kinds."""

    SETUP = "setup"
    VOID_CREDENTIALS = "void_credentials"
    BALLOT = "ballot"
    SPOILED_BALLOT = "spoiled_ballot"
    END_BALLOTS = "end_ballots"
    ENCRYPTED_TALLY = "encrypted_tally"
    PARTIAL_DECRYPTION = "partial_decryption"
    RESULT = "result"


class Phase(IntEnum):
    """Where the board is in its life."""

    EMPTY = 0
    VOTING = 1
    CLOSED = 2
    DECRYPTING = 3
    FINAL = 4


_TRANSITIONS: dict[Phase, dict[Kind, Phase]] = {
    Phase.EMPTY: {Kind.SETUP: Phase.VOTING},
    Phase.VOTING: {
        Kind.VOID_CREDENTIALS: Phase.VOTING,
        Kind.BALLOT: Phase.VOTING,
        Kind.SPOILED_BALLOT: Phase.VOTING,
        Kind.END_BALLOTS: Phase.CLOSED,
    },
    Phase.CLOSED: {Kind.ENCRYPTED_TALLY: Phase.DECRYPTING},
    Phase.DECRYPTING: {Kind.PARTIAL_DECRYPTION: Phase.DECRYPTING, Kind.RESULT: Phase.FINAL},
    Phase.FINAL: {},
}


def next_phase(phase: Phase, kind: Kind) -> Phase | None:
    """The phase after appending ``kind`` in ``phase``; ``None`` if not allowed."""
    return _TRANSITIONS[phase].get(kind)


def entry_hash(height: int, parent: str | None, kind: str, payload_hash: str) -> str:
    """SHA-256 of the canonical JSON of ``{height, kind, parent, payload_hash}``."""
    return digest({"height": height, "kind": kind, "parent": parent, "payload_hash": payload_hash})


@dataclass(frozen=True)
class Entry:
    """One board entry (``payload`` is the parsed JSON value)."""

    height: int
    parent: str | None
    kind: str
    payload_hash: str
    payload: object

    @cached_property
    def hash(self) -> str:
        """This entry's hash (the head, when it is the last entry)."""
        return entry_hash(self.height, self.parent, self.kind, self.payload_hash)

    def to_json(self) -> dict[str, JsonOut]:
        """``{"height", "parent", "kind", "payload_hash", "payload"}``."""
        return {
            "height": self.height,
            "parent": self.parent,
            "kind": self.kind,
            "payload_hash": self.payload_hash,
            "payload": cast(JsonOut, self.payload),
        }

    @staticmethod
    def from_json(value: object, where: str) -> Entry:
        """Strictly read an entry's shape (hashes are checked by :func:`chain_problems`)."""
        obj = fields(value, where, ("height", "parent", "kind", "payload_hash", "payload"))
        parent = obj["parent"]
        return Entry(
            height=as_int(obj["height"], f"{where}.height", 0),
            parent=None if parent is None else as_digest(parent, f"{where}.parent"),
            kind=as_str(obj["kind"], f"{where}.kind"),
            payload_hash=as_digest(obj["payload_hash"], f"{where}.payload_hash"),
            payload=obj["payload"],
        )


def read_entries(archive: object) -> list[Entry]:
    """Strictly read an archive document's header and entries (no hash checks)."""
    obj = fields(archive, "archive", ("format", "entries"))
    if as_str(obj["format"], "archive.format") != ARCHIVE_FORMAT:
        raise FormatError(f"archive.format: expected {ARCHIVE_FORMAT!r}")
    return [
        Entry.from_json(e, f"archive.entries[{h}]")
        for h, e in enumerate(as_list(obj["entries"], "archive.entries"))
    ]


def chain_problems(
    entries: Sequence[Entry],
    *,
    start: int = 0,
    parent: str | None = None,
    phase: Phase = Phase.EMPTY,
) -> list[tuple[int, str]]:
    """``(height, problem)`` for every broken rule of the chain.

    Checked: heights 0, 1, 2…; each payload hash; each parent = the previous
    entry's hash; kinds known and in phase order. ``start``, ``parent`` and
    ``phase`` continue a chain whose first ``start`` entries end with the hash
    ``parent`` in ``phase`` (the defaults: a whole chain).
    """
    out: list[tuple[int, str]] = []
    for position, entry in enumerate(entries, start=start):
        if entry.height != position:
            out.append((position, f"height {entry.height}, expected {position}"))
        if digest(cast(JsonOut, entry.payload)) != entry.payload_hash:
            out.append((position, "payload_hash is not the hash of the payload"))
        if entry.parent != parent:
            out.append((position, "parent is not the hash of the previous entry"))
        parent = entry.hash
        try:
            kind = Kind(entry.kind)
        except ValueError:
            out.append((position, f"unknown kind {entry.kind!r}"))
            continue
        after = next_phase(phase, kind)
        if after is None:
            out.append((position, f"{kind} not allowed in phase {phase.name.lower()}"))
        else:
            phase = after
    return out


def phase_of(entries: Sequence[Entry], phase: Phase = Phase.EMPTY) -> Phase:
    """The phase reached after ``entries`` (assumed valid), from ``phase``."""
    for entry in entries:
        phase = next_phase(phase, Kind(entry.kind)) or phase
    return phase


class Board:
    """An append-only board in memory. The server persists :meth:`to_json`."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self._phase = Phase.EMPTY

    @property
    def entries(self) -> Sequence[Entry]:
        """All entries, oldest first (read-only view)."""
        return tuple(self._entries)

    @property
    def head(self) -> str | None:
        """The last entry's hash (``None`` when empty)."""
        return self._entries[-1].hash if self._entries else None

    @property
    def height(self) -> int:
        """Number of entries (the next entry's height)."""
        return len(self._entries)

    @property
    def phase(self) -> Phase:
        """The current phase."""
        return self._phase

    def append(self, kind: Kind, payload: JsonOut) -> Entry:
        """Append an entry; :class:`BoardError` if ``kind`` is not allowed now."""
        after = next_phase(self._phase, kind)
        if after is None:
            raise BoardError(f"{kind} not allowed in phase {self._phase.name.lower()}")
        entry = Entry(self.height, self.head, kind.value, digest(payload), payload)
        self._entries.append(entry)
        self._phase = after
        return entry

    def extend(self, entries: Sequence[Entry]) -> None:
        """Append entries that continue this chain, as read back from storage (what
        another writer appended): heights, parents, payload hashes and phase order
        are checked first; :class:`BoardError` and nothing appended otherwise."""
        problems = chain_problems(entries, start=self.height, parent=self.head, phase=self._phase)
        if problems:
            height, message = problems[0]
            raise BoardError(f"entry {height}: {message}")
        self._entries.extend(entries)
        self._phase = phase_of(entries, self._phase)

    def to_json(self) -> dict[str, JsonOut]:
        """The archive document."""
        return {"format": ARCHIVE_FORMAT, "entries": [e.to_json() for e in self._entries]}

    @staticmethod
    def from_json(archive: object) -> Board:
        """Load an archive; :class:`FormatError` or :class:`BoardError` unless a valid chain."""
        entries = read_entries(archive)
        problems = chain_problems(entries)
        if problems:
            height, message = problems[0]
            raise BoardError(f"entry {height}: {message}")
        board = Board()
        board._entries = entries
        board._phase = phase_of(entries)
        return board

    def index_of(self, head: str) -> int | None:
        """The height of the entry whose hash is ``head``, if any."""
        for entry in self._entries:
            if entry.hash == head:
                return entry.height
        return None


def extends(entries: Sequence[Entry], saved_head: str, saved_height: int | None = None) -> bool:
    """Whether a previously saved head is an entry of this chain (``verify-diff``).

    If the chain is valid, this means the board at that time is a prefix of
    this one: nothing that was on it has been removed or changed.
    """
    for entry in entries:
        if entry.hash == saved_head:
            return saved_height is None or entry.height == saved_height
    return False
