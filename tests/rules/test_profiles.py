"""Regulation profiles: defaults, sources, bands and named overrides."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

import pytest

from tinnhiem.rules import (
    PROFILES,
    Band,
    Basis,
    InvalidParameterError,
    Profile,
    UnknownProfileError,
    VoteKind,
    get_profile,
)
from tinnhiem.rules.profiles import (
    PARAMETER_DOCS,
    Parameters,
    PlaceKind,
    QuorumBasis,
    Threshold,
)

QD96 = get_profile("qd96-2023")
NQ96 = get_profile("nq96-2023")
QD262 = get_profile("qd262-2014")
NQ85 = get_profile("nq85-2014")
POLL, BINDING = VoteKind.POLL, VoteKind.BINDING


def band(profile: Profile, kind: VoteKind, adverse: int, base: int) -> Band:
    rule = profile.band_for(kind, adverse, base)
    return rule.band if rule else Band.NONE


# ------------------------------------------------------------------ catalogue


def test_the_four_profiles_are_known_by_their_wire_ids() -> None:
    assert set(PROFILES) == {"qd96-2023", "nq96-2023", "qd262-2014", "nq85-2014"}
    assert all(get_profile(pid).id == pid for pid in PROFILES)


def test_an_unknown_profile_id_is_refused_with_a_stable_code() -> None:
    with pytest.raises(UnknownProfileError) as caught:
        get_profile("qd96-2024")
    assert caught.value.code == "unknown_profile"
    assert "qd96-2023" in caught.value.message_en


def test_the_2014_profiles_are_superseded_by_the_2023_ones() -> None:
    assert QD262.superseded_by == "qd96-2023"
    assert NQ85.superseded_by == "nq96-2023"
    assert QD96.superseded_by is None
    assert NQ96.superseded_by is None


def test_every_profile_provides_polls_and_binding_votes() -> None:
    assert all(set(p.kinds) == {POLL, BINDING} for p in PROFILES.values())


# ------------------------------------------------------------------- defaults


def test_qd96_counts_over_ballots_collected_dieu_6_khoan_3() -> None:
    """ "tỉ lệ phần trăm trên tổng số phiếu thu về"."""
    assert QD96.params.percentage_base is Basis.COLLECTED
    assert QD96.parameter_sources["percentage_base"].verified


def test_qd96_quorum_is_at_least_two_thirds_of_those_summoned_dieu_3_khoan_2() -> None:
    p = QD96.params
    assert (p.quorum_fraction, p.quorum_inclusive) == (Fraction(2, 3), True)
    assert p.quorum_basis is QuorumBasis.SUMMONED


def test_qd96_voids_only_the_added_part_and_allows_signatures_dieu_6() -> None:
    """ "phần ghi thêm là không hợp lệ"; "có thể ký tên hoặc không ký tên"."""
    p = QD96.params
    assert not p.added_names_void_ballot
    assert not p.other_writing_voids_ballot
    assert not p.signature_voids_ballot
    assert not p.line_defect_voids_ballot
    assert p.crossed_out_voids_ballot


def test_qd262_voids_the_whole_ballot_on_added_names_writing_or_a_bad_line_dieu_7() -> None:
    """262-QĐ/TW khoản 7.2 Điều 7: "phiếu có ghi thêm tên người hoặc các thông tin
    khác"; "không đánh dấu vào ô nào hoặc đánh dấu vào hai hoặc ba ô" (literal)."""
    p = QD262.params
    assert p.added_names_void_ballot
    assert p.other_writing_voids_ballot
    assert p.line_defect_voids_ballot
    assert p.crossed_out_voids_ballot


def test_nq85_counts_over_total_deputies_dieu_17_khoan_1() -> None:
    """ "tỷ lệ phần trăm so với tổng số đại biểu Quốc hội hoặc đại biểu HĐND"."""
    assert NQ85.params.percentage_base is Basis.MEMBERS_TOTAL
    assert NQ85.parameter_sources["percentage_base"].verified


