"""Plain-text rendering of a tally, shaped like the result report form
(Phụ lục 4, "BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM", KH 240/KH-UBND [S3])."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import Band, TallyResult
from tinnhiem.rules.numbers import format_date_vi

_T = {
    "vi": {
        "title": "BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM",
        "title_binding": "BÁO CÁO KẾT QUẢ BỎ PHIẾU TÍN NHIỆM",
        "at": "Tại hội nghị (kỳ họp)",
        "unit": "Cơ quan, đơn vị",
        "profile": "Quy định áp dụng",
        "members": "Tổng số ủy viên ban chấp hành (đại biểu)",
        "summoned": "Số được triệu tập",
        "present": "Số có mặt tại thời điểm bỏ phiếu",
        "quorum_ok": "đủ điều kiện tiến hành: cần ít nhất {req}",
        "quorum_no": "KHÔNG ĐỦ điều kiện tiến hành: cần ít nhất {req}",
        "issued": "Số phiếu phát ra",
        "collected": "Số phiếu thu về",
        "whole_invalid": "trong đó {n} phiếu không hợp lệ toàn bộ",
        "persons": "đồng chí",
        "ballots": "phiếu",
        "results": "Kết quả kiểm phiếu",
        "stt": "STT",
        "name": "Họ và tên",
        "position": "Chức vụ, đơn vị công tác",
        "valid": "Số phiếu hợp lệ",
        "levels": "Mức độ tín nhiệm",
        "count": "Số phiếu",
        "pct": "Tỷ lệ %",
        "note": "Ghi chú: Tỷ lệ % tính trên {basis} ({value}).",
        "bands": "Ngưỡng theo quy định",
        "no_band": "Không có người nào thuộc ngưỡng phải xem xét.",
        "warnings": "Cảnh báo",
        "nobody": "(không có người được lấy phiếu)",
    },
    "en": {
        "title": "CONFIDENCE POLL RESULT REPORT",
        "title_binding": "BINDING CONFIDENCE VOTE RESULT REPORT",
        "at": "Conference (session)",
        "unit": "Agency",
        "profile": "Regulation",
        "members": "Total members (deputies)",
        "summoned": "Summoned",
        "present": "Present at the time of voting",
        "quorum_ok": "quorum met: at least {req} required",
        "quorum_no": "QUORUM NOT MET: at least {req} required",
        "issued": "Ballots issued",
        "collected": "Ballots collected",
        "whole_invalid": "of which {n} void as a whole",
        "persons": "",
        "ballots": "",
        "results": "Count",
        "stt": "No.",
        "name": "Full name",
        "position": "Position, agency",
        "valid": "Valid",
        "levels": "Level of confidence",
        "count": "Count",
        "pct": "%",
        "note": "Note: percentages are of {basis} ({value}).",
        "bands": "Legal thresholds",
        "no_band": "Nobody reaches a threshold.",
        "warnings": "Warnings",
        "nobody": "(no person on the ballot)",
    },
}


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (combining marks take none)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _table(header_rows: Sequence[Sequence[str]], rows: Sequence[Sequence[str]]) -> list[str]:
    """A box-drawn table; numeric columns (all but 1 and 2) right-aligned."""
    ncol = len(header_rows[-1])
    widths = [0] * ncol
    for row in [*header_rows, *rows]:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))

    def line(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    def fmt(row: Sequence[str], header: bool) -> str:
        cells = []
        for i, cell in enumerate(row):
            right = not header and i not in (1, 2)
            cells.append(" " + _pad(cell, widths[i], right) + " ")
        return "│" + "│".join(cells) + "│"

    out = [line("┌", "┬", "┐")]
    out.extend(fmt(h, True) for h in header_rows)
    out.append(line("├", "┼", "┤"))
    out.extend(fmt(r, False) for r in rows)
    out.append(line("└", "┴", "┘"))
    return out


def render_tally(record: ConferenceRecord, result: TallyResult, lang: str = "vi") -> str:
    t = _T["en" if lang == "en" else "vi"]
    sep = "." if lang == "en" else ","
    kind = result.kind
    out: list[str] = []
    out.append(t["title"] if kind.value == "poll" else t["title_binding"])
    if record.title:
        out.append(f"{t['at']}: {record.title}")
    unit_line = record.unit or ""
    if record.date is not None:
        when = format_date_vi(record.date) if lang != "en" else record.date.isoformat()
        unit_line = f"{unit_line}, {when}" if unit_line else when
    if unit_line:
        out.append(f"{t['unit']}: {unit_line}")
    kind_label = kind.label_en if lang == "en" else kind.label_vi
    out.append(
        f"{t['profile']}: {result.profile.short_name_vi} ({result.profile.id}), {kind_label}"
    )
    out.append("")

    def unit(n: int, word: str) -> str:
        return f"{n} {t[word]}".rstrip()

    members = result.members_total if result.members_total is not None else result.quorum.summoned
    q = result.quorum
    quorum_note = (t["quorum_ok"] if q.met else t["quorum_no"]).format(req=q.required)
    out.append(f"1. {t['members']}: {unit(members, 'persons')}.")
    out.append(f"   - {t['summoned']}: {unit(q.summoned, 'persons')}.")
    out.append(f"   - {t['present']}: {unit(q.present, 'persons')} ({quorum_note}).")
    out.append(f"   - {t['issued']}: {unit(result.issued, 'ballots')}.")
    collected = f"   - {t['collected']}: {unit(result.collected, 'ballots')}"
    if result.whole_invalid:
        collected += " (" + t["whole_invalid"].format(n=result.whole_invalid) + ")"
    out.append(collected + ".")
    out.append("")
    out.append(f"2. {t['results']}")
    levels = kind.levels
    top = ["", "", "", ""]
    sub = [t["stt"], t["name"], t["position"], t["valid"]]
    for lv in levels:
        top += [lv.label(lang), ""]
        sub += [t["count"], t["pct"]]
    rows = []
    for i, c in enumerate(result.candidates, start=1):
        row = [str(i), c.candidate.name, c.candidate.position, str(c.valid)]
        for lv in levels:
            row += [str(c.counts[lv]), c.percent(lv, sep)]
        rows.append(row)
    if rows:
        out.extend(_table([top, sub], rows))
    else:
        out.append(t["nobody"])
    basis = result.basis.label_en if lang == "en" else result.basis.label_vi
    out.append(t["note"].format(basis=basis, value=result.base))
    out.append("")
    out.append(f"3. {t['bands']}")
    flagged = [c for c in result.candidates if c.band is not Band.NONE]
    if not flagged:
        out.append("   " + t["no_band"])
    for c in flagged:
        adverse = kind.adverse_level
        out.append(
            f"   - {c.candidate.name}: {c.counts[adverse]}/{c.base} "
            f"({c.percent(adverse, sep)}%) {adverse.label(lang).lower()}: {c.band.label(lang)}."
        )
        out.append(f"     {c.consequence(lang)}")
    if result.warnings:
        out.append("")
        out.append(f"{t['warnings']}:")
        for w in result.warnings:
            out.append(f"   - [{w.code.value}] {w.message(lang)}")
    return "\n".join(out) + "\n"
