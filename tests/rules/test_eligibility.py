"""Who is polled, where, and when a petition triggers a binding vote.

96-QĐ/TW Điều 3 khoản 1 and nguyên tắc 3 [V123]; NQ 96/2023/QH15 Điều 2, Điều 13;
2018 guidance under NQ 85/2014/QH13 (9 months in post).
"""

from __future__ import annotations

from datetime import date

from tinnhiem.rules import (
    Body,
    OfficialFacts,
    PlaceKind,
    binding_vote_petition_met,
    decide_eligibility,
    get_profile,
    select_places,
)
from tinnhiem.rules.eligibility import ExclusionCode, add_months, full_months_between

QD96 = get_profile("qd96-2023")
NQ96 = get_profile("nq96-2023")
QD262 = get_profile("qd262-2014")
NQ85 = get_profile("nq85-2014")
VOTE_DAY = date(2023, 6, 27)
PARTY, COUNCIL, WORK = PlaceKind.PARTY_COMMITTEE, PlaceKind.PEOPLES_COUNCIL, PlaceKind.WORKPLACE


def codes(facts: OfficialFacts, profile_id: str, day: date = VOTE_DAY) -> list[ExclusionCode]:
    decision = decide_eligibility(facts, get_profile(profile_id), day)
    assert decision.eligible == (not decision.exclusions)
    return [e.code for e in decision.exclusions]


# ----------------------------------------------------------------- calendar


def test_add_months_clamps_to_the_last_day_of_the_month() -> None:
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 3, 15), -7) == date(2022, 8, 15)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)


def test_full_months_between_counts_whole_calendar_months_only() -> None:
    assert full_months_between(date(2023, 1, 15), date(2023, 7, 14)) == 5
    assert full_months_between(date(2023, 1, 15), date(2023, 7, 15)) == 6
    assert full_months_between(date(2023, 7, 15), date(2023, 1, 15)) == 0
    assert full_months_between(date(2023, 1, 31), date(2023, 2, 28)) == 1


# --------------------------------------------------------------- exclusions


def test_an_official_without_special_facts_is_polled_everywhere() -> None:
    for profile_id in ("qd96-2023", "nq96-2023", "qd262-2014", "nq85-2014"):
        assert codes(OfficialFacts(), profile_id) == []


def test_appointed_in_the_vote_year_is_excluded_qd96_dieu_3_khoan_1() -> None:
    """ "được bổ nhiệm, bầu cử trong năm lấy phiếu tín nhiệm"."""
    facts = OfficialFacts(appointed_or_elected_on=date(2023, 1, 2))
    assert codes(facts, "qd96-2023") == [ExclusionCode.APPOINTED_IN_VOTE_YEAR]


def test_appointed_the_year_before_is_polled_qd96_dieu_3_khoan_1() -> None:
    assert codes(OfficialFacts(appointed_or_elected_on=date(2022, 12, 31)), "qd96-2023") == []


def test_an_appointment_after_the_vote_day_does_not_exclude() -> None:
    assert codes(OfficialFacts(appointed_or_elected_on=date(2023, 9, 1)), "qd96-2023") == []


def test_reappointment_to_the_same_post_follows_its_named_parameter() -> None:
    """What "trong năm" means for a re-appointment is UNVERIFIED (§1.1)."""
    facts = OfficialFacts(appointed_or_elected_on=date(2023, 2, 1), reappointed_same_post=True)
    assert codes(facts, "qd96-2023") == [ExclusionCode.APPOINTED_IN_VOTE_YEAR]
    lenient = QD96.with_overrides({"reappointment_counts_as_new": "false"})
    assert decide_eligibility(facts, lenient, VOTE_DAY).eligible


def test_retirement_notice_is_not_an_exclusion_of_the_2018_nq85_guidance() -> None:
    facts = OfficialFacts(retirement_notice=True)
    assert codes(facts, "qd96-2023") == [ExclusionCode.RETIREMENT_NOTICE]
    assert codes(facts, "nq85-2014") == []


def test_serious_illness_needs_a_medical_certificate_nq96_dieu_2_khoan_5() -> None:
    """ "có xác nhận của cơ sở y tế" and 6 consecutive months or more."""
    opening = date(2023, 12, 13)
    since = add_months(opening, -8)
    assert codes(OfficialFacts(illness_leave_since=since), "nq96-2023", opening) == []
    certified = OfficialFacts(illness_leave_since=since, medical_certificate=True)
    assert codes(certified, "nq96-2023", opening) == [ExclusionCode.SERIOUS_ILLNESS]
    assert codes(certified, "qd96-2023", opening) == []


