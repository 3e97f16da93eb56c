"""Who sees a confirmed result: công khai kết quả phiếu tín nhiệm.

The rules core's profile says whether results are public once confirmed
(positions elected or approved by the Assembly or an HĐND: Nghị quyết
96/2023/QH15 khoản 6 Điều 19) or confidential ("Mật": the ballot-fillers at
the conference, the competent managing level, the person — Quy định
96-QĐ/TW, KH 240 §C.V). Party posts are never public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tinnhiem.campaigns.services import round_profile
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import ConfirmedResult


def is_public(conference: Conference) -> bool:
    """Published once confirmed, under the round's profile."""
    return round_profile(conference.round).disclosure.public


def public_results() -> QuerySet[ConfirmedResult]:
    """Every current confirmed result that its profile makes public."""
    from tinnhiem.rules import PROFILES

    public_profiles = [pid for pid, p in PROFILES.items() if p.disclosure.public]
    candidates = ConfirmedResult.objects.filter(
        is_current=True, conference__round__profile_id__in=public_profiles
    ).select_related("conference", "conference__agency", "conference__round")
    # A round may override nothing about disclosure; the profile decides.
    return candidates.order_by("-conference__date", "conference__title")


@dataclass(frozen=True)
class OwnResult:
    conference: Conference
    row: dict[str, Any]
    version: int


def own_results(user: Any) -> list[OwnResult]:
    """The person's own rows, in every confirmed result where they were polled."""
    from tinnhiem.conferences.models import Candidacy

    mine = Candidacy.objects.filter(official__user=user).select_related("conference")
    keys = {(c.conference_id, c.key) for c in mine}
    results = ConfirmedResult.objects.filter(
        is_current=True, conference_id__in={c for c, _ in keys}
    ).select_related("conference", "conference__agency")
    out = []
    for r in results:
        for row in r.result["candidates"]:
            if (r.conference_id, row["id"]) in keys:
                out.append(OwnResult(r.conference, row, r.version))
    return sorted(out, key=lambda o: o.conference.date, reverse=True)
