"""Ballots made in Chromium by the committed bundle, checked by :mod:`tinnhiem.crypto`.

(a) the server's checks accept them, the board counts them, decryption gives
exactly the choices, and the Benaloh opening verifies; (b) with injected
randomness the bundle's output is byte-identical to Python's; (c) any tampered
field is rejected, and bad input is refused with a code naming it.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from tests.evote_js.conftest import ROOT, BallotPage
from tinnhiem.crypto.ballot import (
    Ballot,
    BallotSecrets,
    check_ballot,
    check_opening,
    encrypt_ballot,
    sign_ballot,
)
from tinnhiem.crypto.ballot_box import BallotBox
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.credentials import credential_keypair
from tinnhiem.crypto.elgamal import decrypt_to_element, decryption_factor
from tinnhiem.crypto.errors import BallotRejectedError, FormatError
from tinnhiem.crypto.group import g_pow_int
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.setup import Setup
from tinnhiem.crypto.simulate import (
    SimulatedElection,
    expected_counts,
    finish_election,
    make_election,
    random_choices,
)
from tinnhiem.crypto.verify import verify_archive

pytestmark = pytest.mark.e2e

VECTORS = ROOT / "tests" / "crypto" / "vectors"
LEVEL_LISTS = [("poll", False), ("poll", True), ("binding", False), ("binding", True)]


def vector(name: str) -> Any:
    return loads((VECTORS / name).read_bytes())


# ------------------------------------------------------------------ (a) accepted and counted


def test_ballots_are_accepted_counted_and_opened(ballot_page: BallotPage) -> None:
    """Six voters cast from the browser, one re-votes, one audits; the board's result
    equals the plaintext count and the archive verifies."""
    rng = SeededRandom("evote-js-accepted")
    setup, ceremony, cards = make_election(
        uuid="evote-js-accept", persons=5, voters=6, rng=rng, spare_cards=1
    )
    election = setup.election
    doc = election.to_json()
    box = BallotBox.open(setup)
    active, spare = cards[:6], cards[6:]
    box.void([v.keys.public for v in spare])
    sim = SimulatedElection(setup, ceremony, cards, box)
    for voter in [*active, active[0]]:  # the first voter re-votes; the last ballot counts
        choices = random_choices(election, rng)
        out = ballot_page.encrypt(doc, voter.credential, choices)
        ballot = Ballot.from_json(out["ballot"], election)
        check_ballot(election, ballot)
        assert ballot.body.credential == voter.keys.public
        assert out["tracker"] == ballot.tracker()
        secrets = BallotSecrets.from_json(out["opening"], "opening")
        assert secrets.choices == choices
        assert check_opening(election, ballot.body, secrets) == []
        receipt = box.cast(out["ballot"])
        assert receipt.tracker == out["tracker"]
        sim.counted_choices[voter.credential] = choices
    # Cast-or-audit: the audited body is published with its opening and never cast.
    audited = ballot_page.encrypt(doc, active[1].credential, random_choices(election, rng))
    body = Ballot.from_json(audited["ballot"], election).body
    box.spoil(body, BallotSecrets.from_json(audited["opening"], "opening"))
    with pytest.raises(BallotRejectedError) as caught:
        box.cast(audited["ballot"])
    assert caught.value.reason == "duplicate_ballot"

    result = finish_election(sim, rng)
    assert result.num_tallied == 6
    assert list(result.counts) == expected_counts(election, list(sim.counted_choices.values()))
    report = verify_archive(box.board.to_json(), sim.minutes())
    assert report.ok, report.errors
    assert ballot_page.errors == []


@pytest.mark.parametrize(("kind", "allow_blank"), LEVEL_LISTS)
def test_each_answer_decrypts_to_its_choice(
    ballot_page: BallotPage, kind: str, allow_blank: bool
) -> None:
    """With one trustee the decryption share is the whole secret: decrypt every answer."""
    rng = SeededRandom(f"evote-js-decrypt-{kind}-{allow_blank}")
    setup, ceremony, cards = make_election(
        uuid=f"evote-js-{kind}", persons=6, voters=3, rng=rng, kind=kind,
        trustees=1, threshold=1, allow_blank=allow_blank,
    )  # fmt: skip
    election = setup.election
    secret = ceremony.shares[0].secret
    for voter in cards:
        for level in election.levels:  # every level at least once, plus random ones
            choices = (level, *random_choices(election, rng)[1:])
            out = ballot_page.encrypt(election.to_json(), voter.credential, choices)
            ballot = Ballot.from_json(out["ballot"], election)
            check_ballot(election, ballot)
            for answer, choice in zip(ballot.body.answers, choices, strict=True):
                ct = answer.ciphertext
                plain = decrypt_to_element(ct, decryption_factor(ct, secret))
                assert plain == g_pow_int(election.value_of(choice))


# ------------------------------------------------------------------ (b) known answers


def test_committed_ballot_vector_is_reproduced_byte_for_byte(ballot_page: BallotPage) -> None:
    kat = vector("ballot.json")
    setup = Setup.from_json(vector("archive-poll.json")["archive"]["entries"][0]["payload"])
    stream = SeededRandom("tinnhiem-kat-ballot").random_bytes(4096)
    out = ballot_page.encrypt(setup.election.to_json(), kat["credential"], kat["choices"], stream)
    assert dumps(out["ballot"]) == dumps(kat["ballot"])
    assert out["tracker"] == kat["tracker"]
    assert out["opening"] == kat["secrets"]


@pytest.mark.parametrize(("kind", "allow_blank"), LEVEL_LISTS)
def test_same_randomness_same_bytes_as_python(
    ballot_page: BallotPage, kind: str, allow_blank: bool
) -> None:
    setup, _, cards = make_election(
        uuid=f"evote-js-kat-{kind}", persons=7, voters=2, rng=SeededRandom(f"setup-{kind}"),
        kind=kind, allow_blank=allow_blank,
    )  # fmt: skip
    election = setup.election
    seed = f"evote-js-kat-{kind}-{allow_blank}"
    choices = random_choices(election, SeededRandom(seed + "-choices"))
    rng = SeededRandom(seed)
    voter = cards[1]
    body, secrets = encrypt_ballot(election, voter.keys.public, choices, rng)
    ballot = sign_ballot(election, body, voter.keys.secret, rng)
    stream = SeededRandom(seed).random_bytes(64 * (len(election.levels) * 2 * 7 + 8))
    out = ballot_page.encrypt(election.to_json(), voter.credential, choices, stream)
    assert dumps(out["ballot"]) == dumps(ballot.to_json())
    assert out["tracker"] == ballot.tracker()
    assert out["opening"] == secrets.to_json()


def test_fingerprint_of_awkward_text(ballot_page: BallotPage) -> None:
    """φ is SHA-256 of Python's canonical JSON: quotes, backslashes, control characters,
    Vietnamese letters in both normal forms, characters beyond the BMP."""
    setup, _, cards = make_election(
        uuid="evote-js-text", persons=3, voters=1, rng=SeededRandom("evote-js-text")
    )
    title = 'Lấy phiếu "tín nhiệm" \\ \n\t\u0001\u007f\u2028 Nguyễn 𝄞 🗳️ ' + "Nguye\u0302\u0303n"
    persons = tuple(
        dataclasses.replace(p, name=f"{p.name} — «{i}» \u00a0 ờ")
        for i, p in enumerate(setup.election.persons)
    )
    election = dataclasses.replace(setup.election, title=title, persons=persons)
    out = ballot_page.encrypt(election.to_json(), cards[0].credential, ["cao", "thap", "cao"])
    assert out["ballot"]["election_hash"] == election.fingerprint
    check_ballot(election, Ballot.from_json(out["ballot"], election))


# ------------------------------------------------------------------ (c) tampering and bad input


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every string leaf of a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))
    else:
        assert isinstance(value, str)
        yield path


def _tamper(text: str) -> str:
    """Change one character, keeping the value's alphabet (lowercase hex stays hex)."""
    last = text[-1]
    swap = "0" if last != "0" else "1"
    if last not in "0123456789abcdef":
        swap = "x" if last != "x" else "y"
    return text[:-1] + swap


