"""Throughput of the core tally, and of reading the same data from JSON.

Default size: 20,000 ballots × 50 persons = 1,000,000 ballot lines, in this
one plain Python process (CPython runs it on one core). For each dataset the
record is written as JSON text, read back with ``loads_record`` (timed), and
the conference read back is counted with ``tally`` under each profile
(timed). Every timing is ``time.perf_counter`` around one call, after a
``gc.collect()``; the figures are the best and the median of the repetitions.

Datasets (see ``bench/_data.py``):

* ``realistic``: the ballot box of a real conference, defects included; this
  is the one the goal is about;
* ``clean``: every line of every ballot holds one mark, so every line is
  counted: the worst case for the counting loop.

Goal: ``tally`` ≥ 1,000,000 lines/s (median, realistic data, both profiles).

Run from the repository root::

    uv run python bench/bench_tally.py            # full run, about a minute
    uv run python bench/bench_tally.py --quick    # smoke run, a few seconds
    uv run python bench/bench_tally.py --json     # machine-readable results
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _data import describe, machine, machine_summary, make_record, record_text
from tinnhiem.record import loads_record
from tinnhiem.rules import get_profile, tally

GOAL_LINES_PER_S = 1_000_000
PROFILES = ("qd96-2023", "qd262-2014")
DATASETS = ("realistic", "clean")


def time_calls(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds taken by each of ``repeat`` calls of ``fn``."""
    times: list[float] = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def summarise(
    dataset: str, profile: str, operation: str, lines: int, times: list[float], goal: int | None
) -> dict[str, Any]:
    best = min(times)
    median = statistics.median(times)
    row: dict[str, Any] = {
        "dataset": dataset,
        "profile": profile,
        "operation": operation,
        "lines": lines,
        "repeat": len(times),
        "best_s": round(best, 6),
        "median_s": round(median, 6),
        "max_s": round(max(times), 6),
        "best_lines_per_s": round(lines / best) if best else 0,
        "median_lines_per_s": round(lines / median) if median else 0,
        "goal_lines_per_s": goal,
        "goal_met": None if goal is None else (lines / median >= goal if median else True),
    }
    return row


def cprofile_top(fn: Callable[[], object], limit: int = 12) -> str:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    datasets: dict[str, dict[str, int]] = {}
    whole_invalid: dict[str, dict[str, int]] = {}
    profiles = [get_profile(p) for p in args.profile]
    names = [d for d in DATASETS if not (d == "clean" and args.skip_clean)]
    for name in names:
        # The record names the first profile; nothing in reading depends on it.
        record = make_record(
            args.ballots, args.persons, profiles[0].id, seed=args.seed, clean=name == "clean"
        )
        text = record_text(record)
        lines = args.ballots * args.persons
        datasets[name] = {**describe(record.conference), "json_bytes": len(text.encode())}
        log(f"bench_tally: {name}: {len(text):,} characters of JSON; timing…")

        parsed: list[Any] = []

        def parse(text: str = text, parsed: list[Any] = parsed) -> None:
            parsed[:] = [loads_record(text)]

        times = time_calls(parse, args.parse_repeat)
        conference = parsed[0].conference
        if conference != record.conference:
            raise SystemExit(f"bench_tally: {name}: the record read back differs from the data")
        del record, parsed
        results.append(summarise(name, "-", "loads_record", lines, times, None))
        if args.cprofile:
            log(f"\n--- cProfile: loads_record, {name} ---\n" + cprofile_top(lambda: parse()))
        whole_invalid[name] = {}
        for profile in profiles:
            result = tally(conference, profile)
            whole_invalid[name][profile.id] = result.whole_invalid
            times = time_calls(lambda p=profile, c=conference: tally(c, p), args.repeat)
            goal = GOAL_LINES_PER_S if name == "realistic" else None
            results.append(summarise(name, profile.id, "tally", lines, times, goal))
        del conference
    goal_rows = [r for r in results if r["goal_met"] is not None]
    return {
        "benchmark": "tally",
        "machine": machine(),
        "config": {
            "ballots": args.ballots,
            "persons": args.persons,
            "lines": args.ballots * args.persons,
            "repeat": args.repeat,
            "parse_repeat": args.parse_repeat,
            "seed": args.seed,
            "quick": args.quick,
            "gc_enabled": gc.isenabled(),
        },
        "datasets": datasets,
        "whole_invalid": whole_invalid,
        "results": results,
        "goal": {
            "tally_lines_per_s": GOAL_LINES_PER_S,
            "met": bool(goal_rows) and all(r["goal_met"] for r in goal_rows),
        },
    }


def log(message: str) -> None:
    sys.stderr.write(message + "\n")


def print_table(report: dict[str, Any]) -> None:
    cfg = report["config"]
    print(f"tinnhiem bench_tally · {machine_summary(report['machine'])}")
    print(
        f"{cfg['ballots']:,} ballots × {cfg['persons']} persons = {cfg['lines']:,} lines · "
        f"tally ×{cfg['repeat']}, loads_record ×{cfg['parse_repeat']} · seed {cfg['seed']}"
        + (" · QUICK" if cfg["quick"] else "")
    )
    for name, d in report["datasets"].items():
        voids = ", ".join(f"{p} {n:,}" for p, n in report["whole_invalid"][name].items())
        print(
            f"  {name}: blank {d['blank_lines']:,}, several {d['several_mark_lines']:,}, "
            f"crossed out {d['crossed_out_names']:,} lines; unissued {d['unissued_ballots']}, "
            f"signed {d['signed_ballots']} ballots; void as a whole: {voids}"
        )
    header = (
        f"{'dataset':<10} {'profile':<11} {'operation':<13} {'best s':>8} {'median s':>9} "
        f"{'best lines/s':>13} {'median lines/s':>15}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in report["results"]:
        if r["goal_met"] is None:
            goal = "-"
        else:
            verdict = "met" if r["goal_met"] else "NOT MET"
            goal = f"≥ {r['goal_lines_per_s']:,}/s {verdict}"
        print(
            f"{r['dataset']:<10} {r['profile']:<11} {r['operation']:<13} {r['best_s']:>8.4f} "
            f"{r['median_s']:>9.4f} {r['best_lines_per_s']:>13,} {r['median_lines_per_s']:>15,}"
            f"  {goal}"
        )
    verdict = "met" if report["goal"]["met"] else "NOT MET"
    print(f"goal (median tally on realistic data ≥ {GOAL_LINES_PER_S:,} lines/s): {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 ballots")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--ballots", type=int, default=None, help="default 20000 (1000 quick)")
    parser.add_argument("--persons", type=int, default=50, help="default 50")
    parser.add_argument("--repeat", type=int, default=7, help="tally repetitions (≥5)")
    parser.add_argument("--parse-repeat", type=int, default=5, help="loads_record repetitions")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--profile", action="append", choices=sorted(PROFILES), help="default: both"
    )
    parser.add_argument("--skip-clean", action="store_true", help="only the realistic dataset")
    parser.add_argument(
        "--cprofile", action="store_true", help="also print cProfile of loads_record (stderr)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when the goal is not met"
    )
    args = parser.parse_args(argv)
    if args.ballots is None:
        args.ballots = 1_000 if args.quick else 20_000
    if args.repeat < 5 or args.parse_repeat < 1 or args.ballots < 1 or args.persons < 1:
        parser.error("need --repeat ≥ 5, --parse-repeat ≥ 1, --ballots ≥ 1, --persons ≥ 1")
    args.profile = args.profile or list(PROFILES)
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)
    return 1 if args.check and not report["goal"]["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
