"""Quét phiếu: upload with progress, the review queue, one sheet's review, evidence.

Evidence (the files, a page, a row's crop) is shown only to the conference's
committee and supervisors, and every showing is in the audit log.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import CLERK, HEAD, conference_view
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import BallotEntry, EntrySource
from tinnhiem.counting.selectors import allowed_digits
from tinnhiem.omr.reasons import MESSAGES
from tinnhiem.rules import VoteKind
from tinnhiem.scanning import imaging, services
from tinnhiem.scanning.models import ReviewDecision, ScanFile, ScanJob, ScanSheet

CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
}


def _crumbs(conference: Conference) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), reverse("campaigns:home")),
        (conference.round.number, reverse("campaigns:round", args=[conference.round_id])),
        (conference.title, reverse("conferences:detail", args=[conference.pk])),
        (_("Quét phiếu"), reverse("scanning:index", args=[conference.pk])),
    ]


def reason_text(code: str) -> str:
    """The core's reason in the page's language (the codes carry both)."""
    vi, en = MESSAGES.get(code, (code, code))
    return en if get_language() == "en" else vi


def _job_json(job: ScanJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "files_total": job.files_total,
        "files_done": job.files_done,
        "sheets_done": job.sheets_done,
        "error": job.error,
    }


def _summary(conference: Conference) -> dict[str, int]:
    counts = dict.fromkeys(ScanSheet.State.values, 0)
    for state in conference.scan_sheets.values_list("state", flat=True):
        counts[state] += 1
    counts["ballots"] = BallotEntry.objects.filter(
        conference=conference, source=EntrySource.SCAN
    ).count()
    return counts


def _wake(conference: Conference) -> None:
    """Stale jobs show as failed; queued jobs (after a restart) get a worker."""
    services.mark_stale_jobs(conference)
    if conference.scan_jobs.filter(state=ScanJob.State.QUEUED).exists():
        services.start_worker()


@conference_view("scanning.read")
def index(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    _wake(conference)
    jobs = list(conference.scan_jobs.order_by("-id")[:20])
    entries = list(
        BallotEntry.objects.filter(conference=conference, source=EntrySource.SCAN).order_by(
            "number"
        )
    )
    return render(
        request,
        "scanning/index.html",
        {
            "c": conference,
            "can_upload": bool(roles & {HEAD, CLERK}),
            "jobs": jobs,
            "summary": _summary(conference),
            "entries": entries,
            "scan_pass": services.scan_entry_pass(conference),
            "has_register": services.issued_json(conference) is not None,
            "max_files": services.MAX_FILES,
            "max_mb": services.MAX_FILE_BYTES // 2**20,
            "breadcrumbs": _crumbs(conference)[:-1],
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@conference_view("scanning.upload")
def upload(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    try:
        files = request.FILES.getlist("files")
        result = services.upload_files(acting_user=request.user, conference=conference, files=files)
    except TooManyFilesSent:
        error = _("Quá nhiều tệp trong một lần tải lên (tối đa %(max)s).") % {
            "max": services.MAX_FILES
        }
        return _upload_error(request, conference, "too_many_files", error)
    except RequestDataTooBig:
        return _upload_error(request, conference, "too_big", _("Dữ liệu tải lên quá lớn."))
    except ServiceError as e:
        return _upload_error(request, conference, e.code, e.message)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "job": _job_json(result.job) if result.job is not None else None,
                "files": [
                    {"name": f.name, "status": f.status, "message": f.message} for f in result.files
                ],
            }
        )
    for f in result.files:
        level = messages.SUCCESS if f.status == "accepted" else messages.ERROR
        messages.add_message(request, level, f.message)
    return redirect("scanning:index", pk=conference.pk)


def _upload_error(
    request: HttpRequest, conference: Conference, code: str, message: str
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "code": code, "error": message}, status=400)
    messages.error(request, message)
    return redirect("scanning:index", pk=conference.pk)


@conference_view("scanning.read")
def progress(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """Tiến độ xử lý (JSON), polled by the upload page."""
    _wake(conference)
    active = list(
        conference.scan_jobs.filter(state__in=[ScanJob.State.QUEUED, ScanJob.State.RUNNING])
    )
    recent = list(conference.scan_jobs.order_by("-id")[:10])
    entries = BallotEntry.objects.filter(conference=conference, source=EntrySource.SCAN)
    return JsonResponse(
        {
            "busy": bool(active),
            "jobs": [_job_json(j) for j in recent],
            "summary": _summary(conference),
            "entries": [
                {"number": n, "serial": serial, "digits": digits}
                for n, serial, digits in entries.order_by("number").values_list(
                    "number", "serial", "digits"
                )
            ],
        }
    )


@require_POST
@conference_view("scanning.upload")
def retry(
    request: HttpRequest, conference: Conference, roles: set[str], job_pk: int
) -> HttpResponse:
    job = get_object_or_404(ScanJob, pk=job_pk, conference=conference)
    try:
        services.job_retry(acting_user=request.user, job=job)
        messages.success(request, _("Đã xếp lại việc xử lý các tệp còn lại."))
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("scanning:index", pk=conference.pk)


@conference_view("scanning.read")
def queue(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """Phiếu cần kiểm tra: every sheet in review, then the decided ones."""
    sheets = list(conference.scan_sheets.select_related("file").order_by("id"))
    review = [s for s in sheets if s.state == ScanSheet.State.REVIEW]
    decided = [s for s in sheets if s.decision is not None]
    for s in review + decided:
        s.reason_texts = [reason_text(r) for r in s.reasons]  # type: ignore[attr-defined]
    log = ReviewDecision.objects.filter(sheet__conference=conference).select_related(
        "sheet", "sheet__file", "user"
    )
    return render(
        request,
        "scanning/queue.html",
        {
            "c": conference,
            "review": review,
            "blank": sum(s.reasons == ["blank_page"] and s.decision is None for s in review),
            "can_decide": HEAD in roles,
            "decided": decided,
            "log": list(log),
            "breadcrumbs": _crumbs(conference),
        },
    )


@require_POST
@conference_view("scanning.decide")
def reject_blank(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """Loại các trang trắng: every sheet in review only because it is blank."""
    try:
        n = services.reject_blank_pages(acting_user=request.user, conference=conference)
        messages.success(request, _("Đã loại %(n)s trang trắng.") % {"n": n})
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("scanning:queue", pk=conference.pk)


def _sheet_of(conference: Conference, sheet_pk: int) -> ScanSheet:
    return get_object_or_404(
        ScanSheet.objects.select_related("file"), pk=sheet_pk, conference=conference
    )


def _doubtful_rows(sheet: ScanSheet) -> set[str]:
    rows: set[str] = set()
    marked: dict[str, int] = {}
    for b in sheet.reading.get("boxes", []):
        if b["state"] == "doubt":
            rows.add(b["candidate"])
        if b["state"] == "marked":
            marked[b["candidate"]] = marked.get(b["candidate"], 0) + 1
    rows.update(c for c, n in marked.items() if n > 1)
    for f in sheet.reading.get("flags", []):
        if f["code"] in ("name_struck", "mark_outside_box"):
            rows.add(str(f["where"]).split("/")[0])
    return rows


@conference_view("scanning.read")
def sheet_view(
    request: HttpRequest, conference: Conference, roles: set[str], sheet_pk: int
) -> HttpResponse:
    """One sheet: the crops of its doubtful rows beside the reading, and the decision form."""
    sheet = _sheet_of(conference, sheet_pk)
    kind = VoteKind(conference.kind)
    d = sheet.decision if sheet.decision and sheet.decision.get("action") == "accept" else None
    page = (d or {}).get("page") or sheet.page or 1
    cids = services.page_rows(conference, int(page))
    names = {c.key: c for c in conference.candidacies.select_related("official")}
    digits = services.sheet_digits(sheet, kind)
    doubtful = _doubtful_rows(sheet)
    struck = {str(f["where"]) for f in sheet.reading.get("flags", []) if f["code"] == "name_struck"}
    crossed = set((d or {}).get("crossed_out", [])) if d else struck
    boxes: dict[str, list[dict[str, Any]]] = {}
    for b in sheet.reading.get("boxes", []):
        boxes.setdefault(b["candidate"], []).append(b)
    levels = list(kind.levels)
    rows = []
    for cid in cids:
        known = cid in digits and all(b["state"] != "doubt" for b in boxes.get(cid, []))
        rows.append(
            {
                "cid": cid,
                "name": names[cid].official.full_name if cid in names else cid,
                "digit": digits.get(cid, "") if (known or d) else "",
                "doubt": cid in doubtful,
                "crossed": cid in crossed,
                "boxes": [
                    next((b for b in boxes.get(cid, []) if b["level"] == lv.value), None)
                    for lv in levels
                ],
            }
        )
    flags = sheet.reading.get("flags", [])
    codes = set(sheet.reasons)
    context = {
        "c": conference,
        "sheet": sheet,
        "page": page,
        "rows": rows,
        "levels": [(str(i), lv.label_vi) for i, lv in enumerate(kind.levels, start=1)],
        "allowed": "".join(sorted(allowed_digits(kind))),
        "reasons": [(r, reason_text(r)) for r in sheet.reasons],
        "flags": flags,
        "located": sheet.reading.get("homography") is not None,
        "needs_serial": services.needs_serial(conference, sheet),
        "decision": sheet.decision,
        "added_names": (d or {}).get("added_names", 0),
        "other_writing": (d or {}).get("other_writing", "margin_writing" in codes),
        "signed": (d or {}).get("signed", "signature_area" in codes),
        "issued": (d or {}).get("issued", "serial_not_issued" not in codes),
        "missing_page": "missing_page" in codes,
        "can_decide": HEAD in roles,
        "history": list(sheet.decisions.select_related("user")),
        "next_sheet": conference.scan_sheets.filter(state=ScanSheet.State.REVIEW, pk__gt=sheet.pk)
        .order_by("id")
        .values_list("pk", flat=True)
        .first(),
        "breadcrumbs": [
            *_crumbs(conference),
            (_("Phiếu cần kiểm tra"), reverse("scanning:queue", args=[conference.pk])),
        ],
    }
    return render(request, "scanning/sheet.html", context)


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


@require_POST
@conference_view("scanning.decide")
def decide(
    request: HttpRequest, conference: Conference, roles: set[str], sheet_pk: int
) -> HttpResponse:
    sheet = _sheet_of(conference, sheet_pk)
    post = request.POST
    action = "reject" if "reject" in post else "accept"
    digits = {k.removeprefix("mark_"): str(post.get(k, "")) for k in post if k.startswith("mark_")}
    raw_added = post.get("added_names", "").strip()
    added = _int(raw_added, -1) if raw_added else 0
    decision = services.Decision(
        action=action,
        digits=digits,
        crossed_out=tuple(post.getlist("crossed_out")),
        added_names=added if added is not None else -1,
        other_writing=bool(post.get("other_writing")),
        signed=bool(post.get("signed")),
        issued=bool(post.get("issued")),
        serial=post.get("serial", ""),
        page=_int(post.get("page")),
        allow_missing=bool(post.get("allow_missing")),
        note=post.get("note", ""),
    )
    try:
        sheet, warning = services.review_decide(
            acting_user=request.user, sheet=sheet, decision=decision
        )
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("scanning:sheet", pk=conference.pk, sheet_pk=sheet.pk)
    messages.success(
        request,
        _("Đã ghi quyết định cho tờ %(label)s.") % {"label": sheet.label},
    )
    if warning:
        messages.warning(request, warning)
    nxt = (
        conference.scan_sheets.filter(state=ScanSheet.State.REVIEW)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    if nxt is not None:
        return redirect("scanning:sheet", pk=conference.pk, sheet_pk=nxt)
    return redirect("scanning:queue", pk=conference.pk)


def _png(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@conference_view("scanning.read")
def crop(
    request: HttpRequest, conference: Conference, roles: set[str], sheet_pk: int, cid: str
) -> HttpResponse:
    """The row of one person on the corrected sheet (PNG), audited."""
    sheet = _sheet_of(conference, sheet_pk)
    issued = services.issued_json(conference)
    if issued is None or sheet.page is None:
        raise Http404
    from tinnhiem.omr.layout import parse_register

    data = imaging.row_crop(
        parse_register(issued),
        str(services.evidence_path(sheet.file)),
        sheet.file_page,
        sheet.reading.get("homography"),
        sheet.page,
        cid,
    )
    if data is None:
        raise Http404
    services.evidence_read(acting_user=request.user, f=sheet.file, what=f"tờ {sheet.pk} dòng {cid}")
    return _png(data)


@conference_view("scanning.read")
def page_png(
    request: HttpRequest, conference: Conference, roles: set[str], sheet_pk: int
) -> HttpResponse:
    """The whole sheet (PNG): upright when located, else as scanned; audited."""
    sheet = _sheet_of(conference, sheet_pk)
    issued = services.issued_json(conference)
    if issued is None:
        raise Http404
    from tinnhiem.omr.layout import parse_register

    data = imaging.page_image(
        parse_register(issued),
        str(services.evidence_path(sheet.file)),
        sheet.file_page,
        sheet.reading.get("homography"),
    )
    services.evidence_read(acting_user=request.user, f=sheet.file, what=f"tờ {sheet.pk}")
    return _png(data)


@conference_view("scanning.read")
def evidence(
    request: HttpRequest, conference: Conference, roles: set[str], file_pk: int
) -> HttpResponse:
    """The uploaded file itself, as kept (its SHA-256 is in the audit log)."""
    f = get_object_or_404(ScanFile, pk=file_pk, conference=conference)
    path = services.evidence_path(f)
    if not path.exists():
        raise Http404
    services.evidence_read(acting_user=request.user, f=f, what="tệp gốc")
    response = FileResponse(
        path.open("rb"),
        content_type=CONTENT_TYPES.get(f.kind, "application/octet-stream"),
        as_attachment=True,
        filename=f.name,
    )
    response["Cache-Control"] = "no-store"
    # Streamed (a PDF may be large); Django serves it as any other response.
    return cast(HttpResponse, response)
