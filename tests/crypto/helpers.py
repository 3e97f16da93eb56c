"""Shared small elections and tampering helpers for the crypto tests."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import SimulatedElection, simulate_election
from tinnhiem.crypto.verify import Minutes, Report, verify_archive


def new_election(seed: str = "tests-small", **kwargs: Any) -> SimulatedElection:
    """A fresh, finished small election: poll, 2 persons, 4 voters + 1 spare card,
    trustees 2 of 3, one re-vote, one audited ballot (each call builds a new one)."""
    options: dict[str, Any] = {
        "uuid": "tests-election-01",
        "persons": 2,
        "voters": 4,
        "trustees": 3,
        "threshold": 2,
    }
    options.update(kwargs)
    return simulate_election(rng=SeededRandom(seed), **options)


@cache
def _finished() -> tuple[bytes, Minutes]:
    sim = new_election()
    return dumps(sim.box.board.to_json()), sim.minutes()


def finished_archive() -> tuple[Any, Minutes]:
    """The archive (a fresh parsed copy) and minutes of the shared finished election."""
    data, minutes = _finished()
    return loads(data), minutes


def finished_archive_bytes() -> bytes:
    """The canonical JSON bytes of the shared finished election's archive."""
    return _finished()[0]


def check(archive: Any, minutes: Minutes | None = None, workers: int = 1) -> Report:
    """:func:`verify_archive` on a deep copy (so tests can keep mutating their copy)."""
    return verify_archive(copy.deepcopy(archive), minutes, workers=workers)


def flip(data: bytes, index: int, value: int) -> bytes:
    """``data`` with the byte at ``index`` replaced by a *different* byte."""
    i = index % len(data)
    new = value % 256
    if new == data[i]:
        new = (new + 1) % 256
    return data[:i] + bytes((new,)) + data[i + 1 :]
