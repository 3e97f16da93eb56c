"""The other devices of an electronic vote, simulated in this process for tests:
the committee members' trustee devices (through the files of
``tinnhiem.crypto.files``, as ``tinnhiem trustee`` exchanges them), the offline
card tool, and the voters' devices (ballots built by the Python core)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tinnhiem.accounts.models import User
from tinnhiem.conferences.models import Attendance, Conference, Voter
from tinnhiem.conferences.services import voter_set_attendance, voting_open
from tinnhiem.crypto import files
from tinnhiem.crypto.ballot import Ballot, encrypt_ballot, sign_ballot
from tinnhiem.crypto.credentials import credential_keypair, generate_credential
from tinnhiem.crypto.decryption import make_partial_decryption
from tinnhiem.crypto.dkg import (
    TrusteeKeys,
    TrusteeShare,
    deal,
    finish,
    make_certificate,
    trustee_keys,
)
from tinnhiem.crypto.election import Election as CoreElection
from tinnhiem.crypto.randomness import RandomSource, SeededRandom
from tinnhiem.crypto.tally import EncryptedTally
from tinnhiem.evote import services
from tinnhiem.evote.models import Election, Mode


@dataclass
class TrusteeDevice:
    keys: TrusteeKeys
    share: TrusteeShare | None = None


@dataclass
class Scenario:
    organiser: User
    conference: Conference
    election: Election
    present: list[Voter]
    devices: list[TrusteeDevice]
    cards: list[str]
    rng: RandomSource
    head: User = field(init=False)

    def __post_init__(self) -> None:
        self.head = self.conference.committee.get(role="head").user

    def refresh(self) -> Election:
        self.election = Election.objects.get(pk=self.election.pk)
        return self.election

    @property
    def core(self) -> CoreElection:
        return services.ballot_box(self.refresh()).election


def run_ceremony(organiser: User, election: Election, rng: RandomSource) -> list[TrusteeDevice]:
    """Each trustee's device: invitation → certificate → dealing → verification key."""
    trustees = services.trustees_of(election)
    devices = []
    for t in trustees:
        invitation = files.read_invitation(services.invitation_file(election, t), election.uuid)
        keys = trustee_keys(invitation.trustee, invitation.name, rng)
        cert = make_certificate(election.uuid, keys, rng)
        services.ceremony_upload(
            acting_user=organiser,
            election=election,
            trustee_index=t.index,
            data=files.write_certificate(election.uuid, cert),
        )
        devices.append(TrusteeDevice(keys))
    certs = files.read_certificates(services.certificates_file(election), election.uuid)
    for d in devices:
        dealing, _ = deal(election.uuid, certs.threshold, certs.certificates, d.keys, rng)
        services.ceremony_upload(
            acting_user=organiser,
            election=election,
            trustee_index=d.keys.index,
            data=files.write_dealing(election.uuid, dealing),
        )
    dealt = files.read_dealings(services.dealings_file(election), election.uuid)
    for d in devices:
        share, vk = finish(
            election.uuid, dealt.threshold, dealt.certificates, dealt.dealings, d.keys, rng
        )
        d.share = share
        services.ceremony_upload(
            acting_user=organiser,
            election=election,
            trustee_index=d.keys.index,
            data=files.write_verification_key(election.uuid, vk),
        )
    return devices


def make_cards(organiser: User, election: Election, count: int, rng: RandomSource) -> list[str]:
    """The offline card tool: ``count`` private credentials; only ``L`` is uploaded."""
    cards = [generate_credential(rng) for _ in range(count)]
    publics = [credential_keypair(election.uuid, c).public for c in cards]
    services.credentials_upload(
        acting_user=organiser,
        election=election,
        data=files.write_credentials(election.uuid, publics),
    )
    return cards


def make_scenario(
    organiser: User,
    conference: Conference,
    voters: Sequence[Voter],
    *,
    present: int,
    spare_cards: int,
    trustees: int = 3,
    threshold: int = 2,
    seed: bytes = b"evote-web-tests",
) -> Scenario:
    rng = SeededRandom(seed)
    members = list(conference.committee.order_by("role", "id"))[:trustees]
    election = services.election_create(
        acting_user=organiser, conference=conference, members=members, threshold=threshold
    )
    devices = run_ceremony(organiser, election, rng)
    cards = make_cards(organiser, election, present + spare_cards, rng)
    arrived = list(voters[:present])
    for v in arrived:
        voter_set_attendance(acting_user=organiser, voter=v, attendance=Attendance.PRESENT)
    election = Election.objects.get(pk=election.pk)
    return Scenario(organiser, conference, election, arrived, devices, cards, rng)


def issue_and_open(s: Scenario, *, cards: int, paper: int = 0) -> list[str]:
    """Check-in modes, the spare cards voided, the setup published, voting opened.

    Returns the private credentials of the cards drawn (the first ``cards``)."""
    for v in s.present[:cards]:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.CARD)
    for v in s.present[cards : cards + paper]:
        services.issuance_set(acting_user=s.organiser, voter=v, mode=Mode.PAPER)
    drawn, unissued = s.cards[:cards], s.cards[cards:]
    voided = services.void_list(s.refresh(), "\n".join(unissued), None)
    services.issuance_close(acting_user=s.organiser, election=s.refresh(), voided=voided)
    s.conference = voting_open(
        acting_user=s.organiser, conference=s.conference, ballots_issued=cards + paper
    )
    s.refresh()
    return drawn


LEVELS = ("cao", "tin_nhiem", "thap")


def choices_for(i: int) -> tuple[str, str, str]:
    """A deterministic, varied ballot of the three-person conference."""
    return (LEVELS[i % 3], LEVELS[(i // 3) % 3], LEVELS[(i * 7 + 1) % 3])


def make_ballot(s: Scenario, credential: str, choices: Sequence[str]) -> Ballot:
    """What a voter's device does on "Bỏ phiếu"."""
    election = s.core
    keys = credential_keypair(election.uuid, credential)
    body, _ = encrypt_ballot(election, keys.public, choices, s.rng)
    return sign_ballot(election, body, keys.secret, s.rng)


def cast(s: Scenario, credential: str, choices: Sequence[str]) -> Any:
    return services.ballot_cast(
        election=s.refresh(), ballot=make_ballot(s, credential, choices).to_json()
    )


def partial_file(s: Scenario, index: int, tally: EncryptedTally | None = None) -> bytes:
    """Trustee ``index``'s device: verify the board, then its partial decryption file."""
    from tinnhiem.crypto.verify import verify_archive

    election = s.refresh()
    archive = services.archive_json(election)
    report = verify_archive(archive)
    assert report.ok, [str(f) for f in report.errors]
    box = services.ballot_box(election)
    device = s.devices[index - 1]
    assert device.share is not None
    partial = make_partial_decryption(
        box.election.fingerprint, tally or box.tally, device.share, device.keys, s.rng
    )
    return files.write_partial_decryption(election.uuid, box.election.fingerprint, partial)


def decrypt(s: Scenario, *indices: int) -> Election:
    for j in indices:
        services.partial_decryption_upload(
            acting_user=s.organiser, election=s.refresh(), data=partial_file(s, j)
        )
    return s.refresh()
