"""The audit log: every service call appends its entry, refusals append none,
and ``verify_chain`` finds an edited, a re-hashed or a deleted entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from tests.web.builders import names
from tests.web.fixtures import LEFT, PRESENT
from tests.web.test_record_roundtrip import EXAMPLE
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import VoteRound
from tinnhiem.campaigns.services import (
    agency_create,
    block_create,
    official_create,
    round_create,
    round_set_parameters,
)
from tinnhiem.common.audit import ChainProblem, entry_digest, verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry, AuditHead
from tinnhiem.conferences.models import Attendance, CommitteeRole, Conference, Voter
from tinnhiem.conferences.services import (
    candidacy_add,
    candidacy_remove,
    checkin_open,
    committee_member_add,
    conference_create,
    voter_add,
    voter_set_attendance,
    voters_add_many,
    voting_close,
    voting_open,
)
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.counting.services import (
    entry_delete,
    entry_save,
    record_import,
    resolution_save,
    result_amend,
    results_confirm,
)
from tinnhiem.record import loads_record


@contextmanager
def appends(*actions: str, actor: User) -> Iterator[None]:
    """The block appends exactly these audit entries, in order, by ``actor``."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    yield
    new = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq"))
    assert [e.action for e in new] == list(actions)
    assert {(e.actor_id, e.actor_name) for e in new} <= {(actor.pk, actor.username)}


def test_every_service_call_of_a_whole_conference_appends_its_audit_entry(
    organiser: User, head_user: User, clerk1: User, clerk2: User
) -> None:
    with appends("round.create", actor=organiser):
        vote_round = round_create(
            acting_user=organiser,
            number="12-KH/TU",
            title="Lấy phiếu tín nhiệm năm 2023",
            issuing_body="Ban Thường vụ Tỉnh ủy",
            issued_on=date(2023, 4, 20),
            vote_year=2023,
            profile_id="qd96-2023",
        )
    with appends("round.parameters", actor=organiser):
        round_set_parameters(
            acting_user=organiser, vote_round=vote_round, overrides={"max_places": 2}
        )
    with appends("block.create", actor=organiser):
        block = block_create(acting_user=organiser, vote_round=vote_round, name="Khối Đảng")
    with appends("agency.create", actor=organiser):
        agency = agency_create(acting_user=organiser, block=block, name="Ban Tuyên giáo")
    people = names(31, 8)
    with appends("official.create", "official.create", actor=organiser):
        officials = [
            official_create(
                acting_user=organiser,
                agency=agency,
                full_name=n,
                position="Phó Trưởng ban",
                appointed_or_elected_on=date(2020, 1, 2),
            )
            for n in people[:2]
        ]
    with appends("conference.create", actor=organiser):
        conference = conference_create(
            acting_user=organiser,
            vote_round=vote_round,
            agency=agency,
            title="Hội nghị lấy phiếu tín nhiệm Ban Tuyên giáo",
            date=date(2023, 7, 3),
        )
    with appends("candidacy.add", "candidacy.add", actor=organiser):
        for o in officials:
            candidacy_add(acting_user=organiser, conference=conference, official=o)
    with appends("candidacy.remove", "candidacy.add", actor=organiser):
        candidacy_remove(acting_user=organiser, candidacy=conference.candidacies.get(order=2))
        candidacy_add(acting_user=organiser, conference=conference, official=officials[1])
    with appends("voter.add", actor=organiser):
        voter_add(acting_user=organiser, conference=conference, full_name=people[2])
    with appends(*["voter.add"] * 5, actor=organiser):
        voters_add_many(
            acting_user=organiser,
            conference=conference,
            lines="\n".join(f"{n}; Chuyên viên" for n in people[3:]) + "\n\n",
        )
    voters = list(conference.voters.all())
    with appends("committee.add", "committee.add", "committee.add", actor=organiser):
        for voter, role, user, entry_pass in (
            (voters[0], CommitteeRole.HEAD, head_user, None),
            (voters[1], CommitteeRole.MEMBER, clerk1, 1),
            (voters[2], CommitteeRole.MEMBER, clerk2, 2),
        ):
            committee_member_add(
                acting_user=organiser,
                conference=conference,
                voter=voter,
                role=role,
                user=user,
                entry_pass=entry_pass,
            )
    with appends("conference.checkin_open", actor=organiser):
        checkin_open(acting_user=organiser, conference=conference)
    with appends(*["voter.attendance"] * 6, actor=organiser):
        for voter in voters:
            voter_set_attendance(acting_user=organiser, voter=voter, attendance="present")
    with appends("conference.voting_open", actor=organiser):
        conference = voting_open(acting_user=organiser, conference=conference, ballots_issued=6)
    with appends("conference.voting_close", actor=organiser):
        conference = voting_close(acting_user=organiser, conference=conference)

    def save(user: User, entry_pass: int, number: int, digits: str, v: int | None = None) -> None:
        entry_save(
            acting_user=user,
            conference=conference,
            entry_pass=entry_pass,
            number=number,
            payload={"digits": digits},
            expected_version=v,
        )

    with appends("entry.create", "entry.create", actor=clerk1):
        save(clerk1, 1, 1, "12")
        save(clerk1, 1, 2, "11")
    with appends("entry.update", actor=clerk1):
        save(clerk1, 1, 1, "13", v=1)
    with appends("entry.delete", actor=clerk1):
        entry_delete(
            acting_user=clerk1,
            conference=conference,
            entry_pass=1,
            number=2,
            expected_version=1,
        )
    with appends("entry.create", actor=clerk2):
        save(clerk2, 2, 1, "12")
    with appends("resolution.save", actor=head_user):
        resolution_save(
            acting_user=head_user,
            conference=conference,
            number=1,
            reason="Phiếu gốc: người số 2 tín nhiệm",
            payload={"digits": "12"},
        )
    with appends("result.confirm", actor=head_user):
        results_confirm(acting_user=head_user, conference=conference)
    with appends("resolution.save", "result.amend", actor=head_user):
        result_amend(
            acting_user=head_user,
            conference=conference,
            number=1,
            payload={"digits": "11"},
            reason="Phúc tra phiếu số 1",
        )
    with appends("record.import", actor=organiser):
        record_import(
            acting_user=organiser,
            agency=agency,
            record=loads_record(EXAMPLE.read_text(encoding="utf-8")),
        )
    assert verify_chain() is None


