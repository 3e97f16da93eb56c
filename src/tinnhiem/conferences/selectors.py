"""Reads about conferences, turned into the rules core's values at the boundary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from tinnhiem.campaigns.models import Official
from tinnhiem.campaigns.services import round_profile
from tinnhiem.conferences.models import Attendance, Conference
from tinnhiem.rules import Eligibility, OfficialFacts, decide_eligibility


@dataclass(frozen=True)
class AttendanceCounts:
    summoned: int
    """Số được triệu tập."""
    present_at_conference: int
    """Số có mặt dự hội nghị (checked in, whether or not they stayed)."""
    absent_before_voting: int
    """Số vắng mặt từ đầu hội nghị đến trước thời điểm bỏ phiếu: checked in, then
    gone before the vote, so that present_at_conference − absent = present_at_voting."""
    present_at_voting: int
    """Số có mặt tại thời điểm bỏ phiếu."""
    not_arrived: int


def attendance_counts(conference: Conference) -> AttendanceCounts:
    agg = conference.voters.aggregate(
        total=Count("id"),
        present=Count("id", filter=Q(attendance=Attendance.PRESENT)),
        left=Count("id", filter=Q(attendance=Attendance.LEFT)),
    )
    total, present, left = agg["total"], agg["present"], agg["left"]
    not_arrived = total - present - left
    return AttendanceCounts(
        summoned=total,
        present_at_conference=present + left,
        absent_before_voting=left,
        present_at_voting=present,
        not_arrived=not_arrived,
    )


def official_facts(official: Official) -> OfficialFacts:
    return OfficialFacts(
        retirement_notice=official.retirement_notice,
        appointed_or_elected_on=official.appointed_or_elected_on,
        reappointed_same_post=official.reappointed_same_post,
        illness_leave_since=official.illness_leave_since,
        medical_certificate=official.medical_certificate,
        in_post_since=official.in_post_since,
    )


def official_eligibility(official: Official, conference: Conference) -> Eligibility:
    """Decide with the rules core, on the conference's date, under the round's profile."""
    profile = round_profile(conference.round)
    return decide_eligibility(official_facts(official), profile, conference.date)
