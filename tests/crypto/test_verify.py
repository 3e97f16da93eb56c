"""The offline verifier (design brief §(d)) against an honest archive and the attacks of
the issue: dropped, altered, replayed or duplicated ballots, unknown credentials, wrong
proofs, a trustee share for a different tally — and a few more."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.crypto.helpers import (
    check,
    finished_archive,
    finished_archive_bytes,
    flip,
    new_election,
)
from tinnhiem.crypto.ballot import encrypt_ballot, sign_ballot
from tinnhiem.crypto.ballot_box import BallotBox
from tinnhiem.crypto.board import Board, Kind
from tinnhiem.crypto.canonical import digest, dumps, loads
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.decryption import make_partial_decryption
from tinnhiem.crypto.elgamal import encrypt
from tinnhiem.crypto.errors import FormatError
from tinnhiem.crypto.group import random_scalar
from tinnhiem.crypto.proofs import prove_membership
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import (
    SimulatedElection,
    board_with_ballots,
    cast_ballot,
    make_election,
)
from tinnhiem.crypto.tally import compute_encrypted_tally
from tinnhiem.crypto.verify import Minutes, Severity, verify_archive

RNG = SeededRandom("verify-tests")
Pairs = list[tuple[str, Any]]


def voting_pairs(sim: SimulatedElection) -> Pairs:
    """(kind, payload) of the entries up to, not including, end_ballots."""
    out: Pairs = []
    for e in sim.box.board.entries:
        if e.kind == Kind.END_BALLOTS:
            break
        out.append((e.kind, copy.deepcopy(e.payload)))
    return out


def server_finishes(sim: SimulatedElection, pairs: Pairs) -> BallotBox:
    """A dishonest server re-chains ``pairs`` and counts them, with the trustees' help."""
    board = Board()
    for kind, payload in pairs:
        board.append(Kind(kind), payload)
    box = BallotBox(board)
    box.close()
    tally = box.publish_tally()
    for j in (1, 2):
        box.add_partial_decryption(
            make_partial_decryption(
                sim.election.fingerprint,
                tally,
                sim.ceremony.shares[j - 1],
                sim.ceremony.keys[j - 1],
                RNG,
            )
        )
    box.publish_result()
    return box


def failed(report_checks: set[str], *expected: str) -> None:
    for item in expected:
        assert item in report_checks, f"{item} not in {sorted(report_checks)}"


def error_checks(archive: Any, minutes: Minutes | None = None) -> set[str]:
    return {f.check for f in check(archive, minutes).errors}


# -------------------------------------------------------------- honest


def test_an_honest_archive_passes_every_check() -> None:
    archive, minutes = finished_archive()
    report = check(archive, minutes)
    assert report.ok, [str(f) for f in report.errors]
    assert not [f for f in report.findings if f.severity is Severity.WARNING]
    assert report.figures["num_tallied"] == 4
    assert report.figures["ballot_entries"] == 5
    assert report.figures["spoiled"] == 1
    assert check(archive, minutes, workers=2).findings == report.findings
    assert loads(dumps(report.to_json()))["ok"] is True


def test_minutes_round_trip_and_strictness() -> None:
    _, minutes = finished_archive()
    data = {k: v for k, v in vars(minutes).items() if v not in (None, ())}
    assert Minutes.from_json(loads(dumps(data))) == minutes
    with pytest.raises(FormatError):
        Minutes.from_json({"phi": "x"})
    with pytest.raises(FormatError):
        Minutes.from_json({"election_hash": "ABC"})


def test_wrong_minutes_are_reported() -> None:
    archive, minutes = finished_archive()
    wrong = replace(
        minutes,
        election_hash="0" * 64,
        credentials_hash="1" * 64,
        void_hash="2" * 64,
        e_voters=5,
        threshold=3,
        trustee_names=("A", "B", "C"),
        verification_keys=("3" * 64,) * 3,
        closing_head="4" * 64,
        closing_ballots=4,
        saved_heads=("5" * 64,),
        trackers=("6" * 64,),
        t_min=0,
        present=3,
        paper_ballots=0,
    )
    failed(
        error_checks(archive, wrong),
        "d1.closing_head", "d1.saved_head", "d2.fingerprint", "d2.t_min", "d3.threshold",
        "d3.names", "d3.keys", "d4.fingerprint", "d4.void", "d4.active", "d7.count",
        "d7.trackers", "d11",
    )  # fmt: skip


