"""Canonical JSON and strict readers (spec §3).

Every hashed or signed document is hashed over its *canonical JSON*:
UTF-8, keys sorted by code point, no insignificant whitespace, no floats,
integers in decimal (:func:`dumps`). Reading is strict (:func:`loads`):
duplicate keys, floats, ``NaN``/``Infinity`` and invalid UTF-8 are refused.
The ``as_*`` readers check one value's type and report where it failed, and
:func:`fields` refuses unknown or missing keys, so a document parses only if
it has exactly the shape of the spec.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.hashing import sha256_hex

JsonOut: TypeAlias = "Mapping[str, JsonOut] | Sequence[JsonOut] | str | int | bool | None"
"""A JSON value built by this package (read-only view; no floats)."""


def dumps(value: JsonOut) -> bytes:
    """The canonical JSON encoding of ``value`` (UTF-8 bytes)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(value: JsonOut) -> str:
    """SHA-256 (lowercase hex) of the canonical JSON of ``value``."""
    return sha256_hex(dumps(value))


def _no_float(text: str) -> object:
    raise FormatError(f"floating-point number {text!r} not allowed")


def _no_constant(text: str) -> object:
    raise FormatError(f"{text} not allowed")


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise FormatError(f"duplicate key {key!r}")
        out[key] = value
    return out


def loads(data: bytes | str) -> object:
    """Parse JSON strictly (duplicate keys, floats, NaN, bad UTF-8 → :class:`FormatError`)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(
            text, object_pairs_hook=_pairs, parse_float=_no_float, parse_constant=_no_constant
        )
    except FormatError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, huge integers
        raise FormatError(f"not valid JSON: {exc}") from exc


def fields(
    value: object, where: str, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, object]:
    """``value`` as an object with exactly the ``required`` keys (plus any ``optional``)."""
    if not isinstance(value, dict):
        raise FormatError(f"{where}: expected an object")
    keys = set(value)
    missing = [k for k in required if k not in keys]
    if missing:
        raise FormatError(f"{where}: missing key(s) {', '.join(missing)}")
    unknown = sorted(keys - set(required) - set(optional))
    if unknown:
        raise FormatError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return value


def as_list(value: object, where: str) -> list[object]:
    """``value`` as a JSON array."""
    if not isinstance(value, list):
        raise FormatError(f"{where}: expected an array")
    return value


def as_str(value: object, where: str) -> str:
    """``value`` as a JSON string."""
    if not isinstance(value, str):
        raise FormatError(f"{where}: expected a string")
    return value


def as_int(value: object, where: str, minimum: int | None = None) -> int:
    """``value`` as a JSON integer (not a boolean), at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"{where}: expected an integer")
    if minimum is not None and value < minimum:
        raise FormatError(f"{where}: must be ≥ {minimum}")
    return value


def as_bool(value: object, where: str) -> bool:
    """``value`` as a JSON boolean."""
    if not isinstance(value, bool):
        raise FormatError(f"{where}: expected true or false")
    return value


_HEX = frozenset("0123456789abcdef")


def as_digest(value: object, where: str) -> str:
    """``value`` as a SHA-256 name: 64 lowercase hex digits."""
    if not isinstance(value, str) or len(value) != 64 or not _HEX.issuperset(value):
        raise FormatError(f"{where}: expected a SHA-256 digest (64 lowercase hex digits)")
    return value


def as_hex(value: object, where: str, length: int) -> bytes:
    """``value`` as exactly ``length`` bytes in lowercase hex."""
    if not isinstance(value, str) or len(value) != 2 * length or not _HEX.issuperset(value):
        raise FormatError(f"{where}: expected {2 * length} lowercase hex digits")
    return bytes.fromhex(value)


def located(where: str, exc: FormatError) -> FormatError:
    """Prefix a lower-level :class:`FormatError` with the JSON path it happened at."""
    return FormatError(f"{where}: {exc}")
