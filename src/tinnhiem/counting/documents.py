"""Official documents from the web application: printed ballots (with the
register of issued serials), the result report and counting minutes, the
personal report, and round statistics. Each one is audited; every copy of a
"Mật" document (report, minutes, statistics) is registered in the sổ đăng ký
văn bản mật đi (:mod:`tinnhiem.delivery.register`) and carries, at the foot of
each page, its register number and who downloaded it when. ``progress``
arguments let a background job (:mod:`tinnhiem.delivery`) show how far it is."""

from __future__ import annotations

from collections.abc import Callable
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
from tinnhiem.delivery.register import register_secret
from tinnhiem.documents import DocumentError
from tinnhiem.documents.ballots import BallotText, issued_register, random_serial, render_ballots
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
from tinnhiem.rules import RoundStatistics, tally
from tinnhiem.rules.profiles import parameter_text

Progress = Callable[[int, int, str], None]
"""``progress(done, total, step)``: called as a long document advances."""

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    content_type: str


def _refuse(e: DocumentError) -> ServiceError:
    return ServiceError("document_error", e.message_vi)


BALLOT_CHUNK = 50
"""Ballots typeset per step of a background build (the progress bar's unit)."""


def _merge_pdfs(parts: list[bytes]) -> bytes:
    import io

    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    merged = pdfium.PdfDocument.new()
    for part in parts:
        merged.import_pages(pdfium.PdfDocument(part))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def _render_ballot_pdf(
    conference: Conference, count: int, progress: Progress | None
) -> tuple[bytes, list[str], dict[str, Any]]:
    """The PDF, the serials in print order and the layout description. With
    ``progress``, typeset :data:`BALLOT_CHUNK` ballots at a time (serials
    unique across the chunks) and join the pages."""
    record = conference_record(conference, [])
    text = BallotText(
        issuer=conference.agency.name,
        year=conference.date.year,
        voters=None,
        subjects=None,
    )
    try:
        if progress is None or count <= BALLOT_CHUNK:
            batch = render_ballots(record, count, text=text, conference_id=conference.record_id)
            if progress is not None:
                progress(count, count, "")
            return batch.pdf, list(batch.serials), batch.issued.get("layout", batch.issued)
        used: set[str] = set()

        def fresh() -> str:
            while True:
                serial = random_serial()
                if serial not in used:
                    used.add(serial)
                    return serial

        parts: list[bytes] = []
        serials: list[str] = []
        layout: dict[str, Any] = {}
        for start in range(0, count, BALLOT_CHUNK):
            n = min(BALLOT_CHUNK, count - start)
            progress(start, count, f"Phiếu {start + 1}–{start + n} / {count}")
            batch = render_ballots(
                record, n, text=text, serial_source=fresh, conference_id=conference.record_id
            )
            parts.append(batch.pdf)
            serials += batch.serials
            layout = batch.issued.get("layout", batch.issued)
        progress(count, count, "Ghép các trang")
        return _merge_pdfs(parts), serials, layout
    except DocumentError as e:
        raise _refuse(e) from None


def ballots_print(
    *,
    acting_user: Any,
    conference: Conference,
    count: int,
    progress: Progress | None = None,
) -> Download:
    """Print ``count`` ballots: the PDF, and a register entry of their serials
    (kept with the layout: ``tinnhiem.ballots-issued/1`` is
    :func:`ballots_issued_json` of it)."""
    if not conference.candidacies.exists():
        raise ServiceError("no_candidates", "Chưa có người được lấy phiếu trên phiếu.")
    pdf, serials, layout = _render_ballot_pdf(conference, count, progress)
    with transaction.atomic():
        printed = BallotPrint.objects.create(
            conference=conference,
            created_by=acting_user,
            count=count,
            serials=serials,
            layout=layout,
        )
        audit(
            actor=acting_user,
            action="ballots.print",
            obj=printed,
            summary=f"{count} phiếu — {conference.title}",
            after={"count": count},
        )
    return Download(pdf, f"phieu-tin-nhiem-{conference.record_id}.pdf", PDF)


