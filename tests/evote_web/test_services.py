"""The services of electronic voting, from the key ceremony to the conference result."""

from __future__ import annotations

import pytest

from tests.evote_web.helpers import (
    Scenario,
    cast,
    choices_for,
    decrypt,
    issue_and_open,
    make_ballot,
    make_cards,
    partial_file,
    run_ceremony,
)
from tinnhiem.accounts.models import User
from tinnhiem.common.audit import verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import Conference, Status
from tinnhiem.conferences.services import voting_close
from tinnhiem.counting.selectors import tally_ballots
from tinnhiem.counting.services import entry_save
from tinnhiem.crypto.ballot import encrypt_ballot
from tinnhiem.crypto.credentials import credential_keypair
from tinnhiem.crypto.verify import verify_archive
from tinnhiem.evote import services
from tinnhiem.evote.models import BoardEntry, Election, Mode, Phase
from tinnhiem.evote.policy import MIN_ELECTRONIC_BALLOTS, minimum_electronic_ballots

DIGIT = {"cao": "1", "tin_nhiem": "2", "thap": "3"}
LEVELS = ("cao", "tin_nhiem", "thap")


def payload(choices: tuple[str, ...]) -> dict[str, object]:
    return {
        "digits": "".join(DIGIT[c] for c in choices),
        "issued": True,
        "crossed_out": [],
        "added_names": 0,
        "other_writing": False,
        "signed": False,
    }


def close_and_decrypt(s: Scenario) -> Election:
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    services.voting_end(acting_user=s.head, election=s.refresh())
    return decrypt(s, 1, 3)


# ------------------------------------------------------------ the whole way


def test_electronic_conference_result_equals_the_paper_count(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    counted = {}
    for i, card in enumerate(cards):
        counted[card] = choices_for(i)
        cast(s, card, choices_for(i))
    # Two members re-vote: only their last ballot counts.
    for i, card in enumerate(cards[:2]):
        counted[card] = choices_for(i + 5)
        cast(s, card, choices_for(i + 5))
    election = close_and_decrypt(s)
    assert election.phase == Phase.FINAL
    assert election.result is not None
    assert election.result["num_tallied"] == 12
    confirmed = services.result_integrate(acting_user=s.head, election=election)
    expected = tally_ballots(s.conference, [payload(c) for c in counted.values()])
    from tinnhiem.counting.selectors import result_json

    assert confirmed.result == result_json(expected)
    s.conference.refresh_from_db()
    assert s.conference.status == Status.CONFIRMED
    report = verify_archive(services.archive_json(s.refresh()))
    assert report.ok, [str(f) for f in report.errors]
    assert verify_chain() is None


def test_the_binding_vote_has_two_levels(
    organiser: User, checkin_conference: Conference, voters: list
) -> None:
    from tests.evote_web.helpers import make_scenario

    Conference.objects.filter(pk=checkin_conference.pk).update(kind="binding")
    checkin_conference.refresh_from_db()
    s = make_scenario(organiser, checkin_conference, voters, present=12, spare_cards=0)
    cards = issue_and_open(s, cards=12)
    assert s.core.levels == ("khong_tin_nhiem", "tin_nhiem")
    for i, card in enumerate(cards):
        cast(s, card, ["tin_nhiem" if (i + p) % 4 else "khong_tin_nhiem" for p in range(3)])
    election = close_and_decrypt(s)
    counts = election.result["counts"]  # type: ignore[index]
    assert counts[0] == {"khong_tin_nhiem": 3, "tin_nhiem": 9}


def test_mixed_conference_gives_one_combined_result(
    scenario: Scenario, clerk1: User, clerk2: User
) -> None:
    s = scenario
    cards = issue_and_open(s, cards=10, paper=2)
    all_choices = []
    for i, card in enumerate(cards):
        cast(s, card, choices_for(i))
        all_choices.append(choices_for(i))
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    paper = [("cao", "thap", "thap"), ("tin_nhiem", "cao", "thap")]
    for number, c in enumerate(paper, start=1):
        for user, entry_pass in ((clerk1, 1), (clerk2, 2)):
            entry_save(
                acting_user=user,
                conference=s.conference,
                entry_pass=entry_pass,
                number=number,
                payload={"digits": "".join(DIGIT[x] for x in c)},
            )
    services.voting_end(acting_user=s.head, election=s.refresh())
    election = decrypt(s, 2, 3)
    confirmed = services.result_integrate(acting_user=s.head, election=election)
    from tinnhiem.counting.selectors import result_json

    expected = tally_ballots(s.conference, [payload(c) for c in paper + all_choices])
    assert confirmed.result == result_json(expected)
    assert confirmed.result["ballots"]["collected"] == 12

    # A correction of a paper ballot keeps the electronic ones in the result.
    from tinnhiem.counting.services import result_amend

    amended = result_amend(
        acting_user=s.head,
        conference=s.conference,
        number=2,
        payload=payload(("cao", "cao", "thap")),
        reason="Ban kiểm phiếu xem lại phiếu giấy số 2",
    )
    corrected = [paper[0], ("cao", "cao", "thap")]
    expected = tally_ballots(s.conference, [payload(c) for c in corrected + all_choices])
    assert amended.result == result_json(expected)
    assert amended.result["ballots"]["collected"] == 12


def test_too_few_cards_in_a_mixed_conference_is_refused(scenario: Scenario) -> None:
    s = scenario
    assert minimum_electronic_ballots(12, mixed=True) == 10
    for v in s.present[:9]:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.CARD)
    for v in s.present[9:]:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.PAPER)
    voided = services.void_list(s.refresh(), "\n".join(s.cards[9:]), None)
    with pytest.raises(ServiceError) as e:
        services.issuance_close(acting_user=s.organiser, election=s.refresh(), voided=voided)
    assert e.value.code == "too_few_cards"
    assert s.refresh().phase == Phase.ISSUANCE
    assert not BoardEntry.objects.filter(election=s.election).exists()


