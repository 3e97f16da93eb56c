"""Web upload and processing throughput of scanned ballots (``tinnhiem.scanning``).

Builds a fresh SQLite database in a temporary data directory (the same
settings as ``tinnhiem demo``: WAL, one writer at a time), a conference in
counting with a 30-person ballot (two pages) built through the services, and
prints its ballots through the counting app (the register of issued serials).
``--ballots`` ballots (default 100, so 200 sheets) are filled and scanned by
the synthetic generator (:mod:`tinnhiem.omr.synth`, ``clean`` class at
200 dpi, JPEG quality 90, only single marks and blank lines), then uploaded
by a clerk through Django's test ``Client`` exactly as the upload page's
script sends them (groups of at most 100 files, ``Accept: application/json``),
while the background worker thread reads them; the progress endpoint is
polled every 0.2 s as the page does. Timed: from the first upload request to
the last job done (every sheet stored, the batch decided, the scan pass
written), and its parts. Checked: every ballot in the scan pass equals its
ground truth.

Run from the repository root::

    uv run python bench/bench_scan_web.py              # 200 sheets, about a minute
    uv run python bench/bench_scan_web.py --ballots 10 # smoke run
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _data import machine, machine_summary

ROOT = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _cpu() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=100)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--processes", type=int, default=None, help="worker processes (default: 1)")
    args = ap.parse_args()
    os.environ["TINNHIEM_DATA_DIR"] = tempfile.mkdtemp(prefix="tinnhiem-bench-scan-")
    os.environ.setdefault("TINNHIEM_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tinnhiem.config.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    if args.processes is not None:
        from django.conf import settings

        settings.TINNHIEM_SCAN_PROCESSES = args.processes
    from tests.web.builders import build_counting_conference, make_agency, make_round, make_user

    from tinnhiem.counting.documents import ballots_print
    from tinnhiem.counting.models import BallotEntry, BallotPrint, EntrySource
    from tinnhiem.counting.selectors import candidate_keys, digit_for_levels
    from tinnhiem.documents.ballots import issued_register
    from tinnhiem.omr.synth import PLAIN, Degradation, SheetGenerator
    from tinnhiem.rules import Level, VoteKind
    from tinnhiem.scanning import worker
    from tinnhiem.scanning.models import ScanJob, ScanSheet

    t0 = time.perf_counter()
    organiser = make_user("bantochuc", organiser=True, full_name="Chuyên viên Ban Tổ chức")
    head = make_user("truongban", full_name="Trưởng Ban kiểm phiếu")
    clerk1 = make_user("thuky1", full_name="Thành viên nhập lượt 1")
    clerk2 = make_user("thuky2", full_name="Thành viên nhập lượt 2")
    agency = make_agency(organiser, make_round(organiser))
    conference = build_counting_conference(
        organiser=organiser,
        head=head,
        clerk1=clerk1,
        clerk2=clerk2,
        agency=agency,
        candidates=30,
        summoned=args.ballots + args.ballots // 5,
        present=args.ballots,
    )
    printed = ballots_print(acting_user=organiser, conference=conference, count=args.ballots)
    p = BallotPrint.objects.get(conference=conference)
    gen = SheetGenerator(printed.content, issued_register(p.layout, p.serials), seed=args.seed)
    clean = Degradation("clean", dpi=(200, 200), angle=(-0.6, 0.6), noise=(0.0, 2.0), jpeg=(90, 90))
    sheets = list(gen.sheets([clean], PLAIN))
    gen.close()
    log(f"set-up {time.perf_counter() - t0:.1f} s: {len(sheets)} sheets")
    kind = VoteKind(conference.kind)
    keys = candidate_keys(conference)
    truth: dict[str, dict[str, tuple[str, ...]]] = {}
    for s in sheets:
        truth.setdefault(s.truth.serial, {}).update(s.truth.marks)
    expected = {
        serial: "".join(
            digit_for_levels(kind, tuple(Level(lv) for lv in marks.get(k, ()))) for k in keys
        )
        for serial, marks in truth.items()
    }

    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(clerk1)
    upload_url = f"/quet-phieu/{conference.pk}/tai-len/"
    progress_url = f"/quet-phieu/{conference.pk}/tien-do.json"
    size = sum(len(s.data) for s in sheets)
    cpu0 = _cpu()
    start = time.perf_counter()
    upload_s = 0.0
    for i in range(0, len(sheets), 100):
        group = sheets[i : i + 100]
        files = [
            SimpleUploadedFile(f"to-{i + k + 1:04}{s.suffix}", s.data) for k, s in enumerate(group)
        ]
        t = time.perf_counter()
        r = client.post(upload_url, {"files": files}, HTTP_ACCEPT="application/json")
        upload_s += time.perf_counter() - t
        assert r.status_code == 200, r.content
    while client.get(progress_url).json()["busy"]:
        time.sleep(0.2)
    worker.wait(600)
    total_s = time.perf_counter() - start
    cpu_s = _cpu() - cpu0
    jobs = list(ScanJob.objects.all())
    assert all(j.state == ScanJob.State.DONE for j in jobs), [j.error for j in jobs]
    n = ScanSheet.objects.count()
    review = ScanSheet.objects.filter(state=ScanSheet.State.REVIEW).count()
    entries = {
        e.serial: e.digits
        for e in BallotEntry.objects.filter(conference=conference, source=EntrySource.SCAN)
    }
    wrong = sum(entries.get(s) not in (None, d) for s, d in expected.items())
    m = machine()
    print(f"tinnhiem bench_scan_web · {machine_summary(m)}")
    print(
        f"{n} sheets ({args.ballots} ballots of 30 persons, 2 pages; clean 200-dpi JPEG q90, "
        f"{size / 2**20:.1f} MiB) uploaded in {len(jobs)} requests"
    )
    print(f"upload requests (store, hash, audit): {upload_s:.2f} s")
    print(
        f"upload + processing until the scan pass is written: {total_s:.2f} s = "
        f"{n / total_s:.1f} sheets/s"
    )
    from tinnhiem.scanning.services import _processes

    print(
        f"CPU time (this process and its worker processes): {cpu_s:.2f} s = "
        f"{n / cpu_s:.1f} sheets per CPU second; worker processes: {_processes()}"
    )
    print(
        f"read {n - review}, review {review}; ballots in the scan pass {len(entries)} of "
        f"{len(expected)}, differing from the truth {wrong}"
    )
    return 0 if wrong == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
