"""Quorum: "Hội nghị lấy phiếu tín nhiệm chỉ được tiến hành khi có ít nhất 2/3 số
người được triệu tập có mặt" (96-QĐ/TW Điều 3 khoản 2 [BTN][S1][BT])."""

from __future__ import annotations

import pytest

from tests.strategies.ballots import ballot, candidates, conference
from tinnhiem.rules import Level, VoteKind, check_quorum, get_profile, tally
from tinnhiem.rules.errors import WarningCode

QD96 = get_profile("qd96-2023")


def test_quorum_is_at_least_two_thirds_of_those_summoned_qd96_dieu_3_khoan_2() -> None:
    """ "ít nhất" is inclusive: 3·present ≥ 2·summoned."""
    met = check_quorum(summoned=30, present=20, params=QD96.params)
    assert (met.met, met.required, met.basis_value) == (True, 20, 30)
    assert not check_quorum(summoned=30, present=19, params=QD96.params).met


def test_required_presence_rounds_up_when_two_thirds_is_not_whole() -> None:
    assert check_quorum(summoned=16, present=0, params=QD96.params).required == 11
    assert check_quorum(summoned=17, present=0, params=QD96.params).required == 12
    assert check_quorum(summoned=18, present=0, params=QD96.params).required == 12


def test_the_result_echoes_summoned_and_present() -> None:
    result = check_quorum(summoned=17, present=14, params=QD96.params)
    assert (result.summoned, result.present) == (17, 14)


def test_a_strict_quorum_parameter_needs_more_than_the_fraction() -> None:
    """quorum_inclusive is UNVERIFIED outside 96-QĐ/TW: named parameter."""
    strict = QD96.with_overrides({"quorum_inclusive": "false"}).params
    assert not check_quorum(summoned=15, present=10, params=strict).met
    assert check_quorum(summoned=15, present=11, params=strict).met


def test_a_half_quorum_parameter_changes_the_fraction() -> None:
    half = QD96.with_overrides({"quorum_fraction": "1/2"}).params
    assert check_quorum(summoned=15, present=8, params=half).met
    assert not check_quorum(summoned=15, present=7, params=half).met


def test_quorum_over_total_members_uses_members_total_when_given() -> None:
    params = QD96.with_overrides({"quorum_basis": "members_total"}).params
    over_members = check_quorum(summoned=30, present=20, params=params, members_total=45)
    assert (over_members.basis_value, over_members.required, over_members.met) == (45, 30, False)
    fallback = check_quorum(summoned=30, present=20, params=params)
    assert (fallback.basis_value, fallback.met) == (30, True)


def test_negative_figures_are_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        check_quorum(summoned=-1, present=0, params=QD96.params)
    with pytest.raises(ValueError, match="non-negative"):
        check_quorum(summoned=3, present=-2, params=QD96.params)


def test_a_tally_without_quorum_warns_that_the_results_are_void() -> None:
    """Results are still computed, with a quorum_not_met warning."""
    people = candidates("Người M (giả định)")
    result = tally(conference(VoteKind.POLL, people, [ballot(Level.LOW)] * 9, summoned=15), QD96)
    assert not result.quorum.met
    assert result.quorum.required == 10
    assert WarningCode.QUORUM_NOT_MET in {w.code for w in result.warnings}
    assert result.candidates[0].counts[Level.LOW] == 9