def test_nq96_base_is_ballots_collected_by_an_unverified_default() -> None:
    """regulations.md second pass §7: "tổng số phiếu" is undefined, default collected."""
    assert NQ96.params.percentage_base is Basis.COLLECTED
    assert not NQ96.parameter_sources["percentage_base"].verified


def test_nq96_excludes_six_months_of_serious_illness_dieu_2_khoan_5() -> None:
    assert NQ96.params.serious_illness_min_months == 6
    assert QD96.params.serious_illness_min_months == 0


def test_nq85_excludes_fewer_than_nine_months_in_post_guidance_2018() -> None:
    assert NQ85.params.min_months_in_post == 9
    assert not NQ85.parameter_sources["min_months_in_post"].verified


def test_places_are_two_for_party_rules_and_one_for_assembly_rules() -> None:
    """96-QĐ/TW: "tối đa ở 2 nơi"; NQ 96/2023 Điều 2: "một lần đối với các chức vụ đó"."""
    assert QD96.params.max_places == 2
    assert NQ96.params.max_places == 1
    assert NQ85.params.max_places == 1


def test_only_nq85_lets_a_person_who_lost_a_binding_vote_resign_first_by_default() -> None:
    """NQ 85/2014 and Luật TCQH 2014 Điều 13: "có thể xin từ chức"; Q23 UNVERIFIED."""
    assert NQ85.params.binding_resign_option
    assert not NQ96.params.binding_resign_option
    assert not NQ96.parameter_sources["binding_resign_option"].verified


def test_default_classification_is_plurality_everywhere() -> None:
    assert {p.params.classification for p in PROFILES.values()} == {"plurality"}


# ---------------------------------------------------------------------- bands


def test_qd96_two_thirds_tier_is_inclusive_dieu_11() -> None:
    """ "từ 2/3 số phiếu tín nhiệm thấp trở lên": 3L ≥ 2N."""
    assert band(QD96, POLL, 10, 15) is Band.TWO_THIRDS_LOW
    assert band(QD96, POLL, 2, 3) is Band.TWO_THIRDS_LOW


def test_qd262_two_thirds_tier_is_strict_tren_2_3() -> None:
    """262-QĐ/TW (second pass §4): "trên 2/3", strict: 3L > 2N."""
    assert band(QD262, POLL, 10, 15) is Band.OVER_HALF_LOW
    assert band(QD262, POLL, 11, 15) is Band.TWO_THIRDS_LOW
    assert band(QD262, POLL, 2, 3) is Band.OVER_HALF_LOW
    assert QD262.band_rules(POLL)[0].threshold.describe_vi() == "trên 2/3"
    assert QD96.band_rules(POLL)[0].threshold.describe_vi() == "từ 2/3 trở lên"


def test_over_half_is_strict_in_every_profile() -> None:
    """ "trên 50%" / "quá nửa": exactly half is no band."""
    for profile in PROFILES.values():
        assert band(profile, POLL, 7, 14) is Band.NONE
        assert band(profile, POLL, 8, 15) is Band.OVER_HALF_LOW
        assert band(profile, BINDING, 240, 480) is Band.NONE
        assert band(profile, BINDING, 241, 480) is Band.OVER_HALF_NO_CONFIDENCE


def test_band_rules_are_listed_most_severe_first() -> None:
    for profile in PROFILES.values():
        assert [r.band for r in profile.band_rules(POLL)] == [
            Band.TWO_THIRDS_LOW,
            Band.OVER_HALF_LOW,
        ]
        assert [r.band for r in profile.band_rules(BINDING)] == [Band.OVER_HALF_NO_CONFIDENCE]


def test_without_the_two_thirds_tier_every_majority_is_over_half() -> None:
    profile = QD96.with_overrides({"two_thirds_tier": "false"})
    assert band(profile, POLL, 15, 15) is Band.OVER_HALF_LOW
    assert [r.band for r in profile.band_rules(POLL)] == [Band.OVER_HALF_LOW]


