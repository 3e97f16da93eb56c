"""Writes of the scanning app: upload, processing, review decisions, the scan pass.

* :func:`upload_files` — checks and keeps the uploaded files (evidence, by
  SHA-256, the digest in the audit chain) and queues a job; a file already
  uploaded for the conference is recognised and reported, never read twice;
* :func:`process_pending` — the worker: reads the queued jobs' files with the
  scanning core (:mod:`tinnhiem.omr`), stores one :class:`ScanSheet` per
  sheet, then :func:`refresh`;
* :func:`refresh` — the batch view of every sheet of the conference (the
  register of issued serials, duplicates, missing pages, decisions), and the
  ballots read whole written as one entry pass
  (:func:`tinnhiem.counting.services.scan_pass_sync`);
* :func:`review_decide` — a reviewer accepts a sheet (setting each person's
  mark and the flags) or rejects it; logged (who, when, before → after).

A sheet counts only as read exactly or as decided by a person: the scanner
reports what is on the paper, the rules core decides validity
(Quy định 96-QĐ/TW Điều 6; Nghị quyết 96/2023/QH15 Điều 13).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import CommitteeRole, Conference, Status
from tinnhiem.counting.models import BallotEntry, EntrySource
from tinnhiem.counting.selectors import allowed_digits, digit_for_levels
from tinnhiem.counting.services import scan_pass_sync
from tinnhiem.rules import Level, VoteKind
from tinnhiem.scanning import imaging
from tinnhiem.scanning.models import ReviewDecision, ScanFile, ScanJob, ScanPass, ScanSheet

log = logging.getLogger(__name__)

MAX_FILES = 100
"""Files in one upload (the browser sends bigger selections in several uploads)."""
MAX_FILE_BYTES = 80 * 1024 * 1024
MAX_PAGES_PER_FILE = 1000
STALE_AFTER = timedelta(minutes=3)
"""A running job whose worker has not reported for this long has stopped."""
CHUNK = 16
"""Sheets saved (and progress reported) at a time."""

# Reason codes (tinnhiem.omr.reasons) that the batch adds; the others are the core's.
SERIAL_NOT_ISSUED = "serial_not_issued"
DUPLICATE_SHEET = "duplicate_sheet"
MISSING_PAGE = "missing_page"
OTHER_PAGE_IN_REVIEW = "other_page_in_review"
BLANK_PAGE = "blank_page"
BATCH_REASONS = frozenset({SERIAL_NOT_ISSUED, DUPLICATE_SHEET, MISSING_PAGE, OTHER_PAGE_IN_REVIEW})


class Upload(Protocol):
    """What Django's UploadedFile offers and this module uses."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class FileOutcome:
    name: str
    status: str
    """``accepted``, ``duplicate`` or ``refused``."""
    message: str
    sha256: str = ""


@dataclass
class UploadResult:
    job: ScanJob | None
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(f.status == "accepted" for f in self.files)


# ---------------------------------------------------------------- evidence


def evidence_dir() -> Path:
    return Path(settings.DATA_DIR) / "scans"


def evidence_path(f: ScanFile) -> Path:
    return evidence_dir() / f.sha256[:2] / f"{f.sha256}{imaging.SUFFIX.get(f.kind, '')}"


def _member_role(conference: Conference, user: Any) -> set[str]:
    roles: set[str] = set()
    if getattr(user, "pk", None) is None:
        return roles
    for seat in conference.committee.filter(user_id=user.pk):
        roles.add("member")
        if seat.role == CommitteeRole.HEAD:
            roles.add("head")
        if seat.entry_pass:
            roles.add("clerk")
    return roles


def issued_json(conference: Conference) -> dict[str, Any] | None:
    """The register of issued serials of the conference (every print run), with the
    layout of the latest; None when no ballot has been printed."""
    from tinnhiem.documents.ballots import issued_register

    prints = list(conference.ballot_prints.order_by("created_at", "id"))
    if not prints:
        return None
    serials: list[str] = []
    seen: set[str] = set()
    for p in prints:
        for s in p.serials:
            if s not in seen:
                seen.add(s)
                serials.append(s)
    return issued_register(prints[-1].layout, serials)


def _clean_name(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:255] or "tep"


