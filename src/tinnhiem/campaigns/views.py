"""Pages of a vote round: the list, one round with its agencies and officials,
the import of a conference record, and the round's confirmed results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinnhiem.campaigns import services
from tinnhiem.campaigns.forms import (
    AgencyForm,
    BlockForm,
    GrantForm,
    ImportRecordForm,
    OfficialForm,
    RoundForm,
    errors_text,
)
from tinnhiem.campaigns.models import VoteRound
from tinnhiem.campaigns.selectors import (
    OFFICIALS_PER_PAGE,
    official_rows,
    officials_query,
    round_blocks,
    round_overview,
    round_results_fingerprint,
    round_results_view,
)
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import (
    ORGANISER,
    is_organiser,
    organised_round_ids,
    round_view,
    signed_in_view,
)
from tinnhiem.counting.services import record_import
from tinnhiem.record import RecordError, loads_record
from tinnhiem.rules import Band

# How a person's class is decided in the round statistics (profile parameter).
CLASSIFICATION_LABELS = {
    "plurality": gettext_lazy("mức có nhiều phiếu nhất"),
    "high_majority": gettext_lazy("mức được quá nửa số phiếu"),
}


@signed_in_view("round.list")
def home(request: HttpRequest) -> HttpResponse:
    """The list of vote rounds and, for an organiser, the form of a new one."""
    return _home(request, RoundForm())


def _home(request: HttpRequest, form: RoundForm) -> HttpResponse:
    return render(
        request,
        "campaigns/home.html",
        {
            "rounds": VoteRound.objects.all(),
            "form": form,
            "can_edit": is_organiser(request.user) or bool(organised_round_ids(request.user)),
        },
    )


@require_POST
@signed_in_view("round.create")
def round_create(request: HttpRequest) -> HttpResponse:
    """Create a round; whoever creates it organises it (a grant, unless they
    organise every round already)."""
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            vote_round = services.round_create(acting_user=request.user, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Đã tạo kế hoạch %(n)s.") % {"n": vote_round.number})
            return redirect("campaigns:round", pk=vote_round.pk)
    return _home(request, form)


def _round_crumbs(vote_round: VoteRound) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), reverse("campaigns:home")),
        (vote_round.number, reverse("campaigns:round", args=[vote_round.pk])),
    ]


@round_view("round.read")
def round_detail(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """The round: its conferences, a summary of its blocks, links to the rest."""
    return render(
        request,
        "campaigns/round.html",
        {
            "round": vote_round,
            "o": round_overview(vote_round, request.user),
            "can_edit": ORGANISER in roles,
            "breadcrumbs": [(_("Kế hoạch"), reverse("campaigns:home"))],
        },
    )


@round_view("round.read")
def organisation(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """Khối, cơ quan, đơn vị of the round, and (for the organiser) the forms
    that add them. ``POST`` adds an agency (``round.manage``)."""
    if request.method == "POST":
        if ORGANISER not in roles:
            raise PermissionDenied
        return _agency_add(request, vote_round)
    return render(
        request,
        "campaigns/organisation.html",
        {
            "round": vote_round,
            "blocks": round_blocks(vote_round),
            "can_edit": ORGANISER in roles,
            "block_form": BlockForm(auto_id="block_%s"),
            "agency_form": AgencyForm(vote_round=vote_round, auto_id="agency_%s"),
            "breadcrumbs": _round_crumbs(vote_round),
        },
    )


@round_view("round.read")
def officials(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """Cán bộ thuộc đối tượng lấy phiếu: paginated, searchable, with each one's
    eligibility by the rules core and places. ``POST`` adds an official
    (``round.manage``)."""
    if request.method == "POST":
        if ORGANISER not in roles:
            raise PermissionDenied
        return _official_add(request, vote_round)
    search = request.GET.get("q", "")[:100]
    agency_id: int | None = None
    agency_param = request.GET.get("co_quan", "")
    if agency_param.isdigit():
        agency_id = int(agency_param)
    paginator = Paginator(
        officials_query(vote_round, search=search, agency_id=agency_id), OFFICIALS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    organiser = ORGANISER in roles
    return render(
        request,
        "campaigns/officials.html",
        {
            "round": vote_round,
            "page": page,
            "rows": official_rows(vote_round, list(page.object_list)),
            "search": search,
            "agency_id": agency_id,
            "agencies": vote_round.agencies.order_by("order", "id").values_list("pk", "name"),
            "query": query.urlencode(),
            "can_edit": organiser,
            "official_form": (
                OfficialForm(vote_round=vote_round, auto_id="official_%s") if organiser else None
            ),
            "breadcrumbs": _round_crumbs(vote_round),
        },
    )


_BACK = {"to-chuc": "campaigns:organisation", "can-bo": "campaigns:officials"}


def _back(vote_round: VoteRound, anchor: str) -> HttpResponse:
    """Back to the page the form came from."""
    return redirect(reverse(_BACK[anchor], args=[vote_round.pk]))


@round_view("round.manage")
def block_add(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    form = BlockForm(request.POST)
    if request.method == "POST" and form.is_valid():
        try:
            services.block_create(
                acting_user=request.user,
                vote_round=vote_round,
                name=form.cleaned_data["name"],
                order=vote_round.blocks.count() + 1,
            )
            messages.success(request, _("Đã thêm khối."))
        except ServiceError as e:
            messages.error(request, e.message)
    else:
        messages.error(request, _("Tên khối không hợp lệ."))
    return _back(vote_round, "to-chuc")


def _agency_add(request: HttpRequest, vote_round: VoteRound) -> HttpResponse:
    form = AgencyForm(request.POST, vote_round=vote_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_create(
                acting_user=request.user,
                block=form.cleaned_data["block"],
                name=form.cleaned_data["name"],
                order=vote_round.agencies.count() + 1,
            )
            messages.success(request, _("Đã thêm cơ quan, đơn vị."))
        except ServiceError as e:
            messages.error(request, e.message)
    else:
        messages.error(
            request,
            _("Thông tin cơ quan, đơn vị không hợp lệ: %(e)s") % {"e": errors_text(form)},
        )
    return _back(vote_round, "to-chuc")


def _official_add(request: HttpRequest, vote_round: VoteRound) -> HttpResponse:
    form = OfficialForm(request.POST, vote_round=vote_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_create(acting_user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Đã thêm cán bộ %(n)s.") % {"n": form.cleaned_data["full_name"]}
            )
        except ServiceError as e:
            messages.error(request, e.message)
    else:
        messages.error(
            request, _("Thông tin cán bộ không hợp lệ: %(e)s") % {"e": errors_text(form)}
        )
    return _back(vote_round, "can-bo")


@round_view("round.manage")
def record_import_view(
    request: HttpRequest, vote_round: VoteRound, roles: set[str]
) -> HttpResponse:
    form = ImportRecordForm(request.POST or None, request.FILES or None, vote_round=vote_round)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            record = loads_record(text)
            conference = record_import(
                acting_user=request.user, agency=form.cleaned_data["agency"], record=record
            )
        except UnicodeDecodeError:
            messages.error(request, _("Tệp %(f)s không phải văn bản UTF-8.") % {"f": upload.name})
        except RecordError as e:
            messages.error(
                request, _("Tệp %(f)s: %(e)s") % {"f": upload.name, "e": e.message("vi")}
            )
        except ServiceError as e:
            messages.error(request, _("Tệp %(f)s: %(e)s") % {"f": upload.name, "e": e.message})
        else:
            messages.success(
                request,
                _("Đã nhập hồ sơ: %(t)s. Trưởng Ban kiểm phiếu xem và xác nhận kết quả.")
                % {"t": conference.title},
            )
            return redirect("counting:results", pk=conference.pk)
    elif request.method == "POST":
        messages.error(request, _("Hãy chọn cơ quan và tệp hồ sơ."))
    return render(
        request,
        "campaigns/record_import.html",
        {"round": vote_round, "form": form, "breadcrumbs": _round_crumbs(vote_round)},
    )


@round_view("round.results")
def round_results(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """Kết quả toàn đợt (Mật): every view is audited. The page's body is built
    from the frozen results once per state of the round (its fingerprint: the
    current results and the officials), then kept in this process's memory."""
    audit(
        actor=request.user, action="round.results_view", obj=vote_round, summary=vote_round.number
    )
    fingerprint = round_results_fingerprint(vote_round)
    key = f"round-results:{vote_round.pk}:{fingerprint}:{get_language()}"
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "campaigns/_round_results_body.html", _round_results_context(vote_round), request
        )
        cache.set(key, body, ROUND_RESULTS_CACHE_SECONDS)
    return render(
        request,
        "campaigns/round_results.html",
        {
            "round": vote_round,
            "body": body,
            "breadcrumbs": [
                (_("Kế hoạch"), reverse("campaigns:home")),
                (vote_round.number, reverse("campaigns:round", args=[vote_round.pk])),
            ],
        },
    )


