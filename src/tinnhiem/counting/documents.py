"""Official documents from the web application: printed ballots (with the
register of issued serials), the result report and counting minutes, the
personal report, and round statistics. Each one is audited; every copy of a
"Mật" document carries a line naming who downloaded it and when."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.campaigns.services import round_profile
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import Candidacy, CommitteeRole, Conference
from tinnhiem.counting.models import BallotPrint, ConfirmedResult
from tinnhiem.counting.selectors import conference_record
from tinnhiem.documents import DocumentError
from tinnhiem.documents.ballots import BallotText, render_ballots
from tinnhiem.documents.personal import PersonalDetails, render_personal_docx
from tinnhiem.documents.report import (
    ReportDetails,
    Variant,
    render_report_docx,
    render_report_pdf,
)
from tinnhiem.documents.stats import (
    StatisticsDetails,
    build_statistics,
    render_statistics_pdf,
    render_statistics_xlsx,
    round_outcomes,
)
from tinnhiem.record import parse_record
from tinnhiem.rules import tally
from tinnhiem.rules.profiles import parameter_text

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    content_type: str


def _trace(user: Any) -> str:
    now = timezone.localtime()
    name = getattr(user, "display_name", "") or getattr(user, "username", "")
    return (
        f"Bản tải về bởi {name} ({getattr(user, 'username', '')}) lúc "
        f"{now:%H:%M} ngày {now:%d/%m/%Y} — tài liệu MẬT, không được sao, chụp"
    )


def _refuse(e: DocumentError) -> ServiceError:
    return ServiceError("document_error", e.message_vi)


@transaction.atomic
def ballots_print(*, acting_user: Any, conference: Conference, count: int) -> Download:
    """Print ``count`` ballots: the PDF, and a register entry of their serials."""
    if not conference.candidacies.exists():
        raise ServiceError("no_candidates", "Chưa có người được lấy phiếu trên phiếu.")
    record = conference_record(conference, [])
    text = BallotText(
        issuer=conference.agency.name,
        year=conference.date.year,
        voters=None,
        subjects=None,
    )
    try:
        batch = render_ballots(record, count, text=text, conference_id=conference.record_id)
    except DocumentError as e:
        raise _refuse(e) from None
    printed = BallotPrint.objects.create(
        conference=conference,
        created_by=acting_user,
        count=count,
        serials=list(batch.serials),
        layout=batch.issued.get("layout", batch.issued),
    )
    audit(
        actor=acting_user,
        action="ballots.print",
        obj=printed,
        summary=f"{count} phiếu — {conference.title}",
        after={"count": count},
    )
    return Download(batch.pdf, f"phieu-tin-nhiem-{conference.record_id}.pdf", PDF)


def issued_serials(conference: Conference) -> set[str]:
    """Every serial printed for this conference (the register)."""
    out: set[str] = set()
    for p in conference.ballot_prints.all():
        out.update(p.serials)
    return out


def _details(conference: Conference, variant: Variant, trace: str) -> ReportDetails:
    committee = list(conference.committee.select_related("voter"))
    head = next((m.voter.full_name for m in committee if m.role == CommitteeRole.HEAD), None)
    members = tuple(m.voter.full_name for m in committee if m.role != CommitteeRole.HEAD)
    start = conference.counting_started_at
    end = conference.counting_finished_at
    return ReportDetails(
        variant=variant,
        party=conference.place_kind == "party_committee",
        parent=conference.agency.name,
        place=None,
        day=conference.date,
        start=timezone.localtime(start).time() if start else None,
        end=timezone.localtime(end).time() if end else None,
        location=conference.location or None,
        committee_size=len(committee) or None,
        chair=head,
        committee_members=members,
        present_at_opening=conference.present_at_conference,
        absent_before_voting=conference.absent_before_voting,
        trace=trace,
    )


def report_download(
    *, acting_user: Any, conference: Conference, fmt: str, minutes: bool = False
) -> Download:
    """The confirmed result as the Phụ lục 4 report (or the counting minutes)."""
    confirmed: ConfirmedResult | None = conference.results.filter(is_current=True).first()
    if confirmed is None:
        raise ServiceError("not_confirmed", "Kết quả chưa được xác nhận.")
    record = parse_record(confirmed.record)
    result = tally(record.conference, round_profile(conference.round))
    variant = Variant.MINUTES if minutes else Variant.REPORT
    details = _details(conference, variant, _trace(acting_user))
    try:
        if fmt == "pdf":
            content, ctype = render_report_pdf(record, result, details), PDF
        elif fmt == "docx":
            content, ctype = render_report_docx(record, result, details), DOCX
        else:
            raise ServiceError("bad_format", "Định dạng phải là pdf hoặc docx.")
    except DocumentError as e:
        raise _refuse(e) from None
    stem = "bien-ban-kiem-phieu" if minutes else "bao-cao-ket-qua"
    audit(
        actor=acting_user,
        action="document.download",
        obj=confirmed,
        summary=f"{stem}.{fmt} — {conference.title} (v{confirmed.version})",
    )
    return Download(content, f"{stem}-{conference.record_id}.{fmt}", ctype)


def personal_download(*, acting_user: Any, candidacy: Candidacy) -> Download:
    """Phụ lục 2 pre-filled for one person, with the Phụ lục 1 checklist."""
    conference = candidacy.conference
    record = conference_record(conference, [])
    details = PersonalDetails(
        unit=candidacy.official.agency.name,
        meeting=conference.title,
        plan=f"Kế hoạch số {conference.round.number}",
    )
    try:
        content = render_personal_docx(record, candidacy.key, details)
    except DocumentError as e:
        raise _refuse(e) from None
    audit(
        actor=acting_user,
        action="document.personal",
        obj=candidacy,
        summary=candidacy.official.full_name,
    )
    return Download(content, f"bao-cao-ca-nhan-{candidacy.key}-{conference.record_id}.docx", DOCX)


def statistics_download(*, acting_user: Any, vote_round: VoteRound, fmt: str) -> Download:
    """The round's statistics from every confirmed result, as PDF or XLSX."""
    confirmed = ConfirmedResult.objects.filter(
        conference__round=vote_round, is_current=True
    ).select_related("conference__agency__block")
    records = [(r.conference.agency.name, parse_record(r.record)) for r in confirmed]
    if not records:
        raise ServiceError("no_results", "Chưa có hội nghị nào đã xác nhận kết quả.")
    profile = round_profile(vote_round)
    overrides = {k: parameter_text(v) for k, v in (vote_round.parameter_overrides or {}).items()}
    totals = {b.name: b.agencies.count() for b in vote_round.blocks.all()}
    try:
        stats = build_statistics(
            round_outcomes(records, overrides),
            classification=profile.params.classification,
            agencies_total=totals,
        )
        title = f"Kết quả lấy phiếu tín nhiệm — {vote_round.title}"
        if fmt == "pdf":
            content, ctype = (
                render_statistics_pdf(
                    stats, StatisticsDetails(title=title, issuer=vote_round.issuing_body)
                ),
                PDF,
            )
        elif fmt == "xlsx":
            content, ctype = render_statistics_xlsx(stats, title), XLSX
        else:
            raise ServiceError("bad_format", "Định dạng phải là pdf hoặc xlsx.")
    except DocumentError as e:
        raise _refuse(e) from None
    audit(
        actor=acting_user,
        action="document.statistics",
        obj=vote_round,
        summary=f"thong-ke.{fmt}",
    )
    return Download(content, f"thong-ke-{vote_round.pk}.{fmt}", ctype)
