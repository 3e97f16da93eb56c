"""``tinnhiem scan PATH… --issued ISSUED.json [--record RECORD.json] [--json]``

Reads scanned or photographed ballot papers (PNG, JPEG, TIFF, PDF; folders
are read whole) against the register of issued serials that ``tinnhiem
ballots`` wrote, and says for every sheet whether it was read exactly or
must go to people, with the reasons. ``--json`` prints one JSON object per
sheet (JSON Lines); ``--record`` adds every ballot read whole to a
conference record for ``tinnhiem tally``, and remembers its serial in
``RECORD.scanned.json`` so that scanning the same sheets again never counts
them twice.

Bad input (a missing file, a register or record that cannot be read, a
record of another conference) exits with status 2 and one line, never a
traceback. Sheets in review are not errors: the exit status is 0.
The image libraries (OpenCV, numpy, zxing-cpp, pdfium) are imported only
when this command runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinnhiem.cli.tally import BadInputError, read_text
from tinnhiem.record import (
    ConferenceRecord,
    RecordError,
    loads_record,
    parse_record,
    record_to_json,
)

if TYPE_CHECKING:
    from tinnhiem.omr.batch import BatchResult, SheetResult
    from tinnhiem.omr.layout import Register

SCANNED_FORMAT = "tinnhiem.scanned-serials/1"


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "scan",
        help="đọc phiếu đã quét / read scanned ballot papers",
        description="Read scanned or photographed ballot papers (PNG, JPEG, TIFF, PDF, or "
        "folders of them) against the register of issued serials (issued.json). Every sheet "
        "is either read exactly or sent to review with its reasons.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="image, PDF or folder")
    p.add_argument(
        "--issued", required=True, metavar="ISSUED.json", help="register written by 'ballots'"
    )
    p.add_argument(
        "--record",
        metavar="RECORD.json",
        help="conference record to add the ballots read to (for 'tinnhiem tally')",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per sheet (JSON Lines)")
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: every core)",
    )
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (default vi)")
    p.set_defaults(handler=run)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': cần một số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}': cần từ 1 trở lên")
    return value


# ---------------------------------------------------------------- inputs


def _register(file: str) -> tuple[dict[str, Any], Register]:
    from tinnhiem.omr.layout import LayoutError, parse_register

    name, text = read_text(file)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise BadInputError(
            f"{name}: không phải JSON hợp lệ ({e})", f"{name}: not valid JSON ({e})"
        ) from None
    try:
        return data, parse_register(data)
    except LayoutError as e:
        raise BadInputError(f"{name}: {e.message('vi')}", f"{name}: {e.message('en')}") from None


def _record(file: str, register: Register) -> ConferenceRecord:
    from tinnhiem.documents.ballots import conference_key

    name, text = read_text(file)
    try:
        record = loads_record(text)
    except RecordError as e:
        raise BadInputError(f"{name}: {e.message('vi')}", f"{name}: {e.message('en')}") from None
    key = conference_key(record)
    layout = register.layout
    ids = [c.id for c in record.conference.candidates]
    printed = [row.candidate for page in layout.pages for row in page.rows]
    if key != register.conference or ids != printed or record.kind.value != layout.kind:
        raise BadInputError(
            f"{name}: hồ sơ không phải của hội nghị trong sổ phiếu ({register.conference})",
            f"{name}: the record is not the conference of the register ({register.conference})",
        )
    return record


def _scanned_path(record_file: str) -> Path:
    p = Path(record_file)
    return p.with_name(p.name.removesuffix(".json") + ".scanned.json")


def _scanned(path: Path, conference: str) -> list[str]:
    if not path.exists():
        return []
    name, text = read_text(str(path))
    try:
        data = json.loads(text)
        ok = (
            data.get("format") == SCANNED_FORMAT
            and data.get("conference") == conference
            and isinstance(data.get("serials"), list)
            and all(isinstance(s, str) for s in data["serials"])
        )
    except (ValueError, AttributeError):
        ok = False
    if not ok:
        raise BadInputError(
            f"{name}: không phải sổ mã phiếu đã quét của hội nghị {conference}",
            f"{name}: not the register of scanned serials of conference {conference}",
        )
    return list(data["serials"])


# ---------------------------------------------------------------- output


def sheet_json(result: SheetResult) -> dict[str, Any]:
    """One line of ``--json``: the sheet, its status and reasons, and what was read."""
    r = result.reading
    out: dict[str, Any] = {"file": r.source}
    if r.file_page is not None:
        out["file_page"] = r.file_page
    qr = r.qr
    out["serial"] = qr.serial if qr is not None else None
    out["page"] = qr.page if qr is not None else None
    out["pages"] = qr.pages if qr is not None else None
    out["status"] = result.status
    out["reasons"] = list(result.reasons)
    if result.ballot is not None:
        out["ballot"] = result.ballot
    else:
        out["boxes"] = [b.to_json() for b in r.boxes if b.state != "empty"]
        out["flags"] = [f.to_json() for f in r.flags]
    return out


def _table(batch: BatchResult, lang: str) -> str:
    from tinnhiem.omr.reasons import message

    read_word, review_word = ("read", "review") if lang == "en" else ("ĐỌC", "XEM LẠI")
    lines: list[str] = []
    for s in batch.sheets:
        r = s.reading
        where = f"{r.serial} {r.page}/{r.qr.pages}" if r.qr is not None else "-"
        source = r.source if r.file_page is None else f"{r.source}#{r.file_page}"
        status = read_word if s.status == "read" else review_word
        why = "; ".join(message(c, lang) for c in s.reasons)
        lines.append(f"{status:8} {source}  {where}" + (f"  {why}" if why else ""))
    return "\n".join(lines) + "\n"


def _summary(batch: BatchResult, added: int | None, skipped: int, lang: str) -> str:
    sheets = len(batch.sheets)
    read = sum(s.status == "read" for s in batch.sheets)
    ballots = len(batch.ballots)
    if lang == "en":
        text = (
            f"{sheets} sheets: {read} read, {sheets - read} to review; {ballots} ballots read whole"
        )
        if added is not None:
            text += f", {added} added to the record"
        if skipped:
            text += f"; {skipped} files skipped (not images)"
    else:
        text = (
            f"{sheets} tờ: {read} đọc được, {sheets - read} cần kiểm tra; "
            f"{ballots} phiếu đọc đủ trang"
        )
        if added is not None:
            text += f", {added} phiếu đưa vào hồ sơ"
        if skipped:
            text += f"; bỏ qua {skipped} tệp không phải ảnh"
    return text + "\n"


def _write_atomic(path: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise BadInputError(
            f"{path}: không ghi được tệp ({e.strerror})", f"{path}: cannot write ({e.strerror})"
        ) from None


# ---------------------------------------------------------------- command


def run(args: argparse.Namespace) -> int:
    from tinnhiem.omr.batch import decide
    from tinnhiem.omr.inputs import InputError, expand, sheets_of
    from tinnhiem.omr.run import read_sources

    lang: str = args.lang
    issued, register = _register(args.issued)
    record = _record(args.record, register) if args.record else None
    scanned_path = _scanned_path(args.record) if args.record else None
    counted = _scanned(scanned_path, register.conference) if scanned_path else []
    try:
        files, skipped = expand(args.paths)
    except InputError as e:
        raise BadInputError(e.message_vi, e.message_en) from None
    sources = [s for f in files for s in sheets_of(f)]
    if not sources:
        raise BadInputError(
            "không có ảnh phiếu nào (PNG, JPEG, TIFF, PDF) trong các đường dẫn đã cho",
            "no ballot images (PNG, JPEG, TIFF, PDF) in the paths given",
        )
    readings = read_sources(sources, issued, jobs=args.jobs)
    batch = decide(readings, register, already_counted=frozenset(counted))
    added: int | None = None
    if record is not None and args.record and scanned_path is not None:
        added = _add_to_record(args.record, record, batch, scanned_path, counted, register)
    if args.json:
        for s in batch.sheets:
            sys.stdout.write(json.dumps(sheet_json(s), ensure_ascii=False) + "\n")
        sys.stderr.write(_summary(batch, added, len(skipped), lang))
    else:
        sys.stdout.write(_table(batch, lang))
        sys.stdout.write(_summary(batch, added, len(skipped), lang))
    return 0


def _add_to_record(
    file: str,
    record: ConferenceRecord,
    batch: BatchResult,
    scanned_path: Path,
    counted: Sequence[str],
    register: Register,
) -> int:
    if not batch.ballots:
        return 0
    data = record_to_json(record)
    data["ballots"].extend(b.ballot for b in batch.ballots)
    try:
        data = record_to_json(parse_record(data))  # the same strict reader as 'tally'
    except RecordError as e:  # pragma: no cover - the scanner writes only valid ballots
        raise BadInputError(e.message("vi"), e.message("en")) from None
    serials = [*counted, *(b.serial for b in batch.ballots)]
    # The serials first: a crash between the two writes leaves ballots marked as
    # counted but missing (a rescan sends them to review), never counted twice.
    scanned = {"format": SCANNED_FORMAT, "conference": register.conference, "serials": serials}
    _write_atomic(scanned_path, json.dumps(scanned, ensure_ascii=False, indent=1) + "\n")
    _write_atomic(Path(file), json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return len(batch.ballots)