def test_minimum_rule_is_integer_and_named() -> None:
    assert MIN_ELECTRONIC_BALLOTS.value(0) == 10
    assert MIN_ELECTRONIC_BALLOTS.value(100) == 10
    assert MIN_ELECTRONIC_BALLOTS.value(101) == 11
    assert MIN_ELECTRONIC_BALLOTS.value(480) == 48
    assert minimum_electronic_ballots(5, mixed=False) == 1


def test_fewer_ballots_than_t_min_are_never_decrypted(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=10, paper=2)
    for i, card in enumerate(cards[:9]):
        cast(s, card, choices_for(i))
    election = services.voting_end(acting_user=s.head, election=s.refresh())
    assert election.phase == Phase.REFUSED
    kinds = list(BoardEntry.objects.filter(election=election).values_list("kind", flat=True))
    assert kinds[-1] == "end_ballots"
    assert "encrypted_tally" not in kinds


def test_void_count_must_match_the_cards_issued(scenario: Scenario) -> None:
    s = scenario
    for v in s.present:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.CARD)
    # One unissued card is "forgotten": 13 active credentials for 12 cards issued.
    voided = services.void_list(s.refresh(), s.cards[12], None)
    with pytest.raises(ServiceError) as e:
        services.issuance_close(acting_user=s.organiser, election=s.refresh(), voided=voided)
    assert e.value.code == "void_mismatch"
    with pytest.raises(ServiceError) as e:
        services.void_list(s.refresh(), "not a card", None)
    assert e.value.code == "bad_code"
    assert "Dòng 1" in e.value.message


def test_one_mode_per_member(scenario: Scenario) -> None:
    s = scenario
    v = s.present[0]
    services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.CARD)
    services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.PAPER)
    assert services.issuance_counts(s.conference) == (0, 1)
    absent = s.conference.voters.exclude(pk__in=[p.pk for p in s.present]).first()
    with pytest.raises(ServiceError) as e:
        services.issuance_set(acting_user=s.organiser, voter=absent, mode=Mode.CARD)
    assert e.value.code == "not_present"


# ------------------------------------------------------------- the ceremony


def test_ceremony_refuses_a_file_of_the_wrong_kind_or_trustee(
    organiser: User, checkin_conference: Conference
) -> None:
    from tinnhiem.crypto import files
    from tinnhiem.crypto.dkg import make_certificate, trustee_keys
    from tinnhiem.crypto.randomness import SeededRandom

    rng = SeededRandom(b"ceremony")
    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=2
    )
    t1 = services.trustees_of(election)[0]
    cert = make_certificate(election.uuid, trustee_keys(1, t1.name, rng), rng)
    data = files.write_certificate(election.uuid, cert)
    with pytest.raises(ServiceError) as e:
        services.ceremony_upload(
            acting_user=organiser, election=election, trustee_index=2, data=data
        )
    assert e.value.code == "bad_file"
    assert "số 1" in e.value.message
    with pytest.raises(ServiceError) as e:
        services.ceremony_upload(
            acting_user=organiser, election=election, trustee_index=1, data=b'{"format": 1}'
        )
    assert e.value.code == "bad_file"
    assert "$.format" in e.value.message
    other = files.write_certificate("another-election-uuid", cert)
    with pytest.raises(ServiceError) as e:
        services.ceremony_upload(
            acting_user=organiser, election=election, trustee_index=1, data=other
        )
    assert "election_uuid" in e.value.message
    assert services.ceremony_step(election) == files.CERTIFICATE
    assert all(t.certificate is None for t in services.trustees_of(election))


