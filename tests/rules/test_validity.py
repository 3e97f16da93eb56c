"""Ballot validity (phiếu hợp lệ / không hợp lệ) and what a tally refuses or warns about.

96-QĐ/TW Điều 6 khoản 3 [KTX]; 262-QĐ/TW khoản 7.2 Điều 7 [TVPL-262];
regulations.md §0.3 (two-level invalid handling).
"""

from __future__ import annotations

import pytest

from tests.strategies.ballots import ballot, candidates, conference
from tinnhiem.rules import (
    Ballot,
    Candidate,
    Conference,
    Level,
    LineDefect,
    RulesError,
    VoteKind,
    assess_ballot,
    canonical_marks,
    get_profile,
    tally,
)
from tinnhiem.rules.errors import WarningCode
from tinnhiem.rules.validity import BallotDefect, ballot_defects, line_defect

QD96 = get_profile("qd96-2023")
NQ96 = get_profile("nq96-2023")
QD262 = get_profile("qd262-2014")
NQ85 = get_profile("nq85-2014")
H, T, L, NO = Level.HIGH, Level.CONFIDENCE, Level.LOW, Level.NO_CONFIDENCE
POLL, BINDING = VoteKind.POLL, VoteKind.BINDING
TWO = candidates("Người E (giả định)", "Người G (giả định)")


# ------------------------------------------------------------------ one line


def test_exactly_one_box_is_a_valid_line_qd96_dieu_6_khoan_3() -> None:
    assert line_defect(ballot(H, L), "1") is None
    assert assess_ballot(ballot(H, L), TWO, QD96.params).lines == {"1": H, "2": L}


def test_no_box_marked_is_a_void_line_qd96_dieu_6_khoan_3() -> None:
    """ "không đánh dấu vào ô nào": an absent id and an empty tuple alike."""
    assert line_defect(ballot(None, H), "1") is LineDefect.NO_MARK
    assert line_defect(Ballot(marks={"1": ()}), "1") is LineDefect.NO_MARK


def test_two_or_three_boxes_marked_is_a_void_line_qd96_dieu_6_khoan_3() -> None:
    """ "đánh dấu vào hai hoặc ba ô"."""
    assert line_defect(ballot((H, T)), "1") is LineDefect.SEVERAL_MARKS
    assert line_defect(ballot((H, T, L)), "1") is LineDefect.SEVERAL_MARKS


def test_a_crossed_out_name_is_judged_before_its_marks() -> None:
    assert line_defect(ballot(H, crossed_out={"1"}), "1") is LineDefect.NAME_CROSSED_OUT


def test_canonical_marks_follow_the_ballot_order_of_levels() -> None:
    assert canonical_marks([L, H], POLL) == (H, L)
    assert canonical_marks((NO, T), BINDING) == (T, NO)


# ------------------------------------------------------------- whole ballot


def test_an_unissued_ballot_is_void_under_every_profile() -> None:
    """ "phiếu không do ban kiểm phiếu phát ra" (96 Điều 6 khoản 3; 262 khoản 7.2 Điều 7)."""
    for profile in (QD96, NQ96, QD262, NQ85):
        assessment = assess_ballot(ballot(H, H, issued=False), TWO, profile.params)
        assert assessment.void
        assert assessment.defects == (BallotDefect.NOT_ISSUED,)


def test_a_void_ballot_gives_every_person_a_void_line() -> None:
    assessment = assess_ballot(ballot(H, L, crossed_out={"2"}), TWO, QD96.params)
    assert assessment.lines == {"1": LineDefect.BALLOT_VOID, "2": LineDefect.BALLOT_VOID}


def test_added_names_void_only_the_added_part_under_qd96_dieu_6_khoan_3() -> None:
    """ "phần ghi thêm là không hợp lệ; các trường hợp trong danh sách còn lại … hợp lệ"."""
    assessment = assess_ballot(ballot(H, L, added_names=2), TWO, QD96.params)
    assert not assessment.void
    assert assessment.lines == {"1": H, "2": L}


def test_added_names_void_the_whole_ballot_under_qd262_dieu_7() -> None:
    assessment = assess_ballot(ballot(H, L, added_names=1), TWO, QD262.params)
    assert assessment.defects == (BallotDefect.ADDED_NAMES,)


