"""Pages of document delivery: a round's documents, a job's progress bar and
its file, the sổ đăng ký văn bản mật đi, the statistics page with charts."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, time
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import (
    is_organiser,
    organised_round_ids,
    round_view,
    signed_in_view,
)
from tinnhiem.conferences.models import Conference
from tinnhiem.delivery import runner, services
from tinnhiem.delivery.charts import share_histogram, stacked_bars
from tinnhiem.delivery.models import DocumentJob, JobKind, JobState, SecretRegisterEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def job_owner_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Load ``pk`` as a job of the logged-in person; anyone else gets 404
    (a job's existence is not disclosed): each person sees only the jobs
    they asked for (``documents.jobs``)."""

    @signed_in_view("documents.jobs")
    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        job = get_object_or_404(
            DocumentJob.objects.select_related("vote_round", "conference").defer("result"),
            pk=pk,
        )
        if job.requested_by_id != request.user.pk:
            raise Http404
        return view(request, *args, job=job, **kwargs)

    return wrapped


def _round_crumbs(vote_round: VoteRound) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), reverse("campaigns:home")),
        (vote_round.number, reverse("campaigns:round", args=[vote_round.pk])),
    ]


@round_view("round.results", kwarg="round_pk")
def round_documents(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """Văn bản của toàn đợt: start a background build, see one's own builds."""
    jobs = (
        DocumentJob.objects.filter(vote_round=vote_round, requested_by_id=request.user.pk)
        .defer("result")
        .select_related("conference")[:30]
    )
    if any(j.state in (JobState.QUEUED, JobState.RUNNING) for j in jobs):
        runner.wake()  # after a restart: recover what the old process left running
    return render(
        request,
        "delivery/round.html",
        {
            "round": vote_round,
            "jobs": jobs,
            "kinds": JobKind,
            "breadcrumbs": _round_crumbs(vote_round),
        },
    )


@require_POST
@round_view("round.results", kwarg="round_pk")
def round_job_start(
    request: HttpRequest, vote_round: VoteRound, roles: set[str], kind: str
) -> HttpResponse:
    """Queue a round-level build and open its progress page."""
    if kind not in services.ROUND_KINDS:
        raise Http404
    try:
        job = services.job_start(
            acting_user=request.user,
            kind=kind,
            vote_round=vote_round,
            params={"extra": request.POST.get("extra", "0") or "0"},
        )
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("delivery:round", round_pk=vote_round.pk)
    return redirect("delivery:job", pk=job.pk)


def _status(job: DocumentJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "step": job.step,
        "error": job.error,
        "download": reverse("delivery:job_file", args=[job.pk])
        if job.state == JobState.DONE
        else None,
        "filename": job.result_name,
        "size": job.result_size,
    }


@job_owner_view
def job_page(request: HttpRequest, job: DocumentJob) -> HttpResponse:
    """The progress bar of one build (polled by ``delivery/progress.js``)."""
    if job.state in (JobState.QUEUED, JobState.RUNNING):
        runner.wake()
    crumbs = [
        *_round_crumbs(job.vote_round),
        (_("Văn bản của toàn đợt"), reverse("delivery:round", args=[job.vote_round_id])),
    ]
    return render(
        request,
        "delivery/job.html",
        {"job": job, "status": _status(job), "breadcrumbs": crumbs},
    )


@job_owner_view
def job_status(request: HttpRequest, job: DocumentJob) -> JsonResponse:
    """``{"state", "done", "total", "percent", "step", "error", "download"}``."""
    if job.state in (JobState.QUEUED, JobState.RUNNING):
        runner.wake()
    response = JsonResponse(_status(job))
    response["Cache-Control"] = "no-store"
    return response


@job_owner_view
def job_file(request: HttpRequest, job: DocumentJob) -> HttpResponse:
    """The finished file (audited); a Mật one carries its register number."""
    full = DocumentJob.objects.get(pk=job.pk)
    try:
        f = services.job_download(acting_user=request.user, job=full)
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("delivery:job", pk=job.pk)
    response = HttpResponse(f.content, content_type=f.content_type)
    response["Content-Disposition"] = f'attachment; filename="{f.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ the register


def _day(value: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ServiceError(
            "bad_date",
            _("%(label)s không hợp lệ: “%(value)s” (cần dạng năm-tháng-ngày).")
            % {"label": label, "value": value},
        ) from None


def _int_or_none(value: str, label: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        message = _("%(label)s không hợp lệ: “%(value)s”.") % {"label": label, "value": value}
        raise ServiceError("bad_filter", message) from None


def _visible_rounds(user: Any) -> QuerySet[VoteRound]:
    """All rounds for the organising department of every round; the granted
    ones for an organiser of some rounds."""
    if is_organiser(user):
        return VoteRound.objects.all()
    return VoteRound.objects.filter(pk__in=organised_round_ids(user))


def _register_rows(request: HttpRequest) -> tuple[QuerySet[SecretRegisterEntry], dict[str, Any]]:
    rows = SecretRegisterEntry.objects.select_related(
        "vote_round", "conference", "received_by"
    ).filter(vote_round__in=_visible_rounds(request.user))
    g = request.GET
    chosen: dict[str, Any] = {k: g.get(k, "") for k in ("round", "conference", "from", "to")}
    round_pk = _int_or_none(chosen["round"], _("Kế hoạch"))
    conference_pk = _int_or_none(chosen["conference"], _("Hội nghị"))
    start = _day(chosen["from"], _("Từ ngày"))
    end = _day(chosen["to"], _("Đến ngày"))
    tz = timezone.get_current_timezone()
    if round_pk is not None:
        rows = rows.filter(vote_round_id=round_pk)
    if conference_pk is not None:
        rows = rows.filter(conference_id=conference_pk)
    if start is not None:
        rows = rows.filter(issued_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end is not None:
        rows = rows.filter(issued_at__lte=datetime.combine(end, time.max, tzinfo=tz))
    return rows.order_by("-year", "-number"), chosen


@signed_in_view("documents.register")
def register_page(request: HttpRequest) -> HttpResponse:
    """Sổ đăng ký văn bản mật đi, for Ban Tổ chức; filter by round, conference, date."""
    try:
        rows, chosen = _register_rows(request)
    except ServiceError as e:
        messages.error(request, e.message)
        rows, chosen = SecretRegisterEntry.objects.none(), {}
    page = Paginator(rows, 100).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "delivery/register.html",
        {
            "page": page,
            "chosen": chosen,
            "query": query.urlencode(),
            "breadcrumbs": [(_("Kế hoạch"), reverse("campaigns:home"))],
            "rounds": _visible_rounds(request.user),
            "conferences": Conference.objects.filter(round__in=_visible_rounds(request.user))
            .select_related("round")
            .order_by("round__number", "title"),
        },
    )


REGISTER_COLUMNS = [
    "Số đăng ký",
    "Ngày, giờ",
    "Số, ký hiệu văn bản",
    "Tên loại văn bản",
    "Trích yếu nội dung",
    "Độ mật",
    "Số lượng bản",
    "Nơi nhận, người nhận",
    "Đơn vị phát hành",
    "Kế hoạch",
    "Hội nghị",
    "Tên tệp",
    "SHA-256",
    "Ghi chú",
]


@signed_in_view("documents.register")
def register_xlsx(request: HttpRequest) -> HttpResponse:
    """The register (with the page's filters) as a workbook; audited."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    try:
        rows, _chosen = _register_rows(request)
    except ServiceError as refused:
        messages.error(request, refused.message)
        return redirect("delivery:register")
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ văn bản mật đi"
    ws.append(["SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐI"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Xuất lúc {timezone.localtime():%H:%M ngày %d/%m/%Y} bởi {request.user}"])
    ws.append(REGISTER_COLUMNS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    n = 0
    for e in rows.iterator():
        ws.append(
            [
                e.label,
                timezone.localtime(e.issued_at).strftime("%d/%m/%Y %H:%M"),
                e.reference,
                e.document_kind,
                e.summary,
                e.secrecy,
                e.copies,
                e.recipient,
                e.issued_by,
                e.vote_round.number,
                e.conference.title if e.conference else "",
                e.filename,
                e.sha256,
                e.note,
            ]
        )
        n += 1
    widths = [12, 17, 14, 20, 60, 8, 8, 30, 30, 14, 40, 36, 66, 20]
    for col, width in zip("ABCDEFGHIJKLMN", widths, strict=True):
        ws.column_dimensions[col].width = width
    audit(
        actor=request.user,
        action="register.export",
        summary=f"so-dang-ky-van-ban-mat.xlsx, {n} dòng",
    )
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="so-dang-ky-van-ban-mat-di.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ statistics


@round_view("round.results", kwarg="round_pk")
def statistics_page(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """Thống kê toàn đợt with charts: the figures of the statistics PDF
    (``round_statistics_of`` → ``statistics_to_json``), audited as a view of
    confidential results."""
    from tinnhiem.counting.documents import round_statistics_of
    from tinnhiem.documents.stats import statistics_to_json, summary_vi

    context: dict[str, Any] = {"round": vote_round, "breadcrumbs": _round_crumbs(vote_round)}
    try:
        stats = round_statistics_of(vote_round)
    except ServiceError as e:
        context["error"] = e.message
        return render(request, "delivery/statistics.html", context)
    data = statistics_to_json(stats, vote_round.title)
    top = data["overall"]["classes"][0]["label"]
    audit(
        actor=request.user,
        action="statistics.view",
        obj=vote_round,
        summary=f"Trang thống kê — {vote_round.number}",
    )
    context.update(
        {
            "data": data,
            "groups": [*data["blocks"], data["overall"]],
            "summary": summary_vi(stats),
            "top_label": top,
            "bars_svg": stacked_bars(data),
            "histogram_svg": share_histogram(data["overall"], top),
        }
    )
    return render(request, "delivery/statistics.html", context)
