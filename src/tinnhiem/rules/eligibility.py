"""Who is polled, and where.

Exclusions ("không thực hiện lấy phiếu tín nhiệm"):

* "Cán bộ đã có thông báo nghỉ công tác chờ nghỉ hưu hoặc được bổ nhiệm, bầu
  cử trong năm lấy phiếu tín nhiệm" — Quy định 96-QĐ/TW Điều 3 khoản 1
  ([S3] fn. 3); the same in NQ 96/2023/QH15 Điều 2 [BTH];
* serious illness with a medical certificate and 6 consecutive months or more
  not in charge — NQ 96/2023/QH15 Điều 2 khoản 5 [VN-TUNG];
* fewer than 9 months continuously in post at the opening of the session —
  2018 guidance under NQ 85/2014/QH13 (UNVERIFIED).

Places ("tối đa ở 2 nơi", 96-QĐ/TW, nguyên tắc 3 [V123]), in the priority
order of the Hải Dương plan [S1]: the highest party committee, the HĐND, the
workplace. A person polled in two places is judged by the competent level
"trên cơ sở xem xét tổng thể" (96-QĐ/TW Điều 11 [S3] §C.VI.4): no arithmetic
combination exists, so the combined outcome is manual review.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tinnhiem.rules.profiles import Body, PlaceKind, Profile


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's last day."""
    total = day.month - 1 + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    last = calendar.monthrange(day.year + year, month)[1]
    return date(day.year + year, month, min(day.day, last))


def full_months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 if ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True, slots=True)
class OfficialFacts:
    """What the organising department knows of one official, for eligibility."""

    retirement_notice: bool = False
    """Đã có thông báo nghỉ công tác chờ nghỉ hưu."""
    appointed_or_elected_on: date | None = None
    """Ngày được bổ nhiệm, bầu cử (or phê chuẩn) into the post polled."""
    reappointed_same_post: bool = False
    """The date above is a re-appointment to the same post."""
    illness_leave_since: date | None = None
    """Nghỉ điều trị bệnh hiểm nghèo since this day (still on leave)."""
    medical_certificate: bool = False
    """Có xác nhận của cơ sở y tế."""
    in_post_since: date | None = None
    """Continuously in the post since (for the 9-month rule of NQ 85/2014)."""


class ExclusionCode(StrEnum):
    RETIREMENT_NOTICE = "retirement_notice"
    APPOINTED_IN_VOTE_YEAR = "appointed_in_vote_year"
    SERIOUS_ILLNESS = "serious_illness"
    TOO_SHORT_IN_POST = "too_short_in_post"


@dataclass(frozen=True, slots=True)
class Exclusion:
    code: ExclusionCode
    article: str
    message_vi: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The decision for one official: polled or not, and why not."""

    exclusions: tuple[Exclusion, ...]

    @property
    def eligible(self) -> bool:
        return not self.exclusions


def decide_eligibility(facts: OfficialFacts, profile: Profile, vote_date: date) -> Eligibility:
    """Apply the profile's exclusions on ``vote_date`` (the session's opening
    day for Assembly and HĐND profiles)."""
    p = profile.params
    src = profile.parameter_sources
    out: list[Exclusion] = []
    if p.exclude_retirement_notice and facts.retirement_notice:
        out.append(
            Exclusion(
                ExclusionCode.RETIREMENT_NOTICE,
                src["exclude_retirement_notice"].legal(),
                "đã có thông báo nghỉ công tác chờ nghỉ hưu",
                "has a retirement notice",
            )
        )
    appointed = facts.appointed_or_elected_on
    if (
        p.exclude_appointed_in_vote_year
        and appointed is not None
        and appointed.year == vote_date.year
        and appointed <= vote_date
        and (p.reappointment_counts_as_new or not facts.reappointed_same_post)
    ):
        out.append(
            Exclusion(
                ExclusionCode.APPOINTED_IN_VOTE_YEAR,
                src["exclude_appointed_in_vote_year"].legal(),
                f"được bổ nhiệm, bầu cử trong năm lấy phiếu ({appointed:%d/%m/%Y})",
                f"appointed or elected in the vote year ({appointed.isoformat()})",
            )
        )
    if (
        p.serious_illness_min_months
        and facts.illness_leave_since is not None
        and facts.medical_certificate
        and full_months_between(facts.illness_leave_since, vote_date)
        >= p.serious_illness_min_months
    ):
        months = full_months_between(facts.illness_leave_since, vote_date)
        out.append(
            Exclusion(
                ExclusionCode.SERIOUS_ILLNESS,
                src["serious_illness_min_months"].legal(),
                f"nghỉ điều trị bệnh hiểm nghèo {months} tháng liên tục (có xác nhận của cơ sở "
                "y tế)",
                f"on serious-illness leave for {months} consecutive months (certified)",
            )
        )
    if (
        p.min_months_in_post
        and facts.in_post_since is not None
        and full_months_between(facts.in_post_since, vote_date) < p.min_months_in_post
    ):
        months = full_months_between(facts.in_post_since, vote_date)
        out.append(
            Exclusion(
                ExclusionCode.TOO_SHORT_IN_POST,
                src["min_months_in_post"].legal(),
                f"đảm nhiệm chức vụ liên tục chưa đủ {p.min_months_in_post} tháng ({months} "
                "tháng) tính đến ngày khai mạc kỳ họp",
                f"fewer than {p.min_months_in_post} months in post ({months}) at the opening",
            )
        )
    return Eligibility(tuple(out))


@dataclass(frozen=True, slots=True)
class PlaceSelection:
    """Where a person is polled: the accepted places and the refused ones."""

    accepted: tuple[PlaceKind, ...]
    refused: tuple[PlaceKind, ...]
    combined_review: bool
    """Polled in several places: the competent level decides "tổng thể"."""


def select_places(requested: Sequence[PlaceKind], profile: Profile) -> PlaceSelection:
    """Keep at most ``max_places`` places in the profile's priority order.

    A place the profile does not rank comes after the ranked ones; duplicates
    are ignored. The refused places are to be shown, not silently dropped.
    """
    unique = list(dict.fromkeys(requested))
    order = {kind: i for i, kind in enumerate(profile.place_priority)}
    ranked = sorted(unique, key=lambda k: order.get(k, len(order)))
    limit = profile.params.max_places
    accepted = tuple(ranked[:limit])
    return PlaceSelection(
        accepted=accepted,
        refused=tuple(ranked[limit:]),
        combined_review=len(accepted) > 1,
    )


def binding_vote_petition_met(profile: Profile, body: Body, petitioners: int, total: int) -> bool:
    """Whether a petition triggers a binding vote: "kiến nghị của ít nhất là 20%
    tổng số đại biểu Quốc hội" / "ít nhất là một phần ba tổng số đại biểu HĐND"
    (NQ 96/2023/QH15 Điều 13 [CP-0407][LVN]; Luật TCQH 2014 Điều 13)."""
    threshold = profile.petition_thresholds.get(body)
    if threshold is None:
        return False
    return threshold.reached(petitioners, total)
