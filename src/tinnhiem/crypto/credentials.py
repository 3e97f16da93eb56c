"""Voter credentials: anonymous signing keys printed on cards (spec §7).

Helios-C / Belenios credentials, adapted to cards drawn from a box:

* the credential authority generates one *private credential* per card, a
  string of :data:`CREDENTIAL_LENGTH` Base58 characters (about 129 bits);
* the signing key is ``x = H_ℓ(credential; uuid, c)`` and the *public
  credential* ``X = g^x`` (:func:`credential_keypair`): a card only works for
  the election whose uuid it was made for;
* the server receives only the sorted list ``L`` of public credentials, whose
  SHA-256 (:func:`credentials_fingerprint`) goes into the election and into
  the minutes; unissued cards are voided by publishing their public
  credentials.

A ballot counts only if it is signed with a key whose public credential is in
``L`` and not voided, so the server cannot add ballots without the private
credentials it never sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from tinnhiem.crypto.canonical import JsonOut, as_list, digest
from tinnhiem.crypto.elgamal import KeyPair
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import Element, as_element, hash_to_scalar
from tinnhiem.crypto.hashing import Tag
from tinnhiem.crypto.randomness import RandomSource

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
"""Bitcoin's Base58 alphabet (no 0, O, I, l)."""

CREDENTIAL_LENGTH = 22
"""Characters in a private credential: 22 · log2(58) ≈ 128.9 bits."""


def generate_credential(rng: RandomSource) -> str:
    """A fresh private credential: 22 uniform Base58 characters (rejection sampling)."""
    out: list[str] = []
    while len(out) < CREDENTIAL_LENGTH:
        for byte in rng.random_bytes(32):
            if byte < 58 * 4 and len(out) < CREDENTIAL_LENGTH:
                out.append(BASE58_ALPHABET[byte % 58])
    return "".join(out)


def check_credential_syntax(credential: str) -> None:
    """Raise :class:`FormatError` unless ``credential`` is 22 Base58 characters."""
    if len(credential) != CREDENTIAL_LENGTH or any(ch not in BASE58_ALPHABET for ch in credential):
        raise FormatError(f"a credential is {CREDENTIAL_LENGTH} Base58 characters")


def credential_keypair(election_uuid: str, credential: str) -> KeyPair:
    """``x = H_ℓ(credential; uuid, c)`` and ``X = g^x``."""
    check_credential_syntax(credential)
    secret = hash_to_scalar(Tag.CREDENTIAL, election_uuid, credential)
    return KeyPair.from_secret(secret)


def sorted_credentials(publics: Iterable[Element]) -> tuple[Element, ...]:
    """``L`` in canonical order: sorted by encoding, duplicates refused."""
    items = sorted(publics, key=Element.to_bytes)
    for a, b in pairwise(items):
        if a == b:
            raise FormatError("duplicate public credential")
    return tuple(items)


def credentials_to_json(publics: Sequence[Element]) -> list[JsonOut]:
    """The JSON list of hex public credentials (in the given order)."""
    return [p.hex() for p in publics]


def credentials_fingerprint(publics: Iterable[Element]) -> str:
    """SHA-256 of the canonical JSON of the sorted list ``L`` (hex)."""
    return digest(credentials_to_json(sorted_credentials(publics)))


def credentials_from_json(value: object, where: str) -> tuple[Element, ...]:
    """Strictly read a credential list: valid non-identity elements, sorted, distinct."""
    items = tuple(
        as_element(v, f"{where}[{i}]", allow_identity=False)
        for i, v in enumerate(as_list(value, where))
    )
    for i in range(1, len(items)):
        if items[i - 1].to_bytes() >= items[i].to_bytes():
            raise FormatError(f"{where}: credentials must be sorted and distinct (at {i})")
    return items
