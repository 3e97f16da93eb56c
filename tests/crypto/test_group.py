"""ristretto255 value types, encodings and hashing into the group."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import (
    IDENTITY,
    ORDER,
    Element,
    G,
    Scalar,
    g_pow,
    g_pow_int,
    hash_to_element,
    hash_to_scalar,
    parse_hex32,
    product,
    random_scalar,
)
from tinnhiem.crypto.randomness import SeededRandom

scalars = st.integers(min_value=0, max_value=ORDER - 1).map(Scalar)
FAST = settings(max_examples=40, deadline=None)


def test_order_and_generator() -> None:
    assert g_pow(Scalar(ORDER - 1)) * G == IDENTITY
    assert G ** Scalar(ORDER - 1) == G.inverse()
    assert g_pow_int(-1) == G.inverse()
    assert IDENTITY.hex() == "00" * 32


def test_identity_and_zero_special_cases() -> None:
    assert g_pow(Scalar(0)) == IDENTITY
    assert G ** Scalar(0) == IDENTITY
    assert IDENTITY ** Scalar(5) == IDENTITY
    assert IDENTITY * G == G
    assert product([]) == IDENTITY
    with pytest.raises(FormatError):
        Element.decode(bytes(32), allow_identity=False)


@pytest.mark.parametrize(
    "text",
    [
        "00" * 31,
        "00" * 33,
        "E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76",
        "zz" * 32,
        " " + "00" * 31 + "0",
    ],
)
def test_hex_must_be_64_lowercase_digits(text: str) -> None:
    with pytest.raises(FormatError):
        parse_hex32(text)


def test_scalars_must_be_canonical() -> None:
    with pytest.raises(FormatError):
        Scalar.from_bytes(ORDER.to_bytes(32, "little"))
    with pytest.raises(FormatError):
        Scalar.from_bytes(b"\xff" * 32)
    assert Scalar.from_bytes((ORDER - 1).to_bytes(32, "little")).value == ORDER - 1
    with pytest.raises(ValueError, match="range"):
        Scalar(ORDER)
    with pytest.raises(TypeError):
        Scalar(True)
    with pytest.raises(ZeroDivisionError):
        Scalar(0).inverse()


def test_values_are_immutable_and_hashable() -> None:
    with pytest.raises(AttributeError):
        G._encoded = b""  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Scalar(1).value = 2  # type: ignore[misc]
    assert len({G, Element.from_hex(G.hex()), IDENTITY}) == 2
    assert len({Scalar(1), Scalar.reduce(ORDER + 1)}) == 1


@FAST
@given(scalars, scalars)
def test_exponent_laws(a: Scalar, b: Scalar) -> None:
    assert g_pow(a) * g_pow(b) == g_pow(a + b)
    assert g_pow(a) / g_pow(b) == g_pow(a - b)
    assert g_pow(a) ** b == g_pow(a * b)
    assert G**a == g_pow(a)
    if not a.is_zero():
        assert (g_pow(b) ** a) ** a.inverse() == g_pow(b)


@FAST
@given(st.binary(min_size=32, max_size=32))
def test_decode_accepts_only_what_it_reencodes(data: bytes) -> None:
    try:
        e = Element.decode(data)
    except FormatError:
        return
    assert e.to_bytes() == data
    assert Element.decode((e * G).to_bytes()) == e * G


@FAST
@given(st.binary(max_size=40), st.binary(max_size=40))
def test_hash_to_group_is_domain_separated(a: bytes, b: bytes) -> None:
    assert hash_to_scalar("tag/a", a) != hash_to_scalar("tag/b", a)
    if a != b:
        assert hash_to_scalar("tag/a", a) != hash_to_scalar("tag/a", b)
        assert hash_to_element("tag/a", a) != hash_to_element("tag/a", b)
    assert hash_to_element("tag/a", a) == hash_to_element("tag/a", a)


def test_random_scalars_are_nonzero_and_reproducible() -> None:
    a = [random_scalar(SeededRandom("x")) for _ in range(3)]
    assert len(set(a)) == 1
    rng = SeededRandom("x")
    b = [random_scalar(rng) for _ in range(50)]
    assert len(set(b)) == 50
    assert all(not s.is_zero() for s in b)
