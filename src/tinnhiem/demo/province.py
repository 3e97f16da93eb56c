"""Demo conferences and a demo province round, built ballot by ballot.

:func:`hoa_binh_2018_round` rebuilds the 2018 round of Hòa Bình province
(Kế hoạch 146-KH/TU ngày 04/5/2018, under Quy định 262-QĐ/TW; seed [S0]) as
49 conference records. Agency names, blocks and every published total are
real; which agency did not hold the vote, every person, every conference's
size, date and ballot are invented. Tallied by :func:`tinnhiem.rules.tally`
and classified by the default ``plurality`` rule, the records give exactly
the published figures:

=====================================  =======  =====================================
class / band of the high share          persons  how each person's counts are drawn
=====================================  =======  =====================================
tín nhiệm cao, 100%                          56  H = N (only where no ballot is void)
tín nhiệm cao, 80% to under 100%             73  ⌈0.8N⌉ ≤ H ≤ N − 1, a few low marks
tín nhiệm cao, 70% to under 80%              10  ⌈0.7N⌉ ≤ H < ⌈0.8N⌉
tín nhiệm cao, 60% to under 70%               6  ⌈0.6N⌉ ≤ H < ⌈0.7N⌉
tín nhiệm, low share under 40%                8  T ≥ H, T > L, L ≤ N/6
tín nhiệm, low share 40% or more              2  L = ⌈0.4N⌉ < T, T ≥ H
tín nhiệm thấp                                1  L ≥ H, L ≥ T, 2L < N (no legal band)
=====================================  =======  =====================================

N is the base (ballots collected), H, T, L the counts "cao", "tín nhiệm",
"thấp". Under 262-QĐ/TW a blank or double-marked line voids the whole ballot
(profile parameter ``line_defect_voids_ballot``), so void ballots are rare
(a few agencies have one or two) and lower everyone's share there; an agency
with a void ballot has nobody at 100%.

Every ballot is built first as per-person columns of marks that realise the
target counts, then dealt to voters with a little correlation (a stricter
voter tends to rate everyone lower). Each record is tallied by the rules
core before it is returned, and the generator fails loudly if a count or a
class differs from its target: the data cannot drift from the figures.

:func:`hoa_binh_thads_2023` and :func:`lang_son_committee_2023` rebuild the
two 2023 conferences of seeds [S4] and [S2] under Quy định 96-QĐ/TW.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from tinnhiem.demo.names import NameGenerator, Region
from tinnhiem.record.conference_record import ConferenceRecord
from tinnhiem.rules.ballots import Ballot, Candidate, Conference
from tinnhiem.rules.levels import Level, VoteKind
from tinnhiem.rules.profiles import get_profile
from tinnhiem.rules.statistics import ShareBand, classify_plurality, share_band
from tinnhiem.rules.tally import TallyResult, tally

PROFILE_2018 = "qd262-2014"
PROFILE_2023 = "qd96-2023"

BLOCK_PARTY = "Khối các cơ quan Đảng, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh"
BLOCK_GOVERNMENT = (
    "Khối các sở, ban, ngành, cơ quan đơn vị trực thuộc Hội đồng nhân dân và Ủy ban nhân dân tỉnh"
)
BLOCK_CENTRAL = "Khối các cơ quan Trung ương tại tỉnh"

Marks = tuple[Level, ...]
_HIGH, _CONF, _LOW = Level.HIGH, Level.CONFIDENCE, Level.LOW


# ---------------------------------------------------------------- public values


@dataclass(frozen=True, slots=True)
class DemoBlock:
    """Khối: a group of agencies of the province report."""

    name: str
    agencies_total: int
    """Agencies due to hold the vote (the "/15" of "14/15 đơn vị")."""


@dataclass(frozen=True, slots=True)
class DemoAgency:
    """Cơ quan, đơn vị thuộc đối tượng lấy phiếu."""

    name: str
    block: str
    held: bool
    """Whether it held the vote (and so has a record)."""


@dataclass(frozen=True, slots=True)
class DemoRound:
    """A province's vote round: its blocks, agencies and one record per agency that held it."""

    profile_id: str
    title: str
    year: int
    blocks: tuple[DemoBlock, ...]
    agencies: tuple[DemoAgency, ...]
    records: tuple[ConferenceRecord, ...]

    def agencies_total_by_block(self) -> dict[str, int]:
        """``{block name: agencies due}``, for ``round_statistics(agencies_total=…)``."""
        return {b.name: b.agencies_total for b in self.blocks}


