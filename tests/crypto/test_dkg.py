"""Pedersen DKG, k of n: transcript checks, complaints, threshold decryption."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.helpers import flip
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.decryption import (
    combine,
    lagrange_coefficient,
    make_partial_decryption,
)
from tinnhiem.crypto.dkg import (
    Ceremony,
    Complaint,
    TrusteesPublic,
    check_complaint,
    deal,
    finish,
    make_complaint,
    receive_share,
    run_ceremony,
    trustee_sign,
    verify_trustees,
)
from tinnhiem.crypto.elgamal import encrypt
from tinnhiem.crypto.errors import DecryptionError, FormatError, ShareComplaintError
from tinnhiem.crypto.group import Scalar, g_pow, g_pow_int, random_scalar
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.tally import EncryptedTally

UUID = "dkg-tests-0001"


@cache
def ceremony(n: int = 5, k: int = 3, seed: str = "dkg") -> Ceremony:
    return run_ceremony(UUID, [f"T{i}" for i in range(1, n + 1)], k, SeededRandom(seed))


def test_an_honest_ceremony_verifies() -> None:
    c = ceremony()
    assert verify_trustees(UUID, c.trustees) == []
    for share, vk in zip(c.shares, c.trustees.verification_keys, strict=True):
        assert g_pow(share.secret) == vk.key == c.trustees.expected_verification_key(vk.trustee)
    again = TrusteesPublic.from_json(loads(dumps(c.trustees.to_json())))
    assert again.fingerprint == c.trustees.fingerprint
    assert again.public_key == c.trustees.public_key
    # The transcript is bound to the election uuid.
    assert verify_trustees("another-uuid-01", c.trustees)


def test_the_secret_key_is_the_interpolation_of_any_k_shares() -> None:
    c = ceremony()
    for subset in ([1, 2, 3], [2, 4, 5], [1, 3, 5], [1, 2, 3, 4, 5]):
        x = Scalar(0)
        for j in subset:
            x = x + lagrange_coefficient(j, subset) * c.shares[j - 1].secret
        assert g_pow(x) == c.trustees.public_key


def test_a_bad_share_raises_a_complaint_that_blames_the_dealer() -> None:
    c = ceremony(3, 2)
    rng = SeededRandom("bad-dealer")
    certs = c.trustees.certificates
    dealing, _ = deal(UUID, 2, certs, c.keys[0], rng)
    bad_share = replace(dealing.shares[1], ciphertext=bytes(32))
    bad = replace(dealing, shares=(dealing.shares[0], bad_share, dealing.shares[2]))
    # Unsigned change: the signature check catches it first.
    with pytest.raises(ShareComplaintError, match="signature"):
        receive_share(UUID, 2, certs, bad, c.keys[1])
    # A dealer who signs a wrong share.
    bad = replace(
        bad, signature=trustee_sign([UUID, "dealing", 1], c.keys[0], bad.body_json(), rng)
    )
    with pytest.raises(ShareComplaintError) as exc:
        receive_share(UUID, 2, certs, bad, c.keys[1])
    assert (exc.value.dealer, exc.value.recipient) == (1, 2)
    complaint = make_complaint(UUID, bad, c.keys[1], rng)
    assert Complaint.from_json(loads(dumps(complaint.to_json())), "c") == complaint
    assert check_complaint(UUID, 2, certs, bad, complaint) is True
    # Other trustees are not affected.
    receive_share(UUID, 2, certs, bad, c.keys[2])
    # An unfounded complaint against an honest dealer blames the complainer.
    honest = make_complaint(UUID, dealing, c.keys[1], rng)
    assert check_complaint(UUID, 2, certs, dealing, honest) is False
    # A complaint with a made-up key does not verify.
    forged = replace(complaint, key=complaint.key * g_pow_int(1))
    assert check_complaint(UUID, 2, certs, bad, forged) is False


def test_a_wrong_commitment_is_caught_by_the_share_check() -> None:
    c = ceremony(3, 2)
    rng = SeededRandom("bad-commitment")
    certs = c.trustees.certificates
    dealing, poly = deal(UUID, 2, certs, c.keys[0], rng)
    other, _ = deal(UUID, 2, certs, c.keys[0], rng)
    mixed = replace(dealing, commitments=other.commitments, proofs=other.proofs)
    mixed = replace(
        mixed, signature=trustee_sign([UUID, "dealing", 1], c.keys[0], mixed.body_json(), rng)
    )
    with pytest.raises(ShareComplaintError, match="commitments"):
        finish(UUID, 2, certs, (mixed, *c.trustees.dealings[1:]), c.keys[1], rng)
    assert poly(0) != Scalar(0)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_tampered_byte_of_the_transcript_is_detected(index: int, value: int) -> None:
    data = dumps(ceremony(3, 2).trustees.to_json())
    try:
        tampered = TrusteesPublic.from_json(loads(flip(data, index, value)))
    except FormatError:
        return
    assert verify_trustees(UUID, tampered) != []


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.integers(min_value=1, max_value=n),
            st.permutations(range(1, n + 1)),
            st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=3),
        )
    )
)
def test_k_of_n_trustees_decrypt_and_k_minus_1_cannot(
    case: tuple[int, int, list[int], list[int]],
) -> None:
    n, k, order, plaintexts = case
    c = ceremony(n, k, f"dkg-{n}-{k}")
    rng = SeededRandom(f"threshold-{n}-{k}")
    y = c.trustees.public_key
    tally = EncryptedTally(1, tuple(encrypt(y, m, random_scalar(rng)) for m in plaintexts))
    phi = "0" * 64
    partials = {
        j: make_partial_decryption(phi, tally, c.shares[j - 1], c.keys[j - 1], rng)
        for j in range(1, n + 1)
    }
    chosen = sorted(order[:k])
    decrypted = combine(tally, [partials[j] for j in chosen], k)
    assert decrypted == tuple(g_pow_int(m) for m in plaintexts)
    if k >= 2:
        fewer = [partials[j] for j in sorted(order[: k - 1])]
        with pytest.raises(DecryptionError):
            combine(tally, fewer, k)
        # Forcing the interpolation with k − 1 factors gives garbage.
        wrong = combine(tally, fewer, k - 1)
        assert all(w != g_pow_int(m) for w, m in zip(wrong, plaintexts, strict=True))


def test_lagrange_and_combine_argument_checks() -> None:
    with pytest.raises(ValueError, match="distinct"):
        lagrange_coefficient(1, [1, 1, 2])
    with pytest.raises(ValueError, match="distinct"):
        lagrange_coefficient(3, [1, 2])
    with pytest.raises(ValueError, match="distinct"):
        lagrange_coefficient(0, [0, 1])
    c = ceremony(3, 2)
    rng = SeededRandom("combine")
    tally = EncryptedTally(1, (encrypt(c.trustees.public_key, 1, random_scalar(rng)),))
    pd = make_partial_decryption("0" * 64, tally, c.shares[0], c.keys[0], rng)
    with pytest.raises(DecryptionError, match="twice"):
        combine(tally, [pd, pd], 2)
    with pytest.raises(ValueError, match="different trustees"):
        make_partial_decryption("0" * 64, tally, c.shares[0], c.keys[1], rng)
    with pytest.raises(ValueError, match="threshold"):
        deal(UUID, 4, c.trustees.certificates, c.keys[0], rng)