def ballots_issued_json(printed: BallotPrint) -> dict[str, Any]:
    """The register of one print run as ``tinnhiem.ballots-issued/1``."""
    return issued_register(printed.layout, printed.serials)


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
    *,
    acting_user: Any,
    conference: Conference,
    fmt: str,
    minutes: bool = False,
    progress: Progress | None = None,
) -> Download:
    """The confirmed result as the Phụ lục 4 report (or the counting minutes),
    registered in the sổ đăng ký văn bản mật đi: its number and the trace line
    (who, when) are printed at the foot of every page."""
    confirmed: ConfirmedResult | None = conference.results.filter(is_current=True).first()
    if confirmed is None:
        raise ServiceError("not_confirmed", "Kết quả chưa được xác nhận.")
    record = parse_record(confirmed.record)
    result = tally(record.conference, round_profile(conference.round))
    variant = Variant.MINUTES if minutes else Variant.REPORT
    if fmt not in ("pdf", "docx"):
        raise ServiceError("bad_format", "Định dạng phải là pdf hoặc docx.")
    stem = "bien-ban-kiem-phieu" if minutes else "bao-cao-ket-qua"
    filename = f"{stem}-{conference.record_id}.{fmt}"

    def render(trace: str) -> bytes:
        details = _details(conference, variant, trace)
        if progress is not None:
            progress(0, 1, "Dàn trang văn bản")
        try:
            if fmt == "pdf":
                return render_report_pdf(record, result, details)
            return render_report_docx(record, result, details)
        except DocumentError as e:
            raise _refuse(e) from None

    with transaction.atomic():
        registered = register_secret(
            acting_user=acting_user,
            render=render,
            document_kind="Biên bản kiểm phiếu" if minutes else "Báo cáo kết quả",
            summary=f"{'Biên bản kiểm phiếu' if minutes else 'Báo cáo kết quả phiếu tín nhiệm'}"
            f" — {conference.title} (kết quả phiên bản {confirmed.version})",
            filename=filename,
            vote_round=conference.round,
            conference=conference,
            issued_by=f"Ban Kiểm phiếu — {conference.agency.name}",
        )
        audit(
            actor=acting_user,
            action="document.download",
            obj=confirmed,
            summary=f"{stem}.{fmt} — {conference.title} (v{confirmed.version}), "
            f"số đăng ký {registered.entry.label}",
        )
    return Download(registered.content, filename, PDF if fmt == "pdf" else DOCX)


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


def round_statistics_of(vote_round: VoteRound, progress: Progress | None = None) -> RoundStatistics:
    """The round's statistics from every confirmed result: each record tallied
    by the rules core under the round's profile, then
    :func:`tinnhiem.rules.round_statistics` (through the documents package).
    The one computation behind the statistics PDF, XLSX and web page."""
    confirmed = list(
        ConfirmedResult.objects.filter(conference__round=vote_round, is_current=True)
        .select_related("conference__agency__block")
        .order_by("conference__agency__block__order", "conference__agency__order", "pk")
    )
    if not confirmed:
        raise ServiceError("no_results", "Chưa có hội nghị nào đã xác nhận kết quả.")
    records = []
    for i, r in enumerate(confirmed):
        if progress is not None:
            progress(i, len(confirmed) + 1, f"Đọc kết quả: {r.conference.agency.name}")
        records.append((r.conference.agency.name, parse_record(r.record)))
    profile = round_profile(vote_round)
    overrides = {k: parameter_text(v) for k, v in (vote_round.parameter_overrides or {}).items()}
    totals = {b.name: b.agencies.count() for b in vote_round.blocks.all()}
    try:
        return build_statistics(
            round_outcomes(records, overrides),
            classification=profile.params.classification,
            agencies_total=totals,
        )
    except DocumentError as e:
        raise _refuse(e) from None


def statistics_download(
    *,
    acting_user: Any,
    vote_round: VoteRound,
    fmt: str,
    progress: Progress | None = None,
) -> Download:
    """The round's statistics from every confirmed result, as PDF or XLSX,
    marked MẬT and registered in the sổ đăng ký văn bản mật đi."""
    from tinnhiem.delivery.stamp import xlsx_with_trace

    if fmt not in ("pdf", "xlsx"):
        raise ServiceError("bad_format", "Định dạng phải là pdf hoặc xlsx.")
    stats = round_statistics_of(vote_round, progress)
    # The PDF's subtitle already reads "Thống kê kết quả lấy phiếu tín nhiệm: …".
    title = vote_round.title
    filename = f"thong-ke-{vote_round.pk}.{fmt}"

    steps = ConfirmedResult.objects.filter(conference__round=vote_round, is_current=True).count()

    def render(trace: str) -> bytes:
        if progress is not None:
            progress(steps, steps + 1, "Dàn trang văn bản")
        try:
            if fmt == "pdf":
                details = StatisticsDetails(
                    title=title,
                    issuer=vote_round.issuing_body,
                    classification="MẬT",
                    trace=trace,
                )
                return render_statistics_pdf(stats, details)
            heading = f"Thống kê kết quả lấy phiếu tín nhiệm — {title}"
            return xlsx_with_trace(render_statistics_xlsx(stats, heading), trace)
        except DocumentError as e:
            raise _refuse(e) from None

    with transaction.atomic():
        registered = register_secret(
            acting_user=acting_user,
            render=render,
            document_kind="Báo cáo thống kê",
            summary=f"Thống kê kết quả lấy phiếu tín nhiệm ({fmt.upper()}) — "
            f"{vote_round.number}: {vote_round.title}",
            filename=filename,
            vote_round=vote_round,
        )
        audit(
            actor=acting_user,
            action="document.statistics",
            obj=vote_round,
            summary=f"thong-ke.{fmt}, số đăng ký {registered.entry.label}",
        )
    return Download(registered.content, filename, PDF if fmt == "pdf" else XLSX)
