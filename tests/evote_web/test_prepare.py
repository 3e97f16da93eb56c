"""A body checked while the voter reads its tracker (decision 0019): the cast that
follows needs only the signature and the board's rules, and nothing is weakened."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.evote_web.helpers import Scenario, choices_for, issue_and_open, make_ballot
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.crypto import ballot as ballot_module
from tinnhiem.crypto.ballot import Ballot, sign_ballot
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.elgamal import encrypt
from tinnhiem.crypto.group import random_scalar
from tinnhiem.evote import services
from tinnhiem.evote.models import BoardEntry


@pytest.fixture
def proof_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the ballots whose proofs are checked (in this thread: the scenario's
    three persons are below the workers' threshold)."""
    calls: list[int] = []
    original = ballot_module._first_bad

    def counting(election: Any, body: Any) -> int | None:
        calls.append(len(body.answers))
        return original(election, body)

    monkeypatch.setattr(ballot_module, "_first_bad", counting)
    return calls


def unsigned(ballot: Ballot) -> dict[str, Any]:
    data = ballot.to_json()
    del data["signature"]
    return data


def test_a_prepared_body_is_cast_without_checking_its_proofs_again(
    scenario: Scenario, proof_checks: list[int]
) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    ballot = make_ballot(s, cards[0], choices_for(0))
    tracker = services.ballot_prepare(election=s.refresh(), body=unsigned(ballot))
    assert tracker == ballot.tracker()
    assert proof_checks == [3]
    receipt = services.ballot_cast(election=s.refresh(), ballot=ballot.to_json())
    assert receipt.tracker == tracker
    assert proof_checks == [3]  # not checked again
    other = make_ballot(s, cards[1], choices_for(1))
    services.ballot_cast(election=s.refresh(), ballot=other.to_json())
    assert proof_checks == [3, 3]  # a body nobody prepared is checked in full


def test_preparing_stores_nothing(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    entries, audits = BoardEntry.objects.count(), AuditEntry.objects.count()
    election = s.refresh()
    services.ballot_prepare(
        election=election, body=unsigned(make_ballot(s, cards[0], choices_for(5)))
    )
    assert (BoardEntry.objects.count(), AuditEntry.objects.count()) == (entries, audits)
    assert s.refresh().height == election.height


def test_a_prepared_body_still_needs_its_own_signature(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    ballot = make_ballot(s, cards[0], choices_for(0))
    other = make_ballot(s, cards[0], choices_for(1))
    services.ballot_prepare(election=s.refresh(), body=unsigned(ballot))
    forged = Ballot(ballot.body, other.signature).to_json()
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot=forged)
    assert e.value.code == "signature"
    assert s.refresh().ballots == 0


def test_a_prepared_body_is_still_subject_to_the_board(scenario: Scenario) -> None:
    """Voided card, replay, copied ciphertext: the board's rules run at cast."""
    s = scenario
    cards = issue_and_open(s, cards=12)
    voided = s.cards[12]
    ballot = make_ballot(s, voided, choices_for(0))
    services.ballot_prepare(election=s.refresh(), body=unsigned(ballot))  # L holds it
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot=ballot.to_json())
    assert e.value.code == "voided_credential"
    first = make_ballot(s, cards[0], choices_for(0))
    services.ballot_prepare(election=s.refresh(), body=unsigned(first))
    services.ballot_cast(election=s.refresh(), ballot=first.to_json())
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot=first.to_json())
    assert e.value.code == "duplicate_ballot"


def test_bad_bodies_are_refused_with_their_reason(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    election = s.core
    ballot = make_ballot(s, cards[0], choices_for(0))
    # A ciphertext replaced: its proof no longer holds.
    answers = list(ballot.body.answers)
    answers[1] = replace(
        answers[1], ciphertext=encrypt(election.public_key, 1, random_scalar(s.rng))
    )
    tampered = replace(ballot.body, answers=tuple(answers))
    stranger = credential_keypair(election.uuid, generate_credential(s.rng))
    cases: list[tuple[object, str]] = [
        (tampered.to_json(), "proof"),
        (ballot.to_json(), "format"),  # signed: not a body
        ({"election_uuid": election.uuid}, "format"),
        (replace(ballot.body, credential=stranger.public).to_json(), "unknown_credential"),
        (replace(ballot.body, answers=ballot.body.answers[:2]).to_json(), "answers"),
    ]
    for body, reason in cases:
        with pytest.raises(ServiceError) as e:
            services.ballot_prepare(election=s.refresh(), body=body)
        assert e.value.code == reason, (reason, e.value.code)
        assert e.value.message
    # The tampered body, signed, is refused at cast for the same reason.
    keys = credential_keypair(election.uuid, cards[0])
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(
            election=s.refresh(),
            ballot=sign_ballot(election, tampered, keys.secret, s.rng).to_json(),
        )
    assert e.value.code == "proof"


def test_nothing_is_prepared_while_the_box_is_closed(scenario: Scenario) -> None:
    s = scenario
    cards = s.cards
    with pytest.raises(ServiceError) as e:
        services.ballot_prepare(
            election=s.refresh(), body={"election_uuid": s.election.uuid, "cards": len(cards)}
        )
    assert e.value.code == "closed"


def test_the_prepare_endpoint(scenario: Scenario, client: Client) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    url = reverse("evote:prepare_json", args=[s.election.uuid])
    ballot = make_ballot(s, cards[0], choices_for(2))
    response = client.post(url, json.dumps(unsigned(ballot)), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "tracker": ballot.tracker()}
    assert not response.cookies
    refused = client.post(url, json.dumps(ballot.to_json()), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "format"
    assert refused.json()["message"]
    assert client.get(url).status_code == 405
    cast = client.post(
        reverse("evote:cast_json", args=[s.election.uuid]),
        json.dumps(ballot.to_json()),
        content_type="application/json",
    )
    assert cast.status_code == 200
    assert cast.json()["tracker"] == ballot.tracker()


def test_the_casting_page_sends_the_body_for_checking(scenario: Scenario, client: Client) -> None:
    s = scenario
    issue_and_open(s, cards=12)
    page = client.get(reverse("evote:cast", args=[s.election.uuid])).content.decode()
    assert f'data-prepare-url="{reverse("evote:prepare_json", args=[s.election.uuid])}"' in page