# ---------------------------------------------------------------- Hòa Bình 2018: agencies


@dataclass(frozen=True, slots=True)
class _AgencySpec:
    name: str
    positions: tuple[str, ...]
    """Head first, then deputies: the persons polled."""
    size: tuple[int, int]
    """Range of the number summoned (thành phần ghi phiếu)."""
    held: bool = True
    female_percent: int = 25


def _lead(head: str, deputy: str, deputies: int) -> tuple[str, ...]:
    return (head, *([deputy] * deputies))


_PARTY_BAN = (18, 27)
_MASS = (19, 30)
_DEPT = (24, 42)
_LARGE_DEPT = (34, 56)
_CENTRAL = (26, 46)

_BAN = ("Trưởng ban", "Phó Trưởng ban")
_SO = ("Giám đốc", "Phó Giám đốc")
_VP = ("Chánh Văn phòng", "Phó Chánh Văn phòng")
_HOI = ("Chủ tịch", "Phó Chủ tịch")
_CUC = ("Cục trưởng", "Phó Cục trưởng")

_HOA_BINH_2018: tuple[tuple[str, tuple[_AgencySpec, ...]], ...] = (
    (
        BLOCK_PARTY,
        (
            _AgencySpec("Văn phòng Tỉnh ủy", _lead(*_VP, 2), _PARTY_BAN),
            _AgencySpec("Ban Tổ chức Tỉnh ủy", _lead(*_BAN, 2), _PARTY_BAN),
            _AgencySpec(
                "Ủy ban Kiểm tra Tỉnh ủy", _lead("Chủ nhiệm", "Phó Chủ nhiệm", 3), _PARTY_BAN
            ),
            _AgencySpec("Ban Tuyên giáo Tỉnh ủy", _lead(*_BAN, 2), _PARTY_BAN),
            _AgencySpec("Ban Dân vận Tỉnh ủy", _lead(*_BAN, 2), _PARTY_BAN),
            _AgencySpec("Ban Nội chính Tỉnh ủy", _lead(*_BAN, 2), _PARTY_BAN),
            _AgencySpec("Báo Hòa Bình", _lead("Tổng Biên tập", "Phó Tổng Biên tập", 2), _MASS),
            _AgencySpec("Đảng ủy Khối các cơ quan tỉnh", _lead("Bí thư", "Phó Bí thư", 1), _MASS),
            _AgencySpec(
                "Đảng ủy Khối doanh nghiệp tỉnh", _lead("Bí thư", "Phó Bí thư", 1), _MASS, False
            ),
            _AgencySpec("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", _lead(*_HOI, 2), _MASS),
            _AgencySpec("Liên đoàn Lao động tỉnh", _lead(*_HOI, 2), _MASS),
            _AgencySpec(
                "Tỉnh đoàn Hòa Bình", _lead("Bí thư Tỉnh đoàn", "Phó Bí thư Tỉnh đoàn", 2), _MASS
            ),
            _AgencySpec("Hội Liên hiệp Phụ nữ tỉnh", _lead(*_HOI, 2), _MASS, female_percent=100),
            _AgencySpec("Hội Nông dân tỉnh", _lead(*_HOI, 2), _MASS),
            _AgencySpec("Hội Cựu chiến binh tỉnh", _lead(*_HOI, 1), _MASS, female_percent=0),
        ),
    ),
    (
        BLOCK_GOVERNMENT,
        (
            _AgencySpec(
                "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", _lead(*_VP, 2), _DEPT
            ),
            _AgencySpec("Văn phòng Ủy ban nhân dân tỉnh", _lead(*_VP, 3), _DEPT),
            _AgencySpec("Sở Nội vụ", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Tư pháp", _lead(*_SO, 2), _DEPT),
            _AgencySpec("Sở Kế hoạch và Đầu tư", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Tài chính", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Công Thương", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Nông nghiệp và Phát triển nông thôn", _lead(*_SO, 3), _LARGE_DEPT),
            _AgencySpec("Sở Giao thông vận tải", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Xây dựng", _lead(*_SO, 2), _DEPT),
            _AgencySpec("Sở Tài nguyên và Môi trường", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Thông tin và Truyền thông", _lead(*_SO, 2), _DEPT),
            _AgencySpec("Sở Lao động - Thương binh và Xã hội", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Văn hóa, Thể thao và Du lịch", _lead(*_SO, 3), _DEPT),
            _AgencySpec("Sở Khoa học và Công nghệ", _lead(*_SO, 2), _DEPT),
            _AgencySpec("Sở Giáo dục và Đào tạo", _lead(*_SO, 3), _LARGE_DEPT),
            _AgencySpec("Sở Y tế", _lead(*_SO, 3), _LARGE_DEPT),
            _AgencySpec(
                "Thanh tra tỉnh", _lead("Chánh Thanh tra", "Phó Chánh Thanh tra", 2), _DEPT
            ),
            _AgencySpec("Ban Dân tộc tỉnh", _lead(*_BAN, 2), _DEPT),
            _AgencySpec("Ban Quản lý các khu công nghiệp tỉnh", _lead(*_BAN, 2), _DEPT),
            _AgencySpec("Đài Phát thanh và Truyền hình tỉnh", _lead(*_SO, 2), _DEPT),
            _AgencySpec(
                "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh",
                _lead(*_SO, 2),
                _DEPT,
            ),
            _AgencySpec(
                "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
                _lead(*_SO, 2),
                _DEPT,
            ),
            _AgencySpec(
                "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển "
                "nông thôn tỉnh",
                _lead(*_SO, 2),
                _DEPT,
            ),
            _AgencySpec(
                "Trường Cao đẳng Sư phạm Hòa Bình",
                _lead("Hiệu trưởng", "Phó Hiệu trưởng", 2),
                _DEPT,
            ),
            _AgencySpec("Liên minh Hợp tác xã tỉnh", _lead(*_HOI, 2), _DEPT),
        ),
    ),
    (
        BLOCK_CENTRAL,
        (
            _AgencySpec("Cục Thuế tỉnh", _lead(*_CUC, 2), (40, 60)),
            _AgencySpec("Kho bạc Nhà nước tỉnh", _lead(*_SO, 2), _CENTRAL),
            _AgencySpec("Ngân hàng Nhà nước Chi nhánh tỉnh Hòa Bình", _lead(*_SO, 2), _CENTRAL),
            _AgencySpec("Bảo hiểm xã hội tỉnh", _lead(*_SO, 2), _CENTRAL),
            _AgencySpec("Cục Thống kê tỉnh", _lead(*_CUC, 1), _CENTRAL),
            _AgencySpec("Cục Thi hành án dân sự tỉnh", _lead(*_CUC, 2), _CENTRAL),
            _AgencySpec("Tòa án nhân dân tỉnh", _lead("Chánh án", "Phó Chánh án", 2), _CENTRAL),
            _AgencySpec(
                "Viện Kiểm sát nhân dân tỉnh", _lead("Viện trưởng", "Phó Viện trưởng", 2), _CENTRAL
            ),
            _AgencySpec("Chi nhánh Ngân hàng Chính sách xã hội tỉnh", _lead(*_SO, 1), _CENTRAL),
        ),
    ),
)


class _Target(Enum):
    """What one person's counts must realise."""

    FULL = "cao, 100%"
    FROM_80 = "cao, 80% to under 100%"
    FROM_70 = "cao, 70% to under 80%"
    FROM_60 = "cao, 60% to under 70%"
    CONFIDENCE = "tín nhiệm, low under 40%"
    CONFIDENCE_LOW_40 = "tín nhiệm, low 40% or more"
    LOW = "tín nhiệm thấp, below every legal band"


_SEED_MIX: tuple[tuple[_Target, int], ...] = (
    (_Target.FULL, 56),
    (_Target.FROM_80, 73),
    (_Target.FROM_70, 10),
    (_Target.FROM_60, 6),
    (_Target.CONFIDENCE, 8),
    (_Target.CONFIDENCE_LOW_40, 2),
    (_Target.LOW, 1),
)
"""Seed [S0]: 145 cao (56 + 73 + 10 + 6), 10 tín nhiệm (8 with low < 40%), 1 thấp."""

_SHARE_TARGETS = {
    ShareBand.FULL: _Target.FULL,
    ShareBand.FROM_80: _Target.FROM_80,
    ShareBand.FROM_70: _Target.FROM_70,
    ShareBand.FROM_60: _Target.FROM_60,
}


class _Defect(Enum):
    """A defect that voids a whole ballot under 262-QĐ/TW khoản 7.2 Điều 7."""

    BLANK_LINE = "no box marked for one person"
    DOUBLE_MARK = "two boxes marked for one person"
    EMPTY = "no box marked at all"
    OTHER_WRITING = "something written on the ballot"
    ADDED_NAME = "a name written in"


@dataclass(slots=True)
class _Plan:
    """One agency's conference while it is being designed."""

    spec: _AgencySpec
    block: str
    code: str
    summoned: int
    present: int
    collected: int
    defects: list[_Defect] = field(default_factory=list)
    targets: list[_Target | None] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return self.collected - len(self.defects)


def _ceil_percent(percent: int, base: int) -> int:
    """The least count c with 100·c ≥ percent·base."""
    return (percent * base + 99) // 100


def _realised(counts: tuple[int, int, int], base: int) -> _Target | None:
    """The target a person's counts realise under the default ``plurality`` rule."""
    high, conf, low = counts
    cls = classify_plurality(VoteKind.POLL, {_HIGH: high, _CONF: conf, _LOW: low}, base)
    if cls is _HIGH:
        return _SHARE_TARGETS.get(share_band(high, base))
    if cls is _CONF:
        return _Target.CONFIDENCE_LOW_40 if 100 * low >= 40 * base else _Target.CONFIDENCE
    return _Target.LOW


def _target_counts(
    target: _Target, base: int, valid: int, rng: random.Random
) -> tuple[int, int, int]:
    """Counts (cao, tín nhiệm, thấp) over ``valid`` valid lines that realise ``target``."""
    if target is _Target.FULL:
        counts = (base, 0, 0)
    elif target in (_Target.FROM_80, _Target.FROM_70, _Target.FROM_60):
        lo, hi, lows = {
            _Target.FROM_80: (_ceil_percent(80, base), base - 1, (0, 0, 0, 0, 1, 1, 2)),
            _Target.FROM_70: (_ceil_percent(70, base), _ceil_percent(80, base) - 1, (0, 1, 2, 3)),
            _Target.FROM_60: (_ceil_percent(60, base), _ceil_percent(70, base) - 1, (1, 2, 3, 4)),
        }[target]
        high = rng.randint(lo, min(hi, valid))
        rest = valid - high
        low = min(rest // 2, rng.choice(lows))  # fewer "thấp" than "tín nhiệm"
        counts = (high, rest - low, low)
    elif target is _Target.CONFIDENCE:
        low = rng.randint(1, max(1, base // 6))
        rest = valid - low
        conf = min(rest, (rest + 1) // 2 + rng.randint(0, max(1, rest // 6)))
        counts = (rest - conf, conf, low)
    elif target is _Target.CONFIDENCE_LOW_40:
        low = _ceil_percent(40, base)
        rest = valid - low
        conf = min(rest, max(low + 1, (rest + 1) // 2) + rng.randint(0, 1))
        counts = (rest - conf, conf, low)
    else:
        # Tín nhiệm thấp by plurality, yet under half low: no legal band applies.
        low = rng.randint(max(_ceil_percent(40, base), (valid + 2) // 3), (base - 1) // 2)
        rest = valid - low
        conf = rng.randint(max(0, rest - low), min(low, rest))
        counts = (rest - conf, conf, low)
    if sum(counts) != valid or min(counts) < 0 or _realised(counts, base) is not target:
        raise RuntimeError(f"demo design error: {counts} of {base} does not give {target.value}")
    if target is _Target.LOW and 2 * counts[2] > base:
        raise RuntimeError("demo design error: the low person reached a legal band")
    return counts


# ---------------------------------------------------------------- ballots


def _severity(marks: Marks) -> int:
    if marks == (_HIGH,):
        return 0
    if marks == (_CONF,):
        return 2
    if marks == (_LOW,):
        return 4
    return 3  # a blank or over-marked line


def _column(high: int, conf: int, low: int, defects: Sequence[Marks] = ()) -> list[Marks]:
    return [(_HIGH,)] * high + [(_CONF,)] * conf + [(_LOW,)] * low + list(defects)


def _deal(
    rng: random.Random, ids: Sequence[str], columns: Sequence[Sequence[Marks]]
) -> list[dict[str, Marks]]:
    """Turn per-person columns into per-voter marks.

    Each voter has a strictness; for each person, voters sorted by strictness
    plus noise receive that person's marks from the best to the worst. Counts
    per person are exactly the columns'.
    """
    voters = len(columns[0]) if columns else 0
    strictness = [rng.randrange(1000) for _ in range(voters)]
    rows: list[dict[str, Marks]] = [{} for _ in range(voters)]
    for cid, column in zip(ids, columns, strict=True):
        if len(column) != voters:
            raise ValueError("every column needs one entry per voter")
        keyed = sorted((strictness[v] + rng.randrange(800), v) for v in range(voters))
        for (_, voter), marks in zip(keyed, sorted(column, key=_severity), strict=True):
            if marks:
                rows[voter][cid] = marks
    return rows


def _defective_ballot(rng: random.Random, ids: Sequence[str], defect: _Defect) -> Ballot:
    marks: dict[str, Marks] = {cid: (rng.choice((_HIGH, _HIGH, _HIGH, _CONF)),) for cid in ids}
    person = rng.choice(list(ids))
    if defect is _Defect.BLANK_LINE:
        del marks[person]
    elif defect is _Defect.DOUBLE_MARK:
        marks[person] = rng.choice(((_HIGH, _CONF), (_CONF, _LOW)))
    elif defect is _Defect.EMPTY:
        marks = {}
    elif defect is _Defect.OTHER_WRITING:
        return Ballot(marks=marks, other_writing=True)
    else:
        return Ballot(marks=marks, added_names=1)
    return Ballot(marks=marks)


def _verified(record: ConferenceRecord, expected: Sequence[tuple[int, int, int]]) -> TallyResult:
    """Tally ``record`` with the rules core; fail unless every count is the designed one."""
    result = tally(record.conference, get_profile(record.profile_id))
    got = [(r.counts[_HIGH], r.counts[_CONF], r.counts[_LOW]) for r in result.candidates]
    if got != list(expected) or not result.quorum.met or result.warnings:
        raise RuntimeError(f"demo record {record.id} does not tally as designed")
    return result


def _date_between(rng: random.Random, first: date, days: int) -> date:
    """A working day (Monday–Friday) from ``first`` within ``days`` days."""
    day = first + timedelta(days=rng.randrange(days))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


# ---------------------------------------------------------------- Hòa Bình 2018


def _plans(rng: random.Random) -> tuple[list[_Plan], list[DemoAgency], list[DemoBlock]]:
    plans: list[_Plan] = []
    agencies: list[DemoAgency] = []
    blocks: list[DemoBlock] = []
    for block_no, (block, specs) in enumerate(_HOA_BINH_2018, 1):
        blocks.append(DemoBlock(block, len(specs)))
        for agency_no, spec in enumerate(specs, 1):
            agencies.append(DemoAgency(spec.name, block, spec.held))
            if not spec.held:
                continue
            summoned = rng.randint(*spec.size)
            present = summoned - rng.choice((0, 0, 0, 1, 1, 2, 3))
            plans.append(
                _Plan(
                    spec=spec,
                    block=block,
                    code=f"hb-2018-k{block_no}-{agency_no:02d}",
                    summoned=summoned,
                    present=present,
                    collected=present,
                    targets=[None] * len(spec.positions),
                )
            )
    # Noise, kept rare: one ballot not handed back; eight agencies with a void ballot.
    chosen = rng.sample(range(len(plans)), 9)
    plans[chosen[0]].collected -= 1
    defects = list(_Defect)
    for i, index in enumerate(chosen[1:]):
        plans[index].defects.append(rng.choice(defects))
        if i == 0:
            plans[index].defects.append(rng.choice(defects))
    return plans, agencies, blocks


def _assign_targets(rng: random.Random, plans: list[_Plan]) -> None:
    """Spread the seed's mix of results over the persons, respecting what each conference allows.

    100% needs a conference without a void ballot; the weaker results go to
    deputies in conferences of at least 20 ballots without a void one.
    """
    mix = dict(_SEED_MIX)
    slots = [(a, p) for a, plan in enumerate(plans) for p in range(len(plan.targets))]
    if len(slots) != sum(mix.values()):
        raise RuntimeError("demo design error: persons and the seed's mix differ")
    clean = [s for s in slots if not plans[s[0]].defects]
    full = rng.sample(clean, mix[_Target.FULL])
    taken = set(full)
    weak_pool = [s for s in clean if s not in taken and s[1] > 0 and plans[s[0]].collected >= 20]
    weak_labels = [
        t
        for t in (_Target.LOW, _Target.CONFIDENCE_LOW_40, _Target.CONFIDENCE)
        for _ in range(mix[t])
    ]
    weak = rng.sample(weak_pool, len(weak_labels))
    taken.update(weak)
    strong_labels = [
        t for t in (_Target.FROM_80, _Target.FROM_70, _Target.FROM_60) for _ in range(mix[t])
    ]
    rng.shuffle(strong_labels)
    others = [s for s in slots if s not in taken]
    for (a, p), target in [
        *((s, _Target.FULL) for s in full),
        *zip(weak, weak_labels, strict=True),
        *zip(others, strong_labels, strict=True),
    ]:
        plans[a].targets[p] = target


def _agency_record(
    rng: random.Random, plan: _Plan, names: NameGenerator, day: date
) -> ConferenceRecord:
    spec = plan.spec
    candidates = tuple(
        Candidate(
            id=str(i),
            name=names.name(female=rng.randrange(100) < spec.female_percent),
            position=position,
        )
        for i, position in enumerate(spec.positions, 1)
    )
    ids = [c.id for c in candidates]
    expected: list[tuple[int, int, int]] = []
    for target in plan.targets:
        if target is None:
            raise RuntimeError("demo design error: a person without a target")
        expected.append(_target_counts(target, plan.collected, plan.valid, rng))
    rows = _deal(rng, ids, [_column(*counts) for counts in expected])
    ballots = [Ballot(marks=row) for row in rows]
    ballots += [_defective_ballot(rng, ids, d) for d in plan.defects]
    rng.shuffle(ballots)
    record = ConferenceRecord(
        profile_id=PROFILE_2018,
        conference=Conference(
            kind=VoteKind.POLL,
            summoned=plan.summoned,
            present=plan.present,
            ballots_issued=plan.present,
            candidates=candidates,
            ballots=tuple(ballots),
        ),
        id=plan.code,
        title=f"Hội nghị lấy phiếu tín nhiệm đối với cán bộ lãnh đạo {spec.name} năm 2018",
        unit=spec.name,
        block=plan.block,
        date=day,
    )
    _verified(record, expected)
    return record


def hoa_binh_2018_round(seed: int = 2018) -> DemoRound:
    """The 2018 round of Hòa Bình province (262-QĐ/TW), matching seed [S0] exactly.

    49 of 50 agencies held the vote (14/15, 26/26, 9/9 per block); 156
    persons (41, 90, 25). With the ``plurality`` classification: 145 "tín
    nhiệm cao" (56 at 100%, 73 at 80–<100%, 10 at 70–<80%, 6 at 60–<70%),
    10 "tín nhiệm" (8 with a low share under 40%), 1 "tín nhiệm thấp" who is
    under half low. Every seed gives these figures; names, sizes and ballots
    change with it.
    """
    rng = random.Random(seed)
    names = NameGenerator(seed, region=Region.HOA_BINH)
    plans, agencies, blocks = _plans(rng)
    _assign_targets(rng, plans)
    records = tuple(
        _agency_record(rng, plan, names, _date_between(rng, date(2018, 5, 21), 70))
        for plan in plans
    )
    return DemoRound(
        profile_id=PROFILE_2018,
        title="Lấy phiếu tín nhiệm đối với cán bộ lãnh đạo diện Ban Thường vụ Tỉnh ủy Hòa Bình "
        "quản lý năm 2018",
        year=2018,
        blocks=tuple(blocks),
        agencies=tuple(agencies),
        records=records,
    )


# ---------------------------------------------------------------- 2023 conferences


def hoa_binh_thads_2023(seed: int = 2023) -> ConferenceRecord:
    """Cục Thi hành án dân sự tỉnh Hòa Bình, 27/6/2023 (96-QĐ/TW), after seed [S4].

    The Cục trưởng and two Phó Cục trưởng (invented names) polled by the 14
    summoned members, all present, 14 ballots. Every one is "tín nhiệm cao"
    with at least 12 of 14 (85.71%) and no "tín nhiệm thấp"; one voter left
    one line blank (under 96-QĐ/TW only that line is invalid).
    """
    rng = random.Random(f"tinnhiem.demo.thads/{seed}")
    names = NameGenerator(seed, region=Region.HOA_BINH)
    positions = ("Cục trưởng", "Phó Cục trưởng", "Phó Cục trưởng")
    candidates = tuple(
        Candidate(id=str(i), name=names.name(), position=p) for i, p in enumerate(positions, 1)
    )
    voters = 14
    blank_person = rng.randrange(len(candidates))
    expected: list[tuple[int, int, int]] = []
    columns: list[list[Marks]] = []
    for i in range(len(candidates)):
        valid = voters - (1 if i == blank_person else 0)
        high = rng.randint(12, valid)
        expected.append((high, valid - high, 0))
        columns.append(_column(high, valid - high, 0, [()] * (voters - valid)))
    rows = _deal(rng, [c.id for c in candidates], columns)
    record = ConferenceRecord(
        profile_id=PROFILE_2023,
        conference=Conference(
            kind=VoteKind.POLL,
            summoned=voters,
            present=voters,
            ballots_issued=voters,
            candidates=candidates,
            ballots=tuple(Ballot(marks=row) for row in rows),
            members_total=voters,
        ),
        id="hb-thads-2023",
        title="Hội nghị lấy phiếu tín nhiệm đối với cán bộ lãnh đạo, quản lý Cục Thi hành án "
        "dân sự tỉnh Hòa Bình",
        unit="Cục Thi hành án dân sự tỉnh Hòa Bình",
        block=BLOCK_CENTRAL,
        date=date(2023, 6, 27),
    )
    _verified(record, expected)
    return record


_LANG_SON_POSITIONS = (
    "Bí thư Tỉnh ủy",
    "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch Hội đồng nhân dân tỉnh",
    "Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tổ chức Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tuyên giáo Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Dân vận Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Nội chính Tỉnh ủy",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực Hội đồng nhân dân tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Thành ủy Lạng Sơn",
)
"""12 persons (seed [S2]); the Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh and the Giám đốc Công an
tỉnh were not polled here."""


def lang_son_committee_2023(seed: int = 2023) -> ConferenceRecord:
    """Ban Chấp hành Đảng bộ tỉnh Lạng Sơn polls 12 persons (96-QĐ/TW, 2023), after seed [S2].

    The Bí thư, the Phó Bí thư and the Ủy viên Ban Thường vụ Tỉnh ủy
    (invented names), polled by the 51 members of the committee in office;
    48 present, 48 ballots. Every person has at least 90% "tín nhiệm cao" and
    "tín nhiệm" together, as the seed reports. One line left blank and one
    line marked twice (each invalid for that person only), two signed
    ballots. The seed gives no date, so the record has none.
    """
    rng = random.Random(f"tinnhiem.demo.lang-son/{seed}")
    names = NameGenerator(seed, region=Region.LANG_SON)
    candidates = tuple(
        Candidate(id=str(i), name=names.name(), position=p)
        for i, p in enumerate(_LANG_SON_POSITIONS, 1)
    )
    members, present = 51, 48
    blank, double = rng.sample(range(len(candidates)), 2)
    expected: list[tuple[int, int, int]] = []
    columns: list[list[Marks]] = []
    for i in range(len(candidates)):
        line_defects: list[Marks] = []
        if i == blank:
            line_defects.append(())
        if i == double:
            line_defects.append((_HIGH, _CONF))
        valid = present - len(line_defects)
        low = rng.choice((0, 0, 1, 1, 2, 3))
        high = rng.randint(40 if i < 3 else 34, valid - low)
        counts = (high, valid - high - low, low)
        if 100 * (high + counts[1]) < 90 * present:
            raise RuntimeError("demo design error: under 90% cao + tín nhiệm")
        expected.append(counts)
        columns.append(_column(*counts, line_defects))
    rows = _deal(rng, [c.id for c in candidates], columns)
    signed = set(rng.sample(range(present), 2))
    ballots = [Ballot(marks=row, signed=v in signed) for v, row in enumerate(rows)]
    rng.shuffle(ballots)
    record = ConferenceRecord(
        profile_id=PROFILE_2023,
        conference=Conference(
            kind=VoteKind.POLL,
            summoned=members,
            present=present,
            ballots_issued=present,
            candidates=candidates,
            ballots=tuple(ballots),
            members_total=members,
        ),
        id="ls-bch-2023",
        title="Hội nghị Ban Chấp hành Đảng bộ tỉnh Lạng Sơn lấy phiếu tín nhiệm đối với Bí thư, "
        "Phó Bí thư và Ủy viên Ban Thường vụ Tỉnh ủy",
        unit="Ban Chấp hành Đảng bộ tỉnh Lạng Sơn",
    )
    _verified(record, expected)
    return record
