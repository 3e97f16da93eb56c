"""Ballot encryption in the voter's browser: the committed bundle in Chromium.

What the casting page does for one voter at National-Assembly size: 44
persons × 3 levels, so 44 ciphertexts, 44 membership proofs and the
signature, with ``window.TinNhiemBallot.encryptBallot`` from
``src/tinnhiem/evote/static/evote/ballot.js`` (built from ``web/evote-ballot``).
The page is blank and offline (the bundle is added with ``add_script_tag``),
and each run is timed inside the page (``performance.now()`` around the
awaited call, election parsing included). One more run before the timed ones
warms up the JIT, and its ballot is checked with :func:`tinnhiem.crypto.ballot.check_ballot`.

Two profiles: Chromium's CPU throttling ×4 through the DevTools protocol
(``Emulation.setCPUThrottlingRate``), the usual stand-in for a low-end phone,
and no throttling. Goal: < 1 s (median and p95) with throttling ×4.

Run from the repository root (Debian's ``/usr/bin/chromium``)::

    uv run python bench/bench_evote_js.py              # 20 runs per profile
    uv run python bench/bench_evote_js.py --runs 10 --json
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from _data import REPO, machine, machine_summary
from bench_crypto import wait_idle
from tinnhiem.crypto.ballot import Ballot, check_ballot
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import make_election, random_choices

BUNDLE = REPO / "src" / "tinnhiem" / "evote" / "static" / "evote" / "ballot.js"
CHROMIUM = Path("/usr/bin/chromium")
GOAL_S = 1.0

TIMED = """async ([election, credential, choices]) => {
  const t0 = performance.now();
  const out = await window.TinNhiemBallot.encryptBallot(election, credential, choices);
  return { ms: performance.now() - t0, ballot: out.ballot };
}"""


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per profile (≥ 10)")
    parser.add_argument("--persons", type=int, default=44)
    parser.add_argument("--rate", type=float, default=4.0, help="CPU throttling rate")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="S")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.runs < 10:
        parser.error("--runs must be at least 10")

    rng = SeededRandom("bench-evote-js")
    setup, _, cards = make_election(
        uuid="bench-evote-js", persons=args.persons, voters=4, n_max=480, rng=rng
    )
    election = setup.election
    doc = election.to_json()
    busy = wait_idle(args.wait_idle)
    figures: dict[str, dict[str, float | int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        version = browser.version
        for name, rate in (("throttled", args.rate), ("unthrottled", 1.0)):
            context = browser.new_context()
            page = context.new_page()
            page.goto("about:blank")
            page.add_script_tag(path=str(BUNDLE))
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            warm = page.evaluate(TIMED, [doc, cards[0].credential, random_choices(election, rng)])
            check_ballot(election, Ballot.from_json(warm["ballot"], election))
            times = []
            for i in range(args.runs):
                voter = cards[i % len(cards)]
                out = page.evaluate(TIMED, [doc, voter.credential, random_choices(election, rng)])
                times.append(out["ms"] / 1000)
            context.close()
            figures[name] = {
                "rate": rate,
                "runs": len(times),
                "best_s": min(times),
                "median_s": statistics.median(times),
                "p95_s": p95(times),
                "max_s": max(times),
            }
        browser.close()

    m = machine()
    met = all(figures["throttled"][k] < GOAL_S for k in ("median_s", "p95_s"))
    if args.json:
        out_doc = {
            "machine": m,
            "chromium": version,
            "persons": args.persons,
            "levels": len(election.levels),
            "cpu_busy_before": busy,
            "figures": figures,
            "goal_s": GOAL_S,
            "met": met,
        }
        print(json.dumps(out_doc, indent=1, ensure_ascii=False))
        return 0
    print(f"tinnhiem bench_evote_js · {machine_summary(m)}")
    print(
        f"{args.persons} persons × {len(election.levels)} levels · bundle {BUNDLE.stat().st_size:,}"
        f" bytes · Chromium {version}"
        + ("" if busy is None else f" · CPU {busy:.0%} busy before timing")
    )
    print(f"{'profile':<22}{'runs':>5}{'best s':>9}{'median s':>10}{'p95 s':>8}{'max s':>8}")
    for name, f in figures.items():
        label = f"{name} ×{f['rate']:g}"
        print(
            f"{label:<22}{f['runs']:>5}{f['best_s']:>9.3f}{f['median_s']:>10.3f}"
            f"{f['p95_s']:>8.3f}{f['max_s']:>8.3f}"
        )
    verdict = "met" if met else "NOT MET"
    print(f"goal (throttled ×{args.rate:g}: median and p95 < {GOAL_S:g} s): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