# ------------------------------------------------------- dropped ballot


def test_a_dropped_entry_breaks_the_chain() -> None:
    archive, minutes = finished_archive()
    del archive["entries"][3]
    failed(error_checks(archive, minutes), "d1.chain")


def test_a_dropped_ballot_with_a_rebuilt_chain_is_caught_by_the_minutes() -> None:
    sim = new_election("dropped")
    minutes = sim.minutes()
    pairs = voting_pairs(sim)
    ballot_at = [i for i, (k, _) in enumerate(pairs) if k == Kind.BALLOT]
    saved_head = sim.box.board.entries[ballot_at[-1]].hash  # an observer saved this head
    del pairs[ballot_at[-1]]
    forged = server_finishes(sim, pairs).board.to_json()
    # The rewritten board is self-consistent: without the minutes nothing is wrong...
    assert check(forged).ok
    # ...but it does not match what was written at closing, seen in the hall, or saved.
    failed(
        error_checks(forged, replace(minutes, saved_heads=(saved_head,))),
        "d1.closing_head", "d1.saved_head", "d7.count", "d7.trackers",
    )  # fmt: skip


# -------------------------------------------------------- altered ballot


def test_an_altered_ballot_is_detected() -> None:
    sim = new_election("altered")
    pairs = voting_pairs(sim)
    i = next(i for i, (k, _) in enumerate(pairs) if k == Kind.BALLOT)
    other = next(p for k, p in pairs[i + 1 :] if k == Kind.BALLOT)
    pairs[i][1]["answers"][0]["beta"] = other["answers"][0]["beta"]
    forged = server_finishes(sim, pairs).board.to_json()
    failed(error_checks(forged), "d5.signature")
    # Re-signing is impossible without the credential; a valid signature over the
    # altered body would still leave the proof broken (bound to α, β).
    archive, minutes = finished_archive()
    archive["entries"][3]["payload"]["answers"][1]["alpha"] = archive["entries"][4]["payload"][
        "answers"
    ][1]["alpha"]
    failed(error_checks(archive, minutes), "d1.chain", "d5.signature")


def test_a_resigned_altered_ballot_fails_its_proof() -> None:
    sim = new_election("resigned")
    election, voter = sim.election, sim.voters[0]
    body, _ = encrypt_ballot(election, voter.keys.public, ("cao", "cao"), RNG)
    r = random_scalar(RNG)
    answer = replace(body.answers[0], ciphertext=encrypt(election.public_key, 2, r))
    forged_body = replace(body, answers=(answer, body.answers[1]))
    ballot = sign_ballot(election, forged_body, voter.keys.secret, RNG)
    pairs = [*voting_pairs(sim), (Kind.BALLOT, ballot.to_json())]
    failed(error_checks(server_finishes(sim, pairs).board.to_json()), "d5.proof", "d7.invalid")


# ---------------------------------------------- replayed / duplicated


def test_a_replayed_ballot_is_detected() -> None:
    """Re-appending a voter's earlier ballot after they re-voted would restore it."""
    sim = new_election("replayed")
    pairs = voting_pairs(sim)
    ballots = [p for k, p in pairs if k == Kind.BALLOT]
    first_of_revoter = ballots[0]  # simulate_election re-votes with voter 0
    assert any(p["credential"] == first_of_revoter["credential"] for p in ballots[1:])
    pairs.append((Kind.BALLOT, copy.deepcopy(first_of_revoter)))
    forged = server_finishes(sim, pairs).board.to_json()
    failed(error_checks(forged), "d5.duplicate")


def test_a_copied_ciphertext_under_another_credential_is_detected() -> None:
    sim = new_election("copied")
    election, thief = sim.election, sim.voters[1]
    pairs = voting_pairs(sim)
    victim = next(p for k, p in pairs if k == Kind.BALLOT)
    body, _ = encrypt_ballot(election, thief.keys.public, ("cao", "cao"), RNG)
    from tinnhiem.crypto.ballot import Ballot

    stolen = Ballot.from_json(victim, election).body.answers[0]
    forged_body = replace(body, answers=(stolen, body.answers[1]))
    pairs.append(
        (Kind.BALLOT, sign_ballot(election, forged_body, thief.keys.secret, RNG).to_json())
    )
    failed(error_checks(server_finishes(sim, pairs).board.to_json()), "d5.duplicate", "d5.proof")


