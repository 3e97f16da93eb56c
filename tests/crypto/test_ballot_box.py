"""The server's acceptance rules (T5, T6, T11, T12) and the counting steps."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.crypto.helpers import new_election
from tinnhiem.crypto.ballot import EncryptedAnswer, answer_context, encrypt_ballot, sign_ballot
from tinnhiem.crypto.ballot_box import BallotBox
from tinnhiem.crypto.board import Board, Kind
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.decryption import make_partial_decryption
from tinnhiem.crypto.elgamal import encrypt
from tinnhiem.crypto.errors import BallotRejectedError, BoardError
from tinnhiem.crypto.group import random_scalar
from tinnhiem.crypto.proofs import prove_membership
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import (
    SimulatedElection,
    cast_ballot,
    expected_counts,
    finish_election,
    make_election,
)
from tinnhiem.crypto.tally import compute_encrypted_tally

RNG = SeededRandom("ballot-box-tests")


def open_election() -> SimulatedElection:
    return new_election("box-tests", finish=False, revotes=0, spoiled=0)


def reason(box: BallotBox, ballot: object) -> str:
    with pytest.raises(BallotRejectedError) as exc:
        box.cast(ballot)
    return exc.value.reason


def test_an_honest_ballot_gets_a_receipt() -> None:
    sim = open_election()
    box, election = sim.box, sim.election
    ballot = cast_ballot(election, sim.voters[0], ("cao", "thap"), RNG)
    receipt = box.cast(loads(dumps(ballot.to_json())))
    assert receipt.tracker == ballot.tracker()
    assert receipt.head == box.board.head
    assert receipt.height == box.board.height - 1


def test_rejections() -> None:
    sim = open_election()
    box, election, voters = sim.box, sim.election, sim.voters
    assert reason(box, {"not": "a ballot"}) == "format"
    stranger = credential_keypair(election.uuid, generate_credential(RNG))
    body, _ = encrypt_ballot(election, stranger.public, ("cao", "cao"), RNG)
    assert reason(box, sign_ballot(election, body, stranger.secret, RNG)) == "unknown_credential"
    spare = voters[-1]  # the spare card, voided by simulate_election
    assert reason(box, cast_ballot(election, spare, ("cao", "cao"), RNG)) == "voided_credential"
    first = box.last_ballots()[0]
    assert reason(box, first) == "duplicate_ballot"
    # Copying someone else's ciphertext into one's own ballot (T12).
    mine, _ = encrypt_ballot(election, voters[1].keys.public, ("cao", "cao"), RNG)
    copied = replace(mine, answers=(first.body.answers[0], mine.answers[1]))
    assert reason(box, sign_ballot(election, copied, voters[1].keys.secret, RNG)) == (
        "duplicate_ciphertext"
    )
    # The same nonce for two persons (α twice in one ballot) would leak m1 − m2.
    r = random_scalar(RNG)
    twice = []
    for p, level in enumerate(("cao", "thap")):
        ct = encrypt(election.public_key, election.value_of(level), r)
        context = answer_context(election.fingerprint, voters[1].keys.public, p)
        index = election.levels.index(level)
        proof = prove_membership(
            context, election.public_key, ct, election.value_set, index, r, RNG
        )
        twice.append(EncryptedAnswer(ct, proof))
    same_nonce = replace(mine, answers=tuple(twice))
    assert reason(box, sign_ballot(election, same_nonce, voters[1].keys.secret, RNG)) == (
        "duplicate_ciphertext"
    )
    # Copying the proof of another person: bound to the person index.
    swapped = replace(mine, answers=(mine.answers[1], mine.answers[0]))
    assert reason(box, sign_ballot(election, swapped, voters[1].keys.secret, RNG)) == "proof"


def test_an_audited_body_can_never_be_cast() -> None:
    sim = open_election()
    box, election, voter = sim.box, sim.election, sim.voters[0]
    body, secrets = encrypt_ballot(election, voter.keys.public, ("cao", "cao"), RNG)
    box.spoil(body, secrets)
    assert reason(box, sign_ballot(election, body, voter.keys.secret, RNG)) == "duplicate_ballot"
    with pytest.raises(BallotRejectedError) as exc:
        box.spoil(body, secrets)
    assert exc.value.reason == "duplicate_ballot"
    body2, secrets2 = encrypt_ballot(election, voter.keys.public, ("cao", "cao"), RNG)
    with pytest.raises(BallotRejectedError) as exc:
        box.spoil(body2, replace(secrets2, choices=("thap", "cao")))
    assert exc.value.reason == "opening"


def test_revoting_keeps_the_last_ballot() -> None:
    sim = open_election()
    box, election, voter = sim.box, sim.election, sim.voters[0]
    before = [b.tracker() for b in box.last_ballots()]
    again = cast_ballot(election, voter, ("tin_nhiem", "tin_nhiem"), RNG)
    box.cast(again)
    after = [b.tracker() for b in box.last_ballots()]
    assert len(after) == len(before)
    assert after[-1] == again.tracker()
    assert before[0] not in after


def test_no_more_voters_than_n_max() -> None:
    rng = SeededRandom("n-max")
    setup, _, cards = make_election(uuid="n-max-tests-01", persons=1, voters=3, n_max=2, rng=rng)
    box = BallotBox.open(setup)
    for voter in cards[:2]:
        box.cast(cast_ballot(setup.election, voter, ("cao",), rng))
    assert reason(box, cast_ballot(setup.election, cards[2], ("cao",), rng)) == "too_many_voters"
    box.cast(cast_ballot(setup.election, cards[0], ("thap",), rng))  # a re-vote is fine


def test_no_separate_count_below_t_min() -> None:
    rng = SeededRandom("t-min-box")
    setup, _, cards = make_election(uuid="t-min-box-01", persons=1, voters=3, t_min=2, rng=rng)
    box = BallotBox.open(setup)
    box.cast(cast_ballot(setup.election, cards[0], ("cao",), rng))
    box.close()
    with pytest.raises(BoardError, match="T_min"):
        box.publish_tally()


def test_closing_and_counting() -> None:
    sim = open_election()
    box = sim.box
    finish_election(sim, RNG, [2, 3])
    assert sim.result is not None
    assert [dict(c) for c in sim.result.counts] == expected_counts(
        sim.election, list(sim.counted_choices.values())
    )
    assert reason(box, box.last_ballots()[0]) == "closed"
    # Reloading the board rebuilds the same state.
    again = BallotBox(Board.from_json(loads(dumps(box.board.to_json()))))
    assert [b.tracker() for b in again.last_ballots()] == [b.tracker() for b in box.last_ballots()]
    assert again.tally == box.tally


def test_partial_decryptions_are_checked_before_they_are_accepted() -> None:
    sim = open_election()
    box, c = sim.box, sim.ceremony
    box.close()
    tally = box.publish_tally()
    phi = sim.election.fingerprint
    subset = compute_encrypted_tally(box.last_ballots()[:1], len(sim.election.persons))
    with pytest.raises(BoardError, match="another tally"):
        box.add_partial_decryption(
            make_partial_decryption(phi, subset, c.shares[0], c.keys[0], RNG)
        )
    wrong_key = replace(make_partial_decryption(phi, tally, c.shares[0], c.keys[0], RNG), trustee=2)
    with pytest.raises(BoardError, match="trustee 2"):
        box.add_partial_decryption(wrong_key)
    box.add_partial_decryption(make_partial_decryption(phi, tally, c.shares[0], c.keys[0], RNG))
    with pytest.raises(BoardError, match="already"):
        box.add_partial_decryption(make_partial_decryption(phi, tally, c.shares[0], c.keys[0], RNG))
    with pytest.raises(BoardError, match="not a trustee"):
        box.add_partial_decryption(replace(wrong_key, trustee=9))


def test_setup_and_void_rules() -> None:
    sim = open_election()
    with pytest.raises(BoardError, match="not in the list"):
        sim.box.void([credential_keypair(sim.election.uuid, generate_credential(RNG)).public])
    bad = replace(sim.setup, credentials=sim.setup.credentials[1:])
    with pytest.raises(BoardError, match="inconsistent"):
        BallotBox.open(bad)
    empty = Board()
    with pytest.raises(BoardError):
        BallotBox(empty)
    board = Board()
    board.append(Kind.SETUP, sim.setup.to_json())
    assert BallotBox(board).last_ballots() == []
