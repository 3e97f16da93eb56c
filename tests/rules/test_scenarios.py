"""regulations.md §7: every test scenario, 1 to 34, as its own test.

Each test names the scenario number and the legal article it checks. Threshold
scenarios tally real conferences; the persons are invented.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.strategies.ballots import ballot, candidates, conference, one_person
from tinnhiem.rules import (
    Band,
    Body,
    DeadlineStatus,
    Level,
    LineDefect,
    OfficialFacts,
    PlaceKind,
    VoteKind,
    assess_ballot,
    binding_vote_petition_met,
    check_quorum,
    compute_deadlines,
    decide_eligibility,
    get_profile,
    select_places,
    tally,
)
from tinnhiem.rules.eligibility import ExclusionCode, add_months
from tinnhiem.rules.validity import BallotDefect

QD96 = get_profile("qd96-2023")
NQ96 = get_profile("nq96-2023")
QD262 = get_profile("qd262-2014")
NQ85 = get_profile("nq85-2014")

POLL = VoteKind.POLL
BINDING = VoteKind.BINDING
H, T, L = Level.HIGH, Level.CONFIDENCE, Level.LOW
THREE = candidates("Người A (giả định)", "Người B (giả định)", "Người C (giả định)")


def poll_band(profile_id: str, collected: int, low: int, members_total: int | None = None) -> Band:
    """Tally one person with ``low`` "tín nhiệm thấp" out of ``collected`` ballots."""
    result = tally(
        one_person(POLL, collected, low, members_total=members_total), get_profile(profile_id)
    )
    (person,) = result.candidates
    assert person.adverse == low
    return person.band


def quorum_met(summoned: int, present: int) -> bool:
    return check_quorum(summoned=summoned, present=present, params=QD96.params).met


# ------------------------------------------------------------ quorum (P23)


def test_scenario_01_ten_of_fifteen_present_meets_quorum_qd96_dieu_3_khoan_2() -> None:
    """96-QĐ/TW Điều 3 khoản 2: "ít nhất 2/3 số người được triệu tập" (3·10 = 30 ≥ 30)."""
    result = check_quorum(summoned=15, present=10, params=QD96.params)
    assert result.met
    assert result.required == 10


def test_scenario_02_nine_of_fifteen_present_is_no_quorum_qd96_dieu_3_khoan_2() -> None:
    assert not quorum_met(15, 9)


def test_scenario_03_seventeen_summoned_needs_twelve_qd96_dieu_3_khoan_2() -> None:
    """36 ≥ 34 meets the quorum; 33 < 34 does not."""
    assert quorum_met(17, 12)
    assert not quorum_met(17, 11)
    assert check_quorum(summoned=17, present=11, params=QD96.params).required == 12


def test_scenario_04_fourteen_summoned_needs_ten_qd96_dieu_3_khoan_2() -> None:
    """30 ≥ 28 meets the quorum; 27 < 28 does not."""
    assert quorum_met(14, 10)
    assert not quorum_met(14, 9)


# --------------------------------------------------------- thresholds (P23)


def test_scenario_05_seven_low_of_fifteen_is_no_band_qd96_dieu_11() -> None:
    assert poll_band("qd96-2023", 15, 7) is Band.NONE


def test_scenario_06_exactly_half_low_is_not_over_half_qd96_dieu_11() -> None:
    """ "trên 50%" is strict: 7 of 14 is exactly half."""
    assert poll_band("qd96-2023", 14, 7) is Band.NONE


def test_scenario_07_eight_low_of_fifteen_is_over_half_qd96_dieu_11() -> None:
    assert poll_band("qd96-2023", 15, 8) is Band.OVER_HALF_LOW


def test_scenario_08_nine_low_of_fifteen_is_over_half_qd96_dieu_11() -> None:
    assert poll_band("qd96-2023", 15, 9) is Band.OVER_HALF_LOW


def test_scenario_09_exactly_two_thirds_low_is_two_thirds_band_qd96_dieu_11() -> None:
    """ "từ 2/3 số phiếu tín nhiệm thấp trở lên": 10 of 15 is in the top band."""
    result = tally(one_person(POLL, 15, 10), QD96)
    (person,) = result.candidates
    assert person.band is Band.TWO_THIRDS_LOW
    assert "miễn nhiệm" in person.consequence_vi
    assert person.percent(L) == "66.67"


def test_scenario_10_fourteen_ballots_two_thirds_boundary_qd96_dieu_11() -> None:
    """9 of 14 (64.29 %, 27 < 28) is over half; 10 of 14 (71.4 %) is two thirds."""
    assert poll_band("qd96-2023", 14, 9) is Band.OVER_HALF_LOW
    assert poll_band("qd96-2023", 14, 10) is Band.TWO_THIRDS_LOW


def test_scenario_11_small_conferences_exact_fractions_qd96_dieu_11() -> None:
    """2 of 3 is exactly two thirds; 2 of 4 is exactly half (no band)."""
    assert poll_band("qd96-2023", 3, 2) is Band.TWO_THIRDS_LOW
    assert poll_band("qd96-2023", 4, 2) is Band.NONE


def test_scenario_12_six_ballots_four_low_is_two_thirds_three_is_none_qd96_dieu_11() -> None:
    assert poll_band("qd96-2023", 6, 4) is Band.TWO_THIRDS_LOW
    assert poll_band("qd96-2023", 6, 3) is Band.NONE


def test_scenario_13_rounding_trap_200_of_300_is_two_thirds_qd96_dieu_11() -> None:
    """Integer comparison, not the displayed 66.67 %."""
    result = tally(one_person(POLL, 300, 200), QD96)
    (person,) = result.candidates
    assert person.band is Band.TWO_THIRDS_LOW
    assert poll_band("qd96-2023", 300, 199) is Band.OVER_HALF_LOW


# ---------------------------------------------------- invalid handling (P23)


def test_scenario_14_unissued_ballot_is_void_but_collected_qd96_dieu_6_khoan_3() -> None:
    """ "phiếu không do ban kiểm phiếu phát ra" voids the whole ballot; whether it
    counts in "phiếu thu về" is UNVERIFIED: parameter unissued_counts_as_collected."""
    foreign = ballot(L, L, L, issued=False)
    assessment = assess_ballot(foreign, THREE, QD96.params)
    assert assessment.defects == (BallotDefect.NOT_ISSUED,)
    assert set(assessment.lines.values()) == {LineDefect.BALLOT_VOID}

    box = [ballot(H, H, H)] * 3 + [foreign]
    result = tally(conference(POLL, THREE, box, issued=3), QD96)
    assert (result.collected, result.whole_invalid, result.unissued) == (4, 1, 1)
    assert result.base == 4
    first = result.candidates[0]
    assert (first.valid, first.invalid, first.counts[L]) == (3, 1, 0)
    assert first.percent(H) == "75.00"
    assert "unissued_ballots" in {w.code for w in result.warnings}
    assert QD96.parameter_sources["unissued_counts_as_collected"].verified is False

    not_collected = QD96.with_overrides({"unissued_counts_as_collected": "false"})
    other = tally(conference(POLL, THREE, box, issued=3), not_collected)
    assert (other.collected, other.whole_invalid, other.base) == (3, 0, 3)
    assert other.candidates[0].percent(H) == "100.00"


def test_scenario_15_two_boxes_void_only_that_line_qd96_dieu_6_khoan_3() -> None:
    """ "đánh dấu vào hai hoặc ba ô" voids the line of that person only."""
    paper = ballot((H, L), T, L)
    assessment = assess_ballot(paper, THREE, QD96.params)
    assert not assessment.void
    assert assessment.lines == {"1": LineDefect.SEVERAL_MARKS, "2": T, "3": L}

    result = tally(conference(POLL, THREE, [paper]), QD96)
    a, b, c = result.candidates
    assert (a.valid, a.invalid) == (0, 1)
    assert (b.valid, b.counts[T]) == (1, 1)
    assert (c.valid, c.counts[L]) == (1, 1)


def test_scenario_16_added_name_voids_added_part_qd96_whole_ballot_qd262_dieu_7() -> None:
    """96-QĐ/TW Điều 6 khoản 3: "phần ghi thêm là không hợp lệ"; 262-QĐ/TW khoản 7.2
    Điều 7: "phiếu có ghi thêm tên người" is void as a whole."""
    paper = ballot(H, T, L, added_names=1)
    assert assess_ballot(paper, THREE, QD96.params).lines == {"1": H, "2": T, "3": L}
    under_262 = assess_ballot(paper, THREE, QD262.params)
    assert under_262.defects == (BallotDefect.ADDED_NAMES,)

    assert [c.valid for c in tally(conference(POLL, THREE, [paper]), QD96).candidates] == [1] * 3
    strict = tally(conference(POLL, THREE, [paper]), QD262)
    assert strict.whole_invalid == 1
    assert [c.invalid for c in strict.candidates] == [1, 1, 1]


def test_scenario_17_crossed_out_name_voids_whole_ballot_qd96_dieu_6_qd262_dieu_7() -> None:
    """ "phiếu gạch xóa họ tên người được in trên phiếu" (96 Điều 6 khoản 3; 262
    khoản 7.2 Điều 7); configurable through crossed_out_voids_ballot."""
    paper = ballot(None, T, L, crossed_out={"1"})
    for profile in (QD96, QD262):
        assessment = assess_ballot(paper, THREE, profile.params)
        assert BallotDefect.NAME_CROSSED_OUT in assessment.defects
        result = tally(conference(POLL, THREE, [paper]), profile)
        assert result.whole_invalid == 1
        assert [c.valid for c in result.candidates] == [0, 0, 0]

    line_only = QD96.with_overrides({"crossed_out_voids_ballot": False})
    assessment = assess_ballot(paper, THREE, line_only.params)
    assert assessment.lines == {"1": LineDefect.NAME_CROSSED_OUT, "2": T, "3": L}
    assert [c.valid for c in tally(conference(POLL, THREE, [paper]), line_only).candidates] == [
        0,
        1,
        1,
    ]


def test_scenario_18_blank_line_is_void_and_base_stays_collected_qd96_dieu_6_khoan_3() -> None:
    """ "không đánh dấu vào ô nào": A's line is void; A's % still uses phiếu thu về."""
    box = [ballot(None, H, H), ballot(L, H, H), ballot(L, H, H), ballot(H, H, H)]
    assert assess_ballot(box[0], THREE, QD96.params).lines["1"] is LineDefect.NO_MARK
    result = tally(conference(POLL, THREE, box), QD96)
    a = result.candidates[0]
    assert result.base == 4
    assert (a.valid, a.invalid) == (3, 1)
    assert sum(a.counts.values()) < result.base
    assert a.percent(L) == "50.00"
    assert a.band is Band.NONE


def test_scenario_19_signed_ballot_is_valid_qd96_dieu_6_khoan_1() -> None:
    """ "có thể ký tên hoặc không ký tên vào phiếu tín nhiệm"."""
    paper = ballot(H, T, L, signed=True)
    assert assess_ballot(paper, THREE, QD96.params).defects == ()
    result = tally(conference(POLL, THREE, [paper]), QD96)
    assert [c.valid for c in result.candidates] == [1, 1, 1]


# -------------------------------------------------------------- Q23 and Q14


def test_scenario_20_vinh_phuc_replay_uses_47_not_46_nq96_2023_dieu_12() -> None:
    """25 low of 47 ballots (one blank line): 53.19 %, over half, may resign.

    The full replay is in test_vinh_phuc_2023.py."""
    box = [ballot(L)] * 25 + [ballot(H)] * 19 + [ballot(T)] * 2 + [ballot(None)]
    result = tally(conference(POLL, candidates("Người A (giả định)"), box), NQ96)
    (a,) = result.candidates
    assert (result.base, a.valid) == (47, 46)
    assert a.percent(L) == "53.19"
    assert a.band is Band.OVER_HALF_LOW
    assert "có thể xin từ chức" in a.consequence_vi.lower()


def test_scenario_21_q23_two_thirds_at_32_of_47_nq96_2023_dieu_12() -> None:
    """ "từ hai phần ba tổng số phiếu … trở lên": 96 ≥ 94 → dismissal proposal."""
    result = tally(one_person(POLL, 47, 32), NQ96)
    assert result.candidates[0].band is Band.TWO_THIRDS_LOW
    assert "miễn nhiệm" in result.candidates[0].consequence_vi
    assert poll_band("nq96-2023", 47, 31) is Band.OVER_HALF_LOW


def test_scenario_22_q23_over_half_at_24_of_47_nq96_2023_dieu_12() -> None:
    """ "quá nửa": 48 > 47; 23 of 47 is below it."""
    assert poll_band("nq96-2023", 47, 24) is Band.OVER_HALF_LOW
    assert poll_band("nq96-2023", 47, 23) is Band.NONE


def test_scenario_23_q14_half_of_total_deputies_is_not_over_half_nq85_dieu_12() -> None:
    """NQ 85/2014: "quá nửa tổng số đại biểu": 250 of 500 deputies (470 present) is
    not over half; 251 is, and the person may resign."""
    result = tally(one_person(POLL, 470, 250, members_total=500), NQ85)
    assert result.base == 500
    assert result.candidates[0].band is Band.NONE
    over = tally(one_person(POLL, 470, 251, members_total=500), NQ85).candidates[0]
    assert over.band is Band.OVER_HALF_LOW
    assert "có thể xin từ chức" in over.consequence_vi


def test_scenario_24_q14_two_thirds_of_total_triggers_binding_vote_nq85_dieu_12() -> None:
    """ "từ hai phần ba tổng số đại biểu trở lên": 334 of 500 (1002 ≥ 1000) means a
    mandatory binding vote; 333 means "may resign" only."""
    top = tally(one_person(POLL, 480, 334, members_total=500), NQ85).candidates[0]
    assert top.band is Band.TWO_THIRDS_LOW
    assert "bỏ phiếu tín nhiệm" in top.consequence_vi
    below = tally(one_person(POLL, 480, 333, members_total=500), NQ85).candidates[0]
    assert below.band is Band.OVER_HALF_LOW
    assert "có thể xin từ chức" in below.consequence_vi


def test_scenario_25_q14_denominator_trap_uses_members_total_nq85_dieu_17_khoan_1() -> None:
    """210 low of 400 ballots is 52.5 % of ballots but 42 % of the 500 deputies."""
    box = one_person(POLL, 400, 210, members_total=500)
    person = tally(box, NQ85).candidates[0]
    assert person.base == 500
    assert person.percent(L) == "42.00"
    assert person.band is Band.NONE
    # The same box over ballots collected (96-QĐ/TW) would be over half.
    assert tally(box, QD96).candidates[0].band is Band.OVER_HALF_LOW


def test_scenario_26_q14_binding_vote_needs_over_half_of_total_nq85() -> None:
    """BPTN: "quá nửa tổng số đại biểu … 'không tín nhiệm'": 240 of 480 is not
    passed; 241 is, and the person may resign first (Luật TCQH 2014 Điều 13)."""
    kept = tally(one_person(BINDING, 480, 240, members_total=480), NQ85)
    assert kept.kind is BINDING
    assert kept.candidates[0].counts[Level.NO_CONFIDENCE] == 240
    assert kept.candidates[0].band is Band.NONE
    lost = tally(one_person(BINDING, 480, 241, members_total=480), NQ85).candidates[0]
    assert lost.band is Band.OVER_HALF_NO_CONFIDENCE
    assert "có thể xin từ chức" in lost.consequence_vi
    # Absent deputies count against the person: 241 of 300 ballots is still 241 of 480.
    few = tally(one_person(BINDING, 300, 240, members_total=480), NQ85).candidates[0]
    assert few.band is Band.NONE


def test_scenario_27_petition_triggers_binding_vote_nq96_2023_dieu_13() -> None:
    """ "ít nhất là 20% tổng số đại biểu Quốc hội"; "ít nhất là một phần ba tổng số đại
    biểu HĐND" (NQ 96/2023/QH15 Điều 13; Luật TCQH 2014 Điều 13 for NQ 85/2014)."""
    for profile in (NQ96, NQ85):
        assert binding_vote_petition_met(profile, Body.NATIONAL_ASSEMBLY, 96, 480)
        assert not binding_vote_petition_met(profile, Body.NATIONAL_ASSEMBLY, 95, 480)
        assert binding_vote_petition_met(profile, Body.PEOPLES_COUNCIL, 17, 50)
        assert not binding_vote_petition_met(profile, Body.PEOPLES_COUNCIL, 16, 50)


