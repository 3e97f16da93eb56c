"""All ballot papers of a 1,000-official round, built as a background job.

Builds a fresh SQLite database (in a temporary directory) holding one round
of a province, through the services: 1,000 officials in 100 agencies of
three blocks, one conference per agency with its 10 officials on the ballot
and ``--members`` summoned members (the ballots to print). Then queues the
``round_ballots`` job (``tinnhiem.delivery.services.job_start``) and runs it
exactly as the web process's worker thread does (``runner.run_pending``):
each conference's ballots typeset, their serials kept in the register, the
PDFs and ``issued.json`` files written into one ZIP stored in the job row.

Measured: wall time of the build, the process's CPU time, the peak resident
memory of the process (``ru_maxrss``) before and after, the peak of Python
allocations during the build (``tracemalloc``, a second run: it slows the
build down, so it is not timed), the ZIP's size, pages and ballots.

Run from the repository root::

    uv run python bench/bench_delivery.py               # 1,000 officials, about 1 min
    uv run python bench/bench_delivery.py --quick       # 50 officials, a few seconds
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import machine, machine_summary
from _django import new_database

BLOCKS = (
    "Khối các cơ quan Đảng, Mặt trận Tổ quốc và các đoàn thể",
    "Khối các cơ quan chính quyền",
    "Khối các cơ quan Trung ương tại tỉnh",
)
POSITIONS = ("Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Phó Trưởng phòng")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build_round(officials: int, per_conference: int, members: int) -> tuple[Any, Any]:
    from tinnhiem.accounts.models import User
    from tinnhiem.campaigns.services import (
        agency_create,
        block_create,
        official_create,
        round_create,
    )
    from tinnhiem.conferences.models import Conference
    from tinnhiem.conferences.services import candidacy_add, conference_create
    from tinnhiem.demo.names import NameGenerator

    organiser = User.objects.create(
        username="bantochuc", full_name="Ban Tổ chức", is_organiser=True
    )
    vote_round = round_create(
        acting_user=organiser,
        number="1000-KH/TU",
        title="Lấy phiếu tín nhiệm năm 2023 (thử tải)",
        issuing_body="Ban Thường vụ Tỉnh ủy",
        issued_on=date(2023, 4, 20),
        vote_year=2023,
        profile_id="qd96-2023",
    )
    blocks = [
        block_create(acting_user=organiser, vote_round=vote_round, name=name, order=i)
        for i, name in enumerate(BLOCKS)
    ]
    names = NameGenerator(2023).names(officials)
    n_agencies = (officials + per_conference - 1) // per_conference
    for a in range(n_agencies):
        agency = agency_create(
            acting_user=organiser, block=blocks[a % len(blocks)], name=f"Sở thử nghiệm số {a + 1}"
        )
        conference = conference_create(
            acting_user=organiser,
            vote_round=vote_round,
            agency=agency,
            title=f"Hội nghị lấy phiếu tín nhiệm Sở thử nghiệm số {a + 1}",
            date=date(2023, 6, 27),
            kind="poll",
            place_kind="workplace",
        )
        Conference.objects.filter(pk=conference.pk).update(members_total=members)
        for i, name in enumerate(names[a * per_conference : (a + 1) * per_conference]):
            official = official_create(
                acting_user=organiser,
                agency=agency,
                full_name=name,
                position=POSITIONS[i % len(POSITIONS)],
                appointed_or_elected_on=date(2019, 3, 1),
            )
            candidacy_add(acting_user=organiser, conference=conference, official=official)
    return organiser, vote_round


def run_job(organiser: Any, vote_round: Any) -> Any:
    from tinnhiem.delivery import runner
    from tinnhiem.delivery.models import DocumentJob, JobKind, JobState
    from tinnhiem.delivery.services import job_start

    job = job_start(acting_user=organiser, kind=JobKind.ROUND_BALLOTS, vote_round=vote_round)
    assert runner.run_pending() == 1
    job = DocumentJob.objects.get(pk=job.pk)
    assert job.state == JobState.DONE, job.error
    return job


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=1000)
    parser.add_argument("--per-conference", type=int, default=10)
    parser.add_argument("--members", type=int, default=25, help="ballots per conference")
    parser.add_argument("--quick", action="store_true", help="50 officials")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.officials = 50
    new_database("delivery")
    from django.conf import settings

    settings.TINNHIEM_JOB_WORKER = False  # this process runs the queue itself
    t0 = time.perf_counter()
    organiser, vote_round = build_round(args.officials, args.per_conference, args.members)
    log(f"set-up: {time.perf_counter() - t0:.1f} s")

    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    from tinnhiem.counting.models import BallotPrint

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    job = run_job(organiser, vote_round)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    content = bytes(job.result)
    z = zipfile.ZipFile(io.BytesIO(content))
    pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
    pages = sum(len(pdfium.PdfDocument(z.read(n))) for n in pdfs)
    ballots = sum(p.count for p in BallotPrint.objects.all())

    tracemalloc.start()
    run_job(organiser, vote_round)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    report = {
        "machine": machine(),
        "officials": args.officials,
        "conferences": len(pdfs),
        "ballots": ballots,
        "pages": pages,
        "zip_bytes": len(content),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "ballots_per_s": round(ballots / wall, 1),
        "peak_rss_mib_before": round(rss_before / 1024, 1),
        "peak_rss_mib_after": round(rss_after / 1024, 1),
        "python_alloc_peak_mib": round(traced_peak / 2**20, 1),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"tinnhiem bench_delivery · {machine_summary(report['machine'])}")
    for key, value in report.items():
        if key != "machine":
            print(f"{key:24} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
