"""Writes for counting paper ballots.

* :func:`entry_save` — a clerk saves one ballot of their pass. Never a lost
  or duplicated entry: a new ballot must not exist yet, an edit must name the
  version it edits (optimistic locking under a row lock), and the database's
  unique constraint is the last word when two saves race.
* :func:`resolution_save` — the committee decides a ballot the passes
  disagree on.
* :func:`results_confirm` — the head confirms: the result is computed by the
  rules core, frozen with its record and a SHA-256 digest.
* :func:`result_amend` — a later correction, with a reason: a new version.
* :func:`record_import` — a ``tinnhiem.conference-record/1`` file becomes a
  conference ready for confirmation.
* :func:`scan_pass_sync` — the scanned ballots, as one of the two passes.

Every write appends to the entry log (nhật ký nhập phiếu) and the audit log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinnhiem.campaigns.models import Agency, Official
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import (
    Candidacy,
    CommitteeMember,
    CommitteeRole,
    Conference,
    Status,
)
from tinnhiem.counting.models import (
    BallotEntry,
    ConfirmedResult,
    EntryLogEntry,
    EntrySource,
    Resolution,
)
from tinnhiem.counting.selectors import (
    allowed_digits,
    digit_for_levels,
    reconcile,
    record_json,
    result_json,
    tally_ballots,
)
from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import RulesError, VoteKind


def _member(conference: Conference, user: Any) -> CommitteeMember | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return conference.committee.filter(user=user).first()


def _require_head(conference: Conference, user: Any) -> None:
    m = _member(conference, user)
    if m is None or m.role != CommitteeRole.HEAD:
        raise ServiceError("not_head", _("Chỉ Trưởng Ban kiểm phiếu được thực hiện thao tác này."))


def clean_payload(
    conference: Conference,
    *,
    digits: str,
    issued: bool = True,
    crossed_out: list[str] | tuple[str, ...] = (),
    added_names: int = 0,
    other_writing: bool = False,
    signed: bool = False,
) -> dict[str, Any]:
    """Check an entered ballot against the ballot paper; the canonical payload."""
    kind = VoteKind(conference.kind)
    n = conference.candidacies.count()
    digits = "".join(digits.split())
    if len(digits) != n:
        raise ServiceError(
            "wrong_length",
            _("Phiếu có %(n)s người; đã nhập %(k)s chữ số.") % {"n": n, "k": len(digits)},
        )
    allowed = allowed_digits(kind)
    for i, d in enumerate(digits, start=1):
        if d not in allowed:
            raise ServiceError(
                "bad_digit",
                _("Người thứ %(i)s: “%(d)s” không hợp lệ (dùng %(allowed)s).")
                % {"i": i, "d": d, "allowed": ", ".join(sorted(allowed))},
            )
    keys = {str(i) for i in range(1, n + 1)}
    typed = {str(c).strip() for c in crossed_out if str(c).strip()}
    # Check before sorting by number: "x" or a JSON null must be refused, not crash int().
    for c in sorted(typed):
        if c not in keys:
            raise ServiceError(
                "bad_crossed_out",
                _("Không có người số %(c)s trên phiếu để gạch tên.") % {"c": c},
            )
    crossed = sorted(typed, key=int)
    if added_names < 0 or added_names > 99:
        raise ServiceError("bad_added_names", _("Số tên ghi thêm phải từ 0 đến 99."))
    return {
        "digits": digits,
        "issued": bool(issued),
        "crossed_out": crossed,
        "added_names": int(added_names),
        "other_writing": bool(other_writing),
        "signed": bool(signed),
    }


MAX_BALLOT_NUMBER = 2_147_483_647
"""The largest number every database stores in a ballot number column (a
PostgreSQL ``integer``): beyond it PostgreSQL fails with "integer out of range"."""


def _check_number(number: int) -> None:
    if number < 1 or number > MAX_BALLOT_NUMBER:
        raise ServiceError(
            "bad_number",
            _("Số phiếu phải từ 1 đến %(max)s.")
            % {"max": f"{MAX_BALLOT_NUMBER:,}".replace(",", ".")},
        )


def _log(
    conference: Conference,
    *,
    user: Any,
    action: str,
    number: int,
    entry_pass: int | None,
    before: Any,
    after: Any,
    reason: str = "",
) -> None:
    EntryLogEntry.objects.create(
        conference=conference,
        entry_pass=entry_pass,
        number=number,
        action=action,
        user=user,
        before=before,
        after=after,
        reason=reason,
    )


def _refuse_scan_pass(conference: Conference, entry_pass: int) -> None:
    """A pass filled by the scanner is written only by :func:`scan_pass_sync`."""
    if BallotEntry.objects.filter(
        conference=conference, entry_pass=entry_pass, source=EntrySource.SCAN
    ).exists():
        raise ServiceError(
            "scan_pass",
            _("Lượt nhập %(n)s là kết quả quét phiếu: không nhập tay vào lượt này.")
            % {"n": entry_pass},
        )


@transaction.atomic
def entry_save(
    *,
    acting_user: Any,
    conference: Conference,
    entry_pass: int,
    number: int,
    payload: dict[str, Any],
    expected_version: int | None = None,
) -> BallotEntry:
    """Save ballot ``number`` of ``entry_pass``.

    ``expected_version`` None creates the ballot and fails with
    ``entry_exists`` if it is already there; otherwise it must equal the
    stored version (``entry_conflict`` if someone saved in between)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Status.COUNTING:
        raise ServiceError(
            "not_counting",
            _(
                "Chỉ nhập phiếu khi hội nghị đang kiểm phiếu "
                "(kết quả đã xác nhận thì phải điều chỉnh)."
            ),
        )
    member = _member(conference, acting_user)
    if member is None or member.entry_pass != entry_pass:
        raise ServiceError(
            "not_your_pass",
            _("Tài khoản này không được giao nhập lượt %(n)s.") % {"n": entry_pass},
        )
    _refuse_scan_pass(conference, entry_pass)
    _check_number(number)
    clean = clean_payload(conference, **payload)
    existing = (
        BallotEntry.objects.select_for_update()
        .filter(conference=conference, entry_pass=entry_pass, number=number)
        .first()
    )
    if existing is None:
        if expected_version is not None:
            raise ServiceError(
                "entry_conflict", _("Phiếu số %(n)s đã bị xóa ở nơi khác.") % {"n": number}
            )
        try:
            with transaction.atomic():
                entry = BallotEntry.objects.create(
                    conference=conference,
                    entry_pass=entry_pass,
                    number=number,
                    entered_by=acting_user,
                    **clean,
                )
        except IntegrityError:
            raise ServiceError(
                "entry_exists", _("Phiếu số %(n)s đã được nhập.") % {"n": number}
            ) from None
        _log(
            conference,
            user=acting_user,
            action=EntryLogEntry.Action.CREATE,
            number=number,
            entry_pass=entry_pass,
            before=None,
            after=clean,
        )
        audit(
            actor=acting_user,
            action="entry.create",
            obj=entry,
            summary=f"{conference.pk}/{entry_pass}/{number}",
            after=clean,
        )
        return entry
    if expected_version is None:
        raise ServiceError("entry_exists", _("Phiếu số %(n)s đã được nhập.") % {"n": number})
    if existing.version != expected_version:
        raise ServiceError(
            "entry_conflict",
            _("Phiếu số %(n)s vừa được sửa ở nơi khác; hãy tải lại.") % {"n": number},
        )
    before = existing.payload()
    if before == clean:
        return existing
    for field, value in clean.items():
        setattr(existing, field, value)
    existing.version += 1
    existing.entered_by = acting_user
    existing.save()
    _log(
        conference,
        user=acting_user,
        action=EntryLogEntry.Action.UPDATE,
        number=number,
        entry_pass=entry_pass,
        before=before,
        after=clean,
    )
    audit(
        actor=acting_user,
        action="entry.update",
        obj=existing,
        summary=f"{conference.pk}/{entry_pass}/{number}",
        before=before,
        after=clean,
    )
    return existing


