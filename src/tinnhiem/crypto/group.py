"""The group: ristretto255 (RFC 9496) through libsodium, bundled by ``rbcl`` (spec §1).

Notation follows the spec and Belenios: the group is written
multiplicatively. ``g`` is the standard generator (:data:`G`), ``ℓ``
(:data:`ORDER`) the prime group order, ``1`` the identity
(:data:`IDENTITY`).

* :class:`Scalar` — an integer modulo ℓ, canonical 32-byte little-endian
  encoding. Scalar arithmetic is Python integer arithmetic.
* :class:`Element` — a group element held as its canonical 32-byte
  ristretto255 encoding. :meth:`Element.decode` is the *only* way to turn
  untrusted bytes into an element, and it rejects every non-canonical or
  invalid encoding (for ristretto255, decoding *is* the subgroup check: there
  is no cofactor to clear). ``a * b`` is the group operation, ``a / b`` its
  inverse, ``a ** k`` exponentiation by a scalar, :func:`g_pow` the
  fixed-base exponentiation ``g^k``.
* :func:`hash_to_scalar` and :func:`hash_to_element` — hashing with domain
  separation (SHA-512 → reduction mod ℓ, resp. RFC 9496 element derivation).

Side channels: libsodium's ristretto255 arithmetic is constant-time, but this
module adds Python on top: scalars are Python integers (variable-time
arithmetic, copies left in memory), the special cases for the identity and
the zero scalar branch on secret-independent *and* secret-dependent values
alike, and nothing is ever wiped. No side-channel guarantee is made beyond
libsodium's own; secret keys should live only on the trustee's and the
voter's own devices.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import rbcl  # type: ignore[import-untyped]

from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.hashing import Part, Tag, hash_parts
from tinnhiem.crypto.randomness import RandomSource

ORDER = 2**252 + 27742317777372353535851937790883648493
"""ℓ, the prime order of ristretto255."""

ENCODING_LENGTH = 32
"""Bytes in the canonical encoding of an element or a scalar."""

_IDENTITY_BYTES = bytes(32)


def _b(value: object) -> bytes:
    """Type the untyped rbcl results (always ``bytes``)."""
    assert isinstance(value, bytes)
    return value


class Scalar:
    """An integer modulo ℓ (a secret key, a nonce, a challenge, a response).

    ``Scalar(n)`` requires ``0 ≤ n < ℓ``; :meth:`reduce` maps any integer.
    Equality and hashing are by value.
    """

    __slots__ = ("value",)
    HASH_KIND: ClassVar[int] = 0x06

    value: int

    def __init__(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("a scalar is built from an int")
        if not 0 <= value < ORDER:
            raise ValueError("scalar out of range [0, ℓ); use Scalar.reduce")
        object.__setattr__(self, "value", value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Scalar is immutable")

    @staticmethod
    def reduce(value: int) -> Scalar:
        """``value mod ℓ``."""
        return Scalar(value % ORDER)

    @staticmethod
    def from_bytes(data: bytes) -> Scalar:
        """Decode a canonical 32-byte little-endian scalar; reject ``≥ ℓ``."""
        if len(data) != ENCODING_LENGTH:
            raise FormatError("a scalar is 32 bytes")
        value = int.from_bytes(data, "little")
        if value >= ORDER:
            raise FormatError("non-canonical scalar (≥ ℓ)")
        return Scalar(value)

    @staticmethod
    def from_hex(text: object) -> Scalar:
        """Decode 64 lowercase hex digits (see :func:`parse_hex32`)."""
        return Scalar.from_bytes(parse_hex32(text))

    def to_bytes(self) -> bytes:
        """Canonical encoding: 32 bytes little-endian."""
        return self.value.to_bytes(ENCODING_LENGTH, "little")

    def hex(self) -> str:
        """Canonical encoding as 64 lowercase hex digits."""
        return self.to_bytes().hex()

    def __add__(self, other: Scalar) -> Scalar:
        return Scalar((self.value + other.value) % ORDER)

    def __sub__(self, other: Scalar) -> Scalar:
        return Scalar((self.value - other.value) % ORDER)

    def __mul__(self, other: Scalar) -> Scalar:
        return Scalar(self.value * other.value % ORDER)

    def __neg__(self) -> Scalar:
        return Scalar(-self.value % ORDER)

    def inverse(self) -> Scalar:
        """``k^{-1} mod ℓ``; the zero scalar has no inverse."""
        if self.value == 0:
            raise ZeroDivisionError("the zero scalar has no inverse")
        return Scalar(pow(self.value, -1, ORDER))

    def is_zero(self) -> bool:
        """Whether ``k = 0``."""
        return self.value == 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scalar) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("Scalar", self.value))

    def __repr__(self) -> str:
        return f"Scalar(0x{self.value:x})"


class Element:
    """A ristretto255 group element, held as its canonical 32-byte encoding.

    Build one with :meth:`decode` / :meth:`from_hex` (validated), :func:`g_pow`,
    or group operations. Equality and hashing are by encoding, which is
    canonical, so equal elements have equal encodings.
    """

    __slots__ = ("_encoded",)
    HASH_KIND: ClassVar[int] = 0x05

    _encoded: bytes

    def __init__(self, _trusted_encoding: bytes) -> None:
        # Private: callers must use decode() for untrusted bytes.
        object.__setattr__(self, "_encoded", _trusted_encoding)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Element is immutable")

    @staticmethod
    def decode(data: bytes, *, allow_identity: bool = True) -> Element:
        """Decode and validate a canonical ristretto255 encoding (RFC 9496 §4.3.1).

        Rejects wrong lengths, non-canonical and invalid encodings. The
        identity (32 zero bytes) is accepted unless ``allow_identity`` is
        false (public keys and credentials must not be the identity).
        """
        if not isinstance(data, bytes) or len(data) != ENCODING_LENGTH:
            raise FormatError("an element is 32 bytes")
        if data == _IDENTITY_BYTES:
            if not allow_identity:
                raise FormatError("the identity element is not allowed here")
            return IDENTITY
        if not rbcl.crypto_core_ristretto255_is_valid_point(data):
            raise FormatError("invalid ristretto255 encoding")
        return Element(data)

    @staticmethod
    def from_hex(text: object, *, allow_identity: bool = True) -> Element:
        """Decode 64 lowercase hex digits, then :meth:`decode`."""
        return Element.decode(parse_hex32(text), allow_identity=allow_identity)

    def to_bytes(self) -> bytes:
        """Canonical 32-byte encoding."""
        return self._encoded

    def hex(self) -> str:
        """Canonical encoding as 64 lowercase hex digits."""
        return self._encoded.hex()

    def is_identity(self) -> bool:
        """Whether this is the identity element ``1``."""
        return self._encoded == _IDENTITY_BYTES

    def __mul__(self, other: Element) -> Element:
        """The group operation ``a · b``."""
        return Element(_b(rbcl.crypto_core_ristretto255_add(self._encoded, other._encoded)))

    def __truediv__(self, other: Element) -> Element:
        """``a / b = a · b^{-1}``."""
        return Element(_b(rbcl.crypto_core_ristretto255_sub(self._encoded, other._encoded)))

    def inverse(self) -> Element:
        """``a^{-1}``."""
        return IDENTITY / self

    def __pow__(self, exponent: Scalar) -> Element:
        """``a^k`` for a scalar ``k`` (constant time in libsodium for k ≠ 0, a ≠ 1)."""
        if exponent.value == 0 or self._encoded == _IDENTITY_BYTES:
            return IDENTITY
        return Element(_b(rbcl.crypto_scalarmult_ristretto255(exponent.to_bytes(), self._encoded)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Element) and other._encoded == self._encoded

    def __hash__(self) -> int:
        return hash(self._encoded)

    def __repr__(self) -> str:
        return f"Element({self._encoded.hex()})"


IDENTITY = Element(_IDENTITY_BYTES)
"""The identity element ``1`` (encoded as 32 zero bytes)."""

G = Element(bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"))
"""The standard generator ``g`` of ristretto255 (RFC 9496 §4.4)."""


def g_pow(exponent: Scalar) -> Element:
    """``g^k``, with libsodium's fixed-base table (about 3× faster than ``G ** k``)."""
    if exponent.value == 0:
        return IDENTITY
    return Element(_b(rbcl.crypto_scalarmult_ristretto255_base(exponent.to_bytes())))


