"""Ballot validity: phiếu hợp lệ, phiếu không hợp lệ.

Two levels (regulations.md §0.3):

* the **whole ballot** is void (:class:`BallotDefect`): "phiếu không do ban
  kiểm phiếu phát ra; phiếu gạch xóa họ tên người được in trên phiếu"
  (Quy định 96-QĐ/TW Điều 6 khoản 3), and under 262-QĐ/TW khoản 7.2 Điều 7
  also "phiếu có ghi thêm tên người hoặc các thông tin khác" and a line with
  no box or several boxes marked — each a named profile parameter;
* otherwise **one person's line** is void (:class:`LineDefect`): "không đánh
  dấu vào ô nào hoặc đánh dấu vào hai hoặc ba ô" (96-QĐ/TW Điều 6 khoản 3).

A void ballot stays among the ballots collected (phiếu thu về) and gives an
invalid line to every person: the base of percentages does not shrink.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from tinnhiem.rules.ballots import Ballot, Candidate
from tinnhiem.rules.levels import Level
from tinnhiem.rules.profiles import Parameters


class BallotDefect(StrEnum):
    """Why a whole ballot is void."""

    NOT_ISSUED = "not_issued"
    """Phiếu không do ban kiểm phiếu phát ra."""
    NAME_CROSSED_OUT = "name_crossed_out"
    """Phiếu gạch xóa họ tên người được in trên phiếu."""
    ADDED_NAMES = "added_names"
    """Phiếu ghi thêm tên người ngoài danh sách (262-QĐ/TW)."""
    OTHER_WRITING = "other_writing"
    """Phiếu ghi thêm thông tin khác (262-QĐ/TW)."""
    SIGNED = "signed"
    """Phiếu có chữ ký, where the profile forbids it."""
    LINE_DEFECT = "line_defect"
    """A line with no box or several boxes voids the ballot (262-QĐ/TW)."""


class LineDefect(StrEnum):
    """Why one person's line is void."""

    NO_MARK = "no_mark"
    """Không đánh dấu vào ô nào."""
    SEVERAL_MARKS = "several_marks"
    """Đánh dấu vào hai hoặc ba ô."""
    NAME_CROSSED_OUT = "name_crossed_out"
    """This name is crossed out and the profile voids only the line."""
    BALLOT_VOID = "ballot_void"
    """The whole ballot is void."""


def line_defect(ballot: Ballot, candidate_id: str) -> LineDefect | None:
    """The defect of one line of a ballot, ignoring whole-ballot defects."""
    if candidate_id in ballot.crossed_out:
        return LineDefect.NAME_CROSSED_OUT
    marked = ballot.marks.get(candidate_id, ())
    if not marked:
        return LineDefect.NO_MARK
    if len(marked) > 1:
        return LineDefect.SEVERAL_MARKS
    return None


def ballot_defects(
    ballot: Ballot, candidates: tuple[Candidate, ...], params: Parameters
) -> tuple[BallotDefect, ...]:
    """Every reason the whole ballot is void under ``params`` (empty: not void)."""
    defects: list[BallotDefect] = []
    if not ballot.issued and params.unissued_voids_ballot:
        defects.append(BallotDefect.NOT_ISSUED)
    if ballot.crossed_out and params.crossed_out_voids_ballot:
        defects.append(BallotDefect.NAME_CROSSED_OUT)
    if ballot.added_names and params.added_names_void_ballot:
        defects.append(BallotDefect.ADDED_NAMES)
    if ballot.other_writing and params.other_writing_voids_ballot:
        defects.append(BallotDefect.OTHER_WRITING)
    if ballot.signed and params.signature_voids_ballot:
        defects.append(BallotDefect.SIGNED)
    if params.line_defect_voids_ballot and any(
        line_defect(ballot, c.id) in (LineDefect.NO_MARK, LineDefect.SEVERAL_MARKS)
        for c in candidates
    ):
        defects.append(BallotDefect.LINE_DEFECT)
    return tuple(defects)


@dataclass(frozen=True, slots=True)
class BallotAssessment:
    """A ballot as the committee reads it: whole-ballot defects and each line."""

    defects: tuple[BallotDefect, ...]
    lines: Mapping[str, Level | LineDefect]
    """For each candidate id: the level counted, or why the line is void."""

    @property
    def void(self) -> bool:
        return bool(self.defects)


def assess_ballot(
    ballot: Ballot, candidates: tuple[Candidate, ...], params: Parameters
) -> BallotAssessment:
    """Decide one ballot: the reference semantics that :func:`tally` follows."""
    defects = ballot_defects(ballot, candidates, params)
    lines: dict[str, Level | LineDefect] = {}
    for c in candidates:
        if defects:
            lines[c.id] = LineDefect.BALLOT_VOID
            continue
        d = line_defect(ballot, c.id)
        lines[c.id] = d if d is not None else ballot.marks[c.id][0]
    return BallotAssessment(defects, lines)