def upload_files(
    *, acting_user: Any, conference: Conference, files: Sequence[Upload]
) -> UploadResult:
    """Keep the good files as evidence and queue them for reading; report every file.

    Refused: not PNG/JPEG/TIFF/PDF by content, too big, a PDF that does not
    open, too many pages. Duplicate: the same bytes (SHA-256) already
    uploaded for this conference, or twice in this upload. Nothing of a
    refused file is kept."""
    if not _member_role(conference, acting_user) & {"head", "clerk"}:
        raise ServiceError(
            "not_allowed", _("Chỉ Trưởng Ban và thành viên nhập phiếu được tải lên.")
        )
    if conference.status != Status.COUNTING:
        raise ServiceError(
            "not_counting", _("Chỉ tải lên phiếu quét khi hội nghị đang ở bước kiểm phiếu.")
        )
    if issued_json(conference) is None:
        raise ServiceError(
            "no_register",
            _("Hội nghị chưa in phiếu: không có sổ phiếu đã phát để đối chiếu mã phiếu."),
        )
    if not files:
        raise ServiceError("no_files", _("Chưa chọn tệp nào."))
    if len(files) > MAX_FILES:
        raise ServiceError(
            "too_many_files",
            _("Mỗi lần tải lên tối đa %(max)s tệp; đã chọn %(n)s tệp.")
            % {"max": MAX_FILES, "n": len(files)},
        )
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    result = UploadResult(None)
    known = dict(ScanFile.objects.filter(conference=conference).values_list("sha256", "name"))
    staged: list[tuple[str, str, str, int, Path, bool]] = []
    try:
        for upload in files:
            name = _clean_name(upload.name)
            outcome, item = _stage(upload, name, folder, known)
            result.files.append(outcome)
            if item is not None:
                staged.append(item)
                known[item[1]] = name
        if staged:
            try:
                result.job = _keep(acting_user, conference, folder, staged)
            except IntegrityError:
                raise ServiceError(
                    "upload_race",
                    _("Một tệp vừa được tải lên cùng lúc ở nơi khác; hãy tải lên lại."),
                ) from None
    finally:
        for item in staged:
            item[4].unlink(missing_ok=True)
    if result.job is not None:
        start_worker()
    return result


def _keep(
    acting_user: Any,
    conference: Conference,
    folder: Path,
    staged: list[tuple[str, str, str, int, Path, bool]],
) -> ScanJob:
    """The staged files moved into the evidence store, recorded and audited."""
    with transaction.atomic():
        job = ScanJob.objects.create(
            conference=conference, created_by=acting_user, files_total=len(staged)
        )
        for name, sha, kind, size, tmp, _fresh in staged:
            final = folder / sha[:2] / f"{sha}{imaging.SUFFIX[kind]}"
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                tmp.unlink(missing_ok=True)
            else:
                os.replace(tmp, final)
            f = ScanFile.objects.create(
                conference=conference,
                job=job,
                sha256=sha,
                name=name,
                kind=kind,
                size=size,
                uploaded_by=acting_user,
            )
            audit(
                actor=acting_user,
                action="scan.evidence",
                obj=f,
                summary=f"{conference.pk} {name} sha256 {sha}",
                after={"sha256": sha, "name": name, "bytes": size, "kind": kind},
            )
    return job


