"""Builders and Hypothesis strategies for ballots and conferences.

Builders make the small, readable conferences of the scenario tests; the
strategies make random ones for the property tests. Every person is invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

from hypothesis import strategies as st

from tinnhiem.rules import PROFILES, Ballot, Basis, Candidate, Conference, Level, VoteKind

VALIDITY_PARAMETERS: tuple[str, ...] = (
    "crossed_out_voids_ballot",
    "added_names_void_ballot",
    "other_writing_voids_ballot",
    "signature_voids_ballot",
    "line_defect_voids_ballot",
    "unissued_counts_as_collected",
)
"""Every profile parameter that decides whether a ballot or a line is valid."""

SEVERITY = {"none": 0, "over_half_low": 1, "two_thirds_low": 2, "over_half_no_confidence": 1}
"""Bands in order of severity: none < over half < two thirds."""


# --------------------------------------------------------------- builders


def candidates(*names: str) -> tuple[Candidate, ...]:
    """Printed ballot lines with ids "1", "2", … in the order given."""
    return tuple(Candidate(str(i), name) for i, name in enumerate(names, start=1))


def ballot(*lines: Level | Sequence[Level] | None, **flags: Any) -> Ballot:
    """A ballot whose n-th argument is the n-th person's line.

    A level marks one box, a sequence marks several, ``None`` marks none.
    Keyword arguments are the other :class:`Ballot` fields.
    """
    marks: dict[str, tuple[Level, ...]] = {}
    for i, line in enumerate(lines, start=1):
        if line is None:
            continue
        marks[str(i)] = (line,) if isinstance(line, Level) else tuple(line)
    if "crossed_out" in flags:
        flags["crossed_out"] = frozenset(flags["crossed_out"])
    return Ballot(marks=marks, **flags)


def conference(
    kind: VoteKind,
    people: tuple[Candidate, ...],
    ballots: Sequence[Ballot],
    *,
    summoned: int | None = None,
    present: int | None = None,
    issued: int | None = None,
    members_total: int | None = None,
) -> Conference:
    """A conference where, unless told otherwise, everyone summoned came and
    every ballot issued was collected."""
    n = len(ballots)
    return Conference(
        kind=kind,
        summoned=n if summoned is None else summoned,
        present=n if present is None else present,
        ballots_issued=n if issued is None else issued,
        candidates=people,
        ballots=tuple(ballots),
        members_total=members_total,
    )


def one_person(
    kind: VoteKind,
    collected: int,
    adverse: int,
    *,
    members_total: int | None = None,
    name: str = "Người được lấy phiếu (giả định)",
) -> Conference:
    """``collected`` ballots for one person: ``adverse`` of them mark the
    adverse level (tín nhiệm thấp / không tín nhiệm), the rest "tín nhiệm"."""
    assert 0 <= adverse <= collected
    other = Level.CONFIDENCE
    marks = [kind.adverse_level] * adverse + [other] * (collected - adverse)
    return conference(
        kind,
        candidates(name),
        [ballot(level) for level in marks],
        members_total=members_total,
    )


# ------------------------------------------------------------- strategies


def _mark_options(kind: VoteKind, lean: Level | None, weight: int) -> list[tuple[Level, ...]]:
    """Every canonical set of marked boxes; single marks first and most often, the
    ``lean`` level ``weight`` times more (so that bands above none occur)."""
    levels = kind.levels
    singles = [(lv,) for lv in levels]
    several = [c for r in range(2, len(levels) + 1) for c in combinations(levels, r)]
    leaning = [(lean,)] * (8 * weight) if lean is not None else []
    return singles * 4 + leaning + [()] + several


@st.composite
def ballots_for(
    draw: st.DrawFn,
    kind: VoteKind,
    ids: Sequence[str],
    lean: Level | None = None,
    weight: int = 0,
) -> Ballot:
    """One ballot for the persons ``ids``: mostly clean, sometimes defective."""
    options = _mark_options(kind, lean, weight)
    marks: dict[str, tuple[Level, ...]] = {}
    for cid in ids:
        if draw(st.integers(0, 9)) == 0:
            continue  # line left without any mark, id absent
        marks[cid] = draw(st.sampled_from(options))
    defective = draw(st.integers(0, 3)) == 0
    if not defective:
        return Ballot(marks=marks)
    return Ballot(
        marks=marks,
        issued=draw(st.booleans()),
        crossed_out=frozenset(draw(st.sets(st.sampled_from(list(ids)))) if ids else set()),
        added_names=draw(st.integers(0, 2)),
        other_writing=draw(st.booleans()),
        signed=draw(st.booleans()),
    )


@st.composite
def conferences(
    draw: st.DrawFn,
    kind: VoteKind | None = None,
    *,
    min_candidates: int = 1,
    max_candidates: int = 4,
    max_ballots: int = 25,
) -> Conference:
    """A random conference whose figures may be irregular (warnings, not errors)."""
    if kind is None:
        kind = draw(st.sampled_from(list(VoteKind)))
    n = draw(st.integers(min_candidates, max_candidates))
    people = tuple(Candidate(str(i + 1), f"Người {i + 1} (giả định)") for i in range(n))
    ids = [c.id for c in people]
    lean = draw(st.sampled_from((None, *kind.levels)))
    weight = draw(st.integers(0, 6))
    box = draw(st.lists(ballots_for(kind, ids, lean, weight), max_size=max_ballots))
    n_box = len(box)

    def near(value: int) -> int:
        """Figures close to the box (regular or slightly irregular)."""
        return max(0, value + draw(st.integers(-3, 5)))

    summoned = near(n_box)
    return Conference(
        kind=kind,
        summoned=summoned,
        present=near(min(n_box, summoned)),
        ballots_issued=near(n_box),
        candidates=people,
        ballots=tuple(box),
        members_total=near(summoned),
    )


def validity_overrides() -> st.SearchStrategy[Mapping[str, bool]]:
    """A random value for every validity parameter."""
    return st.fixed_dictionaries({name: st.booleans() for name in VALIDITY_PARAMETERS})


@st.composite
def profiles_with_validity(draw: st.DrawFn, *, vary_thresholds: bool = False) -> Any:
    """Any of the four profiles with every validity parameter drawn at random;
    with ``vary_thresholds`` also the percentage base and the two-thirds tier."""
    profile = draw(st.sampled_from(list(PROFILES.values())))
    overrides: dict[str, Any] = dict(draw(validity_overrides()))
    if vary_thresholds:
        overrides["percentage_base"] = draw(st.sampled_from(list(Basis)))
        overrides["two_thirds_tier"] = draw(st.booleans())
        overrides["two_thirds_inclusive"] = draw(st.booleans())
        overrides["binding_resign_option"] = draw(st.booleans())
    return profile.with_overrides(overrides)
