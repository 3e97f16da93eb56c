"""The demo data: the Hòa Bình 2018 round reproduces seed [S0] exactly, the 2023
conferences match seeds [S4] and [S2], everything is deterministic, round-trips
through the record format and names nobody real."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from tinnhiem.demo import (
    BLOCKED_NAMES,
    DemoRound,
    NameGenerator,
    Region,
    hoa_binh_2018_round,
    hoa_binh_thads_2023,
    is_blocked,
    lang_son_committee_2023,
    name_key,
)
from tinnhiem.demo.names import SEED_PERSONS
from tinnhiem.demo.province import BLOCK_CENTRAL, BLOCK_GOVERNMENT, BLOCK_PARTY
from tinnhiem.record.conference_record import (
    ConferenceRecord,
    loads_record,
    parse_record,
    record_to_json,
)
from tinnhiem.rules import (
    Band,
    Level,
    PersonOutcome,
    RoundStatistics,
    get_profile,
    round_statistics,
    tally,
)
from tinnhiem.rules.statistics import GroupStatistics, ShareBand, classify_plurality

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
H, T, L = Level.HIGH, Level.CONFIDENCE, Level.LOW


def outcomes(demo: DemoRound) -> list[PersonOutcome]:
    out: list[PersonOutcome] = []
    for record in demo.records:
        assert record.block is not None
        assert record.unit is not None
        result = tally(record.conference, get_profile(record.profile_id))
        out += [
            PersonOutcome.from_result(c, block=record.block, agency=record.unit)
            for c in result.candidates
        ]
    return out


def statistics(demo: DemoRound) -> RoundStatistics:
    return round_statistics(outcomes(demo), agencies_total=demo.agencies_total_by_block())


def all_records(demo: DemoRound) -> list[ConferenceRecord]:
    return [*demo.records, hoa_binh_thads_2023(), lang_son_committee_2023()]


@pytest.fixture(scope="module")
def demo() -> DemoRound:
    return hoa_binh_2018_round()


# ---------------------------------------------------------------- seed [S0] figures


def assert_seed_figures(o: GroupStatistics) -> None:
    assert o.agencies is not None
    assert (o.agencies.count, o.agencies.total) == (49, 50)
    assert o.persons == 156
    classes = {lv: (r.count, r.total, r.percent(",")) for lv, r in o.classes.items()}
    assert classes == {
        H: (145, 156, "92,95"),
        T: (10, 156, "6,41"),
        L: (1, 156, "0,64"),
    }
    bands = {b: (r.count, r.total, r.percent(",")) for b, r in o.high_share_bands.items()}
    assert bands == {
        ShareBand.FULL: (56, 145, "38,62"),
        ShareBand.FROM_80: (73, 145, "50,34"),
        ShareBand.FROM_70: (10, 145, "6,90"),
        ShareBand.FROM_60: (6, 145, "4,14"),
        ShareBand.FROM_50: (0, 145, "0,00"),
        ShareBand.BELOW_50: (0, 145, "0,00"),
    }
    assert (o.high_at_least_70.count, o.high_at_least_70.total) == (139, 145)
    assert o.high_at_least_70.percent(",") == "95,86"
    assert (o.high_at_least_70_of_all.count, o.high_at_least_70_of_all.total) == (139, 156)
    assert o.high_at_least_70_of_all.percent(",") == "89,10"
    assert o.confidence_low_under_40 == 8
    assert dict(o.legal_bands) == {}, "nobody reaches a legal band (the low person included)"


def test_round_gives_exactly_the_published_figures(demo: DemoRound) -> None:
    stats = statistics(demo)
    assert stats.classification == "plurality"
    assert_seed_figures(stats.overall)


def test_blocks_agencies_and_persons(demo: DemoRound) -> None:
    stats = statistics(demo)
    got = [
        (b.label, b.agencies_held, b.agencies_total, b.persons, b.agencies and b.agencies.percent())
        for b in stats.blocks
    ]
    assert got == [
        (BLOCK_PARTY, 14, 15, 41, "93.33"),
        (BLOCK_GOVERNMENT, 26, 26, 90, "100.00"),
        (BLOCK_CENTRAL, 9, 9, 25, "100.00"),
    ]
    assert demo.agencies_total_by_block() == {
        BLOCK_PARTY: 15,
        BLOCK_GOVERNMENT: 26,
        BLOCK_CENTRAL: 9,
    }
    assert [(b.name, b.agencies_total) for b in demo.blocks] == [
        (BLOCK_PARTY, 15),
        (BLOCK_GOVERNMENT, 26),
        (BLOCK_CENTRAL, 9),
    ]
    assert BLOCK_GOVERNMENT == (
        "Khối các sở, ban, ngành, cơ quan đơn vị trực thuộc "
        "Hội đồng nhân dân và Ủy ban nhân dân tỉnh"
    )


def test_agency_list_matches_the_records(demo: DemoRound) -> None:
    assert len(demo.agencies) == 50
    assert len({a.name for a in demo.agencies}) == 50
    not_held = [a for a in demo.agencies if not a.held]
    assert len(not_held) == 1
    assert not_held[0].block == BLOCK_PARTY
    held = [(a.name, a.block) for a in demo.agencies if a.held]
    assert [(r.unit, r.block) for r in demo.records] == held
    assert {"Ban Tổ chức Tỉnh ủy", "Sở Tài chính", "Cục Thuế tỉnh"} <= {
        a.name for a in demo.agencies
    }
    per_block = Counter(a.block for a in demo.agencies)
    assert per_block == {BLOCK_PARTY: 15, BLOCK_GOVERNMENT: 26, BLOCK_CENTRAL: 9}


def test_records_are_2018_conferences_under_qd262(demo: DemoRound) -> None:
    assert (demo.profile_id, demo.year) == ("qd262-2014", 2018)
    assert "Hòa Bình" in demo.title
    profile = get_profile("qd262-2014")
    assert profile.params.line_defect_voids_ballot
    ids = [r.id for r in demo.records]
    assert len(set(ids)) == len(ids)
    for record in demo.records:
        conf = record.conference
        assert record.profile_id == "qd262-2014"
        assert record.date is not None
        assert record.date.year == 2018
        assert record.date.weekday() < 5
        assert record.title is not None
        assert record.unit is not None
        assert record.unit in record.title
        assert 2 <= len(conf.candidates) <= 4
        assert all(c.position for c in conf.candidates)
        assert conf.ballots_issued == conf.present <= conf.summoned
        assert conf.ballots_issued - 1 <= len(conf.ballots) <= conf.ballots_issued
        result = tally(conf, profile)
        assert result.quorum.met
        assert result.warnings == ()
        assert result.base == len(conf.ballots)


def test_ballots_are_individual_with_rare_void_ones(demo: DemoRound) -> None:
    profile = get_profile("qd262-2014")
    total = void = 0
    for record in demo.records:
        conf = record.conference
        result = tally(conf, profile)
        total += result.collected
        void += result.whole_invalid
        for c in result.candidates:
            # every valid ballot has exactly one mark per person: valid lines = valid ballots
            assert c.valid == result.collected - result.whole_invalid
            if c.counts[H] == c.base:
                assert result.whole_invalid == 0
        assert result.whole_invalid <= 2
    assert total > 1000
    assert 1 <= void <= total // 100, "void ballots exist but stay rare"
    blank_or_double = [
        b
        for r in demo.records
        for b in r.conference.ballots
        if len(b.marks) != len(r.conference.candidates)
        or any(len(m) != 1 for m in b.marks.values())
    ]
    assert len(blank_or_double) <= void


def test_the_low_person_is_under_half_low(demo: DemoRound) -> None:
    lows = [o for o in outcomes(demo) if classify_plurality(o.kind, o.counts, o.base) is Level.LOW]
    assert len(lows) == 1
    (person,) = lows
    assert person.band is Band.NONE
    assert 2 * person.counts[L] <= person.base
    assert person.counts[L] >= max(person.counts[H], person.counts[T])


def test_confidence_class_low_shares(demo: DemoRound) -> None:
    persons = [
        o
        for o in outcomes(demo)
        if classify_plurality(o.kind, o.counts, o.base) is Level.CONFIDENCE
    ]
    under_40 = [o for o in persons if 100 * o.counts[L] < 40 * o.base]
    assert (len(persons), len(under_40)) == (10, 8)


@pytest.mark.parametrize("seed", [0, 1, 7, 2019, 123456])
def test_every_seed_gives_the_published_figures(seed: int) -> None:
    assert_seed_figures(statistics(hoa_binh_2018_round(seed)).overall)


# ---------------------------------------------------------------- determinism, format


def digest(records: list[ConferenceRecord]) -> str:
    text = json.dumps([record_to_json(r) for r in records], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_same_data(demo: DemoRound) -> None:
    assert hoa_binh_2018_round(2018) == demo
    assert hoa_binh_thads_2023(2023) == hoa_binh_thads_2023()
    assert lang_son_committee_2023(2023) == lang_son_committee_2023()
    other = hoa_binh_2018_round(2019)
    assert other != demo
    assert [c.name for c in other.records[0].conference.candidates] != [
        c.name for c in demo.records[0].conference.candidates
    ]


def test_data_do_not_depend_on_hash_randomisation(demo: DemoRound) -> None:
    here = digest(all_records(demo))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from tests.demo.test_province import all_records, digest;"
        "from tinnhiem.demo import hoa_binh_2018_round;"
        "print(digest(all_records(hoa_binh_2018_round())))"
    )
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", code, str(REPO_ROOT)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == here


def test_every_record_round_trips_through_the_format(demo: DemoRound) -> None:
    for record in all_records(demo):
        data = record_to_json(record)
        assert parse_record(data) == record
        assert loads_record(json.dumps(data, ensure_ascii=False)) == record


# ---------------------------------------------------------------- names


def generated_names(demo: DemoRound) -> list[str]:
    return [c.name for r in all_records(demo) for c in r.conference.candidates]


def test_names_are_invented_unique_nfc_vietnamese(demo: DemoRound) -> None:
    names = [c.name for r in demo.records for c in r.conference.candidates]
    assert len(names) == 156
    assert len({name_key(n) for n in names}) == 156
    for name in generated_names(demo):
        assert unicodedata.normalize("NFC", name) == name
        assert 3 <= len(name.split()) <= 4
        assert not is_blocked(name)
    assert sum(n != name_key(n) for n in names) > 150, "names carry diacritics"


def test_blocklist_holds_the_seed_persons() -> None:
    for real in (
        "Nguyễn Văn Sơn",
        "Trần Văn Dũng",
        "Bùi Viết Dũng",
        "Trần Thị Thuỳ Linh",
        "Trần Thị Thùy Linh",
        "TRAN THI THUY LINH",
        "Nguyễn Quốc Đoàn",
        "Hồ Tiến Thiệu",
        "Lê Duy Thành",
        "Hoàng Thị Thúy Lan",
        "Bùi Công Định",
        "Vũ Việt Anh",
        "Nguyễn Thái Sơn",  # ends with the pen name of seed [S0]'s author
    ):
        assert is_blocked(real), real
    assert not is_blocked("Trần Văn Dũ")
    assert not is_blocked("Nguyễn Văn Sơn Hà"), "only whole names, or endings, are blocked"


def test_generator_never_produces_a_blocked_name() -> None:
    for region in Region:
        gen = NameGenerator(11, region=region)
        names = [gen.name() for _ in range(1500)]
        assert len({name_key(n) for n in names}) == 1500
        assert not any(is_blocked(n) for n in names)
    assert NameGenerator(5).names(20) == NameGenerator(5).names(20)
    assert NameGenerator(5).names(20) != NameGenerator(6).names(20)


def test_no_generated_name_occurs_in_the_seeds(demo: DemoRound) -> None:
    if not SEEDS.is_dir():
        pytest.skip(
            "the reference seeds (shared/seeds next to the repository) are not present here"
        )
    texts = [name_key(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    assert texts
    for person in SEED_PERSONS:
        assert any(name_key(person) in t for t in texts), f"{person} is not in the seeds"
    for name in generated_names(demo):
        pattern = re.compile(rf"(?<!\w){re.escape(name_key(name))}(?!\w)")
        assert not any(pattern.search(t) for t in texts), name
    assert set(SEED_PERSONS) <= set(BLOCKED_NAMES)


# ---------------------------------------------------------------- 2023 conferences


def test_thads_conference_matches_seed_s4() -> None:
    record = hoa_binh_thads_2023()
    conf = record.conference
    assert record.profile_id == "qd96-2023"
    assert str(record.date) == "2023-06-27"
    assert record.unit == "Cục Thi hành án dân sự tỉnh Hòa Bình"
    assert [c.position for c in conf.candidates] == [
        "Cục trưởng",
        "Phó Cục trưởng",
        "Phó Cục trưởng",
    ]
    assert (conf.summoned, conf.present, conf.ballots_issued, len(conf.ballots)) == (14, 14, 14, 14)
    result = tally(conf, get_profile("qd96-2023"))
    assert result.quorum.met
    assert result.warnings == ()
    assert result.base == 14
    for c in result.candidates:
        assert classify_plurality(c.kind, c.counts, c.base) is Level.HIGH
        assert 100 * c.counts[H] >= 80 * c.base
        assert c.counts[L] == 0
        assert c.band is Band.NONE
        assert not is_blocked(c.candidate.name)


def test_lang_son_conference_matches_seed_s2() -> None:
    record = lang_son_committee_2023()
    conf = record.conference
    assert record.profile_id == "qd96-2023"
    assert record.unit == "Ban Chấp hành Đảng bộ tỉnh Lạng Sơn"
    positions = [c.position for c in conf.candidates]
    assert len(positions) == 12
    assert positions[0] == "Bí thư Tỉnh ủy"
    assert sum(p.startswith("Phó Bí thư") for p in positions) == 2
    assert all(p.startswith("Ủy viên Ban Thường vụ Tỉnh ủy") for p in positions[3:])
    assert not any("Quân sự" in p or "Công an" in p for p in positions)
    assert 50 <= conf.summoned <= 55
    assert conf.members_total == conf.summoned
    result = tally(conf, get_profile("qd96-2023"))
    assert result.quorum.met
    assert result.warnings == ()
    assert result.base == len(conf.ballots) == conf.ballots_issued == conf.present
    for c in result.candidates:
        assert 100 * (c.counts[H] + c.counts[T]) >= 90 * c.base, c.candidate.position
        assert c.band is Band.NONE
    assert sum(c.invalid for c in result.candidates) == 2, "one blank and one double line"
