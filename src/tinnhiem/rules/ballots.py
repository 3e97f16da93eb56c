"""What came out of the ballot box, as frozen values.

A :class:`Ballot` records only what is on the paper (or the electronic
ballot): which boxes are marked on each line, whether the committee issued
it, names crossed out or written in. Deciding what that means is the job of
:mod:`tinnhiem.rules.validity` under a profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tinnhiem.rules.levels import Level, VoteKind

_EMPTY: Mapping[str, tuple[Level, ...]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Candidate:
    """Người được lấy phiếu tín nhiệm: one printed line of the ballot."""

    id: str
    name: str
    position: str = ""
    """Chức vụ, đơn vị công tác (as printed)."""


@dataclass(frozen=True, slots=True)
class Ballot:
    """Một phiếu tín nhiệm as taken out of the box.

    ``marks`` maps a candidate id to the levels whose boxes are marked on
    that line, in the kind's level order, without repeats; an absent id or an
    empty tuple means no box is marked.
    """

    marks: Mapping[str, tuple[Level, ...]] = field(default_factory=lambda: _EMPTY)
    issued: bool = True
    """False: "phiếu không do ban kiểm phiếu phát ra"."""
    crossed_out: frozenset[str] = frozenset()
    """Ids whose printed name is crossed out ("gạch xóa họ tên")."""
    added_names: int = 0
    """Names written in outside the list ("ghi thêm tên người ngoài danh sách")."""
    other_writing: bool = False
    """Anything else written on the ballot, a signature excepted."""
    signed: bool = False
    """The voter signed ("có thể ký tên hoặc không ký tên")."""


def canonical_marks(levels: tuple[Level, ...] | list[Level], kind: VoteKind) -> tuple[Level, ...]:
    """Marked levels in ballot order, e.g. ``(thap, cao)`` → ``(cao, thap)``."""
    order = kind.levels
    return tuple(lv for lv in order if lv in levels)


@dataclass(frozen=True, slots=True)
class Conference:
    """Everything the counting committee knows about one vote at one conference.

    Figures follow the result report form (Phụ lục 4 of KH 240/KH-UBND [S3]).
    """

    kind: VoteKind
    summoned: int
    """Số người được triệu tập (entitled to fill in a ballot)."""
    present: int
    """Số có mặt tại thời điểm bỏ phiếu."""
    ballots_issued: int
    """Số phiếu phát ra."""
    candidates: tuple[Candidate, ...]
    ballots: tuple[Ballot, ...]
    """Every ballot taken out of the box (số phiếu thu về), any order."""
    members_total: int | None = None
    """Tổng số thành viên / đại biểu of the body (base of NQ 85/2014)."""
