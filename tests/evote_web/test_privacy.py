"""Nothing ties a person to a credential or a ballot: the schema of every model,
the audit log, the application's logs and the cookies of the voting pages."""

from __future__ import annotations

import json
import logging

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.evote_web.helpers import Scenario, issue_and_open, make_ballot
from tinnhiem.accounts.models import User
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import CommitteeMember, Supervisor, Voter
from tinnhiem.crypto.credentials import credential_keypair
from tinnhiem.evote.models import BoardEntry, Election, Issuance, Trustee

PERSONS = {User, Voter, CommitteeMember, Supervisor}
SECRET_BEARING = {Election, BoardEntry}
"""Models that hold public credentials or ballots."""


def _relations(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    return [f for f in model._meta.get_fields() if f.is_relation and f.concrete]


def test_no_model_links_a_person_to_a_credential_or_a_ballot() -> None:
    for model in SECRET_BEARING:
        targets = {f.related_model for f in _relations(model)}
        assert not targets & PERSONS, model
        assert targets <= {
            Election,
            *[m for m in apps.get_models() if m._meta.label == "conferences.Conference"],
        }
    # The roll: a member and a mode, nothing else (no card, no time).
    assert {f.name for f in Issuance._meta.concrete_fields} == {"id", "voter", "mode"}
    # A trustee is a committee member's public ceremony messages, never a credential.
    assert {f.name for f in Trustee._meta.concrete_fields} == {
        "id", "election", "index", "member", "name", "certificate", "dealing", "verification_key",
    }  # fmt: skip
    # No model anywhere points at the board, and no person-bearing model has a
    # column about credentials, trackers or ballots of the electronic vote.
    for model in apps.get_models():
        for f in _relations(model):
            assert f.related_model is not BoardEntry or model is BoardEntry, model
        if model in SECRET_BEARING:
            continue
        linked = {f.related_model for f in _relations(model)} & PERSONS or model in PERSONS
        names = {f.name for f in model._meta.concrete_fields}
        if linked:
            assert not {n for n in names if "credential" in n or "tracker" in n}, model


@pytest.mark.django_db(transaction=False)
def test_logs_cookies_and_audit_hold_no_credential_or_tracker(
    scenario: Scenario, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    secrets_seen: list[str] = []
    caplog.set_level(logging.DEBUG)
    url = reverse("evote:cast_json", args=[s.election.uuid])
    cookies = []
    for card in cards[:4]:
        ballot = make_ballot(s, card, ("cao", "thap", "tin_nhiem")).to_json()
        page = client.get(reverse("evote:cast", args=[s.election.uuid]))
        data = client.get(reverse("evote:election_json", args=[s.election.uuid]))
        response = client.post(url, json.dumps(ballot), content_type="application/json")
        replay = client.post(url, json.dumps(ballot), content_type="application/json")
        assert response.status_code == 200
        assert replay.status_code == 400
        cookies += [*page.cookies, *data.cookies, *response.cookies, *replay.cookies]
        secrets_seen += [
            card,
            credential_keypair(s.election.uuid, card).public.hex(),
            response.json()["tracker"],
        ]
    assert cookies == []
    assert not client.cookies  # no session, no CSRF cookie, nothing to link a device
    logged = "\n".join(
        f"{r.getMessage()} {getattr(r, 'request', '')} {r.args}" for r in caplog.records
    )
    audit_text = "\n".join(
        f"{e.summary} {e.before} {e.after} {e.object_id}" for e in AuditEntry.objects.all()
    )
    for secret in secrets_seen:
        assert secret not in logged
        assert secret not in audit_text
    # The roll's audit entries name people and a mode, never a card.
    issuance = AuditEntry.objects.filter(action="evote.issuance")
    assert issuance.count() == 12
    assert all(set((e.after or {}).keys()) == {"mode"} for e in issuance)
