"""Deadlines before the vote or session: "chậm nhất … ngày trước" is on time on the day.

96-QĐ/TW Điều 9 [LAWNET96-9][S3]; NQ 96/2023/QH15 Điều 10–11 [LAWNET-10];
NQ 85/2014/QH13 Điều 9 (second pass §8).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tinnhiem.rules import DeadlineStatus, compute_deadlines, get_profile
from tinnhiem.rules.deadlines import deadline

ANCHOR = date(2023, 12, 13)


def days_before(profile_id: str) -> dict[str, int]:
    return {
        d.rule.code: (ANCHOR - d.due).days
        for d in compute_deadlines(get_profile(profile_id), ANCHOR)
    }


def test_qd96_deadlines_are_20_15_10_10_and_3_days_before_the_vote_dieu_9() -> None:
    assert days_before("qd96-2023") == {
        "dossier_submitted": 20,
        "dossier_to_voters": 15,
        "questions_from_voters": 10,
        "questions_to_official": 10,
        "answers": 3,
    }


def test_nq96_deadlines_are_45_30_25_20_days_before_the_session_dieu_10() -> None:
    assert days_before("nq96-2023") == {
        "provisional_list": 45,
        "report_submitted": 30,
        "front_opinions": 25,
        "reports_to_deputies": 20,
    }


def test_nq85_deadlines_are_30_20_15_10_days_before_the_session_dieu_9() -> None:
    assert days_before("nq85-2014") == {
        "provisional_list": 30,
        "report_submitted": 20,
        "front_opinions": 15,
        "reports_to_deputies": 10,
    }


def test_qd262_borrows_the_qd96_deadlines_as_unverified_values() -> None:
    profile = get_profile("qd262-2014")
    assert days_before("qd262-2014") == days_before("qd96-2023")
    assert not any(d.source.verified for d in profile.deadlines)


def test_deadlines_come_earliest_first() -> None:
    for profile_id in ("qd96-2023", "nq96-2023", "nq85-2014"):
        dues = [d.due for d in compute_deadlines(get_profile(profile_id), ANCHOR)]
        assert dues == sorted(dues)


def test_a_step_done_on_the_due_day_is_on_time_and_a_day_later_is_late() -> None:
    answers = deadline(get_profile("qd96-2023"), ANCHOR, "answers")
    assert answers.due == date(2023, 12, 10)
    assert answers.status(done_on=answers.due, today=ANCHOR) is DeadlineStatus.ON_TIME
    assert answers.status(done_on=date(2023, 12, 1), today=ANCHOR) is DeadlineStatus.ON_TIME
    late = answers.due + timedelta(days=1)
    assert answers.status(done_on=late, today=ANCHOR) is DeadlineStatus.LATE


def test_an_undone_step_is_pending_until_the_due_day_then_overdue() -> None:
    step = deadline(get_profile("nq96-2023"), ANCHOR, "provisional_list")
    assert step.due == date(2023, 10, 29)
    assert step.status(done_on=None, today=step.due) is DeadlineStatus.PENDING
    overdue_day = step.due + timedelta(days=1)
    assert step.status(done_on=None, today=overdue_day) is DeadlineStatus.OVERDUE


def test_a_deadline_override_moves_the_due_day() -> None:
    """Deadline days are overridable by name: ``deadline.answers=5``."""
    profile = get_profile("qd96-2023").with_overrides({"deadline.answers": "5"})
    assert deadline(profile, ANCHOR, "answers").due == date(2023, 12, 8)


def test_an_unknown_deadline_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        deadline(get_profile("qd96-2023"), ANCHOR, "no_such_step")


def test_deadlines_cross_month_and_year_boundaries() -> None:
    opening = date(2024, 1, 10)
    dues = {d.rule.code: d.due for d in compute_deadlines(get_profile("nq96-2023"), opening)}
    assert dues["provisional_list"] == date(2023, 11, 26)
    assert dues["reports_to_deputies"] == date(2023, 12, 21)
