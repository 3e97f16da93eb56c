"""The file formats between the server, the trustees' devices and the card tool."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import pytest

from tinnhiem.crypto import files
from tinnhiem.crypto.board import Kind
from tinnhiem.crypto.canonical import JsonOut, dumps, loads
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.decryption import PartialDecryption
from tinnhiem.crypto.dkg import Ceremony, make_complaint, run_ceremony
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.files import (
    Invitation,
    Keystore,
    card_qr_payload,
    credential_groups,
    normalize_credential,
    parse_card_qr,
)
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import simulate_election

UUID = "bau-cu-2026-thang-6"
OTHER = "another-election-uuid"


@dataclass(frozen=True)
class FileKind:
    """One kind of file: how to write a valid one, how to read it back, its value."""

    name: str
    data: bytes
    read: Callable[..., Any]
    value: object
    bad_path: tuple[str | int, ...]
    bad_value: object
    where: str


@cache
def ceremony() -> Ceremony:
    return run_ceremony(
        UUID, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"], 2, SeededRandom("f")
    )


@cache
def partial() -> tuple[str, PartialDecryption]:
    sim = simulate_election(uuid=UUID, rng=SeededRandom("partial"))
    entry = next(e for e in sim.box.board.entries if e.kind == Kind.PARTIAL_DECRYPTION)
    return sim.election.fingerprint, PartialDecryption.from_json(entry.payload)


def publics(n: int, seed: str) -> list[Any]:
    rng = SeededRandom(seed)
    return [credential_keypair(UUID, generate_credential(rng)).public for _ in range(n)]


def kinds() -> list[FileKind]:
    c = ceremony()
    t = c.trustees
    invitation = Invitation(UUID, "Hội nghị Ban Chấp hành", 2, 2, ("An", "Bình", "Cường"))
    complaint = make_complaint(UUID, t.dealings[0], c.keys[1], SeededRandom("c"))
    creds = publics(4, "creds")
    phi, pd = partial()
    keystore = Keystore(
        invitation=Invitation(UUID, "Hội nghị", 1, 2, tuple(x.name for x in t.certificates)),
        signing_secret=c.keys[0].signing.secret,
        encryption_secret=c.keys[0].encryption.secret,
        certificate=t.certificates[0],
        certificates_hash="ab" * 32,
        dealing=t.dealings[0],
        dealings_hash="cd" * 32,
        share_secret=c.shares[0].secret,
        verification_key=t.verification_keys[0],
    )
    cert_set = files.CertificateSet(UUID, 2, t.certificates)
    dealing_set = files.DealingSet(UUID, 2, t.certificates, t.dealings)
    return [
        FileKind("invitation", files.write_invitation(invitation), files.read_invitation,
              invitation, ("trustee",), 4, "$.trustee"),
        FileKind("certificate", files.write_certificate(UUID, t.certificates[0]),
              files.read_certificate, t.certificates[0],
              ("certificate", "signature", 0), "zz", "$.certificate.signature[0]"),
        FileKind("certificates", files.write_certificates(UUID, 2, t.certificates),
              files.read_certificates, cert_set,
              ("certificates", 1, "index"), 3, "$.certificates[1].index"),
        FileKind("dealing", files.write_dealing(UUID, t.dealings[1]), files.read_dealing,
              t.dealings[1], ("dealing", "shares", 2, "ciphertext"), "00",
              "$.dealing.shares[2].ciphertext"),
        FileKind("dealings", files.write_dealings(UUID, 2, t.certificates, t.dealings),
              files.read_dealings, dealing_set, ("dealings", 0, "commitments", 1), "ff" * 32,
              "$.dealings[0].commitments[1]"),
        FileKind("verification-key", files.write_verification_key(UUID, t.verification_keys[2]),
              files.read_verification_key, t.verification_keys[2],
              ("verification_key", "key"), "00" * 32, "$.verification_key.key"),
        FileKind("complaint", files.write_complaint(UUID, complaint), files.read_complaint,
              complaint, ("complaint", "recipient"), 0, "$.complaint.recipient"),
        FileKind("credentials", files.write_credentials(UUID, creds), files.read_credentials,
              tuple(sorted(creds, key=lambda e: e.to_bytes())), ("credentials", 1),
              "not hex", "$.credentials[1]"),
        FileKind("void", files.write_void(UUID, creds[:2]), files.read_void,
              tuple(sorted(creds[:2], key=lambda e: e.to_bytes())), ("credentials",),
              [h.hex() for h in sorted(creds[:2], key=lambda e: e.to_bytes(), reverse=True)],
              "$.credentials"),
        FileKind("partial-decryption", files.write_partial_decryption(UUID, phi, pd),
              files.read_partial_decryption, files.PartialDecryptionFile(UUID, phi, pd),
              ("partial_decryption", "factors", 1, "proof"), ["00"],
              "$.partial_decryption.factors[1].proof"),
        FileKind("trustee-keystore", files.write_keystore(keystore), files.read_keystore,
              keystore, ("signing_secret",), c.keys[1].signing.secret.hex(), "$.certificate"),
    ]  # fmt: skip


KINDS = {k.name: k for k in kinds()}
NAMES = sorted(KINDS)


def mutate(data: bytes, path: tuple[str | int, ...], value: object) -> bytes:
    doc = loads(data)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def test_every_kind_is_documented_and_tested() -> None:
    assert set(NAMES) == set(files.KINDS)
    doc = files.__doc__ or ""
    for name in files.KINDS:
        assert f"``{name}``" in doc


@pytest.mark.parametrize("name", NAMES)
def test_round_trip(name: str) -> None:
    kind = KINDS[name]
    assert kind.read(kind.data) == kind.value
    assert kind.read(kind.data, UUID) == kind.value
    assert dumps(cast(JsonOut, loads(kind.data))) == kind.data  # canonical, byte for byte
    head = loads(kind.data)
    assert isinstance(head, dict)
    assert head["format"] == f"tinnhiem.evote-{name}/1"
    assert head["election_uuid"] == UUID
    assert files.kind_of(kind.data) == name


@pytest.mark.parametrize("name", NAMES)
def test_a_file_of_another_kind_is_named(name: str) -> None:
    kind = KINDS[name]
    other = KINDS["certificate" if name != "certificate" else "dealing"]
    with pytest.raises(FormatError, match=r"^\$\.format: expected 'tinnhiem\.evote-") as exc:
        kind.read(other.data)
    assert repr(files.format_name(other.name)) in str(exc.value)
    with pytest.raises(FormatError, match=r"^\$\.format: expected .*/1', found 'x/1'"):
        kind.read(mutate(kind.data, ("format",), "x/1"))
    with pytest.raises(FormatError, match=r"^\$: missing key format"):
        kind.read(b'{"election_uuid": "' + UUID.encode() + b'"}')


@pytest.mark.parametrize("name", NAMES)
def test_a_file_of_another_election_is_refused(name: str) -> None:
    kind = KINDS[name]
    with pytest.raises(
        FormatError, match=rf"^\$\.election_uuid: this file is for election '{UUID}', not '{OTHER}'"
    ):
        kind.read(kind.data, OTHER)
    with pytest.raises(FormatError, match=r"^\$\.election_uuid: an election uuid is"):
        kind.read(mutate(kind.data, ("election_uuid",), "bad uuid!"))
    with pytest.raises(FormatError, match=r"^\$\.election_uuid: expected a string"):
        kind.read(mutate(kind.data, ("election_uuid",), 7))


@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_field_is_reported_with_its_path(name: str) -> None:
    kind = KINDS[name]
    with pytest.raises(FormatError) as exc:
        kind.read(mutate(kind.data, kind.bad_path, kind.bad_value))
    assert str(exc.value).startswith(kind.where + ":"), str(exc.value)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_and_missing_keys(name: str) -> None:
    kind = KINDS[name]
    with pytest.raises(FormatError, match=r"^\$: unknown key\(s\) surplus"):
        kind.read(mutate(kind.data, ("surplus",), 1))
    doc = loads(kind.data)
    assert isinstance(doc, dict)
    last = sorted(k for k in doc if k not in ("format", "election_uuid"))[-1]
    del doc[last]
    with pytest.raises(FormatError, match=rf"^\$: missing key\(s\) {last}"):
        kind.read(json.dumps(doc).encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"^\$: not valid JSON"),
        (b"\xff", r"^\$: not valid JSON"),
        (b'{"a": 1, "a": 2}', r"^\$: duplicate key 'a'"),
        (b'{"a": 1.5}', r"^\$: floating-point number"),
        (b"[1]", r"^\$: expected a JSON object"),
    ],
)
def test_not_json(data: bytes, message: str) -> None:
    for kind in KINDS.values():
        with pytest.raises(FormatError, match=message):
            kind.read(data)


def test_invitation_checks() -> None:
    data = KINDS["invitation"].data
    with pytest.raises(FormatError, match=r"^\$\.threshold: threshold 4 must be in \[1, 3\]"):
        files.read_invitation(mutate(data, ("threshold",), 4))
    with pytest.raises(FormatError, match=r"^\$\.trustees\[1\]: a trustee's name must not be"):
        files.read_invitation(mutate(data, ("trustees", 1), " "))
    with pytest.raises(FormatError, match=r"^\$\.trustees: must not be empty"):
        files.read_invitation(mutate(data, ("trustees",), []))
    with pytest.raises(ValueError, match="in \\[1, n\\]"):
        files.write_invitation(Invitation(UUID, "x", 4, 2, ("a", "b", "c")))
    inv = files.read_invitation(data)
    assert (inv.n, inv.name) == (3, "Bình")


def test_sets_check_numbering_and_counts() -> None:
    t = ceremony().trustees
    data = files.write_dealings(UUID, 2, t.certificates, t.dealings[:2])
    with pytest.raises(FormatError, match=r"^\$\.dealings: 2 dealings for 3 certificates"):
        files.read_dealings(data)
    data = files.write_dealings(
        UUID, 2, t.certificates, (t.dealings[1], t.dealings[0], t.dealings[2])
    )
    with pytest.raises(FormatError, match=r"^\$\.dealings\[0\]\.dealer: expected 1"):
        files.read_dealings(data)
    data = files.write_certificates(UUID, 5, t.certificates)
    with pytest.raises(FormatError, match=r"^\$\.threshold: threshold 5 must be in \[1, 3\]"):
        files.read_certificates(data)


def test_share_check_reads_either_outcome() -> None:
    assert files.read_share_check(KINDS["complaint"].data) == KINDS["complaint"].value
    vk = KINDS["verification-key"]
    assert files.read_share_check(vk.data, UUID) == vk.value
    with pytest.raises(FormatError, match=r"^\$\.format"):
        files.read_share_check(KINDS["dealing"].data)


def test_credential_lists_refuse_duplicates_and_empty() -> None:
    creds = publics(2, "dup")
    with pytest.raises(FormatError, match="duplicate"):
        files.write_credentials(UUID, [creds[0], creds[0]])
    with pytest.raises(ValueError, match="no credentials"):
        files.write_credentials(UUID, [])
    data = mutate(KINDS["credentials"].data, ("credentials",), [])
    with pytest.raises(FormatError, match=r"^\$\.credentials: must not be empty"):
        files.read_credentials(data)
    assert files.read_void(files.write_void(UUID, [])) == ()


def test_keystore_must_be_consistent() -> None:
    data = KINDS["trustee-keystore"].data
    with pytest.raises(FormatError, match=r"^\$\.private: expected true"):
        files.read_keystore(mutate(data, ("private",), False))
    with pytest.raises(FormatError, match=r"^\$\.share_secret: must be given with"):
        files.read_keystore(mutate(data, ("share_secret",), None))
    other = ceremony().shares[1].secret.hex()
    with pytest.raises(FormatError, match=r"^\$\.verification_key: does not match"):
        files.read_keystore(mutate(data, ("share_secret",), other))
    keystore = files.read_keystore(data)
    assert keystore.share is not None
    assert keystore.share == ceremony().shares[0]
    assert keystore.keys.signing.public == ceremony().trustees.certificates[0].signing_key


def test_card_qr_and_readable_groups() -> None:
    credential = generate_credential(SeededRandom("card"))
    payload = card_qr_payload(UUID, credential)
    assert payload == f"TNC1:{UUID}:{credential}"
    assert parse_card_qr(payload, UUID) == (UUID, credential)
    groups = credential_groups(credential)
    assert "".join(groups) == credential
    assert [len(g) for g in groups] == [4, 4, 4, 4, 3, 3]
    assert normalize_credential(" ".join(groups)) == credential
    assert normalize_credential("-".join(groups)) == credential
    with pytest.raises(FormatError, match="this card is for election"):
        parse_card_qr(payload, OTHER)
    for bad in ("", "TNC2:" + UUID + ":" + credential, f"TNC1:{UUID}", "TNC1:short:" + credential):
        with pytest.raises(FormatError):
            parse_card_qr(bad)
    with pytest.raises(FormatError, match="character '0'"):
        normalize_credential("0" + credential[1:])
    with pytest.raises(FormatError, match="22 characters, found 21"):
        normalize_credential(credential[1:])
