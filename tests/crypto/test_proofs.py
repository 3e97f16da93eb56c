"""Schnorr, Chaum–Pedersen and membership proofs: completeness, soundness checks,
strong Fiat–Shamir binding, and tampering of any byte."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.helpers import flip
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.elgamal import Ciphertext, encrypt, keygen
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import G, Scalar, g_pow, hash_to_element, random_scalar
from tinnhiem.crypto.hashing import Tag
from tinnhiem.crypto.proofs import (
    CompactProof,
    MembershipProof,
    ValueSet,
    prove_dleq,
    prove_dlog,
    prove_membership,
    sign,
    verify_dleq,
    verify_dlog,
    verify_membership,
    verify_signature,
)
from tinnhiem.crypto.randomness import SeededRandom

RNG = SeededRandom("proof-tests")
KEYS = keygen(RNG)
POLL = ValueSet((0, 1, 6))
POLL_BLANK = ValueSet((0, 1, 6, 36))
BINDING = ValueSet((0, 1))
FAST = settings(max_examples=30, deadline=None)


def test_schnorr_and_signature() -> None:
    x = random_scalar(RNG)
    proof = prove_dlog(Tag.KEY_POSSESSION, ["ctx"], x, g_pow(x), RNG)
    assert verify_dlog(Tag.KEY_POSSESSION, ["ctx"], g_pow(x), proof)
    assert not verify_dlog(Tag.KEY_POSSESSION, ["other"], g_pow(x), proof)
    assert not verify_dlog(Tag.COEFFICIENT, ["ctx"], g_pow(x), proof)
    assert not verify_dlog(Tag.KEY_POSSESSION, ["ctx"], g_pow(x) * G, proof)
    sig = sign(Tag.BALLOT_SIGNATURE, ["φ"], x, g_pow(x), b"message", RNG)
    assert verify_signature(Tag.BALLOT_SIGNATURE, ["φ"], g_pow(x), b"message", sig)
    assert not verify_signature(Tag.BALLOT_SIGNATURE, ["φ"], g_pow(x), b"messagf", sig)
    # A proof of knowledge of the wrong secret does not verify.
    wrong = prove_dlog(Tag.KEY_POSSESSION, ["ctx"], x + Scalar(1), g_pow(x), RNG)
    assert not verify_dlog(Tag.KEY_POSSESSION, ["ctx"], g_pow(x), wrong)


def test_chaum_pedersen() -> None:
    x = random_scalar(RNG)
    h = hash_to_element("test", "h")
    proof = prove_dleq(Tag.PARTIAL_DECRYPTION, ["c"], x, G, g_pow(x), h, h**x, RNG)
    assert verify_dleq(Tag.PARTIAL_DECRYPTION, ["c"], G, g_pow(x), h, h**x, proof)
    assert not verify_dleq(Tag.PARTIAL_DECRYPTION, ["c"], G, g_pow(x), h, h**x * G, proof)
    assert not verify_dleq(Tag.PARTIAL_DECRYPTION, ["d"], G, g_pow(x), h, h**x, proof)
    # Different logarithms: an honest-looking proof cannot be made.
    bad = prove_dleq(Tag.PARTIAL_DECRYPTION, ["c"], x, G, g_pow(x), h, h ** (x + x), RNG)
    assert not verify_dleq(Tag.PARTIAL_DECRYPTION, ["c"], G, g_pow(x), h, h ** (x + x), bad)
    # Generic first base.
    proof2 = prove_dleq(Tag.COMPLAINT, [], x, h, h**x, G, g_pow(x), RNG)
    assert verify_dleq(Tag.COMPLAINT, [], h, h**x, G, g_pow(x), proof2)


@FAST
@given(
    st.sampled_from([POLL, POLL_BLANK, BINDING]),
    st.integers(min_value=0, max_value=3),
    st.binary(max_size=8),
)
def test_membership_proofs_verify_for_every_allowed_value(
    values: ValueSet, index: int, seed: bytes
) -> None:
    index %= len(values.values)
    rng = SeededRandom(seed)
    r = random_scalar(rng)
    ct = encrypt(KEYS.public, values.values[index], r)
    proof = prove_membership(["φ", 3], KEYS.public, ct, values, index, r, rng)
    assert verify_membership(["φ", 3], KEYS.public, ct, values, proof)
    # Strong Fiat–Shamir: another person, credential, key or value set fails.
    assert not verify_membership(["φ", 4], KEYS.public, ct, values, proof)
    assert not verify_membership(["ψ", 3], KEYS.public, ct, values, proof)
    assert not verify_membership(["φ", 3], KEYS.public * G, ct, values, proof)
    other = ValueSet((*values.values[:-1], values.values[-1] + 1))
    assert not verify_membership(["φ", 3], KEYS.public, ct, other, proof)
    # Re-randomising the ciphertext breaks the proof.
    moved = Ciphertext(ct.alpha * G, ct.beta * KEYS.public)
    assert not verify_membership(["φ", 3], KEYS.public, moved, values, proof)


@pytest.mark.parametrize("m", [2, 5, 7, 35, 37, 1000])
def test_membership_cannot_be_proved_for_a_value_outside_the_set(m: int) -> None:
    """An overvote (T11): the prover claims every index in turn; nothing verifies."""
    r = random_scalar(RNG)
    ct = encrypt(KEYS.public, m, r)
    for index in range(len(POLL_BLANK.values)):
        proof = prove_membership(["φ"], KEYS.public, ct, POLL_BLANK, index, r, RNG)
        assert not verify_membership(["φ"], KEYS.public, ct, POLL_BLANK, proof)


def test_membership_proof_of_wrong_size_is_refused() -> None:
    r = random_scalar(RNG)
    ct = encrypt(KEYS.public, 1, r)
    proof = prove_membership(["φ"], KEYS.public, ct, POLL, 1, r, RNG)
    assert not verify_membership(["φ"], KEYS.public, ct, POLL_BLANK, proof)
    with pytest.raises(FormatError):
        MembershipProof.from_json(proof.to_json(), "p", 4)
    with pytest.raises(ValueError, match="index"):
        prove_membership(["φ"], KEYS.public, ct, POLL, 3, r, RNG)
    with pytest.raises(ValueError, match="distinct"):
        ValueSet((0, 0))


PROOF_BYTES = dumps(
    prove_membership(
        ["φ"], KEYS.public, encrypt(KEYS.public, 6, Scalar(12345)), POLL, 2, Scalar(12345), RNG
    ).to_json()
)
CIPHERTEXT = encrypt(KEYS.public, 6, Scalar(12345))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_tampered_byte_of_a_proof_fails(index: int, value: int) -> None:
    tampered = flip(PROOF_BYTES, index, value)
    try:
        proof = MembershipProof.from_json(loads(tampered), "p", 3)
    except FormatError:
        return
    assert not verify_membership(["φ"], KEYS.public, CIPHERTEXT, POLL, proof)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_tampered_byte_of_a_ciphertext_fails(index: int, value: int) -> None:
    proof = MembershipProof.from_json(loads(PROOF_BYTES), "p", 3)
    tampered = flip(dumps(CIPHERTEXT.to_json()), index, value)
    try:
        ct = Ciphertext.from_json(loads(tampered), "ct")
    except FormatError:
        return
    assert not verify_membership(["φ"], KEYS.public, ct, POLL, proof)


def test_compact_proof_json_is_strict() -> None:
    p = CompactProof(Scalar(0xAB), Scalar(2))
    assert CompactProof.from_json(loads(dumps(p.to_json())), "p") == p
    for bad in ([], [p.challenge.hex()], [1, 2], {"c": 1}, [p.challenge.hex().upper(), "00" * 32]):
        with pytest.raises(FormatError):
            CompactProof.from_json(bad, "p")