def test_a_reused_nonce_inside_one_ballot_is_detected() -> None:
    sim = new_election("same-nonce")
    election, voter = sim.election, sim.voters[2]
    body, _ = encrypt_ballot(election, voter.keys.public, ("cao", "cao"), RNG)
    pairs = voting_pairs(sim)
    twice = replace(body, answers=(body.answers[0], body.answers[0]))
    pairs.append((Kind.BALLOT, sign_ballot(election, twice, voter.keys.secret, RNG).to_json()))
    failed(error_checks(server_finishes(sim, pairs).board.to_json()), "d5.duplicate")


# ------------------------------------------------------ credentials


def test_a_ballot_from_an_unknown_credential_is_detected() -> None:
    """T5: stuffing by the server with a credential it made up."""
    sim = new_election("stuffing")
    election = sim.election
    fake = credential_keypair(election.uuid, generate_credential(RNG))
    body, _ = encrypt_ballot(election, fake.public, ("thap", "thap"), RNG)
    pairs = [
        *voting_pairs(sim),
        (Kind.BALLOT, sign_ballot(election, body, fake.secret, RNG).to_json()),
    ]
    failed(error_checks(server_finishes(sim, pairs).board.to_json()), "d5.credential")


def test_a_ballot_from_a_voided_card_is_detected() -> None:
    sim = new_election("voided")
    spare = sim.voters[-1]
    pairs = voting_pairs(sim)
    ballot = cast_ballot(sim.election, spare, ("thap", "thap"), RNG)
    void_at = next(i for i, (k, _) in enumerate(pairs) if k == Kind.VOID_CREDENTIALS)
    pairs.insert(void_at, (Kind.BALLOT, ballot.to_json()))  # cast before the voiding
    board = Board()
    for kind, payload in pairs:
        board.append(Kind(kind), payload)
    failed(error_checks(board.to_json()), "d5.credential")


# ---------------------------------------------------------- wrong proof


def test_a_wrong_proof_is_detected() -> None:
    """T11: an overvote (encrypting B + 1) with the best proof the voter can make."""
    sim = new_election("wrong-proof")
    election, voter = sim.election, sim.voters[2]
    body, _ = encrypt_ballot(election, voter.keys.public, ("cao", "cao"), RNG)
    r = random_scalar(RNG)
    ct = encrypt(election.public_key, election.base + 1, r)
    from tinnhiem.crypto.ballot import answer_context

    proof = prove_membership(
        answer_context(election.fingerprint, voter.keys.public, 1),
        election.public_key,
        ct,
        election.value_set,
        2,
        r,
        RNG,
    )
    answer = replace(body.answers[1], ciphertext=ct, proof=proof)
    forged_body = replace(body, answers=(body.answers[0], answer))
    pairs = [
        *voting_pairs(sim),
        (Kind.BALLOT, sign_ballot(election, forged_body, voter.keys.secret, RNG).to_json()),
    ]
    failed(error_checks(server_finishes(sim, pairs).board.to_json()), "d5.proof", "d7.invalid")


# ------------------------------------------------------ tally & shares


def test_a_subset_tally_is_detected() -> None:
    """Helios #170: the server decrypts an aggregate of a subset (here: one ballot)."""
    sim = new_election("subset")
    box = BallotBox(Board.from_json(loads(dumps(_voting_board(sim)))))
    box.close()
    one = compute_encrypted_tally(box.last_ballots()[:1], len(sim.election.persons))
    box.board.append(Kind.ENCRYPTED_TALLY, one.to_json())
    failed(error_checks(box.board.to_json()), "d8.num_tallied", "d8.tally")