def test_scenario_28_several_posts_one_line_q23_two_places_p23_nq96_dieu_2_qd96() -> None:
    """NQ 96/2023 Điều 2: one poll for all posts held. 96-QĐ/TW nguyên tắc 3: "tối đa
    ở 2 nơi", priority party committee > HĐND > workplace [S1]; two places are
    judged "xem xét tổng thể" (Điều 11): manual review."""
    person = candidates("Người D (Phó Chủ tịch UBND tỉnh, Ủy viên UBND tỉnh) (giả định)")
    result = tally(conference(POLL, person, [ballot(H), ballot(T), ballot(H)]), NQ96)
    assert len(result.candidates) == 1
    assert result.candidates[0].valid == 3
    q23 = select_places([PlaceKind.PEOPLES_COUNCIL, PlaceKind.PEOPLES_COUNCIL], NQ96)
    assert q23.accepted == (PlaceKind.PEOPLES_COUNCIL,)
    assert not q23.combined_review

    p23 = select_places(
        [PlaceKind.WORKPLACE, PlaceKind.PEOPLES_COUNCIL, PlaceKind.PARTY_COMMITTEE], QD96
    )
    assert p23.accepted == (PlaceKind.PARTY_COMMITTEE, PlaceKind.PEOPLES_COUNCIL)
    assert p23.refused == (PlaceKind.WORKPLACE,)
    assert p23.combined_review


