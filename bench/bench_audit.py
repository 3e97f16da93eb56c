"""Time ``tinnhiem audit verify`` on a log of a million audit entries.

The database is new and built for the run (SQLite in a temporary directory,
or ``tinnhiem_bench_audit_<pid>`` on the PostgreSQL server of ``--pg-url``)
and dropped at the end. The entries are the kinds a province-wide round
writes (ballots typed and corrected, check-in marks, confidential reads,
people added, decisions of the committee), with invented names; they are
inserted in bulk, but each is hashed into the chain exactly as
``tinnhiem.common.audit.audit`` hashes it (``entry_digest``), so the chain
verifies. Figures:

* ``cli``: wall clock of the command, as a user runs it
  (``.venv/bin/tinnhiem audit verify --lang en``, start-up included), on the
  intact chain; it must report every entry and exit 0. Goal: every run
  < 30 s.
* ``in-process``: ``verify_chain()`` alone, in this process.
* ``model instances``: for comparison, the verification as it was before
  this benchmark (one ``AuditEntry`` instance per row, a new JSON encoder
  per entry); ``--no-compare`` skips it.
* ``edited`` / ``deleted``: the command on the chain with the entry in the
  middle edited (its summary changed) or a later one deleted: it must exit 1
  and name that entry. The log is restored after each.
* ``audit page``: a request of the audit page by an administrator, through
  Django's test client: one that verifies the whole chain (``?full=1``, as
  the first view does), then the next, filtered, which verifies only the
  entries written since.

Run from the repository root::

    uv run python bench/bench_audit.py                  # SQLite, 1,000,000 entries
    uv run python bench/bench_audit.py --db postgres    # PostgreSQL ($PG_URL or 127.0.0.1)
    uv run python bench/bench_audit.py --quick          # 20,000 entries: a smoke run
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _data import REPO, machine, machine_summary
from _django import drop_database, new_database

GOAL_S = 30.0
DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
BATCH = 10_000
ACTORS = [
    ("bantochuc", "Chuyên viên Ban Tổ chức"),
    ("truongban", "Trưởng Ban kiểm phiếu"),
    ("thuky1", "Thành viên nhập phiếu lượt 1"),
    ("thuky2", "Thành viên nhập phiếu lượt 2"),
    ("giamsat", "Giám sát viên"),
    ("quantri", "Quản trị hệ thống"),
]
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Minh", "Hữu", "Thu", "Quốc", "Ngọc", "Đình")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Nam", "Thảo", "Vinh")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------- database


# ------------------------------------------------------------------ data


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def ballot(rng: random.Random, persons: int) -> dict[str, Any]:
    digits = "".join(rng.choices("1231", k=persons))
    return {
        "digits": digits,
        "issued": rng.random() > 0.0005,
        "signed": rng.random() < 0.001,
        "other_writing": False,
        "added_names": 0,
        "crossed_out": [],
    }


def make_entry(rng: random.Random, n: int, users: list[Any]) -> dict[str, Any]:
    """Entry ``n``'s content: a kind drawn with the weights a round has."""
    conference = 1 + n // 5_000
    title = f"Hội nghị lấy phiếu tín nhiệm số {conference}"
    r = rng.random()
    actor = users[2 + (n % 2)]
    before = after = None
    if r < 0.50:
        action, otype, oid = "entry.create", "counting.ballotentry", str(n)
        after = ballot(rng, 25)
        summary = f"Phiếu số {1 + n % 500}, lượt {1 + n % 2}"
    elif r < 0.55:
        action, otype, oid = "entry.update", "counting.ballotentry", str(n)
        before, after = ballot(rng, 25), ballot(rng, 25)
        summary = f"Phiếu số {1 + n % 500}, lượt {1 + n % 2}"
    elif r < 0.70:
        actor = users[0]
        action, otype, oid = "voter.attendance", "conferences.voter", str(n)
        before, after = {"attendance": "not_arrived"}, {"attendance": "present"}
        summary = person(rng)
    elif r < 0.78:
        actor = users[0]
        action, otype, oid = "voter.add", "conferences.voter", str(n)
        after = {"full_name": person(rng)}
        summary = after["full_name"]
    elif r < 0.86:
        actor = users[rng.choice((0, 1, 4))]
        action, otype, oid = "result.view", "counting.confirmedresult", str(conference)
        summary = title
    elif r < 0.92:
        actor = users[1]
        action, otype, oid = "resolution.save", "counting.resolution", str(n)
        after = {**ballot(rng, 25), "reason": "Ban kiểm phiếu đã xem phiếu gốc"}
        summary = f"Phiếu số {1 + n % 500}"
    elif r < 0.97:
        actor = users[0]
        action, otype, oid = "official.create", "campaigns.official", str(n)
        after = {"full_name": person(rng), "position": "Phó Giám đốc"}
        summary = after["full_name"]
    else:
        actor = users[rng.choice((0, 4, 5))]
        action, otype, oid = "audit.view", "", ""
        after = {"filters": {"action": "entry"}, "page": str(1 + n % 7)}
        summary = "action=entry"
    return {
        "actor_id": actor.pk,
        "actor_name": actor.username,
        "action": action,
        "object_type": otype,
        "object_id": oid,
        "summary": summary[:300],
        "before": before,
        "after": after,
    }


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Insert ``args.entries`` chained entries in batches; the head row last."""
    from django.db import connection, transaction

    from tinnhiem.accounts.models import User
    from tinnhiem.common.audit import GENESIS, entry_digest
    from tinnhiem.common.models import AuditEntry, AuditHead

    users = [
        User.objects.create(username=u, full_name=name, is_superuser=(u == "quantri"))
        for u, name in ACTORS
    ]
    rng = random.Random(args.seed)
    columns = [
        "seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id",
        "summary", "before", "after", "prev_hash", "entry_hash",
    ]  # fmt: skip
    fields = [AuditEntry._meta.get_field(c) for c in columns]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)  # type: ignore[union-attr]
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    at = datetime(2025, 6, 20, 7, 30, tzinfo=UTC)
    prev = GENESIS
    seq = 0
    t0 = time.perf_counter()
    hash_s = 0.0
    while seq < args.entries:
        rows = []
        for _ in range(min(BATCH, args.entries - seq)):
            seq += 1
            at += timedelta(microseconds=rng.randrange(1_000, 400_000))
            content = make_entry(rng, seq, users)
            h0 = time.perf_counter()
            digest = entry_digest(seq=seq, at=at, prev_hash=prev, **content)
            hash_s += time.perf_counter() - h0
            values = {"seq": seq, "at": at, **content, "prev_hash": prev, "entry_hash": digest}
            prepared = zip(columns, fields, strict=True)
            rows.append([f.get_db_prep_save(values[c], connection) for c, f in prepared])  # type: ignore[union-attr]
            prev = digest
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(sql, rows)
        if seq % 100_000 == 0 or seq == args.entries:
            log(f"  {seq:,} entries ({time.perf_counter() - t0:.0f} s)")
    AuditHead.objects.update_or_create(pk=1, defaults={"last_seq": seq, "last_hash": prev})
    if args.db == "postgres":
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {table}")
    else:
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"build_s": round(time.perf_counter() - t0, 1), "hash_s": round(hash_s, 1)}


# -------------------------------------------------------------- measuring


def command() -> list[str]:
    script = Path(sys.executable).parent / "tinnhiem"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tinnhiem.cli.main"]  # pragma: no cover


def run_cli(args: argparse.Namespace) -> tuple[float, int, str]:
    env = dict(os.environ)
    t0 = time.perf_counter()
    done = subprocess.run(
        [*command(), "audit", "verify", "--lang", "en"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if done.stderr.strip():
        log(done.stderr.strip())
    return elapsed, done.returncode, done.stdout.strip()


def legacy_verify() -> Any:
    """The verification as it was: model instances, ``json.dumps`` per entry."""
    import hashlib

    from tinnhiem.common.audit import GENESIS, ChainProblem
    from tinnhiem.common.models import AuditEntry

    prev = GENESIS
    expected = 1
    for e in AuditEntry.objects.order_by("seq").iterator():
        if e.seq != expected:
            return ChainProblem(expected, "missing entry")
        if e.prev_hash != prev:
            return ChainProblem(e.seq, "previous hash does not match")
        body = json.dumps(
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor_id": e.actor_id,
                "actor_name": e.actor_name,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "summary": e.summary,
                "before": e.before,
                "after": e.after,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        if hashlib.sha256((prev + "\n" + body).encode()).hexdigest() != e.entry_hash:
            return ChainProblem(e.seq, "content does not match its hash")
        prev = e.entry_hash
        expected += 1
    return None


def timed(fn: Any) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import close_old_connections, connection

    from tinnhiem.common.audit import verify_chain
    from tinnhiem.common.models import AuditEntry

    n = args.entries
    out: dict[str, Any] = {}

    log(f"  tinnhiem audit verify × {args.runs}")
    cli = []
    for _ in range(args.runs):
        elapsed, code, text = run_cli(args)
        if code != 0 or text != f"{n} entries: chain intact":
            raise SystemExit(f"bench_audit: unexpected answer ({code}): {text}")
        cli.append(elapsed)
    out["cli_s"] = [round(t, 2) for t in cli]

    log(f"  verify_chain() in process × {args.runs}")
    inproc = []
    for _ in range(args.runs):
        elapsed, problem = timed(verify_chain)
        assert problem is None, problem
        inproc.append(elapsed)
    out["in_process_s"] = [round(t, 2) for t in inproc]

    if not args.no_compare:
        log("  the former verification (model instances), once")
        elapsed, problem = timed(legacy_verify)
        assert problem is None, problem
        out["model_instances_s"] = round(elapsed, 2)

    log("  an edited entry in the middle")
    middle = AuditEntry.objects.get(seq=n // 2)
    AuditEntry.objects.filter(pk=middle.pk).update(summary=middle.summary + " (đã sửa)")
    connection.close()
    elapsed, code, text = run_cli(args)
    expected = f"{n} entries: chain BROKEN at entry #{n // 2}: content does not match its hash"
    if code != 1 or text != expected:
        raise SystemExit(f"bench_audit: the edit was not found ({code}): {text}")
    out["edited_s"] = round(elapsed, 2)
    AuditEntry.objects.filter(pk=middle.pk).update(summary=middle.summary)

    log("  a deleted entry at three quarters")
    victim = AuditEntry.objects.get(seq=3 * n // 4)
    AuditEntry.objects.filter(pk=victim.pk).delete()
    connection.close()
    elapsed, code, text = run_cli(args)
    expected = f"{n - 1} entries: chain BROKEN at entry #{3 * n // 4}: missing entry"
    if code != 1 or text != expected:
        raise SystemExit(f"bench_audit: the deletion was not found ({code}): {text}")
    out["deleted_s"] = round(elapsed, 2)
    victim.save(force_insert=True)
    connection.close()
    elapsed, code, text = run_cli(args)
    if code != 0:
        raise SystemExit(f"bench_audit: the restored chain does not verify: {text}")

    log("  the audit page, twice")
    from django.test import Client

    from tinnhiem.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="quantri"))
    for key, url in (
        ("page_full_s", "/nhat-ky-kiem-tra/?full=1"),
        ("page_next_s", "/nhat-ky-kiem-tra/?action=entry&page=3"),
    ):
        close_old_connections()
        t0 = time.perf_counter()
        response = client.get(url)
        out[key] = round(time.perf_counter() - t0, 2)
        if response.status_code != 200 or "BỊ PHÁ VỠ".encode() in response.content:
            raise SystemExit(f"bench_audit: the audit page answered {response.status_code}")
    return out


# ------------------------------------------------------------------ report


def run(args: argparse.Namespace) -> dict[str, Any]:
    log(f"bench_audit: {args.entries:,} entries on {args.db}")
    info = new_database("audit", args.db, args.pg_url)
    try:
        log("building the log")
        built = build(args)
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM common_auditentry")
            row = cur.fetchone()
            count = row[0] if row else 0
            size = None
            if args.db == "postgres":
                cur.execute("SELECT pg_total_relation_size('common_auditentry')")
                row = cur.fetchone()
                size = row[0] if row else None
        if args.db == "sqlite":
            size = Path(info["database"]).stat().st_size
        connection.close()
        log(f"built in {built['build_s']} s; measuring")
        results = measure(args)
    finally:
        if args.keep:
            log(f"database kept: {info['database']}")
        else:
            drop_database(info)
    return {
        "benchmark": "audit",
        "machine": machine(),
        "database": {k: v for k, v in info.items() if k != "data_dir"},
        "entries": count,
        "database_bytes": size,
        **built,
        **results,
        "cli_median_s": round(statistics.median(results["cli_s"]), 2),
        "goal_s": GOAL_S,
        "goal_met": max(results["cli_s"]) < GOAL_S,
    }


def print_table(r: dict[str, Any]) -> None:
    m = r["machine"]
    db = r["database"]
    version = db.get("sqlite_version") or db.get("server_version")
    mib = (r["database_bytes"] or 0) / 2**20
    print(f"tinnhiem bench_audit · {machine_summary(m)}")
    print(
        f"{r['entries']:,} audit entries on {db['engine']} {version} ({mib:,.0f} MiB); "
        f"built in {r['build_s']} s (hashing {r['hash_s']} s)"
    )
    cli = r["cli_s"]
    print(f"{'figure':<42} {'runs':>4} {'best s':>8} {'median s':>9} {'max s':>8}  goal")
    print("-" * 86)
    goal = "< 30 s " + ("met" if r["goal_met"] else "MISSED")
    print(
        f"{'tinnhiem audit verify (intact, wall clock)':<42} {len(cli):>4} {min(cli):>8.2f} "
        f"{statistics.median(cli):>9.2f} {max(cli):>8.2f}  {goal}"
    )
    ip = r["in_process_s"]
    print(
        f"{'verify_chain() in process':<42} {len(ip):>4} {min(ip):>8.2f} "
        f"{statistics.median(ip):>9.2f} {max(ip):>8.2f}  -"
    )
    if "model_instances_s" in r:
        t = r["model_instances_s"]
        print(
            f"{'former verification (model instances)':<42} {1:>4} {t:>8.2f} {t:>9.2f} {t:>8.2f}  -"
        )
    for key, label in (
        ("edited_s", "verify, entry #N/2 edited (exit 1)"),
        ("deleted_s", "verify, entry #3N/4 deleted (exit 1)"),
        ("page_full_s", "audit page, whole chain verified"),
        ("page_next_s", "audit page, next view (new entries only)"),
    ):
        t = r[key]
        print(f"{label:<42} {1:>4} {t:>8.2f} {t:>9.2f} {t:>8.2f}  -")
    print(f"goal (every run of the command): {'met' if r['goal_met'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--pg-url", default=os.environ.get("PG_URL") or DEFAULT_PG_SERVER)
    p.add_argument("--entries", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--quick", action="store_true", help="20,000 entries, 2 runs")
    p.add_argument("--no-compare", action="store_true", help="skip the former verification")
    p.add_argument("--keep", action="store_true", help="keep the database")
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = p.parse_args(argv)
    if args.quick:
        args.entries, args.runs = 20_000, 2
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print_table(report)
    return 1 if args.check and not report["goal_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
