"""Partial decryptions (trustee decryption shares): binding and tampering."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.helpers import flip
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.decryption import (
    PartialDecryption,
    decrypt_tally,
    make_partial_decryption,
    partial_decryption_problems,
)
from tinnhiem.crypto.dkg import Ceremony, run_ceremony
from tinnhiem.crypto.elgamal import encrypt
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import random_scalar
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.tally import EncryptedTally, Result

PHI = "ab" * 32


@cache
def setting() -> tuple[Ceremony, EncryptedTally, bytes]:
    rng = SeededRandom("decryption-tests")
    c = run_ceremony("decryption-tests-1", ["A", "B", "C"], 2, rng)
    y = c.trustees.public_key
    tally = EncryptedTally(3, tuple(encrypt(y, m, random_scalar(rng)) for m in (3, 6, 0)))
    pd = make_partial_decryption(PHI, tally, c.shares[1], c.keys[1], rng)
    return c, tally, dumps(pd.to_json())


def problems(pd: PartialDecryption, phi: str = PHI) -> list[str]:
    c, tally, _ = setting()
    j = pd.trustee
    return partial_decryption_problems(
        phi,
        tally,
        c.trustees.verification_keys[(j - 1) % 3].key,
        c.trustees.certificates[(j - 1) % 3].signing_key,
        pd,
    )


def test_a_partial_decryption_verifies_only_in_its_context() -> None:
    _, tally, data = setting()
    pd = PartialDecryption.from_json(loads(data))
    assert problems(pd) == []
    assert problems(pd, phi="cd" * 32)  # another election
    other = EncryptedTally(3, (tally.ciphertexts[1], tally.ciphertexts[0], tally.ciphertexts[2]))
    c = setting()[0]
    assert partial_decryption_problems(
        PHI, other, c.trustees.verification_keys[1].key, c.trustees.certificates[1].signing_key, pd
    )
    assert partial_decryption_problems(  # another trustee's key
        PHI, tally, c.trustees.verification_keys[0].key, c.trustees.certificates[0].signing_key, pd
    )


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_tampered_byte_of_a_decryption_share_is_detected(index: int, value: int) -> None:
    _, _, data = setting()
    try:
        pd = PartialDecryption.from_json(loads(flip(data, index, value)))
    except FormatError:
        return
    assert problems(pd)


def test_decrypt_tally_decodes_counts() -> None:
    c, tally, data = setting()
    from tinnhiem.crypto.election import Election, Person

    election = Election(
        uuid="decryption-tests-1",
        title="t",
        kind="poll",
        levels=("thap", "tin_nhiem", "cao"),
        base=4,
        n_max=3,
        t_min=0,
        persons=(Person("a", "A"), Person("b", "B"), Person("c", "C")),
        public_key=c.trustees.public_key,
        trustees_hash="0" * 64,
        credentials_hash="0" * 64,
    )
    rng = SeededRandom("decrypt-tally")
    pd1 = make_partial_decryption(PHI, tally, c.shares[0], c.keys[0], rng)
    result = decrypt_tally(election, tally, [pd1, PartialDecryption.from_json(loads(data))], 2)
    assert result.totals == (3, 6, 0)
    assert result.counts[0] == {"thap": 0, "tin_nhiem": 3, "cao": 0}
    assert result.counts[1] == {"thap": 0, "tin_nhiem": 2, "cao": 1}
    assert result.counts[2] == {"thap": 3, "tin_nhiem": 0, "cao": 0}
    assert Result.from_json(loads(dumps(result.to_json()))) == result
