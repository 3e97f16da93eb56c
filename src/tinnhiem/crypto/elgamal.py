"""Exponential ElGamal over ristretto255 (spec §4).

* Key pair: secret ``x`` (a scalar), public ``y = g^x``.
* ``Enc_y(m; r) = (α, β) = (g^r, y^r · g^m)`` for a small integer ``m`` and
  an explicit nonce ``r`` (:func:`encrypt`).
* Homomorphic addition: ``(α1, β1) ⊗ (α2, β2) = (α1·α2, β1·β2)`` encrypts
  ``m1 + m2`` (:meth:`Ciphertext.__mul__`, :func:`add_all`).
* Decryption factor ``F = α^x`` (:func:`decryption_factor`), then
  ``g^m = β / F`` (:func:`decrypt_to_element`) and ``m = log_g(g^m)`` by
  baby-step giant-step over a known range (:class:`DiscreteLog`).

With threshold keys, ``x`` is never held by one party: each trustee computes
its own factor, and :mod:`tinnhiem.crypto.decryption` combines them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import isqrt

from tinnhiem.crypto.canonical import JsonOut, fields
from tinnhiem.crypto.errors import DecryptionError
from tinnhiem.crypto.group import (
    IDENTITY,
    Element,
    Scalar,
    as_element,
    g_pow,
    g_pow_int,
    random_scalar,
)
from tinnhiem.crypto.randomness import RandomSource


@dataclass(frozen=True, slots=True)
class KeyPair:
    """An ElGamal key pair ``(x, y = g^x)``."""

    secret: Scalar
    public: Element

    @staticmethod
    def from_secret(secret: Scalar) -> KeyPair:
        """The pair for a given secret ``x``."""
        return KeyPair(secret, g_pow(secret))


def keygen(rng: RandomSource) -> KeyPair:
    """A fresh key pair: ``x`` uniform in [1, ℓ), ``y = g^x``."""
    return KeyPair.from_secret(random_scalar(rng))


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An exponential-ElGamal ciphertext ``(α, β)``."""

    alpha: Element
    beta: Element

    def __mul__(self, other: Ciphertext) -> Ciphertext:
        """Homomorphic addition of plaintexts: ``(α1·α2, β1·β2)``."""
        return Ciphertext(self.alpha * other.alpha, self.beta * other.beta)

    def to_json(self) -> dict[str, JsonOut]:
        """``{"alpha": hex, "beta": hex}``."""
        return {"alpha": self.alpha.hex(), "beta": self.beta.hex()}

    @staticmethod
    def from_json(value: object, where: str) -> Ciphertext:
        """Strictly read ``{"alpha", "beta"}``; both must be valid elements."""
        obj = fields(value, where, ("alpha", "beta"))
        return Ciphertext(
            as_element(obj["alpha"], f"{where}.alpha"), as_element(obj["beta"], f"{where}.beta")
        )


ZERO_CIPHERTEXT = Ciphertext(IDENTITY, IDENTITY)
"""``(1, 1)``: the neutral element of homomorphic addition (encrypts 0 with r = 0)."""


def encrypt(public_key: Element, m: int, r: Scalar) -> Ciphertext:
    """``Enc_y(m; r) = (g^r, y^r · g^m)``. The nonce ``r`` is explicit: never reuse it."""
    return Ciphertext(g_pow(r), (public_key**r) * g_pow_int(m))


def add_all(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """``⊗ c_i``: the ciphertext of the sum of the plaintexts (``(1, 1)`` if empty)."""
    alpha = IDENTITY
    beta = IDENTITY
    for c in ciphertexts:
        alpha = alpha * c.alpha
        beta = beta * c.beta
    return Ciphertext(alpha, beta)


def decryption_factor(ciphertext: Ciphertext, secret: Scalar) -> Element:
    """``F = α^x``: a (partial) decryption factor for the key share ``x``."""
    return ciphertext.alpha**secret


def decrypt_to_element(ciphertext: Ciphertext, factor: Element) -> Element:
    """``g^m = β / F``."""
    return ciphertext.beta / factor


class DiscreteLog:
    """Baby-step giant-step ``log_g`` for ``m`` in ``[0, bound]`` (spec §4.3).

    The table holds ``g^j`` for ``0 ≤ j < s``; a lookup takes at most
    ``⌈(bound + 1) / s⌉`` giant steps of ``g^{-s}``. One table serves every
    ciphertext of a tally, so for ``count`` lookups the cheapest ``s`` is about
    ``√(bound · count)`` (:meth:`for_many`); the default ``s = ⌊√bound⌋ + 1``
    suits a single lookup. ``bound = 10,000`` costs 101 group operations to
    build.
    """

    def __init__(self, bound: int, step: int | None = None) -> None:
        if bound < 0:
            raise ValueError("bound must be ≥ 0")
        self.bound = bound
        self.step = max(1, min(bound + 1, step if step is not None else isqrt(bound) + 1))
        table: dict[bytes, int] = {}
        e = IDENTITY
        g = g_pow_int(1)
        for j in range(self.step):
            table[e.to_bytes()] = j
            e = e * g
        self._table = table
        self._giant = g_pow_int(-self.step)

    @staticmethod
    def for_many(bound: int, count: int, max_step: int = 1 << 18) -> DiscreteLog:
        """A table sized for ``count`` lookups in ``[0, bound]`` (at most ``max_step`` entries)."""
        return DiscreteLog(bound, min(max_step, isqrt(bound * max(1, count)) + 1))

    def solve(self, h: Element) -> int:
        """``m`` with ``g^m = h`` and ``0 ≤ m ≤ bound``; :class:`DecryptionError` if none."""
        e = h
        for i in range(self.bound // self.step + 1):
            j = self._table.get(e.to_bytes())
            if j is not None:
                m = i * self.step + j
                if m <= self.bound:
                    return m
                break
            e = e * self._giant
        raise DecryptionError(f"no discrete logarithm in [0, {self.bound}]")


def decrypt(ciphertext: Ciphertext, secret: Scalar, dlog: DiscreteLog) -> int:
    """Decrypt with a whole secret key (tests and single-key use only)."""
    return dlog.solve(decrypt_to_element(ciphertext, decryption_factor(ciphertext, secret)))
