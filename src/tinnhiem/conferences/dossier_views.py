"""Pages of the timeline before the vote: one conference's deadlines and each
person's dossier and written questions, and the round's dashboard of what is
due and overdue. Dates and statuses come from :mod:`tinnhiem.conferences.dossiers`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tinnhiem.campaigns.forms import errors_text
from tinnhiem.campaigns.models import VoteRound
from tinnhiem.campaigns.selectors import visible_conferences
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.permissions import (
    PREPARERS,
    conference_view,
    round_view,
)
from tinnhiem.conferences import dossiers
from tinnhiem.conferences.models import (
    Candidacy,
    Conference,
    DossierKind,
    WrittenQuestion,
)

MAX_WITHIN_DAYS = 90


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class CandidacyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.order}. {obj.official.full_name}"


class DossierItemForm(forms.Form):
    candidacy = CandidacyChoiceField(
        label=gettext_lazy("Người được lấy phiếu"), queryset=Candidacy.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại hồ sơ"), choices=DossierKind.choices)
    received_on = forms.DateField(label=gettext_lazy("Ngày nhận"), widget=_date_input())
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidacy"].queryset = conference.candidacies.select_related("official")  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    candidacy = CandidacyChoiceField(
        label=gettext_lazy("Người được lấy phiếu"), queryset=Candidacy.objects.none()
    )
    asked_by = forms.CharField(
        label=gettext_lazy("Người ghi phiếu hoặc cấp có thẩm quyền đặt yêu cầu"), max_length=250
    )
    received_on = forms.DateField(label=gettext_lazy("Ngày nhận yêu cầu"), widget=_date_input())
    text = forms.CharField(
        label=gettext_lazy("Nội dung cần làm rõ"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidacy"].queryset = conference.candidacies.select_related("official")  # type: ignore[attr-defined]


class ForwardForm(forms.Form):
    forwarded_on = forms.DateField(label=gettext_lazy("Ngày gửi"), widget=_date_input())


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=gettext_lazy("Ngày nhận giải trình"), widget=_date_input())
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=2000)


class AsOfForm(forms.Form):
    """``?ngay=2023-06-20&trong=10``: look at the timeline as on another day."""

    ngay = forms.DateField(
        label=gettext_lazy("Tính đến ngày"), required=False, widget=_date_input()
    )
    trong = forms.IntegerField(
        label=gettext_lazy("Sắp đến hạn trong (ngày)"),
        required=False,
        min_value=0,
        max_value=MAX_WITHIN_DAYS,
    )


def _as_of(request: HttpRequest) -> tuple[AsOfForm, date, int]:
    form = AsOfForm(request.GET or None)
    today = timezone.localdate()
    within = dossiers.DUE_SOON_DAYS
    if form.is_bound and form.is_valid():
        today = form.cleaned_data["ngay"] or today
        if form.cleaned_data["trong"] is not None:
            within = form.cleaned_data["trong"]
    return form, today, within


def _crumbs(conference: Conference) -> list[tuple[str, str]]:
    return [
        (_("Kế hoạch"), reverse("campaigns:home")),
        (conference.round.number, reverse("campaigns:round", args=[conference.round_id])),
        (conference.title, reverse("conferences:detail", args=[conference.pk])),
    ]


def _back(conference: Conference, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("conferences:timeline", args=[conference.pk]) + (f"#{anchor}" if anchor else "")
    )


def _run(request: HttpRequest, action: Any, ok: str, **kwargs: Any) -> None:
    try:
        action(acting_user=request.user, **kwargs)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, ok)


@conference_view("conference.read")
def timeline(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    as_of, today, _within = _as_of(request)
    view = dossiers.conference_timeline(conference, today)
    organiser = bool(roles & PREPARERS)
    return render(
        request,
        "conferences/timeline.html",
        {
            "c": conference,
            "t": view,
            "as_of": as_of,
            "is_today": today == timezone.localdate(),
            "is_organiser": organiser,
            "dossier_form": DossierItemForm(conference=conference, auto_id="dossier_%s")
            if organiser
            else None,
            "question_form": QuestionForm(conference=conference, auto_id="question_%s")
            if organiser
            else None,
            "breadcrumbs": _crumbs(conference),
        },
    )


@require_POST
@conference_view("conference.prepare")
def dossier_item_add(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    form = DossierItemForm(request.POST, conference=conference)
    if not form.is_valid():
        messages.error(request, _("Thông tin hồ sơ chưa hợp lệ: %(e)s") % {"e": errors_text(form)})
        return _back(conference, "ghi-ho-so")
    candidacy = form.cleaned_data["candidacy"]
    _run(
        request,
        dossiers.dossier_item_record,
        _("Đã ghi nhận hồ sơ của %(n)s.") % {"n": candidacy.official.full_name},
        **form.cleaned_data,
    )
    return _back(conference, f"nguoi-{candidacy.pk}")


@require_POST
@conference_view("conference.prepare")
def question_add(request: HttpRequest, conference: Conference, roles: set[str]) -> HttpResponse:
    form = QuestionForm(request.POST, conference=conference)
    if not form.is_valid():
        messages.error(
            request, _("Thông tin yêu cầu làm rõ chưa hợp lệ: %(e)s") % {"e": errors_text(form)}
        )
        return _back(conference, "ghi-yeu-cau")
    candidacy = form.cleaned_data["candidacy"]
    _run(
        request,
        dossiers.question_record,
        _("Đã ghi nhận yêu cầu làm rõ đối với %(n)s.") % {"n": candidacy.official.full_name},
        **form.cleaned_data,
    )
    return _back(conference, f"nguoi-{candidacy.pk}")


@require_POST
@conference_view("conference.prepare")
def question_forward(
    request: HttpRequest, conference: Conference, roles: set[str], question_pk: int
) -> HttpResponse:
    question = get_object_or_404(
        WrittenQuestion.objects.select_related("candidacy__official"),
        pk=question_pk,
        candidacy__conference=conference,
    )
    form = ForwardForm(request.POST)
    if form.is_valid():
        _run(
            request,
            dossiers.question_forward,
            _("Đã ghi ngày gửi yêu cầu cho người được lấy phiếu."),
            question=question,
            forwarded_on=form.cleaned_data["forwarded_on"],
        )
    else:
        messages.error(request, _("Hãy chọn ngày gửi."))
    return _back(conference, f"nguoi-{question.candidacy_id}")


@require_POST
@conference_view("conference.prepare")
def question_answer(
    request: HttpRequest, conference: Conference, roles: set[str], question_pk: int
) -> HttpResponse:
    question = get_object_or_404(
        WrittenQuestion.objects.select_related("candidacy__official"),
        pk=question_pk,
        candidacy__conference=conference,
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        _run(
            request,
            dossiers.question_answer,
            _("Đã ghi nhận báo cáo giải trình."),
            question=question,
            answered_on=form.cleaned_data["answered_on"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, _("Hãy chọn ngày nhận giải trình."))
    return _back(conference, f"nguoi-{question.candidacy_id}")


@round_view("round.deadlines", kwarg="round_pk")
def dashboard(request: HttpRequest, vote_round: VoteRound, roles: set[str]) -> HttpResponse:
    # Those the user may open, as on the round page (None: every one).
    mine, hidden = visible_conferences(vote_round, request.user)
    visible = None if not hidden else mine
    as_of, today, within = _as_of(request)
    view = dossiers.round_dashboard(vote_round, today, within_days=within, conferences=visible)
    return render(
        request,
        "conferences/dashboard.html",
        {
            "round": vote_round,
            "d": view,
            "as_of": as_of,
            "is_today": today == timezone.localdate(),
            "breadcrumbs": [
                (_("Kế hoạch"), reverse("campaigns:home")),
                (vote_round.number, reverse("campaigns:round", args=[vote_round.pk])),
            ],
        },
    )
