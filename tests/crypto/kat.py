"""Builders of the known-answer vectors (tests/crypto/vectors/*.json).

Each builder recomputes, from fixed seeds, the values committed in one vector
file. ``make_vectors.py`` writes them once; ``test_vectors.py`` checks that the
code still reproduces them exactly. A difference means the protocol's bytes
changed: if that is intended, bump the protocol version and regenerate.
"""

from __future__ import annotations

from typing import Any

from tinnhiem.crypto.ballot import encrypt_ballot, sign_ballot
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.elgamal import encrypt, keygen
from tinnhiem.crypto.group import (
    Element,
    Scalar,
    g_pow,
    hash_to_element,
    hash_to_scalar,
    random_scalar,
)
from tinnhiem.crypto.hashing import Part, Tag, hash_parts
from tinnhiem.crypto.proofs import ValueSet, prove_dleq, prove_dlog, prove_membership
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import simulate_election

JSON = Any


def part_from_json(value: JSON) -> Part:
    """``{"bytes": hex} | {"text": s} | {"int": n} | {"element": hex} | {"scalar": hex}
    | {"list": [...]}`` → a hash part."""
    ((kind, v),) = value.items()
    if kind == "bytes":
        return bytes.fromhex(v)
    if kind == "text":
        return str(v)
    if kind == "int":
        return int(v)
    if kind == "element":
        return Element.from_hex(v)
    if kind == "scalar":
        return Scalar.from_hex(v)
    if kind == "list":
        return [part_from_json(x) for x in v]
    raise ValueError(kind)


HASH_INPUTS: list[tuple[str, list[JSON]]] = [
    ("tinnhiem/v1/test", []),
    ("tinnhiem/v1/test", [{"bytes": ""}]),
    ("tinnhiem/v1/test", [{"text": ""}]),
    ("tinnhiem/v1/test", [{"int": 0}]),
    ("tinnhiem/v1/test", [{"list": []}]),
    ("tinnhiem/v1/test", [{"text": "Tín nhiệm cao"}, {"int": 501}]),
    ("tinnhiem/v1/test", [{"bytes": "00ff"}, {"list": [{"int": 1}, {"text": "a"}]}]),
    (
        "tinnhiem/v1/test",
        [
            {"element": "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"},
            {"scalar": "0100000000000000000000000000000000000000000000000000000000000000"},
        ],
    ),
]


def build_primitives() -> JSON:
    """Hashes, the seeded RNG, ElGamal, Schnorr, Chaum–Pedersen, membership, credentials."""
    out: dict[str, JSON] = {
        "about": "Known answers of tinnhiem.crypto primitives (protocol tinnhiem/v1). "
        "Regenerate with: uv run python -m tests.crypto.make_vectors",
    }
    out["seeded_random"] = {
        "seed": "tinnhiem-kat-rng",
        "first_100_bytes": SeededRandom("tinnhiem-kat-rng").random_bytes(100).hex(),
    }
    out["hash"] = []
    for tag, parts in HASH_INPUTS:
        decoded = [part_from_json(p) for p in parts]
        out["hash"].append(
            {
                "tag": tag,
                "parts": parts,
                "sha512": hash_parts(tag, *decoded).hex(),
                "hash_to_scalar": hash_to_scalar(tag, *decoded).hex(),
                "hash_to_element": hash_to_element(tag, *decoded).hex(),
            }
        )
    rng = SeededRandom("tinnhiem-kat-elgamal")
    kp = keygen(rng)
    encs = []
    for m in (0, 1, 501, 10_000):
        r = random_scalar(rng)
        c = encrypt(kp.public, m, r)
        encs.append({"m": m, "r": r.hex(), "alpha": c.alpha.hex(), "beta": c.beta.hex()})
    out["elgamal"] = {
        "seed": "tinnhiem-kat-elgamal",
        "secret": kp.secret.hex(),
        "public": kp.public.hex(),
        "encryptions": encs,
    }
    rng = SeededRandom("tinnhiem-kat-schnorr")
    x = random_scalar(rng)
    proof = prove_dlog(Tag.KEY_POSSESSION, ["ctx", 7], x, g_pow(x), rng)
    out["schnorr"] = {
        "seed": "tinnhiem-kat-schnorr",
        "tag": Tag.KEY_POSSESSION,
        "context": [{"text": "ctx"}, {"int": 7}],
        "secret": x.hex(),
        "public": g_pow(x).hex(),
        "proof": proof.to_json(),
    }
    rng = SeededRandom("tinnhiem-kat-dleq")
    x = random_scalar(rng)
    base2 = hash_to_element("tinnhiem/v1/test", "base2")
    proof = prove_dleq(
        Tag.PARTIAL_DECRYPTION, ["ctx"], x, g_pow(Scalar(1)), g_pow(x), base2, base2**x, rng
    )
    out["dleq"] = {
        "seed": "tinnhiem-kat-dleq",
        "tag": Tag.PARTIAL_DECRYPTION,
        "context": [{"text": "ctx"}],
        "secret": x.hex(),
        "base2": base2.hex(),
        "public1": g_pow(x).hex(),
        "public2": (base2**x).hex(),
        "proof": proof.to_json(),
    }
    rng = SeededRandom("tinnhiem-kat-membership")
    values = ValueSet((0, 1, 501))
    memberships = []
    for index in range(3):
        r = random_scalar(rng)
        c = encrypt(kp.public, values.values[index], r)
        proof_m = prove_membership(["φ", 0], kp.public, c, values, index, r, rng)
        memberships.append(
            {
                "index": index,
                "nonce": r.hex(),
                "alpha": c.alpha.hex(),
                "beta": c.beta.hex(),
                "proof": proof_m.to_json(),
            }
        )
    out["membership"] = {
        "seed": "tinnhiem-kat-membership",
        "public_key": kp.public.hex(),
        "values": list(values.values),
        "context": [{"text": "φ"}, {"int": 0}],
        "proofs": memberships,
    }
    rng = SeededRandom("tinnhiem-kat-credential")
    cred = generate_credential(rng)
    ckp = credential_keypair("kat-election-0001", cred)
    out["credential"] = {
        "seed": "tinnhiem-kat-credential",
        "uuid": "kat-election-0001",
        "credential": cred,
        "secret": ckp.secret.hex(),
        "public": ckp.public.hex(),
    }
    return out


