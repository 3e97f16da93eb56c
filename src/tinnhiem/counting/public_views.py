"""Results the law makes public, and each person's own result."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tinnhiem.common.audit import audit
from tinnhiem.common.permissions import public_view, signed_in_view
from tinnhiem.counting.disclosure import own_results, public_results
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.rules import Band, VoteKind


@public_view("public.read")
def public_list(request: HttpRequest) -> HttpResponse:
    """Công khai: confirmed results of posts elected by the Assembly or an HĐND."""
    return render(request, "counting/public_list.html", {"results": public_results()})


@public_view("public.read")
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    confirmed = get_object_or_404(public_results(), conference_id=pk)
    return render(request, "counting/public_detail.html", _context(confirmed))


def _context(confirmed: ConfirmedResult) -> dict[str, object]:
    kind = VoteKind(confirmed.conference.kind)
    rows = []
    for c in confirmed.result["candidates"]:
        rows.append(
            {
                "name": c["name"],
                "position": c["position"],
                "levels": [
                    (c["counts"][lv.value], c["percent"][lv.value].replace(".", ","))
                    for lv in kind.levels
                ],
                "band_label": Band(c["band"]).label_vi,
            }
        )
    return {
        "confirmed": confirmed,
        "c": confirmed.conference,
        "data": confirmed.result,
        "levels": [lv.label_vi for lv in kind.levels],
        "rows": rows,
    }


@signed_in_view("results.own")
def my_results(request: HttpRequest) -> HttpResponse:
    """Kết quả của tôi: a polled person sees their own result, nobody else's."""
    results = own_results(request.user)
    for r in results:
        audit(
            actor=request.user,
            action="result.view_own",
            obj=r.conference,
            summary=r.conference.title,
        )
    return render(request, "counting/my_results.html", {"results": results})
