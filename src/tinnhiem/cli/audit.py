"""``tinnhiem audit verify``: check the hash chain of the audit log.

Prints the number of entries and either "intact" or the first broken or
missing link; exit status 0 when intact, 1 when not. Uses the database of
``DATABASE_URL`` or the embedded SQLite database.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "audit",
        help="kiểm tra nhật ký kiểm tra / check the audit log",
        description="Verify the hash-chained audit log of the web application's database.",
    )
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="report the first broken or missing link")
    verify.add_argument("--lang", choices=("vi", "en"), default="vi")
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.config.settings")
    import django

    django.setup()
    from django.db import DatabaseError

    from tinnhiem.cli.tally import BadInputError
    from tinnhiem.common.audit import verify_chain
    from tinnhiem.common.models import AuditEntry

    try:
        total = AuditEntry.objects.count()
        problem = verify_chain()
    except DatabaseError as e:
        raise BadInputError(
            f"không đọc được cơ sở dữ liệu ({e.__class__.__name__}); đã chạy "
            "'tinnhiem demo' hoặc 'migrate' chưa?",
            f"cannot read the database ({e.__class__.__name__}); has it been migrated?",
        ) from None
    en = args.lang == "en"
    if problem is None:
        sys.stdout.write(
            f"{total} entries: chain intact\n" if en else f"{total} mục: chuỗi nguyên vẹn\n"
        )
        return 0
    reasons_vi = {
        "missing entry": "thiếu mục",
        "previous hash does not match": "mã băm của mục trước không khớp",
        "content does not match its hash": "nội dung không khớp mã băm",
        "entries after this one are missing": "thiếu các mục từ đây về sau",
    }
    reason = problem.reason if en else reasons_vi.get(problem.reason, problem.reason)
    if en:
        sys.stdout.write(f"{total} entries: chain BROKEN at entry #{problem.seq}: {reason}\n")
    else:
        sys.stdout.write(f"{total} mục: chuỗi BỊ PHÁ VỠ tại mục #{problem.seq}: {reason}\n")
    return 1