ARCHIVES: dict[str, dict[str, Any]] = {
    "archive-poll": {
        "seed": "tinnhiem-kat-archive-poll",
        "uuid": "kat-poll-0001",
        "kind": "poll",
        "persons": 2,
        "voters": 3,
        "trustees": 3,
        "threshold": 2,
        "decrypt_with": [1, 3],
        "allow_blank": False,
    },
    "archive-binding-blank": {
        "seed": "tinnhiem-kat-archive-binding",
        "uuid": "kat-binding-0001",
        "kind": "binding",
        "persons": 1,
        "voters": 3,
        "trustees": 1,
        "threshold": 1,
        "decrypt_with": [1],
        "allow_blank": True,
    },
}


def build_archive(name: str) -> JSON:
    """A whole small election (board, minutes, result), from a fixed seed."""
    spec = ARCHIVES[name]
    sim = simulate_election(
        uuid=spec["uuid"],
        persons=spec["persons"],
        voters=spec["voters"],
        rng=SeededRandom(spec["seed"]),
        kind=spec["kind"],
        trustees=spec["trustees"],
        threshold=spec["threshold"],
        spare_cards=1,
        revotes=1,
        spoiled=1,
        decrypt_with=spec["decrypt_with"],
        allow_blank=spec["allow_blank"],
    )
    minutes = sim.minutes()
    assert sim.result is not None
    return {
        "about": "A simulated election from a fixed seed (tests/crypto/kat.py). "
        "Regenerate with: uv run python -m tests.crypto.make_vectors",
        "spec": spec,
        "head": sim.box.board.head,
        "election_hash": sim.election.fingerprint,
        "credentials": [v.credential for v in sim.voters],
        "result": sim.result.to_json(),
        "minutes": {k: v for k, v in vars(minutes).items() if v not in (None, ())},
        "archive": sim.box.board.to_json(),
    }


def build_ballot() -> JSON:
    """One ballot of the poll archive's election, encrypted and signed from a fixed seed."""
    from tinnhiem.crypto.setup import Setup

    archive = build_archive("archive-poll")
    setup = Setup.from_json(archive["archive"]["entries"][0]["payload"])
    election = setup.election
    rng = SeededRandom("tinnhiem-kat-ballot")
    kp = credential_keypair(election.uuid, archive["credentials"][0])
    body, secrets = encrypt_ballot(election, kp.public, ("cao", "thap"), rng)
    ballot = sign_ballot(election, body, kp.secret, rng)
    return {
        "about": "A ballot for the election of archive-poll.json; seed tinnhiem-kat-ballot.",
        "credential": archive["credentials"][0],
        "choices": ["cao", "thap"],
        "tracker": ballot.tracker(),
        "secrets": secrets.to_json(),
        "ballot": ballot.to_json(),
    }
