"""Known-answer vectors: the code reproduces the committed encodings exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rbcl  # type: ignore[import-untyped]

from tests.crypto import kat
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.elgamal import Ciphertext
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import Element, G, Scalar, g_pow, hash_to_element
from tinnhiem.crypto.proofs import (
    CompactProof,
    MembershipProof,
    ValueSet,
    verify_dleq,
    verify_dlog,
    verify_membership,
)
from tinnhiem.crypto.verify import Minutes, verify_archive

VECTORS = Path(__file__).parent / "vectors"


def load(name: str) -> Any:
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------- RFC 9496


def test_rfc9496_multiples_of_the_generator() -> None:
    multiples = load("rfc9496")["multiples_of_generator"]
    assert G.hex() == multiples[1]
    acc = Element.decode(bytes(32))
    for i, expected in enumerate(multiples):
        assert g_pow(Scalar(i)).hex() == expected
        assert acc.hex() == expected
        assert Element.from_hex(expected).hex() == expected
        acc = acc * G


def test_rfc9496_invalid_encodings_are_refused() -> None:
    for bad in load("rfc9496")["invalid_encodings"]:
        with pytest.raises(FormatError):
            Element.from_hex(bad)


def test_rfc9496_element_derivation() -> None:
    for pair in load("rfc9496")["from_uniform_bytes"]:
        out = rbcl.crypto_core_ristretto255_from_hash(bytes.fromhex(pair["input"]))
        assert out.hex() == pair["output"]


# ------------------------------------------------------------ our own


def test_primitives_are_reproduced() -> None:
    assert kat.build_primitives() == load("primitives")


def test_committed_primitive_proofs_verify() -> None:
    v = load("primitives")
    s = v["schnorr"]
    ctx = [kat.part_from_json(p) for p in s["context"]]
    proof = CompactProof.from_json(s["proof"], "proof")
    public = Element.from_hex(s["public"])
    assert verify_dlog(s["tag"], ctx, public, proof)
    assert not verify_dlog(s["tag"], [*ctx, 0], public, proof)
    d = v["dleq"]
    assert verify_dleq(
        d["tag"],
        [kat.part_from_json(p) for p in d["context"]],
        G,
        Element.from_hex(d["public1"]),
        Element.from_hex(d["base2"]),
        Element.from_hex(d["public2"]),
        CompactProof.from_json(d["proof"], "proof"),
    )
    assert hash_to_element("tinnhiem/v1/test", "base2").hex() == d["base2"]
    m = v["membership"]
    values = ValueSet(tuple(m["values"]))
    ctx = [kat.part_from_json(p) for p in m["context"]]
    for item in m["proofs"]:
        ct = Ciphertext(Element.from_hex(item["alpha"]), Element.from_hex(item["beta"]))
        proof_m = MembershipProof.from_json(item["proof"], "proof", 3)
        assert verify_membership(ctx, Element.from_hex(m["public_key"]), ct, values, proof_m)


@pytest.mark.parametrize("name", sorted(kat.ARCHIVES))
def test_archives_are_reproduced_and_valid(name: str) -> None:
    committed = load(name)
    rebuilt = kat.build_archive(name)
    assert rebuilt["head"] == committed["head"]
    assert loads(dumps(rebuilt)) == committed
    report = verify_archive(committed["archive"], Minutes.from_json(committed["minutes"]))
    assert report.ok, [str(f) for f in report.errors]
    assert report.figures["head"] == committed["head"]


def test_ballot_is_reproduced() -> None:
    assert loads(dumps(kat.build_ballot())) == load("ballot")
