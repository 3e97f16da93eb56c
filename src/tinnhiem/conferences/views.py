"""Pages of one conference: setup, check-in with live counts, the quorum gate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinnhiem.campaigns.forms import errors_text
from tinnhiem.campaigns.models import Official, VoteRound
from tinnhiem.campaigns.selectors import officials_query
from tinnhiem.campaigns.services import round_profile
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import (
    HEAD,
    ORGANISER,
    PREPARERS,
    conference_view,
    round_view,
    signed_in_view,
)
from tinnhiem.conferences import services
from tinnhiem.conferences.forms import CommitteeForm, ConferenceForm, OpenVotingForm, VotersForm
from tinnhiem.conferences.models import CommitteeRole, Conference, Status
from tinnhiem.conferences.selectors import (
    AttendanceCounts,
    attendance_counts,
    official_facts,
)
from tinnhiem.rules import check_quorum, decide_eligibility

# Officials shown for a search on the page of a conference being prepared.
OFFICIALS_SEARCH_LIMIT = 50

STEPS = [Status.PREPARING, Status.CHECKIN, Status.VOTING, Status.COUNTING, Status.CONFIRMED]


def _crumbs(conference: Conference) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), reverse("campaigns:home")),
        (conference.round.number, reverse("campaigns:round", args=[conference.round_id])),
    ]


def _steps(conference: Conference) -> list[tuple[str, str]]:
    now = STEPS.index(Status(conference.status))
    return [
        (str(s.label), "now" if i == now else ("done" if i < now else ""))
        for i, s in enumerate(STEPS)
    ]


@round_view("round.manage", kwarg="round_pk")
def conference_create_view(
    request: HttpRequest, vote_round: VoteRound, roles: set[str]
) -> HttpResponse:
    """The form that creates a conference of the round; errors are shown beside
    their fields and nothing is lost of what was typed."""
    form = ConferenceForm(request.POST or None, vote_round=vote_round)
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_create(
                acting_user=request.user, vote_round=vote_round, **form.cleaned_data
            )
        except ServiceError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Đã tạo hội nghị."))
            return redirect("conferences:detail", pk=conference.pk)
    elif request.method == "POST":
        messages.error(request, _("Thông tin hội nghị chưa đủ: %(e)s") % {"e": errors_text(form)})
    return render(
        request,
        "conferences/create.html",
        {
            "round": vote_round,
            "form": form,
            "breadcrumbs": [
                (_("Kế hoạch"), reverse("campaigns:home")),
                (vote_round.number, reverse("campaigns:round", args=[vote_round.pk])),
            ],
        },
    )


@conference_view("conference.read")
def detail(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    candidacies = list(conference.candidacies.select_related("official", "official__agency"))
    on_ballot = {c.official_id for c in candidacies}
    officials = []
    search = request.GET.get("q", "")[:100].strip()
    if ORGANISER in roles and conference.status == Status.PREPARING:
        # The conference's own agency by default; a search reaches the rest of
        # the round (a province has a thousand officials: not one form each).
        if search:
            candidates = officials_query(conference.round, search=search)[:OFFICIALS_SEARCH_LIMIT]
        else:
            candidates = officials_query(conference.round, agency_id=conference.agency_id)
        profile = round_profile(conference.round)
        for o in candidates:
            if o.pk not in on_ballot:
                officials.append(
                    (o, decide_eligibility(official_facts(o), profile, conference.date))
                )
    return render(
        request,
        "conferences/detail.html",
        {
            "c": conference,
            "roles": roles,
            "candidacies": candidacies,
            "officials": officials,
            "search": search,
            "search_limit": OFFICIALS_SEARCH_LIMIT,
            "voters": conference.voters.all(),
            "committee": conference.committee.select_related("voter", "user"),
            "counts": attendance_counts(conference),
            "printed": sum(p.count for p in conference.ballot_prints.all()),
            "voters_form": VotersForm(),
            "committee_form": CommitteeForm(
                conference=conference,
                # Once the head is elected, the next ones are members.
                initial={"role": CommitteeRole.MEMBER}
                if conference.committee.filter(role=CommitteeRole.HEAD).exists()
                else None,
            ),
            "steps": _steps(conference),
            "breadcrumbs": _crumbs(conference),
            "is_organiser": ORGANISER in roles,
            "can_prepare": bool(roles & PREPARERS),
            "is_head": HEAD in roles,
        },
    )


def _done(request: HttpRequest, conference: Conference, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("conferences:detail", args=[conference.pk]) + (f"#{anchor}" if anchor else "")
    )


def _run(request: HttpRequest, action: Any, ok: str, **kwargs: Any) -> bool:
    try:
        action(acting_user=request.user, **kwargs)
    except ServiceError as e:
        messages.error(request, e.message)
        return False
    messages.success(request, ok)
    return True


@require_POST
@conference_view("conference.ballot_list")
def candidate_add(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    official = get_object_or_404(Official, pk=request.POST.get("official"), round=conference.round)
    _run(
        request,
        services.candidacy_add,
        _("Đã thêm %(n)s vào phiếu.") % {"n": official.full_name},
        conference=conference,
        official=official,
        printed_position=request.POST.get("printed_position", ""),
    )
    return _done(request, conference, "phieu")


@require_POST
@conference_view("conference.ballot_list")
def candidate_remove(
    request: HttpRequest, conference: Conference, roles: set[str], cand_pk: int
) -> HttpResponse:
    candidacy = get_object_or_404(conference.candidacies, pk=cand_pk)
    _run(request, services.candidacy_remove, _("Đã bỏ khỏi phiếu."), candidacy=candidacy)
    return _done(request, conference, "phieu")


@require_POST
@conference_view("conference.prepare")
def voters_add(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    form = VotersForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.voters_add_many,
            _("Đã thêm thành phần ghi phiếu."),
            conference=conference,
            lines=form.cleaned_data["lines"],
        )
    else:
        messages.error(request, _("Hãy nhập ít nhất một người."))
    return _done(request, conference, "thanh-phan")


@require_POST
@conference_view("conference.prepare")
def committee_add(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    form = CommitteeForm(request.POST, conference=conference)
    if form.is_valid():
        _run(
            request,
            services.committee_member_add,
            _("Đã thêm vào Ban kiểm phiếu."),
            conference=conference,
            **form.cleaned_data,
        )
    else:
        messages.error(
            request, _("Thông tin Ban kiểm phiếu chưa hợp lệ: %(e)s") % {"e": errors_text(form)}
        )
    return _done(request, conference, "ban-kiem-phieu")


@require_POST
@conference_view("conference.prepare")
def open_checkin(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    if _run(request, services.checkin_open, _("Đã mở điểm danh."), conference=conference):
        return redirect("conferences:checkin", pk=conference.pk)
    return _done(request, conference)


@conference_view("conference.read")
def checkin(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    counts = attendance_counts(conference)
    return render(
        request,
        "conferences/checkin.html",
        {
            "c": conference,
            "voters": conference.voters.all(),
            "counts": counts,
            "quorum_required": _quorum_required(conference, counts),
            "open_form": OpenVotingForm(initial={"ballots_issued": counts.present_at_voting}),
            "can_edit": bool(roles & PREPARERS) and conference.status == Status.CHECKIN,
            "steps": _steps(conference),
            "breadcrumbs": [
                *_crumbs(conference),
                (conference.title, reverse("conferences:detail", args=[conference.pk])),
            ],
        },
    )


@require_POST
@conference_view("conference.prepare")
def attendance(
    request: HttpRequest, conference: Conference, roles: set[str], voter_pk: int
) -> HttpResponse:
    voter = get_object_or_404(conference.voters, pk=voter_pk)
    try:
        services.voter_set_attendance(
            acting_user=request.user, voter=voter, attendance=request.POST.get("attendance", "")
        )
    except ServiceError as e:
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"error": e.message, "code": e.code}, status=409)
        messages.error(request, e.message)
    if request.headers.get("Accept") == "application/json":
        voter.refresh_from_db()
        return JsonResponse(
            {"voter": voter.pk, "attendance": voter.attendance, **_counts(conference)}
        )
    return redirect("conferences:checkin", pk=conference.pk)


def _quorum_required(conference: Conference, counts: AttendanceCounts) -> int:
    """How many must be present for balloting to open, under the round's profile."""
    return check_quorum(
        summoned=counts.summoned,
        present=counts.present_at_voting,
        params=round_profile(conference.round).params,
        members_total=conference.members_total,
    ).required


