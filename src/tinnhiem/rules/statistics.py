"""Statistics of a vote round over many persons' results.

The shape follows the province report of seed [S0] (Hòa Bình, round of
KH 146-KH/TU 2018 under 262-QĐ/TW): agencies that held the vote per block,
persons polled, persons per class "tín nhiệm cao / tín nhiệm / tín nhiệm
thấp", the distribution of the high-confidence share (100 %, 80–<100 %,
70–<80 %, 60–<70 %, 50–<60 %, <50 %) among those classed "tín nhiệm cao",
and the persons in each legal band.

Which class a person is in is **not** defined by any regulation read
(regulations.md §0.4, §5.4): it is a local reporting convention, so the rule
is pluggable (profile parameter ``classification``):

``plurality`` (default)
    the level with the largest count; a tie goes to the lower level
    (tín nhiệm cao < tín nhiệm < tín nhiệm thấp).
``high_majority``
    "tín nhiệm cao" when more than half of the base rated high; else
    "tín nhiệm thấp" when more than half rated low; else "tín nhiệm".

All ratios are exact (:class:`~tinnhiem.rules.numbers.Ratio`); rounding
happens only when a ratio is displayed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from tinnhiem.rules.levels import Level, VoteKind
from tinnhiem.rules.numbers import Ratio
from tinnhiem.rules.profiles import Band
from tinnhiem.rules.tally import CandidateResult


@dataclass(frozen=True, slots=True)
class PersonOutcome:
    """One person's confirmed result at one conference, labelled for grouping."""

    block: str
    """Khối (e.g. "Khối các cơ quan Trung ương tại tỉnh")."""
    agency: str
    """Cơ quan, đơn vị."""
    name: str
    position: str
    kind: VoteKind
    counts: Mapping[Level, int]
    base: int
    band: Band
    consequence_vi: str

    @classmethod
    def from_result(cls, result: CandidateResult, *, block: str, agency: str) -> PersonOutcome:
        return cls(
            block=block,
            agency=agency,
            name=result.candidate.name,
            position=result.candidate.position,
            kind=result.kind,
            counts=result.counts,
            base=result.base,
            band=result.band,
            consequence_vi=result.consequence_vi,
        )


Classifier = Callable[[VoteKind, Mapping[Level, int], int], Level]


def classify_plurality(kind: VoteKind, counts: Mapping[Level, int], base: int) -> Level:
    """The level with the largest count; ties go to the lower level."""
    best = kind.levels[0]
    for level in kind.levels[1:]:
        if counts[level] >= counts[best]:
            best = level
    return best


def classify_high_majority(kind: VoteKind, counts: Mapping[Level, int], base: int) -> Level:
    """'Cao' when 2·H > N, else 'thấp' when 2·L > N, else 'tín nhiệm'."""
    top, adverse = kind.levels[0], kind.adverse_level
    if kind is VoteKind.POLL and 2 * counts[top] > base:
        return top
    if 2 * counts[adverse] > base:
        return adverse
    return Level.CONFIDENCE


CLASSIFIERS: Mapping[str, Classifier] = MappingProxyType(
    {"plurality": classify_plurality, "high_majority": classify_high_majority}
)


class ShareBand(StrEnum):
    """Band of the high-confidence share ("tỷ lệ phiếu tín nhiệm cao")."""

    FULL = "100"
    """Đạt 100%."""
    FROM_80 = "80-100"
    """Từ 80% đến dưới 100%."""
    FROM_70 = "70-80"
    """Từ 70% đến dưới 80%."""
    FROM_60 = "60-70"
    """Từ 60% đến dưới 70%."""
    FROM_50 = "50-60"
    """Từ 50% đến dưới 60%."""
    BELOW_50 = "0-50"
    """Dưới 50%."""

    @property
    def label_vi(self) -> str:
        return {
            ShareBand.FULL: "100%",
            ShareBand.FROM_80: "Từ 80% đến dưới 100%",
            ShareBand.FROM_70: "Từ 70% đến dưới 80%",
            ShareBand.FROM_60: "Từ 60% đến dưới 70%",
            ShareBand.FROM_50: "Từ 50% đến dưới 60%",
            ShareBand.BELOW_50: "Dưới 50%",
        }[self]


_SHARE_FLOORS = (  # (band, lower bound as percent) — compared as 100·H ≥ p·N
    (ShareBand.FROM_80, 80),
    (ShareBand.FROM_70, 70),
    (ShareBand.FROM_60, 60),
    (ShareBand.FROM_50, 50),
)


