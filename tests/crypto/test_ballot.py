"""Ballots: encryption, signature, strict parsing, Benaloh openings, tampering."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crypto.helpers import flip
from tinnhiem.crypto.ballot import (
    Ballot,
    BallotBody,
    BallotSecrets,
    check_ballot,
    check_opening,
    encrypt_ballot,
    sign_ballot,
)
from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.elgamal import KeyPair, encrypt
from tinnhiem.crypto.errors import BallotRejectedError, CryptoError, FormatError
from tinnhiem.crypto.group import G, random_scalar
from tinnhiem.crypto.proofs import prove_membership
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.setup import Setup
from tinnhiem.crypto.simulate import make_election
from tinnhiem.crypto.workers import ProofWorkers

RNG = SeededRandom("ballot-tests")


@cache
def _setup() -> tuple[Setup, KeyPair]:
    setup, _, cards = make_election(
        uuid="ballot-tests-01", persons=3, voters=2, rng=SeededRandom("ballot-setup")
    )
    return setup, cards[0].keys


def make_ballot(choices: tuple[str, ...] = ("cao", "tin_nhiem", "thap")) -> Ballot:
    setup, keys = _setup()
    body, _ = encrypt_ballot(setup.election, keys.public, choices, RNG)
    return sign_ballot(setup.election, body, keys.secret, RNG)


def test_a_ballot_round_trips_and_verifies() -> None:
    election = _setup()[0].election
    ballot = make_ballot()
    check_ballot(election, ballot)
    again = Ballot.from_json(loads(dumps(ballot.to_json())), election)
    assert again == ballot
    assert again.tracker() == ballot.tracker() == ballot.body.tracker()
    assert len(ballot.tracker()) == 64


def test_rejections_carry_reason_codes() -> None:
    setup, keys = _setup()
    election = setup.election
    ballot = make_ballot()
    # Another election's fingerprint.
    body = replace(ballot.body, election_hash="0" * 64)
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, sign_ballot(election, body, keys.secret, RNG))
    assert exc.value.reason == "election"
    # One answer missing.
    body = replace(ballot.body, answers=ballot.body.answers[:2])
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, sign_ballot(election, body, keys.secret, RNG))
    assert exc.value.reason == "answers"
    # Signed by another key.
    other = credential_keypair(election.uuid, generate_credential(RNG))
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, sign_ballot(election, ballot.body, other.secret, RNG))
    assert exc.value.reason == "signature"
    # Answers swapped between persons: the proofs are bound to the person index.
    swapped = (ballot.body.answers[1], ballot.body.answers[0], ballot.body.answers[2])
    body = replace(ballot.body, answers=swapped)
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, sign_ballot(election, body, keys.secret, RNG))
    assert exc.value.reason == "proof"


def test_copied_answer_under_another_credential_fails() -> None:
    """Ballot copying (Helios #35): the proof is bound to the credential."""
    setup, _ = _setup()
    election = setup.election
    victim = make_ballot()
    thief = credential_keypair(election.uuid, generate_credential(RNG))
    body, _ = encrypt_ballot(election, thief.public, ("cao", "cao", "cao"), RNG)
    stolen = replace(body, answers=(victim.body.answers[0], *body.answers[1:]))
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, sign_ballot(election, stolen, thief.secret, RNG))
    assert exc.value.reason == "proof"


def test_overvote_is_rejected() -> None:
    """T11: an answer encrypting 2 (or B + 1) has no valid proof."""
    setup, keys = _setup()
    election = setup.election
    ballot = make_ballot()
    r = random_scalar(RNG)
    ct = encrypt(election.public_key, election.base + 1, r)
    from tinnhiem.crypto.ballot import EncryptedAnswer, answer_context

    proof = prove_membership(
        answer_context(election.fingerprint, keys.public, 0),
        election.public_key,
        ct,
        election.value_set,
        2,
        r,
        RNG,
    )
    body = replace(ballot.body, answers=(EncryptedAnswer(ct, proof), *ballot.body.answers[1:]))
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, sign_ballot(election, body, keys.secret, RNG))
    assert exc.value.reason == "proof"


def test_benaloh_opening() -> None:
    setup, keys = _setup()
    election = setup.election
    body, secrets = encrypt_ballot(election, keys.public, ("thap", "cao", "cao"), RNG)
    assert check_opening(election, body, secrets) == []
    lie = BallotSecrets(("cao", "cao", "cao"), secrets.nonces)
    assert len(check_opening(election, body, lie)) == 1
    assert check_opening(election, body, BallotSecrets(secrets.choices[:2], secrets.nonces[:2]))
    unknown = BallotSecrets(("x", "cao", "cao"), secrets.nonces)
    assert "unknown level" in check_opening(election, body, unknown)[0]
    assert BallotSecrets.from_json(loads(dumps(secrets.to_json())), "s") == secrets


