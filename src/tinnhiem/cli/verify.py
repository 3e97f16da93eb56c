"""``tinnhiem verify ARCHIVE [--minutes FILE] [--json] [--workers N]``.

The offline verifier of an electronic-ballot archive: no Django, no
database, no network. Every check of the design brief's section (d); exit 0
valid, 1 not valid, 2 unreadable input. See ``docs/crypto-spec.md``.
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "verify",
        help="kiểm tra hồ sơ bỏ phiếu điện tử / verify an e-ballot archive offline",
        description="Verify a tinnhiem.evote-archive/1 file offline (no Django, no network).",
    )
    p.add_argument("archive", help="archive JSON file (tinnhiem.evote-archive/1)")
    p.add_argument("--minutes", help="JSON file of values from the signed minutes")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="print errors only")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tinnhiem.crypto.__main__ import main as verify_main

    argv = [args.archive, "--workers", str(args.workers)]
    if args.minutes:
        argv += ["--minutes", args.minutes]
    if args.json:
        argv.append("--json")
    if args.quiet:
        argv.append("--quiet")
    return verify_main(argv)