def test_an_empty_base_has_no_band() -> None:
    assert QD96.band_for(POLL, 0, 0) is None


def test_consequence_of_no_band_is_the_no_consequence_text() -> None:
    assert QD96.consequence(POLL, Band.NONE) == QD96.no_consequence_vi
    assert QD96.consequence(POLL, Band.NONE, "en") == "No mandatory consequence."
    with pytest.raises(ValueError, match="does not exist"):
        QD96.consequence(POLL, Band.OVER_HALF_NO_CONFIDENCE)


def test_a_binding_vote_below_the_threshold_does_not_speak_of_low_confidence() -> None:
    """Bỏ phiếu tín nhiệm has the levels "tín nhiệm" and "không tín nhiệm" only."""
    for profile in PROFILES.values():
        text = profile.consequence(BINDING, Band.NONE)
        assert "tín nhiệm thấp" not in text
        assert "không tín nhiệm" in text.lower()


def test_binding_resign_option_switches_the_binding_consequence_text() -> None:
    """The named parameter binding_resign_option (second pass §6)."""
    plain = NQ96.consequence(BINDING, Band.OVER_HALF_NO_CONFIDENCE)
    resign = NQ96.with_overrides({"binding_resign_option": True}).consequence(
        BINDING, Band.OVER_HALF_NO_CONFIDENCE
    )
    assert "từ chức" not in plain
    assert resign.startswith("Có thể xin từ chức")


def test_threshold_minimum_count_is_the_least_count_that_reaches_it() -> None:
    for threshold in (Threshold(1, 2, False), Threshold(2, 3, True), Threshold(2, 3, False)):
        for base in range(0, 60):
            least = threshold.minimum_count(base)
            assert threshold.reached(least, base)
            assert least == 0 or not threshold.reached(least - 1, base)


# --------------------------------------------- unverified means named parameter


def test_every_profile_documents_a_source_for_every_named_parameter() -> None:
    fields = {f.name for f in dataclasses.fields(Parameters)}
    assert set(PARAMETER_DOCS) == fields
    for profile in PROFILES.values():
        assert set(profile.parameter_sources) == fields
        assert [name for name, _, _ in profile.parameter_table()] == list(PARAMETER_DOCS)


def _changed_value(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, Basis):
        return Basis.ISSUED if value is not Basis.ISSUED else Basis.COLLECTED
    if isinstance(value, QuorumBasis):
        return next(b for b in QuorumBasis if b is not value)
    if isinstance(value, Fraction):
        return Fraction(1, 2) if value != Fraction(1, 2) else Fraction(3, 4)
    if isinstance(value, int):
        return value + 1
    if isinstance(value, tuple):
        return tuple(reversed(value)) if len(value) > 1 else (*value, PlaceKind.WORKPLACE)
    return "high_majority" if value != "high_majority" else "plurality"


@pytest.mark.parametrize("profile_id", sorted(PROFILES))
def test_every_unverified_parameter_is_a_named_overridable_parameter(profile_id: str) -> None:
    """regulations.md: UNVERIFIED rules are named, configurable parameters."""
    profile = get_profile(profile_id)
    unverified = [n for n, s in profile.parameter_sources.items() if not s.verified]
    assert unverified
    for name in unverified:
        assert name in PARAMETER_DOCS
        new = _changed_value(getattr(profile.params, name))
        assert getattr(profile.with_overrides({name: new}).params, name) == new


@pytest.mark.parametrize("profile_id", sorted(PROFILES))
def test_every_unverified_deadline_can_be_overridden_by_its_code(profile_id: str) -> None:
    profile = get_profile(profile_id)
    for rule in profile.deadlines:
        if rule.source.verified:
            continue
        changed = profile.with_overrides({f"deadline.{rule.code}": rule.days_before + 1})
        assert {d.code: d.days_before for d in changed.deadlines}[rule.code] == (
            rule.days_before + 1
        )