def g_pow_int(m: int) -> Element:
    """``g^m`` for a (small, possibly negative) integer ``m``: the plaintext encoding."""
    return g_pow(Scalar.reduce(m))


def product(elements: Iterable[Element]) -> Element:
    """``Π e_i`` (the identity for an empty product)."""
    acc = IDENTITY
    for e in elements:
        acc = acc * e
    return acc


def random_scalar(rng: RandomSource) -> Scalar:
    """A uniformly random non-zero scalar: 64 random bytes reduced mod ℓ (bias < 2^-250)."""
    while True:
        k = Scalar.reduce(int.from_bytes(rng.random_bytes(64), "little"))
        if not k.is_zero():
            return k


def hash_to_scalar(tag: str, *parts: Part) -> Scalar:
    """``H_ℓ(tag; parts…)`` = SHA-512 of the framed input, read little-endian, mod ℓ.

    Every Fiat–Shamir challenge of the protocol is computed with this function
    and its own tag (:class:`tinnhiem.crypto.hashing.Tag`).
    """
    digest = hash_parts(Tag.HASH_TO_SCALAR, tag, *parts)
    return Scalar.reduce(int.from_bytes(digest, "little"))


def hash_to_element(tag: str, *parts: Part) -> Element:
    """``H_G(tag; parts…)``: RFC 9496 element derivation of a SHA-512 digest.

    An element whose discrete logarithm to ``g`` nobody knows.
    """
    digest = hash_parts(Tag.HASH_TO_ELEMENT, tag, *parts)
    return Element(_b(rbcl.crypto_core_ristretto255_from_hash(digest)))


_HEX_DIGITS = frozenset("0123456789abcdef")


def parse_hex32(text: object) -> bytes:
    """Exactly 64 *lowercase* hex digits → 32 bytes.

    Uppercase is refused so that every value has one spelling: a tampered
    letter case must change a document's hash, never leave it equivalent.
    """
    if not isinstance(text, str) or len(text) != 64 or not _HEX_DIGITS.issuperset(text):
        raise FormatError("expected 64 lowercase hex digits")
    return bytes.fromhex(text)


def as_element(value: object, where: str, *, allow_identity: bool = True) -> Element:
    """Read a JSON value as an element (64 lowercase hex digits, validated)."""
    try:
        return Element.from_hex(value, allow_identity=allow_identity)
    except FormatError as exc:
        raise FormatError(f"{where}: {exc}") from None


def as_scalar(value: object, where: str) -> Scalar:
    """Read a JSON value as a canonical scalar (64 lowercase hex digits, < ℓ)."""
    try:
        return Scalar.from_bytes(parse_hex32(value))
    except FormatError as exc:
        raise FormatError(f"{where}: {exc}") from None
