"""Sources of randomness, always passed explicitly (spec §2.3).

No function of the core draws randomness on its own: every nonce comes from a
:class:`RandomSource` argument. Two sources exist:

* :func:`system_random` — the operating system's CSPRNG (:mod:`secrets`), for
  real ceremonies and ballots;
* :class:`SeededRandom` — a deterministic stream (SHA-512 in counter mode
  under the ``tinnhiem/v1/rng`` tag) for tests, known-answer vectors and
  benchmarks. **Never** use it for a real election: anyone who knows the
  seed knows every nonce, and so every vote.
"""

from __future__ import annotations

import secrets
from typing import Protocol

from tinnhiem.crypto.hashing import Tag, hash_parts


class RandomSource(Protocol):
    """Anything that returns uniformly random bytes."""

    def random_bytes(self, n: int) -> bytes:
        """``n`` random bytes."""
        ...


class _SystemRandom:
    """The OS CSPRNG through :func:`secrets.token_bytes`."""

    def random_bytes(self, n: int) -> bytes:
        """``n`` bytes from :func:`secrets.token_bytes`."""
        return secrets.token_bytes(n)


def system_random() -> RandomSource:
    """The randomness source for real use: the operating system's CSPRNG."""
    return _SystemRandom()


class SeededRandom:
    """Deterministic bytes: block *i* = ``H(rng; seed, i)`` (SHA-512), concatenated.

    For tests and known-answer vectors only.
    """

    def __init__(self, seed: bytes | str) -> None:
        self._seed = seed.encode("utf-8") if isinstance(seed, str) else bytes(seed)
        self._counter = 0
        self._buffer = b""

    def random_bytes(self, n: int) -> bytes:
        """The next ``n`` bytes of the stream."""
        while len(self._buffer) < n:
            self._buffer += hash_parts(Tag.RNG, self._seed, self._counter)
            self._counter += 1
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out
