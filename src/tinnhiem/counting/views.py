"""Counting pages: keyboard-first double entry, reconciliation, results."""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import (
    HEAD,
    ORGANISER,
    SUPERVISOR,
    conference_view,
    round_view,
    signed_in_view,
)
from tinnhiem.conferences.models import CommitteeMember, Conference, Status
from tinnhiem.counting import services
from tinnhiem.counting.models import BallotEntry, EntrySource
from tinnhiem.counting.selectors import (
    ReconRow,
    current_result,
    digit_levels,
    other_places,
    reconcile,
    result_json,
    tally_ballots,
)
from tinnhiem.rules import Band, RulesError, VoteKind
from tinnhiem.rules.profiles import parameter_text


def _uid(request: HttpRequest) -> int:
    return int(request.user.pk or 0)


def _crumbs(conference: Conference) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), reverse("campaigns:home")),
        (conference.round.number, reverse("campaigns:round", args=[conference.round_id])),
        (conference.title, reverse("conferences:detail", args=[conference.pk])),
    ]


@signed_in_view("counting.work")
def my_work(request: HttpRequest) -> HttpResponse:
    seats = CommitteeMember.objects.filter(user_id=_uid(request)).select_related(
        "conference", "conference__agency"
    )
    return render(request, "counting/my_work.html", {"seats": seats})


def _legend(kind: VoteKind) -> list[tuple[str, str]]:
    return [(d, lv.label_vi) for d, lv in digit_levels(kind).items()] + [
        ("0", _("Không đánh dấu ô nào")),
        ("9", _("Đánh dấu nhiều ô")),
    ]


@conference_view("counting.enter")
def entry(
    request: HttpRequest, conference: Conference, roles: set[str], entry_pass: int
) -> HttpResponse:
    seat = conference.committee.filter(user_id=_uid(request), entry_pass=entry_pass).first()
    if seat is None:
        raise PermissionDenied
    candidacies = list(conference.candidacies.select_related("official"))
    entries = list(BallotEntry.objects.filter(conference=conference, entry_pass=entry_pass))
    rows = [{"number": e.number, "version": e.version, **e.payload()} for e in entries]
    return render(
        request,
        "counting/entry.html",
        {
            "c": conference,
            "entry_pass": entry_pass,
            "candidacies": candidacies,
            "rows": rows,
            "legend": _legend(VoteKind(conference.kind)),
            "level_labels": dict(_legend(VoteKind(conference.kind))),
            "next_number": (max((e.number for e in entries), default=0) + 1),
            "editable": conference.status == Status.COUNTING,
            "breadcrumbs": _crumbs(conference),
        },
    )


def _payload_from(data: Any, *, html_form: bool = False) -> dict[str, Any]:
    """An entry payload from JSON (booleans) or an HTML form (checkboxes:
    absent means unticked)."""
    crossed = data.get("crossed_out", [])
    if isinstance(crossed, str):
        crossed = [c for c in crossed.replace(",", " ").split() if c]
    if not isinstance(crossed, list) or not all(
        re.fullmatch(r"[0-9]{1,3}", str(c).strip()) for c in crossed
    ):
        raise ServiceError(
            "bad_crossed_out",
            _("Gạch tên: ghi số thứ tự của người bị gạch trên phiếu, ví dụ: 2 5."),
        )
    try:
        added = int(data.get("added_names") or 0)
    except (TypeError, ValueError, OverflowError):
        raise ServiceError("bad_added_names", _("Số tên ghi thêm phải là số nguyên.")) from None

    def flag(name: str, default: bool) -> bool:
        if html_form:
            return data.get(name) in ("on", "1", "true")
        value = data.get(name, default)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "on", "yes")
        return bool(value)

    return {
        "digits": str(data.get("digits", "")),
        "issued": flag("issued", True),
        "crossed_out": list(crossed),
        "added_names": added,
        "other_writing": flag("other_writing", False),
        "signed": flag("signed", False),
    }


