"""Exponential ElGamal: round trip, homomorphism, discrete logarithms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.elgamal import (
    ZERO_CIPHERTEXT,
    Ciphertext,
    DiscreteLog,
    KeyPair,
    add_all,
    decrypt,
    encrypt,
    keygen,
)
from tinnhiem.crypto.errors import DecryptionError
from tinnhiem.crypto.group import g_pow_int, random_scalar
from tinnhiem.crypto.randomness import SeededRandom

DLOG = DiscreteLog(10_000)
KEYS = keygen(SeededRandom("elgamal-tests"))
FAST = settings(max_examples=50, deadline=None)


@FAST
@given(st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=8))
def test_round_trip(m: int, seed: bytes) -> None:
    rng = SeededRandom(seed)
    keys = keygen(rng)
    ct = encrypt(keys.public, m, random_scalar(rng))
    assert decrypt(ct, keys.secret, DLOG) == m
    assert Ciphertext.from_json(loads(dumps(ct.to_json())), "ct") == ct


@FAST
@given(st.lists(st.integers(min_value=0, max_value=500), max_size=12), st.binary(max_size=8))
def test_homomorphic_sum_is_the_sum_of_plaintexts(ms: list[int], seed: bytes) -> None:
    rng = SeededRandom(seed)
    cts = [encrypt(KEYS.public, m, random_scalar(rng)) for m in ms]
    assert decrypt(add_all(cts), KEYS.secret, DLOG) == sum(ms)
    if cts:
        acc = ZERO_CIPHERTEXT
        for c in cts:
            acc = acc * c
        assert acc == add_all(cts)


def test_encryption_is_randomised_and_explicit() -> None:
    rng = SeededRandom("r")
    r1, r2 = random_scalar(rng), random_scalar(rng)
    assert encrypt(KEYS.public, 1, r1) == encrypt(KEYS.public, 1, r1)
    assert encrypt(KEYS.public, 1, r1) != encrypt(KEYS.public, 1, r2)
    assert KeyPair.from_secret(KEYS.secret) == KEYS


@pytest.mark.parametrize("bound", [0, 1, 2, 3, 15, 16, 17, 99, 100, 101])
@pytest.mark.parametrize("step", [None, 1, 2, 7, 10_000])
def test_discrete_log_covers_exactly_its_range(bound: int, step: int | None) -> None:
    dlog = DiscreteLog(bound, step)
    for m in range(bound + 1):
        assert dlog.solve(g_pow_int(m)) == m
    for m in (bound + 1, bound + 2, 10 * bound + 7, -1):
        with pytest.raises(DecryptionError):
            dlog.solve(g_pow_int(m))


def test_discrete_log_up_to_ten_thousand() -> None:
    for m in (0, 1, 9_999, 10_000, 4_321):
        assert DLOG.solve(g_pow_int(m)) == m
    with pytest.raises(DecryptionError):
        DLOG.solve(g_pow_int(10_001))
    with pytest.raises(ValueError, match="bound"):
        DiscreteLog(-1)
    many = DiscreteLog.for_many(250_000, 44)
    assert many.step == 3_317
    assert many.solve(g_pow_int(249_999)) == 249_999
