"""Quorum: "Hội nghị lấy phiếu tín nhiệm chỉ được tiến hành khi có ít nhất 2/3
số người được triệu tập có mặt" — Quy định 96-QĐ/TW Điều 3 khoản 2 [BTN][S1].

Presence is measured at ballot time ("số có mặt tại thời điểm bỏ phiếu",
Phụ lục 4 [S3]); the fraction, its inclusiveness and its basis are profile
parameters, UNVERIFIED outside 96-QĐ/TW.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem.rules.profiles import Parameters, QuorumBasis, Threshold


@dataclass(frozen=True, slots=True)
class QuorumResult:
    """Whether enough members are present for the vote to take place."""

    summoned: int
    present: int
    basis_value: int
    """The number the quorum fraction is taken of (summoned, or total members)."""
    required: int
    """The least number present that meets the quorum."""
    met: bool


def quorum_threshold(params: Parameters) -> Threshold:
    f = params.quorum_fraction
    return Threshold(f.numerator, f.denominator, params.quorum_inclusive)


def check_quorum(
    *, summoned: int, present: int, params: Parameters, members_total: int | None = None
) -> QuorumResult:
    """Decide the quorum exactly: with 2/3 inclusive, ``3·present ≥ 2·summoned``."""
    if summoned < 0 or present < 0:
        raise ValueError("summoned and present must be non-negative")
    basis_value = summoned
    if params.quorum_basis is QuorumBasis.MEMBERS_TOTAL and members_total is not None:
        basis_value = members_total
    threshold = quorum_threshold(params)
    required = threshold.minimum_count(basis_value)
    return QuorumResult(
        summoned=summoned,
        present=present,
        basis_value=basis_value,
        required=required,
        met=threshold.reached(present, basis_value),
    )