def test_a_trustee_share_for_a_different_tally_is_detected() -> None:
    sim = new_election("other-tally")
    box = BallotBox(Board.from_json(loads(dumps(_voting_board(sim)))))
    box.close()
    tally = box.publish_tally()
    phi = sim.election.fingerprint
    c = sim.ceremony
    subset = compute_encrypted_tally(box.last_ballots()[:1], len(sim.election.persons))
    # A trustee tricked into decrypting another aggregate: the share is for that tally.
    foreign = make_partial_decryption(phi, subset, c.shares[0], c.keys[0], RNG)
    box.board.append(Kind.PARTIAL_DECRYPTION, foreign.to_json())
    # Even relabelled with the published tally's hash, its proofs do not verify.
    relabelled = replace(
        make_partial_decryption(phi, subset, c.shares[1], c.keys[1], RNG),
        tally_hash=tally.fingerprint,
    )
    box.board.append(Kind.PARTIAL_DECRYPTION, relabelled.to_json())
    checks = error_checks(box.board.to_json())
    failed(checks, "d9.proof")
    messages = [f.message for f in check(box.board.to_json()).errors]
    assert any("another tally" in m for m in messages)
    assert any("signature" in m for m in messages)


def test_a_wrong_result_is_detected() -> None:
    archive, minutes = finished_archive()
    result = archive["entries"][-1]["payload"]
    result["counts"][0] = dict(reversed(list(result["counts"][0].items())))
    levels = list(result["counts"][0])
    result["counts"][0][levels[0]] += 1
    result["counts"][0][levels[1]] -= 1
    archive["entries"][-1]["payload_hash"] = digest(result)
    failed(error_checks(archive, minutes), "d10.counts")
    archive, minutes = finished_archive()
    result = archive["entries"][-1]["payload"]
    result["totals"][1] += 1
    archive["entries"][-1]["payload_hash"] = digest(result)
    failed(error_checks(archive, minutes), "d10.decryption")
    archive, minutes = finished_archive()
    result = archive["entries"][-1]["payload"]
    result["trustees"] = [1]
    archive["entries"][-1]["payload_hash"] = digest(result)
    failed(error_checks(archive, minutes), "d10.trustees")


def test_t_min_and_n_max() -> None:
    rng = SeededRandom("t-min")
    setup, _, cards = make_election(uuid="t-min-tests-01", persons=1, voters=3, t_min=3, rng=rng)
    ballots = [cast_ballot(setup.election, v, ("cao",), rng) for v in cards[:2]]
    failed(error_checks(board_with_ballots(setup, [], ballots).to_json()), "d7.t_min")
    setup, _, cards = make_election(uuid="n-max-tests-01", persons=1, voters=3, n_max=2, rng=rng)
    ballots = [cast_ballot(setup.election, v, ("cao",), rng) for v in cards]
    failed(error_checks(board_with_ballots(setup, [], ballots).to_json()), "d7.n_max")
    # An election document that breaks its own rules does not even parse.
    archive = board_with_ballots(setup, [], []).to_json()
    archive["entries"][0]["payload"]["election"]["t_min"] = 3  # type: ignore[index]
    failed(error_checks(loads(dumps(archive))), "d1.chain", "d2.format")


# ----------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "archive",
    [
        None,
        [],
        {"format": "tinnhiem.evote-archive/1", "entries": []},
        {"format": "tinnhiem.evote-archive/1", "entries": [{"height": 0}]},
        {
            "format": "tinnhiem.evote-archive/1",
            "entries": [
                {
                    "height": 0,
                    "parent": None,
                    "kind": "ballot",
                    "payload_hash": "0" * 64,
                    "payload": 1,
                }
            ],
        },
        {
            "format": "tinnhiem.evote-archive/1",
            "entries": [
                {
                    "height": 0,
                    "parent": None,
                    "kind": "setup",
                    "payload_hash": "0" * 64,
                    "payload": {},
                }
            ],
        },
    ],
)
def test_hostile_archives_are_reported_not_crashed_on(archive: object) -> None:
    report = verify_archive(archive)
    assert not report.ok


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_tampered_byte_of_the_archive_is_detected(index: int, value: int) -> None:
    """Any single changed byte, anywhere in the canonical archive."""
    _, minutes = finished_archive()
    data = flip(finished_archive_bytes(), index, value)
    try:
        archive = loads(data)
    except FormatError:
        return
    assert not verify_archive(archive, minutes).ok


def _voting_board(sim: SimulatedElection) -> dict[str, Any]:
    board = Board()
    for kind, payload in voting_pairs(sim):
        board.append(Kind(kind), payload)
    return board.to_json()  # type: ignore[return-value]
