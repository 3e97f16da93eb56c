"""The result report (Phụ lục 4, "BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM") and the
biên bản kiểm phiếu, as PDF (typst) and DOCX (python-docx).

Both formats print one model, built by :func:`report_model` from a record
and its :class:`~tinnhiem.rules.TallyResult`: every figure is a count of the
rules core, every percentage the core's display (``92,95%``) on the
profile's base, every band and consequence the core's. Nothing is counted
or rounded here.

Layout: the ND30 header (Quốc hiệu, Tiêu ngữ, ``Số: 05/BC-BKP``) or, for a
party body, the HD36 header ("ĐẢNG CỘNG SẢN VIỆT NAM", ``Số 05-BC/BKP``);
the secrecy stamp (default MẬT, red, double border, 20 × 8 mm) at ô 10a with
the copy number ("Bản số: 01/03") under it; A4, margins 20/20/30/15 mm;
page numbers centred in the top margin from page 2. The file holds every
copy (three by default, as KH 240/KH-UBND asks: two for the superior body,
one kept), each starting on a new page with its own page numbering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import Any

from tinnhiem.documents._typst import render_pdf
from tinnhiem.documents.common import (
    LEVEL_COLUMN_VI,
    Header,
    Style,
    at_meeting,
    date_line,
    int_or_blank,
    long_date_or_blank,
    nfc,
    number_line,
    or_blank,
    secrecy_width,
    short_date_or_blank,
    time_or_blank,
)
from tinnhiem.documents.errors import DocumentError
from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import Band, TallyResult, VoteKind
from tinnhiem.rules.numbers import Ratio, format_int_vi


class Variant(StrEnum):
    REPORT = "report"
    """Báo cáo kết quả phiếu tín nhiệm (Phụ lục 4)."""
    MINUTES = "minutes"
    """Biên bản kiểm phiếu."""


DEFAULT_RECIPIENTS = (
    "Cấp có thẩm quyền quản lý cán bộ (02 bản)",
    "Lưu: VT, hồ sơ hội nghị (01 bản)",
)
"""Nơi nhận of the three copies KH 240/KH-UBND asks for (two up, one kept)."""
DEFAULT_RECIPIENTS_ANY = ("Cấp có thẩm quyền quản lý cán bộ", "Lưu: VT, hồ sơ hội nghị")


@dataclass(frozen=True, slots=True)
class ReportDetails:
    """What the record does not hold; every field left None prints as a blank (……)."""

    variant: Variant = Variant.REPORT
    party: bool = False
    """HD36 (party body) layout instead of ND30."""
    parent: str | None = None
    """Cơ quan chủ quản, top left (default: the record's unit)."""
    issuer: str = "Ban Kiểm phiếu"
    """Cơ quan ban hành, bold under the parent."""
    issuer_code: str = "BKP"
    """Its abbreviation in the document number (``…/BC-BKP``)."""
    number: int | None = None
    place: str | None = None
    day: date | None = None
    """Date of the document (default: the record's date)."""
    classification: str | None = "MẬT"
    copies: int = 3
    copy_numbers: tuple[int, ...] | None = None
    """Which copies to print (default all)."""
    assigned_by: str | None = None
    """"Thực hiện nhiệm vụ do … giao"."""
    start: time | None = None
    end: time | None = None
    location: str | None = None
    committee_size: int | None = None
    chair: str | None = None
    """Trưởng Ban Kiểm phiếu."""
    committee_members: tuple[str, ...] = ()
    voters: str | None = None
    """"kiểm phiếu tín nhiệm của …"."""
    subjects: str | None = None
    """"… đối với …"."""
    present_at_opening: int | None = None
    """Số có mặt dự hội nghị (kỳ họp)."""
    absent_before_voting: int | None = None
    """Số vắng mặt từ đầu hội nghị đến trước thời điểm bỏ phiếu."""
    recipients: tuple[str, ...] | None = None
    """Nơi nhận (default: DEFAULT_RECIPIENTS for three copies)."""
    drafter: str | None = None
    """Ký hiệu người soạn thảo (ô 12), printed with the number of copies: ``BKP.(03)``."""
    copying_allowed: bool = False
    authority_prefix: str | None = None
    """Default "T/M" as in the Phụ lục 4 form (ND30 writes "TM.")."""
    trace: str | None = None
    """A footer line on every page naming who produced this copy and when
    (the web application's audited downloads of a "Mật" document)."""


def _validate(details: ReportDetails) -> None:
    if not 1 <= details.copies <= 99:
        raise DocumentError("số bản phải từ 1 đến 99", "copies must be 1 to 99")
    for n in details.copy_numbers or ():
        if not 1 <= n <= details.copies:
            raise DocumentError(
                f"bản số {n} không có trong {details.copies} bản",
                f"copy {n} is not among {details.copies} copies",
            )
    secrecy_width(details.classification)
    for name in ("committee_size", "present_at_opening", "absent_before_voting"):
        value = getattr(details, name)
        if value is not None and value < 0:
            raise DocumentError(f"{name} không được âm", f"{name} must not be negative")


def _level_label_lower(kind: VoteKind) -> str:
    return kind.adverse_level.label_vi.lower()


def report_model(
    record: ConferenceRecord, result: TallyResult, details: ReportDetails | None = None
) -> dict[str, Any]:
    """Everything printed, as JSON-ready text: the one source of both PDF and DOCX."""
    d = details or ReportDetails()
    _validate(d)
    kind = result.kind
    style = Style.PARTY if d.party else Style.STATE
    minutes = d.variant is Variant.MINUTES
    kind_code = "BB" if minutes else "BC"
    day = d.day if d.day is not None else record.date
    parent = d.parent if d.parent is not None else (record.unit or "")
    header = Header(
        style=style,
        parent=nfc(parent).upper(),
        issuer=nfc(d.issuer).upper(),
        number_line=number_line(style, d.number, kind_code, d.issuer_code),
        # Mẫu 1.9 (biên bản): no place and date in ô 4; they open the body.
        date_line=None if minutes else date_line(d.place, day),
        classification=d.classification,
    )
    poll = kind is VoteKind.POLL
    at = at_meeting(record.title)
    if minutes:
        title = "BIÊN BẢN KIỂM PHIẾU"
        subtitle = ("Lấy phiếu tín nhiệm " if poll else "Bỏ phiếu tín nhiệm ") + at
    else:
        title = "BÁO CÁO KẾT QUẢ PHIẾU TÍN NHIỆM" if poll else "BÁO CÁO KẾT QUẢ BỎ PHIẾU TÍN NHIỆM"
        subtitle = at[0].upper() + at[1:]

    committee = (
        f"Ban Kiểm phiếu gồm {int_or_blank(d.committee_size)} đồng chí, do đồng chí "
        f"{or_blank(d.chair)} làm Trưởng Ban"
    )
    whom = (
        f"kiểm phiếu tín nhiệm của {or_blank(d.voters)} đối với {or_blank(d.subjects)}; "
        "kết quả cụ thể như sau:"
    )
    if minutes:
        intro = (
            f"Hồi {time_or_blank(d.start)}, {long_date_or_blank(day)}, tại "
            f"{or_blank(d.location)}, {committee}, đã tiến hành {whom}"
        )
    else:
        intro = (
            f"Thực hiện nhiệm vụ do {or_blank(d.assigned_by)} giao, từ {time_or_blank(d.start)} "
            f"đến {time_or_blank(d.end)}, ngày {short_date_or_blank(day)}, tại "
            f"{or_blank(d.location)}, {committee} đã tiến hành {whom}"
        )

    conf = record.conference
    members = result.members_total if result.members_total is not None else conf.summoned
    collected = f"{format_int_vi(result.collected)} phiếu"
    if result.whole_invalid:
        collected += f" (trong đó {format_int_vi(result.whole_invalid)} phiếu không hợp lệ toàn bộ)"
    figures = [
        f"1. Tổng số ủy viên ban chấp hành (đại biểu): {format_int_vi(members)} đồng chí.",
        f"- Số có mặt dự hội nghị (kỳ họp): {int_or_blank(d.present_at_opening)} đồng chí.",
        "- Số vắng mặt từ đầu hội nghị (kỳ họp) đến trước thời điểm bỏ phiếu: "
        f"{int_or_blank(d.absent_before_voting)} đồng chí.",
        f"- Số có mặt tại thời điểm bỏ phiếu: {format_int_vi(conf.present)} đồng chí.",
        f"- Số phiếu phát ra: {format_int_vi(result.issued)} phiếu.",
        f"- Số phiếu thu về: {collected}.",
    ]

    levels = kind.levels
    rows = []
    for i, c in enumerate(result.candidates, start=1):
        cells = [str(i), c.candidate.name, c.candidate.position, format_int_vi(c.valid)]
        for lv in levels:
            cells += [format_int_vi(c.counts[lv]), Ratio(c.counts[lv], c.base).percent_vi()]
        rows.append(cells)

    adverse = kind.adverse_level
    bands = []
    for c in result.candidates:
        if c.band is Band.NONE:
            continue
        share = Ratio(c.counts[adverse], c.base)
        bands.append(
            {
                "person": f"{c.candidate.name}"
                + (f" ({c.candidate.position})" if c.candidate.position else ""),
                "figure": f"{format_int_vi(share.count)}/{format_int_vi(share.total)} phiếu "
                f"{_level_label_lower(kind)} ({share.percent_vi()})",
                "band": c.band.label_vi,
                "consequence": c.consequence_vi,
            }
        )
    section3 = [
        f"3. Người có số phiếu {_level_label_lower(kind)} thuộc ngưỡng phải xem xét theo "
        f"{result.profile.short_name_vi}:"
    ]
    if bands:
        section3 += [
            f"- {b['person']}: {b['figure']}; {b['band'].lower()}. {b['consequence']}"
            for b in bands
        ]
    else:
        section3.append(
            f"Không có người nào có số phiếu {_level_label_lower(kind)} thuộc ngưỡng phải xem xét."
        )
    warnings = [f"- {w.message('vi')}" for w in result.warnings]
    if warnings:
        section3 += ["Lưu ý:", *warnings]
    if not minutes:
        # ND30: the body ends with "./." (the biên bản ends with its closing sentence).
        section3[-1] = section3[-1].rstrip(".") + "./."

    copies = d.copies
    numbers = d.copy_numbers or tuple(range(1, copies + 1))
    prefix = d.authority_prefix if d.authority_prefix is not None else "T/M"
    closing = None
    if minutes:
        closing = (
            f"Biên bản kết thúc vào {time_or_blank(d.end)}, {long_date_or_blank(day)}; được lập "
            f"thành {copies:02d} bản (02 bản gửi cấp trên trực tiếp; 01 bản lưu tại cơ quan, "
            "đơn vị) và quản lý theo chế độ mật./."
            if copies == 3
            else f"Biên bản kết thúc vào {time_or_blank(d.end)}, {long_date_or_blank(day)}; "
            f"được lập thành {copies:02d} bản và quản lý theo chế độ mật./."
        )
    if d.recipients is not None:
        listed = d.recipients
    else:
        listed = DEFAULT_RECIPIENTS if copies == 3 else DEFAULT_RECIPIENTS_ANY
    recipients = [f"- {nfc(r)};" for r in listed]
    if recipients:
        recipients[-1] = recipients[-1][:-1] + "."
    secret = d.classification is not None
    recipient_notes = []
    if secret:
        recipient_notes.append(f"Số lượng: {copies:02d} bản.")
        recipient_notes.append(
            "Được phép sao, chụp." if d.copying_allowed else "Không được sao, chụp."
        )
    drafter = f"{nfc(d.drafter)}.({copies:02d})" if d.drafter else None

    return {
        "variant": d.variant.value,
        "header": header.to_json(),
        "copies": [f"Bản số: {n:02d}/{copies:02d}" for n in numbers],
        "trace": nfc(d.trace) if d.trace else None,
        "title": title,
        "subtitle": subtitle,
        "intro": intro,
        "figures": figures,
        "results_heading": "2. Kết quả kiểm phiếu",
        "table": {
            "head": {
                "stt": "STT",
                "name": "Họ và tên",
                "position": "Chức vụ, đơn vị công tác",
                "valid": "Số phiếu hợp lệ",
                "levels": "Mức độ tín nhiệm",
                "count": "Số phiếu",
                "percent": "Tỷ lệ %",
            },
            "levels": [LEVEL_COLUMN_VI[lv] for lv in levels],
            "rows": rows,
        },
        "note": f"Ghi chú: Tỷ lệ % tính trên {result.basis.label_vi}.",
        "bands": bands,
        "section3": section3,
        "closing": closing,
        "signature": {
            "authority": f"{prefix} BAN KIỂM PHIẾU",
            "title": "TRƯỞNG BAN",
            "hint": "(Ký, ghi rõ họ tên)",
            "name": nfc(d.chair) if d.chair else "",
        },
        "members_signature": (
            {
                "title": "CÁC THÀNH VIÊN BAN KIỂM PHIẾU",
                "hint": "(Ký, ghi rõ họ tên)",
                "names": [nfc(n) for n in d.committee_members],
            }
            if minutes
            else None
        ),
        "recipients": {
            "heading": "Nơi nhận:",
            "lines": recipients,
            "notes": recipient_notes,
            "drafter": drafter,
        },
    }


def render_report_pdf(
    record: ConferenceRecord, result: TallyResult, details: ReportDetails | None = None
) -> bytes:
    """The report (or biên bản) as PDF, every copy in one file."""
    return render_pdf("report.typ", report_model(record, result, details))


def render_report_docx(
    record: ConferenceRecord, result: TallyResult, details: ReportDetails | None = None
) -> bytes:
    """The report (or biên bản) as DOCX, every copy in its own section."""
    from tinnhiem.documents.report_docx import build_report_docx

    return build_report_docx(report_model(record, result, details))
