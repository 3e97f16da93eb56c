"""Conference records for the document tests: invented people only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tinnhiem.demo import DemoRound, NameGenerator, hoa_binh_2018_round, is_blocked
from tinnhiem.record import ConferenceRecord, loads_record
from tinnhiem.rules import TallyResult, get_profile, tally

# Invented names with every kind of Vietnamese diacritic; none is a real official's.
PEOPLE = (
    ("1", "Nguyễn Thị Huyền Trang", "Giám đốc Sở Nội vụ"),
    ("2", "Võ Thị Ỷ", "Phó Giám đốc Sở Nội vụ"),
    ("3", "Hoàng Thùy Dũng", "Phó Giám đốc Sở Nội vụ"),
    ("4", "Lê Văn Ấn", "Chánh Văn phòng Sở Nội vụ"),
    ("5", "Đặng Thị Ngọc Ánh", "Chánh Thanh tra Sở Nội vụ"),
)


def _small_ballots() -> list[dict[str, Any]]:
    """Nine ballots; the counts of each person are spelt out in SMALL_EXPECTED."""
    ballots = []
    for i in range(9):
        marks: dict[str, list[str]] = {"1": ["cao"]}
        if i < 6:
            marks["2"] = ["cao"]
        elif i < 8:
            marks["2"] = ["tin_nhiem"]  # ballot 9 leaves line 2 blank
        marks["3"] = ["cao"] if i < 7 else (["tin_nhiem"] if i == 7 else ["thap"])
        marks["4"] = ["thap"] if i < 6 else ["tin_nhiem"]
        marks["5"] = ["thap"] if i < 5 else ["cao"]
        ballots.append({"marks": marks})
    return ballots


SMALL_EXPECTED = {
    # name: (valid, cao, %, tín nhiệm, %, thấp, %) — counted by hand, base 9 ballots collected
    "Nguyễn Thị Huyền Trang": ("9", "9", "100,00%", "0", "0,00%", "0", "0,00%"),
    "Võ Thị Ỷ": ("8", "6", "66,67%", "2", "22,22%", "0", "0,00%"),
    "Hoàng Thùy Dũng": ("9", "7", "77,78%", "1", "11,11%", "1", "11,11%"),
    "Lê Văn Ấn": ("9", "0", "0,00%", "3", "33,33%", "6", "66,67%"),
    "Đặng Thị Ngọc Ánh": ("9", "4", "44,44%", "0", "0,00%", "5", "55,56%"),
}


def small_record_json() -> dict[str, Any]:
    return {
        "format": "tinnhiem.conference-record/1",
        "profile": "qd96-2023",
        "kind": "poll",
        "id": "hg-snv-2024",
        "title": "Hội nghị lấy phiếu tín nhiệm đối với lãnh đạo Sở Nội vụ tỉnh Hà Giang",
        "unit": "Sở Nội vụ tỉnh Hà Giang",
        "block": "Khối các sở, ban, ngành",
        "date": "2024-02-05",
        "members_total": 10,
        "summoned": 10,
        "present": 9,
        "ballots_issued": 9,
        "candidates": [{"id": i, "name": n, "position": p} for i, n, p in PEOPLE],
        "ballots": _small_ballots(),
    }


def record_from(data: dict[str, Any]) -> ConferenceRecord:
    return loads_record(json.dumps(data, ensure_ascii=False))


def tally_of(record: ConferenceRecord) -> TallyResult:
    return tally(record.conference, get_profile(record.profile_id))


@pytest.fixture(scope="session")
def small_record() -> ConferenceRecord:
    for _, name, _ in PEOPLE:
        assert not is_blocked(name)
    return record_from(small_record_json())


@pytest.fixture(scope="session")
def small_result(small_record: ConferenceRecord) -> TallyResult:
    return tally_of(small_record)


def long_record_json(persons: int = 30, ballots: int = 12) -> dict[str, Any]:
    names = NameGenerator(17)
    positions = (
        "Giám đốc",
        "Phó Giám đốc phụ trách công tác tổ chức cán bộ, thi đua khen thưởng và cải cách "
        "hành chính",
        "Trưởng phòng Quản lý xây dựng chính quyền và công tác thanh niên",
    )
    candidates = [
        {"id": f"c{i}", "name": names.name(), "position": positions[i % 3]}
        for i in range(1, persons + 1)
    ]
    return {
        "format": "tinnhiem.conference-record/1",
        "profile": "qd96-2023",
        "id": "demo-long",
        "title": "Hội nghị lấy phiếu tín nhiệm thử nghiệm",
        "unit": "Ủy ban nhân dân tỉnh Hà Giang",
        "date": "2023-08-24",
        "summoned": ballots,
        "present": ballots,
        "ballots_issued": ballots,
        "candidates": candidates,
        "ballots": [{"marks": {c["id"]: ["cao"] for c in candidates}} for _ in range(ballots)],
    }


@pytest.fixture(scope="session")
def long_record() -> ConferenceRecord:
    return record_from(long_record_json())


@pytest.fixture(scope="session")
def binding_record() -> ConferenceRecord:
    data = small_record_json()
    data.update(profile="nq96-2023", kind="binding", id="hdnd-2024")
    data["candidates"] = data["candidates"][:3]
    data["ballots"] = [
        {"marks": {"1": ["tin_nhiem"], "2": ["khong_tin_nhiem"], "3": ["tin_nhiem"]}}
        for _ in range(9)
    ]
    return record_from(data)


@pytest.fixture(scope="session")
def demo_round() -> DemoRound:
    return hoa_binh_2018_round()


class CountingSerials:
    """A deterministic serial source for tests: ``TEST-0000-0000-0001``, …"""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"TEST-0000-0000-{self.n:04d}"