@pytest.fixture(scope="module")
def open_box(ballot_page: BallotPage) -> tuple[BallotBox, Any, list[Any]]:
    rng = SeededRandom("evote-js-tamper")
    setup, _, cards = make_election(uuid="evote-js-tamper", persons=3, voters=3, rng=rng)
    return BallotBox.open(setup), setup.election, cards


def test_any_tampered_field_is_rejected(
    ballot_page: BallotPage, open_box: tuple[BallotBox, Any, list[Any]]
) -> None:
    box, election, cards = open_box
    out = ballot_page.encrypt(election.to_json(), cards[0].credential, ["cao", "thap", "tin_nhiem"])
    genuine = out["ballot"]
    paths = list(_paths(genuine))
    assert len(paths) == 3 + 3 * (2 + 3 * 2) + 2  # uuid, φ, X; α, β, 3 (c, s) each; signature
    for path in paths:
        forged = copy.deepcopy(genuine)
        target = forged
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = _tamper(target[path[-1]])
        with pytest.raises(BallotRejectedError):
            box.cast(forged)
    structural = []
    for change in ("drop_answer", "swap_answers", "swap_branches", "extra_key", "no_signature"):
        forged = copy.deepcopy(genuine)
        if change == "drop_answer":
            forged["answers"].pop()
        elif change == "swap_answers":
            forged["answers"][0], forged["answers"][1] = forged["answers"][1], forged["answers"][0]
        elif change == "swap_branches":
            proof = forged["answers"][0]["proof"]
            proof[0], proof[1] = proof[1], proof[0]
        elif change == "extra_key":
            forged["choices"] = ["cao", "thap", "tin_nhiem"]
        else:
            del forged["signature"]
        with pytest.raises(BallotRejectedError) as caught:
            box.cast(forged)
        structural.append(caught.value.reason)
    assert structural == ["answers", "signature", "signature", "format", "format"]
    # Re-signed by the voter (who knows x), a moved answer or proof still fails: the proofs
    # are bound to the person's index by their context (φ, X, p).
    for move in ("swap_answers", "swap_branches"):
        forged = copy.deepcopy(genuine)
        if move == "swap_answers":
            forged["answers"][0], forged["answers"][1] = forged["answers"][1], forged["answers"][0]
        else:
            proof = forged["answers"][2]["proof"]
            proof[0], proof[2] = proof[2], proof[0]
        body = Ballot.from_json(forged, election).body
        resigned = sign_ballot(election, body, cards[0].keys.secret, SeededRandom(move))
        with pytest.raises(BallotRejectedError) as caught:
            box.cast(resigned.to_json())
        assert caught.value.reason == "proof"
    assert box.cast(genuine).tracker == out["tracker"]  # the untouched ballot still goes in
    with pytest.raises(BallotRejectedError) as replay:
        box.cast(genuine)
    assert replay.value.reason == "duplicate_ballot"


