"""Replay of a provincial HĐND confidence poll of 12/2023 (regulations.md §0.1, §6).

Under Nghị quyết 96/2023/QH15, 47 ballots were collected. The press reported
every percentage over 47 ("tổng số phiếu"), including for the person with a
blank line (46 valid lines): the base is ballots collected, not valid lines.
Persons are role labels only.
"""

from __future__ import annotations

from itertools import zip_longest

import pytest

from tests.strategies.ballots import candidates, conference
from tinnhiem.rules import (
    Ballot,
    Band,
    Level,
    RulesError,
    TallyResult,
    VoteKind,
    get_profile,
    tally,
)
from tinnhiem.rules.numbers import format_percent_vi

H, T, L = Level.HIGH, Level.CONFIDENCE, Level.LOW
PEOPLE = candidates(
    "Người A (Chủ tịch UBND tỉnh)",
    "Người B (Chủ tịch HĐND tỉnh)",
    "Người C (chức danh do HĐND tỉnh bầu)",
)


def column(high: int, confidence: int, low: int, blank: int = 0) -> list[Level | None]:
    return [H] * high + [T] * confidence + [L] * low + [None] * blank


COLUMNS = (column(19, 2, 25, blank=1), column(46, 0, 1), column(33, 8, 6))


def box() -> list[Ballot]:
    ballots = []
    for row in zip_longest(*COLUMNS):
        marks = {str(i): (lv,) for i, lv in enumerate(row, start=1) if lv is not None}
        ballots.append(Ballot(marks=marks))
    return ballots


def replay(**overrides: str) -> TallyResult:
    profile = get_profile("nq96-2023").with_overrides(overrides)
    return tally(conference(VoteKind.POLL, PEOPLE, box()), profile)


def test_the_box_holds_47_ballots_and_every_percentage_is_over_47() -> None:
    result = replay()
    assert result.collected == 47
    assert result.whole_invalid == 0
    assert result.basis == "collected"
    assert result.base == 47
    assert result.quorum.met


def test_person_a_has_46_valid_lines_and_percentages_over_47_not_46() -> None:
    """Khoản 1 Điều 12 (UNVERIFIED) "tổng số phiếu": 19 / 2 / 25 → 40.43 / 4.26 / 53.19."""
    a = replay().candidates[0]
    assert a.candidate.name == "Người A (Chủ tịch UBND tỉnh)"
    assert (a.valid, a.invalid) == (46, 1)
    assert dict(a.counts) == {H: 19, T: 2, L: 25}
    assert [a.percent(lv) for lv in (H, T, L)] == ["40.43", "4.26", "53.19"]
    assert a.percent(L) != "54.35"  # 25/46: the valid-lines reading the press did not use
    assert format_percent_vi(a.counts[L], a.base) == "53,19%"


def test_person_a_is_over_half_low_and_may_resign_nq96_2023_dieu_12() -> None:
    """ "quá nửa đến dưới hai phần ba tổng số phiếu": 50 > 47 and 75 < 94."""
    a = replay().candidates[0]
    assert a.band is Band.OVER_HALF_LOW
    assert a.consequence_vi.startswith("Có thể xin từ chức")


def test_person_b_is_97_87_and_2_13_percent_with_no_band() -> None:
    b = replay().candidates[1]
    assert (b.valid, b.invalid) == (47, 0)
    assert [b.percent(lv) for lv in (H, T, L)] == ["97.87", "0.00", "2.13"]
    assert b.band is Band.NONE


def test_person_c_is_70_21_17_02_and_12_77_percent_with_no_band() -> None:
    c = replay().candidates[2]
    assert dict(c.counts) == {H: 33, T: 8, L: 6}
    assert [c.percent(lv) for lv in (H, T, L)] == ["70.21", "17.02", "12.77"]
    assert c.band is Band.NONE


def test_vietnamese_percentages_use_a_decimal_comma() -> None:
    a = replay().candidates[0]
    assert [a.percent(lv, ",") for lv in (H, T, L)] == ["40,43", "4,26", "53,19"]


def test_person_a_percentages_sum_below_100_because_of_the_blank_line() -> None:
    """regulations.md §0.3: a void line keeps the ballot in the base."""
    a = replay().candidates[0]
    assert sum(a.counts.values()) == 46
    assert sum(a.share(lv) or 0 for lv in (H, T, L)) < 1


def test_the_same_box_over_ballots_issued_gives_the_same_figures() -> None:
    """percentage_base=issued (a reading of "tổng số phiếu"): 47 issued as well."""
    result = replay(percentage_base="issued")
    assert result.base == 47
    assert result.candidates[0].percent(L) == "53.19"


def test_the_total_members_reading_needs_members_total_in_the_record() -> None:
    """Total membership is unknown for this case, so that reading cannot be tallied."""
    with pytest.raises(RulesError) as caught:
        replay(percentage_base="members_total")
    assert caught.value.code == "missing_base"