@require_POST
@conference_view("counting.enter")
def entry_save_view(
    request: HttpRequest, conference: Conference, roles: set[str], entry_pass: int
) -> HttpResponse:
    """JSON API of the entry page: save, or delete with ``{"delete": true}``."""
    try:
        data = json.loads(request.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError
        number = int(data["number"])
        version = data.get("version")
        expected = int(version) if version is not None else None
    except (ValueError, KeyError, TypeError, OverflowError, UnicodeDecodeError):
        return JsonResponse(
            {"error": _("Dữ liệu gửi lên không hợp lệ."), "code": "bad_request"}, status=400
        )
    try:
        if data.get("delete"):
            if expected is None:
                raise ServiceError("entry_conflict", _("Thiếu phiên bản của phiếu cần xóa."))
            services.entry_delete(
                acting_user=request.user,
                conference=conference,
                entry_pass=entry_pass,
                number=number,
                expected_version=expected,
            )
            return JsonResponse({"deleted": number})
        saved = services.entry_save(
            acting_user=request.user,
            conference=conference,
            entry_pass=entry_pass,
            number=number,
            payload=_payload_from(data),
            expected_version=expected,
        )
    except ServiceError as e:
        return JsonResponse({"error": e.message, "code": e.code}, status=409)
    return JsonResponse({"number": saved.number, "version": saved.version, **saved.payload()})


_FLAGS = ("issued", "crossed_out", "added_names", "other_writing", "signed")


def _pass_labels(conference: Conference) -> tuple[str, str]:
    """ "Lượt 1", "Lượt 2", saying which pass the scanner made, if one did."""
    scanned = set(
        BallotEntry.objects.filter(conference=conference, source=EntrySource.SCAN)
        .values_list("entry_pass", flat=True)
        .distinct()
    )
    first, second = _("Lượt 1"), _("Lượt 2")
    if 1 in scanned:
        first = _("Lượt 1 (quét phiếu)")
    if 2 in scanned:
        second = _("Lượt 2 (quét phiếu)")
    return first, second


def _side_by_side(
    row: ReconRow, names: list[str], labels: tuple[str, str] = ("", "")
) -> dict[str, Any]:
    """One disputed ballot as the two passes entered it, with what differs marked."""
    a, b = row.first, row.second
    labels = (labels[0] or _("Lượt 1"), labels[1] or _("Lượt 2"))

    def digits(mine: dict[str, Any] | None, other: dict[str, Any] | None) -> list[tuple[str, bool]]:
        if mine is None:
            return []
        theirs = other["digits"] if other is not None else None
        return [
            (d, theirs is not None and (i >= len(theirs) or theirs[i] != d))
            for i, d in enumerate(mine["digits"])
        ]

    differs = {f: a[f] != b[f] for f in _FLAGS} if a is not None and b is not None else {}
    return {
        "number": row.number,
        "first": a,
        "passes": [(labels[0], a, digits(a, b)), (labels[1], b, digits(b, a))],
        "differs": differs,
        "positions": row.differing_positions(),
        "names": [names[i - 1] for i in row.differing_positions() if i <= len(names)],
    }


@conference_view("counting.read")
def reconcile_view(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    recon = reconcile(conference)
    candidacies = list(conference.candidacies.select_related("official"))
    names = [f"{c.order}. {c.official.full_name}" for c in candidacies]
    labels = _pass_labels(conference)
    return render(
        request,
        "counting/reconcile.html",
        {
            "c": conference,
            "recon": recon,
            "labels": labels,
            "disputes": [_side_by_side(r, names, labels) for r in recon.disagreements],
            "candidacies": candidacies,
            "is_head": HEAD in roles,
            "can_see_log": bool(roles & {HEAD, ORGANISER, SUPERVISOR}),
            "legend": _legend(VoteKind(conference.kind)),
            "breadcrumbs": _crumbs(conference),
        },
    )


@require_POST
@conference_view("counting.decide")
def resolve(
    request: HttpRequest, conference: Conference, roles: set[str], number: int
) -> HttpResponse:
    choice = request.POST.get("choice", "")
    recon = {r.number: r for r in reconcile(conference).rows}
    row = recon.get(number)
    try:
        if choice in ("first", "second") and row is not None:
            payload = row.first if choice == "first" else row.second
            if payload is None:
                raise ServiceError(
                    "no_such_entry", _("Lượt này không có phiếu số %(n)s.") % {"n": number}
                )
        elif choice == "none":
            payload = None
        elif choice == "manual":
            payload = _payload_from(request.POST, html_form=True)
        else:
            raise ServiceError("bad_choice", _("Hãy chọn cách giải quyết."))
        services.resolution_save(
            acting_user=request.user,
            conference=conference,
            number=number,
            reason=request.POST.get("reason", ""),
            payload=payload,
        )
    except ServiceError as e:
        messages.error(request, _("Phiếu số %(n)s: %(e)s") % {"n": number, "e": e.message})
    else:
        messages.success(request, _("Đã ghi quyết định cho phiếu số %(n)s.") % {"n": number})
    return redirect(reverse("counting:reconcile", args=[conference.pk]) + f"#p{number}")


def _table(conference: Conference, result_json: dict[str, Any]) -> list[dict[str, Any]]:
    kind = VoteKind(conference.kind)
    rows = []
    for i, c in enumerate(result_json["candidates"], start=1):
        rows.append(
            {
                "stt": i,
                "name": c["name"],
                "position": c["position"],
                "valid": c["valid"],
                "invalid": c["invalid"],
                "levels": [
                    (lv.label_vi, c["counts"][lv.value], c["percent"][lv.value].replace(".", ","))
                    for lv in kind.levels
                ],
                "band": c["band"],
                "band_label": Band(c["band"]).label_vi,
                "consequence": c["consequence"],
            }
        )
    return rows


def _tally_command(conference: Conference) -> str:
    """The offline command that reproduces this result from the exported record:
    the round's parameter overrides are not part of the record format."""
    params = " ".join(
        f"--param {name}={parameter_text(value)}"
        for name, value in sorted((conference.round.parameter_overrides or {}).items())
    )
    return f"tinnhiem tally {conference.record_id}.json {params}".strip()


def _with_other_places(conference: Conference, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flag persons polled in another place of the round, with that result."""
    others = other_places(conference)
    for row in rows:
        row["other_places"] = others.get(str(row["stt"]), [])
    return rows


@conference_view("results.read")
def results(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    confirmed = current_result(conference)
    preview = None
    problem = None
    if confirmed is not None:
        data = confirmed.result
        audit(actor=request.user, action="result.view", obj=confirmed, summary=conference.title)
    else:
        recon = reconcile(conference)
        if recon.disagreements:
            problem = _("Còn %(n)s phiếu hai lượt nhập chưa khớp.") % {
                "n": len(recon.disagreements)
            }
        try:
            preview = tally_ballots(conference, recon.ballots)
            data = result_json(preview)
        except RulesError as e:
            data = None
            problem = f"{problem} {e.message_vi}" if problem else e.message_vi
    kind = VoteKind(conference.kind)
    return render(
        request,
        "counting/results.html",
        {
            "c": conference,
            "confirmed": confirmed,
            "history": conference.results.defer("record", "result").select_related("confirmed_by"),
            "data": data,
            "rows": _with_other_places(conference, _table(conference, data) if data else []),
            "tally_command": _tally_command(conference),
            "levels": [lv.label_vi for lv in kind.levels],
            "problem": problem,
            "is_head": HEAD in roles,
            "can_export": bool(roles & {HEAD, ORGANISER, SUPERVISOR}),
            "legend": _legend(kind),
            "breadcrumbs": _crumbs(conference),
        },
    )


@require_POST
@conference_view("counting.decide")
def confirm(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    try:
        res = services.results_confirm(acting_user=request.user, conference=conference)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("Đã xác nhận kết quả (SHA-256 %(h)s).") % {"h": res.sha256[:16]}
        )
    return redirect("counting:results", pk=conference.pk)


@require_POST
@conference_view("counting.decide")
def amend(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    try:
        number = int(request.POST.get("number", ""))
    except ValueError:
        messages.error(request, _("Số phiếu không hợp lệ."))
        return redirect("counting:results", pk=conference.pk)
    remove = request.POST.get("remove") == "on"
    try:
        res = services.result_amend(
            acting_user=request.user,
            conference=conference,
            number=number,
            payload=None if remove else _payload_from(request.POST, html_form=True),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Đã điều chỉnh kết quả: phiên bản %(v)s.") % {"v": res.version})
    return redirect("counting:results", pk=conference.pk)


@conference_view("counting.records")
def export_record(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    confirmed = current_result(conference)
    if confirmed is None:
        messages.error(request, _("Chỉ xuất hồ sơ khi kết quả đã được xác nhận."))
        return redirect("counting:results", pk=conference.pk)
    audit(actor=request.user, action="record.export", obj=confirmed, summary=conference.title)
    body = json.dumps(confirmed.record, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{conference.record_id}.json"'
    return response


def _entry_summary(payload: dict[str, Any] | None) -> tuple[str, str]:
    """(digits, notes) of a logged payload, for people reading the log."""
    if payload is None:
        return "", ""
    if payload.get("exists") is False:
        return "", _("không có phiếu này")
    notes = []
    if payload.get("issued") is False:
        notes.append(_("không do BKP phát ra"))
    if payload.get("crossed_out"):
        notes.append(_("gạch tên %(s)s") % {"s": ", ".join(map(str, payload["crossed_out"]))})
    if payload.get("added_names"):
        notes.append(_("%(n)s tên ghi thêm") % {"n": payload["added_names"]})
    if payload.get("other_writing"):
        notes.append(_("ghi thông tin khác"))
    if payload.get("signed"):
        notes.append(_("có ký tên"))
    return str(payload.get("digits", "")), "; ".join(notes)


@conference_view("counting.records")
def entry_log(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """Nhật ký nhập phiếu, in time order, 200 lines a page, filtered by pass
    (``luot``: 1, 2, or ``bkp`` for the committee's decisions) and ballot number
    (``so``)."""
    lines = conference.entry_log.select_related("user").order_by("id")
    entry_pass = request.GET.get("luot", "")
    if entry_pass in ("1", "2"):
        lines = lines.filter(entry_pass=int(entry_pass))
    elif entry_pass == "bkp":
        lines = lines.filter(entry_pass__isnull=True)
    else:
        entry_pass = ""
    number = request.GET.get("so", "").strip()
    if number.isdigit():
        lines = lines.filter(number=int(number))
    else:
        number = ""
    page = Paginator(lines, ENTRY_LOG_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    log = [(e, _entry_summary(e.before), _entry_summary(e.after)) for e in page.object_list]
    return render(
        request,
        "counting/entry_log.html",
        {
            "c": conference,
            "log": log,
            "page": page,
            "query": query.urlencode(),
            "entry_pass": entry_pass,
            "number": number,
            "breadcrumbs": _crumbs(conference),
        },
    )


ENTRY_LOG_PER_PAGE = 200


def _send(d: Any) -> HttpResponse:
    response = HttpResponse(d.content, content_type=d.content_type)
    response["Content-Disposition"] = f'attachment; filename="{d.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@conference_view("conference.prepare")
def ballots_print_view(
    request: HttpRequest, conference: Conference, roles: set[str]
) -> HttpResponse:
    """In phiếu tín nhiệm: the PDF, with its serials kept in the register.
    Above the background threshold (ballot pages), built in the background:
    the progress page opens instead."""
    from tinnhiem.counting.documents import ballots_print
    from tinnhiem.delivery import services as delivery

    try:
        count = int(request.POST.get("count", ""))
        if delivery.needs_background_ballots(conference, count):
            job = delivery.job_start(
                acting_user=request.user,
                kind="conference_ballots",
                vote_round=conference.round,
                conference=conference,
                params={"count": count},
            )
            return redirect("delivery:job", pk=job.pk)
        return _send(ballots_print(acting_user=request.user, conference=conference, count=count))
    except ValueError:
        messages.error(request, _("Số phiếu cần in phải là số nguyên."))
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("conferences:detail", pk=conference.pk)


def _report(request: HttpRequest, conference: Conference, fmt: str, minutes: bool) -> HttpResponse:
    from tinnhiem.counting.documents import report_download
    from tinnhiem.delivery import services as delivery

    try:
        if delivery.needs_background_report(conference):
            job = delivery.job_start(
                acting_user=request.user,
                kind="conference_report",
                vote_round=conference.round,
                conference=conference,
                params={"fmt": fmt, "minutes": minutes},
            )
            return redirect("delivery:job", pk=job.pk)
        return _send(
            report_download(
                acting_user=request.user, conference=conference, fmt=fmt, minutes=minutes
            )
        )
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("counting:results", pk=conference.pk)


@conference_view("counting.records")
def report_view(
    request: HttpRequest, conference: Conference, roles: set[str], fmt: str
) -> HttpResponse:
    """Báo cáo kết quả phiếu tín nhiệm (Phụ lục 4), MẬT, audited."""
    return _report(request, conference, fmt, minutes=False)


@conference_view("counting.records")
def minutes_view(
    request: HttpRequest, conference: Conference, roles: set[str], fmt: str
) -> HttpResponse:
    """Biên bản kiểm phiếu, MẬT, audited."""
    return _report(request, conference, fmt, minutes=True)


@conference_view("documents.personal")
def personal_view(
    request: HttpRequest, conference: Conference, roles: set[str], cand_pk: int
) -> HttpResponse:
    """Báo cáo của người được lấy phiếu (Phụ lục 2), pre-filled."""
    from django.shortcuts import get_object_or_404

    from tinnhiem.counting.documents import personal_download

    candidacy = get_object_or_404(
        conference.candidacies.select_related("official__agency"), pk=cand_pk
    )
    try:
        return _send(personal_download(acting_user=request.user, candidacy=candidacy))
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("conferences:detail", pk=conference.pk)


@round_view("round.results", kwarg="round_pk")
def statistics_view(
    request: HttpRequest, vote_round: Any, roles: set[str], fmt: str
) -> HttpResponse:
    """Thống kê toàn đợt (PDF, XLSX), for the organising department; audited
    and registered in the sổ đăng ký văn bản mật đi."""
    from tinnhiem.counting.documents import statistics_download

    try:
        return _send(statistics_download(acting_user=request.user, vote_round=vote_round, fmt=fmt))
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("campaigns:round_results", pk=vote_round.pk)