def share_band(count: int, base: int) -> ShareBand:
    """The band of ``count / base`` with exact integer comparisons."""
    if base <= 0:
        raise ValueError("a share needs a positive base")
    if count >= base:
        return ShareBand.FULL
    for band, floor in _SHARE_FLOORS:
        if 100 * count >= floor * base:
            return band
    return ShareBand.BELOW_50


@dataclass(frozen=True, slots=True)
class GroupStatistics:
    """Figures for one block, or for the whole round."""

    label: str
    agencies_held: int
    agencies_total: int | None
    persons: int
    classes: Mapping[Level, Ratio]
    """Persons per class, over all persons of the group."""
    high_share_bands: Mapping[ShareBand, Ratio]
    """Among persons classed at the top level: their high-share band."""
    high_at_least_70: Ratio
    """Persons of the top class with a high share of 70 % or more, of that class."""
    high_at_least_70_of_all: Ratio
    """The same count over every person of the group."""
    confidence_low_under_40: int
    """Persons classed "tín nhiệm" whose low share is under 40 % (seed [S0])."""
    legal_bands: Mapping[Band, tuple[PersonOutcome, ...]]
    """Persons in each legal band other than ``none``."""

    @property
    def agencies(self) -> Ratio | None:
        if self.agencies_total is None:
            return None
        return Ratio(self.agencies_held, self.agencies_total)


@dataclass(frozen=True, slots=True)
class RoundStatistics:
    classification: str
    blocks: tuple[GroupStatistics, ...]
    overall: GroupStatistics


def _group(
    label: str,
    outcomes: Sequence[PersonOutcome],
    classifier: Classifier,
    agencies_total: int | None,
) -> GroupStatistics:
    kind = outcomes[0].kind if outcomes else VoteKind.POLL
    levels = kind.levels
    top = levels[0]
    class_counts = dict.fromkeys(levels, 0)
    bands = dict.fromkeys(ShareBand, 0)
    legal: dict[Band, list[PersonOutcome]] = {}
    low_under_40 = 0
    top_total = 0
    for o in outcomes:
        if o.kind is not kind:
            raise ValueError("statistics mix polls and binding votes")
        cls = classifier(o.kind, o.counts, o.base)
        class_counts[cls] += 1
        if cls is top and o.base > 0:
            top_total += 1
            bands[share_band(o.counts[top], o.base)] += 1
        if (
            kind is VoteKind.POLL
            and cls is Level.CONFIDENCE
            and o.base > 0
            and 100 * o.counts[Level.LOW] < 40 * o.base
        ):
            low_under_40 += 1
        if o.band is not Band.NONE:
            legal.setdefault(o.band, []).append(o)
    persons = len(outcomes)
    at_least_70 = sum(bands[b] for b in (ShareBand.FULL, ShareBand.FROM_80, ShareBand.FROM_70))
    return GroupStatistics(
        label=label,
        agencies_held=len({o.agency for o in outcomes}),
        agencies_total=agencies_total,
        persons=persons,
        classes=MappingProxyType({lv: Ratio(class_counts[lv], persons) for lv in levels}),
        high_share_bands=MappingProxyType({b: Ratio(bands[b], top_total) for b in ShareBand}),
        high_at_least_70=Ratio(at_least_70, top_total),
        high_at_least_70_of_all=Ratio(at_least_70, persons),
        confidence_low_under_40=low_under_40,
        legal_bands=MappingProxyType({b: tuple(v) for b, v in legal.items()}),
    )


def round_statistics(
    outcomes: Iterable[PersonOutcome],
    *,
    classification: str = "plurality",
    agencies_total: Mapping[str, int] | None = None,
    overall_label: str = "Tổng cộng",
) -> RoundStatistics:
    """Statistics per block (in first-seen order) and overall.

    ``agencies_total`` gives, per block, how many agencies were due to hold
    the vote (the "/50" of "49/50 đơn vị"); without it only the agencies that
    held one are known.
    """
    try:
        classifier = CLASSIFIERS[classification]
    except KeyError:
        raise ValueError(f"unknown classification rule {classification!r}") from None
    items = list(outcomes)
    by_block: dict[str, list[PersonOutcome]] = {}
    for o in items:
        by_block.setdefault(o.block, []).append(o)
    totals = dict(agencies_total or {})
    blocks = tuple(
        _group(block, group, classifier, totals.get(block)) for block, group in by_block.items()
    )
    overall_total = sum(totals.values()) if agencies_total is not None else None
    overall = _group(overall_label, items, classifier, overall_total)
    return RoundStatistics(classification=classification, blocks=blocks, overall=overall)