def test_exactly_six_months_of_illness_excludes_nq96_dieu_2_khoan_5() -> None:
    opening = date(2023, 12, 13)
    six = OfficialFacts(illness_leave_since=date(2023, 6, 13), medical_certificate=True)
    just_under = OfficialFacts(illness_leave_since=date(2023, 6, 14), medical_certificate=True)
    assert codes(six, "nq96-2023", opening) == [ExclusionCode.SERIOUS_ILLNESS]
    assert codes(just_under, "nq96-2023", opening) == []


def test_nine_months_in_post_is_counted_to_the_opening_day_nq85_guidance_2018() -> None:
    opening = date(2018, 10, 22)
    assert codes(OfficialFacts(in_post_since=date(2018, 1, 22)), "nq85-2014", opening) == []
    short = OfficialFacts(in_post_since=date(2018, 1, 23))
    assert codes(short, "nq85-2014", opening) == [ExclusionCode.TOO_SHORT_IN_POST]
    assert codes(short, "nq96-2023", opening) == []


def test_several_exclusions_are_all_reported_with_their_article() -> None:
    facts = OfficialFacts(retirement_notice=True, appointed_or_elected_on=date(2023, 3, 1))
    decision = decide_eligibility(facts, QD96, VOTE_DAY)
    assert [e.code for e in decision.exclusions] == [
        ExclusionCode.RETIREMENT_NOTICE,
        ExclusionCode.APPOINTED_IN_VOTE_YEAR,
    ]
    assert all("Điều 3 khoản 1" in e.article for e in decision.exclusions)
    assert "01/03/2023" in decision.exclusions[1].message_vi


# ------------------------------------------------------------------- places


def test_at_most_two_places_in_priority_order_qd96_nguyen_tac_3() -> None:
    """ "tối đa ở 2 nơi"; party committee > HĐND > workplace [S1]."""
    chosen = select_places([WORK, PARTY, COUNCIL], QD96)
    assert chosen.accepted == (PARTY, COUNCIL)
    assert chosen.refused == (WORK,)
    assert chosen.combined_review


def test_a_third_place_is_refused_not_dropped_silently() -> None:
    chosen = select_places([COUNCIL, WORK, PARTY], QD96)
    assert len(chosen.accepted) == 2
    assert chosen.refused == (WORK,)


def test_one_place_needs_no_combined_review() -> None:
    chosen = select_places([WORK], QD96)
    assert chosen == select_places([WORK, WORK], QD96)
    assert (chosen.accepted, chosen.refused, chosen.combined_review) == ((WORK,), (), False)


def test_workplace_and_council_keep_the_council_first() -> None:
    assert select_places([WORK, COUNCIL], QD96).accepted == (COUNCIL, WORK)


def test_assembly_profiles_poll_once_nq96_dieu_2() -> None:
    """ "một lần đối với các chức vụ đó": one place, no combination."""
    chosen = select_places([WORK, COUNCIL], NQ96)
    assert chosen.accepted == (COUNCIL,)
    assert chosen.refused == (WORK,)
    assert not chosen.combined_review


def test_max_places_is_a_named_parameter() -> None:
    three = QD96.with_overrides({"max_places": 3})
    assert select_places([WORK, PARTY, COUNCIL], three).accepted == (PARTY, COUNCIL, WORK)


# ---------------------------------------------------------------- petitions


def test_petition_thresholds_are_inclusive_nq96_dieu_13() -> None:
    """ "ít nhất là 20%" of 500 deputies is 100; "ít nhất là một phần ba" of 60 is 20."""
    assert binding_vote_petition_met(NQ96, Body.NATIONAL_ASSEMBLY, 100, 500)
    assert not binding_vote_petition_met(NQ96, Body.NATIONAL_ASSEMBLY, 99, 500)
    assert binding_vote_petition_met(NQ96, Body.PEOPLES_COUNCIL, 20, 60)
    assert not binding_vote_petition_met(NQ96, Body.PEOPLES_COUNCIL, 19, 60)


def test_party_profiles_have_no_petition_trigger() -> None:
    for profile in (QD96, QD262):
        assert not binding_vote_petition_met(profile, Body.NATIONAL_ASSEMBLY, 480, 480)
