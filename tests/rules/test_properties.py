"""Properties of the tally, the bands and the quorum.

Random conferences come from tests/strategies/ballots.py; the exhaustive
boundary checks compare the integer rules with :class:`fractions.Fraction`
for every base up to 1,000 (regulations.md §0.2).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies.ballots import (
    SEVERITY,
    conferences,
    profiles_with_validity,
)
from tinnhiem.rules import (
    PROFILES,
    Ballot,
    Band,
    Basis,
    Body,
    Conference,
    Level,
    Profile,
    TallyResult,
    VoteKind,
    assess_ballot,
    check_quorum,
    get_profile,
    tally,
)

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
MAX_N = 1000


def expected_band(profile: Profile, kind: VoteKind, adverse: int, base: int) -> Band:
    """The legal band from exact fractions: "trên 50%", "từ 2/3 … trở lên" / "trên 2/3"."""
    if base <= 0:
        return Band.NONE
    share = Fraction(adverse, base)
    if kind is VoteKind.BINDING:
        return Band.OVER_HALF_NO_CONFIDENCE if share > HALF else Band.NONE
    params = profile.params
    if params.two_thirds_tier and (
        share >= TWO_THIRDS if params.two_thirds_inclusive else share > TWO_THIRDS
    ):
        return Band.TWO_THIRDS_LOW
    return Band.OVER_HALF_LOW if share > HALF else Band.NONE


def reference_tally(
    conference: Conference, profile: Profile
) -> tuple[int, int, dict[str, dict[Level, int]]]:
    """Ballots collected, ballots void as a whole and counts per person, built from
    :func:`assess_ballot` one ballot at a time."""
    params = profile.params
    collected = whole_invalid = 0
    counts = {c.id: dict.fromkeys(conference.kind.levels, 0) for c in conference.candidates}
    for paper in conference.ballots:
        if not paper.issued and not params.unissued_counts_as_collected:
            continue
        collected += 1
        assessment = assess_ballot(paper, conference.candidates, params)
        whole_invalid += assessment.void
        for cid, line in assessment.lines.items():
            if isinstance(line, Level):
                counts[cid][line] += 1
    return collected, whole_invalid, counts


def expected_base(conference: Conference, profile: Profile, collected: int) -> int | None:
    basis = profile.params.percentage_base
    if basis is Basis.COLLECTED:
        return collected
    if basis is Basis.ISSUED:
        return conference.ballots_issued
    return conference.members_total


def severities(result: TallyResult) -> list[int]:
    return [SEVERITY[c.band] for c in result.candidates]


# --------------------------------------------------------------- (a) counts


@PROPERTY
@given(conference=conferences(), profile=profiles_with_validity())
def test_every_person_has_valid_plus_invalid_equal_to_ballots_collected(
    conference: Conference, profile: Profile
) -> None:
    """96-QĐ/TW Điều 6 khoản 3: "số phiếu hợp lệ, số phiếu không hợp lệ" of the
    ballots collected (regulations.md §0.3)."""
    result = tally(conference, profile)
    unissued = sum(not b.issued for b in conference.ballots)
    counted_unissued = unissued if profile.params.unissued_counts_as_collected else 0
    assert result.collected == len(conference.ballots) - unissued + counted_unissued
    assert 0 <= result.whole_invalid <= result.collected
    for person in result.candidates:
        assert person.valid + person.invalid == result.collected
        assert person.valid == sum(person.counts.values())
        assert person.invalid >= 0
        assert person.valid <= result.collected - result.whole_invalid


# ---------------------------------------------------------------- (b) order


@PROPERTY
@given(data=st.data(), profile=profiles_with_validity())
def test_the_result_does_not_depend_on_the_order_of_ballots(
    data: st.DataObject, profile: Profile
) -> None:
    conference = data.draw(conferences())
    shuffled = data.draw(st.permutations(conference.ballots))
    assert tally(replace(conference, ballots=tuple(shuffled)), profile) == tally(
        conference, profile
    )


# ---------------------------------------------------------- (c) monotonicity


@PROPERTY
@given(conference=conferences(), profile=profiles_with_validity())
def test_one_more_ballot_rating_everyone_adverse_never_lowers_a_band(
    conference: Conference, profile: Profile
) -> None:
    """Severity none < over half < two thirds; a new low (or no-confidence) ballot,
    issued and collected, can only raise it."""
    adverse = conference.kind.adverse_level
    extra = Ballot(marks={c.id: (adverse,) for c in conference.candidates})
    more = replace(
        conference,
        ballots=(*conference.ballots, extra),
        ballots_issued=conference.ballots_issued + 1,
    )
    before, after = tally(conference, profile), tally(more, profile)
    assert after.collected == before.collected + 1
    assert all(
        a.adverse == b.adverse + 1 for a, b in zip(after.candidates, before.candidates, strict=True)
    )
    assert all(a >= b for a, b in zip(severities(after), severities(before), strict=True))


@PROPERTY
@given(data=st.data(), profile=profiles_with_validity())
def test_turning_one_line_into_an_adverse_vote_never_lowers_a_band(
    data: st.DataObject, profile: Profile
) -> None:
    conference = data.draw(conferences().filter(lambda c: c.ballots))
    index = data.draw(st.integers(0, len(conference.ballots) - 1))
    person = data.draw(st.sampled_from(conference.candidates))
    paper = conference.ballots[index]
    marks = {**paper.marks, person.id: (conference.kind.adverse_level,)}
    ballots = list(conference.ballots)
    ballots[index] = replace(paper, marks=marks)
    before = tally(conference, profile)
    after = tally(replace(conference, ballots=tuple(ballots)), profile)
    assert after.base == before.base
    for a, b in zip(after.candidates, before.candidates, strict=True):
        assert a.adverse >= b.adverse
        assert SEVERITY[a.band] >= SEVERITY[b.band]


# ------------------------------------------------------- (d) exact boundaries


@pytest.mark.parametrize("profile_id", sorted(PROFILES))
def test_poll_bands_match_exact_fractions_for_every_base_up_to_1000(profile_id: str) -> None:
    """ "trên 50%" (2L > N); "từ 2/3 … trở lên" (3L ≥ 2N) or, under 262, "trên 2/3"."""
    profile = get_profile(profile_id)
    poll = VoteKind.POLL
    inclusive = profile.params.two_thirds_inclusive
    for base in range(MAX_N + 1):
        half, two_thirds = HALF * base, TWO_THIRDS * base
        for low in range(base + 1):
            rule = profile.band_for(poll, low, base)
            band = rule.band if rule else Band.NONE
            if base == 0:
                expected = Band.NONE
            elif low >= two_thirds if inclusive else low > two_thirds:
                expected = Band.TWO_THIRDS_LOW
            elif low > half:
                expected = Band.OVER_HALF_LOW
            else:
                expected = Band.NONE
            assert band is expected, (profile_id, low, base)


def test_binding_and_petition_thresholds_match_exact_fractions_up_to_1000() -> None:
    """BPTN "quá nửa" (strict); petitions "ít nhất là 20%" and "ít nhất là một phần ba"
    (inclusive), NQ 96/2023/QH15 Điều 13–14."""
    nq96 = get_profile("nq96-2023")
    binding = nq96.band_rules(VoteKind.BINDING)[0].threshold
    assembly = nq96.petition_thresholds[Body.NATIONAL_ASSEMBLY]
    council = nq96.petition_thresholds[Body.PEOPLES_COUNCIL]
    fifth, third = Fraction(1, 5), Fraction(1, 3)
    for total in range(MAX_N + 1):
        for count in range(total + 1):
            assert binding.reached(count, total) == (count > HALF * total)
            assert assembly.reached(count, total) == (count >= fifth * total)
            assert council.reached(count, total) == (count >= third * total)


def test_quorum_matches_exact_fractions_for_every_conference_up_to_1000() -> None:
    """96-QĐ/TW Điều 3 khoản 2: "ít nhất 2/3 số người được triệu tập có mặt"."""
    params = get_profile("qd96-2023").params
    for summoned in range(MAX_N + 1):
        needed = TWO_THIRDS * summoned
        least = None
        for present in range(summoned + 1):
            result = check_quorum(summoned=summoned, present=present, params=params)
            assert result.met == (present >= needed), (summoned, present)
            if least is None and present >= needed:
                least = present
        assert result.required == least, summoned


# --------------------------------------------------- (e) fast path = reference


@PROPERTY
@given(
    conference=conferences(max_candidates=5),
    profile=profiles_with_validity(vary_thresholds=True),
)
def test_tally_agrees_with_a_reference_tally_built_from_assess_ballot(
    conference: Conference, profile: Profile
) -> None:
    """:func:`tally` (fast path) against :func:`assess_ballot` (reference semantics),
    for polls and binding votes and every combination of validity parameters."""
    collected, whole_invalid, counts = reference_tally(conference, profile)
    result = tally(conference, profile)
    assert result.kind is conference.kind
    assert (result.collected, result.whole_invalid) == (collected, whole_invalid)
    base = expected_base(conference, profile, collected)
    assert result.base == base
    assert base is not None
    for person in result.candidates:
        assert dict(person.counts) == counts[person.candidate.id]
        assert person.valid == sum(counts[person.candidate.id].values())
        assert person.band is expected_band(profile, conference.kind, person.adverse, base)
        assert person.consequence_vi == profile.consequence(conference.kind, person.band)


@PROPERTY
@given(
    conference=conferences(kind=VoteKind.BINDING),
    profile=profiles_with_validity(vary_thresholds=True),
)
def test_tally_agrees_with_the_reference_for_binding_votes(
    conference: Conference, profile: Profile
) -> None:
    collected, whole_invalid, counts = reference_tally(conference, profile)
    result = tally(conference, profile)
    assert (result.collected, result.whole_invalid) == (collected, whole_invalid)
    assert [dict(p.counts) for p in result.candidates] == [
        counts[c.id] for c in conference.candidates
    ]
    assert {p.band for p in result.candidates} <= {Band.NONE, Band.OVER_HALF_NO_CONFIDENCE}


# ------------------------------------------------------- (f) at most 100 %


@PROPERTY
@given(conference=conferences(), profile=profiles_with_validity())
def test_no_percentage_exceeds_100_when_the_base_is_ballots_collected(
    conference: Conference, profile: Profile
) -> None:
    profile = profile.with_overrides({"percentage_base": "collected"})
    result = tally(conference, profile)
    for person in result.candidates:
        assert person.valid <= result.base
        for level in conference.kind.levels:
            assert int(person.percent(level).replace(".", "")) <= 100_00
            share = person.share(level)
            assert share is None or 0 <= share <= 1
        total = sum((person.share(lv) or Fraction(0)) for lv in conference.kind.levels)
        assert total <= 1
