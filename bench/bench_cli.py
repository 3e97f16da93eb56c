"""Wall-clock time of the whole ``tinnhiem tally FILE --json`` command.

A 500-ballot × 50-person record (``bench/_data.py``, profile qd96-2023) is
written to a temporary file; the command is then run as a new process, start
of the interpreter included, in two ways:

* ``direct``: the virtual environment's console script, ``.venv/bin/tinnhiem``
  (found relative to the repository);
* ``uv run``: ``uv run tinnhiem`` from the repository root, as the project's
  instructions run it (uv checks the environment first).

For context the script also times the bare interpreter (``.venv/bin/python
-c pass``) and, inside this process, the work itself (read the file, parse,
tally, encode the JSON) without any start-up. Each command runs once
untimed, then ``--runs`` times (≥ 10); the output of the first run is
checked against the same tally done in this process.

Goal: every run of the command < 0.5 s wall (max, hence median too).

Run from the repository root::

    uv run python bench/bench_cli.py            # full run, about 10 s
    uv run python bench/bench_cli.py --quick    # smoke run
    uv run python bench/bench_cli.py --json     # machine-readable results
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _data import REPO, machine, machine_summary, make_record, record_text
from tinnhiem.record import loads_record, tally_result_to_json
from tinnhiem.rules import get_profile, tally

GOAL_S = 0.5
PROFILE = "qd96-2023"


def venv_bin(name: str) -> Path:
    """``.venv/bin/NAME`` (``.venv/Scripts/NAME.exe`` on Windows) of the repository."""
    if sys.platform == "win32":
        return REPO / ".venv" / "Scripts" / f"{name}.exe"
    return REPO / ".venv" / "bin" / name


def time_command(cmd: list[str], runs: int, warmup: int) -> tuple[list[float], str]:
    """Wall seconds of each timed run, and the standard output of the first run."""
    first_out: str | None = None
    times: list[float] = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, check=False)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip()
            raise SystemExit(f"bench_cli: {cmd[0]} … exited {proc.returncode}: {err}")
        if first_out is None:
            first_out = proc.stdout.decode()
        if i >= warmup:
            times.append(elapsed)
    return times, first_out or ""


def in_process(path: Path, runs: int) -> tuple[list[float], dict[str, Any]]:
    """The command's work without start-up: read, parse, tally, encode."""
    times: list[float] = []
    expected: dict[str, Any] = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        record = loads_record(path.read_bytes().decode("utf-8-sig"))
        result = tally(record.conference, get_profile(record.profile_id))
        expected = tally_result_to_json(result, "vi")
        json.dumps(expected, ensure_ascii=False, indent=2)
        times.append(time.perf_counter() - t0)
    return times, expected


def summarise(name: str, command: str, times: list[float], goal: float | None) -> dict[str, Any]:
    return {
        "name": name,
        "command": command,
        "runs": len(times),
        "min_s": round(min(times), 4),
        "median_s": round(statistics.median(times), 4),
        "max_s": round(max(times), 4),
        "goal_s": goal,
        "goal_met": None if goal is None else max(times) < goal,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    python = venv_bin("python")
    script = venv_bin("tinnhiem")
    for exe in (python, script):
        if not exe.exists():
            raise SystemExit(f"bench_cli: {exe.name} not found in .venv; run `uv sync` first")
    uv = shutil.which("uv")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tinnhiem-bench-") as tmp:
        path = Path(tmp) / "record.json"
        path.write_text(
            record_text(make_record(args.ballots, args.persons, PROFILE, seed=args.seed)),
            encoding="utf-8",
        )
        size = path.stat().st_size

        times, expected = in_process(path, args.runs)
        rows.append(
            summarise("in-process", "loads_record + tally + JSON, no start-up", times, None)
        )

        times, _ = time_command([str(python), "-c", "pass"], args.runs, args.warmup)
        rows.append(summarise("python", ".venv/bin/python -c pass", times, None))

        cmds: list[tuple[str, str, list[str]]] = [
            ("direct", ".venv/bin/tinnhiem tally FILE --json", [str(script)]),
        ]
        if uv is not None and not args.no_uv:
            cmds.append(("uv run", "uv run tinnhiem tally FILE --json", [uv, "run", "tinnhiem"]))
        for name, shown, prefix in cmds:
            times, out = time_command(
                [*prefix, "tally", str(path), "--json"], args.runs, args.warmup
            )
            if json.loads(out) != expected:
                raise SystemExit(f"bench_cli: {name}: the output differs from the in-process tally")
            rows.append(summarise(name, shown, times, GOAL_S))
    goal_rows = [r for r in rows if r["goal_met"] is not None]
    return {
        "benchmark": "cli",
        "machine": machine(),
        "config": {
            "ballots": args.ballots,
            "persons": args.persons,
            "lines": args.ballots * args.persons,
            "record_bytes": size,
            "profile": PROFILE,
            "runs": args.runs,
            "warmup": args.warmup,
            "seed": args.seed,
            "quick": args.quick,
            "uv": uv is not None and not args.no_uv,
        },
        "results": rows,
        "goal": {
            "max_wall_s": GOAL_S,
            "met": bool(goal_rows) and all(r["goal_met"] for r in goal_rows),
        },
    }


def print_table(report: dict[str, Any]) -> None:
    cfg = report["config"]
    print(f"tinnhiem bench_cli · {machine_summary(report['machine'])}")
    print(
        f"record: {cfg['ballots']:,} ballots × {cfg['persons']} persons = {cfg['lines']:,} lines, "
        f"{cfg['record_bytes']:,} bytes, {cfg['profile']} · {cfg['runs']} runs after "
        f"{cfg['warmup']} warm-up" + (" · QUICK" if cfg["quick"] else "")
    )
    header = f"{'name':<11} {'command':<42} {'min s':>7} {'median s':>9} {'max s':>7}  goal"
    print(header)
    print("-" * len(header))
    for r in report["results"]:
        if r["goal_met"] is None:
            goal = "-"
        else:
            goal = f"< {r['goal_s']} s " + ("met" if r["goal_met"] else "NOT MET")
        print(
            f"{r['name']:<11} {r['command']:<42} {r['min_s']:>7.3f} {r['median_s']:>9.3f} "
            f"{r['max_s']:>7.3f}  {goal}"
        )
    verdict = "met" if report["goal"]["met"] else "NOT MET"
    print(f"goal (every run of the command < {GOAL_S} s wall): {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 ballots, 3 runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--ballots", type=int, default=None, help="default 500 (50 quick)")
    parser.add_argument("--persons", type=int, default=50, help="default 50")
    parser.add_argument("--runs", type=int, default=None, help="timed runs, default 10 (3 quick)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first, default 1")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--no-uv", action="store_true", help="skip the `uv run` measurement")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when the goal is not met"
    )
    args = parser.parse_args(argv)
    if args.ballots is None:
        args.ballots = 50 if args.quick else 500
    if args.runs is None:
        args.runs = 3 if args.quick else 10
    if args.runs < 1 or args.warmup < 0 or args.ballots < 1 or args.persons < 1:
        parser.error("need --runs ≥ 1, --warmup ≥ 0, --ballots ≥ 1, --persons ≥ 1")
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)
    return 1 if args.check and not report["goal"]["met"] else 0


if __name__ == "__main__":
    sys.exit(main())