def _stage(
    upload: Upload, name: str, folder: Path, known: dict[str, str]
) -> tuple[FileOutcome, tuple[str, str, str, int, Path, bool] | None]:
    """Copy one upload to a temporary file beside the evidence, checking it on the way."""
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return _too_big(name), None
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", dir=folder)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    size = 0
    head = b""
    keep = False
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    return _too_big(name), None
                digest.update(chunk)
                out.write(chunk)
        kind = imaging.sniff(head)
        if size == 0:
            return FileOutcome(name, "refused", _("%(name)s: tệp rỗng.") % {"name": name}), None
        if kind is None:
            return (
                FileOutcome(
                    name,
                    "refused",
                    _("%(name)s: không phải ảnh PNG, JPEG, TIFF hay tệp PDF.") % {"name": name},
                ),
                None,
            )
        sha = digest.hexdigest()
        if sha in known:
            return (
                FileOutcome(
                    name,
                    "duplicate",
                    _(
                        "%(name)s: trùng với tệp đã tải lên “%(first)s” "
                        "(cùng mã SHA-256); không đọc lại."
                    )
                    % {"name": name, "first": known[sha]},
                    sha,
                ),
                None,
            )
        pages = imaging.page_count(tmp, kind)
        if pages is None and kind == "pdf":
            return (
                FileOutcome(
                    name,
                    "refused",
                    _("%(name)s: không mở được tệp PDF (tệp hỏng?).") % {"name": name},
                ),
                None,
            )
        if pages is not None and pages > MAX_PAGES_PER_FILE:
            return (
                FileOutcome(
                    name,
                    "refused",
                    _("%(name)s: %(n)s trang, quá giới hạn %(max)s trang một tệp.")
                    % {"name": name, "n": pages, "max": MAX_PAGES_PER_FILE},
                ),
                None,
            )
        if pages == 0:
            return (
                FileOutcome(
                    name, "refused", _("%(name)s: tệp không có trang nào.") % {"name": name}
                ),
                None,
            )
        keep = True
        outcome = FileOutcome(name, "accepted", _("%(name)s: đã nhận.") % {"name": name}, sha)
        return outcome, (name, sha, kind, size, tmp, True)
    finally:
        if not keep:
            tmp.unlink(missing_ok=True)


