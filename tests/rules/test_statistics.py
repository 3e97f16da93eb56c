"""Statistics of a vote round (the province report of seed [S0], regulations.md §5.4, §6).

Which class a person is in ("tín nhiệm cao / tín nhiệm / tín nhiệm thấp") is a
local reporting convention, UNVERIFIED: the profile parameter ``classification``.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.strategies.ballots import ballot, candidates, conference
from tinnhiem.rules import (
    Band,
    Level,
    PersonOutcome,
    VoteKind,
    get_profile,
    round_statistics,
    tally,
)
from tinnhiem.rules.statistics import (
    ShareBand,
    classify_high_majority,
    classify_plurality,
    share_band,
)

H, T, L, NO = Level.HIGH, Level.CONFIDENCE, Level.LOW, Level.NO_CONFIDENCE
POLL, BINDING = VoteKind.POLL, VoteKind.BINDING
QD262 = get_profile("qd262-2014")


def poll_counts(high: int, confidence: int, low: int) -> dict[Level, int]:
    return {H: high, T: confidence, L: low}


def outcome(
    block: str, agency: str, high: int, confidence: int, low: int, base: int | None = None
) -> PersonOutcome:
    base = high + confidence + low if base is None else base
    rule = QD262.band_for(POLL, low, base)
    return PersonOutcome(
        block=block,
        agency=agency,
        name=f"Người ({agency}) (giả định)",
        position="Trưởng phòng",
        kind=POLL,
        counts=poll_counts(high, confidence, low),
        base=base,
        band=rule.band if rule else Band.NONE,
        consequence_vi=rule.consequence_vi if rule else QD262.no_consequence_vi,
    )


# ------------------------------------------------------------ classification


def test_plurality_takes_the_level_with_the_most_votes() -> None:
    assert classify_plurality(POLL, poll_counts(6, 3, 1), 10) is H
    assert classify_plurality(POLL, poll_counts(1, 6, 3), 10) is T
    assert classify_plurality(POLL, poll_counts(1, 2, 7), 10) is L


def test_plurality_ties_go_to_the_lower_level() -> None:
    assert classify_plurality(POLL, poll_counts(4, 4, 2), 10) is T
    assert classify_plurality(POLL, poll_counts(2, 4, 4), 10) is L
    assert classify_plurality(POLL, poll_counts(4, 2, 4), 10) is L
    assert classify_plurality(POLL, poll_counts(3, 3, 3), 9) is L
    assert classify_plurality(POLL, poll_counts(0, 0, 0), 0) is L
    assert classify_plurality(BINDING, {T: 5, NO: 5}, 10) is NO


def test_high_majority_needs_more_than_half_of_the_base_rating_high() -> None:
    """'cao' when 2·H > N, else 'thấp' when 2·L > N, else 'tín nhiệm'."""
    assert classify_high_majority(POLL, poll_counts(6, 4, 0), 10) is H
    assert classify_high_majority(POLL, poll_counts(5, 5, 0), 10) is T
    assert classify_high_majority(POLL, poll_counts(0, 4, 6), 10) is L
    assert classify_high_majority(POLL, poll_counts(4, 1, 5), 10) is T
    # Over total deputies (NQ 85/2014), absentees lower every share.
    assert classify_high_majority(POLL, poll_counts(6, 1, 1), 12) is T


def test_high_majority_of_a_binding_vote_is_confidence_or_no_confidence() -> None:
    assert classify_high_majority(BINDING, {T: 4, NO: 6}, 10) is NO
    assert classify_high_majority(BINDING, {T: 5, NO: 5}, 10) is T


# ---------------------------------------------------------------- share bands


def test_share_band_boundaries_are_exact() -> None:
    assert share_band(1, 1) is ShareBand.FULL
    assert share_band(100, 100) is ShareBand.FULL
    assert share_band(99, 100) is ShareBand.FROM_80
    assert share_band(4, 5) is ShareBand.FROM_80
    assert share_band(79, 100) is ShareBand.FROM_70
    assert share_band(7, 10) is ShareBand.FROM_70
    assert share_band(69, 100) is ShareBand.FROM_60
    assert share_band(3, 5) is ShareBand.FROM_60
    assert share_band(1, 2) is ShareBand.FROM_50
    assert share_band(49, 100) is ShareBand.BELOW_50
    assert share_band(0, 7) is ShareBand.BELOW_50


def test_share_band_does_not_round_799_of_1000_up_to_80_percent() -> None:
    """79.9 % displays as "79.90" but is "từ 70% đến dưới 80%"."""
    assert share_band(799, 1000) is ShareBand.FROM_70
    assert share_band(2, 3) is ShareBand.FROM_60


def test_share_band_agrees_with_exact_fractions_for_small_bases() -> None:
    floors = [
        (ShareBand.FROM_80, Fraction(4, 5)),
        (ShareBand.FROM_70, Fraction(7, 10)),
        (ShareBand.FROM_60, Fraction(3, 5)),
        (ShareBand.FROM_50, Fraction(1, 2)),
    ]
    for base in range(1, 121):
        for count in range(base + 1):
            share = Fraction(count, base)
            expected = next((b for b, f in floors if share >= f), ShareBand.BELOW_50)
            if share == 1:
                expected = ShareBand.FULL
            assert share_band(count, base) is expected


def test_share_band_needs_a_positive_base() -> None:
    with pytest.raises(ValueError, match="positive base"):
        share_band(0, 0)


def test_share_bands_have_vietnamese_labels() -> None:
    assert ShareBand.FROM_80.label_vi == "Từ 80% đến dưới 100%"
    assert ShareBand.BELOW_50.label_vi == "Dưới 50%"


# ------------------------------------------------------------ round replay


BLOCKS: tuple[tuple[str, int, int, int], ...] = (
    # block, persons, agencies that held the vote, agencies due
    ("Khối I (giả định)", 41, 14, 15),
    ("Khối II (giả định)", 90, 26, 26),
    ("Khối III (giả định)", 25, 9, 9),
)
PROFILES_OF_PERSONS = (
    [(10, 0, 0)] * 56  # 100 % high
    + [(9, 1, 0)] * 73  # 90 %: từ 80% đến dưới 100%
    + [(7, 3, 0)] * 10  # exactly 70 %
    + [(6, 3, 1)] * 6  # exactly 60 %
    + [(2, 6, 2)] * 8  # tín nhiệm, low 20 % (< 40 %)
    + [(1, 5, 4)] * 2  # tín nhiệm, low exactly 40 %
    + [(1, 2, 7)] * 1  # tín nhiệm thấp, above two thirds
)


def hoa_binh_like_round() -> list[PersonOutcome]:
    """156 invented persons shaped like the [S0] report: 41 + 90 + 25 persons in
    49 of 50 agencies; classes 145 / 10 / 1; high-share bands 56 / 73 / 10 / 6."""
    people = iter(PROFILES_OF_PERSONS)
    outcomes = []
    for block, persons, agencies, _ in BLOCKS:
        for i in range(persons):
            agency = f"{block} đơn vị {i % agencies + 1}"
            outcomes.append(outcome(block, agency, *next(people)))
    assert next(people, None) is None
    return outcomes


def test_round_statistics_reproduce_the_s0_report_figures() -> None:
    stats = round_statistics(
        hoa_binh_like_round(), agencies_total={b: total for b, _, _, total in BLOCKS}
    )
    overall = stats.overall
    assert overall.persons == 156
    assert overall.agencies is not None
    assert (overall.agencies.count, overall.agencies.total) == (49, 50)
    assert [overall.classes[lv].count for lv in (H, T, L)] == [145, 10, 1]
    assert [overall.classes[lv].percent_vi() for lv in (H, T, L)] == ["92,95%", "6,41%", "0,64%"]
    bands = overall.high_share_bands
    assert [bands[b].count for b in ShareBand] == [56, 73, 10, 6, 0, 0]
    assert [bands[b].percent_vi() for b in list(ShareBand)[:4]] == [
        "38,62%",
        "50,34%",
        "6,90%",
        "4,14%",
    ]
    assert overall.high_at_least_70.count == 139
    assert overall.high_at_least_70.percent_vi() == "95,86%"
    assert overall.high_at_least_70_of_all.percent_vi() == "89,10%"
    assert overall.confidence_low_under_40 == 8


def test_round_statistics_group_per_block_in_first_seen_order() -> None:
    stats = round_statistics(
        hoa_binh_like_round(), agencies_total={b: total for b, _, _, total in BLOCKS}
    )
    assert [g.label for g in stats.blocks] == [b for b, _, _, _ in BLOCKS]
    assert [g.persons for g in stats.blocks] == [41, 90, 25]
    assert [(g.agencies_held, g.agencies_total) for g in stats.blocks] == [
        (14, 15),
        (26, 26),
        (9, 9),
    ]
    assert stats.blocks[0].agencies is not None
    assert stats.blocks[0].agencies.percent_vi() == "93,33%"
    assert stats.overall.label == "Tổng cộng"
    assert stats.classification == "plurality"


def test_round_statistics_list_persons_in_each_legal_band() -> None:
    stats = round_statistics(hoa_binh_like_round())
    legal = stats.overall.legal_bands
    assert set(legal) == {Band.TWO_THIRDS_LOW}
    (person,) = legal[Band.TWO_THIRDS_LOW]
    assert person.block == "Khối III (giả định)"
    assert stats.blocks[0].legal_bands == {}


def test_without_agencies_total_only_agencies_held_are_known() -> None:
    stats = round_statistics(hoa_binh_like_round())
    assert stats.overall.agencies_total is None
    assert stats.overall.agencies is None
    assert stats.overall.agencies_held == 49


def test_the_classification_rule_is_pluggable() -> None:
    outcomes = [outcome("Khối (giả định)", "Đơn vị 1", 5, 4, 1)]
    plurality = round_statistics(outcomes, classification="plurality").overall
    assert plurality.classes[H].count == 1
    majority = round_statistics(outcomes, classification="high_majority").overall  # 5/10
    assert (majority.classes[H].count, majority.classes[T].count) == (0, 1)


def test_an_unknown_classification_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown classification"):
        round_statistics([], classification="median")


def test_polls_and_binding_votes_are_not_mixed() -> None:
    poll = outcome("Khối (giả định)", "Đơn vị 1", 8, 1, 1)
    vote = PersonOutcome(
        block="Khối (giả định)",
        agency="Đơn vị 2",
        name="Người N (giả định)",
        position="Chủ tịch",
        kind=BINDING,
        counts={T: 9, NO: 1},
        base=10,
        band=Band.NONE,
        consequence_vi="",
    )
    with pytest.raises(ValueError, match="mix"):
        round_statistics([poll, vote])


def test_an_empty_round_has_no_persons_and_dashes_for_shares() -> None:
    stats = round_statistics([], agencies_total={})
    assert stats.blocks == ()
    assert stats.overall.persons == 0
    assert stats.overall.classes[H].percent_vi() == "–"
    assert stats.overall.agencies is not None
    assert stats.overall.agencies.total == 0


def test_person_outcome_is_built_from_a_tally_result() -> None:
    people = candidates("Người P (Giám đốc Sở, giả định)")
    result = tally(conference(POLL, people, [ballot(L), ballot(L), ballot(H)]), QD262)
    item = PersonOutcome.from_result(result.candidates[0], block="Khối X", agency="Sở Y")
    assert (item.block, item.agency, item.name) == ("Khối X", "Sở Y", people[0].name)
    assert item.counts[L] == 2
    assert item.base == 3
    assert item.band is Band.OVER_HALF_LOW
    assert item.consequence_vi == result.candidates[0].consequence_vi
