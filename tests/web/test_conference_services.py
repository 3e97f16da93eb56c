"""Conference services: who goes on the ballot, the committee, check-in and the
quorum gate. Every refusal is asserted by its stable ``ServiceError.code``."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.builders import (
    APPOINTED_THIS_YEAR,
    add_voters,
    make_agency,
    make_conference,
    make_officials,
    make_round,
    mark,
    names,
)
from tests.web.fixtures import LEFT, PRESENT, SUMMONED
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, Official, VoteRound
from tinnhiem.campaigns.services import official_create
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import (
    Attendance,
    Candidacy,
    CommitteeMember,
    CommitteeRole,
    Conference,
    Status,
    Voter,
)
from tinnhiem.conferences.selectors import attendance_counts
from tinnhiem.conferences.services import (
    candidacy_add,
    candidacy_remove,
    checkin_open,
    committee_member_add,
    conference_create,
    voter_add,
    voter_set_attendance,
    voting_close,
    voting_open,
)

QD96_ARTICLE = "Điều 3 khoản 1 Quy định 96-QĐ/TW"


def _official(organiser: User, agency: Agency, **facts: object) -> Official:
    return official_create(
        acting_user=organiser,
        agency=agency,
        full_name=names(77, 1)[0],
        position="Phó Giám đốc",
        **facts,  # type: ignore[arg-type]
    )


# --- eligibility and places --------------------------------------------------


def test_eligible_officials_go_on_the_ballot_in_order_with_their_printed_position(
    conference: Conference, officials: list[Official]
) -> None:
    cands = list(conference.candidacies.select_related("official"))
    assert [c.order for c in cands] == [1, 2, 3]
    assert [c.official for c in cands] == officials
    assert cands[0].printed_position == f"{officials[0].position}, {officials[0].agency.name}"


def test_an_official_appointed_in_the_vote_year_is_refused_with_the_article_and_the_date(
    organiser: User, agency: Agency, conference: Conference
) -> None:
    newcomer = _official(organiser, agency, appointed_or_elected_on=APPOINTED_THIS_YEAR)
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=conference, official=newcomer)
    assert e.value.code == "excluded"
    assert QD96_ARTICLE in e.value.message
    assert "15/03/2023" in e.value.message
    assert newcomer.full_name in e.value.message
    assert not Candidacy.objects.filter(official=newcomer).exists()


def test_an_official_with_a_retirement_notice_is_refused_with_the_article(
    organiser: User, agency: Agency, conference: Conference
) -> None:
    retiring = _official(organiser, agency, retirement_notice=True)
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=conference, official=retiring)
    assert e.value.code == "excluded"
    assert "thông báo nghỉ công tác chờ nghỉ hưu" in e.value.message
    assert QD96_ARTICLE in e.value.message
    assert conference.candidacies.count() == 3


def test_a_reappointment_in_the_vote_year_also_excludes_under_qd96(
    organiser: User, agency: Agency, conference: Conference
) -> None:
    reappointed = _official(
        organiser, agency, appointed_or_elected_on=date(2023, 1, 10), reappointed_same_post=True
    )
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=conference, official=reappointed)
    assert e.value.code == "excluded"


def test_a_person_may_be_polled_in_two_places_but_a_third_place_is_refused(
    organiser: User, agency: Agency, officials: list[Official], conference: Conference
) -> None:
    person = officials[0]  # already polled at the workplace (the fixture's conference)
    party = make_conference(
        organiser, agency, title="Hội nghị Ban Chấp hành Đảng bộ", place_kind="party_committee"
    )
    candidacy_add(acting_user=organiser, conference=party, official=person)

    council = make_conference(
        organiser, agency, title="Kỳ họp Hội đồng nhân dân", place_kind="peoples_council"
    )
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=council, official=person)
    assert e.value.code == "too_many_places"
    assert "tối đa 2 nơi" in e.value.message
    assert "Cấp ủy cao nhất" in e.value.message
    assert not council.candidacies.exists()


def test_the_same_person_cannot_be_printed_twice_on_one_ballot(
    organiser: User, conference: Conference, officials: list[Official]
) -> None:
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=conference, official=officials[0])
    assert e.value.code == "already_on_ballot"


def test_an_official_of_another_round_is_refused(
    organiser: User, conference: Conference, vote_round: VoteRound
) -> None:
    other_round = make_round(organiser, number="1-KH/KHAC")
    stranger = make_officials(organiser, make_agency(organiser, other_round), names(5, 1))[0]
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=conference, official=stranger)
    assert e.value.code == "official_other_round"


def test_removing_a_person_keeps_the_ballot_order_contiguous(
    organiser: User, conference: Conference, officials: list[Official]
) -> None:
    candidacy_remove(acting_user=organiser, candidacy=conference.candidacies.get(order=1))
    assert list(conference.candidacies.values_list("official", "order")) == [
        (officials[1].pk, 1),
        (officials[2].pk, 2),
    ]


def test_a_conference_of_an_agency_of_another_round_is_refused(
    organiser: User, agency: Agency
) -> None:
    other_round = make_round(organiser, number="2-KH/KHAC")
    with pytest.raises(ServiceError) as e:
        conference_create(
            acting_user=organiser,
            vote_round=other_round,
            agency=agency,
            title="Hội nghị",
            date=date(2023, 6, 1),
        )
    assert e.value.code == "agency_other_round"


# --- the committee -----------------------------------------------------------


def test_a_person_on_the_ballot_cannot_sit_on_the_counting_committee(
    organiser: User, conference: Conference, officials: list[Official]
) -> None:
    linked = voter_add(
        acting_user=organiser,
        conference=conference,
        full_name="Ai đó",
        official=officials[0],
    )
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser, conference=conference, voter=linked, role=CommitteeRole.MEMBER
        )
    assert e.value.code == "candidate_in_committee"


def test_a_candidate_typed_as_a_summoned_member_is_recognised_by_name_in_any_unicode_form(
    organiser: User, conference: Conference, officials: list[Official]
) -> None:
    import unicodedata

    typed = unicodedata.normalize("NFD", officials[1].full_name.upper())
    same_person = voter_add(acting_user=organiser, conference=conference, full_name=typed)
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=conference,
            voter=same_person,
            role=CommitteeRole.HEAD,
        )
    assert e.value.code == "candidate_in_committee"
    assert not CommitteeMember.objects.filter(conference=conference).exists()


def test_the_committee_has_one_head(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=checkin_conference,
            voter=voters[10],
            role=CommitteeRole.HEAD,
        )
    assert e.value.code == "second_head"


def test_a_clerk_holds_one_entry_pass_only(
    organiser: User, checkin_conference: Conference, voters: list[Voter], clerk1: User
) -> None:
    """thuky1 holds pass 1; seating the same account again for pass 2 is refused.

    Pass 2 is freed first, so that the refusal is this rule and not ``entry_pass_taken``."""
    checkin_conference.committee.filter(entry_pass=2).update(entry_pass=None)
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=checkin_conference,
            voter=voters[10],
            role=CommitteeRole.MEMBER,
            user=clerk1,
            entry_pass=2,
        )
    assert e.value.code == "one_pass_per_clerk"


def test_an_entry_pass_given_to_one_clerk_cannot_be_given_to_another(
    organiser: User, checkin_conference: Conference, voters: list[Voter], outsider: User
) -> None:
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=checkin_conference,
            voter=voters[10],
            role=CommitteeRole.MEMBER,
            user=outsider,
            entry_pass=1,
        )
    assert e.value.code == "entry_pass_taken"


def test_an_entry_pass_is_one_or_two(
    organiser: User, checkin_conference: Conference, voters: list[Voter], outsider: User
) -> None:
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=checkin_conference,
            voter=voters[10],
            role=CommitteeRole.MEMBER,
            user=outsider,
            entry_pass=3,
        )
    assert e.value.code == "bad_entry_pass"


def test_a_member_sits_on_the_committee_once(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=checkin_conference,
            voter=voters[1],
            role=CommitteeRole.MEMBER,
        )
    assert e.value.code == "already_in_committee"


def test_a_voter_of_another_conference_cannot_sit_on_this_committee(
    organiser: User, agency: Agency, checkin_conference: Conference
) -> None:
    other = make_conference(organiser, agency, title="Hội nghị khác")
    stranger = add_voters(organiser, other, names(9, 1))[0]
    with pytest.raises(ServiceError) as e:
        committee_member_add(
            acting_user=organiser,
            conference=checkin_conference,
            voter=stranger,
            role=CommitteeRole.MEMBER,
        )
    assert e.value.code == "voter_other_conference"


# --- statuses ----------------------------------------------------------------


def test_check_in_needs_people_on_the_ballot_and_summoned_members(
    organiser: User, agency: Agency, officials: list[Official]
) -> None:
    empty = make_conference(organiser, agency, title="Hội nghị trống")
    with pytest.raises(ServiceError) as e:
        checkin_open(acting_user=organiser, conference=empty)
    assert e.value.code == "no_candidates"
    candidacy_add(acting_user=organiser, conference=empty, official=officials[0])
    with pytest.raises(ServiceError) as e:
        checkin_open(acting_user=organiser, conference=empty)
    assert e.value.code == "no_voters"
    assert Conference.objects.get(pk=empty.pk).status == Status.PREPARING


def test_the_ballot_is_fixed_once_check_in_opens(
    organiser: User, checkin_conference: Conference, agency: Agency
) -> None:
    late = _official(organiser, agency)
    with pytest.raises(ServiceError) as e:
        candidacy_add(acting_user=organiser, conference=checkin_conference, official=late)
    assert e.value.code == "wrong_status"
    assert "Điểm danh" in e.value.message
    with pytest.raises(ServiceError) as e:
        candidacy_remove(acting_user=organiser, candidacy=checkin_conference.candidacies.first())
    assert e.value.code == "wrong_status"
    with pytest.raises(ServiceError) as e:
        checkin_open(acting_user=organiser, conference=checkin_conference)
    assert e.value.code == "wrong_status"


def test_attendance_and_balloting_steps_refuse_the_wrong_status(
    organiser: User, conference: Conference, voters: list[Voter]
) -> None:
    with pytest.raises(ServiceError) as e:
        voter_set_attendance(acting_user=organiser, voter=voters[0], attendance="present")
    assert e.value.code == "wrong_status"
    with pytest.raises(ServiceError) as e:
        voting_open(acting_user=organiser, conference=conference, ballots_issued=0)
    assert e.value.code == "wrong_status"
    with pytest.raises(ServiceError) as e:
        voting_close(acting_user=organiser, conference=conference)
    assert e.value.code == "wrong_status"


# --- check-in and the quorum gate ---------------------------------------------


def test_attendance_counts_present_left_and_not_arrived(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    mark(organiser, voters[:8], Attendance.PRESENT)
    mark(organiser, voters[6:8], Attendance.LEFT)
    counts = attendance_counts(checkin_conference)
    assert counts.summoned == 15
    assert counts.present_at_conference == 8
    assert counts.absent_before_voting == 2
    assert counts.present_at_voting == 6
    assert counts.not_arrived == 7


def test_a_member_can_be_checked_in_again_or_the_check_in_undone(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    mark(organiser, voters[:1], Attendance.PRESENT)
    mark(organiser, voters[:1], Attendance.LEFT)
    back = voter_set_attendance(acting_user=organiser, voter=voters[0], attendance="present")
    assert (back.attendance, back.left_at) == (Attendance.PRESENT, None)
    undone = voter_set_attendance(acting_user=organiser, voter=voters[0], attendance="not_arrived")
    assert (undone.checked_in_at, undone.left_at) == (None, None)
    assert attendance_counts(checkin_conference).not_arrived == 15


def test_a_member_who_never_arrived_cannot_be_marked_as_gone(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    with pytest.raises(ServiceError) as e:
        voter_set_attendance(acting_user=organiser, voter=voters[0], attendance="left")
    assert e.value.code == "not_checked_in"
    assert Voter.objects.get(pk=voters[0].pk).attendance == Attendance.NOT_ARRIVED


def test_an_unknown_attendance_state_is_refused(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    with pytest.raises(ServiceError) as e:
        voter_set_attendance(acting_user=organiser, voter=voters[0], attendance="asleep")
    assert e.value.code == "bad_attendance"


def test_balloting_cannot_open_with_9_of_15_present(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    mark(organiser, voters[:10], Attendance.PRESENT)
    mark(organiser, voters[9:10], Attendance.LEFT)  # 10 came, 1 left: 9 at the vote
    with pytest.raises(ServiceError) as e:
        voting_open(acting_user=organiser, conference=checkin_conference, ballots_issued=9)
    assert e.value.code == "quorum_not_met"
    assert "9/15" in e.value.message
    assert "cần ít nhất 10" in e.value.message
    assert "Điều 3 khoản 2 Quy định 96-QĐ/TW" in e.value.message
    refused = Conference.objects.get(pk=checkin_conference.pk)
    assert (refused.status, refused.summoned_count, refused.ballots_issued) == (
        Status.CHECKIN,
        None,
        None,
    )


def test_balloting_opens_with_10_of_15_present_since_3_times_10_is_2_times_15(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    mark(organiser, voters[:10], Attendance.PRESENT)
    opened = voting_open(acting_user=organiser, conference=checkin_conference, ballots_issued=10)
    assert opened.status == Status.VOTING
    assert opened.voting_opened_at is not None


def test_no_more_ballots_are_issued_than_members_present(
    organiser: User, checkin_conference: Conference, voters: list[Voter]
) -> None:
    mark(organiser, voters[:12], Attendance.PRESENT)
    with pytest.raises(ServiceError) as e:
        voting_open(acting_user=organiser, conference=checkin_conference, ballots_issued=13)
    assert e.value.code == "bad_ballots_issued"


def test_attendance_figures_are_frozen_when_balloting_opens(
    organiser: User, counting_conference: Conference, voters: list[Voter]
) -> None:
    frozen = Conference.objects.get(pk=counting_conference.pk)
    assert (
        frozen.summoned_count,
        frozen.present_at_conference,
        frozen.absent_before_voting,
        frozen.present_at_voting,
        frozen.ballots_issued,
    ) == (SUMMONED, PRESENT + LEFT, LEFT, PRESENT, PRESENT)
    with pytest.raises(ServiceError) as e:
        voter_set_attendance(acting_user=organiser, voter=voters[-1], attendance="present")
    assert e.value.code == "wrong_status"
    with pytest.raises(ServiceError) as e:
        voter_add(acting_user=organiser, conference=counting_conference, full_name="Người đến muộn")
    assert e.value.code == "wrong_status"
    assert Conference.objects.get(pk=counting_conference.pk).present_at_voting == PRESENT


def test_closing_the_vote_starts_counting(counting_conference: Conference) -> None:
    assert counting_conference.status == Status.COUNTING
    assert counting_conference.voting_closed_at == counting_conference.counting_started_at
    assert counting_conference.voting_closed_at is not None


def test_an_empty_name_is_not_a_summoned_member(organiser: User, conference: Conference) -> None:
    with pytest.raises(ServiceError) as e:
        voter_add(acting_user=organiser, conference=conference, full_name="   ")
    assert e.value.code == "empty_name"