def test_ceremony_then_credentials_move_the_phase(scenario: Scenario) -> None:
    election = scenario.refresh()
    assert election.phase == Phase.ISSUANCE
    assert len(election.credentials) == 14  # type: ignore[arg-type]
    assert services.trustees_public(election).threshold == 2


def test_threshold_and_members_are_checked(organiser: User, checkin_conference: Conference) -> None:
    members = list(checkin_conference.committee.all())[:3]
    with pytest.raises(ServiceError) as e:
        services.election_create(
            acting_user=organiser, conference=checkin_conference, members=members, threshold=4
        )
    assert e.value.code == "bad_threshold"
    with pytest.raises(ServiceError) as e:
        services.election_create(
            acting_user=organiser, conference=checkin_conference, members=members[:1], threshold=1
        )
    assert e.value.code == "bad_trustees"


# -------------------------------------------------------------- casting


def test_audit_then_cast_and_an_audited_body_can_never_be_cast(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    election = s.core
    keys = credential_keypair(election.uuid, cards[0])
    body, secrets = encrypt_ballot(election, keys.public, choices_for(0), s.rng)
    services.ballot_spoil(
        election=s.refresh(), opened={"ballot": body.to_json(), "secrets": secrets.to_json()}
    )
    from tinnhiem.crypto.ballot import sign_ballot

    with pytest.raises(ServiceError) as e:
        services.ballot_cast(
            election=s.refresh(), ballot=sign_ballot(election, body, keys.secret, s.rng).to_json()
        )
    assert e.value.code == "duplicate_ballot"
    receipt = cast(s, cards[0], choices_for(1))
    assert receipt.height == s.refresh().height - 1
    kinds = list(BoardEntry.objects.filter(election=s.election).values_list("kind", flat=True))
    assert kinds == ["setup", "void_credentials", "spoiled_ballot", "ballot"]


def test_a_replayed_ballot_is_rejected(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    ballot = make_ballot(s, cards[0], choices_for(0)).to_json()
    services.ballot_cast(election=s.refresh(), ballot=ballot)
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot=ballot)
    assert e.value.code == "duplicate_ballot"
    assert s.refresh().ballots == 1


def test_a_copied_ciphertext_under_another_card_is_rejected(scenario: Scenario) -> None:
    from tinnhiem.crypto.ballot import BallotBody, sign_ballot

    s = scenario
    cards = issue_and_open(s, cards=12)
    first = make_ballot(s, cards[0], choices_for(0))
    services.ballot_cast(election=s.refresh(), ballot=first.to_json())
    election = s.core
    keys = credential_keypair(election.uuid, cards[1])
    copied = BallotBody(election.uuid, election.fingerprint, keys.public, first.body.answers)
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(
            election=s.refresh(), ballot=sign_ballot(election, copied, keys.secret, s.rng).to_json()
        )
    assert e.value.code == "duplicate_ciphertext"


def test_voided_and_unknown_credentials_are_rejected(scenario: Scenario) -> None:
    s = scenario
    issue_and_open(s, cards=12)
    voided_card = s.cards[12]
    with pytest.raises(ServiceError) as e:
        cast(s, voided_card, choices_for(0))
    assert e.value.code == "voided_credential"
    from tinnhiem.crypto.credentials import generate_credential

    with pytest.raises(ServiceError) as e:
        cast(s, generate_credential(s.rng), choices_for(0))
    assert e.value.code == "unknown_credential"
    assert s.refresh().ballots == 0


def test_a_wrong_proof_is_rejected_even_when_signed(scenario: Scenario) -> None:
    from tinnhiem.crypto.ballot import BallotBody, EncryptedAnswer, sign_ballot

    s = scenario
    cards = issue_and_open(s, cards=12)
    election = s.core
    keys = credential_keypair(election.uuid, cards[0])
    body, _ = encrypt_ballot(election, keys.public, choices_for(0), s.rng)
    a0, a1 = body.answers[0], body.answers[1]
    # Person 0's ciphertext with person 1's (valid, but not for it) proof, then signed.
    forged = BallotBody(
        body.election_uuid,
        body.election_hash,
        body.credential,
        (EncryptedAnswer(a0.ciphertext, a1.proof), *body.answers[1:]),
    )
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(
            election=s.refresh(), ballot=sign_ballot(election, forged, keys.secret, s.rng).to_json()
        )
    assert e.value.code == "proof"
    tampered = make_ballot(s, cards[1], choices_for(1)).to_json()
    tampered["signature"] = [tampered["signature"][0], "00" * 32]  # type: ignore[index]
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot=tampered)
    assert e.value.code == "signature"
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot={"not": "a ballot"})
    assert e.value.code == "format"