def _counts(conference: Conference) -> dict[str, int]:
    c = attendance_counts(conference)
    return {
        "summoned": c.summoned,
        "present_at_conference": c.present_at_conference,
        "absent_before_voting": c.absent_before_voting,
        "present_at_voting": c.present_at_voting,
        "not_arrived": c.not_arrived,
        "quorum_required": _quorum_required(conference, c),
    }


@conference_view("conference.read")
def counts_json(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    return JsonResponse({"status": conference.status, **_counts(conference)})


@require_POST
@conference_view("conference.prepare")
def open_voting(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    form = OpenVotingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Số phiếu phát ra không hợp lệ."))
        return redirect("conferences:checkin", pk=conference.pk)
    if _run(
        request,
        services.voting_open,
        _("Đủ điều kiện: đã mở bỏ phiếu."),
        conference=conference,
        ballots_issued=form.cleaned_data["ballots_issued"],
    ):
        return _done(request, conference)
    return redirect("conferences:checkin", pk=conference.pk)


@require_POST
@conference_view("conference.close_voting")
def close_voting(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    _run(
        request,
        services.voting_close,
        _("Đã kết thúc bỏ phiếu; bắt đầu kiểm phiếu."),
        conference=conference,
    )
    return _done(request, conference)


@conference_view("conference.prepare")
def voters_import_view(
    request: HttpRequest, conference: Conference, roles: set[str]
) -> HttpResponse:
    """Nhập thành phần ghi phiếu từ XLSX/CSV: xem trước, rồi xác nhận."""
    from tinnhiem.common.import_views import handle_import
    from tinnhiem.conferences.imports import voters_import_apply, voters_import_preview

    return handle_import(
        request,
        title=_("Nhập thành phần ghi phiếu"),
        back_url=reverse("conferences:detail", args=[conference.pk]) + "#thanh-phan",
        preview_fn=voters_import_preview,
        apply_fn=voters_import_apply,
        preview_kwargs={"conference": conference},
        apply_kwargs={"conference": conference},
        template_url=reverse("conferences:voters_template"),
        done_message=lambda r: _("Đã nhập %(n)s người ghi phiếu.") % {"n": len(r.voters)},
    )


@signed_in_view("templates.download")
def voters_template_view(request: HttpRequest) -> HttpResponse:
    from tinnhiem.conferences.imports import voters_template

    d = voters_template()
    response = HttpResponse(d.content, content_type=d.content_type)
    response["Content-Disposition"] = f'attachment; filename="{d.filename}"'
    return response
