"""Pages of electronic voting.

* For the organiser and the counting committee (login, roles of the
  conference): the setup and key-ceremony page, the card/paper issuance at
  check-in, closing, the trustees' decryption uploads, the result's
  integration and the archive download (audited: it holds the result).
* For the voters (no login: the card's credential is the authority): the
  casting page, its JSON endpoints, and the hall screen. They set no cookie,
  store no address and log nothing about who cast what.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import (
    AGENCY_ORGANISER,
    HEAD,
    MEMBER,
    ORGANISER,
    conference_view,
    is_organiser,
    public_view,
    signed_in_view,
)
from tinnhiem.conferences.models import Attendance, Conference, Status
from tinnhiem.crypto import files
from tinnhiem.crypto.canonical import loads
from tinnhiem.crypto.errors import FormatError
from tinnhiem.evote import services
from tinnhiem.evote.forms import (
    CloseIssuanceForm,
    CreateForm,
    FileForm,
    TrusteeFileForm,
    read_upload,
)
from tinnhiem.evote.models import Election, Issuance, Mode, Phase
from tinnhiem.rules import Level, VoteKind

# ------------------------------------------------------------- helpers

RATE_WINDOW_SECONDS = 60
CAST_RATE_LIMIT = 30
"""Ballot and audit submissions per address per minute (a hall tablet serves one
voter at a time; this stops a flood, not a voter)."""
PREPARE_RATE_LIMIT = 60
"""Bodies sent for checking before casting, per address per minute (one per
encryption: a voter who changes their mind re-encrypts)."""
READ_RATE_LIMIT = 240
"""Reads of the election and of the hall screen per address per minute."""
MAX_BALLOT_BYTES = 512 * 1024


def _election_of(conference: Conference) -> Election | None:
    return Election.objects.filter(conference=conference).first()


def _manage_url(conference: Conference) -> str:
    return reverse("evote:manage", args=[conference.pk])


def _trustee_choices(election: Election) -> list[tuple[int, str]]:
    return [(t.index, f"{t.index}. {t.name}") for t in services.trustees_of(election)]


def _render_manage(
    request: HttpRequest,
    conference: Conference,
    roles: set[str],
    *,
    status: int = 200,
    **forms_: Any,
) -> HttpResponse:
    election = _election_of(conference)
    context: dict[str, Any] = {
        "conference": conference,
        "roles": roles,
        "election": election,
        "is_organiser": bool(roles & {ORGANISER, AGENCY_ORGANISER}),
        "is_member": MEMBER in roles,
        "is_head": HEAD in roles,
        "breadcrumbs": [
            (_("Kế hoạch"), reverse("campaigns:home")),
            (conference.title, reverse("conferences:detail", args=[conference.pk])),
        ],
    }
    if election is None:
        context["create_form"] = forms_.get("create_form") or CreateForm(conference=conference)
    else:
        trustees = services.trustees_of(election)
        step = services.ceremony_step(election) if election.phase == Phase.CEREMONY else "done"
        cards, paper = services.issuance_counts(conference)
        context.update(
            {
                "trustees": trustees,
                "step": step,
                "trustee_form": forms_.get("trustee_form")
                or TrusteeFileForm(choices=_trustee_choices(election)),
                "credentials_form": forms_.get("credentials_form") or FileForm(),
                "close_form": forms_.get("close_form") or CloseIssuanceForm(),
                "decrypt_form": forms_.get("decrypt_form") or FileForm(),
                "cards": cards,
                "paper": paper,
                "partials": election.entries.filter(kind="partial_decryption").count(),
                "cast_url": request.build_absolute_uri(reverse("evote:cast", args=[election.uuid])),
                "hall_url": reverse("evote:hall", args=[election.uuid]),
                "trustees_hash": (
                    services.trustees_public(election).fingerprint if step == "done" else ""
                ),
                "prints": services.ceremony_fingerprints(election),
            }
        )
    return render(request, "evote/manage.html", context, status=status)


def _service_error(form: Any, field: str | None, error: ServiceError) -> None:
    form.add_error(field, error.message)


# ------------------------------------------------------ committee pages


@signed_in_view("evote.list")
def index(request: HttpRequest) -> HttpResponse:
    """The conferences this user may organise or hold keys for, with their electronic vote."""
    user = request.user
    conferences = Conference.objects.select_related("round").order_by("-date", "id")
    if not is_organiser(user):
        conferences = conferences.filter(
            Q(committee__user=user) | Q(supervisor_seats__user=user)
        ).distinct()
    elections = {e.conference_id: e for e in Election.objects.filter(conference__in=conferences)}
    rows = [(c, elections.get(c.pk)) for c in conferences]
    return render(request, "evote/index.html", {"rows": rows})


@conference_view("evote.read")
def manage(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """The electronic vote of a conference: ceremony, cards, closing, decryption."""
    return _render_manage(request, conference, roles)


@require_POST
@conference_view("evote.manage")
def create(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    form = CreateForm(request.POST, conference=conference)
    if form.is_valid():
        try:
            services.election_create(
                acting_user=request.user,
                conference=conference,
                members=list(form.cleaned_data["members"]),
                threshold=form.cleaned_data["threshold"],
            )
        except ServiceError as e:
            field = "threshold" if e.code == "bad_threshold" else "members"
            _service_error(form, field, e)
        else:
            messages.success(request, _("Đã tạo cuộc bỏ phiếu điện tử. Bắt đầu lễ tạo khóa."))
            return redirect(_manage_url(conference))
    return _render_manage(request, conference, roles, status=400, create_form=form)


@require_POST
@conference_view("evote.manage")
def cancel(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    try:
        services.election_cancel(acting_user=request.user, election=election)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Đã hủy cuộc bỏ phiếu điện tử."))
    return redirect(_manage_url(conference))


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@conference_view("evote.trustee")
def ceremony_file(
    request: HttpRequest, conference: Conference, roles: set[str], name: str, index: int = 0
) -> HttpResponse:
    """What a trustee's device takes: its invitation, all certificates, all dealings."""
    election = get_object_or_404(Election, conference=conference)
    step = services.ceremony_step(election)
    try:
        if name == "invitation":
            trustee = get_object_or_404(election.trustees, index=index)
            data = services.invitation_file(election, trustee)
        elif name == "certificates" and step in (files.DEALING, files.VERIFICATION_KEY, "done"):
            data = services.certificates_file(election)
        elif name == "dealings" and step in (files.VERIFICATION_KEY, "done"):
            data = services.dealings_file(election)
        else:
            raise Http404
    except (FormatError, ValueError):
        raise Http404 from None
    suffix = f"-{index}" if index else ""
    return _download(data, f"{election.uuid}-{name}{suffix}.json")


