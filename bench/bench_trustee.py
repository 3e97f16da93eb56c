"""Wall clock of ``tinnhiem trustee decrypt ARCHIVE`` on a National-Assembly-size archive.

What a counting committee member's device does at the decryption: start the
command, read the archive (480 ballots × 44 persons × 3 levels, 5 trustees
with threshold 3, spare cards voided, re-votes and Benaloh audits, as in
``bench_crypto.py``), check that the key ceremony is the one in its keystore,
re-verify the whole board against the minutes with the offline verifier, then
compute and sign its partial decryption (44 factors with proofs) and write the
file. Each run is a fresh process (``python -m tinnhiem.cli.main``), start-up
included; the partial decryption written is checked by the ballot box.

No goal of its own: the verification inside it has the goal < 10 s
(``bench_crypto.py``); this measures what the member waits for.

Run from the repository root::

    uv run python bench/bench_trustee.py               # full run, about a minute
    uv run python bench/bench_trustee.py --quick       # smoke run
    uv run python bench/bench_trustee.py --wait-idle 600 --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _data import machine, machine_summary
from bench_crypto import encrypt_many, log, wait_idle
from tinnhiem.crypto.ballot import encrypt_ballot
from tinnhiem.crypto.ballot_box import BallotBox
from tinnhiem.crypto.board import Board, Kind
from tinnhiem.crypto.canonical import digest, dumps
from tinnhiem.crypto.files import (
    CertificateSet,
    Invitation,
    Keystore,
    read_partial_decryption,
    write_keystore,
)
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.simulate import SimulatedElection, make_election, random_choices


def build(args: argparse.Namespace, folder: Path) -> tuple[SimulatedElection, Path, Path, Path]:
    """A closed board with its encrypted tally, trustee 1's keystore, the minutes."""
    rng = SeededRandom(f"{args.seed}/setup")
    spares = max(1, args.ballots // 20)
    uuid = f"bench-{args.seed}-national-assembly"[:64]
    setup, ceremony, cards = make_election(
        uuid=uuid, persons=args.persons, voters=args.ballots, rng=rng,
        trustees=args.trustees, threshold=args.threshold, spare_cards=spares,
        t_min=min(10, args.ballots),
    )  # fmt: skip
    election = setup.election
    voters, spare = cards[: args.ballots], cards[args.ballots :]
    revotes = min(10, args.ballots)
    t0 = time.perf_counter()
    ballots = encrypt_many(election, voters, str(args.seed), args.ballots + revotes, args.workers)
    log(f"bench_trustee: {len(ballots)} ballots encrypted in {time.perf_counter() - t0:.1f} s")
    board = Board()
    board.append(Kind.SETUP, setup.to_json())
    box = BallotBox(board)
    box.void([v.keys.public for v in spare])
    for payload in ballots:  # appended without the acceptance check (bench_crypto times it)
        board.append(Kind.BALLOT, payload)
    box = BallotBox(board)
    audit_rng = SeededRandom(f"{args.seed}/audits")
    for voter in voters[: min(5, args.ballots)]:
        body, secrets = encrypt_ballot(
            election, voter.keys.public, random_choices(election, audit_rng), audit_rng
        )
        box.spoil(body, secrets)
    box.close()
    box.publish_tally()
    sim = SimulatedElection(setup, ceremony, cards, box)

    trustees = setup.trustees
    names = tuple(c.name for c in trustees.certificates)
    keys = ceremony.keys[0]
    keystore = Keystore(
        invitation=Invitation(uuid, election.title, 1, trustees.threshold, names),
        signing_secret=keys.signing.secret,
        encryption_secret=keys.encryption.secret,
        certificate=trustees.certificates[0],
        certificates_hash=CertificateSet(
            uuid, trustees.threshold, trustees.certificates
        ).fingerprint,
        dealing=trustees.dealings[0],
        dealings_hash=digest([d.to_json() for d in trustees.dealings]),
        share_secret=ceremony.shares[0].secret,
        verification_key=trustees.verification_keys[0],
    )
    keystore_dir = folder / "keys"
    keystore_dir.mkdir(mode=0o700)
    keystore_file = keystore_dir / f"tinnhiem-trustee-{uuid}.json"
    fd = os.open(keystore_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(write_keystore(keystore))
    archive = folder / "archive.json"
    archive.write_bytes(dumps(board.to_json()))
    minutes = sim.minutes()
    minutes_file = folder / "minutes.json"
    data = {k: v for k, v in vars(minutes).items() if v not in (None, ())}
    minutes_file.write_text(json.dumps(data), encoding="utf-8")
    return sim, archive, keystore_dir, minutes_file


def children_cpu() -> float:
    """User + system CPU seconds of the finished child processes (their workers included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-trustee-") as tmp:
        folder = Path(tmp)
        sim, archive, keystore_dir, minutes = build(args, folder)
        size = archive.stat().st_size
        log(f"bench_trustee: archive {size:,} bytes, {sim.box.board.height} entries")
        idle = wait_idle(args.wait_idle)
        out = folder / "partial.json"
        command = [
            sys.executable, "-m", "tinnhiem.cli.main", "trustee", "decrypt", str(archive),
            "--keystore", str(keystore_dir), "--minutes", str(minutes),
            "--workers", str(args.workers), "--out", str(out),
        ]  # fmt: skip
        times: list[float] = []
        cpu: list[float] = []
        for i in range(args.repeat):
            log(f"bench_trustee: tinnhiem trustee decrypt, run {i + 1}/{args.repeat}…")
            c0 = children_cpu()
            t0 = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t0)
            cpu.append(children_cpu() - c0)
            if done.returncode != 0:
                raise SystemExit(f"bench_trustee: decrypt failed: {done.stderr}")
        partial = read_partial_decryption(out.read_bytes(), sim.election.uuid)
        sim.box.add_partial_decryption(partial.partial_decryption)  # the box accepts it
    return {
        "benchmark": "trustee-decrypt",
        "machine": machine(),
        "cpu_busy_before": None if idle is None else round(idle, 3),
        "config": {
            "ballots": args.ballots,
            "persons": args.persons,
            "trustees": args.trustees,
            "threshold": args.threshold,
            "archive_bytes": size,
            "workers": args.workers,
            "seed": args.seed,
            "quick": args.quick,
        },
        "results": {
            "runs": len(times),
            "best_s": round(min(times), 3),
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "cpu_s": round(statistics.median(cpu), 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 24 ballots × 8 persons")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--ballots", type=int, default=None, help="default 480 (24 quick)")
    parser.add_argument("--persons", type=int, default=None, help="default 44 (8 quick)")
    parser.add_argument("--trustees", type=int, default=5, help="default 5")
    parser.add_argument("--threshold", type=int, default=3, help="default 3")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="default: all cores"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of the command (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="default 2026")
    parser.add_argument(
        "--wait-idle", type=float, default=0, metavar="S",
        help="before timing, wait up to S seconds for the CPU to be < 15%% busy for 5 s",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.ballots is None:
        args.ballots = 24 if args.quick else 480
    if args.persons is None:
        args.persons = 8 if args.quick else 44
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        cfg, r = report["config"], report["results"]
        busy = report["cpu_busy_before"]
        print(f"tinnhiem bench_trustee · {machine_summary(report['machine'])}")
        print(
            f"{cfg['ballots']} ballots × {cfg['persons']} persons · trustees "
            f"{cfg['threshold']} of {cfg['trustees']} · archive {cfg['archive_bytes']:,} bytes"
            f" · {cfg['workers']} workers"
            + ("" if busy is None else f" · CPU {busy:.0%} busy before timing")
            + (" · QUICK" if cfg["quick"] else "")
        )
        print(
            f"tinnhiem trustee decrypt: runs {r['runs']}, best {r['best_s']:.3f} s, "
            f"median {r['median_s']:.3f} s, max {r['max_s']:.3f} s, CPU {r['cpu_s']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
