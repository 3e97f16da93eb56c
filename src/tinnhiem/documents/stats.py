"""Statistics of a vote round from many conference records, grouped by block.

The figures are :func:`tinnhiem.rules.round_statistics` of the persons'
results, each conference tallied by the rules core under its own profile:
agencies that held the vote over those due, persons polled, persons per
class (``plurality`` by default), the band of the high-confidence share
among those classed "tín nhiệm cao", persons in each legal band with the
consequence. Every percentage is the core's display (``92,95%``).

Three outputs share one model (:func:`statistics_to_json`): JSON
(``tinnhiem.round-statistics/1``), XLSX (openpyxl, with native Excel
charts) and PDF (typst, charts drawn by the template): stacked bars of the
classes per block and the histogram of high-confidence shares.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tinnhiem.documents._typst import render_pdf
from tinnhiem.documents.common import Header, Style, date_line, nfc, number_line
from tinnhiem.documents.errors import DocumentError
from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import (
    Level,
    PersonOutcome,
    RoundStatistics,
    RulesError,
    VoteKind,
    get_profile,
    round_statistics,
    tally,
)
from tinnhiem.rules.numbers import Ratio, format_int_vi
from tinnhiem.rules.profiles import Profile
from tinnhiem.rules.statistics import CLASSIFIERS, GroupStatistics

FORMAT = "tinnhiem.round-statistics/1"
NO_BLOCK = "(Chưa xác định khối)"

CLASSIFICATION_VI = {
    "plurality": "mức có nhiều phiếu nhất; bằng nhau thì xếp mức thấp hơn",
    "high_majority": "tín nhiệm cao khi quá nửa số phiếu là tín nhiệm cao; tín nhiệm thấp khi "
    "quá nửa số phiếu là tín nhiệm thấp; còn lại là tín nhiệm",
}


def round_outcomes(
    records: Iterable[tuple[str, ConferenceRecord]],
    overrides: Mapping[str, str] | None = None,
) -> list[PersonOutcome]:
    """Every person's result, each record tallied under its own profile.

    ``records`` are ``(label, record)``: the label (a file name) stands in
    for the agency when the record has neither ``unit`` nor ``id``.
    """
    out: list[PersonOutcome] = []
    profiles: dict[str, Profile] = {}
    for label, record in records:
        profile = profiles.get(record.profile_id)
        if profile is None:
            try:
                profile = get_profile(record.profile_id).with_overrides(dict(overrides or {}))
            except RulesError as e:
                raise DocumentError(e.message_vi, e.message_en) from None
            profiles[record.profile_id] = profile
        try:
            result = tally(record.conference, profile)
        except RulesError as e:
            raise DocumentError(f"{label}: {e.message_vi}", f"{label}: {e.message_en}") from None
        block = nfc(record.block) if record.block else NO_BLOCK
        agency = nfc(record.unit or record.id or label)
        out += [PersonOutcome.from_result(c, block=block, agency=agency) for c in result.candidates]
    return out


def build_statistics(
    outcomes: Sequence[PersonOutcome],
    *,
    classification: str = "plurality",
    agencies_total: Mapping[str, int] | None = None,
) -> RoundStatistics:
    """:func:`round_statistics`, with the document errors of this package."""
    if not outcomes:
        raise DocumentError("không có người được lấy phiếu nào", "no person in the records")
    if classification not in CLASSIFIERS:
        known = ", ".join(CLASSIFIERS)
        raise DocumentError(
            f"cách xếp loại không hợp lệ '{classification}' (hợp lệ: {known})",
            f"unknown classification '{classification}' (valid: {known})",
        )
    if agencies_total is not None:
        blocks = {o.block for o in outcomes}
        unknown = [b for b in agencies_total if b not in blocks]
        if unknown:
            raise DocumentError(
                f"khối '{unknown[0]}' không có trong các hồ sơ",
                f"block '{unknown[0]}' is not in the records",
            )
        held: dict[str, set[str]] = {}
        for o in outcomes:
            held.setdefault(o.block, set()).add(o.agency)
        for block, total in agencies_total.items():
            if total < len(held[block]):
                raise DocumentError(
                    f"khối '{block}': tổng số đơn vị {total} nhỏ hơn số đơn vị đã lấy phiếu "
                    f"{len(held[block])}",
                    f"block '{block}': {total} agencies due, fewer than the "
                    f"{len(held[block])} that held the vote",
                )
        missing = blocks - set(agencies_total)
        if missing:
            block = sorted(missing)[0]
            raise DocumentError(
                f"thiếu tổng số đơn vị của khối '{block}'",
                f"the number of agencies due is missing for block '{block}'",
            )
    try:
        return round_statistics(
            outcomes, classification=classification, agencies_total=agencies_total
        )
    except ValueError as e:
        raise DocumentError(
            "các hồ sơ trộn lẫn lấy phiếu và bỏ phiếu tín nhiệm",
            f"the records mix polls and binding votes ({e})",
        ) from None


# ---------------------------------------------------------------- the model


def _ratio(r: Ratio) -> dict[str, Any]:
    return {"count": r.count, "total": r.total, "percent": r.percent_vi()}


def _kind(stats: RoundStatistics) -> VoteKind:
    levels = list(stats.overall.classes)
    return VoteKind.BINDING if Level.NO_CONFIDENCE in levels else VoteKind.POLL


def _group_json(g: GroupStatistics) -> dict[str, Any]:
    agencies = g.agencies
    return {
        "label": g.label,
        "agencies": {
            "held": g.agencies_held,
            "total": g.agencies_total,
            "percent": agencies.percent_vi() if agencies is not None else None,
        },
        "persons": g.persons,
        "classes": [
            {"level": lv.value, "label": lv.label_vi, **_ratio(r)} for lv, r in g.classes.items()
        ],
        "high_share_bands": [
            {"band": b.value, "label": b.label_vi, **_ratio(r)}
            for b, r in g.high_share_bands.items()
        ],
        "high_at_least_70": _ratio(g.high_at_least_70),
        "high_at_least_70_of_all": _ratio(g.high_at_least_70_of_all),
        "confidence_low_under_40": g.confidence_low_under_40,
        "legal_bands": [
            {
                "band": band.value,
                "label": band.label_vi,
                "persons": [_person_json(o) for o in persons],
            }
            for band, persons in g.legal_bands.items()
        ],
    }


def _person_json(o: PersonOutcome) -> dict[str, Any]:
    adverse = o.kind.adverse_level
    return {
        "name": o.name,
        "position": o.position,
        "agency": o.agency,
        "block": o.block,
        "adverse_level": adverse.value,
        **_ratio(Ratio(o.counts[adverse], o.base)),
        "consequence": o.consequence_vi,
    }


def statistics_to_json(stats: RoundStatistics, title: str | None = None) -> dict[str, Any]:
    """``tinnhiem.round-statistics/1``: exact counts and totals, display percentages."""
    return {
        "format": FORMAT,
        "title": title,
        "kind": _kind(stats).value,
        "classification": stats.classification,
        "classification_vi": CLASSIFICATION_VI[stats.classification],
        "blocks": [_group_json(b) for b in stats.blocks],
        "overall": _group_json(stats.overall),
    }


def summary_vi(stats: RoundStatistics) -> list[str]:
    """The paragraphs of a province report (the wording of seed [S0])."""
    o = stats.overall
    out: list[str] = []
    agencies = o.agencies
    if agencies is not None:
        parts = [
            f"{b.label} {format_int_vi(b.agencies_held)}/{format_int_vi(b.agencies_total or 0)} "
            "đơn vị"
            for b in stats.blocks
        ]
        out.append(
            "Tổng số cơ quan, đơn vị thuộc đối tượng lấy phiếu đã tổ chức lấy phiếu tín nhiệm là "
            f"{format_int_vi(agencies.count)}/{format_int_vi(agencies.total)} đơn vị "
            f"({agencies.percent_vi()}); trong đó: " + "; ".join(parts) + "."
        )
    else:
        out.append(
            "Số cơ quan, đơn vị đã tổ chức lấy phiếu tín nhiệm: "
            f"{format_int_vi(o.agencies_held)} đơn vị."
        )
    parts = [f"{b.label} {format_int_vi(b.persons)} đồng chí" for b in stats.blocks]
    out.append(
        "Tổng số cán bộ thuộc đối tượng lấy phiếu tín nhiệm ở "
        f"{format_int_vi(o.agencies_held)} cơ quan, đơn vị là {format_int_vi(o.persons)} đồng "
        "chí, trong đó: " + "; ".join(parts) + "."
    )
    levels = list(o.classes)
    top = levels[0]
    sentences = []
    for i, lv in enumerate(levels):
        r = o.classes[lv]
        text = (
            f"{lv.label_vi}: tổng số {format_int_vi(r.count)}/{format_int_vi(r.total)} đồng chí, "
            f"chiếm {r.percent_vi()}"
        )
        if i == 0 and r.count:
            bands = [
                f"đạt {b.label_vi[0].lower()}{b.label_vi[1:]}: {format_int_vi(br.count)}/"
                f"{format_int_vi(br.total)} = {br.percent_vi()}"
                for b, br in o.high_share_bands.items()
                if br.count
            ]
            text += f", trong đó cán bộ có tỷ lệ phiếu {top.label_vi.lower()} " + "; ".join(bands)
        sentences.append(text + ".")
    out.append(" ".join(sentences))
    if _kind(stats) is VoteKind.POLL and o.classes[top].count:
        a, b = o.high_at_least_70, o.high_at_least_70_of_all
        out.append(
            "Cán bộ đạt mức tín nhiệm cao có tỷ lệ phiếu tín nhiệm cao từ 70% trở lên là "
            f"{format_int_vi(a.count)} đồng chí, chiếm {a.percent_vi()} cán bộ đạt mức tín nhiệm "
            f"cao ({format_int_vi(a.count)}/{format_int_vi(a.total)}), chiếm {b.percent_vi()} "
            f"tổng số cán bộ được lấy phiếu ({format_int_vi(b.count)}/{format_int_vi(b.total)}). "
            "Cán bộ đạt mức tín nhiệm nhưng tỷ lệ phiếu tín nhiệm thấp dưới 40% là "
            f"{format_int_vi(o.confidence_low_under_40)} đồng chí."
        )
    return out


@dataclass(frozen=True, slots=True)
class StatisticsDetails:
    """Letterhead of the statistics report; blanks where not given."""

    title: str | None = None
    party: bool = False
    parent: str | None = None
    issuer: str | None = None
    issuer_code: str = "TCCB"
    number: int | None = None
    place: str | None = None
    day: date | None = None
    classification: str | None = None
    trace: str | None = None
    """Footer of every page: the register number, who downloaded, when."""


def statistics_model(
    stats: RoundStatistics, details: StatisticsDetails | None = None
) -> dict[str, Any]:
    """What the PDF prints (the JSON figures plus the report's wording)."""
    d = details or StatisticsDetails()
    style = Style.PARTY if d.party else Style.STATE
    header = Header(
        style=style,
        parent=nfc(d.parent or "").upper(),
        issuer=nfc(d.issuer).upper() if d.issuer else "Tên cơ quan, đơn vị".upper(),
        number_line=number_line(style, d.number, "BC", d.issuer_code),
        date_line=date_line(d.place, d.day),
        classification=d.classification,
    )
    data = statistics_to_json(stats, d.title)
    kind = _kind(stats)
    top = kind.levels[0]
    return {
        **data,
        "header": header.to_json(),
        "heading": "BÁO CÁO",
        "subtitle": "Thống kê kết quả "
        + ("lấy phiếu tín nhiệm" if kind is VoteKind.POLL else "bỏ phiếu tín nhiệm")
        + (f": {nfc(d.title)}" if d.title else ""),
        "summary": summary_vi(stats),
        "trace": nfc(d.trace) if d.trace else None,
        "rule_line": f"Cách xếp loại mức độ tín nhiệm của mỗi người: {data['classification_vi']}.",
        "top_label": top.label_vi,
        "consequences": _consequences(stats),
        "share_heading": f"Tỷ lệ phiếu {top.label_vi.lower()} của cán bộ đạt mức "
        f"{top.label_vi.lower()}",
    }


def _consequences(stats: RoundStatistics) -> list[dict[str, str]]:
    out = []
    for band, persons in stats.overall.legal_bands.items():
        for o in persons:
            p = _person_json(o)
            adverse = o.kind.adverse_level.label_vi.lower()
            out.append(
                {
                    "person": f"{o.name} ({o.position}, {o.agency})" if o.position else o.name,
                    "figure": f"{p['count']}/{p['total']} phiếu {adverse} ({p['percent']})",
                    "band": band.label_vi,
                    "consequence": o.consequence_vi,
                }
            )
    return out


def render_statistics_pdf(
    stats: RoundStatistics, details: StatisticsDetails | None = None
) -> bytes:
    return render_pdf("statistics.typ", statistics_model(stats, details))


# ---------------------------------------------------------------- XLSX


def render_statistics_xlsx(stats: RoundStatistics, title: str | None = None) -> bytes:
    """The figures in a workbook: one sheet per table, native bar charts, text percentages.

    Counts are numbers; percentages are the core's display strings
    ("92,95%"), so that the sheet shows exactly what the report says.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.chart import BarChart, Reference  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    data = statistics_to_json(stats, title)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    groups = [*data["blocks"], data["overall"]]
    levels = data["overall"]["classes"]
    heading = [
        "Khối",
        "Đơn vị đã lấy phiếu",
        "Tổng số đơn vị",
        "Tỷ lệ đơn vị",
        "Số cán bộ",
    ]
    for c in levels:
        heading += [f"{c['label']} (số người)", f"{c['label']} (tỷ lệ)"]
    ws.append([title or "Thống kê kết quả lấy phiếu tín nhiệm"])
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws.append([f"Cách xếp loại: {data['classification_vi']}."])
    ws.append(heading)
    for g in groups:
        row: list[Any] = [
            g["label"],
            g["agencies"]["held"],
            g["agencies"]["total"],
            g["agencies"]["percent"],
            g["persons"],
        ]
        for c in g["classes"]:
            row += [c["count"], c["percent"]]
        ws.append(row)
    head_row, first, last = 3, 4, 3 + len(groups)
    _style_sheet(ws, head_row, last, bold, normal, wrap, center, [48, 12, 12, 12, 10] + [12] * 6)
    for cell in ws[last]:
        cell.font = bold
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Mức độ tín nhiệm theo khối"
    chart.y_axis.title = "Số cán bộ"
    for i in range(len(levels)):
        col = 6 + 2 * i
        series = Reference(ws, min_col=col, min_row=head_row, max_row=last - 1)
        chart.add_data(series, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last - 1))
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"A{last + 3}")

    ws2 = wb.create_sheet("Tỷ lệ tín nhiệm cao")
    top = data["overall"]["classes"][0]["label"]
    ws2.append([f"Tỷ lệ phiếu {top.lower()} của cán bộ đạt mức {top.lower()}"])
    ws2["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws2.append([])
    head2 = ["Tỷ lệ phiếu", "Số người", "Tỷ lệ"]
    for b in data["blocks"]:
        head2 += [f"{b['label']} (số người)"]
    ws2.append(head2)
    for i, band in enumerate(data["overall"]["high_share_bands"]):
        row = [band["label"], band["count"], band["percent"]]
        row += [b["high_share_bands"][i]["count"] for b in data["blocks"]]
        ws2.append(row)
    o = data["overall"]
    n2 = 3 + len(o["high_share_bands"])
    ws2.append([])
    ws2.append(
        [
            "Từ 70% trở lên / cán bộ đạt mức cao",
            o["high_at_least_70"]["count"],
            o["high_at_least_70"]["percent"],
        ]
    )
    ws2.append(
        [
            "Từ 70% trở lên / tổng số cán bộ",
            o["high_at_least_70_of_all"]["count"],
            o["high_at_least_70_of_all"]["percent"],
        ]
    )
    ws2.append(["Tín nhiệm, tỷ lệ thấp dưới 40%", o["confidence_low_under_40"]])
    _style_sheet(ws2, 3, ws2.max_row, bold, normal, wrap, center, [36, 12, 12] + [22] * 6)
    hist = BarChart()
    hist.type = "col"
    hist.title = f"Phân bố tỷ lệ phiếu {top.lower()}"
    hist.y_axis.title = "Số cán bộ"
    hist.add_data(Reference(ws2, min_col=2, min_row=3, max_row=n2), titles_from_data=True)
    hist.set_categories(Reference(ws2, min_col=1, min_row=4, max_row=n2))
    hist.legend = None
    hist.height, hist.width = 8, 16
    ws2.add_chart(hist, f"A{ws2.max_row + 3}")

    ws3 = wb.create_sheet("Ngưỡng theo quy định")
    ws3.append(["Người thuộc ngưỡng phải xem xét theo quy định"])
    ws3["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws3.append([])
    ws3.append(
        [
            "Họ và tên",
            "Chức vụ",
            "Cơ quan, đơn vị",
            "Khối",
            "Ngưỡng",
            "Số phiếu",
            "Cơ sở tính",
            "Tỷ lệ",
            "Hệ quả theo quy định",
        ]
    )
    for band in o["legal_bands"]:
        for p in band["persons"]:
            ws3.append(
                [
                    p["name"],
                    p["position"],
                    p["agency"],
                    p["block"],
                    band["label"],
                    p["count"],
                    p["total"],
                    p["percent"],
                    p["consequence"],
                ]
            )
    if not o["legal_bands"]:
        ws3.append(["Không có người nào thuộc ngưỡng phải xem xét."])
    _style_sheet(ws3, 3, ws3.max_row, bold, normal, wrap, center, [26, 22, 30, 30, 24, 9, 9, 9, 60])
    for sheet in (ws, ws2, ws3):
        sheet.freeze_panes = None
        for col in range(1, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(col)].bestFit = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _style_sheet(
    ws: Any,
    head_row: int,
    last_row: int,
    bold: Any,
    normal: Any,
    wrap: Any,
    center: Any,
    widths: list[int],
) -> None:
    from openpyxl.utils import get_column_letter

    for row in ws.iter_rows(min_row=head_row, max_row=last_row):
        for cell in row:
            cell.font = bold if cell.row == head_row else normal
            cell.alignment = center if cell.row == head_row or cell.column > 1 else wrap
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