def _too_big(name: str) -> FileOutcome:
    return FileOutcome(
        name,
        "refused",
        _("%(name)s: tệp lớn hơn %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // 2**20},
    )


# ---------------------------------------------------------------- processing


def start_worker() -> None:
    """Run the queued jobs: in a background thread (default), or right now when
    ``TINNHIEM_SCAN_WORKER`` is ``inline`` (tests, one-shot commands)."""
    from tinnhiem.scanning import worker

    if getattr(settings, "TINNHIEM_SCAN_WORKER", "thread") == "inline":
        process_pending()
    else:
        transaction.on_commit(worker.kick)


def _claim() -> ScanJob | None:
    with transaction.atomic():
        job = (
            ScanJob.objects.select_for_update()
            .filter(state=ScanJob.State.QUEUED)
            .order_by("id")
            .first()
        )
        if job is None:
            return None
        job.state = ScanJob.State.RUNNING
        job.heartbeat = timezone.now()
        job.error = ""
        job.save(update_fields=["state", "heartbeat", "error"])
        return job


def process_pending() -> int:
    """Process queued jobs until none is left; the number processed."""
    done = 0
    while (job := _claim()) is not None:
        process_job(job)
        done += 1
    return done


def process_job(job: ScanJob) -> None:
    """Read every unprocessed file of ``job``; a failure marks the job failed with a
    Vietnamese message (the files stay; :func:`job_retry` reads the rest)."""
    current = ""
    try:
        conference = job.conference
        issued = issued_json(conference)
        if issued is None:
            raise ServiceError("no_register", _("Hội nghị chưa in phiếu."))
        from tinnhiem.omr.inputs import sheets_of

        files = list(job.files.filter(processed=False).order_by("id"))
        plan: list[tuple[ScanFile, str, int | None]] = []
        for f in files:
            current = f.name
            # Sheets of a file a crash interrupted are read again.
            f.sheets.all().delete()
            path = evidence_path(f)
            if not path.exists():
                raise ServiceError(
                    "evidence_missing",
                    _("Không tìm thấy tệp đã lưu %(name)s (sha256 %(sha)s).")
                    % {"name": f.name, "sha": f.sha256},
                )
            plan.extend((f, str(path), source.index) for source in sheets_of(str(path)))
            _close_pdfs()
        left: defaultdict[int, int] = defaultdict(int)
        for f, _path, _page in plan:
            left[f.pk] += 1
        readings = iter(imaging.read_many([(p, i) for _f, p, i in plan], issued, _processes()))
        pending: list[ScanSheet] = []
        for f, _path, _page in plan:
            current = f.name
            pending.append(_sheet(conference, f, next(readings)))
            left[f.pk] -= 1
            if left[f.pk] == 0:
                with transaction.atomic():
                    _save_sheets(job, pending)
                    pending = []
                    f.processed = True
                    f.save(update_fields=["processed"])
                    job.files_done += 1
                    job.save(update_fields=["files_done"])
            elif len(pending) >= CHUNK:
                _save_sheets(job, pending)
                pending = []
        _close_pdfs()
        for f in files:
            if not f.processed:  # a file with no sheet at all
                f.processed = True
                f.save(update_fields=["processed"])
                job.files_done += 1
                job.save(update_fields=["files_done"])
        current = ""
        outcome = refresh(acting_user=job.created_by, conference=conference)
        with transaction.atomic():
            job.state = ScanJob.State.DONE
            job.finished_at = timezone.now()
            job.error = outcome.sync_error or ""
            job.save(update_fields=["state", "finished_at", "error"])
            audit(
                actor=job.created_by,
                action="scan.job_done",
                obj=job,
                summary=f"{conference.pk}: {job.sheets_done} tờ",
                after={"files": job.files_total, "sheets": job.sheets_done, **outcome.counts},
            )
    except Exception as e:
        log.exception("scan job %s failed", job.pk)
        if isinstance(e, ServiceError):
            message = e.message
        elif current:
            message = _("Lỗi khi đọc tệp %(name)s; các tệp khác vẫn được giữ. (%(err)s)") % {
                "name": current,
                "err": type(e).__name__,
            }
        else:
            message = _("Lỗi khi xử lý phiếu quét (%(err)s).") % {"err": type(e).__name__}
        ScanJob.objects.filter(pk=job.pk).update(
            state=ScanJob.State.FAILED, error=message[:500], finished_at=timezone.now()
        )


def _processes() -> int:
    """Worker processes for a big batch: the setting or environment variable
    ``TINNHIEM_SCAN_PROCESSES``, else 1 (the worker thread reads, and the other
    core stays with the web requests; ``bench/bench_scan_web.py`` compares)."""
    configured = getattr(settings, "TINNHIEM_SCAN_PROCESSES", None)
    if configured is None:
        configured = os.environ.get("TINNHIEM_SCAN_PROCESSES") or 1
    try:
        return max(1, min(int(configured), os.cpu_count() or 1))
    except (TypeError, ValueError):
        return 1


def _close_pdfs() -> None:
    """The core keeps the last PDF open (it reads page after page): close it per file."""
    from tinnhiem.omr import inputs

    for doc in inputs._open_pdf.values():
        doc.close()
    inputs._open_pdf.clear()


def _sheet(conference: Conference, f: ScanFile, r: imaging.SheetRead) -> ScanSheet:
    qr = r.reading.get("qr") or {}
    return ScanSheet(
        conference=conference,
        file=f,
        file_page=r.file_page,
        serial=str(qr.get("serial") or "")[:64],
        page=qr.get("page"),
        pages=qr.get("pages"),
        reading=r.reading,
        reasons=list(r.reading["reasons"]),
        state=ScanSheet.State.REVIEW,
    )


def _save_sheets(job: ScanJob, sheets: list[ScanSheet]) -> None:
    with transaction.atomic():
        ScanSheet.objects.bulk_create(sheets)
        job.sheets_done += len(sheets)
        job.heartbeat = timezone.now()
        job.save(update_fields=["sheets_done", "heartbeat"])


def mark_stale_jobs(conference: Conference) -> int:
    """Jobs whose worker stopped (a restart, a crash) are shown as failed, not as running."""
    limit = timezone.now() - STALE_AFTER
    stale = list(conference.scan_jobs.filter(state=ScanJob.State.RUNNING, heartbeat__lt=limit))
    for job in stale:
        with transaction.atomic():
            job.state = ScanJob.State.FAILED
            job.error = _(
                "Việc xử lý bị gián đoạn (máy chủ khởi động lại hoặc gặp lỗi). "
                "Bấm “Xử lý tiếp” để đọc các tệp còn lại."
            )
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "error", "finished_at"])
            audit(actor=None, action="scan.job_stale", obj=job, summary=f"{conference.pk}")
    return len(stale)


