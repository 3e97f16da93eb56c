"""Writes of electronic voting. Each one is a transaction with an audit entry.

The server plays the role ``S`` of the protocol (docs/crypto-spec.md §14):
it relays the key-ceremony files between the committee members' own
devices, keeps the board, accepts ballots through
:class:`tinnhiem.crypto.ballot_box.BallotBox` and combines the partial
decryptions the members upload. It never holds a private credential, a
trustee's private key or a decryption share.

The steps, in order (``Election.phase``):

1. :func:`election_create` — the organiser chooses ``n`` committee members as
   key holders and the threshold ``k``;
2. :func:`ceremony_upload` — each member's device produces a certificate, then
   a dealing, then a verification key (files of :mod:`tinnhiem.crypto.files`);
   the server checks each one and, after the last verification key, the whole
   transcript (:func:`~tinnhiem.crypto.dkg.verify_trustees`);
3. :func:`credentials_upload` — the public credential list from the offline
   card tool;
4. :func:`issuance_set` — at check-in, each member present takes a card drawn
   from the box or a paper ballot (the roll records only which);
5. :func:`issuance_close` — the unissued cards are voided in public and the
   setup (election document, trustees, credentials) is published as the
   board's first entry, then the void list: voting opens;
6. :func:`ballot_cast`, :func:`ballot_spoil` — anonymous, the credential's
   signature is the authority;
7. :func:`voting_end` — ``end_ballots`` and the encrypted tally of the whole board;
8. :func:`partial_decryption_upload` — each member's device verifies the
   archive and sends its share; with ``k`` of them the result is combined;
9. :func:`result_integrate` — the decrypted counts join the paper count in the
   conference's result (``counting.services.results_confirm`` with ``electronic_ballots``).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import (
    Attendance,
    CommitteeMember,
    Conference,
    Status,
    Voter,
)
from tinnhiem.crypto import files
from tinnhiem.crypto.ballot import BallotBody, BallotSecrets
from tinnhiem.crypto.ballot_box import (
    BallotBox,
    CheckedBallot,
    ProofsChecked,
    Receipt,
    precheck,
    precheck_body,
)
from tinnhiem.crypto.board import Board, Entry
from tinnhiem.crypto.canonical import JsonOut, digest, fields
from tinnhiem.crypto.credentials import (
    credential_keypair,
    credentials_fingerprint,
    credentials_from_json,
    credentials_to_json,
)
from tinnhiem.crypto.dkg import (
    Certificate,
    Complaint,
    Dealing,
    TrusteesPublic,
    VerificationKey,
    check_complaint,
    dealing_problems,
    verify_certificate,
    verify_trustees,
)
from tinnhiem.crypto.election import Person, standard_levels
from tinnhiem.crypto.errors import BallotRejectedError, BoardError, CryptoError, FormatError
from tinnhiem.crypto.group import Element
from tinnhiem.crypto.setup import Setup, make_setup
from tinnhiem.crypto.workers import ProofWorkers
from tinnhiem.evote.models import BoardEntry, Election, Issuance, Mode, Phase, Trustee
from tinnhiem.evote.policy import minimum_electronic_ballots

MIN_TRUSTEES = 2
MAX_TRUSTEES = 9

# ------------------------------------------------------------- messages

REJECTION_MESSAGES = {
    "closed": "Hòm phiếu điện tử chưa mở hoặc đã kết thúc.",
    "format": "Phiếu không đúng định dạng.",
    "unknown_credential": "Mã thẻ không có trong danh sách thẻ của cuộc bỏ phiếu này.",
    "voided_credential": "Thẻ này đã bị hủy (thẻ không được phát).",
    "duplicate_ballot": "Phiếu này đã có trên bảng (gửi lại, hoặc phiếu đã kiểm tra mã hóa).",
    "duplicate_ciphertext": "Phiếu chứa bản mã đã có trên bảng: không nhận.",
    "election": "Phiếu thuộc cuộc bỏ phiếu khác.",
    "answers": "Phiếu không có đúng một ý kiến cho mỗi người.",
    "signature": "Chữ ký của thẻ trên phiếu không hợp lệ.",
    "proof": "Chứng minh mã hóa của phiếu không hợp lệ.",
    "too_many_voters": "Số thẻ đã bỏ phiếu vượt số người ghi phiếu.",
    "opening": "Dữ liệu kiểm tra mã hóa không khớp với phiếu.",
}


def rejection_message(reason: str) -> str:
    """The Vietnamese message for a :class:`BallotRejectedError` reason code."""
    return _(REJECTION_MESSAGES.get(reason, "Phiếu không được nhận."))


# ------------------------------------------------------------ the box cache


@dataclass
class _Cached:
    head: str
    box: BallotBox


_boxes: dict[str, _Cached] = {}
_boxes_lock = threading.Lock()


def archive_json(election: Election) -> dict[str, JsonOut]:
    """The board as a ``tinnhiem.evote-archive/1`` document, read from the database."""
    rows = BoardEntry.objects.filter(election=election).order_by("height")
    entries: list[JsonOut] = [
        {
            "height": r.height,
            "parent": r.parent,
            "kind": r.kind,
            "payload_hash": r.payload_hash,
            "payload": cast(JsonOut, r.payload),
        }
        for r in rows
    ]
    return {"format": "tinnhiem.evote-archive/1", "entries": entries}


def ballot_box(election: Election, *, remember: bool = True) -> BallotBox:
    """The ballot box over the stored board (kept in memory while the head is unchanged).

    The database is the truth: a cached box is used only if its head is the
    stored head. When another server process has appended, a writer (who
    holds the election's lock) reads only the new entries and checks that
    they continue the cached chain (:meth:`BallotBox.catch_up`); otherwise
    (a rolled-back append, a broken chain) the box is rebuilt from every
    stored entry. Readers that do not hold the lock pass ``remember=False``,
    so that a box they build from an older head never replaces a writer's.
    """
    with _boxes_lock:
        cached = _boxes.get(election.uuid)
    if cached is not None and cached.head == election.head:
        return cached.box
    if cached is not None and remember and cached.box.board.height < election.height:
        box = _caught_up(election, cached.box)
        if box is not None:
            _remember(election.uuid, election.head, box)
            return box
    board = Board.from_json(archive_json(election))
    box = BallotBox(board)
    if board.head != (election.head or None):
        raise BoardError("the stored board does not end at the stored head")
    if remember:
        _remember(election.uuid, election.head, box)
    return box


def _caught_up(election: Election, box: BallotBox) -> BallotBox | None:
    """``box`` moved to the stored head by the entries after its own, or ``None``
    (they do not continue its chain: the box is then rebuilt from scratch)."""
    rows = BoardEntry.objects.filter(election=election, height__gte=box.board.height)
    entries = [
        Entry(r.height, r.parent, r.kind, r.payload_hash, r.payload)
        for r in rows.order_by("height")
    ]
    try:
        box.catch_up(entries)
    except (BoardError, CryptoError):
        return None
    return box if (box.board.head or "") == election.head else None


_setups: dict[str, Setup] = {}


def election_setup(election: Election) -> Setup:
    """The published setup (the board's first entry, which never changes)."""
    with _boxes_lock:
        setup = _setups.get(election.uuid)
    if setup is None:
        entry = BoardEntry.objects.get(election=election, height=0)
        setup = Setup.from_json(entry.payload)
        with _boxes_lock:
            _setups[election.uuid] = setup
    return setup


def _forget(election: Election) -> None:
    with _boxes_lock:
        _boxes.pop(election.uuid, None)


def _store(
    election: Election, box: BallotBox, new: Sequence[Entry], tracker: str | None = None
) -> None:
    """Insert ``new`` board entries and move the election's head (in the caller's
    transaction, which holds the election's lock).

    The in-memory box, which already holds them, is remembered under the *new*
    head at once: if the transaction commits, the next writer finds it; if it
    does not, the stored head stays the old one and the next writer rebuilds.
    ``tracker`` is the tracker of a single new ballot, when the caller knows it.
    """
    for e in new:
        BoardEntry.objects.create(
            election=election,
            height=e.height,
            parent=e.parent,
            kind=e.kind,
            payload_hash=e.payload_hash,
            payload=e.payload,
            entry_hash=e.hash,
            tracker=_tracker_of(e) if tracker is None else tracker,
        )
    election.height = box.board.height
    election.head = box.board.head or ""
    _remember(election.uuid, election.head, box)


def _tracker_of(entry: Entry) -> str:
    payload = entry.payload
    if entry.kind == "ballot" and isinstance(payload, dict):
        return digest({k: v for k, v in payload.items() if k != "signature"})
    if entry.kind == "spoiled_ballot" and isinstance(payload, dict):
        return digest(cast(JsonOut, payload["ballot"]))
    return ""


@dataclass(frozen=True)
class TrackerStatus:
    """What the board says of a tracker: where it is and whether it counts."""

    height: int
    audited: bool
    counted: bool
    replaced: bool


def tracker_status(election: Election, tracker: str) -> TrackerStatus | None:
    """Look a tracker up on the board (``None``: not on it).

    A ballot counts unless a later ballot of the same credential replaced it
    (re-voting; a voided credential never had a ballot accepted). An audited
    ballot never counts.
    """
    entry = BoardEntry.objects.filter(election=election, tracker=tracker).first()
    if entry is None:
        return None
    if entry.kind == "spoiled_ballot":
        return TrackerStatus(entry.height, audited=True, counted=False, replaced=False)
    credential = cast(dict[str, Any], entry.payload)["credential"]
    replaced = BoardEntry.objects.filter(
        election=election, kind="ballot", height__gt=entry.height, payload__credential=credential
    ).exists()
    return TrackerStatus(entry.height, audited=False, counted=not replaced, replaced=replaced)


def _remember(uuid: str, head: str, box: BallotBox) -> None:
    with _boxes_lock:
        _boxes[uuid] = _Cached(head, box)


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("conference").get(pk=election.pk)


def _require_phase(election: Election, *phases: str) -> None:
    if election.phase not in phases:
        raise ServiceError(
            "wrong_phase",
            _("Cuộc bỏ phiếu điện tử đang ở bước “%(phase)s”; không thực hiện được thao tác này.")
            % {"phase": Phase(election.phase).label},
        )


def minutes_json(election: Election) -> dict[str, JsonOut]:
    """The values of the minutes (biên bản) that ``tinnhiem verify ARCHIVE --minutes FILE``
    compares with the archive (:class:`tinnhiem.crypto.verify.Minutes`); no result."""
    from tinnhiem.counting.selectors import reconcile

    box = ballot_box(election, remember=False)
    entries = box.board.entries
    trustees = box.setup.trustees
    voided = [
        c
        for e in entries
        if e.kind == "void_credentials"
        for c in credentials_from_json(
            fields(e.payload, "void_credentials", ("credentials",))["credentials"], "credentials"
        )
    ]
    out: dict[str, JsonOut] = {
        "election_hash": box.election.fingerprint,
        "credentials_hash": credentials_fingerprint(box.setup.credentials),
        "e_voters": election.active_cards,
        "threshold": trustees.threshold,
        "trustee_names": [c.name for c in trustees.certificates],
        "verification_keys": [v.key.hex() for v in trustees.verification_keys],
        "t_min": box.election.t_min,
    }
    if voided:
        out["void_hash"] = credentials_fingerprint(voided)
    end = next((e for e in entries if e.kind == "end_ballots"), None)
    if end is not None:
        out["closing_head"] = end.hash
        out["closing_ballots"] = sum(1 for e in entries[: end.height] if e.kind == "ballot")
        out["trackers"] = [b.tracker() for b in box.last_ballots()]
    conference = election.conference
    if conference.present_at_voting is not None:
        out["present"] = conference.present_at_voting
    if conference.status in (Status.COUNTING, Status.CONFIRMED):
        out["paper_ballots"] = len(reconcile(conference).ballots)
    return out


# ----------------------------------------------------------- 1. creation


@transaction.atomic
def election_create(
    *,
    acting_user: Any,
    conference: Conference,
    members: Sequence[CommitteeMember],
    threshold: int,
) -> Election:
    """An electronic election for ``conference``, with ``members`` as key holders."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status not in (Status.PREPARING, Status.CHECKIN):
        raise ServiceError(
            "too_late", _("Chỉ tổ chức bỏ phiếu điện tử khi hội nghị chưa bắt đầu bỏ phiếu.")
        )
    if Election.objects.filter(conference=conference).exists():
        raise ServiceError("exists", _("Hội nghị đã có cuộc bỏ phiếu điện tử."))
    if not conference.candidacies.exists():
        raise ServiceError("no_candidates", _("Chưa có người được lấy phiếu trên phiếu."))
    summoned = conference.voters.count()
    if summoned < 1:
        raise ServiceError("no_voters", _("Chưa có danh sách thành phần ghi phiếu."))
    ids = [m.pk for m in members]
    if len(set(ids)) != len(ids):
        raise ServiceError("duplicate_member", _("Một thành viên được chọn hai lần."))
    if not MIN_TRUSTEES <= len(ids) <= MAX_TRUSTEES:
        raise ServiceError(
            "bad_trustees",
            _("Chọn từ %(a)s đến %(b)s thành viên Ban kiểm phiếu giữ khóa.")
            % {"a": MIN_TRUSTEES, "b": MAX_TRUSTEES},
        )
    seated = set(conference.committee.values_list("pk", flat=True))
    if not set(ids) <= seated:
        raise ServiceError(
            "not_member", _("Người giữ khóa phải là thành viên Ban kiểm phiếu của hội nghị.")
        )
    if not 1 <= threshold <= len(ids):
        raise ServiceError(
            "bad_threshold",
            _("Số thành viên cần để giải mã phải từ 1 đến %(n)s.") % {"n": len(ids)},
        )
    election = Election.objects.create(
        conference=conference,
        uuid=secrets.token_urlsafe(18),
        kind=conference.kind,
        n_max=summoned,
        t_min=1,
        threshold=threshold,
    )
    for index, member in enumerate(members, start=1):
        Trustee.objects.create(
            election=election, index=index, member=member, name=member.voter.full_name
        )
    audit(
        actor=acting_user,
        action="evote.create",
        obj=election,
        summary=conference.title,
        after={"uuid": election.uuid, "trustees": len(ids), "threshold": threshold},
    )
    return election


def trustees_of(election: Election) -> list[Trustee]:
    return list(election.trustees.order_by("index"))


def invitation_file(election: Election, trustee: Trustee) -> bytes:
    """The ``invitation`` file that starts trustee ``trustee``'s device."""
    names = tuple(t.name for t in trustees_of(election))
    return files.write_invitation(
        files.Invitation(
            election.uuid, election.conference.title, trustee.index, election.threshold, names
        )
    )


def ceremony_step(election: Election) -> str:
    """``certificate``, ``dealing``, ``verification-key`` or ``done``: what is awaited."""
    trustees = trustees_of(election)
    if any(t.certificate is None for t in trustees):
        return files.CERTIFICATE
    if any(t.dealing is None for t in trustees):
        return files.DEALING
    if any(t.verification_key is None for t in trustees):
        return files.VERIFICATION_KEY
    return "done"


def _certificates(trustees: Sequence[Trustee]) -> list[Certificate]:
    return [Certificate.from_json(t.certificate, f"trustee {t.index}") for t in trustees]


def _dealings(trustees: Sequence[Trustee]) -> list[Dealing]:
    return [Dealing.from_json(t.dealing, f"trustee {t.index}") for t in trustees]


def certificates_file(election: Election) -> bytes:
    """The ``certificates`` file (once every certificate is in)."""
    trustees = trustees_of(election)
    return files.write_certificates(election.uuid, election.threshold, _certificates(trustees))


def dealings_file(election: Election) -> bytes:
    """The ``dealings`` file (once every dealing is in)."""
    trustees = trustees_of(election)
    return files.write_dealings(
        election.uuid, election.threshold, _certificates(trustees), _dealings(trustees)
    )


def trustees_public(election: Election) -> TrusteesPublic:
    trustees = trustees_of(election)
    return TrusteesPublic(
        election.threshold,
        tuple(_certificates(trustees)),
        tuple(_dealings(trustees)),
        tuple(
            VerificationKey.from_json(t.verification_key, f"trustee {t.index}") for t in trustees
        ),
    )


def grouped(hex_text: str, size: int = 4) -> str:
    """``abcd ef01 …``: a fingerprint in groups, as the trustee tool prints it."""
    return " ".join(hex_text[i : i + size] for i in range(0, len(hex_text), size))


@dataclass(frozen=True)
class CeremonyFingerprints:
    """What each member's device prints at each step, to compare aloud in the room
    (a server showing members different files would be caught here)."""

    certificates: dict[int, str]
    """Trustee index → the first 128 bits of the SHA-256 of its certificate."""
    certificate_set: str
    dealings: str


def ceremony_fingerprints(election: Election) -> CeremonyFingerprints:
    trustees = trustees_of(election)
    certificates = {
        t.index: grouped(digest(cast(JsonOut, t.certificate))[:32])
        for t in trustees
        if t.certificate is not None
    }
    certificate_set = dealings = ""
    if trustees and len(certificates) == len(trustees):
        certificate_set = grouped(
            files.CertificateSet(
                election.uuid, election.threshold, tuple(_certificates(trustees))
            ).fingerprint[:32]
        )
        if all(t.dealing is not None for t in trustees):
            dealings = grouped(digest([d.to_json() for d in _dealings(trustees)])[:32])
    return CeremonyFingerprints(certificates, certificate_set, dealings)


def _bad_file(message: str) -> ServiceError:
    return ServiceError("bad_file", message)


# ----------------------------------------------------------- 2. ceremony


@transaction.atomic
def ceremony_upload(
    *, acting_user: Any, election: Election, trustee_index: int, data: bytes
) -> str:
    """Take one trustee's file for the step in progress; return the step it completed.

    Every file is read strictly (:mod:`tinnhiem.crypto.files`) and checked
    cryptographically before it is kept; a refused file changes nothing.
    """
    election = _locked(election)
    _require_phase(election, Phase.CEREMONY)
    trustees = trustees_of(election)
    try:
        trustee = next(t for t in trustees if t.index == trustee_index)
    except StopIteration:
        raise ServiceError(
            "bad_trustee", _("Không có người giữ khóa số %(i)s.") % {"i": trustee_index}
        ) from None
    step = ceremony_step(election)
    uuid = election.uuid
    try:
        if step == files.CERTIFICATE:
            cert = files.read_certificate(data, uuid)
            if cert.index != trustee.index or cert.name != trustee.name:
                raise _bad_file(
                    _(
                        "Tệp chứng thư là của người giữ khóa số %(i)s (%(name)s), "
                        "không phải số %(j)s."
                    )
                    % {"i": cert.index, "name": cert.name, "j": trustee.index}
                )
            if not verify_certificate(uuid, cert):
                raise _bad_file(_("Chữ ký hoặc chứng minh trong tệp chứng thư không hợp lệ."))
            if trustee.certificate is not None and trustee.certificate != cert.to_json():
                raise _bad_file(_("Người giữ khóa này đã nộp một chứng thư khác."))
            trustee.certificate = cert.to_json()
            trustee.save(update_fields=["certificate"])
        elif step == files.DEALING:
            dealing = files.read_dealing(data, uuid)
            if dealing.dealer != trustee.index:
                raise _bad_file(
                    _("Tệp phân chia khóa là của người giữ khóa số %(i)s, không phải số %(j)s.")
                    % {"i": dealing.dealer, "j": trustee.index}
                )
            problems = dealing_problems(uuid, election.threshold, _certificates(trustees), dealing)
            if problems:
                raise _bad_file(
                    _("Tệp phân chia khóa không hợp lệ: %(p)s.") % {"p": "; ".join(problems)}
                )
            trustee.dealing = dealing.to_json()
            trustee.save(update_fields=["dealing"])
        elif step == files.VERIFICATION_KEY:
            checked = files.read_share_check(data, uuid)
            if isinstance(checked, Complaint):
                raise _complaint(election, trustees, checked)
            if checked.trustee != trustee.index:
                raise _bad_file(
                    _("Tệp khóa kiểm tra là của người giữ khóa số %(i)s, không phải số %(j)s.")
                    % {"i": checked.trustee, "j": trustee.index}
                )
            partial = TrusteesPublic(
                election.threshold, tuple(_certificates(trustees)), tuple(_dealings(trustees)), ()
            )
            if checked.key != partial.expected_verification_key(trustee.index):
                raise _bad_file(
                    _(
                        "Khóa kiểm tra không khớp với các cam kết phân chia khóa "
                        "(VK_j ≠ Π C_k^(j^k))."
                    )
                )
            trustee.verification_key = checked.to_json()
            trustee.save(update_fields=["verification_key"])
        else:
            raise ServiceError("ceremony_done", _("Lễ tạo khóa đã hoàn tất."))
    except FormatError as exc:
        raise _bad_file(_("Tệp không đúng: %(e)s") % {"e": exc}) from None
    if ceremony_step(election) == "done":
        problems = verify_trustees(uuid, trustees_public(election))
        if problems:
            raise _bad_file(
                _("Kiểm tra toàn bộ lễ tạo khóa không đạt: %(p)s.") % {"p": "; ".join(problems)}
            )
        election.phase = Phase.CREDENTIALS
        election.save(update_fields=["phase"])
    audit(
        actor=acting_user,
        action=f"evote.ceremony.{step}",
        obj=election,
        summary=f"{trustee.index}. {trustee.name}",
    )
    return step


def _complaint(
    election: Election, trustees: Sequence[Trustee], complaint: Complaint
) -> ServiceError:
    dealer = next((t for t in trustees if t.index == complaint.dealer), None)
    if dealer is None or dealer.dealing is None:
        return _bad_file(_("Khiếu nại nêu một người phân chia khóa không có."))
    at_fault = check_complaint(
        election.uuid,
        election.threshold,
        _certificates(trustees),
        Dealing.from_json(dealer.dealing, "dealing"),
        complaint,
    )
    who = dealer if at_fault else next(t for t in trustees if t.index == complaint.recipient)
    return ServiceError(
        "complaint",
        _(
            "Khiếu nại về phần khóa của người số %(d)s gửi người số %(r)s: %(verdict)s "
            "Lễ tạo khóa phải làm lại không có %(who)s (hủy cuộc bỏ phiếu điện tử này và tạo lại)."
        )
        % {
            "d": complaint.dealer,
            "r": complaint.recipient,
            "verdict": _("người phân chia khóa có lỗi.")
            if at_fault
            else _("khiếu nại không có căn cứ."),
            "who": who.name,
        },
    )


@transaction.atomic
def election_cancel(*, acting_user: Any, election: Election) -> None:
    """Drop an election whose setup is not yet published (e.g. after a founded complaint)."""
    election = _locked(election)
    _require_phase(election, Phase.CEREMONY, Phase.CREDENTIALS, Phase.ISSUANCE)
    conference = election.conference
    uuid = election.uuid
    Issuance.objects.filter(voter__conference=conference).delete()
    election.trustees.all().delete()
    audit(actor=acting_user, action="evote.cancel", obj=conference, summary=uuid)
    election.delete()
    _forget(election)


# -------------------------------------------------------- 3. credentials


@transaction.atomic
def credentials_upload(*, acting_user: Any, election: Election, data: bytes) -> str:
    """Take the public credential list ``L`` from the card tool; return its fingerprint."""
    election = _locked(election)
    _require_phase(election, Phase.CREDENTIALS)
    try:
        creds = files.read_credentials(data, election.uuid)
    except FormatError as exc:
        raise _bad_file(_("Tệp danh sách thẻ không đúng: %(e)s") % {"e": exc}) from None
    election.credentials = credentials_to_json(creds)
    election.credentials_hash = credentials_fingerprint(creds)
    election.phase = Phase.ISSUANCE
    election.save(update_fields=["credentials", "credentials_hash", "phase"])
    audit(
        actor=acting_user,
        action="evote.credentials",
        obj=election,
        after={"count": len(creds), "sha256": election.credentials_hash},
    )
    return election.credentials_hash


# ---------------------------------------------------------- 4. issuance


@transaction.atomic
def issuance_set(*, acting_user: Any, voter: Voter, mode: str) -> Issuance:
    """Record that a member present took a card from the box, or a paper ballot.

    One mode per member, never both; it can be corrected only while the cards
    are being issued. Nothing else is recorded (no card, no time).
    """
    election = _locked(Election.objects.get(conference_id=voter.conference_id))
    _require_phase(election, Phase.ISSUANCE)
    if mode not in Mode.values:
        raise ServiceError("bad_mode", _("Hình thức nhận phiếu không hợp lệ."))
    voter = Voter.objects.get(pk=voter.pk)
    if voter.attendance != Attendance.PRESENT:
        raise ServiceError(
            "not_present", _("%(name)s chưa điểm danh có mặt.") % {"name": voter.full_name}
        )
    issuance, created = Issuance.objects.get_or_create(voter=voter, defaults={"mode": mode})
    before = None if created else issuance.mode
    if not created and issuance.mode != mode:
        issuance.mode = mode
        issuance.save(update_fields=["mode"])
    audit(
        actor=acting_user,
        action="evote.issuance",
        obj=voter,
        summary=voter.full_name,
        before={"mode": before},
        after={"mode": mode},
    )
    return issuance


def issuance_counts(conference: Conference) -> tuple[int, int]:
    """``(cards, paper)`` issued to members still present."""
    rows = Issuance.objects.filter(
        voter__conference=conference, voter__attendance=Attendance.PRESENT
    )
    cards = rows.filter(mode=Mode.CARD).count()
    return cards, rows.count() - cards


def void_list(election: Election, codes: str, data: bytes | None) -> tuple[Element, ...]:
    """The voided public credentials: from a ``void`` file, or from the codes of the
    unissued cards typed or scanned one per line (the server derives their public
    credentials; these cards are voided, so their codes may be seen)."""
    if data:
        try:
            return files.read_void(data, election.uuid)
        except FormatError as exc:
            raise _bad_file(_("Tệp thẻ hủy không đúng: %(e)s") % {"e": exc}) from None
    out: list[Element] = []
    for number, line in enumerate(codes.splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        try:
            if text.startswith(files.CARD_QR_PREFIX + ":"):
                _uuid, credential = files.parse_card_qr(text, election.uuid)
            else:
                credential = files.normalize_credential(text)
        except FormatError as exc:
            raise ServiceError(
                "bad_code", _("Dòng %(n)s: mã thẻ không đúng (%(e)s).") % {"n": number, "e": exc}
            ) from None
        out.append(credential_keypair(election.uuid, credential).public)
    return tuple(out)


@transaction.atomic
def issuance_close(
    *, acting_user: Any, election: Election, voided: Sequence[Element], lost: int = 0
) -> Election:
    """Close issuance: publish the setup and the voided (unissued) cards; voting opens.

    Refused unless ``|L| − |void|`` equals the number of cards issued plus the
    cards declared lost (design brief, step 4 and threat T3: a lost card cannot
    be voided, nobody knows which it was; its member votes on paper and the
    loss goes into the minutes), and, when some members vote on paper, unless
    at least ``T_min`` members took a card (:mod:`tinnhiem.evote.policy`).
    """
    election = _locked(election)
    _require_phase(election, Phase.ISSUANCE)
    conference = election.conference
    if conference.status not in (Status.CHECKIN, Status.VOTING):
        raise ServiceError(
            "not_checkin", _("Chỉ kết thúc phát thẻ trong lúc điểm danh hoặc bỏ phiếu.")
        )
    cards, paper = issuance_counts(conference)
    present = cards + paper
    if cards == 0:
        raise ServiceError("no_cards", _("Chưa phát thẻ nào: không tổ chức bỏ phiếu điện tử."))
    t_min = minimum_electronic_ballots(present, mixed=paper > 0)
    if cards < t_min:
        raise ServiceError(
            "too_few_cards",
            _(
                "Chỉ %(cards)s người nhận thẻ, %(paper)s người nhận phiếu giấy: cần ít nhất "
                "%(t)s phiếu điện tử để kết quả chung không làm lộ phiếu của ai. Đề nghị tất cả "
                "bỏ phiếu giấy."
            )
            % {"cards": cards, "paper": paper, "t": t_min},
        )
    listed = credentials_from_json(election.credentials, "credentials")
    known = set(listed)
    unknown = [c for c in voided if c not in known]
    if unknown:
        raise ServiceError(
            "void_unknown",
            _("%(n)s thẻ hủy không có trong danh sách thẻ của cuộc bỏ phiếu này.")
            % {"n": len(unknown)},
        )
    if len(set(voided)) != len(voided):
        raise ServiceError("void_duplicate", _("Một thẻ được hủy hai lần."))
    if lost < 0:
        raise ServiceError("bad_lost", _("Số thẻ bị mất không thể âm."))
    active = len(listed) - len(voided)
    if active != cards + lost:
        raise ServiceError(
            "void_mismatch",
            _(
                "Danh sách có %(l)s thẻ, hủy %(v)s thẻ: còn %(a)s thẻ, "
                "nhưng %(c)s người đã nhận thẻ và %(lost)s thẻ báo mất. "
                "Kiểm đếm lại số thẻ chưa phát."
            )
            % {"l": len(listed), "v": len(voided), "a": active, "c": cards, "lost": lost},
        )
    # N_max: the members summoned now (the list may have grown since the
    # election was created); B = N_max + 1 makes the level encoding unique.
    election.n_max = max(conference.voters.count(), cards)
    candidacies = list(conference.candidacies.select_related("official"))
    setup = make_setup(
        uuid=election.uuid,
        title=conference.title,
        kind=election.kind,
        persons=[Person(c.key, c.official.full_name) for c in candidacies],
        n_max=election.n_max,
        t_min=t_min,
        trustees=trustees_public(election),
        credentials=listed,
    )
    try:
        box = BallotBox.open(setup)
        if voided:
            box.void(voided)
    except (CryptoError, ValueError) as exc:
        raise ServiceError("setup", _("Không lập được cuộc bỏ phiếu: %(e)s") % {"e": exc}) from None
    _store(election, box, box.board.entries)
    election.t_min = t_min
    election.election_hash = setup.election.fingerprint
    election.active_cards = active
    election.phase = Phase.VOTING
    election.save()
    audit(
        actor=acting_user,
        action="evote.open",
        obj=election,
        after={
            "election_hash": election.election_hash,
            "voided": len(voided),
            "cards": cards,
            "paper": paper,
            "lost": lost,
            "t_min": t_min,
            "head": election.head,
        },
    )
    return election


# ------------------------------------------------------------ 6. casting


def _open_for_casting(election: Election) -> None:
    if election.phase != Phase.VOTING or election.conference.status != Status.VOTING:
        raise ServiceError("closed", rejection_message("closed"))


_workers: ProofWorkers | None = None
_workers_lock = threading.Lock()


def proof_workers() -> ProofWorkers | None:
    """The processes that check cast ballots' proofs (``settings.EVOTE_CHECK_PROCESSES``;
    ``None`` when set to 0: proofs are then checked in the request's thread)."""
    global _workers
    processes = settings.EVOTE_CHECK_PROCESSES
    if processes <= 0:
        return None
    with _workers_lock:
        if _workers is None or _workers.processes != processes:
            _workers = ProofWorkers(processes)
        return _workers


def proof_workers_start() -> None:
    """Start the proof-checking processes now, so that the first voter does not
    wait for them (called when a casting page is shown)."""
    workers = proof_workers()
    if workers is not None:
        workers.start(wait=False)


#: Trackers of bodies whose proofs this process has checked before they were cast.
_proofs_checked = ProofsChecked()


def ballot_prepare(*, election: Election, body: object) -> str:
    """Check the proofs of a body a voter is about to cast or audit; its tracker.

    The voting device sends the unsigned body while the voter reads the
    tracker and chooses; the proofs are checked then, and the cast that
    follows needs only the signature and the board's rules (decision 0019).
    Not a write: nothing is stored but the tracker, in this process's memory,
    and no audit entry is made (nothing changes; the cast is audited).
    """
    _open_for_casting(election)
    try:
        checked = precheck_body(
            election_setup(election),
            body,
            workers=proof_workers(),
            checked=_proofs_checked,
        )
    except BallotRejectedError as exc:
        raise ServiceError(exc.reason, rejection_message(exc.reason)) from None
    except CryptoError:
        raise ServiceError("format", rejection_message("format")) from None
    return checked.tracker()


def ballot_cast(*, election: Election, ballot: object) -> Receipt:
    """Accept one signed ballot through the ballot box's rules; the receipt.

    Anonymous: the credential's signature is the authority. The audit entry
    names the board height only — no tracker, no credential, no address.
    The signature and the proofs, which depend on the published setup only,
    are checked first, outside the election's lock and transaction, so that
    voters' ballots are checked side by side (the proofs in worker processes,
    and not again if :func:`ballot_prepare` passed this very body); the
    checks that depend on the board (credential, voiding, freshness) run
    under the lock.
    """
    if election.phase != Phase.VOTING:
        raise ServiceError("closed", rejection_message("closed"))
    try:
        return _cast(
            election=election,
            ballot=precheck(
                election_setup(election).election,
                ballot,
                workers=proof_workers(),
                checked=_proofs_checked,
            ),
        )
    except (BallotRejectedError, CryptoError):
        # Refused: run every check in the ballot box's order, under the lock,
        # so that the reason given is the first one (a voided card before a
        # broken proof), as for any ballot.
        return _cast(election=election, ballot=ballot)


@transaction.atomic
def _cast(*, election: Election, ballot: CheckedBallot | object) -> Receipt:
    election = _locked(election)
    _open_for_casting(election)
    box = ballot_box(election)
    try:
        receipt = box.cast(ballot)
    except BallotRejectedError as exc:
        raise ServiceError(exc.reason, rejection_message(exc.reason)) from None
    except CryptoError:
        _forget(election)
        raise ServiceError("format", rejection_message("format")) from None
    try:
        _store(election, box, [box.board.entries[-1]], receipt.tracker)
        election.ballots += 1
        election.voters = len(box.last_ballots())
        election.save(update_fields=["height", "head", "ballots", "voters"])
        audit(actor=None, action="evote.ballot", obj=election, summary=f"#{receipt.height}")
    except Exception:
        _forget(election)
        raise
    return receipt


def read_spoil(election: Election, value: object) -> tuple[BallotBody, BallotSecrets]:
    """Read ``{"ballot": body, "secrets": {"choices", "nonces"}}`` (a Benaloh audit)."""
    box = ballot_box(election)
    obj = fields(value, "audit", ("ballot", "secrets"))
    body = BallotBody.from_json(obj["ballot"], "audit.ballot", len(box.election.levels))
    return body, BallotSecrets.from_json(obj["secrets"], "audit.secrets")


@transaction.atomic
def ballot_spoil(*, election: Election, opened: object) -> int:
    """Publish an audited (never cast) ballot with its choices and nonces; its height."""
    election = _locked(election)
    _open_for_casting(election)
    box = ballot_box(election)
    try:
        body, secrets_ = read_spoil(election, opened)
        entry = box.spoil(body, secrets_)
    except BallotRejectedError as exc:
        raise ServiceError(exc.reason, rejection_message(exc.reason)) from None
    except CryptoError:
        _forget(election)
        raise ServiceError("format", rejection_message("format")) from None
    try:
        _store(election, box, [entry])
        election.save(update_fields=["height", "head"])
        audit(actor=None, action="evote.audited_ballot", obj=election, summary=f"#{entry.height}")
    except Exception:
        _forget(election)
        raise
    return entry.height


# ------------------------------------------------------ 7. close and tally


@transaction.atomic
def voting_end(*, acting_user: Any, election: Election) -> Election:
    """``end_ballots``, then the encrypted tally of ``last(B)`` (the only aggregate ever made)."""
    election = _locked(election)
    _require_phase(election, Phase.VOTING)
    box = ballot_box(election)
    start = box.board.height
    try:
        closing = box.close()
    except BoardError as exc:
        _forget(election)
        raise ServiceError("closed", str(exc)) from None
    try:
        box.publish_tally()
        election.phase = Phase.DECRYPTING
    except BoardError:
        # Fewer than T_min counted ballots: the board is closed without a tally,
        # and these ballots are never decrypted (design brief, threat T9).
        election.phase = Phase.REFUSED
    _store(election, box, box.board.entries[start:])
    election.closing_head = closing.hash
    election.save()
    audit(
        actor=acting_user,
        action="evote.close",
        obj=election,
        after={
            "closing_head": closing.hash,
            "ballots": election.ballots,
            "voters": election.voters,
            "tally": election.phase == Phase.DECRYPTING,
        },
    )
    return election


# -------------------------------------------------------- 8. decryption


@transaction.atomic
def partial_decryption_upload(*, acting_user: Any, election: Election, data: bytes) -> int:
    """Check and append a trustee's partial decryption; with ``k`` of them, the result.

    Returns the number of partial decryptions on the board. A share made for
    another tally, another election or with a wrong proof is refused.
    """
    election = _locked(election)
    _require_phase(election, Phase.DECRYPTING)
    box = ballot_box(election)
    try:
        upload = files.read_partial_decryption(data, election.uuid)
    except FormatError as exc:
        raise _bad_file(_("Tệp giải mã không đúng: %(e)s") % {"e": exc}) from None
    if upload.election_hash != box.election.fingerprint:
        raise _bad_file(_("Tệp giải mã được làm cho một cuộc bỏ phiếu khác (dấu vân tay khác)."))
    start = box.board.height
    try:
        box.add_partial_decryption(upload.partial_decryption)
    except BoardError as exc:
        _forget(election)
        raise _bad_file(_("Phần giải mã bị từ chối: %(e)s") % {"e": exc}) from None
    received = sum(1 for e in box.board.entries if e.kind == "partial_decryption")
    if received >= election.threshold:
        try:
            result = box.publish_result()
        except CryptoError as exc:
            _forget(election)
            raise ServiceError("decryption", _("Không giải mã được: %(e)s") % {"e": exc}) from None
        election.result = cast(Any, result.to_json())
        election.phase = Phase.FINAL
    _store(election, box, box.board.entries[start:])
    election.save()
    audit(
        actor=acting_user,
        action="evote.partial_decryption",
        obj=election,
        summary=str(upload.partial_decryption.trustee),
        after={"received": received, "final": election.phase == Phase.FINAL},
    )
    return received


# -------------------------------------------------- 9. into the result


def electronic_payloads(election: Election) -> list[dict[str, Any]]:
    """The decrypted counts as ``N_e`` entry payloads for the rules core.

    Only the per-person totals are ever decrypted, never a ballot. Every
    electronic ballot is valid as a whole with exactly one level per person
    (its membership proofs say so, and the web app never allows a blank
    level), so the rules core's tally of these payloads equals the tally of
    the real ballots: ballot ``i`` gets, for each person, the level whose
    cumulative count first exceeds ``i`` (a canonical arrangement of the
    counts; the combination of lines on one such payload means nothing).
    """
    from tinnhiem.counting.selectors import digit_for_levels
    from tinnhiem.rules import Level, VoteKind

    if election.result is None:
        raise ServiceError("no_result", _("Chưa giải mã kết quả bỏ phiếu điện tử."))
    kind = VoteKind(election.kind)
    levels = standard_levels(election.kind)
    n = int(election.result["num_tallied"])
    columns: list[list[str]] = []
    for counts in election.result["counts"]:
        column: list[str] = []
        for level in levels:
            column += [digit_for_levels(kind, (Level(level),))] * int(counts[level])
        if len(column) != n:
            raise ServiceError("bad_result", _("Kết quả giải mã không khớp số phiếu."))
        columns.append(column)
    return [
        {
            "digits": "".join(col[i] for col in columns),
            "issued": True,
            "crossed_out": [],
            "added_names": 0,
            "other_writing": False,
            "signed": False,
        }
        for i in range(n)
    ]


@transaction.atomic
def result_integrate(*, acting_user: Any, election: Election) -> Any:
    """Combine the decrypted electronic counts with the paper count into the one result."""
    from tinnhiem.counting.selectors import reconcile
    from tinnhiem.counting.services import results_confirm

    election = _locked(election)
    _require_phase(election, Phase.FINAL)
    if election.integrated:
        raise ServiceError("integrated", _("Kết quả điện tử đã được đưa vào kết quả hội nghị."))
    conference = election.conference
    payloads = electronic_payloads(election)
    paper = len(reconcile(conference).ballots)
    present = conference.present_at_voting or 0
    t_min = minimum_electronic_ballots(present, mixed=paper > 0)
    if paper and len(payloads) < t_min:
        raise ServiceError(
            "too_few_ballots",
            _(
                "Có %(p)s phiếu giấy và chỉ %(e)s phiếu điện tử (tối thiểu %(t)s): không cộng "
                "được mà không làm lộ phiếu điện tử."
            )
            % {"p": paper, "e": len(payloads), "t": t_min},
        )
    confirmed = results_confirm(
        acting_user=acting_user, conference=conference, electronic_ballots=payloads
    )
    election.integrated = True
    election.save(update_fields=["integrated"])
    audit(
        actor=acting_user,
        action="evote.integrate",
        obj=election,
        after={"paper": paper, "electronic": len(payloads), "sha256": confirmed.sha256},
    )
    return confirmed