def test_casting_needs_the_conference_to_be_voting(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    with pytest.raises(ServiceError) as e:
        cast(s, cards[0], choices_for(0))
    assert e.value.code == "closed"


def test_a_stale_cache_is_rebuilt_from_the_database(scenario: Scenario) -> None:
    s = scenario
    cards = issue_and_open(s, cards=12)
    cast(s, cards[0], choices_for(0))
    services._boxes.clear()
    cast(s, cards[1], choices_for(1))
    assert s.refresh().ballots == 2
    assert verify_archive(services.archive_json(s.election)).ok


# ----------------------------------------------------------- decryption


def test_a_share_for_another_tally_or_election_is_rejected(scenario: Scenario) -> None:
    from tinnhiem.crypto.tally import compute_encrypted_tally

    s = scenario
    cards = issue_and_open(s, cards=12)
    for i, card in enumerate(cards):
        cast(s, card, choices_for(i))
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    services.voting_end(acting_user=s.head, election=s.refresh())
    box = services.ballot_box(s.refresh())
    # Helios #170: a tally of one voter's ballot, to be decrypted by a trustee.
    subset = compute_encrypted_tally(box.last_ballots()[:1], len(box.election.persons))
    with pytest.raises(ServiceError) as e:
        services.partial_decryption_upload(
            acting_user=s.organiser, election=s.refresh(), data=partial_file(s, 1, subset)
        )
    assert e.value.code == "bad_file"
    assert "another tally" in e.value.message
    from tinnhiem.crypto import files

    good = files.read_partial_decryption(partial_file(s, 1))
    other = files.write_partial_decryption(s.election.uuid, "0" * 64, good.partial_decryption)
    with pytest.raises(ServiceError) as e:
        services.partial_decryption_upload(
            acting_user=s.organiser, election=s.refresh(), data=other
        )
    assert "dấu vân tay" in e.value.message
    assert (
        services.partial_decryption_upload(
            acting_user=s.organiser, election=s.refresh(), data=partial_file(s, 1)
        )
        == 1
    )
    with pytest.raises(ServiceError) as e:
        services.partial_decryption_upload(
            acting_user=s.organiser, election=s.refresh(), data=partial_file(s, 1)
        )
    assert "already" in e.value.message
    assert s.refresh().phase == Phase.DECRYPTING


def test_the_database_administrator_cannot_decrypt(scenario: Scenario) -> None:
    """Everything stored — elections, trustees, board — holds public keys and
    commitments only: no stored value is the election key or a trustee's share,
    and the one-ballot "subset tally" attack of Helios #170 yields garbage."""
    import json

    from tinnhiem.crypto.decryption import PartialDecryption, combine
    from tinnhiem.crypto.elgamal import DiscreteLog
    from tinnhiem.crypto.errors import DecryptionError
    from tinnhiem.crypto.group import Scalar, g_pow
    from tinnhiem.crypto.tally import compute_encrypted_tally
    from tinnhiem.evote.models import Trustee

    s = scenario
    cards = issue_and_open(s, cards=12)
    for i, card in enumerate(cards):
        cast(s, card, choices_for(i))
    s.conference = voting_close(acting_user=s.organiser, conference=s.conference)
    services.voting_end(acting_user=s.head, election=s.refresh())
    decrypt(s, 1)  # one trustee (k = 2): the board holds one partial decryption

    dump = json.dumps(
        [
            list(Election.objects.values()),
            list(Trustee.objects.values()),
            list(BoardEntry.objects.values()),
        ],
        default=str,
    )
    import re

    box = services.ballot_box(s.refresh())
    public_key = box.election.public_key
    vks = {vk.key for vk in box.setup.trustees.verification_keys}
    for hex_value in set(re.findall(r"[0-9a-f]{64}", dump)):
        value = int.from_bytes(bytes.fromhex(hex_value), "little")
        if value >= 2**252 + 27742317777372353535851937790883648493:
            continue
        image = g_pow(Scalar(value))
        assert image != public_key
        assert image not in vks
    # The subset attack: one voter's ballot, "decrypted" with what the board holds.
    partials = [
        p
        for e in box.board.entries
        if e.kind == "partial_decryption"
        for p in [PartialDecryption.from_json(e.payload)]
    ]
    subset = compute_encrypted_tally(box.last_ballots()[:1], len(box.election.persons))
    with pytest.raises(DecryptionError):
        combine(subset, partials, threshold=2)
    forced = combine(subset, partials, threshold=1)
    dlog = DiscreteLog.for_many(box.election.dlog_bound(1), 3)
    recovered = []
    for element in forced:
        try:
            recovered.append(dlog.solve(element))
        except DecryptionError:
            recovered.append(None)
    assert recovered != [box.election.value_of(c) for c in choices_for(0)]
    assert s.refresh().phase == Phase.DECRYPTING


def test_the_audit_entry_of_a_cast_names_no_tracker_or_credential(scenario: Scenario) -> None:
    from tinnhiem.common.models import AuditEntry

    s = scenario
    cards = issue_and_open(s, cards=12)
    receipt = cast(s, cards[0], choices_for(0))
    entry = AuditEntry.objects.filter(action="evote.ballot").get()
    text = f"{entry.summary} {entry.before} {entry.after} {entry.object_id}"
    public = credential_keypair(s.election.uuid, cards[0]).public.hex()
    assert receipt.tracker not in text
    assert public not in text
    assert cards[0] not in text
    assert entry.actor_id is None


def test_run_helpers_are_deterministic(organiser: User, checkin_conference: Conference) -> None:
    """The simulated devices use only the files of tinnhiem.crypto.files (round trip)."""
    from tinnhiem.crypto.randomness import SeededRandom

    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=3
    )
    devices = run_ceremony(organiser, election, SeededRandom(b"x"))
    assert [d.keys.index for d in devices] == [1, 2, 3]
    cards = make_cards(organiser, Election.objects.get(pk=election.pk), 15, SeededRandom(b"y"))
    assert len(set(cards)) == 15