def job_retry(*, acting_user: Any, job: ScanJob) -> ScanJob:
    """Queue a failed job again: its unprocessed files are read."""
    if not _member_role(job.conference, acting_user) & {"head", "clerk"}:
        raise ServiceError(
            "not_allowed", _("Chỉ Trưởng Ban và thành viên nhập phiếu được xử lý lại.")
        )
    with transaction.atomic():
        job = ScanJob.objects.select_for_update().get(pk=job.pk)
        if job.state != ScanJob.State.FAILED:
            raise ServiceError("not_failed", _("Chỉ xử lý lại việc đã bị lỗi."))
        job.state = ScanJob.State.QUEUED
        job.error = ""
        job.finished_at = None
        job.save(update_fields=["state", "error", "finished_at"])
        audit(actor=acting_user, action="scan.job_retry", obj=job, summary=f"{job.conference_id}")
    start_worker()
    return job


# ---------------------------------------------------------------- the batch


@dataclass
class RefreshOutcome:
    counts: dict[str, int]
    ballots: int
    sync_error: str | None = None


def scan_entry_pass(conference: Conference) -> int:
    """The pass the scanned ballots fill (chosen once: the one no clerk has typed in)."""
    chosen = ScanPass.objects.filter(conference=conference).first()
    if chosen is not None:
        return chosen.entry_pass
    typed = set(
        BallotEntry.objects.filter(conference=conference, source=EntrySource.TYPED).values_list(
            "entry_pass", flat=True
        )
    )
    return 1 if 2 in typed and 1 not in typed else 2


def _effective(sheet: ScanSheet, conference_key: str, pages: int) -> tuple[str, int] | None:
    d = sheet.decision
    if d is not None and d.get("action") == "accept" and d.get("serial"):
        return str(d["serial"]), int(d["page"])
    qr = sheet.reading.get("qr")
    if not qr or qr.get("conference") != conference_key or qr.get("pages") != pages:
        return None
    return str(qr["serial"]), int(qr["page"])


def sheet_digits(sheet: ScanSheet, kind: VoteKind) -> dict[str, str]:
    """Candidate id → digit (as a clerk types it) of the persons on this sheet."""
    d = sheet.decision
    if d is not None and d.get("action") == "accept":
        return {str(k): str(v) for k, v in d["digits"].items()}
    levels: dict[str, list[Level]] = {}
    for b in sheet.reading.get("boxes", []):
        levels.setdefault(b["candidate"], [])
        if b["state"] == "marked":
            levels[b["candidate"]].append(Level(b["level"]))
    return {cid: digit_for_levels(kind, tuple(lv)) for cid, lv in levels.items()}


