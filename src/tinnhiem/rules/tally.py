"""The tally: per person, counts, percentages on the legal base, band.

Result contents follow Quy định 96-QĐ/TW Điều 6 khoản 3 ("tổng số phiếu phát
ra; tổng số phiếu thu về, số phiếu hợp lệ, số phiếu không hợp lệ; tổng số
phiếu tín nhiệm cao và tỷ lệ phần trăm trên tổng số phiếu thu về …") and
NQ 85/2014 khoản 1 Điều 17 (percentages of total deputies). The base is the
profile's ``percentage_base``; thresholds compare integers only.

:func:`tally` is the hot path of the project (20,000 ballots × 50 persons in
the benchmark); it follows exactly the semantics of
:func:`tinnhiem.rules.validity.assess_ballot`, which tests check against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from types import MappingProxyType

from tinnhiem.rules.ballots import Candidate, Conference
from tinnhiem.rules.errors import RulesError, RulesWarning, WarningCode
from tinnhiem.rules.levels import Level, VoteKind
from tinnhiem.rules.numbers import format_percent
from tinnhiem.rules.profiles import Band, Basis, Profile
from tinnhiem.rules.quorum import QuorumResult, check_quorum


@dataclass(frozen=True, slots=True)
class CandidateResult:
    """Kết quả phiếu tín nhiệm của một người."""

    candidate: Candidate
    kind: VoteKind
    valid: int
    """Số phiếu hợp lệ (valid lines for this person)."""
    invalid: int
    """Số phiếu không hợp lệ (collected − valid)."""
    counts: Mapping[Level, int]
    """Count per level, in ballot order."""
    base: int
    """The denominator of every percentage (see ``TallyResult.basis``)."""
    band: Band
    consequence_vi: str
    consequence_en: str

    @property
    def adverse(self) -> int:
        """The count the thresholds test: tín nhiệm thấp / không tín nhiệm."""
        return self.counts[self.kind.adverse_level]

    def share(self, level: Level) -> Fraction | None:
        """Exact share of the base, or None when the base is 0."""
        return Fraction(self.counts[level], self.base) if self.base else None

    def percent(self, level: Level, decimal_separator: str = ".") -> str:
        """Display percentage, half up, two decimals; ``0.00`` on an empty base."""
        if not self.base:
            return f"0{decimal_separator}00"
        return format_percent(self.counts[level], self.base, decimal_separator)

    def consequence(self, lang: str = "vi") -> str:
        return self.consequence_en if lang == "en" else self.consequence_vi


@dataclass(frozen=True, slots=True)
class TallyResult:
    """The counting committee's result for one conference."""

    profile: Profile
    kind: VoteKind
    quorum: QuorumResult
    issued: int
    collected: int
    """Số phiếu thu về."""
    whole_invalid: int
    """Ballots void as a whole (counted in ``collected``)."""
    basis: Basis
    base: int
    warnings: tuple[RulesWarning, ...]
    candidates: tuple[CandidateResult, ...]
    members_total: int | None = None
    unissued: int = 0
    """Ballots found that the committee did not issue."""


def _invalid(message_vi: str, message_en: str) -> RulesError:
    return RulesError("invalid_conference", message_vi, message_en)


def check_conference(conference: Conference, profile: Profile) -> None:
    """Raise :class:`RulesError` if the conference cannot be tallied at all.

    The record parser gives precise, path-naming errors first; this guard
    keeps the core honest when called from elsewhere (the web application).
    """
    kind = conference.kind
    if kind not in profile.kinds:
        raise _invalid(
            f"{profile.id} không áp dụng cho hình thức {kind.value}",
            f"{profile.id} does not provide for kind {kind.value}",
        )
    for name in ("summoned", "present", "ballots_issued"):
        if getattr(conference, name) < 0:
            raise _invalid(f"{name} không được âm", f"{name} must not be negative")
    if conference.members_total is not None and conference.members_total < 0:
        raise _invalid("members_total không được âm", "members_total must not be negative")
    ids = [c.id for c in conference.candidates]
    id_set = set(ids)
    if len(id_set) != len(ids):
        raise _invalid("trùng mã người được lấy phiếu", "duplicate candidate id")
    allowed = _allowed_mark_tuples(kind)
    for i, b in enumerate(conference.ballots):
        if not id_set.issuperset(b.marks) or not allowed.issuperset(b.marks.values()):
            raise _invalid(
                f"phiếu thứ {i + 1}: đánh dấu cho người hoặc mức không hợp lệ",
                f"ballot {i + 1}: marks for an unknown person or level",
            )
        if b.crossed_out and not id_set.issuperset(b.crossed_out):
            raise _invalid(
                f"phiếu thứ {i + 1}: gạch tên người không có trên phiếu",
                f"ballot {i + 1}: crosses out an unknown person",
            )
        if b.added_names < 0:
            raise _invalid(
                f"phiếu thứ {i + 1}: added_names âm", f"ballot {i + 1}: negative added_names"
            )


