"""Hash functions with domain separation and length-prefixed encoding (spec §2).

* ``H(tag; x1, …, xn)`` = SHA-512 of ``enc(tag) ‖ enc(x1) ‖ … ‖ enc(xn)``, where
  every item is encoded as a one-byte *kind*, an 8-byte big-endian length and
  the item's bytes (:func:`encode_part`). Two different tuples of items never
  encode to the same byte string, and items of different kinds never collide.
* The *tag* (:data:`Tag`) names the purpose: every proof type, signature and
  derivation has its own tag, so a hash computed for one purpose is never a
  valid challenge for another.
* ``SHA-256`` (:func:`sha256_hex`) names documents: the election fingerprint
  φ, ballot trackers, board entries.

Group elements and scalars are hashed through the :class:`Encodable`
protocol (their 32-byte canonical encodings, with their own kinds), so this
module does not depend on :mod:`tinnhiem.crypto.group`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import ClassVar, Protocol, TypeAlias, cast

PROTOCOL_VERSION = "tinnhiem/v1"
"""Prefix of every domain-separation tag; bumped on any incompatible change."""


class Tag:
    """The domain-separation tags of protocol version 1 (spec §2.2)."""

    RNG = f"{PROTOCOL_VERSION}/rng"
    HASH_TO_SCALAR = f"{PROTOCOL_VERSION}/hash-to-scalar"
    HASH_TO_ELEMENT = f"{PROTOCOL_VERSION}/hash-to-element"
    CREDENTIAL = f"{PROTOCOL_VERSION}/credential"
    MEMBERSHIP = f"{PROTOCOL_VERSION}/membership-proof"
    BALLOT_SIGNATURE = f"{PROTOCOL_VERSION}/ballot-signature"
    TRUSTEE_SIGNATURE = f"{PROTOCOL_VERSION}/trustee-signature"
    KEY_POSSESSION = f"{PROTOCOL_VERSION}/key-possession"
    COEFFICIENT = f"{PROTOCOL_VERSION}/dkg-coefficient"
    VERIFICATION_KEY = f"{PROTOCOL_VERSION}/dkg-verification-key"
    SHARE_PAD = f"{PROTOCOL_VERSION}/dkg-share-pad"
    COMPLAINT = f"{PROTOCOL_VERSION}/dkg-complaint"
    PARTIAL_DECRYPTION = f"{PROTOCOL_VERSION}/partial-decryption"


class Encodable(Protocol):
    """A value with a fixed-length canonical encoding (an element or a scalar)."""

    HASH_KIND: ClassVar[int]

    def to_bytes(self) -> bytes:
        """The canonical encoding."""
        ...


Part: TypeAlias = "bytes | str | int | Encodable | Sequence[Part]"
"""An item of a hash input: bytes, text (UTF-8), a non-negative integer < 2^64,
an element or scalar, or a list or tuple of items."""

KIND_BYTES = 0x01
KIND_TEXT = 0x02
KIND_INT = 0x03
KIND_LIST = 0x04
KIND_ELEMENT = 0x05
KIND_SCALAR = 0x06


def _frame(kind: int, data: bytes) -> bytes:
    return bytes((kind,)) + len(data).to_bytes(8, "big") + data


def encode_part(part: Part) -> bytes:
    """``enc(x)``: kind byte ‖ 8-byte big-endian length ‖ bytes of ``x``.

    Lists (and tuples) are framed as kind ``0x04`` around the concatenated
    encodings of their items, the length being the number of items.
    """
    kind = getattr(part, "HASH_KIND", None)
    if kind is not None:  # an element or a scalar: the common case, checked first
        return _frame(kind, cast(Encodable, part).to_bytes())
    if isinstance(part, bytes):
        return _frame(KIND_BYTES, part)
    if isinstance(part, str):
        return _frame(KIND_TEXT, part.encode("utf-8"))
    if isinstance(part, bool):
        raise TypeError("booleans are not hashed; use 0 or 1")
    if isinstance(part, int):
        if not 0 <= part < 2**64:
            raise ValueError(f"integer {part} out of the hashable range [0, 2^64)")
        return _frame(KIND_INT, part.to_bytes(8, "big"))
    if isinstance(part, (list, tuple)):
        return (
            bytes((KIND_LIST,))
            + len(part).to_bytes(8, "big")
            + b"".join([encode_part(p) for p in part])
        )
    raise TypeError(f"cannot hash a {type(part).__name__}")


def hash_parts(tag: str, *parts: Part) -> bytes:
    """``H(tag; parts…)``: the 64-byte SHA-512 digest of the framed items."""
    h = hashlib.sha512(encode_part(tag))
    for part in parts:
        h.update(encode_part(part))
    return h.digest()


def sha256_hex(data: bytes) -> str:
    """Lowercase hex SHA-256 of ``data``: the name of a document (φ, trackers, entries)."""
    return hashlib.sha256(data).hexdigest()