@transaction.atomic
def refresh(*, acting_user: Any, conference: Conference) -> RefreshOutcome:
    """Every sheet's reasons and state against the others and the register; the
    ballots read whole (or decided) become the scan pass.

    A ballot takes the number of its place in the order of scanning (its
    first sheet); its entry is written only when every sheet of it is read
    or accepted, no page is there twice and none is missing (unless a
    reviewer accepted the missing page)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    issued = issued_json(conference)
    if issued is None:
        return RefreshOutcome({}, 0)
    register = set(issued["serials"])
    pages_per = int(issued["pages_per_ballot"])
    key = str(issued["conference"])
    kind = VoteKind(conference.kind)
    sheets = list(conference.scan_sheets.order_by("id"))
    live = [s for s in sheets if not _rejected(s)]
    where: dict[int, tuple[str, int] | None] = {s.pk: _effective(s, key, pages_per) for s in live}
    by_page: dict[tuple[str, int], list[ScanSheet]] = defaultdict(list)
    by_serial: dict[str, list[ScanSheet]] = defaultdict(list)
    for s in live:
        w = where[s.pk]
        if w is not None:
            by_page[w].append(s)
            by_serial[w[0]].append(s)
    reasons: dict[int, set[str]] = {}
    for s in live:
        own = {r for r in s.reading.get("reasons", []) if r not in BATCH_REASONS}
        w = where[s.pk]
        if w is not None:
            if w[0] not in register:
                own.add(SERIAL_NOT_ISSUED)
            if len(by_page[w]) > 1:
                own.add(DUPLICATE_SHEET)
            present = {where[o.pk][1] for o in by_serial[w[0]]}  # type: ignore[index]
            if present != set(range(1, pages_per + 1)):
                own.add(MISSING_PAGE)
        reasons[s.pk] = own
    ok: dict[int, bool] = {s.pk: _own_ok(s, reasons[s.pk]) for s in live}
    for members in by_serial.values():
        if not all(ok[m.pk] for m in members):
            for m in members:
                if ok[m.pk]:
                    reasons[m.pk].add(OTHER_PAGE_IN_REVIEW)
                    ok[m.pk] = False
    # Numbers: the order of scanning, one per serial. A sheet whose code is not
    # read keeps a place of its own until decided (a one-page ballot is one
    # sheet), so the ballots after it keep their numbers; a blank page does not.
    numbers: dict[str, int] = {}
    for s in live:
        w = where[s.pk]
        slot = w[0] if w is not None else None
        if slot is None and BLANK_PAGE not in reasons[s.pk]:
            slot = f"#{s.pk}"
        if slot is not None and slot not in numbers:
            numbers[slot] = len(numbers) + 1
    changed: list[ScanSheet] = []
    counts = {"read": 0, "review": 0, "accepted": 0, "rejected": 0}
    from tinnhiem.omr.reasons import sort_reasons

    for s in sheets:
        if _rejected(s):
            new_state, new_reasons, number = ScanSheet.State.REJECTED, list(s.reasons), None
        else:
            r = reasons[s.pk]
            w = where[s.pk]
            number = numbers.get(w[0] if w is not None else f"#{s.pk}")
            decided = s.decision is not None and s.decision.get("action") == "accept"
            if not ok[s.pk]:
                new_state = ScanSheet.State.REVIEW
            elif decided:
                new_state = ScanSheet.State.ACCEPTED
            else:
                new_state = ScanSheet.State.READ
            new_reasons = list(sort_reasons(r))
        counts[str(new_state)] += 1
        if (s.state, s.reasons, s.ballot_number) != (new_state, new_reasons, number):
            s.state, s.reasons, s.ballot_number = new_state, new_reasons, number
            changed.append(s)
    ScanSheet.objects.bulk_update(changed, ["state", "reasons", "ballot_number"], batch_size=500)
    # The ballots ready: every sheet of the serial read or accepted.
    keys = [c.key for c in conference.candidacies.all()]
    ballots: dict[int, tuple[str, dict[str, Any]]] = {}
    for serial, members in by_serial.items():
        if not all(ok[m.pk] for m in members):
            continue
        ballots[numbers[serial]] = (serial, _payload(members, keys, kind, serial in register))
    outcome = RefreshOutcome(counts, len(ballots))
    if conference.status != Status.COUNTING:
        outcome.sync_error = _(
            "Hội nghị không ở bước kiểm phiếu: phiếu quét không được đưa vào lượt nhập."
        )
        return outcome
    entry_pass = scan_entry_pass(conference)
    if not ScanPass.objects.filter(conference=conference).exists():
        chosen = ScanPass.objects.create(conference=conference, entry_pass=entry_pass)
        audit(
            actor=acting_user,
            action="scan.pass",
            obj=chosen,
            summary=f"{conference.pk}: lượt {entry_pass}",
            after={"entry_pass": entry_pass},
        )
    try:
        scan_pass_sync(
            acting_user=acting_user,
            conference=conference,
            entry_pass=entry_pass,
            ballots=ballots,
        )
    except ServiceError as e:
        outcome.sync_error = e.message
    return outcome


def _rejected(s: ScanSheet) -> bool:
    return s.decision is not None and s.decision.get("action") == "reject"


def _own_ok(s: ScanSheet, reasons: set[str]) -> bool:
    """Read exactly, or accepted by a reviewer and nothing blocks it since."""
    d = s.decision
    if d is not None and d.get("action") == "accept":
        blocking = {DUPLICATE_SHEET} | (set() if d.get("allow_missing") else {MISSING_PAGE})
        return not (reasons & blocking)
    return not reasons


def _payload(
    members: list[ScanSheet], keys: list[str], kind: VoteKind, issued: bool
) -> dict[str, Any]:
    digits: dict[str, str] = {}
    crossed: set[str] = set()
    added = 0
    other = signed = False
    for m in members:
        digits.update(sheet_digits(m, kind))
        d = m.decision if m.decision is not None and m.decision.get("action") == "accept" else {}
        crossed.update(str(c) for c in d.get("crossed_out", []))
        added += int(d.get("added_names", 0))
        other = other or bool(d.get("other_writing", False))
        signed = signed or bool(d.get("signed", False))
        issued = issued and bool(d.get("issued", True))
    return {
        "digits": "".join(digits.get(k, "0") for k in keys),
        "issued": issued,
        "crossed_out": sorted(crossed, key=int),
        "added_names": min(added, 99),
        "other_writing": other,
        "signed": signed,
    }


# ---------------------------------------------------------------- review


@dataclass(frozen=True)
class Decision:
    """What a reviewer decides for one sheet."""

    action: str
    """``accept`` or ``reject``."""
    digits: dict[str, str] = field(default_factory=dict)
    """Candidate id → digit, for every person on the sheet's page."""
    crossed_out: tuple[str, ...] = ()
    added_names: int = 0
    other_writing: bool = False
    signed: bool = False
    issued: bool = True
    serial: str = ""
    """Only for a sheet whose code could not be read: the serial printed on it."""
    page: int | None = None
    allow_missing: bool = False
    note: str = ""