_ALLOWED_CACHE: dict[VoteKind, frozenset[tuple[Level, ...]]] = {}


def _allowed_mark_tuples(kind: VoteKind) -> frozenset[tuple[Level, ...]]:
    """Every canonical tuple of marked levels for ``kind`` (the empty one included)."""
    cached = _ALLOWED_CACHE.get(kind)
    if cached is None:
        levels = kind.levels
        cached = frozenset(
            combo for r in range(len(levels) + 1) for combo in combinations(levels, r)
        )
        _ALLOWED_CACHE[kind] = cached
    return cached


def base_value(
    basis: Basis, *, collected: int, issued: int, members_total: int | None
) -> int | None:
    """The number behind a basis; None when the record lacks it."""
    if basis is Basis.COLLECTED:
        return collected
    if basis is Basis.ISSUED:
        return issued
    return members_total


def tally(conference: Conference, profile: Profile) -> TallyResult:
    """Count every ballot of ``conference`` under ``profile``.

    :raises RulesError: ``invalid_conference`` for data no committee could
        count (unknown ids or levels), ``missing_base`` when the profile's
        base is total members and the conference does not give it.
    """
    check_conference(conference, profile)
    params = profile.params
    kind = conference.kind
    levels = kind.levels
    candidates = conference.candidates
    ids = [c.id for c in candidates]
    n = len(ids)
    level_index = {lv: i for i, lv in enumerate(levels)}
    # counts[i][j]: candidate i, level j. Kept as one flat list for speed.
    flat = [0] * (n * len(levels))
    stride = len(levels)
    offsets = [i * stride for i in range(n)]

    collected = 0
    whole_invalid = 0
    unissued = 0
    voids_cross = params.crossed_out_voids_ballot
    voids_added = params.added_names_void_ballot
    voids_other = params.other_writing_voids_ballot
    voids_signed = params.signature_voids_ballot
    voids_line = params.line_defect_voids_ballot
    unissued_collected = params.unissued_counts_as_collected
    voids_unissued = params.unissued_voids_ballot
    pairs = list(zip(ids, offsets, strict=True))

    for b in conference.ballots:
        if not b.issued:
            unissued += 1
            if not unissued_collected:
                continue
            if voids_unissued:
                collected += 1
                whole_invalid += 1
                continue
        collected += 1
        crossed = b.crossed_out
        if (
            (crossed and voids_cross)
            or (b.added_names and voids_added)
            or (b.other_writing and voids_other)
            or (b.signed and voids_signed)
        ):
            whole_invalid += 1
            continue
        marks = b.marks
        if voids_line:
            # Every line must hold exactly one mark; a crossed-out line (when
            # crossing out voids only the line) is judged as crossed out.
            if crossed:
                bad = any(cid not in crossed and len(marks.get(cid, ())) != 1 for cid in ids)
            else:
                bad = len(marks) != n or any(len(m) != 1 for m in marks.values())
            if bad:
                whole_invalid += 1
                continue
        if crossed:
            for cid, off in pairs:
                m = marks.get(cid)
                if m is not None and len(m) == 1 and cid not in crossed:
                    flat[off + level_index[m[0]]] += 1
        else:
            for cid, off in pairs:
                m = marks.get(cid)
                if m is not None and len(m) == 1:
                    flat[off + level_index[m[0]]] += 1

    members_total = conference.members_total
    basis = params.percentage_base
    base = base_value(
        basis, collected=collected, issued=conference.ballots_issued, members_total=members_total
    )
    if base is None:
        raise RulesError(
            "missing_base",
            f"{profile.id} tính tỷ lệ trên tổng số thành viên (đại biểu) nhưng hồ sơ không có "
            "members_total",
            f"{profile.id} takes percentages of total members but members_total is missing",
        )

    quorum = check_quorum(
        summoned=conference.summoned,
        present=conference.present,
        params=params,
        members_total=members_total,
    )
    warnings = _warnings(conference, quorum, collected, unissued, base)
    adverse_index = level_index[kind.adverse_level]
    none_vi = profile.consequence(kind, Band.NONE, "vi")
    none_en = profile.consequence(kind, Band.NONE, "en")

    results: list[CandidateResult] = []
    over_base = False
    for c, off in zip(candidates, offsets, strict=True):
        row = flat[off : off + stride]
        valid = sum(row)
        if valid > base:
            over_base = True
        rule = profile.band_for(kind, row[adverse_index], base)
        results.append(
            CandidateResult(
                candidate=c,
                kind=kind,
                valid=valid,
                invalid=collected - valid,
                counts=MappingProxyType(dict(zip(levels, row, strict=True))),
                base=base,
                band=rule.band if rule else Band.NONE,
                consequence_vi=rule.consequence_vi if rule else none_vi,
                consequence_en=rule.consequence_en if rule else none_en,
            )
        )
    if over_base:
        warnings.append(
            RulesWarning(
                WarningCode.VOTES_EXCEED_BASE,
                f"có người có số phiếu hợp lệ lớn hơn cơ sở tính tỷ lệ ({base})",
                f"a person has more valid lines than the percentage base ({base})",
            )
        )
    return TallyResult(
        profile=profile,
        kind=kind,
        quorum=quorum,
        issued=conference.ballots_issued,
        collected=collected,
        whole_invalid=whole_invalid,
        basis=basis,
        base=base,
        warnings=tuple(warnings),
        candidates=tuple(results),
        members_total=members_total,
        unissued=unissued,
    )