def test_an_audit_entry_records_the_state_before_and_after(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    voter_set_attendance(acting_user=organiser, voter=voters[4], attendance="present")
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None
    assert (entry.action, entry.object_type, entry.object_id) == (
        "voter.attendance",
        "conferences.voter",
        str(voters[4].pk),
    )
    assert entry.before == {"attendance": Attendance.NOT_ARRIVED}
    assert entry.after == {"attendance": Attendance.PRESENT}
    assert entry.summary == voters[4].full_name


def test_refused_service_calls_append_nothing(
    organiser: User,
    head_user: User,
    clerk1: User,
    counting_conference: Conference,
    voters: list[Voter],
    vote_round: VoteRound,
) -> None:
    before = AuditEntry.objects.count()
    refused = [
        lambda: entry_save(
            acting_user=clerk1,
            conference=counting_conference,
            entry_pass=2,
            number=1,
            payload={"digits": "111"},
        ),
        lambda: entry_save(
            acting_user=clerk1,
            conference=counting_conference,
            entry_pass=1,
            number=1,
            payload={"digits": "1"},
        ),
        lambda: results_confirm(acting_user=head_user, conference=counting_conference),
        lambda: voter_set_attendance(acting_user=organiser, voter=voters[0], attendance="left"),
        lambda: block_create(acting_user=organiser, vote_round=vote_round, name="Khối chính quyền"),
        lambda: round_create(
            acting_user=organiser,
            number="X",
            title="X",
            issuing_body="X",
            issued_on=date(2023, 1, 1),
            vote_year=2023,
            profile_id="khong-co",
        ),
    ]
    codes = []
    for call in refused:
        with pytest.raises(ServiceError) as e:
            call()
        codes.append(e.value.code)
    assert codes == [
        "not_your_pass",
        "wrong_length",
        "no_ballots",
        "wrong_status",
        "duplicate_block",
        "unknown_profile",
    ]
    assert AuditEntry.objects.count() == before


def test_confidential_reads_are_audited_too(
    confirmed: ConfirmedResult,
    entered_conference: Conference,
    supervisor_user: User,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(supervisor_user)
    with appends("result.view", "record.export", actor=supervisor_user):
        client.get(reverse("counting:results", args=[entered_conference.pk]))
        client.get(reverse("counting:export", args=[entered_conference.pk]))


# --- verifying the chain -------------------------------------------------------


def test_an_intact_chain_verifies(entered_conference: Conference) -> None:
    assert AuditEntry.objects.count() > 50
    assert verify_chain() is None
    head = AuditHead.objects.get()
    last = AuditEntry.objects.order_by("seq").last()
    assert last is not None
    assert (head.last_seq, head.last_hash) == (last.seq, last.entry_hash)


def test_an_empty_log_verifies(db: None) -> None:
    assert verify_chain() is None


def _middle(entered_conference: Conference) -> AuditEntry:
    count = AuditEntry.objects.count()
    return AuditEntry.objects.get(seq=count // 2)


def test_an_edited_entry_is_found(entered_conference: Conference) -> None:
    victim = _middle(entered_conference)
    AuditEntry.objects.filter(pk=victim.pk).update(summary=victim.summary + " (đã sửa)")
    assert verify_chain() == ChainProblem(victim.seq, "content does not match its hash")


def test_an_edited_before_or_after_state_is_found(entered_conference: Conference) -> None:
    victim = AuditEntry.objects.filter(action="entry.create").order_by("seq").last()
    assert victim is not None
    AuditEntry.objects.filter(pk=victim.pk).update(after={**victim.after, "digits": "333"})
    assert verify_chain() == ChainProblem(victim.seq, "content does not match its hash")


def test_an_edited_entry_whose_hash_is_recomputed_breaks_the_next_link(
    entered_conference: Conference,
) -> None:
    victim = _middle(entered_conference)
    victim.actor_name = "nguoikhac"
    victim.entry_hash = entry_digest(
        seq=victim.seq,
        at=victim.at,
        actor_id=victim.actor_id,
        actor_name=victim.actor_name,
        action=victim.action,
        object_type=victim.object_type,
        object_id=victim.object_id,
        summary=victim.summary,
        before=victim.before,
        after=victim.after,
        prev_hash=victim.prev_hash,
    )
    victim.save()
    assert verify_chain() == ChainProblem(victim.seq + 1, "previous hash does not match")


def test_a_deleted_entry_is_found(entered_conference: Conference) -> None:
    victim = _middle(entered_conference)
    victim.delete()
    assert verify_chain() == ChainProblem(victim.seq, "missing entry")


def test_a_deleted_first_entry_is_found(entered_conference: Conference) -> None:
    AuditEntry.objects.filter(seq=1).delete()
    assert verify_chain() == ChainProblem(1, "missing entry")


def test_a_deleted_last_entry_is_found(entered_conference: Conference) -> None:
    last = AuditEntry.objects.order_by("seq").last()
    assert last is not None
    last.delete()
    assert verify_chain() == ChainProblem(last.seq, "entries after this one are missing")


def test_an_account_that_acted_cannot_be_deleted_so_the_chain_stays_verifiable(
    vote_round: VoteRound, organiser: User
) -> None:
    """Its id is hashed into the entries: deactivate it instead."""
    with pytest.raises(ProtectedError):
        organiser.delete()
    organiser.is_active = False
    organiser.save()
    assert verify_chain() is None


def test_entries_are_numbered_without_gaps_while_the_conference_runs(
    entered_conference: Conference,
) -> None:
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    # 12 ballots typed in 2 passes; 13 arrivals and 1 departure before the vote.
    assert AuditEntry.objects.filter(action="entry.create").count() == 24
    assert AuditEntry.objects.filter(action="voter.attendance").count() == PRESENT + 2 * LEFT