def needs_serial(conference: Conference, sheet: ScanSheet) -> bool:
    """Whether a reviewer must type the serial: no code of this conference was read."""
    issued = issued_json(conference)
    if issued is None:
        return False
    blank = ScanSheet(reading=sheet.reading)
    return _effective(blank, str(issued["conference"]), int(issued["pages_per_ballot"])) is None


def page_rows(conference: Conference, page: int) -> list[str]:
    """Candidate ids printed on ``page`` of the conference's ballot."""
    issued = issued_json(conference)
    if issued is None:
        return []
    pages = issued["layout"]["pages"]
    if not 1 <= page <= len(pages):
        return []
    return [str(row["candidate"]) for row in pages[page - 1]["rows"]]


def review_decide(
    *, acting_user: Any, sheet: ScanSheet, decision: Decision
) -> tuple[ScanSheet, str | None]:
    """Record a reviewer's decision on ``sheet`` and recompute the scan pass.

    Returns the sheet and, when the pass could not be written, why."""
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=sheet.conference_id)
        sheet = ScanSheet.objects.select_for_update().get(pk=sheet.pk)
        if conference.status != Status.COUNTING:
            raise ServiceError(
                "not_counting", _("Chỉ kiểm tra phiếu quét khi hội nghị đang kiểm phiếu.")
            )
        if "head" not in _member_role(conference, acting_user):
            raise ServiceError(
                "not_head", _("Chỉ Trưởng Ban kiểm phiếu được quyết định phiếu cần kiểm tra.")
            )
        note = decision.note.strip()[:300]
        if decision.action == "reject":
            if not note:
                raise ServiceError("note_required", _("Cần ghi lý do loại tờ phiếu này."))
            after: dict[str, Any] = {"action": "reject", "note": note}
        elif decision.action == "accept":
            after = _accept(conference, sheet, decision, note)
        else:
            raise ServiceError("bad_action", _("Thao tác không hợp lệ."))
        before = {"state": sheet.state, "decision": sheet.decision, "reasons": sheet.reasons}
        sheet.decision = after
        sheet.save(update_fields=["decision"])
        ReviewDecision.objects.create(
            sheet=sheet,
            action=decision.action,
            user=acting_user,
            before=before,
            after=after,
            note=note,
        )
        audit(
            actor=acting_user,
            action=f"scan.review_{decision.action}",
            obj=sheet,
            summary=f"{conference.pk} {sheet.label} {after.get('serial') or sheet.serial}",
            before=before,
            after=after,
        )
        outcome = refresh(acting_user=acting_user, conference=conference)
    sheet.refresh_from_db()
    return sheet, outcome.sync_error


