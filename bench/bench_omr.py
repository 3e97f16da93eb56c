"""Acceptance run and throughput of the ballot scanner (``tinnhiem.omr``).

Two parts, both on synthetic scans of real ballot papers
(:mod:`tinnhiem.omr.synth`: the PDF of ``render_ballots``, written on like
voters do, then degraded like a scanner or a phone would):

* **acceptance**: ``--sheets`` sheets (default 2,200) in four degradation
  classes (``clean``, ``moderate``, ``heavy``, ``phone``), over four ballot
  designs (a poll of 8 persons on one page, of 30 on two pages, of 45 on
  three pages, a binding vote of 4 persons). Every sheet is read and the
  batch decided (registers, pages joined) exactly as ``tinnhiem scan`` does,
  then compared with its ground truth. A *silent error* is a sheet read
  (status ``read``) whose ballot differs from the truth in any way, or that
  carries something people must see (a struck name, writing, a signature,
  two boxes on a line). Goal: zero silent errors; fewer than 2 % of the
  sheets of ``clean`` and ``moderate`` ballots that need no review (no such
  content) sent to review. A small batch of register cases (a serial not
  issued, a duplicate sheet, a missing page, a sheet of another conference,
  an image without a code) must all go to review with their reason.
* **throughput**: clean scans at 200 dpi written to ``bench/out/omr/`` as
  JPEG, PNG and TIFF, and phone photos as JPEG: decoding and reading one
  sheet after another in one process on one OpenCV thread (sheets per second
  per core), and the batch as ``tinnhiem scan`` runs it with ``--jobs 2``
  (every core of the project's machine), start-up of the workers included.
  Goal: ≥ 30 clean 200-dpi sheets per second per core.

Generation and reading of the acceptance run are spread over ``--jobs``
processes; everything is seeded (``--seed``), so a run is repeatable.

Run from the repository root::

    uv run python bench/bench_omr.py            # full run, several minutes
    uv run python bench/bench_omr.py --quick    # smoke run
    uv run python bench/bench_omr.py --json     # machine-readable results
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from _data import machine, machine_summary
from tinnhiem.demo import NameGenerator
from tinnhiem.documents import render_ballots
from tinnhiem.omr import reasons as rc
from tinnhiem.omr.batch import decide, join_ballot
from tinnhiem.omr.inputs import SheetSource
from tinnhiem.omr.layout import parse_register
from tinnhiem.omr.run import read_sources
from tinnhiem.omr.sheet import Reader, SheetReading
from tinnhiem.omr.synth import CLASSES, PLAIN, Degradation, Mix, SheetGenerator, seeded_serials
from tinnhiem.record import loads_record

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "omr"
GOAL_SHEETS_PER_S = 30.0
GOAL_REVIEW = 0.02
DESIGNS = {
    # name: (persons, kind, profile, share of the sheets)
    "poll8": (8, "poll", "qd96-2023", 0.25),
    "poll30": (30, "poll", "qd96-2023", 0.35),
    "poll45": (45, "poll", "qd96-2023", 0.25),
    "binding4": (4, "binding", "nq96-2023", 0.15),
}
MODERATE_CLASSES = ("clean", "moderate")
CLEAN_200 = Degradation(
    "clean200", dpi=(200, 200), angle=(-0.6, 0.6), blur=(0.0, 0.5), noise=(0.0, 2.0)
)


def record_json(design: str, seed: int) -> dict[str, Any]:
    persons, kind, profile, _ = DESIGNS[design]
    names = NameGenerator(seed)
    positions = ("Giám đốc", "Phó Giám đốc", "Trưởng phòng Tổ chức cán bộ", "Chánh Văn phòng")
    return {
        "format": "tinnhiem.conference-record/1",
        "profile": profile,
        "kind": kind,
        "id": f"bench-omr-{design}",
        "title": "Hội nghị lấy phiếu tín nhiệm (dữ liệu thử)",
        "unit": "Sở Nội vụ tỉnh (thử nghiệm)",
        "date": "2024-05-14",
        "summoned": 200,
        "present": 200,
        "ballots_issued": 200,
        "candidates": [
            {"id": str(i), "name": names.name(), "position": positions[i % len(positions)]}
            for i in range(1, persons + 1)
        ],
        "ballots": [],
    }


def render(design: str, count: int, seed: int) -> tuple[bytes, dict[str, Any]]:
    record = loads_record(json.dumps(record_json(design, seed), ensure_ascii=False))
    batch = render_ballots(record, count, serial_source=seeded_serials(seed))
    return batch.pdf, batch.issued


# ---------------------------------------------------------------- acceptance (workers)

_batches: dict[str, tuple[bytes, dict[str, Any]]] = {}


def _init(batches: dict[str, tuple[bytes, dict[str, Any]]]) -> None:
    cv2.setNumThreads(1)
    _batches.update(batches)


def _work(task: tuple[str, str, int, int, int]) -> list[dict[str, Any]]:
    """Generate and read ballots ``start``…``stop`` of one batch."""
    key, cls, start, stop, seed = task
    pdf, issued = _batches[key]
    gen = SheetGenerator(pdf, issued, seed=seed)
    reader = Reader(gen.register)
    out: list[dict[str, Any]] = []
    try:
        for i in range(start, stop):
            for sheet in gen.ballot(i, CLASSES[cls], Mix()):
                image = sheet.image()
                t0 = time.perf_counter()
                reading = reader.read(image, f"{key}/{i}/{sheet.truth.page}{sheet.suffix}")
                out.append(
                    {
                        "ballot": i,
                        "truth": sheet.truth,
                        "reading": reading,
                        "seconds": time.perf_counter() - t0,
                        "boxes": _box_stats(sheet.truth, reading),
                    }
                )
    finally:
        gen.close()
    return out


def _box_stats(truth: Any, reading: SheetReading) -> list[tuple[str, str, float, float, float]]:
    """(truth, state, mass, faint mm², strong mm²) of every box of a sheet read."""
    out = []
    for b in reading.boxes:
        marked = b.level in truth.marks.get(b.candidate, ())
        style = truth.styles.get(f"{b.candidate}/{b.level}", "x") if marked else "empty"
        out.append((style, b.state, b.mass, b.faint_mm2, b.strong_mm2))
    return out


def _separation(items: list[dict[str, Any]]) -> dict[str, Any]:
    """How far apart empty and marked boxes were, and how each was read."""
    empty = [b for it in items for b in it["boxes"] if b[0] == "empty"]
    marks = [b for it in items for b in it["boxes"] if b[0] != "empty"]
    states = Counter(f"{'empty' if b[0] == 'empty' else 'mark'}→{b[1]}" for b in empty + marks)
    out: dict[str, Any] = {"boxes": dict(sorted(states.items()))}
    if empty:
        out["empty_max"] = {
            "mass": round(max(b[2] for b in empty), 4),
            "faint_mm2": round(max(b[3] for b in empty), 3),
            "strong_mm2": round(max(b[4] for b in empty), 3),
        }
    if marks:
        out["mark_min"] = {
            "mass": round(min(b[2] for b in marks), 4),
            "faint_mm2": round(min(b[3] for b in marks), 3),
            "strong_mm2": round(min(b[4] for b in marks), 3),
        }
    return out


def acceptance(args: argparse.Namespace) -> dict[str, Any]:
    classes = ("clean", "moderate", "heavy", "phone")
    per_class = args.sheets / len(classes)
    batches: dict[str, tuple[bytes, dict[str, Any]]] = {}
    tasks: list[tuple[str, str, int, int, int]] = []
    for c_i, cls in enumerate(classes):
        for d_i, (design, (_persons, _, _, share)) in enumerate(DESIGNS.items()):
            seed = args.seed + 100 * c_i + d_i
            pages = _pages(design)
            count = max(1, round(per_class * share / pages))
            key = f"{cls}/{design}"
            batches[key] = render(design, count, seed)
            step = max(1, 8 // pages)
            tasks += [(key, cls, s, min(s + step, count), seed) for s in range(0, count, step)]
    note(f"acceptance: {len(tasks)} tasks over {args.jobs} processes")
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(args.jobs, initializer=_init, initargs=(batches,)) as pool:
        parts = pool.map(_work, tasks, chunksize=1)
    elapsed = time.perf_counter() - t0
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for task, part in zip(tasks, parts, strict=True):
        by_key[task[0]].extend(part)
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    silent: list[dict[str, Any]] = []
    unexpected: list[dict[str, Any]] = []
    read_seconds: dict[str, list[float]] = defaultdict(list)
    by_class: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, items in by_key.items():
        by_class[key.split("/")[0]].extend(items)
        cls = key.split("/")[0]
        register = parse_register(batches[key][1])
        batch = decide([it["reading"] for it in items], register)
        needs_review = defaultdict(bool)
        for it in items:
            t = it["truth"]
            needs_review[it["ballot"]] |= bool(t.must_review) or t.signed
        for it, result in zip(items, batch.sheets, strict=True):
            t, reading = it["truth"], it["reading"]
            read_seconds[cls].append(it["seconds"])
            plain = not needs_review[it["ballot"]]
            c = rows[cls]
            c["sheets"] += 1
            c["plain_sheets" if plain else "special_sheets"] += 1
            if result.status == "read":
                c["read"] += 1
                exact = result.ballot == t.ballot() and not t.must_review and not t.signed
                if not exact:
                    c["silent"] += 1
                    silent.append(_describe(key, it, result.reasons, reading))
            else:
                c["review"] += 1
                c["plain_review" if plain else "special_review"] += 1
                for code in result.reasons:
                    reasons[cls][code] += 1
                missing = set(t.must_review) - set(result.reasons)
                if t.must_review and missing:
                    c["special_other_reason"] += 1
                if plain:
                    unexpected.append(_describe(key, it, result.reasons, reading))
        truth_by_serial: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for it in sorted(items, key=lambda x: x["truth"].page):
            truth_by_serial[it["truth"].serial].append(it["truth"].ballot())
        for b in batch.ballots:
            if b.ballot != join_ballot(truth_by_serial[b.serial]):
                rows[cls]["silent_ballots"] += 1
    total = Counter[str]()
    for c in rows.values():
        total.update(c)
    out_rows = []
    for cls in classes:
        c = rows[cls]
        times = read_seconds[cls]
        out_rows.append(
            {
                "class": cls,
                **{k: c[k] for k in sorted(c)},
                "review_rate": _rate(c["review"], c["sheets"]),
                "plain_review_rate": _rate(c["plain_review"], c["plain_sheets"]),
                "special_review_rate": _rate(c["special_review"], c["special_sheets"]),
                "read_ms_median": round(1000 * statistics.median(times), 1) if times else None,
                "reasons": dict(reasons[cls].most_common()),
                "separation": _separation(by_class[cls]),
            }
        )
    moderate_plain = sum(rows[c]["plain_sheets"] for c in MODERATE_CLASSES)
    moderate_review = sum(rows[c]["plain_review"] for c in MODERATE_CLASSES)
    rate = _rate(moderate_review, moderate_plain)
    return {
        "sheets": total["sheets"],
        "seconds": round(elapsed, 1),
        "rows": out_rows,
        "silent_errors": total["silent"] + total["silent_ballots"],
        "silent": silent[:20],
        "unexpected_reviews": unexpected[:40],
        "clean_moderate_plain_review_rate": rate,
        "goal_silent": total["silent"] + total["silent_ballots"] == 0,
        "goal_review": rate is not None and rate < GOAL_REVIEW,
        "register_cases": register_cases(args),
    }


def _pages(design: str) -> int:
    from tinnhiem.documents.ballots import paginate

    return len(paginate(DESIGNS[design][0]))


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _describe(
    key: str, it: dict[str, Any], reasons: tuple[str, ...], reading: SheetReading
) -> dict[str, Any]:
    t = it["truth"]
    return {
        "batch": key,
        "ballot": it["ballot"],
        "page": t.page,
        "reasons": list(reasons),
        "must_review": list(t.must_review),
        "degradation": t.degradation,
        "doubt": [b.to_json() for b in reading.boxes if b.state == "doubt"],
        "flags": [f.to_json() for f in reading.flags],
    }


def register_cases(args: argparse.Namespace) -> dict[str, Any]:
    """A serial not issued, a duplicate, a missing page, another conference, no code."""
    pdf, issued = render("poll30", 8, args.seed + 7)
    other_pdf, other_issued = render("poll8", 1, args.seed + 8)
    register = dict(issued)
    register["serials"] = issued["serials"][:6]  # ballots 6 and 7 were printed, never issued
    register["count"] = 6
    gen = SheetGenerator(pdf, issued, seed=args.seed)
    other = SheetGenerator(other_pdf, other_issued, seed=args.seed)
    reader = Reader(parse_register(register))
    readings: list[SheetReading] = []
    expected: list[str | None] = []
    deg = CLASSES["moderate"]
    for i in range(8):
        sheets = gen.ballot(i, deg, PLAIN) if i != 5 else []
        for s in sheets:
            if i == 3 and s.truth.page == 2:
                continue  # a page missing
            expected.append(
                rc.SERIAL_NOT_ISSUED
                if i >= 6
                else rc.MISSING_PAGE
                if i == 3
                else rc.DUPLICATE_SHEET
                if i == 4 and s.truth.page == 1
                else rc.OTHER_PAGE_IN_REVIEW
                if i == 4
                else None
            )
            readings.append(reader.read(s.image(), f"{i}/{s.truth.page}"))
            if i == 4 and s.truth.page == 1:  # scanned twice
                expected.append(rc.DUPLICATE_SHEET)
                readings.append(reader.read(s.image(), f"{i}/{s.truth.page}/again"))
    for s in other.ballot(0, deg):
        expected.append(rc.WRONG_CONFERENCE)
        readings.append(reader.read(s.image(), "other-conference"))
    noise = np.random.default_rng(args.seed).integers(0, 255, (2339, 1654), dtype=np.uint8)
    expected.append(rc.QR_UNREADABLE)
    readings.append(reader.read(noise, "noise"))
    gen.close()
    other.close()
    batch = decide(readings, parse_register(register))
    ok = 0
    wrong: list[dict[str, Any]] = []
    for want, result in zip(expected, batch.sheets, strict=True):
        got_ok = (
            result.status == "read"
            if want is None
            else (result.status == "review" and want in result.reasons)
        )
        ok += got_ok
        if not got_ok:
            wrong.append({"sheet": result.reading.source, "want": want, "got": result.reasons})
    return {"sheets": len(expected), "as_expected": ok, "wrong": wrong}


# ---------------------------------------------------------------- throughput


def write_scans(args: argparse.Namespace) -> dict[str, Any]:
    """Clean 200-dpi scans (JPEG q90, PNG, TIFF) and phone photos (JPEG) for the timings."""
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*/*"):
        old.unlink()
    count = args.timing_ballots
    pdf, issued = render("poll30", count, args.seed + 11)
    (OUT / "issued.json").write_text(json.dumps(issued, ensure_ascii=False), encoding="utf-8")
    gen = SheetGenerator(pdf, issued, seed=args.seed + 11)
    dirs = {name: OUT / name for name in ("jpeg", "png", "tiff", "phone")}
    for d in dirs.values():
        d.mkdir(exist_ok=True)
    plain = PLAIN
    for i in range(count):
        for s in gen.ballot(i, CLEAN_200, plain):
            image = s.image()
            stem = f"b{i:04d}-p{s.truth.page}"
            cv2.imwrite(str(dirs["jpeg"] / f"{stem}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
            cv2.imwrite(str(dirs["png"] / f"{stem}.png"), image)
            cv2.imwrite(str(dirs["tiff"] / f"{stem}.tif"), image)
        for s in gen.ballot(i, CLASSES["phone"], plain):
            (dirs["phone"] / f"b{i:04d}-p{s.truth.page}{s.suffix}").write_bytes(s.data)
    gen.close()
    return issued


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def wait_idle(limit: float) -> float:
    """Wait (up to ``limit`` s) until the machine was below 15 % busy for 3 s; the wait."""
    if limit <= 0 or not os.path.exists("/proc/stat"):
        return 0.0
    t0 = time.monotonic()
    quiet = 0.0
    busy0, total0 = _cpu_times()
    while time.monotonic() - t0 < limit:
        time.sleep(0.5)
        busy1, total1 = _cpu_times()
        share = (busy1 - busy0) / max(total1 - total0, 1)
        busy0, total0 = busy1, total1
        quiet = quiet + 0.5 if share < 0.15 else 0.0
        if quiet >= 3.0:
            break
    return round(time.monotonic() - t0, 1)


def throughput(args: argparse.Namespace) -> dict[str, Any]:
    issued = write_scans(args)
    reader = Reader(parse_register(issued))
    rows: list[dict[str, Any]] = []
    cv2.setNumThreads(1)
    waited: dict[str, float] = {}
    for name in ("jpeg", "png", "tiff", "phone"):
        waited[name] = wait_idle(args.wait_idle)
        files = sorted((OUT / name).iterdir())
        for f in files[:3]:  # warm up
            reader.read(cv2.imread(str(f), cv2.IMREAD_GRAYSCALE))
        decode = read = 0.0
        review = 0
        for f in files:
            t0 = time.perf_counter()
            image = cv2.imdecode(np.fromfile(f, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
            t1 = time.perf_counter()
            r = reader.read(np.asarray(image, dtype=np.uint8), str(f))
            t2 = time.perf_counter()
            decode += t1 - t0
            read += t2 - t1
            review += bool(r.reasons)
        n = len(files)
        sources = [SheetSource(str(f)) for f in files]
        t0 = time.perf_counter()
        read_sources(sources[: args.cores], issued, jobs=args.cores)
        startup = time.perf_counter() - t0  # start the workers, one sheet each
        t0 = time.perf_counter()
        readings = read_sources(sources, issued, jobs=args.cores)
        pool_seconds = time.perf_counter() - t0
        assert len(readings) == n
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tinnhiem.cli.main",
                "scan",
                str(OUT / name),
                "--issued",
                str(OUT / "issued.json"),
                "--json",
                "--jobs",
                str(args.cores),
            ],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        cli_seconds = time.perf_counter() - t0
        assert proc.stdout.count(b"\n") == n
        rows.append(
            {
                "input": name,
                "sheets": n,
                "review": review,
                "decode_ms": round(1000 * decode / n, 2),
                "read_ms": round(1000 * read / n, 2),
                "per_core_sheets_per_s": round(n / (decode + read), 1),
                "cores": args.cores,
                "pool_sheets_per_s": round(n / pool_seconds, 1),
                "pool_startup_s": round(startup, 2),
                "pool_steady_sheets_per_s": round(n / max(pool_seconds - startup, 1e-9), 1),
                "cli_seconds": round(cli_seconds, 2),
                "cli_sheets_per_s": round(n / cli_seconds, 1),
            }
        )
    clean = [r for r in rows if r["input"] != "phone"]
    best = max(r["per_core_sheets_per_s"] for r in clean)
    return {
        "rows": rows,
        "waited_s": waited,
        "goal_per_core": GOAL_SHEETS_PER_S,
        "goal_met_jpeg": rows[0]["per_core_sheets_per_s"] >= GOAL_SHEETS_PER_S,
        "best_clean_per_core": best,
    }


# ---------------------------------------------------------------- report


def note(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def print_report(res: dict[str, Any]) -> None:
    m = res["machine"]
    print(f"tinnhiem bench_omr · {machine_summary(m)}")
    if "acceptance" in res:
        a = res["acceptance"]
        print(
            f"acceptance: {a['sheets']} sheets generated and read in {a['seconds']} s "
            f"({res['args']['jobs']} processes) · seed {res['args']['seed']}"
        )
        head = (
            f"{'class':9} {'sheets':>6} {'read':>5} {'review':>6} {'silent':>6} "
            f"{'plain':>6} {'plain→review':>13} {'special':>7} {'special→review':>15} "
            f"{'read ms':>7}"
        )
        print(head)
        print("-" * len(head))
        for r in a["rows"]:
            pr = r["plain_review_rate"]
            sr = r["special_review_rate"]
            print(
                f"{r['class']:9} {r['sheets']:6} {r.get('read', 0):5} {r.get('review', 0):6} "
                f"{r.get('silent', 0) + r.get('silent_ballots', 0):6} "
                f"{r.get('plain_sheets', 0):6} "
                f"{r.get('plain_review', 0):5} ({100 * (pr or 0):5.2f}%) "
                f"{r.get('special_sheets', 0):7} "
                f"{r.get('special_review', 0):6} ({100 * (sr or 0):6.2f}%) "
                f"{r['read_ms_median']:7}"
            )
        for r in a["rows"]:
            reasons = ", ".join(f"{k} {v}" for k, v in r["reasons"].items())
            print(f"  {r['class']}: {reasons}")
        print("boxes (all sheets, read or not): truth→state; worst empty box, faintest mark")
        for r in a["rows"]:
            sep = r["separation"]
            print(
                f"  {r['class']:9} {sep['boxes']} empty max {sep.get('empty_max')} "
                f"mark min {sep.get('mark_min')}"
            )
        rate = a["clean_moderate_plain_review_rate"]
        print(
            f"silent errors: {a['silent_errors']} (goal 0: "
            f"{'met' if a['goal_silent'] else 'NOT met'}); clean+moderate plain sheets to "
            f"review: {100 * (rate or 0):.2f}% (goal < 2%: "
            f"{'met' if a['goal_review'] else 'NOT met'})"
        )
        rc = a["register_cases"]
        print(f"register cases: {rc['as_expected']}/{rc['sheets']} as expected {rc['wrong']}")
        for s in a["silent"]:
            print("  SILENT", json.dumps(s, ensure_ascii=False))
    if "throughput" in res:
        t = res["throughput"]
        head = (
            f"{'input':6} {'sheets':>6} {'decode ms':>9} {'read ms':>8} {'1 core /s':>9} "
            f"{'pool /s':>8} {'start s':>7} {'steady /s':>9} {'cli s':>6} {'cli /s':>7} "
            f"{'review':>6}"
        )
        print(head)
        print("-" * len(head))
        for r in t["rows"]:
            print(
                f"{r['input']:6} {r['sheets']:6} {r['decode_ms']:9} {r['read_ms']:8} "
                f"{r['per_core_sheets_per_s']:9} {r['pool_sheets_per_s']:8} "
                f"{r['pool_startup_s']:7} {r['pool_steady_sheets_per_s']:9} "
                f"{r['cli_seconds']:6} {r['cli_sheets_per_s']:7} {r['review']:6}"
            )
        print(
            f"goal ≥ {t['goal_per_core']:.0f} clean 200-dpi sheets/s per core (JPEG): "
            f"{'met' if t['goal_met_jpeg'] else 'NOT met'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 sheets, 20 ballots")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is not met")
    parser.add_argument("--sheets", type=int, default=None, help="acceptance sheets (2,200)")
    parser.add_argument("--timing-ballots", type=int, default=None, help="ballots timed (100)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cores", type=int, default=2, help="workers of the batch timing")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="S",
        help="before each timing, wait up to S s for an idle machine (a shared one)",
    )
    parser.add_argument("--skip-acceptance", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args(argv)
    if args.sheets is None:
        args.sheets = 200 if args.quick else 2200
    if args.timing_ballots is None:
        args.timing_ballots = 15 if args.quick else 100
    res: dict[str, Any] = {"machine": machine(), "args": vars(args)}
    if not args.skip_acceptance:
        res["acceptance"] = acceptance(args)
    if not args.skip_throughput:
        res["throughput"] = throughput(args)
    res["machine"]["load_average_1min"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1, default=str))
    else:
        print_report(res)
    goals = [
        res.get("acceptance", {}).get("goal_silent", True),
        res.get("acceptance", {}).get("goal_review", True),
        res.get("throughput", {}).get("goal_met_jpeg", True),
    ]
    return 1 if args.check and not all(goals) else 0


if __name__ == "__main__":
    sys.exit(main())