def test_encrypt_ballot_refuses_bad_choices() -> None:
    setup, keys = _setup()
    with pytest.raises(ValueError, match="choices"):
        encrypt_ballot(setup.election, keys.public, ("cao",), RNG)
    with pytest.raises(FormatError):
        encrypt_ballot(setup.election, keys.public, ("cao", "cao", "khong_tin_nhiem"), RNG)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("signature"),
        lambda d: d.update(extra=1),
        lambda d: d.update(credential="00" * 32),
        lambda d: d["answers"][0].update(alpha=d["answers"][0]["alpha"].upper()),
        lambda d: d["answers"][0]["proof"].pop(),
        lambda d: d.update(answers={}),
    ],
)
def test_strict_parsing(mutate: object) -> None:
    election = _setup()[0].election
    data = make_ballot().to_json()
    doc = loads(dumps(data))
    mutate(doc)  # type: ignore[operator]
    with pytest.raises(FormatError):
        Ballot.from_json(doc, election)


BALLOT_BYTES = dumps(make_ballot().to_json())


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_tampered_byte_of_a_ballot_is_rejected(index: int, value: int) -> None:
    election = _setup()[0].election
    tampered = flip(BALLOT_BYTES, index, value)
    with pytest.raises(CryptoError):
        check_ballot(election, Ballot.from_json(loads(tampered), election))


def test_a_tampered_signature_or_body_copy() -> None:
    election = _setup()[0].election
    ballot = make_ballot()
    other = make_ballot()
    with pytest.raises(BallotRejectedError):
        check_ballot(election, Ballot(ballot.body, other.signature))
    body = BallotBody.from_json(loads(dumps(ballot.body.to_json())), "b", 3)
    assert body == ballot.body
    assert ballot.body.credential != G


@pytest.fixture(scope="module")
def proof_workers() -> Iterator[ProofWorkers]:
    workers = ProofWorkers(2)
    yield workers
    workers.close()


def test_proofs_checked_in_worker_processes_give_the_same_verdict(
    proof_workers: ProofWorkers,
) -> None:
    """Split across processes, a valid ballot passes and a broken proof is still
    reported, as the first failing answer; a bad signature is reported first."""
    setup, _, keys = make_election(
        uuid="tests-workers-01",
        persons=7,
        voters=1,
        rng=SeededRandom("workers"),
        trustees=1,
        threshold=1,
        spare_cards=0,
    )
    election = setup.election
    voter = keys[0]
    body, _ = encrypt_ballot(election, voter.keys.public, [election.levels[0]] * 7, RNG)
    ballot = sign_ballot(election, body, voter.keys.secret, RNG)
    check_ballot(election, ballot, workers=proof_workers)
    for broken in (0, 3, 6):
        answers = list(ballot.body.answers)
        answers[broken] = answers[(broken + 1) % 7]
        tampered = replace(ballot.body, answers=tuple(answers))
        for workers in (None, proof_workers):
            with pytest.raises(BallotRejectedError) as exc:
                check_ballot(
                    election,
                    sign_ballot(election, tampered, voter.keys.secret, RNG),
                    workers=workers,
                )
            assert exc.value.reason == "proof"
            assert f"answer {broken} " in str(exc.value)
    with pytest.raises(BallotRejectedError) as exc:
        check_ballot(election, Ballot(tampered, ballot.signature), workers=proof_workers)
    assert exc.value.reason == "signature"


def test_a_dead_worker_never_refuses_a_valid_ballot(proof_workers: ProofWorkers) -> None:
    """A worker killed mid-way: the ballot is checked in the caller's thread, and
    the next ballot gets a new pool."""
    setup, _, keys = make_election(
        uuid="tests-workers-02",
        persons=8,
        voters=2,
        rng=SeededRandom("workers-2"),
        trustees=1,
        threshold=1,
        spare_cards=0,
    )
    election = setup.election
    ballots = []
    for voter in keys:
        body, _ = encrypt_ballot(election, voter.keys.public, [election.levels[1]] * 8, RNG)
        ballots.append(sign_ballot(election, body, voter.keys.secret, RNG))
    workers = ProofWorkers(2)
    try:
        workers.start()
        pool = workers._executor()
        for process in list(pool._processes.values()):  # type: ignore[union-attr]
            process.kill()
            process.join()
        check_ballot(election, ballots[0], workers=workers)  # checked here instead
        check_ballot(election, ballots[1], workers=workers)  # a new pool
        assert workers._executor() is not pool
    finally:
        workers.close()


def test_a_prechecked_ballot_is_cast_only_into_its_own_election() -> None:
    from tinnhiem.crypto.ballot_box import BallotBox, CheckedBallot, precheck

    setup, _ = _setup()
    ballot = make_ballot()
    checked = precheck(setup.election, ballot.to_json())
    box = BallotBox.open(setup)
    assert box.cast(checked).tracker == ballot.tracker()
    # Checked for another election: refused before anything else.
    forged = CheckedBallot(make_ballot(("cao", "cao", "cao")), "0" * 64)
    with pytest.raises(BallotRejectedError) as exc:
        box.cast(forged)
    assert exc.value.reason == "election"
    other, _, _ = make_election(
        uuid="ballot-tests-02", persons=3, voters=2, rng=SeededRandom("ballot-setup-2")
    )
    with pytest.raises(BallotRejectedError) as exc:
        precheck(other.election, make_ballot().to_json())
    assert exc.value.reason in ("election", "format")


def test_workers_run_below_the_server(proof_workers: ProofWorkers) -> None:
    """A check nobody waits for yields the processor to the server's requests."""
    import os

    worker = proof_workers._executor().submit(os.nice, 0).result()
    assert worker == min(19, os.nice(0) + proof_workers.niceness)
