"""Deadlines before the vote, computed from the anchor day.

Quy định 96-QĐ/TW Điều 9 (Bước 1) and KH 240/KH-UBND [S3]: dossiers to
voters "trước 15 ngày"; questions "chậm nhất là 10 ngày trước"; answers
"chậm nhất 03 ngày trước". NQ 96/2023/QH15 Điều 10–11: 45 / 30 / 25 / 20
days before the session opens. NQ 85/2014/QH13 Điều 9: 30 / 20 / 15 / 10.

A step is due on ``anchor − days``; an item received on that day is on time
(regulations.md §7 scenarios 33–34).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tinnhiem.rules.profiles import DeadlineRule, Profile


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    """Done, on or before the due day."""
    LATE = "late"
    """Done, after the due day."""
    PENDING = "pending"
    """Not done; the due day has not passed."""
    OVERDUE = "overdue"
    """Not done; the due day has passed."""


@dataclass(frozen=True, slots=True)
class Deadline:
    rule: DeadlineRule
    due: date

    def status(self, *, done_on: date | None, today: date) -> DeadlineStatus:
        """Status of the step given when it was done (if at all) and today."""
        if done_on is not None:
            return DeadlineStatus.ON_TIME if done_on <= self.due else DeadlineStatus.LATE
        return DeadlineStatus.PENDING if today <= self.due else DeadlineStatus.OVERDUE


def compute_deadlines(profile: Profile, anchor: date) -> tuple[Deadline, ...]:
    """Every deadline of the profile for a vote (or session) on ``anchor``,
    earliest first."""
    out = [Deadline(rule, anchor - timedelta(days=rule.days_before)) for rule in profile.deadlines]
    return tuple(sorted(out, key=lambda d: d.due))


def deadline(profile: Profile, anchor: date, code: str) -> Deadline:
    """The deadline with ``code`` (e.g. ``"answers"``); KeyError if none."""
    for d in compute_deadlines(profile, anchor):
        if d.rule.code == code:
            return d
    raise KeyError(code)