def reject_blank_pages(*, acting_user: Any, conference: Conference) -> int:
    """Reject at once every sheet in review only because it is blank (the backs of a
    duplex scan), each decision logged as if made one by one."""
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=conference.pk)
        if conference.status != Status.COUNTING:
            raise ServiceError(
                "not_counting", _("Chỉ kiểm tra phiếu quét khi hội nghị đang kiểm phiếu.")
            )
        if "head" not in _member_role(conference, acting_user):
            raise ServiceError(
                "not_head", _("Chỉ Trưởng Ban kiểm phiếu được quyết định phiếu cần kiểm tra.")
            )
        note = _("Trang trắng (mặt sau của phiếu)")
        blank = [
            s
            for s in conference.scan_sheets.select_for_update().filter(
                state=ScanSheet.State.REVIEW, decision__isnull=True
            )
            if s.reasons == [BLANK_PAGE]
        ]
        for sheet in blank:
            before = {"state": sheet.state, "decision": None, "reasons": sheet.reasons}
            after = {"action": "reject", "note": note}
            sheet.decision = after
            sheet.save(update_fields=["decision"])
            ReviewDecision.objects.create(
                sheet=sheet,
                action="reject",
                user=acting_user,
                before=before,
                after=after,
                note=note,
            )
            audit(
                actor=acting_user,
                action="scan.review_reject",
                obj=sheet,
                summary=f"{conference.pk} {sheet.label} {note}",
                before=before,
                after=after,
            )
        if blank:
            refresh(acting_user=acting_user, conference=conference)
    return len(blank)


def _accept(
    conference: Conference, sheet: ScanSheet, decision: Decision, note: str
) -> dict[str, Any]:
    issued = issued_json(conference)
    if issued is None:
        raise ServiceError("no_register", _("Hội nghị chưa in phiếu."))
    pages_per = int(issued["pages_per_ballot"])
    key = str(issued["conference"])
    serial, page = "", None
    if _effective(ScanSheet(reading=sheet.reading), key, pages_per) is None:
        serial = decision.serial.strip().upper()
        if not serial or len(serial) > 64 or any(c in serial for c in ";\n\r"):
            raise ServiceError(
                "serial_required",
                _("Không đọc được mã phiếu của tờ này: hãy nhập mã phiếu in trên tờ phiếu."),
            )
        if decision.page is None or not 1 <= decision.page <= pages_per:
            raise ServiceError("bad_page", _("Trang phải từ 1 đến %(n)s.") % {"n": pages_per})
        page = decision.page
    else:
        page = int(sheet.reading["qr"]["page"])
    rows = page_rows(conference, page)
    kind = VoteKind(conference.kind)
    allowed = allowed_digits(kind)
    digits: dict[str, str] = {}
    for cid in rows:
        d = str(decision.digits.get(cid, "")).strip()
        if d not in allowed:
            raise ServiceError(
                "bad_digit",
                _("Người số %(cid)s: chọn một trong %(allowed)s (đang là “%(d)s”).")
                % {"cid": cid, "allowed": ", ".join(sorted(allowed)), "d": d},
            )
        digits[cid] = d
    crossed = sorted({str(c) for c in decision.crossed_out}, key=lambda c: (len(c), c))
    for c in crossed:
        if c not in rows:
            raise ServiceError(
                "bad_crossed_out",
                _("Người số %(c)s không có trên trang này để gạch tên.") % {"c": c},
            )
    if not 0 <= decision.added_names <= 99:
        raise ServiceError("bad_added_names", _("Số tên ghi thêm phải từ 0 đến 99."))
    in_register = (serial or sheet.serial) in set(issued["serials"])
    return {
        "action": "accept",
        "serial": serial,
        "page": page,
        "digits": digits,
        "crossed_out": crossed,
        "added_names": int(decision.added_names),
        "other_writing": bool(decision.other_writing),
        "signed": bool(decision.signed),
        # A serial not in the register: not issued by the committee, whatever is ticked.
        "issued": bool(decision.issued) and in_register,
        "allow_missing": bool(decision.allow_missing),
        "note": note,
    }


# ---------------------------------------------------------------- audited reads


def evidence_read(*, acting_user: Any, f: ScanFile, what: str) -> None:
    """Record that ``acting_user`` saw evidence of ``f`` (the file, a page, a crop)."""
    audit(
        actor=acting_user,
        action="scan.evidence_view",
        obj=f,
        summary=f"{f.conference_id} {f.name} {what}"[:300],
        after={"sha256": f.sha256, "what": what},
    )
