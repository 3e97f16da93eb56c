"""Services of document delivery: start a background build, hand over its file.

Every write goes through here with ``acting_user`` and one audit entry:

* :func:`job_start` — checks who asks and what, records the job
  (``document.job_start``) and wakes the worker after the commit;
* :func:`job_download` — the finished file, to the person who asked only
  (``document.job_download``); a *Mật* document was registered in the sổ
  đăng ký văn bản mật đi and printed with its number and the requester's
  name when it was built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import conference_roles, permission, round_roles
from tinnhiem.conferences.models import Conference
from tinnhiem.delivery.models import DocumentJob, JobKind, JobState

ROUND_KINDS = {JobKind.ROUND_BALLOTS, JobKind.ROUND_STATS_PDF, JobKind.ROUND_STATS_XLSX}
SECRET_KINDS = {JobKind.ROUND_STATS_PDF, JobKind.ROUND_STATS_XLSX, JobKind.CONFERENCE_REPORT}
PERMISSION_OF = {
    JobKind.CONFERENCE_BALLOTS: "conference.prepare",
    JobKind.CONFERENCE_REPORT: "counting.records",
}
MAX_EXTRA = 100
MAX_COUNT = 100_000


def ballot_pages_threshold() -> int:
    """Ballot pages (ballots × pages per ballot) above which one conference's
    ballots are built in the background (setting ``TINNHIEM_BACKGROUND_PAGES``)."""
    return int(getattr(settings, "TINNHIEM_BACKGROUND_PAGES", 200))


def report_persons_threshold() -> int:
    """Persons on a report above which it is built in the background
    (setting ``TINNHIEM_BACKGROUND_PERSONS``)."""
    return int(getattr(settings, "TINNHIEM_BACKGROUND_PERSONS", 200))


def ballot_pages(conference: Conference, count: int) -> int:
    from tinnhiem.documents.ballots import paginate

    persons = conference.candidacies.count()
    return count * len(paginate(persons)) if persons else 0


def needs_background_ballots(conference: Conference, count: int) -> bool:
    return ballot_pages(conference, count) > ballot_pages_threshold()


def needs_background_report(conference: Conference) -> bool:
    return conference.candidacies.count() > report_persons_threshold()


def ballots_for(conference: Conference, extra: int = 0) -> int:
    """Ballots to print for a conference: one per summoned member (the
    frozen count, else the members entered, else the total of members), plus
    ``extra`` spare ones; 0 when nothing says how many members there are."""
    members = conference.summoned_count or conference.voters.count() or conference.members_total
    return (members + extra) if members else 0


def _int(
    params: dict[str, Any], name: str, low: int, high: int, label: str, default: int | None = None
) -> int:
    raw = params.get(name, default)
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ServiceError(
            "bad_param",
            _("%(label)s phải là số nguyên (nhận được: %(raw)r).") % {"label": label, "raw": raw},
        ) from None
    if not low <= value <= high:
        raise ServiceError(
            "bad_param",
            _("%(label)s phải từ %(low)s đến %(high)s (nhận được: %(value)s).")
            % {"label": label, "low": low, "high": high, "value": value},
        )
    return value


def _check(
    acting_user: Any,
    kind: str,
    vote_round: VoteRound,
    conference: Conference | None,
    params: dict[str, Any],
) -> tuple[dict[str, Any], int]:
    """Who may ask, and the cleaned parameters with the expected step count."""
    from tinnhiem.counting.models import ConfirmedResult

    if kind not in JobKind.values:
        raise ServiceError("bad_kind", _("Không có loại văn bản “%(kind)s”.") % {"kind": kind})
    # The same named permissions as the pages that offer these documents.
    if kind in ROUND_KINDS:
        if not round_roles(acting_user, vote_round) & permission("round.results").roles:
            raise ServiceError("forbidden", _("Chỉ Ban Tổ chức được tạo văn bản của toàn đợt."))
        if conference is not None:
            raise ServiceError("bad_param", _("Văn bản của toàn đợt không gắn với một hội nghị."))
    else:
        if conference is None or conference.round_id != vote_round.pk:
            raise ServiceError("bad_param", _("Thiếu hội nghị của văn bản."))
        needed = PERMISSION_OF[JobKind(kind)]
        if not conference_roles(acting_user, conference) & permission(needed).roles:
            raise ServiceError("forbidden", _("Bạn không có quyền tạo văn bản này."))

    if kind == JobKind.ROUND_BALLOTS:
        extra = _int(params, "extra", 0, MAX_EXTRA, _("Số phiếu dự phòng mỗi hội nghị"), 0)
        conferences = [
            c
            for c in vote_round.conferences.all()
            if c.candidacies.exists() and ballots_for(c, extra)
        ]
        if not conferences:
            raise ServiceError(
                "nothing_to_print",
                _(
                    "Chưa có hội nghị nào có danh sách người được lấy phiếu và số thành viên "
                    "được triệu tập."
                ),
            )
        return {"extra": extra}, sum(ballots_for(c, extra) for c in conferences)
    if kind == JobKind.CONFERENCE_BALLOTS:
        assert conference is not None
        count = _int(params, "count", 1, MAX_COUNT, _("Số phiếu cần in"))
        if not conference.candidacies.exists():
            raise ServiceError("no_candidates", _("Chưa có người được lấy phiếu trên phiếu."))
        return {"count": count}, count
    if kind == JobKind.CONFERENCE_REPORT:
        assert conference is not None
        fmt = str(params.get("fmt", ""))
        if fmt not in ("pdf", "docx"):
            raise ServiceError("bad_format", _("Định dạng phải là pdf hoặc docx."))
        if not conference.results.filter(is_current=True).exists():
            raise ServiceError("not_confirmed", _("Kết quả chưa được xác nhận."))
        return {"fmt": fmt, "minutes": bool(params.get("minutes"))}, 1
    n = ConfirmedResult.objects.filter(conference__round=vote_round, is_current=True).count()
    if not n:
        raise ServiceError("no_results", _("Chưa có hội nghị nào đã xác nhận kết quả."))
    return {}, n + 1


def job_start(
    *,
    acting_user: Any,
    kind: str,
    vote_round: VoteRound,
    conference: Conference | None = None,
    params: dict[str, Any] | None = None,
) -> DocumentJob:
    """Queue a background build for ``acting_user``; the worker picks it up
    as soon as the transaction commits.

    :raises ServiceError: ``forbidden``, ``bad_kind``, ``bad_param``,
        ``bad_format``, ``no_candidates``, ``not_confirmed``, ``no_results``,
        ``nothing_to_print``."""
    from tinnhiem.delivery import runner

    cleaned, total = _check(acting_user, kind, vote_round, conference, dict(params or {}))
    with transaction.atomic():
        job = DocumentJob.objects.create(
            kind=kind,
            requested_by=acting_user,
            vote_round=vote_round,
            conference=conference,
            params=cleaned,
            progress_total=total,
        )
        audit(
            actor=acting_user,
            action="document.job_start",
            obj=job,
            summary=f"{job.get_kind_display()} — "
            + (conference.title if conference else vote_round.number),
            after={"kind": kind, "params": cleaned},
        )
        transaction.on_commit(runner.wake)
    return job


@dataclass(frozen=True)
class JobFile:
    content: bytes
    filename: str
    content_type: str


def job_download(*, acting_user: Any, job: DocumentJob) -> JobFile:
    """The finished file, to the person who asked for it (audited)."""
    if job.requested_by_id != getattr(acting_user, "pk", None):
        raise ServiceError("forbidden", _("Chỉ người yêu cầu được tải văn bản này."))
    if job.state != JobState.DONE or job.result is None:
        raise ServiceError("not_ready", _("Văn bản chưa tạo xong."))
    audit(
        actor=acting_user,
        action="document.job_download",
        obj=job,
        summary=f"{job.result_name} ({job.result_size} byte)",
    )
    return JobFile(bytes(job.result), job.result_name, job.result_type)