ROUND_RESULTS_CACHE_SECONDS = 600


def _round_results_context(vote_round: VoteRound) -> dict[str, Any]:
    view = round_results_view(vote_round)
    two_places = [
        (
            official,
            [
                {
                    "conference": p.conference,
                    "counts": p.row["counts"],
                    "low_percent": str(p.row["percent"].get("thap", "")).replace(".", ","),
                    "band": p.row["band"],
                    "band_label": Band(p.row["band"]).label_vi,
                }
                for p in places
            ],
        )
        for official, places in view.two_places
    ]
    return {
        "round": vote_round,
        "v": view,
        "two_places": two_places,
        "classification": CLASSIFICATION_LABELS.get(
            view.statistics.classification if view.statistics else "", ""
        ),
    }


def _download(d: Any) -> HttpResponse:
    response = HttpResponse(d.content, content_type=d.content_type)
    response["Content-Disposition"] = f'attachment; filename="{d.filename}"'
    return response


@round_view("round.manage")
def officials_import_view(
    request: HttpRequest, vote_round: VoteRound, roles: set[str]
) -> HttpResponse:
    """Nhập danh sách cán bộ từ XLSX/CSV: xem trước, rồi xác nhận."""
    from tinnhiem.campaigns.imports import officials_import_apply, officials_import_preview
    from tinnhiem.common.import_views import handle_import

    return handle_import(
        request,
        title=_("Nhập danh sách cán bộ"),
        back_url=reverse("campaigns:officials", args=[vote_round.pk]),
        preview_fn=officials_import_preview,
        apply_fn=officials_import_apply,
        preview_kwargs={"vote_round": vote_round},
        apply_kwargs={"vote_round": vote_round},
        template_url=reverse("campaigns:officials_template"),
        allow_create_missing=True,
        done_message=lambda r: (
            _("Đã nhập %(n)s cán bộ, %(a)s cơ quan mới, %(b)s khối mới.")
            % {"n": r.counts["officials"], "a": r.counts["agencies"], "b": r.counts["blocks"]}
        ),
    )


