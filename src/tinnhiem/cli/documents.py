"""Offline commands that print official documents from conference records.

``tinnhiem ballots RECORD.json --count N --out DIR``
    ballot papers (``DIR/ballots.pdf``) and the register of issued serials
    with the ballot layout (``DIR/issued.json``);
``tinnhiem report RECORD.json --format pdf|docx -o FILE [--party] [--minutes]``
    the result report (Phụ lục 4) or the biên bản kiểm phiếu;
``tinnhiem personal RECORD.json --candidate ID -o FILE.docx``
    the personal report (Phụ lục 2) with the dossier checklist (Phụ lục 1);
``tinnhiem stats RECORD.json… [--json] [--xlsx FILE] [--pdf FILE]``
    statistics of a round, grouped by block.

Like ``tinnhiem tally``: bad input exits with status 2 and one line, never
a traceback. The document libraries (typst, python-docx, openpyxl, segno)
are imported only when one of these commands runs, so that ``tinnhiem
tally`` starts as fast as before. No Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinnhiem.cli.tally import BadInputError, parse_params, read_text
from tinnhiem.record import ConferenceRecord, RecordError, loads_record
from tinnhiem.rules import RulesError, TallyResult, get_profile, tally

if TYPE_CHECKING:
    from tinnhiem.documents.report import ReportDetails

CLASSIFICATIONS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT", "none")


def add_parser(subparsers: Any) -> None:
    _add_ballots(subparsers)
    _add_report(subparsers)
    _add_personal(subparsers)
    _add_stats(subparsers)


# ---------------------------------------------------------------- shared


def _record(file: str) -> tuple[str, ConferenceRecord]:
    name, text = read_text(file)
    try:
        return name, loads_record(text)
    except RecordError as e:
        raise BadInputError(f"{name}: {e.message('vi')}", f"{name}: {e.message('en')}") from None


def _tally(name: str, record: ConferenceRecord, params: list[str]) -> TallyResult:
    try:
        profile = get_profile(record.profile_id).with_overrides(parse_params(params))
        return tally(record.conference, profile)
    except RulesError as e:
        path = "$.members_total: " if e.code == "missing_base" else ""
        raise BadInputError(
            f"{name}: {path}{e.message_vi}", f"{name}: {path}{e.message_en}"
        ) from None


def _document(make: Callable[[], Any]) -> Any:
    """Run a generator; its refusals become one-line errors."""
    from tinnhiem.documents.errors import DocumentError

    try:
        return make()
    except DocumentError as e:
        raise BadInputError(e.message_vi, e.message_en) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as e:
        raise BadInputError(
            f"{path}: không ghi được tệp ({e.strerror})", f"{path}: cannot write ({e.strerror})"
        ) from None


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': cần dạng YYYY-MM-DD") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': cần một số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}': cần từ 1 trở lên")
    return value


def _classification(value: str) -> str | None:
    return None if value == "none" else value


# ---------------------------------------------------------------- ballots


def _add_ballots(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "ballots",
        help="in phiếu tín nhiệm có mã QR / print machine-readable ballot papers",
        description="Print N ballot papers of a conference record (Phụ lục 3 layout), each with "
        "a unique serial, a QR code per page and corner marks, into DIR/ballots.pdf; write the "
        "register of issued serials and the box layout to DIR/issued.json.",
    )
    p.add_argument("file", metavar="RECORD.json", help="conference record; '-' reads stdin")
    p.add_argument("--count", type=_positive, required=True, metavar="N", help="ballots to print")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--force", action="store_true", help="overwrite an existing register")
    p.add_argument("--issuer", help="tên cơ quan, đơn vị (default: the record's unit)")
    p.add_argument("--place", help="địa danh of the date line")
    p.add_argument("--voters", help='"của …": who fills in the ballots')
    p.add_argument("--subjects", help='"đối với …": the positions polled')
    p.add_argument("--year", type=_positive, help="năm (default: the record's year)")
    p.add_argument("--conference-id", help="id in the QR codes (default: the record's id)")
    p.add_argument(
        "--qr-mask",
        type=int,
        choices=range(8),
        metavar="0-7",
        help="force one QR data mask (faster for large runs; default: chosen per code)",
    )
    p.set_defaults(handler=run_ballots)


def run_ballots(args: argparse.Namespace) -> int:
    from tinnhiem.documents.ballots import BallotText, render_ballots

    _, record = _record(args.file)
    out = Path(args.out)
    pdf_path, issued_path = out / "ballots.pdf", out / "issued.json"
    if not args.force:
        for path in (pdf_path, issued_path):
            if path.exists():
                raise BadInputError(
                    f"{path} đã có; phiếu đã in không được ghi đè (dùng --force nếu chắc chắn)",
                    f"{path} exists; printed ballots are not overwritten (use --force if sure)",
                )
    text = BallotText(
        issuer=args.issuer,
        place=args.place,
        voters=args.voters,
        subjects=args.subjects,
        year=args.year,
    )
    batch = _document(
        lambda: render_ballots(
            record,
            args.count,
            text=text,
            conference_id=args.conference_id,
            qr_mask=args.qr_mask,
        )
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInputError(
            f"{out}: không tạo được thư mục ({e.strerror})",
            f"{out}: cannot create directory ({e.strerror})",
        ) from None
    _write(pdf_path, batch.pdf)
    _write(issued_path, (json.dumps(batch.issued, ensure_ascii=False, indent=1) + "\n").encode())
    pages = batch.issued["pages_per_ballot"]
    sys.stdout.write(
        f"{args.count} phiếu × {pages} trang: {pdf_path}; sổ mã phiếu: {issued_path}\n"
    )
    return 0


# ---------------------------------------------------------------- report


def _add_report(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="báo cáo kết quả / biên bản kiểm phiếu (PDF, DOCX)",
        description="The result report (Phụ lục 4) or, with --minutes, the biên bản kiểm phiếu "
        "of a conference record, in the ND30 layout (HD36 with --party); figures from the "
        "rules core. The file holds every copy (default 3).",
    )
    p.add_argument("file", metavar="RECORD.json", help="conference record; '-' reads stdin")
    p.add_argument("--format", choices=("pdf", "docx"), help="default: from the -o suffix")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--party", action="store_true", help="party body: HD 36-HD/VPTW layout")
    p.add_argument("--minutes", action="store_true", help="biên bản kiểm phiếu")
    p.add_argument("--parent", help="cơ quan chủ quản (default: the record's unit)")
    p.add_argument("--issuer", help="cơ quan ban hành (default: Ban Kiểm phiếu)")
    p.add_argument("--number", type=_positive, help="số văn bản")
    p.add_argument("--place", help="địa danh")
    p.add_argument("--date", type=_iso_date, help="ngày (default: the record's date)")
    p.add_argument(
        "--classification",
        choices=CLASSIFICATIONS,
        default="MẬT",
        help="độ mật (default MẬT; 'none' for none)",
    )
    p.add_argument("--copies", type=_positive, default=3, help="số bản (default 3)")
    p.add_argument("--copy", type=_positive, action="append", help="print only copy K")
    p.add_argument("--chair", help="Trưởng Ban Kiểm phiếu")
    p.add_argument("--meta", metavar="FILE.json", help="further details (see docs/decisions/0009)")
    p.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="profile override"
    )
    p.set_defaults(handler=run_report)


_META_TEXT = (
    "assigned_by",
    "location",
    "chair",
    "voters",
    "subjects",
    "drafter",
    "parent",
    "issuer",
    "issuer_code",
    "place",
    "authority_prefix",
)
_META_INT = ("committee_size", "present_at_opening", "absent_before_voting", "number")
_META_TIME = ("start", "end")
_META_LIST = ("committee_members", "recipients")


def read_meta(path: str) -> dict[str, Any]:
    """The ``--meta`` file: a JSON object of :class:`ReportDetails` fields, strictly."""
    name, text = read_text(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInputError(
            f"{name}: JSON không hợp lệ ở dòng {e.lineno}, cột {e.colno}",
            f"{name}: invalid JSON at line {e.lineno}, column {e.colno}",
        ) from None
    if not isinstance(raw, dict):
        raise BadInputError(f"{name}: cần một đối tượng JSON", f"{name}: expected an object")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{name}: $.{key}"
        text_ok = key in _META_TEXT and isinstance(value, str)
        int_ok = key in _META_INT and isinstance(value, int) and not isinstance(value, bool)
        if text_ok or int_ok:
            out[key] = value
        elif key in _META_TIME and isinstance(value, str):
            try:
                out[key] = time.fromisoformat(value)
            except ValueError:
                raise BadInputError(
                    f"{where}: giờ không hợp lệ '{value}', cần HH:MM",
                    f"{where}: invalid time '{value}', expected HH:MM",
                ) from None
        elif key == "day" and isinstance(value, str):
            try:
                out[key] = date.fromisoformat(value)
            except ValueError:
                raise BadInputError(
                    f"{where}: ngày không hợp lệ '{value}'", f"{where}: invalid date '{value}'"
                ) from None
        elif (
            key in _META_LIST and isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            out[key] = tuple(value)
        elif key == "copying_allowed" and isinstance(value, bool):
            out[key] = value
        else:
            known = ", ".join(
                sorted(
                    {*_META_TEXT, *_META_INT, *_META_TIME, *_META_LIST, "day", "copying_allowed"}
                )
            )
            raise BadInputError(
                f"{where}: trường không được phép hoặc sai kiểu (hợp lệ: {known})",
                f"{where}: unknown field or wrong type (allowed: {known})",
            )
    return out


def _report_details(args: argparse.Namespace) -> ReportDetails:
    from tinnhiem.documents.report import ReportDetails, Variant

    fields: dict[str, Any] = read_meta(args.meta) if args.meta else {}
    for key in ("parent", "issuer", "number", "place", "chair"):
        value = getattr(args, key)
        if value is not None:
            fields[key] = value
    if args.date is not None:
        fields["day"] = args.date
    fields["variant"] = Variant.MINUTES if args.minutes else Variant.REPORT
    fields["party"] = args.party
    fields["classification"] = _classification(args.classification)
    fields["copies"] = args.copies
    if args.copy:
        fields["copy_numbers"] = tuple(args.copy)
    return ReportDetails(**fields)


def run_report(args: argparse.Namespace) -> int:
    from tinnhiem.documents.report import render_report_docx, render_report_pdf

    out = Path(args.output)
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "docx"):
        raise BadInputError(
            f"{out}: không rõ định dạng; dùng --format pdf|docx",
            f"{out}: unknown format; use --format pdf|docx",
        )
    name, record = _record(args.file)
    result = _tally(name, record, args.param)
    details = _report_details(args)
    render = render_report_pdf if fmt == "pdf" else render_report_docx
    data = _document(lambda: render(record, result, details))
    _write(out, data)
    return 0


# ---------------------------------------------------------------- personal


def _add_personal(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "personal",
        help="báo cáo của người được lấy phiếu (DOCX) / personal report form",
        description="The personal report (Phụ lục 2) of one person of the record, pre-filled, "
        "with the dossier checklist (Phụ lục 1), as DOCX.",
    )
    p.add_argument("file", metavar="RECORD.json", help="conference record; '-' reads stdin")
    p.add_argument("--candidate", required=True, metavar="ID", help="the person's id")
    p.add_argument("-o", "--output", required=True, metavar="FILE.docx")
    p.add_argument("--unit", help="tên cơ quan, đơn vị (default: the record's unit)")
    p.add_argument("--place", help="địa danh")
    p.add_argument("--recipient", help="Kính gửi: the voters")
    p.add_argument("--plan", help="the local plan, e.g. 'Kế hoạch số 240/KH-UBND …'")
    p.set_defaults(handler=run_personal)


def run_personal(args: argparse.Namespace) -> int:
    from tinnhiem.documents.personal import PersonalDetails, render_personal_docx

    _, record = _record(args.file)
    details = PersonalDetails(
        unit=args.unit, place=args.place, recipient=args.recipient, plan=args.plan
    )
    data = _document(lambda: render_personal_docx(record, args.candidate, details))
    _write(Path(args.output), data)
    return 0


# ---------------------------------------------------------------- stats


def _add_stats(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "stats",
        help="thống kê một đợt lấy phiếu theo khối / statistics of a round",
        description="Tally every record under its profile and report the round per block: "
        "agencies, persons, classes, high-confidence shares, legal bands. Prints a summary, "
        "or the tinnhiem.round-statistics/1 JSON with --json; --xlsx and --pdf write files.",
    )
    p.add_argument("files", nargs="+", metavar="RECORD.json", help="conference records")
    p.add_argument("--json", action="store_true", help="print tinnhiem.round-statistics/1")
    p.add_argument("--xlsx", metavar="FILE", help="write the workbook (with charts)")
    p.add_argument("--pdf", metavar="FILE", help="write the PDF report (with charts)")
    p.add_argument("--title", help="the round's title")
    p.add_argument(
        "--classification",
        choices=("plurality", "high_majority"),
        default="plurality",
        help="how a person is classed (default plurality)",
    )
    p.add_argument(
        "--agencies-total",
        action="append",
        default=[],
        metavar="BLOCK=N",
        help="agencies due in a block (repeatable; give every block or none)",
    )
    p.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="profile override"
    )
    p.set_defaults(handler=run_stats)


def _agencies_total(items: list[str]) -> dict[str, int] | None:
    if not items:
        return None
    out: dict[str, int] = {}
    for item in items:
        block, eq, value = item.rpartition("=")
        if not eq or not block.strip() or not value.strip().isdigit():
            raise BadInputError(
                f"--agencies-total '{item}': cần dạng KHỐI=SỐ",
                f"--agencies-total '{item}': expected BLOCK=N",
            )
        out[block.strip()] = int(value)
    return out


def run_stats(args: argparse.Namespace) -> int:
    from tinnhiem.documents.stats import (
        StatisticsDetails,
        build_statistics,
        render_statistics_pdf,
        render_statistics_xlsx,
        round_outcomes,
        statistics_to_json,
        summary_vi,
    )

    records = [_record(f) for f in args.files]
    overrides = parse_params(args.param)
    totals = _agencies_total(args.agencies_total)
    stats = _document(
        lambda: build_statistics(
            _document(lambda: round_outcomes(records, overrides)),
            classification=args.classification,
            agencies_total=totals,
        )
    )
    if args.xlsx:
        xlsx = _document(lambda: render_statistics_xlsx(stats, args.title))
        _write(Path(args.xlsx), xlsx)
    if args.pdf:
        pdf = _document(lambda: render_statistics_pdf(stats, StatisticsDetails(title=args.title)))
        _write(Path(args.pdf), pdf)
    if args.json:
        text = json.dumps(statistics_to_json(stats, args.title), ensure_ascii=False, indent=2)
        sys.stdout.write(text + "\n")
    elif not (args.xlsx or args.pdf):
        sys.stdout.write("\n\n".join(summary_vi(stats)) + "\n")
    return 0
