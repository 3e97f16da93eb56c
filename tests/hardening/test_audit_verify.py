"""``verify_chain`` after its speed-up: the hash of an entry is still the one
``audit()`` has always written (a fixed vector, computed here with the
original definition), and a stored value that is not even of its type is a
broken link, not a crash."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection

from tinnhiem.common.audit import ChainProblem, _canonical, entry_digest, verify_chain
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference

ENTRY = {
    "seq": 7,
    "at": datetime(2025, 6, 20, 7, 30, 5, 120000, tzinfo=UTC),
    "actor_id": 3,
    "actor_name": "thuky1",
    "action": "entry.create",
    "object_type": "counting.ballotentry",
    "object_id": "41",
    "summary": "Phiếu số 12 — “lượt 1”",
    "before": None,
    "after": {"digits": "1231", "crossed_out": [2], "issued": True, "note": 'a"b\\c'},
    "prev_hash": "ab" * 32,
}


def original_digest(e: dict[str, object]) -> str:
    """The definition of the first release, written out again."""
    body = json.dumps(
        {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in e.items()
            if k != "prev_hash"
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((str(e["prev_hash"]) + "\n" + body).encode("utf-8")).hexdigest()


def test_the_hash_of_an_entry_is_unchanged() -> None:
    assert entry_digest(**ENTRY) == original_digest(ENTRY)  # type: ignore[arg-type]
    assert (
        entry_digest(**ENTRY)
        == (  # type: ignore[arg-type]
            hashlib.sha256(
                (
                    "ab" * 32
                    + "\n"
                    + '{"action":"entry.create","actor_id":3,"actor_name":"thuky1",'
                    '"after":{"crossed_out":[2],"digits":"1231","issued":true,"note":"a\\"b\\\\c"},'
                    '"at":"2025-06-20T07:30:05.120000+00:00","before":null,'
                    '"object_id":"41","object_type":"counting.ballotentry","seq":7,'
                    '"summary":"Phiếu số 12 — “lượt 1”"}'
                ).encode("utf-8")
            ).hexdigest()
        )
    )
    assert _canonical({"b": 1, "a": "ế"}) == '{"a":"ế","b":1}'


def test_a_stored_value_of_the_wrong_type_is_a_broken_link(
    entered_conference: Conference,
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses a value of another type for a column")
    victim = AuditEntry.objects.get(seq=5)
    with connection.cursor() as cur:
        cur.execute("UPDATE common_auditentry SET at = %s WHERE seq = %s", ["not a time", 5])
    assert verify_chain() == ChainProblem(victim.seq, "content does not match its hash")


SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tinnhiem.accounts.models import User
from tinnhiem.common.audit import audit
user = User.objects.create(username="thuky1")
for i in range(30):
    audit(actor=user, action="entry.create", obj=user, summary=f"Phiếu số {i + 1}",
          after={"digits": "1231"})
"""


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TINNHIEM_DATA_DIR": str(data_dir), "TINNHIEM_SECRET_KEY": "x"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )


def test_the_command_reports_an_intact_chain_then_the_first_broken_entry(
    tmp_path: Path,
) -> None:
    """``tinnhiem audit verify`` as a user runs it, on a database of its own."""
    seeded = _run(tmp_path, "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    verify = ("-m", "tinnhiem.cli.main", "audit", "verify")
    done = _run(tmp_path, *verify)
    assert (done.returncode, done.stdout) == (0, "30 mục: chuỗi nguyên vẹn\n")
    db = sqlite3.connect(tmp_path / "tinnhiem.sqlite3")
    with db:
        db.execute("UPDATE common_auditentry SET summary = 'đã sửa' WHERE seq = 9")
    done = _run(tmp_path, *verify, "--lang", "en")
    assert (done.returncode, done.stdout) == (
        1,
        "30 entries: chain BROKEN at entry #9: content does not match its hash\n",
    )
    with db:
        db.execute("DELETE FROM common_auditentry WHERE seq IN (8, 9)")
    db.close()
    done = _run(tmp_path, *verify)
    assert (done.returncode, done.stdout) == (
        1,
        "28 mục: chuỗi BỊ PHÁ VỠ tại mục #8: thiếu mục\n",
    )
