"""Length-prefixed, typed, domain-separated hash input encoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem.crypto.group import G, Scalar
from tinnhiem.crypto.hashing import Tag, encode_part, hash_parts, sha256_hex
from tinnhiem.crypto.randomness import SeededRandom, system_random

leaf = st.one_of(
    st.binary(max_size=8), st.text(max_size=4), st.integers(min_value=0, max_value=2**64 - 1)
)
parts = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(parts, max_size=4), st.lists(parts, max_size=4))
def test_encoding_is_injective(a: list[object], b: list[object]) -> None:
    """Different tuples of parts never encode alike (so never hash alike by construction)."""
    enc_a = b"".join(encode_part(p) for p in a)  # type: ignore[arg-type]
    enc_b = b"".join(encode_part(p) for p in b)  # type: ignore[arg-type]
    if enc_a == enc_b:
        assert _typed(a) == _typed(b)


def _typed(value: object) -> object:
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value)


def test_kinds_separate_equal_bytes() -> None:
    assert encode_part(b"a") != encode_part("a")
    assert encode_part(1) != encode_part(b"\x00" * 7 + b"\x01")
    assert encode_part(G) != encode_part(G.to_bytes())
    assert encode_part(Scalar(1)) != encode_part(Scalar(1).to_bytes())
    assert encode_part([b"a", b"b"]) != encode_part([b"ab"])


def test_refused_parts() -> None:
    with pytest.raises(TypeError):
        encode_part(True)
    with pytest.raises(ValueError, match="range"):
        encode_part(-1)
    with pytest.raises(ValueError, match="range"):
        encode_part(2**64)
    with pytest.raises(TypeError):
        encode_part(1.5)  # type: ignore[arg-type]


def test_tags_are_distinct_and_versioned() -> None:
    tags = [v for k, v in vars(Tag).items() if not k.startswith("_")]
    assert len(tags) == len(set(tags))
    assert all(t.startswith("tinnhiem/v1/") for t in tags)
    assert hash_parts(Tag.MEMBERSHIP, b"x") != hash_parts(Tag.BALLOT_SIGNATURE, b"x")


def test_sha256_and_rngs() -> None:
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    a = SeededRandom("s")
    assert a.random_bytes(10) + a.random_bytes(100) == SeededRandom("s").random_bytes(110)
    assert SeededRandom(b"s").random_bytes(5) == SeededRandom("s").random_bytes(5)
    sysrng = system_random()
    assert len(sysrng.random_bytes(33)) == 33
    assert sysrng.random_bytes(16) != sysrng.random_bytes(16)
