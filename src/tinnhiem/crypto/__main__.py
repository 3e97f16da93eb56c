"""Offline verifier command: ``python -m tinnhiem.crypto ARCHIVE [--minutes FILE]``.

Reads an election archive (``tinnhiem.evote-archive/1``) and, optionally, a
JSON file of values from the signed minutes (the keys of
:class:`tinnhiem.crypto.verify.Minutes`), runs every check of the design
brief's section (d) and prints the findings. Exit status: 0 valid, 1 not
valid, 2 unreadable input. Nothing is written and nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from tinnhiem.crypto.canonical import loads
from tinnhiem.crypto.errors import CryptoError
from tinnhiem.crypto.verify import Minutes, Severity, verify_archive


def main(argv: Sequence[str] | None = None) -> int:
    """Run the verifier; see the module documentation."""
    parser = argparse.ArgumentParser(
        prog="python -m tinnhiem.crypto", description="Verify an e-voting archive offline."
    )
    parser.add_argument("archive", help="archive JSON file (tinnhiem.evote-archive/1)")
    parser.add_argument("--minutes", help="JSON file of values from the signed minutes")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    try:
        with open(args.archive, "rb") as fh:
            archive = loads(fh.read())
        minutes = Minutes()
        if args.minutes:
            with open(args.minutes, "rb") as fh:
                minutes = Minutes.from_json(loads(fh.read()))
    except (OSError, CryptoError) as exc:
        print(f"cannot read input: {exc}", file=sys.stderr)
        return 2
    report = verify_archive(archive, minutes, workers=max(1, args.workers))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        for finding in report.findings:
            if not args.quiet or finding.severity is Severity.ERROR:
                print(finding)
        for key, value in report.figures.items():
            print(f"{key}: {value}")
        print("VALID" if report.ok else f"NOT VALID ({len(report.errors)} errors)")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
