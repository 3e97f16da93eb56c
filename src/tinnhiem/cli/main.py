"""Entry point of the ``tinnhiem`` console script.

Sub-commands register themselves from their own modules. Commands that need
Django import it inside their handler, so that ``tinnhiem tally`` starts in
milliseconds and runs where Django is not installed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tinnhiem import __version__
from tinnhiem.cli import audit as audit_cmd
from tinnhiem.cli import cards as cards_cmd
from tinnhiem.cli import demo as demo_cmd
from tinnhiem.cli import documents as documents_cmd
from tinnhiem.cli import profiles as profiles_cmd
from tinnhiem.cli import scan as scan_cmd
from tinnhiem.cli import serve as serve_cmd
from tinnhiem.cli import tally as tally_cmd
from tinnhiem.cli import trustee as trustee_cmd
from tinnhiem.cli import verify as verify_cmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinnhiem",
        description="Tín Nhiệm: lấy phiếu tín nhiệm, bỏ phiếu tín nhiệm — exact and auditable.",
    )
    parser.add_argument("--version", action="version", version=f"tinnhiem {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    tally_cmd.add_parser(sub)
    profiles_cmd.add_parser(sub)
    demo_cmd.add_parser(sub)
    serve_cmd.add_parser(sub)
    audit_cmd.add_parser(sub)
    documents_cmd.add_parser(sub)
    scan_cmd.add_parser(sub)
    verify_cmd.add_parser(sub)
    trustee_cmd.add_parser(sub)
    cards_cmd.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return tally_cmd.EXIT_BAD_INPUT
    lang = getattr(args, "lang", "vi")
    try:
        code: int = handler(args)
    except tally_cmd.BadInputError as e:
        prefix = "lỗi" if lang != "en" else "error"
        sys.stderr.write(f"tinnhiem {args.command}: {prefix}: {e.message(lang)}\n")
        return tally_cmd.EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (| head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