def test_other_writing_is_harmless_under_qd96_and_voids_under_qd262_dieu_7() -> None:
    """262: "phiếu có ghi thêm … các thông tin khác vào phiếu"; 96 lists no such defect."""
    paper = ballot(H, L, other_writing=True)
    assert not assess_ballot(paper, TWO, QD96.params).void
    assert assess_ballot(paper, TWO, QD262.params).defects == (BallotDefect.OTHER_WRITING,)


def test_a_blank_line_voids_the_whole_ballot_under_qd262_literal_reading() -> None:
    """Second pass §3: under 262 a blank or over-marked line voids the whole ballot
    (named parameter line_defect_voids_ballot)."""
    for paper in (ballot(None, L), ballot((H, T), L)):
        assessment = assess_ballot(paper, TWO, QD262.params)
        assert assessment.defects == (BallotDefect.LINE_DEFECT,)
        assert assessment.lines["2"] is LineDefect.BALLOT_VOID
        assert assess_ballot(paper, TWO, QD96.params).lines["2"] is L


def test_a_signature_voids_only_when_the_profile_says_so() -> None:
    paper = ballot(H, L, signed=True)
    assert not assess_ballot(paper, TWO, QD96.params).void
    strict = QD96.with_overrides({"signature_voids_ballot": "true"})
    assert assess_ballot(paper, TWO, strict.params).defects == (BallotDefect.SIGNED,)


def test_crossing_out_can_void_only_the_line_by_parameter() -> None:
    """crossed_out_voids_ballot is UNVERIFIED for 96 (§1.4): configurable."""
    line_only = QD96.with_overrides({"crossed_out_voids_ballot": "false"})
    assessment = assess_ballot(ballot(H, L, crossed_out={"1"}), TWO, line_only.params)
    assert assessment.lines == {"1": LineDefect.NAME_CROSSED_OUT, "2": L}
    assert not QD96.parameter_sources["crossed_out_voids_ballot"].verified


def test_qd262_judges_a_crossed_out_line_alone_when_crossing_voids_only_the_line() -> None:
    profile = QD262.with_overrides({"crossed_out_voids_ballot": False})
    paper = ballot(None, L, crossed_out={"1"})
    assessment = assess_ballot(paper, TWO, profile.params)
    assert not assessment.void
    assert assessment.lines == {"1": LineDefect.NAME_CROSSED_OUT, "2": L}
    result = tally(conference(POLL, TWO, [paper]), profile)
    assert [c.valid for c in result.candidates] == [0, 1]


def test_every_reason_for_a_void_ballot_is_listed() -> None:
    paper = ballot(None, L, issued=False, crossed_out={"2"}, added_names=1, other_writing=True)
    assert ballot_defects(paper, TWO, QD262.params) == (
        BallotDefect.NOT_ISSUED,
        BallotDefect.NAME_CROSSED_OUT,
        BallotDefect.ADDED_NAMES,
        BallotDefect.OTHER_WRITING,
        BallotDefect.LINE_DEFECT,
    )


def test_binding_ballots_have_two_levels_and_the_same_line_rules() -> None:
    """Bỏ phiếu tín nhiệm: "tín nhiệm", "không tín nhiệm" (NQ 96/2023 Điều 13–14)."""
    assessment = assess_ballot(ballot(NO, (T, NO)), TWO, NQ96.params)
    assert assessment.lines == {"1": NO, "2": LineDefect.SEVERAL_MARKS}
    result = tally(conference(BINDING, TWO, [ballot(NO, T), ballot(NO, (T, NO))]), NQ96)
    assert [dict(c.counts) for c in result.candidates] == [{T: 0, NO: 2}, {T: 1, NO: 0}]


# --------------------------------------------------------- in a whole tally


def test_a_void_ballot_stays_in_ballots_collected_regulations_0_3() -> None:
    box = [ballot(H, H), ballot(L, L), ballot(L, L, crossed_out={"1"})]
    result = tally(conference(POLL, TWO, box), QD96)
    assert (result.collected, result.whole_invalid, result.base) == (3, 1, 3)
    first = result.candidates[0]
    assert (first.valid, first.invalid) == (2, 1)
    assert first.percent(L) == "33.33"


