"""Deadlines before the vote through the selectors: regulations.md §7
scenarios 33 (Nghị quyết 96/2023/QH15) and 34 (Quy định 96-QĐ/TW), the round's
overrides, and the round's dashboard of what is overdue and due soon."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.dossiers.conftest import PEOPLE, VOTE_DAY
from tests.web.builders import make_agency, make_conference, make_officials, make_round
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import VoteRound
from tinnhiem.campaigns.services import round_set_parameters
from tinnhiem.conferences.dossiers import (
    Step,
    conference_timeline,
    dossier_item_record,
    question_answer,
    question_forward,
    question_record,
    round_dashboard,
)
from tinnhiem.conferences.models import (
    Candidacy,
    Conference,
    DossierKind,
    Status,
    WrittenQuestion,
)
from tinnhiem.rules import DeadlineStatus

pytestmark = pytest.mark.django_db

D = VOTE_DAY
ON_TIME = DeadlineStatus.ON_TIME
LATE = DeadlineStatus.LATE
PENDING = DeadlineStatus.PENDING
OVERDUE = DeadlineStatus.OVERDUE


def before(days: int, day: date = D) -> date:
    return day - timedelta(days=days)


def _first(conference: Conference) -> Candidacy:
    return conference.candidacies.get(order=1)


def _ask(organiser: User, candidacy: Candidacy, received_on: date) -> WrittenQuestion:
    return question_record(
        acting_user=organiser,
        candidacy=candidacy,
        asked_by="Một người ghi phiếu",
        received_on=received_on,
        text="Đề nghị làm rõ kết quả thực hiện nhiệm vụ năm 2022.",
    )


# ------------------------------------------------------------ scenario 34


def test_scenario_34_party_deadlines_fall_on_their_days_before_the_vote(
    conference: Conference,
) -> None:
    t = conference_timeline(conference, today=before(30))
    assert {row.code: row.due for row in t.deadlines} == {
        "dossier_submitted": date(2023, 6, 7),  # D−20 (Hải Dương plan, UNVERIFIED)
        "dossier_to_voters": date(2023, 6, 12),  # D−15: "trước 15 ngày"
        "questions_from_voters": date(2023, 6, 17),  # D−10: "chậm nhất là 10 ngày"
        "questions_to_official": date(2023, 6, 17),  # D−10: "trước 10 ngày"
        "answers": date(2023, 6, 24),  # D−3: "chậm nhất 03 ngày"
    }
    assert [row.due for row in t.deadlines] == sorted(row.due for row in t.deadlines)
    # Nothing recorded yet: every person's report and declaration pending.
    for person in t.people:
        assert person.item(DossierKind.REPORT).status == PENDING
        assert person.item(DossierKind.ASSET_DECLARATION).status == PENDING
        # The explanation is "nếu có": absent, it has no status.
        assert person.item(DossierKind.EXPLANATION).status is None


def test_scenario_34_an_answer_on_d_minus_3_is_on_time_and_on_d_minus_2_late(
    organiser: User, conference: Conference
) -> None:
    candidacy = _first(conference)
    q1 = _ask(organiser, candidacy, before(12))
    q2 = _ask(organiser, candidacy, before(9))  # the voter asked a day late
    question_forward(acting_user=organiser, question=q1, forwarded_on=before(10))  # the due day
    question_forward(acting_user=organiser, question=q2, forwarded_on=before(9))
    question_answer(acting_user=organiser, question=q1, answered_on=before(3))
    question_answer(acting_user=organiser, question=q2, answered_on=before(2))

    person = conference_timeline(conference, today=D).person(candidacy)
    first, second = person.questions
    assert [c.status for c in first.checks] == [ON_TIME, ON_TIME, ON_TIME]
    assert [c.status for c in second.checks] == [LATE, LATE, LATE]
    assert first.answered.due == date(2023, 6, 24)


def test_scenario_34_an_unanswered_question_is_pending_on_the_due_day_and_overdue_after(
    organiser: User, conference: Conference
) -> None:
    candidacy = _first(conference)
    q = _ask(organiser, candidacy, before(12))
    question_forward(acting_user=organiser, question=q, forwarded_on=before(11))

    on_due_day = conference_timeline(conference, today=before(3))
    assert on_due_day.person(candidacy).questions[0].answered.status == PENDING
    assert on_due_day.deadline("answers").status == PENDING

    day_after = conference_timeline(conference, today=before(2))
    assert day_after.person(candidacy).questions[0].answered.status == OVERDUE
    assert day_after.deadline("answers").status == OVERDUE


def test_scenario_34_the_dossier_of_the_whole_conference_is_on_time_only_when_all_are(
    organiser: User, conference: Conference
) -> None:
    candidacies = list(conference.candidacies.order_by("order"))
    for c in candidacies:
        for kind in (DossierKind.REPORT, DossierKind.ASSET_DECLARATION):
            dossier_item_record(
                acting_user=organiser, candidacy=c, kind=kind, received_on=before(21)
            )
    t = conference_timeline(conference, today=before(5))
    row = t.deadline("dossier_submitted")
    assert (row.status, row.done, row.total, row.late) == (ON_TIME, 6, 6, 0)
    assert [s.step for s in row.steps[:2]] == [Step.REPORT, Step.ASSET_DECLARATION]
    # A step of the whole conference that no person's record is judged against.
    assert t.deadline("dossier_to_voters").tracked is False
    assert t.deadline("dossier_to_voters").status is None
    # No question, no answer to wait for.
    assert t.deadline("answers").status is None
    assert t.deadline("answers").tracked is True

    # The third person's report comes again (a corrected day): late.
    dossier_item_record(
        acting_user=organiser,
        candidacy=candidacies[2],
        kind=DossierKind.REPORT,
        received_on=before(19),
    )
    row = conference_timeline(conference, today=before(5)).deadline("dossier_submitted")
    assert (row.status, row.done, row.late) == (LATE, 6, 1)


def test_an_explanation_is_judged_against_the_answers_deadline(
    organiser: User, conference: Conference
) -> None:
    candidacy = _first(conference)
    dossier_item_record(
        acting_user=organiser,
        candidacy=candidacy,
        kind=DossierKind.EXPLANATION,
        received_on=before(3),
    )
    check = conference_timeline(conference, today=D).person(candidacy).item("explanation")
    assert (check.due, check.status) == (date(2023, 6, 24), ON_TIME)


# ------------------------------------------------------------ scenario 33


@pytest.fixture
def assembly_conference(organiser: User) -> Conference:
    """Nghị quyết 96/2023/QH15: an HĐND session opening on D2 = 05/12/2023."""
    vote_round = make_round(organiser, number="33-NQ/HĐND", profile_id="nq96-2023")
    agency = make_agency(organiser, vote_round, name="Hội đồng nhân dân tỉnh")
    officials = make_officials(organiser, agency, PEOPLE[4:6])
    return make_conference(
        organiser, agency, officials, place_kind="peoples_council", day=date(2023, 12, 5)
    )


def test_scenario_33_a_report_received_at_d_minus_29_is_late(
    organiser: User, assembly_conference: Conference
) -> None:
    d2 = assembly_conference.date
    first, second = assembly_conference.candidacies.order_by("order")
    dossier_item_record(
        acting_user=organiser, candidacy=first, kind="report", received_on=before(29, d2)
    )
    dossier_item_record(
        acting_user=organiser, candidacy=second, kind="report", received_on=before(30, d2)
    )
    t = conference_timeline(assembly_conference, today=before(10, d2))
    assert {row.code: row.due for row in t.deadlines} == {
        "provisional_list": date(2023, 10, 21),  # D−45
        "report_submitted": date(2023, 11, 5),  # D−30
        "front_opinions": date(2023, 11, 10),  # D−25
        "reports_to_deputies": date(2023, 11, 15),  # D−20
    }
    assert t.person(first).item("report").status == LATE
    assert t.person(second).item("report").status == ON_TIME
    # The asset declaration goes with the report, by D−30.
    assert t.person(first).item("asset_declaration").status == OVERDUE
    assert t.person(first).item("asset_declaration").due == date(2023, 11, 5)


def test_scenario_33_written_questions_have_no_deadline_in_the_assembly_profile(
    organiser: User, assembly_conference: Conference
) -> None:
    candidacy = assembly_conference.candidacies.get(order=1)
    _ask(organiser, candidacy, before(12, assembly_conference.date))
    person = conference_timeline(assembly_conference, today=before(1, assembly_conference.date))
    q = person.person(candidacy).questions[0]
    assert [(c.deadline, c.status) for c in q.checks] == [(None, None)] * 3


# -------------------------------------------------------------- overrides


def test_a_round_override_of_dossier_to_voters_moves_its_due_day(
    organiser: User, vote_round: VoteRound, conference: Conference
) -> None:
    assert conference_timeline(conference, D).deadline("dossier_to_voters").due == before(15)
    round_set_parameters(
        acting_user=organiser, vote_round=vote_round, overrides={"deadline.dossier_to_voters": 20}
    )
    conference.refresh_from_db()
    t = conference_timeline(conference, D)
    assert t.deadline("dossier_to_voters").due == before(20) == date(2023, 6, 7)
    # Only that deadline moves.
    assert t.deadline("answers").due == before(3)


def test_a_round_override_of_the_polled_persons_deadline_changes_their_status(
    organiser: User, conference: Conference
) -> None:
    later = make_round(organiser, number="34-KH/TU", overrides={"deadline.dossier_submitted": 15})
    agency = make_agency(organiser, later)
    moved = make_officials(organiser, agency, PEOPLE[4:5])
    conference = make_conference(organiser, agency, moved, day=D)
    candidacy = _first(conference)
    dossier_item_record(
        acting_user=organiser, candidacy=candidacy, kind="report", received_on=before(17)
    )
    check = conference_timeline(conference, D).person(candidacy).item("report")
    assert (check.due, check.status) == (before(15), ON_TIME)  # late under the default 20 days


# -------------------------------------------------------------- dashboard


@pytest.fixture
def second_conference(organiser: User, conference: Conference) -> Conference:
    """Same round, two other persons, voting on D2 = 10/07/2023."""
    agency = make_agency(organiser, conference.round, name="Sở Nội vụ")
    officials = make_officials(organiser, agency, PEOPLE[4:6])
    return make_conference(
        organiser, agency, officials, title="Hội nghị Sở Nội vụ", day=date(2023, 7, 10)
    )


def test_the_dashboard_lists_overdue_and_due_soon_steps_across_conferences_by_due_day(
    organiser: User, conference: Conference, second_conference: Conference
) -> None:
    today = date(2023, 6, 20)
    first, second, _third = conference.candidacies.order_by("order")
    for kind in ("report", "asset_declaration"):
        dossier_item_record(
            acting_user=organiser, candidacy=first, kind=kind, received_on=date(2023, 6, 5)
        )
    q1 = _ask(organiser, first, date(2023, 6, 15))
    question_forward(acting_user=organiser, question=q1, forwarded_on=date(2023, 6, 16))
    _ask(organiser, second, date(2023, 6, 16))  # never forwarded

    d = round_dashboard(conference.round, today)
    overdue = [(r.conference.pk, r.candidacy and r.candidacy.order, r.label) for r in d.overdue]
    report = str(DossierKind.REPORT.label)
    declaration = str(DossierKind.ASSET_DECLARATION.label)
    assert overdue == [
        (conference.pk, 2, report),
        (conference.pk, 2, declaration),
        (conference.pk, 3, report),
        (conference.pk, 3, declaration),
        (conference.pk, 2, "Gửi yêu cầu cho người được lấy phiếu"),
    ]
    assert [r.due for r in d.overdue] == [date(2023, 6, 7)] * 4 + [date(2023, 6, 17)]
    assert {r.status for r in d.overdue} == {OVERDUE}
    assert d.overdue[0].days_overdue == 13
    # Done steps are not listed: neither the first person's dossier nor q1's receipt.
    assert all(r.candidacy != first or r.question for r in d.overdue + d.due_soon)

    soon = [(r.conference.pk, r.due, r.days_left) for r in d.due_soon]
    d2 = second_conference.pk
    assert soon == [
        # The second conference's dossiers, due today (D2−20).
        (d2, date(2023, 6, 20), 0),
        (d2, date(2023, 6, 20), 0),
        (d2, date(2023, 6, 20), 0),
        (d2, date(2023, 6, 20), 0),
        # Both questions' answers (D−3).
        (conference.pk, date(2023, 6, 24), 4),
        (conference.pk, date(2023, 6, 24), 4),
        # Sending the dossiers to the ballot-fillers (D2−15): a reminder.
        (d2, date(2023, 6, 25), 5),
    ]
    assert d.due_soon[-1].candidacy is None
    # A shorter horizon: only what is due today.
    today_only = round_dashboard(conference.round, today, within_days=0)
    assert [r.due for r in today_only.due_soon] == [today] * 4
    assert len(today_only.overdue) == len(d.overdue)


def test_the_dashboard_looks_only_at_conferences_before_their_vote_and_those_asked_for(
    organiser: User, conference: Conference, second_conference: Conference
) -> None:
    today = date(2023, 6, 20)
    everything = round_dashboard(conference.round, today)
    assert {r.conference.pk for r in everything.overdue + everything.due_soon} == {
        conference.pk,
        second_conference.pk,
    }
    only_first = round_dashboard(conference.round, today, conferences=[conference])
    assert {r.conference.pk for r in only_first.overdue + only_first.due_soon} == {conference.pk}

    Conference.objects.filter(pk=conference.pk).update(status=Status.COUNTING)
    after_vote = round_dashboard(conference.round, today)
    assert [c.pk for c in after_vote.conferences] == [second_conference.pk]