def test_credential_syntax(
    ballot_page: BallotPage, open_box: tuple[BallotBox, Any, list[Any]]
) -> None:
    box, election, cards = open_box
    good = cards[1].credential
    bad = [
        "", good[:-1], good + "1", "0" + good[1:], "O" + good[1:], "I" + good[1:],
        "l" + good[1:], " " + good[1:], "Đ" + good[1:], good + " ", "\u0000" * 22,
    ]  # fmt: skip
    check = "(c) => window.TinNhiemBallot.checkCredential(c)"
    assert ballot_page.page.evaluate(check, good) is True
    for credential in bad:
        assert ballot_page.page.evaluate(check, credential) is False, credential
        with pytest.raises(FormatError):
            credential_keypair(election.uuid, credential)
        error = ballot_page.encrypt_error(election.to_json(), credential, ["cao"] * 3)
        assert error is not None
        assert (error["name"], error["code"]) == ("BallotInputError", "credential"), credential
    for value in [None, 12345, ["x"]]:
        assert ballot_page.page.evaluate(check, value) is False
    # Well formed but not on the list L: the device cannot know, the ballot box refuses it.
    stranger = "".join(reversed(good))
    out = ballot_page.encrypt(election.to_json(), stranger, ["cao"] * 3)
    with pytest.raises(BallotRejectedError) as caught:
        box.cast(out["ballot"])
    assert caught.value.reason == "unknown_credential"


def test_bad_choices_and_election_are_refused(
    ballot_page: BallotPage, open_box: tuple[BallotBox, Any, list[Any]]
) -> None:
    _, election, cards = open_box
    doc = election.to_json()
    credential = cards[2].credential
    for choices in [
        ["cao"] * 2,
        ["cao"] * 4,
        ["cao", "cao", "khong_tin_nhiem"],
        ["cao", "cao", 1],
        "cao",
    ]:
        error = ballot_page.encrypt_error(doc, credential, choices)
        assert error is not None, choices
        assert error["code"] == "choices", error
    broken: list[dict[str, Any]] = []
    for key, value in [
        ("protocol", "tinnhiem/v2"), ("group", "p256"), ("version", 2), ("uuid", "short"),
        ("kind", "vote"), ("levels", ["cao", "tin_nhiem", "thap"]), ("base", doc["n_max"]),
        ("public_key", "00" * 32), ("public_key", doc["public_key"].upper()),
        ("public_key", "ff" * 32), ("trustees_hash", "xyz"), ("persons", []),
    ]:  # fmt: skip
        broken.append({**doc, key: value})
    broken.append({k: v for k, v in doc.items() if k != "title"})
    broken.append({**doc, "extra": 1})
    for bad in broken:
        error = ballot_page.encrypt_error(bad, credential, ["cao"] * 3)
        assert error is not None, bad
        assert error["code"] == "election", (bad, error)
    assert ballot_page.errors == []


def test_api_and_fresh_randomness(
    ballot_page: BallotPage, open_box: tuple[BallotBox, Any, list[Any]]
) -> None:
    """The API the casting page is built against, and two calls never share a nonce."""
    shape = ballot_page.page.evaluate(
        """() => Object.fromEntries(Object.entries(window.TinNhiemBallot)
             .map(([k, v]) => [k, typeof v]))"""
    )
    assert shape == {
        "version": "string",
        "checkCredential": "function",
        "encryptBallot": "function",
        "BallotInputError": "function",
    }
    assert ballot_page.page.evaluate("() => window.TinNhiemBallot.version").startswith(
        "tinnhiem/v1"
    )
    _, election, cards = open_box
    first, second = (
        ballot_page.encrypt(election.to_json(), cards[2].credential, ["thap"] * 3) for _ in range(2)
    )
    assert first["tracker"] != second["tracker"]
    alphas = {a["alpha"] for out in (first, second) for a in out["ballot"]["answers"]}
    assert len(alphas) == 6
    assert set(first["opening"]["nonces"]).isdisjoint(second["opening"]["nonces"])