def test_no_fixed_rule_of_any_profile_is_unverified() -> None:
    """profiles.py: "A rule that no source confirms … is a named parameter"."""
    unverified = {
        (p.id, name)
        for p in PROFILES.values()
        for name, source in p.fixed_sources.items()
        if not source.verified
    }
    assert unverified == set()


def test_an_unverified_source_is_cited_as_unverified() -> None:
    assert NQ96.parameter_sources["percentage_base"].cite().endswith("(UNVERIFIED)")
    assert "UNVERIFIED" not in QD96.parameter_sources["percentage_base"].cite()


# ------------------------------------------------------------------ overrides


def test_with_overrides_parses_text_as_typed_on_a_command_line() -> None:
    profile = QD96.with_overrides(
        {
            "crossed_out_voids_ballot": "false",
            "quorum_fraction": "1/2",
            "percentage_base": "issued",
            "deadline.answers": "5",
            "max_places": "1",
            "classification": "high_majority",
            "quorum_basis": "members_total",
            "signature_voids_ballot": "có",
        }
    )
    p = profile.params
    assert p.crossed_out_voids_ballot is False
    assert p.quorum_fraction == Fraction(1, 2)
    assert p.percentage_base is Basis.ISSUED
    assert p.max_places == 1
    assert p.classification == "high_majority"
    assert p.quorum_basis is QuorumBasis.MEMBERS_TOTAL
    assert p.signature_voids_ballot is True
    assert {d.code: d.days_before for d in profile.deadlines}["answers"] == 5


def test_with_overrides_accepts_native_values() -> None:
    profile = QD96.with_overrides({"quorum_fraction": Fraction(3, 4), "two_thirds_tier": False})
    assert profile.params.quorum_fraction == Fraction(3, 4)
    assert profile.params.two_thirds_tier is False


def test_with_overrides_records_the_overrides_and_leaves_the_original_alone() -> None:
    first = QD96.with_overrides({"percentage_base": "issued"})
    second = first.with_overrides({"max_places": 3})
    assert dict(second.overrides) == {"percentage_base": "issued", "max_places": 3}
    assert QD96.params.percentage_base is Basis.COLLECTED
    assert dict(QD96.overrides) == {}
    assert QD96.with_overrides({}) is QD96


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("no_such_parameter", "true"),
        ("deadline.no_such_step", "5"),
        ("crossed_out_voids_ballot", "maybe"),
        ("crossed_out_voids_ballot", 1),
        ("quorum_fraction", "3/2"),
        ("quorum_fraction", "0"),
        ("quorum_fraction", "1/0"),
        ("quorum_fraction", "two thirds"),
        ("quorum_fraction", 0.5),
        ("quorum_fraction", True),
        ("place_priority", "workplace,workplace"),
        ("place_priority", "nowhere"),
        ("percentage_base", "valid_lines"),
        ("quorum_basis", "present"),
        ("max_places", "-1"),
        ("max_places", "two"),
        ("max_places", 1.5),
        ("max_places", True),
        ("classification", "majority"),
        ("deadline.answers", "-3"),
    ],
)
def test_with_overrides_refuses_unknown_names_and_bad_values(name: str, value: Any) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        QD96.with_overrides({name: value})
    assert caught.value.code == "invalid_parameter"
    assert caught.value.name == name
    assert name.removeprefix("deadline.") in caught.value.message_en


@pytest.mark.parametrize("profile_id", sorted(PROFILES))
def test_every_parameter_written_as_text_reads_back_as_the_same_value(profile_id: str) -> None:
    """``--param NAME=TEXT`` and the documentation use one spelling per value."""
    from tinnhiem.rules.profiles import parameter_text

    profile = get_profile(profile_id)
    for name, value, _source in profile.parameter_table():
        again = profile.with_overrides({name: parameter_text(value)})
        assert getattr(again.params, name) == value, name