@transaction.atomic
def entry_delete(
    *, acting_user: Any, conference: Conference, entry_pass: int, number: int, expected_version: int
) -> None:
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Status.COUNTING:
        raise ServiceError("not_counting", _("Chỉ sửa phiếu khi hội nghị đang kiểm phiếu."))
    member = _member(conference, acting_user)
    if member is None or member.entry_pass != entry_pass:
        raise ServiceError("not_your_pass", _("Tài khoản này không được giao nhập lượt này."))
    _refuse_scan_pass(conference, entry_pass)
    entry = (
        BallotEntry.objects.select_for_update()
        .filter(conference=conference, entry_pass=entry_pass, number=number)
        .first()
    )
    if entry is None or entry.version != expected_version:
        raise ServiceError(
            "entry_conflict", _("Phiếu số %(n)s vừa thay đổi; hãy tải lại.") % {"n": number}
        )
    before = entry.payload()
    entry.delete()
    _log(
        conference,
        user=acting_user,
        action=EntryLogEntry.Action.DELETE,
        number=number,
        entry_pass=entry_pass,
        before=before,
        after=None,
    )
    audit(actor=acting_user, action="entry.delete", obj=conference, before=before)


@transaction.atomic
def resolution_save(
    *,
    acting_user: Any,
    conference: Conference,
    number: int,
    reason: str,
    payload: dict[str, Any] | None,
) -> Resolution:
    """The committee's decision on ballot ``number``: its true content, or
    ``payload=None`` when the number is not a ballot at all (entered twice)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Status.COUNTING:
        raise ServiceError("not_counting", _("Chỉ đối chiếu khi hội nghị đang kiểm phiếu."))
    _require_head(conference, acting_user)
    if not reason.strip():
        raise ServiceError("reason_required", _("Cần ghi lý do quyết định của Ban kiểm phiếu."))
    _check_number(number)
    clean = clean_payload(conference, **payload) if payload is not None else None
    resolution = Resolution.objects.filter(conference=conference, number=number).first()
    before = (
        {"exists": resolution.exists, **resolution.payload()} if resolution is not None else None
    )
    if resolution is None:
        resolution = Resolution(conference=conference, number=number)
    resolution.exists = clean is not None
    for field, value in (clean or {"digits": ""}).items():
        setattr(resolution, field, value)
    resolution.resolved_by = acting_user
    resolution.reason = reason.strip()[:300]
    resolution.save()
    after = {"exists": resolution.exists, **(clean or {})}
    _log(
        conference,
        user=acting_user,
        action=EntryLogEntry.Action.RESOLVE,
        number=number,
        entry_pass=None,
        before=before,
        after=after,
        reason=resolution.reason,
    )
    audit(
        actor=acting_user,
        action="resolution.save",
        obj=resolution,
        summary=f"{conference.pk}/{number}: {resolution.reason}",
        before=before,
        after=after,
    )
    return resolution


def _freeze(
    conference: Conference, ballots: list[dict[str, Any]], *, user: Any, version: int, reason: str
) -> ConfirmedResult:
    try:
        result = tally_ballots(conference, ballots)
    except RulesError as e:
        raise ServiceError(e.code, e.message_vi) from None
    record = record_json(conference, ballots)
    outcome = result_json(result)
    digest = hashlib.sha256(
        json.dumps(
            {"record": record, "result": outcome},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")
    ).hexdigest()
    conference.results.filter(is_current=True).update(is_current=False)
    return ConfirmedResult.objects.create(
        conference=conference,
        version=version,
        record=record,
        result=outcome,
        sha256=digest,
        confirmed_by=user,
        reason=reason,
        is_current=True,
    )


@transaction.atomic
def results_confirm(
    *,
    acting_user: Any,
    conference: Conference,
    electronic_ballots: Sequence[dict[str, Any]] = (),
) -> ConfirmedResult:
    """Trưởng Ban kiểm phiếu xác nhận kết quả: every ballot settled, then frozen.

    ``electronic_ballots``, for a conference that also voted electronically,
    are entry payloads built from the decrypted electronic counts
    (``tinnhiem.evote.services.electronic_payloads``); they are counted after
    the paper ballots, by the same rules core, into the one result. A
    conference where everyone voted electronically has no paper ballot."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Status.COUNTING:
        raise ServiceError("not_counting", _("Hội nghị không ở bước kiểm phiếu."))
    _require_head(conference, acting_user)
    recon = reconcile(conference)
    if not recon.rows and not electronic_ballots:
        raise ServiceError("no_ballots", _("Chưa có phiếu nào được nhập."))
    if recon.disagreements:
        numbers = ", ".join(str(r.number) for r in recon.disagreements[:20])
        raise ServiceError(
            "unresolved",
            _("Còn %(n)s phiếu hai lượt nhập chưa khớp: số %(numbers)s.")
            % {"n": len(recon.disagreements), "numbers": numbers},
        )
    ballots = recon.ballots + list(electronic_ballots)
    confirmed = _freeze(conference, ballots, user=acting_user, version=1, reason="")
    conference.status = Status.CONFIRMED
    conference.counting_finished_at = timezone.now()
    conference.save(update_fields=["status", "counting_finished_at", "updated_at"])
    after: dict[str, Any] = {"sha256": confirmed.sha256, "collected": len(ballots)}
    if electronic_ballots:
        after["electronic"] = len(electronic_ballots)
    audit(
        actor=acting_user,
        action="result.confirm",
        obj=confirmed,
        summary=f"{conference.title} — sha256 {confirmed.sha256}",
        after=after,
    )
    return confirmed