# ------------------------------------------------------------- eligibility


def test_scenario_29_appointed_in_vote_year_is_excluded_qd96_dieu_3_nq96_dieu_2() -> None:
    """ "được bổ nhiệm, bầu cử trong năm lấy phiếu tín nhiệm" (96-QĐ/TW Điều 3 khoản 1;
    NQ 96/2023/QH15 Điều 2)."""
    facts = OfficialFacts(appointed_or_elected_on=date(2023, 3, 15))
    for profile, vote_day in ((QD96, date(2023, 6, 27)), (NQ96, date(2023, 12, 13))):
        decision = decide_eligibility(facts, profile, vote_day)
        assert not decision.eligible
        assert [e.code for e in decision.exclusions] == [ExclusionCode.APPOINTED_IN_VOTE_YEAR]


def test_scenario_30_retirement_notice_is_excluded_qd96_dieu_3_khoan_1() -> None:
    """ "đã có thông báo nghỉ công tác chờ nghỉ hưu"."""
    facts = OfficialFacts(retirement_notice=True)
    for profile in (QD96, NQ96):
        decision = decide_eligibility(facts, profile, date(2023, 10, 25))
        assert [e.code for e in decision.exclusions] == [ExclusionCode.RETIREMENT_NOTICE]


def test_scenario_31_serious_illness_six_months_is_excluded_nq96_dieu_2_khoan_5() -> None:
    """7 consecutive months of certified serious-illness leave excludes; 5 does not."""
    opening = date(2023, 10, 24)
    seven = OfficialFacts(illness_leave_since=add_months(opening, -7), medical_certificate=True)
    five = OfficialFacts(illness_leave_since=add_months(opening, -5), medical_certificate=True)
    excluded = decide_eligibility(seven, NQ96, opening)
    assert [e.code for e in excluded.exclusions] == [ExclusionCode.SERIOUS_ILLNESS]
    assert decide_eligibility(five, NQ96, opening).eligible


