"""Deterministic, realistic conference data for the benchmarks.

Everything comes from ``random.Random(seed)``: the same arguments give the
same conference, the same record and the same JSON text on every machine.
Names are invented ("Người được lấy phiếu 17"); no real person appears.

What a generated ballot box looks like (rates are per ballot *line*, that is
per person on a ballot, unless said otherwise):

* mostly one mark per line, skewed towards "cao" (poll: 80 % cao, 17 %
  tin_nhiem, 3 % thap; binding vote: 90 % tin_nhiem, 10 % khong_tin_nhiem);
* about 1 % blank lines (no box marked);
* about 0.5 % lines with several boxes marked;
* about 0.5 % crossed-out names (half of them still carry one mark);
* a few whole ballots not issued by the committee (one per 4,000, at least
  one) and a few signed ballots (one per 1,000, at least one).

With 50 persons a ballot holds a crossed-out name with probability
1 − 0.995⁵⁰ ≈ 22 %, which voids it under 96-QĐ/TW; under 262-QĐ/TW a blank or
multiply marked line also voids it (≈ 64 % of ballots). ``clean=True`` gives
the worst case for the counter instead: every ballot issued, unsigned, one
mark on every line, so every line of every ballot is counted.

The module imports only the public API of :mod:`tinnhiem`. It also holds
:func:`machine`, the description of the computer that the scripts print
next to their figures.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

from tinnhiem.record import ConferenceRecord, record_to_json
from tinnhiem.rules import Ballot, Candidate, Conference, Level, VoteKind

REPO = Path(__file__).resolve().parents[1]
"""The repository root (``bench/..``)."""

BLANK_RATE = 0.01
SEVERAL_RATE = 0.005
CROSSED_RATE = 0.005
UNISSUED_EVERY = 4_000
SIGNED_EVERY = 1_000

_SKEW: dict[VoteKind, tuple[tuple[Level, float], ...]] = {
    VoteKind.POLL: ((Level.HIGH, 0.80), (Level.CONFIDENCE, 0.17), (Level.LOW, 0.03)),
    VoteKind.BINDING: ((Level.CONFIDENCE, 0.90), (Level.NO_CONFIDENCE, 0.10)),
}

_POSITIONS = (
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Chánh Văn phòng",
    "Phó Chánh Văn phòng",
)


def make_candidates(n_persons: int) -> tuple[Candidate, ...]:
    """``n_persons`` printed lines with invented names and ids "1", "2", …"""
    return tuple(
        Candidate(
            id=str(i),
            name=f"Người được lấy phiếu {i}",
            position=_POSITIONS[(i - 1) % len(_POSITIONS)],
        )
        for i in range(1, n_persons + 1)
    )


def make_conference(
    n_ballots: int,
    n_persons: int,
    *,
    seed: int = 2023,
    kind: VoteKind = VoteKind.POLL,
    clean: bool = False,
) -> Conference:
    """A conference with ``n_ballots`` ballots of ``n_persons`` lines each."""
    rng = random.Random(seed)
    candidates = make_candidates(n_persons)
    ids = [c.id for c in candidates]
    levels = kind.levels
    singles = [(lv,) for lv in levels]
    # Cumulative thresholds of one random draw per line.
    skew = _SKEW[kind]
    cum_single: list[float] = []
    acc = 0.0
    for _, p in skew:
        acc += p
        cum_single.append(acc)
    cum_single[-1] = 1.0
    several = [combo for r in range(2, len(levels) + 1) for combo in combinations(levels, r)]
    t_blank = 0.0 if clean else BLANK_RATE
    t_several = t_blank + (0.0 if clean else SEVERAL_RATE)
    t_crossed = t_several + (0.0 if clean else CROSSED_RATE)

    unissued: set[int] = set()
    signed: set[int] = set()
    if not clean and n_ballots:
        order = list(range(n_ballots))
        rng.shuffle(order)
        n_unissued = min(n_ballots, max(1, n_ballots // UNISSUED_EVERY))
        n_signed = min(n_ballots - n_unissued, max(1, n_ballots // SIGNED_EVERY))
        unissued = set(order[:n_unissued])
        signed = set(order[n_unissued : n_unissued + n_signed])

    rand = rng.random
    ballots: list[Ballot] = []
    for b in range(n_ballots):
        marks: dict[str, tuple[Level, ...]] = {}
        crossed: list[str] = []
        for cid in ids:
            r = rand()
            if r < t_blank:
                continue
            if r < t_several:
                marks[cid] = several[int(rand() * len(several))]
                continue
            if r < t_crossed:
                crossed.append(cid)
                if rand() < 0.5:
                    continue
                r = rand()
            else:
                # Rescale r from [t_crossed, 1) to [0, 1) for the level skew.
                r = (r - t_crossed) / (1.0 - t_crossed)
            for j, edge in enumerate(cum_single):
                if r < edge:
                    marks[cid] = singles[j]
                    break
        ballots.append(
            Ballot(
                marks=marks,
                issued=b not in unissued,
                crossed_out=frozenset(crossed),
                signed=b in signed,
            )
        )

    summoned = n_ballots + n_ballots // 50
    return Conference(
        kind=kind,
        summoned=summoned,
        present=n_ballots,
        ballots_issued=n_ballots,
        candidates=candidates,
        ballots=tuple(ballots),
        members_total=summoned,
    )


def make_record(
    n_ballots: int,
    n_persons: int,
    profile_id: str,
    *,
    seed: int = 2023,
    kind: VoteKind = VoteKind.POLL,
    clean: bool = False,
) -> ConferenceRecord:
    """A full ``tinnhiem.conference-record/1`` record around :func:`make_conference`."""
    conference = make_conference(n_ballots, n_persons, seed=seed, kind=kind, clean=clean)
    return ConferenceRecord(
        profile_id=profile_id,
        conference=conference,
        id=f"bench-{n_ballots}x{n_persons}-{seed}",
        title="Hội nghị lấy phiếu tín nhiệm (dữ liệu thử hiệu năng, tên người là giả định)",
        unit="Đơn vị thử nghiệm số 1",
    )


def record_text(record: ConferenceRecord) -> str:
    """The record as JSON text, laid out like the files a committee exports."""
    return json.dumps(record_to_json(record), ensure_ascii=False, indent=1) + "\n"


def describe(conference: Conference) -> dict[str, int]:
    """Integer counts of what was generated, for the benchmark reports."""
    n_blank = n_several = n_crossed = 0
    n_persons = len(conference.candidates)
    for b in conference.ballots:
        n_crossed += len(b.crossed_out)
        for m in b.marks.values():
            if len(m) > 1:
                n_several += 1
        n_blank += n_persons - len(b.marks) - len(b.crossed_out - b.marks.keys())
    return {
        "ballots": len(conference.ballots),
        "persons": n_persons,
        "lines": len(conference.ballots) * n_persons,
        "blank_lines": n_blank,
        "several_mark_lines": n_several,
        "crossed_out_names": n_crossed,
        "ballots_with_crossed_out": sum(1 for b in conference.ballots if b.crossed_out),
        "unissued_ballots": sum(1 for b in conference.ballots if not b.issued),
        "signed_ballots": sum(1 for b in conference.ballots if b.signed),
    }


# ----------------------------------------------------------------- the machine


def _first_line_value(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                name, sep, value = line.partition(":")
                if sep and name.strip() == key:
                    return value.strip()
    except OSError:
        return None
    return None


def _os_name() -> str:
    try:
        with open("/etc/os-release", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.platform()


def _git_revision() -> str | None:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def machine() -> dict[str, object]:
    """CPU, cores, RAM, OS, Python and the code revision measured."""
    mem_kib = _first_line_value("/proc/meminfo", "MemTotal")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first_line_value("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count() or 0,
        "cores_usable": usable,
        "ram_mib": int(mem_kib.split()[0]) // 1024 if mem_kib else 0,
        "os": _os_name(),
        "kernel": platform.release(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_build": " ".join(platform.python_build()),
        "executable_in_venv": sys.prefix != sys.base_prefix,
        "revision": _git_revision(),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def machine_summary(m: dict[str, object]) -> str:
    """One line for the table headers."""
    return (
        f"{m['date']} · {m['cpu']}, {m['cores']} cores, {m['ram_mib']} MiB RAM · {m['os']} · "
        f"{m['python']} · rev {m['revision']} · load {m['load_average_1min']}"
    )
