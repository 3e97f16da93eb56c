"""Writes to conferences: people on the ballot (eligibility and places decided
by the rules core), summoned members, the counting committee, check-in and
the quorum gate. Every service appends an audit entry."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.campaigns.services import round_profile
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import (
    Attendance,
    Candidacy,
    CommitteeMember,
    CommitteeRole,
    Conference,
    Kind,
    PlaceKind,
    Status,
    Voter,
)
from tinnhiem.conferences.selectors import attendance_counts, official_eligibility
from tinnhiem.rules import PlaceKind as CorePlaceKind
from tinnhiem.rules import check_quorum, select_places


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _require_status(conference: Conference, *allowed: str) -> None:
    if conference.status not in allowed:
        labels = ", ".join(str(Status(s).label) for s in allowed)
        raise ServiceError(
            "wrong_status",
            _("Hội nghị đang ở bước “%(now)s”; thao tác này chỉ làm được ở bước: %(allowed)s.")
            % {"now": conference.get_status_display(), "allowed": labels},
        )


@transaction.atomic
def conference_create(
    *,
    acting_user: Any,
    vote_round: VoteRound,
    agency: Agency,
    title: str,
    date: date,
    kind: str = Kind.POLL,
    place_kind: str = PlaceKind.WORKPLACE,
    location: str = "",
    chair: str = "",
    supervisors: str = "",
    members_total: int | None = None,
) -> Conference:
    if agency.round_id != vote_round.pk:
        raise ServiceError("agency_other_round", _("Cơ quan không thuộc kế hoạch này."))
    profile = round_profile(vote_round)
    if kind not in {k.value for k in profile.kinds}:
        raise ServiceError("kind_not_allowed", _("Quy định không áp dụng hình thức này."))
    conference = Conference(
        round=vote_round,
        agency=agency,
        title=_nfc(title),
        date=date,
        kind=kind,
        place_kind=place_kind,
        location=_nfc(location),
        chair=_nfc(chair),
        supervisors=supervisors.strip(),
        members_total=members_total,
    )
    conference.full_clean()
    conference.save()
    audit(
        actor=acting_user,
        action="conference.create",
        obj=conference,
        summary=conference.title,
        after={"title": conference.title, "date": conference.date, "agency": agency.name},
    )
    return conference


@transaction.atomic
def candidacy_add(
    *, acting_user: Any, conference: Conference, official: Official, printed_position: str = ""
) -> Candidacy:
    """Put an official on the ballot, if the rules core allows it.

    Refused with ``excluded`` (exclusions of the profile, with the article) or
    ``too_many_places`` (more places than the profile allows)."""
    _require_status(conference, Status.PREPARING)
    if official.round_id != conference.round_id:
        raise ServiceError("official_other_round", _("Cán bộ không thuộc kế hoạch này."))
    if Candidacy.objects.filter(conference=conference, official=official).exists():
        raise ServiceError("already_on_ballot", _("Cán bộ đã có tên trên phiếu."))
    eligibility = official_eligibility(official, conference)
    if not eligibility.eligible:
        reasons = "; ".join(f"{x.message_vi} ({x.article})" for x in eligibility.exclusions)
        raise ServiceError(
            "excluded",
            _("Không thực hiện lấy phiếu đối với %(name)s: %(reasons)s.")
            % {"name": official.full_name, "reasons": reasons},
        )
    profile = round_profile(conference.round)
    existing = list(
        Candidacy.objects.filter(official=official, conference__round=conference.round)
        .exclude(conference=conference)
        .values_list("conference__place_kind", flat=True)
    )
    requested = [CorePlaceKind(p) for p in [*existing, conference.place_kind]]
    if len(requested) > profile.params.max_places:
        selection = select_places(requested, profile)
        order = ", ".join(k.label_vi for k in profile.place_priority)
        raise ServiceError(
            "too_many_places",
            _(
                "%(name)s đã được lấy phiếu ở %(n)s nơi; tối đa %(max)s nơi theo thứ tự ưu tiên: "
                "%(order)s (nơi được giữ: %(kept)s)."
            )
            % {
                "name": official.full_name,
                "n": len(existing),
                "max": profile.params.max_places,
                "order": order,
                "kept": ", ".join(k.label_vi for k in selection.accepted),
            },
        )
    order_no = (conference.candidacies.aggregate(m=Max("order"))["m"] or 0) + 1
    candidacy = Candidacy.objects.create(
        conference=conference,
        official=official,
        order=order_no,
        printed_position=_nfc(printed_position) or f"{official.position}, {official.agency.name}",
    )
    audit(
        actor=acting_user,
        action="candidacy.add",
        obj=candidacy,
        summary=f"{official.full_name} → {conference.title}",
        after={"official": official.full_name, "order": order_no},
    )
    return candidacy


@transaction.atomic
def candidacy_remove(*, acting_user: Any, candidacy: Candidacy) -> None:
    conference = candidacy.conference
    _require_status(conference, Status.PREPARING)
    before = {"official": candidacy.official.full_name, "order": candidacy.order}
    removed_order = candidacy.order
    candidacy.delete()
    # Keep ballot order contiguous: 1, 2, 3 …
    for c in conference.candidacies.filter(order__gt=removed_order).order_by("order"):
        c.order -= 1
        c.save(update_fields=["order"])
    audit(actor=acting_user, action="candidacy.remove", obj=conference, before=before)


@transaction.atomic
def voter_add(
    *,
    acting_user: Any,
    conference: Conference,
    full_name: str,
    position: str = "",
    official: Official | None = None,
    username: str = "",
) -> Voter:
    """Add a summoned member; ``username``, if given, is the account with which
    they will see the confirmed result of this conference."""
    _require_status(conference, Status.PREPARING, Status.CHECKIN)
    name = _nfc(full_name)
    if not name:
        raise ServiceError("empty_name", _("Họ và tên không được để trống."))
    user = None
    if username.strip():
        from tinnhiem.accounts.models import User

        user = User.objects.filter(username=username.strip(), is_active=True).first()
        if user is None:
            raise ServiceError(
                "unknown_account",
                _("%(n)s: không có tài khoản đang hoạt động có tên đăng nhập “%(u)s”.")
                % {"n": name, "u": username.strip()},
            )
    order_no = (conference.voters.aggregate(m=Max("order"))["m"] or 0) + 1
    voter = Voter.objects.create(
        conference=conference,
        full_name=name,
        position=_nfc(position),
        official=official,
        user=user,
        order=order_no,
    )
    after = {"full_name": name} | ({"user": user.username} if user else {})
    audit(actor=acting_user, action="voter.add", obj=voter, after=after)
    return voter


@transaction.atomic
def voters_add_many(*, acting_user: Any, conference: Conference, lines: str) -> list[Voter]:
    """Add summoned members from pasted lines ``Họ và tên; chức vụ`` or
    ``Họ và tên; chức vụ; tên đăng nhập``. All or nothing: an error names the
    line and nothing is added."""
    added = []
    for number, raw in enumerate(lines.splitlines(), start=1):
        if not raw.strip():
            continue
        name, _sep, rest = raw.partition(";")
        position, _sep, username = rest.partition(";")
        try:
            added.append(
                voter_add(
                    acting_user=acting_user,
                    conference=conference,
                    full_name=name,
                    position=position.strip(),
                    username=username,
                )
            )
        except ServiceError as e:
            raise ServiceError(
                e.code, _("Dòng %(n)s: %(e)s") % {"n": number, "e": e.message}
            ) from e
    return added


@transaction.atomic
def committee_member_add(
    *,
    acting_user: Any,
    conference: Conference,
    voter: Voter,
    role: str,
    user: Any = None,
    entry_pass: int | None = None,
) -> CommitteeMember:
    """Ban kiểm phiếu: elected among the members, never a person on the ballot.

    Also allowed while counting, for a conference imported from a record."""
    _require_status(conference, Status.PREPARING, Status.CHECKIN, Status.VOTING, Status.COUNTING)
    if voter.conference_id != conference.pk:
        raise ServiceError("voter_other_conference", _("Người này không thuộc hội nghị."))
    on_ballot = (
        voter.official_id is not None
        and conference.candidacies.filter(official_id=voter.official_id).exists()
    )
    names_on_ballot = {
        _nfc(n).casefold()
        for n in conference.candidacies.values_list("official__full_name", flat=True)
    }
    if on_ballot or _nfc(voter.full_name).casefold() in names_on_ballot:
        raise ServiceError(
            "candidate_in_committee",
            _("Người được lấy phiếu không được tham gia Ban kiểm phiếu."),
        )
    if role == CommitteeRole.HEAD and conference.committee.filter(role=CommitteeRole.HEAD).exists():
        raise ServiceError("second_head", _("Ban kiểm phiếu đã có Trưởng ban."))
    if entry_pass is not None and entry_pass not in (1, 2):
        raise ServiceError("bad_entry_pass", _("Lượt nhập phải là 1 hoặc 2."))
    if entry_pass is not None and user is None:
        raise ServiceError(
            "entry_pass_needs_account", _("Người nhập phiếu phải có tài khoản đăng nhập.")
        )
    if (
        entry_pass is not None
        and user is not None
        and conference.committee.filter(entry_pass=entry_pass).exclude(user=user).exists()
    ):
        raise ServiceError(
            "entry_pass_taken", _("Lượt nhập %(n)s đã giao cho người khác.") % {"n": entry_pass}
        )
    if user is not None and conference.committee.filter(user=user).exists():
        raise ServiceError(
            "one_pass_per_clerk",
            _(
                "Tài khoản này đã có một chỗ khác trong Ban kiểm phiếu: hai lượt nhập phải do "
                "hai người độc lập."
            ),
        )
    try:
        member = CommitteeMember.objects.create(
            conference=conference, voter=voter, role=role, user=user, entry_pass=entry_pass
        )
    except IntegrityError:
        raise ServiceError(
            "already_in_committee", _("Người này đã có trong Ban kiểm phiếu.")
        ) from None
    audit(
        actor=acting_user,
        action="committee.add",
        obj=member,
        after={"voter": voter.full_name, "role": role, "entry_pass": entry_pass},
    )
    return member


@transaction.atomic
def checkin_open(*, acting_user: Any, conference: Conference) -> Conference:
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    _require_status(conference, Status.PREPARING)
    if not conference.candidacies.exists():
        raise ServiceError("no_candidates", _("Chưa có người được lấy phiếu trên phiếu."))
    if not conference.voters.exists():
        raise ServiceError("no_voters", _("Chưa có danh sách thành phần ghi phiếu."))
    conference.status = Status.CHECKIN
    conference.save(update_fields=["status", "updated_at"])
    audit(actor=acting_user, action="conference.checkin_open", obj=conference)
    return conference


@transaction.atomic
def voter_set_attendance(*, acting_user: Any, voter: Voter, attendance: str) -> Voter:
    """Check a member in, mark them gone before the vote, or undo."""
    conference = Conference.objects.select_for_update().get(pk=voter.conference_id)
    _require_status(conference, Status.CHECKIN)
    voter = Voter.objects.select_for_update().get(pk=voter.pk)
    if attendance not in Attendance.values:
        raise ServiceError("bad_attendance", _("Trạng thái điểm danh không hợp lệ."))
    before = voter.attendance
    now = timezone.now()
    voter.attendance = attendance
    if attendance == Attendance.PRESENT:
        voter.checked_in_at = voter.checked_in_at or now
        voter.left_at = None
    elif attendance == Attendance.LEFT:
        if voter.checked_in_at is None:
            raise ServiceError("not_checked_in", _("Người này chưa có mặt."))
        voter.left_at = now
    else:
        voter.checked_in_at = None
        voter.left_at = None
    voter.save(update_fields=["attendance", "checked_in_at", "left_at"])
    audit(
        actor=acting_user,
        action="voter.attendance",
        obj=voter,
        summary=voter.full_name,
        before={"attendance": before},
        after={"attendance": attendance},
    )
    return voter


@transaction.atomic
def voting_open(*, acting_user: Any, conference: Conference, ballots_issued: int) -> Conference:
    """The quorum gate: balloting opens only with the profile's quorum present.

    The attendance figures are frozen here (Phụ lục 4, mục 1)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    _require_status(conference, Status.CHECKIN)
    counts = attendance_counts(conference)
    profile = round_profile(conference.round)
    quorum = check_quorum(
        summoned=counts.summoned,
        present=counts.present_at_voting,
        params=profile.params,
        members_total=conference.members_total,
    )
    if not quorum.met:
        raise ServiceError(
            "quorum_not_met",
            _(
                "Chưa đủ điều kiện tiến hành: có mặt %(present)s/%(summoned)s người được triệu "
                "tập, cần ít nhất %(required)s (%(rule)s)."
            )
            % {
                "present": counts.present_at_voting,
                "summoned": counts.summoned,
                "required": quorum.required,
                "rule": profile.parameter_sources["quorum_fraction"].legal(),
            },
        )
    if ballots_issued < 1 or ballots_issued > counts.present_at_voting:
        raise ServiceError(
            "bad_ballots_issued",
            _("Số phiếu phát ra phải từ 1 đến số người có mặt (%(n)s).")
            % {"n": counts.present_at_voting},
        )
    conference.status = Status.VOTING
    conference.ballots_issued = ballots_issued
    conference.voting_opened_at = timezone.now()
    conference.summoned_count = counts.summoned
    conference.present_at_conference = counts.present_at_conference
    conference.absent_before_voting = counts.absent_before_voting
    conference.present_at_voting = counts.present_at_voting
    conference.save()
    audit(
        actor=acting_user,
        action="conference.voting_open",
        obj=conference,
        after={
            "ballots_issued": ballots_issued,
            "summoned": counts.summoned,
            "present_at_voting": counts.present_at_voting,
            "quorum_required": quorum.required,
        },
    )
    return conference


@transaction.atomic
def voting_close(*, acting_user: Any, conference: Conference) -> Conference:
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    _require_status(conference, Status.VOTING)
    now = timezone.now()
    conference.status = Status.COUNTING
    conference.voting_closed_at = now
    conference.counting_started_at = now
    conference.save()
    audit(actor=acting_user, action="conference.voting_close", obj=conference)
    return conference