def test_scenario_32_q14_nine_months_in_post_rule_nq85_guidance_2018() -> None:
    """ "thời gian đảm nhiệm chức vụ liên tục chưa đủ 09 tháng, tính đến ngày khai mạc
    kỳ họp" (2018 guidance under NQ 85/2014, UNVERIFIED: min_months_in_post)."""
    opening = date(2018, 12, 5)
    eight = OfficialFacts(in_post_since=add_months(opening, -8))
    nine = OfficialFacts(in_post_since=add_months(opening, -9))
    excluded = decide_eligibility(eight, NQ85, opening)
    assert [e.code for e in excluded.exclusions] == [ExclusionCode.TOO_SHORT_IN_POST]
    assert decide_eligibility(nine, NQ85, opening).eligible


# ---------------------------------------------------------------- deadlines


def test_scenario_33_q23_session_timeline_report_at_d_minus_29_is_late_nq96_dieu_10() -> None:
    """List by D−45; report and asset declaration by D−30; Front by D−25; to
    deputies by D−20 (NQ 96/2023/QH15 Điều 10)."""
    opening = date(2023, 10, 23)
    due = {d.rule.code: d for d in compute_deadlines(NQ96, opening)}
    assert {code: (opening - d.due).days for code, d in due.items()} == {
        "provisional_list": 45,
        "report_submitted": 30,
        "front_opinions": 25,
        "reports_to_deputies": 20,
    }
    report = due["report_submitted"]
    received = opening - timedelta(days=29)
    assert report.status(done_on=received, today=received) is DeadlineStatus.LATE
    on_time = opening - timedelta(days=30)
    assert report.status(done_on=on_time, today=on_time) is DeadlineStatus.ON_TIME


def test_scenario_34_p23_timeline_answer_at_d_minus_3_is_on_time_qd96_dieu_9() -> None:
    """Dossier to voters "trước 15 ngày"; questions "trước 10 ngày"; answers
    "chậm nhất 03 ngày trước" (96-QĐ/TW Điều 9, [S3])."""
    vote_day = date(2023, 6, 27)
    due = {d.rule.code: d for d in compute_deadlines(QD96, vote_day)}
    assert (vote_day - due["dossier_to_voters"].due).days == 15
    assert (vote_day - due["questions_to_official"].due).days == 10
    answers = due["answers"]
    assert answers.due == date(2023, 6, 24)
    assert answers.status(done_on=date(2023, 6, 24), today=vote_day) is DeadlineStatus.ON_TIME
    assert answers.status(done_on=date(2023, 6, 25), today=vote_day) is DeadlineStatus.LATE