@require_POST
@conference_view("evote.trustee")
def ceremony_upload(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    form = TrusteeFileForm(request.POST, request.FILES, choices=_trustee_choices(election))
    if form.is_valid():
        data = read_upload(form, "file")
        if data is not None:
            try:
                step = services.ceremony_upload(
                    acting_user=request.user,
                    election=election,
                    trustee_index=form.cleaned_data["trustee"],
                    data=data,
                )
            except ServiceError as e:
                _service_error(form, "file" if e.code != "bad_trustee" else "trustee", e)
            else:
                labels = {
                    files.CERTIFICATE: _("chứng thư"),
                    files.DEALING: _("phân chia khóa"),
                    files.VERIFICATION_KEY: _("khóa kiểm tra"),
                }
                messages.success(
                    request, _("Đã nhận tệp %(step)s.") % {"step": labels.get(step, step)}
                )
                return redirect(_manage_url(conference))
    return _render_manage(request, conference, roles, status=400, trustee_form=form)


@require_POST
@conference_view("evote.manage")
def credentials_upload(
    request: HttpRequest, conference: Conference, roles: set[str]
) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        data = read_upload(form, "file")
        if data is not None:
            try:
                fingerprint = services.credentials_upload(
                    acting_user=request.user, election=election, data=data
                )
            except ServiceError as e:
                _service_error(form, "file", e)
            else:
                messages.success(
                    request,
                    _("Đã nhận danh sách thẻ; dấu vân tay: %(h)s.") % {"h": fingerprint},
                )
                return redirect(_manage_url(conference))
    return _render_manage(request, conference, roles, status=400, credentials_form=form)


@conference_view("evote.manage")
def issuance(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """The roll's card/paper choice for each member present (check-in)."""
    election = get_object_or_404(Election, conference=conference)
    if request.method == "POST":
        voter = get_object_or_404(conference.voters, pk=request.POST.get("voter", 0))
        try:
            services.issuance_set(
                acting_user=request.user, voter=voter, mode=request.POST.get("mode", "")
            )
        except ServiceError as e:
            messages.error(request, e.message)
        return redirect(reverse("evote:issuance", args=[conference.pk]))
    modes = dict(
        Issuance.objects.filter(voter__conference=conference).values_list("voter_id", "mode")
    )
    voters = [
        (v, modes.get(v.pk, ""))
        for v in conference.voters.filter(attendance=Attendance.PRESENT).order_by("order", "id")
    ]
    cards, paper = services.issuance_counts(conference)
    return render(
        request,
        "evote/issuance.html",
        {
            "conference": conference,
            "election": election,
            "voters": voters,
            "cards": cards,
            "paper": paper,
            "open": election.phase == Phase.ISSUANCE and conference.status == Status.CHECKIN,
            "CARD": Mode.CARD,
            "PAPER": Mode.PAPER,
            "breadcrumbs": [
                (conference.title, reverse("conferences:detail", args=[conference.pk])),
                (_("Bỏ phiếu điện tử"), _manage_url(conference)),
            ],
        },
    )


@require_POST
@conference_view("evote.close")
def issuance_close(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    form = CloseIssuanceForm(request.POST, request.FILES)
    if form.is_valid():
        data = read_upload(form, "file", required=False)
        if not form.errors:
            try:
                voided = services.void_list(election, form.cleaned_data["codes"], data)
                services.issuance_close(
                    acting_user=request.user,
                    election=election,
                    voided=voided,
                    lost=form.cleaned_data["lost"] or 0,
                )
            except ServiceError as e:
                field = (
                    "codes" if e.code in ("bad_code", "void_unknown", "void_duplicate") else None
                )
                if e.code == "bad_file":
                    field = "file"
                _service_error(form, field, e)
            else:
                messages.success(request, _("Đã hủy thẻ chưa phát và mở hòm phiếu điện tử."))
                return redirect(_manage_url(conference))
    return _render_manage(request, conference, roles, status=400, close_form=form)


@require_POST
@conference_view("evote.close")
def end(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    try:
        election = services.voting_end(acting_user=request.user, election=election)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        if election.phase == Phase.REFUSED:
            messages.error(
                request,
                _(
                    "Đã kết thúc. Số phiếu điện tử (%(n)s) ít hơn mức tối thiểu %(t)s nên không "
                    "được kiểm riêng."
                )
                % {"n": election.voters, "t": election.t_min},
            )
        else:
            messages.success(request, _("Đã kết thúc bỏ phiếu điện tử và lập bản mã tổng."))
    return redirect(_manage_url(conference))


@require_POST
@conference_view("evote.trustee")
def decrypt_upload(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        data = read_upload(form, "file")
        if data is not None:
            try:
                received = services.partial_decryption_upload(
                    acting_user=request.user, election=election, data=data
                )
            except ServiceError as e:
                _service_error(form, "file", e)
            else:
                messages.success(request, _("Đã nhận %(n)s phần giải mã.") % {"n": received})
                return redirect(_manage_url(conference))
    return _render_manage(request, conference, roles, status=400, decrypt_form=form)


@require_POST
@conference_view("evote.integrate")
def integrate(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    election = get_object_or_404(Election, conference=conference)
    try:
        services.result_integrate(acting_user=request.user, election=election)
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect(_manage_url(conference))
    messages.success(request, _("Đã xác nhận kết quả chung của phiếu giấy và phiếu điện tử."))
    return redirect(reverse("counting:results", args=[conference.pk]))


@conference_view("evote.archive")
def archive(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """The whole board, ``tinnhiem.evote-archive/1`` (holds the result once decrypted: audited)."""
    election = get_object_or_404(Election, conference=conference)
    if not election.height:
        raise Http404
    audit(
        actor=request.user,
        action="evote.archive.view",
        obj=election,
        summary=f"height {election.height}",
    )
    data = json.dumps(
        services.archive_json(election), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return _download(data, f"{election.uuid}-archive.json")


@conference_view("evote.read")
def minutes(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    """The values of the minutes, for ``tinnhiem verify ARCHIVE --minutes FILE``."""
    election = get_object_or_404(Election, conference=conference)
    if not election.height:
        raise Http404
    data = json.dumps(services.minutes_json(election), ensure_ascii=False, indent=1)
    return _download(data.encode("utf-8"), f"{election.uuid}-minutes.json")


# ---------------------------------------------------------- public pages


def public_election(
    limit: int, *, post: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Load the election by uuid, rate-limit by address, no login (the card is the authority).

    The counter lives in the cache for one minute under a hash of the address:
    no address is stored anywhere else, and never next to a ballot.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, uuid: str) -> HttpResponse:
            election = Election.objects.select_related("conference").filter(uuid=uuid).first()
            if election is None:
                raise Http404
            if post and request.method != "POST":
                return JsonResponse({"ok": False, "message": _("Chỉ nhận POST.")}, status=405)
            address = request.META.get("REMOTE_ADDR", "")
            key = "evote-rate:" + hashlib.sha256(f"{view.__name__}|{address}".encode()).hexdigest()
            cache.add(key, 0, RATE_WINDOW_SECONDS)
            try:
                count = cache.incr(key)
            except ValueError:
                count = 1
            if count > limit:
                return JsonResponse(
                    {
                        "ok": False,
                        "code": "rate_limited",
                        "message": _("Quá nhiều yêu cầu từ thiết bị này; thử lại sau một phút."),
                    },
                    status=429,
                )
            return view(request, election)

        declared = public_view("evote.vote")(wrapped)
        if post:
            declared.csrf_exempt = True  # type: ignore[attr-defined]
        return declared

    return decorate


def _level_labels(kind: str) -> list[dict[str, str]]:
    return [{"code": lv.value, "label": Level(lv).label_vi} for lv in VoteKind(kind).levels]


@public_election(READ_RATE_LIMIT)
def cast_page(request: HttpRequest, election: Election) -> HttpResponse:
    """The mobile-first ballot page (scripts: ballot.js and cast.js only)."""
    if election.phase == Phase.VOTING:
        services.proof_workers_start()  # the voter reads the page; the checkers start
    response = render(
        request,
        "evote/cast.html",
        {
            "election": election,
            "conference": election.conference,
            "election_url": reverse("evote:election_json", args=[election.uuid]),
            "cast_url": reverse("evote:cast_json", args=[election.uuid]),
            "prepare_url": reverse("evote:prepare_json", args=[election.uuid]),
            "audit_url": reverse("evote:audit_json", args=[election.uuid]),
            "tracker_url": reverse("evote:tracker_json", args=[election.uuid]),
        },
    )
    # The card's QR code is read with the device camera on this page only.
    response["Permissions-Policy"] = (
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
    )
    return response


@public_election(READ_RATE_LIMIT)
def election_json(request: HttpRequest, election: Election) -> HttpResponse:
    """The election document the ballot is encrypted for, with the names and level labels."""
    if not election.height:
        return JsonResponse({"ok": False, "message": _("Cuộc bỏ phiếu chưa mở.")}, status=409)
    setup = services.election_setup(election)
    conference = election.conference
    positions = {c.key: c.printed_position for c in conference.candidacies.all()}
    return JsonResponse(
        {
            "ok": True,
            "election": setup.election.to_json(),
            "fingerprint": setup.election.fingerprint,
            "positions": positions,
            "levels": _level_labels(election.kind),
            "open": election.phase == Phase.VOTING and conference.status == Status.VOTING,
        }
    )


def _read_json(request: HttpRequest) -> object:
    if len(request.body) > MAX_BALLOT_BYTES:
        raise ServiceError("too_large", _("Phiếu quá lớn."))
    try:
        return loads(request.body)
    except FormatError:
        raise ServiceError("format", services.rejection_message("format")) from None


def _refused(e: ServiceError) -> JsonResponse:
    """A refused ballot or body: its reason code and Vietnamese message (409 when the
    box is not open, 400 otherwise)."""
    status = 409 if e.code == "closed" else 400
    return JsonResponse({"ok": False, "code": e.code, "message": e.message}, status=status)


@public_election(CAST_RATE_LIMIT, post=True)
def cast_json(request: HttpRequest, election: Election) -> HttpResponse:
    """Accept a signed ballot; the receipt ``{tracker, height, head}``."""
    try:
        receipt = services.ballot_cast(election=election, ballot=_read_json(request))
    except ServiceError as e:
        return _refused(e)
    return JsonResponse(
        {"ok": True, "tracker": receipt.tracker, "height": receipt.height, "head": receipt.head}
    )


@public_election(PREPARE_RATE_LIMIT, post=True)
def prepare_json(request: HttpRequest, election: Election) -> HttpResponse:
    """Check an unsigned body before the voter casts or audits it; ``{tracker}``.

    Sent by the device while the voter reads the tracker (decision 0019): the
    cast that follows is then accepted without checking the proofs again.
    """
    try:
        tracker = services.ballot_prepare(election=election, body=_read_json(request))
    except ServiceError as e:
        return _refused(e)
    return JsonResponse({"ok": True, "tracker": tracker})


@public_election(CAST_RATE_LIMIT, post=True)
def audit_json(request: HttpRequest, election: Election) -> HttpResponse:
    """Publish an audited ballot: ``{"ballot": body, "secrets": {"choices", "nonces"}}``."""
    try:
        height = services.ballot_spoil(election=election, opened=_read_json(request))
    except ServiceError as e:
        return _refused(e)
    return JsonResponse({"ok": True, "height": height})


@public_election(READ_RATE_LIMIT)
def hall(request: HttpRequest, election: Election) -> HttpResponse:
    """The hall screen: turnout, board height and head hash — never any choice."""
    return render(
        request,
        "evote/hall.html",
        {
            "election": election,
            "conference": election.conference,
            "status_url": reverse("evote:hall_json", args=[election.uuid]),
        },
    )


TRACKER = re.compile(r"[0-9a-f]{64}")


@public_election(READ_RATE_LIMIT)
def tracker_json(request: HttpRequest, election: Election) -> HttpResponse:
    """Whether a tracker is on the board, and whether it counts (``?t=<64 hex>``)."""
    tracker = "".join(request.GET.get("t", "").split()).lower()
    if not TRACKER.fullmatch(tracker):
        return JsonResponse(
            {"ok": False, "message": _("Mã theo dõi gồm 64 chữ số thập lục phân (0–9, a–f).")},
            status=400,
        )
    status = services.tracker_status(election, tracker)
    if status is None:
        message = _("Không có phiếu nào với mã theo dõi này trên bảng.")
    elif status.audited:
        message = _("Phiếu kiểm tra mã hóa (vị trí %(h)s): không được tính.") % {"h": status.height}
    elif status.replaced:
        message = _(
            "Phiếu ở vị trí %(h)s đã được thay bằng một phiếu bỏ sau của cùng thẻ: không được tính."
        ) % {"h": status.height}
    else:
        message = _("Phiếu ở vị trí %(h)s có trên bảng và được tính.") % {"h": status.height}
    return JsonResponse(
        {
            "ok": True,
            "found": status is not None,
            "counted": bool(status and status.counted),
            "message": message,
        }
    )


def hall_status(election: Election) -> dict[str, Any]:
    """What the hall screen shows (counts and hashes only)."""
    return {
        "phase": election.phase,
        "phase_label": str(Phase(election.phase).label),
        "height": election.height,
        "head": election.head,
        "ballots": election.ballots,
        "voters": election.voters,
        "active_cards": election.active_cards,
        "election_hash": election.election_hash,
        "closing_head": election.closing_head,
    }


@public_election(READ_RATE_LIMIT)
def hall_json(request: HttpRequest, election: Election) -> HttpResponse:
    return JsonResponse(hall_status(election))
