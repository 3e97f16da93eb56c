"""Time the document generators of ``tinnhiem.documents`` on invented data.

Three figures, each in this one process (CPython runs it on one core):

* ``report``: the result report PDF (Phụ lục 4, three copies, MẬT stamp) of a
  50-person conference (500 ballots, ``bench/_data.py``), from the tally to
  the PDF bytes: :func:`report_model` and typst. The first call of the
  process (typst loads the fonts and parses the template) is timed like the
  others. Goal: every run < 0.5 s.
* ``ballots``: 500 ballot papers of a 25-person conference, two pages each
  (1,000 pages, 1,000 QR codes, one PDF and the register of serials). Goal:
  every run < 10 s. ``ballots0``, for information: the same with one forced
  QR data mask instead of the standard's per-code choice.
* ``stats``: the statistics of a round of 1,000 officials (200 agencies of 5
  persons in 4 blocks, 40 ballots each): tally of every record, the
  statistics, and all three outputs (JSON, XLSX with charts, PDF with
  charts). Goal: every run < 2 s.

Each timing is ``time.perf_counter()`` around one call after
``gc.collect()``; the first, best, median and worst of the runs are shown.
Every run prints different data (another seed or unit): typst memoises a
compilation whose input it has seen, and a repeat would be timed from cache.

Run from the repository root::

    uv run python bench/bench_documents.py            # full run, under a minute
    uv run python bench/bench_documents.py --quick    # smoke run
    uv run python bench/bench_documents.py --json     # machine-readable results
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _data import machine, machine_summary, make_record
from tinnhiem.documents import (
    build_statistics,
    render_ballots,
    render_report_pdf,
    render_statistics_pdf,
    render_statistics_xlsx,
    round_outcomes,
    statistics_to_json,
)
from tinnhiem.record import ConferenceRecord
from tinnhiem.rules import get_profile, tally

PROFILE = "qd96-2023"
GOALS = {"report": 0.5, "ballots": 10.0, "stats": 2.0}
BLOCKS = (
    "Khối các cơ quan Đảng, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội",
    "Khối các sở, ban, ngành",
    "Khối các cơ quan Trung ương tại tỉnh",
    "Khối các huyện, thành phố",
)


def time_calls(fn: Callable[[int], object], runs: int) -> list[float]:
    """Seconds of ``fn(0)``, ``fn(1)``, …: each run gets its own data (see ``run``)."""
    times: list[float] = []
    for i in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return times


def summarise(name: str, what: str, times: list[float], goal: float | None) -> dict[str, Any]:
    return {
        "name": name,
        "what": what,
        "runs": len(times),
        "first_s": round(times[0], 4),
        "best_s": round(min(times), 4),
        "median_s": round(statistics.median(times), 4),
        "max_s": round(max(times), 4),
        "goal_s": goal,
        "goal_met": None if goal is None else max(times) < goal,
    }


def round_records(
    agencies: int, persons: int, ballots: int, seed: int
) -> list[tuple[str, ConferenceRecord]]:
    out = []
    for i in range(agencies):
        record = make_record(ballots, persons, PROFILE, seed=seed * 1000 + i)
        record = dataclasses.replace(
            record,
            id=f"bench-agency-{i + 1:03d}",
            unit=f"Đơn vị thử nghiệm số {i + 1}",
            block=BLOCKS[i % len(BLOCKS)],
        )
        out.append((record.id or "", record))
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    sizes: dict[str, Any] = {}

    # Every run prints other data (another seed, another unit): typst memoises whole
    # compilations, and a repeated input would be timed from its cache.
    # -- result report
    reports = []
    for i in range(args.runs):
        record = make_record(args.report_ballots, 50, PROFILE, seed=args.seed + i)
        record = dataclasses.replace(record, unit=f"Đơn vị thử nghiệm số {i + 1}")
        reports.append((record, tally(record.conference, get_profile(PROFILE))))
    pdf_size = 0

    def report(i: int) -> None:
        nonlocal pdf_size
        pdf_size = len(render_report_pdf(*reports[i]))

    rows.append(
        summarise(
            "report",
            "result report PDF, 50 persons, 3 copies (first run cold)",
            time_calls(report, args.runs),
            GOALS["report"],
        )
    )
    sizes["report"] = {"persons": 50, "ballots": args.report_ballots, "pdf_bytes": pdf_size}

    # -- ballots
    ballot_record = make_record(5, args.ballot_persons, PROFILE, seed=args.seed)
    pages = 0
    ballot_pdf = 0

    def ballots(i: int) -> None:
        nonlocal pages, ballot_pdf
        unit = f"Đơn vị thử nghiệm số {i + 1}"
        batch = render_ballots(dataclasses.replace(ballot_record, unit=unit), args.ballots)
        pages = batch.issued["pages_per_ballot"]
        ballot_pdf = len(batch.pdf)

    rows.append(
        summarise(
            "ballots",
            f"{args.ballots} ballot papers, {args.ballot_persons} persons each",
            time_calls(ballots, args.ballot_runs),
            GOALS["ballots"],
        )
    )
    rows.append(
        summarise(
            "ballots0",
            "the same with one forced QR mask (qr_mask=0), for information",
            time_calls(
                lambda i: render_ballots(
                    dataclasses.replace(ballot_record, unit=f"Đơn vị có mặt nạ {i + 1}"),
                    args.ballots,
                    qr_mask=0,
                ),
                args.ballot_runs,
            ),
            None,
        )
    )
    sizes["ballots"] = {
        "ballots": args.ballots,
        "persons": args.ballot_persons,
        "pages_per_ballot": pages,
        "pages": pages * args.ballots,
        "pdf_bytes": ballot_pdf,
    }

    # -- statistics of a round
    rounds = [
        round_records(args.agencies, 5, 40, seed=args.seed + 100 * i) for i in range(args.runs)
    ]
    phases: dict[str, list[float]] = {"tally": [], "stats": [], "json": [], "xlsx": [], "pdf": []}

    def stats(i: int) -> None:
        t0 = time.perf_counter()
        outcomes = round_outcomes(rounds[i])
        t1 = time.perf_counter()
        s = build_statistics(outcomes)
        t2 = time.perf_counter()
        json.dumps(statistics_to_json(s), ensure_ascii=False)
        t3 = time.perf_counter()
        render_statistics_xlsx(s)
        t4 = time.perf_counter()
        render_statistics_pdf(s)
        t5 = time.perf_counter()
        for key, dt in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            phases[key].append(dt)

    rows.append(
        summarise(
            "stats",
            f"round of {args.agencies * 5:,} officials: tally + statistics + JSON + XLSX + PDF",
            time_calls(stats, args.runs),
            GOALS["stats"],
        )
    )
    sizes["stats"] = {
        "agencies": args.agencies,
        "officials": args.agencies * 5,
        "ballots_per_agency": 40,
        "blocks": len(BLOCKS),
        "median_phase_s": {k: round(statistics.median(v), 4) for k, v in phases.items()},
    }
    goal_rows = [r for r in rows if r["goal_met"] is not None]
    return {
        "benchmark": "documents",
        "machine": machine(),
        "config": {"runs": args.runs, "seed": args.seed, "quick": args.quick, **sizes},
        "results": rows,
        "goal": {"met": all(r["goal_met"] for r in goal_rows)},
    }


def print_table(report: dict[str, Any]) -> None:
    cfg = report["config"]
    print(f"tinnhiem bench_documents · {machine_summary(report['machine'])}")
    b = cfg["ballots"]
    s = cfg["stats"]
    print(
        f"report: {cfg['report']['persons']} persons, {cfg['report']['ballots']} ballots · "
        f"ballots: {b['ballots']} × {b['pages_per_ballot']} pages ({b['pages']:,} pages, "
        f"{b['pdf_bytes']:,} bytes) · stats: {s['officials']:,} officials in {s['agencies']} "
        f"agencies, {s['blocks']} blocks" + (" · QUICK" if cfg["quick"] else "")
    )
    header = (
        f"{'name':<8} {'runs':>4} {'first s':>8} {'best s':>8} {'median s':>9} {'max s':>8}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in report["results"]:
        goal = "-" if r["goal_s"] is None else f"< {r['goal_s']} s "
        if r["goal_s"] is not None:
            goal += "met" if r["goal_met"] else "NOT MET"
        print(
            f"{r['name']:<8} {r['runs']:>4} {r['first_s']:>8.3f} {r['best_s']:>8.3f} "
            f"{r['median_s']:>9.3f} {r['max_s']:>8.3f}  {goal}"
        )
    phases = ", ".join(f"{k} {v:.3f}" for k, v in s["median_phase_s"].items())
    print(f"stats, median per phase (s): {phases}")
    print(f"goals (every run): {'met' if report['goal']['met'] else 'NOT MET'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: smaller sizes, 2 runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is not met")
    parser.add_argument("--runs", type=int, default=None, help="report/stats runs (default 7)")
    parser.add_argument("--ballot-runs", type=int, default=None, help="ballot runs (default 3)")
    parser.add_argument("--ballots", type=int, default=None, help="ballot papers (default 500)")
    parser.add_argument("--ballot-persons", type=int, default=25, help="persons per ballot")
    parser.add_argument("--report-ballots", type=int, default=500, help="ballots of the report")
    parser.add_argument("--agencies", type=int, default=None, help="agencies (default 200)")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    args.runs = args.runs or (2 if args.quick else 7)
    args.ballot_runs = args.ballot_runs or (1 if args.quick else 3)
    args.ballots = args.ballots or (20 if args.quick else 500)
    args.agencies = args.agencies or (20 if args.quick else 200)
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)
    return 1 if args.check and not report["goal"]["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