def test_qd262_added_name_ballot_is_void_for_everyone_in_the_tally() -> None:
    box = [ballot(L, L), ballot(L, L), ballot(L, L, added_names=1)]
    under_96 = tally(conference(POLL, TWO, box), QD96).candidates[0]
    under_262 = tally(conference(POLL, TWO, box), QD262).candidates[0]
    assert (under_96.counts[L], under_96.invalid) == (3, 0)
    assert (under_262.counts[L], under_262.invalid) == (2, 1)


# ----------------------------------------------------- refused conferences


def _refused(conf: Conference, code: str = "invalid_conference") -> None:
    with pytest.raises(RulesError) as caught:
        tally(conf, QD96)
    assert caught.value.code == code


def test_a_mark_for_an_unknown_person_is_refused() -> None:
    _refused(conference(POLL, TWO, [Ballot(marks={"9": (H,)})]))


def test_a_binding_level_on_a_poll_ballot_is_refused() -> None:
    _refused(conference(POLL, TWO, [ballot(NO, H)]))


def test_a_non_canonical_mark_order_is_refused() -> None:
    _refused(conference(POLL, TWO, [Ballot(marks={"1": (L, H)})]))


def test_crossing_out_an_unknown_person_is_refused() -> None:
    _refused(conference(POLL, TWO, [ballot(H, H, crossed_out={"7"})]))


def test_duplicate_candidate_ids_are_refused() -> None:
    twins = (Candidate("1", "Người H (giả định)"), Candidate("1", "Người K (giả định)"))
    _refused(conference(POLL, twins, [ballot(H)]))


@pytest.mark.parametrize("field", ["summoned", "present", "issued", "members_total"])
def test_negative_figures_are_refused(field: str) -> None:
    _refused(conference(POLL, TWO, [ballot(H, H)], **{field: -1}))


def test_negative_added_names_are_refused() -> None:
    _refused(conference(POLL, TWO, [ballot(H, H, added_names=-1)]))


def test_total_members_base_without_members_total_is_refused_nq85() -> None:
    with pytest.raises(RulesError) as caught:
        tally(conference(POLL, TWO, [ballot(H, H)]), NQ85)
    assert caught.value.code == "missing_base"
    assert "members_total" in caught.value.message_en


# -------------------------------------------------------------- warnings


def _codes(conf: Conference, profile_id: str = "qd96-2023") -> set[WarningCode]:
    return {w.code for w in tally(conf, get_profile(profile_id)).warnings}


def test_a_regular_conference_has_no_warnings() -> None:
    assert _codes(conference(POLL, TWO, [ballot(H, H)] * 5, summoned=6)) == set()


def test_irregular_figures_are_warnings_not_errors() -> None:
    conf = conference(POLL, TWO, [ballot(H, H)] * 5, summoned=3, present=4, issued=4)
    assert _codes(conf) == {
        WarningCode.PRESENT_EXCEEDS_SUMMONED,
        WarningCode.COLLECTED_EXCEEDS_ISSUED,
        WarningCode.COLLECTED_EXCEEDS_PRESENT,
    }


def test_more_ballots_issued_than_present_is_a_warning() -> None:
    conf = conference(POLL, TWO, [ballot(H, H)] * 5, issued=6)
    assert _codes(conf) == {WarningCode.ISSUED_EXCEEDS_PRESENT}


def test_more_summoned_than_members_is_a_warning() -> None:
    conf = conference(POLL, TWO, [ballot(H, H)] * 5, members_total=4)
    assert WarningCode.SUMMONED_EXCEEDS_MEMBERS in _codes(conf)


def test_an_empty_box_warns_that_the_base_is_zero_and_gives_no_band() -> None:
    result = tally(conference(POLL, TWO, [], summoned=0), QD96)
    assert WarningCode.BASE_IS_ZERO in {w.code for w in result.warnings}
    assert all(c.band == "none" and c.percent(L) == "0.00" for c in result.candidates)
    assert all(c.share(L) is None for c in result.candidates)


def test_more_valid_lines_than_total_members_is_a_warning_nq85() -> None:
    conf = conference(POLL, TWO, [ballot(H, H)] * 5, members_total=4, summoned=4)
    assert WarningCode.VOTES_EXCEED_BASE in _codes(conf, "nq85-2014")