def _warnings(
    conference: Conference, quorum: QuorumResult, collected: int, unissued: int, base: int
) -> list[RulesWarning]:
    w: list[RulesWarning] = []
    c = conference
    if not quorum.met:
        w.append(
            RulesWarning(
                WarningCode.QUORUM_NOT_MET,
                f"không đủ số người có mặt theo quy định: có mặt {c.present}, cần ít nhất "
                f"{quorum.required} (trên {quorum.basis_value}); kết quả không có giá trị",
                f"quorum not met: {c.present} present, at least {quorum.required} required "
                f"(of {quorum.basis_value}); the results are void",
            )
        )
    if c.members_total is not None and c.summoned > c.members_total:
        w.append(
            RulesWarning(
                WarningCode.SUMMONED_EXCEEDS_MEMBERS,
                f"số được triệu tập ({c.summoned}) lớn hơn tổng số thành viên ({c.members_total})",
                f"summoned ({c.summoned}) exceeds total members ({c.members_total})",
            )
        )
    if c.present > c.summoned:
        w.append(
            RulesWarning(
                WarningCode.PRESENT_EXCEEDS_SUMMONED,
                f"số có mặt ({c.present}) lớn hơn số được triệu tập ({c.summoned})",
                f"present ({c.present}) exceeds summoned ({c.summoned})",
            )
        )
    if c.ballots_issued > c.present:
        w.append(
            RulesWarning(
                WarningCode.ISSUED_EXCEEDS_PRESENT,
                f"số phiếu phát ra ({c.ballots_issued}) lớn hơn số có mặt ({c.present})",
                f"ballots issued ({c.ballots_issued}) exceed those present ({c.present})",
            )
        )
    if collected > c.ballots_issued:
        w.append(
            RulesWarning(
                WarningCode.COLLECTED_EXCEEDS_ISSUED,
                f"số phiếu thu về ({collected}) nhiều hơn số phiếu phát ra ({c.ballots_issued})",
                f"ballots collected ({collected}) exceed ballots issued ({c.ballots_issued})",
            )
        )
    if collected > c.present:
        w.append(
            RulesWarning(
                WarningCode.COLLECTED_EXCEEDS_PRESENT,
                f"số phiếu thu về ({collected}) nhiều hơn số có mặt ({c.present})",
                f"ballots collected ({collected}) exceed those present ({c.present})",
            )
        )
    if unissued:
        w.append(
            RulesWarning(
                WarningCode.UNISSUED_BALLOTS,
                f"có {unissued} phiếu không do ban kiểm phiếu phát ra (không hợp lệ)",
                f"{unissued} ballot(s) not issued by the counting committee (void)",
            )
        )
    if base == 0:
        w.append(
            RulesWarning(
                WarningCode.BASE_IS_ZERO,
                "cơ sở tính tỷ lệ bằng 0: không tính được tỷ lệ và ngưỡng",
                "the percentage base is 0: no percentage or band can be computed",
            )
        )
    return w