@signed_in_view("templates.download")
def officials_template_view(request: HttpRequest) -> HttpResponse:
    from tinnhiem.campaigns.imports import officials_template

    return _download(officials_template())


@round_view("round.manage")
def officials_export_view(
    request: HttpRequest, vote_round: VoteRound, roles: set[str], fmt: str
) -> HttpResponse:
    from tinnhiem.campaigns.imports import officials_export

    if fmt not in ("xlsx", "csv"):
        raise Http404
    return _download(officials_export(vote_round=vote_round, fmt=fmt))


@round_view("round.grants")
def grants(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    """Phân quyền of the round: who organises it, which office prepares which
    agency's conference. ``POST`` gives a role, or takes one back (``remove``)."""
    form = GrantForm(request.POST or None, vote_round=vote_round)
    if request.method == "POST":
        if "remove" in request.POST:
            grant = get_object_or_404(vote_round.grants, pk=request.POST.get("remove"))
            services.grant_remove(acting_user=request.user, grant=grant)
            messages.success(request, _("Đã thu hồi vai trò."))
            return redirect("campaigns:grants", pk=vote_round.pk)
        if form.is_valid():
            try:
                services.grant_add(
                    acting_user=request.user,
                    vote_round=vote_round,
                    kind=form.cleaned_data["kind"],
                    username=form.cleaned_data["username"],
                    agency=form.cleaned_data["agency"],
                )
            except ServiceError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Đã phân quyền."))
                return redirect("campaigns:grants", pk=vote_round.pk)
    return render(
        request,
        "campaigns/grants.html",
        {
            "round": vote_round,
            "grants": vote_round.grants.select_related("user", "agency").order_by(
                "kind", "agency__order", "user__username"
            ),
            "form": form,
            "breadcrumbs": _round_crumbs(vote_round),
        },
    )
