"""The audit log page (nhật ký kiểm tra), for administrators, organisers and
supervisors.

Newest entries first, 50 a page, filtered by action (a prefix: ``entry``
finds ``entry.create``, ``entry.update`` and ``entry.delete``), actor, object
type (a prefix too), date range and conference; each entry shows who, when,
what and its summary, and its state before and after on demand. The status
of the whole hash chain (``verify_chain``) is at the top: the whole chain
is verified at most ``FULL_CHECK_EVERY`` apart (or when asked, ``?full=1``),
and on every view the entries written since (a million entries take about
15 s to verify, a few new ones milliseconds). A problem found in the part is
confirmed by verifying the whole chain at once. ``tinnhiem audit verify``
always verifies everything.

Administrators and organisers read everything; a supervisor reads the entries
about the conferences they supervise (``permissions.audit_scope``). Reading
the log is itself a confidential read: each page view appends an
``audit.view`` entry naming the filters and the page.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinnhiem.common.audit import ChainProblem, audit, verify_chain
from tinnhiem.common.models import AuditEntry, AuditHead
from tinnhiem.common.permissions import audit_scope, signed_in_view

PAGE_SIZE = 50
FULL_CHECK_EVERY = timedelta(minutes=5)
CHAIN_CACHE_KEY = "tinnhiem:audit:verified"

# Objects that belong to one conference: the audit entries about them are
# that conference's. Model label -> the field holding the conference's id.
CONFERENCE_OBJECTS = {
    "conferences.conference": "pk",
    "conferences.candidacy": "conference_id",
    "conferences.voter": "conference_id",
    "conferences.committeemember": "conference_id",
    "conferences.supervisor": "conference_id",
    "counting.ballotentry": "conference_id",
    "counting.entrylogentry": "conference_id",
    "counting.resolution": "conference_id",
    "counting.confirmedresult": "conference_id",
    "counting.ballotprint": "conference_id",
}

REASONS = {
    "missing entry": gettext_lazy("thiếu mục"),
    "previous hash does not match": gettext_lazy("mã băm của mục trước không khớp"),
    "content does not match its hash": gettext_lazy("nội dung không khớp mã băm"),
    "entries after this one are missing": gettext_lazy("thiếu các mục từ đây về sau"),
}


def _conference_model() -> Any:
    return apps.get_model("conferences", "Conference")


def conference_filter(conference_ids: list[int]) -> Q:
    """The entries about any of these conferences or anything of theirs.

    An entry about an object since deleted (a removed candidacy, a deleted
    ballot entry) cannot be traced to its conference any more; the entries
    that removed it name the conference itself, so they are included."""
    q = Q(pk__in=[])
    for label, field in CONFERENCE_OBJECTS.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # pragma: no cover - every app is installed
            continue
        ids = (
            model._default_manager.filter(**{f"{field}__in": conference_ids})
            .annotate(_audit_object_id=Cast("pk", CharField()))
            .values("_audit_object_id")
        )
        q |= Q(object_type=label, object_id__in=ids)
    return q


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=gettext_lazy("Hành động"), max_length=64, required=False)
    actor = forms.CharField(label=gettext_lazy("Người thực hiện"), max_length=150, required=False)
    object_type = forms.CharField(
        label=gettext_lazy("Loại đối tượng"), max_length=64, required=False
    )
    date_from = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    conference = forms.TypedChoiceField(
        label=gettext_lazy("Hội nghị"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, conferences: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["conference"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Tất cả"))] + [(pk, title) for pk, title in conferences]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("Ngày kết thúc trước ngày bắt đầu."))
        return data


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_entries(data: dict[str, Any], scope: list[int] | None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if scope is not None:
        qs = qs.filter(conference_filter(scope))
    if data.get("conference"):
        qs = qs.filter(conference_filter([data["conference"]]))
    if data.get("action"):
        qs = qs.filter(action__startswith=data["action"].strip())
    if data.get("actor"):
        qs = qs.filter(actor_name__icontains=data["actor"].strip())
    if data.get("object_type"):
        qs = qs.filter(object_type__startswith=data["object_type"].strip().lower())
    if data.get("date_from"):
        qs = qs.filter(at__gte=_start_of(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    return qs.order_by("-seq")


def chain_status(full: bool = False) -> tuple[ChainProblem | None, datetime]:
    """The chain's first problem (None: intact) and when the whole chain was
    last verified. Verifies the whole chain when ``full``, when it has not been
    for ``FULL_CHECK_EVERY``, or when the entries since show a problem;
    otherwise only those entries."""
    now = timezone.now()
    head = AuditHead.objects.filter(pk=1).first()  # read first: verified below
    known = cache.get(CHAIN_CACHE_KEY)
    problem: ChainProblem | None
    if not full and known is not None and now - known["full_at"] < FULL_CHECK_EVERY:
        full_at = known["full_at"]
        problem = verify_chain(after=(known["seq"], known["hash"]))
        if problem is not None:
            problem, full_at = verify_chain(), now
    else:
        problem, full_at = verify_chain(), now
    if problem is None and head is not None:
        cache.set(
            CHAIN_CACHE_KEY,
            {"seq": head.last_seq, "hash": head.last_hash, "full_at": full_at},
            None,
        )
    elif problem is not None:
        cache.delete(CHAIN_CACHE_KEY)
    return problem, full_at


def _pretty(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


def _described(data: dict[str, Any]) -> dict[str, Any]:
    """The filters used, as JSON values (for the audit.view entry)."""
    return {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in data.items()
        if v not in (None, "")
    }


@signed_in_view("audit.read")
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = audit_scope(request.user)  # PermissionDenied for anyone else
    conference_model = _conference_model()
    conferences = conference_model.objects.order_by("-date", "title")
    if scope is not None:
        conferences = conferences.filter(pk__in=scope)
    choices = [(c.pk, f"{c.title} ({c.date:%d/%m/%Y})") for c in conferences]
    form = AuditFilterForm(request.GET or None, conferences=choices)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page_number = request.GET.get("page") or 1
    filters = _described(data)

    audit(
        actor=request.user,
        action="audit.view",
        summary="; ".join(f"{k}={v}" for k, v in filters.items())[:300],
        after={"filters": filters, "page": str(page_number)},
    )

    problem, full_at = chain_status(full=request.GET.get("full") == "1")
    head = AuditHead.objects.filter(pk=1).first()
    paginator = Paginator(filtered_entries(data, scope), PAGE_SIZE)
    page = paginator.get_page(page_number)
    rows = [(e, _pretty(e.before), _pretty(e.after)) for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("full", None)
    return render(
        request,
        "common/audit.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "problem": problem,
            "problem_reason": REASONS.get(problem.reason, problem.reason) if problem else "",
            "head": head,
            "full_at": full_at,
            "scoped": scope is not None,
        },
    )