def test_a_declared_lost_card_stays_active_and_is_counted_in_the_check(scenario: Scenario) -> None:
    s = scenario
    for v in s.present[:11]:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.CARD)
    # The twelfth member drew a card, lost it, and votes on paper instead.
    services.issuance_set(acting_user=s.organiser, voter=s.present[11], mode=Mode.PAPER)
    voided = services.void_list(s.refresh(), "\n".join(s.cards[12:]), None)
    with pytest.raises(ServiceError) as e:
        services.issuance_close(acting_user=s.organiser, election=s.refresh(), voided=voided)
    assert e.value.code == "void_mismatch"
    election = services.issuance_close(
        acting_user=s.organiser, election=s.refresh(), voided=voided, lost=1
    )
    assert election.active_cards == 12
    assert election.phase == Phase.VOTING


def test_a_verification_key_that_does_not_match_the_dealings_is_refused(
    organiser: User, checkin_conference: Conference
) -> None:
    from tinnhiem.crypto import files
    from tinnhiem.crypto.dkg import VerificationKey, deal, finish, make_certificate, trustee_keys
    from tinnhiem.crypto.randomness import SeededRandom

    rng = SeededRandom(b"vk")
    members = list(checkin_conference.committee.order_by("role", "id"))[:3]
    election = services.election_create(
        acting_user=organiser, conference=checkin_conference, members=members, threshold=2
    )
    keys = [trustee_keys(t.index, t.name, rng) for t in services.trustees_of(election)]
    for k in keys:
        data = files.write_certificate(election.uuid, make_certificate(election.uuid, k, rng))
        services.ceremony_upload(
            acting_user=organiser, election=election, trustee_index=k.index, data=data
        )
    certs = files.read_certificates(services.certificates_file(election)).certificates
    for k in keys:
        dealing, _ = deal(election.uuid, 2, certs, k, rng)
        data = files.write_dealing(election.uuid, dealing)
        services.ceremony_upload(
            acting_user=organiser, election=election, trustee_index=k.index, data=data
        )
    dealt = files.read_dealings(services.dealings_file(election))
    _, vk1 = finish(election.uuid, 2, dealt.certificates, dealt.dealings, keys[0], rng)
    _, vk2 = finish(election.uuid, 2, dealt.certificates, dealt.dealings, keys[1], rng)
    # Trustee 2 sends trustee 1's key under its own number.
    wrong = VerificationKey(2, vk1.key, vk2.proof, vk2.signature)
    with pytest.raises(ServiceError) as e:
        services.ceremony_upload(
            acting_user=organiser,
            election=election,
            trustee_index=2,
            data=files.write_verification_key(election.uuid, wrong),
        )
    assert "VK_j" in e.value.message