ElectronicSource = Callable[[Conference], list[dict[str, Any]]]
_electronic_sources: list[ElectronicSource] = []


def register_electronic_source(source: ElectronicSource) -> None:
    """Let another app (electronic voting) say which ballots of a conference it
    counted, as entry payloads, so that a recomputed result keeps them."""
    if source not in _electronic_sources:
        _electronic_sources.append(source)


def electronic_ballots(conference: Conference) -> list[dict[str, Any]]:
    """The conference's electronically cast ballots that joined its result."""
    return [b for source in _electronic_sources for b in source(conference)]


@transaction.atomic
def result_amend(
    *,
    acting_user: Any,
    conference: Conference,
    number: int,
    payload: dict[str, Any] | None,
    reason: str,
) -> ConfirmedResult:
    """Correct one ballot after confirmation: a new result version with a reason.

    ``payload`` None removes ballot ``number``; a number beyond the last adds
    a ballot."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Status.CONFIRMED:
        raise ServiceError("not_confirmed", _("Chỉ điều chỉnh kết quả đã được xác nhận."))
    _require_head(conference, acting_user)
    if not reason.strip():
        raise ServiceError("reason_required", _("Điều chỉnh kết quả phải ghi rõ lý do."))
    current = conference.results.get(is_current=True)
    # Apply the correction as a committee resolution, then recompute; the
    # whole amendment is one transaction, so a failure leaves it confirmed.
    conference.status = Status.COUNTING
    conference.save(update_fields=["status"])
    resolution_save(
        acting_user=acting_user,
        conference=conference,
        number=number,
        reason=reason,
        payload=payload,
    )
    recon = reconcile(conference)
    if recon.disagreements:
        raise ServiceError("unresolved", _("Còn phiếu chưa đối chiếu xong."))
    # A correction is to a paper ballot; the electronic ones (if any) stay.
    amended = _freeze(
        conference,
        recon.ballots + electronic_ballots(conference),
        user=acting_user,
        version=current.version + 1,
        reason=reason.strip()[:500],
    )
    conference.status = Status.CONFIRMED
    conference.save(update_fields=["status", "updated_at"])
    audit(
        actor=acting_user,
        action="result.amend",
        obj=amended,
        summary=f"v{amended.version}: {reason.strip()[:200]}",
        before={"sha256": current.sha256, "version": current.version},
        after={"sha256": amended.sha256, "version": amended.version},
    )
    return amended


@transaction.atomic
def record_import(
    *, acting_user: Any, agency: Agency, record: ConferenceRecord, place_kind: str = "workplace"
) -> Conference:
    """A conference record becomes a conference in counting, both passes equal
    to the record's ballots, ready for the head to confirm. Officials are
    matched by name in the agency, or created."""
    vote_round = agency.round
    if record.profile_id != vote_round.profile_id:
        raise ServiceError(
            "profile_mismatch",
            _("Hồ sơ theo quy định %(rec)s nhưng kế hoạch áp dụng %(round)s.")
            % {"rec": record.profile_id, "round": vote_round.profile_id},
        )
    core = record.conference
    if record.date is None:
        raise ServiceError("missing_date", _("Hồ sơ không có ngày hội nghị ($.date)."))
    conference = Conference.objects.create(
        round=vote_round,
        agency=agency,
        title=record.title or f"Hội nghị lấy phiếu tín nhiệm {agency.name}",
        kind=core.kind.value,
        place_kind=place_kind,
        date=record.date,
        members_total=core.members_total,
        status=Status.COUNTING,
        ballots_issued=core.ballots_issued,
        summoned_count=core.summoned,
        present_at_conference=core.present,
        absent_before_voting=0,
        present_at_voting=core.present,
    )
    keys: list[str] = []
    matched: set[int] = set()
    for order, cand in enumerate(core.candidates, start=1):
        # Two persons of one ballot may share a name: match each official once.
        official = (
            Official.objects.filter(agency=agency, full_name=cand.name)
            .exclude(pk__in=matched)
            .order_by("pk")
            .first()
        )
        if official is None:
            official = Official.objects.create(
                round=vote_round, agency=agency, full_name=cand.name, position=cand.position
            )
        matched.add(official.pk)
        Candidacy.objects.create(
            conference=conference,
            official=official,
            order=order,
            printed_position=cand.position,
        )
        keys.append(cand.id)
    position = {cid: str(i) for i, cid in enumerate(keys, start=1)}
    entries = []
    for number, b in enumerate(core.ballots, start=1):
        digits = "".join(digit_for_levels(core.kind, b.marks.get(cid, ())) for cid in keys)
        payload = {
            "digits": digits,
            "issued": b.issued,
            "crossed_out": sorted((position[c] for c in b.crossed_out), key=int),
            "added_names": b.added_names,
            "other_writing": b.other_writing,
            "signed": b.signed,
        }
        for entry_pass in (1, 2):
            entries.append(
                BallotEntry(
                    conference=conference,
                    entry_pass=entry_pass,
                    number=number,
                    entered_by=acting_user,
                    **payload,
                )
            )
    BallotEntry.objects.bulk_create(entries, batch_size=1000)
    audit(
        actor=acting_user,
        action="record.import",
        obj=conference,
        summary=f"{record.id or ''} {conference.title}",
        after={"ballots": len(core.ballots), "candidates": len(keys)},
    )
    # The profile must accept the record: fail now, not at confirmation.
    try:
        tally_ballots(conference, [e.payload() for e in entries if e.entry_pass == 1])
    except RulesError as e:
        raise ServiceError(e.code, e.message_vi) from None
    return conference


@transaction.atomic
def scan_pass_sync(
    *,
    acting_user: Any,
    conference: Conference,
    entry_pass: int,
    ballots: dict[int, tuple[str, dict[str, Any]]],
    reason: str = "",
) -> tuple[int, int, int]:
    """Make pass ``entry_pass`` exactly the scanned ballots: number → (serial, payload).

    The scanned ballots stand as one of the two independent passes of double
    entry and are reconciled against the other exactly as a clerk's typing
    is. Only the differences are written, each in the entry log and the
    audit log; a pass already typed by a clerk is never overwritten
    (``typed_pass``). Returns (created, updated, deleted).
    """
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Status.COUNTING:
        raise ServiceError(
            "not_counting",
            _("Chỉ đưa phiếu quét vào lượt nhập khi hội nghị đang kiểm phiếu."),
        )
    if entry_pass not in (1, 2):
        raise ServiceError("bad_pass", _("Lượt nhập phải là 1 hoặc 2."))
    entries = {
        e.number: e
        for e in BallotEntry.objects.select_for_update().filter(
            conference=conference, entry_pass=entry_pass
        )
    }
    if any(e.source != EntrySource.SCAN for e in entries.values()):
        raise ServiceError(
            "typed_pass",
            _(
                "Lượt nhập %(n)s đã có phiếu nhập bằng bàn phím: "
                "kết quả quét không được ghi đè lên lượt này."
            )
            % {"n": entry_pass},
        )
    created = updated = deleted = 0
    note = reason[:300]
    for number in sorted(ballots):
        _check_number(number)
        serial, payload = ballots[number]
        clean = clean_payload(conference, **payload)
        entry = entries.get(number)
        if entry is None:
            entry = BallotEntry.objects.create(
                conference=conference,
                entry_pass=entry_pass,
                number=number,
                entered_by=acting_user,
                source=EntrySource.SCAN,
                serial=serial,
                **clean,
            )
            before = None
            created += 1
            action = EntryLogEntry.Action.CREATE
        else:
            before = entry.payload()
            if before == clean and entry.serial == serial:
                continue
            for field, value in clean.items():
                setattr(entry, field, value)
            entry.serial = serial
            entry.version += 1
            entry.entered_by = acting_user
            entry.save()
            updated += 1
            action = EntryLogEntry.Action.UPDATE
        _log(
            conference,
            user=acting_user,
            action=action,
            number=number,
            entry_pass=entry_pass,
            before=before,
            after=clean,
            reason=note or f"quét phiếu {serial}",
        )
        audit(
            actor=acting_user,
            action=f"entry.scan_{action}",
            obj=entry,
            summary=f"{conference.pk}/{entry_pass}/{number} {serial}",
            before=before,
            after=clean,
        )
    for number, entry in sorted(entries.items()):
        if number in ballots:
            continue
        before = entry.payload()
        entry.delete()
        deleted += 1
        _log(
            conference,
            user=acting_user,
            action=EntryLogEntry.Action.DELETE,
            number=number,
            entry_pass=entry_pass,
            before=before,
            after=None,
            reason=note or "quét phiếu",
        )
        audit(
            actor=acting_user,
            action="entry.scan_delete",
            obj=conference,
            summary=f"{conference.pk}/{entry_pass}/{number}",
            before=before,
        )
    return created, updated, deleted
