"""Statistics of a round: the demo round reproduces seed [S0] in JSON, XLSX and PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.documents._helpers import (
    assert_nfc,
    assert_not_blank,
    pdftotext,
    pypdf_pages,
    render_page,
    squash,
)
from tinnhiem.demo import DemoRound
from tinnhiem.demo.province import BLOCK_CENTRAL, BLOCK_GOVERNMENT, BLOCK_PARTY
from tinnhiem.documents import (
    DocumentError,
    StatisticsDetails,
    build_statistics,
    render_statistics_pdf,
    render_statistics_xlsx,
    round_outcomes,
    statistics_to_json,
)
from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import RoundStatistics

SEED_FIGURES = (
    # seed [S0], Hòa Bình 2018, as the published text gives them
    "49/50",
    "14/15",
    "26/26",
    "9/9",
    "145/156",
    "92,95%",
    "56/145 = 38,62%",
    "73/145 = 50,34%",
    "10/145 = 6,90%",
    "6/145 = 4,14%",
    "10/156",
    "6,41%",
    "1/156",
    "0,64%",
    "95,86%",
    "89,10%",
    "(139/145)",
    "(139/156)",
)


@pytest.fixture(scope="module")
def stats(demo_round: DemoRound) -> RoundStatistics:
    outcomes = round_outcomes((r.id or "", r) for r in demo_round.records)
    return build_statistics(outcomes, agencies_total=demo_round.agencies_total_by_block())


@pytest.fixture(scope="module")
def data(stats: RoundStatistics) -> dict[str, Any]:
    return statistics_to_json(stats, "Hòa Bình 2018")


def ratio(count: int, total: int, percent: str) -> dict[str, Any]:
    return {"count": count, "total": total, "percent": percent}


def test_json_gives_the_seed_figures(data: dict[str, Any]) -> None:
    o = data["overall"]
    assert data["format"] == "tinnhiem.round-statistics/1"
    assert data["classification"] == "plurality"
    assert o["agencies"] == {"held": 49, "total": 50, "percent": "98,00%"}
    assert o["persons"] == 156
    assert [(c["label"], c["count"], c["total"], c["percent"]) for c in o["classes"]] == [
        ("Tín nhiệm cao", 145, 156, "92,95%"),
        ("Tín nhiệm", 10, 156, "6,41%"),
        ("Tín nhiệm thấp", 1, 156, "0,64%"),
    ]
    assert [(b["label"], b["count"], b["total"], b["percent"]) for b in o["high_share_bands"]] == [
        ("100%", 56, 145, "38,62%"),
        ("Từ 80% đến dưới 100%", 73, 145, "50,34%"),
        ("Từ 70% đến dưới 80%", 10, 145, "6,90%"),
        ("Từ 60% đến dưới 70%", 6, 145, "4,14%"),
        ("Từ 50% đến dưới 60%", 0, 145, "0,00%"),
        ("Dưới 50%", 0, 145, "0,00%"),
    ]
    assert o["high_at_least_70"] == ratio(139, 145, "95,86%")
    assert o["high_at_least_70_of_all"] == ratio(139, 156, "89,10%")
    assert o["confidence_low_under_40"] == 8
    assert o["legal_bands"] == []
    blocks = [
        (b["label"], b["agencies"]["held"], b["agencies"]["total"], b["persons"])
        for b in data["blocks"]
    ]
    assert blocks == [
        (BLOCK_PARTY, 14, 15, 41),
        (BLOCK_GOVERNMENT, 26, 26, 90),
        (BLOCK_CENTRAL, 9, 9, 25),
    ]


def test_pdf_prints_the_seed_figures(stats: RoundStatistics, tmp_path: Path) -> None:
    pdf = render_statistics_pdf(stats, StatisticsDetails(title="Hòa Bình 2018", place="Hòa Bình"))
    text = squash(pdftotext(pdf, tmp_path))
    for figure in SEED_FIGURES:
        assert figure in text, figure
    for expected in (
        "BÁO CÁO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Tín nhiệm cao: tổng số 145/156 đồng chí, chiếm 92,95%",
        "Cán bộ đạt mức tín nhiệm nhưng tỷ lệ phiếu tín nhiệm thấp dưới 40% là 8 đồng chí.",
        "Không có người nào thuộc ngưỡng phải xem xét theo quy định.",
        "Mức độ tín nhiệm theo khối",
        "Phân bố tỷ lệ phiếu tín nhiệm cao",
        "Khối các cơ quan Trung ương tại tỉnh",
        "Tổng cộng",
    ):
        assert expected in text, expected
    assert_nfc(text)
    pypdf_text = squash(" ".join(pypdf_pages(pdf)))
    assert "145/156" in pypdf_text
    assert "92,95%" in pypdf_text
    for page in (1, 2):
        assert_not_blank(render_page(pdf, tmp_path, page=page, dpi=40))


def test_xlsx_cells_and_native_charts(stats: RoundStatistics) -> None:
    wb = load_workbook(io.BytesIO(render_statistics_xlsx(stats, "Hòa Bình 2018")))
    ws = wb["Tổng hợp"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows[2]
    assert header[:5] == [
        "Khối",
        "Đơn vị đã lấy phiếu",
        "Tổng số đơn vị",
        "Tỷ lệ đơn vị",
        "Số cán bộ",
    ]
    overall = next(r for r in rows if r[0] == "Tổng cộng")
    assert overall[:11] == [
        "Tổng cộng",
        49,
        50,
        "98,00%",
        156,
        145,
        "92,95%",
        10,
        "6,41%",
        1,
        "0,64%",
    ]
    party = next(r for r in rows if r[0] == BLOCK_PARTY)
    assert party[:5] == [BLOCK_PARTY, 14, 15, "93,33%", 41]
    charts = ws._charts
    assert len(charts) == 1
    assert charts[0].grouping == "stacked"
    assert len(charts[0].series) == 3

    ws2 = wb["Tỷ lệ tín nhiệm cao"]
    rows2 = [[c.value for c in row] for row in ws2.iter_rows()]
    assert rows2[3][:3] == ["100%", 56, "38,62%"]
    assert rows2[4][:3] == ["Từ 80% đến dưới 100%", 73, "50,34%"]
    assert rows2[5][:3] == ["Từ 70% đến dưới 80%", 10, "6,90%"]
    assert rows2[6][:3] == ["Từ 60% đến dưới 70%", 6, "4,14%"]
    flat = [v for r in rows2 for v in r]
    assert "95,86%" in flat
    assert "89,10%" in flat
    assert len(ws2._charts) == 1

    ws3 = wb["Ngưỡng theo quy định"]
    assert ws3["A4"].value == "Không có người nào thuộc ngưỡng phải xem xét."


def test_legal_bands_appear_with_consequences(
    demo_round: DemoRound, small_record: ConferenceRecord, tmp_path: Path
) -> None:
    records = [(r.id or "", r) for r in demo_round.records[:3]] + [("small", small_record)]
    stats = build_statistics(round_outcomes(records))
    data = statistics_to_json(stats)
    bands = {b["band"]: b["persons"] for b in data["overall"]["legal_bands"]}
    assert [p["name"] for p in bands["two_thirds_low"]] == ["Lê Văn Ấn"]
    assert bands["two_thirds_low"][0]["percent"] == "66,67%"
    assert [p["name"] for p in bands["over_half_low"]] == ["Đặng Thị Ngọc Ánh"]
    assert data["overall"]["agencies"]["total"] is None
    text = squash(pdftotext(render_statistics_pdf(stats), tmp_path))
    assert "Lê Văn Ấn (Chánh Văn phòng Sở Nội vụ, Sở Nội vụ tỉnh Hà Giang): 6/9 phiếu" in text
    wb = load_workbook(io.BytesIO(render_statistics_xlsx(stats)))
    names = [row[0].value for row in wb["Ngưỡng theo quy định"].iter_rows(min_row=4)]
    assert set(names) == {"Lê Văn Ấn", "Đặng Thị Ngọc Ánh"}


def test_high_majority_rule_changes_the_classes(demo_round: DemoRound) -> None:
    outcomes = round_outcomes((r.id or "", r) for r in demo_round.records)
    data = statistics_to_json(build_statistics(outcomes, classification="high_majority"))
    assert data["classification"] == "high_majority"
    assert sum(c["count"] for c in data["overall"]["classes"]) == 156


def test_bad_rounds_are_refused(
    demo_round: DemoRound, binding_record: ConferenceRecord, small_record: ConferenceRecord
) -> None:
    outcomes = round_outcomes((r.id or "", r) for r in demo_round.records)
    with pytest.raises(DocumentError):
        build_statistics([])
    with pytest.raises(DocumentError):
        build_statistics(outcomes, classification="majority")
    with pytest.raises(DocumentError):
        build_statistics(outcomes, agencies_total={"Khối không có": 3})
    with pytest.raises(DocumentError):
        build_statistics(outcomes, agencies_total={BLOCK_PARTY: 15})  # other blocks missing
    totals = demo_round.agencies_total_by_block() | {BLOCK_CENTRAL: 2}
    with pytest.raises(DocumentError):
        build_statistics(outcomes, agencies_total=totals)  # fewer due than held
    mixed = round_outcomes([("a", small_record), ("b", binding_record)])
    with pytest.raises(DocumentError):
        build_statistics(mixed)