def test_a_rolled_back_cast_leaves_no_trace_in_memory(scenario: Scenario) -> None:
    from django.db import transaction

    s = scenario
    cards = issue_and_open(s, cards=12)
    ballot = make_ballot(s, cards[0], choices_for(0)).to_json()

    def cast_then_fail() -> None:
        with transaction.atomic():
            services.ballot_cast(election=s.refresh(), ballot=ballot)
            raise RuntimeError("the commit fails")

    with pytest.raises(RuntimeError, match="commit fails"):
        cast_then_fail()
    assert s.refresh().ballots == 0
    # The same ballot is accepted now: no box remembers the rolled-back one.
    services.ballot_cast(election=s.refresh(), ballot=ballot)
    assert s.refresh().ballots == 1
    assert verify_archive(services.archive_json(s.election)).ok


def test_unissued_cards_voided_from_the_card_tool_file(scenario: Scenario) -> None:
    from tinnhiem.crypto import files

    s = scenario
    for v in s.present:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.CARD)
    uuid = s.election.uuid
    publics = [credential_keypair(uuid, c).public for c in s.cards[12:]]
    voided = services.void_list(s.refresh(), "", files.write_void(uuid, publics))
    assert sorted(v.hex() for v in voided) == sorted(p.hex() for p in publics)
    with pytest.raises(ServiceError) as e:
        services.void_list(s.refresh(), "", files.write_void("another-election", publics))
    assert e.value.code == "bad_file"
    election = services.issuance_close(acting_user=s.organiser, election=s.refresh(), voided=voided)
    minutes = services.minutes_json(election)
    assert minutes["e_voters"] == 12
    assert "void_hash" in minutes


def test_a_box_another_process_left_behind_catches_up_with_the_new_entries_only(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several server processes: each keeps its own box; one that missed others'
    ballots reads only those (no rebuild of the whole board), still refuses a
    replay of them, and a diverged box is rebuilt."""
    from tinnhiem.crypto.ballot_box import BallotBox
    from tinnhiem.crypto.board import Board

    s = scenario
    cards = issue_and_open(s, cards=12)
    cast(s, cards[0], choices_for(0))
    election = s.refresh()
    behind = BallotBox(Board.from_json(services.archive_json(election)))  # this process
    behind_head = election.head
    replayed = make_ballot(s, cards[1], choices_for(1)).to_json()
    services.ballot_cast(election=s.refresh(), ballot=replayed)  # "other processes"
    cast(s, cards[2], choices_for(2))
    services._remember(s.election.uuid, behind_head, behind)

    def no_rebuild(archive: object) -> Board:
        raise AssertionError("the whole board was read again")

    monkeypatch.setattr(services.Board, "from_json", no_rebuild)
    receipt = cast(s, cards[3], choices_for(3))
    assert receipt.height == s.refresh().height - 1
    assert services.ballot_box(s.refresh()) is behind
    with pytest.raises(ServiceError) as e:
        services.ballot_cast(election=s.refresh(), ballot=replayed)
    assert e.value.code == "duplicate_ballot"
    monkeypatch.undo()

    # A box whose last entry the database never kept (a rolled-back append):
    # the entries stored since do not continue its chain, so it is rebuilt.
    diverged = BallotBox(Board.from_json(services.archive_json(s.refresh())))
    diverged.cast(make_ballot(s, cards[4], choices_for(4)))
    cast(s, cards[5], choices_for(5))  # "other processes"
    cast(s, cards[6], choices_for(6))
    services._remember(s.election.uuid, diverged.board.head or "", diverged)
    assert diverged.board.height < s.refresh().height
    cast(s, cards[7], choices_for(7))
    box = services.ballot_box(s.refresh())
    assert box is not diverged
    assert box.board.head == s.refresh().head
    assert len(box.last_ballots()) == 7  # cards 0–3 and 5–7; card 4 never reached the board
    assert verify_archive(services.archive_json(s.refresh())).ok
